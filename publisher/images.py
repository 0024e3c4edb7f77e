"""Images given by the user (a cover), checked by their content before any backend
uses them.

One check for the EPUB and the PDF (epub/cover.py, pdf/html.py): the path must be a
regular file (not a device such as ``/dev/zero``, not a FIFO: it is opened
non-blocking and checked with ``fstat`` on the open descriptor), at most
:data:`MAX_BYTES` long; its bytes must be an image Pillow reads as JPEG, PNG, GIF or
WebP (what both an EPUB reader and WeasyPrint show), of at most :data:`MAX_PIXELS`
pixels, and its image data must reach its end (not truncated: JPEG, GIF, WebP; PNG's verify checks it).  Markup (an SVG, whatever its file is named) is refused: an SVG is a
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


def jpeg_scan_ends(data: bytes) -> bool:
    """Does the JPEG's image data reach its end (EOI) marker?  Pillow's ``verify`` does not
    decode a JPEG, so a truncated one (a download cut short) would pass and be embedded in
    the PDF as it is.  The segments before the first scan (SOS) are skipped by their lengths
    (an EXIF thumbnail holds a JPEG of its own, EOI included); in the scan data a 0xFF byte
    is always stuffed or a restart marker, so an EOI after it is the image's end."""
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        if marker == 0xFF:  # fill bytes
            i += 1
            continue
        if marker == 0xD9:
            return False  # EOI before any scan
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker == 0xDA:
            return data.find(b"\xff\xd9", i + 2 + length) >= 0
        i += 2 + length
    return False


def gif_blocks_end(data: bytes) -> bool:
    """Do the GIF's blocks run whole to its trailer (0x3B)?  ``verify`` reads only the
    header, and WeasyPrint lets Pillow load a cut image (grey rows, no error), so a GIF
    cut short is found by walking its blocks (GIF89a: header, screen descriptor and
    colour table, then extensions and images of length-prefixed sub-blocks)."""
    n = len(data)

    def sub_blocks(i: int) -> int:  # the index after a chain of sub-blocks, or -1
        while i < n:
            size = data[i]
            i += 1 + size
            if size == 0:
                return i if i <= n else -1
        return -1

    if n < 13:
        return False
    i = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    while 0 <= i < n:
        kind = data[i]
        if kind == 0x3B:
            return True
        if kind == 0x21:  # extension: label, sub-blocks
            i = sub_blocks(i + 2)
        elif kind == 0x2C:  # image: descriptor, local colour table, LZW code size, sub-blocks
            if i + 10 > n:
                return False
            flags = data[i + 9]
            i += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            i = sub_blocks(i + 1)
        else:
            return False
    return False


def webp_riff_whole(data: bytes) -> bool:
    """Does the WebP file hold all the bytes its RIFF header says it has?"""
    return len(data) >= 12 and len(data) >= 8 + int.from_bytes(data[4:8], "little")


# Pillow's verify does not find these cut short (see jpeg_scan_ends): format → test.
COMPLETE = {"JPEG": jpeg_scan_ends, "GIF": gif_blocks_end, "WEBP": webp_riff_whole}


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
    if fmt in COMPLETE and not COMPLETE[fmt](data):
        raise PublisherError(f"{what} {path}: a truncated {'WebP' if fmt == 'WEBP' else fmt} "
                             f"(its image data stops before its end)")
    return Checked(path=path, data=data, format=fmt, width=w, height=h)


def to_srgb(im, icc: bytes | None):
    """``im`` in sRGB (the e-book's photos, and the screen PDF's: WeasyPrint drops an
    image's profile): a photo tagged with another profile (Adobe RGB, Display P3…) is
    converted by Little CMS before its profile is stripped, so its colours stay; an
    untagged one, or one whose profile Little CMS cannot use, is taken as sRGB."""
    if not icc or im.mode not in ("RGB", "RGBA", "CMYK"):
        return im
    from PIL import ImageCms

    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if is_srgb(src):
            return im
        mode = "RGBA" if im.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (OSError, ValueError, ImageCms.PyCMSError):
        return im


def is_srgb(profile) -> bool:
    """Is the ICC profile (bytes, or an ImageCms profile) an sRGB one, by its description
    (``sRGB IEC61966-2.1``, ``sRGB built-in``)?  A profile Little CMS cannot read is not."""
    from PIL import ImageCms

    try:
        p = ImageCms.ImageCmsProfile(io.BytesIO(profile)) if isinstance(profile, bytes) else profile
        return "srgb" in (ImageCms.getProfileDescription(p) or "").lower().replace(" ", "")
    except (OSError, ValueError, ImageCms.PyCMSError):
        return False
