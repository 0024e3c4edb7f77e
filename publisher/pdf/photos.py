"""The issue's photos on the printed page (issue 16): each tied photo served to
WeasyPrint as the original file's checked bytes (the original pixels; with --print a
colour photo is separated into the print profile's CMYK by pdfx.print_image), set at the
width :func:`publisher.photos.placed_width` gives in the text block, and kept on one
page with its caption; a photo its EXIF orientation turns is turned here without loss
(its decoded pixels as PNG), not re-encoded by the renderer (``figure.photo { break-inside: avoid }`` in styles/pdf.css).
"""
from __future__ import annotations

import hashlib
import io

from .. import photos as P
from ..fetcher import allow_image
from ..model import Issue

PT_PER_MM = 72 / 25.4


def placements(issue: Issue, block_w_pt: float, block_h_pt: float, *, print_mode: bool = False) -> dict[str, dict]:
    """``Block.image`` → {src (a file: URL the fetcher serves), width (CSS length), alt}.
    Printing, a colour photo is separated into the print profile's CMYK (pdfx.print_image)."""
    out: dict[str, dict] = {}
    for rel, c in P.load(issue).items():
        w, h = P.oriented_size(c)
        width_mm = P.placed_width(w, h, block_w_pt, block_h_pt) / PT_PER_MM
        turned = _turned(c.data)
        if print_mode:
            from .pdfx import load_profile, print_image

            data, media = print_image(turned if turned is not None else c.data,
                                      "image/png" if turned is not None else c.media_type,
                                      load_profile(issue.meta.print_profile))
            where = c.path.with_name(f"{c.path.name}.print-{hashlib.sha256(data).hexdigest()[:16]}"
                                     f".{'jpg' if media == 'image/jpeg' else 'png' if media == 'image/png' else 'img'}")
            src = allow_image(where, data, media)  # under a name of its own that is no file
        elif turned is None:  # the file as it is: a JPEG goes into the PDF byte for byte
            src = allow_image(c.path, c.data, c.media_type)
        else:  # served under a name of its own that is no file (WeasyPrint re-reads files)
            where = c.path.with_name(f"{c.path.name}.turned-{hashlib.sha256(turned).hexdigest()[:16]}.png")
            src = allow_image(where, turned, "image/png")
        out[rel] = {"src": src, "width": f"{width_mm:.2f}mm"}
    return out


def _turned(data: bytes) -> bytes | None:
    """A photo its EXIF orientation turns, turned here without loss (its decoded pixels,
    transposed, as PNG), else None.  WeasyPrint would turn it itself and encode the JPEG
    again, losing the original pixels."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as im:
        if im.getexif().get(0x0112, 1) in (1, None):
            return None
        turned = ImageOps.exif_transpose(im)
        buf = io.BytesIO()
        turned.save(buf, format="PNG")
        return buf.getvalue()


def dpi_warnings(issue: Issue, checked: dict | None = None) -> list[str]:
    """The photos that would print below 300 dpi at their placed size (R404 lines)."""
    from .html import geometry

    g = geometry(issue.meta.page_size)
    return P.print_warnings(issue, P.load(issue) if checked is None else checked,
                            g.block_width / PT_PER_MM, g.block_height / PT_PER_MM)


def cover_photo(issue: Issue, print_mode: bool) -> str:
    """The file: URL of ``cover_photo`` (checked by content), which the generated cover
    sets full bleed under its masthead; EXIF-turned here; in a print PDF through
    pdfx.print_image as a given cover is."""
    from ..images import check_image

    c = check_image(issue.meta.cover_photo, what="cover photo")
    turned = _turned(c.data)
    data, media = (turned, "image/png") if turned is not None else (c.data, c.media_type)
    if print_mode:
        from .pdfx import load_profile, print_image

        data, media = print_image(data, media, load_profile(issue.meta.print_profile))
    if data is c.data:
        return allow_image(c.path, data, media)
    ext = {"image/jpeg": "jpg", "image/png": "png"}.get(media, "img")
    return allow_image(c.path.with_name(f"{c.path.name}.cover-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"), data, media)
