"""Forbidden markup, judged on HTML read the way a browser reads it.

Content is data, never code. Two places apply these rules:

- ``python -m tcsite check`` renders each content file with the site's own Markdown pipeline and
  applies ``content_findings`` to the output: no element that runs code or pulls in another
  document (``FORBIDDEN_ELEMENTS``), no ``on…`` attribute, no ``javascript:``, ``vbscript:`` or
  ``data:`` address in any attribute that holds one (``URL_ATTRIBUTES``). ``locate`` finds the
  source line of each finding.
- the build passes every page it writes through ``PageGuard``, the last line of defence: no
  ``<script>`` but the site's own (files of the theme, ``extra_javascript`` and Pagefind; inline
  scripts of the theme, by SHA-256 hash), no other kind of ``<script type>`` than JSON data, no
  ``<meta http-equiv="refresh">``, no ``on…`` attribute, no code-running address, none of the
  elements the theme never writes.

Reading HTML. ``Scanner`` is ``html.parser.HTMLParser`` corrected where Python 3.11's tokenizer
and browsers (the HTML standard) disagree, so that nothing can hide in the difference:

- comments end as browsers end them: ``<!-->`` and ``<!--->`` are empty comments, ``--!>``
  closes one (Python read ``<!--> <script> <!-- -->`` as one comment);
- ``<![CDATA[`` is always read as a bogus comment ending at the first ``>`` (browsers do so
  outside SVG and MathML; inside them it hides more, never less);
- the text of ``script``, ``style``, ``textarea``, ``title`` and the other raw-text elements ends
  at ``</name`` followed by a space, ``/`` or ``>`` (Python missed ``</script x>``), also when
  the start tag is written ``<name/>``; their text is never read as tags, as in browsers.

Raw text is the one place where browsers read differently depending on the namespace (inside
``<svg>``/``<math>`` it is markup). ``Scanner`` follows the namespace without building the whole
tree, so it may think an ``<svg>`` still open that a browser has closed, never the reverse; the
rules make that harmless: content may hold no raw-text element at all, and a page may hold none
inside ``<svg>``/``<math>``. Up to the first such element, itself a finding, the scanner and a
browser see the same tags. (Random differential runs against Chromium's parser, about 28,000
snippets mixing these tricks, for both rule sets, found nothing Chromium runs that they missed;
``tests/hostile/test_markup.py`` keeps the named tricks as a browser test.)

Source lines. Python-Markdown keeps no source positions, and a masked copy of the source is not
what the browser reads, so ``locate`` asks the renderer itself: for a finding that is the k-th of
its kind in the whole file's output, it bisects for the smallest number of leading lines whose
rendering already holds k of that kind. The bisection keeps "not yet in the first ``lo`` lines,
present in the first ``hi`` lines", so even where rendering is not monotonic (a reference
definition further down, an unclosed fence in a prefix) it ends on a line whose addition makes
the finding appear; the column is then looked up on that line (or the lines just above it, for a
tag spread over several lines). Cost: one rendering per file, plus about log2(lines) renderings of
prefixes per finding, only when there is a finding (at most ``MAX_LOCATED`` per file). The line
can only be wrong where an identical forbidden tag sits earlier in a code block that a prefix
leaves open. A file longer than ``MAX_BISECTED`` characters, whose renderings are slow, has its
findings placed on the source lines that hold their text instead: the refusal is as exact, the
line may be approximate.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from tcsite.script_integrity import site_path
from tcsite.validation import Problem

# --- what content may not hold --------------------------------------------------------------

EMBED_FIX = "remove it: content cannot embed other documents; link to what you want to show"
HEAD_FIX = "remove it: a page's settings come from the site, not from its text"
FORBIDDEN_ELEMENTS = {
    "script": "remove it: content cannot run scripts; ask the web team if a page needs one",
    "style": "remove it: styles belong to the site's stylesheets; ask the web team",
    "iframe": "link to what you want to show instead, or ask the web team to embed it",
    "frame": EMBED_FIX, "frameset": EMBED_FIX, "object": EMBED_FIX, "embed": EMBED_FIX, "applet": EMBED_FIX,
    "form": "remove it: link to the form on the site that receives the answers",
    "base": HEAD_FIX, "meta": HEAD_FIX, "link": HEAD_FIX,
}
# Elements whose text browsers do not read as tags: never needed in content, and forbidding them
# keeps the scanner exact (see the module's docstring).
RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
            "plaintext")
for _name in RAW_TEXT:
    FORBIDDEN_ELEMENTS.setdefault(_name, "remove it: this element does not belong in the text of a page")

# Attributes a browser follows as an address; list-valued ones are checked candidate by candidate.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "cite", "longdesc",
                  "lowsrc", "dynsrc", "codebase", "classid", "manifest", "icon", "profile", "usemap", "srcset",
                  "imagesrcset", "ping", "archive", "xlink:href"}
LIST_ATTRIBUTES = {"srcset", "imagesrcset", "ping", "archive"}
# SVG animations can set an href to one of their values: <set attributeName="href" to="…">.
ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform"}
ANIMATION_VALUES = {"to", "from", "by", "values"}
CODE_SCHEMES = ("javascript", "vbscript")
# A raster picture written into the page (data:image/png;base64,…) is kept for <img>: browsers
# never run image data, the CSP's img-src allows data:, and editors paste such pictures. SVG is
# left out: as a document it can hold scripts.
RASTER_DATA = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif")
PICTURE_ATTRIBUTES = {("img", "src"), ("img", "srcset"), ("source", "srcset")}
# Browsers drop tabs and newlines anywhere in an address and C0 controls and spaces around it.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")

# --- what the build refuses on a page -------------------------------------------------------

# Never written by the theme or our templates; raw-text ones also keep the scanner exact.
NOT_ON_PAGES = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "textarea", "xmp",
                "noembed", "noframes", "noscript", "plaintext")
JAVASCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                    "application/x-ecmascript", "application/x-javascript", "text/ecmascript", "text/jscript",
                    "text/livescript", "text/x-ecmascript", "text/x-javascript", "text/javascript1.0",
                    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
                    "text/javascript1.5"}
DATA_TYPES = {"application/json", "application/ld+json"}
PAGEFIND_FOLDER = "pagefind/"


@dataclass(frozen=True)
class Finding:
    """One forbidden thing in rendered HTML. ``signature`` tells equal findings apart from others
    when the same text is rendered again in part (``locate``)."""

    message: str
    fix: str
    signature: tuple
    needles: tuple[str, ...] = ()  # regular expressions that find it in a source line


# --- reading HTML ----------------------------------------------------------------------------

FOREIGN_ROOTS = ("svg", "math")
INTEGRATION_POINTS = {"svg": {"foreignobject", "desc", "title"}, "math": {"mi", "mo", "mn", "ms", "mtext"}}
HTML_ENCODINGS = {"text/html", "application/xhtml+xml"}  # <annotation-xml encoding=…> holding HTML
# Start tags that leave SVG/MathML for HTML (the HTML standard's list, exactly: a shorter list
# would only keep the scanner "foreign" longer, which the rules make harmless).
BREAKOUT = {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
            "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
            "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table",
            "tt", "u", "ul", "var"}
COMMENT_END = re.compile(r"--!?>")
NEVER = re.compile(r"(?!)")


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str]]
    foreign: bool  # inside <svg>/<math>, integration points included (as far as the scanner can tell)


@dataclass
class Script:
    attrs: dict[str, str]
    foreign: bool
    body: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.body)


class Scanner(HTMLParser):
    """Every element with its attributes (entities decoded), and every script with its text.

    The open SVG/MathML elements it keeps are never fewer than a browser's: it leaves them exactly
    where the HTML standard does (the tags that break out), and closes one by its end tag only when
    no integration point lies inside it (a browser may then ignore the end tag). So when it sees
    no open ``<svg>``/``<math>``, a browser reads HTML there too.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[Script] = []
        self._foreign: list[tuple[str, str, bool]] = []  # open foreign elements: (tag, svg|math, integration point)
        self._script: Script | None = None
        self.CDATA_CONTENT_ELEMENTS = RAW_TEXT

    @classmethod
    def read(cls, html: str) -> Scanner:
        scanner = cls()
        scanner.feed(html)
        scanner.close()
        return scanner

    @property
    def in_foreign(self) -> bool:
        """Whether start tags are read as SVG/MathML (not inside an integration point)."""
        return bool(self._foreign) and not self._foreign[-1][2]

    # -- tags -----------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        if tag in RAW_TEXT and not self.in_foreign:
            # Browsers ignore the "/" here: the raw text starts all the same.
            self._start(tag, attrs, closed=False)
            self.set_cdata_mode(tag)
        else:
            self._start(tag, attrs, closed=True)

    def _start(self, tag, attrs, closed):
        if self.in_foreign and (tag in BREAKOUT or (tag == "font" and {"color", "face", "size"} & {n for n, _ in attrs})):
            self._leave_foreign()
        foreign = self.in_foreign or tag in FOREIGN_ROOTS
        in_svg_or_math = foreign or bool(self._foreign)
        self.elements.append(Element(tag, [(name, value or "") for name, value in attrs], in_svg_or_math))
        if tag == "script":
            self._script = Script(dict((n, v or "") for n, v in attrs), in_svg_or_math)
            self.scripts.append(self._script)
            if closed:
                self._script = None
        if foreign and not closed:
            namespace = tag if tag in FOREIGN_ROOTS else self._foreign[-1][1]
            integration = tag in INTEGRATION_POINTS[namespace] or (
                tag == "annotation-xml" and dict(attrs).get("encoding", "").strip().lower() in HTML_ENCODINGS)
            self._foreign.append((tag, namespace, integration))
        # Raw text only for HTML elements (parse_starttag reads this after this handler).
        self.CDATA_CONTENT_ELEMENTS = () if foreign else RAW_TEXT

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        names = [name for name, _, _ in self._foreign]
        if tag in names:
            at = len(names) - 1 - names[::-1].index(tag)
            if not any(integration for _, _, integration in self._foreign[at + 1:]):
                del self._foreign[at:]
        elif self.in_foreign and tag in ("p", "br"):
            self._leave_foreign()
        self.CDATA_CONTENT_ELEMENTS = () if self.in_foreign else RAW_TEXT

    def _leave_foreign(self):
        while self._foreign and not self._foreign[-1][2]:
            self._foreign.pop()

    def handle_data(self, data):
        if self._script is not None:
            self._script.body.append(data)

    # -- where Python's tokenizer and browsers disagree ---------------------------------------

    def set_cdata_mode(self, elem):
        self.cdata_elem = elem.lower()
        if self.cdata_elem == "plaintext":
            self.interesting = NEVER  # everything after <plaintext> is text
        else:
            self.interesting = re.compile(r"</%s(?=[\t\n\f\r />])" % re.escape(self.cdata_elem), re.I)

    def parse_endtag(self, i):
        if self.cdata_elem is not None and re.compile(r"</%s[\t\n\f\r />]" % re.escape(self.cdata_elem), re.I).match(
                self.rawdata, i):
            end = self.rawdata.find(">", i)
            if end < 0:
                return -1
            elem = self.cdata_elem
            self.clear_cdata_mode()
            self.handle_endtag(elem)
            return end + 1
        return super().parse_endtag(i)

    def parse_comment(self, i, report=1):
        rawdata, start = self.rawdata, i + 4
        if rawdata.startswith(">", start):
            end, after = start, start + 1
        elif rawdata.startswith("->", start):
            end, after = start, start + 2
        else:
            match = COMMENT_END.search(rawdata, start)
            if not match:
                return -1
            end, after = match.start(), match.end()
        if report:
            self.handle_comment(rawdata[start:end])
        return after

    def parse_html_declaration(self, i):
        if self.rawdata.startswith("<!--", i):
            return self.parse_comment(i)
        return self.parse_bogus_comment(i)  # <!DOCTYPE …>, <![CDATA[ …, <!x …>: up to the first ">"


# --- addresses -------------------------------------------------------------------------------


def scheme_of(address: str) -> str:
    """The scheme a browser reads in an address (entities already decoded), lowercased."""
    match = SCHEME.match(IGNORED_IN_SCHEME.sub("", address).lower())
    return match.group(1) if match else ""


def addresses(tag: str, name: str, value: str) -> list[str]:
    """The addresses an attribute holds: one, several (srcset, ping) or none."""
    if name in LIST_ATTRIBUTES:
        return [part for part in re.split(r"[\s,]+", value) if part]
    if name in URL_ATTRIBUTES or name.endswith(":href"):
        return [value]
    if tag in ANIMATIONS and name in ANIMATION_VALUES:
        return value.split(";")
    return []


def forbidden_address(tag: str, name: str, address: str) -> str | None:
    """The scheme of an address that runs code or hides a document, else None."""
    scheme = scheme_of(address)
    if scheme in CODE_SCHEMES:
        return scheme
    if scheme == "data":
        media = IGNORED_IN_SCHEME.sub("", address).lower()[len("data:"):]
        if (tag, name) in PICTURE_ATTRIBUTES and media.startswith(RASTER_DATA):
            return None
        return scheme
    return None


# Classes for which Material's bundle fetches a script from another host, which the CSP's
# 'strict-dynamic' would then trust (pre.mermaid: the Mermaid library from a public CDN).
THIRD_PARTY_CLASSES = {"mermaid": "the Mermaid diagram library from another site"}


def _class_findings(element: Element, where: str) -> list[Finding]:
    classes = (dict(element.attrs).get("class") or "").split()
    return [
        Finding(f"class=\"{name}\" makes the page load {loads}",
                f"remove the class from the {where}; ask the web team if a page needs a diagram",
                ("class", element.tag, name), (rf"(?<![\w-]){re.escape(name)}(?![\w-])",))
        for name, loads in THIRD_PARTY_CLASSES.items() if name in classes
    ]


def _attribute_findings(element: Element, where: str) -> list[Finding]:
    """``on…`` attributes and code-running addresses of one element."""
    found = []
    tag = element.tag
    for name, value in element.attrs:
        if name.startswith("on"):
            found.append(Finding(
                f"the {name} attribute runs a script", f"remove {name}=… from the {where}",
                ("event", tag, name, value), (rf"(?<![\w:-]){re.escape(name)}\b",)))
            continue
        for address in addresses(tag, name, value):
            scheme = forbidden_address(tag, name, address)
            if scheme is None:
                continue
            if scheme == "data":
                message = "'data:' addresses can hide a page or a script"
                fix = ("save the picture as a PNG, JPEG or WebP file and link to it" if tag in ("img", "source")
                       else "link to a page or to a web address starting with https://")
            else:
                message = f"'{scheme}:' addresses run code"
                fix = "link to a page or to a web address starting with https://"
            needles = (rf"(?<![\w-]){re.escape(name)}\s*=", rf"{scheme}\s*:", scheme[:3])
            found.append(Finding(message, fix, ("address", tag, name, value), needles))
            break
    return found


# --- content (check) -------------------------------------------------------------------------


def content_findings(html: str) -> list[Finding]:
    """Everything forbidden in the HTML an editor's text becomes, in document order."""
    found = []
    for element in Scanner.read(html).elements:
        tag = element.tag
        if tag in FORBIDDEN_ELEMENTS:
            found.append(Finding(f"<{tag}> is not allowed in content", FORBIDDEN_ELEMENTS[tag],
                                 ("element", tag, tuple(element.attrs)), (rf"<{re.escape(tag)}(?![\w-])",)))
        found.extend(_attribute_findings(element, f"<{tag}> tag"))
        found.extend(_class_findings(element, f"<{tag}> tag"))
    return found


MAX_LOCATED = 25
# Above this many characters a rendering takes a second or more (Python-Markdown is superlinear:
# 70 KB in 0.8 s, 700 KB in 33 s on 2 cores), so lines are found by searching the source instead.
MAX_BISECTED = 50_000
MAX_LINES_UP = 20  # how far above the line found a tag's start is looked for


@dataclass(frozen=True)
class Located:
    message: str
    fix: str
    line: int  # 1-based, in the text given to ``locate``
    column: int


def locate(text: str, render: Callable[[str], str], findings: list[Finding] | None = None) -> list[Located]:
    """The source line and column of each finding of ``content_findings(render(text))``.

    ``render`` is the site's Markdown pipeline. See the module's docstring for the method.
    """
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # Markdown's lines: only "\n" ends one
    if findings is None:
        findings = content_findings(render(text))
    counts: dict[int, Counter] = {0: Counter(), len(lines): Counter(f.signature for f in findings)}

    def count(n: int) -> Counter:
        if n not in counts:
            counts[n] = Counter(f.signature for f in content_findings(render("".join(lines[:n]))))
        return counts[n]

    located, seen = [], Counter()
    for finding in findings[:MAX_LOCATED]:
        seen[finding.signature] += 1
        wanted = seen[finding.signature]
        if len(text) > MAX_BISECTED:
            line, column = _position(lines, _searched_line(lines, finding, wanted), finding)
        else:
            lo, hi = 0, len(lines)  # count(lo) < wanted <= count(hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if count(mid)[finding.signature] >= wanted:
                    hi = mid
                else:
                    lo = mid
            line, column = _position(lines, hi, finding)
        fix = finding.fix
        if fix.endswith(" tag") and in_attribute_list(lines[line - 1], column):
            fix = fix.rpartition(" from the ")[0] + " from the {…} attribute list"
        located.append(Located(finding.message, fix, line, column))
    if len(findings) > MAX_LOCATED:
        last = located[-1]
        located.append(Located(f"{len(findings) - MAX_LOCATED} more forbidden tags or attributes after this one",
                               "fix the ones listed, then run the check again", last.line, last.column))
    return located


def _searched_line(lines: list[str], finding: Finding, wanted: int) -> int:
    """The line of the ``wanted``-th source line holding the finding's text (approximate)."""
    matching = [number for number, text in enumerate(lines, start=1)
                if any(re.search(needle, text, re.I) for needle in finding.needles)]
    return matching[min(wanted, len(matching)) - 1] if matching else 1


def _position(lines: list[str], line: int, finding: Finding) -> tuple[int, int]:
    """Where on ``line`` (or just above it) the finding is written; column 1 when unsure."""
    for number in range(line, max(0, line - MAX_LINES_UP), -1):
        text = lines[number - 1] if number - 1 < len(lines) else ""
        if number < line and not text.strip():
            break
        for needle in finding.needles:
            match = re.search(needle, text, re.I)
            if match:
                return number, match.start() + 1
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return line, len(text) - len(text.lstrip()) + 1


def in_attribute_list(line: str, column: int) -> bool:
    """Whether the text at ``column`` is inside a Markdown attribute list ``{: … }``."""
    before = line[: column - 1]
    return before.rfind("{") > before.rfind("<")


# --- pages (the build) -------------------------------------------------------------------------


def script_hash(text: str) -> str:
    """The CSP source (``'sha256-…'``) of an inline script's text, newlines as browsers read them."""
    digest = hashlib.sha256(re.sub(r"\r\n?", "\n", text).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def script_type(script: Script) -> str:
    return script.attrs.get("type", "").strip().lower()


def inline_script_hashes(html: str) -> list[str]:
    """CSP hash sources of the inline scripts a browser would run, in page order."""
    return [script_hash(s.text) for s in Scanner.read(html).scripts
            if "src" not in s.attrs and script_type(s) in JAVASCRIPT_TYPES]


class PageGuard:
    """The build's last line of defence: every page written passes ``problems``.

    ``script_files`` are the site paths (``assets/javascripts/x.js``) of the theme's scripts
    (``tcsite.script_integrity``: Material's and ours in ``overrides/``); Pagefind's are allowed
    too. ``theme_inline_hashes(base_url)`` gives the hashes of the theme's inline scripts as
    rendered for a page with that ``base_url``; ``inline_seen`` collects those found on pages,
    for the Content-Security-Policy.
    """

    def __init__(self, script_files: set[str], theme_inline_hashes: Callable[[str], set[str]],
                 inline_seen: set[str] | None = None):
        self.script_files = script_files
        self.theme_inline_hashes = theme_inline_hashes
        self.inline_seen = inline_seen if inline_seen is not None else set()

    def problems(self, html: str, page_url: str, source: str, base_url: str) -> list[Problem]:
        """``page_url`` is the page's path from the site's root (``es/about/``; absolute for 404s)."""
        scanner = Scanner.read(html)
        found = [self._script_problem(script, page_url, base_url) for script in scanner.scripts]
        for element in scanner.elements:
            found.extend(self._element_problems(element))
        fix = (f"remove it from the page's text or from what added it; if it is in the text, "
               f"`python -m tcsite check {source}` shows the line")
        return [Problem(source, 1, 1, message, fix) for message in dict.fromkeys(m for m in found if m)]

    def _script_problem(self, script: Script, page_url: str, base_url: str) -> str | None:
        kind = script_type(script)
        if kind in DATA_TYPES:
            return None
        if kind not in JAVASCRIPT_TYPES:
            return f'a <script type="{kind}"> is on the page: only the site\'s scripts and JSON data may be'
        if script.foreign:
            return "a <script> inside <svg> or <math> is on the page"
        if "src" in script.attrs:
            src = script.attrs["src"]
            if self.shipped(src, page_url):
                return None
            return f"a <script> loads {src}, which is not one of the site's own scripts"
        digest = script_hash(script.text)
        if digest in self.theme_inline_hashes(base_url):
            self.inline_seen.add(digest)
            return None
        return f"an inline <script> that is not one of the theme's own ({digest}) is on the page"

    def shipped(self, src: str, page_url: str) -> bool:
        """Whether a script address is one of the site's own files (never another host's)."""
        path = site_path(src.strip(), page_url)
        return path is not None and (path in self.script_files or path.startswith(PAGEFIND_FOLDER))

    def _element_problems(self, element: Element) -> list[str]:
        tag, found = element.tag, []
        if tag in NOT_ON_PAGES:
            found.append(f"<{tag}> is on the page (the site never writes one)")
        elif tag in RAW_TEXT and element.foreign and tag != "script":
            found.append(f"<{tag}> inside <svg> or <math> is on the page")
        if tag == "meta" and dict(element.attrs).get("http-equiv", "").strip().lower() == "refresh":
            found.append('a <meta http-equiv="refresh"> would send readers to another address')
        found.extend(finding.message for finding in _class_findings(element, f"<{tag}> tag"))
        for finding in _attribute_findings(element, f"<{tag}> tag"):
            kind, _, name, _ = finding.signature
            found.append(f"the {name} attribute of a <{tag}> runs a script" if kind == "event"
                         else f"{finding.message} (the {name} of a <{tag}>)")
        return found


def theme_inline_script_hashes(env, config, base_url: str) -> set[str]:
    """The theme's own inline scripts (Material's ``partials/javascripts/``), rendered as its
    ``base.html`` renders them for a page with this ``base_url``."""
    features = config.theme.get("features") or []
    hashes = set()
    for name in javascript_partials(config.theme.dirs):
        html = env.get_template(name).render(config=config, base_url=base_url, features=features)
        hashes.update(inline_script_hashes(html))
    return hashes


def javascript_partials(theme_dirs: list[str]) -> list[str]:
    """The names of the theme's ``partials/javascripts/`` templates (the first folder that has a
    name wins, as in the theme's loader), without listing every file of the theme (Material's
    thousands of icons)."""
    names = set()
    for folder in theme_dirs:
        base = Path(folder, "partials", "javascripts")
        if base.is_dir():
            names.update(f"partials/javascripts/{p.relative_to(base).as_posix()}" for p in base.rglob("*") if p.is_file())
    return sorted(names)
