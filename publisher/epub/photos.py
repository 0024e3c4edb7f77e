"""The issue's photos in the e-book (issue 16): each tied photo re-encoded for reading
devices — EXIF orientation applied, long side at most :data:`MAX_SIDE` px, metadata
stripped (no EXIF, no text chunks, no ICC profile), JPEG at quality :data:`QUALITY`, or
PNG for line art (a PNG or GIF of few colours, or with transparency) — and named
``images/photo-NN.ext`` in reading order.  Pillow's encoders are deterministic: the
same photo gives the same bytes.
"""
from __future__ import annotations

import io
import math
import os
from concurrent.futures import ThreadPoolExecutor
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
        if fmt == "JPEG" and max(src.size) >= 2 * MAX_SIDE:
            # decoded at 1/2, 1/4 or 1/8 scale, still at least MAX_SIDE on its long side
            scale = MAX_SIDE / max(src.size)
            src.draft("RGB", (math.ceil(src.width * scale), math.ceil(src.height * scale)))
        src.load()
        im = ImageOps.exif_transpose(src)
    line_art = False
    if fmt in ("PNG", "GIF"):
        has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
        colours = im.convert("RGBA").getcolors(LINE_ART_COLOURS)
        line_art = has_alpha or colours is not None
    if max(im.size) > MAX_SIDE:
        scale = MAX_SIDE / max(im.size)
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        # bicubic, shrunk by whole factors first past 3× (reducing_gap): a third of
        # Lanczos' time, no visible difference at reading sizes
        im = im.convert("RGBA" if line_art else "RGB").resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)
    out = io.BytesIO()
    if line_art:
        im = im.convert("RGBA") if im.mode not in ("RGBA", "RGB", "L", "LA", "P") else im
        im.save(out, format="PNG", optimize=True)
        media = "image/png"
    else:
        im = im.convert("L" if im.mode in ("L", "1", "I;16", "I") else "RGB")
        im.save(out, format="JPEG", quality=QUALITY, progressive=False, subsampling="4:2:0")
        media = "image/jpeg"
    return out.getvalue(), media, im.width, im.height


def prepare(issue: Issue) -> dict[str, EpubPhoto]:
    """``Block.image`` → the photo as the EPUB holds it (checked first: images.check_image)."""
    checked = P.load(issue)
    if not checked:
        return {}
    # Pillow lets go of the GIL while it decodes, resizes and encodes: threads use every
    # CPU, and each photo's bytes are its own whatever the order they finish in.
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1, len(checked)))) as pool:
        done = list(pool.map(reencode, [c.data for c in checked.values()]))
    out: dict[str, EpubPhoto] = {}
    for n, (rel, (data, media, w, h)) in enumerate(zip(checked, done), 1):
        ext = "png" if media == "image/png" else "jpg"
        out[rel] = EpubPhoto(f"images/photo-{n:02d}.{ext}", data, media, w, h)
    return out


def photo_cover(issue: Issue, alt: str) -> dict:
    """The generated cover over the issue's lead photo (``cover_photo``): the photo fills
    the page (EXIF turn applied, cropped to the cover's shape about its centre), the
    band with the masthead and issue label stands over its top, the publisher and date on
    a white foot; a JPEG (the same bytes for the same photo)."""
    from PIL import Image, ImageDraw, ImageOps

    from ..images import check_image
    from . import cover as C
    from .documents import book_title, date_label

    c = check_image(issue.meta.cover_photo, what="cover photo")
    with Image.open(io.BytesIO(c.data)) as src:
        src.load()
        photo = ImageOps.exif_transpose(src).convert("RGB")
    img = ImageOps.fit(photo, (C.WIDTH, C.HEIGHT), Image.Resampling.BICUBIC, centering=(0.5, 0.5))
    d = ImageDraw.Draw(img)
    band = int(C.HEIGHT * 0.24)
    d.rectangle([0, 0, C.WIDTH, band], fill=C.ACCENT)
    d.rectangle([0, band, C.WIDTH, band + 10], fill=C.ACCENT_DARK)
    m = issue.meta
    name = m.magazine or m.issue_label or book_title(issue)
    width = C.WIDTH - 2 * C.MARGIN
    spacing = 0.12 if len(name) <= 8 else 0.0
    font = C._fit(name, "hei-bold", int(width / (1 + spacing)), 170, 60)
    y = C._centered(d, int(band * 0.22), name, font, C.ON_ACCENT, spacing)
    if m.magazine and m.issue_label:
        C._centered(d, y + 10, m.issue_label, C._font("kai", 60), C.ON_ACCENT_SOFT, 0.05)
    bits = [b for b in (m.publisher, date_label(issue)) if b]
    if bits:
        foot = C.HEIGHT - 150
        d.rectangle([0, foot, C.WIDTH, C.HEIGHT], fill=(255, 255, 255))
        C._centered(d, foot + 50, "\u3000".join(bits), C._font("song", 34), C.INK_SOFT)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=QUALITY)
    return {"data": out.getvalue(), "media_type": "image/jpeg", "ext": "jpg", "width": C.WIDTH,
            "height": C.HEIGHT, "alt": alt}
