"""The PDF backend: one issue → a print-ready PDF (WeasyPrint + clreq patches).

Public API (used by ``publisher build --pdf`` and the anthology)::

    write_pdf(issue, out_path, *, print_mode=False) -> Path          # atomic write
    render_issue(issue, *, first_folio=1, print_mode=False,
                 running_head=None, pad_to=None, on_layout=None) -> RenderedIssue

``on_layout(page_count, toc)``, if given, is called after layout and before the PDF
is written (the anthology learns page counts early and stops renders it no longer
needs by raising from it).

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
tests), ``speed`` (build-time savings that leave the output as it is: no garbage
collection during layout, zlib level 6, one subsetting pass, font bytes copied once
per process), ``bench`` (``python -m publisher.pdf.bench INPUT``: time and peak memory).
"""
from __future__ import annotations

from .writer import RenderedIssue, TocEntry, render_issue, write_pdf

__all__ = ["RenderedIssue", "TocEntry", "render_issue", "write_pdf"]
