"""The picture pipeline: what it costs the build, what it saves a phone. Prints figures; asserts nothing.

1. Time per picture (tcsite/pictures.py, without MkDocs), for camera-like 4000 × 2667 JPEGs of
   about 3 MB (tests/camera.py): cold (empty cache: decode, resize, encode AVIF and JPEG) and
   warm (cache filled: read the header, hash the file, copy the variants), as a lead picture
   (13 files: 8 widths, 4 card thumbnails, 1 share card) and as a body picture (8 files).
2. The build of the site with one more post holding two such pictures, cold and warm, beside
   the same build without pictures (the reference).
3. The bytes of pictures a browser downloads for that post, scrolled to the end, before (the
   uploads published as they were, in ``<img src>``, as the site did until now) and after
   (``<picture>`` with AVIF and JPEG variants), on a phone (390 × 844 CSS px, 3 device pixels
   per CSS px), a laptop (1280 × 800, 1) and a wide screen (1920 × 1080, 2).

    .venv/bin/python bench/pictures.py [--pictures 4]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "quality"))
from tcsite import pictures  # noqa: E402
from tests.camera import camera_jpeg  # noqa: E402
from tests.conftest import SiteHandler, build_site, copy_project  # noqa: E402

import quality_gates as gates  # noqa: E402  (Debian's Chromium, launched as the tests do)

POST = "news/2025/campus-opens/"
DEVICES = {
    "phone 390x844 @3x": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
                          "is_mobile": True, "has_touch": True},
    "laptop 1280x800 @1x": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    "wide 1920x1080 @2x": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 2},
}


def per_picture(uploads: list[Path], cache: Path, lead: bool) -> tuple[float, float, int]:
    """Seconds per picture (wall clock, and CPU of every thread) for planning and publishing
    every variant, and the number of files published per picture."""
    pipeline = pictures.PicturePipeline(cache)
    site = cache.parent / f"site-{time.monotonic_ns()}"
    started, cpu = time.perf_counter(), time.process_time()
    for path in uploads:
        pipeline.content(path, "alt", lead=lead)
        if lead:
            pipeline.card(path)
            pipeline.share_card(path)
    pipeline.publish(site)
    seconds = (time.perf_counter() - started) / len(uploads)
    cpu = (time.process_time() - cpu) / len(uploads)
    files = len(list((site / pictures.PUBLISHED_DIR).iterdir())) // len(uploads)
    shutil.rmtree(site)
    return seconds, cpu, files


def timed_build(project: Path, site: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the build's process and its children: Pagefind) of a build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = build_site(project, site)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def post_with_two_pictures(project: Path) -> tuple[Path, Path]:
    posts = project / "news" / "2025"
    lead = camera_jpeg(posts / "campus.jpg", seed=3)
    body = camera_jpeg(posts / "library.jpg", seed=4)
    text = ("---\ntitle: The new campus opens\ndate: 2025-11-20\nsummary: The new campus opens.\n"
            "categories: [partnerships]\nimage: campus.jpg\nimage_alt: Learners outside the new campus\n---\n\n"
            "The Centre opened its new campus.\n\n![Learners reading in the new library](library.jpg)\n")
    (posts / "campus-opens.md").write_text(text, encoding="utf-8")
    return lead, body


def picture_bytes(browser, url: str, device: dict) -> int:
    """Bytes of pictures a first visit downloads, scrolled to the end."""
    context = gates.new_context(browser, **device)
    got: list[int] = []
    content = ("/assets/pictures/", "/before/")  # not the theme's logo or favicon
    context.on("requestfinished", lambda r: got.append(max(r.sizes()["responseBodySize"], 0))
               if r.resource_type == "image" and any(part in r.url for part in content) else None)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => Array.from(document.querySelectorAll('article img')).every(i => i.complete)")
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(got)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=4, help="camera pictures timed (default 4)")
    args = parser.parse_args(argv)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} core(s), Python {platform.python_version()}; "
          f"AVIF {pictures.AVIF}, JPEG quality {pictures.JPEG['quality']}\n")
    with tempfile.TemporaryDirectory(prefix="bench-pictures-") as tmp:
        tmp = Path(tmp)
        uploads = [camera_jpeg(tmp / "uploads" / f"photo-{n}.jpg", seed=n) for n in range(args.pictures)]
        size = sum(p.stat().st_size for p in uploads) / len(uploads)
        print(f"1. Pipeline, {len(uploads)} camera JPEGs 4000 x 2667, {size / 1e6:.1f} MB each "
              "(seconds per picture: wall clock / CPU)")
        for lead in (True, False):
            cache = tmp / f"cache-{lead}"
            cold, cold_cpu, files = per_picture(uploads, cache, lead)
            warm, warm_cpu, _ = per_picture(uploads, cache, lead)
            kind = "lead picture" if lead else "body picture"
            print(f"   {kind:<13} {files:>2} files   cold {cold:5.2f} / {cold_cpu:5.2f} s   "
                  f"warm {warm:5.3f} / {warm_cpu:5.3f} s")

        reference = copy_project(tmp / "reference")
        project = copy_project(tmp / "project")
        lead, body = post_with_two_pictures(project)
        print("\n2. Build of the site (mkdocs build --strict, both languages; wall clock / CPU)")
        rows = {"without pictures (reference)": reference, "plus a post with two pictures": project}
        for label, folder in rows.items():
            cold = timed_build(folder, tmp / f"{folder.name}-cold")
            warm = timed_build(folder, tmp / ("site" if folder is project else f"{folder.name}-warm"))
            print(f"   {label:<32} cold {cold[0]:5.1f} / {cold[1]:5.1f} s   warm {warm[0]:5.1f} / {warm[1]:5.1f} s")

        site = tmp / "site"
        before = site / "before"
        before.mkdir()
        for path in (lead, body):
            shutil.copyfile(path, before / path.name)
        (before / "index.html").write_text(
            '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width,initial-scale=1">'
            '<title>Before</title><article><h1>The new campus opens</h1>'
            f'<img src="{lead.name}" alt="Learners outside the new campus"><p>The Centre opened its new campus.</p>'
            f'<p><img src="{body.name}" alt="Learners reading in the new library"></p></article></html>',
            encoding="utf-8")
        handler = functools.partial(SiteHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        from playwright.sync_api import sync_playwright

        print("\n3. Picture bytes downloaded for the post, scrolled to the end (empty cache)")
        print(f"   {'device':<22} {'before':>10} {'after':>10} {'saved':>7}")
        try:
            with sync_playwright() as playwright:
                browser = gates.launch_chromium(playwright)
                for name, device in DEVICES.items():
                    old = picture_bytes(browser, base + "before/", device)
                    new = picture_bytes(browser, base + POST, device)
                    print(f"   {name:<22} {old / 1e3:>7,.0f} kB {new / 1e3:>7,.0f} kB {1 - new / old:>7.1%}")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
