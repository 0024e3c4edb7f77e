"""An issue typeset in parts, side by side, then assembled.

Every column starts on a new page, and the text block is as wide on a verso as on
a recto, so a run of columns set on its own breaks into exactly the lines and pages
it would get inside the whole issue; only where it lands (its folios, its running
heads, recto or verso) depends on what comes before.  So the issue is set as
independent **parts**:

* ``front`` — the cover and the 卷首语 column(s);
* ``contents`` — the contents, set last, its page numbers given as text;
* ``body`` parts — consecutive runs of the other columns, balanced by size.

Parts are set as rectos without furniture (html.part_page_css).  Once their page
counts are known, the folios are known; the contents is set with them, and the
furniture document (furniture.py) gives every page its running head, folio, page
boxes and marks; assemble.py draws the parts into it.  The parts and the two
closing documents are set in parallel processes (parallel.py).  A 41-page issue
on two cores: see scripts/benchmark.py.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from ..model import Issue
from .html import PART_OVERRIDES, column_views, heading_ids, part_html, part_page_css

# Estimated size of a column, in characters of body text: what a part's share of the
# work is judged by.  A headline, its byline and the space around it cost about as
# much as this many characters of text; a column opener about as much again.
ARTICLE_COST = 400
COLUMN_COST = 300


@dataclass(frozen=True)
class Part:
    name: str
    cover: bool = False
    front: bool = False
    contents: bool = False
    body: tuple[int, ...] = ()  # indices into the non-front columns
    weight: float = 0.0


@dataclass
class PartResult:
    pdf: bytes
    page_names: list[str]  # the named page of each page (cover, contents, colN, "")
    anchors: dict[str, int]  # id → page index in this part
    missing: dict[str, int] = field(default_factory=dict)


def column_weight(col) -> float:
    return COLUMN_COST + sum(ARTICLE_COST + sum(len(b.text) for b in a.blocks) for a in col.articles)


def split_balanced(weights: list[float], pieces: int) -> list[tuple[int, ...]]:
    """Consecutive runs of ``weights`` (at most ``pieces``), the heaviest as light as
    possible (linear partition)."""
    n = len(weights)
    pieces = max(1, min(pieces, n))
    if n == 0:
        return []
    prefix = [0.0]
    for w in weights:
        prefix.append(prefix[-1] + w)
    inf = float("inf")
    # best[k][i]: the lightest heaviest run splitting the first i items into k runs.
    best = [[inf] * (n + 1) for _ in range(pieces + 1)]
    cut = [[0] * (n + 1) for _ in range(pieces + 1)]
    best[0][0] = 0.0
    for k in range(1, pieces + 1):
        for i in range(1, n + 1):
            for j in range(k - 1, i):
                v = max(best[k - 1][j], prefix[i] - prefix[j])
                if v < best[k][i]:
                    best[k][i], cut[k][i] = v, j
    runs = []
    i = n
    for k in range(pieces, 0, -1):
        j = cut[k][i]
        runs.append(tuple(range(j, i)))
        i = j
    return [r for r in reversed(runs) if r]


def plan_parts(issue: Issue, *, body_parts: int = 2) -> list[Part]:
    """The parts of ``issue`` in page order (front, contents, body runs)."""
    cols = column_views(issue)
    single = len(issue.articles) == 1 and not any(c.name for c in cols)
    front_cols = [c for c in cols if c.front]
    rest = [c for c in cols if not c.front]
    parts = []
    if not single:
        parts.append(Part("front", cover=True, front=bool(front_cols),
                          weight=2 * COLUMN_COST + sum(column_weight(c) for c in front_cols)))
        parts.append(Part("contents", contents=True,
                          weight=COLUMN_COST + 40 * sum(len(c.articles) for c in cols)))
    elif front_cols:
        parts.append(Part("front", front=True, weight=sum(column_weight(c) for c in front_cols)))
    weights = [column_weight(c) for c in rest]
    for k, run in enumerate(split_balanced(weights, body_parts)):
        parts.append(Part(f"body{k + 1}", body=run, weight=sum(weights[i] for i in run)))
    return parts


def render_part(issue: Issue, part: Part, *, print_mode: bool, toc_pages: dict[str, str] | None = None,
                count_only: bool = False) -> PartResult:
    """Typeset one part (or, ``count_only``, only lay it out: page names, no PDF)."""
    from . import speed
    from .fonts import replace_uncovered
    from .writer import render_document

    html = part_html(issue, cover=part.cover, front=part.front, contents=part.contents, body=part.body,
                     toc_pages=toc_pages, print_mode=print_mode)
    html, missing = replace_uncovered(html)
    css = part_page_css(issue, print_mode=print_mode)
    with speed.no_gc():
        doc = render_document(html, css, after_css=PART_OVERRIDES)
        names = [p._page_box.page_type.name or "" for p in doc.pages]
        anchors: dict[str, int] = {}
        for i, page in enumerate(doc.pages):
            for name in page.anchors:
                anchors.setdefault(name, i)
        pdf = b""
        if not count_only:
            ident = hashlib.sha256((part.name + html + css).encode("utf-8")).hexdigest()[:32].encode()
            pdf = doc.write_pdf(pdf_identifier=ident)
        del doc
    return PartResult(pdf, names, anchors, missing)


def log_missing(missing: dict[str, int]) -> None:
    if missing:
        listing = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(missing))
        logging.getLogger("publisher.pdf").warning("no font in fonts/manifest.toml has %s: set as 〓", listing)


def toc_entries(issue: Issue, where: dict[str, int]):
    """Columns, articles and their top-level headings with the page each is on."""
    from ..errors import PublisherError
    from .writer import TocEntry

    out = []
    for col in column_views(issue):
        if col.name and col.id in where:
            out.append(TocEntry(1, col.name, where[col.id], None, col.id))
        for a in col.articles:
            if a.id not in where:
                raise PublisherError(f"article {a.id} ({a.title}) was not laid out")
            out.append(TocEntry(2, a.title, where[a.id], a.id, a.id))
            for bi, hid in heading_ids(a).items():
                if hid in where:
                    out.append(TocEntry(3, a.blocks[bi].text, where[hid], a.id, hid))
    return out
