"""Pictures: what an editor uploads is published as small, clean variants, never as uploaded.

A camera's JPEG is 4000 × 2667 pixels and 3 MB, carries its GPS position and serial number, and
may be stored sideways with an orientation tag. For each picture a page shows (the ``image:`` of
a post or a course, a picture in the body of a post, page or course) the build publishes:

- copies 480, 960, 1440 and 1920 pixels wide (never wider than the original), in AVIF and in a
  fallback every browser and feed reader shows (JPEG; PNG for a picture with transparency), for
  ``<picture>``/``srcset``/``sizes``: a phone downloads the width it shows;
- for news cards, a 3:2 thumbnail 240 and 480 pixels wide, each file at most 40 KiB;
- for share cards, a 1200 × 630 JPEG crop of a lead picture.

Every variant is turned upright (orientation tag), converted to sRGB from the picture's colour
profile, and written without EXIF, GPS, XMP, colour profile or comments. The original stays in
the repository: the plugin marks it excluded, so MkDocs never copies it into ``site/``.

Variants are content-addressed: their names carry a hash of the original's bytes and of the
settings below, so the cache (``.cache/pictures/``, like the share cards' ``.cache/cards/``)
serves every later build, and the CDN may keep ``/assets/pictures/`` for a year. Rendering a
page only plans the variants it shows (reading the picture's header); ``publish`` encodes what
the cache lacks once per build, after the last language pass.

AVIF and JPEG: Pillow here encodes AVIF, WebP and JPEG. AVIF is the smallest at equal quality and
read by every current browser; the JPEG fallback covers the rest. A WebP tier between them would
cost one more encode per width for very few readers. libavif already uses every core, so
pictures are encoded one after another.

What the pipeline cannot read is reported by ``check`` and refused by the build before anything
is written (``refusal``, ``lead_problems``, ``alt_refusal``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import shutil
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from markupsafe import Markup
from mkdocs.utils import get_relative_url
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from tcsite.cdn import IMMUTABLE
from tcsite.content import Document
from tcsite.content_files import PICTURES, extension, type_refusal
from tcsite.validation import Problem

PUBLISHED_DIR = "assets/pictures/"
PARTIAL = "partials/tc-picture.html"  # the markup of a picture, for templates and page bodies
WIDTHS = (480, 960, 1440, 1920)
SRC_WIDTH = 960  # <img src>: for feed readers and browsers without srcset
CARD_WIDTHS = (240, 480)
CARD_RATIO = (3, 2)
CARD_MAX_BYTES = 40 * 1024
SHARE_SIZE = (1200, 630)  # Open Graph's recommended size, as tcsite.cards draws them
LEAD_MIN_WIDTH = SHARE_SIZE[0]  # a lead picture fills a share card and the widest column
MAX_PIXELS = 60_000_000  # a 48-megapixel phone photo fits; decoding bombs do not

AVIF = {"quality": 60, "speed": 8}  # speed 7 saves 1-2 % of bytes for twice the time
JPEG = {"quality": 78, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
PNG = {"optimize": True}
CARD_QUALITIES = {"avif": (60, 50, 40, 30), "jpg": (78, 68, 58, 48, 38)}
SETTINGS_VERSION = "1"  # change when the drawing of variants changes, so the cache is redone
SETTINGS = repr((SETTINGS_VERSION, WIDTHS, CARD_WIDTHS, CARD_RATIO, CARD_MAX_BYTES, SHARE_SIZE,
                 AVIF, JPEG, PNG, CARD_QUALITIES))
MIME = {"avif": "image/avif", "jpg": "image/jpeg", "png": "image/png"}
MODERN = ("avif",)
FORMAT_NAMES = {"avif": "AVIF", "jpg": "JPEG", "png": "PNG"}
READABLE_FORMATS = {"JPEG", "MPO", "PNG", "GIF", "WEBP", "AVIF"}  # MPO: cameras' JPEG with previews
TRANSPARENT_MODES = {"RGBA", "LA", "PA", "La", "RGBa"}
ORIENTATION = 0x0112
ROTATED = {5, 6, 7, 8}  # orientations stored sideways: width and height swap when shown

# The width a picture is shown at (``sizes``), measured in Chromium on Material's layout (its
# root font is 20 px, 22 px from 1600 px wide): the content column is at most 940 CSS px wide
# (1032 px from 1600 px), a sidebar narrower; below 960 px it is the screen but its margins.
CONTENT_SIZES = ("(min-width: 1600px) 1032px, (min-width: 1220px) 940px, "
                 "(min-width: 960px) calc(100vw - 270px), calc(100vw - 32px)")
CARD_SIZES = "(min-width: 1600px) 220px, (min-width: 720px) 200px, 120px"  # .tc-card__picture in site.css


class PictureError(Exception):
    """A picture the pipeline cannot use, in an editor's words: what is wrong, how to fix it."""

    def __init__(self, message: str, fix: str, path: Path | None = None):
        super().__init__(message)
        self.message, self.fix, self.path = message, fix, path


@dataclass(frozen=True)
class Original:
    """An uploaded picture, as its header describes it (the pixels are decoded only to encode)."""

    path: Path
    digest: str  # the original's bytes and SETTINGS
    width: int  # upright, as shown
    height: int
    transparent: bool

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def fallback(self) -> str:
        return "png" if self.transparent else "jpg"


@dataclass(frozen=True)
class Variant:
    original: Original
    kind: str  # "" for the responsive widths, "card", "share"
    width: int
    height: int
    ext: str

    @property
    def name(self) -> str:
        kind = f"-{self.kind}" if self.kind else ""
        size = "" if self.kind == "share" else f"-{self.width}"
        return f"{self.original.stem}-{self.original.digest}{kind}{size}.{self.ext}"

    @property
    def path(self) -> str:
        """Where it is published, from the site's root: ``assets/pictures/x-1a2b3c4d5e-960.avif``."""
        return PUBLISHED_DIR + self.name

    @property
    def mime(self) -> str:
        return MIME[self.ext]


@dataclass(frozen=True)
class Source:
    mime: str
    variants: tuple[Variant, ...]  # narrowest first


@dataclass(frozen=True)
class Picture:
    """What ``overrides/partials/tc-picture.html`` prints: ``<source>`` per modern format, then
    the ``<img>`` with the fallback. ``width``/``height`` give the shape (no layout shift)."""

    sources: tuple[Source, ...]
    fallback: Source
    src: Variant
    width: int
    height: int
    sizes: str
    alt: str
    lead: bool = False  # the first thing a page shows: fetched at once, first
    css_class: str = ""
    attributes: tuple[tuple[str, str | None], ...] = ()  # an editor's own (title, class…)


# --- reading an upload ---------------------------------------------------------------------


def digest_of(path: Path) -> str:
    hasher = hashlib.sha256(SETTINGS.encode())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()[:10]


def _open(path: Path) -> Image.Image:
    """The picture, opened (header read, pixels not yet decoded), or PictureError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError):
        raise PictureError(f"the picture {path.name} cannot be read: it is damaged or not a picture",
                           "export it again from the camera or editor as JPEG or PNG") from None
    if image.format not in READABLE_FORMATS:
        image.close()
        raise PictureError(f"the picture {path.name} is a {image.format} file inside, which the site "
                           "cannot publish", "save it as JPEG or PNG")
    return image


def inspect(path: Path) -> tuple[int, int, bool]:
    """Check that the pipeline can use the picture: its width and height as shown (upright) and
    whether it has transparency; PictureError otherwise. Reads the whole file (a truncated
    upload fails here, not halfway through a build), decoding a JPEG at an eighth of its size."""
    image = _open(path)
    with image:
        if getattr(image, "is_animated", False) and image.format != "MPO":
            raise PictureError(f"the picture {path.name} is animated: the site publishes still pictures",
                               "save one still frame as PNG or JPEG, or link to a video")
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PictureError(
                f"the picture {path.name} has {width * height / 1_000_000:.0f} megapixels, more than the "
                f"build reads ({MAX_PIXELS // 1_000_000})",
                "save it at most 8000 pixels wide; the build makes the smaller copies")
        try:
            image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
        except (OSError, SyntaxError, ValueError):
            raise PictureError(f"the picture {path.name} is incomplete or damaged",
                               "export it again from the camera or editor as JPEG or PNG") from None
        if image.getexif().get(ORIENTATION) in ROTATED:
            width, height = height, width
        transparent = image.mode in TRANSPARENT_MODES or "transparency" in image.info
    return width, height, transparent


def read_original(path: Path) -> Original:
    return Original(path, digest_of(path), *inspect(path))


def refusal(path: Path) -> tuple[str, str] | None:
    """Why the pipeline cannot use this picture (message, fix), or None."""
    try:
        inspect(path)
    except PictureError as error:
        return error.message, error.fix
    return None


def lead_refusal(path: Path) -> tuple[str, str] | None:
    """A post's or course's ``image:``: readable, and wide enough for the widest use."""
    try:
        width, _, _ = inspect(path)
    except PictureError as error:
        return error.message, error.fix
    if width < LEAD_MIN_WIDTH:
        return (f"the picture {path.name} is {width} pixels wide; a lead picture needs at "
                f"least {LEAD_MIN_WIDTH} (share cards and wide screens show it that wide)",
                f"upload the original photo, at least {LEAD_MIN_WIDTH} pixels wide: any size "
                "works, the build makes the small copies")
    return None


def alt_refusal(alt: str | None, target: str) -> tuple[str, str] | None:
    """An alt text that only repeats the file name tells a reader nothing."""
    name = Path(unquote(urlsplit(target).path)).name.lower()
    if not alt or not name:
        return None
    stem = name.rpartition(".")[0] or name
    said = " ".join(alt.lower().split())
    if said in {name, stem, stem.replace("-", " ").replace("_", " ")}:
        return (f"the alt text '{alt}' is the file name",
                "describe what the picture shows, for readers who cannot see it")
    return None


def lead_problems(doc: Document, path: Path) -> list[Problem]:
    """A post's or course's ``image:`` the picture pipeline can use, with a real alt text.
    Types that are never published (SVG…) are reported on the file by tcsite.content_files."""
    problems = []
    if type_refusal(path.name) is None:
        refusal = lead_refusal(path)
        if refusal:
            problems.append(doc.problem("image", *refusal))
    alt = doc.meta.get("image_alt")
    refusal = alt_refusal(alt, path.name) if isinstance(alt, str) else None
    if refusal:
        problems.append(doc.problem("image_alt", *refusal))
    return problems


# --- planning what a page shows ------------------------------------------------------------


def content_widths(width: int) -> list[int]:
    """480, 960, 1440, 1920, never wider than the original (a narrow one keeps its own width)."""
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def scaled_height(original: Original, width: int) -> int:
    return max(1, round(original.height * width / original.width))


class PicturePipeline:
    """One build's pictures: planned while pages render, encoded and published at the end."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self._originals: dict[Path, Original] = {}
        self.wanted: dict[Original, set[Variant]] = {}
        self.encoded = 0  # variants encoded by this build (the rest came from the cache)

    def original(self, path: Path) -> Original:
        key = path.resolve()
        if key not in self._originals:
            self._originals[key] = read_original(key)
        return self._originals[key]

    def _want(self, variants) -> tuple[Variant, ...]:
        variants = tuple(variants)
        for variant in variants:
            self.wanted.setdefault(variant.original, set()).add(variant)
        return variants

    def content(self, path: Path, alt: str, *, lead: bool = False, css_class: str = "",
                attributes=(), display_width: int | None = None) -> Picture:
        """A picture of a page's column: every width it may be shown at, in each format."""
        original = self.original(path)
        widths = content_widths(original.width)
        formats = [*MODERN, original.fallback]
        sources = {
            ext: Source(MIME[ext], self._want(
                Variant(original, "", w, scaled_height(original, w), ext) for w in widths))
            for ext in formats
        }
        fallback = sources[original.fallback]
        src = max((v for v in fallback.variants if v.width <= SRC_WIDTH), key=lambda v: v.width,
                  default=fallback.variants[0])
        width, height = widths[-1], scaled_height(original, widths[-1])
        sizes = CONTENT_SIZES
        if display_width:  # the editor fixed its width (attribute list or HTML): it is shown so
            width, height = display_width, scaled_height(original, display_width)
            sizes = f"{display_width}px"
        return Picture(tuple(sources[ext] for ext in MODERN), fallback, src, width, height, sizes,
                       alt, lead, css_class, tuple(attributes))

    def card(self, path: Path) -> Picture:
        """A news card's thumbnail: a 3:2 crop, decorative (the card's title says what it is)."""
        original = self.original(path)
        widths = [w for w in CARD_WIDTHS if w <= original.width] or [original.width]
        height_of = {w: max(1, round(w * CARD_RATIO[1] / CARD_RATIO[0])) for w in widths}
        sources = {
            ext: Source(MIME[ext], self._want(Variant(original, "card", w, height_of[w], ext) for w in widths))
            for ext in (*MODERN, "jpg")
        }
        fallback = sources["jpg"]
        return Picture(tuple(sources[ext] for ext in MODERN), fallback, fallback.variants[0],
                       widths[-1], height_of[widths[-1]], CARD_SIZES, "", css_class="tc-card__picture")

    def share_card(self, path: Path) -> Variant:
        """The 1200 × 630 crop shown when a page is shared."""
        original = self.original(path)
        return self._want([Variant(original, "share", *SHARE_SIZE, "jpg")])[0]

    # --- encoding, once per build ----------------------------------------------------------

    def cached(self, variant: Variant) -> Path:
        return self.cache_dir / variant.name

    def publish(self, site_dir: Path) -> None:
        """Encode what the cache lacks, then copy every wanted variant to ``site/assets/pictures/``."""
        target = site_dir / PUBLISHED_DIR
        for original, variants in self.wanted.items():
            missing = [v for v in variants if not self.cached(v).is_file()]
            if missing:
                try:
                    encode(original, missing, self.cache_dir)
                except (OSError, SyntaxError, ValueError) as error:  # read once already: rare
                    raise PictureError(f"the picture {original.path.name} could not be converted ({error})",
                                       "export it again as JPEG or PNG", original.path) from None
                self.encoded += len(missing)
            target.mkdir(parents=True, exist_ok=True)
            for variant in variants:
                shutil.copyfile(self.cached(variant), target / variant.name)


def encode(original: Original, variants: list[Variant], cache_dir: Path) -> None:
    """Decode the original once (at the smallest scale the variants allow) and write each."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with Image.open(original.path) as image:
        scale = max(_scale_needed(original, v) for v in variants)
        need = (math.ceil(original.width * scale), math.ceil(original.height * scale))
        if image.getexif().get(ORIENTATION) in ROTATED:
            need = need[::-1]
        image.draft(image.mode, need)  # JPEG: decode at 1/2, 1/4 or 1/8 when that is enough
        upright = ImageOps.exif_transpose(image)
    picture = to_srgb(upright, original.transparent)
    for variant in variants:
        _write_atomically(cache_dir / variant.name, _save(_draw(picture, variant), variant))


def _scale_needed(original: Original, variant: Variant) -> float:
    """How much of the original's resolution a variant needs (a crop covers its frame)."""
    return max(variant.width / original.width, variant.height / original.height)


def to_srgb(image: Image.Image, transparent: bool) -> Image.Image:
    """RGB (RGBA with transparency) in sRGB, the colours of the picture's own profile kept."""
    target = "RGBA" if transparent else "RGB"
    profile = image.info.get("icc_profile")
    image = _plain_mode(image, transparent)
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: the pixels as they are, as most browsers would show them
    return image.convert(target) if image.mode != target else image


_SRGB = ImageCms.createProfile("sRGB")


def _plain_mode(image: Image.Image, transparent: bool) -> Image.Image:
    """Modes a colour profile applies to: L, RGB, RGBA or CMYK."""
    if image.mode in ("L", "RGB", "RGBA", "CMYK"):
        return image
    if image.mode.startswith("I") or image.mode == "F":  # 16-bit or float grey: scale to 8 bits
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGBA" if transparent else "RGB")


def _draw(picture: Image.Image, variant: Variant) -> Image.Image:
    size = (variant.width, variant.height)
    if variant.kind in ("card", "share"):
        if picture.mode == "RGBA":  # cards and share cards are JPEG: transparency onto white
            flat = Image.new("RGB", picture.size, (255, 255, 255))
            flat.paste(picture, mask=picture.getchannel("A"))
            picture = flat
        drawn = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
    elif picture.size == size:
        drawn = picture.copy()
    else:
        drawn = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    drawn.info = {}  # nothing of the original's metadata travels into a variant
    return drawn


def _save(image: Image.Image, variant: Variant) -> bytes:
    qualities = CARD_QUALITIES.get(variant.ext, (None,)) if variant.kind == "card" else (None,)
    for quality in qualities:
        data = _encoded(image, variant.ext, quality)
        if len(data) <= CARD_MAX_BYTES or variant.kind != "card":
            break
    return data


def _encoded(image: Image.Image, ext: str, quality: int | None) -> bytes:
    options = {"avif": AVIF, "jpg": JPEG, "png": PNG}[ext]
    if quality is not None:
        options = {**options, "quality": quality}
    buffer = io.BytesIO()
    # No exif, xmp or icc_profile: the encoders would otherwise copy them from image.info.
    image.save(buffer, FORMAT_NAMES[ext], **options)
    return buffer.getvalue()


def _write_atomically(target: Path, data: bytes) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, target)


# --- pictures in rendered pages ------------------------------------------------------------


class _LinkedTags(HTMLParser):
    """The ``<img>`` and ``<a>`` start tags of a rendered page, with where each is written."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]], tuple[int, int], str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "a"):
            self.found.append((tag, attrs, self.getpos(), self.get_starttag_text()))

    handle_startendtag = handle_starttag


# Attributes the pipeline writes itself on an <img>; an editor's others are kept.
OWN_ATTRIBUTES = {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding", "fetchpriority"}


@dataclass
class PagePictures:
    """Rewrites the pictures of a rendered page (its ``<img>`` leading to an uploaded picture) as
    ``<picture>`` through the site's partial, and links to an uploaded picture to its largest
    fallback variant. ``originals`` maps a site path (``news/2019/workshop.jpg``) to the upload."""

    pipeline: PicturePipeline
    originals: dict[str, Path]
    template: object  # overrides/partials/tc-picture.html, from the theme's environment
    problems: list[Problem] = field(default_factory=list)

    def rewrite(self, html: str, page, source: str, *, plain: bool = False) -> str:
        """The page's HTML with its pictures rewritten; ``source`` names the page's file in
        problems; ``plain``: a single ``<img>`` (the fallback), for feed readers."""
        parser = _LinkedTags()
        parser.feed(html)
        parser.close()
        starts = _line_starts(html)
        pieces, done = [], 0
        for tag, attrs, (line, column), text in parser.found:
            offset = starts[line - 1] + column
            if html[offset:offset + len(text)] != text:
                continue  # not where the parser says (never seen): leave it alone
            replacement = self._replacement(tag, dict(attrs), attrs, page, source, plain)
            if replacement is None:
                continue
            pieces += [html[done:offset], replacement]
            done = offset + len(text)
        return "".join(pieces) + html[done:]

    def _original(self, address: str | None, page) -> Path | None:
        if not address or urlsplit(address).scheme or address.startswith("//"):
            return None
        path = urlsplit(urljoin("/" + page.url, address)).path
        return self.originals.get(unquote(path).lstrip("/"))

    def _replacement(self, tag, values, attrs, page, source, plain) -> str | None:
        key = "src" if tag == "img" else "href"
        path = self._original(values.get(key), page)
        if path is None:
            return None
        try:
            picture = self.pipeline.content(
                path, values.get("alt") or "",
                attributes=[(n, v) for n, v in attrs if n not in OWN_ATTRIBUTES],
                display_width=_pixels(values.get("width")))
        except PictureError as error:
            self.problems.append(Problem(source, 1, 1, error.message, error.fix))
            return None
        if tag == "a":
            largest = picture.fallback.variants[-1]
            changed = [(n, _relative(largest.path, page) if n == "href" else v) for n, v in attrs]
            return Markup("<a{}>").format(Markup("").join(_attribute(n, v) for n, v in changed))
        if plain:
            return Markup('<img src="{}" width="{}" height="{}" alt="{}">').format(
                _relative(picture.src.path, page), picture.width, picture.height, picture.alt)
        return self.template.render(picture=picture, page=page, base_url="").strip()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _pixels(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _attribute(name: str, value: str | None) -> Markup:
    return Markup(" {}").format(name) if value is None else Markup(' {}="{}"').format(name, value)


def _relative(path: str, page) -> str:
    return get_relative_url(path, page.url)


def headers_rules() -> dict[str, dict[str, str]]:
    """The CDN keeps variants for a year: their names change whenever their content does."""
    return {f"/{PUBLISHED_DIR}*": {"! Cache-Control": "", "Cache-Control": IMMUTABLE}}


class _LinksToOriginals(logging.Filter):
    """MkDocs notes every link to an excluded file ("… which is excluded from the built site");
    for an uploaded picture that is by design: the page links to its variants instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.endswith("which is excluded from the built site."):
            return True
        target = message.rpartition("contains a link to '")[2].partition("'")[0]
        return extension(target) not in PICTURES


def quiet_links_to_originals() -> None:
    from mkdocs.structure import pages

    if not any(isinstance(f, _LinksToOriginals) for f in pages.log.filters):
        pages.log.addFilter(_LinksToOriginals())


def is_picture(path: Path) -> bool:
    return extension(path.name) in PICTURES
