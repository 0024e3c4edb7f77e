"""An issue typeset in parts, side by side, then assembled.

Every column starts on a new page, and the text block is as wide on a verso as on
a recto, so a run of columns set on its own breaks into exactly the lines and pages
it would get inside the whole issue; only where it lands (its folios, its running
heads, recto or verso) depends on what comes before.  So the issue is set as
independent **parts**:

* ``front`` — the cover and the 卷首语 column(s);
* ``contents`` — the contents, each entry with a column at the right for its page
  number (where it will point is not known yet);
* ``body`` parts — consecutive runs of the other columns, balanced by size.

Parts are set as rectos without furniture (html.part_page_css).  Once their page
counts are known, the folios are known, and the furniture document (furniture.py)
gives every page its running head and folio, every contents entry its page number
(in the column the contents part kept for it, :func:`number_slots`), and the PDF
its page boxes and marks; assemble.py draws the parts into it.  The parts are set
in parallel processes (parallel.py), and nothing but the furniture depends on
where the issue starts.  A 41-page issue on two cores: see scripts/benchmark.py.
"""
from __future__ import annotations

import hashlib
import logging
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
    slots: dict[str, list[float]] = field(default_factory=dict)  # contents entry → its number's place


# Where a contents entry's number goes (furniture.py prints it): article id →
# [page index in the part, right edge, top and height of the entry's last line], in
# pt from the page's top left corner (as a recto; the assembly moves versos).
Slots = dict[str, list[float]]


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
    """The typeset parts of ``issue`` in page order (front, contents, body runs).
    The body is cut into the fewest balanced runs of at most ``max_weight``
    (PART_WEIGHT) each — by size alone, never by the number of processors, so that
    every machine makes the same parts and the same PDF."""
    cols = column_views(issue)
    front_cols = [c for c in cols if c.front]
    rest = [c for c in cols if not c.front]
    parts = []
    if has_contents(issue):
        parts.append(Part("front", cover=True, front=bool(front_cols),
                          weight=2 * COLUMN_COST + sum(column_weight(c) for c in front_cols)))
    elif front_cols:
        parts.append(Part("front", front=True, weight=sum(column_weight(c) for c in front_cols)))
    if has_contents(issue):
        parts.append(Part("contents", contents=True,
                          weight=COLUMN_COST + sum(ARTICLE_COST for c in cols for _ in c.articles)))
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


def part_source(issue: Issue, part: Part, *, print_mode: bool,
                placed: dict | None = None) -> tuple[str, str, dict[str, int]]:
    """A part's HTML and page CSS (what it is made of: the part cache's key), and the
    characters no manifest font has (set as 〓).  ``placed``: html.photo_placements."""
    from .fonts import replace_uncovered

    html = part_html(issue, cover=part.cover, front=part.front, contents=part.contents, body=part.body,
                     print_mode=print_mode, placed=placed)
    html, missing = replace_uncovered(html)
    return html, part_page_css(issue, print_mode=print_mode), missing


def render_part(issue: Issue, part: Part, *, print_mode: bool,
                on_layout: Callable[[list[str], dict[str, int], dict[str, int], Slots], None] | None = None,
                source: tuple[str, str, dict[str, int]] | None = None, placed: dict | None = None) -> PartResult:
    """Typeset one part; ``on_layout(page_names, anchors, missing, slots)`` is called
    between layout and writing.  ``source``: its :func:`part_source`, if already made;
    ``placed``: html.photo_placements, if already made."""
    from . import fontmerge, speed
    from .writer import render_document

    html, css, missing = source or part_source(issue, part, print_mode=print_mode, placed=placed)
    with speed.no_gc(), speed.bare_margins():
        doc = render_document(html, css, after_css=PART_OVERRIDES, cmyk=print_mode)
        names = [p._page_box.page_type.name or "" for p in doc.pages]
        anchors: dict[str, int] = {}
        for i, page in enumerate(doc.pages):
            for name in page.anchors:
                anchors.setdefault(name, i)
        slots = number_slots(doc) if part.contents else {}
        if on_layout is not None:
            on_layout(names, anchors, missing, slots)
        ident = hashlib.sha256((part.name + html + css).encode("utf-8")).hexdigest()[:32].encode()
        with fontmerge.deferred():  # one subset per face, made by the assembly
            pdf = doc.write_pdf(pdf_identifier=ident)
        del doc
    return PartResult(pdf, names, anchors, missing, slots)


def number_slots(doc) -> Slots:
    """Where each contents entry's number goes in the laid-out contents part: the
    right end of the entry's last line (templates/pdf/contents.html.j2).  Reads
    WeasyPrint 70's box tree (the version is pinned; speed.py checks it)."""
    from weasyprint.formatting_structure import boxes

    px = 0.75  # WeasyPrint lays out in CSS px
    out: Slots = {}
    for i, page in enumerate(doc.pages):
        for box in page._page_box.descendants():
            ident = box.element.get("data-toc") if box.element is not None and box.element_tag == "a" else None
            if not ident or ident in out or not isinstance(box, boxes.BlockBox):
                continue  # the entry's own box comes first (an anonymous block may follow)
            lines = [d for d in box.descendants() if isinstance(d, boxes.LineBox)]
            if lines:
                last = lines[-1]
                right = box.border_box_x() + box.border_width()
                out[ident] = [i, round(right * px, 3), round(last.position_y * px, 3), round(last.height * px, 3)]
    return out


def typeset(issue: Issue, *, first_folio: int, print_mode: bool, running_head: str | None,
            pad_to: int | None, on_layout, jobs: int, cache=None, max_weight: float | None = None,
            merge_fonts: bool = True, placed: dict | None = None):
    """The issue's PDF, page count, contents entries, blank pages and replaced
    characters (writer.render_issue's work; see the module docstring).  ``placed``:
    html.photo_placements, made once for every part (made per part if not given)."""
    from .assemble import OutlineEntry, PlacedPart, assemble
    from .furniture import BLANK
    from .html import verso_shift
    from .parallel import Forked, lpt_bins
    from .writer import render_furniture

    parts = plan_parts(issue, max_weight=max_weight)
    layouts: dict[int, tuple] = {}
    pdfs: dict[int, bytes] = {}
    keys: dict[int, str] = {}
    sources: dict[int, tuple[str, str, dict[str, int]]] = {}
    if cache is not None:
        for i, part in enumerate(parts):
            sources[i] = part_source(issue, part, print_mode=print_mode, placed=placed)
            html, css, _ = sources[i]
            keys[i] = cache.key("part", html, css)
            hit = cache.get(keys[i])
            if hit is not None:
                pdfs[i] = hit[0]
                info = hit[1]
                layouts[i] = (info["page_names"], info["anchors"], info["missing"], info.get("slots", {}))
    todo = [i for i in range(len(parts)) if i not in pdfs]
    # This process sets the furniture at the end: it takes less of the parts.
    bins = [[todo[k] for k in b] for b in lpt_bins([parts[i].weight for i in todo], max(1, min(jobs, len(todo))),
                                                   head_start=CLOSING_WEIGHT if jobs > 1 else 0)]

    def work(indices, emit):
        for i in indices:
            r = render_part(issue, parts[i], print_mode=print_mode, source=sources.get(i), placed=placed,
                            on_layout=lambda n, a, m, sl, i=i: emit(("layout", i, n, a, m, sl)))
            if i in keys:
                cache.put(keys[i], r.pdf, {"page_names": r.page_names, "anchors": r.anchors,
                                           "missing": r.missing, "slots": r.slots})
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
        names: list[str] = []
        starts: list[int] = []
        where: dict[str, int] = {}
        for i, part in enumerate(parts):
            starts.append(len(names))
            for a, k in layouts[i][1].items():
                where.setdefault(a, len(names) + k)
            names += layouts[i][0]
        toc = toc_entries(issue, where)
        if pad_to is None and print_mode:
            pad_to = 4
        blanks = (-len(names)) % pad_to if pad_to and pad_to > 1 else 0
        names += [BLANK] * blanks
        if on_layout is not None:
            moved = on_layout(len(names), toc)
            if moved is not None and moved != first_folio:
                # Where the issue lands changes only its furniture: the same pages
                # serve if recto stays recto.
                if (moved - first_folio) % 2:
                    raise CannotMove(first_folio, moved)
                first_folio = moved
        dx = verso_shift(issue)
        shifts = [dx if (first_folio + i) % 2 == 0 and names[i] != "cover" else 0.0 for i in range(len(names))]
        numbers: list[tuple[int, float, float, float, str]] = []  # page, right, top, height, folio
        for i, part in enumerate(parts):
            for ident, (k, right, top, height) in layouts[i][3].items():
                page = starts[i] + int(k)
                numbers.append((page, right + shifts[page], top, height, str(first_folio + where[ident])))
        furniture = render_furniture(issue, names, first_folio=first_folio, print_mode=print_mode,
                                     running_head=running_head, numbers=numbers, cache=cache)
        for child, b in children:
            while not all(i in pdfs for i in b):
                take(child.next())
    finally:
        for child, _ in children:
            child.close()
    log_missing(missing)
    outline = [OutlineEntry(t.level, t.title, t.page_index, t.anchor) for t in toc]
    pdf = assemble(furniture, [PlacedPart(pdfs[i], starts[i]) for i in range(len(parts))],
                   shifts=shifts, outline=outline, print_mode=print_mode, merge_fonts=merge_fonts,
                   profile=print_profile(issue) if print_mode else None)
    return pdf, len(names), toc, blanks, missing, first_folio


def print_profile(issue: Issue):
    """The CMYK output profile of the issue's print PDF (pdfx.load_profile)."""
    from .pdfx import load_profile

    return load_profile(issue.meta.print_profile)


class CannotMove(Exception):
    """``on_layout`` asked for a first folio the laid-out pages cannot take (the
    other parity: rectos would become versos)."""

    def __init__(self, planned: int, asked: int):
        super().__init__(f"first folio {asked} cannot replace {planned}")
        self.planned, self.asked = planned, asked


# The furniture, set by this process after its parts, weighs about as much as this
# many characters of body text (scheduling only).
CLOSING_WEIGHT = 3000


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
