"""Which files of ``docs/`` and ``news/`` may be published: the one rule, for ``check`` and the build.

Everything in ``docs/``, ``news/`` and ``data/`` is written by editors and contributors, so it is
content, never code. Only Markdown and a short list of content types are published: pictures
(PNG, JPEG, GIF, WebP, AVIF; as their resized variants, never as uploaded: ``tcsite.pictures``),
PDF and office documents (DOCX, XLSX, PPTX, ODT, ODS, ODP).
Anything else is refused with its path: a web page, a script or a style sheet would run on the
site's own address; an SVG picture can carry a script; ``_worker.js``, ``_routes.json``,
``_headers`` and ``_redirects`` would be read by Cloudflare as the server's code and rules;
the old Office formats (.doc, .xls, .ppt) carry macros. Our own scripts, styles and logo live in
``overrides/assets/``, published by the theme.

File names are plain, so that a file's address is its name: lowercase letters, digits, ``-`` and
``_``, then one extension (``workshop-2019.jpg``); a Markdown file may carry a language suffix
(``about.es.md``). A hidden file or folder (its name starts with a dot) is refused.

Symbolic links are refused anywhere in ``docs/``, ``news/`` and ``data/``, files and folders
alike: one link could publish any file of the machine that builds the site. Folders are walked
without following links, and only regular files are read.

``check`` reports ``ContentTree.problems()``; the plugin refuses the build with them before
MkDocs reads a file, and ``refused_files`` is its last look at the file list before MkDocs
copies anything. ``within`` is the rule for paths written in content (links, pictures,
``image:``): what they name must lie inside the content folder they are read from.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tcsite.limits import MAX_OUTPUT_BYTES
from tcsite.naming import LANGUAGE_CODE, split_language_suffix
from tcsite.validation import Problem, relative_to

PICTURES = ("png", "jpg", "jpeg", "gif", "webp", "avif")
DOCUMENTS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp")
MARKDOWN = "md"
PUBLISHED_TYPES = frozenset((*PICTURES, *DOCUMENTS, MARKDOWN))

# Names Cloudflare reads at the root of a site as server code or server rules.
SERVER_FILES = {"_worker.js", "_routes.json", "_headers", "_redirects"}
PAGE_TYPES = {"html", "htm", "xhtml", "shtml", "xht", "xml", "xsl", "xslt"}
CODE_TYPES = {"js", "mjs", "cjs", "css", "wasm", "map", "php", "py", "sh"}
VECTOR_TYPES = {"svg", "svgz"}
MACRO_TYPES = {"doc": "docx", "xls": "xlsx", "ppt": "pptx", "docm": "docx", "xlsm": "xlsx", "pptm": "pptx"}

STEM = r"[a-z0-9][a-z0-9_-]*"
PLAIN_NAME = re.compile(STEM)
FILE_NAME = re.compile(rf"{STEM}\.[a-z0-9]+")
# A language suffix the site may not have: check reports those in its own words.
MARKDOWN_NAME = re.compile(rf"{STEM}(?:\.{LANGUAGE_CODE})?\.md")

TYPES_IN_WORDS = (f"pictures ({', '.join(PICTURES)}), documents ({', '.join(DOCUMENTS)}) "
                  "and Markdown pages (md)")


def within(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies inside ``folder`` once '..' and links are resolved, as the system would."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def type_refusal(name: str) -> tuple[str, str] | None:
    """Why a file of this name is not published (message, fix), or None when its type is."""
    ext = extension(name)
    if name.startswith("."):
        return (f"'{name}' is a hidden file (its name starts with a dot): it is not published",
                "delete it; a picture or a document needs a name without the leading dot")
    if name in SERVER_FILES:
        return (f"{name} would be read by Cloudflare as the server's own code or rules: content cannot hold it",
                "delete it; the web team sets the server's files")
    if ext in VECTOR_TYPES:
        return ("SVG pictures can carry scripts: they are not published from content folders",
                "save it as PNG or WebP")
    if ext in PAGE_TYPES:
        return (f"'.{ext}' files are web pages that could run scripts: they are not published",
                "write the text as a Markdown page (.md); for anything else ask the web team")
    if ext in CODE_TYPES:
        return (f"'.{ext}' files are code: they are not published from content folders",
                "delete it; scripts and styles belong in overrides/assets/, ask the web team")
    if ext in MACRO_TYPES:
        return (f"'.{ext}' documents can carry macros: they are not published",
                f"save it as .{MACRO_TYPES[ext]} or as PDF")
    if ext not in PUBLISHED_TYPES:
        kind = f"'.{ext}' files" if ext else "files without an extension"
        return (f"{kind} are not published: only {TYPES_IN_WORDS} are",
                "save it in one of these types, or ask the web team")
    return None


def name_refusal(name: str, codes: list[str]) -> tuple[str, str] | None:
    """Why a file name of a published type is refused (message, fix), or None."""
    if extension(name) == MARKDOWN:
        base, code = split_language_suffix(name, codes)  # the site's own codes, as written in mkdocs.yml
        if MARKDOWN_NAME.fullmatch(name) or (code and FILE_NAME.fullmatch(base)):
            return None
    elif FILE_NAME.fullmatch(name):
        return None
    return (f"the file name '{name}' has characters that do not belong in a web address",
            f"rename it to {suggested_name(name, codes)}: lowercase letters, digits, '-' and '_', "
            "then one extension")


def file_refusal(path: Path, codes) -> tuple[str, str] | None:
    """Why this one file (its type, its name, its kind, its size) may not be published, or None."""
    refusal = type_refusal(path.name) or name_refusal(path.name, list(codes))
    if refusal is None and not path.is_file():
        refusal = ("this is not a regular file", "replace it with a picture, a document or a page")
    if refusal is None and extension(path.name) != MARKDOWN and path.stat().st_size > MAX_OUTPUT_BYTES:
        # (a Markdown file has its own, smaller limit: tcsite.content.MAX_FILE_BYTES)
        refusal = (f"this file is {math.ceil(path.stat().st_size / 2**20 * 10) / 10} MB; the site cannot serve files over "
                   f"{MAX_OUTPUT_BYTES // 2**20} MB", "make it smaller (save a PDF at a lower resolution), "
                   "or split it in parts")
    return refusal


def folder_refusal(name: str) -> tuple[str, str] | None:
    if name.startswith("."):
        return (f"'{name}' is a hidden folder (its name starts with a dot): nothing in it is published",
                "move what should be published to a folder without the leading dot, and delete this one")
    if not PLAIN_NAME.fullmatch(name):
        return (f"the folder name '{name}' has characters that do not belong in a web address",
                f"rename it to {plain(name) or 'files'}: lowercase letters, digits, '-' and '_'")
    return None


def suggested_name(name: str, codes: list[str]) -> str:
    """``My Photo (1).JPG`` -> ``my-photo-1.jpg``; ``Informe.ES.md`` -> ``informe.es.md``."""
    stem, dot, ext = name.lstrip(".").rpartition(".")
    if not dot:
        stem, ext = ext, ""
    suffix = ""
    if ext.lower() == MARKDOWN:
        head, _, code = stem.rpartition(".")
        if head and code.lower() in codes:
            stem, suffix = head, "." + code.lower()
    return (plain(stem) or "file") + suffix + ("." + ext.lower() if ext else "")


def plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_]+", "-", folded).strip("-_")


def symlink_problem(path: Path, root: Path) -> Problem:
    what = "folder" if path.is_dir() else "file"
    return Problem(relative_to_unresolved(path, root), 1, 1,
                   f"this is a symbolic link (to {os.readlink(path)}): links are not published, "
                   "and one could publish any file of the machine that builds the site",
                   f"replace the link with the {what} itself")


def relative_to_unresolved(path: Path, root: Path) -> str:
    """The path as written below ``root`` (a link is named, not where it leads)."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return relative_to(path, root)


def regular(path: Path) -> bool:
    """A file that is what it says: not a link, not a device or a pipe."""
    return not path.is_symlink() and path.is_file()


def regular_files(folder: Path, suffix: str = "") -> list[Path]:
    """Every regular file below ``folder`` (ending in ``suffix``), sorted, without following links."""
    found = []
    if folder.is_symlink() or not folder.is_dir():
        return found
    pending = [str(folder)]
    while pending:  # os.scandir: the kind of each entry comes with its name (thousands of posts)
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path))
    return sorted(found)


@dataclass(frozen=True)
class ContentTree:
    """The project's content folders, as the build and ``check`` both see them."""

    root: Path
    docs_dir: Path
    news_dir: Path
    data_dir: Path
    theme_dir: Path | None  # overrides/: our own files, published at the same paths
    codes: tuple[str, ...]

    @property
    def published_folders(self) -> tuple[Path, ...]:
        return (self.docs_dir, self.news_dir)

    def problems(self) -> list[Problem]:
        """Every refused file, folder and link of docs/, news/ and data/."""
        problems = []
        for folder in (self.docs_dir, self.news_dir, self.data_dir):
            if folder.is_symlink():
                problems.append(symlink_problem(folder, self.root))
            elif folder.is_dir():
                problems.extend(self._walk(folder, judge_files=folder in self.published_folders))
        return problems

    def _walk(self, folder: Path, judge_files: bool) -> list[Problem]:
        problems = []
        for current, dirs, files in os.walk(folder, followlinks=False):
            here = Path(current)
            kept = []
            for name in sorted(dirs):
                path = here / name
                if path.is_symlink():
                    problems.append(symlink_problem(path, self.root))
                    continue
                refusal = folder_refusal(name) if judge_files else None
                if refusal:
                    problems.append(Problem(self.rel(path), 1, 1, *refusal))
                if not name.startswith("."):
                    kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                path = here / name
                if path.is_symlink():
                    problems.append(symlink_problem(path, self.root))
                elif judge_files:
                    problems.extend(self._file_problems(path, folder))
        return problems

    def _file_problems(self, path: Path, folder: Path) -> list[Problem]:
        refusal = self._own_refusal(path, folder)
        return [Problem(self.rel(path), 1, 1, *refusal)] if refusal else []

    def _own_refusal(self, path: Path, folder: Path) -> tuple[str, str] | None:
        """Why this file itself (type, name, kind, address) may not be published, or None."""
        refusal = file_refusal(path, self.codes)
        if refusal is None and (shadowed := self._theme_file_at(path, folder)) is not None:
            refusal = (f"this file would replace the site's own {self.rel(shadowed)}",
                       "give it another name, or put it in another folder")
        return refusal

    def _theme_file_at(self, path: Path, folder: Path) -> Path | None:
        """The theme file a docs file would replace (MkDocs lets docs/ win over the theme)."""
        if self.theme_dir is None or folder != self.docs_dir:
            return None
        candidate = self.theme_dir / Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
        return candidate if candidate.is_file() else None

    def publishable(self, path: Path) -> bool:
        """Whether a file may be copied into the site (the theme's files and the build's own may)."""
        return self.refusal(path) is None

    def refusal(self, path: Path) -> tuple[str, str] | None:
        """Why a file listed for the site may not be copied into it (message, fix), or None."""
        folder = next((f for f in self.published_folders if is_below(path, f)), None)
        if folder is None:
            return None
        if path.is_symlink() or any(p.is_symlink() for p in ancestors(path, folder)):
            return ("this file is reached through a symbolic link: links are not published",
                    "replace the link with the file itself")
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(folder)).parts
        for part in parts[:-1]:
            if folder_refusal(part):
                return folder_refusal(part)
        return self._own_refusal(path, folder)

    def refused_files(self, paths) -> list[Problem]:
        """The build's last look before copying: every listed content file that may not be published."""
        found = []
        for path in paths:
            refusal = self.refusal(path)
            if refusal:
                found.append(Problem(self.rel(path), 1, 1, *refusal))
        return found

    def rel(self, path: Path) -> str:
        return relative_to_unresolved(path, self.root)


def is_below(path: Path, folder: Path) -> bool:
    """Whether ``path`` is written below ``folder`` (no link followed)."""
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


def ancestors(path: Path, folder: Path) -> list[Path]:
    """The folders between ``folder`` (included) and ``path``."""
    found, current = [], Path(os.path.abspath(path)).parent
    top = Path(os.path.abspath(folder))
    while current.is_relative_to(top):
        found.append(current)
        if current == top:
            break
        current = current.parent
    return found
