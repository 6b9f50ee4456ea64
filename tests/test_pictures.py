"""Pictures (tcsite/pictures.py) and scheduled posts, end to end on one built copy of the site.

The copy gets what an editor uploads: a post with a camera's 4000 × 2667 JPEG as its ``image:``
and another, stored sideways, in its body (tests/camera.py: EXIF GPS, serial number, XMP); a
page with a PNG diagram with transparency; a course whose picture has a colour profile that
swaps red and blue. And three posts dated the day before, the day of and the day after the
build date (2026-01-01, ``SOURCE_DATE_EPOCH`` in tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tcsite import pictures
from tcsite.check import check
from tcsite.project import Project
from tests.camera import IDENTIFYING, camera_jpeg, swapped_primaries_profile
from tests.conftest import BUILD_ENV, ROOT, SiteHandler, build_site, copy_project, fetch, free_port

sys.path.insert(0, str(ROOT / "tests" / "quality"))
import quality_gates as gates  # noqa: E402  (the site's quality gates, as plain functions)

POST = "news/2025/campus-opens/"
POST_ES = "es/news/2025/campus-opens/"
LEAD_ALT = "Learners outside the new campus building in Santo Domingo"
BODY_ALT = "Learners reading in the new library"
DIAGRAM_ALT = "Diagram of the three steps of a course"
COURSE_ALT = "A trainer and learners around a table"
SCHEDULED = {"yesterday": dt.date(2025, 12, 31), "today": dt.date(2026, 1, 1), "tomorrow": dt.date(2026, 1, 2)}


def front(**fields) -> str:
    lines = [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def add_fields(path: Path, **fields) -> None:
    text = path.read_text(encoding="utf-8")
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    path.write_text(text.replace("---\n", "---\n" + extra, 1), encoding="utf-8")


def write_pictures_project(project: Path) -> dict[str, Path]:
    """The uploads and the files that show them; returns the uploads by name."""
    posts = project / "news" / "2025"
    uploads = {
        "campus": camera_jpeg(posts / "campus.jpg"),
        "library": camera_jpeg(posts / "library.jpg", orientation=6, marker=True, seed=1),
        "classroom": camera_jpeg(project / "docs/assets/images/courses/classroom.jpg", (1600, 1067),
                                 icc_profile=swapped_primaries_profile(), marker=True, seed=2),
    }
    diagram = Image.new("RGBA", (800, 500), (0, 0, 0, 0))
    diagram.paste((0, 90, 140, 255), (100, 100, 700, 400))
    uploads["diagram"] = project / "docs/assets/images/diagram.png"
    diagram.save(uploads["diagram"])
    body = ("The Centre opened its new campus.\n\n<!-- more -->\n\n"
            f"![{BODY_ALT}](library.jpg)\n\n[See the library at full size](library.jpg)\n")
    for name, title, alt, credit in (("campus-opens.md", "The new campus opens", LEAD_ALT, "UN Women/Example"),
                                     ("campus-opens.es.md", "Abre el nuevo campus", "Estudiantes frente al nuevo campus",
                                      "ONU Mujeres/Ejemplo")):
        (posts / name).write_text(
            front(title=title, date="2025-11-20", summary=f"{title}.", categories="[partnerships]",
                  image="campus.jpg", image_alt=alt, image_credit=credit) + "\n" + body, encoding="utf-8")
    for name in ("about.md", "about.es.md"):
        page = project / "docs" / name
        page.write_text(page.read_text(encoding="utf-8") + f"\n![{DIAGRAM_ALT}](assets/images/diagram.png)\n",
                        encoding="utf-8")
    for name in ("i-know-gender.md", "i-know-gender.es.md"):
        add_fields(project / "docs/courses" / name, image="assets/images/courses/classroom.jpg",
                   image_alt=f'"{COURSE_ALT}"')
    course = project / "docs/courses/i-know-gender.md"
    course.write_text(course.read_text(encoding="utf-8") + "\n![A small diagram](../assets/images/diagram.png)"
                      '{ width="300" title="The three steps" .tc-example }\n', encoding="utf-8")
    for key, day in SCHEDULED.items():
        folder = project / "news" / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, title in (("", f"Scheduled {key} unique title"), (".es", f"Programada {key} título único")):
            (folder / f"{key}{suffix}.md").write_text(
                front(title=title, date=day.isoformat(), summary=f"{title}.", categories="[cedaw]")
                + "\nThe text.\n", encoding="utf-8")
    return uploads


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("pictures") / "project")
    return project


@pytest.fixture(scope="module")
def uploads(project) -> dict[str, Path]:
    return write_pictures_project(project)


@pytest.fixture(scope="module")
def built(project, uploads, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    site = tmp_path_factory.mktemp("pictures-site")
    result = build_site(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site, result


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0]


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def srcset(element) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in
            (candidate.split() for candidate in element["srcset"].split(", "))]


def variant_file(site: Path, page: str, url: str) -> Path:
    return site / urljoin("/" + page, url).lstrip("/")


def pictures_of(site: Path, page: str) -> list:
    return soup(site, page).select("article picture")


# --- the pipeline's output ------------------------------------------------------------------


def test_the_lead_picture_is_eager_and_every_width_of_both_formats(site):
    picture = soup(site, POST).select_one("figure.tc-post__image picture")
    source, img = picture.find("source"), picture.find("img")
    assert source["type"] == "image/avif"
    assert [w for _, w in srcset(source)] == [w for _, w in srcset(img)] == [480, 960, 1440, 1920]
    assert all(url.endswith(".avif") for url, _ in srcset(source))
    assert all(url.endswith(".jpg") for url, _ in srcset(img))
    assert img["src"].endswith("-960.jpg") and img["alt"] == LEAD_ALT
    assert (img["width"], img["height"]) == ("1920", "1280")
    assert img["fetchpriority"] == "high" and img["decoding"] == "async" and not img.has_attr("loading")
    assert source["sizes"] == img["sizes"] == pictures.CONTENT_SIZES
    assert "UN Women/Example" in soup(site, POST).select_one("figure.tc-post__image figcaption").get_text()


def test_a_body_picture_is_lazy_upright_and_keeps_its_alt_text(site):
    picture = soup(site, POST).select_one(".tc-post__body picture")
    img = picture.find("img")
    assert img["alt"] == BODY_ALT and img["loading"] == "lazy" and img["decoding"] == "async"
    assert (img["width"], img["height"]) == ("1920", "2880")  # 2667 × 4000 once turned upright
    small = Image.open(variant_file(site, POST, srcset(picture.find("source"))[0][0]))
    assert small.size == (480, 720)
    red = small.convert("RGB").getpixel((470, 10))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60, "the stored top-left corner is shown top right"
    assert small.convert("RGB").getpixel((10, 10))[0] < 200 or small.convert("RGB").getpixel((10, 10))[1] > 60


def test_every_variant_has_its_declared_size_and_format_and_no_identifying_metadata(site):
    checked = 0
    for page in (POST, POST_ES, "about/", "courses/i-know-gender/", "news/", ""):
        for picture in pictures_of(site, page):
            for element in (*picture.find_all("source"), picture.find("img")):
                expected_format = {"image/avif": "AVIF"}.get(element.get("type"), None)
                for url, width in srcset(element):
                    path = variant_file(site, page, url)
                    data = path.read_bytes()
                    variant = Image.open(path)
                    assert variant.width == width, url
                    assert variant.format == (expected_format or {"jpg": "JPEG", "png": "PNG"}[url.rsplit(".", 1)[1]])
                    assert not [marker for marker in IDENTIFYING if marker in data], url
                    assert not variant.getexif() and "icc_profile" not in variant.info and "xmp" not in variant.info
                    checked += 1
    assert checked > 40


def test_no_original_upload_is_published(site, uploads):
    names = {path.name for path in uploads.values()}
    published = [p for p in site.rglob("*") if p.is_file()]
    assert not [p for p in published if p.name in names]
    originals = {path.read_bytes() for path in uploads.values()}
    assert not [p for p in published if p.suffix in (".jpg", ".png") and p.read_bytes() in originals]
    camera = min(uploads[name].stat().st_size for name in ("campus", "library"))
    assert max(p.stat().st_size for p in (site / pictures.PUBLISHED_DIR).iterdir()) < camera / 4


def test_a_width_set_by_the_editor_is_kept_with_its_attributes(site):
    img = soup(site, "courses/i-know-gender/").select_one(".tc-course__body picture img")
    assert (img["width"], img["height"], img["sizes"]) == ("300", "188", "300px")
    assert img["title"] == "The three steps" and img["class"] == ["tc-example"] and img["alt"] == "A small diagram"


def test_a_link_to_an_upload_leads_to_its_largest_variant(site):
    link = soup(site, POST).find("a", string="See the library at full size")
    target = variant_file(site, POST, link["href"])
    assert link["href"].endswith("-1920.jpg") and Image.open(target).size == (1920, 2880)


def test_colours_follow_the_pictures_profile_and_transparency_is_kept(site):
    course = soup(site, "courses/i-know-gender/").select_one("figure.tc-course__image img")
    assert course["alt"] == COURSE_ALT
    corner = Image.open(variant_file(site, "courses/i-know-gender/", srcset(course)[0][0])).convert("RGB").getpixel((5, 5))
    assert corner[2] > 200 and corner[0] < 60, f"red under a red-blue swapping profile is blue, not {corner}"
    diagram = soup(site, "about/").select_one("article picture")
    assert [w for _, w in srcset(diagram.find("img"))] == [480, 800]  # never wider than the upload
    fallback = Image.open(variant_file(site, "about/", srcset(diagram.find("img"))[0][0]))
    modern = Image.open(variant_file(site, "about/", srcset(diagram.find("source"))[0][0]))
    assert fallback.format == "PNG" and fallback.mode == "RGBA" and fallback.getpixel((1, 1))[3] == 0
    assert modern.format == "AVIF" and modern.convert("RGBA").getpixel((1, 1))[3] == 0


def test_news_cards_show_a_small_decorative_thumbnail(site):
    for page in ("news/", "news/archive/2025/", "news/category/partnerships/", "", "es/news/", "es/"):
        card = next(c for c in soup(site, page).select(".tc-card")
                    if c.select_one(".tc-card__title a")["href"].rstrip("/").endswith("campus-opens"))
        picture = card.select_one("picture.tc-card__picture")
        img = picture.find("img")
        assert img["alt"] == "" and img["loading"] == "lazy", page
        assert (img["width"], img["height"]) == ("480", "320")
        for element in (picture.find("source"), img):
            for url, width in srcset(element):
                path = variant_file(site, page, url)
                assert path.stat().st_size <= pictures.CARD_MAX_BYTES
                assert Image.open(path).size == (width, width * 2 // 3)


def test_the_share_card_of_a_post_is_its_lead_picture(site):
    page = soup(site, POST)
    image = page.find("meta", property="og:image")["content"]
    assert re.fullmatch(r"https://trainingcentre\.example\.org/assets/pictures/campus-[0-9a-f]{10}-share\.jpg", image)
    assert page.find("meta", property="og:image:alt")["content"] == LEAD_ALT
    card = Image.open(site / image.split(".org/", 1)[1])
    assert card.size == (1200, 630) and card.format == "JPEG" and not card.getexif()
    about = soup(site, "about/").find("meta", property="og:image")["content"]
    assert about.endswith("/assets/cards/about.png"), "a page without a lead picture keeps its drawn card"


def test_feeds_get_a_plain_picture_with_an_absolute_address(site):
    feed = feedparser.parse((site / "news" / "rss.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("/campus-opens/"))
    html = entry.content[0].value if "content" in entry else entry.description
    body = BeautifulSoup(html, "html.parser")
    img = body.find("img", alt=BODY_ALT)
    assert img["src"].startswith("https://trainingcentre.example.org/assets/pictures/library-")
    assert img["src"].endswith("-960.jpg") and not body.find("picture") and not img.has_attr("srcset")


def test_the_build_log_does_not_call_uploads_excluded(built):
    """MkDocs notes each link to an excluded file; for uploads that is the design, not news."""
    _, result = built
    assert "excluded from the built site" not in result.stdout + result.stderr


def test_the_cdn_keeps_variants_for_a_year(site):
    headers = (site / "_headers").read_text(encoding="utf-8")
    assert "/assets/pictures/*\n  ! Cache-Control\n  Cache-Control: public, max-age=31536000, immutable" in headers


def test_a_second_build_takes_every_variant_from_the_cache(project, site, tmp_path):
    cache = project / ".cache" / "pictures"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) == len(list((site / pictures.PUBLISHED_DIR).iterdir()))
    again = tmp_path / "again"
    result = build_site(project, again)
    assert result.returncode == 0, result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before, "a cached variant was encoded again"
    assert sorted(p.name for p in (again / pictures.PUBLISHED_DIR).iterdir()) == sorted(before)


# --- the quality gates on every page type with pictures ------------------------------------

PICTURE_PAGES = [POST, POST_ES, "about/", "es/about/", "courses/i-know-gender/", "es/courses/i-know-gender/",
                 "news/", "es/news/", "news/category/partnerships/", "", "es/"]


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_pages_with_pictures_are_valid_html_and_every_variant_link_resolves(site):
    assert not gates.missing_tools(), gates.missing_tools()
    errors = gates.vnu_errors([site / page / "index.html" for page in PICTURE_PAGES], relative_to=site)
    assert not errors, "\n".join(map(str, errors))
    report = gates.dead_links(site, gates.site_url_of(ROOT))
    assert not report.dead, "\n".join(report.dead)
    assert report.checked > 500


@pytest.mark.browser
def test_pages_with_pictures_pass_axe_and_reflow_at_320_px(browser, served):
    assert not gates.missing_tools(browser=True), gates.missing_tools(browser=True)
    context = gates.new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme="light")
    narrow = gates.new_context(browser, viewport={"width": 320, "height": 640}, color_scheme="light")
    try:
        violations, overflows = [], []
        for page in PICTURE_PAGES:
            violations += gates.axe_violations(context.new_page(), served + page, ("default", "slate"))
            overflows += gates.reflow_problems(narrow.new_page(), served + page)
    finally:
        context.close()
        narrow.close()
    assert not violations, "\n".join(map(str, violations))
    assert not overflows, "\n".join(overflows)


CHOSEN = """() => Array.from(document.querySelectorAll("article picture img")).map(img => ({
  src: img.currentSrc, shown: img.getBoundingClientRect().width, complete: img.complete,
  column: img.closest(".md-content__inner").getBoundingClientRect().width,
  largest: Math.max(...img.srcset.split(", ").map(c => parseInt(c.split(" ")[1])))}))"""


@pytest.mark.parametrize("device", [
    {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True},
    {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 2},
], ids=["phone", "laptop", "wide-retina"])
@pytest.mark.browser
def test_the_browser_downloads_an_avif_as_wide_as_it_shows_and_no_wider_than_needed(browser, served, device):
    """The pictures of a post fill the column, and ``sizes`` leads the browser to the narrowest
    variant at least as wide as the picture is shown (in device pixels)."""
    context = gates.new_context(browser, **device)
    try:
        page = context.new_page()
        page.goto(served + POST, wait_until="load")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("() => Array.from(document.querySelectorAll('article picture img')).every(i => i.complete)")
        chosen = page.evaluate(CHOSEN)
    finally:
        context.close()
    assert len(chosen) == 2
    scale = device["device_scale_factor"]
    for picture in chosen:
        assert picture["src"].endswith(".avif"), picture
        assert abs(picture["shown"] - picture["column"]) < 1, f"a camera photo fills the column: {picture}"
        width = int(re.search(r"-(\d+)\.avif$", picture["src"]).group(1))
        needed = min(picture["shown"] * scale, picture["largest"])
        assert width >= needed, f"{width} px downloaded for {needed:.0f} px shown: {picture}"
        narrower = [w for w in pictures.WIDTHS if w < width]
        assert not narrower or narrower[-1] < needed * 0.9 or width == picture["largest"], \
            f"{width} px downloaded where {narrower[-1]} px were enough: {picture}"


# --- scheduled posts ------------------------------------------------------------------------


def text_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt") and p.is_file()]


def test_a_post_dated_tomorrow_appears_nowhere(site):
    assert not (site / "news/2026/tomorrow").exists() and not (site / "es/news/2026/tomorrow").exists()
    for path in text_files(site):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "Scheduled tomorrow" not in text and "Programada tomorrow" not in text, path
        assert "news/2026/tomorrow" not in text, path


def test_posts_dated_today_and_yesterday_are_published_everywhere(site):
    for key in ("today", "yesterday"):
        day = SCHEDULED[key]
        assert (site / f"news/{day.year}/{key}/index.html").is_file()
        assert (site / f"es/news/{day.year}/{key}/index.html").is_file()
        titles = [a.get_text() for a in soup(site, "news/").select(".tc-card__title a")]
        assert f"Scheduled {key} unique title" in titles
        assert f"news/{day.year}/{key}/" in (site / "sitemap.xml").read_text(encoding="utf-8")
        assert f"Scheduled {key} unique title" in (site / "news/rss.xml").read_text(encoding="utf-8")
    assert "Scheduled today unique title" in [a.get_text() for a in soup(site, "").select(".tc-card__title a")]


def test_check_says_when_a_scheduled_post_will_appear_without_failing(project, uploads):
    result = subprocess.run([sys.executable, "-m", "tcsite", "check", "--root", str(project)],
                            capture_output=True, text=True, cwd=project, env={**os.environ, **BUILD_ENV})
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("news/2026/tomorrow.md:3:1: note: scheduled for 2 January 2026: it will be published by the "
            "daily build of that day, and appears nowhere on the site until then") in result.stdout.splitlines()
    assert "today.md" not in result.stdout and "yesterday.md" not in result.stdout


def test_check_refuses_a_link_to_a_post_before_it_appears(project, uploads, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_ENV["SOURCE_DATE_EPOCH"])
    page = project / "docs" / "training.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + "\nSee [tomorrow's news](news/2026/tomorrow.md).\n", encoding="utf-8")
        found = [str(p) for p in check(Project.load(project), [page])]
    finally:
        page.write_text(original, encoding="utf-8")
    line = original.count("\n") + 2
    assert found == [f"docs/training.md:{line}:5: the link news/2026/tomorrow.md leads to a post scheduled for "
                     "2 January 2026: it would lead nowhere until then (add the link once the post is "
                     "published, on 2 January 2026)"]


def test_mkdocs_serve_shows_a_scheduled_post_with_a_badge(project, site):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
        cwd=project, env={**os.environ, **BUILD_ENV}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                status, _, body = fetch(f"http://127.0.0.1:{port}/news/2026/tomorrow/")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "mkdocs serve did not answer"
            time.sleep(0.5)  # polling interval while the preview builds
        page = BeautifulSoup(body, "html.parser")
        assert page.find(class_="tc-draft").get_text() == "Scheduled: published on 2 January 2026"
        status, _, body = fetch(f"http://127.0.0.1:{port}/es/news/")
        assert "Programada: se publica el 2 de enero de 2026" in body.decode()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# --- what check and the build refuse ---------------------------------------------------------


def post(title: str, body: str = "The text.", **fields) -> str:
    return front(title=title, date="2021-03-08", summary="A summary.", categories="[cedaw]", **fields) + "\n" + body + "\n"


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> Path:
    """A copy of the project with one post per kind of refused picture."""
    project = copy_project(tmp_path_factory.mktemp("refused") / "project")
    news = project / "news" / "2021"
    news.mkdir(parents=True)
    camera_jpeg(news / "narrow.jpg", (800, 533))
    camera_jpeg(news / "wide.jpg", (1600, 1067))
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    frames[0].save(news / "spinner.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    (news / "notes.png").write_text("not a picture\n", encoding="utf-8")
    Image.new("RGB", (1400, 900), "white").save(news / "scan.jpg", "TIFF")
    files = {
        "narrow-lead.md": post("Narrow", image="narrow.jpg", image_alt="A workshop"),
        "missing-lead.md": post("Missing", image="gone.jpg", image_alt="A workshop"),
        "alt-is-file-name.md": post("Alt", "![wide](wide.jpg)", image="wide.jpg", image_alt="wide.jpg"),
        "empty-alt.md": post("Empty alt", image="wide.jpg", image_alt='""'),
        "animated.md": post("Animated", "![A spinner turning](spinner.gif)"),
        "not-a-picture.md": post("Not a picture", image="notes.png", image_alt="Notes of the meeting"),
        "other-format.md": post("Other format", "![A scanned letter](scan.jpg)"),
    }
    for name, text in files.items():
        (news / name).write_text(text, encoding="utf-8")
    return project


def test_check_reports_every_picture_the_pipeline_cannot_publish(refused):
    found = [str(p) for p in check(Project.load(refused), [refused / "news" / "2021"])]
    assert found == [
        "news/2021/alt-is-file-name.md:7:1: the alt text 'wide.jpg' is the file name (describe what the "
        "picture shows, for readers who cannot see it)",
        "news/2021/alt-is-file-name.md:10:1: the alt text 'wide' is the file name (describe what the "
        "picture shows, for readers who cannot see it)",
        "news/2021/animated.md:8:1: the picture spinner.gif is animated: the site publishes still pictures "
        "(save one still frame as PNG or JPEG, or link to a video)",
        "news/2021/empty-alt.md:6:1: the image has no alt text (add 'image_alt:' describing the picture)",
        "news/2021/missing-lead.md:6:1: the image gone.jpg does not exist (put it beside the post or in "
        "news/images/)",
        "news/2021/narrow-lead.md:6:1: the picture narrow.jpg is 800 pixels wide; a lead picture needs at "
        "least 1200 (share cards and wide screens show it that wide) (upload the original photo, at least "
        "1200 pixels wide: any size works, the build makes the small copies)",
        "news/2021/not-a-picture.md:6:1: the picture notes.png cannot be read: it is damaged or not a "
        "picture (export it again from the camera or editor as JPEG or PNG)",
        "news/2021/other-format.md:8:1: the picture scan.jpg is a TIFF file inside, which the site cannot "
        "publish (save it as JPEG or PNG)",
    ]


def test_the_build_refuses_a_body_picture_it_cannot_read_before_writing_pages(tmp_path):
    project = copy_project(tmp_path / "project")
    news = project / "news" / "2021"
    news.mkdir(parents=True)
    (news / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 1000)
    (news / "broken-picture.md").write_text(post("Broken", "![A damaged photo](broken.jpg)"), encoding="utf-8")
    site = tmp_path / "site"
    result = build_site(project, site)
    assert result.returncode == 1
    assert ("news/2021/broken-picture.md:1:1: the picture broken.jpg cannot be read: it is damaged or not a "
            "picture (export it again from the camera or editor as JPEG or PNG)") in result.stderr
    assert not list(site.rglob("*.html")), "pages were written before the build was refused"
