"""Site search (tcsite/search.py, partials/search.html, assets/javascripts/search.js).

What the index holds is checked on the built site, by reading Pagefind's own files; what readers
get is checked in Chromium against the site served on loopback: results in the page's language
only, accents folded, the count announced, the keyboard, no request leaving the site, axe.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import pytest

from tcsite import search
from tcsite.project import Project
from tests.conftest import ROOT, build_site

sys.path.insert(0, str(Path(__file__).resolve().parent / "quality"))
import quality_gates as gates  # noqa: E402

SITE_URL = "https://trainingcentre.example.org/"
PROJECT = Project.load(ROOT)
LANGUAGES = PROJECT.languages


def indexed_pages(site: Path) -> dict[str, dict]:
    """URL -> what Pagefind stored for it (text, title, date, filters), from its fragments."""
    pages = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data[:12] == b"pagefind_dcd", f"{path.name} is not a Pagefind fragment"
        fragment = json.loads(data[12:])
        fragment["language"] = path.name.split("_", 1)[0]
        pages[fragment["url"]] = fragment
    return pages


def sitemap_paths(site: Path) -> set[str]:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    return {"/" + url.removeprefix(SITE_URL) for url in re.findall(r"<loc>([^<]+)</loc>", text)}


LISTING = re.compile(r"^/([a-z]{2,3}(?:-[A-Za-z0-9]+)?/)?news/(archive/|category/|page/|.*/page/)")


# --------------------------------------------------------------------------------------------
# The index, as built


def test_one_pagefind_index_per_language_and_no_material_index(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == set(PROJECT.codes)
    assert all(entry["languages"][code]["page_count"] > 5 for code in PROJECT.complete_codes)
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not list(site.rglob("search_index.json")), "Material's search index is still written"
    assert not list((site / "pagefind").glob("pagefind-*ui*")), "unused Pagefind UI bundles deployed"
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "search_index" not in html and 'name="search"' not in html


def test_every_page_of_the_sitemap_but_news_listings_is_indexed_in_its_own_language(site):
    pages = indexed_pages(site)
    expected = {path for path in sitemap_paths(site) if not LISTING.match(path)}
    assert set(pages) == expected
    for url, page in pages.items():
        lang = next((l for l in PROJECT.languages if l.url_prefix and url.startswith("/" + l.url_prefix)),
                    PROJECT.languages[0])
        assert page["language"] == lang.code, url
    assert "/news/" in pages and "/es/news/" in pages  # the news index's own text, not its cards


def test_only_the_article_is_indexed_not_navigation_footer_or_post_links(site):
    pages = indexed_pages(site)
    about = pages["/es/about/"]["content"]
    assert "Quiénes somos" in about
    for chrome in ("Ir al contenido", "Siga la conversación", "Parte de ONU Mujeres", "Inicio"):
        assert chrome not in about, f"{chrome!r} (navigation or footer) was indexed"
    post = pages["/es/news/2020/beijing-25/"]["content"]
    for noise in ("Noticia anterior", "min de lectura", "Lea esta noticia", "¶"):
        assert noise not in post, f"{noise!r} was indexed with the post"
    home = pages["/"]["content"]
    post_titles = [p["meta"]["title"] for u, p in pages.items() if u.startswith("/news/20")]
    assert not any(title in home for title in post_titles), "the home page's latest posts were indexed"


def test_posts_have_their_date_and_category_and_year_filters_courses_their_topics(site):
    pages = indexed_pages(site)
    post = pages["/es/news/2019/cedaw-40th-anniversary/"]
    assert post["meta"]["date"] == "18 de diciembre de 2019"
    assert post["filters"]["year"] == ["2019"]
    assert set(post["filters"]["category"]) == {"CEDAW", "Marcos normativos"}
    courses = [p for u, p in pages.items() if re.match(r"^/(es/)?courses/[^/]+/$", u)]
    assert courses and all(p["filters"].get("topic") for p in courses)
    spanish = next(p for u, p in pages.items() if u.startswith("/es/courses/") and u.count("/") == 4)
    assert not set(spanish["filters"]["topic"]) & {"Normative frameworks", "Gender mainstreaming"}


@pytest.fixture(scope="module")
def special_site(tmp_path_factory) -> Path:
    """The real site plus a post only in English (so /es/ has an "only available in" notice)
    and an /admin/ page in both languages, rendered by our templates like any page."""
    from tests.conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("search-project"))
    for lang in LANGUAGES:  # a page in every language, so that /es/admin/ is one
        (project / "docs" / "admin").mkdir(exist_ok=True)
        (project / "docs" / "admin" / ("index.md" if lang.default else f"index.{lang.code}.md")).write_text(
            f"---\ntitle: Admin\nsummary: CMS.\n---\n# Admin\n\nZebracorn editors only ({lang.code}).\n",
            encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    listed = re.sub(r"^(not_in_nav: \|\n(\s+))", r"\1/admin/\n\2", text, count=1, flags=re.M)
    assert listed != text
    config.write_text(listed, encoding="utf-8")
    (project / "news" / "2021").mkdir(parents=True, exist_ok=True)
    (project / "news" / "2021" / "only-english.md").write_text(
        "---\ntitle: Quokka festival\ndate: 2021-03-08\nsummary: Quokkas.\ncategories: [partnerships]\n"
        "---\nQuokkafest: words only in English.\n", encoding="utf-8")
    site_dir = tmp_path_factory.mktemp("search-site")
    result = build_site(project, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def test_only_in_notices_and_admin_pages_are_never_indexed(special_site):
    pages = indexed_pages(special_site)
    # Both were built, the admin page with our templates' data-pagefind-body (under /es/admin/;
    # the CMS, written after indexing, takes /admin/) ...
    assert (special_site / "es" / "news" / "2021" / "only-english" / "index.html").is_file()
    admin = (special_site / "es" / "admin" / "index.html").read_text(encoding="utf-8")
    assert "Zebracorn" in admin and "data-pagefind-body" in admin
    # ... yet only the English post itself can be found.
    assert "/news/2021/only-english/" in pages
    assert "/es/news/2021/only-english/" not in pages
    assert not [url for url in pages if "/admin/" in url]
    assert not [url for url, page in pages.items() if "Zebracorn" in page["content"]]


def test_the_cms_at_admin_is_not_indexed(site):
    if not (site / "admin" / "index.html").is_file():
        pytest.skip("the CMS is turned off (extra.cms.enabled: false): no /admin/ to keep out")
    assert not [url for url in indexed_pages(site) if url.startswith(("/admin/", "/es/admin/"))]


def test_page_glob_leaves_out_admin_and_asset_folders(tmp_path):
    for folder in ("about", "admin", "assets", "pagefind", "es/about", "es/admin", "news/admin"):
        (tmp_path / folder).mkdir(parents=True)
    glob = search.page_glob(tmp_path, ["", "es/"])
    parts = set(glob.strip("{}").split(","))
    assert parts == {"*.html", "about/**/*.html", "news/**/*.html", "es/*.html", "es/about/**/*.html"}


def test_indexing_failures_stop_the_build_with_a_clear_message(tmp_path):
    with pytest.raises(search.SearchIndexError, match="Pagefind failed to index"):
        search.index_site(tmp_path, LANGUAGES)  # nothing to index
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        "<main data-pagefind-body><h1>Only English</h1></main></body></html>", encoding="utf-8")
    with pytest.raises(search.SearchIndexError, match=r"no index for es"):
        search.index_site(tmp_path, LANGUAGES)


# --------------------------------------------------------------------------------------------
# In the browser

OPEN = "document.querySelector('[data-md-toggle=\"search\"]').checked"
STATUS = "[data-search-status]"
RESULT_LINKS = "#tc-search-results a"


def new_context(browser, **options):
    """A context that reaches the loopback server only (the quality gates' no-egress proxy)."""
    make = getattr(gates, "new_context", None)
    return make(browser, **options) if make else browser.new_context(**options)


@pytest.fixture
def tab(browser):
    """A fresh page whose console errors and uncaught exceptions are collected."""
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def type_query(page, query: str) -> None:
    """Open the search with "/" and type ``query``; wait until its results are counted."""
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_function(
        """([status, q]) => document.querySelector('#tc-search-input').value === q
             && /\\d|^No /.test(document.querySelector(status).textContent.trim())""",
        arg=[STATUS, query],
    )


def all_result_urls(page) -> list[str]:
    """Every result, following "More results" until there are no more."""
    more = page.locator("[data-search-more]")
    while more.is_visible():
        before = page.locator(RESULT_LINKS).count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('{RESULT_LINKS}').length > {before}")
    return page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.getAttribute('href'))")


def count_in(status: str) -> int:
    """The number in "12 matching documents" / "1 documento encontrado"; 0 for "No …"."""
    match = re.search(r"\d+", status)
    return int(match.group()) if match else 0


@pytest.mark.browser
@pytest.mark.parametrize("path, query", [("es/about/", "igualdad"), ("about/", "equality")])
def test_a_query_finds_pages_in_the_page_language_only(tab, served_site, path, query):
    tab.goto(served_site + path)
    type_query(tab, query)
    urls = all_result_urls(tab)
    assert len(urls) >= 5
    if path.startswith("es/"):
        assert all(u.startswith("/es/") for u in urls), urls
    else:
        assert not [u for u in urls if u.startswith("/es/")], urls
    assert count_in(tab.inner_text(STATUS)) == len(urls)
    assert not tab.errors


@pytest.mark.browser
def test_spanish_accents_are_folded_and_words_stemmed(tab, served_site):
    found = {}
    for query in ("género", "genero", "GENERO"):
        tab.goto(served_site + "es/")
        type_query(tab, query)
        found[query] = set(all_result_urls(tab))
    assert found["género"] == found["genero"] == found["GENERO"]
    assert "/es/training/" in found["genero"]  # "Capacitación para la igualdad de género"
    tab.goto(served_site + "es/")
    type_query(tab, "capacitaciones")  # only "capacitación" is written: the Spanish stemmer joins them
    assert "/es/training/" in all_result_urls(tab)
    assert not tab.errors


@pytest.mark.browser
def test_results_show_title_date_and_highlighted_words_and_the_count_is_announced(tab, served_site):
    tab.goto(served_site + "es/news/")
    status = tab.locator(STATUS)
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    type_query(tab, "cedaw")
    text = status.inner_text().strip()
    assert re.fullmatch(r"\d+ documentos encontrados", text), text
    href = '[href="/es/news/2019/cedaw-40th-anniversary/"]'
    link = tab.locator(RESULT_LINKS + href)
    post = tab.locator("#tc-search-results li", has=tab.locator("a" + href))
    # The link is the title (its accessible name); date and excerpt with the words found follow.
    assert link.inner_text().startswith("La CEDAW cumple 40 años")
    assert "18 de diciembre de 2019" in post.locator(".tc-search-result__meta").inner_text()
    assert post.locator("mark").all_inner_texts()[0].lower().startswith("cedaw")


@pytest.mark.browser
def test_filters_narrow_news_by_year_and_category(tab, served_site):
    tab.goto(served_site + "news/")
    type_query(tab, "women")
    tab.locator("[data-search-filters] summary").click()
    tab.wait_for_selector("[data-filter-field=year]:not([hidden]) option[value='2019']", state="attached")
    tab.select_option("#tc-search-filter-year", "2019")
    tab.wait_for_function(f"[...document.querySelectorAll('{RESULT_LINKS}')].every(a => a.getAttribute('href').startsWith('/news/2019/'))"
                          f" && document.querySelectorAll('{RESULT_LINKS}').length > 0")
    tab.select_option("#tc-search-filter-year", "")
    tab.fill("#tc-search-input", "")
    tab.select_option("#tc-search-filter-category", "CEDAW")  # browsing a category, no words
    tab.wait_for_function(f"document.querySelectorAll('{RESULT_LINKS}').length > 0")
    urls = all_result_urls(tab)
    assert "/news/2019/cedaw-40th-anniversary/" in urls
    assert all(u.startswith("/news/20") for u in urls), urls
    assert not tab.errors


@pytest.mark.browser
def test_search_works_from_the_keyboard(tab, served_site):
    tab.goto(served_site + "about/")
    assert not tab.evaluate(OPEN)
    tab.keyboard.press("s")
    assert tab.evaluate("document.activeElement.id") == "tc-search-input"
    assert tab.evaluate(OPEN)
    tab.keyboard.type("beijing")
    tab.wait_for_selector(RESULT_LINKS)
    links = tab.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.getAttribute('href'))")
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.getAttribute('href')") == links[0]
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.getAttribute('href')") == links[1]
    tab.keyboard.press("ArrowUp")
    tab.keyboard.press("ArrowUp")
    assert tab.evaluate("document.activeElement.id") == "tc-search-input"
    tab.keyboard.press("Escape")
    assert not tab.evaluate(OPEN)
    assert tab.evaluate("document.activeElement.id") != "tc-search-input"  # back where it was
    tab.keyboard.press("/")
    assert tab.evaluate("document.activeElement.id") == "tc-search-input" and tab.evaluate(OPEN)
    assert tab.input_value("#tc-search-input") == "beijing"
    tab.keyboard.press("Enter")
    tab.wait_for_url(served_site.rstrip("/") + links[0])
    assert not tab.errors


@pytest.mark.browser
def test_typing_s_or_slash_in_a_form_field_does_not_open_the_search(tab, served_site):
    tab.goto(served_site + "contact/")
    tab.evaluate("""() => {
      const field = document.createElement("input");
      field.id = "probe";
      field.setAttribute("aria-label", "probe");
      document.querySelector("article").append(field);
    }""")
    tab.focus("#probe")
    tab.keyboard.type("s/")
    assert tab.input_value("#probe") == "s/"
    assert not tab.evaluate(OPEN)


@pytest.mark.browser
def test_nothing_is_fetched_before_the_search_is_used_and_nothing_leaves_the_site(tab, served_site):
    with gates.RequestLog(tab, served_site) as log:
        urls = []
        tab.context.on("request", lambda r: urls.append(r.url))
        tab.goto(served_site + "es/instruments/cedaw/", wait_until="load")
        log.settle(tab)
        assert not [u for u in urls if "/pagefind/" in u], "the index loads before the reader searches"
        type_query(tab, "discriminación mujer")
        all_result_urls(tab)
        log.settle(tab)
    assert not log.foreign, log.foreign
    fetched = [u for u in urls if "/pagefind/" in u]
    assert any("pagefind.es_" in u for u in fetched) and not any("pagefind.en_" in u for u in fetched)
    assert not [u for u in urls if "search_index" in u]
    assert not tab.errors, tab.errors


_AXE = """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"]})).violations.map(v => `${v.id}: ${v.help} — ` +
  v.nodes.map(n => n.target.join(" ")).join(", "))"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_open_search_with_results_and_filters_passes_axe(browser, served_site, width):
    if not gates.AXE_JS.is_file():
        pytest.fail("axe-core is missing (npm ci)", pytrace=False)
    context = new_context(browser, viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(served_site + "es/news/2020/beijing-25/")
        type_query(page, "mujeres")
        page.locator("[data-search-filters] summary").click()
        page.wait_for_selector("[data-filter-field=year]:not([hidden])")
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
        page.add_script_tag(path=str(gates.AXE_JS))
        for scheme in ("default", "slate"):
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            assert page.evaluate(_AXE, gates.WCAG_TAGS) == [], scheme
    finally:
        context.close()
