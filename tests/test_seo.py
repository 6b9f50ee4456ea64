"""Metadata for search engines and social networks, on the real site, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tcsite.content import read_document
from tcsite.i18n import labels
from tcsite.locales import region_locale
from tcsite.project import Project, plugin_config
from tcsite.seo import trim_at_word
from tests.conftest import ROOT, build_site

SITE_URL = "https://trainingcentre.example.org/"
PAGE, POST = "about/", "news/2018/annual-report-2017-growth/"
PROJECT = Project.load(ROOT)
LANGUAGES = PROJECT.languages  # the default first
SITE_NAMES = {lang["locale"]: lang.get("site_name", PROJECT.config["site_name"])
              for lang in plugin_config(PROJECT.config, "i18n")["languages"]}


def language_of(path: str):
    return next((lang for lang in LANGUAGES if lang.url_prefix and path.startswith(lang.url_prefix)), LANGUAGES[0])


def source_file(path: str) -> Path | None:
    """The file behind a page (``es/about/`` -> docs/about.es.md), or None where the language has no
    version of it (a notice or, in a language in progress, a stand-in)."""
    lang = language_of(path)
    neutral = path.removeprefix(lang.url_prefix).strip("/")
    base = (PROJECT.news_dir / neutral.removeprefix("news/") if neutral.startswith("news/20")
            else PROJECT.docs_dir / neutral)
    candidates = [base.with_name(base.name + ".md"), base / "index.md"]
    found = [PROJECT.twin_path(c, lang.code) for c in candidates if c.is_file()]
    return found[0] if found and found[0].is_file() else None


# Pages in every language that has them: search engines get no notice or stand-in.
SAMPLES = [lang.url_prefix + path for path in (PAGE, POST, "instruments/cedaw/") for lang in LANGUAGES
           if source_file(lang.url_prefix + path)]


def head(site, path) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def one(page: BeautifulSoup, selector: str) -> str:
    found = page.select(selector)
    assert len(found) == 1, f"{selector}: {len(found)} found"
    return found[0].get("content") or found[0].get("href")


def json_ld(page: BeautifulSoup) -> dict[str, dict]:
    blocks = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    return {block["@type"]: block for block in blocks}


@pytest.mark.parametrize("path", SAMPLES)
def test_every_tag_once_absolute_and_in_the_page_language(site, path):
    page = head(site, path)
    lang = page.html["lang"]
    assert lang == language_of(path).code
    assert one(page, 'link[rel="canonical"]') == SITE_URL + path
    assert one(page, 'meta[property="og:url"]') == SITE_URL + path
    assert one(page, 'meta[property="og:locale"]') == region_locale(lang)  # en_US, es_ES: CLDR's likely regions
    alternates = [m["content"] for m in page.select('meta[property="og:locale:alternate"]')]
    translations = [l["hreflang"] for l in page.select('link[rel="alternate"][hreflang]')]
    assert alternates == [region_locale(code) for code in translations if code not in (lang, "x-default")]
    assert len(alternates) == len(LANGUAGES) - 1 or PROJECT.languages_in_progress
    assert one(page, 'meta[property="og:site_name"]') == SITE_NAMES[lang]
    title = one(page, 'meta[property="og:title"]')
    assert title and title in page.title.get_text()
    for selector in ('meta[name="description"]', 'meta[property="og:description"]', 'meta[name="twitter:description"]',
                     'meta[property="og:image:alt"]', 'meta[name="twitter:title"]'):
        assert one(page, selector)
    assert one(page, 'meta[name="twitter:card"]') == "summary_large_image"
    assert one(page, 'link[rel="alternate"][hreflang="x-default"]') == SITE_URL + path.removeprefix(language_of(path).url_prefix)
    for link in page.select('link[rel="alternate"][hreflang]'):
        assert link["href"].startswith(SITE_URL)


@pytest.mark.parametrize("path", SAMPLES)
def test_share_card_exists_at_1200_by_630_and_is_the_og_image(site, path):
    page = head(site, path)
    image = one(page, 'meta[property="og:image"]')
    assert image.startswith(SITE_URL) and image == one(page, 'meta[name="twitter:image"]')
    assert one(page, 'meta[property="og:image:width"]') == "1200"
    assert one(page, 'meta[property="og:image:height"]') == "630"
    with Image.open(site / image.removeprefix(SITE_URL)) as card:
        assert card.size == (1200, 630) and card.format == "PNG"


def source_summary(path: str) -> str:
    """The summary written in the front matter of the file behind a page (``es/about/``)."""
    return read_document(source_file(path), PROJECT.root, PROJECT.codes, PROJECT.default).meta["summary"]


@pytest.mark.parametrize("path", SAMPLES)
def test_descriptions_are_short_and_never_cut_mid_word(site, path):
    text = one(head(site, path), 'meta[name="description"]')
    assert 20 < len(text) <= 160
    summary = " ".join(source_summary(path).split())
    kept = text.removesuffix("…")
    assert summary.startswith(kept), f"{text!r} is not the start of the summary {summary!r}"
    rest = summary[len(kept):]
    assert rest == "" or (text.endswith("…") and rest[0] in " ,;:—–-"), f"cut inside a word: {kept!r} + {rest!r}"


def test_a_long_summary_is_cut_after_a_whole_word():
    summary = "Training for gender equality " * 8
    description = trim_at_word(summary)
    kept = description.removesuffix("…")
    assert description.endswith("…") and len(description) <= 156
    assert summary.startswith(kept) and summary[len(kept)] == " "


def test_a_page_without_summary_falls_back_to_its_first_paragraph(project_copy, tmp_path):
    training = project_copy / "docs" / "training.md"
    text = training.read_text(encoding="utf-8")
    training.write_text("\n".join(l for l in text.splitlines() if not l.startswith("summary:")), encoding="utf-8")
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = head(tmp_path / "site", "training/")
    first = page.select_one("article p").get_text(" ", strip=True)
    description = one(page, 'meta[name="description"]')
    assert first.startswith(description.rstrip("…"))
    assert len(description) <= 160


def test_posts_are_articles_with_newsarticle_json_ld(site):
    for path, lang in ((l.url_prefix + POST, l.code) for l in LANGUAGES if source_file(l.url_prefix + POST)):
        page = head(site, path)
        assert one(page, 'meta[property="og:type"]') == "article"
        assert one(page, 'meta[property="article:published_time"]') == "2018-05-18"
        assert one(page, 'meta[property="article:modified_time"]') == "2018-05-18"
        assert one(page, 'meta[property="article:section"]') == labels(lang)["news"]
        article = json_ld(page)["NewsArticle"]
        assert article["headline"] == one(page, 'meta[property="og:title"]')
        assert article["datePublished"] == "2018-05-18" and article["inLanguage"] == lang
        assert article["image"] == [one(page, 'meta[property="og:image"]')]
        assert article["publisher"]["@type"] == "Organization" and article["publisher"]["logo"].startswith(SITE_URL)
        assert article["mainEntityOfPage"]["@id"] == SITE_URL + path


def test_pages_are_websites_and_the_home_page_names_the_organization(site):
    assert one(head(site, PAGE), 'meta[property="og:type"]') == "website"
    for path in (lang.url_prefix for lang in LANGUAGES):
        organization = json_ld(head(site, path))["Organization"]
        assert organization["parentOrganization"]["name"] == "UN Women"
        assert organization["logo"].startswith(SITE_URL) and (site / organization["logo"].removeprefix(SITE_URL)).exists()


def test_pages_below_the_top_level_carry_breadcrumbs(site):
    crumbs = json_ld(head(site, "es/instruments/cedaw/"))["BreadcrumbList"]["itemListElement"]
    assert [c["item"] for c in crumbs] == [SITE_URL + "es/", SITE_URL + "es/instruments/", SITE_URL + "es/instruments/cedaw/"]
    assert crumbs[0]["name"] == "Inicio"
    assert "BreadcrumbList" not in json_ld(head(site, PAGE))


def test_robots_txt_points_to_the_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


def test_sitemap_lastmod_comes_from_dates_or_git(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}{POST}</loc>\n    <lastmod>2018-05-18</lastmod>" in sitemap
    assert sitemap.count("<lastmod>") >= 6


def test_trim_at_word_never_cuts_a_word():
    text = "word " * 60
    trimmed = trim_at_word(text, 155)
    assert len(trimmed) <= 156 and trimmed.endswith("word…")
    assert trim_at_word("short text") == "short text"


def test_the_build_needs_no_network_and_reuses_cached_cards(project_copy, tmp_path):
    offline = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
               "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": ""}
    cache = project_copy / ".cache" / "cards"
    result = build_site(project_copy, tmp_path / "first", env=offline)
    assert result.returncode == 0, result.stderr
    cached = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert len(cached) >= 20
    result = build_site(project_copy, tmp_path / "second", env=offline)
    assert result.returncode == 0, result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")} == cached, "unchanged pages redrew their cards"
