"""Page weight: what a first visit downloads. Prints figures; asserts nothing.

Builds the site (or takes a built one), serves it on loopback the way a CDN would (text
compressed with gzip when the browser accepts it), loads a few pages in Chromium with an empty
cache and prints, for each, the number of requests and the bytes transferred (compressed, as
they crossed the wire, headers included) and uncompressed (the bodies as the browser used them).

    .venv/bin/python bench/page_weight.py                 # build, then measure
    .venv/bin/python bench/page_weight.py --site site     # measure an existing build
    .venv/bin/python bench/page_weight.py --detail        # also list every request
    .venv/bin/python bench/page_weight.py --page es/ --page courses/
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import mimetypes
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "quality"))
from tests.conftest import SiteHandler, build_site  # noqa: E402

import quality_gates as gates  # noqa: E402  (Debian's Chromium, launched as the tests do)

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/rss+xml", "application/atom+xml", "image/svg+xml",
                "application/manifest+json", "application/wasm")


class GzipSiteHandler(SiteHandler):
    """The test server (language-aware 404 pages) plus gzip for text, as the CDN serves it."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404)
            return None
        body = Path(path).read_bytes()
        ctype = self.guess_type(path)
        headers = {"Content-Type": ctype, "Vary": "Accept-Encoding"}
        accepts = self.headers.get("Accept-Encoding", "")
        if "gzip" in accepts and ctype.startswith(COMPRESSIBLE):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        return io.BytesIO(body)


@dataclass
class Weight:
    label: str
    path: str
    requests: int = 0
    transferred: int = 0      # encoded bodies + response headers
    uncompressed: int = 0     # decoded bodies
    blocked: list[str] = field(default_factory=list)
    rows: list[tuple[str, str, int, int]] = field(default_factory=list)


def measure(browser, base_url: str, label: str, path: str) -> Weight:
    """A first visit with an empty cache: load, scroll, wait until the network is quiet."""
    weight = Weight(label, path)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))

    def block(route):
        weight.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not url.startswith((base_url, "data:", "blob:")), block)
    page = context.new_page()
    page.goto(base_url + path, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    for request in finished:
        if request.url.startswith("data:"):
            continue
        sizes = request.sizes()
        wire = max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
        response = request.response()
        try:
            body = len(response.body()) if response else 0
        except Exception:  # a redirect or a body the browser did not keep
            body = 0
        weight.requests += 1
        weight.transferred += wire
        weight.uncompressed += body
        weight.rows.append((request.resource_type, unquote(request.url[len(base_url) - 1:]), wire, body))
    context.close()
    return weight


def default_pages(site: Path) -> list[tuple[str, str]]:
    pages = [("home", ""), ("content page", "about/")]
    posts = sorted(p.parent for p in site.glob("news/[0-9][0-9][0-9][0-9]/*/index.html"))
    if posts:
        pages.append(("news post", posts[-1].relative_to(site).as_posix() + "/"))
    return pages


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--page", action="append", default=[],
                        help="a URL path to measure instead of the defaults, e.g. es/ (repeatable)")
    parser.add_argument("--detail", action="store_true", help="list every request")
    args = parser.parse_args(argv)
    mimetypes.add_type("text/javascript", ".js")
    mimetypes.add_type("application/json", ".json")

    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            result = build_site(ROOT, site)
            if result.returncode != 0:
                print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
                return 1
        site = site.resolve()
        pages = [(p, p) for p in args.page] or default_pages(site)

        handler = functools.partial(GzipSiteHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}/"
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = gates.launch_chromium(playwright)
                weights = [measure(browser, base_url, label, path) for label, path in pages]
                browser.close()
        finally:
            server.shutdown()
            server.server_close()

    print("First visit, empty cache; text gzip-compressed (level 6) as the CDN serves it.\n")
    header = f"{'page':<44} {'requests':>8} {'transferred':>13} {'uncompressed':>13}"
    print(header)
    print("-" * len(header))
    for w in weights:
        name = f"{w.label} (/{w.path})" if w.label != w.path else f"/{w.path}"
        print(f"{name:<44} {w.requests:>8} {kb(w.transferred):>13} {kb(w.uncompressed):>13}")
    for w in weights:
        if w.blocked:
            print(f"\n/{w.path}: {len(w.blocked)} request(s) to other hosts, blocked, not counted:")
            for url in w.blocked:
                print(f"    {url}")
        if args.detail:
            print(f"\n/{w.path}")
            for kind, url, wire, body in sorted(w.rows, key=lambda r: -r[2]):
                print(f"    {kind:<11} {kb(wire):>11} {kb(body):>11}  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
