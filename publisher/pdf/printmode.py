"""Print mode: bleed, page boxes a print shop checks (crop marks: pdfx.py).

WeasyPrint sets the PDF BleedBox at most 10 pt outside the trim.  We ask it for a
``bleed`` of ``SLUG_MM`` (the slug that carries the crop marks, which pdfx.py
draws outside the 3 mm bleed in registration colour), and then set the boxes
exactly: TrimBox = the page, BleedBox = trim + 3 mm on each side, MediaBox
= trim + slug.  Backgrounds meant to bleed (the cover band) extend 3 mm past
the trim in the stylesheet.
"""
from __future__ import annotations

import io

from .html import BLEED_MM, PT_PER_MM

BLEED_PT = BLEED_MM * PT_PER_MM


def set_print_boxes(doc) -> None:
    """Every page's TrimBox as it is, BleedBox = TrimBox grown by 3 mm (pikepdf doc)."""
    import pikepdf

    for page in doc.pages:
        trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
        media = [float(v) for v in page.obj.MediaBox]
        bleed = [
            max(media[0], trim[0] - BLEED_PT), max(media[1], trim[1] - BLEED_PT),
            min(media[2], trim[2] + BLEED_PT), min(media[3], trim[3] + BLEED_PT),
        ]
        page.obj.TrimBox = pikepdf.Array([round(v, 4) for v in trim])
        page.obj.BleedBox = pikepdf.Array([round(v, 4) for v in bleed])


def finish_print(pdf: bytes, *, annotations: bool = True) -> bytes:
    """Set every page's BleedBox to its TrimBox grown by 3 mm, draw the crop marks in
    registration colour, drop needless transparency groups (pdfx.finish_pages; the
    annotations stay unless ``annotations`` is False); deterministic output."""
    import pikepdf

    from .pdfx import finish_pages

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        set_print_boxes(doc)
        finish_pages(doc, bleed_pt=BLEED_PT, annotations=annotations)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()
