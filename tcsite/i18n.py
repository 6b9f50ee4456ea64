"""Languages of the site: which ones exist, where a page lives in each, and localised text.

The languages themselves are configured once, in the ``i18n`` plugin of ``mkdocs.yml``;
everything here derives from that, so adding a language is configuration and content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
import re
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from tcsite import data_files


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    default: bool

    @property
    def url_prefix(self) -> str:
        """Where this language's pages live below the site root ("" or "es/")."""
        return "" if self.default else f"{self.code}/"


def site_languages(config) -> list[Language]:
    i18n = config.plugins["i18n"]
    return [
        Language(code=lang.locale, name=lang.name, default=bool(lang.default))
        for lang in i18n.config.languages
        if lang.build
    ]


def default_language(config) -> Language:
    return next(lang for lang in site_languages(config) if lang.default)


def current_language(config) -> str:
    return config.plugins["i18n"].current_language


def language_of(code: str, config) -> Language:
    return next(lang for lang in site_languages(config) if lang.code == code)


def localized_path(path: str, lang: Language) -> str:
    """The site path of ``path`` (given without any language prefix) in ``lang``."""
    return lang.url_prefix + path.lstrip("/")


def absolute_url(site_url: str, url: str) -> str:
    """An absolute URL for a site-root-relative ``url`` such as ``es/about/``."""
    url = "" if url in (".", "./") else url.lstrip("/")
    return site_url.rstrip("/") + "/" + url


def site_rooted_links(html: str, site_url: str, prefix: str) -> str:
    """Turn links to sources (``courses/index.md``) into site-rooted URLs (``/es/courses/``).

    For the 404 page, which is served at any depth and cannot use relative links.
    """
    root = urlsplit(site_url).path.rstrip("/") + "/" + prefix

    def rooted(match: re.Match) -> str:
        target, _, anchor = match.group(1).partition("#")
        path = target.removesuffix(".md")
        path = "" if path == "index" else path.removesuffix("index") if path.endswith("/index") else path + "/"
        return f'href="{root}{path}' + (f"#{anchor}" if anchor else "") + '"'

    return re.sub(r'href="(?![a-z]+:|/|#)([^"]+\.md(?:#[^"]*)?)"', rooted, html)


def labels(lang: str) -> data_files.Labels:
    """Our interface labels in ``lang`` (``labels("es")["all_news"]``), from the project's
    ``data/labels.yml``; ``.format(year=…)`` fills only ``{name}`` placeholders (``data_files.Label``)."""
    return data_files.active().labels_in(lang)


def language_name(code: str, reader: str) -> str:
    """The name of language ``code`` as it is written inside a sentence in language ``reader``,
    from CLDR: "inglés" in Spanish, "Spanish" in English (the switcher names each language in
    itself instead: "English", "Español")."""
    try:
        return Locale.parse(reader.replace("-", "_")).languages.get(code.split("-")[0], code)
    except (UnknownLocaleError, ValueError):
        return code


def format_long_date(day: dt.date, babel_locale: str) -> str:
    """A long, localised date: "18 May 2018" (en_GB), "18 de mayo de 2018" (es), from CLDR."""
    return format_date(day, format="long", locale=babel_locale)
