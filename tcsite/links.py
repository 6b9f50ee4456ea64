"""What a Markdown body points at and what raw HTML it holds, with the line and column of each.

Used by ``python -m tcsite check``. Code (fenced blocks, inline code) and HTML comments are
blanked out first, keeping every other character where it was, so that positions stay exact
and an example in a code block is never taken for a real link. This masked copy is close to,
not the same as, what Markdown reads: markup that runs code is judged on the rendered HTML
instead (``tcsite.html_rules``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html.parser import HTMLParser

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# A code span ends with the same run of backticks, within its paragraph (no blank line).
INLINE_CODE = re.compile(r"(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)

_TEXT = r"(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)"
_TARGET = r"\(\s*(?P<target><[^>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
INLINE_LINK = re.compile(r"(?<![!\\])\[" + _TEXT + r"\]" + _TARGET)
INLINE_IMAGE = re.compile(r"(?<!\\)!\[" + _TEXT + r"\]" + _TARGET)
REFERENCE_IMAGE = re.compile(r"(?<!\\)!\[" + _TEXT + r"\]\[(?P<id>[^\]]*)\]")
DEFINITION = re.compile(r"^ {0,3}\[(?P<id>[^\]^][^\]]*)\]:[ \t]*(?P<target><[^>\n]*>|\S+)", re.M)
HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$", re.M)
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M)

# Elements whose end tag is required: one left open swallows the rest of the page.
CONTAINERS = {"div", "section", "article", "aside", "nav", "header", "footer", "main", "figure",
              "figcaption", "details", "summary", "blockquote", "table", "ul", "ol", "dl", "span",
              "a", "strong", "em", "b", "i", "u", "small", "sub", "sup", "mark", "abbr", "code",
              "pre", "cite", "q", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "label", "button",
              "select", "video", "audio", "picture", "svg"}


@dataclass(frozen=True)
class Ref:
    """A link or an image in the body; ``line`` and ``column`` are 1-based, in the body."""

    kind: str  # "link" | "image"
    target: str
    text: str | None  # the link text or the image's alt text (None: an <img> without alt)
    line: int
    column: int
    html: bool = False  # written as an HTML tag (<img alt=""> marks a decorative picture)


@dataclass(frozen=True)
class Tag:
    name: str
    attrs: tuple[tuple[str, str | None], ...]
    line: int
    column: int
    end: bool = False  # a closing tag
    closed: bool = False  # written as <x/>


def blanked(text: str) -> str:
    """``text`` replaced by spaces, line breaks kept."""
    return re.sub(r"[^\n]", " ", text)


def blank_matches(text: str, pattern: re.Pattern) -> str:
    """``text`` with every match of ``pattern`` blanked, in one pass (linear in ``text``)."""
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [text[last:match.start()], blanked(match.group())]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to fenced code (the fences included)."""
    flags, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            flags.append(True)
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            flags.append(True)
        else:
            flags.append(False)
    return flags


def mask_code(body: str) -> str:
    """The body with fenced code, inline code and HTML comments blanked out."""
    lines = body.splitlines(keepends=True)
    text = "".join(blanked(line) if fenced else line for line, fenced in zip(lines, fenced_lines(lines)))
    for pattern in (COMMENT, INLINE_CODE):
        text = blank_matches(text, pattern)
    return text


class LineIndex:
    """Line and column of any offset of a text, found by bisection (the text is read once)."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def clean_target(target: str) -> str:
    target = target.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    return re.sub(r"\\(.)", r"\1", target)


def references(masked: str) -> list[Ref]:
    """Every link and image of a (masked) body, in order: Markdown syntax and HTML tags."""
    found: list[Ref] = []
    position = LineIndex(masked).position
    definitions = {m.group("id").lower(): clean_target(m.group("target")) for m in DEFINITION.finditer(masked)}
    for pattern, kind in ((INLINE_LINK, "link"), (INLINE_IMAGE, "image")):
        for match in pattern.finditer(masked):
            line, column = position(match.start())
            found.append(Ref(kind, clean_target(match.group("target")), match.group("text"), line, column))
    for match in REFERENCE_IMAGE.finditer(masked):
        target = definitions.get((match.group("id") or match.group("text")).lower())
        if target is not None:
            line, column = position(match.start())
            found.append(Ref("image", target, match.group("text"), line, column))
    for match in DEFINITION.finditer(masked):
        line, column = position(match.start("target"))
        found.append(Ref("link", clean_target(match.group("target")), None, line, column))
    for tag in tags(masked):
        attrs = dict(tag.attrs)
        if tag.end:
            continue
        if tag.name == "a" and attrs.get("href") is not None:
            found.append(Ref("link", attrs["href"], "", tag.line, tag.column, html=True))
        elif tag.name == "img":
            found.append(Ref("image", attrs.get("src") or "", attrs.get("alt"), tag.line, tag.column, html=True))
    return sorted(found, key=lambda ref: (ref.line, ref.column))


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag, attrs):
        line, offset = self.getpos()
        self.tags.append(Tag(tag, tuple(attrs), line, offset + 1))

    def handle_startendtag(self, tag, attrs):
        line, offset = self.getpos()
        self.tags.append(Tag(tag, tuple(attrs), line, offset + 1, closed=True))

    def handle_endtag(self, tag):
        line, offset = self.getpos()
        self.tags.append(Tag(tag, (), line, offset + 1, end=True))


def tags(masked: str) -> list[Tag]:
    """The HTML tags written in a (masked) body. Autolinks (``<https://…>``) are not tags."""
    parser = _TagCollector()
    parser.feed(masked)
    parser.close()
    return [t for t in parser.tags if re.fullmatch(r"[a-z][a-z0-9-]*", t.name)]


def unbalanced(found: list[Tag]) -> list[tuple[Tag, str]]:
    """Container elements opened and never closed, or closed without being opened."""
    stack: list[Tag] = []
    problems: list[tuple[Tag, str]] = []
    for tag in found:
        if tag.name not in CONTAINERS or tag.closed:
            continue
        if not tag.end:
            stack.append(tag)
            continue
        if any(open_tag.name == tag.name for open_tag in stack):
            while stack:
                open_tag = stack.pop()
                if open_tag.name == tag.name:
                    break
                problems.append((open_tag, "unclosed"))
        else:
            problems.append((tag, "stray"))
    problems.extend((tag, "unclosed") for tag in stack)
    return sorted(problems, key=lambda item: (item[0].line, item[0].column))


def has_text(body: str) -> bool:
    """Whether a body holds any text besides headings, HTML comments and blank lines."""
    text = COMMENT.sub("", body)
    text = HEADING.sub("", text)
    text = SETEXT_UNDERLINE.sub("", text)
    return bool(text.strip())
