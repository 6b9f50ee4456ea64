"""Whatever editors write reaches readers as text: one build of a copy of the site in which every
field an editor controls holds markup, quotes and ampersands, then every kind of output read back
with a parser (HTML, feeds and sitemap as XML, JSON-LD as JSON, the CMS configuration as YAML)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml
from bs4 import BeautifulSoup

from tests.hostile.conftest import (AUTHOR, CATEGORY_LABEL, COURSE_TITLE, HASHTAG, IMAGE_ALT, IMAGE_CREDIT, LABEL,
                                    THEME_LABEL,
                                    PAGE_SUMMARY, PAGE_TITLE, POST_URL, SITE_NAME, SUMMARY, TITLE)



def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html" if not path.endswith(".html") else site / path)
                         .read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return [page for page in sorted(site.rglob("*.html")) if "admin" not in page.relative_to(site).parts]


def test_no_payload_becomes_an_element_or_attribute_on_any_page(hostile_site):
    for page in html_pages(hostile_site):
        document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(hostile_site)
        assert not document.find("tc-injected"), where
        assert not document.find("meta", attrs={"http-equiv": True}), where
        assert not document.find(attrs={"onerror": True}) and not document.find(attrs={"onmouseover": True}), where
        for script in document.find_all("script"):
            assert "a.js" not in (script.get("src") or ""), where
            if script.get("type") not in ("application/json", "application/ld+json"):
                assert "alert(1)" not in (script.string or ""), where


def test_the_post_page_reads_every_field_back_literally(hostile_site):
    page = soup(hostile_site, POST_URL)
    assert page.find("h1").get_text() == TITLE
    assert page.title.get_text().strip() == f"{TITLE} · {SITE_NAME}"
    assert page.find("meta", property="og:title")["content"] == TITLE
    assert page.find("meta", attrs={"name": "twitter:title"})["content"] == TITLE
    assert page.find("meta", attrs={"name": "description"})["content"] == SUMMARY
    assert AUTHOR in page.find(class_="tc-meta").get_text()
    figure = page.find("figure", class_="tc-post__image")
    assert figure.find("img")["alt"] == IMAGE_ALT
    assert IMAGE_CREDIT in figure.find("figcaption").get_text()
    assert [a.get_text() for a in page.select(".tc-tags a")] == [CATEGORY_LABEL]


def test_ampersands_are_escaped_once(hostile_site):
    raw = (hostile_site / POST_URL / "index.html").read_text(encoding="utf-8")
    assert "Women &amp; girls" in raw and "&amp;amp;" in raw  # TITLE holds the text "&amp;" itself
    assert "&amp;amp;amp;" not in raw and "Women &amp;amp; girls" not in raw


def test_json_ld_holds_the_title_as_data(hostile_site):
    page = soup(hostile_site, POST_URL)
    article = next(json.loads(s.string) for s in page.find_all("script", type="application/ld+json")
                   if json.loads(s.string)["@type"] == "NewsArticle")
    assert article["headline"] == TITLE
    assert article["author"]["name"] == AUTHOR


def test_home_news_index_and_category_show_the_card_as_text(hostile_site):
    for path in ("", "news/", "news/category/cedaw/", "news/archive/2021/"):
        page = soup(hostile_site, path)
        titles = [a.get_text() for a in page.select(".tc-card__title a")]
        assert TITLE in titles, path
    assert soup(hostile_site, "news/category/cedaw/").find("h1").get_text() == f"News: {CATEGORY_LABEL}"
    assert LABEL in [a.get_text() for a in soup(hostile_site, "").select(".tc-latest a")]


def test_pages_courses_and_configuration_values_read_back_literally(hostile_site):
    about = soup(hostile_site, "about/")
    assert about.title.get_text().strip() == f"{PAGE_TITLE} · {SITE_NAME}"
    assert about.find("meta", attrs={"name": "description"})["content"] == PAGE_SUMMARY
    assert PAGE_TITLE in [a.get_text().strip() for a in about.select(".md-nav__link")]
    course = soup(hostile_site, "courses/i-know-gender/")
    assert course.find("h1").get_text() == COURSE_TITLE
    assert COURSE_TITLE in [a.get_text().strip() for a in soup(hostile_site, "courses/").select("a")]
    home = soup(hostile_site, "")
    assert home.title.get_text().strip() == SITE_NAME
    assert f"#{HASHTAG}" in home.find("footer").get_text()


def test_feeds_and_sitemap_hold_the_text(hostile_site):
    rss = ET.parse(hostile_site / "news" / "rss.xml").getroot()
    item = next(i for i in rss.iter("item") if i.findtext("title") == TITLE)
    assert CATEGORY_LABEL in [c.text for c in item.iter("category")]
    atom = ET.parse(hostile_site / "news" / "atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = next(e for e in atom.findall("a:entry", ns) if e.findtext("a:title", namespaces=ns) == TITLE)
    assert entry.findtext("a:author/a:name", namespaces=ns) == AUTHOR
    assert ET.parse(hostile_site / "sitemap.xml").getroot().tag.endswith("urlset")


def test_the_cms_configuration_and_page_hold_the_text(hostile_site):
    config = yaml.safe_load((hostile_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    labels = json.dumps(config, ensure_ascii=False)
    assert json.dumps(CATEGORY_LABEL, ensure_ascii=False)[1:-1] in labels
    admin = BeautifulSoup((hostile_site / "admin" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert admin.title.get_text() == f"Content manager · {SITE_NAME}"
    assert [s.get("src") for s in admin.find_all("script")] == ["tcsite-cms.js", "decap-cms.js"]


def test_theme_labels_read_back_literally(hostile_site):
    """Our wording of Material's strings (language.html, unescaped by design) and the palette
    and permalink names set per language pass are text, like any label."""
    about = soup(hostile_site, "about/")
    assert about.select_one("a.md-skip").get_text().strip() == THEME_LABEL
    assert about.select_one("input#__palette_0")["aria-label"] == THEME_LABEL
    assert {a["title"] for a in about.select("a.headerlink")} == {THEME_LABEL}
