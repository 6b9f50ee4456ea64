"""The files of ``data/``: controlled vocabularies and interface labels, read from the project being built.

Editors and contributors write these files, so they are content and are read like content: once,
by ``read_data``, for ``python -m tcsite check`` and for the build, which refuses with the same
problems before it writes anything. ``data/redirects.yml`` has rules of its own (``tcsite.redirects``).

- A vocabulary (``categories.yml``, ``topics.yml``, ``formats.yml``, ``levels.yml``,
  ``languages.yml``) gives each slug its label in every language of the site:
  ``cedaw: {en: CEDAW, es: CEDAW}``. Slugs become addresses and file names
  (``/news/category/cedaw/``), so they are plain names (``tcsite.content_files.PLAIN_NAME``). The
  build describes each course format to search engines with a schema.org course mode
  (``COURSE_MODES``): a format without one is refused.
- ``labels.yml`` gives each interface label its text in every language. A label may hold
  placeholders, a name in braces (``News from {year}``), which ``Label.format`` fills and nothing
  else: never Python's ``str.format``, which would let ``{start.__class__…}`` reach the build's
  objects. A label's placeholders are fixed, in one place: those the code fills
  (``LABEL_PLACEHOLDERS``); every language has exactly these, and any other label none.
- A label that counts (``course_count``) may give a language one text per CLDR plural category
  of that language (``{one: "{count} course", other: "{count} courses"}``; ``tcsite.locales``
  chooses): ``other`` is required and has every placeholder; another form may leave the number
  out ("دورتان", two courses).
- Every text refuses control characters other than tab and line break (``control_character``):
  XML 1.0, and so the news feeds, cannot carry them.

Each problem is ``data/<file>.yml:line:column``, from the marks of the YAML nodes: a malformed
file where the faulty construct starts, a name written twice at its second line, a missing
language at the entry's name. The build and ``check`` choose the project's data with ``use`` or
``using``; ``tcsite.schema.vocabulary`` and ``tcsite.i18n.labels`` read it (``active``).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from tcsite.content_files import PLAIN_NAME, regular
from tcsite.locales import OTHER, PLURAL_CATEGORIES
from tcsite.validation import Problem, yaml_error_place

DATA_FOLDER = "data"
LABELS = "labels"
VOCABULARIES = ("categories", "topics", "formats", "levels", "languages")
MAX_FILE_BYTES = 1024 * 1024
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"

# schema.org courseMode of each format of data/formats.yml (the courses' JSON-LD).
COURSE_MODES = {"self-paced": "online", "facilitated": "online", "blended": "blended", "in-person": "onsite"}

# The labels our code fills, with the placeholders it gives them (tcsite/news_pages.py,
# tcsite/course_pages.py, the templates): every language's text has exactly these, and any other
# label none. A label that takes a new placeholder is added here with the code that fills it.
LABEL_PLACEHOLDERS = {
    "news_page": ("number", "count"),
    "news_archive_title": ("year",),
    "news_category_title": ("category",),
    "reading_time": ("minutes",),
    "by_author": ("author",),
    "photo_credit": ("credit",),
    "other_language_version": ("language",),
    "only_in_language_text": ("language",),
    "course_count": ("count",),
    "course_hours": ("hours",),
    "course_dates_range": ("start", "end"),
    "course_dates_from": ("start",),
    "course_dates_until": ("end",),
    "scheduled": ("date",),
}
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
BRACES = re.compile(r"\{[^{}]*\}|[{}]")  # every use of a brace, each judged in turn
# C0 controls but tab and line feed, DEL, C1 controls, lone surrogates and the two non-characters
# XML 1.0 excludes: none of them can be written into a feed.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """The first character of ``text`` that pages and feeds cannot carry, as ``U+001B``, or None."""
    found = CONTROL.search(text)
    return f"U+{ord(found[0]):04X}" if found else None


CONTROL_FIX = "delete it: feeds cannot carry it, and it is usually invisible, so retype the text around it"


# --- labels ------------------------------------------------------------------------------


class Label(str):
    """An interface label in one language. ``format`` fills its ``{name}`` placeholders and only
    those, so a template's ``tc.labels.by_author.format(author=…)`` can never read an attribute or
    an item of what it is given, whatever the label says. Given a Markup value (HTML made by our
    code), it escapes the label's own text and returns Markup."""

    __slots__ = ()

    def format(self, **values) -> str:  # noqa: A003 (the name templates already call)
        return fill(self, values)


def fill(text: str, values: dict) -> str:
    """``text`` with each ``{name}`` given in ``values`` replaced; anything else stays as written."""
    if any(hasattr(value, "__html__") for value in values.values()):
        return Markup(PLACEHOLDER.sub(lambda m: escape(values[m[1]]) if m[1] in values else m[0], escape(text)))
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], str(text))


class PluralLabel(dict):
    """A label with a text per plural form in one language (``{"one": Label, "other": Label}``):
    ``tcsite.locales.choose`` picks the form for a number."""

    def __str__(self) -> str:
        return str(self.get(OTHER, ""))


def label(text) -> Label | PluralLabel:
    return PluralLabel({form: Label(value) for form, value in text.items()}) if isinstance(text, dict) else Label(text)


class Labels(dict):
    """The labels of one language. A label that is not there reads as its own key: the build has
    reported it by then (``read_data``), and nothing that prints labels can fail on it."""

    def __missing__(self, key: str) -> Label:
        return Label(key)


# --- the data of a project -----------------------------------------------------------------


@dataclass
class SiteData:
    vocabularies: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # name -> slug -> language -> label
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> language -> text
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # files that could not be read: contents unknown
    _labels_by_language: dict[str, Labels] = field(default_factory=dict, repr=False)

    def labels_in(self, code: str) -> Labels:
        if code not in self._labels_by_language:
            self._labels_by_language[code] = Labels({key: label(texts.get(code, key)) for key, texts in self.labels.items()})
        return self._labels_by_language[code]


def read_data(root: Path, codes: list[str]) -> SiteData:
    """Every vocabulary and the labels of the project at ``root``, for the languages ``codes``.

    Entries keep a text in every language whatever the problems (a missing or refused one reads as
    the entry's name), so nothing that reads them can fail; the problems refuse the build.
    """
    data = SiteData()
    for name in (*VOCABULARIES, LABELS):
        rel = f"{DATA_FOLDER}/{name}.yml"
        entries, problems = read_entries(root / rel, rel, codes, plural=name == LABELS)
        if entries is None:
            data.unreadable.add(name)
            entries = []
        if name == LABELS:
            problems += label_problems(entries, rel)
        else:
            problems += slug_problems(entries, rel, name)
            entries = [entry for entry in entries if PLAIN_NAME.fullmatch(entry.key)]
        data.problems += problems
        table = {entry.key: {code: entry.text(code) for code in codes} for entry in entries}
        if name == LABELS:
            data.labels = table
        else:
            data.vocabularies[name] = table
    return data


@dataclass
class Entry:
    """One name of a data file (a slug, a label's key) and its text in each language given."""

    key: str
    node: yaml.Node  # the name as written: problems about the whole entry are reported there
    texts: dict[str, tuple[str | dict[str, str], yaml.Node]]  # language -> (text or plural forms, where)
    form_nodes: dict[str, dict[str, yaml.Node]] = field(default_factory=dict)  # language -> form -> where

    def text(self, code: str) -> str | dict[str, str]:
        return self.texts[code][0] if code in self.texts else self.key


def slug_problems(entries: list[Entry], rel: str, vocabulary: str) -> list[Problem]:
    problems = []
    for entry in entries:
        if not PLAIN_NAME.fullmatch(entry.key):
            problems.append(_at(rel, entry.node, f"'{printable(entry.key)}' is not a plain name: names of "
                                f"{vocabulary} become web addresses",
                                "use lowercase letters, digits, '-' and '_' only, e.g. 'gender-equality'"))
        elif vocabulary == "formats" and entry.key not in COURSE_MODES:
            problems.append(_at(rel, entry.node, f"the site cannot describe the format '{entry.key}' to search "
                                f"engines (it knows {', '.join(COURSE_MODES)})",
                                "use one of these, or ask the web team to add the new format to "
                                "COURSE_MODES in tcsite/data_files.py"))
    return problems


def label_problems(entries: list[Entry], rel: str) -> list[Problem]:
    """Each language's text of a label has exactly the label's placeholders, well written."""
    problems = []
    for entry in entries:
        expected = LABEL_PLACEHOLDERS.get(entry.key, ())
        for code, (text, node) in entry.texts.items():
            forms = text if isinstance(text, dict) else {None: text}
            for form, form_text in forms.items():
                # A plural form other than "other" may leave the number out ("one course").
                found = placeholder_problem(form_text, expected, complete=form in (None, OTHER))
                if found:
                    message, fix = found
                    which = f"'{code}' text" if form is None else f"'{code}' {form} form"
                    where = entry.form_nodes.get(code, {}).get(form, node)
                    problems.append(_at(rel, where, f"the {which} of '{printable(entry.key)}' {message}", fix))
    return problems


def placeholder_problem(text: str, expected: tuple[str, ...], complete: bool = True) -> tuple[str, str] | None:
    """What is wrong with the placeholders of a label's text (message, fix), the first thing only."""
    takes = " and ".join(f"{{{name}}}" for name in expected)
    fix = f"this label takes {takes}" if expected else "this label takes no placeholder: remove the braces"
    for token in BRACES.findall(text):
        if token in ("{", "}"):
            return f"has a '{token}' without its '{'}' if token == '{' else '{'}'", fix
        name = PLACEHOLDER.fullmatch(token)
        if name is None:
            return f"has '{printable(token)}', which is not a placeholder (only a name in braces is)", fix
        if name[1] not in expected:
            return f"has '{token}', which is not a placeholder of this label", fix
    missing = [name for name in expected if f"{{{name}}}" not in text] if complete else []
    if missing:
        return f"lacks {{{missing[0]}}}", f"put it where the value goes; {fix}"
    return None


# --- reading one file ---------------------------------------------------------------------


def read_entries(path: Path, rel: str, codes: list[str], plural: bool = False) -> tuple[list[Entry] | None, list[Problem]]:
    """The entries of a ``name: {language: text}`` file, or None when it cannot be read at all;
    with ``plural``, a language's text may be plural forms (``{one: …, other: …}``)."""
    if path.is_symlink():
        return None, []  # tcsite.content_files reports it; a link is never read
    if not regular(path):
        return None, [Problem(rel, 1, 1, f"{rel} is missing", f"restore it: git checkout -- {rel}")]
    node, problems = compose(path, rel)
    if problems:
        return None, problems
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG):
        return [], []  # empty, or only comments
    if not isinstance(node, yaml.MappingNode):
        return None, [_at(rel, node, "the file must be a list of names, each with its text in every language",
                          "write 'name:' at the start of a line, then one indented 'en: …' line per language")]
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = _scalar_text(key_node)
        if key is None:
            problems.append(_at(rel, key_node, f"the name '{printable(_shown(key_node))}' is not text",
                                "put it in quotes, or use a plain name"))
            continue
        if key in first_line:
            problems.append(_at(rel, key_node, f"'{printable(key)}' is written twice, on lines {first_line[key]} "
                                f"and {key_node.start_mark.line + 1}", "keep one of the two: only one can apply"))
            continue
        first_line[key] = key_node.start_mark.line + 1
        texts, form_nodes, found = _language_texts(rel, key, key_node, value_node, codes, plural)
        problems += found
        entries.append(Entry(key, key_node, texts, form_nodes))
    return entries, problems


def _language_texts(rel, key, key_node, node, codes, plural=False):
    """``{en: …, es: …}`` below a name: each language's text (with ``plural``, plural forms' nodes
    apart), and what is wrong with them."""
    form_nodes: dict[str, dict[str, yaml.Node]] = {}
    if not isinstance(node, yaml.MappingNode):
        return {}, form_nodes, [_at(rel, key_node, f"'{printable(key)}' must give its text in each language, not a single value",
                        f"write one indented line per language below it: {', '.join(c + ': …' for c in codes)}")]
    texts: dict[str, tuple[str, yaml.Node]] = {}
    seen: set[str] = set()
    refused: set[str] = set()  # languages whose value is reported where it is written
    problems = []
    for lang_node, value_node in node.value:
        code = _scalar_text(lang_node)
        if code is None or code in seen:
            what = "is written twice" if code else "is not a language code"
            problems.append(_at(rel, lang_node, f"'{printable(_shown(lang_node))}' under '{printable(key)}' {what}",
                                f"one line per language: {', '.join(c + ': …' for c in codes)}"))
            continue
        seen.add(code)
        if plural and isinstance(value_node, yaml.MappingNode):
            forms, nodes, found = _plural_forms(rel, key, code, value_node)
            problems += found
            if forms is None:
                refused.add(code)
            else:
                texts[code], form_nodes[code] = (forms, value_node), nodes
            continue
        refusal = _text_refusal(value_node)
        if refusal:
            refused.add(code)
            problems.append(_at(rel, value_node, f"the '{code}' text of '{printable(key)}' {refusal[0]}", refusal[1]))
        elif isinstance(value_node, yaml.ScalarNode) and value_node.tag == STR_TAG and value_node.value.strip():
            texts[code] = (value_node.value, value_node)
    for code in codes:
        if code not in texts and code not in refused:  # not written, "es:" alone, or empty
            problems.append(_at(rel, key_node, f"'{printable(key)}' has no '{code}' value", "add it"))
    return texts, form_nodes, problems


def _plural_forms(rel, key, code, node):
    """``{one: …, other: …}``: a label's texts in one language by CLDR plural category, where each
    is written, and what is wrong with them (forms None then)."""
    forms: dict[str, str] = {}
    nodes: dict[str, yaml.Node] = {}
    problems = []
    names = ", ".join(PLURAL_CATEGORIES)
    for form_node, value_node in node.value:
        form = _scalar_text(form_node)
        if form not in PLURAL_CATEGORIES or form in forms:
            what = "is written twice" if form in forms else "is not a plural form"
            problems.append(_at(rel, form_node, f"'{printable(_shown(form_node))}' under '{printable(key)}' ({code}) "
                                f"{what}", f"the forms are CLDR's: {names}"))
            continue
        refusal = _text_refusal(value_node) or (None if _scalar_text(value_node) else ("is not text", "write the text"))
        if refusal:
            problems.append(_at(rel, value_node, f"the '{code}' {form} form of '{printable(key)}' {refusal[0]}",
                                refusal[1]))
            continue
        forms[form], nodes[form] = value_node.value, value_node
    if OTHER not in forms and not problems:
        problems.append(_at(rel, node, f"'{printable(key)}' has no 'other' form in '{code}'",
                            f"add 'other:', the text for any number (the forms are CLDR's: {names})"))
    return (forms if not problems else None), nodes, problems


def _text_refusal(node: yaml.Node) -> tuple[str, str] | None:
    """Why a language's value is not a text the site can use (message, fix), or None."""
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
        return None  # nothing written: a missing value
    if _scalar_text(node) is None:
        return "is not text", "put the text in quotes"
    bad = control_character(node.value)
    return (f"contains a control character ({bad})", CONTROL_FIX) if bad else None


def _scalar_text(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
        return node.value
    return None


def _shown(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else "a list or a block"


def printable(text: str, limit: int = 40) -> str:
    """A name or text as a message quotes it: short, its control characters spelled out."""
    text = CONTROL.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(rel: str, node: yaml.Node, message: str, fix: str) -> Problem:
    return Problem(rel, node.start_mark.line + 1, node.start_mark.column + 1, message, fix)


def compose(path: Path, rel: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The file's YAML as nodes that remember their line and column (nothing is constructed)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [Problem(rel, 1, 1, f"the file is {size // 1024} KB, more than {MAX_FILE_BYTES // 1024} KB",
                              "keep it to the entries the site uses")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(rel, line, 1, "the file is not UTF-8 text", "save it with the UTF-8 encoding")]
    try:
        loader = yaml.SafeLoader(text)  # refuses a character YAML does not accept, at once
        try:
            return loader.get_single_node(), []
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        return None, [yaml_problem(error, text, rel, "check the indentation, and put quotes around a text "
                                   "containing ': ' or starting with a quote")]
    except RecursionError:
        return None, [Problem(rel, 1, 1, "the file is nested too deeply to be read",
                              "write one 'name:' per line, each with one indented line per language")]


def yaml_problem(error: yaml.YAMLError, text: str, rel: str, fix: str, unclosed_fix: str | None = None) -> Problem:
    """A YAML error where the faulty construct starts (``validation.yaml_error_place``), in words."""
    line, column = yaml_error_place(error, text)
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not accept
        return Problem(rel, line, column, f"the file contains a character YAML does not accept (U+{error.character:04X})",
                       "delete it; it is usually invisible, so retype the line")
    context = getattr(error, "context", None) or ""
    problem_mark = getattr(error, "problem_mark", None)
    if isinstance(error, yaml.composer.ComposerError) and "single document" in context:
        return Problem(rel, problem_mark.line + 1, problem_mark.column + 1,
                       "the file holds more than one YAML document", "remove the '---' line")
    reason = getattr(error, "problem", None) or str(error)
    if context == "while scanning a quoted scalar":
        reason, fix = "the quotation mark here is never closed", unclosed_fix or "close the quotes at the end of the text"
    elif context == "while scanning a simple key":
        reason = "this line has no ': '"
    elif context and "block" not in context and getattr(error, "context_mark", None) is not None:
        reason = f"{context.removeprefix('while ')}, {reason}"
    return Problem(rel, line, column, f"the file is not valid YAML: {reason}", fix)


# --- the project's data, for those who read it ---------------------------------------------

_active: SiteData | None = None
_of_current_folder: dict[Path, SiteData] = {}


def use(data: SiteData) -> SiteData:
    """Make ``data`` the vocabularies and labels every reader sees (a build, for its whole run)."""
    global _active
    _active = data
    return data


@contextlib.contextmanager
def using(data: SiteData):
    """``data`` for the length of a command (``check``, ``new``), then what was there before."""
    global _active
    before, _active = _active, data
    try:
        yield data
    finally:
        _active = before


def active() -> SiteData:
    """The data chosen by the build or the command running; without one, that of the project of
    the current folder (as the commands find it), for code used on its own."""
    if _active is not None:
        return _active
    from tcsite.project import Project  # tcsite.project imports the readers of this module

    project = Project.load()
    if project.root not in _of_current_folder:
        _of_current_folder[project.root] = read_data(project.root, project.codes)
    return _of_current_folder[project.root]
