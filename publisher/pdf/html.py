"""The issue as one HTML document for WeasyPrint: page geometry, front matter, columns.

The page geometry is computed here, not written by hand in the stylesheet, because
clreq asks for a text block whose width is a whole number of body characters and
whose height is a whole number of lines: both depend on the page size of the issue
(``meta.page_size``).  The result goes into a small generated stylesheet
(:func:`page_css`) that sits between ``styles/base.css`` and ``styles/pdf.css``.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
import os

from markupsafe import Markup

from ..errors import PublisherError
from ..model import Article, Column, Issue
from ..render.env import environment

PT_PER_MM = 72 / 25.4
BODY_SIZE = 10.5  # pt, 五号
LINE_HEIGHT = 1.75  # × body size
BLEED_MM = 3.0
# Print mode draws crop marks in a slug outside the bleed: the media box is the
# trim box plus this on each side (the marks run from the media edge inwards for
# half of it, so they stop SLUG_MM / 2 from the trim, well clear of the 3 mm bleed).
SLUG_MM = 12.0


@dataclass(frozen=True)
class Geometry:
    width_mm: float
    height_mm: float
    chars: int  # characters per full line of body text
    lines: int  # body lines per page
    top: float  # margins in pt
    bottom: float
    inner: float
    outer: float

    @property
    def block_width(self) -> float:
        return self.chars * BODY_SIZE

    @property
    def block_height(self) -> float:
        return self.lines * BODY_SIZE * LINE_HEIGHT


def parse_page_size(value: str) -> tuple[float, float]:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)mm\s+(\d+(?:\.\d+)?)mm\s*", value or "")
    if not m:
        raise PublisherError(f"page size {value!r}: expected e.g. '185mm 260mm'")
    w, h = float(m.group(1)), float(m.group(2))
    if not (90 <= w <= 420 and 120 <= h <= 600):
        raise PublisherError(f"page size {value!r}: outside 90–420 mm × 120–600 mm")
    return w, h


def geometry(page_size: str) -> Geometry:
    """Mirrored margins around a text block of whole characters × whole lines."""
    w_mm, h_mm = parse_page_size(page_size)
    w, h = w_mm * PT_PER_MM, h_mm * PT_PER_MM
    min_inner = max(18 * PT_PER_MM, w * 0.115)  # binding side
    min_outer = max(13 * PT_PER_MM, w * 0.085)
    chars = int((w - min_inner - min_outer) // BODY_SIZE)
    spare = w - min_inner - min_outer - chars * BODY_SIZE
    inner = min_inner + spare * 0.55
    outer = min_outer + spare * 0.45
    line = BODY_SIZE * LINE_HEIGHT
    min_top = max(20 * PT_PER_MM, h * 0.085)  # room for the running head
    min_bottom = max(17 * PT_PER_MM, h * 0.07)  # room for the folio
    lines = int((h - min_top - min_bottom) // line)
    spare = h - min_top - min_bottom - lines * line
    top = min_top + spare * 0.45
    bottom = min_bottom + spare * 0.55
    return Geometry(w_mm, h_mm, chars, lines, top, bottom, inner, outer)


_NO_START = set("，。、；：？！）》」』】〕〉”’…—·%")
_NO_END = set("（《「『【〔〈“‘")
TITLE_SIZE = 18.0  # pt, h2.title in styles/pdf.css
TITLE_TRACKING = 0.02  # em


def _break_ok(text: str, i: int) -> bool:
    """May a headline break before ``text[i]``?"""
    a, b = text[i - 1], text[i]
    if b in _NO_START or a in _NO_END:
        return False
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return False
    return True


def balance(text: str, capacity: int) -> list[str]:
    """Split a headline into the fewest lines of at most ``capacity`` characters,
    as even in length as the allowed break points permit (no 3-character widow)."""
    n = len(text)
    if n <= capacity or capacity < 4:
        return [text]
    k = math.ceil(n / capacity)
    out = []
    start = 0
    for j in range(1, k):
        ideal = round(n * j / k)
        best = None
        for d in sorted(range(-capacity // 2, capacity // 2 + 1), key=abs):
            i = ideal + d
            if start < i < n and i - start <= capacity and _break_ok(text, i):
                best = i
                break
        if best is None:
            return [text]
        out.append(text[start:best])
        start = best
    out.append(text[start:])
    if any(len(p) > capacity for p in out):
        return [text]
    return out


def headline_lines(title: str, width_pt: float, size_pt: float = TITLE_SIZE) -> list[Markup]:
    """A headline's lines: deliberate spaces break (headline_parts), long parts balanced."""
    from ..render.markup import headline_parts, inline

    capacity = int(width_pt // (size_pt * (1 + TITLE_TRACKING)))
    parts = headline_parts(title)
    lines: list[Markup] = []
    for p in parts:
        lines.extend(inline(x) for x in balance(p, capacity))
    return lines


# Characters a CSS string literal carries as they are: printable ones (letters, CJK,
# punctuation) and spaces (Zs) — all but the three that end or escape a string.
# Everything else (controls, format characters, separators, unassigned code points,
# the backslash and both quotes) is written as a 6-digit hex escape and a space (CSS
# Syntax §4.3.7), which a CSS parser reads back as that one character, never as
# syntax: no value can close the string.  Line breaks become spaces (a running head
# is one line), as the old escaping did with "\n"; so do the other line and page
# separators.
_CSS_UNSAFE = frozenset('\\"\'')
_CSS_BREAKS = frozenset("\n\r\f\v\x85\u2028\u2029")


def css_string(s: str) -> str:
    """A CSS string literal for ``s``, escaped completely: no value can end the
    string, escape its quote, or reach the stylesheet as source text."""
    out = []
    for c in s:
        if c in _CSS_BREAKS:
            out.append(" ")
        elif c not in _CSS_UNSAFE and (c.isprintable() or unicodedata.category(c) == "Zs"):
            out.append(c)
        elif c == "\x00" or "\ud800" <= c <= "\udfff":
            out.append("\\fffd ")  # CSS reads an escaped NUL or surrogate as U+FFFD anyway
        else:
            out.append(f"\\{ord(c):06x} ")
    return '"' + "".join(out) + '"'


def page_css(issue: Issue, *, first_folio: int = 1, print_mode: bool = False,
             running_head: str | None = None, columns: list["ColumnView"] | None = None) -> str:
    g = geometry(issue.meta.page_size)
    verso = running_head if running_head is not None else issue.meta.title
    out = _recto_page(g, print_mode=print_mode, marks=True)
    out += [
        f"@page :left {{ margin-left: {g.outer:.3f}pt; margin-right: {g.inner:.3f}pt;",
        f"  @top-center {{ content: {css_string(verso) if verso else 'none'}; }} }}",
        f"@page :right {{ margin-left: {g.inner:.3f}pt; margin-right: {g.outer:.3f}pt; }}",
        # The folio of the first page is first_folio (WeasyPrint honours counter-reset
        # of the page counter in page context, not on elements); page i shows
        # first_folio + i, which the contents' target-counter() numbers follow.
        f"@page :first {{ counter-reset: page {first_folio}; }}",
    ]
    # The first page of the PDF is a recto when its folio is odd (book convention),
    # so an issue bound at an even offset starts on a verso.
    if first_folio % 2 == 0:
        out.append("html { break-before: left; }")
    for col in columns or []:
        if col.page_name and col.name:
            out.append(f"@page {col.page_name}:right {{ @top-center {{ content: {css_string(col.name)}; }} }}")
        if col.page_name:
            # No running head on the column's first page.
            out.append(f"@page :nth(1 of {col.page_name}) {{ @top-center {{ content: none; }} }}")
    return "\n".join(out) + "\n"


def part_page_css(issue: Issue, *, print_mode: bool = False) -> str:
    """Page geometry of a part typeset on its own (units.py): every page a recto
    (inner margin on the left), no running head and no folio — the page furniture
    is set in a document of its own and the assembly moves verso pages across.
    The text block is the same on both sides, so a part's line and page breaks do
    not depend on where it starts."""
    return "\n".join(_recto_page(geometry(issue.meta.page_size), print_mode=print_mode, marks=False)) + "\n"


def _recto_page(g: Geometry, *, print_mode: bool, marks: bool) -> list[str]:
    """The page size and a recto's margins (and, printing, the slug for the marks)."""
    out = [
        f":root {{ --block-width: {g.block_width:.3f}pt; }}",
        f".cover {{ width: {g.width_mm}mm; height: {g.height_mm - 0.5}mm; }}",
        "@page {",
        f"  size: {g.width_mm}mm {g.height_mm}mm;",
        f"  margin: {g.top:.3f}pt {g.outer:.3f}pt {g.bottom:.3f}pt {g.inner:.3f}pt;",
    ]
    if print_mode:
        # The crop marks are drawn by the assembly, in registration colour (pdfx.py).
        out += [f"  bleed: {SLUG_MM}mm;", "  marks: none;"]
    return out + ["}"]


# After styles/pdf.css in a part: nothing in the page margins, no bookmarks (the
# assembly writes the outline of the whole issue).
PART_OVERRIDES = """
@page { @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }
@page :left { @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }
@page :right { @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }
.bm1, .bm2, .bm3 { bookmark-level: none; }
"""


def verso_shift(issue: Issue) -> float:
    """How far (pt) a part's page moves to the right when it is printed as a verso:
    parts are set as rectos (inner margin left), a verso has its outer margin left."""
    g = geometry(issue.meta.page_size)
    return g.outer - g.inner


@dataclass
class ColumnView:
    name: str
    id: str
    page_name: str
    articles: list[Article]
    front: bool = False  # 卷首语: set as front matter before the contents


def is_front_column(col: Column, index: int) -> bool:
    """The 卷首语 (editorial) column that opens an issue goes before the contents."""
    if index != 0 or not col.articles:
        return False
    return "卷首" in col.name or all(a.kind == "editorial" for a in col.articles)


def column_views(issue: Issue) -> list[ColumnView]:
    views = []
    for i, col in enumerate(issue.columns):
        if not col.articles:
            continue
        views.append(ColumnView(col.name, f"c{i + 1:02d}", f"col{i + 1}", col.articles, is_front_column(col, i)))
    return views


def heading_ids(article: Article) -> dict[int, str]:
    """Block index → anchor id for the article's top-level headings."""
    out = {}
    n = 0
    for i, b in enumerate(article.blocks):
        if b.type == "heading" and (b.level or 1) == 1:
            n += 1
            out[i] = f"{article_id(article)}-h{n}"
    return out


def article_id(article: Article) -> str:
    """The article's id, or a stable one made from its title (never ``hash()``,
    which changes from process to process)."""
    import hashlib

    return article.id or "a" + hashlib.sha1(article.title.encode("utf-8")).hexdigest()[:10]


def iso_date(issue: Issue) -> str:
    """The PDF's creation date: meta.date, else SOURCE_DATE_EPOCH, else a fixed epoch."""
    if issue.meta.date:
        try:
            d = date.fromisoformat(issue.meta.date[:10])
            return d.strftime("%Y-%m-%dT00:00:00+00:00")
        except ValueError:
            pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if issue.meta.year:
        return f"{issue.meta.year:04d}-01-01T00:00:00+00:00"
    return "2000-01-01T00:00:00+00:00"


def mast_lines(text: str) -> list[str]:
    """The cover masthead's lines: one for up to 8 characters, else balanced."""
    parts = [p for p in re.split(r"[ \u3000]+", text.strip()) if p] or [""]
    out: list[str] = []
    for p in parts:
        out.extend(balance(p, 8) if len(p) <= 16 else balance(p, math.ceil(len(p) / 2)))
    return out


def mast_size(text: str, g: Geometry) -> float:
    """Font size (pt) of the cover masthead: 40 pt, smaller when a line is long."""
    width = g.width_mm * PT_PER_MM - 2 * 14 * PT_PER_MM
    longest = max((len(x) for x in mast_lines(text)), default=1)
    return round(min(40.0, width / (max(longest, 1) * 1.15)), 1)


def authors_text(article: Article) -> str:
    return "　".join(a.name for a in article.authors)


def document_html(issue: Issue, *, first_folio: int = 1, print_mode: bool = False,
                  running_head: str | None = None) -> tuple[str, str]:
    """The whole issue as one HTML document and its page-geometry stylesheet (a user
    stylesheet, so that styles/pdf.css can refine it by specificity): running heads
    and folios in the page margins, contents numbers by ``target-counter``.

    The PDF backend typesets issues in parts instead (:func:`part_html`, see
    units.py); this one document is what the benchmark compares that with."""
    cols = column_views(issue)
    html = _render_html(issue, cols, cover=True, front=[c for c in cols if c.front],
                        contents=True, body=[c for c in cols if not c.front], print_mode=print_mode)
    css = page_css(issue, first_folio=first_folio, print_mode=print_mode, running_head=running_head, columns=cols)
    return html, css


def is_single(issue: Issue) -> bool:
    """A single article with no column: no cover and no contents, the issue named above it."""
    return len(issue.articles) == 1 and not any(c.name for c in issue.columns if c.articles)


def part_html(issue: Issue, *, cover: bool = False, front: bool = False, contents: bool = False,
              body: tuple[int, ...] = (), print_mode: bool = False, placed: dict | None = None) -> str:
    """Part of the issue as its own HTML document (units.py): the cover, the front
    column(s) (卷首语), the contents (each entry with a column for the page number
    that the furniture prints), and/or the body columns ``body`` (indices into
    :func:`column_views`' non-front columns).  ``placed``: the issue's
    :func:`photo_placements`, made once for all its parts (made here if not given)."""
    cols = column_views(issue)
    rest = [c for c in cols if not c.front]
    return _render_html(issue, cols, cover=cover, front=[c for c in cols if c.front] if front else [],
                        contents=contents, body=[rest[i] for i in body], print_mode=print_mode,
                        slots=True, placed=placed)


def photo_placements(issue: Issue, print_mode: bool = False, checked: dict | None = None) -> dict:
    """The tied photos as the body shows them (pdf/photos.placements) of the ``checked``
    photos (photos.load; loaded if not given); none for an issue read from no file."""
    if not issue.source_path:
        return {}
    from .photos import placements

    g = geometry(issue.meta.page_size)
    return placements(issue, g.block_width, g.block_height, print_mode=print_mode, checked=checked)


def _cover_photo(issue: Issue, print_mode: bool) -> str | None:
    """The photo under the generated cover's masthead (``cover_photo``: pdf/photos.py)."""
    if not issue.meta.cover_photo:
        return None
    from .photos import cover_photo

    return cover_photo(issue, print_mode)


def _render_html(issue: Issue, cols: list["ColumnView"], *, cover: bool, front: list["ColumnView"],
                 contents: bool, body: list["ColumnView"], print_mode: bool, slots: bool = False,
                 placed: dict | None = None) -> str:
    cover_image = None
    if issue.meta.cover and cover:
        from ..images import check_image
        from .photos import served  # named by the digest of its bytes: the part cache sees them

        checked = check_image(issue.meta.cover)  # by content: one-line PublisherError
        if print_mode:  # separated into the printer's CMYK (pdfx.py): no RGB image in a print file
            from .pdfx import load_profile, print_image

            data, media = print_image(checked.data, checked.media_type, load_profile(issue.meta.print_profile))
            cover_image = served(checked.path, data, media, "print")
        else:
            cover_image = served(checked.path, checked.data, checked.media_type, "cover")
    for a in issue.articles:
        if not a.id:
            a.id = article_id(a)
    meta = issue.meta
    authors = sorted({a.name for art in issue.articles for a in art.authors})
    single = is_single(issue)
    ctx = dict(
        meta=meta,
        title=meta.title or (issue.articles[0].title if issue.articles else "publisher"),
        front=front,
        columns=body,
        cover_columns=[c for c in cols if not c.front],
        all_columns=cols,
        show_cover=cover and not single,
        show_contents=contents and not single,
        toc_slots=slots,
        first_body=bool(body) and body[0] is next((c for c in cols if not c.front), None),
        heading_ids=heading_ids,
        headline=lambda t: headline_lines(t, geometry(meta.page_size).block_width),
        authors_text=authors_text,
        doc_author=meta.publisher or "、".join(authors[:6]),
        subject=meta.publisher or meta.magazine,
        keywords=", ".join(c.name for c in cols if c.name),
        created=iso_date(issue),
        # The masthead is the magazine's name (or the issue label): never an article's
        # title standing in for it.
        mast=mast_lines(meta.magazine or meta.issue_label) if (meta.magazine or meta.issue_label) else [],
        mast_size=mast_size(meta.magazine or meta.issue_label,
                            geometry(meta.page_size)),
        print_mode=print_mode,
        new_page_per_article=meta.new_page_per_article,
        cover_image=cover_image,
        single=single,
        photos=(photo_placements(issue, print_mode) if placed is None else placed) if body else {},  # none without a body
        cover_photo=_cover_photo(issue, print_mode) if cover and not cover_image else None,
    )
    return environment().get_template("pdf/issue.html.j2").render(**ctx)
