"""Site search: Pagefind indexes the built site, one chunked index per language.

Runs once, after the last language pass (``TrainingCentrePlugin._finish_site``). Pagefind reads
each page's ``<html lang>`` and writes ``pagefind/`` at the site root: one index per language,
split into small chunks, so a reader's browser fetches only the few chunks a query needs, from
the index of the page's own language (``overrides/assets/javascripts/search.js``). Its Spanish index
stems Spanish words and folds accents: "genero" finds "género".

What is indexed:

- only pages whose main article carries ``data-pagefind-body`` (written by ``overrides/main.html``
  for the pages a reader should find; not the 404 pages, the "only available in" notices, drafts
  or news listings after the first page);
- of those, only the article, minus the parts listed in ``EXCLUDED_PARTS`` (links to other posts,
  dates and reading times, permalinks): navigation, header and footer are outside the article;
- never anything under ``admin/`` or ``<language>/admin/`` (``EXCLUDED_FOLDERS``), whatever its
  markup: the editors' CMS lives there.

Filters and result metadata come from attributes in the templates: ``data-pagefind-filter``
(news: ``category``, ``year``; courses: ``topic``), ``data-pagefind-meta="date"`` (posts).

The Pagefind binary comes from the ``pagefind[bin]`` wheel (requirements.txt) and runs offline.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

BUNDLE_DIR = "pagefind"
# Folders never indexed, at the site root and at the root of every language.
EXCLUDED_FOLDERS = ("admin",)
# Folders at the site root that hold no pages.
ASSET_FOLDERS = ("assets", "search", BUNDLE_DIR)
# Parts of an indexed article that are not its text (their filters and metadata still count).
EXCLUDED_PARTS = (
    ".headerlink",          # the ¶ permalinks after headings
    ".tc-meta",             # "Published … · 3 min read" (the date is kept as metadata)
    ".tc-tags",             # category links (kept as filters, shown with each result)
    ".tc-other-language",   # "Read this post in Español"
    ".tc-post-nav",         # titles of the previous and next posts
    ".tc-latest",           # the home page's latest posts
    ".tc-card",             # news and course cards (listings, catalogue, related courses)
    ".tc-feed-links",
    ".tc-pagination",
    ".tc-news-browse",      # archive years and categories
    ".tc-course-filter",    # the catalogue's filter form and count
    ".tc-course-count",
    ".tc-back",             # "All courses in the catalogue"
)
# Pagefind's ready-made interfaces: we use its JS API from our own script, so readers never
# load these; they are removed to keep the deployed bundle to what is used.
UNUSED_FILES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
_SAFE_NAME = re.compile(r"^[\w.-]+$")


class SearchIndexError(PluginError):
    """Indexing failed; the message says why and what to do."""


def index_site(site_dir: Path, languages: Iterable = (), optional: Iterable[str] = ()) -> dict[str, int]:
    """Index ``site_dir`` into ``site_dir/pagefind/``; return the number of pages per language.

    ``languages``: the site's languages (``tcsite.i18n.Language``: ``code``, ``url_prefix``), so
    that the CMS folder of each language is left out and each gets an index. Fails the build with
    a clear message when Pagefind cannot run, reports an error, or leaves a language unindexed
    (except the ``optional`` ones: a language in progress may have no translated page yet).
    """
    site_dir = Path(site_dir)
    languages = list(languages)
    prefixes = [lang.url_prefix for lang in languages] or [""]
    bundle = site_dir / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", BUNDLE_DIR,
        "--glob", page_glob(site_dir, prefixes),
        "--exclude-selectors", ", ".join(EXCLUDED_PARTS),
        "--quiet",
    ]
    _require_binary()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"search: could not run Pagefind ({error}).") from error
    output = "\n".join(part for part in (result.stdout.strip(), result.stderr.strip()) if part)
    if result.returncode != 0:
        raise SearchIndexError(
            f"search: Pagefind failed to index {site_dir} (exit status {result.returncode}):\n"
            f"{_dedupe(output)}"
        )
    pages = indexed_languages(site_dir)
    missing = [lang.code for lang in languages if not pages.get(lang.code) and lang.code not in optional]
    if missing or not pages:
        raise SearchIndexError(
            f"search: Pagefind wrote no index for {', '.join(missing) or 'any language'} "
            f"(indexed: {pages or 'nothing'}); do the pages have <html lang> and a "
            "data-pagefind-body element (overrides/main.html)?"
        )
    for pattern in UNUSED_FILES:
        for path in bundle.glob(pattern):
            path.unlink()
    if output:
        log.info("Pagefind said:\n%s", _dedupe(output))
    log.info("search: indexed %s", ", ".join(f"{count} pages in {code}" for code, count in sorted(pages.items())))
    return pages


def page_glob(site_dir: Path, prefixes: Iterable[str]) -> str:
    """A Pagefind glob for every HTML page of the site except the excluded folders.

    Globs cannot say "all but", so the folders that may be indexed are listed one by one:
    ``{*.html,about/**/*.html,…,es/*.html,es/about/**/*.html,…}``.
    """
    prefixes = [p for p in prefixes if p]
    language_dirs = {p.strip("/") for p in prefixes}
    parts = []
    for root in ["", *prefixes]:
        base = site_dir / root
        if not base.is_dir():
            continue
        parts.append(f"{_escape(root)}*.html")
        for child in sorted(base.iterdir()):
            if not child.is_dir() or child.name in EXCLUDED_FOLDERS:
                continue
            if not root and (child.name in language_dirs or child.name in ASSET_FOLDERS):
                continue
            parts.append(f"{_escape(root)}{_escape(child.name)}/**/*.html")
    return "{" + ",".join(parts) + "}"


def indexed_languages(site_dir: Path) -> dict[str, int]:
    """Language code -> number of pages in its index, from Pagefind's entry file."""
    entry = Path(site_dir) / BUNDLE_DIR / "pagefind-entry.json"
    if not entry.is_file():
        return {}
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    return {code: info.get("page_count", 0) for code, info in languages.items()}


def _require_binary() -> None:
    try:
        from pagefind.service import get_executable

        binary = get_executable()
    except (ImportError, FileNotFoundError):
        binary = None
    if binary is None:
        raise SearchIndexError(
            "search: Pagefind is not installed; run `pip install -r requirements.txt` "
            "(it installs pagefind[bin], which ships the binary)."
        )


def _escape(name: str) -> str:
    if not name:
        return ""
    if not _SAFE_NAME.match(name.strip("/")):
        # Wax globs treat {}[]<>*?,: and friends as syntax; escape anything unusual.
        return re.sub(r"([^\w./-])", r"\\\1", name)
    return name


def _dedupe(text: str) -> str:
    seen, lines = set(), []
    for line in text.splitlines():
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return "\n".join(lines[-40:])
