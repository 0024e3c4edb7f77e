"""The PDF backend: one issue → a print-ready PDF (WeasyPrint + clreq patches).

Public API (used by ``publisher build --pdf`` and the anthology)::

    write_pdf(issue, out_path, *, print_mode=False) -> Path          # atomic write
    render_issue(issue, *, first_folio=1, print_mode=False,
                 running_head=None, pad_to=None) -> RenderedIssue

``RenderedIssue.toc`` lists columns (level 1), articles (2) and their top-level
headings (3) with the 0-based page index where each is printed; the printed folio
of page *i* is ``first_folio + i``.  Contents-page entries are internal links
(GoTo to the article title's anchor) whose rectangle contains the printed number.

Modules: ``html`` (page geometry, document HTML from ``templates/pdf/``), ``writer``
(WeasyPrint, padding, toc), ``cjk`` (inter-character justification and line-edge
Han–Western spacing: the one place that extends WeasyPrint 70), ``fonts`` (the
manifest's faces as files WeasyPrint can load, registered in place; full-width
quotes for Kai/Fangsong; characters no manifest font has become 〓), ``printmode``
(3 mm BleedBox, crop marks in a 12 mm slug; the print PDF is WeasyPrint's PDF/A-2b),
``measure`` (reads a rendered PDF back: lines, links, outline, glyphs — used by the
tests), ``bench`` (``python -m publisher.pdf.bench INPUT``: time and peak memory).
"""
from __future__ import annotations

from .writer import RenderedIssue, TocEntry, render_issue, write_pdf

__all__ = ["RenderedIssue", "TocEntry", "render_issue", "write_pdf"]
