"""Bind the front matter and the rendered issues into one PDF: pikepdf reads, we write.

* Pages go in book order (front matter, each issue, blank pages that pad a print book
  to a multiple of four); page boxes (MediaBox/TrimBox/BleedBox of print mode) travel
  with the pages.
* Memory does not grow with the book: the sources are read one at a time with
  pikepdf, and the objects each page needs are written straight to the output,
  renumbered, so only the cross-reference offsets, the link targets and the outline
  stay in memory.  The issues are written first, while the front matter is still
  being set (:class:`Binder`).  (pikepdf's own page copying keeps
  every copied object of every issue in memory until the book is saved: about 3 MB
  per issue, mostly the fonts' glyph-width arrays.)
* Links: WeasyPrint writes internal links as *named* destinations, and names repeat
  from issue to issue (``a01`` …).  Before copying, every link of a source PDF is
  resolved to (page index, x, y) in that PDF; after copying it gets an explicit
  destination ``[page /XYZ x y 0]`` in the book.  The general contents' links
  (``anthology:issue/…`` URIs, see :mod:`.front`) become destinations the same way.
  The link rectangles are untouched, so each still contains its printed page number.
* The outline is rebuilt: issue → column → article → heading, targets from the
  issues' own anchors.
* Fonts: the issues and the front matter come with placeholder font programs; each
  face is cut once for the glyphs of the whole book and embedded once
  (:class:`_BookFonts`).
* Page labels: lower-roman for the front matter, then decimal from 1, so every page's
  label is its printed folio.
* Written to a temp file beside ``out`` and renamed: never a half-written book.  The
  output is plain PDF 1.7 (a classic cross-reference table); ``qpdf --check`` passes.
* Print mode (PDF/X-4, pdf/pdfx.py): PDF 1.6, no annotations, the book's output
  intent (its ``print_profile``, else the default CMYK profile), XMP with the PDF/X
  version and the dates, /Trapped /False; the pages come marked and in CMYK from
  the issues' and the front matter's print renders.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any

from ..errors import PublisherError
from ..textio import atomic_output
from .config import BookMeta
from ..pdf.dests import named_dests as _named_dests, dest_tuple as _dest_tuple
from .front import Front, parse_link_uri

_TARGET = "/PubTarget"


@dataclass
class _Source:
    start: int  # index of its first page in the book
    dests: dict[str, tuple[int, float | None, float | None]]


def _prepare(pdf, start: int, issue_sources: dict[int, "_Source"] | None = None) -> _Source:
    """Resolve every link of ``pdf`` to a placeholder ``/PubTarget [book_page x y]``."""
    import pikepdf

    index_of = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    src = _Source(start, _named_dests(pdf, index_of))
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        for annot in annots:
            if annot.get("/Subtype") != pikepdf.Name.Link:
                continue
            target = None
            action = annot.get("/A")
            dest = annot.get("/Dest")
            if dest is None and action is not None and action.get("/S") == pikepdf.Name.GoTo:
                dest = action.get("/D")
            if dest is not None:
                if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                    t = src.dests.get(str(dest).lstrip("/") if isinstance(dest, pikepdf.Name) else str(dest))
                else:
                    t = _dest_tuple(pdf, dest, index_of)
                if t is not None:
                    target = (start + t[0], t[1], t[2])
            elif action is not None and action.get("/S") == pikepdf.Name.URI and issue_sources is not None:
                ref = parse_link_uri(str(action.URI))
                if ref is not None:
                    i, page_index, anchor = ref
                    s = issue_sources.get(i)
                    if s is None:
                        raise PublisherError(f"general contents links to issue {i + 1}, which is not in the book")
                    t = s.dests.get(anchor) if anchor else None
                    target = (s.start + t[0], t[1], t[2]) if t else (s.start + page_index, None, None)
            if target is not None:
                for k in ("/Dest", "/A"):
                    if k in annot:
                        del annot[k]
                annot[_TARGET] = pikepdf.Array([target[0], -1 if target[1] is None else target[1],
                                                -1 if target[2] is None else target[2]])
    return src


def _merge_boxes(page, annots: list, targets: list) -> list:
    """One annotation per link: boxes with the same target that share a line band
    become one, their union clipped to the page."""
    import pikepdf

    clip = _rect_of(page.get("/TrimBox", page.MediaBox))
    out: list = []
    clusters: list[tuple[tuple, list[float], Any]] = []  # (target, union rect, annotation kept)
    for annot, target in zip(annots, targets):
        if target is None:
            out.append(annot)
            continue
        r = list(_rect_of(annot.get("/Rect", [0, 0, 0, 0])))
        for t, u, kept in clusters:
            if t == target and r[1] < u[3] - 0.5 and u[1] < r[3] - 0.5:
                u[0], u[1], u[2], u[3] = min(u[0], r[0]), min(u[1], r[1]), max(u[2], r[2]), max(u[3], r[3])
                break
        else:
            clusters.append((target, r, annot))
            out.append(annot)
    for _, u, annot in clusters:
        x0, y0 = max(u[0], clip[0]), max(u[1], clip[1])
        x1, y1 = min(u[2], clip[2]), min(u[3], clip[3])
        annot.Rect = pikepdf.Array([round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3)])
    return out


def _rect_of(arr) -> tuple[float, float, float, float]:
    r = [float(v) for v in arr]
    return min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])


# ---------------------------------------------------------------------------
# The writer
# ---------------------------------------------------------------------------

_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _num(v) -> bytes:
    if isinstance(v, bool):
        return b"true" if v else b"false"
    if isinstance(v, int):
        return str(v).encode()
    f = float(v)
    if f == int(f) and abs(f) < 1e15:
        return str(int(f)).encode()
    return (f"{f:.6f}".rstrip("0").rstrip(".")).encode()


class _Writer:
    """Sequential PDF writer: objects in, offsets recorded, xref at the end."""

    def __init__(self, f, first_free: int, version: bytes = b"1.7"):
        self.f = f
        self.offsets: dict[int, int] = {}
        self.next = first_free
        self.f.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")

    def new(self) -> int:
        n = self.next
        self.next += 1
        return n

    def write(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[num] = self.f.tell()
        self.f.write(b"%d 0 obj\n" % num)
        self.f.write(body)
        if stream is not None:
            self.f.write(b"\nstream\n")
            self.f.write(stream)
            self.f.write(b"\nendstream")
        self.f.write(b"\nendobj\n")

    def finish(self, root: int, info: int, ident: bytes) -> None:
        size = max(self.offsets) + 1
        xref = self.f.tell()
        self.f.write(b"xref\n0 %d\n" % size)
        self.f.write(b"0000000000 65535 f \n")
        for n in range(1, size):
            off = self.offsets.get(n)
            self.f.write(b"%010d 00000 n \n" % off if off is not None else b"0000000000 65535 f \n")
        hexid = ident.hex().encode()
        self.f.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                     % (size, root, info, hexid, hexid, xref))


class _SourceWriter:
    """Copies the pages of one source PDF (and everything they use) into the book."""

    def __init__(self, w: _Writer, pdf, first_book_page: int, page_obj, page_top: list[float],
                 programs: dict[tuple[int, int], int] | None = None):
        self.w = w
        self.programs = programs or {}  # placeholder font program → the book's subset of that face
        self.pdf = pdf
        self.first = first_book_page
        self.page_obj = page_obj  # book page index → object number
        self.page_top = page_top
        self.map: dict[tuple[int, int], int] = {}
        self.pages = {p.obj.objgen: first_book_page + i for i, p in enumerate(pdf.pages)}
        self.todo: list = []

    def ref(self, obj) -> bytes:
        og = obj.objgen
        if og in self.programs:
            return b"%d 0 R" % self.programs[og]
        if og in self.pages:
            return b"%d 0 R" % self.page_obj(self.pages[og])
        n = self.map.get(og)
        if n is None:
            n = self.map[og] = self.w.new()
            self.todo.append(obj)
        return b"%d 0 R" % n

    def ser(self, v, top: bool = False) -> bytes:
        import pikepdf

        if isinstance(v, (bool, int, float)) or type(v).__name__ == "Decimal":
            return _num(v)
        if v is None:
            return b"null"
        if not top and getattr(v, "is_indirect", False):
            return self.ref(v)
        if isinstance(v, pikepdf.Dictionary) or isinstance(v, pikepdf.Stream):
            return self.dict_body(v)
        if isinstance(v, pikepdf.Array):
            # An array with no reference in it (glyph widths, rectangles) as pikepdf
            # writes it; with one, element by element, renumbering the references.
            flat = v.unparse()
            if b" R" not in flat:
                return flat
            return b"[" + b" ".join(self.ser(x) for x in v) + b"]"
        return v.unparse(resolved=True)

    def dict_body(self, d, skip=(), extra: dict[bytes, bytes] | None = None) -> bytes:
        import pikepdf

        parts = []
        for k in sorted(d.keys()):  # pikepdf gives a set: its order changes from process to process
            if k in skip:
                continue
            if k == _TARGET:
                t = d[k]
                parts.append(b"/Dest " + self.dest(int(t[0]), float(t[1]), float(t[2])))
                continue
            parts.append(pikepdf.Name(k).unparse() + b" " + self.ser(d[k]))
        for k, v in (extra or {}).items():
            parts.append(k + b" " + v)
        return b"<< " + b" ".join(parts) + b" >>"

    def dest(self, page: int, x: float, y: float) -> bytes:
        if y < 0:
            y = self.page_top.get(page, 0)
        return b"[%d 0 R /XYZ %s %s 0]" % (self.page_obj(page), _num(max(x, 0)), _num(y))

    def write_object(self, obj) -> None:
        import pikepdf

        num = self.map[obj.objgen]
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            body = self.dict_body(obj.stream_dict, skip=("/Length",), extra={b"/Length": str(len(raw)).encode()})
            self.w.write(num, body, raw)
        else:
            self.w.write(num, self.ser(obj, top=True))

    def copy_pages(self, count: int | None = None, pages_root: int = 2) -> None:
        import pikepdf

        pages = list(self.pdf.pages)[: count if count is not None else None]
        for i, page in enumerate(pages):
            d = page.obj
            extra = {b"/Parent": b"%d 0 R" % pages_root}
            for key in _INHERITED:  # inherited attributes become the page's own
                if key not in d:
                    node = d.get("/Parent")
                    while node is not None and key not in node:
                        node = node.get("/Parent")
                    if node is not None:
                        extra[pikepdf.Name(key).unparse()] = self.ser(node[key])
            self.w.write(self.page_obj(self.first + i), self.dict_body(d, skip=("/Parent",), extra=extra))
            while self.todo:  # everything this page uses, depth first, written once
                self.write_object(self.todo.pop())


def _page_top(page) -> float:
    return _rect_of(page.obj.get("/TrimBox", page.MediaBox))[3]


class Binder:
    """The book written while it is being made:

    * :meth:`add` — an issue whose final pages exist; issues are copied in book order
      (one that arrives early waits for those before it), each as soon as it can be,
      so that the copying runs beside the renders of the later issues and the
      setting of the front matter;
    * :meth:`finish` — the front matter (its links resolved to the issues' pages),
      the blank pages of print mode, the book's fonts (each face cut once for the
      glyphs of every issue and of the front matter), the page tree, outline, page
      labels and trailer.

    Pages are addressed by one index: body pages ``0 … B−1`` (from the first page of
    the first issue), then the front matter's, then the blanks; the page tree puts
    them in book order.  The output is the same bytes whatever order the issues
    arrive in.  Used as a context manager: the output is a temp file renamed over
    ``out`` only when all went well.
    """

    def __init__(self, book_meta: BookMeta, out: str | Path, *, print_mode: bool,
                 font_cache: Path | None = None, profile=None):
        self.meta = book_meta
        self.out = Path(out)
        self.print_mode = print_mode
        if print_mode and profile is None:
            from ..pdf.pdfx import load_profile

            profile = load_profile(book_meta.print_profile)
        self.profile = profile  # printing: the output intent's CMYK profile (pdf/pdfx.py)
        self.font_cache = font_cache
        self.placed: list = []  # copied issues, in book order
        self.issue_sources: dict[int, _Source] = {}
        self.page_top: dict[int, float] = {}  # page index → top of its trim box
        self.page_nums: dict[int, int] = {}  # page index → object number
        self.body_pages = 0  # pages of the issues copied so far
        self._pending: dict[int, Any] = {}  # issues that arrived before an earlier one
        self._next = 0
        self._fonts: _BookFonts | None = None
        self._stack = None
        self._w: _Writer | None = None
        self.front_pages = 0  # front matter pages bound (finish)

    def __enter__(self) -> "Binder":
        from contextlib import ExitStack

        self._stack = ExitStack()
        f = self._stack.enter_context(atomic_output(self.out))
        self._w = _Writer(f, first_free=3, version=b"1.6" if self.print_mode else b"1.7")
        return self

    def __exit__(self, *exc) -> None:
        self._stack.__exit__(*exc)

    def begin(self, issue_keys: list[str]) -> None:
        """The issues of the book, by content (their fonts' subset tags are made from it)."""
        seed = hashlib.sha256("|".join(issue_keys).encode()).digest()
        self._fonts = _BookFonts(self.font_cache, seed)

    def page_obj(self, j: int) -> int:
        return self.page_nums[j]

    def add(self, placed) -> None:
        """Copy the issue ``placed`` (a PlacedIssue: index, first folio, entry) into the
        book, after every earlier issue."""
        self._pending[placed.index] = placed
        while self._next in self._pending:
            self._copy(self._pending.pop(self._next))
            self._next += 1

    def _copy(self, p) -> None:
        import pikepdf

        assert self._w is not None and self._fonts is not None, "Binder: begin() inside the with block"
        w, start = self._w, p.first_folio - 1
        if start != self.body_pages:
            raise PublisherError(f"{p.entry.pdf_path}: starts on page {p.first_folio}, "
                                 f"expected {self.body_pages + 1} (internal error)")
        with pikepdf.open(p.entry.pdf_path) as pdf:
            if len(pdf.pages) != p.entry.page_count:
                raise PublisherError(f"{p.entry.pdf_path}: {len(pdf.pages)} pages, expected {p.entry.page_count}")
            for i, pg in enumerate(pdf.pages):
                self.page_top[start + i] = _page_top(pg)
                self.page_nums[start + i] = w.new()
            self.issue_sources[p.index] = _copy_source(w, pdf, start, self.page_obj, self.page_top, None,
                                                       book_fonts=self._fonts, links=not self.print_mode)
        self.body_pages += p.entry.page_count
        self.placed.append(p)

    def finish(self, front: Front) -> tuple[int, int]:
        """The front matter, the book's fonts and everything that depends on the front
        matter's length; returns (page count, blank pages added).  A print book's
        interior starts without the cover and its blank verso (front.COVER_PAGES):
        the cover is a spread of its own (cover.py); the roman page labels still
        match the printed folios."""
        import pikepdf

        from .front import COVER_PAGES

        w, body = self._w, self.body_pages
        assert w is not None and self._fonts is not None
        if self._pending:
            raise PublisherError(f"issue {self._next + 1} never arrived (internal error)")
        skip = COVER_PAGES if self.print_mode and front.page_count > COVER_PAGES else 0
        front_tops: list[float] = []
        contents = None  # the general contents' first page: the front matter's first with links
        for j, path in enumerate(front.pdf_paths):
            with pikepdf.open(path) as pdf:
                for k, pg in enumerate(pdf.pages):
                    if j == 0 and k < skip:
                        continue
                    if contents is None and pg.obj.get("/Annots"):
                        contents = len(front_tops)
                    front_tops.append(_page_top(pg))
        fp = front.page_count - skip
        self.front_pages = fp
        if len(front_tops) != fp:
            raise PublisherError(f"front matter has {len(front_tops)} pages, expected {fp}")
        blanks = (-(fp + body)) % 4 if self.print_mode else 0
        if blanks and front.blanks_path is None:
            raise PublisherError("print mode needs blank pages, but none were rendered")
        if blanks:
            with pikepdf.open(front.blanks_path) as pdf:
                front_tops += [_page_top(pg) for pg in list(pdf.pages)[:blanks]]
        for k, top in enumerate(front_tops):
            self.page_top[body + k] = top
            self.page_nums[body + k] = w.new()
        first = body
        for j, path in enumerate(front.pdf_paths):
            with pikepdf.open(path) as pdf:
                if j == 0:
                    for _ in range(skip):
                        del pdf.pages[0]
                _copy_source(w, pdf, first, self.page_obj, self.page_top, self.issue_sources,
                             book_fonts=self._fonts, links=not self.print_mode)
                first += len(pdf.pages)
        if blanks:
            with pikepdf.open(front.blanks_path) as pdf:
                _copy_source(w, pdf, body + fp, self.page_obj, self.page_top, None, count=blanks,
                             links=not self.print_mode)
        self._fonts.write(w)  # every glyph of the book is known now
        total = fp + body + blanks
        order = list(range(body, body + fp)) + list(range(body)) + list(range(body + fp, total))
        w.write(2, b"<< /Type /Pages /Count %d /Kids [%s] >>"
                % (total, b" ".join(b"%d 0 R" % self.page_obj(j) for j in order)))
        outlines = _write_outline(w, body + (contents or 0), self.placed, self.issue_sources,
                                  self.page_obj, self.page_top)
        roman = b"<< /S /r /St %d >>" % (skip + 1) if skip else b"<< /S /r >>"
        labels = (b"<< /Nums [0 %s %d << /S /D /St 1 >>] >>" % (roman, fp) if fp
                  else b"<< /Nums [0 << /S /D /St 1 >>] >>")
        ident = hashlib.sha256(b"".join(str(p.entry.key).encode() for p in self.placed) +
                               self.meta.title.encode() + b"%d" % total).digest()[:16]
        info_body = _info(self.meta, print_mode=self.print_mode)
        extra = b""
        if self.print_mode:
            extra = self._pdfx(w, info_body, ident)
        w.write(1, b"<< /Type /Catalog /Pages 2 0 R /Outlines %d 0 R /PageMode /UseOutlines /PageLabels %s"
                b" /Lang %s%s >>" % (outlines, labels, pikepdf.String("zh-CN").unparse(), extra))
        info = w.new()
        w.write(info, info_body)
        w.finish(1, info, ident)
        return total, blanks

    def _pdfx(self, w: _Writer, info_body: bytes, ident: bytes) -> bytes:
        """The output intent and the XMP of a PDF/X-4 book (pdf/pdfx.py): their
        objects written, the catalog's entries returned."""
        import uuid
        import zlib

        import pikepdf

        from ..pdf import pdfx

        entries, data = pdfx.output_intent(self.profile)
        icc = w.new()
        packed = zlib.compress(data, 6)
        w.write(icc, b"<< /N 4 /Length %d /Filter /FlateDecode >>" % len(packed), packed)
        intent = w.new()
        w.write(intent, b"<< /Type /OutputIntent /S /GTS_PDFX /DestOutputProfile %d 0 R %s >>" % (
            icc, b" ".join(b"/%s %s" % (k.encode(), pikepdf.String(v).unparse()) for k, v in entries.items())))
        info = pikepdf.Object.parse(info_body)  # the Info entries as text, for the XMP
        fields = {str(k): str(v) for k, v in info.items() if isinstance(v, pikepdf.String)}
        xmp = pdfx.xmp_packet(fields, str(uuid.UUID(bytes=ident, version=5)))
        meta = w.new()
        w.write(meta, b"<< /Type /Metadata /Subtype /XML /Length %d >>" % len(xmp), xmp)
        return b" /OutputIntents [%d 0 R] /Metadata %d 0 R" % (intent, meta)


def _copy_source(w: _Writer, pdf, first: int, page_obj, page_top, issue_sources, count: int | None = None,
                 book_fonts: "_BookFonts | None" = None, links: bool = True) -> _Source:
    """Copy ``pdf``'s pages into the book from page ``first``; returns its anchors.
    ``links=False`` (a print book): no annotations are copied."""
    import pikepdf

    src = _prepare(pdf, first, issue_sources)
    programs = book_fonts.adopt(pdf, w) if book_fonts is not None else {}
    for page in pdf.pages:  # one annotation per link, its rectangle the whole entry
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        if not links:
            del page.obj["/Annots"]
            continue
        keep, targets = [], []
        for annot in annots:
            t = annot.get(_TARGET)
            keep.append(annot)
            targets.append(None if t is None else (int(t[0]), float(t[1]), float(t[2])))
        page.obj.Annots = pikepdf.Array(_merge_boxes(page.obj, keep, targets))
    _SourceWriter(w, pdf, first, page_obj, page_top, programs).copy_pages(count)
    return src


class _BookFonts:
    """One subset per face for the whole book.  The issues come with placeholder
    font programs (pdf/fontmerge.py).  As each issue is copied, its font dictionaries
    of a face are renamed to the book's subset of that face and pointed at one
    program object, numbered then and written at the end (:meth:`write`), cut once
    for the glyphs of every issue and of the front matter.  The subset tag is made from the book's issues
    (``seed``): the names are known before the last glyph is."""

    def __init__(self, cache: Path | None = None, seed: bytes = b""):
        from ..pdf.fonts import pdf_font_files

        self.files = pdf_font_files()
        self.cache = cache
        self.seed = seed
        self.glyphs: dict[str, set[int]] = {}
        self.objects: dict[str, int] = {}
        self.names: dict[str, str] = {}

    def adopt(self, pdf, w: "_Writer") -> dict[tuple[int, int], int]:
        """Gather ``pdf``'s glyphs and rename its placeholder fonts to the book's
        subsets; placeholder program → the object number of the book's program of that face."""
        import pikepdf

        from ..pdf.fontmerge import placeholder_fonts, tagged_name, used_glyphs

        out: dict[tuple[int, int], int] = {}
        for name, f, desc_font, fd, key in list(placeholder_fonts(pdf, self.files)):
            self.glyphs.setdefault(name, set()).update(used_glyphs(desc_font))
            if name not in self.objects:
                self.objects[name] = w.new()
                self.names[name] = tagged_name(name, self.seed)
            out[fd[key].objgen] = self.objects[name]
            f.BaseFont = desc_font.BaseFont = fd.FontName = pikepdf.Name("/" + self.names[name])
        return out

    def write(self, w: "_Writer") -> None:
        from ..pdf.fontmerge import program_extra

        for name, (head, length, packed) in sorted(self._programs().items()):
            extra = b" ".join(k.encode() + b" " + (v.encode() if isinstance(v, str) else b"%d" % v)
                              for k, v in program_extra(head, length).items())
            w.write(self.objects[name], b"<< /Filter /FlateDecode /Length %d %s >>" % (len(packed), extra), packed)

    def _programs(self) -> dict[str, tuple[bytes, int, bytes]]:
        """Each face cut for the book's glyphs, from the font cache where it was cut
        for the same glyphs before (keyed by the font file's identity and the glyphs)."""
        from ..pdf.fontmerge import cut_faces
        from ..textio import atomic_write

        out: dict[str, tuple[bytes, int, bytes]] = {}  # name → (first bytes, length, deflated)
        keys: dict[str, Path] = {}
        for name in self.glyphs:
            if self.cache is None:
                continue
            path = self.files[name]
            st = path.stat()
            h = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}|{name}|".encode())
            h.update(b",".join(b"%d" % g for g in sorted(self.glyphs[name])))
            # A cut is kept as: its length (4 bytes), its first 4 bytes, the SHA-256 of
            # the deflated program, the deflated program.  A damaged file is cut again.
            keys[name] = self.cache / f"{h.hexdigest()[:40]}.cut"
            try:
                blob = keys[name].read_bytes()
                if len(blob) > 40 and hashlib.sha256(blob[40:]).digest() == blob[8:40]:
                    out[name] = (blob[4:8], int.from_bytes(blob[:4], "big"), blob[40:])
                    os.utime(keys[name])
            except OSError:
                pass
        todo = {n: g for n, g in self.glyphs.items() if n not in out}
        for name, (data, packed) in cut_faces(self.files, todo).items() if todo else ():
            out[name] = (data[:4], len(data), packed)
            if name in keys:
                try:
                    keys[name].parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(keys[name], len(data).to_bytes(4, "big") + data[:4] +
                                 hashlib.sha256(packed).digest() + packed)
                except OSError:
                    pass
        return out


def _write_outline(w: _Writer, contents_page: int, placed, sources: dict[int, _Source], page_obj,
                   page_top) -> int:
    """Outline objects (总目录 at page ``contents_page``, then issue → column → article →
    heading); returns the root's number."""
    import pikepdf

    class Node:
        def __init__(self, title: str, page: int, x: float | None = None, y: float | None = None):
            self.title, self.page, self.x, self.y = title, page, x, y
            self.kids: list[Node] = []
            self.num = 0

    root = Node("", 0)
    root.kids.append(Node("总目录", contents_page))
    for p in placed:
        s = sources[p.index]
        item = Node(p.title, s.start)
        col = art = None
        for t in p.entry.toc:
            d = s.dests.get(t.get("anchor") or "")
            node = Node(t["title"], s.start + int(t["page_index"]), d[1] if d else None, d[2] if d else None)
            lvl = int(t["level"])
            if lvl == 1:
                item.kids.append(node)
                col, art = node, None
            elif lvl == 2:
                (col.kids if col is not None else item.kids).append(node)
                art = node
            elif lvl == 3:
                (art or col or item).kids.append(node)
        root.kids.append(item)

    def number(n: Node) -> None:
        n.num = w.new()
        for k in n.kids:
            number(k)

    number(root)

    def emit(n: Node, parent: Node | None, prev: Node | None, nxt: Node | None) -> None:
        if parent is None:
            body = b"<< /Type /Outlines"
            if n.kids:
                body += b" /First %d 0 R /Last %d 0 R /Count %d" % (n.kids[0].num, n.kids[-1].num, len(n.kids))
            w.write(n.num, body + b" >>")
        else:
            y = n.y if n.y is not None and n.y >= 0 else page_top[n.page]
            x = n.x if n.x is not None and n.x >= 0 else 0
            body = b"<< /Title " + pikepdf.String(n.title).unparse() + b" /Parent %d 0 R" % parent.num
            body += b" /Dest [%d 0 R /XYZ %s %s 0]" % (page_obj(n.page), _num(x), _num(y))
            if prev is not None:
                body += b" /Prev %d 0 R" % prev.num
            if nxt is not None:
                body += b" /Next %d 0 R" % nxt.num
            if n.kids:  # closed: a negative count
                body += b" /First %d 0 R /Last %d 0 R /Count -%d" % (n.kids[0].num, n.kids[-1].num, len(n.kids))
            w.write(n.num, body + b" >>")
        for i, k in enumerate(n.kids):
            emit(k, n, n.kids[i - 1] if i else None, n.kids[i + 1] if i + 1 < len(n.kids) else None)

    emit(root, None, None, None)
    return root.num


def _info(meta: BookMeta, print_mode: bool = False) -> bytes:
    """The book's Info dictionary; printing (PDF/X-4) it always has its dates (the
    book's date, else as a single issue's: pdf/html.py iso_date), /Trapped and the
    PDF/X version."""
    import pikepdf

    parts = [b"/Title " + pikepdf.String(meta.title).unparse(),
             b"/Subject " + pikepdf.String(meta.title).unparse(),
             b"/Creator " + pikepdf.String("publisher anthology").unparse()]
    if meta.publisher:
        parts.append(b"/Author " + pikepdf.String(meta.publisher).unparse())
    day = None
    if meta.date:
        try:
            day = _date.fromisoformat(meta.date[:10]).strftime("%Y%m%d000000")
        except ValueError:
            pass
    if day is None and print_mode:
        from ..model import Issue, Meta
        from ..pdf.html import iso_date

        year = meta.year[:4]
        iso = iso_date(Issue(meta=Meta(year=int(year) if year.isdigit() else None)))
        day = iso[:19].replace("-", "").replace(":", "").replace("T", "")
    if day is not None:
        stamp = pikepdf.String(f"D:{day}Z").unparse()
        parts += [b"/CreationDate " + stamp, b"/ModDate " + stamp]
    if print_mode:
        from ..pdf.pdfx import PDFX_VERSION

        parts += [b"/Trapped /False", b"/GTS_PDFXVersion " + pikepdf.String(PDFX_VERSION).unparse(),
                  b"/Producer " + pikepdf.String("publisher").unparse()]
    return b"<< " + b" ".join(parts) + b" >>"
