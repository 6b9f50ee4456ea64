"""The site's quality gates, as plain functions over a built site.

Each gate is used twice: by the tests that run it on the real site (which must come out clean)
and by the tests that run it on a deliberately broken page (which must report the problem),
so that every gate has been seen to fail. Nothing here depends on pytest.

Tools: axe-core and the Nu Html Checker come from the pinned npm packages in
``package-lock.json`` (``npm ci`` puts them in ``node_modules/``); Chromium is Debian's, driven
by Python Playwright (no browser is ever downloaded); Java runs ``vnu.jar``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# WCAG 2.0, 2.1 and 2.2, levels A and AA (WCAG 2.2 added no level-A rule that axe tests).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

CHROMIUM = os.environ.get("TC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Above this many pages, the browser gates check a sample (see sample_pages).
FULL_CHECK_LIMIT = 60
SAMPLE_SIZE = 40
SAMPLE_SEED = 20260101


def site_url_of(project: Path) -> str:
    """The ``site_url`` of a project's mkdocs.yml (absolute links to it are internal)."""
    text = (Path(project) / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*(\S+)", text, re.MULTILINE)
    return match.group(1).strip("'\"") if match else ""


def missing_tools(browser: bool = False) -> list[str]:
    """What the gates need and cannot find, each with the command that installs it."""
    missing = []
    if not AXE_JS.is_file() or not VNU_JAR.is_file():
        missing.append("npm packages axe-core and vnu-jar (run: npm ci)")
    if not shutil.which("java"):
        missing.append("a Java runtime (apt-get install default-jre-headless)")
    if browser and not Path(CHROMIUM).exists():
        missing.append("Chromium (apt-get install chromium)")
    return missing


def launch_chromium(playwright):
    """Debian's Chromium, headless; never a browser downloaded by Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# Every request to another host goes to this proxy: a closed port on loopback, so it fails at
# once (net::ERR_PROXY_CONNECTION_FAILED) and nothing leaves the machine, not even a DNS lookup.
# Unlike request interception (page.route), a proxy leaves the browser's HTTP cache on, so the
# site's CSS and JavaScript are fetched and compiled once per sweep, not once per page.
NO_EGRESS_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost,[::1]"}


def new_context(browser, **options):
    """A browser context that can reach the loopback server only (see NO_EGRESS_PROXY)."""
    return browser.new_context(proxy=NO_EGRESS_PROXY, **options)


# --------------------------------------------------------------------------------------------
# The pages of a built site


@dataclass(frozen=True, order=True)
class SitePage:
    path: str    # URL path below the site root: "", "about/", "es/about/", "404.html"
    lang: str    # the page's <html lang>
    kind: str    # page type: "home", "404", a section ("news"), or a section's pages ("news/*")
    file: Path = field(compare=False)


_HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]+)\"", re.IGNORECASE)


def site_pages(site_dir: Path) -> list[SitePage]:
    """Every HTML page of the built site, in a stable order."""
    site_dir = Path(site_dir)
    default_lang = _lang_of(site_dir / "index.html")
    # A language's pages live under a folder whose home page declares another language: es/.
    languages = {
        p.parent.name for p in site_dir.glob("*/index.html") if _lang_of(p) != default_lang
    }
    pages = []
    for file in sorted(site_dir.rglob("*.html")):
        rel = file.relative_to(site_dir).as_posix()
        path = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        parts = [p for p in path.split("/") if p]
        if parts and parts[0] in languages:
            parts = parts[1:]
        if not parts:
            kind = "home"
        elif parts[-1] == "404.html":
            kind = "404"
        elif len(parts) == 1:
            kind = parts[0]
        elif len(parts) == 2:
            kind = parts[0] + "/*"                    # instruments/cedaw
        else:                                         # news/2019/post, news/category/cedaw
            kind = f"{parts[0]}/{'<year>' if parts[1].isdigit() else parts[1]}/*"
        pages.append(SitePage(path, _lang_of(file), kind, file))
    return pages


def _lang_of(file: Path) -> str:
    if not file.is_file():
        return ""
    with file.open(encoding="utf-8", errors="replace") as handle:
        match = _HTML_LANG.search(handle.read(4000))
    return match.group(1) if match else ""


# Not pages of the site but a tool for its editors: the CMS at /admin/ (Decap CMS, a third-party
# app vendored into the build). The browser gates judge what visitors get, and Decap would fail
# them for reasons that are not ours: with ``local_backend: true`` it probes its local proxy
# http://localhost:8081/api/v1 whenever the page's host is localhost or 127.0.0.1, as in these
# tests (never on the real host), and the text of its login screen is Decap's. The HTML and
# link checks still cover admin/index.html.
EDITOR_TOOLS = ("admin/",)


def visitor_pages(pages: list[SitePage]) -> list[SitePage]:
    """The pages visitors read: all but the editors' tools (EDITOR_TOOLS)."""
    return [p for p in pages if not p.path.startswith(EDITOR_TOOLS)]


def representative_pages(pages: list[SitePage], per_language: bool = True) -> list[SitePage]:
    """One page of each type in each language (or of each type only), the first in URL order."""
    chosen: dict[tuple[str, str], SitePage] = {}
    for page in sorted(pages):
        chosen.setdefault((page.lang if per_language else "", page.kind), page)
    return sorted(chosen.values())


def sample_pages(pages: list[SitePage], limit: int = FULL_CHECK_LIMIT,
                 sample: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> list[SitePage]:
    """All pages while the site is small; past ``limit``, one page of each type in each
    language plus a random sample of the rest, the same sample on every run."""
    if len(pages) <= limit:
        return sorted(pages)
    chosen = representative_pages(pages)
    rest = sorted(set(pages) - set(chosen))
    picked = random.Random(seed).sample(rest, min(sample, len(rest)))
    return sorted(set(chosen) | set(picked))


# --------------------------------------------------------------------------------------------
# 1. Accessibility: axe-core in Chromium

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : t).join(" ")),
  }));
}"""


@dataclass(frozen=True)
class AxeViolation:
    url: str
    scheme: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        scheme = "" if self.scheme == "default" else f" [{self.scheme} scheme]"
        return (f"{self.url}{scheme}: {self.rule} ({self.impact}): {self.help}\n    "
                + "\n    ".join(self.targets))


# Material fades colours in (transition: color 125ms ...); axe must see the final colours.
_NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def axe_violations(page, url: str, schemes: tuple[str, ...] = ("default",)) -> list[AxeViolation]:
    """Load ``url`` in a Playwright page, inject axe-core and return its WCAG 2.0/2.1/2.2 A and
    AA violations in each of Material's colour ``schemes`` ("default" is light, "slate" dark)."""
    page.goto(url, wait_until="load")
    page.add_style_tag(content=_NO_TRANSITIONS)
    page.add_script_tag(path=str(AXE_JS))
    found = []
    for scheme in schemes:
        page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        for v in page.evaluate(_RUN_AXE, WCAG_TAGS):
            found.append(AxeViolation(url, scheme, v["id"], v["impact"] or "", v["help"],
                                      tuple(v["targets"])))
    return found


# --------------------------------------------------------------------------------------------
# 2. Valid HTML: the Nu Html Checker

@dataclass(frozen=True)
class VnuMessage:
    file: str
    line: int
    kind: str       # "error", "warning" or "info"
    message: str
    extract: str

    def __str__(self) -> str:
        extract = " ".join(self.extract.split())
        return f"{self.file}:{self.line}: {self.kind}: {self.message}\n    {extract[:160]}"


@dataclass
class VnuReport:
    errors: list[VnuMessage]
    warnings: list[VnuMessage]
    infos: list[VnuMessage]


def vnu_check(paths: list[Path], relative_to: Path | None = None) -> VnuReport:
    """Check every file with the Nu Html Checker in ONE Java process (startup is slow)."""
    paths = [str(p) for p in paths]
    if not paths:
        return VnuReport([], [], [])
    result = subprocess.run(
        ["java", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
         "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", *paths],
        capture_output=True, text=True, check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"vnu.jar gave no report ({error}):\n{result.stdout}\n{result.stderr}")
    report = VnuReport([], [], [])
    for m in messages:
        file = unquote(urlsplit(m.get("url", "")).path)
        if relative_to is not None:
            try:
                file = Path(file).relative_to(relative_to).as_posix()
            except ValueError:
                pass
        kind = "warning" if m.get("subType") == "warning" else m["type"]
        if kind in ("non-document-error", "fatal"):
            kind = "error"
        message = VnuMessage(file, m.get("lastLine", 0), kind, m.get("message", ""),
                             m.get("extract", ""))
        if kind == "error":
            report.errors.append(message)
        elif kind == "warning":
            report.warnings.append(message)
        else:
            report.infos.append(message)
    return report


def vnu_errors(paths: list[Path], relative_to: Path | None = None) -> list[VnuMessage]:
    return vnu_check(paths, relative_to).errors


# --------------------------------------------------------------------------------------------
# 3. Privacy: no request leaves the site


class RequestLog:
    """Records every request of a page's browser context (the page's, its frames' and its
    workers') while open, and which went anywhere but ``allowed_origin``. Use it on a context
    made by ``new_context``, which lets no such request leave the machine."""

    def __init__(self, page, allowed_origin: str):
        self.page = page
        self.allowed = _origin(allowed_origin)
        self.foreign: list[str] = []
        self.pending: set = set()
        self.last_activity = time.monotonic()

    def _is_foreign(self, url: str) -> bool:
        return not url.startswith(("data:", "blob:", "about:")) and _origin(url) != self.allowed

    def _on_request(self, request):
        self.pending.add(request)
        self.last_activity = time.monotonic()
        if self._is_foreign(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)

    def _on_done(self, request):
        self.pending.discard(request)
        self.last_activity = time.monotonic()

    def __enter__(self):
        context = self.page.context
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_done)
        context.on("requestfailed", self._on_done)
        return self

    def __exit__(self, *exc):
        context = self.page.context
        for event, handler in (("request", self._on_request), ("requestfinished", self._on_done),
                               ("requestfailed", self._on_done)):
            context.remove_listener(event, handler)
        return False

    def settle(self, page=None, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no request is in flight and none started for ``quiet`` seconds, counted
        from this call at the earliest (what was just done may start a request late, e.g. a
        search box that waits for the typing to pause)."""
        page = page or self.page
        start = time.monotonic()
        deadline = start + timeout
        while time.monotonic() < deadline:
            if not self.pending and time.monotonic() - max(self.last_activity, start) >= quiet:
                return
            page.wait_for_timeout(50)  # polling interval of the condition above (lets Playwright take events)


def exercise(page, use_search: bool = True) -> None:
    """Bring in what a page loads late: lazy content further down, and (``use_search``)
    whatever the search loads when it is used."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    search = page.locator("input.md-search__input")
    if use_search and search.count():
        search.first.focus()
        page.keyboard.type("un")


def third_party_requests(page, url: str, allowed_origin: str) -> list[str]:
    """Load and use ``url``; every request it made to anywhere but ``allowed_origin``.
    ``page`` should belong to a context made by ``new_context`` (no request leaves)."""
    with RequestLog(page, allowed_origin) as log:
        page.goto(url, wait_until="load")
        exercise(page)
        log.settle(page)
    return log.foreign


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


# --------------------------------------------------------------------------------------------
# 4. Links: internal links and anchors resolve; external ones are listed

_LINK_ATTRIBUTES = ("href", "src", "srcset", "poster", "data", "action")
_META_LINKS = ("og:url", "og:image", "twitter:image")   # social cards: must resolve too
_NOT_LINKS = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
_BASE = "http://site.invalid/"


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str, str]] = []   # (line, tag, attribute, value)
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif tag == "base" and name == "href":
                self.base = value
            elif name in ("href", "xlink:href") and tag == "use" and value.startswith("#"):
                self.links.append((line, tag, name, value))
            elif tag == "meta" and name == "content" and dict(attrs).get(
                    "property", dict(attrs).get("name")) in _META_LINKS:
                self.links.append((line, tag, "content", value))
            elif name in _LINK_ATTRIBUTES and tag != "meta":
                if name == "data" and tag != "object":
                    continue
                if name == "srcset":
                    for candidate in value.split(","):
                        candidate = candidate.strip().split()
                        if candidate:
                            self.links.append((line, tag, name, candidate[0]))
                else:
                    self.links.append((line, tag, name, value))

    handle_startendtag = handle_starttag


@dataclass
class LinkReport:
    dead: list[str]                          # "page:line: <a href=...> why"
    external: dict[str, list[str]]           # URL -> pages that link to it
    checked: int = 0

    def external_summary(self) -> str:
        by_host: dict[str, list[str]] = defaultdict(list)
        for url in sorted(self.external):
            by_host[urlsplit(url).netloc or url.split(":", 1)[0] + ":"].append(url)
        lines = [f"{len(self.external)} external link target(s) on {len(by_host)} host(s) "
                 f"(listed, not fetched):"]
        for host in sorted(by_host):
            lines.append(f"  {host}")
            for url in by_host[host]:
                lines.append(f"    {url}  ({len(self.external[url])} page(s))")
        return "\n".join(lines)


def dead_links(site_dir: Path, site_url: str | None = None) -> LinkReport:
    """Every internal ``href``/``src``/``srcset`` must name a file of the site (a directory URL
    means its index.html) and every ``#fragment`` an element id of the target page. Absolute
    URLs under ``site_url`` (canonical, language alternates) count as internal."""
    site_dir = Path(site_dir)
    parsed: dict[Path, _PageParser] = {}

    def parse(file: Path) -> _PageParser:
        if file not in parsed:
            parser = _PageParser()
            parser.feed(file.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            parsed[file] = parser
        return parsed[file]

    site_prefix = None
    if site_url:
        parts = urlsplit(site_url)
        site_prefix = (parts.scheme, parts.netloc.lower(), parts.path if parts.path.endswith("/") else parts.path + "/")

    report = LinkReport([], defaultdict(list))
    for file in sorted(site_dir.rglob("*.html")):
        rel = file.relative_to(site_dir).as_posix()
        page = parse(file)
        page_base = urljoin(_BASE, rel)
        if page.base:
            page_base = urljoin(page_base, page.base)
        for line, tag, attribute, value in page.links:
            value = value.strip()  # the parser has already decoded character references
            if not value or value.lower().startswith(_NOT_LINKS):
                if value.lower().startswith(("mailto:", "tel:")):
                    report.external[value].append(rel)
                continue
            report.checked += 1
            target = urljoin(page_base, value)
            scheme, netloc, path, _query, fragment = urlsplit(target)
            if f"{scheme}://{netloc}/" != _BASE:
                if site_prefix and (scheme, netloc.lower()) == site_prefix[:2] and (
                    path + "/").startswith(site_prefix[2]):
                    path = "/" + path[len(site_prefix[2]):]
                else:
                    report.external[target].append(rel)
                    continue
            where = f"{rel}:{line}: <{tag} {attribute}=\"{value}\">"
            target_file = _resolve(site_dir, unquote(path))
            if target_file is None:
                report.dead.append(f"{where}: no such file in the site ({unquote(path)})")
                continue
            if fragment and target_file.suffix == ".html":
                fragment = unquote(fragment)
                if fragment not in parse(target_file).ids:
                    report.dead.append(
                        f"{where}: {target_file.relative_to(site_dir).as_posix()} has no "
                        f"element with id \"{fragment}\""
                    )
    report.external = dict(report.external)
    return report


def _resolve(site_dir: Path, url_path: str) -> Path | None:
    relative = PurePosixPath(url_path.lstrip("/"))
    if ".." in relative.parts:
        return None
    candidate = site_dir / relative
    if url_path.endswith("/") or url_path == "":
        candidate = candidate / "index.html"
    elif candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


# --------------------------------------------------------------------------------------------
# 5. Keyboard and zoom

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const text = (e.innerText || e.value || "").trim().replace(/\\s+/g, " ");
  return {
    tag: e.tagName.toLowerCase(),
    classes: Array.from(e.classList),
    text: text.slice(0, 80),
    label: e.getAttribute("aria-label") || "",
    href: e.getAttribute("href") || "",
    hreflang: e.getAttribute("hreflang") || "",
    in_language_switcher: !!e.closest(".md-select"),
  };
}"""


def tab_stops(page, url: str, count: int = 60) -> list[dict | None]:
    """Load ``url`` and press Tab ``count`` times; what had the focus after each press."""
    page.goto(url, wait_until="load")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_FOCUSED))
    return stops


def describe_stop(stop: dict | None) -> str:
    if stop is None:
        return "(nothing: the page itself)"
    name = stop["label"] or stop["text"] or stop["href"]
    classes = "." + ".".join(stop["classes"]) if stop["classes"] else ""
    return f"<{stop['tag']}{classes}> {name!r}"


# The skip link's words in each language: ours where data/labels.yml words Material's
# "action.skip" differently ("material.action.skip"; tcsite/theme.py).
SKIP_LINK_TEXT = {lang: text for lang, text in
                  yaml.safe_load((ROOT / "data" / "labels.yml").read_text(encoding="utf-8"))["material.action.skip"].items()}


def keyboard_problems(page, url: str, lang: str, count: int = 60) -> list[str]:
    """What a keyboard user cannot do on ``url``: the first Tab must land on the skip link,
    and within ``count`` Tabs the link to the other language and the search field must each
    have had the focus."""
    stops = tab_stops(page, url, count)
    problems = []
    first = stops[0] if stops else None
    expected = SKIP_LINK_TEXT.get(lang, "")
    if not (first and "md-skip" in first["classes"] and first["text"] == expected):
        problems.append(f"{url}: the first Tab focuses {describe_stop(first)}, "
                        f"not the skip link a.md-skip {expected!r}")
    if not any(s and s["in_language_switcher"] and s["tag"] == "a" and s["hreflang"]
               and s["hreflang"] != lang for s in stops):
        problems.append(f"{url}: no link of the language switcher to another language had the "
                        f"focus in {count} Tabs")
    if not any(s and s["tag"] == "input" and "md-search__input" in s["classes"] for s in stops):
        problems.append(f"{url}: the search field never had the focus in {count} Tabs")
    if problems:
        problems.append("    Tab order: " + " -> ".join(describe_stop(s) for s in stops[:25]))
    return problems


_OVERFLOWING = """(width) => {
  // Elements that stick out past the viewport while their parent does not: the culprits.
  const sticksOut = (e) => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return box.width > 0 && box.right > width + 1 && style.visibility !== "hidden";
  };
  const out = [];
  for (const e of document.body.querySelectorAll("*")) {
    if (sticksOut(e) && !(e.parentElement && e.parentElement !== document.body
                          && sticksOut(e.parentElement))) {
      let name = e.tagName.toLowerCase();
      if (e.id) name += "#" + e.id;
      if (e.classList.length) name += "." + Array.from(e.classList).join(".");
      out.push(`${name} (right edge at ${Math.round(e.getBoundingClientRect().right)} px)`);
    }
  }
  return out.slice(0, 5);
}"""


def reflow_problems(page, url: str) -> list[str]:
    """At the page's viewport (320 CSS px: 1280 px at 400 % zoom) nothing may scroll sideways:
    ``document.documentElement.scrollWidth`` must not exceed the viewport's width."""
    page.goto(url, wait_until="load")
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width <= width:
        return []
    culprits = page.evaluate(_OVERFLOWING, width)
    return [f"{url}: {scroll_width} px wide at a {width} px viewport (scrolls sideways); "
            f"widest elements: " + "; ".join(culprits)]
