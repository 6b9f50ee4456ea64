"""Languages are configuration: a copy of the site with French in progress (two pages and one post
translated) and one with Arabic, each built once; what their readers and search engines get.

Neither language is part of the real site: they live in tests/fixtures/languages/ only.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from tcsite import cards, data_files, locales, text_layout
from tcsite.check import check
from tcsite.course_pages import duration_text
from tcsite.project import Project, page_url
from tcsite.search import indexed_languages
from tcsite.untranslated import docs_versions, is_special
from tests.conftest import ROOT, SiteHandler, build_site
from tests.multilingual import FIXTURES, build_env, language_project, translated

SITE_URL = "https://trainingcentre.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def built(tmp_path_factory, *codes: str) -> tuple[Path, Path]:
    project = language_project(tmp_path_factory.mktemp("-".join(codes)) / "project", *codes)
    site = tmp_path_factory.mktemp("-".join(codes) + "-site")
    result = build_site(project, site, env=build_env(project))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project, site


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> tuple[Path, Path]:
    return built(tmp_path_factory, "fr")


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> tuple[Path, Path]:
    return built(tmp_path_factory, "ar")


def soup(site: Path, path: str) -> BeautifulSoup:
    file = site / path if path.endswith(".html") else site / path / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0] in ("admin", "pagefind", "assets"))


def url_of(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return "/" + rel.removesuffix("index.html")


def target_file(site: Path, here: str, href: str) -> Path:
    path = urlsplit(urljoin(here, href)).path
    return site / path.lstrip("/") / "index.html" if path.endswith("/") else site / path.lstrip("/")


def noindex(page: BeautifulSoup) -> bool:
    robots = page.select_one('meta[name="robots"]')
    return robots is not None and "noindex" in robots["content"]


def stand_in_paths(project: Path, code: str) -> list[str]:
    """URL paths of the pages of docs/ that have no version in ``code`` (its stand-ins)."""
    p = Project.load(project)
    found = []
    for docs_path, versions in docs_versions(p.docs_dir, p.codes, p.default).items():
        if code not in versions and not is_special(docs_path):
            found.append(f"{code}/{page_url(docs_path)}")
    return found


# --- French, in progress ------------------------------------------------------------------


def test_the_french_copy_is_configured_as_the_web_team_would(french):
    project, _ = french
    p = Project.load(project)
    assert p.codes == ["en", "es", "fr"] and p.languages_in_progress == ("fr",)
    assert {"docs/index.fr.md", "docs/about.fr.md", "news/2020/beijing-25.fr.md"} <= set(translated("fr"))
    assert [str(problem) for problem in check(p)] == []


def test_translated_french_pages_are_french_and_linked_everywhere(french):
    _, site = french
    about = soup(site, "fr/about/")
    assert about.html["lang"] == "fr" and about.h1.get_text(strip=True).rstrip("¶") == "Le Centre"
    assert not noindex(about) and about.select_one("[data-pagefind-body]") is not None
    for path in ("about/", "es/about/", "fr/about/"):
        alternates = {l["hreflang"]: l["href"] for l in soup(site, path).select('link[rel="alternate"][hreflang]')}
        assert alternates == {"en": SITE_URL + "about/", "es": SITE_URL + "es/about/", "fr": SITE_URL + "fr/about/",
                              "x-default": SITE_URL + "about/"}
    locales_ = [m["content"] for m in about.select('meta[property^="og:locale"]')]
    assert locales_ == ["fr_FR", "en_US", "es_ES"], "og:locale from CLDR's likely region, no setting needed"
    assert about.select_one(".md-tabs__link, .md-nav__link").get_text(strip=True) == "Accueil"


def test_an_untranslated_page_is_published_in_english_with_a_french_notice_and_noindex(french):
    project, site = french
    stand_ins = stand_in_paths(project, "fr")
    assert "fr/training/" in stand_ins and "fr/about/" not in stand_ins
    for path in stand_ins:
        page = soup(site, path)
        assert page.html["lang"] == "fr" and noindex(page), path
        assert page.select_one("[data-pagefind-body]") is None, f"{path} is in the French search index"
        notice = page.select_one("article aside.tc-untranslated")
        assert notice.get_text(" ", strip=True) == ("Cette page n'est pas encore traduite en français : "
                                                    "voici sa version originale en anglais."), path
        assert not notice.has_attr("lang"), "the notice is in the reader's language"
        hreflangs = {l["hreflang"] for l in page.select('link[rel="alternate"][hreflang]')}
        assert "fr" not in hreflangs, f"{path} claims to be a French translation"
    training = soup(site, "fr/training/")
    text = training.select_one(".tc-untranslated-text")
    assert text["lang"] == "en" and text.h1.get_text(strip=True).rstrip("¶") == "Training for gender equality"
    # Its links lead to French pages, translated or standing in.
    assert urljoin("/fr/training/", text.select_one('a[href*="about"]')["href"]) == "/fr/about/"


def test_no_switcher_or_alternate_leads_to_a_missing_page(french):
    _, site = french
    for file in html_pages(site):
        here = url_of(site, file)
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for link in page.select("a.md-select__link"):
            assert target_file(site, here, link["href"]).is_file(), f"switcher on {here}: {link['href']}"
        for link in page.select('link[rel="alternate"][hreflang]'):
            target = target_file(site, "/", urlsplit(link["href"]).path)
            assert target.is_file(), f"hreflang on {here}: {link['href']}"
            assert not noindex(BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")), \
                f"hreflang on {here} leads to a page that is not a translation: {link['href']}"


def test_french_pages_say_nothing_in_english_or_spanish_that_is_not_marked_as_such(french):
    """tests/test_language_quality.py's walk over every French page, feed and attribute: the
    texts standing in for translations, their titles in the navigation, are marked English."""
    from tests import test_language_quality as quality

    _, site = french
    own = {part.strip(" :·") for text in labels_of("fr").values() for form in locales.plural_texts(text).values()
           for part in re.split(r"\{[^}]*\}", form)} | quality.material_strings("fr")
    foreign = {s for code in ("en", "es") for s in quality.interface_strings(code)} - own
    patterns = [(s, quality.phrase(s)) for s in sorted(foreign)]
    problems = []
    for file in html_pages(site / "fr"):
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for text in quality.read_texts(page, "fr"):
            if text.lang == "fr":
                problems += [f"{url_of(site, file)}: {text.where} says {s!r}: {text.text[:80]!r}"
                             for s, pattern in patterns if pattern.search(text.text)]
    assert not problems, "\n".join(problems)
    stand_in_title = soup(site, "fr/about/").select_one('.md-tabs a[href$="training/"] span[lang]')
    assert (stand_in_title["lang"], stand_in_title.get_text(strip=True)) == ("en", "Training for gender equality")


def test_the_switcher_of_an_english_page_leads_to_its_french_stand_in(french):
    _, site = french
    switch = soup(site, "training/").select_one('a.md-select__link[hreflang="fr"]')
    assert urljoin("/training/", switch["href"]) == "/fr/training/"


def test_stand_ins_are_outside_the_sitemap_and_its_alternates(french):
    project, site = french
    urls = {u.find("s:loc", SITEMAP_NS).text: u for u in ET.parse(site / "sitemap.xml").findall("s:url", SITEMAP_NS)}
    for path in stand_in_paths(project, "fr"):
        assert SITE_URL + path not in urls
    hreflangs = lambda url: {l.get("hreflang") for l in urls[url].findall("x:link", SITEMAP_NS)}
    assert hreflangs(SITE_URL + "training/") == {"en", "es"}
    assert hreflangs(SITE_URL + "about/") == {"en", "es", "fr"}
    assert SITE_URL + "fr/news/2020/beijing-25/" in urls


def test_the_french_search_index_and_feed_hold_only_french_texts(french):
    _, site = french
    searchable = [p for p in html_pages(site / "fr") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert {url_of(site, p) for p in searchable} == {"/fr/", "/fr/about/", "/fr/news/2020/beijing-25/"}
    assert indexed_languages(site)["fr"] == len(searchable)
    feed = feedparser.parse((site / "fr" / "news" / "rss.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "fr"
    assert [entry.title for entry in feed.entries] == [
        "Beijing+25 : 25 ans de la Déclaration et du Programme d'action de Beijing"]


def test_the_notice_of_an_untranslated_post_names_the_english_original_first_then_every_version(french):
    _, site = french
    here = "/fr/news/2018/annual-report-2017-growth/"
    notice = soup(site, here.strip("/")).article
    assert "Cette actualité n'est disponible qu'en anglais et espagnol :" in notice.get_text(" ", strip=True)
    links = notice.select("a[hreflang]")
    assert [(a["hreflang"], urljoin(here, a["href"])) for a in links] == [
        ("en", "/news/2018/annual-report-2017-growth/"), ("es", "/es/news/2018/annual-report-2017-growth/")]
    assert all(a["lang"] == a["hreflang"] for a in links)
    # An English post translated into French offers both other versions by name, in English.
    post = soup(site, "news/2020/beijing-25")
    assert [a.get_text(strip=True) for a in post.select(".tc-other-language a")] == [
        "Read this post in Spanish", "Read this post in French"]


def test_the_french_catalogue_lists_every_course_in_its_english_text_marked_as_such(french):
    _, site = french
    catalogue = soup(site, "fr/courses/")
    titles = catalogue.select(".tc-catalogue .tc-card__title")
    english = {c.get_text(strip=True) for c in soup(site, "courses/").select(".tc-catalogue .tc-card__title")}
    assert {t.get_text(strip=True) for t in titles} == english
    assert all(t["lang"] == "en" for t in titles)
    assert catalogue.select_one("#tc-course-count").get_text(strip=True) == f"{len(titles)} cours"
    course = soup(site, "fr/courses/i-know-gender/")
    assert noindex(course) and course.select_one(".tc-course header")["lang"] == "en"
    assert course.select_one(".tc-key-facts h2").get_text(strip=True) == "L'essentiel"


def test_the_french_404_page_shows_the_english_text_marked_as_english(french):
    _, site = french
    page = soup(site, "fr/404.html")
    assert page.html["lang"] == "fr"
    text = page.article.select_one("div[lang]")
    assert text["lang"] == "en" and "not found" in text.h1.get_text().lower()


def test_a_complete_language_still_refuses_a_missing_twin_and_a_language_in_progress_does_not(tmp_path):
    project = language_project(tmp_path / "project", "fr")
    (project / "docs" / "contact.es.md").unlink()
    (project / "docs" / "about.fr.md").unlink()
    problems = [str(problem) for problem in check(Project.load(project))]
    assert problems == ["docs/contact.md:1:1: this page has no 'es' version "
                        "(create docs/contact.es.md with the translated text)"]
    result = build_site(project, tmp_path / "site", env=build_env(project))
    assert result.returncode != 0 and problems[0] in result.stderr


def test_languages_in_progress_may_only_name_other_languages_of_the_site(tmp_path):
    project = language_project(tmp_path / "project", "fr")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    - fr\n", "    - fr\n    - de\n    - en\n", 1),
                      encoding="utf-8")
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
                if "languages_in_progress" in text)
    problems = [str(p) for p in check(Project.load(project))]
    assert problems == [
        f"mkdocs.yml:{line}:1: languages_in_progress lists 'de', which is not a language of the site (add 'de' "
        "under the i18n plugin's languages (with build: true), or remove it; the site's languages are en, es, fr)",
        f"mkdocs.yml:{line}:1: languages_in_progress lists 'en', the default language, whose pages are the "
        "originals (remove 'en' from languages_in_progress)",
    ]


# --- Arabic: right to left ----------------------------------------------------------------


def test_arabic_pages_are_right_to_left_from_the_root_element(arabic):
    _, site = arabic
    for path in ("ar/", "ar/about/", "ar/training/", "ar/news/2020/beijing-25/", "ar/404.html"):
        page = soup(site, path)
        assert (page.html["lang"], page.html["dir"], page.body["dir"]) == ("ar", "rtl", "rtl"), path
    english = soup(site, "about/")
    assert (english.html["dir"], english.body["dir"]) == ("ltr", "ltr")


def test_mixed_direction_text_is_isolated(arabic):
    _, site = arabic
    page = soup(site, "ar/")
    hashtag = page.select_one('.tc-footer__links a[href*="hashtag"]')
    assert hashtag.get_text() == "#UNWomenTC" and hashtag["dir"] == "ltr"
    names = {a["hreflang"]: (a["lang"], a["dir"]) for a in soup(site, "about/").select("a.md-select__link")}
    assert names == {"en": ("en", "ltr"), "es": ("es", "ltr"), "ar": ("ar", "rtl")}
    stand_in = soup(site, "ar/training/").select_one(".tc-untranslated-text")
    assert (stand_in["lang"], stand_in["dir"]) == ("en", "ltr")
    notice = soup(site, "ar/news/2018/annual-report-2017-growth/").article
    assert {(a["lang"], a["dir"]) for a in notice.select("a[hreflang]")} == {("en", "ltr"), ("es", "ltr")}
    assert "متاح فقط باللغة الإنجليزية والإسبانية" in notice.get_text(" ", strip=True)


def test_arabic_counts_take_their_plural_forms_from_cldr(arabic):
    _, site = arabic
    catalogue = soup(site, "ar/courses/")
    count = len(catalogue.select(".tc-catalogue [data-course]"))
    form = catalogue.select_one("form[data-course-filter]")
    assert {name.removeprefix("data-count-") for name in form.attrs if name.startswith("data-count-")} == {
        "none", "one", "two", "few", "many", "other"}
    expected = form[f"data-count-{locales.plural_form(count, 'ar')}"].format(count=count)
    assert catalogue.select_one("#tc-course-count").get_text(strip=True) == expected


@pytest.mark.browser
def test_the_catalogue_filter_counts_with_the_same_plural_rules_as_the_build(arabic, browser):
    _, site = arabic
    server, base = serve_directory(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "ar/courses/")
        form = soup(site, "ar/courses/").select_one("form[data-course-filter]")
        seen = set()
        for topic in page.eval_on_selector_all("#tc-filter-topic option", "os => os.map(o => o.value)"):
            page.select_option("#tc-filter-topic", topic)
            shown = page.locator(".tc-catalogue [data-course]:not([hidden])").count()
            form_name = locales.plural_form(shown, "ar") if shown else "none"
            expected = form[f"data-count-{form_name}"].format(count=shown)
            page.wait_for_function("text => document.getElementById('tc-course-count').textContent === text", arg=expected)
            seen.add(form_name)
        assert {"one", "few"} <= seen, seen
    finally:
        context.close()
        server.shutdown()


def serve_directory(directory: Path):
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_arabic_share_cards_are_mirrored(arabic):
    _, site = arabic
    image = soup(site, "ar/about/").select_one('meta[property="og:image"]')["content"]
    with Image.open(site / image.removeprefix(SITE_URL)) as card:
        card = card.convert("RGB")
        assert card.getpixel((cards.WIDTH - 140, 84)) == cards.LIGHT, "the accent bar starts on the right"
        assert card.getpixel((140, 84)) == cards.BLUE
        title_band = card.crop((0, 160, cards.WIDTH, 240))
        left, _, right, _ = Image.eval(title_band, lambda v: 255 if v > 200 else 0).convert("L").getbbox()
        assert right > cards.WIDTH - cards.MARGIN - 10 and left > cards.MARGIN, "the title is set from the right"


def test_a_right_to_left_language_without_text_shaping_refuses_the_build_and_says_what_to_install(tmp_path):
    project = language_project(tmp_path / "project", "ar")
    # Pillow as on a machine without FriBiDi: raqm loads, but cannot shape.
    (project / "sitecustomize.py").write_text(
        "from PIL import features\n"
        "_check = features.check_feature\n"
        "features.check_feature = lambda name: False if name == 'fribidi' else _check(name)\n", encoding="utf-8")
    result = build_site(project, tmp_path / "site", env=build_env(project))
    line = next(n for n, text in enumerate((project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
                if "locale: ar" in text)
    assert result.returncode != 0
    assert (f"mkdocs.yml:{line}:1: share cards in Arabic need complex text layout, and Pillow on this machine "
            "cannot shape text") in result.stderr
    assert "sudo apt-get install libfribidi0" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# --- locale rules, without a build ----------------------------------------------------------


@pytest.mark.parametrize("code, count, expected", [
    ("en", 1, "1 hour"), ("en", 1.5, "1.5 hours"), ("en", 0.5, "0.5 hours"),
    ("fr", 1, "1 heure"), ("fr", 1.5, "1,5 heure"), ("fr", 2, "2 heures"),
    ("ar", 1, "ساعة واحدة"), ("ar", 2, "ساعتان"), ("ar", 3, "3 ساعات"), ("ar", 11, "11 ساعة"),
])
def test_durations_take_the_plural_form_of_their_language(code, count, expected):
    assert duration_text(count, labels_of(code), locales.region_locale(code)) == expected


def labels_of(code: str) -> dict:
    """A language's labels: the site's own, or a fixture language's."""
    fixture = FIXTURES / code / "data" / "labels.yml"
    if fixture.is_file():
        return yaml.safe_load(fixture.read_text(encoding="utf-8"))
    return {key: texts[code] for key, texts in yaml.safe_load((ROOT / "data" / "labels.yml").read_text(encoding="utf-8")).items()}


def test_list_separators_come_from_cldr():
    assert locales.list_separators(3, "en_GB") == [", ", " and ", ""]
    assert locales.list_separators(2, "es_ES") == [" y ", ""]
    assert locales.join(["anglais", "espagnol"], "fr_FR") == "anglais et espagnol"
    assert locales.region_locale("fr") == "fr_FR" and locales.region_locale("ar") == "ar_EG"
    assert locales.direction("ar") == "rtl" and locales.direction("fr") == "ltr"


def test_text_layout_is_required_only_for_scripts_that_need_it(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - i18n:\n      languages:\n        - locale: hi\n", encoding="utf-8")
    assert text_layout.problems(["en", "es", "fr"], config, tmp_path, shapes=lambda: False) == []
    [problem] = text_layout.problems(["en", "hi"], config, tmp_path, shapes=lambda: False)
    assert (problem.path, problem.line) == ("mkdocs.yml", 4) and "Hindi" in problem.message
    assert text_layout.problems(["en", "hi"], config, tmp_path, shapes=lambda: True) == []


# --- valid HTML, no dead link, in both copies ---------------------------------------------


def quality_gates():
    sys.path.insert(0, str(ROOT / "tests" / "quality"))
    import quality_gates as gates

    return gates


@pytest.mark.parametrize("copy", ["french", "arabic"])
def test_every_page_of_each_copy_is_valid_html_without_a_dead_link(copy, request):
    gates = quality_gates()
    _, site = request.getfixturevalue(copy)
    report = gates.vnu_check(sorted(site.rglob("*.html")), relative_to=site)
    assert not report.errors, "\n".join(map(str, report.errors))
    links = gates.dead_links(site, SITE_URL)
    assert links.checked > 1000 and not links.dead, "\n".join(links.dead)


@pytest.mark.browser
@pytest.mark.parametrize("copy, paths", [
    ("french", ["fr/", "fr/training/", "fr/courses/", "fr/news/2018/annual-report-2017-growth/"]),
    ("arabic", ["ar/", "ar/about/", "ar/courses/i-know-gender/", "ar/news/"]),
])
def test_pages_in_progress_and_right_to_left_pass_axe(copy, paths, request, browser):
    gates = quality_gates()
    _, site = request.getfixturevalue(copy)
    server, base = serve_directory(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        found = [v for path in paths for v in gates.axe_violations(page, base + path, ("default", "slate"))]
        assert not found, "\n".join(map(str, found))
    finally:
        context.close()
        server.shutdown()


def test_plural_forms_of_a_label_are_checked_at_their_line(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    labels = tmp_path / "data" / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    broken = text.replace('    one: "{count} curso"\n', '    uno: "{count} curso"\n', 1)
    broken = broken.replace('    other: "{hours} hours"\n', '    other: "hours"\n', 1)
    assert broken.count("\n") == text.count("\n") and broken != text
    labels.write_text(broken, encoding="utf-8")
    lines = broken.splitlines()
    uno = next(n for n, line in enumerate(lines, 1) if "uno:" in line)
    hours = next(n for n, line in enumerate(lines, 1) if 'other: "hours"' in line)
    problems = [str(p) for p in data_files.read_data(tmp_path, ["en", "es"]).problems]
    assert problems == [
        f"data/labels.yml:{uno}:5: 'uno' under 'course_count' (es) is not a plural form "
        "(the forms are CLDR's: zero, one, two, few, many, other)",
        f"data/labels.yml:{hours}:12: the 'en' other form of 'course_hours' lacks {{hours}} "
        "(put it where the value goes; this label takes {hours})",
    ]
    # A form other than "other" may leave the number out: Arabic's "two courses" is one word.
    labels.write_text(text.replace('    one: "{count} course"\n', "    one: One course\n", 1), encoding="utf-8")
    assert data_files.read_data(tmp_path, ["en", "es"]).problems == []
