"""`mkdocs serve` at scale: saving a post -> the new text served. Prints figures; asserts nothing.

For each N (posts per language) it writes the synthetic corpus of ``bench/news_scale.py`` into a
temporary copy of the project, starts ``mkdocs serve`` on loopback (the command of ``make serve``),
waits for the first build, then edits a few posts one after another (a sentence added to the
body; then a new title) and polls the post's address until the new text is served: the latency
is from the moment the file is saved to the first response that carries the new text. The
floor beside it: Python-Markdown with the site's extensions converting the one edited file.

    .venv/bin/python bench/serve_latency.py             # N = 250 1000
    .venv/bin/python bench/serve_latency.py 100         # quicker
    .venv/bin/python bench/serve_latency.py --no-dirty  # plain `mkdocs serve`
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.news_scale import markdown_floor, write_corpus  # noqa: E402
from tests.conftest import BUILD_ENV, copy_project, free_port, stop_process_group  # noqa: E402

POLL_INTERVAL = 0.05  # seconds between two requests while waiting for a condition
EDITS = 4


def fetch_text(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, condition, process: subprocess.Popen, timeout: float) -> float:
    """Poll ``url`` until ``condition(text)``; the monotonic time it first held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit status {process.returncode})")
        text = fetch_text(url)
        if text is not None and condition(text):
            return time.monotonic()
        time.sleep(POLL_INTERVAL)  # polling interval, not a wait for something to happen
    raise SystemExit(f"{url}: condition not met within {timeout:.0f} s")


def edits(files: list[Path]) -> list[tuple[Path, str, str]]:
    """(file, new text, what to look for): body sentences, then a new title, on posts spread
    over the archive (English and Spanish)."""
    chosen = [files[len(files) // 2], files[-1], files[len(files) // 3 | 1], files[0]]
    found = []
    for number, path in enumerate(chosen[:EDITS]):
        text = path.read_text(encoding="utf-8")
        marker = f"Edited sentence number {number} {time.time_ns()}."
        if number == 2:
            new = re.sub(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.M)
        else:
            new = text.rstrip("\n") + f"\n\n{marker}\n"
        found.append((path, new, marker))
    return found


def post_url(base: str, news: Path, path: Path) -> str:
    rel = path.relative_to(news).as_posix()
    prefix = "es/" if rel.endswith(".es.md") else ""
    return f"{base}{prefix}news/{rel.removesuffix('.md').removesuffix('.es')}/"


def measure(count: int, dirty: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        files = write_corpus(project / "news", count)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-livereload"]
        command[-1:] = [] if not dirty else ["--dirty"]
        log_path = Path(tmp) / "serve.log"
        started = time.monotonic()
        with log_path.open("w") as log:
            process = subprocess.Popen(command, cwd=project, stdout=log, stderr=subprocess.STDOUT,
                                       env={**os.environ, **BUILD_ENV}, start_new_session=True)
        try:
            first = wait_for(post_url(base, project / "news", files[0]), lambda text: True, process, 1800)
            latencies = []
            for path, new_text, marker in edits(files):
                floor = markdown_floor([path])
                saved = time.monotonic()
                path.write_text(new_text, encoding="utf-8")
                shown = wait_for(post_url(base, project / "news", path), lambda text: marker in text, process, 600)
                latencies.append(shown - saved)
                print(f"  N={count}: {path.relative_to(project).as_posix()} shown after {shown - saved:.2f} s "
                      f"(floor: one file through Python-Markdown {floor * 1000:.1f} ms)", flush=True)
            print(f"N={count} ({'--dirty' if dirty else 'plain'}): first build {first - started:.1f} s; "
                  f"saving a post -> new text served: median {statistics.median(latencies):.2f} s, "
                  f"max {max(latencies):.2f} s over {len(latencies)} edits", flush=True)
        finally:
            stop_process_group(process, signal.SIGINT, timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[250, 1000])
    parser.add_argument("--no-dirty", action="store_true", help="plain `mkdocs serve`, not `make serve`'s command")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; corpus: N posts per language, ~600 words each, two languages")
    for count in args.counts:
        measure(count, dirty=not args.no_dirty)


if __name__ == "__main__":
    main()
