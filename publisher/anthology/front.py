"""The anthology's front matter: cover, title page, book information, general contents.

Rendered with WeasyPrint from ``templates/anthology/front.html.j2`` and
``styles/anthology.css`` on the page geometry of the issues (the PDF backend's
``page_css``, so print mode has the same bleed and crop marks).  The general contents
is set once the plan knows every issue's first folio, so its numbers are the real
pages, printed as text; each entry is a link to an ``anthology:issue/<i>/<page>/<anchor>``
URI that :mod:`.merge` turns into a destination in the bound book.  The front matter
is padded to an even page count so that page 1 of the body is a recto; its folios are
lower-roman numerals.  The rendered front matter is cached like the issues.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..fetcher import url_fetcher
from ..paths import STYLES_DIR
from ..textio import atomic_write
from .cache import RenderCache, environment_digest, intact
from .config import BookMeta

BLANKS = 3  # at most three blank pages pad a print book to a multiple of four


@dataclass
class Front:
    pdf_paths: list[Path]  # the parts, in order
    page_count: int
    blanks_path: Path | None  # BLANKS blank pages of the book's geometry (print mode)
    cached: bool = False


def link_uri(issue_index: int, page_index: int, anchor: str = "") -> str:
    return f"anthology:issue/{issue_index}/{page_index}/{quote(anchor or '', safe='')}"


def parse_link_uri(uri: str) -> tuple[int, int, str] | None:
    m = re.fullmatch(r"anthology:issue/(\d+)/(\d+)/(.*)", uri)
    if not m:
        return None
    from urllib.parse import unquote

    return int(m.group(1)), int(m.group(2)), unquote(m.group(3))


def title_lines(title: str) -> list[str]:
    """《刊名》2023年合订本 → the name on one line, the rest on the next."""
    m = re.match(r"^(《[^》]+》)(.+)$", title.strip())
    return [m.group(1), m.group(2).strip()] if m else [title.strip()]


def contents_model(placed) -> list[dict[str, Any]]:
    """Issue → column → article with the real folios and link targets."""
    issues = []
    for p in placed:
        first = p.first_folio
        cols: list[dict[str, Any]] = []
        current = None
        for t in p.entry.toc:
            lvl = int(t["level"])
            if lvl == 1:
                current = {"name": t["title"], "page": first + t["page_index"],
                           "href": link_uri(p.index, t["page_index"], t.get("anchor", "")), "articles": []}
                cols.append(current)
            elif lvl == 2:
                if current is None:
                    current = {"name": "", "page": first + t["page_index"], "href": "", "articles": []}
                    cols.append(current)
                current["articles"].append({"title": re.sub(r"[ \u3000]+", "　", t["title"].strip()),
                                            "page": first + t["page_index"],
                                            "href": link_uri(p.index, t["page_index"], t.get("anchor", ""))})
        issues.append({"label": p.title, "page": first, "href": link_uri(p.index, 0, ""), "columns": cols})
    return issues


@lru_cache(maxsize=2)
def _anthology_css(cmyk: bool = False):
    from weasyprint import CSS

    from ..pdf.pdfx import cmyk_css
    from ..pdf.writer import _stylesheets

    fc, _ = _stylesheets(cmyk)
    path = STYLES_DIR / "anthology.css"
    if not path.is_file():
        return None
    if cmyk:
        return CSS(string=cmyk_css(path.read_text(encoding="utf-8")), base_url=str(path), font_config=fc,
                   url_fetcher=url_fetcher())
    return CSS(filename=str(path), font_config=fc, url_fetcher=url_fetcher())


@lru_cache(maxsize=4)
def _sheets(page_css: str, cmyk: bool = False):
    """Fonts, base.css, the page geometry, pdf.css, anthology.css — the PDF backend's order
    (``cmyk``: the print PDF's, every colour in device-cmyk(): pdf/pdfx.py).

    The font configuration and the parsed stylesheets are the PDF backend's own
    (:func:`publisher.pdf.writer._stylesheets`): fonts registered in place, not
    copied into a temporary folder per document as WeasyPrint's FontConfiguration
    does (about a second per front matter), and already parsed when the building
    process warmed them up before forking.
    """
    from weasyprint import CSS

    from ..pdf.pdfx import cmyk_css
    from ..pdf.writer import _stylesheets

    fc, (fonts, base, pdf) = _stylesheets(cmyk)
    geometry = cmyk_css(page_css) if cmyk else page_css
    sheets = [fonts, base, CSS(string=geometry, font_config=fc, url_fetcher=url_fetcher()), pdf]
    extra = _anthology_css(cmyk)
    if extra is not None:
        sheets.append(extra)
    return fc, sheets


def _page_css(book: BookMeta, print_mode: bool, first_folio: int = 1) -> str:
    from ..model import Issue, Meta
    from ..pdf.html import page_css

    return page_css(Issue(meta=Meta(page_size=book.page_size)), first_folio=first_folio, print_mode=print_mode)


def front_html(book: BookMeta, placed, part: list[dict[str, Any]], *, opening: bool,
               contents_title: bool = False) -> str:
    """One document of the front matter: the opening pages (cover, title page, book
    information), or a run of the general contents (the first one under its title)."""
    from ..render.env import render

    body_pages = sum(p.entry.page_count for p in placed)
    labels = [p.title for p in placed]
    return render("anthology/front.html.j2", book=book, issues=part, opening=opening, labels=labels,
                  contents_title=contents_title, title_lines=title_lines(book.title), body_pages=body_pages,
                  date=book.date)


def blanks_html() -> str:
    return ("<!DOCTYPE html><html><head><style>"
            "section { page: a-plain; break-after: page; height: 1px; } section:last-child { break-after: auto; }"
            "</style></head><body>" + "<section></section>" * BLANKS + "</body></html>")


def _render(html: str, *, page_css: str, title: str, author: str, date: str | None, print_mode: bool,
            blank_html: str | None = None, pad_from: int | None = None):
    """The PDF of ``html`` and its page count; with ``pad_from`` (pages before it in
    the front matter), a page of ``blank_html`` is added if the total would be odd."""
    import logging

    from ..pdf.speed import no_gc

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fc, sheets = _sheets(page_css, print_mode)
    with no_gc():
        return _render_doc(html, fc, sheets, title=title, author=author, date=date, print_mode=print_mode,
                           blank_html=blank_html if pad_from is not None else None, pad_from=pad_from or 0)


def _render_doc(html: str, fc, sheets, *, title: str, author: str, date: str | None, print_mode: bool,
                blank_html: str | None, pad_from: int = 0):
    from weasyprint import HTML

    doc = HTML(string=html, base_url=str(STYLES_DIR), url_fetcher=url_fetcher()).render(stylesheets=sheets, font_config=fc)
    pages = list(doc.pages)
    if blank_html and (pad_from + len(pages)) % 2:
        blank = HTML(string=blank_html, base_url=str(STYLES_DIR), url_fetcher=url_fetcher()).render(
            stylesheets=sheets, font_config=fc)
        pages.append(blank.pages[0])
        doc = doc.copy(pages)
    doc.metadata.title = title
    doc.metadata.authors = [author] if author else []
    if date:
        doc.metadata.created = doc.metadata.modified = f"{date[:10]}T00:00:00+00:00"
    ident = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    from ..pdf import fontmerge

    with fontmerge.deferred():  # the book's merge embeds each face once, for all of it
        pdf = doc.write_pdf(pdf_identifier=ident)
    if print_mode:
        from ..pdf.printmode import finish_print

        pdf = finish_print(pdf)
    return pdf, len(doc.pages)


PART_ISSUES = 24  # issues per separately rendered part of the general contents
# The opening pages — cover, its blank verso, title page, book information — one page
# each (styles/anthology.css): the general contents starts on folio v.
OPENING_PAGES = 4
COVER_PAGES = 2  # the cover and its blank verso: a print book's cover is a spread of its own (cover.py)


def render_front(book: BookMeta, placed, *, print_mode: bool, cache: RenderCache, scratch: Path | None) -> Front:
    """The front matter, from the cache or rendered.

    The opening pages are one document, set in a process of their own beside the
    general contents (the front matter is the last thing an anthology build waits
    for).  The general contents of hundreds of issues is long; it is rendered in
    parts of ``PART_ISSUES`` issues, each a WeasyPrint document whose roman folios
    continue the previous part's, so that the memory it takes does not grow with the
    book.  The last part is padded to make the front matter an even page count.
    """
    from .jobs import ChildCall

    model = contents_model(placed)
    groups = [model[i:i + PART_ISSUES] for i in range(0, len(model), PART_ISSUES)] or [[]]
    htmls = [front_html(book, placed, [], opening=True)] + [
        front_html(book, placed, g, opening=False, contents_title=(j == 0)) for j, g in enumerate(groups)]
    blank = blanks_html()
    base_css = _page_css(book, print_mode)
    h = hashlib.sha256(f"{environment_digest()}|{print_mode}|{book.date}|{base_css}|".encode())
    for html in htmls:
        h.update(html.encode())
        h.update(b"\0")
    key = h.hexdigest()
    folder = (cache.folder / "front") if cache.folder else scratch
    assert folder is not None
    meta_path = folder / f"front-{key}.json"
    blanks_path = folder / f"blanks-{key}.pdf" if print_mode else None
    paths = [folder / f"front-{key}-{j}.pdf" for j in range(len(htmls))]
    files = paths + ([blanks_path] if blanks_path is not None else [])
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        n, digests = int(meta["page_count"]), list(meta["sha256"])
        if len(digests) == len(files) and all(intact(f, d) for f, d in zip(files, digests)):
            os.utime(meta_path)  # recently used: kept by RenderCache.prune
            return Front(paths, n, blanks_path, cached=True)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not rendered yet, or damaged: rendered again

    digests: list[str] = [""] * len(files)

    def render_one(j: int, first: int, pad_from: int | None) -> tuple[int, str]:
        css = _page_css(book, print_mode, first_folio=first)
        pdf, n = _render(htmls[j], page_css=css, title=book.title, author=book.publisher, date=book.date,
                         print_mode=print_mode, pad_from=pad_from, blank_html=blank)
        atomic_write(paths[j], pdf)
        return n, hashlib.sha256(pdf).hexdigest()

    def contents(first: int) -> int:
        for j in range(1, len(htmls)):
            n, digests[j] = render_one(j, first, first - 1 if j == len(htmls) - 1 else None)
            first += n
        return first - 1

    opening = ChildCall(render_one, 0, 1, None)
    try:
        total = contents(OPENING_PAGES + 1)
        (n_opening, digests[0]), _ = opening.result()
    finally:
        opening.terminate()
    if n_opening != OPENING_PAGES:  # the contents' folios assumed four opening pages
        total = contents(n_opening + 1)
    if blanks_path is not None:
        bpdf, _ = _render(blank, page_css=base_css, title=book.title, author=book.publisher, date=book.date,
                          print_mode=print_mode)
        atomic_write(blanks_path, bpdf)
        digests[-1] = hashlib.sha256(bpdf).hexdigest()
    atomic_write(meta_path, json.dumps({"page_count": total, "parts": len(paths), "sha256": digests}))
    return Front(paths, total, blanks_path)
