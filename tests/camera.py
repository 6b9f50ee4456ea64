"""Camera-like pictures made with Pillow, for the picture tests and the benchmark.

A camera's JPEG as an editor uploads it: 4000 × 2667 pixels and about 3 MB of photo-like detail,
the position where it was taken (EXIF GPS), the camera's make, model and serial number, an XMP
packet, optionally an orientation tag (stored sideways) and a colour profile. Nothing here is a
real photograph; nothing is downloaded.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter

SERIAL = "SN-CAMERA-4417-0092"
MAKE, MODEL = "ExampleCam", "EC-100 Mark II"
GPS = {1: "N", 2: (18.0, 29.0, 11.5), 3: "W", 4: (69.0, 55.0, 52.3)}  # Santo Domingo
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" aux:SerialNumber="' + SERIAL.encode() + b'"/>'
       b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
# Text a published variant must never contain (read back as bytes).
IDENTIFYING = (SERIAL.encode(), MAKE.encode(), MODEL.encode(), b"Exif\x00\x00", b"xmpmeta", b"ICC_PROFILE")


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.Model] = MODEL
    exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = SERIAL
    details[ExifTags.Base.DateTimeOriginal] = "2026:03:08 10:15:00"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def photo_like(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Sky, ground, shapes and sensor noise: compresses about as a photo does."""
    width, height = size
    small = (max(8, width // 8), max(8, height // 8))
    sky = Image.linear_gradient("L").resize(small).convert("RGB")
    sky = Image.merge("RGB", [sky.getchannel(0).point(lambda v: 90 + v // 3),
                              sky.getchannel(0).point(lambda v: 140 + v // 4),
                              sky.getchannel(0).point(lambda v: 200 + v // 5)])
    pen = ImageDraw.Draw(sky)
    for n in range(40):
        x = (n * 97 + seed * 31) % small[0]
        y = small[1] // 2 + (n * 53 + seed * 17) % (small[1] // 2)
        radius = 4 + (n * 13) % 40
        colour = ((n * 71 + seed) % 256, (n * 37 + 80) % 256, (n * 19 + 40) % 256)
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    picture = sky.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(0.6))
    return Image.composite(picture, Image.merge("RGB", [grain] * 3), Image.new("L", size, 200))


def camera_jpeg(path: Path, size: tuple[int, int] = (4000, 2667), *, orientation: int = 1,
                icc_profile: bytes | None = None, seed: int = 0, marker: bool = False) -> Path:
    """A camera-like JPEG at ``path``. ``size`` is as stored; with ``orientation`` 6 a viewer
    shows it turned a quarter clockwise. ``marker``: a pure red block at the stored top-left."""
    picture = photo_like(size, seed)
    if marker:
        ImageDraw.Draw(picture).rectangle((0, 0, size[0] // 5, size[1] // 5), fill=(255, 0, 0))
    options = {"quality": 93, "exif": camera_exif(orientation).tobytes(), "xmp": XMP}
    if icc_profile:
        options["icc_profile"] = icc_profile
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", **options)
    return path


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB profile whose red primary is sRGB's blue and whose blue is sRGB's red: a
    pixel (255, 0, 0) tagged with it is blue. A pipeline that ignores profiles shows it red."""
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    white = (0.9642, 1.0, 0.8249)  # D50

    def xyz(values):
        return b"XYZ " + b"\0" * 4 + b"".join(_s15(v) for v in values)

    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", 0x0233) + b"\0\0"  # gamma 2.2
    description = b"desc" + b"\0" * 4 + struct.pack(">I", 9) + b"swapped\0\0" + b"\0" * 79
    tags = [(b"desc", description), (b"wtpt", xyz(white)), (b"rXYZ", xyz(blue)), (b"gXYZ", xyz(green)),
            (b"bXYZ", xyz(red)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        while len(body) % 4:
            body += b"\0"
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + table_size + len(data)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 4 + b"\0" * 4 + b"\0" * 8 + b"\0" * 8 + b"\0" * 4
              + _s15(white[0]) + _s15(white[1]) + _s15(white[2]) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128, len(header)
    return header + table + data
