"""Languages in progress: a new language is published page by page.

A language listed under our plugin's ``languages_in_progress`` (``mkdocs.yml``:
``- tcsite: {languages_in_progress: [fr]}``) does not have to be complete. Each page of ``docs/``
without a version in it is still published in that language's tree (``/fr/about/``), with the
default language's text marked as such (``lang``), a short notice in the reader's language above
it (``docs/untranslated.md`` and its translations, Markdown editors can change, like
``docs/404.md``) and ``noindex``; it is no translation, so it is left out of the sitemap, the
``hreflang`` alternates, that language's search index and its feeds, and the language switcher of
every page can lead to it: no switcher or alternate ever leads to a missing page.
Every other language stays complete: a page without its twin refuses the build.

Why not static-i18n's ``fallback_to_default``: it is one switch for every language, so it would
let a Spanish page go out in English as quietly as a French one, and its stand-in pages claim to be
translations (alternates, sitemap). ``build: false`` leaves the language out of the site altogether.

The special pages (``404.md``, ``untranslated.md``) are texts, not pages: each language reads
its own version, or the default language's while it has none (``special_text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from markupsafe import escape
from mkdocs.structure.files import File, Files

from tcsite.content import split_front_matter
from tcsite.content_files import regular_files
from tcsite.naming import split_language_suffix, version_path
from tcsite.validation import Problem, relative_to

NOT_FOUND_PAGE = "404.md"  # the text of the 404 page (404.html)
NOTICE_PAGE = "untranslated.md"  # the notice above a page shown in the default language's text
SPECIAL_PAGES = (NOT_FOUND_PAGE, NOTICE_PAGE)
OPTION = "languages_in_progress"


def docs_versions(docs_dir: Path, codes, default: str) -> dict[str, dict[str, Path]]:
    """Every page of ``docs/`` by its docs path in the default language (``about.md``), with the
    file of each language that has a version (``{"en": …/about.md, "es": …/about.es.md}``)."""
    found: dict[str, dict[str, Path]] = {}
    for path in regular_files(docs_dir, ".md"):
        base, lang = split_language_suffix(path.name, codes)
        docs_path = PurePosixPath(path.relative_to(docs_dir).as_posix()).with_name(base).as_posix()
        found.setdefault(docs_path, {}).setdefault(lang or default, path)
    return found


def is_special(docs_path: str) -> bool:
    return docs_path in SPECIAL_PAGES


@dataclass(frozen=True)
class Fallback:
    """A page of a language in progress, shown in the default language's text."""

    docs_path: str  # "about.md"
    source: Path  # the default language's file
    lang: str  # the language whose tree it stands in
    text_lang: str  # the language its text is in (the default language)
    translations: dict[str, str] = field(default_factory=dict)  # language -> URL of a real version


@dataclass
class LanguagesInProgress:
    """The pages each language in progress lacks, read once per build."""

    docs_dir: Path
    languages: list  # tcsite.i18n.Language, every built language
    in_progress: tuple[str, ...]
    versions: dict[str, dict[str, Path]] = field(default_factory=dict)

    @classmethod
    def read(cls, docs_dir: Path, languages: list, in_progress) -> LanguagesInProgress:
        codes = [lang.code for lang in languages]
        default = next(lang.code for lang in languages if lang.default)
        return cls(docs_dir, languages, tuple(in_progress), docs_versions(docs_dir, codes, default))

    @property
    def default(self):
        return next(lang for lang in self.languages if lang.default)

    def missing(self, code: str) -> list[str]:
        """Docs paths of the pages with no version in language ``code`` (none for a language
        that is complete: the build has refused those already)."""
        if code not in self.in_progress:
            return []
        return sorted(docs_path for docs_path, found in self.versions.items()
                      if code not in found and self.default.code in found and not is_special(docs_path))

    def only_translations(self, src_uri: str, urls: dict[str, str]) -> dict[str, str]:
        """``urls`` (language -> URL) of a page without the languages where it is a stand-in:
        the news index lists French posts, but its text is English until news/index.fr.md exists."""
        path = PurePosixPath(src_uri)
        found = self.versions.get(path.with_name(split_language_suffix(path.name, self.codes)[0]).as_posix())
        if found is None:
            return urls
        return {code: url for code, url in urls.items() if code in found or code not in self.in_progress}

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def add_files(self, files: Files, config, lang) -> dict[str, Fallback]:
        """Add this language's stand-in pages to the pass's files; returns them by page URL.

        They are files of ``docs/`` placed in this language's tree, as static-i18n places a
        translated page, so links in them resolve to this language's pages where there are some.
        """
        added = {}
        for docs_path in self.missing(lang.code):
            source = self.versions[docs_path][self.default.code]
            file = stand_in_file(config, docs_path, source, lang.url_prefix)
            files.append(file)
            translations = {other.code: other.url_prefix + file.url.removeprefix(lang.url_prefix)
                            for other in self.languages if other.code in self.versions[docs_path]}
            added[file.url] = Fallback(docs_path, source, lang.code, self.default.code, translations)
        return added


def stand_in_file(config, docs_path: str, source: Path, url_prefix: str) -> File:
    """The default language's ``source`` as the page ``docs_path`` of the tree at ``url_prefix``."""
    placed = File(docs_path, config.docs_dir, config.site_dir, config.use_directory_urls)
    src_path = source.relative_to(Path(config.docs_dir).resolve()).as_posix() if source.is_absolute() else str(source)
    return File(src_path, config.docs_dir, config.site_dir, config.use_directory_urls,
                dest_uri=url_prefix + placed.dest_uri)


def marked_text(html: str, page, fallback: Fallback, direction: str) -> str:
    """A stand-in page's text, marked with the language it is written in; headed by its title
    when the text has no heading of its own and the page has Material's default layout."""
    heading = "" if "<h1" in html or page.meta.get("template") else f"<h1>{escape(str(page.title))}</h1>"
    html = reader_permalinks(html, fallback.lang)
    return f'<div class="tc-untranslated-text" lang="{fallback.text_lang}" dir="{direction}">{heading}{html}</div>'


def reader_permalinks(html: str, lang: str) -> str:
    """Text in another language keeps its headings' permalinks titled in the reader's ("Lien
    permanent"): marked with the reader's language."""
    return html.replace('<a class="headerlink" ', f'<a class="headerlink" lang="{lang}" ')


def marked_titles(html: str, titles: dict[str, tuple[str, str]]) -> str:
    """A page of a language in progress with the titles of its stand-ins marked with their
    language (``{"Training for gender equality": ("en", "ltr")}``) wherever the theme prints one
    as a text of its own: navigation, tabs, the footer's previous and next pages, the header.
    Not in the <head> (a <title> holds no markup) nor in scripts."""
    if not titles:
        return html
    head, body_tag, body = html.partition("<body")
    if not body_tag:
        return html
    by_text = {str(escape(title)): found for title, found in titles.items()}
    alternatives = "|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True))
    text_node = re.compile(rf">(\s*)({alternatives})(\s*)<")
    # An aria-label cannot be marked: one that names a stand-in ("Précédent: Training…", the
    # footer's links) goes, and the link is named by its content, marked above.
    label = re.compile(rf' aria-label="[^"]*(?:{alternatives})"')

    def mark(match: re.Match) -> str:
        lang, direction = by_text[match[2]]
        return f'>{match[1]}<span lang="{lang}" dir="{direction}">{match[2]}</span>{match[3]}<'

    parts = re.split(r"(<script\b.*?</script>)", body, flags=re.S | re.I)
    marked = [part if part.startswith("<script") else text_node.sub(mark, label.sub("", part)) for part in parts]
    return head + body_tag + "".join(marked)


def special_text(docs_dir: Path, root: Path, name: str, code: str, default: str) -> tuple[str, str, str, int] | None:
    """A special page's text in language ``code``, or the default language's while ``code`` has
    none: (language of the text, its file as editors name it, its Markdown body, the body's first
    line). None without any file."""
    for lang in dict.fromkeys((code, default)):
        path = version_path(docs_dir / name, lang, default)
        if lang == default and not path.is_file():
            path = version_path(docs_dir / name, lang, "")  # x.en.md, the CMS's name
        if path.is_file():
            _, body, line = split_front_matter(path.read_text(encoding="utf-8-sig"))
            return lang, relative_to(path, root), body, line
    return None


def option_problems(in_progress, languages, mkdocs_yml: Path, root: Path) -> list[Problem]:
    """``languages_in_progress`` may list only languages of the site other than the default."""
    codes = [lang.code for lang in languages]
    default = next((lang.code for lang in languages if lang.default), None)
    problems = []
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines() if mkdocs_yml.is_file() else []
    line = next((n for n, text in enumerate(lines, 1) if OPTION in text), 1)
    for code in in_progress:
        if code == default:
            message = f"{OPTION} lists {code!r}, the default language, whose pages are the originals"
            fix = f"remove {code!r} from {OPTION}"
        elif code not in codes:
            message = f"{OPTION} lists {code!r}, which is not a language of the site"
            fix = (f"add {code!r} under the i18n plugin's languages (with build: true), or remove it; "
                   f"the site's languages are {', '.join(codes)}")
        else:
            continue
        problems.append(Problem(relative_to(mkdocs_yml, root), line, 1, message, fix))
    return problems
