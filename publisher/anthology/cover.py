"""The print anthology's cover as a spread of its own: ``OUT-cover.pdf`` (issue 15).

A perfect-bound (胶装) book's cover is one sheet wrapped round the interior: back
cover, spine, front cover, left to right as it lies open outside up.  The spread's
trim is 2 × the page width + the spine, the spine being the interior's leaves ×
the paper's caliper (``paper_caliper_mm`` in the anthology TOML; 0.1 mm, 70–80 g
offset paper, by default); 3 mm bleed all round, crop marks at the corners and
fold marks at the spine's edges in the slug, all in registration colour.  It is a
PDF/X-4 file like the interior (pdf/pdfx.py): device-cmyk() colours, the book's
output intent.

The front cover is the anthology's cover (styles/anthology.css); the band of colour
runs across the whole spread; the spine carries the title set down it — WeasyPrint
has no ``writing-mode``, so the characters are stacked one a line, brackets and
dashes in their vertical forms — when the spine is wide enough to print on.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from ..errors import PublisherError
from .config import BookMeta

MIN_SPINE_TEXT_MM = 4.0  # narrower spines carry no text (a printer would not set it)
SPINE_TOP_MM = 22.0
# Characters of horizontal text and their vertical presentation forms (Unicode
# FE10–FE4F): set down a spine they turn as they would in vertical text.
VERTICAL_FORMS = str.maketrans({
    "《": "︽", "》": "︾", "〈": "︿", "〉": "﹀", "（": "︵", "）": "︶", "(": "︵", ")": "︶",
    "「": "﹁", "」": "﹂", "『": "﹃", "』": "﹄", "【": "︻", "】": "︼", "〔": "︹", "〕": "︺",
    "—": "︱", "－": "︲", "…": "︙", "，": "︐", "、": "︑", "：": "︓", "；": "︔", "！": "︕", "？": "︖",
})


@dataclass(frozen=True)
class SpreadGeometry:
    page_w: float  # mm, one page's trim
    page_h: float
    spine: float  # mm

    @property
    def width(self) -> float:
        return 2 * self.page_w + self.spine


def spine_mm(pages: int, caliper_mm: float) -> float:
    """The spine of an interior of ``pages`` pages: its leaves × the paper's caliper."""
    if pages < 2 or pages % 2:
        raise PublisherError(f"a bound interior has an even number of pages, not {pages}")
    return round(pages / 2 * caliper_mm, 2)


def spine_text(title: str) -> list[str]:
    """The title's characters as set down a spine, one a line (spaces dropped)."""
    return [c for c in title.translate(VERTICAL_FORMS) if not c.isspace()]


def spine_font_pt(geo: SpreadGeometry, chars: int) -> float:
    """The spine title's size: 60 % of the spine's width, at most 16 pt, smaller when
    the title would run past the lower third of the spine."""
    pt_per_mm = 72 / 25.4
    size = min(16.0, 0.6 * geo.spine * pt_per_mm)
    room = (geo.page_h - 2 * SPINE_TOP_MM) * pt_per_mm
    if chars:
        size = min(size, room / (chars * 1.15))
    return round(size, 2)


def spread_html(book: BookMeta, labels: list[str], geo: SpreadGeometry) -> str:
    """The spread as one page: back (0 … W), spine, front (W + spine …)."""
    chars = spine_text(book.title) if geo.spine >= MIN_SPINE_TEXT_MM else []
    size = spine_font_pt(geo, len(chars))
    issues = (labels if len(labels) <= 24 else [f"{labels[0]}　至　{labels[-1]}"]) if labels else []
    spine = "".join(f"<span>{escape(c)}</span>" for c in chars)
    mast = ""
    if book.magazine:
        mast += f'<p class="a-cover-magazine">{escape(book.magazine)}</p>'
    mast += f'<p class="a-cover-kind">{escape(book.year + "年" if book.year else "")}合订本</p>'
    foot = f"<p>{escape(book.publisher)}</p>" if book.publisher else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"/><title>{escape(book.title)}</title></head>
<body><section class="sp">
<div class="sp-band"></div>
<div class="sp-back"><div class="sp-back-foot"><p>{escape(book.title)}</p>{foot}</div></div>
<div class="sp-spine"></div>
<div class="sp-spine-text" style="font-size: {size}pt">{spine}</div>
<div class="sp-front"><div class="a-cover-mast">{mast}</div>
<ul class="a-cover-issues">{"".join(f"<li>{escape(x)}</li>" for x in issues)}</ul>
<div class="a-cover-foot">{foot}</div></div>
</section></body></html>
"""


def spread_css(geo: SpreadGeometry) -> str:
    from ..pdf.html import SLUG_MM

    w, s, h = geo.page_w, geo.spine, geo.page_h
    return f"""
@page a-spread {{ size: {geo.width:.3f}mm {h}mm; margin: 0; bleed: {SLUG_MM}mm; marks: none;
  @top-left {{ content: none; }} @top-right {{ content: none; }} @top-center {{ content: none; }}
  @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.sp {{ page: a-spread; position: relative; width: {geo.width:.3f}mm; height: {h - 0.5}mm; margin: 0; }}
.sp-band {{ position: absolute; left: -3mm; top: -3mm; width: {geo.width + 6:.3f}mm; height: {0.46 * h + 3:.3f}mm;
            background: #7a1515; }}
.sp-spine {{ position: absolute; left: {w:.3f}mm; width: {s:.3f}mm; top: -3mm; height: {h + 6}mm; background: #7a1515; }}
.sp-spine-text {{ position: absolute; left: {w:.3f}mm; width: {s:.3f}mm; top: {SPINE_TOP_MM}mm; margin: 0;
                  text-align: center; color: #fff; font-family: "Pub Hei", sans-serif; font-weight: 700;
                  line-height: 1.15; text-indent: 0; }}
.sp-spine-text span {{ display: block; text-align: center; }}
.sp-front {{ position: absolute; left: {w + s:.3f}mm; width: {w}mm; top: 0; height: {h - 0.5}mm; }}
.sp-back {{ position: absolute; left: 0; width: {w}mm; top: 0; height: {h - 0.5}mm; }}
.sp-back-foot {{ position: absolute; left: 16mm; right: 16mm; bottom: 16mm; border-top: 0.6pt solid #7a1515;
                 padding-top: 3mm; }}
.sp-back-foot p {{ margin: 0; font-size: 10pt; font-family: "Pub Song", serif; letter-spacing: 0.1em; }}
"""


def render_spread(book: BookMeta, labels: list[str], interior_pages: int, out: Path) -> Path:
    """Write the cover spread of an interior of ``interior_pages`` pages to ``out``
    (atomically; a PDF/X-4 file, the same bytes for the same book)."""
    import pikepdf

    from ..pdf import pdfx
    from ..pdf.fonts import replace_uncovered
    from ..pdf.html import PT_PER_MM, geometry
    from ..pdf.printmode import BLEED_PT, set_print_boxes
    from ..textio import atomic_write
    from .front import _page_css, _sheets

    g = geometry(book.page_size)
    geo = SpreadGeometry(g.width_mm, g.height_mm, spine_mm(interior_pages, book.paper_caliper_mm))
    html, _ = replace_uncovered(spread_html(book, labels, geo))
    css = pdfx.cmyk_css(spread_css(geo))
    from weasyprint import CSS, HTML

    from ..fetcher import url_fetcher
    from ..paths import STYLES_DIR

    fc, sheets = _sheets(_page_css(book, True), True)
    doc = HTML(string=html, base_url=str(STYLES_DIR), url_fetcher=url_fetcher()).render(
        stylesheets=[*sheets, CSS(string=css, font_config=fc, url_fetcher=url_fetcher())], font_config=fc)
    if len(doc.pages) != 1:
        raise PublisherError(f"the cover spread was laid out on {len(doc.pages)} pages, not one (internal error)")
    doc.metadata.title = book.title + "（封面）"
    doc.metadata.authors = [book.publisher] if book.publisher else []
    day = (book.date or "2000-01-01")[:10]
    doc.metadata.created = doc.metadata.modified = f"{day}T00:00:00+00:00"
    ident = hashlib.sha256((html + css).encode()).hexdigest()[:32].encode()
    pdf = doc.write_pdf(pdf_identifier=ident)
    profile = pdfx.load_profile(book.print_profile)
    with pikepdf.open(io.BytesIO(pdf)) as d:
        set_print_boxes(d)
        pdfx.finish(d, profile, document_id=pdfx.content_id(pdf, profile.data), bleed_pt=BLEED_PT,
                    folds=(g.width_mm * PT_PER_MM, (g.width_mm + geo.spine) * PT_PER_MM))
        with d.open_outline() as outline:  # one entry: the book's title, printed on the back cover
            outline.root.append(pikepdf.OutlineItem(book.title, 0))
        buf = io.BytesIO()
        d.save(buf, deterministic_id=True, compress_streams=True, **pdfx.save_kwargs())
    return atomic_write(out, buf.getvalue())


def cover_path(out: Path) -> Path:
    """``OUT-cover.pdf`` beside the interior ``OUT.pdf``."""
    return out.with_name(out.stem + "-cover" + out.suffix)
