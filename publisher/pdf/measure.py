"""Measure a rendered issue PDF: body lines, their ends, and what starts them.

Used by the tests (tests/test_cjk_typesetting.py) and the benchmark to check the
clreq acceptance on the real output: glyph positions come from pdfplumber.

A *body line* is a line of the main text set in the body font at the body size
(Pub Song 10.5 pt, with its run-in Hei bold leads); the *last line* of a
paragraph is recognised by what follows it: an indented first line of the next
paragraph, something that is not body text, or nothing.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from .html import BODY_SIZE, Geometry

CLOSING = "，。、；：？！）》」』】〕〉”’…—·"  # may not start a line (clreq §3.1.7)
CLOSING_HANG = "，。、；：？！）》」』】〕〉”’"  # may hang past the edge
OPENING = "（《「『【〔〈“‘"  # may not end a line


@dataclass
class Line:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    fonts: set[str]
    text: str
    chars: list = field(default_factory=list, repr=False)

    @property
    def is_body(self) -> bool:
        return abs(self.size - BODY_SIZE) < 0.05 and any("Song" in f or "Hei" in f for f in self.fonts) \
            and all(("Song" in f or "Hei" in f) for f in self.fonts)


def _font(name: str) -> str:
    return name.split("+", 1)[-1]


def lines_of(pdf: bytes) -> list[Line]:
    """Text lines of every page in reading order (top to bottom)."""
    import pdfplumber

    out: list[Line] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for pi, page in enumerate(doc.pages):
            chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
            chars.sort(key=lambda c: (round(c["bottom"], 0), c["x0"]))
            rows: list[list[dict]] = []
            for c in sorted(chars, key=lambda c: c["bottom"]):
                for row in reversed(rows[-3:]):
                    if abs(row[0]["bottom"] - c["bottom"]) < 1.5 and abs(row[0]["size"] - c["size"]) < 1.5:
                        row.append(c)
                        break
                else:
                    rows.append([c])
            for row in rows:
                row.sort(key=lambda c: c["x0"])
                # A row may hold separate blocks (a folio and a running head): split
                # at a gap wider than 4 em.
                groups = [[row[0]]]
                for c in row[1:]:
                    if c["x0"] - groups[-1][-1]["x1"] > 4 * c["size"]:
                        groups.append([c])
                    else:
                        groups[-1].append(c)
                for g in groups:
                    sizes = sorted(c["size"] for c in g)
                    out.append(Line(
                        page=pi, top=min(c["top"] for c in g), x0=g[0]["x0"], x1=max(c["x1"] for c in g),
                        size=sizes[len(sizes) // 2], fonts={_font(c["fontname"]) for c in g},
                        text="".join(c["text"] for c in g), chars=g,
                    ))
            out.sort(key=lambda ln: (ln.page, ln.top, ln.x0))
    return out


def block_edges(geom: Geometry, page_index: int, first_folio: int = 1, offset: float = 0.0) -> tuple[float, float]:
    """Left and right edge (pt) of the text block on a page; odd folios are rectos."""
    recto = (first_folio + page_index) % 2 == 1
    left = geom.inner if recto else geom.outer
    return offset + left, offset + left + geom.block_width


@dataclass
class JustificationReport:
    lines: int  # body lines that are not the last of their paragraph
    flush: int  # end within 0.5 pt of the edge (or hang a closing mark ≤ ½ em)
    short: list[Line]  # the others
    closing_starts: list[Line]  # body lines that start with a closing mark
    opening_ends: list[Line]  # body lines that end with an opening mark

    @property
    def ratio(self) -> float:
        return self.flush / self.lines if self.lines else 1.0


def justification(pdf: bytes, geom: Geometry, *, first_folio: int = 1, offset: float = 0.0) -> JustificationReport:
    """Check every body line of ``pdf`` against the text block's right edge.

    ``offset`` is the bleed/slug added around the trim in print mode (pt).
    """
    lines = lines_of(pdf)
    checked = flush = 0
    short: list[Line] = []
    starts: list[Line] = []
    ends: list[Line] = []
    for i, ln in enumerate(lines):
        if not ln.is_body:
            continue
        left, right = block_edges(geom, ln.page, first_folio, offset)
        if ln.x0 < left - 1 or ln.x1 > right + BODY_SIZE:
            continue  # not in the text block (running head, folio)
        if ln.text[0] in CLOSING:
            starts.append(ln)
        if ln.text[-1] in OPENING:
            ends.append(ln)
        # The next line of text in reading order (skipping folios at the foot).
        nxt = None
        for m in lines[i + 1:]:
            ml, mr = block_edges(geom, m.page, first_folio, offset)
            if m.x0 < ml - 1 or m.x1 > mr + BODY_SIZE or m.size < 9.6:
                continue
            nxt = m
            break
        last = (
            nxt is None or not nxt.is_body
            or abs(nxt.x0 - (block_edges(geom, nxt.page, first_folio, offset)[0] + 2 * BODY_SIZE)) < 1.0
        )
        if last:
            continue
        checked += 1
        over = ln.x1 - right
        if abs(over) <= 0.5 or (0 < over <= BODY_SIZE / 2 + 0.5 and ln.text[-1] in CLOSING_HANG):
            flush += 1
        else:
            short.append(ln)
    return JustificationReport(checked, flush, short, starts, ends)
