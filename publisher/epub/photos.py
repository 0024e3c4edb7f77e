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
