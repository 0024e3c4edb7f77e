"""The PDF backend: one issue → a print-ready PDF (WeasyPrint + clreq patches).

Public API (used by ``publisher build --pdf`` and the anthology)::

    write_pdf(issue, out_path, *, print_mode=False) -> Path          # atomic write
    render_issue(issue, *, first_folio=1, print_mode=False, running_head=None,
                 pad_to=None, on_layout=None, jobs=None, part_cache=None,
                 part_weight=None) -> RenderedIssue

An issue is typeset in **parts** (``units``): the cover and 卷首语, then runs of
columns, each its own WeasyPrint document set as rectos without page furniture —
a column starts a new page and the text block is as wide on both sides, so a part
breaks the same wherever it lands.  Parts are set side by side in forked processes
(``parallel``; ``jobs``, default one per CPU) and may be kept in a ``part_cache``
(``partcache``).  Once their page counts are known, the ``furniture`` document sets
every page's running head and folio (where the margin boxes would), the contents
with its real page numbers, page boxes, marks and metadata, and ``assemble`` draws
each part's page into its furniture page (verso pages moved across), re-points the
contents links and writes the outline.  The parts depend only on the issue's text
and page geometry, never on the machine: the same input gives the same bytes.

``on_layout(page_count, toc)``, if given, is called once every part is laid out,
before the contents and furniture are set (the anthology learns page counts early
and stops renders it no longer needs by raising from it).

``RenderedIssue.toc`` lists columns (level 1), articles (2) and their top-level
headings (3) with the 0-based page index where each is printed; the printed folio
of page *i* is ``first_folio + i``.  Contents-page entries are internal links (to
the article title's named destination) whose rectangle contains the printed number.

Modules: ``html`` (page geometry, document and part HTML from ``templates/pdf/``),
``units`` (parts: plan, setting, the issue's assembly order), ``furniture``,
``assemble``, ``fontmerge`` (parts written with placeholder font programs; one
subset per face for the issue, or for a whole anthology), ``parallel``,
``partcache``, ``dests`` (named destinations read back),
``writer`` (WeasyPrint documents, render_issue), ``cjk`` (inter-character
justification and line-edge Han–Western spacing: the one place that extends
WeasyPrint 70's typography), ``fonts`` (the manifest's faces as files WeasyPrint can
load, registered in place; full-width quotes for Kai/Fangsong; characters no
manifest font has become 〓), ``printmode`` (3 mm BleedBox in a 12 mm slug),
``pdfx`` (the print PDF as PDF/X-4: device-cmyk() colours, K100 text overprinting,
crop marks in registration colour, the CMYK output intent, XMP, no annotations), ``measure`` (reads a rendered PDF
back: lines, links, outline, glyphs — used by the tests), ``speed`` (build-time
savings that leave the output as it is: no garbage collection during layout, zlib
level 6, one subsetting pass, font bytes copied once per process, no empty margin
boxes), ``bench`` (``python -m publisher.pdf.bench INPUT``: time and peak memory).
"""
from __future__ import annotations

from .writer import RenderedIssue, TocEntry, render_issue, write_pdf

__all__ = ["RenderedIssue", "TocEntry", "render_issue", "write_pdf"]
