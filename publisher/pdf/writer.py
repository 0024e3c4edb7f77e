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


@lru_cache(maxsize=8)
def _parsed(css: str):
    from weasyprint import CSS

    font_config, _ = _stylesheets()
    return CSS(string=css, font_config=font_config)


def _quiet_weasyprint() -> None:
    # WeasyPrint logs unsupported CSS at WARNING; ours is deliberate and tested.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


# Print mode writes PDF/A-2b (WeasyPrint's variant: sRGB output intent, XMP
# metadata, printable annotations).  Not PDF/X-4: WeasyPrint paints in DeviceRGB and
# PDF/X-4 wants a CMYK printing-condition output intent, which we do not have.
PRINT_VARIANT = "pdf/a-2b"


def render_document(html: str, page_css: str = "", *, pdf_variant: str | None = None, after_css: str = ""):
    """Lay out ``html`` with base.css, the page geometry ``page_css``, pdf.css and
    ``after_css`` (parsed once per process and kept)."""
    from ._weasy import import_weasyprint

    import_weasyprint()
    from weasyprint import CSS, HTML

    _quiet_weasyprint()
    font_config, sheets = _stylesheets()
    if page_css:
        fonts, base, pdf = sheets
        sheets = [fonts, base, CSS(string=page_css, font_config=font_config), pdf]
    if after_css:
        sheets = [*sheets, _parsed(after_css)]
    doc = HTML(string=html, base_url=str(STYLES_DIR)).render(
        stylesheets=sheets, font_config=font_config, pdf_variant=pdf_variant)
    return doc



def render_furniture(issue: Issue, page_names: list[str], *, first_folio: int, print_mode: bool,
                     running_head: str | None) -> bytes:
    """The furniture document of an issue whose pages are on ``page_names``."""
    from .furniture import furniture_css, furniture_html

    html, _ = replace_uncovered(furniture_html(issue, page_names))
    css, _ = replace_uncovered(furniture_css(issue, first_folio=first_folio, print_mode=print_mode,
                                             running_head=running_head))
    variant = PRINT_VARIANT if print_mode else None
    with speed.no_gc():
        doc = render_document(html, css, pdf_variant=variant)
        if len(doc.pages) != len(page_names):
            raise PublisherError(f"page furniture: {len(doc.pages)} pages laid out, {len(page_names)} expected")
        ident = hashlib.sha256((html + css).encode("utf-8")).hexdigest()[:32].encode()
        pdf = doc.write_pdf(pdf_identifier=ident, pdf_variant=variant)
        del doc
    return pdf


def render_issue(issue: Issue, *, first_folio: int = 1, print_mode: bool = False,
                 running_head: str | None = None, pad_to: int | None = None,
                 on_layout: Callable[[int, list[TocEntry]], None] | None = None,
                 jobs: int | None = None) -> RenderedIssue:
    """Typeset ``issue`` and return the PDF bytes, page count and contents entries.

    ``first_folio`` is the printed number of the first page (an anthology renders each
    issue at its page offset); the contents page numbers follow it.  ``pad_to``
    appends blank pages up to a multiple of it (print mode pads to 4 by default).
    ``jobs`` processes typeset the parts side by side (default: one per CPU; see
    units.py).

    ``on_layout(page_count, toc)`` is called once the body is laid out and the page
    count known, before the contents, the furniture and the assembly: the anthology
    learns an issue's page count and contents early, and may stop a render it no
    longer needs by raising from the callback (the exception propagates; nothing is
    written).
    """
    from functools import partial

    from .assemble import OutlineEntry, PlacedPart, assemble
    from .furniture import BLANK
    from .html import article_id, verso_shift
    from .parallel import can_fork, default_jobs, run_calls
    from .units import log_missing, plan_parts, render_part, toc_entries

    if not issue.articles:
        raise PublisherError("issue has no articles: nothing to typeset")
    if first_folio < 1:
        raise PublisherError(f"first folio must be 1 or more, not {first_folio}")
    jobs = (jobs or default_jobs()) if can_fork() else 1
    for a in issue.articles:  # ids before the parts fork: every part sees the same
        if not a.id:
            a.id = article_id(a)
    _quiet_weasyprint()
    _stylesheets()  # WeasyPrint, fonts and stylesheets loaded before any fork
    parts = plan_parts(issue, body_parts=max(1, jobs))
    digits = len(str(first_folio + 999))
    guess_pages = {a.id: "8" * digits for a in issue.articles}
    results = run_calls([
        (partial(render_part, issue, p, print_mode=print_mode,
                 toc_pages=guess_pages if p.contents else None, count_only=p.contents), (), p.weight)
        for p in parts], jobs)
    missing: dict[str, int] = {}
    for r in results:
        for ch, n in r.missing.items():
            missing[ch] = missing.get(ch, 0) + n
    for _ in range(3):
        starts, names, where = [], [], {}
        for p, r in zip(parts, results):
            starts.append(len(names))
            for a, i in r.anchors.items():
                where.setdefault(a, len(names) + i)
            names += r.page_names
        toc = toc_entries(issue, where)
        n = len(names)
        if pad_to is None and print_mode:
            pad_to = 4
        blanks = (-n) % pad_to if pad_to and pad_to > 1 else 0
        names += [BLANK] * blanks
        if on_layout is not None:
            on_layout(len(names), toc)
            on_layout = None
        toc_pages = {a.id: str(first_folio + where[a.id]) for a in issue.articles}
        ci = next((k for k, p in enumerate(parts) if p.contents), None)
        calls = [(partial(render_furniture, issue, names, first_folio=first_folio, print_mode=print_mode,
                          running_head=running_head), (), len(names))]
        if ci is not None:
            calls.append((partial(render_part, issue, parts[ci], print_mode=print_mode, toc_pages=toc_pages),
                          (), parts[ci].weight))
        closing = run_calls(calls, jobs)
        furniture = closing[0]
        if ci is None or closing[1].page_names == results[ci].page_names:
            if ci is not None:
                results[ci] = closing[1]
            break
        results[ci] = closing[1]  # the numbers changed the contents' length: place again
    else:
        raise PublisherError("the contents pages do not settle: their length changes with their numbers")
    log_missing(missing)
    dx = verso_shift(issue)
    shifts = [dx if (first_folio + i) % 2 == 0 and names[i] != "cover" else 0.0 for i in range(len(names))]
    outline = [OutlineEntry(t.level, t.title, t.page_index, t.anchor) for t in toc]
    pdf = assemble(furniture, [PlacedPart(r.pdf, s) for r, s in zip(results, starts)],
                   shifts=shifts, outline=outline, print_mode=print_mode)
    return RenderedIssue(pdf=pdf, page_count=len(names), toc=toc, first_folio=first_folio,
                         blank_pages=blanks, replaced=missing)


def write_pdf(issue: Issue, out_path: Path, *, print_mode: bool = False) -> Path:
    """Render ``issue`` and write it atomically to ``out_path``."""
    rendered = render_issue(issue, print_mode=print_mode)
    return atomic_write(Path(out_path), rendered.pdf)
