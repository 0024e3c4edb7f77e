"""PDF checks (codes P…; see ``publisher/validate/__init__.py``).

Structure, fonts, outline, boxes and metadata are read with pikepdf (qpdf).  The
contents check needs the printed text and where it is: ``pdftotext -bbox-layout``
(poppler-utils) gives every word with its box, for the whole file in one fast run.

The contents convention (agreed with the PDF and anthology backends): a contents entry
is an internal link annotation (``/Dest`` or a ``/GoTo`` action) whose rectangle
contains the printed page number.  P300 compares that number with the folio printed on
the destination page: its page label when the PDF has ``/PageLabels``, else the
number printed in the page's head or foot margin, else (a page printed without folio,
such as a column opener) the folio its neighbours imply.  P301 checks that the entry's
title, the rest of its line without leaders, is printed on the destination page.  A file
without contents links (a print file) has its printed contents read from the text alone
(:func:`printed_entries`, :func:`check_printed_contents`).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pikepdf
from lxml import etree

from ..errors import PublisherError
from .checks import FileResult
from .guard import DEFAULT, Limits, pdf_problems
from .pdfx import check_pdfx, claims_pdfx
from .titles import norm_title, unmatched_in_order

MM = 72 / 25.4
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_LEADERS = set(".·…‥・•⋯-—_ \u00a0\u3000")
_NUMBER = re.compile(r"(\d+|[ivxlc]+)")


def _f(x) -> float:
    return float(x) if isinstance(x, (int, float, Decimal)) else float(str(x))


def _box(page, name):
    b = page.obj.get(name)
    if b is None:
        return None
    return tuple(_f(v) for v in b)


# --------------------------------------------------------------------------- open


def open_pdf(path: str, r: FileResult):
    r.mark("P001")
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        r.add("P001", "the PDF is encrypted with a password")
        return None
    except (pikepdf.PdfError, OSError, ValueError) as e:
        r.add("P001", f"cannot open the PDF: {_short(e)}")
        return None
    problems = list(pdf.get_warnings())
    try:
        problems += [p for p in pdf.check_pdf_syntax() if p not in problems]
    except pikepdf.PdfError as e:
        problems.append(str(e))
    for p in problems[:5]:
        r.add("P001", f"structure: {_short(p)}")
    if len(problems) > 5:
        r.add("P001", f"structure: … and {len(problems) - 5} more problems")
    return pdf


def _short(e) -> str:
    s = " ".join(str(e).split())
    return re.sub(r"^(WARNING: )?\S+\.pdf(\s*\([^)]*\))?:\s*", "", s)


# --------------------------------------------------------------------------- fonts


def _iter_resources(pdf):
    """Yield (page number, resources dict, content-stream owner) for pages and form XObjects."""
    seen = set()
    for i, page in enumerate(pdf.pages, 1):
        res = page.obj.get("/Resources")
        yield i, res, page
        stack = [res]
        while stack:
            rs = stack.pop()
            if rs is None:
                continue
            xobjs = rs.get("/XObject") if isinstance(rs, pikepdf.Dictionary) else None
            if not xobjs:
                continue
            for _, xo in xobjs.items():
                key = xo.objgen if xo.is_indirect else id(xo)
                if key in seen or xo.get("/Subtype") != "/Form":
                    continue
                seen.add(key)
                yield i, xo.get("/Resources"), xo
                stack.append(xo.get("/Resources"))


def _fonts(pdf):
    """{objgen: (font dict, first page)} for every font the pages use."""
    out = {}
    for pno, res, _ in _iter_resources(pdf):
        if not isinstance(res, pikepdf.Dictionary) or "/Font" not in res:
            continue
        for _, font in res.Font.items():
            key = font.objgen if font.is_indirect else id(font)
            out.setdefault(key, (font, pno))
    return out


def _descriptor(font):
    if font.get("/Subtype") == "/Type0":
        desc = font.get("/DescendantFonts")
        if desc and len(desc):
            return desc[0].get("/FontDescriptor"), desc[0]
        return None, None
    return font.get("/FontDescriptor"), font


def check_fonts(pdf, r: FileResult) -> None:
    r.mark("P100", "P101")
    for font, pno in _fonts(pdf).values():
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        if font.get("/Subtype") == "/Type3":
            continue  # glyphs are content streams inside the PDF
        fd, _ = _descriptor(font)
        embedded = fd is not None and any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            r.add("P100", f"font {name} is not embedded", f"page {pno}")
        elif not _SUBSET.match(name):
            r.add("P101", f"font {name} is embedded whole, not as a subset", f"page {pno}")


def _show_strings(operands, op):
    if op in ("Tj", "'"):
        return [operands[0]]
    if op == '"':
        return [operands[2]]
    if op == "TJ":
        return [x for x in operands[0] if isinstance(x, pikepdf.String)]
    return []


_CMAP_TOKENS = re.compile(rb"<([0-9a-fA-F]+)>|(-?\d+)|(begincidchar|endcidchar|begincidrange|endcidrange|beginbfchar|endbfchar)")


def _cmap_entries(data: bytes, section: str):
    """(lo, hi, value-token) triples of a CMap's cidchar/cidrange (or bfchar) sections."""
    out, mode, buf = [], None, []
    for m in _CMAP_TOKENS.finditer(data):
        kw = m.group(3)
        if kw:
            kw = kw.decode()
            mode = kw[5:] if kw.startswith("begin") else None
            buf = []
            continue
        if mode is None or not mode.startswith(section):
            continue
        buf.append(m.group(1) if m.group(1) is not None else m.group(2))
        need = 3 if mode.endswith("range") else 2
        if len(buf) == need:
            lo = bytes.fromhex(buf[0].decode())
            hi = bytes.fromhex(buf[1].decode()) if need == 3 else lo
            out.append((lo, hi, buf[-1]))
            buf = []
    return out


def _cid0_codes(font) -> set[bytes]:
    """The 2-byte codes that draw CID 0 (.notdef) with this Type0 font."""
    enc = font.get("/Encoding")
    if isinstance(enc, pikepdf.Name):
        return {b"\x00\x00"} if str(enc) in ("/Identity-H", "/Identity-V") else set()
    if not isinstance(enc, pikepdf.Stream):
        return set()
    try:
        data = enc.read_bytes()
    except pikepdf.PdfError:
        return set()
    out = set()
    for lo, hi, val in _cmap_entries(data, "cid"):
        try:
            cid = int(val)
        except ValueError:
            continue
        if cid == 0 and len(lo) == 2:
            out.add(lo)
        elif len(lo) == 2 and cid <= 0 <= cid + int.from_bytes(hi, "big") - int.from_bytes(lo, "big"):
            out.add(lo)
    return out


def _chars_for(font, b: bytes, bad: set[bytes]) -> str:
    """Name the characters behind the .notdef codes, from the font's ToUnicode map."""
    tu = font.get("/ToUnicode")
    if not isinstance(tu, pikepdf.Stream):
        return ""
    try:
        entries = _cmap_entries(tu.read_bytes(), "bf")
    except pikepdf.PdfError:
        return ""
    names = []
    for i in range(0, len(b) - 1, 2):
        code = b[i:i + 2]
        if code in bad:
            for lo, _, val in entries:
                if lo == code and isinstance(val, bytes) and len(val) >= 4:
                    try:
                        ch = bytes.fromhex(val.decode()).decode("utf-16-be")
                    except (ValueError, UnicodeDecodeError):
                        continue
                    names.append(" ".join(f"U+{ord(c):04X}" for c in ch))
    return (": " + ", ".join(dict.fromkeys(names))) if names else ""


def check_notdef(pdf, r: FileResult) -> None:
    """P102: no glyph 0 (.notdef) drawn with a CID font, nor a /.notdef named glyph."""
    r.mark("P102")
    reported = 0
    notdef_codes: dict = {}
    for pno, res, owner in _iter_resources(pdf):
        fonts = res.get("/Font") if isinstance(res, pikepdf.Dictionary) else None
        if not fonts:
            continue
        try:
            instrs = pikepdf.parse_content_stream(owner)
        except pikepdf.PdfError as e:
            r.add("P001", f"content stream cannot be parsed: {_short(e)}", f"page {pno}")
            continue
        cur = None
        for operands, op in instrs:
            op = str(op)
            if op == "Tf":
                cur = fonts.get(str(operands[0]))
                continue
            strings = _show_strings(operands, op)
            if not strings or cur is None:
                continue
            if cur.get("/Subtype") == "/Type0":
                key = cur.objgen if cur.is_indirect else id(cur)
                if key not in notdef_codes:
                    notdef_codes[key] = _cid0_codes(cur)
                bad = notdef_codes[key]
                if not bad:
                    continue
                for s in strings:
                    b = bytes(s)
                    if any(b[i:i + 2] in bad for i in range(0, len(b) - 1, 2)):
                        r.add("P102", f".notdef glyph drawn with {str(cur.get('/BaseFont', '?')).lstrip('/')} "
                              f"(a character no font covers{_chars_for(cur, b, bad)})", f"page {pno}")
                        reported += 1
                        break
            else:
                enc = cur.get("/Encoding")
                diffs = enc.get("/Differences") if isinstance(enc, pikepdf.Dictionary) else None
                if diffs is not None:
                    names, code = {}, 0
                    for d in diffs:
                        if isinstance(d, (int, Decimal)) or (hasattr(d, "__int__") and not isinstance(d, pikepdf.Name)):
                            code = int(d)
                        else:
                            names[code] = str(d)
                            code += 1
                    for s in strings:
                        if any(names.get(c) == "/.notdef" for c in bytes(s)):
                            r.add("P102", ".notdef glyph drawn", f"page {pno}")
                            reported += 1
                            break
            if reported >= 20:
                return


# --------------------------------------------------------------------------- destinations


class Dests:
    """Resolve destinations (arrays, names, GoTo actions) to 0-based page indexes."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        self.named: dict[str, object] = {}
        root = pdf.Root
        if "/Dests" in root:
            for k, v in root.Dests.items():
                self.named[str(k).lstrip("/")] = v
        if "/Names" in root and "/Dests" in root.Names:
            try:
                nt = pikepdf.NameTree(root.Names.Dests)
                for k, v in nt.items():
                    self.named[str(k)] = v
            except (pikepdf.PdfError, ValueError, TypeError):
                pass

    def page_of(self, dest) -> int | None:
        """0-based page index, or None when the destination is missing or broken."""
        for _ in range(4):
            if isinstance(dest, (pikepdf.String, pikepdf.Name, str)):
                key = str(dest).lstrip("/") if isinstance(dest, pikepdf.Name) else str(dest)
                dest = self.named.get(key)
                continue
            if isinstance(dest, pikepdf.Dictionary) and "/D" in dest:
                dest = dest.D
                continue
            break
        if isinstance(dest, pikepdf.Array) and len(dest):
            target = dest[0]
            if isinstance(target, pikepdf.Dictionary) and target.is_indirect:
                return self.index.get(target.objgen)
            try:
                n = int(target)
            except (TypeError, ValueError):
                return None
            return n if 0 <= n < len(self.pdf.pages) else None
        return None

    @staticmethod
    def of_link(annot):
        """The destination object of a link annotation, or None when it is not internal."""
        if "/Dest" in annot:
            return annot.Dest
        a = annot.get("/A")
        if isinstance(a, pikepdf.Dictionary) and a.get("/S") == "/GoTo":
            return a.get("/D")
        return None


@dataclass
class OutlineEntry:
    title: str
    depth: int
    page: int | None
    has_target: bool


def read_outline(pdf, dests: Dests) -> list[OutlineEntry]:
    out: list[OutlineEntry] = []
    with pdf.open_outline() as ol:
        def walk(items, depth):
            for it in items:
                dest = it.destination
                if dest is None and it.action is not None and it.action.get("/S") == "/GoTo":
                    dest = it.action.get("/D")
                out.append(OutlineEntry(str(it.title), depth, dests.page_of(dest) if dest is not None else None,
                                        dest is not None))
                walk(it.children, depth + 1)
        walk(ol.root, 1)
    return out


def check_outline(pdf, dests: Dests, text: "Text", r: FileResult, source_titles: list[str] | None) -> None:
    r.mark("P200", "P201")
    try:
        entries = read_outline(pdf, dests)
    except (pikepdf.PdfError, AttributeError, ValueError) as e:
        r.add("P200", f"the outline cannot be read: {_short(e)}")
        return
    if not entries:
        r.add("P200", "the PDF has no outline (bookmarks)")
    for e in entries:
        if e.page is None:
            r.add("P201", f"outline entry '{e.title}' {'points to no page of the document' if e.has_target else 'has no target'}")
    if entries and text.words:
        r.mark("P203")
        for e in entries:
            if e.page is not None and not text.shows(e.page, e.title):
                r.add("P203", f"outline entry '{e.title}' points to page {e.page + 1}, where that title is not printed")
    if source_titles is not None:
        r.mark("P202")
        labels = [norm_title(e.title) for e in entries]
        for t, _ in unmatched_in_order(source_titles, labels):
            r.add("P202", f"article '{t}' of the source is missing from the outline or out of order")


# --------------------------------------------------------------------------- text


@dataclass
class Word:
    text: str
    x0: float
    y0: float  # top, from the top of the page
    x1: float
    y1: float


def pdftotext_path() -> str:
    exe = shutil.which("pdftotext")
    if not exe:
        raise PublisherError("checking PDF contents pages needs pdftotext: install poppler-utils "
                             "(scripts/bootstrap.sh does)", code=2)
    return exe


def page_words(path: str) -> list[list[Word]]:
    """Every word of every page with its box (points, origin top-left), via pdftotext."""
    exe = pdftotext_path()
    proc = subprocess.run([exe, "-bbox-layout", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=600)
    if proc.returncode != 0:
        return []
    html = re.sub(rb"<!DOCTYPE[^>]*>", b"", proc.stdout)
    try:
        root = etree.fromstring(html, etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return []
    pages = []
    for page in root.iter("{*}page"):
        ws = []
        for w in page.iter("{*}word"):
            ws.append(Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax"))))
        pages.append(ws)
    return pages


class Text:
    """The words of every page, read with pdftotext once, when first needed."""

    def __init__(self, path: str):
        self.path = path
        self._words: list[list[Word]] | None = None
        self._norm: dict[int, str] = {}

    @property
    def words(self) -> list[list[Word]]:
        if self._words is None:
            self._words = page_words(self.path)
        return self._words

    def page(self, i: int) -> str:
        """Page ``i``'s text, normalised (no spaces, punctuation or symbols)."""
        if i not in self._norm:
            w = self.words
            self._norm[i] = norm_title("".join(x.text for x in w[i])) if 0 <= i < len(w) else ""
        return self._norm[i]

    def shows(self, i: int, title: str) -> bool:
        """Is ``title`` printed on page ``i`` (whole, or its longest space-separated part)?"""
        nt = norm_title(title)
        if not nt:
            return True
        ptext = self.page(i)
        parts = [norm_title(p) for p in re.split(r"[\s\u3000.·…]+", title) if len(norm_title(p)) >= 2]
        return nt in ptext or bool(parts and max(parts, key=len) in ptext)


def _roman(s: str) -> int | None:
    vals = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    s = s.lower()
    if not s or any(c not in vals for c in s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        total += -v if b != " " and vals.get(b, 0) > v else v
    return total


def folios(pdf, words: list[list[Word]]) -> list[str | None]:
    """The printed folio of every page (see the module docstring)."""
    labels = None
    if "/PageLabels" in pdf.Root:
        try:
            labels = [p.label for p in pdf.pages]
        except (AttributeError, pikepdf.PdfError):
            labels = None
    if labels:
        return [str(x) if x is not None else None for x in labels]
    found: list[int | None] = []
    for i, page in enumerate(pdf.pages):
        trim = _box(page, "/TrimBox") or tuple(_f(v) for v in page.mediabox)
        top = _f(page.mediabox[3]) - trim[3]  # trim top, from the top of the media box
        bottom = _f(page.mediabox[3]) - trim[1]
        band = 0.12 * (trim[3] - trim[1])
        cands = []
        for w in (words[i] if i < len(words) else []):
            if w.text.isdigit() and (w.y1 <= top + band or w.y0 >= bottom - band):
                cands.append(int(w.text))
        found.append(cands[0] if len(set(cands)) == 1 else None)
    offsets = Counter(f - i for i, f in enumerate(found) if f is not None)
    if not offsets:
        return [str(i + 1) for i in range(len(found))]
    offset = offsets.most_common(1)[0][0]
    out = []
    for i, f in enumerate(found):
        out.append(str(f) if f is not None else str(i + offset))
    return out


def check_contents(pdf, dests: Dests, text: Text, r: FileResult) -> None:
    """P300 numbers, P301 titles, P302 every internal link has a target."""
    r.mark("P302")
    links: list[tuple[int, tuple, int]] = []  # (page index, rect, dest page)
    for i, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []) or []:
            if annot.get("/Subtype") != "/Link":
                continue
            dest = Dests.of_link(annot)
            if dest is None:
                continue
            target = dests.page_of(dest)
            if target is None:
                r.add("P302", f"internal link to {dest!s:.40} points to no page of the document", f"page {i + 1}")
                continue
            rect = [_f(v) for v in annot.Rect]
            links.append((i, (min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])), target))
    if not links:
        if not r.codes() & {"P302"}:
            check_printed_contents(pdf, text, r)  # a print file: no links, the printed text only
        return
    words = text.words
    if not words:
        return
    fol = folios(pdf, words)
    # One contents line may be several link annotations (one per inline box): merge
    # those on the same page, with the same target, overlapping vertically.
    groups: list[list] = []
    for i, rect, target in links:
        for g in groups:
            if g[0] == i and g[2] == target and rect[1] < g[1][3] - 1 and rect[3] > g[1][1] + 1:
                g[1] = (min(g[1][0], rect[0]), min(g[1][1], rect[1]), max(g[1][2], rect[2]), max(g[1][3], rect[3]))
                break
        else:
            groups.append([i, rect, target])
    for i, rect, target in groups:
        page = pdf.pages[i]
        top = _f(page.mediabox[3])
        # annotation rect (PDF user space, y up) → pdftotext space (y down)
        x0, x1 = rect[0] - _f(page.mediabox[0]), rect[2] - _f(page.mediabox[0])
        y0, y1 = top - rect[3], top - rect[1]
        pw = words[i] if i < len(words) else []
        inside = [w for w in pw if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and y0 <= (w.y0 + w.y1) / 2 <= y1]
        inside.sort(key=lambda w: (round((w.y0 + w.y1) / 2 / 3), w.x0))  # lines, then left to right
        # The number ends the entry (标题……12) or, in some layouts, begins it (12 标题);
        # leader dots drawn beyond it are not part of it.
        lead = "".join(_LEADERS)
        while inside and not inside[-1].text.strip(lead):
            inside.pop()
        while inside and not inside[0].text.strip(lead):
            inside.pop(0)
        last = inside[-1].text.lstrip(lead) if inside else ""
        first = inside[0].text.rstrip(lead) if inside else ""
        if _NUMBER.fullmatch(last):
            number = last
            rest = inside[:-1] + ([Word(inside[-1].text[: -len(last)], 0, 0, 0, 0)] if inside[-1].text != last else [])
        elif len(inside) > 1 and _NUMBER.fullmatch(first):
            number = first
            rest = ([Word(inside[0].text[len(first):], 0, 0, 0, 0)] if inside[0].text != first else []) + inside[1:]
        else:
            continue  # a link without a page number at an end: not a contents entry
        r.mark("P300", "P301")
        # The title: the rest of the entry without leaders; when the link covers only
        # the number, the words beside it on the same line.
        title = " ".join(t for t in (w.text for w in rest) if t.strip(lead))
        if not title:
            same_line = sorted((w for w in pw if y0 <= (w.y0 + w.y1) / 2 <= y1 and (w.x1 <= x0 + 1 or w.x0 >= x1 - 1)),
                               key=lambda w: w.x0)
            title = " ".join(t for t in (w.text for w in same_line) if t.strip(lead))
        expect = fol[target] if target < len(fol) else None
        if expect is not None and not _same_number(number, expect):
            r.add("P300", f"contents entry '{title}' says page {number}, but it points to page "
                  f"{target + 1}, printed as {expect}", f"page {i + 1}")
        if title and not text.shows(target, title):
            r.add("P301", f"contents entry '{title}' points to page {target + 1} ({expect}), "
                  "where that title is not printed", f"page {i + 1}")


def text_lines(words: list[Word]) -> list[list[Word]]:
    """The page's words as lines (top to bottom), each left to right: a word joins a
    line when its vertical centre is within 40 % of the line's first word's height."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        c = (w.y0 + w.y1) / 2
        for ln in reversed(lines[-3:]):
            h = ln[0].y1 - ln[0].y0
            if abs(c - (ln[0].y0 + ln[0].y1) / 2) <= 0.4 * h:
                ln.append(w)
                break
        else:
            lines.append([w])
    return [sorted(ln, key=lambda w: w.x0) for ln in lines]


def printed_entries(words: list[Word], top: float, bottom: float) -> list[tuple[str, str]]:
    """(number, title) of the contents entries printed on a page, read from the text alone.

    An entry is a line that ends in a page number set apart from the rest of the line by
    a gap of at least one and a half line heights (where the leaders run), outside the
    head and foot bands (above ``top``, below ``bottom``: running heads and folios).  A
    page is a contents page when at least three such lines end at the same right edge
    (the numbers set flush right), they are at least a third of the page's lines, and
    their numbers go up (from one entry to the next at least two times in three: one
    wrong number does not hide the page, a table of figures is not taken for it)."""
    lead = "".join(_LEADERS)
    lines = [ln for ln in text_lines([w for w in words if w.text.strip(lead)])
             if top <= (ln[0].y0 + ln[0].y1) / 2 <= bottom]
    cands = []
    for ln in lines:
        if len(ln) < 2:
            continue
        num, before = ln[-1], ln[-2]
        h = num.y1 - num.y0
        if num.text.isdigit() and num.x0 - before.x1 >= 1.5 * h:
            cands.append((round(num.x1), ln))
    if not cands:
        return []
    edges = Counter(e for e, _ in cands)
    edge = max(edges, key=lambda e: sum(n for f, n in edges.items() if abs(f - e) <= 2))
    entries = [ln for e, ln in cands if abs(e - edge) <= 2]
    if len(entries) < 3 or 3 * len(entries) < len(lines):
        return []
    nums = [int(ln[-1].text) for ln in entries]
    if 3 * sum(b >= a for a, b in zip(nums, nums[1:])) < 2 * (len(nums) - 1):
        return []  # page numbers go up down a contents; a table's figures need not
    return [(ln[-1].text, " ".join(w.text for w in ln[:-1])) for ln in entries]


def check_printed_contents(pdf, text: Text, r: FileResult) -> None:
    """P300 and P301 on a file without contents links (a print file): the numbers of the
    printed contents (:func:`printed_entries`) against the pages where the titles stand.
    An entry passes when the page printed with its number shows its title; otherwise
    P300 names the page that does (the first one from the previous entry's page on, the
    contents pages left out), and P301 says when no page does."""
    words = text.words
    if not words:
        return
    fol = folios(pdf, words)
    page_of = {}
    for j, f in enumerate(fol):
        if f is not None and f.isdigit():
            page_of.setdefault(int(f), j)
    found: dict[int, list[tuple[str, str]]] = {}
    for i, page in enumerate(pdf.pages):
        if i >= len(words) or not words[i]:
            continue
        trim = _box(page, "/TrimBox") or tuple(_f(v) for v in page.mediabox)
        mtop = _f(page.mediabox[3])
        band = 0.12 * (trim[3] - trim[1])
        entries = printed_entries(words[i], mtop - trim[3] + band, mtop - trim[1] - band)
        if entries:
            found[i] = entries
    if found:
        r.mark("P300", "P301")
    others = [k for k in range(len(words)) if k not in found]  # the contents pages list every title
    for i, entries in found.items():
        start = 0
        for number, title in entries:
            target = page_of.get(int(number))
            if target is not None and target not in found and text.shows(target, title):
                start = target
                continue
            stands = next((k for k in others if k >= start and text.shows(k, title)), None)
            if stands is None:
                stands = next((k for k in others if text.shows(k, title)), None)
            if stands is not None:
                start = stands
                r.add("P300", f"contents entry '{title}' says page {number}, but the title is printed on page "
                      f"{stands + 1}, printed as {fol[stands]}", f"page {i + 1}")
            else:
                r.add("P301", f"contents entry '{title}' says page {number}, but that title is printed on no "
                      "page other than the contents", f"page {i + 1}")


def _same_number(a: str, b: str) -> bool:
    if a == b:
        return True
    ra, rb = _roman(a), _roman(b)
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return ra is not None and ra == rb


# --------------------------------------------------------------------------- boxes


def check_boxes(pdf, r: FileResult) -> bool:
    """P400 (and P401): returns whether the PDF is built for print (TrimBox inside MediaBox)."""
    r.mark("P400")
    tol = 0.5
    print_mode = False
    trim_size = None
    for i, page in enumerate(pdf.pages, 1):
        media = tuple(_f(v) for v in page.mediabox)
        trim = _box(page, "/TrimBox") or media
        bleed = _box(page, "/BleedBox")
        inset = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        if any(v < -tol for v in inset):
            r.add("P400", "TrimBox extends beyond the MediaBox", f"page {i}")
            continue
        size = (round(trim[2] - trim[0], 1), round(trim[3] - trim[1], 1))
        if trim_size is None:
            trim_size = size
        elif abs(size[0] - trim_size[0]) > tol or abs(size[1] - trim_size[1]) > tol:
            r.add("P400", f"trim size {size[0] / MM:.1f}×{size[1] / MM:.1f} mm differs from the first page's "
                  f"{trim_size[0] / MM:.1f}×{trim_size[1] / MM:.1f} mm", f"page {i}")
        if any(v > tol for v in inset):
            print_mode = True
            if bleed is None:
                r.add("P400", "TrimBox is inside the MediaBox but there is no BleedBox", f"page {i}")
                continue
            b = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
            if any(v < -tol for v in b):
                r.add("P400", "TrimBox extends beyond the BleedBox", f"page {i}")
            elif any(bleed[k] < media[k] - tol for k in (0, 1)) or any(bleed[k] > media[k] + tol for k in (2, 3)):
                r.add("P400", "BleedBox extends beyond the MediaBox", f"page {i}")
            elif max(b) - min(b) > tol:
                r.add("P400", "bleed differs between sides (" + ", ".join(f"{v / MM:.1f}" for v in b) + " mm)", f"page {i}")
            elif min(b) < 3 * MM - tol:
                r.add("P400", f"bleed is {min(b) / MM:.1f} mm; a print PDF needs at least 3 mm", f"page {i}")
        elif bleed is not None and any(abs(bleed[k] - trim[k]) > tol for k in range(4)) and any(
                abs(bleed[k] - media[k]) > tol for k in range(4)):
            r.add("P400", "BleedBox is neither the TrimBox nor the MediaBox on a PDF without bleed", f"page {i}")
    if print_mode:
        r.mark("P401")
        n = len(pdf.pages)
        # One page wider than tall is a cover spread (back, spine, front: the
        # anthology's OUT-cover.pdf), not a book block folded in sheets of 4 pages.
        spread = n == 1 and trim_size is not None and trim_size[0] > trim_size[1]
        if n % 4 and not spread:
            r.add("P401", f"a print PDF (TrimBox inside MediaBox) has {n} pages, not a multiple of 4")
    return print_mode


def check_metadata(pdf, r: FileResult) -> None:
    r.mark("P500", "P501")
    title = ""
    try:
        title = str(pdf.docinfo.get("/Title", "")).strip()
    except (pikepdf.PdfError, ValueError):
        pass
    if not title:
        try:
            with pdf.open_metadata() as meta:
                title = str(meta.get("dc:title", "") or "").strip()
        except Exception:  # XMP parsing errors come in many types
            title = ""
    if not title:
        r.add("P500", "the PDF has no title (/Title or XMP dc:title)")
    lang = str(pdf.Root.get("/Lang", "")).strip()
    if not lang:
        r.add("P501", "the PDF declares no language (/Lang)")
    elif lang.lower() != "zh-cn":
        r.add("P501", f"the PDF language is '{lang}', not zh-CN")


# --------------------------------------------------------------------------- entry


def guard_pdf(path: str, r: FileResult, limits: Limits = DEFAULT) -> bool:
    """P010–P012 on a PDF opened without walking its page tree; False when it is refused.

    ``pikepdf.open`` pushes inherited page attributes down the page tree as it opens (a
    million page-tree kids: 9 s), so this look opens the file with that turned off."""
    r.mark("P010", "P011", "P012")
    try:
        pdf = pikepdf.open(path, inherit_page_attributes=False)
    except (pikepdf.PdfError, OSError, ValueError):
        return True  # open_pdf reports it (P001)
    with pdf:
        try:
            problems = pdf_problems(pdf, limits)
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
            return True  # a damaged structure: P001 reports it
    for code, msg, where in problems:
        r.add(code, msg, where)
    return not problems


def check_pdf(path: str, source_titles: list[str] | None = None, limits: Limits = DEFAULT) -> FileResult:
    r = FileResult(path, "pdf")
    if not guard_pdf(path, r, limits):
        return r
    pdf = open_pdf(path, r)
    if pdf is None:
        return r
    with pdf:
        if len(pdf.pages) == 0:
            r.add("P001", "the PDF has no pages")
            return r
        check_metadata(pdf, r)
        check_boxes(pdf, r)
        if claims_pdfx(pdf):
            check_pdfx(pdf, r)
        check_fonts(pdf, r)
        check_notdef(pdf, r)
        dests = Dests(pdf)
        text = Text(path)
        check_outline(pdf, dests, text, r, source_titles)
        check_contents(pdf, dests, text, r)
    return r
