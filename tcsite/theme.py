"""What we change in Material's own output: its words in each language, and one markup fix.

Material takes most of its interface words from its translation tables
(``partials/languages/<code>.html``), but a few come from ``mkdocs.yml`` as single strings, the
same in every language: the names of the palette toggles ("Switch to dark mode") and
Python-Markdown's permalink title ("Permanent link"). static-i18n runs one build per language,
so ``localize`` sets them from ``data/labels.yml`` at the start of each language pass.

Where we word one of Material's own strings differently ("Ir al contenido" for its "Saltar a
contenido"), the label ``material.<Material's key>`` in ``data/labels.yml`` wins:
``overrides/partials/language.html`` looks it up first (``material_words``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

MATERIAL_PREFIX = "material."
PALETTE_LABEL = "palette_switch_to_{scheme}"
PERMALINK_LABEL = "permalink_title"

# Material's base.html (not a partial, not a block) writes its two state checkboxes with
# autocomplete="off", which HTML allows only on text-like inputs (the Nu Html Checker's error on
# every page). Firefox may now restore their state when a reader goes back to a page, as it does
# for any checkbox; the drawer or search then shows open, and closes as usual.
_TOGGLE_AUTOCOMPLETE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)")'
    r' autocomplete="off">'
)


# Material's base.html: <html lang="…" class="no-js">.
_HTML_START = re.compile(r'(<html lang="[^"]*")( class="no-js">)')


def localize(config, labels: dict[str, str], direction: str = "ltr") -> None:
    """Material's palette toggle names and the permalink title in this pass's language, and its
    text direction (from CLDR, for languages Material has no translation table for)."""
    config.theme["direction"] = direction
    palette = config.theme.get("palette")
    if isinstance(palette, list):
        for index, option in enumerate(palette):
            if option.get("toggle"):
                target = palette[(index + 1) % len(palette)].get("scheme") or "default"
                option["toggle"]["name"] = _label(labels, PALETTE_LABEL.format(scheme=target))
    if "toc" in config.markdown_extensions:
        config.mdx_configs.setdefault("toc", {})["permalink_title"] = _label(labels, PERMALINK_LABEL)


def material_words(labels: dict[str, str]) -> dict[str, Markup]:
    """Our wording of Material's strings, by Material's key (``action.skip``), escaped here: the
    translation macro prints its strings as they are (Material's are trusted, labels are not)."""
    return {key.removeprefix(MATERIAL_PREFIX): escape(text) for key, text in labels.items() if key.startswith(MATERIAL_PREFIX)}


def with_direction(html: str, direction: str) -> str:
    """Material writes the direction on <body> only; on <html> it also covers the <head>'s
    title and the page's whole box (scroll bars, the browser's own interface)."""
    return _HTML_START.sub(rf'\1 dir="{direction}"\2', html, count=1)


def valid_toggles(html: str) -> str:
    """A built page without ``autocomplete`` on Material's two checkboxes."""
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1>", html)


def _label(labels: dict[str, str], key: str) -> str:
    if key not in labels:
        raise PluginError(f"data/labels.yml has no entry '{key}': add it, with a line for every language")
    return labels[key]
