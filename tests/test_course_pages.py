"""The catalogue and course pages in both languages, built from the fixture courses in
tests/fixtures/courses/ (build date 2026-01-01 through SOURCE_DATE_EPOCH, see conftest.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, build_site, copy_project

FIXTURES = ROOT / "tests" / "fixtures" / "courses"
SITE_URL = "https://trainingcentre.example.org/"


def use_fixture_courses(project: Path) -> None:
    """Replace the site's courses with the fixture set (the catalogue page stays)."""
    courses = project / "docs" / "courses"
    for path in courses.glob("*.md"):
        if not path.name.startswith("index."):
            path.unlink()
    for path in FIXTURES.glob("*.md"):
        shutil.copy2(path, courses / path.name)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("courses") / "project")
    use_fixture_courses(project)
    site_dir = project.parent / "site"
    result = build_site(project, site_dir)
    assert result.returncode == 0, f"the fixture site did not build:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return site_dir


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element, separator: str = " ") -> str:
    return re.sub(r"\s+", " ", element.get_text(separator)).strip()


def cards(page: BeautifulSoup) -> dict[str, BeautifulSoup]:
    return {text(c.select_one(".tc-card__title")): c for c in page.select(".tc-catalogue [data-course]")}


def pairs(dl) -> dict[str, str]:
    return {text(dt): text(dt.find_next_sibling("dd"), "") for dt in dl.select("dt")}


def facts(page: BeautifulSoup) -> dict[str, str]:
    return pairs(page.select_one(".tc-key-facts dl"))


def course_json_ld(page: BeautifulSoup) -> dict:
    found = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    courses = [d for d in found if d.get("@type") == "Course"]
    assert len(courses) == 1, found
    return courses[0]


# --- the catalogue -------------------------------------------------------------------------

STATUS = {
    "en": {"Running session": "Open now", "Starts today": "Open now", "Starts tomorrow": "Upcoming",
           "Ended yesterday": "No open session", "Always open": "Open now", "No dates": None},
    "es": {"Sesión en curso": "Abierto ahora", "Empieza hoy": "Abierto ahora", "Empieza mañana": "Próximamente",
           "Terminó ayer": "Sin convocatoria abierta", "Siempre abierto": "Abierto ahora", "Sin fechas": None},
}


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("es", "es/")])
def test_the_catalogue_lists_every_course_as_a_card_with_its_status(fixture_site, lang, prefix):
    page = soup(fixture_site, prefix + "courses/")
    assert page.html["lang"] == lang
    found = cards(page)
    # A course whose sessions are unknown shows no status at all (no "No open session").
    badges = {title: card.select_one(".tc-course-status") for title, card in found.items()}
    assert {title: badge and text(badge) for title, badge in badges.items()} == STATUS[lang]
    statuses = [card["data-status"] for card in found.values()]
    order = ["open", "upcoming", "closed", ""]
    assert statuses == sorted(statuses, key=order.index), "open courses come first, unknown last"
    for title, card in found.items():
        link = card.select_one(".tc-card__title a")["href"]
        assert (fixture_site / prefix / "courses" / link / "index.html").resolve().is_file(), link
        assert text(card.select_one(".tc-card__excerpt")).endswith(title + ".")
    assert text(page.select_one("#tc-course-count")) == ("6 courses" if lang == "en" else "6 cursos")
    # The page's own Markdown comes first.
    assert page.select_one("article h1").find_next("section", class_="tc-catalogue")


def test_cards_show_translated_format_duration_languages_and_topics(fixture_site):
    english = cards(soup(fixture_site, "courses/"))["Running session"]
    spanish = cards(soup(fixture_site, "es/courses/"))["Sesión en curso"]
    assert pairs(english.select_one("dl")) == {
        "Format": "Facilitated", "Duration": "12 hours", "Languages offered": "English, Spanish and French"}
    assert pairs(spanish.select_one("dl")) == {
        "Formato": "Con facilitación", "Duración": "12 horas", "Idiomas del curso": "inglés, español y francés"}
    assert [text(li) for li in english.select(".tc-tags li")] == ["Transformative leadership", "Inclusive organizations"]
    assert [text(li) for li in spanish.select(".tc-tags li")] == ["Liderazgo transformador", "Organizaciones inclusivas"]
    assert english["data-topics"] == "leadership inclusive-organisations"
    assert english["data-format"] == "facilitated" and english["data-languages"] == "en es fr"
    assert english["data-status"] == spanish["data-status"] == "open"
    bare = cards(soup(fixture_site, "courses/"))["No dates"]
    assert not bare.select("dl"), "a course without format, duration or languages shows no facts"


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("es", "es/")])
def test_the_filter_is_hidden_without_javascript_and_offers_what_the_courses_have(fixture_site, lang, prefix):
    page = soup(fixture_site, prefix + "courses/")
    form = page.select_one("form[data-course-filter]")
    assert form.has_attr("hidden")
    selects = {s["name"]: s for s in form.select("select")}
    assert set(selects) == {"topic", "format", "language", "status"}
    for name, select in selects.items():
        label = form.select_one(f'label[for="{select["id"]}"]')
        assert label and text(label), f"the {name} select has no label"
        assert select.select("option")[0]["value"] == ""
    formats = [text(o) for o in selects["format"].select("option")[1:]]
    assert formats == (["Self-paced", "Facilitated", "Blended", "In person"] if lang == "en"
                       else ["Autoguiado", "Con facilitación", "Semipresencial", "Presencial"])
    languages = [o["value"] for o in selects["language"].select("option")[1:]]
    assert languages == ["en", "es", "fr"]
    if lang == "es":
        assert [text(o) for o in selects["language"].select("option")[1:]] == ["Inglés", "Español", "Francés"]
    topics = {o["value"] for o in selects["topic"].select("option")[1:]}
    assert topics == {"leadership", "inclusive-organisations", "gender-mainstreaming", "gender-concepts",
                      "training-of-trainers"}
    count = page.select_one("#tc-course-count")
    assert count["aria-live"] == "polite"


@pytest.mark.parametrize("path", ["courses/", "es/courses/", "courses/running-session/", "es/courses/running-session/"])
def test_no_inline_script_handler_or_style(fixture_site, path):
    """What the course templates add passes a strict Content-Security-Policy: no inline script
    (JSON-LD is data, not script), no event handler attribute, no style attribute."""
    page = soup(fixture_site, path)

    def inline_scripts(html: BeautifulSoup) -> list[str]:
        return [s.string for s in html.select("script:not([src])")
                if s.get("type") not in ("application/json", "application/ld+json")]

    assert inline_scripts(page) == inline_scripts(soup(fixture_site, "about/")), "the theme's own, nothing more"
    assert not page.select(".md-content script:not([src])")
    for element in page.select(".tc-catalogue, .tc-catalogue *, .tc-course, .tc-course *, .tc-related *"):
        assert not [a for a in element.attrs if a.startswith("on")], element
        assert "style" not in element.attrs, element
    scripts = [s for s in page.select("script[src]") if "course-filter" in s["src"]]
    if "courses/" == path.removeprefix("es/"):
        assert len(scripts) == 1 and scripts[0].has_attr("defer")
    else:
        assert not scripts, "the filter script is loaded only on the catalogue"


# --- course pages --------------------------------------------------------------------------

def test_a_course_page_shows_its_key_facts_localised(fixture_site):
    english = facts(soup(fixture_site, "courses/running-session/"))
    spanish = facts(soup(fixture_site, "es/courses/running-session/"))
    assert english == {
        "Status": "Open now",
        "Dates": "1 December 2025 to 31 March 2026",
        "Format": "Facilitated",
        "Duration": "12 hours",
        "Languages offered": "English, Spanish and French",
        "Level": "Intermediate",
        "Audience": "Managers of UN entities.",
        "Certificate": "Yes, on completion",
        "Cost": "US$450.00",
        "In partnership with": "KIT Royal Tropical Institute",
        "Course code": "TC-FIX-01",
        "Topics": "Transformative leadership and Inclusive organizations",
    }
    assert spanish == {
        "Estado": "Abierto ahora",
        "Fechas": "Del 1 de diciembre de 2025 al 31 de marzo de 2026",
        "Formato": "Con facilitación",
        "Duración": "12 horas",
        "Idiomas del curso": "inglés, español y francés",
        "Nivel": "Intermedio",
        "Dirigido a": "Personal directivo de entidades de la ONU.",
        "Certificado": "Sí, al completar el curso",
        "Precio": "450,00 US$",
        "En colaboración con": "KIT Royal Tropical Institute",
        "Código del curso": "TC-FIX-01",
        "Temas": "Liderazgo transformador y Organizaciones inclusivas",
    }
    times = soup(fixture_site, "es/courses/running-session/").select(".tc-key-facts time")
    assert [t["datetime"] for t in times] == ["2025-12-01", "2026-03-31"]


def test_unknown_facts_are_not_shown(fixture_site):
    assert facts(soup(fixture_site, "courses/no-dates/")) == {"Topics": "Training of trainers"}
    assert facts(soup(fixture_site, "es/courses/always-open/")) == {
        "Estado": "Abierto ahora", "Inscripción": "Abierta en todo momento", "Formato": "Autoguiado",
        "Idiomas del curso": "inglés y español", "Nivel": "Introductorio", "Precio": "Gratuito",
        "Temas": "Conceptos de igualdad de género",
    }
    assert facts(soup(fixture_site, "es/courses/starts-today/"))["Duración"] == "1,5 horas"
    assert facts(soup(fixture_site, "courses/starts-today/"))["Certificate"] == "No"


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("es", "es/")])
def test_a_course_page_has_body_registration_button_and_related_courses(fixture_site, lang, prefix):
    page = soup(fixture_site, prefix + "courses/running-session/")
    assert text(page.select_one("h1")) == ("Running session" if lang == "en" else "Sesión en curso")
    heading = "Learning objectives" if lang == "en" else "Objetivos de aprendizaje"
    assert heading in text(page.select_one(".tc-course__body"))
    button = page.select_one(".tc-key-facts a.md-button.md-button--primary")
    assert button["href"] == "https://trainingcentre.unwomen.org/"
    assert text(button) == ("Register on the eLearning Campus" if lang == "en" else "Inscribirse en el Campus virtual")
    related = [text(a) for a in page.select(".tc-related .tc-card__title a")]
    # Shares a topic (leadership) with both; neither shares inclusive-organisations.
    assert related == (["Starts today", "Starts tomorrow"] if lang == "en" else ["Empieza hoy", "Empieza mañana"])
    assert not soup(fixture_site, prefix + "courses/always-open/").select(".tc-related")
    assert page.html["lang"] == lang


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("es", "es/")])
def test_the_json_ld_course_parses_and_is_in_the_page_language(fixture_site, lang, prefix):
    data = course_json_ld(soup(fixture_site, prefix + "courses/running-session/"))
    assert data["@context"] == "https://schema.org"
    assert data["name"] == ("Running session" if lang == "en" else "Sesión en curso")
    assert data["description"] and data["inLanguage"] == lang
    assert data["url"] == SITE_URL + prefix + "courses/running-session/"
    assert data["courseCode"] == "TC-FIX-01"
    assert data["provider"]["@type"] == "Organization" and data["provider"]["name"] == "UN Women Training Centre"
    assert data["provider"]["url"] == SITE_URL
    assert data["availableLanguage"] == ["en", "es", "fr"]
    assert data["offers"]["price"] == 450
    assert data["hasCourseInstance"] == [{"@type": "CourseInstance", "courseMode": "online",
                                          "startDate": "2025-12-01", "endDate": "2026-03-31",
                                          "courseWorkload": "PT12H"}]
    undated = course_json_ld(soup(fixture_site, prefix + "courses/always-open/"))
    assert undated["hasCourseInstance"] == [{"@type": "CourseInstance", "courseMode": "online"}]
    assert undated["offers"]["price"] == 0


def test_course_pages_are_in_both_languages_and_the_sitemap(fixture_site):
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    for prefix in ("", "es/"):
        assert f"<loc>{SITE_URL}{prefix}courses/starts-tomorrow/</loc>" in sitemap
    page = soup(fixture_site, "courses/starts-tomorrow/")
    switch = page.select_one('a.md-select__link[hreflang="es"]')
    assert switch["href"].rstrip("/").endswith("es/courses/starts-tomorrow")


# --- refused builds ------------------------------------------------------------------------

def add_course(project: Path, slug: str, extra: str) -> None:
    for suffix in (".md", ".es.md"):
        (project / "docs" / "courses" / f"{slug}{suffix}").write_text(
            "---\ntitle: Bad\nsummary: A course with a mistake.\n"
            f"{extra}registration_url: https://trainingcentre.unwomen.org/\n---\n\nText.\n",
            encoding="utf-8",
        )


def test_an_unknown_topic_fails_the_build_naming_file_and_line(project_copy, tmp_path):
    add_course(project_copy, "bad-topic", "topics: [leadership, knitting]\n")
    result = build_site(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/courses/bad-topic.md:4:1: 'knitting' is not one of the topics in data/topics.yml" in output
    assert "docs/courses/bad-topic.es.md:4:1: 'knitting' is not one of the topics" in output
    assert not (tmp_path / "site" / "index.html").exists(), "a refused build must write nothing"


def test_an_unknown_format_fails_the_build_naming_file_and_line(project_copy, tmp_path):
    add_course(project_copy, "bad-format", "topics: [leadership]\nformat: webinar\n")
    result = build_site(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/courses/bad-format.md:5:1: 'webinar' is not one of the formats in data/formats.yml" in output
