"""First pass over an article's body lines: strip markup, measure blank gaps,
drop layout noise (page numbers, running heads, empty markup) with warnings."""
from __future__ import annotations

import bisect
import re
from collections import Counter
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

    number: int  # 1-based source line
    text: str  # markup removed, stripped
    bold: list[tuple[int, int]] = field(default_factory=list)  # ranges in text
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
    """``parts``: ``headings.part_numbers(lines)`` when the caller has it already."""
    warnings: list[Warning] = []
    items: list[Item] = []
    gap = 0
    if parts is None:
        parts = part_numbers(lines)  # bare part numbers (1 / its title): not page numbers
    joined_until = 0  # lines joined onto an earlier one (reader.unwrap) are no blank lines
    for sl in lines:
        raw = sl.text.strip()
        if not raw:
            gap += sl.number > joined_until
            continue
        joined_until = max(joined_until, sl.last)
        if EMPTY_MARKUP_RE.match(raw):
            warnings.append(Warning(W_EMPTY_MARKUP, f"dropped a line of markup only: {raw!r}", sl.number))
            continue
        if PAGE_NUMBER_RE.match(raw) and sl.number not in parts:
            warnings.append(Warning(W_PAGE_NUMBER, f"dropped a page number: {raw!r}", sl.number))
            continue
        image = raw[0] == "!" and bool(MD_IMAGE_RE.match(raw))
        if image and not MD_LINK_RE.match(raw).group(1).strip():
            warnings.append(Warning(W_EMPTY_MARKUP, f"dropped an image reference with no caption: {raw!r}", sl.number))
            continue
        text, bold, md_level, marker = strip_markup(raw)
        if not text:
            warnings.append(Warning(W_EMPTY_MARKUP, f"dropped a line of markup only: {raw!r}", sl.number))
            continue
        if items:
            items[-1].gap_after = gap
        indent = sl.text[:1] in (" ", "\t", "\u3000", "\u00a0")
        items.append(Item(sl.number, text, bold, md_level, marker, gap=0 if not items else gap, indent=indent, image=image, last=sl.end))
        gap = 0
    if items:
        items[-1].gap_after = gap
    items = _drop_running_heads(items, warnings)
    warnings.sort(key=lambda w: w.line or 0)
    return items, warnings


def _drop_running_heads(items: list[Item], warnings: list[Warning]) -> list[Item]:
    """Running heads: short lines without sentence punctuation that interrupt a
    paragraph split at a page break, and either look like a magazine head with a
    page number / issue label or occur more than once in the article."""
    counts = Counter(it.text for it in items if len(it.text) <= 30)
    keep: list[Item] = []
    for i, it in enumerate(items):
        t = it.text
        if len(t) <= 30 and 0 < i < len(items) - 1 and not _INNER_PUNCT_RE.search(t):
            prev = keep[-1] if keep else None
            interrupts = prev is not None and not ty.is_closed(prev.text)
            if ISSUE_HEAD_RE.match(t) or interrupts and (RUNNING_HEAD_RE.match(t) or counts[t] > 1):
                warnings.append(Warning(W_RUNNING_HEAD, f"dropped a running head: {t!r}", it.number))
                nxt = items[i + 1]
                nxt.gap = max(nxt.gap, it.gap)
                continue
        keep.append(it)
    return keep
