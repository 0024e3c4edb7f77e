"""One issue's PDF from its typeset parts and its furniture document (pikepdf).

The furniture document (furniture.py) has one page per page of the issue, with the
running head, folio, page boxes, crop marks and the PDF's metadata; it becomes the
output.  Each part's page (units.py) is drawn under its furniture page as a form
XObject — moved right by ``shift`` on a verso, since parts are set as rectos — and
its links come along, moved the same way.  Then:

* links: a contents entry links with ``pubref:ID`` (the article is in another part),
  any other internal link with a named destination; each becomes a link to the
  named destination of the issue, one annotation per entry (the boxes WeasyPrint
  makes per line fragment are joined), its rectangle still around the printed number;
* every anchor of every part is a named destination of the issue (``[page /XYZ x y
  0]``; the anthology's merge finds articles by them too);
* the outline (column → article → top-level heading) is written from the contents
  entries, closed as WeasyPrint writes it;
* print mode: the page boxes of printmode.py.

Deterministic: objects are created in page order and the file is saved with a
content-derived ID.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable

from ..errors import PublisherError
from .dests import named_dests

REF_SCHEME = "pubref:"


@dataclass
class PlacedPart:
    pdf: bytes
    start: int  # index of its first page in the issue


@dataclass
class OutlineEntry:
    level: int
    title: str
    page_index: int
    anchor: str


def _form(out, page):
    """``page`` (of another PDF) as a form XObject of ``out``: same content, same
    resources, bounding box the whole media box (the bleed is kept)."""
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        streams = []
    elif isinstance(contents, pikepdf.Array):
        streams = list(contents)
    else:
        streams = [contents]
    if len(streams) == 1 and streams[0].get("/Filter") is not None:
        form = pikepdf.Stream(out, b"")
        parms = streams[0].get("/DecodeParms")
        form.write(streams[0].read_raw_bytes(), filter=pikepdf.Name(str(streams[0].Filter)),
                   decode_parms=None if parms is None else out.copy_foreign(parms))
    else:
        form = pikepdf.Stream(out, b"\n".join(s.read_bytes() for s in streams))
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = pikepdf.Array([float(v) for v in page.obj.MediaBox])
    resources = page.obj.get("/Resources")
    form.Resources = out.copy_foreign(resources) if resources is not None else pikepdf.Dictionary()
    if "/Group" in page.obj:
        form.Group = out.copy_foreign(page.obj.Group)
    return form


def _retag_fonts(form, salt: str, done: set) -> None:
    """Give the subset fonts of a part tags of their own: WeasyPrint derives the
    six-letter tag from the font description alone, so the parts' different subsets
    of one face would share a name (ISO 32000 §9.6.4: different subsets in one file
    shall have different tags)."""
    import hashlib

    import pikepdf

    fonts = (form.get("/Resources") or {}).get("/Font") or {}
    for _, f in fonts.items():
        if f.objgen in done:
            continue
        done.add(f.objgen)
        base = str(f.get("/BaseFont", ""))
        if "+" not in base:
            continue
        tag, name = base.lstrip("/").split("+", 1)
        digest = hashlib.sha256(f"{salt}|{tag}".encode()).digest()
        new = "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + name
        f.BaseFont = pikepdf.Name("/" + new)
        for d in f.get("/DescendantFonts") or []:
            d.BaseFont = pikepdf.Name("/" + new)
            if "/FontDescriptor" in d:
                d.FontDescriptor.FontName = pikepdf.Name("/" + new)
        if "/FontDescriptor" in f:
            f.FontDescriptor.FontName = pikepdf.Name("/" + new)


def _link_target(annot) -> str | None:
    """The anchor a part's link points to (``pubref:ID`` or a named destination)."""
    import pikepdf

    action = annot.get("/A")
    dest = annot.get("/Dest")
    if action is not None and action.get("/S") == pikepdf.Name.URI:
        uri = str(action.URI)
        return uri[len(REF_SCHEME):] if uri.startswith(REF_SCHEME) else None
    if dest is None and action is not None and action.get("/S") == pikepdf.Name.GoTo:
        dest = action.get("/D")
    if isinstance(dest, (pikepdf.String, pikepdf.Name)):
        name = str(dest)
        return name.lstrip("/") if isinstance(dest, pikepdf.Name) else name
    return None


def _join_boxes(boxes: list[tuple[str, list[float]]]) -> list[tuple[str, list[float]]]:
    """Boxes with the same target on the same line band become one (their union)."""
    out: list[tuple[str, list[float]]] = []
    for target, r in boxes:
        for t, u in out:
            if t == target and r[1] < u[3] - 0.5 and u[1] < r[3] - 0.5:
                u[0], u[1], u[2], u[3] = min(u[0], r[0]), min(u[1], r[1]), max(u[2], r[2]), max(u[3], r[3])
                break
        else:
            out.append((target, list(r)))
    return out


def _rect(arr) -> list[float]:
    r = [float(v) for v in arr]
    return [min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])]


def assemble(furniture: bytes, parts: Iterable[PlacedPart], *, shifts: list[float],
             outline: list[OutlineEntry], print_mode: bool, merge_fonts: bool = True,
             profile=None) -> bytes:
    """The issue's PDF: ``shifts[i]`` is how far page *i*'s part page moves right.
    ``merge_fonts=False`` leaves the font programs as placeholders (the anthology
    cuts each face once for the whole book).  Printing, ``profile`` (a
    pdfx.OutputProfile) is the output intent of the PDF/X-4 file, which has no links."""
    import pikepdf

    parts = list(parts)

    out = pikepdf.open(io.BytesIO(furniture))
    pages = list(out.pages)
    anchors: dict[str, tuple[int, float | None, float | None]] = {}
    links: dict[int, list[tuple[str, list[float]]]] = {}
    retagged: set = set()
    for k, part in enumerate(parts):
        src = pikepdf.open(io.BytesIO(part.pdf))
        src_pages = list(src.pages)
        if part.start + len(src_pages) > len(pages):
            raise PublisherError("a typeset part has more pages than the issue's furniture")
        index_of = {p.obj.objgen: j for j, p in enumerate(src_pages)}
        for name, (j, x, y) in named_dests(src, index_of).items():
            i = part.start + j
            anchors[name] = (i, None if x is None else x + shifts[i], y)
        for j, sp in enumerate(src_pages):
            i = part.start + j
            fp = pages[i]
            form = out.make_indirect(_form(out, sp))
            _retag_fonts(form, f"{k}", retagged)
            # WeasyPrint shares one resource dictionary between pages: each page
            # gets its own (same entries) that names its own part page.
            old = fp.obj.get("/Resources")
            res = pikepdf.Dictionary({k: v for k, v in old.items()} if old is not None else {})
            xobj = res.get("/XObject")
            res.XObject = pikepdf.Dictionary({k: v for k, v in xobj.items()} if xobj is not None else {})
            res.XObject.PubPart = form
            fp.obj.Resources = res
            dx = shifts[i]
            fp.contents_add(pikepdf.Stream(out, b"q 1 0 0 1 %s 0 cm /PubPart Do Q\n" % _num(dx)), prepend=True)
            for annot in sp.obj.get("/Annots") or []:
                if annot.get("/Subtype") != pikepdf.Name.Link:
                    continue
                target = _link_target(annot)
                if target is None:
                    continue
                r = _rect(annot.Rect)
                links.setdefault(i, []).append((target, [r[0] + dx, r[1], r[2] + dx, r[3]]))
        src.close()

    # The furniture's own links (the contents, set there) point at parts' anchors.
    for i, page in enumerate(pages):
        kept = []
        for annot in page.obj.get("/Annots") or []:
            target = _link_target(annot) if annot.get("/Subtype") == pikepdf.Name.Link else None
            if target is None:
                kept.append(annot)
            else:
                links.setdefault(i, []).append((target, _rect(annot.Rect)))
        if "/Annots" in page.obj:
            if kept:
                page.obj.Annots = pikepdf.Array(kept)
            else:
                del page.obj["/Annots"]

    def dest(name: str):
        where = anchors.get(name)
        if where is None:
            raise PublisherError(f"a link points to {name}, which is not in the issue")
        i, x, y = where
        top = _rect(pages[i].obj.get("/TrimBox", pages[i].obj.MediaBox))[3]
        return pikepdf.Array([pages[i].obj, pikepdf.Name.XYZ, round(max(x or 0, 0), 3),
                              round(top if y is None else y, 3), 0])

    for i in sorted(links):
        for target, _ in links[i]:
            dest(target)  # every link's target exists
        if print_mode:
            continue  # no annotations in a print file
        page = pages[i]
        clip = _rect(page.obj.get("/TrimBox", page.obj.MediaBox))
        annots = page.obj.get("/Annots")
        if annots is None:
            annots = page.obj.Annots = pikepdf.Array()
        for target, u in _join_boxes(links[i]):
            rect = [max(u[0], clip[0]), max(u[1], clip[1]), min(u[2], clip[2]), min(u[3], clip[3])]
            annots.append(out.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                Rect=pikepdf.Array([round(v, 3) for v in rect]), Border=pikepdf.Array([0, 0, 0]),
                F=4, Dest=pikepdf.String(target))))

    tree = pikepdf.NameTree.new(out)
    for name in sorted(anchors):
        tree[name] = dest(name)
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    out.Root.Names.Dests = tree.obj

    from .fonts import pdf_font_files
    from .fontmerge import merge_subsets

    if merge_fonts:
        merge_subsets(out, pdf_font_files())
    _write_outline(out, outline, anchors, dest)
    extra = {}
    if print_mode:
        from . import pdfx
        from .printmode import BLEED_PT, set_print_boxes

        set_print_boxes(out)
        pdfx.finish(out, profile or pdfx.load_profile(), bleed_pt=BLEED_PT,
                    document_id=pdfx.content_id(furniture, *(p.pdf for p in parts)))
        extra = pdfx.save_kwargs()
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate, **extra)
    out.close()
    return buf.getvalue()


def _write_outline(out, entries: list[OutlineEntry], anchors, dest) -> None:
    import pikepdf

    if not entries:
        return
    with out.open_outline() as outline:
        stack: list[tuple[int, object]] = []
        for e in entries:
            item = pikepdf.OutlineItem(e.title)
            item.destination = dest(e.anchor) if e.anchor in anchors else pikepdf.Array(
                [out.pages[e.page_index].obj, pikepdf.Name.XYZ, 0, 0, 0])
            item.is_closed = True
            while stack and stack[-1][0] >= e.level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((e.level, item))


def _num(v: float) -> bytes:
    if v == int(v):
        return b"%d" % int(v)
    return (f"{v:.4f}".rstrip("0").rstrip(".")).encode()
