"""The issue's photos on the printed page (issue 16): each tied photo served to
WeasyPrint, under a name holding the digest of its bytes (:func:`served`), as the original file's checked bytes (the original pixels; with --print a
colour photo is separated into the print profile's CMYK by pdfx.print_image), set at the
width :func:`publisher.photos.placed_width` gives in the text block, and kept on one
page with its caption; a photo its EXIF orientation turns is turned here without loss
(its decoded pixels as PNG), not re-encoded by the renderer.  A screen PDF keeps a
photo's colours: a JPEG tagged with a profile other than sRGB goes in byte for byte and
is given its own profile after the render (:func:`tag_profiles`); a turned or PNG one
is converted to sRGB first (:func:`_for_screen`: WeasyPrint drops an image's profile). (``figure.photo { break-inside: avoid }`` in styles/pdf.css).
"""
from __future__ import annotations

import hashlib
import io

from .. import photos as P
from ..fetcher import allow_image
from ..model import Issue

PT_PER_MM = 72 / 25.4


def placements(issue: Issue, block_w_pt: float, block_h_pt: float, *, print_mode: bool = False,
               checked: dict | None = None) -> dict[str, dict]:
    """``Block.image`` → {src (a file: URL the fetcher serves), width (CSS length), alt}, of
    the ``checked`` photos (:func:`publisher.photos.load`; loaded here if not given).
    Printing, a colour photo is separated into the print profile's CMYK (pdfx.print_image)."""
    out: dict[str, dict] = {}
    checked = P.load(issue) if checked is None else checked
    widths = placed_widths({rel: P.oriented_size(c) for rel, c in checked.items()}, block_w_pt, block_h_pt)
    for rel, c in checked.items():
        width_mm = widths[rel]
        if print_mode:
            from .pdfx import load_profile, print_image

            turned = _turned(c.data)
            data, media = print_image(turned if turned is not None else c.data,
                                      "image/png" if turned is not None else c.media_type,
                                      load_profile(issue.meta.print_profile))
            src = served(c.path, data, media, "print")
        else:
            # a JPEG not turned keeps its bytes (its profile given by tag_profiles)
            shown = _for_screen(c.data, keep_profile=c.format == "JPEG")
            if shown is None:  # the file as it is: a JPEG goes into the PDF byte for byte
                src = served(c.path, c.data, c.media_type, "photo")
            else:
                src = served(c.path, shown, "image/png", "screen")
        out[rel] = {"src": src, "width": f"{width_mm:.2f}mm"}
    return out


_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


def served(path, data: bytes, media: str, role: str) -> str:
    """The file: URL the fetcher serves ``data`` at: a name of its own beside ``path``
    that is no file (WeasyPrint would re-read a file), holding the digest of the bytes
    served.  The HTML names each image by its content, so the part cache, keyed by a
    part's HTML (pdf/partcache.py), sees a replaced photo or cover by itself."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    return allow_image(path.with_name(f"{path.name}.{role}-{digest}.{_EXT.get(media, 'img')}"), data, media)


def jpeg_profiles(issue: Issue, checked: dict | None = None) -> dict[str, bytes]:
    """The ICC profile of each photo a screen PDF holds byte for byte (a JPEG its EXIF
    turns not) that is tagged with a profile other than sRGB, by the digest of its bytes:
    the image in the PDF is the file's own data, so :func:`tag_profiles` finds it there.
    ``checked``: the photos the render placed (loaded here if not given)."""
    from PIL import Image

    from ..images import is_srgb

    out: dict[str, bytes] = {}
    for c in (P.load(issue) if checked is None else checked).values():
        if c.format != "JPEG":
            continue
        with Image.open(io.BytesIO(c.data)) as im:  # the header only: no pixels decoded
            icc, mode = im.info.get("icc_profile"), im.mode
            turns = im.getexif().get(0x0112, 1) not in (1, None)  # served turned, as PNG
        if icc and not turns and mode in ("RGB", "CMYK", "L") and not is_srgb(icc):
            out[hashlib.sha256(c.data).hexdigest()] = icc
    return out


_COMPONENTS = {b"RGB ": 3, b"CMYK": 4, b"GRAY": 1}  # an ICC profile's colour space (header bytes 16-19)


def tag_profiles(pdf: bytes, profiles: dict[str, bytes]) -> bytes:
    """``pdf`` with each JPEG image whose data is a photo of ``profiles`` in its own ICC
    colour space (``[/ICCBased …]``; WeasyPrint writes DeviceRGB and drops the profile): the
    original pixels, shown in their own colours.  One stream per profile; saved as the
    assembler saves (deterministic)."""
    import pikepdf

    if not profiles:
        return pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        streams: dict[str, pikepdf.Object] = {}
        tagged = 0
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != pikepdf.Name.Image \
                    or obj.get("/Filter") != pikepdf.Name.DCTDecode:
                continue
            digest = hashlib.sha256(obj.read_raw_bytes()).hexdigest()
            icc = profiles.get(digest)
            n = _COMPONENTS.get(icc[16:20]) if icc else None
            if n is None or n != {"/DeviceRGB": 3, "/DeviceCMYK": 4, "/DeviceGray": 1}.get(str(obj.get("/ColorSpace"))):
                continue
            if digest not in streams:
                cs = pikepdf.Stream(doc, icc)
                cs.N = n
                streams[digest] = doc.make_indirect(cs)
            obj.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, streams[digest]])
            tagged += 1
        if not tagged:
            return pdf
        buf = io.BytesIO()
        doc.save(buf, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()


def _for_screen(data: bytes, *, keep_profile: bool = False) -> bytes | None:
    """The photo as a screen PDF shows it, when the file cannot go as it is: turned by its
    EXIF orientation, and in sRGB when tagged with another profile (WeasyPrint drops an
    image's profile, so an Adobe RGB photo would show dull), as PNG of the decoded
    pixels (nothing lost to a second JPEG encoding); else None.  ``keep_profile``: a
    photo its orientation does not turn goes as it is, whatever its profile."""
    from PIL import Image, ImageOps

    from ..images import to_srgb

    with Image.open(io.BytesIO(data)) as im:
        icc = im.info.get("icc_profile")
        turns = im.getexif().get(0x0112, 1) not in (1, None)
        if not turns and (not icc or keep_profile):
            return None
        im.load()
        shown = to_srgb(ImageOps.exif_transpose(im) if turns else im, icc)
        if not turns and shown is im:  # tagged sRGB (or a profile Little CMS cannot use)
            return None
    buf = io.BytesIO()
    shown = shown if shown.mode in ("RGB", "RGBA", "L", "LA", "P", "1") else shown.convert("RGB")
    shown.save(buf, format="PNG", icc_profile=None)
    return buf.getvalue()


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


def placed_widths(sizes: dict[str, tuple[int, int]], block_w_pt: float, block_h_pt: float) -> dict[str, float]:
    """``Block.image`` → the width in mm the page sets the photo of that size (as shown) at:
    the one rule (photos.placed_width) for the layout and for the R404 warnings."""
    return {rel: P.placed_width(w, h, block_w_pt, block_h_pt) / PT_PER_MM for rel, (w, h) in sizes.items()}


def dpi_warnings(issue: Issue, checked: dict | None = None, *,
                 sizes: dict[str, tuple[int, int]] | None = None) -> list[str]:
    """The photos that would print below 300 dpi at their placed size (R404 lines), of the
    checked photos (``build``) or of ``sizes`` read from their headers (``parse``)."""
    from .html import geometry

    g = geometry(issue.meta.page_size)
    if sizes is None:
        sizes = {rel: P.oriented_size(c) for rel, c in (P.load(issue) if checked is None else checked).items()}
    widths = placed_widths(sizes, g.block_width, g.block_height)
    return P.print_warnings({rel: (w, h, widths[rel]) for rel, (w, h) in sizes.items()})


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
    return served(c.path, data, media, "cover")
