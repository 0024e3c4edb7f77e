"""First pass over an article's body lines: strip markup, measure blank gaps,
drop layout noise (page numbers, running heads, empty markup) with warnings."""
from __future__ import annotations

import bisect
import functools
import operator
import re
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, compress, repeat
from operator import ne
from dataclasses import dataclass, field

from ..model import Warning
from .. import typography as ty
from .headings import part_numbers
from .lines import SourceLine

# Warning codes of this stage (R16x: body text noise).
W_PAGE_NUMBER = "R161"
W_RUNNING_HEAD = "R162"
W_EMPTY_MARKUP = "R163"

# Page numbers as printed or extracted: "12", "- 12 -", "— 12 —", "第12页", "12/40".
PAGE_NUMBER_RE = re.compile(r"^(?:[-—–·•\s]*\d{1,3}[-—–·•\s]*|第\s*\d{1,3}\s*页|\d{1,3}\s*/\s*\d{1,3})$")
# Lines made only of markup: "**", "##", "---", "***", "> ", "- ".
EMPTY_MARKUP_RE = re.compile(r"^[\s*#_>\-=~`|]+$")
# Markdown leading markers: headings, block quotes, list bullets.
MD_HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t]+|(?=[^\x00-\x7f])|$)")
MD_QUOTE_RE = re.compile(r"^>\s?")
MD_BULLET_RE = re.compile(r"^[-*+]\s+(?=\S)")
# Lead symbols newspapers put before subheads and credits (■ 小标题, ■策划 / …).
LEAD_SYMBOLS = "■□◆◇●○▲△★☆◎▌▍▎"
# Inline Markdown: [text](url) → text; images ![alt](src) → alt.
MD_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")  # no nested brackets: linear on runs of "[" / "]("
# Running heads: a magazine name with an issue label or page number,
# e.g. "衡东决策参考 2023年第1期", "2023.1 | 决策参考", "12 决策参考".
RUNNING_HEAD_RE = re.compile(r"^(?:\d{1,3}\s+\S{2,20}|\S{2,20}\s+\d{1,3})$")
# An issue label in a short line is a running head wherever it stands.
ISSUE_HEAD_RE = re.compile(r"^.{0,20}(?:\d{4}\s*年\s*第\s*\d{1,2}\s*期|\d{4}[.．]\d{1,2}\s*[|｜]|总第\s*\d+\s*期).{0,20}$")
MD_IMAGE_RE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
# First characters that can open markup (heading, quote, bullet, bold, lead symbol);
# a line starting with none of them and holding no "[", "*" or "__" has no markup.
_MARKUP_LEADS = frozenset("#>-+*_" + LEAD_SYMBOLS)
# Sentence punctuation inside a line: no running head holds any.
_INNER_PUNCT_RE = re.compile("[，。！？；：、]")


@dataclass
class Item:
    """One non-blank body line after markup stripping."""

    # scan passes all 14 fields by position, in this order (tests/test_reader_line_passes.py holds it)
    number: int  # 1-based source line
    text: str  # markup removed, stripped
    bold: Sequence[tuple[int, int]] = field(default_factory=list)  # ranges in text (only read, or replaced)
    md_level: int | None = None  # number of leading '#'
    marker: str = ""  # '■' etc. removed from the start
    gap: int = 0  # blank lines before this one (within the article)
    gap_after: int = 0
    indent: bool = False  # the source line starts with white space (　　 paragraph indent)
    image: bool = False  # a Markdown image ![alt](src): its alt text is a caption
    cls: str = "text"
    family: str | None = None
    in_verse: bool = False
    verse_id: int = -1
    last: int = 0  # the last input line this item stands for (hard-wrapped lines joined onto it)


def strip_markup(text: str) -> tuple[str, list[tuple[int, int]], int | None, str]:
    """Markdown / lead-symbol markup removed: (text, bold ranges, # level, marker)."""
    s = text.strip()
    if not s or s[0] not in _MARKUP_LEADS and "[" not in s and "*" not in s and "__" not in s:
        return s, [], None, ""  # no markup can match: the common line, read once
    md_level = None
    m = MD_HEADING_RE.match(s)
    if m:
        md_level = len(m.group(1))
        s = s[m.end() :].rstrip("#").strip()
    s = MD_QUOTE_RE.sub("", s, count=1)
    s = MD_BULLET_RE.sub("", s, count=1) if not s.startswith("**") else s
    s = MD_LINK_RE.sub(lambda m: m.group(1), s)
    marker = ""
    if s and s[0] in LEAD_SYMBOLS:
        marker = "■"
        s = s.lstrip(LEAD_SYMBOLS + " \u3000")
    # bold / strong: **x** or __x__ ; then stray single * used as italics
    out: list[str] = []
    bold: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in ty.BOLD_RE.finditer(s):
        before = s[pos : m.start()]
        out.append(before)
        length += len(before)
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        inner = inner.strip()
        if inner:
            bold.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(s[pos:])
    s = "".join(out)
    if "*" in s:
        # unmatched ** or single-star italics: the characters are markup, never text
        cleaned = []
        shift = []  # removed positions, to correct bold ranges
        for k, ch in enumerate(s):
            if ch == "*":
                shift.append(k)
            else:
                cleaned.append(ch)
        if shift:
            bold = [(_shifted(a, shift), _shifted(b, shift)) for a, b in bold]
            s = "".join(cleaned)
    lead = len(s) - len(s.lstrip())
    s2 = s.strip()
    if lead:
        bold = [(a - lead, b - lead) for a, b in bold]
    bold = [(max(0, a), min(len(s2), b)) for a, b in bold if min(len(s2), b) > max(0, a)]
    return s2, bold, md_level, marker


def _shifted(pos: int, removed: list[int]) -> int:
    return pos - bisect.bisect_left(removed, pos)  # removed is sorted


def scan(lines: list[SourceLine], parts: set[int] | None = None) -> tuple[list[Item], list[Warning]]:
    """``parts``: ``headings.part_numbers(lines)`` when the caller has it already.

    What a line is (markup only, page-number shaped, its text without markup) depends
    only on its text, so each distinct line is read once (``_read_line``), and the
    running heads are found on those readings before any ``Item`` is made."""
    warnings: list[Warning] = []
    if parts is None:
        parts = part_numbers(lines)  # bare part numbers (1 / its title): not page numbers
    memo: dict[str, tuple | None] = {}  # line text → its reading (each distinct line read once)
    # the lines that stay and their readings, side by side (no pair per line: a long
    # article's lines all live until its items are made, and every object the
    # collector tracks brings its next collection nearer)
    kept: list[SourceLine] = []
    readings: list[tuple] = []
    gaps: list[int] = []  # blank lines before each kept line, then after the last one
    gap = 0
    joined_until = 0  # lines joined onto an earlier one (reader.unwrap) are no blank lines
    for sl in lines:
        text = sl.text
        got = memo.get(text, _UNREAD) if text else None  # (an empty line is blank: no reading to look up)
        if got is _UNREAD:
            got = memo[text] = _read_short(text) if len(text) <= SHORT_LINE else _read_line(text)
        if got is None:  # a blank line
            gap += sl.number > joined_until
            continue
        if sl.last > joined_until:
            joined_until = sl.last
        dropped, page, reading = got
        if page is not None and sl.number not in parts:
            warnings.append(Warning(W_PAGE_NUMBER, page, sl.number))
            continue
        if reading is None:
            warnings.append(Warning(W_EMPTY_MARKUP, dropped, sl.number))
            continue
        kept.append(sl)
        readings.append(reading)
        gaps.append(gap)
        gap = 0
    gaps.append(gap)
    if not kept:
        return [], warnings
    after = gaps[1:]  # blank lines after each kept line, as the text has them
    gaps[0] = 0  # the first line's gap is before the article's body, not in it
    n_warned = len(warnings)
    rows = zip(kept, readings, gaps, after)
    if len(kept) >= _HEAD_LINES_MIN:  # (fewer lines hold no running head: nothing to mask)
        rows = compress(rows, _running_heads([r[0] for r in readings], gaps, warnings, [sl.number for sl in kept]))
    # every field by position, in Item's order (a third cheaper than by keyword); last:
    # sl.end.  bold: the reading's own tuple, shared by the lines of one text (a line's
    # ranges are read or replaced, never changed in place), not a list per line
    items = [
        Item(sl.number, text, bold, md_level, marker, g, a, indent, image, "text", None, False, -1, sl.last or sl.number)
        for sl, (text, bold, md_level, marker, indent, image), g, a in rows
    ]
    if n_warned and len(warnings) > n_warned:  # both kinds: in line order (each list is)
        warnings.sort(key=_LINE)
    return items, warnings


SHORT_LINE = 200  # a line this long or shorter: its reading kept in the cache shared by every article (正文。 / 责任编辑：… recur)


_UNREAD = object()
_LINE = operator.attrgetter("line")
_INDENTS = (" ", "\t", "\u3000", "\u00a0")


def _read_line(s: str) -> tuple[str | None, str | None, tuple | None] | None:
    """One line read alone: None if blank, else (why it is dropped as markup, the
    page-number warning if it is shaped like one, (text, bold, # level, marker,
    indent, image) unless it is dropped)."""
    raw = s.strip()
    if not raw:
        return None
    if EMPTY_MARKUP_RE.match(raw):
        return f"dropped a line of markup only: {raw!r}", None, None
    page = f"dropped a page number: {raw!r}" if PAGE_NUMBER_RE.match(raw) else None
    image = raw[0] == "!" and bool(MD_IMAGE_RE.match(raw))
    if image and not MD_LINK_RE.match(raw).group(1).strip():
        return f"dropped an image reference with no caption: {raw!r}", page, None
    text, bold, md_level, marker = strip_markup(raw)
    if not text:
        return f"dropped a line of markup only: {raw!r}", page, None
    return None, page, (text, tuple(bold), md_level, marker, s[:1] in _INDENTS, image)


_read_short = functools.lru_cache(maxsize=8192)(_read_line)  # the reading is a tuple of immutables


_HEAD_LINES_MIN = 3  # a running head stands between two kept lines (never the first or the last)


def _running_heads(texts: list[str], gaps: list[int], warnings: list[Warning], numbers: list[int]) -> bytearray:
    """Running heads among the kept lines ``texts`` (1 in the mask returned for a line
    that stays): short lines without sentence punctuation that interrupt a paragraph
    split at a page break, and either look like a magazine head with a page number /
    issue label or occur more than once in the article.  Each is named by a warning;
    the blank lines before it pass to the line after it (``gaps``, updated).

    Read run by run of equal lines: a line's verdict depends on its text and on the
    last line kept before it, which a dropped line leaves as it is, so in a run of
    one text the first line's verdict holds for the rest, or, once it is kept, the
    second's does."""
    n = len(texts)
    keep = bytearray(b"\x01") * n
    if n < _HEAD_LINES_MIN:
        return keep  # only the first and the last line
    counts = Counter(texts)
    shape: dict[str, int] = {}  # text → 0 never a head, 1 an issue head, 2 head-shaped, 3 a head if repeated
    closed: dict[str, bool] = {}

    def dropped(t: str, k: int, prev: str) -> bool:
        c = closed.get(prev)
        if c is None:
            c = closed[prev] = ty.is_closed(prev)
        return k == 1 or not c and (k == 2 or counts[t] > 1)

    # runs of equal lines [a, b), within the lines that may be heads (not the first or last)
    starts = [1, *compress(range(2, n - 1), map(ne, texts[2 : n - 1], texts[1 : n - 2])), n - 1]
    prev = texts[0]  # the last line kept
    for a, b in zip(starts, starts[1:]):
        t = texts[a]
        k = shape.get(t)
        if k is None:
            if len(t) > 30 or _INNER_PUNCT_RE.search(t):
                k = 0
            elif ISSUE_HEAD_RE.match(t):
                k = 1
            else:
                k = 2 if RUNNING_HEAD_RE.match(t) else 3
            shape[t] = k
        if k and not dropped(t, k, prev):
            prev, a = t, a + 1  # kept: the rest of the run follows a line of its own text
            if a == b or not dropped(t, k, prev):
                continue
        elif not k:
            prev = t
            continue
        # [a, b) dropped
        keep[a:b] = bytes(b - a)
        msg = f"dropped a running head: {t!r}"
        warnings.extend(map(Warning, repeat(W_RUNNING_HEAD), repeat(msg), numbers[a:b]))
        gaps[a : b + 1] = accumulate(gaps[a : b + 1], max)  # each passes its blank lines on
    return keep
