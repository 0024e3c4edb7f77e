"""Small, valid EPUB and PDF files made from scratch for the validator's tests, and
the faults the tests break them with.  Not a test module (no ``test_`` prefix).

The EPUB follows the structure the EPUB backend writes (cover, contents page with a
link per article, column → article nav, landmarks, page-list, subset fonts), written
with ``zipfile`` so that each fault can be placed exactly.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

COLUMNS = [
    ("卷首语", [("a01", "春风又绿江南岸", ["春天来了，万物复苏。我们在新的一年里继续前行。"])]),
    ("本期关注", [
        ("a02", "坚持首位战略 凝心聚力发展", ["全县上下深入学习贯彻会议精神，推动高质量发展取得新成效。", "2024年，GDP增长5.8%。"]),
        ("a03", "乡村振兴的实践与思考", ["乡村振兴是一篇大文章。", "我们要因地制宜，久久为功。"]),
    ]),
]
TITLE = "青溪决策参考 2024年第2期"

CSS = """@font-face { font-family: "Pub Song"; font-weight: 400; src: url(../fonts/song.otf); }
@font-face { font-family: "Pub Hei"; font-weight: 700; src: url(../fonts/hei-bold.otf); }
html { font-family: "Pub Song", serif; }
h1, h2 { font-family: "Pub Hei", sans-serif; font-weight: 700; }
p { text-indent: 2em; }
"""

XHTML_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="zh-CN" xml:lang="zh-CN">
<head><title>{title}</title><link rel="stylesheet" type="text/css" href="../styles/book.css"/></head>
"""


@dataclass
class EpubFaults:
    drop_nav_entry: str | None = None  # article id whose nav entry is removed
    drop_file: str | None = None  # a ZIP member left out (e.g. "EPUB/text/a02.xhtml")
    malformed: str | None = None  # article id whose XHTML gets an unclosed tag
    font_drop_char: str | None = None  # a character removed from the Song subset
    no_collection: bool = False
    lang: str = "zh-CN"
    image_without_alt: bool = False
    empty_article: str | None = None
    full_font: bool = False  # embed the whole Song font instead of a subset
    extra: dict = field(default_factory=dict)


def _articles():
    for col, arts in COLUMNS:
        for aid, title, paras in arts:
            yield col, aid, title, paras


def _used_chars() -> dict[str, set[str]]:
    song, hei = set(), set()
    for col, aid, title, paras in _articles():
        hei.update(title)
        for p in paras:
            song.update(p)
        song.update(title)  # contents page and nav list titles in the body font
        hei.update(col)
    song.update(TITLE + "目录封面")
    hei.update("目录" + TITLE)
    return {"song": song - {" "}, "hei": hei - {" "}}


_FONT_CACHE: dict[tuple, bytes] = {}


def subset_font(role: str, chars: set[str]) -> bytes:
    """``chars`` of the manifest font for ``role`` as an OpenType subset (cached)."""
    key = (role, "".join(sorted(chars)))
    if key not in _FONT_CACHE:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        from publisher.fonts import font_faces

        face = next(f for f in font_faces() if f.role == role)
        font = TTFont(str(face.path), fontNumber=face.index, lazy=False)
        opts = subset.Options()
        opts.name_IDs = ["*"]
        opts.notdef_outline = True
        opts.layout_features = []
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        _FONT_CACHE[key] = buf.getvalue()
    return _FONT_CACHE[key]


def make_epub(path: Path, faults: EpubFaults | None = None) -> Path:
    f = faults or EpubFaults()
    used = _used_chars()
    song_chars = set(used["song"])
    if f.font_drop_char:
        song_chars.discard(f.font_drop_char)
    files: dict[str, bytes | str] = {}
    files["mimetype"] = "application/epub+zip"
    files["META-INF/container.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>\n")
    files["EPUB/styles/book.css"] = CSS
    if f.full_font:
        from publisher.fonts import font_faces
        face = next(x for x in font_faces() if x.role == "kai")  # a TTF: fast to load whole
        files["EPUB/fonts/song.otf"] = face.path.read_bytes()
    else:
        files["EPUB/fonts/song.otf"] = subset_font("song", song_chars)
    files["EPUB/fonts/hei-bold.otf"] = subset_font("hei-bold", used["hei"])

    lang = f.lang
    head = XHTML_HEAD.replace('lang="zh-CN" xml:lang="zh-CN"', f'lang="{lang}" xml:lang="{lang}"')
    cover_img = '<img src="../images/cover.png"/>' if f.image_without_alt else '<img src="../images/cover.png" alt="封面"/>'
    files["EPUB/text/cover.xhtml"] = head.format(title="封面") + (
        f'<body epub:type="cover"><section epub:type="cover">{cover_img}</section></body></html>\n')
    files["EPUB/images/cover.png"] = _png()
    toc_items = []
    for col, arts in COLUMNS:
        toc_items.append(f"<h2>{escape(col)}</h2><ol>")
        for aid, title, _ in arts:
            toc_items.append(f'<li><a href="{aid}.xhtml">{escape(title)}</a></li>')
        toc_items.append("</ol>")
    files["EPUB/text/contents.xhtml"] = head.format(title="目录") + (
        f'<body><section epub:type="toc"><h1>目录</h1>{"".join(toc_items)}</section></body></html>\n')
    for col, aid, title, paras in _articles():
        body = "".join(f"<p>{escape(p)}</p>" for p in paras)
        if f.empty_article == aid:
            body, title_html = "", ""
        else:
            title_html = f"<h1>{escape(title)}</h1>"
        if f.malformed == aid:
            body += "<p>未闭合的段落"
        files[f"EPUB/text/{aid}.xhtml"] = head.format(title=escape(title)) + (
            f'<body><section epub:type="chapter" id="{aid}">{title_html}{body}</section></body></html>\n')

    nav = []
    for col, arts in COLUMNS:
        first = arts[0][0]
        nav.append(f'<li><a href="text/{first}.xhtml">{escape(col)}</a><ol>')
        for aid, title, _ in arts:
            if f.drop_nav_entry == aid:
                continue
            nav.append(f'<li><a href="text/{aid}.xhtml">{escape(title)}</a></li>')
        nav.append("</ol></li>")
    files["EPUB/nav.xhtml"] = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}"><head><title>目录</title></head><body>'
        f'<nav epub:type="toc" id="toc"><h1>目录</h1><ol>{"".join(nav)}</ol></nav>'
        '<nav epub:type="landmarks" hidden=""><ol>'
        '<li><a epub:type="cover" href="text/cover.xhtml">封面</a></li>'
        '<li><a epub:type="toc" href="text/contents.xhtml">目录</a></li>'
        '<li><a epub:type="bodymatter" href="text/a01.xhtml">正文</a></li>'
        "</ol></nav></body></html>\n")

    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="styles/book.css" media-type="text/css"/>',
        '<item id="song" href="fonts/song.otf" media-type="font/otf"/>',
        '<item id="hei" href="fonts/hei-bold.otf" media-type="font/otf"/>',
        '<item id="cover-img" href="images/cover.png" media-type="image/png" properties="cover-image"/>',
        '<item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="contents" href="text/contents.xhtml" media-type="application/xhtml+xml"/>',
    ]
    spine = ['<itemref idref="cover"/>', '<itemref idref="contents"/>']
    for _, aid, _, _ in _articles():
        items.append(f'<item id="{aid}" href="text/{aid}.xhtml" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="{aid}"/>')
    collection = "" if f.no_collection else (
        '<meta property="belongs-to-collection" id="c01">青溪决策参考</meta>'
        '<meta refines="#c01" property="collection-type">series</meta>'
        '<meta refines="#c01" property="group-position">2</meta>')
    files["EPUB/content.opf"] = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="zh-CN">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="uid">urn:uuid:0b5c2a6e-3d0c-5d6a-9a8e-2f2b1c1d0e01</dc:identifier>'
        f"<dc:title>{TITLE}</dc:title><dc:language>{lang}</dc:language>"
        '<meta property="dcterms:modified">2024-04-01T00:00:00Z</meta>'
        f"{collection}</metadata>"
        f'<manifest>{"".join(items)}</manifest><spine>{"".join(spine)}</spine></package>\n')

    for name in list(files):
        if f.drop_file == name:
            del files[name]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), files.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 40, 40)).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class PdfFaults:
    wrong_numbers: bool = False  # contents numbers one too high (printed, not target-counter)
    no_outline: bool = False
    print_mode: bool = False  # 3 mm bleed and crop marks
    pages_multiple_of_4: bool = True  # in print mode, pad to a multiple of 4
    notdef: bool = False  # a character no font covers
    no_title: bool = False
    lang: str = "zh-CN"
    wrong_title_target: bool = False  # first contents entry points to the second article
    outline_label: str | None = None  # the second article's bookmark says this instead of its title
    number_first: bool = False  # contents entries "2 标题" (printed numbers, right unless wrong_numbers)


def pdf_html(f: PdfFaults | None = None) -> str:
    f = f or PdfFaults()
    arts = [(aid, title, paras) for _, aid, title, paras in _articles()]
    toc = []
    for k, (aid, title, _) in enumerate(arts):
        target = arts[1][0] if f.wrong_title_target and k == 0 else aid
        if f.number_first:
            n = k + 3 if f.wrong_numbers else k + 2  # contents on page 1, one article a page
            toc.append(f'<p class="e"><a class="nf" href="#{target}">{n} {escape(title)}</a></p>')
            continue
        cls = f'class="lit" data-n="{k + 3}" ' if f.wrong_numbers else ""
        toc.append(f'<p class="e"><a {cls}href="#{target}">{escape(title)}</a></p>')
    body = []
    for aid, title, paras in arts:
        label = f' style="bookmark-label: \'{f.outline_label}\'"' if f.outline_label and aid == arts[1][0] else ""
        body.append(f'<section class="art"><h1 id="{aid}"{label}>{escape(title)}</h1>')
        body.extend(f"<p>{escape(p)}</p>" for p in paras)
        if f.notdef and aid == arts[-1][0]:
            body.append("<p>不可见\U000e01ef\u0378字符</p>")
        body.append("</section>")
    page = "size: 185mm 260mm; margin: 20mm 18mm;"
    if f.print_mode:
        page += " bleed: 3mm; marks: crop;"
    extra = ""
    if f.print_mode and f.pages_multiple_of_4:
        extra = '<div class="pad"></div>' * 0  # 1 contents + 3 articles = 4 pages
    elif f.print_mode:
        extra = '<div class="pad">附页</div>'
    title = "" if f.no_title else f"<title>{TITLE}</title>"
    return f"""<!DOCTYPE html><html lang="{f.lang}"><head><meta charset="utf-8"/>{title}<style>
@page {{ {page} @bottom-center {{ content: counter(page); font-family: "Noto Serif CJK SC"; font-size: 9pt; }} }}
body {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; }}
h1 {{ font-family: "Noto Sans CJK SC"; font-weight: 700; {'bookmark-level: none;' if f.no_outline else 'bookmark-level: 1;'} }}
.art, .pad {{ break-before: page; }}
.e {{ text-indent: 0; }}
.e a {{ color: black; text-decoration: none; }}
.e a::after {{ content: leader('.') target-counter(attr(href url), page); }}
.e a.lit::after {{ content: leader('.') attr(data-n); }}
.e a.nf::after {{ content: none; }}
</style></head><body><section class="toc"><h2 style="bookmark-level:none">目录</h2>{"".join(toc)}</section>
{"".join(body)}{extra}</body></html>"""


def make_pdf(path: Path, faults: PdfFaults | None = None) -> Path:
    from weasyprint import HTML

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=pdf_html(faults)).write_pdf(str(path))
    return path
