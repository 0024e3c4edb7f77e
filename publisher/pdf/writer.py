"""Render an issue to PDF bytes with WeasyPrint (plus our clreq patches, cjk.py)."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..errors import PublisherError
from ..model import Issue
from ..paths import STYLES_DIR
from ..textio import atomic_write
from . import cjk, speed
from .fonts import font_face_css, replace_uncovered
from .html import document_html


@dataclass
class TocEntry:
    level: int  # 1 column, 2 article, 3 top-level heading
    title: str
    page_index: int  # 0-based page of this PDF
    article_id: str | None = None
    anchor: str = ""  # the anchor id in this PDF (c01, a03, a03-h2)


@dataclass
class RenderedIssue:
    pdf: bytes
    page_count: int
    toc: list[TocEntry] = field(default_factory=list)
    first_folio: int = 1
    blank_pages: int = 0  # pages added at the end to reach pad_to
    replaced: dict[str, int] = field(default_factory=dict)  # characters no manifest font has → count (set as 〓)


@lru_cache(maxsize=1)
def _stylesheets():
    """Font configuration and stylesheets, parsed once per process.

    Keeping one FontConfiguration avoids copying the (large) CJK fonts into
    WeasyPrint's private Fontconfig folder for every document.
    """
    from ._weasy import import_weasyprint

    import_weasyprint()
    from weasyprint import CSS

    from .fonts import font_configuration

    cjk.install()
    speed.install()
    font_config = font_configuration()
    sheets = [
        CSS(string=font_face_css(), font_config=font_config),
        CSS(filename=str(STYLES_DIR / "base.css"), font_config=font_config),
        CSS(filename=str(STYLES_DIR / "pdf.css"), font_config=font_config),
    ]
    return font_config, sheets


def _quiet_weasyprint() -> None:
    # WeasyPrint logs unsupported CSS at WARNING; ours is deliberate and tested.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


# Print mode writes PDF/A-2b (WeasyPrint's variant: sRGB output intent, XMP
# metadata, printable annotations).  Not PDF/X-4: WeasyPrint paints in DeviceRGB and
# PDF/X-4 wants a CMYK printing-condition output intent, which we do not have.
PRINT_VARIANT = "pdf/a-2b"


def render_document(html: str, page_css: str = "", *, pdf_variant: str | None = None):
    """Lay out ``html`` with base.css, the page geometry ``page_css`` and pdf.css."""
    from ._weasy import import_weasyprint

    import_weasyprint()
    from weasyprint import CSS, HTML

    _quiet_weasyprint()
    font_config, sheets = _stylesheets()
    if page_css:
        fonts, base, pdf = sheets
        sheets = [fonts, base, CSS(string=page_css, font_config=font_config), pdf]
    doc = HTML(string=html, base_url=str(STYLES_DIR)).render(
        stylesheets=sheets, font_config=font_config, pdf_variant=pdf_variant)
    return doc


def _blank_pages(issue: Issue, n: int, print_mode: bool):
    """``n`` blank pages of the issue's page geometry (no head, no folio)."""
    from weasyprint import CSS, HTML

    from .html import page_css

    css = page_css(issue, print_mode=print_mode)
    html = (
        "<html><head><style>"
        "@page { @top-center { content: none }"
        " @bottom-left { content: none } @bottom-right { content: none } }"
        "div { break-after: page; height: 1px; } div:last-child { break-after: auto; }"
        "</style></head><body>" + "<div></div>" * n + "</body></html>"
    )
    font_config, sheets = _stylesheets()
    return HTML(string=html).render(font_config=font_config, stylesheets=[CSS(string=css, font_config=font_config)]).pages


def _toc(doc, issue: Issue) -> list[TocEntry]:
    from .html import column_views, heading_ids

    where: dict[str, int] = {}
    for i, page in enumerate(doc.pages):
        for name in page.anchors:
            where.setdefault(name, i)
    out: list[TocEntry] = []
    for col in column_views(issue):
        if col.name and col.id in where:
            out.append(TocEntry(1, col.name, where[col.id], None, col.id))
        for a in col.articles:
            if a.id not in where:
                raise PublisherError(f"article {a.id} ({a.title}) was not laid out")
            out.append(TocEntry(2, a.title, where[a.id], a.id, a.id))
            hids = heading_ids(a)
            for bi, hid in hids.items():
                if hid in where:
                    out.append(TocEntry(3, a.blocks[bi].text, where[hid], a.id, hid))
    return out


def render_issue(issue: Issue, *, first_folio: int = 1, print_mode: bool = False,
                 running_head: str | None = None, pad_to: int | None = None,
                 on_layout: Callable[[int, list[TocEntry]], None] | None = None) -> RenderedIssue:
    """Lay out ``issue`` and return the PDF bytes, page count and contents entries.

    ``first_folio`` is the printed number of the first page (an anthology renders each
    issue at its page offset); the contents page numbers follow it.  ``pad_to``
    appends blank pages up to a multiple of it (print mode pads to 4 by default).

    ``on_layout(page_count, toc)`` is called once the pages are laid out, before the
    PDF is written (about 40 % of the time): the anthology learns an issue's page
    count and contents early, and may stop a render it no longer needs by raising
    from the callback (the exception propagates; nothing is written).
    """
    if not issue.articles:
        raise PublisherError("issue has no articles: nothing to typeset")
    if first_folio < 1:
        raise PublisherError(f"first folio must be 1 or more, not {first_folio}")
    html, css = document_html(issue, first_folio=first_folio, print_mode=print_mode, running_head=running_head)
    # Never let a system font draw a character: what the manifest fonts lack is set
    # as 〓 (the typesetter's placeholder) and reported.
    html, missing = replace_uncovered(html)
    css, missing_css = replace_uncovered(css)
    for ch, n in missing_css.items():
        missing[ch] = missing.get(ch, 0) + n
    if missing:
        listing = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(missing))
        logging.getLogger("publisher.pdf").warning("no font in fonts/manifest.toml has %s: set as 〓", listing)
    variant = PRINT_VARIANT if print_mode else None
    with speed.no_gc():
        doc = render_document(html, css, pdf_variant=variant)
        toc = _toc(doc, issue)
        if pad_to is None and print_mode:
            pad_to = 4
        n = len(doc.pages)
        blanks = (-n) % pad_to if pad_to and pad_to > 1 else 0
        if blanks:
            doc = doc.copy(list(doc.pages) + list(_blank_pages(issue, blanks, print_mode)))
        page_count = len(doc.pages)
        if on_layout is not None:
            on_layout(page_count, toc)
        ident = hashlib.sha256((html + css).encode("utf-8")).hexdigest()[:32].encode()
        pdf = doc.write_pdf(pdf_identifier=ident, pdf_variant=variant)
        del doc  # its cycles are collected once, after the pause
    if print_mode:
        from .printmode import finish_print

        pdf = finish_print(pdf)
    return RenderedIssue(pdf=pdf, page_count=page_count, toc=toc, first_folio=first_folio,
                         blank_pages=blanks, replaced=missing)


def write_pdf(issue: Issue, out_path: Path, *, print_mode: bool = False) -> Path:
    """Render ``issue`` and write it atomically to ``out_path``."""
    rendered = render_issue(issue, print_mode=print_mode)
    return atomic_write(Path(out_path), rendered.pdf)
