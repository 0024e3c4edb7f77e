"""The PDF backend: one issue → a print-ready PDF (WeasyPrint + clreq patches).

Public API (used by ``publisher build --pdf`` and the anthology)::

    write_pdf(issue, out_path, *, print_mode=False) -> Path          # atomic write
    render_issue(issue, *, first_folio=1, print_mode=False,
                 running_head=None, pad_to=None) -> RenderedIssue

``RenderedIssue.toc`` lists columns (level 1), articles (2) and their top-level
headings (3) with the 0-based page index where each is printed; the printed folio
of page *i* is ``first_folio + i``.  Contents-page entries are internal links
(GoTo to the article title's anchor) whose rectangle contains the printed number.
"""
from __future__ import annotations

from .writer import RenderedIssue, TocEntry, render_issue, write_pdf

__all__ = ["RenderedIssue", "TocEntry", "render_issue", "write_pdf"]
