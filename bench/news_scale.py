"""How the bilingual build scales with the news archive. Prints figures; asserts nothing.

For each N (posts per language) it writes a deterministic synthetic corpus into a temporary
copy of the project, builds the whole site and reports wall time, peak memory, pages per
second, the growth ratio between N and 2N, the size of one post page and of the search index,
beside the floor: plain Python-Markdown conversion of the same files with the same extensions.

    .venv/bin/python bench/news_scale.py            # N = 250 500 1000 2000
    .venv/bin/python bench/news_scale.py 100 200    # quicker
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import BUILD_ENV, copy_project  # noqa: E402

WORDS = (
    "gender equality training women rights empowerment campus course learning programme "
    "capacity policy participation leadership institutions norms partners evaluation "
    "igualdad formación mujeres derechos empoderamiento aprendizaje liderazgo"
).split()
CATEGORIES = ["annual-report", "partnerships", "cedaw", "beijing", "normative-frameworks", "courses"]


def paragraph(rng: random.Random, words: int = 70) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def post_body(rng: random.Random, n: int) -> str:
    """About 600 words with the Markdown editors use: headings, lists, a table, links."""
    return "\n\n".join([
        paragraph(rng), "<!-- more -->", paragraph(rng),
        "## Context", paragraph(rng), paragraph(rng),
        "- " + "\n- ".join(paragraph(rng, 12) for _ in range(4)),
        "## Figures",
        "| Year | Participants | Courses |\n|---|---|---|\n"
        + "\n".join(f"| {2014 + i} | {1000 * (i + 1) + n} | {10 + i} |" for i in range(5)),
        "See the [CEDAW page](../../instruments/cedaw.md) and the [about page](../../about.md).",
        paragraph(rng), paragraph(rng), paragraph(rng), paragraph(rng),
    ])


def write_corpus(news: Path, count: int) -> list[Path]:
    shutil.rmtree(news, ignore_errors=True)
    rng = random.Random(count)
    files = []
    for n in range(count):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=n * 2)
        folder = news / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        categories = rng.sample(CATEGORIES, 2)
        body = post_body(rng, n)
        for suffix, title in ((".md", f"Synthetic post {n}"), (".es.md", f"Noticia sintética {n}")):
            front = yaml.safe_dump({"title": title, "date": day, "summary": f"{title}: summary.",
                                    "categories": categories}, allow_unicode=True)
            path = folder / f"post-{n:05d}{suffix}"
            path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
            files.append(path)
    return files


def edit_one_post(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")


def markdown_floor(files: list[Path]) -> float:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#"))
    extensions, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        extensions.append(name)
        configs[name] = options or {}
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    start = time.perf_counter()
    for path in files:
        md.reset().convert(path.read_text(encoding="utf-8").split("\n---\n", 1)[1])
    return time.perf_counter() - start


def timed_build(project: Path, site: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory (MiB) and CPU seconds (every process of the build:
    the guard's worker, Pagefind) of one `mkdocs build`."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        env={**os.environ, **BUILD_ENV}, cwd=project,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed for {project}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def size_of(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.0f} KiB" if path.exists() else "-"


def search_index_sizes(site: Path) -> str:
    pagefind = sorted(site.glob("pagefind/pagefind.*.pf_meta"))
    if pagefind:
        return "pagefind " + " + ".join(size_of(p) for p in pagefind)
    return "search_index.json " + size_of(site / "search" / "search_index.json")


def main(counts: list[int]) -> None:
    print(f"machine: {os.cpu_count()} cores; corpus: N posts per language, ~600 words each, two languages")
    print("floor: Python-Markdown with the site's extensions over the same 2N files, in the same run; "
          "CPU: user + system seconds of every process of the build")
    header = ("N", "cold s", "warm s", "floor s", "warm/floor", "cold/warm", "warm CPU s", "warm CPU/floor",
              "peak MiB", "pages/s", "2N/N (warm)", "post page", "search index")
    print(" | ".join(header))
    previous: dict[int, float] = {}
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp) / "project")
            files = write_corpus(project / "news", count)
            floor = markdown_floor(files)
            # Each build writes a new site folder, as CI does (emptying one costs seconds on some disks).
            cold, _, _ = timed_build(project, Path(tmp) / "cold")  # share cards drawn, nothing cached
            edit_one_post(files[0])
            site = Path(tmp) / "site"
            seconds, peak, cpu = timed_build(project, site)  # warm: cards cached, one post edited
            pages = sum(1 for _ in site.rglob("*.html"))
            growth = f"{seconds / previous[count // 2]:.2f}" if count // 2 in previous else "-"
            previous[count] = seconds
            post = site / "news" / "2015" / "post-00000" / "index.html"
            print(" | ".join([str(count), f"{cold:.1f}", f"{seconds:.1f}", f"{floor:.1f}", f"{seconds / floor:.2f}",
                              f"{cold / seconds:.2f}", f"{cpu:.1f}", f"{cpu / floor:.2f}",
                              f"{peak:.0f}", f"{pages / seconds:.0f}", growth, size_of(post),
                              search_index_sizes(site)]), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [250, 500, 1000, 2000])
