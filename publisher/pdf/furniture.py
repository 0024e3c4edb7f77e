"""The page furniture of an issue: running heads, folios, page boxes, print marks.

An issue typeset in parts (units.py) has no furniture on its parts' pages: where a
part lands in the issue is known only once the parts before it are laid out.  So
the furniture is a document of its own, one page per page of the issue, each with
what the page margins of the issue set as one document would carry (html.page_css
and styles/pdf.css): on a verso the magazine and issue at the outer edge, on a recto
the column's name, none on a column's first page, on the cover, the contents or a
blank page; the folio at the outer edge of every page but the cover and blanks.

Heads and folios are set as absolutely placed blocks, in the margin boxes' fonts,
sizes, rules and positions (tests/test_pdf.py compares them with the margin boxes of
the issue set as one document): WeasyPrint's margin boxes cost about twice as much
a page.  The contents' page numbers are placed the same way, each flush right in
the column its entry keeps for it (units.number_slots), on a white ground that ends
the dotted leader beneath.  The furniture document also carries the PDF's metadata,
page boxes, crop marks and PDF/A variant: the assembly (assemble.py) draws each
part's page into its furniture page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Issue
from ..render.env import environment
from .html import PT_PER_MM, column_views, geometry, iso_date, page_css

BLANK = "pubblank"
CONTENTS = "contents"


@dataclass
class FurniturePage:
    side: str  # "verso" or "recto"
    head: str = ""
    folio: str = ""
    # Contents page numbers: (left, top, width, height in pt, text), each printed
    # flush right in its box (the column the contents part kept, units.number_slots).
    numbers: list[tuple[float, float, float, float, str]] = field(default_factory=list)


# The box a contents number is printed in, flush right: wider than the column the
# entry keeps for it (styles/pdf.css, a.toc-slot: 2.6 em of 10 pt, four digits), so a
# longer number still ends at the margin; only the number has a white ground.
NUMBER_BOX = 60.0


def furniture_pages(issue: Issue, page_names: list[str], *, first_folio: int,
                    running_head: str | None,
                    numbers: list[tuple[int, float, float, float, str]] = ()) -> list[FurniturePage]:
    """What each page carries.  ``numbers``: contents page numbers as (page, right
    edge, top, height, text)."""
    names_of = {c.page_name: c.name for c in column_views(issue)}
    verso_head = running_head if running_head is not None else issue.meta.title
    out: list[FurniturePage] = []
    prev = None
    for i, name in enumerate(page_names):
        side = "verso" if (first_folio + i) % 2 == 0 else "recto"
        first_of_group = name != prev
        prev = name
        if name == CONTENTS:  # a folio, no running head
            out.append(FurniturePage(side, "", str(first_folio + i)))
        elif name in ("cover", BLANK):
            out.append(FurniturePage(side))
        else:
            head = ""  # none on a column's first page
            if not (first_of_group and name in names_of):
                head = (verso_head or "") if side == "verso" else names_of.get(name, "")
            out.append(FurniturePage(side, head, str(first_folio + i)))
    for page, right, top, height, text in sorted(numbers):
        out[page].numbers.append((round(right - NUMBER_BOX, 3), top, NUMBER_BOX, height, text))
    return out


def furniture_html(issue: Issue, page_names: list[str], *, first_folio: int = 1,
                   running_head: str | None = None,
                   numbers: list[tuple[int, float, float, float, str]] = ()) -> str:
    """One page per entry of ``page_names``, with the contents page ``numbers`` (see
    :func:`furniture_pages`)."""
    cols = column_views(issue)
    meta = issue.meta
    authors = sorted({a.name for art in issue.articles for a in art.authors})
    pages = furniture_pages(issue, page_names, first_folio=first_folio, running_head=running_head,
                            numbers=numbers)
    return environment().get_template("pdf/furniture.html.j2").render(
        meta=meta,
        title=meta.title or (issue.articles[0].title if issue.articles else "publisher"),
        doc_author=meta.publisher or "、".join(authors[:6]),
        subject=meta.publisher or meta.magazine,
        keywords=", ".join(c.name for c in cols if c.name),
        created=iso_date(issue),
        pages=pages,
    )


def furniture_css(issue: Issue, *, first_folio: int, print_mode: bool, running_head: str | None) -> str:
    """The issue's page size (and, printing, bleed and marks) and the placed heads,
    folios and contents numbers: heads and folios where styles/pdf.css puts the margin
    boxes' contents (line height 1.75 as they inherit it): the rule under a head 6 mm
    above the text block, 2 mm below the head; a folio 5 mm below it."""
    g = geometry(issue.meta.page_size)
    h = (g.height_mm - 0.5) * PT_PER_MM  # the height of .fp
    # The page geometry without the running-head rules by column: heads are placed
    # here, and every @page rule is matched against every page.
    css = page_css(issue, first_folio=first_folio, print_mode=print_mode, running_head=running_head)
    return css + f"""
@page pubfur {{ margin: 0; @top-center {{ content: none; }} @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.fp {{ page: pubfur; position: relative; height: {g.height_mm - 0.5}mm; margin: 0; break-after: page; }}
.fp:last-child {{ break-after: auto; }}
.fp p {{ position: absolute; width: {g.block_width:.3f}pt; margin: 0; text-indent: 0; line-height: 1.75;
         font-family: "Pub Song", serif; }}
.fp .rh {{ bottom: {h - g.top + 6 * PT_PER_MM:.3f}pt; font-size: 8pt; color: #333;
           padding-bottom: 2mm; border-bottom: 0.4pt solid #666; }}
.fp .fo {{ top: {h + 0.5 * PT_PER_MM - g.bottom + 5 * PT_PER_MM:.3f}pt; font-size: 9pt; }}
.fp.verso p.tn, .fp.recto p.tn {{ font-size: 10pt; text-align: right; }}
.fp p.tn span {{ background: #fff; padding-left: 0.3em; }}
.fp.verso p {{ left: {g.outer:.3f}pt; text-align: left; }}
.fp.recto p {{ left: {g.inner:.3f}pt; text-align: right; }}
"""
