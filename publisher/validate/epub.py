"""Our own EPUB checks, on top of EPUBCheck (codes E…; see ``publisher/validate/__init__.py``).

How the validator knows the articles without the source text: the EPUB carries its
structure three times, and the checks compare them.

* the **spine** gives the reading order;
* the **contents page** (the spine document the ``landmarks`` nav marks ``toc``, or a
  document with an ``epub:type="toc"`` element that is not the nav) links every article;
* the **nav** ``toc`` lists columns, articles and headings.

An article is a link target of the contents page (or a document whose body/section is
marked ``epub:type`` ``chapter``/``article``).  E101: each is in the nav, and the nav's
entries follow the spine order.  E102: the contents page and the nav agree on titles and
order.  With ``--source INPUT`` the reader's model is the reference too (E105).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from . import css as csslib
from .checks import ERROR, FileResult
from .guard import DEFAULT, XML_PARSER, Limits, doctype_problem, looks_like_xml, zip_entry_count, zip_problems
from .titles import norm_title, unmatched_in_order

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "svg": "http://www.w3.org/2000/svg",
}
XHTML = "application/xhtml+xml"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE = "zh-CN"
FONT_TYPES = ("font/otf", "font/ttf", "font/woff", "font/woff2", "application/vnd.ms-opentype",
              "application/font-sfnt", "application/x-font-ttf", "application/x-font-otf",
              "application/font-woff", "application/font-woff2")
# Characters no font needs to draw.
_INVISIBLE = set(" \t\n\r\f\u00a0\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass
class Item:
    id: str
    path: str  # path inside the ZIP
    media_type: str
    properties: set[str] = field(default_factory=set)


@dataclass
class NavEntry:
    label: str
    doc: str | None  # path inside the ZIP, None for a heading without link
    frag: str
    depth: int
    children: list["NavEntry"] = field(default_factory=list)


class Package:
    """An opened EPUB: the ZIP, the package document and parsed XHTML on demand."""

    def __init__(self, zf: zipfile.ZipFile, opf_path: str, opf):
        self.zf = zf
        self.names = set(zf.namelist())
        self.opf_path = opf_path
        self.opf = opf
        self.items: dict[str, Item] = {}
        self.by_path: dict[str, Item] = {}
        base = posixpath.dirname(opf_path)
        for el in opf.findall("opf:manifest/opf:item", NS):
            href = el.get("href", "")
            path = resolve(base, href)
            it = Item(el.get("id", ""), path, el.get("media-type", ""), set((el.get("properties") or "").split()))
            self.items[it.id] = it
            self.by_path[path] = it
        self.spine: list[tuple[Item | None, str, bool]] = []  # (item, idref, linear)
        for el in opf.findall("opf:spine/opf:itemref", NS):
            idref = el.get("idref", "")
            self.spine.append((self.items.get(idref), idref, el.get("linear", "yes") != "no"))
        self._docs: dict[str, object] = {}

    def read(self, path: str) -> bytes | None:
        if path not in self.names:
            return None
        return self.zf.read(path)

    def doc(self, path: str):
        """The parsed XHTML (lxml root), or an error string, or None when absent."""
        if path not in self._docs:
            data = self.read(path)
            if data is None:
                self._docs[path] = None
            else:
                try:
                    self._docs[path] = etree.fromstring(data, XML_PARSER)
                except etree.XMLSyntaxError as e:
                    self._docs[path] = f"{e.lineno}:{e.offset}: {e.msg}" if e.lineno else str(e)
        return self._docs[path]

    def root(self, path: str):
        d = self.doc(path)
        return d if d is not None and not isinstance(d, str) else None

    def xhtml_roots(self):
        """(item, parsed root) of every well-formed XHTML document in the manifest."""
        for it in self.items.values():
            if it.media_type == XHTML:
                root = self.root(it.path)
                if root is not None:
                    yield it, root

    @property
    def spine_paths(self) -> list[str]:
        return [it.path for it, _, _ in self.spine if it is not None]

    def nav_item(self) -> Item | None:
        return next((it for it in self.items.values() if "nav" in it.properties), None)


def resolve(base_dir: str, href: str) -> str:
    path = unquote(urlsplit(href).path)
    return posixpath.normpath(posixpath.join(base_dir, path)) if path else ""


def split_href(base_file: str, href: str) -> tuple[str | None, str]:
    """``href`` in ``base_file`` → (path inside the ZIP or None if external, fragment)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None, ""
    frag = unquote(parts.fragment)
    if not parts.path:
        return base_file, frag
    return resolve(posixpath.dirname(base_file), parts.path), frag


def text_of(el) -> str:
    return "".join(el.itertext())


def guard_members(zf: zipfile.ZipFile, result: FileResult, limits: Limits = DEFAULT) -> bool:
    """E010–E012 from the central directory before any member is read, then E020 on every
    XML member (read within the sizes just checked).  False when the file is refused."""
    result.mark("E010", "E011", "E012", "E020")
    problems = zip_problems(zf.infolist(), limits)
    for code, msg, where in problems:
        result.add(code, msg, where)
    if problems:
        return False
    ok = True
    for zi in zf.infolist():
        if zi.is_dir():
            continue
        with zf.open(zi) as f:
            head = f.read(64)
            if not looks_like_xml(zi.filename, head):
                continue
            data = head + f.read()
        why = doctype_problem(data)
        if why:
            result.add("E020", f"XML member {why}; refused (never handed to EPUBCheck)", zi.filename)
            ok = False
    return ok


def open_package(path: str, result: FileResult, limits: Limits = DEFAULT) -> Package | None:
    """Open the container; on failure add E001 (or a guard code) and return None."""
    result.mark("E001")
    declared = zip_entry_count(path)
    if declared is not None and declared > limits.members:
        result.mark("E010", "E011", "E012", "E020")
        result.add("E012", f"{declared} ZIP members (limit {limits.members}); refused before reading")
        return None
    try:
        zf = zipfile.ZipFile(path)
        if not guard_members(zf, result, limits):
            zf.close()
            return None
        bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        result.add("E001", f"not a readable ZIP container ({e})")
        return None
    except Exception as e:  # zlib errors on damaged members
        result.add("E001", f"damaged ZIP container ({type(e).__name__}: {e})")
        return None
    if bad:
        result.add("E001", f"damaged ZIP member {bad}", bad)
        return None
    try:
        container = etree.fromstring(zf.read("META-INF/container.xml"), XML_PARSER)
    except KeyError:
        result.add("E001", "META-INF/container.xml is missing")
        return None
    except etree.XMLSyntaxError as e:
        result.add("E001", f"META-INF/container.xml is not well-formed ({e.msg})", "META-INF/container.xml")
        return None
    rf = container.find("c:rootfiles/c:rootfile", NS)
    opf_path = rf.get("full-path") if rf is not None else None
    if not opf_path:
        result.add("E001", "META-INF/container.xml names no package document", "META-INF/container.xml")
        return None
    try:
        opf = etree.fromstring(zf.read(opf_path), XML_PARSER)
    except KeyError:
        result.add("E001", f"package document {opf_path} is missing")
        return None
    except etree.XMLSyntaxError as e:
        result.add("E001", f"package document is not well-formed ({e.msg})", f"{opf_path}:{e.lineno}")
        return None
    return Package(zf, opf_path, opf)


# --------------------------------------------------------------------------- checks


def check_files(pkg: Package, r: FileResult) -> None:
    """E002 well-formed XHTML, E003 every manifest/spine file present."""
    r.mark("E002", "E003")
    for it, idref, _ in pkg.spine:
        if it is None:
            r.add("E003", f"spine itemref '{idref}' names no manifest item", pkg.opf_path)
    for it in pkg.items.values():
        if it.path not in pkg.names:
            r.add("E003", f"manifest item '{it.id}' ({it.path}) is missing from the container", pkg.opf_path)
        elif it.media_type == XHTML:
            d = pkg.doc(it.path)
            if isinstance(d, str):
                r.add("E002", f"not well-formed XHTML: {d.split(': ', 1)[-1]}", f"{it.path}:{d.split(': ', 1)[0]}")


def _nav_list(ol, doc_path: str, depth: int) -> list[NavEntry]:
    out = []
    for li in ol.findall("x:li", NS):
        a = li.find("x:a", NS)
        span = li.find("x:span", NS)
        if a is not None:
            d, frag = split_href(doc_path, a.get("href", ""))
            e = NavEntry(" ".join(text_of(a).split()), d, frag, depth)
        else:
            e = NavEntry(" ".join(text_of(span).split()) if span is not None else "", None, "", depth)
        sub = li.find("x:ol", NS)
        if sub is not None:
            e.children = _nav_list(sub, doc_path, depth + 1)
        out.append(e)
    return out


def flatten(entries: list[NavEntry]) -> list[NavEntry]:
    out = []
    for e in entries:
        out.append(e)
        out.extend(flatten(e.children))
    return out


def _navs(root, kind: str):
    return [n for n in root.iter(f"{{{NS['x']}}}nav") if kind in (n.get(EPUB_TYPE) or "").split()]


def read_nav(pkg: Package, r: FileResult) -> tuple[str | None, list[NavEntry], dict[str, tuple[str | None, str]]]:
    """E100: (nav path, toc entries, landmarks {type: (doc, frag)})."""
    r.mark("E100")
    it = pkg.nav_item()
    if it is None:
        r.add("E100", "the package has no nav document (manifest item with properties=\"nav\")", pkg.opf_path)
        return None, [], {}
    root = pkg.root(it.path)
    if root is None:
        r.add("E100", "the nav document is missing or not well-formed", it.path)
        return it.path, [], {}
    tocs = _navs(root, "toc")
    if not tocs:
        r.add("E100", "the nav document has no <nav epub:type=\"toc\">", it.path)
        return it.path, [], {}
    ol = tocs[0].find("x:ol", NS)
    entries = _nav_list(ol, it.path, 1) if ol is not None else []
    if not entries:
        r.add("E100", "the toc nav lists nothing", it.path)
    landmarks: dict[str, tuple[str | None, str]] = {}
    for lm in _navs(root, "landmarks"):
        for a in lm.iter(f"{{{NS['x']}}}a"):
            for t in (a.get(EPUB_TYPE) or "").split():
                landmarks.setdefault(t, split_href(it.path, a.get("href", "")))
    return it.path, entries, landmarks


def _position(pkg: Package, order: dict[str, int], doc: str | None, frag: str) -> tuple[int, int] | None:
    """Reading position of a link target: (spine index, element index in the document)."""
    if doc is None or doc not in order:
        return None
    if not frag:
        return order[doc], 0
    root = pkg.root(doc)
    if root is None:
        return order[doc], 0
    for i, el in enumerate(root.iter()):
        if el.get("id") == frag:
            return order[doc], i
    return order[doc], 0


def contents_page(pkg: Package, nav_path: str | None, landmarks) -> str | None:
    """The spine document that is the printed-style contents page (not the nav)."""
    lm = landmarks.get("toc")
    if lm and lm[0] and lm[0] != nav_path and lm[0] in pkg.spine_paths:
        return lm[0]
    for p in pkg.spine_paths:
        if p == nav_path:
            continue
        root = pkg.root(p)
        if root is None:
            continue
        for el in root.iter():
            if "toc" in (el.get(EPUB_TYPE) or "").split():
                return p
    return None


@dataclass
class Link:
    label: str
    doc: str | None
    frag: str


def contents_links(pkg: Package, path: str) -> list[Link]:
    root = pkg.root(path)
    if root is None:
        return []
    out = []
    for a in root.iter(f"{{{NS['x']}}}a"):
        href = a.get("href")
        if not href:
            continue
        d, frag = split_href(path, href)
        if d is None or d == path:
            continue
        out.append(Link(" ".join(text_of(a).split()), d, frag))
    return out


def article_docs(pkg: Package) -> list[str]:
    """Spine documents that mark themselves as an article (epub:type chapter/article)."""
    out = []
    for p in pkg.spine_paths:
        root = pkg.root(p)
        if root is None:
            continue
        body = root.find("x:body", NS)
        if body is None:
            continue
        cands = [body] + [c for c in body if isinstance(c.tag, str)]
        if any({"chapter", "article"} & set((c.get(EPUB_TYPE) or "").split()) for c in cands):
            out.append(p)
    return out


def _titles_match(a: str, b: str) -> bool:
    """Normalised titles agree: equal, or one contains the other (a kicker or subtitle added)."""
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _same_target(a_doc, a_frag, b_doc, b_frag) -> bool:
    return a_doc == b_doc and (a_frag == b_frag or not a_frag or not b_frag)


def check_navigation(pkg: Package, r: FileResult, source_titles: list[str] | None = None) -> None:
    """E100–E105."""
    nav_path, entries, landmarks = read_nav(pkg, r)
    flat = flatten(entries)
    linked = [e for e in flat if e.doc is not None]
    spine = pkg.spine_paths
    order = {p: i for i, p in enumerate(spine)}

    # E104: every nav link resolves to a spine document.
    r.mark("E104")
    for e in linked:
        if e.doc not in pkg.names:
            r.add("E104", f"nav entry '{e.label}' points to {e.doc}, which is not in the container", nav_path or "")
        elif e.doc not in order:
            r.add("E104", f"nav entry '{e.label}' points to {e.doc}, which is not in the spine", nav_path or "")
        elif e.frag and pkg.root(e.doc) is not None and not any(el.get("id") == e.frag for el in pkg.root(e.doc).iter()):
            r.add("E104", f"nav entry '{e.label}' points to #{e.frag}, which {e.doc} does not have", nav_path or "")

    # E101: nav entries in reading order; every article in the nav.
    r.mark("E101")
    last, last_label = None, ""
    for e in linked:
        pos = _position(pkg, order, e.doc, e.frag)
        if pos is None:
            continue
        if last is not None and pos < last:
            r.add("E101", f"nav entry '{e.label}' comes after '{last_label}' but is earlier in the reading order", nav_path or "")
        last, last_label = pos, e.label
    cpage = contents_page(pkg, nav_path, landmarks)
    clinks = contents_links(pkg, cpage) if cpage else []
    # Articles: the contents page's links (matched by target and title), then documents
    # marking themselves as articles (matched by target).
    missing: set[tuple[str, str]] = set()
    for lk in clinks:
        if lk.doc not in order:
            continue
        cands = [e for e in linked if _same_target(lk.doc, lk.frag, e.doc, e.frag)]
        if not any(_titles_match(norm_title(lk.label), norm_title(e.label)) for e in cands):
            missing.add((lk.doc, lk.frag))
            also = f" (only '{cands[0].label}' points there)" if cands else ""
            r.add("E101", f"article '{lk.label}' ({lk.doc}{'#' + lk.frag if lk.frag else ''}) is not in the nav{also}",
                  nav_path or "")
    # Without a contents page, documents marked as articles must each be in the nav (the
    # continuation of a split article is marked too, and the nav lists its heading).
    for d in ([] if cpage else article_docs(pkg)):
        if not any(e.doc == d for e in linked):
            root = pkg.root(d)
            h = next(iter(root.iter(*(f"{{{NS['x']}}}h{i}" for i in range(1, 7)))), None) if root is not None else None
            r.add("E101", f"article '{' '.join(text_of(h).split()) if h is not None else d}' ({d}) is not in the nav",
                  nav_path or "")

    # E102: the contents page and the nav list the articles in the same order.
    if cpage:
        r.mark("E102")
        matched = []
        for lk in clinks:
            if lk.doc not in order or (lk.doc, lk.frag) in missing:
                continue
            a = norm_title(lk.label)
            idx = next(i for i, e in enumerate(linked)
                       if _same_target(lk.doc, lk.frag, e.doc, e.frag) and _titles_match(a, norm_title(e.label)))
            matched.append((idx, lk.label))
        for (i1, l1), (i2, l2) in zip(matched, matched[1:]):
            if i2 < i1:
                r.add("E102", f"contents page lists '{l2}' after '{l1}', the nav before it", cpage)

    # E103: every spine document reachable from the nav by following links.
    if nav_path:
        r.mark("E103")
        seen = {nav_path}
        todo = [nav_path]
        while todo:
            p = todo.pop()
            root = pkg.root(p)
            if root is None:
                continue
            for a in root.iter(f"{{{NS['x']}}}a"):
                d, _ = split_href(p, a.get("href", ""))
                if d and d not in seen and d in pkg.by_path and pkg.by_path[d].media_type == XHTML:
                    seen.add(d)
                    todo.append(d)
        for it, _, linear in pkg.spine:
            if it is not None and it.path not in seen and it.path in pkg.names:
                r.add("E103", f"spine document {it.path} cannot be reached from the nav", it.path)

    # E105: against the source model.
    if source_titles is not None:
        r.mark("E105")
        labels = [norm_title(e.label) for e in flat]
        for t, elsewhere in unmatched_in_order(source_titles, labels):
            r.add("E105", f"article '{t}' of the source is {'out of order in' if elsewhere else 'missing from'} the nav", nav_path or "")


def check_language(pkg: Package, r: FileResult) -> None:
    """E200."""
    r.mark("E200")
    langs = [(el.text or "").strip() for el in pkg.opf.findall("opf:metadata/dc:language", NS)]
    if not langs:
        r.add("E200", "no dc:language in the package metadata", pkg.opf_path)
    elif langs[0].lower() != LANGUAGE.lower():
        r.add("E200", f"dc:language is '{langs[0]}', not {LANGUAGE}", pkg.opf_path)
    for it, root in pkg.xhtml_roots():
        lang, xlang = root.get("lang"), root.get(XML_LANG)
        if not lang and not xlang:
            r.add("E200", "the document declares no language (lang / xml:lang on <html>)", it.path)
            continue
        bad = [f'{name}="{v}"' if v is not None else f"no {name}"
               for name, v in (("lang", lang), ("xml:lang", xlang)) if v is None or v.lower() != LANGUAGE.lower()]
        if bad:
            r.add("E200", f"<html> has {' and '.join(bad)}: must declare {LANGUAGE} in both", it.path)


def check_content(pkg: Package, r: FileResult) -> None:
    """E400 no empty document, E401 images with alt text."""
    r.mark("E400", "E401")
    for it, _, _ in pkg.spine:
        if it is None or it.media_type != XHTML:
            continue
        root = pkg.root(it.path)
        if root is None:
            continue
        body = root.find("x:body", NS)
        if body is None:
            r.add("E400", "the document has no <body>", it.path)
            continue
        has_text = bool("".join(body.itertext()).strip())
        has_media = any(
            isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("img", "svg", "image", "video", "audio", "object")
            for el in body.iter())
        if not has_text and not has_media:
            r.add("E400", "the document is empty (no text, no image)", it.path)
    for it, root in pkg.xhtml_roots():
        for img in root.iter(f"{{{NS['x']}}}img"):
            alt = img.get("alt")
            decorative = img.get("role") in ("presentation", "none") or img.get("aria-hidden") == "true"
            if alt is None:
                r.add("E401", f"<img src=\"{img.get('src', '')}\"> has no alt attribute", f"{it.path}:{img.sourceline}")
            elif not alt.strip() and not decorative:
                r.add("E401", f"<img src=\"{img.get('src', '')}\"> has empty alt text", f"{it.path}:{img.sourceline}")
        for svg in root.iter(f"{{{NS['svg']}}}svg"):
            if svg.find("svg:image", NS) is None:
                continue
            labelled = svg.get("aria-label") or svg.get("aria-labelledby") or svg.find("svg:title", NS) is not None
            if not labelled and svg.get("aria-hidden") != "true":
                r.add("E401", "<svg> image has no title or aria-label", f"{it.path}:{svg.sourceline}")


_MODIFIED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def check_metadata(pkg: Package, r: FileResult) -> None:
    """E500–E503."""
    r.mark("E500", "E501", "E502", "E503")
    md = pkg.opf.find("opf:metadata", NS)
    if md is None:
        for code in ("E500", "E501", "E502", "E503"):
            r.add(code, "the package has no <metadata>", pkg.opf_path)
        return
    uid = pkg.opf.get("unique-identifier")
    ids = {el.get("id"): (el.text or "").strip() for el in md.findall("dc:identifier", NS)}
    if not any(ids.values()):
        r.add("E500", "no dc:identifier", pkg.opf_path)
    elif uid not in ids or not ids[uid]:
        r.add("E500", f"unique-identifier '{uid}' names no non-empty dc:identifier", pkg.opf_path)
    if not any((el.text or "").strip() for el in md.findall("dc:title", NS)):
        r.add("E501", "no dc:title", pkg.opf_path)
    metas = md.findall("opf:meta", NS)
    mod = [(m.text or "").strip() for m in metas if m.get("property") == "dcterms:modified"]
    if not mod:
        r.add("E502", "no dcterms:modified", pkg.opf_path)
    elif not _MODIFIED.match(mod[0]):
        r.add("E502", f"dcterms:modified '{mod[0]}' is not CCYY-MM-DDThh:mm:ssZ", pkg.opf_path)
    coll = [(m.text or "").strip() for m in metas if m.get("property") == "belongs-to-collection"]
    if not any(coll):
        r.add("E503", "no belongs-to-collection (the magazine)", pkg.opf_path)


# --------------------------------------------------------------------------- fonts


@dataclass
class EmbeddedFace:
    rule: csslib.FontFaceRule
    path: str | None
    cmap: set[int] | None
    used: dict[int, str] = field(default_factory=dict)  # codepoint → first place used


def _load_font(data: bytes):
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data), lazy=True, fontNumber=0)
    cmap = font.getBestCmap() or {}
    return set(cmap)


def _stylesheets_for(pkg: Package, path: str, root) -> list[tuple[str, str]]:
    out = []
    head = root.find("x:head", NS)
    if head is None:
        return out
    for el in head:
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1]
        if local == "link" and "stylesheet" in (el.get("rel") or "").split():
            d, _ = split_href(path, el.get("href", ""))
            if d:
                data = pkg.read(d)
                if data is not None:
                    out.append((d, data.decode("utf-8", "replace")))
        elif local == "style":
            out.append((path, el.text or ""))
    return out


def check_fonts(pkg: Package, r: FileResult) -> None:
    """E300 readable fonts, E301 coverage, E302 subset."""
    r.mark("E300", "E301", "E302")
    font_cache: dict[str, set[int] | None] = {}
    faces_by_key: dict[tuple, EmbeddedFace] = {}
    missing_reported: set[tuple[int, str]] = set()
    sheet_cache: dict[tuple[str, ...], csslib.Sheet] = {}
    for doc_path in pkg.spine_paths + [p for p, it in pkg.by_path.items() if it.media_type == XHTML and p not in pkg.spine_paths]:
        root = pkg.root(doc_path)
        if root is None:
            continue
        sheets = _stylesheets_for(pkg, doc_path, root)
        key = tuple(f"{p}\0{c}" if p == doc_path else p for p, c in sheets)
        sheet = sheet_cache.get(key)
        if sheet is None:
            sheet = csslib.Sheet()
            for p, c in sheets:
                csslib.add_stylesheet(sheet, c, p)
            sheet_cache[key] = sheet
        if not sheet.faces:
            continue
        by_family: dict[str, list[EmbeddedFace]] = {}
        for rule in sheet.faces:
            fkey = (rule.family, rule.weight, rule.style, rule.src)
            ef = faces_by_key.get(fkey)
            if ef is None:
                path = None
                for base, url in rule.src:
                    d, _ = split_href(base, url)
                    if d and d in pkg.names:
                        path = d
                        break
                if path is None:
                    cmap = None
                    r.add("E300", f"@font-face '{rule.family}' {rule.weight}: font file "
                          f"{rule.src[0][1] if rule.src else '?'} is not in the container", rule.src[0][0] if rule.src else "")
                elif path in font_cache:
                    cmap = font_cache[path]
                else:
                    try:
                        cmap = _load_font(pkg.read(path))
                    except Exception as e:  # fontTools raises many kinds
                        cmap = None
                        r.add("E300", f"font cannot be read ({type(e).__name__}: {e})", path)
                    font_cache[path] = cmap
                ef = faces_by_key[fkey] = EmbeddedFace(rule, path, cmap)
            by_family.setdefault(rule.family, []).append(ef)
        for style, text, el in csslib.styled_text(root, sheet):
            fam = next((f for f in style.families if f in by_family), None)
            if fam is None:
                continue
            face = csslib.pick_face([f.rule for f in by_family[fam]], style.weight, style.style)
            ef = next(f for f in by_family[fam] if f.rule is face)
            if ef.cmap is None:
                continue
            line = getattr(el, "sourceline", None)
            for ch in text:
                if ch in _INVISIBLE:
                    continue
                cp = ord(ch)
                if cp not in ef.used:
                    ef.used[cp] = f"{doc_path}:{line}" if line else doc_path
                if cp not in ef.cmap and (cp, ef.path) not in missing_reported:
                    missing_reported.add((cp, ef.path))
                    r.add("E301", f"'{ch}' (U+{cp:04X}) is set in '{ef.rule.family}' {ef.rule.weight} "
                          f"({ef.path}), whose subset lacks it", ef.used[cp])
    # E302: a subset of what the book uses (slack for a few extra marks and digits).
    seen_paths: dict[str, set[int]] = {}
    for ef in faces_by_key.values():
        if ef.path and ef.cmap is not None:
            seen_paths.setdefault(ef.path, set()).update(ef.used)
    for path, used in seen_paths.items():
        cmap = font_cache.get(path) or set()
        unused = cmap - used
        if not used:
            r.add("E302", f"embedded font is not used by any text ({len(cmap)} characters)", path)
        elif len(unused) > 256 + len(used) // 2:
            r.add("E302", f"embedded font is not a subset: it maps {len(cmap)} characters, the book sets "
                  f"{len(used)} in it", path)


# --------------------------------------------------------------------------- entry


def check_epub(path: str, source_titles: list[str] | None = None, limits: Limits = DEFAULT) -> FileResult:
    r = FileResult(path, "epub")
    pkg = open_package(path, r, limits)
    if pkg is None:
        return r
    try:
        check_files(pkg, r)
        check_metadata(pkg, r)
        check_language(pkg, r)
        check_navigation(pkg, r, source_titles)
        check_content(pkg, r)
        check_fonts(pkg, r)
    finally:
        pkg.zf.close()
    return r


__all__ = ["check_epub", "ERROR"]
