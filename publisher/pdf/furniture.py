"""The page furniture of an issue: running heads, folios, page boxes, print marks.

An issue typeset in parts (units.py) has no furniture on its parts' pages: where a
part lands in the issue is known only once the parts before it are laid out.  So
the furniture is a document of its own, with one empty page per page of the issue,
each on the named page of what will be printed there (one element per run of
pages, so that a column's pages form one page group as in the issue) (``cover``, ``contents``,
``colN`` of column N, ``pubblank`` for padding): styles/pdf.css and the generated
page geometry (html.page_css: mirrored margins, the first folio, running heads by
column, none on a column's first page) then set heads and folios exactly as they
would be set for the issue as one document.  It is cheap (a few ms a page) and it
is also where the PDF's metadata, page boxes, crop marks and PDF/A variant come from,
and where the contents is set, its folios known by then (one document less to set):
the assembly (assemble.py) draws each part's page into its furniture page.
"""
from __future__ import annotations

from itertools import groupby

from ..model import Issue
from ..render.env import environment
from .html import authors_text, column_views, iso_date, page_css

BLANK = "pubblank"

_FURNITURE_CSS = f"""
.fp {{ break-after: page; height: 1px; margin: 0; }}
section:last-child .fp:last-child {{ break-after: auto; }}
@page {BLANK} {{ @top-center {{ content: none; }} @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
"""


def furniture_html(issue: Issue, page_names: list[str], toc_pages: dict[str, str] | None = None) -> str:
    """One page per entry of ``page_names``; with ``toc_pages`` (article id → folio)
    the contents is set on the ``contents`` pages."""
    cols = column_views(issue)
    meta = issue.meta
    authors = sorted({a.name for art in issue.articles for a in art.authors})
    return environment().get_template("pdf/furniture.html.j2").render(
        meta=meta,
        title=meta.title or (issue.articles[0].title if issue.articles else "publisher"),
        doc_author=meta.publisher or "、".join(authors[:6]),
        subject=meta.publisher or meta.magazine,
        keywords=", ".join(c.name for c in cols if c.name),
        created=iso_date(issue),
        runs=[(name, len(list(group))) for name, group in groupby(page_names)],
        toc_pages=toc_pages,
        all_columns=cols,
        authors_text=authors_text,
    )


def furniture_css(issue: Issue, *, first_folio: int, print_mode: bool, running_head: str | None) -> str:
    css = page_css(issue, first_folio=first_folio, print_mode=print_mode, running_head=running_head,
                   columns=column_views(issue))
    return css + _FURNITURE_CSS
