"""The course catalogue turned into pages, and the context each course template receives.

One function per page type gives its template's context: ``catalogue_context``
(courses-index.html, for ``docs/courses/index.md``) and ``course_context`` (course.html, for
``docs/courses/<slug>.md``). Course pages are ordinary pages of ``docs/``: MkDocs renders their
body, we only choose their template and give it the course's facts. Each language pass gets a
fresh ``CoursePass``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from babel.numbers import format_currency, format_decimal
from markupsafe import Markup
from mkdocs.structure.files import Files, InclusionLevel

from tcsite import i18n, locales, seo
from tcsite.courses import (
    COURSES_PATH,
    PRICE_CURRENCY,
    STATUSES,
    Catalogue,
    Course,
    json_ld,
    status,
    status_order,
)
from tcsite.schema import vocabulary

TEMPLATES = {"catalogue": "courses-index.html", "course": "course.html"}
SCRIPT = "assets/javascripts/course-filter.js"
# The catalogue's filters: query parameter, the card's data attribute, the vocabulary.
FILTERS = (
    ("topic", "topics", "topics"),
    ("format", "format", "formats"),
    ("language", "languages", "languages"),
    ("status", "status", None),
)


@dataclass
class CoursePage:
    kind: str  # "catalogue" | "course"
    course: Course | None = None

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]


@dataclass
class CoursePass:
    """What the course catalogue adds to one language's build."""

    lang: i18n.Language
    catalogue: Catalogue
    date_locale: str
    today: dt.date
    site_url: str
    fallback: str | None = None  # in a language in progress: the default language, for untranslated courses

    def page_for(self, url: str) -> CoursePage | None:
        """The catalogue (``courses/``, ``es/courses/``) or a course (``courses/<slug>/``)."""
        prefix = self.lang.url_prefix + COURSES_PATH
        if not url.startswith(prefix):
            return None
        rest = url[len(prefix):]
        if rest == "":
            return CoursePage("catalogue")
        slug = rest.removesuffix("/")
        course = self.catalogue.get(self.lang.code, slug, self.fallback) if rest.endswith("/") and "/" not in slug else None
        return CoursePage("course", course) if course else None

    def keep_out_of_nav(self, files: Files) -> None:
        """Course pages are reached from the catalogue, not from the navigation."""
        sources = self.catalogue.sources()
        for file in files:
            if file.abs_src_path and Path(file.abs_src_path).resolve() in sources and file.inclusion.is_in_nav():
                file.inclusion = InclusionLevel.NOT_IN_NAV

    def context(self, page: CoursePage, page_url: str) -> dict:
        if page.kind == "catalogue":
            return catalogue_context(self.catalogue, self.lang, date_locale=self.date_locale, today=self.today,
                                     fallback=self.fallback)
        return course_context(
            self.catalogue, page.course, self.lang,
            date_locale=self.date_locale, today=self.today,
            page_url=i18n.absolute_url(self.site_url, page_url), site_url=self.site_url, fallback=self.fallback,
        )


# --- template contexts --------------------------------------------------------------------


def catalogue_context(catalogue: Catalogue, lang: i18n.Language, *, date_locale: str, today: dt.date,
                      fallback: str | None = None) -> dict:
    """courses-index.html: a card per course (open first), the filters, the result count; in a
    language in progress, the courses not translated yet in the ``fallback`` language's text."""
    labels = i18n.labels(lang.code)
    courses = catalogue.in_language(lang.code, fallback)
    courses.sort(key=lambda c: status_order(status(c, today)))  # stable: by title within a status
    cards = [course_card(c, lang, date_locale=date_locale, today=today) for c in courses]
    return {
        "cards": cards,
        "filters": _filters(cards, lang),
        "count_text": count_text(len(cards), labels, date_locale),
        # For course-filter.js, which counts with Intl.PluralRules and Intl.NumberFormat.
        "count_labels": {"none": labels["course_count_none"], **locales.plural_texts(labels["course_count"])},
        "locale": date_locale.replace("_", "-"),
        "script": SCRIPT,
    }


def course_card(course: Course, lang: i18n.Language, *, date_locale: str, today: dt.date) -> dict:
    """What a catalogue card shows, and the data attributes the filter reads."""
    labels = i18n.labels(lang.code)
    state = status(course, today)
    languages = [_label("languages", code, lang) for code in course.languages]
    return {
        "lang": course.lang,  # the language of its text: the default one's, in a language in progress
        "dir": locales.direction(course.lang),
        "title": course.title,
        "url": i18n.localized_path(course.path, lang),
        "summary": course.summary,
        "format": _label("formats", course.format, lang) if course.format else None,
        "duration": duration_text(course.meta.get("duration_hours"), labels, date_locale),
        "languages": languages,
        "languages_text": locales.join(languages, date_locale),
        "status": state,
        "status_label": labels[f"course_status_{state}"] if state else None,
        "topics": [_label("topics", slug, lang) for slug in course.topics],
        "data": {
            "topics": " ".join(course.topics),
            "format": course.format or "",
            "languages": " ".join(course.languages),
            "status": state or "",
        },
    }


def course_context(
    catalogue: Catalogue,
    course: Course,
    lang: i18n.Language,
    *,
    date_locale: str,
    today: dt.date,
    page_url: str,
    site_url: str,
    fallback: str | None = None,
) -> dict:
    """course.html: the key facts, the registration button, related courses and JSON-LD."""
    labels = i18n.labels(lang.code)
    meta = course.meta
    certificate = meta.get("certificate")
    card = course_card(course, lang, date_locale=date_locale, today=today)
    return {
        **card,
        "topic_separators": locales.list_separators(len(card["topics"]), date_locale),
        "code": meta.get("code"),
        "level": _label("levels", meta["level"], lang) if meta.get("level") else None,
        "audience": meta.get("audience"),
        "partner": meta.get("partner"),
        "dates_html": dates_html(course.start, course.end, labels, date_locale),
        "open_enrolment": course.open_enrolment and not (course.start or course.end),
        "certificate": None if certificate is None
        else labels["course_certificate_yes" if certificate else "course_certificate_no"],
        "cost": cost_text(meta.get("cost"), labels, date_locale),
        "registration_url": meta["registration_url"],
        "image": meta.get("image"),
        "image_alt": meta.get("image_alt"),
        "related": [
            course_card(other, lang, date_locale=date_locale, today=today)
            for other in catalogue.related(course, lang=lang.code, fallback=fallback)
        ],
        "catalogue_url": i18n.localized_path(COURSES_PATH, lang),
        "json_ld": seo.json_ld_script(json_ld(course, page_url, site_url)),
    }


# --- text ---------------------------------------------------------------------------------


def count_text(count: int, labels: dict, locale: str) -> str:
    """"No course matches…" for none, else the plural form of ``count`` (CLDR's rules)."""
    if count == 0:
        return labels["course_count_none"]
    return locales.choose(labels["course_count"], count, locale).format(count=format_decimal(count, locale=locale))


def duration_text(hours, labels: dict, locale: str) -> str | None:
    if not hours:
        return None
    text = locales.choose(labels["course_hours"], hours, locale)
    return text.format(hours=format_decimal(hours, locale=locale))


def cost_text(cost, labels: dict[str, str], locale: str) -> str | None:
    if cost is None:
        return None
    if cost == "free" or cost == 0:
        return labels["course_free"]
    return format_currency(cost, PRICE_CURRENCY, locale=locale)


def dates_html(start: dt.date | None, end: dt.date | None, labels: dict[str, str], locale: str) -> Markup | None:
    """The session's dates, localised, each in a ``<time>`` element; None without dates."""
    def time(day: dt.date) -> Markup:
        return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), i18n.format_long_date(day, locale))

    if start and end:  # a label given Markup escapes its own text (data_files.Label)
        return labels["course_dates_range"].format(start=time(start), end=time(end))
    if start:
        return labels["course_dates_from"].format(start=time(start))
    if end:
        return labels["course_dates_until"].format(end=time(end))
    return None


def _label(vocabulary_name: str, slug: str, lang: i18n.Language) -> str:
    return vocabulary(vocabulary_name)[slug][lang.code]


def _filters(cards: list[dict], lang: i18n.Language) -> list[dict]:
    """One filter per facet, offering only the values some course has (in vocabulary order)."""
    labels = i18n.labels(lang.code)
    filters = []
    for name, attribute, vocabulary_name in FILTERS:
        present = {value for card in cards for value in card["data"][attribute].split()}
        if vocabulary_name:
            options = [
                {"value": slug, "label": _capitalised(texts[lang.code])}
                for slug, texts in vocabulary(vocabulary_name).items()
                if slug in present
            ]
        else:
            options = [
                {"value": state, "label": labels[f"course_status_{state}"]}
                for state in STATUSES
                if state in present
            ]
        if options:
            filters.append({
                "name": name,
                "id": f"tc-filter-{name}",
                "label": labels[f"course_filter_{name}"],
                "any_label": labels[f"course_filter_any_{name}"],
                "options": options,
            })
    return filters


def _capitalised(text: str) -> str:
    """Options stand alone: "Inglés", though running text says "inglés"."""
    return text[:1].upper() + text[1:]
