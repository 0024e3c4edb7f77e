"""The inline typography pass: model text → escaped HTML with typographic spans.

clreq rules a renderer cannot do by itself are expressed as markup here, so the
EPUB and PDF share them:

* §3.2.3 (Han–Western spacing): a run of Latin letters/digits next to Han gets
  ``<span class="hw">`` whose CSS margins give about ¼ em on the Han side(s)
  (``hw-l`` / ``hw-r`` say which side touches Han).
* §3.1.6 (adjacent punctuation): in a pair like ``”，`` or ``。”`` the first mark is
  set half width with ``<span class="pc">`` (its blank half removed by CSS).
* emphasis ranges become ``<strong>``.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Latin letters, digits and the symbols that travel with them (5.8%, 1+8+N, 255.92).
WESTERN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+\-/:·&']*[A-Za-z0-9%]|[A-Za-z0-9]")

# clreq §3.1.6: marks whose glyph is half ink, half blank.  Opening marks carry the
# blank on the left, closing marks (and 、，。：；！？ in SC fonts) on the right.
OPENING = "“‘（《〈【〔「『"
CLOSING = "”’）》〉】〕」』"
PAUSE_STOP = "、，。：；！？"


_HAN_CHAR = re.compile(f"[{HAN}]")


def _is_han(ch: str) -> bool:
    return bool(ch) and _HAN_CHAR.match(ch) is not None


def _spaced(full: str, start: int = 0, end: int | None = None) -> str:
    """Escape ``full[start:end]`` and wrap Western runs that touch Han characters.

    Neighbours are looked up in ``full``, so a segment cut by an emphasis range
    still sees the characters on either side of it.
    """
    end = len(full) if end is None else end
    text = full[start:end]
    out: list[str] = []
    pos = 0
    for m in WESTERN_RUN.finditer(text):
        s, e = m.span()
        left = _is_han(full[start + s - 1]) if start + s > 0 else False
        right = _is_han(full[start + e]) if start + e < len(full) else False
        out.append(_compress(full, start + pos, start + s))
        if left or right:
            cls = "hw" + (" hw-l" if left else "") + (" hw-r" if right else "")
            out.append(f'<span class="{cls}">{escape(m.group())}</span>')
        else:
            out.append(str(escape(m.group())))
        pos = e
    out.append(_compress(full, start + pos, end))
    return "".join(out)


# One match per mark that gets a span: a closing/stop mark before another mark
# (half width on its right), or an opening mark after another opening mark.
_PAIR = re.compile(
    f"(?P<pc>[{re.escape(CLOSING + PAUSE_STOP)}])(?=[{re.escape(OPENING + CLOSING + PAUSE_STOP)}])"
    f"|(?<=[{re.escape(OPENING)}])(?P<pcl>[{re.escape(OPENING)}])"
)


def _compress(full: str, start: int, end: int) -> str:
    """Escape ``full[start:end]``, wrapping the marks of adjacent pairs (neighbours seen in ``full``)."""
    out: list[str] = []
    pos = start
    # endpos one past the segment: the lookahead of its last mark sees the next character.
    for m in _PAIR.finditer(full, start, min(end + 1, len(full))):
        i = m.start()
        if i >= end:
            break
        out.append(str(escape(full[pos:i])))
        cls = "pc" if m.group("pc") else "pc-l"
        out.append(f'<span class="{cls}">{escape(m.group())}</span>')
        pos = i + 1
    out.append(str(escape(full[pos:end])))
    return "".join(out)


def inline(text: str, emphasis: list[list[int]] | None = None) -> Markup:
    """Escaped HTML for one paragraph's text with typographic spans and emphasis."""
    if not emphasis:
        return Markup(_spaced(text))
    out: list[str] = []
    pos = 0
    for start, end in sorted(emphasis):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(_spaced(text, pos, start))
        out.append(f"<strong>{_spaced(text, start, end)}</strong>")
        pos = end
    out.append(_spaced(text, pos, len(text)))
    return Markup("".join(out))


_HW_SPAN = re.compile(r'<span class="hw( hw-l)?( hw-r)?">([^<]*)</span>')
EDGE_SPACE = '<span class="hws"> </span>'


def edge_spaces(html: str) -> str:
    """The Han–Western spacing of :func:`inline` as real spaces, for reading systems.

    A margin (``span.hw-l``) stays where it is when the run starts a line, so the line
    is indented a little; a space is dropped at a line's start and end by every CSS
    engine (white-space processing).  Each space is a ``span.hws`` so that its width
    can be brought to ¼ em in a face whose space is wider (:mod:`.marks`)."""
    def sub(m: re.Match) -> str:
        return (EDGE_SPACE if m[1] else "") + m[3] + (EDGE_SPACE if m[2] else "")

    return _HW_SPAN.sub(sub, html)


def keep_tail(text: str) -> Markup:
    """:func:`inline`, with the last two Han characters (and what follows them) kept
    on one line: a title that wraps never leaves a single character on its last line
    (孤字; clreq's advice on the last line of a paragraph).  Both sides are spaced
    as parts of the whole title (:func:`_spaced` sees across the cut)."""
    han = [i for i, ch in enumerate(text) if _is_han(ch)]
    if len(han) < 3:
        return inline(text)
    cut = han[-2]
    return Markup(f'{_spaced(text, 0, cut)}<span class="kt">{_spaced(text, cut)}</span>')


_HEAD_OPEN = "“‘《（「『〈【(["
_HEAD_CLOSE = "”’》）」』〉】)]"


def headline_parts(title: str) -> list[str]:
    """A headline's parts at its deliberate spaces.

    A space inside quotes or brackets (“农业强 农村美 农民富”) separates the items of a
    list, not two parts of the headline: it stays, as an ideographic space.
    """
    parts: list[str] = []
    cur, depth = "", 0
    for ch in title.strip():
        if ch in _HEAD_OPEN:
            depth += 1
        elif ch in _HEAD_CLOSE:
            depth = max(0, depth - 1)
        if ch in " \u3000\t":
            if depth:
                if cur and not cur.endswith("\u3000"):
                    cur += "\u3000"
            elif cur:
                parts.append(cur)
                cur = ""
            continue
        cur += ch
    if cur:
        parts.append(cur)
    return parts or [""]


def title_lines(title: str) -> list[Markup]:
    """A headline with a deliberate space (``坚持首位战略 凝心聚力…``) breaks there
    (not at a space inside quotes: see :func:`headline_parts`)."""
    return [inline(p) for p in headline_parts(title)]


def stanzas(lines: list[str]) -> list[list[str]]:
    """Verse lines split at the empty strings that mark stanza breaks."""
    out: list[list[str]] = [[]]
    for line in lines or []:
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [s for s in out if s]
