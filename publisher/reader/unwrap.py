"""Hard-wrapped print lines (one text line per printed line, as a PDF text export or a
layout program's "text with line breaks" gives) joined back into paragraphs, before any
block is classified.

Signals read, all from the layout itself (``width`` is the printed line width found by
``reader.layout.detect_layout``):

* a line that runs to the print width (``full``) and does not end a sentence runs on
  into the next line;
* a line that runs to the width and does end a sentence is ambiguous: the next line's
  indent decides (an indented line opens a paragraph; a flush one continues it), but
  a numbered line (一、 （二） 3.) after a colon or in a run numbered alike opens an
  item of its own, a line that
  would leave the paragraph ending mid-sentence is a head, and in a layout that
  indents its paragraphs a run opened flush (a head, a caption) ends there;
* a short line that does not end a sentence is no paragraph's last line: it stands
  alone (a head, a byline) and nothing runs on into it; nor does anything run on into
  a short line wholly in brackets (an aside, a credit, a dateline: （审编：…）);
* a line a little short of the width that does not end a sentence runs on too (the
  line break moved back before an unbreakable run: a Latin word, a number, ``——``);
* a line opening with a closing mark continues the line before (clreq forbids a
  closing mark at a line start);
* heads are short flush lines: a line well short of the width ends its paragraph; a
  blank line, an indented line, a Markdown heading, a 目录 line with leaders and page
  are never joined.

The joined text stands on the run's first line; the lines joined onto it become empty
and the first line records the last input line it stands for (``SourceLine.last``), so
every input line stays accounted for. Linear: each line is looked at once.
"""
from __future__ import annotations

import re

from .. import typography as ty
from . import headings
from .lines import SourceLine

INDENT_CHARS = " \t\u3000\u00a0"
FULL_SLACK = 4  # half-em units a full line may fall short of the width (a Latin run, a space)
OVERHANG = 4  # half-em units a printed line may pass the width (closing marks hung or pulled back)
INDENTED_SHARE = 0.05  # lines opened by an indent: the layout indents its paragraphs
SHORT_SLACK = 12  # half-em units a line cut before an unbreakable run may fall short
# closing marks a printed line never opens with (clreq line-start prohibition)
LINE_START_BANNED = frozenset("，。、；：！？）》」』”’〕】〉〗…,.;:!?)")
_LEADER_PAGE_RE = re.compile(r"[.．…·•]{2,}\s*\d{1,4}$")  # leaders and a page number: a 目录 entry
_SPACE_PAGE_RE = re.compile(r"\s\d{1,4}$")  # a page after a space: a 目录 entry if the next line ends so too
_BRACKETED_RE = re.compile(r"^[（(【〔［\[][^（()）【】〔〕［］\[\]]*[）)】〕］\]][。；]?$")
_PAGE_FIRST_RE = re.compile(r"^\d{1,3}[ \u3000]+\S")
_MARKUP_RE = re.compile(r"^(?:#{1,6}\s|>|[-*+]\s|\|)")


_NARROW_RUN_RE = re.compile("[\x00-\u2e7f]+")  # characters of width 1 (below U+2E80)


def visual_width(text: str) -> int:
    """Width in half-em units: ASCII 1, everything else (Han, full-width, U+3000) 2."""
    return len(text) + len(_NARROW_RUN_RE.sub("", text))  # what is left is the wide characters


def _indented(raw: str) -> bool:
    return raw[:1] in INDENT_CHARS


def runs_on(prev: str, nxt: str, width: int, paragraph: bool = True, after: str | None = None, first: str | None = None) -> bool:
    """Does the printed line ``prev`` run on into ``nxt`` (both raw, non-blank, the
    second directly below the first) in text hard-wrapped at ``width`` characters?
    ``paragraph``: the run ``prev`` belongs to was opened as a paragraph (by an indent,
    or in a layout that indents nothing); a run opened flush among indented paragraphs
    is a head or a caption, which a sentence ending at the line end closes.  ``after``:
    the line below ``nxt`` (None: a blank line or the end); ``first``: the first line
    of the run ``prev`` belongs to."""
    p, n = prev.strip(), nxt.strip()
    if _MARKUP_RE.match(p) or _MARKUP_RE.match(n) or _LEADER_PAGE_RE.search(p):
        return False
    if _SPACE_PAGE_RE.search(p) and (_SPACE_PAGE_RE.search(n) or _LEADER_PAGE_RE.search(n)):
        return False  # entries closed by their pages: a 目录
    if _PAGE_FIRST_RE.match(p) and _PAGE_FIRST_RE.match(n):
        return False  # entries opened by their page numbers: a 目录
    if n[0] in LINE_START_BANNED:
        return True  # a closing mark cannot open a line: the break was forced before it
    if _indented(nxt):
        return False  # an indent opens a paragraph
    w = visual_width(prev.rstrip())
    limit = 2 * width
    if w > limit + OVERHANG:
        return False  # longer than a printed line: not one
    closed = _ends(p)
    if w >= limit - SHORT_SLACK and _open_bracket(p):
        return True  # a bracket or quote opened and not closed on the line runs on
    wn = visual_width(nxt.rstrip())
    if wn > limit + OVERHANG:
        return False  # the next line is longer than a printed line: not one
    short = wn < limit - FULL_SLACK
    if short and (not _ends(n) or _BRACKETED_RE.match(n)):
        # a short line ending no sentence is no paragraph's last line (a head, a
        # byline), nor is a short one wholly in brackets (an aside, a credit, a date)
        return False
    if w >= limit - FULL_SLACK:
        if not closed:
            return True
        # a sentence ending at the line end is ambiguous: the next line's indent
        # decides (flush: runs on) in a paragraph, unless that line opens an item of
        # a list (numbered after a colon, or numbered as the run was: 1.… / 2.…) or
        # would leave the paragraph ending mid-sentence (a full-width head before its
        # byline)
        if not paragraph:
            return False
        if w < limit - 1 and not (n[0] in ty.OPENING or n[0].isascii() or n[:2] in ("——", "……")):
            return False  # a line that stops short after a sentence: the next one would have filled it
        fam = headings.family(n)
        if fam is not None and (p[-1] in "：:" or short or first is not None and headings.family(first.strip()) == fam):
            return False  # 二、抓实城乡同治，力争环境做优做美。 alone on its line: an item
        return _ends(n) or after is not None and runs_on(nxt, after, width, paragraph)
    # cut short before a run a line may not break (a Latin word, a number, —— or ……),
    # or at a space after one (the line end swallowed it)
    return not closed and w >= limit - SHORT_SLACK and (n[0].isascii() or p[-1].isascii() or n[:2] in ("——", "……"))


_SIGNED_RE = re.compile(r"[。！？…!?][（(][^（）()]{1,24}[）)]$")
_PAIRS = (("（(", "）)"), ("“", "”"), ("《", "》>"))  # OCR mixes widths: （1999)


def _ends(text: str) -> bool:
    """Does a printed line end a sentence (a stop, or a stop and a bracketed signature
    or source after it: …新篇章。（山禾））?"""
    return ty.is_closed(text) or bool(_SIGNED_RE.search(text))


def _open_bracket(text: str) -> bool:
    """Does the line leave a bracket or quote open at its end (（山 / 禾）)?"""
    for opening, closing in _PAIRS:
        k = max(text.rfind(c) for c in opening)
        if k >= 0 and not any(c in closing for c in text[k:]):
            return True
    return False


def unwrap(lines: list[SourceLine], width: int) -> list[SourceLine]:
    """``lines`` with each run of printed lines that make one paragraph joined onto the
    run's first line (numbers unchanged; the joined lines left empty)."""
    out = list(lines)
    texts = [sl.text for sl in lines if sl.text.strip()]
    # paragraphs opened by indents: a run opened flush is a head or a caption
    indents = sum(1 for t in texts if _indented(t)) >= INDENTED_SHARE * len(texts)
    head = -1  # index of the open run's first line
    parts: list[str] = []
    for i, sl in enumerate(lines):
        if not sl.text.strip():
            head = _close(out, head, parts, lines[i - 1].number if i else 0)
            continue
        paragraph = head >= 0 and (not indents or _indented(lines[head].text))
        after = lines[i + 1].text if i + 1 < len(lines) and lines[i + 1].text.strip() else None
        if head >= 0 and runs_on(lines[i - 1].text, sl.text, width, paragraph, after, lines[head].text):
            piece = sl.text.strip(INDENT_CHARS)
            if ty.is_western(parts[-1][-1:]) and ty.is_western(piece[:1]):
                parts.append(" ")  # a line break between two Latin words was a space
            parts.append(piece)
            out[i] = SourceLine(sl.number, "")
            continue
        head = _close(out, head, parts, lines[i - 1].number if i else 0)
        head, parts = i, [sl.text.rstrip()]
    _close(out, head, parts, lines[-1].number if lines else 0)
    return out


def _close(out: list[SourceLine], head: int, parts: list[str], last: int) -> int:
    """Write the open run (if it joined lines) onto its first line; returns -1."""
    if head >= 0 and len(parts) > 1:
        first = out[head]
        out[head] = SourceLine(first.number, "".join(parts), last=last)
    parts.clear()
    return -1
