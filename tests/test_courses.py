"""The course catalogue without MkDocs: status around its boundaries, the build date, related
courses, schema.org JSON-LD, and what load_courses refuses (tcsite.courses)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tcsite import seo
from tcsite.content import Document
from tcsite.courses import (
    COURSE_MODES,
    Catalogue,
    Course,
    build_date,
    iso_duration,
    json_ld,
    load_courses,
    status,
)
from tcsite.schema import COURSE_FIELDS, SCHEMAS, vocabulary
from tcsite.validation import ContentError
from tests.conftest import ROOT

TODAY = dt.date(2026, 1, 1)
DAY = dt.timedelta(days=1)
CODES = ["en", "es"]


def course(slug: str = "x", lang: str = "en", **meta) -> Course:
    meta = {"title": slug.title(), "summary": f"About {slug}.", "topics": ["leadership"],
            "registration_url": "https://trainingcentre.unwomen.org/", **meta}
    rel = f"docs/courses/{slug}{'' if lang == 'en' else '.' + lang}.md"
    return Course(Document(Path(rel), rel, lang, f"docs/courses/{slug}.md", meta), slug)


# --- status --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "meta, expected",
    [
        ({"start": TODAY, "end": TODAY + 30 * DAY}, "open"),            # starts today
        ({"start": TODAY + DAY, "end": TODAY + 30 * DAY}, "upcoming"),  # starts tomorrow
        ({"start": TODAY - 30 * DAY, "end": TODAY}, "open"),            # ends today
        ({"start": TODAY - 30 * DAY, "end": TODAY - DAY}, "closed"),    # ended yesterday
        ({"start": TODAY - DAY}, "open"),                               # started, no end
        ({"start": TODAY + DAY}, "upcoming"),                           # starts, no end
        ({"end": TODAY}, "open"),                                       # runs until today
        ({"end": TODAY - DAY}, "closed"),
        ({"open_enrolment": True}, "open"),                             # no dates, open enrolment
        ({}, None),                                                     # no dates, no enrolment: unknown
        ({"open_enrolment": False}, None),
        ({"open_enrolment": True, "end": TODAY - DAY}, "closed"),       # the dates win
        ({"open_enrolment": True, "start": TODAY + DAY}, "upcoming"),
    ],
)
def test_status_around_the_boundaries(meta, expected):
    assert status(course(**meta), TODAY) == expected


def test_build_date_comes_from_source_date_epoch():
    assert build_date({"SOURCE_DATE_EPOCH": "1767225600"}) == dt.date(2026, 1, 1)
    assert build_date({"SOURCE_DATE_EPOCH": "1767225599"}) == dt.date(2025, 12, 31)  # UTC, not local time
    assert build_date({}) == dt.date.today()
    assert build_date({"SOURCE_DATE_EPOCH": ""}) == dt.date.today()
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        build_date({"SOURCE_DATE_EPOCH": "yesterday"})


# --- related courses -----------------------------------------------------------------------

def test_related_courses_share_a_topic_most_shared_first_same_language_only():
    me = course("me", topics=["leadership", "gender-mainstreaming"])
    catalogue = Catalogue([
        me,
        course("one", topics=["leadership"]),
        course("both", topics=["gender-mainstreaming", "leadership"]),
        course("none", topics=["training-of-trainers"]),
        course("both", lang="es", topics=["gender-mainstreaming", "leadership"]),
        course("me", lang="es", topics=["leadership", "gender-mainstreaming"]),
    ])
    assert [c.slug for c in catalogue.related(me)] == ["both", "one"]
    assert all(c.lang == "en" for c in catalogue.related(me))
    assert [c.slug for c in catalogue.related(catalogue.get("es", "me"))] == ["both"]


def test_related_courses_are_limited():
    courses = [course(f"c{i}") for i in range(6)]
    assert len(Catalogue(courses).related(courses[0], limit=3)) == 3


# --- JSON-LD -------------------------------------------------------------------------------

def full_course(lang="en") -> Course:
    return course(
        "leadership", lang, code="TC-01", format="facilitated", languages=["en", "es"],
        duration_hours=10, start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 10), certificate=True,
        cost="free", level="intermediate", partner="KIT Royal Tropical Institute",
        topics=["leadership", "inclusive-organisations"],
    )


def test_json_ld_carries_the_required_course_properties():
    data = json_ld(full_course(), "https://example.org/courses/leadership/", "https://example.org/")
    text = seo.json_ld_script(data)
    parsed = json.loads(text)
    assert parsed["@context"] == "https://schema.org" and parsed["@type"] == "Course"
    assert parsed["name"] == "Leadership" and parsed["description"] == "About leadership."
    assert parsed["courseCode"] == "TC-01"
    assert parsed["provider"] == {"@type": "Organization", "name": "UN Women Training Centre",
                                  "url": "https://example.org/"}
    assert parsed["inLanguage"] == "en"
    assert parsed["availableLanguage"] == ["en", "es"]
    assert parsed["educationalCredentialAwarded"] == "Certificate of completion"
    assert parsed["offers"]["price"] == 0 and parsed["offers"]["category"] == "Free"
    assert parsed["hasCourseInstance"] == [{
        "@type": "CourseInstance", "courseMode": "online",
        "startDate": "2026-03-02", "endDate": "2026-04-10", "courseWorkload": "PT10H",
    }]


def test_json_ld_is_in_the_language_of_the_page():
    parsed = json_ld(full_course("es"), "https://example.org/es/courses/leadership/", "https://example.org/")
    assert parsed["inLanguage"] == "es"
    assert parsed["educationalCredentialAwarded"] == "Certificado de finalización"
    assert parsed["about"] == ["Liderazgo transformador", "Organizaciones inclusivas"]


def test_json_ld_leaves_out_what_is_unknown():
    parsed = json_ld(course("bare"), "https://example.org/courses/bare/", "https://example.org/")
    for absent in ("courseCode", "availableLanguage", "educationalCredentialAwarded", "offers",
                   "hasCourseInstance", "educationalLevel"):
        assert absent not in parsed
    paid = json_ld(course("paid", cost=450, certificate=False), "u", "p")
    assert paid["offers"]["price"] == 450 and paid["offers"]["priceCurrency"] == "USD"
    assert "educationalCredentialAwarded" not in paid


def test_json_ld_script_cannot_close_its_element():
    text = seo.json_ld_script(json_ld(course("x", title="A </script><b>"), "u", "p"))
    assert "</script>" not in text and "<b>" not in text
    assert json.loads(text)["name"] == "A </script><b>"


@pytest.mark.parametrize("hours, expected", [(10, "PT10H"), (1.5, "PT1H30M"), (0.5, "PT30M"), (2.25, "PT2H15M")])
def test_workload_is_an_iso_8601_duration(hours, expected):
    assert iso_duration(hours) == expected


def test_every_format_has_a_course_mode():
    assert set(vocabulary("formats")) == set(COURSE_MODES)
    assert set(COURSE_MODES.values()) <= {"online", "blended", "onsite"}


# --- the schema and load_courses -----------------------------------------------------------

def test_the_course_schema_is_registered_and_code_is_optional():
    assert SCHEMAS["course"] is COURSE_FIELDS
    fields = {f.name: f for f in COURSE_FIELDS}
    assert not fields["code"].required
    assert {n for n, f in fields.items() if f.required} == {"title", "summary", "topics", "registration_url"}
    shared = {"code", "format", "languages", "duration_hours", "start", "end", "open_enrolment", "topics",
              "level", "certificate", "cost", "registration_url", "partner"}
    assert {n for n, f in fields.items() if f.shared} == shared
    for name in ("title", "summary", "audience", "image_alt"):
        assert not fields[name].shared


@pytest.mark.parametrize("vocabulary_name", ["topics", "formats", "levels", "languages"])
def test_vocabularies_are_translated(vocabulary_name):
    for slug, labels in vocabulary(vocabulary_name).items():
        assert labels.get("en") and labels.get("es"), f"data/{vocabulary_name}.yml: {slug}"


def write(folder: Path, name: str, front: str, body: str = "Text.\n") -> Path:
    path = folder / "docs" / "courses" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path


GOOD = "title: T\nsummary: S.\ntopics: [leadership]\nregistration_url: https://trainingcentre.unwomen.org/\n"


def problems_of(tmp_path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_courses(tmp_path / "docs", tmp_path, CODES, "en")
    return [str(p) for p in caught.value.problems]


def test_load_courses_reads_both_languages_and_skips_the_catalogue_page(tmp_path):
    write(tmp_path, "index.md", "title: Courses\n")
    write(tmp_path, "index.es.md", "title: Cursos\n")
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "a.es.md", GOOD.replace("title: T", "title: T es"))
    catalogue = load_courses(tmp_path / "docs", tmp_path, CODES, "en")
    assert sorted((c.slug, c.lang) for c in catalogue.courses) == [("a", "en"), ("a", "es")]
    assert catalogue.get("es", "a").title == "T es"


def test_unknown_topic_and_format_name_the_file_and_line(tmp_path):
    write(tmp_path, "a.md", GOOD.replace("[leadership]", "[leadership, cooking]") + "format: webinar\n")
    found = problems_of(tmp_path)
    assert any(p.startswith("docs/courses/a.md:4:1: 'cooking' is not one of the topics in data/topics.yml") for p in found)
    assert any(p.startswith("docs/courses/a.md:6:1: 'webinar' is not one of the formats in data/formats.yml") for p in found)


def test_every_problem_is_reported_at_once(tmp_path):
    write(tmp_path, "a.md", GOOD + "duration_hours: ten\ncost: cheap\nregistration: x\nend: 2026-01-01\n"
          "start: 2026-02-01\nlanguages: [en, klingon]\nregistration_url_: x\n")
    found = "\n".join(problems_of(tmp_path))
    for expected in ("a.md:6:1: 'duration_hours' must be a number", "a.md:7:1: 'cost' must be free or a number",
                     "a.md:8:1: unknown field 'registration'", "a.md:9:1: the course ends (2026-01-01) before",
                     "a.md:11:1: 'klingon' is not one of the languages"):
        assert expected in found, found


def test_registration_url_must_be_a_web_address(tmp_path):
    write(tmp_path, "a.md", GOOD.replace("https://trainingcentre.unwomen.org/", "trainingcentre.unwomen.org"))
    assert any("a.md:5:1: 'registration_url' is not a web address" in p for p in problems_of(tmp_path))


def test_twins_must_agree_on_the_facts_but_not_the_texts(tmp_path):
    write(tmp_path, "a.md", GOOD + "duration_hours: 10\n")
    write(tmp_path, "a.es.md", GOOD.replace("summary: S.", "summary: Resumen.") + "duration_hours: 12\n")
    found = problems_of(tmp_path)
    assert len(found) == 1
    assert found[0].startswith("docs/courses/a.es.md:6:1: 'duration_hours' is 12 here but 10 in docs/courses/a.md")


def test_the_site_courses_are_valid_and_leave_unknown_facts_out():
    catalogue = load_courses(ROOT / "docs", ROOT, CODES, "en")
    slugs = {c.slug for c in catalogue.in_language("en")}
    assert {"i-know-gender", "transformative-leadership", "mainstreaming-gender-equality",
            "professional-development-of-trainers"} <= slugs
    assert {c.slug for c in catalogue.in_language("es")} == slugs
    for c in catalogue.courses:
        assert "code" not in c.meta, "no course code is public: leave 'code' out rather than invent one"
    know_gender = catalogue.get("en", "i-know-gender")
    assert know_gender.format == "self-paced" and know_gender.free and know_gender.open_enrolment
