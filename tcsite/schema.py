"""The one place where content fields are defined: type, required, vocabulary, help text.

The build, ``python -m tcsite check``, the scaffolding and the editors' guide all read these
definitions, so they cannot disagree about what a field means.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from tcsite import data_files
from tcsite.content import Document
from tcsite.validation import Problem


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | date | bool | list | url | number | cost | image | hash
    help: str
    required: bool = False
    vocabulary: str | None = None  # name of a data/<vocabulary>.yml file
    shared: bool = False  # must be equal in every language version
    choices: tuple[str, ...] | None = None  # the only values allowed (each item, for a list)
    max_items: int | None = None  # a list: at most this many (None: MAX_LIST_ITEMS)


# Bounds on what one field may hold: a list, each value once and at most MAX_LIST_ITEMS (more than
# any vocabulary has, unless the field says fewer); a text, a date-line's worth of characters.
MAX_LIST_ITEMS = 20
MAX_TEXT_CHARS = 1000
TEXT_KINDS = ("text", "image", "url")

# Set by the layout, not by editors: new files leave them out and the guide lists them apart.
LAYOUT_FIELDS = frozenset({"template", "hide", "search"})
# The layouts of our own special pages (overrides/), each for the one page made for it: they expect
# what the build gives only that page (the latest posts, a news listing, the catalogue). Any other
# template would expect something else (a post, a redirect's address) or be no page at all.
PAGE_TEMPLATES = {"index.md": "home.html", "news/index.md": "news-index.html", "courses/index.md": "courses-index.html"}
COURSE_TEMPLATE = "course.html"  # what the build gives every course page
# The parts of a page that Material can hide (its templates read page.meta.hide).
HIDDEN_PARTS = ("navigation", "toc", "footer", "feedback", "tags", "path")

# A translation records which version of its source it matches (see tcsite.status): the first
# 12 hexadecimal digits of a hash of the source's text, written by `python -m tcsite status --accept`.
TRANSLATION_HASH = re.compile(r"[0-9a-f]{12}")
TRANSLATION_OF = Field(
    "translation_of", "hash",
    "Only in a translation, written by 'python -m tcsite status --accept <file>': which version of "
    "the English text this translation matches. Do not edit it by hand.",
)

PAGE_FIELDS = (
    Field("title", "text", "The page title, shown in the navigation and the browser tab.", True),
    Field("summary", "text", "One or two sentences (at most 155 characters) for search engines and share cards."),
    Field("template", "text", "Leave as it is: the layout of a special page (home, news index, course catalogue).",
          choices=tuple(PAGE_TEMPLATES.values())),
    Field("hide", "list", "Leave as it is: parts of the layout hidden on this page.", choices=HIDDEN_PARTS),
    Field("search", "text", "Leave as it is: search settings for this page."),
    TRANSLATION_OF,
)

POST_FIELDS = (
    Field("title", "text", "The headline of the post.", True),
    Field("date", "date", "Publication date, as YYYY-MM-DD.", True, shared=True),
    Field("summary", "text", "One or two sentences shown on news cards, in feeds and to search engines.", True),
    Field("categories", "list", "One to five categories from data/categories.yml.", True, "categories", shared=True,
          max_items=5),
    Field("author", "text", "Who wrote the post (optional)."),
    Field("image", "image", "The post's lead picture, shown on the post, its news card and share card: "
          "the photo as it comes from the camera, at least 1200 pixels wide, beside the post or in "
          "news/images/ (optional). Any size: the build makes the small copies and removes the "
          "camera's data (GPS position, serial number)."),
    Field("image_alt", "text", "What the picture shows, in a sentence, for readers who cannot see it; "
          "not the file name (required with image)."),
    Field("image_credit", "text", "Photo credit, e.g. 'UN Women/Name Surname' (optional)."),
    Field("draft", "bool", "true while the post is not ready: shown in previews, never published.", shared=True),
    Field("updated", "date", "Date of the last significant change, as YYYY-MM-DD (optional)."),
    TRANSLATION_OF,
)

# Course pages: docs/courses/<slug>.md and <slug>.es.md (not index.md, the catalogue).
# The facts of a course (shared=True) must be the same in every language; the texts are
# translated. Only title, summary, topics and registration_url are required: where a fact is
# unknown (a date, a duration, even the course code), leave the field out and the page shows
# nothing for it. Never invent one.
COURSE_FIELDS = (
    Field("title", "text", "The name of the course in this language.", True),
    Field("summary", "text", "One or two sentences for the catalogue card and search engines.", True),
    Field("code", "text", "The course code on the eLearning Campus (optional: leave it out when unknown).",
          shared=True),
    Field("format", "text", "How the course is taught: one of data/formats.yml "
          "(self-paced, facilitated, blended, in-person).", vocabulary="formats", shared=True),
    Field("languages", "list", "Languages the course is offered in, codes from data/languages.yml, "
          "e.g. [en, es, fr].", vocabulary="languages", shared=True),
    Field("duration_hours", "number", "Expected study time in hours, e.g. 10 or 1.5.", shared=True),
    Field("start", "date", "First day of the session, as YYYY-MM-DD (leave out for courses without dates).",
          shared=True),
    Field("end", "date", "Last day of the session, as YYYY-MM-DD.", shared=True),
    Field("open_enrolment", "bool", "true when learners can join at any time (courses without dates).",
          shared=True),
    Field("topics", "list", "One or more topics from data/topics.yml; related courses share a topic.",
          True, "topics", shared=True),
    Field("audience", "text", "Who the course is for, in a sentence."),
    Field("level", "text", "One of data/levels.yml: introductory, intermediate, advanced.",
          vocabulary="levels", shared=True),
    Field("certificate", "bool", "true when a certificate is awarded on completion, false when not.",
          shared=True),
    Field("cost", "cost", "free, or the fee in US dollars as a number, e.g. 450.", shared=True),
    Field("registration_url", "url", "Where to register: the course on the eLearning Campus (https://…).",
          True, shared=True),
    Field("partner", "text", "The institution the course is run with, if any (its name as it writes it).",
          shared=True),
    Field("image", "image", "A picture for the course page, as a path below docs/, "
          "e.g. assets/images/courses/leadership.jpg, at least 1200 pixels wide (optional). Any size: "
          "the build makes the small copies and removes the camera's data."),
    Field("image_alt", "text", "What the picture shows, in a sentence, for readers who cannot see it; "
          "not the file name (required with image)."),
    Field("template", "text", "Leave as it is: set by the build (course.html).", choices=(COURSE_TEMPLATE,)),
    Field("hide", "list", "Leave as it is: parts of the layout hidden on this page.", choices=HIDDEN_PARTS),
    Field("search", "text", "Leave as it is: search settings for this page."),
    TRANSLATION_OF,
)

SCHEMAS = {"page": PAGE_FIELDS, "post": POST_FIELDS, "course": COURSE_FIELDS}


def vocabulary(name: str) -> dict[str, dict[str, str]]:
    """A controlled vocabulary of the project being built or checked: slug -> {language: label}
    (``tcsite.data_files``)."""
    return data_files.active().vocabularies.get(name, {})


def validate(doc: Document, fields: tuple[Field, ...], place: str | None = None) -> list[Problem]:
    """Every problem in a document's front matter, each naming the field's line and a fix.

    ``place`` is a docs page's path below docs/ in the default language (``news/index.md``): where
    it is known, a ``template:`` must be the one made for that page.
    """
    known = {f.name: f for f in fields}
    problems = []
    for name in doc.meta:
        if name not in known:
            close = difflib.get_close_matches(str(name), known, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
            problems.append(doc.problem(name, f"unknown field '{name}'", fix))
    for f in fields:
        value = doc.meta.get(f.name)
        if value is None or value == "" or value == []:
            if f.required:
                problems.append(
                    Problem(doc.rel, doc.line_of(f.name), 1, f"missing required field '{f.name}'",
                            f"add '{f.name}:' — {f.help}")
                )
            continue
        problems.extend(_check_value(doc, f, value))
    template = doc.meta.get("template")
    if place is not None and "template" in known and template in (known["template"].choices or ()):
        problems.extend(_check_template_place(doc, template, place))
    if doc.meta.get("image") and not doc.meta.get("image_alt"):
        problems.append(
            doc.problem("image", "the image has no alt text", "add 'image_alt:' describing the picture")
        )
    return problems


def _check_value(doc: Document, f: Field, value) -> list[Problem]:
    if f.kind == "date" and not isinstance(value, dt.date):
        return [doc.problem(f.name, f"'{f.name}' is not a date: {value!r}", "write it as YYYY-MM-DD, e.g. 2018-05-18")]
    if f.kind == "bool" and not isinstance(value, bool):
        return [doc.problem(f.name, f"'{f.name}' must be true or false, not {value!r}", "write true or false")]
    if f.kind == "hash" and not (isinstance(value, str) and TRANSLATION_HASH.fullmatch(value)):
        return [doc.problem(f.name, f"'{f.name}' must be the 12-character code written by the status "
                            f"command, not {value!r}",
                            f"check the translation, then run: python -m tcsite status --accept {doc.rel}")]
    if f.kind in TEXT_KINDS and not isinstance(value, str):
        return [doc.problem(f.name, f"'{f.name}' must be text, not {type(value).__name__}", "put the text in quotes")]
    if isinstance(value, str) and data_files.control_character(value):
        return [doc.problem(f.name, f"'{f.name}' contains a control character "
                            f"({data_files.control_character(value)})", data_files.CONTROL_FIX)]
    if f.kind in TEXT_KINDS and len(value) > MAX_TEXT_CHARS:
        return [doc.problem(f.name, f"'{f.name}' is {len(value):,} characters long; a field may hold at most "
                            f"{MAX_TEXT_CHARS:,}", "shorten it; long text belongs in the body, below the front matter")]
    if f.kind == "text" and f.choices is not None:
        return _check_choices(doc, f, [value])
    if f.kind == "text" and f.vocabulary:
        return _check_vocabulary(doc, f, [value])
    if f.kind == "url" and not value.startswith(("https://", "http://")):
        return [doc.problem(f.name, f"'{f.name}' is not a web address: {value!r}",
                            "write the full address, starting with https://")]
    if f.kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
        return [doc.problem(f.name, f"'{f.name}' must be a number above 0, not {value!r}",
                            "write a number without units, e.g. 10 or 1.5")]
    if f.kind == "cost" and value != "free" and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
    ):
        return [doc.problem(f.name, f"'{f.name}' must be free or a number, not {value!r}",
                            "write free, or the fee in US dollars without a currency sign, e.g. 450")]
    if f.kind == "list":
        if not isinstance(value, list):
            return [doc.problem(f.name, f"'{f.name}' must be a list", f"write it as [{value}]")]
        bound = _list_bound(doc, f, value)
        if bound:
            return bound  # a list of thousands: one problem, not one per item
        problems = _repeated_items(doc, f, value)
        if f.choices is not None:
            problems += _check_choices(doc, f, value)
        if f.vocabulary:
            problems += _check_vocabulary(doc, f, value)
        return problems
    return []


def _check_choices(doc: Document, f: Field, values: list) -> list[Problem]:
    return [
        doc.problem(f.name, f"'{f.name}: {data_files.printable(str(value))}' is not allowed here",
                    f"use {' or '.join(f.choices)}, or remove it" if len(f.choices) < 3
                    else f"use one of {', '.join(f.choices)}, or remove it")
        for value in values
        if value not in f.choices
    ]


def _check_template_place(doc: Document, template: str, place: str) -> list[Problem]:
    own = PAGE_TEMPLATES.get(place)
    if template == own or template not in PAGE_TEMPLATES.values():
        return []  # the page's own layout, or a course's
    page = next(p for p, t in PAGE_TEMPLATES.items() if t == template)
    fix = f"write template: {own}" if own else "remove the line"
    return [doc.problem("template", f"'template: {template}' is the layout of docs/{page} only", fix)]


def _item_problem(doc: Document, f: Field, index: int, message: str, fix: str) -> Problem:
    """A problem at one item of a list field (its own line and column when YAML gave them)."""
    positions = doc.items.get(f.name) or []
    line, column = positions[index] if index < len(positions) else (doc.line_of(f.name), 1)
    return Problem(doc.rel, line, column, message, fix)


def _list_bound(doc: Document, f: Field, values: list) -> list[Problem]:
    limit = f.max_items or MAX_LIST_ITEMS
    if len(values) <= limit:
        return []
    return [_item_problem(doc, f, limit, f"'{f.name}' lists {len(values):,} items; it may list at most {limit}",
                          f"keep the {limit} that matter most")]


def _repeated_items(doc: Document, f: Field, values: list) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, value in enumerate(values):
        if display(value) in seen:
            problems.append(_item_problem(doc, f, index, f"'{display(value)}' is listed twice in '{f.name}'",
                                          "remove this one"))
        seen.add(display(value))
    return problems


def _check_vocabulary(doc: Document, f: Field, values: list) -> list[Problem]:
    if f.vocabulary in data_files.active().unreadable:
        return []  # its file cannot be read: that is the problem reported
    allowed = vocabulary(f.vocabulary)
    problems = []
    for value in values:
        if str(value) not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                doc.problem(
                    f.name,
                    f"'{value}' is not one of the {f.vocabulary} in data/{f.vocabulary}.yml",
                    f"{hint}use one of: {', '.join(allowed)}",
                )
            )
    return problems


def shared_field_mismatches(source: Document, twin: Document, fields: tuple[Field, ...]) -> list[Problem]:
    """Language versions must agree on shared fields (date, categories…); names both files."""
    problems = []
    for f in fields:
        if f.shared and source.meta.get(f.name) != twin.meta.get(f.name):
            problems.append(
                twin.problem(
                    f.name,
                    f"'{f.name}' is {display(twin.meta.get(f.name))} here but "
                    f"{display(source.meta.get(f.name))} in {source.rel}",
                    f"make '{f.name}' the same in both files",
                )
            )
    return problems


def twin_mismatches(records, default: str, fields: tuple[Field, ...]) -> list[Problem]:
    """For records (posts, courses) grouped by key: each translation against its source."""
    by_key: dict[str, list] = {}
    for record in records:
        by_key.setdefault(record.key, []).append(record)
    problems = []
    for versions in by_key.values():
        source = next((r for r in versions if r.lang == default), versions[0])
        for twin in versions:
            if twin is not source:
                problems.extend(shared_field_mismatches(source.doc, twin.doc, fields))
    return problems


def display(value) -> str:
    """A field value as an editor wrote it: 2018-05-18, [cedaw, beijing], true."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(display(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return "(none)" if value is None else str(value)
