"""The issue's photos in the e-book (issue 16): each tied photo re-encoded for reading
devices — EXIF orientation applied, long side at most :data:`MAX_SIDE` px, colours
converted to sRGB when the photo is tagged with another profile, metadata
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
from pathlib import Path

from .. import photos as P
from ..images import to_srgb
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


def fit(width: int, height: int) -> tuple[int, int]:
    """The size a photo of ``width`` × ``height`` (as shown) has in the e-book: its long
    side at most :data:`MAX_SIDE`, its aspect kept (rounded, at least 1 px)."""
    if max(width, height) <= MAX_SIDE:
        return width, height
    scale = MAX_SIDE / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _orientation(im) -> int:
    try:
        return int(im.getexif().get(0x0112, 1) or 1)
    except Exception:  # a damaged EXIF block turns nothing
        return 1


def reencode(data: bytes) -> tuple[bytes, str, int, int]:
    """(bytes, media type, width, height) of a checked image made ready for a reading device.

    One decode: a JPEG of at least twice :data:`MAX_SIDE` is decoded by libjpeg at 1/2,
    1/4 or 1/8 scale (still at least the target size); the EXIF turn is applied only when
    there is one (no copy otherwise); the size is :func:`fit` of the photo as shown, so the
    document's ``width``/``height`` are known before the photo is encoded."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as src:
        fmt = src.format
        turn = _orientation(src)
        shown = (src.height, src.width) if turn in (5, 6, 7, 8) else src.size
        size = fit(*shown)
        if fmt == "JPEG" and max(src.size) >= 2 * MAX_SIDE:
            scale = size[0] / shown[0]
            src.draft(src.mode if src.mode in ("RGB", "L") else None,
                      (math.ceil(src.width * scale), math.ceil(src.height * scale)))
        src.load()
        icc = src.info.get("icc_profile")
        im = ImageOps.exif_transpose(src) if turn != 1 else src
        if im.mode == "CMYK":  # separated back by its profile, before any plain conversion
            im, icc = to_srgb(im, icc), None
        line_art = False
        if fmt in ("PNG", "GIF"):
            has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
            colours = im.convert("RGBA").getcolors(LINE_ART_COLOURS)
            line_art = has_alpha or colours is not None
        if not line_art and im.mode not in ("L", "RGB"):
            im = im.convert("L" if im.mode in ("1", "I;16", "I") else "RGB")
        if im.size != size:
            # bicubic, shrunk by whole factors first past 3× (reducing_gap)
            if line_art and im.mode not in ("RGBA", "RGB"):
                im = im.convert("RGBA")
            im = im.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)
        im = to_srgb(im, icc)  # after the resize: fewer pixels to convert
        out = io.BytesIO()
        if line_art:
            im = im.convert("RGBA") if im.mode not in ("RGBA", "RGB", "L", "LA", "P") else im
            im.save(out, format="PNG", optimize=True, icc_profile=None)
            media = "image/png"
        else:
            im.save(out, format="JPEG", quality=QUALITY, progressive=False, subsampling="4:2:0")
            media = "image/jpeg"
        return out.getvalue(), media, im.width, im.height


def _reencode_checked(c) -> tuple[bytes, str, int, int]:
    """:func:`reencode` of a checked photo; a photo that cannot be decoded after all (a
    truncated JPEG passes the header check) is one line naming it."""
    from ..errors import PublisherError

    try:
        return reencode(c.data)
    except PublisherError:
        raise
    except Exception as e:  # Pillow raises OSError, SyntaxError, ValueError… on bad data
        raise PublisherError(f"photo {c.path}: cannot be decoded, truncated or damaged "
                             f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})") from None


@dataclass(frozen=True)
class Shape:
    """Where and how large a photo stands in the e-book, known before it is encoded."""

    href: str
    media_type: str
    width: int
    height: int


class Pending:
    """The tied photos checked (now: a bad one fails here, before anything is built) and
    re-encoded in background threads while the rest of the e-book is made.  Pillow lets
    go of the GIL while it decodes, resizes and encodes, so the photos use the CPU the
    documents and fonts leave; each photo's bytes are its own whatever the order the
    threads finish in.  :meth:`shapes` for the documents, :meth:`result` for the package.
    With ``cache_dir`` (epub/photocache.py) a photo encoded before is taken from the disk
    and each one encoded here is kept there once all are done."""

    def __init__(self, issue: Issue, cache_dir: Path | None = None, checked: dict | None = None):
        self.checked = P.load(issue) if checked is None else checked  # (build checked them already)
        self._futures: dict[str, object] = {}
        self._done: dict[str, tuple[bytes, str, int, int]] = {}  # from the cache
        self._keys: dict[str, str] = {}
        self.cache = None
        if not self.checked:
            return
        if cache_dir is not None:
            from .photocache import PhotoCache

            self.cache = PhotoCache.open(cache_dir)
        if self.cache is not None:
            for rel, c in self.checked.items():
                self._keys[rel] = self.cache.key(c.data)
                hit = self.cache.get(self._keys[rel])
                if hit is not None:
                    self._done[rel] = hit
        todo = [rel for rel in self.checked if rel not in self._done]
        if not todo:
            return
        pool = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1, len(todo))))
        # PNG and GIF first: their media type (PNG line art or JPEG) is known only once decoded
        for rel in sorted(todo, key=lambda rel: self.checked[rel].format not in ("PNG", "GIF")):
            self._futures[rel] = pool.submit(_reencode_checked, self.checked[rel])
        pool.shutdown(wait=False)

    def _get(self, rel: str) -> tuple[bytes, str, int, int]:
        return self._done[rel] if rel in self._done else self._futures[rel].result()

    def _href(self, n: int, media: str) -> str:
        return f"images/photo-{n:02d}.{'png' if media == 'image/png' else 'jpg'}"

    def shapes(self) -> dict[str, Shape]:
        """``Block.image`` → its href, media type and size (waits only for PNG and GIF)."""
        out: dict[str, Shape] = {}
        for n, (rel, c) in enumerate(self.checked.items(), 1):
            if c.format in ("PNG", "GIF") or rel in self._done:
                _, media, w, h = self._get(rel)
            else:
                media, (w, h) = "image/jpeg", fit(*P.oriented_size(c))
            out[rel] = Shape(self._href(n, media), media, w, h)
        return out

    def result(self) -> dict[str, EpubPhoto]:
        """``Block.image`` → the photo as the EPUB holds it (waits for every one)."""
        out: dict[str, EpubPhoto] = {}
        for n, rel in enumerate(self.checked, 1):
            data, media, w, h = self._get(rel)
            out[rel] = EpubPhoto(self._href(n, media), data, media, w, h)
        if self.cache is not None and self._futures:
            for rel, f in self._futures.items():  # every photo encoded: none failed
                self._done[rel] = f.result()
                self.cache.put(self._keys[rel], self._done[rel])
            self._futures = {}
            self.cache.prune()
        return out


    def close(self) -> None:
        """Cancel the photos not yet begun (a build that failed); idempotent."""
        for f in self._futures.values():
            f.cancel()


def prepare(issue: Issue, cache_dir: Path | None = None) -> dict[str, EpubPhoto]:
    """``Block.image`` → the photo as the EPUB holds it (checked first: images.check_image)."""
    return Pending(issue, cache_dir).result()


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
