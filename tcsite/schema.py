"""The one place where content fields are defined: type, required, vocabulary, help text.

The build, ``python -m tcsite check``, the scaffolding and the editors' guide all read these
definitions, so they cannot disagree about what a field means.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from tcsite.content import Document
from tcsite.validation import Problem

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | date | bool | list | url | number | image
    help: str
    required: bool = False
    vocabulary: str | None = None  # name of a data/<vocabulary>.yml file
    shared: bool = False  # must be equal in every language version


PAGE_FIELDS = (
    Field("title", "text", "The page title, shown in the navigation and the browser tab.", True),
    Field("summary", "text", "One or two sentences (at most 155 characters) for search engines and share cards."),
    Field("template", "text", "Leave as it is: the layout of a special page (home, news index)."),
    Field("hide", "list", "Leave as it is: parts of the layout hidden on this page."),
    Field("search", "text", "Leave as it is: search settings for this page."),
)

POST_FIELDS = (
    Field("title", "text", "The headline of the post.", True),
    Field("date", "date", "Publication date, as YYYY-MM-DD.", True, shared=True),
    Field("summary", "text", "One or two sentences shown on news cards, in feeds and to search engines.", True),
    Field("categories", "list", "One or more categories from data/categories.yml.", True, "categories", shared=True),
    Field("author", "text", "Who wrote the post (optional)."),
    Field("image", "image", "A picture for the post: a file beside the post or in news/images/ (optional)."),
    Field("image_alt", "text", "What the picture shows, for readers who cannot see it (required with image)."),
    Field("image_credit", "text", "Photo credit, e.g. 'UN Women/Name Surname' (optional)."),
    Field("draft", "bool", "true while the post is not ready: shown in previews, never published.", shared=True),
    Field("updated", "date", "Date of the last significant change, as YYYY-MM-DD (optional)."),
)

SCHEMAS = {"page": PAGE_FIELDS, "post": POST_FIELDS}


@lru_cache(maxsize=None)
def vocabulary(name: str, data_dir: Path = DATA_DIR) -> dict[str, dict[str, str]]:
    """A controlled vocabulary: slug -> {language: label}."""
    with (data_dir / f"{name}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def validate(doc: Document, fields: tuple[Field, ...]) -> list[Problem]:
    """Every problem in a document's front matter, each naming the field's line and a fix."""
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
                    Problem(doc.rel, 1, 1, f"missing required field '{f.name}'", f"add '{f.name}:' — {f.help}")
                )
            continue
        problems.extend(_check_value(doc, f, value))
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
    if f.kind in ("text", "image", "url") and not isinstance(value, str):
        return [doc.problem(f.name, f"'{f.name}' must be text, not {type(value).__name__}", "put the text in quotes")]
    if f.kind == "list":
        if not isinstance(value, list):
            return [doc.problem(f.name, f"'{f.name}' must be a list", f"write it as [{value}]")]
        if f.vocabulary:
            return _check_vocabulary(doc, f, value)
    return []


def _check_vocabulary(doc: Document, f: Field, values: list) -> list[Problem]:
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


def display(value) -> str:
    """A field value as an editor wrote it: 2018-05-18, [cedaw, beijing], true."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(display(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return "(none)" if value is None else str(value)
