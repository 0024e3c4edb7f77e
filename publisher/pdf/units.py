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
import math
from dataclasses import dataclass, field
from typing import Callable

from ..model import Issue
from .html import PART_OVERRIDES, column_views, heading_ids, is_single, part_html, part_page_css

# A body part weighs at most about this much (some fifteen pages): enough parts for two
# or more processes on a long issue, few enough that each part's fixed cost (its own
# document, its own font subsets) stays small; the anthology's part cache then sets
# again only the part an edit falls in.
PART_WEIGHT = 20000

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


def has_contents(issue: Issue) -> bool:
    return not is_single(issue)


def plan_parts(issue: Issue, *, max_weight: float | None = None) -> list[Part]:
    """The typeset parts of ``issue`` in page order (front, body runs); the contents
    goes between front and body, set with the furniture.  The body is cut into the
    fewest balanced runs of at most ``max_weight`` (PART_WEIGHT) each — by size
    alone, never by the number of processors, so that every machine makes the same
    parts and the same PDF."""
    cols = column_views(issue)
    front_cols = [c for c in cols if c.front]
    rest = [c for c in cols if not c.front]
    parts = []
    if has_contents(issue):
        parts.append(Part("front", cover=True, front=bool(front_cols),
                          weight=2 * COLUMN_COST + sum(column_weight(c) for c in front_cols)))
    elif front_cols:
        parts.append(Part("front", front=True, weight=sum(column_weight(c) for c in front_cols)))
    weights = [column_weight(c) for c in rest]
    # The fewest runs of at most ``limit`` (a heavier column is a run of its own),
    # packed in order; then the same number of runs, balanced.
    limit = max_weight or PART_WEIGHT
    pieces, load = 0, None
    for w in weights:
        if load is None or load + w > limit:
            pieces, load = pieces + 1, w
        else:
            load += w
    for k, run in enumerate(split_balanced(weights, pieces)):
        parts.append(Part(f"body{k + 1}", body=run, weight=sum(weights[i] for i in run)))
    return parts


def part_source(issue: Issue, part: Part, *, print_mode: bool) -> tuple[str, str, dict[str, int]]:
    """A part's HTML and page CSS (what it is made of: the part cache's key), and the
    characters no manifest font has (set as 〓)."""
    from .fonts import replace_uncovered

    html = part_html(issue, cover=part.cover, front=part.front, body=part.body, print_mode=print_mode)
    html, missing = replace_uncovered(html)
    return html, part_page_css(issue, print_mode=print_mode), missing


def render_part(issue: Issue, part: Part, *, print_mode: bool,
                on_layout: Callable[[list[str], dict[str, int], dict[str, int]], None] | None = None,
                source: tuple[str, str, dict[str, int]] | None = None) -> PartResult:
    """Typeset one part; ``on_layout(page_names, anchors, missing)`` is called between
    layout and writing.  ``source``: its :func:`part_source`, if already made."""
    from . import fontmerge, speed
    from .writer import render_document

    html, css, missing = source or part_source(issue, part, print_mode=print_mode)
    with speed.no_gc(), speed.bare_margins():
        doc = render_document(html, css, after_css=PART_OVERRIDES)
        names = [p._page_box.page_type.name or "" for p in doc.pages]
        anchors: dict[str, int] = {}
        for i, page in enumerate(doc.pages):
            for name in page.anchors:
                anchors.setdefault(name, i)
        if on_layout is not None:
            on_layout(names, anchors, missing)
        ident = hashlib.sha256((part.name + html + css).encode("utf-8")).hexdigest()[:32].encode()
        with fontmerge.deferred():  # one subset per face, made by the assembly
            pdf = doc.write_pdf(pdf_identifier=ident)
        del doc
    return PartResult(pdf, names, anchors, missing)


def estimate_contents_pages(issue: Issue) -> int:
    """Pages the contents will take (checked when it is set: a wrong guess costs one
    more setting of the furniture).  Columns are kept whole (break-inside: avoid)."""
    from .html import geometry

    g = geometry(issue.meta.page_size)
    mm = 72 / 25.4
    width, height = g.block_width, g.block_height
    used = 20 * 1.3 + 9 * 1.3 + 6 * mm + 1.2  # title, its English line, rule and space
    pages = 1
    for c in column_views(issue):
        h = (10.5 * 1.5 + 0.5 * mm if c.name else 0) + 2.5 * mm
        for a in c.articles:
            chars = len(a.title) + (0.9 * (len("　".join(x.name for x in a.authors)) + 1)
                                    if a.authors and a.kind != "editorial" else 0)
            line = width - 10.0  # the 1 em indent of an entry
            need = chars * 10.0 + 3 * 10.0  # the leader's least and a three-digit folio
            h += 10 * 1.5 * max(1, math.ceil(need / line))
        if used + h > height and used > 0:
            pages += 1
            used = 0.0
        used += h
    return pages


def typeset(issue: Issue, *, first_folio: int, print_mode: bool, running_head: str | None,
            pad_to: int | None, on_layout, jobs: int, cache=None, max_weight: float | None = None,
            merge_fonts: bool = True):
    """The issue's PDF, page count, contents entries, blank pages and replaced
    characters (writer.render_issue's work; see the module docstring)."""
    from ..errors import PublisherError
    from .assemble import OutlineEntry, PlacedPart, assemble
    from .furniture import BLANK, CONTENTS
    from .html import verso_shift
    from .parallel import Forked, lpt_bins
    from .writer import render_furniture

    parts = plan_parts(issue, max_weight=max_weight)
    contents = has_contents(issue)
    layouts: dict[int, tuple] = {}
    pdfs: dict[int, bytes] = {}
    keys: dict[int, str] = {}
    sources: dict[int, tuple[str, str, dict[str, int]]] = {}
    if cache is not None:
        for i, part in enumerate(parts):
            sources[i] = part_source(issue, part, print_mode=print_mode)
            html, css, _ = sources[i]
            keys[i] = cache.key("part", html, css)
            hit = cache.get(keys[i])
            if hit is not None:
                pdfs[i] = hit[0]
                info = hit[1]
                layouts[i] = (info["page_names"], info["anchors"], info["missing"])
    todo = [i for i in range(len(parts)) if i not in pdfs]
    # This process sets the furniture and contents at the end: it takes less of the parts.
    bins = [[todo[k] for k in b] for b in lpt_bins([parts[i].weight for i in todo], max(1, min(jobs, len(todo))),
                                                   head_start=CLOSING_WEIGHT if jobs > 1 else 0)]

    def work(indices, emit):
        for i in indices:
            r = render_part(issue, parts[i], print_mode=print_mode, source=sources.get(i),
                            on_layout=lambda n, a, m, i=i: emit(("layout", i, n, a, m)))
            if i in keys:
                cache.put(keys[i], r.pdf, {"page_names": r.page_names, "anchors": r.anchors,
                                           "missing": r.missing})
            emit(("pdf", i, r.pdf))

    def take(message):
        kind, i, *rest = message
        if kind == "layout":
            layouts[i] = tuple(rest)
        else:
            pdfs[i] = rest[0]

    children = [(Forked(lambda emit, b=b: work(b, emit)), b) for b in bins[1:] if b]
    try:
        work(bins[0] if bins else [], take)
        import pikepdf  # noqa: F401  (the assembly's; loaded while the children finish)
        for child, b in children:
            while not all(i in layouts for i in b):
                take(child.next())
        missing: dict[str, int] = {}
        for i in range(len(parts)):
            for ch, n in layouts[i][2].items():
                missing[ch] = missing.get(ch, 0) + n
        reported = False
        n_contents = 0
        digits_at: Callable[[int], int] | None = None  # folio → digits the contents was laid out with
        if contents:
            n_contents = estimate_contents_pages(issue)
            if on_layout is not None:
                # The page count goes out before the contents is set: make it exact.
                body = sum(len(layouts[i][0]) for i in range(len(parts)))
                digits_at = lambda f, extra=body + n_contents + 8: len(str(f + extra))  # noqa: E731
                n_contents = contents_pages(issue, digits=digits_at(first_folio), print_mode=print_mode,
                                            cache=cache)
        for _ in range(4):
            names: list[str] = []
            starts: list[int] = []
            where: dict[str, int] = {}
            placed = False
            for i, part in enumerate(parts):
                if part.name != "front" and not placed:  # the contents follows the front
                    names += [CONTENTS] * n_contents
                    placed = True
                starts.append(len(names))
                for a, k in layouts[i][1].items():
                    where.setdefault(a, len(names) + k)
                names += layouts[i][0]
            if not placed:
                names += [CONTENTS] * n_contents
            toc = toc_entries(issue, where)
            n = len(names)
            if pad_to is None and print_mode:
                pad_to = 4
            blanks = (-n) % pad_to if pad_to and pad_to > 1 else 0
            names += [BLANK] * blanks
            if on_layout is not None and not reported:
                moved = on_layout(len(names), toc)
                reported = True
                if moved is not None and moved != first_folio:
                    # Where the issue lands changes only its furniture: the same pages
                    # serve if recto stays recto and the contents' numbers keep their width.
                    if (moved - first_folio) % 2 or (digits_at and digits_at(moved) != digits_at(first_folio)):
                        raise CannotMove(first_folio, moved)
                    first_folio = moved
            toc_pages = {a.id: str(first_folio + where[a.id]) for a in issue.articles} if contents else None
            try:
                furniture = render_furniture(issue, names, first_folio=first_folio, print_mode=print_mode,
                                             running_head=running_head, toc_pages=toc_pages, cache=cache)
                break
            except ContentsLength as e:
                if reported:
                    raise PublisherError("the contents pages changed length after the page count was "
                                         "reported (internal error)") from None
                n_contents += e.extra  # the contents took more (or fewer) pages: place again
        else:
            raise PublisherError("the contents pages do not settle: their length changes with their numbers")
        for child, b in children:
            while not all(i in pdfs for i in b):
                take(child.next())
    finally:
        for child, _ in children:
            child.close()
    log_missing(missing)
    dx = verso_shift(issue)
    shifts = [dx if (first_folio + i) % 2 == 0 and names[i] != "cover" else 0.0 for i in range(len(names))]
    outline = [OutlineEntry(t.level, t.title, t.page_index, t.anchor) for t in toc]
    pdf = assemble(furniture, [PlacedPart(pdfs[i], starts[i]) for i in range(len(parts))],
                   shifts=shifts, outline=outline, print_mode=print_mode, merge_fonts=merge_fonts)
    return pdf, len(names), toc, blanks, missing, first_folio


def contents_pages(issue: Issue, *, digits: int, print_mode: bool, cache=None) -> int:
    """Pages the contents takes, laid out with folios of ``digits`` digits (kept in
    the part cache: it depends on the titles, not on where the issue sits)."""
    from . import speed
    from .furniture import CONTENTS, furniture_css, furniture_html
    from .fonts import replace_uncovered
    from .writer import render_document

    html, _ = replace_uncovered(furniture_html(issue, [CONTENTS], {a.id: "8" * digits for a in issue.articles}))
    css = furniture_css(issue, first_folio=1, print_mode=print_mode, running_head=None)
    key = cache.key("contents-pages", html, css) if cache is not None else None
    if key is not None and (hit := cache.get(key)) is not None:
        return int(hit[1]["pages"])
    with speed.no_gc():
        n = len(render_document(html, css).pages)
    if key is not None:
        cache.put(key, b"", {"pages": n})
    return n


class CannotMove(Exception):
    """``on_layout`` asked for a first folio the laid-out pages cannot take (the other
    parity, or contents numbers of another width)."""

    def __init__(self, planned: int, asked: int):
        super().__init__(f"first folio {asked} cannot replace {planned}")
        self.planned, self.asked = planned, asked


class ContentsLength(Exception):
    """The contents set in the furniture took ``extra`` more pages than planned."""

    def __init__(self, extra: int):
        super().__init__(extra)
        self.extra = extra


# The furniture and contents, set by this process after its parts, weigh about as
# much as this many characters of body text (scheduling only).
CLOSING_WEIGHT = 5000


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
