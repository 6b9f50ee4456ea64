"""Reading a content file once: its front matter (with the line of every field) and its body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tcsite.naming import split_language_suffix
from tcsite.validation import ContentError, Problem, relative_to

FENCE = "---"
# libyaml's loader when PyYAML was built with it (about ten times faster), else pure Python.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    path: Path
    rel: str  # path relative to the project root, as editors see it in messages
    lang: str
    key: str  # the same for every language version ("news/2018/report.md")
    meta: dict
    lines: dict[str, int] = field(default_factory=dict)  # field name -> line in the file
    body: str = ""
    body_line: int = 1

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)

    def problem(self, name: str | None, message: str, fix: str = "") -> Problem:
        return Problem(self.rel, self.line_of(name) if name else 1, 1, message, fix)


@dataclass
class Record:
    """A content file as the site uses it (a post, a course): its document and its slug."""

    doc: Document
    slug: str

    @property
    def lang(self) -> str:
        return self.doc.lang

    @property
    def key(self) -> str:
        return self.doc.key

    @property
    def meta(self) -> dict:
        return self.doc.meta

    @property
    def title(self) -> str:
        return self.meta["title"]


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Returns (front matter text or None, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return None, text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return "".join(lines[1:]), "", len(lines) + 1


def read_document(path: Path, root: Path, codes: list[str], default: str) -> Document:
    rel = relative_to(path, root)
    base, lang = split_language_suffix(path.name, codes)
    key = Path(rel).with_name(base).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ContentError(
            [Problem(rel, line, 1, "the file is not UTF-8 text", "save it with the UTF-8 encoding")]
        ) from None
    front, body, body_line = split_front_matter(text)
    meta, lines = parse_front_matter(front, rel)
    return Document(path, rel, lang or default, key, meta, lines, body, body_line)


def parse_front_matter(front: str | None, rel: str) -> tuple[dict, dict[str, int]]:
    if front is None:
        raise ContentError(
            [Problem(rel, 1, 1, "the file has no front matter", "start it with a '---' block")]
        )
    loader = SafeLoader(front)
    try:
        node = loader.get_single_node()
        _impossible_dates_as_text(node)
        meta = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based lines, +1 for the opening '---'
        column = mark.column + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        raise ContentError(
            [Problem(rel, line, column, f"the front matter is not valid YAML: {reason}",
                     "check the indentation and put quotes around text containing ':'")]
        ) from None
    finally:
        loader.dispose()
    if meta is None:
        return {}, {}
    if not isinstance(meta, dict):
        raise ContentError(
            [Problem(rel, 2, 1, "the front matter must be a list of 'field: value' lines",
                     "write one 'name: value' per line")]
        )
    lines = {key.value: key.start_mark.line + 2 for key, _ in node.value}
    return meta, lines


TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _impossible_dates_as_text(node) -> None:
    """'2021-02-30' looks like a date to YAML but is none: keep it as text for the schema to report
    ("'date' is not a date"), instead of letting the YAML library raise ValueError."""
    if not isinstance(node, yaml.MappingNode):
        return
    for _, value in node.value:
        if value.tag != TIMESTAMP_TAG:
            continue
        match = yaml.constructor.SafeConstructor.timestamp_regexp.match(value.value)
        try:
            dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except (TypeError, ValueError):
            value.tag = "tag:yaml.org,2002:str"
