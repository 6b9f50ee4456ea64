"""Reading a content file once: its front matter (with the line of every field) and its body."""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tcsite import data_files, limits
from tcsite.naming import split_language_suffix
from tcsite.validation import ContentError, Problem, relative_to, yaml_error_place

FENCE = "---"
# libyaml's loader when PyYAML was built with it (about ten times faster), else pure Python.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# One Markdown file: a long annual report is a tenth of this. Larger files are refused unread.
MAX_FILE_BYTES = 1024 * 1024
# 'field: [a, b]' or 'field: {key: value}' nests 2 levels (the front matter itself is the first).
MAX_FRONT_MATTER_DEPTH = 3


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
    items: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # list field -> (line, column) of each item

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
    text = read_text(path, rel)
    control = control_character_problem(text, rel)
    if control:
        raise ContentError([control])
    front, body, body_line = split_front_matter(text)
    found = parse_front_matter(front, rel)
    deep = limits.too_deep(body, rel, body_line)
    if deep:
        raise ContentError([deep])
    return Document(path, rel, lang or default, key, found.meta, found.lines, body, body_line, found.items)


def control_character_problem(text: str, rel: str) -> Problem | None:
    """A character that pages and feeds cannot carry, at its line and column (a carriage return,
    from a file saved with Windows line endings, is a line break)."""
    for found in data_files.CONTROL.finditer(text):
        if found[0] != "\r":
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
            return Problem(rel, line, column, f"the text contains a control character (U+{ord(found[0]):04X})",
                           data_files.CONTROL_FIX)
    return None


def reading_problems(paths, root: Path, codes: list[str], default: str) -> list[Problem]:
    """What keeps each of these files from being read (size, encoding, front matter, nesting)."""
    problems = []
    for path in paths:
        try:
            read_document(path, root, codes, default)
        except ContentError as error:
            problems += error.problems
    return problems


def read_text(path: Path, rel: str) -> str:
    """The file's text: at most ``MAX_FILE_BYTES`` of UTF-8, with or without a byte-order mark."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError([Problem(
            rel, 1, 1, f"the file is {-(-size // 1024):,} KB; a page or post may have at most "
            f"{MAX_FILE_BYTES // 1024:,} KB of text", "split it into several pages or posts")])
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)  # Windows Notepad starts files with one
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", errors="replace")) + 1
        raise ContentError([Problem(rel, line, column, "the file is not UTF-8 text: this character cannot be read",
                                    "save it with the UTF-8 encoding")]) from None


@dataclass
class FrontMatter:
    meta: dict
    lines: dict[str, int]  # field name -> line in the file
    items: dict[str, list[tuple[int, int]]]  # list field -> (line, column) of each item


def parse_front_matter(front: str | None, rel: str) -> FrontMatter:
    if front is None:
        raise ContentError(
            [Problem(rel, 1, 1, "the file has no front matter", "start it with a '---' block")]
        )
    loader = SafeLoader(front)
    try:
        _refuse_what_editors_never_need(front, rel)
        node = loader.get_single_node()
        _unreadable_values_as_text(node)
        duplicates = _duplicate_keys(node, rel)
        if duplicates:
            raise ContentError(duplicates)
        meta = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise ContentError([_yaml_problem(error, front, rel)]) from None
    finally:
        loader.dispose()
    if meta is None:
        return FrontMatter({}, {}, {})
    if not isinstance(meta, dict):
        raise ContentError(
            [Problem(rel, 2, 1, "the front matter must be a list of 'field: value' lines",
                     "write one 'name: value' per line")]
        )
    lines = {key.value: _line(key.start_mark) for key, _ in node.value}
    items = {key.value: [(_line(item.start_mark), item.start_mark.column + 1) for item in value.value]
             for key, value in node.value if isinstance(value, yaml.SequenceNode)}
    return FrontMatter(meta, lines, items)


def _line(mark) -> int:
    return mark.line + 2  # +1 for 1-based lines, +1 for the opening '---'


# What editors wrote wrong, in their words, by the construct the YAML library was reading.
YAML_CONSTRUCTS = {
    "while scanning a quoted scalar": ("the quotation mark that starts here is never closed",
                                       "end the text with the same quotation mark, or remove it"),
    "while parsing a flow sequence": ("the list that starts here with '[' is not closed with ']'",
                                      "close it with ']', with commas between the items"),
    "while parsing a flow mapping": ("the group that starts here with '{' is not closed with '}'",
                                     "close it with '}', or put the text in quotes"),
    "while scanning a simple key": ("this line is not a 'field: value' line",
                                    "write 'field: value', or indent it under the field it belongs to"),
    "while scanning an alias": ("'*' at the start of a value has a special meaning in YAML",
                                "put the value in quotes"),
    "while scanning an anchor": ("'&' at the start of a value has a special meaning in YAML",
                                 "put the value in quotes"),
    "while scanning for the next token": ("a value cannot start with this character in YAML",
                                          "put the value in quotes"),
}
YAML_FIX = "check the indentation and put quotes around text containing ':'"


def _yaml_problem(error: yaml.YAMLError, front: str, rel: str) -> Problem:
    line, column = yaml_error_place(error, front)
    if isinstance(error, yaml.reader.ReaderError):
        return Problem(rel, line + 1, column,
                       f"the front matter contains a character YAML does not accept (U+{error.character:04X})",
                       "delete it; it is usually invisible, so retype the line")
    reason = getattr(error, "problem", None) or str(error)
    message, fix = YAML_CONSTRUCTS.get(getattr(error, "context", None) or "", (reason, YAML_FIX))
    return Problem(rel, line + 1, column, f"the front matter is not valid YAML: {message}", fix)


def _refuse_what_editors_never_need(front: str, rel: str) -> None:
    """Anchors and aliases (``&a``, ``*a``) let a few lines stand for a huge structure, tags
    (``!!int``) make the YAML library run conversions that fail with tracebacks, and nesting has
    no use beyond a list or a group under a field. Read as YAML events, before building anything."""
    depth = 0
    for event in yaml.parse(front, Loader=SafeLoader):
        where = (_line(event.start_mark), event.start_mark.column + 1)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ContentError([Problem(rel, *where, "'&' and '*' at the start of a value have a special "
                                        "meaning in YAML", "put the value in quotes")])
        if getattr(event, "tag", None) is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise ContentError([Problem(rel, *where, f"'{tag}' has a special meaning in YAML",
                                        "put the value in quotes")])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                raise ContentError([Problem(rel, *where, "the front matter is nested too deeply here",
                                            "a field holds a text, a date, a number or a list of texts")])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _duplicate_keys(node, rel: str) -> list[Problem]:
    """A field written twice: YAML keeps the last one silently; editors must choose."""
    problems = []
    for mapping in _nodes(node):
        if not isinstance(mapping, yaml.MappingNode):
            continue
        first: dict[str, int] = {}
        for key, _ in mapping.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = _line(key.start_mark)
            if key.value in first:
                problems.append(Problem(rel, line, key.start_mark.column + 1,
                                        f"'{key.value}' is written twice, on lines {first[key.value]} and {line}",
                                        "keep one of them and delete the other"))
            first.setdefault(key.value, line)
    return problems


def _nodes(node):
    """Every node of a composed document (no aliases by now, so a tree), without recursion."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(child for pair in current.value for child in pair)


TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


INT_TAG = "tag:yaml.org,2002:int"
STR_TAG = "tag:yaml.org,2002:str"
MAX_INT_DIGITS = 100  # Python refuses to read integers of more than 4,300 digits, with a traceback


def _unreadable_values_as_text(node) -> None:
    """'2021-02-30' looks like a date to YAML but is none, a number of a thousand digits cannot be
    read: keep them as text for the schema to report ("'date' is not a date"), instead of letting
    the YAML library raise ValueError."""
    for value in _nodes(node):
        if value.tag == TIMESTAMP_TAG:
            match = yaml.constructor.SafeConstructor.timestamp_regexp.match(value.value)
            try:
                dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except (TypeError, ValueError):
                value.tag = STR_TAG
        elif value.tag == INT_TAG and len(value.value) > MAX_INT_DIGITS:
            value.tag = STR_TAG
