"""How site search scales with the news archive. Prints figures; asserts nothing.

For each N (posts per language; the synthetic corpus of bench/news_scale.py) it builds the site
in a temporary copy of the project and reports how long Pagefind takes to index it, then, in
Debian's Chromium against the site served on loopback, for three fixed queries in each
language (a common word, a rare word, a two-word query): the bytes the search fetched (sum of
response bodies, cold cache, from the keypress that opens the search) and the time from that
keypress to the first result on screen. Bytes are split into Pagefind's fixed runtime
(pagefind.js, its worker and WebAssembly, the same at any N) and the index data the query
needed. Last, it builds the site once with Material's search plugin switched back on and
compares its single search_index.json (what every reader downloaded on first search) at
--material N posts.

    .venv/bin/python bench/search_scale.py                  # N = 250 500 1000 2000, Material at 1000
    .venv/bin/python bench/search_scale.py 250 1000         # quicker
    .venv/bin/python bench/search_scale.py 250 --material 250
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.news_scale import timed_build, write_corpus  # noqa: E402
from tcsite import search  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SiteHandler, copy_project  # noqa: E402

LANGUAGES = [SimpleNamespace(code="en", url_prefix=""), SimpleNamespace(code="es", url_prefix="es/")]
# (page the reader is on, kind, query): a word in every post, a word on a few pages, two words.
QUERIES = [
    ("about/", "common", "women"),
    ("about/", "rare", "unanimously"),
    ("about/", "two words", "human rights"),
    ("es/about/", "common", "mujeres"),
    ("es/about/", "rare", "unanimidad"),
    ("es/about/", "two words", "derechos humanos"),
]
RUNTIME = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.")

_FIRST_RESULT = """() => {
  window.__tcStart = performance.now();
  const list = document.querySelector("#tc-search-results");
  new MutationObserver((_, observer) => {
    if (list.querySelector("li")) { window.__tcFirst = performance.now(); observer.disconnect(); }
  }).observe(list, {childList: true});
}"""


@contextlib.contextmanager
def served(site: Path):
    handler = functools.partial(SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def index_seconds(site: Path, repeat: int = 2) -> float:
    """Pagefind alone on the built site (the build ran it once already), best of ``repeat``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        search.index_site(site, LANGUAGES)
        times.append(time.perf_counter() - start)
    return min(times)


def runtime_gzip(site: Path, lang: str = "en") -> int:
    """What one reader's first search costs in Pagefind's runtime when a CDN compresses text:
    pagefind.js, its worker and entry file gzipped, plus one language's WebAssembly (gzip already)."""
    bundle = site / "pagefind"
    texts = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
    return (sum(len(gzip.compress((bundle / name).read_bytes(), 6)) for name in texts)
            + (bundle / f"wasm.{lang}.pagefind").stat().st_size)


def bundle_size(site: Path) -> tuple[int, int]:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure_queries(site: Path, browser) -> list[dict]:
    rows = []
    with served(site) as base:
        for path, kind, query in QUERIES:
            context = browser.new_context(viewport={"width": 390, "height": 800})  # a phone
            page = context.new_page()
            page.goto(base + path, wait_until="networkidle")
            requests = []
            context.on("requestfinished", lambda request: requests.append(request))
            page.evaluate(_FIRST_RESULT)  # the clock starts, and stops at the first result
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_function("window.__tcFirst !== undefined", timeout=60000)
            page.wait_for_function(
                "/\\d|^No /.test(document.querySelector('[data-search-status]').textContent.trim())")
            page.wait_for_load_state("networkidle")
            first_ms = page.evaluate("window.__tcFirst - window.__tcStart")
            runtime = runtime_gz = index = 0
            for request in requests:
                url = request.url
                if "/pagefind/" not in url:
                    continue
                file = site / url.split(base, 1)[1].split("?", 1)[0]
                size = request.sizes()["responseBodySize"]
                if size <= 0:  # fall back on the file served (the loopback server sends it raw)
                    size = file.stat().st_size
                name = file.name
                if name.startswith(RUNTIME):
                    runtime += size
                    # A CDN compresses the JavaScript and JSON; the .pagefind WebAssembly is gzip already.
                    runtime_gz += size if name.endswith(".pagefind") else len(gzip.compress(file.read_bytes(), 6))
                else:
                    index += size
            status = page.inner_text("[data-search-status]")
            rows.append({"lang": "es" if path.startswith("es/") else "en", "kind": kind, "query": query,
                         "runtime": runtime, "runtime_gz": runtime_gz, "index": index,
                         "first_ms": first_ms, "status": status})
            context.close()
    return rows


def material_index(count: int) -> tuple[int, int, float]:
    """Size (raw, gzip) of Material's search_index.json for ``count`` posts, and build seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        write_corpus(project / "news", count)
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        text = text.replace("plugins:\n  - i18n:\n", "plugins:\n  - search:\n      lang: [en, es]\n  - i18n:\n", 1)
        text = text.replace("      reconfigure_material: true\n",
                            "      reconfigure_material: true\n      reconfigure_search: true\n", 1)
        config.write_text(text, encoding="utf-8")
        site = Path(tmp) / "site"
        seconds, _ = timed_build(project, site)
        data = (site / "search" / "search_index.json").read_bytes()
        return len(data), len(gzip.compress(data, 6)), seconds


def kib(n: float) -> str:
    return f"{n / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[250, 500, 1000, 2000])
    parser.add_argument("--material", type=int, default=1000, help="N for Material's index (0: skip)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} cores; corpus: N posts per language, ~600 words each, two languages")
    print("bytes: response bodies as served on loopback (no HTTP compression; Pagefind's index files "
          "are gzip already); cold cache per query; 390 px wide window\n")
    results: dict[int, list[dict]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(" | ".join(("N", "build s", "index s", "pages", "bundle files", "bundle KiB", "runtime KiB gzip")))
        for count in args.counts:
            with tempfile.TemporaryDirectory() as tmp:
                project = copy_project(Path(tmp) / "project")
                write_corpus(project / "news", count)
                site = Path(tmp) / "site"
                build, _ = timed_build(project, site)
                seconds = index_seconds(site)
                pages = sum(search.indexed_languages(site).values())
                files, size = bundle_size(site)
                print(" | ".join((str(count), f"{build:.1f}", f"{seconds:.2f}", str(pages), str(files), kib(size),
                                  kib(runtime_gzip(site)))), flush=True)
                results[count] = measure_queries(site, browser)
        browser.close()

    print("\nper query (KiB fetched: Pagefind runtime + index data; total as served here and as a CDN "
          "compressing text would send it; ms from the key that opens the search to the first result)")
    print(" | ".join(("N", "lang", "kind", "query", "runtime KiB", "index KiB", "total KiB", "total KiB (CDN gzip)",
                      "first result ms", "status")))
    for count, rows in results.items():
        for r in rows:
            print(" | ".join((str(count), r["lang"], r["kind"], r["query"], kib(r["runtime"]), kib(r["index"]),
                              kib(r["runtime"] + r["index"]), kib(r["runtime_gz"] + r["index"]),
                              f"{r['first_ms']:.0f}", r["status"])))

    counts = list(results)
    if len(counts) > 1:
        low, high = counts[0], counts[-1]
        print(f"\ngrowth {low} -> {high} posts (total bytes per query, ratio):")
        for a, b in zip(results[low], results[high]):
            ratio = (b["runtime"] + b["index"]) / (a["runtime"] + a["index"])
            index_ratio = b["index"] / a["index"] if a["index"] else float("nan")
            print(f"  {a['lang']} {a['kind']:<9} {a['query']!r:<20} total ×{ratio:.2f}  index data ×{index_ratio:.2f}")

    if args.material:
        raw, packed, seconds = material_index(args.material)
        print(f"\nMaterial's search plugin at {args.material} posts: search_index.json {kib(raw)} KiB "
              f"({kib(packed)} KiB gzip), fetched whole on first search (build {seconds:.1f} s)")
        if args.material in results:
            rows = results[args.material]
            for label, totals, theirs, their_label in (
                ("as served here", [r["runtime"] + r["index"] for r in rows], raw, "raw"),
                ("with CDN gzip", [r["runtime_gz"] + r["index"] for r in rows], packed, "gzipped"),
            ):
                worst, typical = max(totals), statistics.median(totals)
                print(f"Pagefind at {args.material} posts, {label}: per query median {kib(typical)} KiB, "
                      f"worst {kib(worst)} KiB (runtime included) -> {theirs / worst:.1f}x fewer bytes than "
                      f"Material's index {their_label} (worst query), {theirs / typical:.1f}x (median)")


if __name__ == "__main__":
    main()
