"""Measure a rendered issue PDF: body lines, their ends, and what starts them.

Used by the tests (tests/test_cjk_typesetting.py) and the benchmark to check the
clreq acceptance on the real output: glyph positions come from pdfplumber.

A *body line* is a line of the main text set in the body font at the body size
(Pub Song 10.5 pt, with its run-in Hei bold leads); the *last line* of a
paragraph is recognised by what follows it: an indented first line of the next
paragraph, something that is not body text, or nothing.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .dests import dest_tuple, named_dests
from .html import BODY_SIZE, Geometry

CLOSING = "，。、；：？！）》」』】〕〉”’…—·"  # may not start a line (clreq §3.1.7)
CLOSING_HANG = "，。、；：？！）》」』】〕〉”’"  # may hang past the edge
PARAGRAPH_ENDS = "。！？）》」』】〕”：…"  # a line so ended may close its paragraph
OPENING = "（《「『【〔〈“‘"  # may not end a line


@dataclass
class Line:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    fonts: set[str]
    text: str
    chars: list = field(default_factory=list, repr=False)

    @property
    def is_body(self) -> bool:
        return abs(self.size - BODY_SIZE) < 0.05 and any("Song" in f or "Hei" in f for f in self.fonts) \
            and all(("Song" in f or "Hei" in f) for f in self.fonts)


def _font(name: str) -> str:
    return name.split("+", 1)[-1]


def lines_of(pdf: bytes) -> list[Line]:
    """Text lines of every page in reading order (top to bottom)."""
    import pdfplumber

    out: list[Line] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for pi, page in enumerate(doc.pages):
            chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
            chars.sort(key=lambda c: (round(c["bottom"], 0), c["x0"]))
            rows: list[list[dict]] = []
            for c in sorted(chars, key=lambda c: c["bottom"]):
                for row in reversed(rows[-3:]):
                    if abs(row[0]["bottom"] - c["bottom"]) < 1.5 and abs(row[0]["size"] - c["size"]) < 1.5:
                        row.append(c)
                        break
                else:
                    rows.append([c])
            for row in rows:
                row.sort(key=lambda c: c["x0"])
                # A row may hold separate blocks (a folio and a running head): split
                # at a gap wider than 4 em.
                groups = [[row[0]]]
                for c in row[1:]:
                    if c["x0"] - groups[-1][-1]["x1"] > 4 * c["size"]:
                        groups.append([c])
                    else:
                        groups[-1].append(c)
                for g in groups:
                    sizes = sorted(c["size"] for c in g)
                    out.append(Line(
                        page=pi, top=min(c["top"] for c in g), x0=g[0]["x0"], x1=max(c["x1"] for c in g),
                        size=sizes[len(sizes) // 2], fonts={_font(c["fontname"]) for c in g},
                        text="".join(c["text"] for c in g), chars=g,
                    ))
            out.sort(key=lambda ln: (ln.page, ln.top, ln.x0))
    return out


def block_edges(geom: Geometry, page_index: int, first_folio: int = 1, offset: float = 0.0) -> tuple[float, float]:
    """Left and right edge (pt) of the text block on a page; odd folios are rectos."""
    recto = (first_folio + page_index) % 2 == 1
    left = geom.inner if recto else geom.outer
    return offset + left, offset + left + geom.block_width


@dataclass
class JustificationReport:
    lines: int  # body lines that are not the last of their paragraph
    flush: int  # end within 0.5 pt of the edge (or hang a closing mark ≤ ½ em)
    short: list[Line]  # the others
    closing_starts: list[Line]  # body lines that start with a closing mark
    opening_ends: list[Line]  # body lines that end with an opening mark

    @property
    def ratio(self) -> float:
        return self.flush / self.lines if self.lines else 1.0


def justification(pdf: bytes, geom: Geometry, *, first_folio: int = 1, offset: float = 0.0,
                  lines: list[Line] | None = None) -> JustificationReport:
    """Check every body line of ``pdf`` against the text block's right edge.

    ``offset`` is the bleed/slug added around the trim in print mode (pt);
    ``lines`` may be given when the caller has them from :func:`lines_of`.
    """
    lines = lines if lines is not None else lines_of(pdf)
    checked = flush = 0
    short: list[Line] = []
    starts: list[Line] = []
    ends: list[Line] = []
    for i, ln in enumerate(lines):
        if not ln.is_body:
            continue
        left, right = block_edges(geom, ln.page, first_folio, offset)
        if ln.x0 < left - 1 or ln.x1 > right + BODY_SIZE:
            continue  # not in the text block (running head, folio)
        # —— and …… may open a paragraph (105's speech: "——李大钊同志是…的表率"): its
        # first line is indented; inside a paragraph they may not start a line
        opens_paragraph = ln.x0 > left + BODY_SIZE / 2
        if ln.text[0] in CLOSING and not (ln.text[0] in "—…" and opens_paragraph):
            starts.append(ln)
        if ln.text[-1] in OPENING:
            ends.append(ln)
        # The next line of text in reading order (skipping folios at the foot).
        nxt = None
        for m in lines[i + 1:]:
            ml, mr = block_edges(geom, m.page, first_folio, offset)
            if m.x0 < ml - 1 or m.x1 > mr + BODY_SIZE or m.size < 9.6:
                continue
            nxt = m
            break
        last = (
            nxt is None or not nxt.is_body
            or abs(nxt.x0 - (block_edges(geom, nxt.page, first_folio, offset)[0] + 2 * BODY_SIZE)) < 1.0
            # a one-line paragraph (opened by the indent, closed by its mark) before a
            # flush line: 105's dateline （2019年10月27日） above the salutation
            or opens_paragraph and ln.text[-1] in PARAGRAPH_ENDS
        )
        if last:
            continue
        checked += 1
        over = ln.x1 - right
        if abs(over) <= 0.5 or (0 < over <= BODY_SIZE / 2 + 0.5 and ln.text[-1] in CLOSING_HANG):
            flush += 1
        else:
            short.append(ln)
    return JustificationReport(checked, flush, short, starts, ends)


# ---- Links, outline, fonts ------------------------------------------------------

@dataclass
class ContentsLink:
    page: int  # page of the contents entry (0-based)
    number: str  # the digits printed inside the link rectangle
    dest_page: int  # page the link goes to (0-based)
    dest: str  # the named destination (anchor)


def _page_index(pdf) -> dict:
    return {p.obj.objgen: i for i, p in enumerate(pdf.pages)}


def _dest_page(pdf, dest, named: dict, index: dict) -> tuple[int | None, str]:
    """The page index a destination (a name, or an explicit one) points to, and its name."""
    import pikepdf

    name = ""
    if isinstance(dest, (pikepdf.String, str, pikepdf.Name)):
        name = str(dest).lstrip("/")
        where = named.get(name)
    else:
        where = dest_tuple(pdf, dest, index)
    return (where[0] if where else None), name


def contents_links(pdf_bytes: bytes) -> list[ContentsLink]:
    """Every internal link whose rectangle holds a printed number (contents entries)."""
    import pdfplumber
    import pikepdf

    found: dict[tuple[int, str], ContentsLink] = {}
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf, pdfplumber.open(io.BytesIO(pdf_bytes)) as plumb:
        index = _page_index(pdf)
        named = named_dests(pdf, index)
        for pi, page in enumerate(pdf.pages):
            annots = page.obj.get("/Annots") or []
            if not annots:
                continue
            height = float(page.obj.MediaBox[3])
            chars = plumb.pages[pi].chars
            for a in annots:
                if a.get("/Subtype") != "/Link":
                    continue
                dest = a.get("/Dest")
                if dest is None and "/A" in a and a.A.get("/S") == "/GoTo":
                    dest = a.A.D
                if dest is None:
                    continue
                dp, name = _dest_page(pdf, dest, named, index)
                if dp is None:
                    continue
                x0, y0, x1, y1 = (float(v) for v in a.Rect)
                top, bottom = height - max(y0, y1), height - min(y0, y1)
                inside = sorted(
                    (c for c in chars if c["x0"] >= min(x0, x1) - 0.5 and c["x1"] <= max(x0, x1) + 0.5
                     and c["top"] >= top - 1 and c["bottom"] <= bottom + 1),
                    key=lambda c: (round(c["bottom"]), c["x0"]),
                )
                text = "".join(c["text"] for c in inside)
                m = re.search(r"(\d+)\s*$", text)
                if not m:
                    continue
                key = (pi, name or str(dp))
                if key not in found:
                    found[key] = ContentsLink(pi, m.group(1), dp, name)
    return list(found.values())


@dataclass
class OutlineItem:
    level: int
    title: str
    page: int | None


def outline(pdf_bytes: bytes) -> list[OutlineItem]:
    import pikepdf

    out: list[OutlineItem] = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        index = _page_index(pdf)
        named = named_dests(pdf, index)

        def walk(items, level):
            for it in items:
                dest = it.destination
                if dest is None and it.action is not None:
                    dest = it.action.get("/D")
                page, _ = _dest_page(pdf, dest, named, index) if dest is not None else (None, "")
                out.append(OutlineItem(level, str(it.title), page))
                walk(it.children, level + 1)

        with pdf.open_outline() as ol:
            walk(ol.root, 1)
    return out


def page_texts(pdf_bytes: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as doc:
        return ["".join(c["text"] for c in p.chars) for p in doc.pages]


@dataclass
class GlyphCheck:
    fonts: set[str]  # base font names used for text
    missing: list[tuple[str, str]]  # (font, char) not in that font's cmap
    notdef: int  # glyphs without a Unicode mapping (.notdef or unmapped)


def glyph_check(pdf_bytes: bytes, font_files: dict[str, object]) -> GlyphCheck:
    """Every drawn character against the cmap of the manifest font it is drawn with.

    ``font_files`` maps a PDF base font name without subset tag (``Pub-Song``,
    ``Pub-Kai-Bold``…) to the font file; a font not in it is reported in ``fonts``
    for the caller to reject, and its characters as missing.
    """
    import pdfplumber
    from fontTools.ttLib import TTFont

    cmaps: dict[str, set[int]] = {}
    fonts: set[str] = set()
    missing: set[tuple[str, str]] = set()
    notdef = 0
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as doc:
        for page in doc.pages:
            for c in page.chars:
                font = _font(c["fontname"])
                fonts.add(font)
                t = c["text"]
                if t.startswith("(cid:") or t == "\ufffd":
                    notdef += 1
                    continue
                if font not in cmaps:
                    path = font_files.get(font)
                    cmaps[font] = set(TTFont(str(path), lazy=True).getBestCmap()) if path else set()
                for ch in t:
                    if ord(ch) not in cmaps[font] and not ch.isspace():
                        missing.add((font, ch))
    return GlyphCheck(fonts, sorted(missing), notdef)


@dataclass
class EmbeddedCheck:
    fonts: dict[str, str]  # PDF base font (no subset tag) → file it was matched to, or ""
    glyphs: int  # (font, glyph) pairs checked
    wrong: list[tuple[str, str, int, int | None]]  # (font, char, drawn gid, cmap gid)


def embedded_glyphs_check(pdf_bytes: bytes, font_files: dict[str, object]) -> EmbeddedCheck:
    """Each embedded font's glyphs against the cmap of the manifest file it names.

    WeasyPrint keeps the original glyph ids (CIDToGIDMap /Identity), and its
    ToUnicode CMap says which character each glyph was drawn for, so for every
    glyph we can ask the original font which glyph it has for that character: a
    different answer means the glyph came from another font (a fallback, or a face
    sharing our family name), 0 means .notdef.  Glyphs for a character the cmap maps
    elsewhere are accepted only as the font's own GSUB alternates (vertical forms and
    the like are not used here, so they are reported).
    """
    import pikepdf
    from fontTools.ttLib import TTFont

    loaded: dict[str, object] = {}
    fonts: dict[str, str] = {}
    wrong: list = []
    seen: set[tuple[str, int]] = set()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for f in page_fonts(pdf):
                base = str(f.BaseFont).lstrip("/").split("+", 1)[-1]
                path = font_files.get(base)
                fonts[base] = str(path or "")
                if path is None or "/ToUnicode" not in f:
                    continue
                if base not in loaded:
                    tt = TTFont(str(path), lazy=True)
                    loaded[base] = (tt.getBestCmap(), tt.getGlyphOrder(), tt)
                cmap, order, tt = loaded[base]
                for cid, text in _bfchars(f.ToUnicode.read_bytes()):
                    if (base, cid) in seen or len(text) != 1:
                        continue
                    seen.add((base, cid))
                    name = cmap.get(ord(text))
                    gid = order.index(name) if name is not None and name in order[:1] else None
                    if name is not None and gid is None:
                        gid = _gid(order, name)
                    if cid == 0 or (gid != cid and not _is_alternate(tt, order, name, cid)):
                        wrong.append((base, text, cid, gid))
    return EmbeddedCheck(fonts, len(seen), wrong)


def page_fonts(pdf):
    """Every font dictionary the pages use, their form XObjects' included (an issue
    typeset in parts draws each part's page as a form)."""
    from .fontmerge import font_dictionaries

    return font_dictionaries(pdf)


# Keyed by id() of a glyph order or font, each entry keeping that object alive: an
# id is unique only while its object lives (a freed list's id came back for another
# font's glyph order, and its glyphs were looked up in the wrong font).
_GID_CACHE: dict[int, tuple[list[str], dict[str, int]]] = {}
_ALT_CACHE: dict[int, tuple[object, dict[str, set[str]]]] = {}


def _is_alternate(tt, order: list[str], name: str | None, gid: int) -> bool:
    """Is glyph ``gid`` a single/alternate substitution of ``name`` in the font's GSUB?"""
    if name is None or gid >= len(order):
        return False
    entry = _ALT_CACHE.get(id(tt))
    alts = entry[1] if entry is not None and entry[0] is tt else None
    if alts is None:
        alts = {}
        _ALT_CACHE[id(tt)] = (tt, alts)
        if "GSUB" in tt:
            for lookup in tt["GSUB"].table.LookupList.Lookup:
                for st in lookup.SubTable:
                    if st.LookupType == 7:
                        st = st.ExtSubTable
                    if st.LookupType == 1:
                        for a, b in st.mapping.items():
                            alts.setdefault(a, set()).add(b)
                    elif st.LookupType == 3:
                        for a, bs in st.alternates.items():
                            alts.setdefault(a, set()).update(bs)
    return order[gid] in alts.get(name, ())


def _gid(order: list[str], name: str) -> int | None:
    entry = _GID_CACHE.get(id(order))
    if entry is None or entry[0] is not order:
        entry = _GID_CACHE[id(order)] = (order, {n: i for i, n in enumerate(order)})
    return entry[1].get(name)


def _bfchars(cmap: bytes) -> list[tuple[int, str]]:
    """(code, text) pairs of a ToUnicode CMap (bfchar and bfrange sections)."""
    out: list[tuple[int, str]] = []
    s = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", s, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out.append((int(src, 16), bytes.fromhex(dst).decode("utf-16-be", "replace")))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", s, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out.append((code, chr(start + k)))
    return out
