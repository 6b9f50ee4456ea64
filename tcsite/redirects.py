"""Redirects: ``data/redirects.yml``, read once, checked like content, written as ``_redirects``.

Editors write one ``/old/address/: /new/address/`` line per moved page. ``python -m tcsite check``
and the build both go through ``checked_redirects``: the file is read by ``read_redirects`` and
judged by ``redirect_problems`` against the addresses the build will write (``site_addresses``,
from the same site model as ``check``), before anything is written. The build then writes the
CDN's ``_redirects`` (``redirects_file``).

The CDN's format is one ``source target status`` line per rule, separated by whitespace, so a
space, a line break or a ``#`` in an address would add a status code, another rule or a comment:
such characters are refused, never escaped. The rules, each stated in its message:

- an old address (the source) starts with ``/`` and is no page or file the site publishes, in any
  language, nor inside a folder the site fills itself (``/admin/``, ``/assets/``, ``/pagefind/``,
  news listings): the CDN follows a redirect before it serves a page, so it would hide the page;
- Cloudflare's patterns (``*`` and ``:name``) only for a folder of old addresses: a pattern must
  start with a fixed folder that is neither ``/`` nor a language's root, and match no page;
- a target is a page or file of the site (or the old address of another redirect, the chain ending
  on a page, never looping), or an ``https://`` address on a host listed in ``mkdocs.yml``
  (``tcsite: redirect_hosts``);
- Cloudflare's limits: 2,000 rules of fixed addresses, 100 patterns, 1,000 characters a rule.

A problem with a rule is reported at the rule's old address; a problem with the YAML itself where
the faulty construct starts.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from tcsite import feeds
from tcsite.data_files import yaml_problem
from tcsite.news import NEWS_PATH, Post, listings, media_files
from tcsite.project import NEWS, PAGES, Entry, Project
from tcsite.untranslated import SPECIAL_PAGES  # docs/404.md, docs/untranslated.md: texts, not pages
from tcsite.naming import split_language_suffix
from tcsite.validation import Problem

REDIRECTS_FILE = "data/redirects.yml"
STATUS = 301  # permanent: the pages have moved
MAX_FILE_BYTES = 1024 * 1024
# Cloudflare's limits (workers-shared parseRedirects; Pages docs): beyond them rules are dropped.
MAX_STATIC_RULES = 2000
MAX_DYNAMIC_RULES = 100
MAX_RULE_CHARS = 1000
# Cloudflare's syntax (a JavaScript \w: ASCII only); a placeholder may sit inside a segment.
PLACEHOLDER = re.compile(r":[A-Za-z]\w*", re.ASCII)
WILDCARD = re.compile(r"(\*|:[A-Za-z]\w*)", re.ASCII)
UNSAFE = re.compile(r"[\s\"'`<>#\\]")  # and any invisible character (see _unsafe)
INVISIBLE = ("Cc", "Cf", "Co", "Cs", "Zl", "Zp", "Zs")  # Unicode categories: controls, formats, spaces
STR_TAG = "tag:yaml.org,2002:str"
# Folders the site fills itself, in every language: no redirect may start inside them.
OWNED_FOLDERS = ("admin/", "api/", "assets/", "pagefind/",
                 f"{NEWS_PATH}page/", f"{NEWS_PATH}archive/", f"{NEWS_PATH}category/")
# Files the build writes: once at the root, and in every language.
SITE_FILES = ("404.html", "robots.txt", "sitemap.xml", "sitemap.xml.gz")
LANGUAGE_FILES = (NEWS_PATH + feeds.RSS_NAME, NEWS_PATH + feeds.ATOM_NAME, "404.html")
PATTERN_FIX = "a pattern with * or :name may only cover a folder of old addresses, e.g. /old-blog/*"


@dataclass(frozen=True)
class Redirect:
    source: str
    target: str
    line: int
    column: int

    @property
    def dynamic(self) -> bool:
        return WILDCARD.search(self.source) is not None

    def problem(self, message: str, fix: str) -> Problem:
        return Problem(REDIRECTS_FILE, self.line, self.column, message, fix)


# --- reading the file -----------------------------------------------------------------


def read_redirects(path: Path) -> tuple[list[Redirect], list[Problem]]:
    """The rules of ``data/redirects.yml`` in file order, and what keeps the file from being read.

    The YAML is read as a stream of events, never built into objects: no alias is expanded, no
    depth of nesting recurses, and a key written twice is seen (YAML would keep the last).
    """
    if not path.is_file():
        return [], []
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return [], [Problem(REDIRECTS_FILE, 1, 1, f"the file is {size // 1024} KB, more than "
                            f"{MAX_FILE_BYTES // 1024} KB", "keep only the redirects that are still needed")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [], [Problem(REDIRECTS_FILE, line, 1, "the file is not UTF-8 text", "save it with the UTF-8 encoding")]
    try:
        loader = yaml.SafeLoader(text)  # refuses characters YAML does not accept, at once
        try:
            return _rules(loader)
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        return [], [_yaml_error(error, text)]


def _yaml_error(error: yaml.YAMLError, text: str) -> Problem:
    return yaml_problem(error, text, REDIRECTS_FILE,
                        "write one '/old/address/: /new/address/' per line; put quotes around an address containing ': '",
                        unclosed_fix="close the quotes at the end of the address")


def _rules(loader: yaml.SafeLoader) -> tuple[list[Redirect], list[Problem]]:
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        return [], []
    loader.get_event()  # DocumentStart
    start = loader.get_event()
    if isinstance(start, yaml.ScalarEvent) and _tag(loader, start) == "tag:yaml.org,2002:null":
        return [], []  # only comments
    if not isinstance(start, yaml.MappingStartEvent):
        return [], [_at(start, "the file must be a list of '/old/address/: /new/address/' lines",
                        "write one redirect per line, old address first, then ': ' and the new address")]
    rules, problems, first_line = [], [], {}
    while not loader.check_event(yaml.MappingEndEvent):
        key, value = _text(loader, "old address"), _text(loader, "new address")
        for found in (key, value):
            if isinstance(found, Problem):
                problems.append(found)
        if isinstance(key, Problem) or isinstance(value, Problem):
            continue
        (source, mark), (target, _) = key, value
        line, column = mark.line + 1, mark.column + 1
        if source in first_line:
            problems.append(Problem(REDIRECTS_FILE, line, column,
                                    f"{source} is written twice, on lines {first_line[source]} and {line}",
                                    "keep one line for it: only one redirect can apply"))
            continue
        first_line[source] = line
        rules.append(Redirect(source, target, line, column))
    loader.get_event()  # MappingEnd
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        problems.append(_at(loader.peek_event(), "the file holds more than one YAML document",
                            "remove the '---' line: one list of redirects"))
    return rules, problems


def _text(loader: yaml.SafeLoader, what: str) -> tuple[str, yaml.Mark] | Problem:
    """The next scalar as text, or a problem (and the whole node skipped)."""
    event = loader.get_event()
    if isinstance(event, yaml.AliasEvent):
        return _at(event, f"the {what} is an alias (*{event.anchor})", "write the address itself")
    if isinstance(event, yaml.ScalarEvent):
        tag = _tag(loader, event)
        if tag == STR_TAG and event.value:
            return event.value, event.start_mark
        if not event.value or tag == "tag:yaml.org,2002:null":
            return _at(event, f"the {what} is missing", "write both addresses: '/old/address/: /new/address/'")
        return _at(event, f"the {what} {event.value!r} is not text", "write an address starting with '/'")
    _skip_node(loader, event)
    return _at(event, f"the {what} is a list or a block, not text", "write a single address starting with '/'")


def _tag(loader: yaml.SafeLoader, event: yaml.ScalarEvent) -> str:
    if event.tag in (None, "!"):
        return loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return event.tag


def _skip_node(loader: yaml.SafeLoader, start: yaml.Event) -> None:
    depth = 1 if isinstance(start, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) else 0
    while depth:
        event = loader.get_event()
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _at(event: yaml.Event, message: str, fix: str) -> Problem:
    return Problem(REDIRECTS_FILE, event.start_mark.line + 1, event.start_mark.column + 1, message, fix)


# --- what the site publishes -------------------------------------------------------------


def normal(path: str) -> str:
    """One spelling per address: ``/about/``, ``/about`` and ``/about/index.html`` are one."""
    path = path.removesuffix("index.html")
    return path.rstrip("/") or "/"


@dataclass
class SiteAddresses:
    """What the build will publish, known before it writes anything."""

    pages: dict[str, str] = field(default_factory=dict)  # normal address -> the file it comes from
    files: dict[str, str] = field(default_factory=dict)  # address -> what it is
    owned: tuple[str, ...] = ()  # folders the site fills itself ("/admin/", "/es/assets/"…)
    roots: tuple[str, ...] = ()  # "/" and each language's root ("/es/")

    def published(self, path: str) -> str | None:
        """What publishes ``path`` (a page's file, a file), or None."""
        return self.pages.get(normal(path)) or self.files.get(path)

    def owner(self, path: str) -> str | None:
        """The folder the site fills itself that ``path`` lies in, if any."""
        return next((area for area in self.owned if path.startswith(area)), None)

    def matched_by(self, pattern: re.Pattern, fixed: str) -> list[str]:
        """Published addresses that a pattern catches (pages with and without their final '/')."""
        found = []
        for address in (*self.pages, *self.files):
            if not (address + "/").startswith(fixed) and not address.startswith(fixed):
                continue
            spellings = (address,) if address == "/" or address in self.files else (address + "/", address)
            if any(pattern.fullmatch(spelling) for spelling in spellings):
                found.append(spellings[0])
        return sorted(found)

    def has_folder(self, prefix: str) -> bool:
        return any((address + "/").startswith(prefix) for address in (*self.pages, *self.files))


def site_addresses(project: Project, entries: list[Entry]) -> SiteAddresses:
    """Every address the build writes, from the site model that ``check`` also uses.

    A docs page or post has an address in every language (its translation, or the build's "only
    available in …" notice for a post); drafts and the 404 page's text have none. News listings
    come from ``tcsite.news.listings``, as the build makes them.
    """
    site = SiteAddresses()
    published = [entry for entry in entries if _published(project, entry)]
    for entry in published:  # its own language first: messages name the right file
        site.pages[normal(project.url(entry))] = entry.rel
    for entry in published:
        for code in project.codes:
            site.pages.setdefault(normal(project.url(entry, code)), entry.rel)
    posts = [_post(entry) for entry in published if entry.section == NEWS]
    for lang in project.languages:
        mine = [post for post in posts if post is not None and post.lang == lang.code]
        for listing in listings(mine):
            site.pages.setdefault(normal("/" + lang.url_prefix + listing.path), "the news listings")
    for path in _docs_files(project):
        site.files["/" + path.relative_to(project.docs_dir).as_posix()] = project.rel(path)
    for path in media_files(project.news_dir):
        site.files["/" + NEWS_PATH + path.relative_to(project.news_dir).as_posix()] = project.rel(path)
    prefixes = ["/" + lang.url_prefix for lang in project.languages]
    for name in SITE_FILES:
        site.files.setdefault("/" + name, "written by the build")
    for prefix in prefixes:
        for name in LANGUAGE_FILES:
            site.files.setdefault(prefix + name, "written by the build")
    site.owned = tuple(prefix + folder for prefix in prefixes for folder in OWNED_FOLDERS)
    site.roots = tuple(prefixes)
    return site


def _published(project: Project, entry: Entry) -> bool:
    if entry.section == NEWS:
        return entry.doc is not None and entry.doc.meta.get("draft") is not True
    return project.build_path(entry) not in SPECIAL_PAGES


def _post(entry: Entry) -> Post | None:
    """A post as ``tcsite.news.listings`` needs it (a date and a list of categories), if it has them."""
    meta = entry.doc.meta
    categories = meta.get("categories") or []
    if not isinstance(meta.get("date"), dt.date) or not isinstance(categories, list):
        return None
    if not all(isinstance(c, str) for c in categories):
        return None
    return Post(entry.doc, slug=Path(entry.key).stem)


def _docs_files(project: Project) -> list[Path]:
    """Files other than pages that MkDocs copies from docs/ (it leaves out dotfiles)."""
    if not project.docs_dir.is_dir():
        return []
    return sorted(
        path for path in project.docs_dir.rglob("*")
        if path.is_file() and path.suffix != ".md"
        and not any(part.startswith(".") for part in path.relative_to(project.docs_dir).parts)
    )


def build_entries(project: Project, posts: list[Post]) -> list[Entry]:
    """The build's own model as entries: docs pages by file name, and the posts it has read."""
    entries = []
    for path in sorted(project.docs_dir.rglob("*.md")) if project.docs_dir.is_dir() else []:
        base, lang = split_language_suffix(path.name, project.codes)
        rel = project.rel(path)
        key = posixpath.join(posixpath.dirname(rel), base)
        entries.append(Entry(path, rel, PAGES, lang or project.default, key, None))
    for post in posts:
        entries.append(Entry(post.doc.path, post.doc.rel, NEWS, post.lang, post.key, post.doc))
    return entries


# --- the rules ------------------------------------------------------------------------


def checked_redirects(project: Project, entries: list[Entry]) -> tuple[list[Redirect], list[Problem]]:
    """``data/redirects.yml`` read and judged against the site: what ``check`` and the build use."""
    redirects, problems = read_redirects(project.root / REDIRECTS_FILE)
    if redirects:
        site = site_addresses(project, entries)
        site_host = (urlsplit(project.config.get("site_url") or "").hostname or "").lower()
        problems += redirect_problems(redirects, site, project.redirect_hosts, site_host)
    return redirects, sorted(problems)


def redirect_problems(redirects: list[Redirect], site: SiteAddresses, hosts: tuple[str, ...],
                      site_host: str = "") -> list[Problem]:
    problems: list[Problem] = []
    sources: dict[str, Redirect] = {}
    for redirect in redirects:
        found = [_source_problem(redirect, site), _target_problem(redirect, site, hosts, site_host)]
        if len(f"{redirect.source} {redirect.target} {STATUS}") > MAX_RULE_CHARS:
            found.append((f"this redirect is longer than {MAX_RULE_CHARS} characters, the CDN's limit",
                          "shorten the addresses"))
        first = sources.setdefault(normal(redirect.source), redirect)
        if first is not redirect and found[0] is None:  # a refused source is refused once
            found.append((f"{redirect.source} is the same address as {first.source} on line {first.line}",
                          "keep one redirect for it: only one can apply"))
        problems += [redirect.problem(*problem) for problem in found if problem is not None]
    problems += _missing_targets(redirects, site)
    problems += _loops(redirects)
    problems += _over_limit(redirects)
    return problems


def _unsafe(address: str, what: str) -> tuple[str, str] | None:
    """Characters that would change the CDN's line (it splits on any space, '#' starts a comment),
    break out of quotes, or hide what the address is."""
    char = next((c for c in address if UNSAFE.match(c) or unicodedata.category(c) in INVISIBLE), None)
    if char is None:
        return None
    if char in "\r\n\x85\u2028\u2029":
        name = "a line break"
    elif char.isspace() or unicodedata.category(char) == "Zs":
        name = "a space"
    elif char in "\"'`":
        name = "a quotation mark"
    elif char in "<>#":
        name = f"'{char}'"
    elif char == "\\":
        name = "a backslash"
    else:
        name = f"an invisible character (U+{ord(char):04X})"
    return (f"the {what} {address!r} contains {name}",
            "write the address with letters, digits, '-', '_', '.' and '/' only: spaces, quotes, "
            "'<', '>' and '#' would change the CDN's rule")


def _dot_segments(path: str) -> bool:
    return any(segment in (".", "..") for segment in unquote(path).split("/"))


def _source_problem(redirect: Redirect, site: SiteAddresses) -> tuple[str, str] | None:
    source = redirect.source
    found = _unsafe(source, "old address")
    if found:
        return found
    if not source.startswith("/") or source.startswith("//"):
        if "://" in source:
            return (f"the old address {source} is a full web address",
                    "write only its path on this site, starting with '/', e.g. /old/page/")
        return f"the old address {source} must start with a single '/'", "write it as /old/page/"
    if "?" in source:
        return (f"the old address {source} has a query ('?'), which the CDN does not match",
                "write the path alone, without '?' and what follows")
    if _dot_segments(source):
        return f"the old address {source} contains '.' or '..' folders", "write the address as readers see it"
    if redirect.dynamic:
        return _pattern_problem(redirect, site)
    what = site.published(source)
    if what is not None:
        return (f"{source} is an address of the site ({what}): the redirect would hide it",
                "redirect only addresses that no longer exist; to move a page, rename its file and "
                "redirect the old address")
    owner = site.owner(source)
    if owner is not None:
        return (f"{source} is inside {owner}, which the site fills itself",
                "redirect only old addresses of pages")
    return None


def _pattern(source: str) -> re.Pattern:
    """Cloudflare's reading of a source: ``*`` matches anything, ``:name`` one folder's name."""
    parts = []
    for piece in WILDCARD.split(source):
        parts.append("(.*)" if piece == "*" else "([^/]+)" if PLACEHOLDER.fullmatch(piece) else re.escape(piece))
    return re.compile("".join(parts))


def _fixed_part(address: str) -> str:
    """An address up to its first ``*`` or ``:name`` (the part a pattern cannot vary)."""
    match = WILDCARD.search(address)
    return address[: match.start()] if match else address


def _pattern_problem(redirect: Redirect, site: SiteAddresses) -> tuple[str, str] | None:
    source = redirect.source
    names = PLACEHOLDER.findall(source)
    if source.count("*") > 1:
        return f"{source} has more than one '*'", "use one '*', at the end: /old-folder/*"
    if len(set(names)) < len(names) or ":splat" in names:
        return (f"{source} uses a :name twice (or :splat, which stands for '*')",
                "give each :name its own name, e.g. /old/:year/:slug/")
    fixed = _fixed_part(source)
    folder = fixed[: fixed.rfind("/") + 1]
    if folder in site.roots or any(root.startswith(fixed) for root in site.roots):
        top = "the top of the site" if folder == "/" else f"the top of the site in {folder}"
        return (f"the pattern {source} starts at {top}: a pattern must start with a fixed folder "
                "of old addresses", PATTERN_FIX)
    caught = site.matched_by(_pattern(source), fixed)
    if caught:
        more = f" and {len(caught) - 1} more" if len(caught) > 1 else ""
        return (f"the pattern {source} would redirect addresses of the site: {caught[0]}{more}",
                PATTERN_FIX + ", that holds no page of the site")
    area = next((a for a in site.owned if a.startswith(fixed) or fixed.startswith(a)), None)
    if area is not None:
        return f"the pattern {source} covers {area}, which the site fills itself", PATTERN_FIX
    return None


def _target_problem(redirect: Redirect, site: SiteAddresses, hosts: tuple[str, ...],
                    site_host: str) -> tuple[str, str] | None:
    target = redirect.target
    found = _unsafe(target, "target")
    if found:
        return found
    if target.startswith("//"):
        return (f"the target {target} starts with '//', which browsers read as another site",
                "write a page of this site with a single '/', e.g. /about/")
    if target.startswith("/"):
        if _dot_segments(target.partition("?")[0]):
            return f"the target {target} contains '.' or '..' folders", "write the address as readers see it"
        if redirect.dynamic:
            return _pattern_target_problem(redirect, site)
        return None  # whether it exists is judged with the other rules (_missing_targets)
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    if not scheme:
        return (f"the target {target} must start with '/' (a page of this site) or https://",
                "write the address of a page of this site, e.g. /about/")
    if scheme == "http":
        return f"the target {target} is not secure (http:)", "write https://"
    if scheme != "https":
        return (f"the target {target} starts with '{scheme}:', which is not a web address",
                "a redirect leads to a page of this site, e.g. /about/, or to https:// on an allowed host")
    try:
        port = parts.port
    except ValueError:
        port = None
        host = None
    else:
        host = (parts.hostname or "").rstrip(".")
    if not host or parts.username is not None or port is not None or not target.lower().startswith(f"https://{host}"):
        return (f"the target {target} is not a plain https://host/path address",
                "write it as https://host/path, without a user name, password or port")
    if host in hosts:
        return None
    if host == site_host:
        return f"the target {target} is this site's own address", f"write its path alone: {parts.path or '/'}"
    allowed = ", ".join(hosts) or "none"
    return (f"the target {target} leads to another site, {host}, which is not one of the allowed sites",
            f"point it to a page of this site, or ask the web team to add {host} to redirect_hosts "
            f"in mkdocs.yml; allowed now: {allowed}")


def _pattern_target_problem(redirect: Redirect, site: SiteAddresses) -> tuple[str, str] | None:
    source, target = redirect.source, redirect.target
    defined = set(PLACEHOLDER.findall(source)) | ({":splat"} if "*" in source else set())
    unknown = [name for name in PLACEHOLDER.findall(target) if name not in defined]
    if unknown:
        return (f"the target {target} uses {unknown[0]}, which {source} does not define",
                "use only the :names of the old address, and :splat for its '*'")
    fixed = _fixed_part(target)
    if not site.has_folder(fixed):
        return (f"the target {target} does not exist: no page of the site is under {fixed}",
                "point it to a folder of the site that holds pages, e.g. /news/:splat")
    return None


def _internal_static(redirect: Redirect) -> str | None:
    """The target's path when it is a fixed address on this site."""
    target = redirect.target
    if not target.startswith("/") or target.startswith("//") or redirect.dynamic:
        return None
    return target.partition("?")[0]


def _missing_targets(redirects: list[Redirect], site: SiteAddresses) -> list[Problem]:
    sources = {normal(r.source) for r in redirects if not r.dynamic}
    problems = []
    for redirect in redirects:
        path = _internal_static(redirect)
        if path is None or _unsafe(redirect.target, "") or _dot_segments(path):
            continue
        if site.published(path) is None and normal(path) not in sources:
            problems.append(redirect.problem(f"the target {redirect.target} does not exist",
                                             "point it to a page of the site, e.g. /about/"))
    return problems


def _loops(redirects: list[Redirect]) -> list[Problem]:
    by_source = {}
    for redirect in redirects:
        if not redirect.dynamic:
            by_source.setdefault(normal(redirect.source), redirect)
    problems = []
    for redirect in by_source.values():
        seen, current = {normal(redirect.source)}, redirect
        while (path := _internal_static(current)) is not None and normal(path) in by_source:
            if normal(path) in seen:
                problems.append(redirect.problem(f"{redirect.source} redirects in a loop",
                                                 "make the chain end on an existing page"))
                break
            seen.add(normal(path))
            current = by_source[normal(path)]
    return problems


def _over_limit(redirects: list[Redirect]) -> list[Problem]:
    problems = []
    for dynamic, limit, kind in ((False, MAX_STATIC_RULES, "redirects of single addresses"),
                                 (True, MAX_DYNAMIC_RULES, "patterns (* or :name)")):
        chosen = [r for r in redirects if r.dynamic == dynamic]
        if len(chosen) > limit:
            problems.append(chosen[limit].problem(
                f"{len(chosen):,} {kind}: the CDN takes at most {limit:,} and ignores the rest from here on",
                "remove redirects of addresses nobody uses any more"))
    return problems


# --- the CDN's file -----------------------------------------------------------------------


def redirects_file(redirects: list[Redirect]) -> str:
    """Cloudflare's ``_redirects``: fixed addresses first (it counts every rule after the first
    pattern as a pattern), then patterns, each group in the order of the file."""
    ordered = [r for r in redirects if not r.dynamic] + [r for r in redirects if r.dynamic]
    return "".join(f"{r.source} {r.target} {STATUS}\n" for r in ordered)
