"""Lighthouse (mobile, performance) on every page type, both languages. Prints figures; asserts nothing.

Serves a built site on loopback as the CDN does (text gzip-compressed, fingerprinted assets
``immutable``, everything else revalidated: tcsite/cdn.py) and runs Lighthouse's mobile audit
with Debian's Chromium, offline: the score and the metrics it is made of, per page.

Lighthouse is pinned in package.json (12.2.3: the last that installs with Node 20):
``npm ci`` puts it in node_modules/.bin; ``LIGHTHOUSE=/path/to/lighthouse`` uses another copy.

    .venv/bin/python bench/lighthouse.py                 # build, then measure
    .venv/bin/python bench/lighthouse.py --site site     # an existing build
    .venv/bin/python bench/lighthouse.py --page es/about/
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.page_weight import GzipSiteHandler  # noqa: E402
from tcsite.cdn import FINGERPRINTED, IMMUTABLE, REVALIDATE  # noqa: E402
from tests.conftest import CHROMIUM, build_site  # noqa: E402

PAGE_TYPES = [
    ("home", ""), ("content page", "about/"), ("news index", "news/"), ("post", "news/2020/beijing-25/"),
    ("archive", "news/archive/2020/"), ("category", "news/category/cedaw/"), ("course catalogue", "courses/"),
    ("course", "courses/i-know-gender/"), ("404", "404.html"),
]
METRICS = {"cumulative-layout-shift": "CLS", "largest-contentful-paint": "LCP", "first-contentful-paint": "FCP",
           "total-blocking-time": "TBT", "speed-index": "SI"}


class CdnLikeHandler(GzipSiteHandler):
    """gzip, and the CDN's cache policy: fingerprinted assets immutable, the rest revalidated."""

    def end_headers(self):
        immutable = FINGERPRINTED.search(self.path.split("?")[0])
        self.send_header("Cache-Control", IMMUTABLE if immutable else REVALIDATE)
        super().end_headers()


def lighthouse_binary() -> str | None:
    found = os.environ.get("LIGHTHOUSE") or str(ROOT / "node_modules" / ".bin" / "lighthouse")
    return found if Path(found).exists() else None


def audit(binary: str, url: str, workdir: Path) -> dict:
    report = workdir / "report.json"
    subprocess.run(
        [binary, url, "--only-categories=performance", "--form-factor=mobile", "--output=json",
         f"--output-path={report}", "--quiet", "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True, timeout=300,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--page", action="append", help="a page path (default: every page type, both languages)")
    args = parser.parse_args()
    binary = lighthouse_binary()
    if binary is None:
        raise SystemExit("Lighthouse is not installed: run `npm ci` (package.json pins it).")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            result = build_site(ROOT, site)
            if result.returncode:
                raise SystemExit(result.stderr)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CdnLikeHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pages = [(path, path) for path in args.page] if args.page else [
            (f"{label} ({lang})", prefix + path) for label, path in PAGE_TYPES for lang, prefix in (("en", ""), ("es", "es/"))]
        print(f"Lighthouse {subprocess.run([binary, '--version'], capture_output=True, text=True).stdout.strip()}, "
              f"mobile, performance; Chromium {CHROMIUM}; served on loopback with gzip and the CDN's cache policy")
        print(f"{'page':32} {'score':>5}  " + "  ".join(f"{name:>8}" for name in METRICS.values()))
        for label, path in pages:
            data = audit(binary, base + path, Path(tmp))
            score = data["categories"]["performance"]["score"]
            values = [data["audits"][key]["displayValue"] for key in METRICS]
            print(f"{label:32} {round(score * 100):>5}  " + "  ".join(f"{value:>8}" for value in values), flush=True)
        server.shutdown()


if __name__ == "__main__":
    main()
