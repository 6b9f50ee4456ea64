"""The foundation: every page in both languages, language links, sitemap, 404s, the facts."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tcsite.project import Project, page_url
from tcsite.untranslated import docs_versions, is_special
from tests.conftest import ROOT, build_site

SITE_URL = "https://trainingcentre.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


PROJECT = Project.load(ROOT)
LANGUAGES = PROJECT.languages  # from mkdocs.yml, the default first
DEFAULT = LANGUAGES[0]
# Every page of docs/ (404.md and untranslated.md are texts shown on other pages) and the
# languages it has a version in.
VERSIONS = {page_url(docs_path): set(found)
            for docs_path, found in docs_versions(PROJECT.docs_dir, PROJECT.codes, PROJECT.default).items()
            if not is_special(docs_path)}


def soup(site: Path, url_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / url_path / "index.html").read_text(encoding="utf-8"), "html.parser")


PAGES = sorted(VERSIONS)


def test_the_site_has_the_expected_pages():
    assert {"", "about/", "training/", "instruments/", "instruments/cedaw/", "instruments/beijing/",
            "courses/", "news/", "contact/"} <= set(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_exists_in_every_language_with_the_right_html_lang(site, path):
    for lang in LANGUAGES:
        assert soup(site, lang.url_prefix + path).html["lang"] == lang.code


@pytest.mark.parametrize("path", PAGES)
def test_language_switcher_and_hreflang_link_each_twin_every_way(site, path):
    translated = [lang for lang in LANGUAGES if lang.code in VERSIONS[path]]
    for here in translated:
        page = soup(site, here.url_prefix + path)
        alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
        assert alternates == {**{there.code: SITE_URL + there.url_prefix + path for there in translated},
                              "x-default": SITE_URL + path}
        for there in LANGUAGES:  # every language: a language in progress shows the page untranslated
            switch = page.select_one(f'a.md-select__link[hreflang="{there.code}"]')
            target = urljoin("/" + here.url_prefix + path, switch["href"])
            assert target == "/" + there.url_prefix + path, f"switcher on /{here.url_prefix}{path} leads to {target}"


def test_sitemap_lists_every_language_with_alternates(site):
    tree = ET.parse(site / "sitemap.xml")
    entries = {u.find("s:loc", SITEMAP_NS).text: u for u in tree.findall("s:url", SITEMAP_NS)}
    for path, found in VERSIONS.items():
        for lang in LANGUAGES:
            assert (SITE_URL + lang.url_prefix + path in entries) == (lang.code in found), lang.url_prefix + path
    hreflangs = {l.get("hreflang"): l.get("href") for l in entries[SITE_URL + "about/"].findall("x:link", SITEMAP_NS)}
    assert hreflangs == {lang.code: SITE_URL + lang.url_prefix + "about/" for lang in LANGUAGES
                         if lang.code in VERSIONS["about/"]}
    assert [p for lang in LANGUAGES[1:] for p in (site / lang.url_prefix).glob("sitemap.xml*")] == []


def test_each_language_has_its_own_404_page(site):
    for lang in LANGUAGES:
        page = BeautifulSoup((site / lang.url_prefix / "404.html").read_text(encoding="utf-8"), "html.parser")
        assert page.html["lang"] == lang.code
    english = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    spanish = BeautifulSoup((site / "es" / "404.html").read_text(encoding="utf-8"), "html.parser")
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
    for prefix in (lang.url_prefix for lang in LANGUAGES):
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
