"""Bounds on what content can make the build do: how deep a text nests, how large a built file is.

Every limit is defined once, in the module that owns its rule; this one holds the rules that
belong to no single section, and lists the others:

- one Markdown file: ``tcsite.content.MAX_FILE_BYTES`` (read by ``read_document``, which also
  refuses anchors, tags and deep nesting in front matter);
- lists and texts in front matter: ``tcsite.schema`` (``Field.max_items``, ``MAX_TEXT_CHARS``;
  a list holds each value once);
- feeds: ``tcsite.feeds`` (``FEED_SIZE`` items, full content up to ``FEED_CONTENT_MAX_BYTES`` each);
- here: how deep lists, quotes and indented blocks nest in a body (``MAX_NESTING``), how many
  emphasis marks a paragraph leaves open (``MAX_OPEN_EMPHASIS``), and the size of any file the
  build writes (``MAX_OUTPUT_BYTES``, the CDN's own limit).

Python-Markdown reads nested lists, quotes, ``markdown``-attributed HTML blocks and emphasis by
recursion: measured with the site's extensions, a list nested about 250 levels deep, an
admonition or an HTML block about 330 levels, emphasis about 990 (590 with 400 frames already
on the stack, as in a build), ends in ``RecursionError``, and the time lists take grows with the
cube of their depth before that. Twenty levels and a hundred open marks are far more than any
text needs and far below either.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from tcsite import links
from tcsite.validation import ContentError, Problem

MAX_NESTING = 20
# Emphasis marks (*, _, ~) opened and not yet closed in one paragraph. Python-Markdown reads each
# inside the previous one, by recursion: about 600 in a build are too many. A text needs 3.
MAX_OPEN_EMPHASIS = 100
NESTING_FIX = ("flatten it: a list or quote inside another needs no more than a few levels; "
               "use headings or separate lists instead")
EMPHASIS_FIX = "close each one (*like this*), or write \\* for an asterisk that is only a character"
TAB_WIDTH = 4  # Python-Markdown's: one level of a list or an indented block

# Cloudflare refuses to deploy a site holding a file over 25 MiB.
MAX_OUTPUT_BYTES = 25 * 1024 * 1024

QUOTE = re.compile(r"[ \t]*>[ ]?")
LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
THEMATIC_BREAK = re.compile(r"[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^<>]*)>")
MARKDOWN_ATTRIBUTE = re.compile(r"(?<![\w-])markdown(?![\w-])", re.I)
EMPHASIS = re.compile(r"[*_~]+")


class TooDeepToRead(PluginError):
    """Python-Markdown ran out of recursion on a text (``tcsite.markdown_bounds`` raises it)."""


def too_deep(body: str, rel: str, first_line: int) -> Problem | None:
    """Where the body of file ``rel`` (starting at ``first_line``) first nests deeper than
    Python-Markdown may read, or None.

    A line's depth is what Python-Markdown recurses through to read it: its indentation (a level
    per 4 columns), each quote marker ``>`` and list marker (``-``, ``*``, ``+``, ``1.``) that opens
    it, and the HTML blocks with a ``markdown`` attribute it is inside; and within a paragraph, the
    emphasis marks still open. Code and HTML comments are left out. Linear in the body's length.
    """
    html = _HtmlBlocks()
    open_emphasis = 0
    for number, line in enumerate(links.mask_code(body).splitlines(), start=first_line):
        if not line.strip():
            open_emphasis = 0  # a paragraph ends
            continue
        depth, column = _line_depth(line, html.markdown_blocks)
        if depth > MAX_NESTING:
            return _nesting_problem(rel, number, column, depth)
        for match in HTML_TAG.finditer(line):
            if html.read(match) > MAX_NESTING:
                return _nesting_problem(rel, number, match.start() + 1, html.markdown_blocks)
        for match in EMPHASIS.finditer(line):
            open_emphasis = _emphasis_after(match, line, open_emphasis)
            if open_emphasis > MAX_OPEN_EMPHASIS:
                return Problem(rel, number, match.start() + 1,
                               f"{open_emphasis} emphasis marks (*, _ or ~) are open at once here; a "
                               f"paragraph may hold at most {MAX_OPEN_EMPHASIS}", EMPHASIS_FIX)
    return None


def _nesting_problem(rel: str, line: int, column: int, depth: int) -> Problem:
    return Problem(rel, line, column,
                   f"the text is nested {depth} levels deep here (lists, quotes or indented blocks inside "
                   f"each other); pages may nest at most {MAX_NESTING}", NESTING_FIX)


def _line_depth(line: str, depth: int) -> tuple[int, int]:
    """The depth of one line, starting from ``depth`` (and the column where it went deepest)."""
    position = 0
    while True:
        indent_end = len(line) - len(line[position:].lstrip(" \t"))
        columns = len(line[position:indent_end].expandtabs(TAB_WIDTH))
        quote = QUOTE.match(line, position)
        marker = None if quote else LIST_MARKER.match(line, position)
        if quote is None and (marker is None or THEMATIC_BREAK.match(line, position)):
            return depth + columns // TAB_WIDTH, indent_end + 1
        depth += columns // TAB_WIDTH + 1
        if depth > MAX_NESTING:
            return depth, indent_end + 1
        position = (quote or marker).end()


class _HtmlBlocks:
    """The HTML elements open so far, and how many of them have a ``markdown`` attribute."""

    def __init__(self):
        self.open: list[tuple[str, bool]] = []
        self.open_names: dict[str, int] = {}
        self.markdown_blocks = 0

    def read(self, tag: re.Match) -> int:
        closing, name, attrs = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            while self.open_names.get(name):  # close it, and whatever was left open inside it
                open_name, is_markdown = self.open.pop()
                self.open_names[open_name] -= 1
                self.markdown_blocks -= is_markdown
                if open_name == name:
                    break
        elif not attrs.rstrip().endswith("/"):
            is_markdown = bool(MARKDOWN_ATTRIBUTE.search(attrs))
            self.open.append((name, is_markdown))
            self.open_names[name] = self.open_names.get(name, 0) + 1
            self.markdown_blocks += is_markdown
        return self.markdown_blocks


def _emphasis_after(mark: re.Match, line: str, open_count: int) -> int:
    """How many emphasis marks are open after this run of them: it closes one when text comes
    before it, else opens one when text comes after it."""
    before = line[mark.start() - 1] if mark.start() else " "
    after = line[mark.end()] if mark.end() < len(line) else " "
    if before == "\\":
        return open_count
    if not before.isspace() and open_count:
        return open_count - 1
    return open_count + (not after.isspace())


def convert(md, text: str, rel: str, line: int = 1) -> str:
    """``md.convert(text)`` for text of file ``rel``; a text too deep for Python-Markdown's
    recursion is reported as a problem of that file (``ContentError``), never as a traceback."""
    try:
        return md.reset().convert(text)
    except (RecursionError, TooDeepToRead):
        md.reset()
        raise ContentError([Problem(rel, line, 1, "the text is nested too deeply to be read",
                                    NESTING_FIX)]) from None


def oversized_outputs(site_dir: Path, shown_as: str) -> list[Problem]:
    """Every file of the built site larger than the CDN accepts, named ``shown_as/<its path>``."""
    problems = []
    for current, _, files in os.walk(site_dir):
        for name in files:
            path = Path(current, name)
            size = path.stat().st_size
            if size > MAX_OUTPUT_BYTES:
                rel = path.relative_to(site_dir).as_posix()
                problems.append(Problem(
                    f"{shown_as}/{rel}", 1, 1,
                    f"the build wrote a file of {size / 2**20:.1f} MB; the CDN refuses files over "
                    f"{MAX_OUTPUT_BYTES // 2**20} MB, so the site could not be published",
                    "make the page or file it comes from smaller, or split it"))
    return problems
