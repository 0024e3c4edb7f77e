"""Render an issue to PDF bytes with WeasyPrint (plus our clreq patches, cjk.py)."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..errors import PublisherError
from ..fetcher import url_fetcher
from ..model import Issue
from ..paths import STYLES_DIR
from ..render.env import environment
from ..textio import atomic_write
from . import cjk, fontmerge, speed
from .fonts import font_face_css, replace_uncovered


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


@lru_cache(maxsize=2)
def _stylesheets(cmyk: bool = False):
    """Font configuration and stylesheets, parsed once per process (``cmyk``: the
    print set, every colour in device-cmyk(), pdfx.cmyk_css).

    Keeping one FontConfiguration avoids copying the (large) CJK fonts into
    WeasyPrint's private Fontconfig folder for every document.
    """
    from ._weasy import import_weasyprint

    import_weasyprint()
    from weasyprint import CSS

    from . import pdfx
    from .fonts import font_configuration

    cjk.install()
    speed.install()
    pdfx.install()
    font_config = font_configuration()
    fetch = url_fetcher()

    def sheet(name: str):
        path = STYLES_DIR / name
        if not cmyk:
            return CSS(filename=str(path), font_config=font_config, url_fetcher=fetch)
        return CSS(string=pdfx.cmyk_css(path.read_text(encoding="utf-8")), base_url=str(path),
                   font_config=font_config, url_fetcher=fetch)

    sheets = [CSS(string=font_face_css(), font_config=font_config, url_fetcher=fetch), sheet("base.css"), sheet("pdf.css")]
    return font_config, sheets


@lru_cache(maxsize=8)
def _parsed(css: str):
    from weasyprint import CSS

    font_config, _ = _stylesheets()
    return CSS(string=css, font_config=font_config, url_fetcher=url_fetcher())


def warm_fonts() -> None:
    """Load every manifest face the way a render does (Pango, HarfBuzz, the face
    bytes of speed.py) by setting a line in each: a process that forks workers
    afterwards gives them the loaded faces, instead of each loading its own (about
    0.3 s a process)."""
    from .fonts import faces

    spans = "".join(
        f'<span style="font-family: \'{face.family}\'; font-weight: {face.weight}">中文“字”</span>'
        for face, _ in faces())
    doc = render_document(f'<html lang="zh-CN"><body><p>{spans}</p></body></html>')
    doc.write_pdf()


def _quiet_weasyprint() -> None:
    # WeasyPrint logs unsupported CSS at WARNING; ours is deliberate and tested.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


# Print mode writes PDF/X-4 (pdfx.py): the documents are written without a WeasyPrint
# variant, in device-cmyk() colours, and the assembly adds the output intent, the
# XMP and the PDF/X keys.
PRINT_VARIANT = None


def render_document(html: str, page_css: str = "", *, pdf_variant: str | None = None, after_css: str = "",
                    cmyk: bool = False):
    """Lay out ``html`` with base.css, the page geometry ``page_css``, pdf.css and
    ``after_css`` (parsed once per process and kept); ``cmyk``: every colour of them
    in device-cmyk() (the print PDF, pdfx.py)."""
    from ._weasy import import_weasyprint

    import_weasyprint()
    from weasyprint import CSS, HTML

    _quiet_weasyprint()
    font_config, sheets = _stylesheets(cmyk)
    if cmyk:
        from .pdfx import cmyk_css

        page_css, after_css = cmyk_css(page_css), cmyk_css(after_css)
    if page_css:
        fonts, base, pdf = sheets
        sheets = [fonts, base, CSS(string=page_css, font_config=font_config, url_fetcher=url_fetcher()), pdf]
    if after_css:
        sheets = [*sheets, _parsed(after_css)]
    doc = HTML(string=html, base_url=str(STYLES_DIR), url_fetcher=url_fetcher()).render(
        stylesheets=sheets, font_config=font_config, pdf_variant=pdf_variant)
    return doc


def render_furniture(issue: Issue, page_names: list[str], *, first_folio: int, print_mode: bool,
                     running_head: str | None, numbers=(), cache=None) -> bytes:
    """The furniture document of an issue whose pages are on ``page_names``, with the
    contents page ``numbers`` (furniture.furniture_pages)."""
    from .furniture import furniture_css, furniture_html

    html, _ = replace_uncovered(furniture_html(issue, page_names, first_folio=first_folio,
                                               running_head=running_head, numbers=numbers))
    css, _ = replace_uncovered(furniture_css(issue, first_folio=first_folio, print_mode=print_mode,
                                             running_head=running_head))
    variant = PRINT_VARIANT if print_mode else None
    key = cache.key("furniture", html, css, "cmyk" if print_mode else "") if cache is not None else None
    if key is not None and (hit := cache.get(key)) is not None:
        return hit[0]
    with speed.no_gc():  # its pages are all pubfur: no margin boxes (speed.BARE_PAGES)
        doc = render_document(html, css, pdf_variant=variant, cmyk=print_mode)
        if len(doc.pages) != len(page_names):
            raise PublisherError(f"page furniture: {len(doc.pages)} pages laid out, {len(page_names)} expected")
        ident = hashlib.sha256((html + css).encode("utf-8")).hexdigest()[:32].encode()
        with fontmerge.deferred():  # one subset per face, made by the assembly
            pdf = doc.write_pdf(pdf_identifier=ident, pdf_variant=variant)
        del doc
    if key is not None:
        cache.put(key, pdf, {"pages": len(page_names)})
    return pdf


def render_issue(issue: Issue, *, first_folio: int = 1, print_mode: bool = False,
                 running_head: str | None = None, pad_to: int | None = None,
                 on_layout: Callable[[int, list[TocEntry]], int | None] | None = None,
                 jobs: int | None = None, part_cache=None, part_weight: float | None = None,
                 merge_fonts: bool = True, photos: dict | None = None) -> RenderedIssue:
    """Typeset ``issue`` and return the PDF bytes, page count and contents entries.

    ``first_folio`` is the printed number of the first page (an anthology renders each
    issue at its page offset); the contents page numbers follow it.  ``pad_to``
    appends blank pages up to a multiple of it (print mode pads to 4 by default).
    ``jobs`` processes typeset the issue's parts side by side (default: one per CPU;
    see units.py).  ``part_cache`` (a partcache.PartCache) keeps typeset parts and
    furniture for the next render; ``part_weight`` cuts the body into parts of at most
    that many characters (finer parts: less to set again after an edit).
    ``merge_fonts=False`` leaves placeholder font programs in the PDF for a caller
    that embeds each face once for many issues (the anthology's merge; fontmerge.py).
    ``photos``: the issue's tied photos already checked (photos.load, as ``build`` does
    before writing anything); loaded here once if not given, and placed once for all
    the parts.

    ``on_layout(page_count, toc)`` is called once every part is laid out and the page
    count known, before the furniture and the assembly: the anthology
    learns an issue's page count and contents early, and may stop a render it no
    longer needs by raising from the callback (the exception propagates; nothing is
    written).  The callback may return another first folio — an issue laid out at a
    guessed offset finds its real one known by then — and the furniture is set
    there; the returned ``first_folio`` says which.  The pages stay as laid out, so
    the new folio must have the same parity: otherwise units.CannotMove is raised.
    """
    from .. import photos as P
    from .html import article_id, photo_placements
    from .parallel import can_fork, default_jobs
    from .units import typeset

    if not issue.articles:
        raise PublisherError("issue has no articles: nothing to typeset")
    if first_folio < 1:
        raise PublisherError(f"first folio must be 1 or more, not {first_folio}")
    jobs = (jobs or default_jobs()) if can_fork() else 1
    for a in issue.articles:  # ids before the parts fork: every part sees the same
        if not a.id:
            a.id = article_id(a)
    _quiet_weasyprint()
    _stylesheets(print_mode)  # WeasyPrint, fonts and stylesheets loaded before any fork
    environment().get_template("pdf/issue.html.j2")  # compiled once, before any fork
    environment().get_template("pdf/furniture.html.j2")
    # the photos read and checked once, before any fork (an issue read from no file has none)
    checked = photos if photos is not None else P.load(issue) if issue.source_path else {}
    placed = photo_placements(issue, print_mode, checked)  # (printing: each separated into CMYK once)
    pdf, pages, toc, blanks, missing, first_folio = typeset(issue, first_folio=first_folio, print_mode=print_mode,
                                               running_head=running_head, pad_to=pad_to,
                                               on_layout=on_layout, jobs=jobs, cache=part_cache,
                                               max_weight=part_weight, merge_fonts=merge_fonts,
                                               placed=placed)
    if not print_mode:  # a photo's own colour profile, which WeasyPrint drops (issue 16)
        from .photos import jpeg_profiles, tag_profiles

        pdf = tag_profiles(pdf, jpeg_profiles(issue, checked))
    return RenderedIssue(pdf=pdf, page_count=pages, toc=toc, first_folio=first_folio,
                         blank_pages=blanks, replaced=missing)


def write_pdf(issue: Issue, out_path: Path, *, print_mode: bool = False, photos: dict | None = None) -> Path:
    """Render ``issue`` and write it atomically to ``out_path`` (``photos``: see render_issue)."""
    rendered = render_issue(issue, print_mode=print_mode, photos=photos)
    return atomic_write(Path(out_path), rendered.pdf)
