"""The build's last line of defence (tcsite.html_rules.PageGuard): what it costs per page.

Prints figures; asserts nothing. Takes a built site (or builds one), then times, over every
page the build guards (all .html but /admin/), the guard's rules and, as the floor they are
compared with, html.parser reading the same page and doing nothing.

    .venv/bin/python bench/page_guard.py                # build, then measure
    .venv/bin/python bench/page_guard.py --site site    # measure an existing build
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tcsite.html_rules import PageGuard, inline_script_hashes  # noqa: E402
from tests.conftest import build_site  # noqa: E402


def best_of(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="page-guard-")) / "site"
        result = build_site(ROOT, site)
        if result.returncode:
            sys.exit(result.stdout + result.stderr)
    paths = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != "admin"]
    pages = [(p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")) for p in paths]
    # The theme's inline scripts, as the build knows them, are the ones its pages carry.
    theme = set(inline_script_hashes((site / "index.html").read_text(encoding="utf-8")))
    shipped = {p.relative_to(site).as_posix() for p in site.rglob("*.js")}
    guard = PageGuard(shipped, lambda base_url: theme)

    def guard_all():
        for url, html in pages:
            assert guard.problems(html, url, url, "") == [], url

    def parse_all():
        for _, html in pages:
            reader = HTMLParser()
            reader.feed(html)
            reader.close()

    n, size = len(pages), sum(len(html) for _, html in pages) / len(pages)
    guarded, parsed = best_of(args.runs, guard_all), best_of(args.runs, parse_all)
    print(f"machine: {os.cpu_count()} cores; {n} pages, {size / 1024:.0f} KB each on average; best of {args.runs}")
    print(f"PageGuard.problems     {guarded * 1000:7.1f} ms   {guarded / n * 1000:5.2f} ms/page")
    print(f"html.parser, nothing   {parsed * 1000:7.1f} ms   {parsed / n * 1000:5.2f} ms/page  (floor)")


if __name__ == "__main__":
    main()
