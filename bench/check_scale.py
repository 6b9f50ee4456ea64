"""How ``python -m tcsite check`` scales with the length of one file. Prints figures; asserts nothing.

For each N it writes one news post of N lines into a temporary copy of the project and times
``check`` of that post, in process, as an editor's ``python -m tcsite check news/2021/x.md`` runs
it (the whole project is read; only the post's problems are printed). The post is realistic
Markdown in short lines (headings, paragraphs with emphasis and inline code, lists, links to
pages, quotes, comments, fenced code), so that 100,000 lines stay under the 1 MiB a file may have.

Two variants of the same post: its links lead to other pages only, or some lead to its own
headings too (``[two](#s12)``), which makes ``check`` convert the whole post with the site's
Markdown to learn its heading ids. Beside them, the floor: that conversion alone (Python-Markdown
with the extensions of mkdocs.yml). The first line is the project without the long post; the last
times the refusal of a 50 MB file. Best and median of 3 runs; the machine's load varies.

    .venv/bin/python bench/check_scale.py                # N = 10000 50000 100000
    .venv/bin/python bench/check_scale.py 2000 4000      # quicker
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tcsite.check import check  # noqa: E402
from tcsite.content import MAX_FILE_BYTES, split_front_matter  # noqa: E402
from tcsite.project import Project  # noqa: E402
from tests.conftest import copy_project  # noqa: E402

FRONT = "---\ntitle: A long post\ndate: 2021-03-08\nsummary: Many short lines.\ncategories: [cedaw]\n---\n"
FRONT_LINES = FRONT.count("\n")
RUNS = 3


def block(n: int, anchors: bool) -> list[str]:
    """Sixteen short lines of the Markdown editors write; ``n`` numbers the block's heading."""
    return [
        f"## S{n}", "",
        "A *b* `c` d.", "",
        "- one", f"- [two](#s{n})" if anchors else "- two", "- [3](../../about.md)", "",
        "> quote", "",
        "<!-- c -->", "Line `e` f",
        "```", "x = 1", "```", "",
    ]


def post_text(lines: int, anchors: bool) -> str:
    body: list[str] = []
    n = 0
    while len(body) < lines - FRONT_LINES:
        body.extend(block(n, anchors))
        n += 1
    return FRONT + "\n".join(body[: lines - FRONT_LINES]) + "\n"


def best_and_median(run) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def timed_check(project: Path, path: Path) -> tuple[float, float, int]:
    """A fresh Project each time: nothing is cached between runs."""
    best, median, problems = best_and_median(lambda: check(Project.load(project), [path]))
    return best, median, len(problems)


def markdown_floor(project: Path, text: str) -> tuple[float, float]:
    names, configs = Project.load(project).markdown_extensions()
    _, body, _ = split_front_matter(text)
    best, median, _ = best_and_median(
        lambda: markdown.Markdown(extensions=names, extension_configs=configs).convert(body))
    return best, median


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        project = copy_project(Path(temp) / "project")
        post = project / "news" / "2021" / "long-post.md"
        post.parent.mkdir(parents=True, exist_ok=True)
        print(f"check of one news post of N lines, in a copy of the project; seconds, best/median of {RUNS}")
        print(f"{'N lines':>9} {'bytes':>9}  {'links to pages':>15}  {'+ own headings':>15}  {'Markdown floor':>15}  problems")
        best, median, count = timed_check(project, project / "news")
        print(f"{'(none)':>9} {'':>9}  {best:6.2f} / {median:6.2f}  {'':>15}  {'':>15}  {count}   the project alone")
        for lines in sizes:
            figures = []
            for anchors in (False, True):
                text = post_text(lines, anchors)
                post.write_text(text, encoding="utf-8")
                figures.append(timed_check(project, post))
            floor = markdown_floor(project, text)
            size = len(text.encode("utf-8"))
            over = "  (over the limit!)" if size > MAX_FILE_BYTES else ""
            (b1, m1, c1), (b2, m2, c2) = figures
            print(f"{lines:9d} {size:9d}  {b1:6.2f} / {m1:6.2f}  {b2:6.2f} / {m2:6.2f}  "
                  f"{floor[0]:6.2f} / {floor[1]:6.2f}  {c1}, {c2}{over}", flush=True)
        with post.open("w", encoding="utf-8") as handle:
            handle.write(FRONT)
            chunk = "A line of text that goes on and on, like a pasted report.\n" * 1000
            while handle.tell() < 50 * 1024 * 1024:
                handle.write(chunk)
        best, median, count = timed_check(project, post)
        print(f"{'50 MB':>9} {post.stat().st_size:9d}  {best:6.2f} / {median:6.2f}  {'':>15}  {'':>15}  {count}   refused")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 50_000, 100_000])
