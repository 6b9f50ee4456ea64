"""Share cards: the 1200×630 picture social networks show when a page is shared.

Drawn with Pillow from a font shipped in this package (DejaVu Sans, a free licence), so
nothing is downloaded. Cards are content-addressed: the file name in the cache is a hash of
everything drawn on it, so an unchanged page never redraws its card.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tcsite.text_layout import shapes_text

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).resolve().parent / "fonts"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
REGULAR = FONTS / "DejaVuSans.ttf"
BLUE, DARK_BLUE, WHITE, LIGHT = (0, 90, 140), (0, 62, 97), (255, 255, 255), (204, 231, 245)
MARGIN = 80
DESIGN_VERSION = "4"  # change when the drawing (or its PNG encoding) changes, so cached cards are redrawn


@dataclass(frozen=True)
class Card:
    """What a card says: a caption above the title (the page's section; may be empty) and the
    site's name below it, unless the title is the site's name (the home page's card)."""

    title: str
    section: str
    site_name: str
    lang: str = ""
    direction: str = "ltr"  # "rtl": the card is mirrored, its text drawn right to left

    def digest(self) -> str:
        text = "\x1f".join((DESIGN_VERSION, self.title, self.section, self.site_name, self.lang, self.direction))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return lines + [line] if line else lines


def fitted_title(title: str, width: int, max_lines: int = 4) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size that fits in ``max_lines`` lines."""
    for size in (72, 64, 56, 50, 44):
        font = ImageFont.truetype(str(BOLD), size)
        lines = wrap(title, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = wrap(title, font, width)[:max_lines]
    lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return font, lines


def draw(card: Card) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BLUE)
    pen = ImageDraw.Draw(image)
    rtl = card.direction == "rtl"
    # Text starts at the margin of its own side: the left one, or the right one mirrored.
    start, anchor = (WIDTH - MARGIN, "ra") if rtl else (MARGIN, "la")
    layout = {"direction": card.direction, "language": card.lang or None} if shapes_text() else {}

    def write(y: int, text: str, font, fill) -> None:
        pen.text((start, y), text, font=font, fill=fill, anchor=anchor, **layout)

    pen.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill=DARK_BLUE)
    pen.rectangle((WIDTH - 200, 80, WIDTH - MARGIN, 88) if rtl else (MARGIN, 80, 200, 88), fill=LIGHT)
    if card.section:
        write(110, card.section.upper(), ImageFont.truetype(str(REGULAR), 30), LIGHT)
    font, lines = fitted_title(card.title, WIDTH - 2 * MARGIN)
    y = 160
    for line in lines:
        write(y, line, font, WHITE)
        y += int(font.size * 1.15)
    if card.site_name != card.title:
        write(HEIGHT - 75, card.site_name, ImageFont.truetype(str(BOLD), 32), WHITE)
    return image


def render_card(card: Card, target: Path, cache_dir: Path) -> bool:
    """Write the card to ``target``, drawing it only if the cache lacks it. True if drawn."""
    cached = cache_dir / f"{card.digest()}.png"
    drawn = not cached.exists()
    if drawn:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Pillow's default compression: optimize=True made files 5% smaller and took 3-4 times as
        # long. Written whole, then renamed: a build stopped halfway leaves no broken card cached.
        partial = cached.with_name(f"{cached.stem}.{os.getpid()}.{threading.get_ident()}.partial")
        draw(card).save(partial, "PNG")
        os.replace(partial, cached)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
    return drawn
