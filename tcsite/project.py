"""The project as the editors' commands see it, read from ``mkdocs.yml`` without building.

``check``, ``status`` and ``new`` share this one reading of the configuration: the languages
(from the ``i18n`` plugin), the folders, the Markdown extensions (for heading ids) and the
navigation. It loads no plugin and no theme, so it takes milliseconds.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from tcsite import courses
from tcsite.content import Document
from tcsite.content_files import ContentTree, regular_files
from tcsite.data_files import SiteData, read_data
from tcsite.i18n import Language
from tcsite.schema import SCHEMAS, Field, validate
from tcsite import naming
from tcsite.naming import split_language_suffix
from tcsite.validation import relative_to

CONFIG_NAME = "mkdocs.yml"
DEFAULT_DEV_ADDR = "127.0.0.1:8000"
# MkDocs always adds these to the configured Markdown extensions.
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")

# Sections of the content, in the order reports list them.
PAGES, NEWS, COURSES = "pages", "news", "courses"
SECTIONS = (PAGES, NEWS, COURSES)
SCHEMA_OF_SECTION = {PAGES: "page", NEWS: "post", COURSES: "course"}


def find_root(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml: ``start`` (default: the current folder) or a parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise SystemExit(f"No {CONFIG_NAME} here or in a parent folder: run this inside the project.")


def config_root(config) -> Path:
    """The absolute folder of the configuration a build reads (MkDocs passes its path absolute,
    ProperDocs as given on the command line, e.g. ``-f mkdocs.yml``)."""
    return Path(config.config_file_path).resolve().parent


def load_config(mkdocs_yml: Path) -> dict:
    """mkdocs.yml as MkDocs' own YAML loader reads it (``!ENV`` tags, ``INHERIT``)."""
    with mkdocs_yml.open("rb") as handle:
        return yaml_load(handle, get_yaml_loader())


def plugin_config(config: dict, name: str) -> dict | None:
    """The options of plugin ``name`` in ``plugins:`` (``{}`` when listed without options)."""
    for entry in config.get("plugins") or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def languages_from_config(config: dict) -> list[Language]:
    """The built languages of the ``i18n`` plugin, default first (like ``i18n.site_languages``)."""
    i18n = plugin_config(config, "i18n") or {}
    found = [
        Language(code=lang["locale"], name=lang.get("name") or lang["locale"], default=bool(lang.get("default")))
        for lang in i18n.get("languages") or []
        if lang.get("build", True)
    ]
    if not found:
        return [Language("en", "English", True)]
    if not any(lang.default for lang in found):
        found[0] = Language(found[0].code, found[0].name, True)
    return sorted(found, key=lambda lang: not lang.default)


def languages_from_file(mkdocs_yml: Path) -> list[Language]:
    return languages_from_config(load_config(mkdocs_yml))


def page_url(docs_path: str) -> str:
    """The language-neutral URL path of a docs page: ``about.md`` -> ``about/``, ``index.md`` -> ``''``."""
    stem = docs_path.removesuffix(".md")
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{head}/" if head else ""
    return f"{stem}/"


@dataclass
class Project:
    root: Path
    config: dict = field(repr=False)

    @classmethod
    def load(cls, root: Path | None = None) -> Project:
        root = find_root(root)
        return cls(root, load_config(root / CONFIG_NAME))

    @cached_property
    def languages(self) -> list[Language]:
        return languages_from_config(self.config)

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @property
    def default(self) -> str:
        return self.languages[0].code

    @property
    def languages_in_progress(self) -> tuple[str, ...]:
        """Languages translated page by page (``tcsite: languages_in_progress``, tcsite.untranslated)."""
        found = (plugin_config(self.config, "tcsite") or {}).get("languages_in_progress") or []
        return tuple(code for code in found if isinstance(code, str))

    @property
    def complete_codes(self) -> list[str]:
        """The languages every page must exist in: all but those in progress."""
        return [code for code in self.codes if code == self.default or code not in self.languages_in_progress]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def docs_dir(self) -> Path:
        return self.root / self.config.get("docs_dir", "docs")

    @property
    def news_dir(self) -> Path:
        return self.root / (plugin_config(self.config, "tcsite") or {}).get("news_dir", "news")

    @property
    def theme_dir(self) -> Path | None:
        """The theme's ``custom_dir`` (overrides/): our own templates, scripts, styles and logo."""
        theme = self.config.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.root / custom if custom else None

    def read_data(self) -> SiteData:
        """data/: the vocabularies and labels of this project, and their problems (``tcsite.data_files``)."""
        return read_data(self.root, self.codes)

    def content_tree(self) -> ContentTree:
        return ContentTree(self.root, self.docs_dir, self.news_dir, self.root / "data", self.theme_dir,
                           tuple(self.codes))

    @property
    def redirect_hosts(self) -> tuple[str, ...]:
        """Other sites that ``data/redirects.yml`` may send readers to (``tcsite: redirect_hosts``)."""
        hosts = (plugin_config(self.config, "tcsite") or {}).get("redirect_hosts") or []
        return tuple(host.lower().rstrip(".") for host in hosts if isinstance(host, str))

    @property
    def dev_url(self) -> str:
        return f"http://{self.config.get('dev_addr') or DEFAULT_DEV_ADDR}/"

    # --- content files ----------------------------------------------------------------

    def content_files(self) -> list[Path]:
        found = []
        for folder in (self.docs_dir, self.news_dir):
            found.extend(regular_files(folder, ".md"))
        return found

    def section_of(self, path: Path) -> str | None:
        """``pages``, ``news`` or ``courses`` for a content file; None for anything else."""
        path = path.resolve()
        if path.is_relative_to(self.news_dir.resolve()):
            return NEWS
        if path.is_relative_to(self.docs_dir.resolve()):
            if "course" in SCHEMAS and path in {p.resolve() for p in self.course_files}:
                return COURSES
            return PAGES
        return None

    @cached_property
    def course_files(self) -> list[Path]:
        return courses.course_files(self.docs_dir, self.codes)

    def schema(self, section: str) -> tuple[Field, ...]:
        return SCHEMAS[SCHEMA_OF_SECTION[section]]

    def rel(self, path: Path) -> str:
        return relative_to(path, self.root)

    def docs_path(self, path: Path) -> str:
        """A docs file's path below docs/ in the default language (``instruments/cedaw.md``)."""
        base, _ = split_language_suffix(path.name, self.codes)
        return relative_to(path.with_name(base), self.docs_dir)

    def build_path(self, entry: Entry) -> str:
        """Where the build places a content file among the docs (``news/2018/x.md``, ``about.md``)."""
        if entry.section == NEWS:
            date = entry.doc.meta.get("date") if entry.doc else None
            year = date.year if isinstance(date, dt.date) else entry.path.parent.name
            return f"news/{year}/{Path(entry.key).name}"
        return self.docs_path(entry.path)

    def url(self, entry: Entry, code: str | None = None) -> str:
        """The address readers see for a content file (``/about/``, ``/es/news/2018/x/``), in its
        own language or in language ``code`` (where its translation or the build's notice lives)."""
        code = code or entry.lang
        prefix = self.language(code).url_prefix if code in self.codes else ""
        return "/" + prefix + page_url(self.build_path(entry))

    def twin_path(self, path: Path, code: str) -> Path:
        """Where the ``code`` version of a content file lives (``tcsite.naming.twin_path``)."""
        return naming.twin_path(path, code, self.codes, self.default)

    # --- navigation -------------------------------------------------------------------

    @cached_property
    def nav_paths(self) -> set[str] | None:
        """Docs paths listed in ``nav:`` (None when there is no nav: every page is listed)."""
        nav = self.config.get("nav")
        if nav is None:
            return None
        found: set[str] = set()

        def walk(item):
            if isinstance(item, str):
                if "://" not in item:
                    found.add(posixpath.normpath(item))
            elif isinstance(item, list):
                for child in item:
                    walk(child)
            elif isinstance(item, dict):
                for child in item.values():
                    walk(child)

        walk(nav)
        return found

    def not_in_nav(self, docs_path: str) -> bool:
        """Whether ``not_in_nav:`` (gitignore-style lines) exempts a page from the navigation."""
        for pattern in (self.config.get("not_in_nav") or "").splitlines():
            pattern = pattern.strip()
            if not pattern or pattern.startswith("#"):
                continue
            anchored = pattern.startswith("/")
            pattern = pattern.lstrip("/").rstrip("/")
            candidates = [docs_path] if anchored else [docs_path, *self._suffixes(docs_path)]
            if any(fnmatch.fnmatch(c, pattern) or c.startswith(pattern + "/") for c in candidates):
                return True
        return False

    @staticmethod
    def _suffixes(docs_path: str) -> list[str]:
        parts = docs_path.split("/")
        return ["/".join(parts[i:]) for i in range(1, len(parts))]

    def validation_level(self, name: str, default: str = "info") -> str:
        """MkDocs' ``validation:`` level for a kind of link problem (warn fails a strict build)."""
        validation = self.config.get("validation") or {}
        nested = validation.get("links") if isinstance(validation.get("links"), dict) else {}
        return str(validation.get(name) or nested.get(name) or default)

    # --- Markdown ---------------------------------------------------------------------

    def markdown_extensions(self) -> tuple[list[str], dict[str, dict]]:
        names, configs = list(BUILTIN_EXTENSIONS), {}
        for entry in self.config.get("markdown_extensions") or []:
            if isinstance(entry, dict):
                for name, options in entry.items():
                    if name not in names:
                        names.append(name)
                    configs[name] = options or {}
            elif entry not in names:
                names.append(entry)
        return names, configs


def environment_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() == "true"


@dataclass
class Entry:
    """One content file: its section, language, language-neutral key and parsed document."""

    path: Path
    rel: str
    section: str
    lang: str
    key: str  # the same for every language version ("news/2018/report.md")
    doc: Document | None  # None when the file could not be read (see problems)
    problems: list = field(default_factory=list)


def read_entries(project: Project, sections: tuple[str, ...] = SECTIONS) -> list[Entry]:
    """Every content file of the project (of ``sections``), read once through ``tcsite.content.read_document``."""
    from tcsite.content import read_document
    from tcsite.validation import ContentError

    entries = []
    for path in project.content_files():
        section = project.section_of(path)
        if section not in sections:
            continue
        rel = project.rel(path)
        base, lang = split_language_suffix(path.name, project.codes)
        key = posixpath.join(posixpath.dirname(rel), base)
        try:
            doc = read_document(path, project.root, project.codes, project.default)
            entries.append(Entry(path, rel, section, doc.lang, doc.key, doc))
        except ContentError as error:
            entries.append(Entry(path, rel, section, lang or project.default, key, None, list(error.problems)))
    return entries


def front_matter_problems(project: Project, entry: Entry) -> list:
    """What the schema says of a content file's front matter, for ``check`` and the build alike;
    a docs page's ``template:`` is judged for the page it is on."""
    place = None if entry.section == NEWS else project.docs_path(entry.path)
    return validate(entry.doc, project.schema(entry.section), place=place)
