"""Bind the front matter and the rendered issues into one PDF with pikepdf.

* Pages are appended in book order (front matter, each issue, blank pages that pad a
  print book to a multiple of four); page boxes (MediaBox/TrimBox/BleedBox of print
  mode) travel with the pages.
* Links: WeasyPrint writes internal links as *named* destinations, and names repeat
  from issue to issue (``a01`` …).  Before copying, every link of a source PDF is
  resolved to (page index, x, y) in that PDF; after copying it gets an explicit
  destination ``[page /XYZ x y 0]`` in the book.  The general contents' links
  (``anthology:issue/…`` URIs, see :mod:`.front`) become destinations the same way.
  The link rectangles are untouched, so each still contains its printed page number.
* The outline is rebuilt: issue → column → article → heading, targets from the
  issues' own anchors.
* Page labels: lower-roman for the front matter, then decimal from 1, so every page's
  label is its printed folio.
* Written to a temp file beside ``out`` and renamed: never a half-written book.
"""
from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any

from ..errors import PublisherError
from .config import BookMeta
from .front import Front, parse_link_uri

_TARGET = "/PubTarget"


@dataclass
class _Source:
    pdf: Any  # pikepdf.Pdf
    start: int  # index of its first page in the book
    dests: dict[str, tuple[int, float | None, float | None]]


def _dest_tuple(pdf, value, index_of) -> tuple[int, float | None, float | None] | None:
    import pikepdf

    if isinstance(value, pikepdf.Dictionary) and "/D" in value:
        value = value.D
    if not isinstance(value, pikepdf.Array) or len(value) < 1:
        return None
    page = value[0]
    if _is_num(page):
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
        x = float(value[2]) if _is_num(value[2]) else None
        y = float(value[3]) if _is_num(value[3]) else None
    return idx, x, y


def _is_num(v) -> bool:
    try:
        float(v)
        return True
    except Exception:
        return False


def _named_dests(pdf, index_of) -> dict[str, tuple[int, float | None, float | None]]:
    import pikepdf

    out: dict[str, tuple[int, float | None, float | None]] = {}
    root = pdf.Root
    if "/Names" in root and "/Dests" in root.Names:
        for name, value in pikepdf.NameTree(root.Names.Dests).items():
            t = _dest_tuple(pdf, value, index_of)
            if t is not None:
                out[str(name)] = t
    if "/Dests" in root:  # PDF 1.1 style
        for name, value in root.Dests.items():
            t = _dest_tuple(pdf, value, index_of)
            if t is not None:
                out[str(name).lstrip("/")] = t
    return out


def _prepare(pdf, start: int, issue_sources: dict[int, "_Source"] | None = None) -> _Source:
    """Resolve every link of ``pdf`` to a placeholder ``/PubTarget [book_page x y]``."""
    import pikepdf

    index_of = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    src = _Source(pdf, start, _named_dests(pdf, index_of))
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


def _dest_array(book, page_index: int, x: float | None, y: float | None):
    import pikepdf

    page = book.pages[page_index]
    if y is None or y < 0:
        y = float(page.obj.get("/TrimBox", page.MediaBox)[3])
    left = x if x is not None and x >= 0 else 0
    return pikepdf.Array([page.obj, pikepdf.Name.XYZ, left, y, 0])


def _finish_links(book, first: int, count: int) -> None:
    """Placeholders → explicit destinations in the book.

    WeasyPrint writes one annotation per box of a link (the block and each inline part
    inside it, some overflowing to the right); those within the height of another one
    with the same target are dropped, so that every link's rectangle is the whole
    entry, printed page number included.
    """
    import pikepdf

    for pi in range(first, first + count):
        page = book.pages[pi].obj
        annots = page.get("/Annots")
        if annots is None:
            continue
        keep = []
        targets = []
        for annot in annots:
            t = annot.get(_TARGET)
            if t is None:
                keep.append(annot)
                targets.append(None)
                continue
            idx, x, y = int(t[0]), float(t[1]), float(t[2])
            if not 0 <= idx < len(book.pages):
                raise PublisherError(f"a link points past the end of the book (page {idx + 1})")
            annot.Dest = _dest_array(book, idx, x, y)
            del annot[_TARGET]
            keep.append(annot)
            targets.append((idx, x, y))
        page.Annots = pikepdf.Array(_merge_boxes(page, keep, targets))


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
        r = list(_rect(annot))
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


def _rect(annot) -> tuple[float, float, float, float]:
    return _rect_of(annot.get("/Rect", [0, 0, 0, 0]))


def merge_book(front: Front, placed, book_meta: BookMeta, out: str | Path, *, print_mode: bool) -> tuple[int, int]:
    """Write the bound book to ``out``; returns (page count, blank pages added)."""
    import pikepdf

    with warnings.catch_warnings():
        # pikepdf warns that copied pages lose named destinations: _prepare resolved them.
        warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
        return _merge_book(front, placed, book_meta, out, print_mode=print_mode)


def _merge_book(front: Front, placed, book_meta: BookMeta, out: Path, *, print_mode: bool) -> tuple[int, int]:
    import pikepdf

    out = Path(out)
    book = pikepdf.new()
    opened = []
    try:
        # Issues first (their named destinations are needed by the front matter's links).
        issue_sources: dict[int, _Source] = {}
        start = front.page_count
        for p in placed:
            pdf = pikepdf.open(p.entry.pdf_path)
            opened.append(pdf)
            if len(pdf.pages) != p.entry.page_count:
                raise PublisherError(f"{p.entry.pdf_path}: {len(pdf.pages)} pages, expected {p.entry.page_count}")
            issue_sources[p.index] = _prepare(pdf, start)
            start += len(pdf.pages)
        front_start = 0
        for path in front.pdf_paths:
            fpdf = pikepdf.open(path)
            opened.append(fpdf)
            _prepare(fpdf, front_start, issue_sources)
            book.pages.extend(fpdf.pages)
            front_start += len(fpdf.pages)
        if front_start != front.page_count:
            raise PublisherError(f"front matter has {front_start} pages, expected {front.page_count}")
        for p in placed:
            book.pages.extend(issue_sources[p.index].pdf.pages)
        blanks = 0
        if print_mode:
            blanks = (-len(book.pages)) % 4
            if blanks:
                if front.blanks_path is None:
                    raise PublisherError("print mode needs blank pages, but none were rendered")
                bpdf = pikepdf.open(front.blanks_path)
                opened.append(bpdf)
                for k in range(blanks):
                    book.pages.append(bpdf.pages[k])
        total = len(book.pages)
        _finish_links(book, 0, total)
        _outline(book, front, placed, issue_sources)
        _page_labels(book, front.page_count)
        _info(book, book_meta)
        _save(book, out)
        return total, blanks
    finally:
        book.close()
        for pdf in opened:
            pdf.close()


def _outline(book, front: Front, placed, sources: dict[int, _Source]) -> None:
    import pikepdf

    with book.open_outline() as outline:
        outline.root.clear()
        contents_page = _contents_page(book, front)
        outline.root.append(pikepdf.OutlineItem("总目录", _dest_array(book, contents_page, None, None)))
        for p in placed:
            s = sources[p.index]
            item = pikepdf.OutlineItem(p.title, _dest_array(book, s.start, None, None))
            col = None
            art = None
            for t in p.entry.toc:
                d = s.dests.get(t.get("anchor") or "")
                x, y = (d[1], d[2]) if d else (None, None)
                dest = _dest_array(book, s.start + int(t["page_index"]), x, y)
                node = pikepdf.OutlineItem(t["title"], dest)
                lvl = int(t["level"])
                if lvl == 1:
                    item.children.append(node)
                    col, art = node, None
                elif lvl == 2:
                    (col.children if col is not None else item.children).append(node)
                    art = node
                elif lvl == 3:
                    parent = art if art is not None else (col if col is not None else item)
                    parent.children.append(node)
            outline.root.append(item)


def _contents_page(book, front: Front) -> int:
    """The first front page with a link (the general contents), else the first page."""
    for i in range(front.page_count):
        if book.pages[i].obj.get("/Annots"):
            return i
    return 0


def _page_labels(book, front_pages: int) -> None:
    import pikepdf

    nums = pikepdf.Array()
    if front_pages:
        nums.extend([0, pikepdf.Dictionary(S=pikepdf.Name.r)])
    nums.extend([front_pages, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)])
    book.Root.PageLabels = book.make_indirect(pikepdf.Dictionary(Nums=nums))
    book.Root.PageMode = pikepdf.Name.UseOutlines


def _info(book, meta: BookMeta) -> None:
    import pikepdf

    book.Root.Lang = pikepdf.String("zh-CN")
    info = book.docinfo
    info[pikepdf.Name.Title] = meta.title
    if meta.publisher:
        info[pikepdf.Name.Author] = meta.publisher
    info[pikepdf.Name.Subject] = meta.title
    info[pikepdf.Name.Creator] = "publisher anthology"
    if meta.date:
        try:
            d = _date.fromisoformat(meta.date[:10])
            stamp = pikepdf.String(d.strftime("D:%Y%m%d000000Z"))
            info[pikepdf.Name.CreationDate] = stamp
            info[pikepdf.Name.ModDate] = stamp
        except ValueError:
            pass


def _save(book, out: Path) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        os.close(fd)
    except OSError as e:
        raise PublisherError(f"{out.parent}: cannot write output ({e.strerror})") from None
    try:
        import pikepdf

        book.save(tmp, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise PublisherError(f"{out}: cannot write output ({e.strerror})") from None
        raise
