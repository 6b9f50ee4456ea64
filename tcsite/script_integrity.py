"""Only the scripts the site ships can run: each gets its Subresource Integrity hash.

Every ``<script src>`` of a written page that names one of the theme's scripts (Material's
bundle and ours in ``overrides/``, never a file from the content) gets ``integrity="sha384-…"``,
and the
Content-Security-Policy (``tcsite.cdn``) allows exactly those hashes with ``'strict-dynamic'``:
a browser then runs a parser-inserted script only if its integrity matches, whatever host serves
it (production, a preview or loopback), and the scripts ours load themselves (Pagefind, through
``import()``) inherit the trust. Any other ``.js`` that reaches the site, and any script slipped
into a page, is blocked by the browser.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.structure.files import Files

SCRIPT_SRC = re.compile(r"""<script\b(?P<attrs>[^>]*?)\bsrc=(?P<quote>["'])(?P<src>[^"']+)(?P=quote)""", re.I)


def sri_hash(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


class ScriptIntegrity:
    """The theme's scripts, by site path, and the hashes the pages use. Made from the default
    language's pass, which lists every file (static-i18n leaves shared files out of the others)."""

    def __init__(self, files: Files, theme_dirs: list[str]):
        roots = [Path(folder).resolve() for folder in theme_dirs]
        self._files = {
            file.dest_uri: file
            for file in files
            if file.dest_uri.endswith(".js") and file.abs_src_path
            and any(Path(file.abs_src_path).resolve().is_relative_to(root) for root in roots)
        }
        self._hashes: dict[str, str] = {}
        self.used: set[str] = set()

    @property
    def paths(self) -> set[str]:
        """The site paths of the theme's scripts (tcsite.html_rules refuses any other)."""
        return set(self._files)

    def add_to(self, html: str, page_url: str) -> str:
        """``html`` with ``integrity`` on every script of the site's own that lacks it."""
        return SCRIPT_SRC.sub(lambda match: self._with_integrity(match, page_url), html)

    def _with_integrity(self, match: re.Match, page_url: str) -> str:
        if re.search(r"\bintegrity\s*=", match.group("attrs"), re.I):
            return match.group(0)
        digest = self._hash_of(site_path(match.group("src"), page_url))
        if digest is None:
            return match.group(0)  # not one of the theme's scripts: the CSP blocks it
        self.used.add(digest)
        return f'{match.group(0)} integrity="{digest}"'

    def _hash_of(self, path: str | None) -> str | None:
        if path is None or path not in self._files:
            return None
        if path not in self._hashes:
            self._hashes[path] = sri_hash(self._files[path].content_bytes)
        return self._hashes[path]


def site_path(src: str, page_url: str) -> str | None:
    """The site-relative path a script's ``src`` names from a page (None for another host)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return None
    here = posixpath.dirname("/" + page_url)  # "about/" -> "/about", "es/404.html" -> "/es"
    joined = parts.path if parts.path.startswith("/") else posixpath.join(here, parts.path)
    return posixpath.normpath(joined).lstrip("/")
