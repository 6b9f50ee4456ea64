"""Whether Pillow can draw the site's languages on share cards (``tcsite.cards``).

Arabic, Hebrew, Devanagari and other complex scripts are drawn correctly only through Pillow's
complex text layout: its bundled raqm library, which loads the system's FriBiDi library
(Debian: ``libfribidi0``) when Pillow starts. Without it Pillow falls back to drawing letter
by letter, left to right: Arabic comes out unjoined and reversed, and nothing says so. So when
the site has a language whose script needs it (``tcsite.locales.needs_text_shaping``), the build
checks that Pillow really shapes text, and refuses with the way to install what is missing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

from tcsite import i18n, locales
from tcsite.validation import Problem, relative_to

FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"  # the cards' font
SAMPLE = "مركز التدريب"  # Arabic letters join: shaped, the word is narrower than its letters apart
INSTALL = ("install the system's FriBiDi library, which Pillow loads for complex text: on Debian, "
           "sudo apt-get install libfribidi0 (scripts/install-tools.sh installs it), then build again")


@lru_cache(maxsize=1)
def shapes_text() -> bool:
    """Whether Pillow here lays out complex text: raqm with FriBiDi, and a word comes out shaped."""
    if not (features.check("raqm") and features.check_feature("fribidi")):
        return False
    try:
        shaped = ImageFont.truetype(str(FONT), 40, layout_engine=ImageFont.Layout.RAQM)
        plain = ImageFont.truetype(str(FONT), 40, layout_engine=ImageFont.Layout.BASIC)
        return bytes(shaped.getmask(SAMPLE)) != bytes(plain.getmask(SAMPLE))
    except (OSError, ValueError, KeyError):
        return False


def problems(codes, mkdocs_yml: Path, root: Path, shapes=shapes_text) -> list[Problem]:
    """One problem, at the first such language in mkdocs.yml, when the site has a language whose
    script Pillow cannot draw here."""
    needing = [code for code in codes if locales.needs_text_shaping(code)]
    if not needing or shapes():
        return []
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines() if mkdocs_yml.is_file() else []
    line = next((n for n, text in enumerate(lines, 1) if f"locale: {needing[0]}" in text), 1)
    names = locales.join([i18n.language_name(code, "en") for code in needing], "en")
    return [Problem(relative_to(mkdocs_yml, root), line, 1,
                    f"share cards in {names} need complex text layout, and Pillow on this machine "
                    "cannot shape text (it would draw the letters unjoined and in the wrong order)",
                    INSTALL)]
