"""Our scripts and styles as readers get them: minified, and one stylesheet with only the rules
the pages can use.

- Our own scripts and stylesheets (``overrides/assets/``) lose their comments and indentation when
  the build reads them, before the scripts' integrity is hashed (``tcsite.script_integrity``: the
  hash is of the file as served). Scripts keep their line breaks, so automatic semicolon insertion
  reads them as before; nothing else in them changes.
- Pages lose the blank lines and indentation their templates leave between tags
  (``without_blank_lines``).
- Every page links one stylesheet, ``assets/stylesheets/styles.css`` (``STYLESHEET``): Material's
  stylesheet and palette, then ours (``extra_css`` of mkdocs.yml, in that order), less the rules of
  Material's that no page can use. Material's stylesheet was 24 KiB compressed, most of it rules
  for features the site does not use (content tabs, task lists, blog, version selector…).

Which rules stay: a rule is dropped only when one of the selectors' class names, ids, element
names or attribute names appears nowhere a page could take it from: the tags of every page the
build writes, our scripts, and the class-like names of Material's script (``md-…``, ``…__…``,
``…--…``: the elements and states it creates). Arguments of ``:not()``, ``:is()``… and
pseudo-classes are never required, attribute values only for the palette's colours and the text
direction. At-rules other than ``@media`` and ``@supports`` (fonts, keyframes) are kept whole.
The name does not change from one build to the next, so the CDN serves it revalidated, like the
pages (``tcsite.cdn``); ``make serve`` writes it without dropping anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

STYLESHEET = "assets/stylesheets/styles.css"
MATERIAL_STYLESHEETS = ("assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css")
MATERIAL_SCRIPT = "assets/javascripts/bundle.*.min.js"
# Attribute values that decide a rule (the palette's colours, right-to-left rules); any other
# attribute selector needs only its attribute's name (values are often set by scripts).
VALUED_ATTRIBUTES = {"data-md-color-primary", "data-md-color-accent", "dir"}

# Class names Material's script creates only for features the site may not use: from its script
# they count only when the feature is on (a page that shows one still has it in its tags).
MATERIAL_FEATURE_CLASSES = {
    ("md-annotation", "data-md-annotation", "md-tooltip--", "md-tooltip__"): lambda c: "content.code.annotate" in _features(c),
    ("md-code__", "md-clipboard"): lambda c: bool({"content.code.copy", "content.code.select"} & _features(c)),
    ("md-version",): lambda c: bool(c.extra.get("version")),
    ("md-source",): lambda c: bool(c.repo_url),
    ("md-tag",): lambda c: "tags" in c.plugins or "material/tags" in c.plugins,
    ("md-search-result", "md-search__suggest", "md-search__output"): lambda c: "search" in c.plugins or "material/search" in c.plugins,
    ("tabbed-",): lambda c: "pymdownx.tabbed" in c.markdown_extensions,
}

_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_WORD = re.compile(r"[\w-]+")


# --- pages ---------------------------------------------------------------------------------

_RAW_TEXT = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_BLANK_BETWEEN_TAGS = re.compile(r">[ \t\r\n\f]*\n[ \t\r\n\f]*<")


def without_blank_lines(html: str) -> str:
    """A page without the blank lines and indentation its templates leave between tags: white
    space between two tags that holds a line break becomes one line break, which a browser reads
    the same way. Text, attributes, and what is inside ``<pre>``, ``<textarea>``, ``<script>``
    and ``<style>`` stay as they are (scripts are allowed by the hash of their text)."""
    parts = _RAW_TEXT.split(html)  # text, raw element, its name, text, …
    for index in range(0, len(parts), 3):
        parts[index] = _BLANK_BETWEEN_TAGS.sub(">\n<", parts[index])
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)


# --- minifying our own files ---------------------------------------------------------------


def minify_js(text: str) -> str:
    """Our scripts without comment lines, indentation or blank lines. Only comments that start a
    line go; a line inside a template literal is kept as it is."""
    out, in_comment, in_template = [], False, False
    for line in text.splitlines():
        if in_template:
            code = line
        else:
            code = line.strip()
            while True:
                if in_comment:
                    if "*/" not in code:
                        code = ""
                        break
                    code, in_comment = code.split("*/", 1)[1].strip(), False
                if code.startswith("/*"):
                    code, in_comment = code[2:], True
                    continue
                break
            if code.startswith("//"):
                code = ""
        if code or in_template:
            out.append(code)
        if code.count("`") % 2:
            in_template = not in_template
    return "\n".join(out) + "\n"


def minify_css(text: str) -> str:
    """A stylesheet without comments and with no more white space than it needs."""
    return "".join(_serialize(rule) for rule in parse_css(text))


# --- one stylesheet, less Material's unused rules -------------------------------------------


@dataclass
class Rule:
    prelude: str
    body: str | None  # None for a statement (@import, @charset)


def parse_css(text: str) -> list[Rule]:
    """The top-level rules of ``text``; comments dropped, strings and brackets respected."""
    rules, start, i, paren = [], 0, 0, 0
    text = _without_comments(text)
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _string_end(text, i)
            continue
        if char == "(":
            paren += 1
        elif char == ")":
            paren -= 1
        elif char == ";" and paren == 0:
            if text[start:i].strip():
                rules.append(Rule(text[start:i].strip(), None))
            start = i + 1
        elif char == "{" and paren == 0:
            end = _block_end(text, i)
            rules.append(Rule(text[start:i].strip(), text[i + 1 : end]))
            start = i = end + 1
            continue
        i += 1
    return rules


def _each_style_rule(css: str, rewrite) -> str:
    """``css`` with every style rule passed through ``rewrite(prelude, body)`` (a rule's new text, or
    "" to drop it), inside ``@media``/``@supports`` too; other at-rules (fonts, keyframes) whole."""
    kept = []
    for rule in parse_css(css):
        if rule.body is None:
            kept.append(rule.prelude + ";")
        elif rule.prelude.startswith(("@media", "@supports")):
            inner = _each_style_rule(rule.body, rewrite)
            if inner:
                kept.append(rule.prelude + "{" + inner + "}")
        elif rule.prelude.startswith("@"):
            kept.append(rule.prelude + "{" + rule.body + "}")
        else:
            kept.append(rewrite(rule.prelude, rule.body))
    return "".join(kept)


def purge(css: str, tokens: set[str]) -> str:
    """``css`` (minified) less the rules no page can use (see the module's docstring)."""
    def used_selectors(prelude: str, body: str) -> str:
        selectors = [s for s in split_selectors(prelude) if required_tokens(s) <= tokens]
        return ",".join(selectors) + "{" + body + "}" if selectors else ""

    return _each_style_rule(css, used_selectors)


def without_unused_properties(sheets: list[str], read_elsewhere: set[str]) -> list[str]:
    """``sheets`` without the custom properties (``--name: …``) that nothing reads: no ``var()``
    in any of them, and not in ``read_elsewhere`` (the names our stylesheets and any script
    mention). Material defines dozens, most for features the site has not (admonition icons,
    Mermaid colours…), each icon a picture written out in full."""
    for _ in range(3):  # a property read only by a dropped one goes on the next round
        read = set(re.findall(r"var\(\s*(--[\w-]+)", "".join(sheets))) | read_elsewhere
        trimmed = [_keep_properties(sheet, read) for sheet in sheets]
        if trimmed == sheets:
            break
        sheets = trimmed
    return sheets


def _keep_properties(css: str, read: set[str]) -> str:
    def read_properties(prelude: str, body: str) -> str:
        declarations = [d for d in _split_top(body, ";") if d.strip()]
        body = ";".join(d for d in declarations if not _property_name(d).startswith("--") or _property_name(d) in read)
        return prelude + "{" + body + "}" if body else ""

    return _each_style_rule(css, read_properties)


def _property_name(declaration: str) -> str:
    return declaration.split(":", 1)[0].strip()


def split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts]


def required_tokens(selector: str) -> set[str]:
    """The names an element must carry somewhere on the site for ``selector`` to match."""
    plain = re.sub(r":[\w-]+\((?:[^()]|\([^()]*\))*\)", "", selector)  # :not(…), :is(…), :nth-child(…)
    plain = re.sub(r"::?[\w-]+", "", plain)
    tokens = set()
    for name, operator, value in re.findall(r"\[\s*([\w-]+)\s*(?:([~|^$*]?=)\s*[\"']?([^\]\"']*)[\"']?)?\s*\]", plain):
        tokens.add(name)
        if name in VALUED_ATTRIBUTES and operator == "=" and value:
            tokens.add(value)
    plain = re.sub(r"\[[^\]]*\]", " ", plain)
    tokens.update(re.findall(r"[.#]([\w-]+)", plain))
    plain = re.sub(r"[.#][\w-]+", " ", plain)
    tokens.update(re.findall(r"(?<![\w-])([a-zA-Z][\w-]*)", plain))  # element names
    return tokens


class PageTokens:
    """Element names, attribute names and values of every page written (from their tags)."""

    def __init__(self):
        self.tokens: set[str] = set()
        self._seen_tags: set[str] = set()  # most tags repeat from page to page

    def add_page(self, html: str) -> None:
        new = set(_TAG.findall(html)) - self._seen_tags
        if new:
            self._seen_tags |= new
            self.tokens.update(_WORD.findall(" ".join(new)))


def script_tokens(text: str, class_like_only: bool) -> set[str]:
    words = set(_WORD.findall(text))
    if not class_like_only:
        return words
    return {w for w in words if w.startswith("md-") or "__" in w or "--" in w or w.startswith(("data-md", "focus-"))}


def material_script_tokens(text: str, config) -> set[str]:
    """The class-like names of Material's script, less those of features the site has off."""
    off = tuple(prefix for prefixes, used in MATERIAL_FEATURE_CLASSES.items() if not used(config) for prefix in prefixes)
    return {word for word in script_tokens(text, class_like_only=True) if not word.startswith(off)}


def _features(config) -> set[str]:
    return set(config.theme.get("features") or [])


def write_stylesheet(site_dir: Path, own: list[str], page_tokens: set[str] | None, config) -> Path:
    """``STYLESHEET`` from the files already written to ``site_dir``: Material's (purged unless
    ``page_tokens`` is None), then ``own`` (site paths, minified by the build)."""
    site_dir = Path(site_dir)
    material = [next(site_dir.glob(pattern)) for pattern in MATERIAL_STYLESHEETS]
    css = [path.read_text(encoding="utf-8") for path in material]
    if page_tokens is not None:
        tokens = set(page_tokens)
        tokens |= material_script_tokens(next(site_dir.glob(MATERIAL_SCRIPT)).read_text(encoding="utf-8"), config)
        for script in (site_dir / "assets" / "javascripts").glob("*.js"):
            if not script.name.endswith(".min.js"):
                tokens |= script_tokens(script.read_text(encoding="utf-8"), class_like_only=False)
        css = [purge(text, tokens) for text in css]
    ours = [(site_dir / path).read_text(encoding="utf-8") for path in own]
    if page_tokens is not None:
        scripts = " ".join(p.read_text(encoding="utf-8") for p in (site_dir / "assets" / "javascripts").glob("*.js"))
        css = without_unused_properties(css, set(re.findall(r"--[\w-]+", scripts + "".join(ours))))
    css += ours
    target = site_dir / STYLESHEET
    target.write_text("\n".join(css) + "\n", encoding="utf-8")
    return target


def _serialize(rule: Rule) -> str:
    prelude = _collapse(rule.prelude)
    if rule.body is None:
        return prelude + ";"
    if prelude.startswith(("@media", "@supports", "@layer", "@container", "@document")):
        return prelude + "{" + minify_css(rule.body) + "}"
    if prelude.startswith("@keyframes") or prelude.startswith("@-webkit-keyframes"):
        return prelude + "{" + "".join(_serialize(r) for r in parse_css(rule.body)) + "}"
    declarations = [_collapse(d) for d in _split_top(rule.body, ";")]
    declarations = [re.sub(r"^([\w-]+)\s*:\s*", r"\1:", d) for d in declarations if d]
    return prelude + "{" + ";".join(declarations) + "}"


def _collapse(text: str) -> str:
    """White space runs as one space, none next to ``,`` ``>`` ``{`` or inside brackets; strings
    as they are."""
    out, i = [], 0
    while i < len(text):
        if text[i] in "\"'":
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
        elif text[i].isspace():
            while i < len(text) and text[i].isspace():
                i += 1
            before = out[-1][-1:] if out else ""
            after = text[i : i + 1]
            if before and after and before not in ",>({" and after not in ",>){":
                out.append(" ")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _split_top(text: str, separator: str) -> list[str]:
    parts, start, i, paren = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _string_end(text, i)
            continue
        if char == "(":
            paren += 1
        elif char == ")":
            paren -= 1
        elif char == separator and paren == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def _without_comments(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] in "\"'":
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return len(text)


def _block_end(text: str, start: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``start``."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _string_end(text, i)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


def minify_own_files(files, custom_dir: str | None) -> None:
    """Our scripts and stylesheets (from the theme's custom_dir) as readers get them. Call it
    once the theme's scripts are known (tcsite.script_integrity) and before any is hashed."""
    if not custom_dir:
        return
    root = Path(custom_dir).resolve()
    for file in files:
        if not file.abs_src_path or not Path(file.abs_src_path).resolve().is_relative_to(root):
            continue
        if file.dest_uri.endswith(".js") and not file.dest_uri.endswith(".min.js"):
            file.content_bytes = minify_js(file.content_string).encode("utf-8")
        elif file.dest_uri.endswith(".css") and not file.dest_uri.endswith(".min.css"):
            file.content_bytes = minify_css(file.content_string).encode("utf-8")


def image_size(path: Path) -> tuple[int, int] | None:
    """A picture's intrinsic width and height (an SVG's from its width/height or viewBox), for
    ``<img width height>``: the browser keeps its place before it arrives."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        tag = re.search(r"<svg\b[^>]*>", head)
        if not tag:
            return None
        size = [re.search(rf'\b{name}="([\d.]+)(?:px)?"', tag.group(0)) for name in ("width", "height")]
        if all(size):
            return round(float(size[0].group(1))), round(float(size[1].group(1)))
        box = re.search(r'\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', tag.group(0))
        return (round(float(box.group(1))), round(float(box.group(2)))) if box else None
    from PIL import Image

    with Image.open(path) as image:
        return image.size
