"""Locale rules from CLDR (through Babel), never written in code: plural forms, lists, the region
a bare language code stands for, text direction and script.

A language of the site is a code from ``mkdocs.yml`` (``en``, ``es``, ``fr``, ``ar``, ``pt-BR``).
Babel answers every question about it from the Unicode CLDR data it ships, so adding a language
needs no rule here: French counts 0 and 1.5 as singular, Arabic has six plural forms, Spanish
joins a list with "y", Arabic is written right to left.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.lists import format_list

OTHER = "other"  # the plural form every language has, and the one a label must always give
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", OTHER)  # CLDR's names, the only keys
# Scripts drawn letter by letter, left to right, with no shaping: everything else (Arabic,
# Hebrew, Devanagari, Thai…) needs a complex text layout engine to be drawn correctly.
SIMPLE_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn", "Geor", "Hans", "Hant", "Jpan", "Kore", "Hani"})


@lru_cache(maxsize=None)
def locale(code: str) -> Locale:
    """Babel's locale for a language code (``pt-BR`` and ``pt_BR`` alike); English if unknown."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=None)
def likely(code: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) a code stands for, from CLDR's likely subtags: ``fr`` ->
    ("fr", "Latn", "FR"), ``ar`` -> ("ar", "Arab", "EG"); what the code says itself is kept."""
    found = locale(code)
    subtags = get_global("likely_subtags")
    full = subtags.get(str(found)) or subtags.get(found.language) or found.language
    parts = full.split("_")
    script = next((p for p in parts[1:] if len(p) == 4), None)
    region = next((p for p in parts[1:] if len(p) != 4), None)
    return found.language, found.script or script, found.territory or region


def region_locale(code: str) -> str:
    """``language_REGION`` for a code, as Open Graph and formatting want it: fr -> ``fr_FR``."""
    language, _, region = likely(code)
    return f"{language}_{region}" if region else language


def direction(code: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian…), else ``ltr``."""
    return "rtl" if locale(code).character_order == "right-to-left" else "ltr"


def script(code: str) -> str | None:
    """The script a language is written in (``Latn``, ``Arab``…), from CLDR's likely subtags."""
    return likely(code)[1]


def needs_text_shaping(code: str) -> bool:
    """Whether drawing this language's text (share cards) needs complex text layout: joined
    letters, right-to-left runs or reordered marks."""
    return direction(code) == "rtl" or (script(code) or "Latn") not in SIMPLE_SCRIPTS


def plural_form(count, code: str) -> str:
    """The CLDR plural category of ``count`` in a language: ``one``, ``few``, ``other``…"""
    return locale(code).plural_form(abs(count))


def plural_forms(code: str) -> tuple[str, ...]:
    """Every plural category of a language, ``other`` last: ("one", "other") in English."""
    return (*sorted(locale(code).plural_form.tags), OTHER)


def plural_texts(text) -> dict[str, str]:
    """A label's texts by plural form (``{"one": …, "other": …}``); a label with one text is
    its ``other`` form. Keys other than CLDR's categories are left out."""
    if not isinstance(text, dict):
        return {OTHER: text}
    return {form: text[form] for form in PLURAL_CATEGORIES if text.get(form) is not None}


def choose(text, count, code: str) -> str:
    """A label's text for ``count``: the label itself when it has one text, else the text of
    ``count``'s plural form (``{one: "{count} course", other: "{count} courses"}``), ``other``
    when the label leaves that form out."""
    forms = plural_texts(text)
    return forms.get(plural_form(count, code)) or forms.get(OTHER) or next(iter(forms.values()), "")


def join(items: list[str], formatting_locale: str) -> str:
    """Items as a list in running text: "English, Spanish and French", "inglés y francés"."""
    return format_list(list(items), locale=formatting_locale) if items else ""


def list_separators(count: int, formatting_locale: str) -> list[str]:
    """What comes after each of ``count`` items in a list, for lists whose items are markup:
    ``[", ", " and ", ""]`` for three items in British English."""
    if count <= 0:
        return []
    marks = [f"\x00{n}\x00" for n in range(count)]
    text = format_list(marks, locale=formatting_locale)
    separators = []
    for n, mark in enumerate(marks):
        after = text.split(mark, 1)[1]
        separators.append(after.split(marks[n + 1], 1)[0] if n + 1 < count else after)
    return separators
