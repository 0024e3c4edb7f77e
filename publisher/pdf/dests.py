"""Destinations of a PDF read back with pikepdf: where each named anchor points.

WeasyPrint writes every ``id`` of the document as a named destination; the issue
assembly (assemble.py) and the anthology's merge both move pages into another PDF
and re-point links and outline entries, so they need each anchor as (page index,
x, y) in its source.
"""
from __future__ import annotations


def dest_tuple(pdf, value, index_of) -> tuple[int, float | None, float | None] | None:
    import pikepdf

    if isinstance(value, pikepdf.Dictionary) and "/D" in value:
        value = value.D
    if not isinstance(value, pikepdf.Array) or len(value) < 1:
        return None
    page = value[0]
    if is_num(page):
        idx = int(page)
    else:
        try:
            idx = index_of.get(page.objgen)
        except AttributeError:
            return None
    if idx is None:
        return None
    x = y = None
    if len(value) >= 4 and str(value[1]) == "/XYZ":
        x = float(value[2]) if is_num(value[2]) else None
        y = float(value[3]) if is_num(value[3]) else None
    return idx, x, y


def is_num(v) -> bool:
    try:
        float(v)
        return True
    except Exception:
        return False


def named_dests(pdf, index_of) -> dict[str, tuple[int, float | None, float | None]]:
    import pikepdf

    out: dict[str, tuple[int, float | None, float | None]] = {}
    root = pdf.Root
    if "/Names" in root and "/Dests" in root.Names:
        for name, value in pikepdf.NameTree(root.Names.Dests).items():
            t = dest_tuple(pdf, value, index_of)
            if t is not None:
                out[str(name)] = t
    if "/Dests" in root:  # PDF 1.1 style
        for name, value in root.Dests.items():
            t = dest_tuple(pdf, value, index_of)
            if t is not None:
                out[str(name).lstrip("/")] = t
    return out
