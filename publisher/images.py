"""Images given by the user (a cover), checked by their content before any backend
uses them.

One check for the EPUB and the PDF (epub/cover.py, pdf/html.py): the path must be a
regular file (not a device such as ``/dev/zero``, not a FIFO: it is opened
non-blocking and checked with ``fstat`` on the open descriptor), at most
:data:`MAX_BYTES` long; its bytes must be an image Pillow reads as JPEG, PNG, GIF or
WebP (what both an EPUB reader and WeasyPrint show), of at most :data:`MAX_PIXELS`
pixels.  Markup (an SVG, whatever its file is named) is refused: an SVG is a
document that references other files and addresses, and the renderer would fetch
them.  A failure is a :class:`PublisherError` of one line.

The bytes checked are the bytes used: the caller gets them back (:class:`Checked`)
and hands them on, so the file is read once and cannot change between the check
and its use.
"""
from __future__ import annotations

import io
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import PublisherError

MAX_BYTES = 32 * 1024 * 1024  # 32 MiB: a print-resolution cover is a few MB
MAX_PIXELS = 40_000_000  # 40 Mpx: 16开 at 600 dpi is 4.4 k × 6.2 k = 27 Mpx
# Pillow's format name → (media type, file extension).
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
           "GIF": ("image/gif", "gif"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class Checked:
    path: Path
    data: bytes
    format: str  # a key of FORMATS
    width: int
    height: int

    @property
    def media_type(self) -> str:
        return FORMATS[self.format][0]

    @property
    def ext(self) -> str:
        return FORMATS[self.format][1]


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise PublisherError(f"{what} {path}: no such file") from None
    except OSError as e:
        raise PublisherError(f"{what} {path}: cannot be read ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PublisherError(f"{what} {path}: not a regular file")
        if st.st_size > limit:
            raise PublisherError(f"{what} {path}: {st.st_size} bytes, more than the limit of {limit}")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise PublisherError(f"{what} {path}: more than the limit of {limit} bytes")
        return b"".join(chunks)
    except OSError as e:
        raise PublisherError(f"{what} {path}: cannot be read ({e.strerror or e})") from None
    finally:
        os.close(fd)


def _is_markup(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\f\v\x00").lower()
    if head.startswith(b"<"):
        return True
    # UTF-16 text (with or without BOM) whose first character is "<"
    return head[:4] in (b"\xff\xfe<\x00", b"\xfe\xff\x00<") or head[:2] in (b"<\x00", b"\x00<")


def check_image(path: Path | str, *, what: str = "cover image", max_bytes: int = MAX_BYTES,
                max_pixels: int = MAX_PIXELS) -> Checked:
    """Read and check the image at ``path`` (see the module's docstring)."""
    from PIL import Image

    path = Path(path)
    data = read_regular(path, max_bytes, what)
    if not data:
        raise PublisherError(f"{what} {path}: empty file")
    if _is_markup(data):
        raise PublisherError(f"{what} {path}: markup (SVG, XML or HTML), not a JPEG, PNG, GIF or WebP image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as im:
                fmt, (w, h) = im.format, im.size
                if w * h > max_pixels:
                    raise PublisherError(f"{what} {path}: {w} × {h} pixels, more than the limit of {max_pixels}")
                im.verify()
    except PublisherError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise PublisherError(f"{what} {path}: more than the limit of {max_pixels} pixels "
                             f"(Pillow: {str(e).splitlines()[0]})") from None
    except Exception as e:  # Pillow raises OSError, SyntaxError, ValueError… on bad data
        raise PublisherError(f"{what} {path}: not a JPEG, PNG, GIF or WebP image Pillow can read "
                             f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})") from None
    if fmt not in FORMATS:  # pragma: no cover - Image.open was limited to FORMATS
        raise PublisherError(f"{what} {path}: {fmt} is not a JPEG, PNG, GIF or WebP image")
    return Checked(path=path, data=data, format=fmt, width=w, height=h)
