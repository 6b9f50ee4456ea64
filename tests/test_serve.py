"""`make serve` serves what a full build writes.

``mkdocs serve --dirty`` (``make serve``) rebuilds only the news pages whose inputs changed
(tcsite/incremental.py). After each group of edits an editor makes — a post's body, its title,
its excerpt, a page's text; then a new post, a deleted translation, a deleted post, a page's
title — every page, feed and sitemap the server serves must be byte for byte what
``mkdocs build`` writes from the same files (the livereload script aside).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tcsite.i18n import labels
from tests.conftest import BUILD_ENV, build_site, copy_project, fetch, free_port, stop_process_group

# What `make serve` runs (Makefile), on a free port.
SERVE = [sys.executable, "-m", "mkdocs", "serve", "--dirty"]
POSTS_PER_LANGUAGE = 24  # enough for listings of several pages
COMPARED = (".html", ".xml", ".txt")
NOT_COMPARED = ("admin/", "pagefind/", "assets/")


def synthetic_posts(news: Path) -> None:
    categories = ["annual-report", "partnerships", "cedaw", "beijing", "normative-frameworks", "courses"]
    for n in range(POSTS_PER_LANGUAGE):
        day = dt.date(2021, 1, 5) + dt.timedelta(days=23 * n)
        folder = news / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        chosen = f"[{categories[n % 6]}, {categories[(n + 2) % 6]}]"
        for suffix, title, words in ((".md", f"Workshop report {n}", "Participants discussed gender equality"),
                                     (".es.md", f"Informe del taller {n}", "Las participantes hablaron de igualdad")):
            (folder / f"workshop-{n:02d}{suffix}").write_text(
                f"---\ntitle: {title}\ndate: {day.isoformat()}\nsummary: {title}.\ncategories: {chosen}\n---\n\n"
                f"{words} ({n}).\n\n<!-- more -->\n\n## {title}\n\n{words}, [CEDAW](../../instruments/cedaw.md).\n",
                encoding="utf-8",
            )


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    """A copy of the project with more posts, its site_url the server's, and `make serve` on it."""
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    synthetic_posts(project / "news")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {base}", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    log = (project.parent / "serve.log").open("w")
    process = subprocess.Popen([*SERVE, "--dev-addr", f"127.0.0.1:{port}"], cwd=project, stdout=log,
                               stderr=subprocess.STDOUT, env={**os.environ, **BUILD_ENV}, start_new_session=True)
    try:
        wait_until(base, lambda status, body: status == 200, process, project, timeout=300)
        yield project, base, process
    finally:
        stop_process_group(process, signal.SIGINT, timeout=30)  # mkdocs serve stops cleanly on SIGINT
        log.close()


def wait_until(url: str, condition: Callable[[int, bytes], bool], process, project: Path, timeout: float = 120) -> None:
    """Poll ``url`` until ``condition(status, body)``; the server holds requests while it rebuilds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("mkdocs serve stopped:\n" + (project.parent / "serve.log").read_text())
        with contextlib.suppress(OSError):
            status, _, body = fetch(url)
            if condition(status, body):
                return
        time.sleep(0.1)  # polling interval, not a wait for something to happen
    pytest.fail(f"{url} did not show the change within {timeout:.0f} s:\n" + (project.parent / "serve.log").read_text())


def without_livereload(body: bytes) -> bytes:
    """The page as written: the server adds one <script> just before </body>."""
    end = body.rindex(b"</body>")
    return body[: body.rindex(b"<script>", 0, end)] + body[end:]


def differences(project: Path, base: str, site: Path) -> list[str]:
    """Every file of a full build of ``project`` that the server serves differently."""
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix not in COMPARED or rel.startswith(NOT_COMPARED):
            continue
        status, _, body = fetch(base + rel)
        if path.suffix == ".html" and status == 200:
            body = without_livereload(body)
        if status != 200 or body != path.read_bytes():
            found.append(f"{rel} (served with status {status})")
    return found


def edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def shows(text: str) -> Callable[[int, bytes], bool]:
    return lambda status, body: status == 200 and text.encode() in body


def test_served_pages_equal_built_pages_after_edits(served, tmp_path):
    project, base, process = served
    news = project / "news"

    # Edits that keep the list of files: only the pages that show them are rebuilt.
    edit(news / "2021/workshop-01.md", lambda text: text + "\nA sentence added while serving.\n")
    wait_until(base + "news/2021/workshop-01/", shows("A sentence added while serving."), process, project)
    edit(news / "2021/workshop-05.es.md", lambda text: text.replace("Informe del taller 5", "Crónica del taller 5"))
    wait_until(base + "es/news/2021/workshop-05/", shows("Crónica del taller 5"), process, project)
    edit(news / "2022/workshop-20.md", lambda text: text.replace("<!-- more -->", "A new excerpt line.\n\n<!-- more -->"))
    wait_until(base + "news/", shows("A new excerpt line."), process, project)
    edit(project / "docs/about.md", lambda text: text + "\nThe Centre added a paragraph.\n")
    wait_until(base + "about/", shows("The Centre added a paragraph."), process, project)
    assert differences(project, base, tmp_path / "first") == []

    # Edits that change the files or every page's navigation.
    (news / "2022/new-post.md").write_text(
        "---\ntitle: A post written while serving\ndate: 2022-12-30\nsummary: New.\ncategories: [cedaw]\n---\n\nNew.\n",
        encoding="utf-8")
    wait_until(base + "news/2022/new-post/", shows("A post written while serving"), process, project)
    (news / "2021/workshop-03.md").unlink()  # its Spanish version stays
    wait_until(base + "news/2021/workshop-03/", shows(labels("en")["only_in_language_title"]), process, project)
    (news / "2021/workshop-07.md").unlink()
    (news / "2021/workshop-07.es.md").unlink()
    wait_until(base + "es/news/2021/workshop-07/", lambda status, body: status == 404, process, project)
    edit(project / "docs/about.md", lambda text: text.replace("title: About the Centre", "title: About us", 1))
    wait_until(base, shows("About us"), process, project)
    assert differences(project, base, tmp_path / "second") == []
    assert fetch(base + "news/2021/workshop-07/")[0] == 404
