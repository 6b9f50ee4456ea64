"""The news section, built from a small fixture corpus in both languages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tcsite.project import Project
from tests.conftest import ROOT, build_site, copy_project

SITE_URL = "https://trainingcentre.example.org/"
LANGUAGES = Project.load(ROOT).languages
# The corpus is written in English and Spanish; any other language of the configuration gets
# every translation too, titled "Post 3 (fr)".
OTHER_CODES = [lang.code for lang in LANGUAGES if lang.code not in ("en", "es")]
FIRST_DAY = dt.date(2024, 1, 1)
REGULAR = 22  # translated, published posts: 3 index pages of 10, more than one feed's worth


def post_text(title: str, day: dt.date, categories: list[str], body: str, **extra) -> str:
    lines = ["---", f"title: {title}", f"date: {day.isoformat()}", f"summary: Summary of {title}.",
             f"categories: [{', '.join(categories)}]"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n---\n" + body + "\n"


def write_corpus(news: Path) -> None:
    """22 translated posts (one every ten days), plus the special cases the rules are about."""
    shutil.rmtree(news)
    for n in range(REGULAR):
        day = FIRST_DAY + dt.timedelta(days=10 * n)
        category = "cedaw" if n % 2 else "beijing"
        folder = news / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        body = f"Body of post {n}, on [CEDAW](../../instruments/cedaw.md).\n\n## A heading\n\nMore words about post {n}."
        (folder / f"post-{n:02d}.md").write_text(post_text(f"Post {n}", day, [category], body), encoding="utf-8")
        (folder / f"post-{n:02d}.es.md").write_text(
            post_text(f"Noticia {n}", day, [category], body.replace("Body", "Cuerpo")), encoding="utf-8")
        for code in OTHER_CODES:
            (folder / f"post-{n:02d}.{code}.md").write_text(post_text(f"Post {n} ({code})", day, [category], body),
                                                           encoding="utf-8")
    special = news / "2019"
    special.mkdir(parents=True)
    Image.new("RGB", (1200, 800), (0, 90, 140)).save(special / "workshop.png")  # a lead picture: 1200 px wide or more
    (special / "only-english.md").write_text(
        post_text("Only in English", dt.date(2019, 5, 18), ["partnerships"],
                  "First paragraph, the excerpt.\n\n<!-- more -->\n\nThe rest of the post.\n\n"
                  "![Participants at a workshop](workshop.png)",
                  image="workshop.png", image_alt="Participants at a workshop",
                  image_credit="UN Women/Example"),
        encoding="utf-8")
    (special / "same-day-a.md").write_text(post_text("Same day A", dt.date(2019, 3, 8), ["cedaw"], "A."), encoding="utf-8")
    (special / "same-day-a.es.md").write_text(post_text("Mismo día A", dt.date(2019, 3, 8), ["cedaw"], "A."), encoding="utf-8")
    (special / "same-day-b.md").write_text(post_text("Same day B", dt.date(2019, 3, 8), ["cedaw"], "B."), encoding="utf-8")
    (special / "same-day-b.es.md").write_text(post_text("Mismo día B", dt.date(2019, 3, 8), ["cedaw"], "B."), encoding="utf-8")
    (special / "not-ready.md").write_text(
        post_text("Not ready yet", dt.date(2030, 1, 1), ["cedaw"], "Draft.", draft="true"), encoding="utf-8")
    (special / "not-ready.es.md").write_text(
        post_text("Todavía no", dt.date(2030, 1, 1), ["cedaw"], "Borrador.", draft="true"), encoding="utf-8")
    for code in OTHER_CODES:
        for slug, title, day, extra in (("same-day-a", "Same day A", dt.date(2019, 3, 8), {}),
                                        ("same-day-b", "Same day B", dt.date(2019, 3, 8), {}),
                                        ("not-ready", "Not ready yet", dt.date(2030, 1, 1), {"draft": "true"})):
            (special / f"{slug}.{code}.md").write_text(post_text(f"{title} ({code})", day, ["cedaw"], "Text.", **extra),
                                                       encoding="utf-8")


@pytest.fixture(scope="module")
def news_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("news-project"))
    write_corpus(project / "news")
    site_dir = tmp_path_factory.mktemp("news-site")
    result = build_site(project, site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def card_titles(soup: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".tc-card__title")]


def switcher_target(soup: BeautifulSoup, here: str, lang: str) -> str:
    return urljoin("/" + here, soup.select_one(f'a.md-select__link[hreflang="{lang}"]')["href"])


def test_index_is_newest_first_ten_per_page_with_numbered_pagination(news_site):
    english_total = REGULAR + 3  # + only-english and the two same-day posts
    first, second, third = (page(news_site, p) for p in ("news", "news/page/2", "news/page/3"))
    titles = card_titles(first) + card_titles(second) + card_titles(third)
    assert len(card_titles(first)) == 10 and len(card_titles(second)) == 10
    assert len(titles) == english_total
    assert titles[0] == f"Post {REGULAR - 1}"
    assert titles[-3:] == ["Only in English", "Same day B", "Same day A"], "same day: by slug, descending"
    numbers = [a.get_text(strip=True) for a in second.select(".tc-pagination a") if a.get_text(strip=True).isdigit()]
    assert numbers == ["1", "2", "3"]
    assert second.select_one('.tc-pagination a[aria-current="page"]').get_text(strip=True) == "2"
    assert not (news_site / "news" / "page" / "4").exists()


def test_spanish_index_lists_only_spanish_posts(news_site):
    pages = [page(news_site, p) for p in ("es/news", "es/news/page/2", "es/news/page/3")]
    titles = [t for p in pages for t in card_titles(p)]
    assert len(titles) == REGULAR + 2
    assert all(t.startswith(("Noticia", "Mismo día")) for t in titles)


def test_dates_are_localised_with_cldr(news_site):
    english = page(news_site, "news/2019/same-day-a").select_one(".tc-meta time").get_text()
    spanish = page(news_site, "es/news/2019/same-day-a").select_one(".tc-meta time").get_text()
    assert english == "8 March 2019"
    assert spanish == "8 de marzo de 2019"


def test_two_posts_on_the_same_day_are_both_listed_in_a_stable_order(news_site):
    archive = card_titles(page(news_site, "news/archive/2019"))
    assert archive.index("Same day B") < archive.index("Same day A")


def test_excerpt_before_more_marker_or_summary_on_cards(news_site):
    cards = {c.select_one(".tc-card__title").get_text(strip=True): c for c in page(news_site, "news/archive/2019").select(".tc-card")}
    with_marker = cards["Only in English"].select_one(".tc-card__excerpt").get_text(" ", strip=True)
    assert with_marker == "First paragraph, the excerpt."
    assert cards["Same day A"].select_one(".tc-card__excerpt").get_text(strip=True) == "Summary of Same day A."


def test_archive_and_category_pages_in_both_languages(news_site):
    assert card_titles(page(news_site, "news/archive/2019")) == ["Only in English", "Same day B", "Same day A"]
    assert card_titles(page(news_site, "es/news/archive/2019")) == ["Mismo día B", "Mismo día A"]
    partnerships = page(news_site, "news/category/partnerships")
    assert card_titles(partnerships) == ["Only in English"]
    assert partnerships.h1.get_text(strip=True).rstrip("¶") == "News: Partnerships"
    # A category with more than ten posts is paginated like the index.
    cedaw_pages = [page(news_site, "news/category/cedaw"), page(news_site, "news/category/cedaw/page/2")]
    assert sum(len(card_titles(p)) for p in cedaw_pages) == REGULAR // 2 + 2
    assert page(news_site, "es/news/category/cedaw").h1.get_text(strip=True).rstrip("¶") == "Noticias: CEDAW"


def test_untranslated_post_switcher_leads_to_a_plain_notice_not_a_404(news_site):
    post = page(news_site, "news/2019/only-english")
    target = switcher_target(post, "news/2019/only-english/", "es")
    assert target == "/es/news/2019/only-english/"
    notice = page(news_site, target.strip("/"))
    assert notice.html["lang"] == "es"
    assert "solo está disponible en inglés:" in notice.get_text(" ")
    back = notice.select_one("article a[hreflang='en']")
    assert urljoin(target, back["href"]) == "/news/2019/only-english/"
    assert notice.select_one('meta[name="robots"]')["content"] == "noindex"
    # The untranslated post claims no Spanish alternate, and the notice is not a translation.
    hreflangs = {l["hreflang"] for l in post.select('link[rel="alternate"][hreflang]')}
    assert "es" not in hreflangs


def test_translated_posts_link_to_each_other_everywhere(news_site):
    here, there = "news/2019/same-day-a/", "es/news/2019/same-day-a/"
    english, spanish = page(news_site, here), page(news_site, there)
    assert switcher_target(english, here, "es") == "/" + there
    assert switcher_target(spanish, there, "en") == "/" + here
    alternates = {l["hreflang"]: l["href"] for l in english.select('link[rel="alternate"][hreflang]')}
    assert alternates == {**{lang.code: SITE_URL + lang.url_prefix + here for lang in LANGUAGES},
                          "x-default": SITE_URL + here}
    others = [urljoin("/" + here, a["href"]) for a in english.select(".tc-other-language a")]
    assert others == ["/" + lang.url_prefix + here for lang in LANGUAGES[1:]]


def test_sitemap_has_posts_with_alternates_but_no_drafts_or_notices(news_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: u for u in ET.parse(news_site / "sitemap.xml").findall("s:url", ns)}
    post = urls[SITE_URL + "news/2019/same-day-a/"]
    assert post.find("s:lastmod", ns).text == "2019-03-08"
    assert {l.get("hreflang") for l in post.findall("x:link", ns)} == {lang.code for lang in LANGUAGES}
    assert SITE_URL + "es/news/2019/only-english/" not in urls
    assert not any("not-ready" in url for url in urls)


def test_drafts_are_absent_from_a_production_build(news_site):
    assert not (news_site / "news" / "2030").exists()
    assert not (news_site / "es" / "news" / "2030").exists()
    assert "Not ready yet" not in (news_site / "news" / "rss.xml").read_text(encoding="utf-8")


def test_post_page_shows_dates_reading_time_categories_and_neighbours(news_site):
    post = page(news_site, "news/2019/same-day-b")
    meta = post.select_one(".tc-post .tc-meta").get_text(" ", strip=True)
    assert "8 March 2019" in meta and "1 min read" in meta
    category = post.select_one(".tc-post .tc-tags a")
    assert category.get_text(strip=True) == "CEDAW"
    assert urljoin("/news/2019/same-day-b/", category["href"]) == "/news/category/cedaw/"
    neighbours = {a["rel"][0]: a.get_text(" ", strip=True) for a in post.select(".tc-post-nav a")}
    assert neighbours == {"prev": "Previous post Same day A", "next": "Next post Only in English"}
    oldest = page(news_site, "news/2019/same-day-a")
    assert [a["rel"][0] for a in oldest.select(".tc-post-nav a")] == ["next"]


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_feeds_validate_and_list_the_newest_twenty_with_absolute_links(news_site, lang):
    prefix = lang.url_prefix
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((news_site / prefix / "news" / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == 20
        assert feed.feed.language == lang.code
        newest = feed.entries[0]
        assert newest.link == f"{SITE_URL}{prefix}news/2024/post-{REGULAR - 1:02d}/"
        assert newest.published_parsed[:3] == (FIRST_DAY + dt.timedelta(days=10 * (REGULAR - 1))).timetuple()[:3]
        content = newest.content[0].value if name == "atom.xml" else newest.summary
        assert f'href="{SITE_URL}{prefix}instruments/cedaw/"' in content, "links in a feed are absolute"
        assert not re.search(r'(?:href|src)="(?!https?://)', content), "a relative link left in the feed"
        assert all(entry.link.startswith(SITE_URL) for entry in feed.entries)


def test_feeds_are_advertised_on_every_page_of_their_language(news_site):
    for path, feed in (("about", "/news/rss.xml"), ("es/about", "/es/news/rss.xml")):
        link = page(news_site, path).select_one('link[rel="alternate"][type="application/rss+xml"]')
        assert urljoin(f"/{path}/", link["href"]) == feed


def test_home_page_shows_the_three_latest_posts(news_site):
    assert card_titles(page(news_site, "")) == [f"Post {REGULAR - 1}", f"Post {REGULAR - 2}", f"Post {REGULAR - 3}"]
    assert card_titles(page(news_site, "es"))[0] == f"Noticia {REGULAR - 1}"


def test_a_post_page_does_not_grow_with_the_archive(news_site):
    post = page(news_site, "news/2019/same-day-a")
    assert len(post.select("a[href*='/news/20']")) < 10, "post pages must not list the archive"


def test_twins_that_disagree_on_the_date_refuse_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    spanish = project / "news" / "2018" / "annual-report-2017-growth.es.md"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("date: 2018-05-18", "date: 2018-05-19"), encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert ("news/2018/annual-report-2017-growth.es.md:3:1: 'date' is 2018-05-19 here but "
            "2018-05-18 in news/2018/annual-report-2017-growth.md") in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_category_not_in_the_list_refuses_the_build_with_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    english = project / "news" / "2018" / "annual-report-2017-growth.md"
    english.write_text(english.read_text(encoding="utf-8").replace("categories: [annual-report", "categories: [anual-report"), encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    line = next(i for i, text in enumerate(english.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("categories"))
    assert (f"news/2018/annual-report-2017-growth.md:{line}:1: 'anual-report' is not one of the categories "
            "in data/categories.yml (did you mean 'annual-report'?") in result.stderr


def test_pictures_beside_a_post_are_published_with_alt_text_and_credit(news_site):
    post = page(news_site, "news/2019/only-english")
    figure = post.select_one(".tc-post__image")
    assert figure.img["alt"] == "Participants at a workshop"
    assert figure.figcaption.get_text(strip=True) == "Photo: UN Women/Example"
    for img in post.select(".tc-post img"):
        target = urljoin("/news/2019/only-english/", img["src"]).lstrip("/")
        assert (news_site / target).is_file(), img["src"]
