"""Packaging: documents, styles, fonts, cover and navigation into one EPUB 3 file.

ebooklib writes the package document (metadata, manifest, spine, guide) and the
container; every content document, the nav document and the NCX are rendered by us
(ebooklib would rewrite a document's ``<head>``, so they are plain items).  The zip
is written deterministically: fixed timestamps from the issue's date, a fixed entry
order, no extra fields, so two builds of one input are byte-identical.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from ebooklib import epub

from ..errors import PublisherError
from ..fonts import FontFace, font_faces
from ..model import Issue
from ..paths import STYLES_DIR
from ..render import marks as punct
from ..render.env import render
from ..textio import atomic_write
from . import documents, fontuse, metadata
from .cover import cover_image
from .fontsubset import font_format, font_source

STYLE_FILES = ("base.css", "epub.css")
ROLE_NAMES = {"song": "宋体", "hei": "黑体", "kai": "楷体", "fangsong": "仿宋"}


class _DeterministicZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one timestamp and fixed attributes."""

    def __init__(self, file, date_time: tuple[int, ...]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        self._date_time = date_time

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, zipfile.ZipInfo):
            name = name.filename
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        ext = name.rsplit(".", 1)[-1].lower()
        if compress_type is None:
            # Images are compressed already; font subsets gain ~2% from deflate's slow levels.
            compress_type = zipfile.ZIP_STORED if ext in ("png", "jpg", "jpeg", "gif", "webp") else zipfile.ZIP_DEFLATED
            if compresslevel is None and ext in ("otf", "ttf"):
                compresslevel = 1
        info.compress_type = compress_type
        info.create_system = 3
        info.external_attr = 0o100644 << 16
        if isinstance(data, str):
            data = data.encode("utf-8")
        super().writestr(info, data, compress_type=info.compress_type, compresslevel=compresslevel)


# Apple Books uses a book's own fonts only when the book says so (as Pandoc writes it).
APPLE_DISPLAY_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"
APPLE_SPECIFIED_FONTS = """<?xml version="1.0" encoding="UTF-8"?>
<display_options>
  <platform name="*">
    <option name="specified-fonts">true</option>
  </platform>
</display_options>
"""


class _Writer(epub.EpubWriter):
    def __init__(self, out, book, date_time, options, *, embedded_fonts: bool = False):
        super().__init__(out, book, options)
        self._date_time = date_time
        self._embedded_fonts = embedded_fonts

    def _write_opf_file(self, root):
        # The package's language (EPUB Accessibility; Ace's epub-lang): the book's own.
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language or "zh-CN")
        super()._write_opf_file(root)

    def write(self):
        self.out = _DeterministicZip(self.file_name, self._date_time)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        if self._embedded_fonts:
            self.out.writestr(APPLE_DISPLAY_OPTIONS, APPLE_SPECIFIED_FONTS)
        self._write_opf()
        self._write_items()
        self.out.close()


def _zip_time(when: dt.datetime) -> tuple[int, ...]:
    when = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def _font_credit(faces: list[FontFace]) -> list[str]:
    """One colophon line per embedded typeface: ``Noto Serif CJK（宋体）：SIL Open Font License 1.1``."""
    lines: dict[str, list[str]] = {}
    for f in faces:
        lic = f.license
        name = f.family
        if "(" in lic and lic.endswith(")"):
            lic, name = lic[: lic.index("(")].strip(), lic[lic.index("(") + 1: -1].split(",")[0].strip()
        role = ROLE_NAMES.get(f.role.split("-")[0], f.role)
        key = f"{name}\x00{lic}"
        if role not in lines.setdefault(key, []):
            lines[key].append(role)
    out = []
    for key, roles in lines.items():
        name, lic = key.split("\x00")
        out.append(f"{name}（{'、'.join(roles)}）：{lic}")
    return out


def _font_face_css(embedded: list[tuple[FontFace, str]]) -> str:
    rules = ["/* Generated: the embedded subsets (exactly the characters each face sets). */"]
    for face, href in embedded:
        rules.append(
            "@font-face {\n"
            f'  font-family: "{face.family}";\n'
            "  font-style: normal;\n"
            f"  font-weight: {face.weight};\n"
            f'  src: url("{href}");\n'
            "}"
        )
    return "\n".join(rules) + "\n"


def build_epub_bytes(issue: Issue, *, embed_fonts: bool = True, photo_cache: Path | None = None,
                     photos: dict | None = None) -> bytes:
    """The whole EPUB as bytes (see :func:`write_epub`); ``photo_cache``: the folder of
    re-encoded photos kept for the next build (epub/photocache.py), none by default;
    ``photos``: the tied photos already checked (publisher.photos.load), if they are."""
    from .photos import Pending

    # the tied photos, checked now and re-encoded in threads while the rest is made (issue 16);
    # a build that fails leaves none of them queued
    photos = Pending(issue, photo_cache, photos)
    try:
        return _build_epub_bytes(issue, embed_fonts=embed_fonts, photos=photos)
    finally:
        photos.close()


def _build_epub_bytes(issue: Issue, *, embed_fonts: bool, photos) -> bytes:
    styles = {name: (STYLES_DIR / name).read_text(encoding="utf-8") for name in STYLE_FILES}
    style_hrefs = (["styles/fonts.css"] if embed_fonts else []) + [f"styles/{n}" for n in STYLE_FILES]

    cover = cover_image(issue)
    cover_href = f"images/cover.{cover['ext']}"
    plan = documents.plan(issue, stylesheets=style_hrefs, cover={**cover, "href": cover_href},
                          photos=photos.shapes())
    if not plan.docs:
        raise PublisherError("nothing to put in the EPUB: the issue has no articles")
    uid = metadata.identifier(issue)
    modified = metadata.build_time(issue)
    lang = issue.meta.language or "zh-CN"

    nav_html = render(
        "epub/nav.xhtml.j2", lang=lang, labels=documents.LABELS,
        stylesheets=[h for h in style_hrefs],
        toc=plan.toc,
        landmarks=[{"type": t, "href": h, "label": lab} for t, h, lab in plan.landmarks],
        pages=[{"label": lab, "href": h} for lab, h in plan.pages],
    ).encode("utf-8")

    # Fonts: which characters each role sets, then one subset per role used.
    font_items: list[tuple[str, bytes, str]] = []  # (href, data, media type)
    fonts_css = ""
    if embed_fonts:
        faces = font_faces()
        sheets = [styles[n] for n in STYLE_FILES]
        docs_for_fonts = [(f"《{d.title}》" if d.kind == "article" else d.title, d.content) for d in plan.docs]
        use = fontuse.collect(docs_for_fonts + [("目录（导航）", nav_html)], sheets, faces)
        used = [f for f in faces if use.chars.get(f.role)]
        colophon = documents.colophon(issue, stylesheets=style_hrefs, fonts=_font_credit(used),
                                       has_pages=bool(plan.pages))
        more = fontuse.collect([(colophon.title, colophon.content)], sheets, faces)
        for role, chars in more.chars.items():
            use.chars.setdefault(role, set()).update(chars)
        used = [f for f in faces if use.chars.get(f.role)]
        # Adjacent marks: the cut each face's own advance allows (render/marks.py).
        cut_classes: set[str] = set()
        for d, found in zip([*plan.docs, colophon], [*use.marks[: len(plan.docs)], *more.marks]):
            classes = punct.classes_for(found)
            cut_classes.update(c for c in classes if c)
            d.content = punct.retune(d.content.decode("utf-8"), classes).encode("utf-8")
        embedded = []
        for face in used:
            data = font_source(face.path, face.index).subset(use.chars[face.role])
            ext, media_type = font_format(data)
            href = f"fonts/{face.role}.{ext}"
            font_items.append((href, data, media_type))
            embedded.append((face, f"../{href}"))
        fonts_css = _font_face_css(embedded) + punct.cut_css(cut_classes)
    else:
        colophon = documents.colophon(issue, stylesheets=style_hrefs, fonts=[], has_pages=bool(plan.pages))
    plan.docs.append(colophon)

    ncx = _ncx(plan, uid, lang)

    book = epub.EpubBook()
    book.FOLDER_NAME = "EPUB"
    metadata.apply(book, issue, uid=uid, has_pages=bool(plan.pages), has_images=True)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})

    def item(uid_: str, href: str, media_type: str, content: bytes, properties=None):
        it = epub.EpubItem(uid=uid_, file_name=href, media_type=media_type, content=content)
        if properties:
            it.properties = list(properties)
        book.add_item(it)
        return it

    item("nav", "nav.xhtml", "application/xhtml+xml", nav_html, ["nav"])
    item("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx)
    if embed_fonts:
        item("css-fonts", "styles/fonts.css", "text/css", fonts_css.encode("utf-8"))
    for n in STYLE_FILES:
        item(f"css-{n.split('.')[0]}", f"styles/{n}", "text/css", styles[n].encode("utf-8"))
    for href, data, media_type in font_items:
        item(f"font-{Path(href).stem}", href, media_type, data)
    item("cover-image", cover_href, cover["media_type"], cover["data"], ["cover-image"])
    for ph in photos.result().values():
        item(f"photo-{Path(ph.href).stem.split('-')[-1]}", ph.href, ph.media_type, ph.data)
    spine = []
    for d in plan.docs:
        spine.append(item(d.id, d.href, "application/xhtml+xml", d.content, d.properties))
    book.spine = spine
    landmark_to_guide = {"cover": "cover", "toc": "toc", "bodymatter": "text", "titlepage": "title-page", "colophon": "colophon"}
    book.guide = [
        {"type": landmark_to_guide[t], "href": h, "title": lab}
        for t, h, lab in plan.landmarks if t in landmark_to_guide
    ]

    buf = io.BytesIO()
    writer = _Writer(buf, book, _zip_time(modified), {
        "mtime": modified, "epub3_landmark": False, "epub3_pages": False, "spine_direction": False,
    }, embedded_fonts=bool(font_items))
    writer.process()
    writer.write()
    return buf.getvalue()


def _ncx(plan: documents.Plan, uid: str, lang: str) -> bytes:
    # NCX rule: entries pointing at the same target share one playOrder.
    orders: dict[str, int] = {}
    counter = iter(range(1, 1_000_000))

    def points(entries, depth=1):
        out, deepest = [], depth
        for e in entries:
            n = next(counter)
            order = orders.setdefault(e.href, len(orders) + 1)
            kids, d = points(e.children, depth + 1) if e.children else ([], depth)
            deepest = max(deepest, d)
            out.append({"ncx_id": f"np{n:03d}", "play_order": order, "label": e.label, "href": e.href, "children": kids})
        return out, deepest

    pts, depth = points(plan.toc)
    return render("epub/toc.ncx.j2", lang=lang, uid=uid, depth=depth, title=plan.title, points=pts).encode("utf-8")


def write_epub(issue: Issue, out_path: Path, *, embed_fonts: bool = True, photos: dict | None = None) -> Path:
    """Write ``issue`` as an EPUB 3 file at ``out_path`` (atomically); returns the path.

    Two calls with the same issue give byte-identical files.  With ``embed_fonts`` the
    fonts of fonts/manifest.toml are embedded as subsets of exactly the characters each
    sets; a character none of them covers raises PublisherError naming it.  An issue's
    photos, once re-encoded, are kept in ``.cache/photos`` beside ``out_path``
    (epub/photocache.py): a rebuild encodes only a new or changed one, same bytes.
    ``photos``: the tied photos already checked (publisher.photos.load), if they are.
    """
    from .photocache import folder_for

    return atomic_write(Path(out_path), build_epub_bytes(issue, embed_fonts=embed_fonts,
                                                         photo_cache=folder_for(Path(out_path)), photos=photos))
