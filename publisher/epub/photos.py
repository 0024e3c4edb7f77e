"""The issue's photos in the e-book (issue 16): each tied photo re-encoded for reading
devices — EXIF orientation applied, long side at most :data:`MAX_SIDE` px, metadata
stripped (no EXIF, no text chunks, no ICC profile), JPEG at quality :data:`QUALITY`, or
PNG for line art (a PNG or GIF of few colours, or with transparency) — and named
``images/photo-NN.ext`` in reading order.  Pillow's encoders are deterministic: the
same photo gives the same bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from .. import photos as P
from ..model import Issue

MAX_SIDE = 1600
QUALITY = 85
LINE_ART_COLOURS = 256


@dataclass(frozen=True)
class EpubPhoto:
    href: str  # relative to the package folder: images/photo-01.jpg
    data: bytes
    media_type: str
    width: int
    height: int


def reencode(data: bytes) -> tuple[bytes, str, int, int]:
    """(bytes, media type, width, height) of a checked image made ready for a reading device."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as src:
        fmt = src.format
        im = ImageOps.exif_transpose(src)
        im.load()
    line_art = False
    if fmt in ("PNG", "GIF"):
        has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
        colours = im.convert("RGBA").getcolors(LINE_ART_COLOURS)
        line_art = has_alpha or colours is not None
    if max(im.size) > MAX_SIDE:
        scale = MAX_SIDE / max(im.size)
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        im = im.convert("RGBA" if line_art else "RGB").resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if line_art:
        im = im.convert("RGBA") if im.mode not in ("RGBA", "RGB", "L", "LA", "P") else im
        im.save(out, format="PNG", optimize=True)
        media = "image/png"
    else:
        im = im.convert("L" if im.mode in ("L", "1", "I;16", "I") else "RGB")
        im.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=False, subsampling="4:2:0")
        media = "image/jpeg"
    return out.getvalue(), media, im.width, im.height


def prepare(issue: Issue) -> dict[str, EpubPhoto]:
    """``Block.image`` → the photo as the EPUB holds it (checked first: images.check_image)."""
    out: dict[str, EpubPhoto] = {}
    for n, (rel, c) in enumerate(P.load(issue).items(), 1):
        data, media, w, h = reencode(c.data)
        ext = "png" if media == "image/png" else "jpg"
        out[rel] = EpubPhoto(f"images/photo-{n:02d}.{ext}", data, media, w, h)
    return out
