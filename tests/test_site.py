"""The foundation: every page in both languages, language links, sitemap, 404s, the facts."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, build_site

SITE_URL = "https://trainingcentre.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def source_pages() -> list[str]:
    """URL paths of the English pages in docs/ (404.md is the 404 page's text, not a page)."""
    paths = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        rel = path.relative_to(ROOT / "docs").as_posix()
        if rel.count(".") > 1 or rel == "404.md":
            continue
        rel = rel.removesuffix(".md")
        paths.append("" if rel == "index" else rel.removesuffix("index") if rel.endswith("index") else rel + "/")
    return paths


def soup(site: Path, url_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / url_path / "index.html").read_text(encoding="utf-8"), "html.parser")


PAGES = source_pages()


def test_the_site_has_the_expected_pages():
    assert {"", "about/", "training/", "instruments/", "instruments/cedaw/", "instruments/beijing/",
            "courses/", "news/", "contact/"} <= set(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_exists_in_both_languages_with_the_right_html_lang(site, path):
    assert soup(site, path).html["lang"] == "en"
    assert soup(site, "es/" + path).html["lang"] == "es"


@pytest.mark.parametrize("path", PAGES)
def test_language_switcher_and_hreflang_link_each_twin_both_ways(site, path):
    for here, there, there_lang in ((path, "es/" + path, "es"), ("es/" + path, path, "en")):
        page = soup(site, here)
        switch = page.select_one(f'a.md-select__link[hreflang="{there_lang}"]')
        target = urljoin("/" + here, switch["href"])
        assert target == "/" + there, f"switcher on /{here} leads to {target}"
        alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
        assert alternates[there_lang] == SITE_URL + there
        assert alternates["x-default"] == SITE_URL + path


def test_sitemap_lists_both_languages_with_alternates(site):
    tree = ET.parse(site / "sitemap.xml")
    locs = [loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]
    for path in PAGES:
        assert SITE_URL + path in locs
        assert SITE_URL + "es/" + path in locs
    about = next(u for u in tree.findall("s:url", SITEMAP_NS) if u.find("s:loc", SITEMAP_NS).text == SITE_URL + "about/")
    hreflangs = {l.get("hreflang"): l.get("href") for l in about.findall("x:link", SITEMAP_NS)}
    assert hreflangs == {"en": SITE_URL + "about/", "es": SITE_URL + "es/about/"}
    assert not (site / "es" / "sitemap.xml").exists()


def test_each_language_has_its_own_404_page(site):
    english = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    spanish = BeautifulSoup((site / "es" / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert english.html["lang"] == "en" and spanish.html["lang"] == "es"
    assert "not found" in english.h1.get_text().lower()
    assert "no encontrada" in spanish.h1.get_text().lower()
    # Served at any depth, so its own assets must be addressed from the site root.
    assert all(link["href"].startswith("/") for link in english.select('link[rel="stylesheet"]'))


def all_html(site: Path):
    return sorted(site.rglob("*.html"))


def test_no_element_loads_anything_from_another_host(site):
    offenders = []
    for path in all_html(site):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in page.select("script[src], link[href], img[src], iframe[src], source[src], video[src], audio[src]"):
            url = tag.get("src") or tag.get("href")
            rel = " ".join(tag.get("rel", []))
            if tag.name == "link" and ("alternate" in rel or "canonical" in rel):
                continue  # metadata for search engines and feed readers, not loaded by browsers
            if urlsplit(url).netloc:
                offenders.append(f"{path.relative_to(site)}: <{tag.name}> {url}")
        for style in page.select("style"):
            offenders += [f"{path.relative_to(site)}: @import {u}" for u in re.findall(r"url\((https?:[^)]+)\)", style.text)]
    assert not offenders, "\n".join(offenders)


FACTS = {
    "": {"en": ["52,441", "382%", "70", "82"], "es": ["52.441", "382%", "70", "82"]},
    "instruments/cedaw/": {"en": ["18 December 1979", "3 September 1981", "1999"],
                           "es": ["18 de diciembre de 1979", "3 de septiembre de 1981", "1999"]},
    "instruments/beijing/": {"en": ["Fourth World Conference on Women", "1995", "Beijing+30"],
                             "es": ["Cuarta Conferencia Mundial sobre la Mujer", "1995", "Beijing+30"]},
    "about/": {"en": ["ITC-ILO", "KIT", "Programme for the Professional Development of Trainers"],
               "es": ["CIF-OIT", "KIT", "Programa para el Desarrollo Profesional de Formadoras y Formadores"]},
}


@pytest.mark.parametrize("path", FACTS)
def test_key_facts_appear_in_both_languages(site, path):
    for lang, facts in FACTS[path].items():
        text = soup(site, ("es/" if lang == "es" else "") + path).select_one("article").get_text(" ")
        text = re.sub(r"\s+", " ", text)
        for fact in facts:
            assert fact in text, f"{fact!r} missing from /{lang}/{path}"


def test_beijing_page_lists_the_twelve_critical_areas(site):
    for prefix in ("", "es/"):
        page = soup(site, prefix + "instruments/beijing/")
        lists = [ol for ol in page.select("article ol") if len(ol.find_all("li", recursive=False)) == 12]
        assert lists, f"/{prefix}instruments/beijing/ has no list of 12 critical areas"


def test_navigation_and_site_name_are_translated(site):
    spanish = soup(site, "es/about/")
    assert "Centro de Capacitación de ONU Mujeres" in spanish.title.get_text()
    tabs = [a.get_text(strip=True) for a in spanish.select(".md-tabs__link")]
    assert "Instrumentos normativos" in tabs


def test_the_footer_carries_copyright_and_hashtag(site):
    for prefix, copyright in (("", "© UN Women Training Centre"), ("es/", "© Centro de Capacitación de ONU Mujeres")):
        footer = soup(site, prefix + "about/").select_one("footer").get_text(" ")
        assert copyright in footer and "#UNWomenTC" in footer


def test_a_page_without_its_translation_refuses_the_build(project_copy, tmp_path):
    (project_copy / "docs" / "orphan.md").write_text("---\ntitle: Orphan\n---\n# Orphan\n", encoding="utf-8")
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/orphan.md:1:1: this page has no 'es' version (create docs/orphan.es.md" in result.stderr + result.stdout
    assert not (tmp_path / "site" / "index.html").exists(), "a refused build must write nothing"


def test_a_broken_internal_link_fails_the_build(project_copy, tmp_path):
    about = project_copy / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "about.md" in result.stderr and "no-such-page.md" in result.stderr
