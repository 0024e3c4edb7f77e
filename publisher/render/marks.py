"""Adjacent-punctuation compression measured on the faces themselves (clreq §3.1.6).

The markup (:mod:`publisher.render.markup`) wraps the first of two adjacent marks in
``span.pc`` (its blank right half to go) and the second of two opening marks in
``span.pc-l`` (its blank left half to go); the stylesheet takes ½ em off, which is right
for a full-width mark (Noto CJK: every mark is 1 em with its ink on one half).  A face
with proportional marks is different: LXGW WenKai's curly quotes are 0.35 em with no
blank half at all, and taking ½ em off them draws ``”，`` on top of each other.

So the amount is read from the face that draws the mark: the mark keeps at least half
an em and all of its ink,

    cut = max(0, min(advance − ½ em, blank on the compressed side))

where the blank side is ``advance − ink right`` for ``pc`` and ``ink left`` for ``pc-l``.
Amounts are in em, floored to 0.01 em (a cut never reaches into the ink).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .markup import CLOSING, OPENING, PAUSE_STOP

# What the stylesheet takes off (styles/base.css: .pc / .pc-l).
DEFAULT_CUT = 0.5
MARKS = OPENING + CLOSING + PAUSE_STOP
# clreq §3.2.3: the space between Han and Western runs (markup.edge_spaces).
HAN_WESTERN_SPACE = 0.25


@dataclass(frozen=True)
class MarkMetrics:
    """One mark in one face, in em: its advance and its ink's left and right edges."""

    advance: float
    ink_left: float
    ink_right: float


def cut(m: MarkMetrics, side: str) -> float:
    """How much of ``m`` may go: ``side`` is "pc" (the right) or "pc-l" (the left)."""
    blank = m.advance - m.ink_right if side == "pc" else m.ink_left
    amount = max(0.0, min(m.advance - 0.5, blank, DEFAULT_CUT))
    return int(amount * 100 + 1e-6) / 100


@lru_cache(maxsize=16)
def face_marks(path: Path, index: int = 0) -> dict[str, MarkMetrics]:
    """The metrics of every compressible mark the face has, read once per face with
    FreeType (freetype-py): each mark's glyph alone, unscaled and unhinted — its advance
    and its outline's exact box (FT_Outline_Get_BBox).  fontTools gives the same numbers
    but decodes the whole CJK cmap, glyph order and metrics first (about ¼ s a face, most
    of a first e-book build)."""
    import freetype

    out: dict[str, MarkMetrics] = {}
    face = freetype.Face(str(path), index)
    upm = face.units_per_EM
    flags = freetype.FT_LOAD_NO_SCALE | freetype.FT_LOAD_NO_HINTING | freetype.FT_LOAD_NO_BITMAP
    for ch in MARKS + " ":
        gid = face.get_char_index(ord(ch))
        if not gid:
            continue  # not in the face: a fallback face draws it
        face.load_glyph(gid, flags)
        glyph = face.glyph
        if glyph.outline.n_points:
            box = glyph.outline.get_bbox()
            lo, hi = box.xMin, box.xMax
        else:  # a blank glyph (the space)
            lo = hi = 0
        out[ch] = MarkMetrics(glyph.metrics.horiAdvance / upm, lo / upm, hi / upm)
    return out


def cut_class(amount: float, side: str) -> str | None:
    """The class for a cut: the stylesheet's own for ½ em, a generated one otherwise,
    None for no cut (the span is dropped)."""
    if amount <= 0:
        return None
    if abs(amount - DEFAULT_CUT) < 1e-9:
        return side
    return f"{side}-{round(amount * 100):02d}"


def cut_css(classes: set[str]) -> str:
    """CSS rules for generated cut classes (``pc-35``, ``pc-l-20`` …), sorted."""
    rules = []
    for cls in sorted(classes):
        m = re.fullmatch(r"(pc|pc-l|hws)-(\d\d)", cls)
        if not m:
            continue
        prop = {"pc": "letter-spacing", "pc-l": "margin-left", "hws": "word-spacing"}[m[1]]
        rules.append(f".{cls} {{ {prop}: -0.{m[2]}em; }}")
    return "\n".join(rules) + ("\n" if rules else "")


def classes_for(marks) -> list[str | None]:
    """The cut class of each (class, mark, face) that :func:`publisher.epub.fontuse.collect`
    found; a mark drawn by no face of ours (the reader's font) keeps the ½ em cut."""
    out: list[str | None] = []
    for side, ch, face in marks:
        metrics = face_marks(face.path, face.index).get(ch) if face is not None else None
        if metrics is None:
            out.append(side)
        elif side == "hws":
            out.append(space_class(metrics.advance))
        else:
            out.append(cut_class(cut(metrics, side), side))
    return out


def space_class(advance: float) -> str:
    """``hws`` for a face whose space is about ¼ em (Noto CJK: 0.22–0.26 em), else
    ``hws-NN``, which narrows it by 0.NN em (LXGW WenKai's space is 0.35 em)."""
    narrow = int((advance - HAN_WESTERN_SPACE) * 100 + 1e-6)
    return f"hws-{narrow:02d}" if narrow >= 5 else "hws"


_SPAN = re.compile(r'<span class="(pc|pc-l|hws)">([^<])</span>')


def retune(html: str, classes: list[str | None]) -> str:
    """``html`` with its n-th ``span.pc``/``span.pc-l``/``span.hws`` (document order) given
    ``classes[n]``, or unwrapped where that is None.  Text escaped by the markup never
    holds ``<span class="``, so the spans found are exactly the markup's."""
    n = 0

    def sub(m: re.Match) -> str:
        nonlocal n
        if n >= len(classes):
            raise ValueError("fewer classes than compressed marks")
        cls = classes[n]
        n += 1
        if cls is None:
            return m[2]
        return f'<span class="{cls}">{m[2]}</span>'

    out = _SPAN.sub(sub, html)
    if n != len(classes):
        raise ValueError("more classes than compressed marks")
    return out
