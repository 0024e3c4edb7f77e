"""Verse: classical lines and free verse, found as runs of verse-shaped lines."""
from __future__ import annotations

import re

from ..model import Block
from .. import typography as ty

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
# Classical lines: 5- or 7-character halves, a couplet per line or a half per line,
# ending in ，。！？ or nothing (岩下村村青迢迢，晓霞晴岚最妖娆。 / 清明前后雨纷纷，).
CLASSICAL_RE = re.compile(rf"^(?:{_HAN}{{5}}|{_HAN}{{7}})(?:[，、；！？。]?(?:{_HAN}{{5}}|{_HAN}{{7}}))?[，。！？；]?$")
# Free verse: short lines, no sentence punctuation inside.
FREE_MAX = 20
FREE_MAX_LITERARY = 26
# How many lines a run needs: free verse is recognised eagerly in literary pieces.
MIN_FREE_LINES = 4
MIN_FREE_LINES_LITERARY = 3
MIN_CLASSICAL_LINES = 2
# A poem extracted with a blank line after every line: this many lines in a
# literary piece, more elsewhere.
MIN_SPACED_LINES = 4
MIN_SPACED_LINES_OTHER = 6
# Blank lines a run of verse lines may span (stanza breaks).
MAX_RUN_GAP = 3
# Short lines set one under the other right after a line ending in ： (古人云：)
MIN_INTRODUCED_LINES = 2
# The shortest run of any kind.
MIN_RUN = min(MIN_CLASSICAL_LINES, MIN_FREE_LINES, MIN_FREE_LINES_LITERARY, MIN_SPACED_LINES, MIN_SPACED_LINES_OTHER, MIN_INTRODUCED_LINES)


def classical_len(text: str) -> int:
    """Characters per half-line (5 or 7) if ``text`` is a classical verse line, else 0."""
    if not CLASSICAL_RE.match(text):
        return 0
    m = re.match(rf"{_HAN}+", text)
    return len(m.group(0)) if m else 0


def is_free_line(text: str, literary: bool) -> bool:
    limit = FREE_MAX_LITERARY if literary else FREE_MAX
    if not (1 <= len(text) <= limit):
        return False
    if text[-1] in "：:":
        return False  # a lead-in (…曾说过：) is prose
    inner = text[:-1]
    if any(c in "。！？；!?;" for c in inner):
        return False
    return any(ty.is_han(c) for c in text)


def _candidate(it, literary: bool) -> bool:
    if it.cls != "text":
        return False
    return bool(classical_len(it.text)) or is_free_line(it.text, literary)


def mark_runs(items, literary: bool) -> None:
    """Mark runs of verse lines (``it.in_verse``, ``it.verse_id``).

    A run is a sequence of candidate lines; blank lines inside it are stanza
    breaks.  It is verse when it is classical (≥2 lines of the same half-line
    length) or free (enough lines, at least two lines in a row without a blank,
    most lines without a final stop)."""
    n = len(items)
    if n < MIN_RUN:
        return  # no run of verse is this short
    i = 0
    vid = 0
    while i < n:
        if not _candidate(items[i], literary):
            i += 1
            continue
        j = i
        while j < n and _candidate(items[j], literary) and (j == i or items[j].gap <= MAX_RUN_GAP):
            j += 1
        run = items[i:j]
        prev = items[i - 1] if i > 0 else None
        introduced = prev is not None and prev.text[-1:] in "：:"
        if not _is_verse(run, literary) and introduced:
            # 古人云： + lines set one under the other: the first stanza is a quote
            k = 1
            while k < len(run) and run[k].gap == 0:
                k += 1
            run = run[:k] if k >= MIN_INTRODUCED_LINES else []
            j = i + max(1, len(run))
        elif not _is_verse(run, literary):
            run = []
        for it in run:
            it.in_verse = True
            it.verse_id = vid
        vid += 1
        i = j


def _is_verse(run, literary: bool) -> bool:
    if not run:
        return False
    tight = any(it.gap == 0 for it in run[1:])
    if not tight:
        # blank-separated short lines are prose paragraphs, except a poem
        # extracted with a blank after every line: many short unstopped lines
        if len(run) < (MIN_SPACED_LINES if literary else MIN_SPACED_LINES_OTHER):
            return False
        unstopped = sum(1 for it in run if it.text[-1] not in "。！？”")
        return unstopped * 10 >= len(run) * 8
    lens = [classical_len(it.text) for it in run]
    if all(lens) and len(run) >= MIN_CLASSICAL_LINES:
        # mostly one metre
        common = max(set(lens), key=lens.count)
        if lens.count(common) * 2 > len(lens) or len(run) >= 4:
            return True
    need = MIN_FREE_LINES_LITERARY if literary else MIN_FREE_LINES
    if len(run) < need:
        return False
    unstopped = sum(1 for it, k in zip(run, lens) if k or it.text[-1] not in "。！？")
    return unstopped * 10 >= len(run) * 6


def block(run) -> Block:
    """The verse block for a run; blank lines → "" stanza breaks.  A first line
    set off by a stray blank line from a classical poem of the same metre is
    joined to it (a one-line stanza is normal in free verse, not in a 律诗)."""
    lines: list[str] = []
    stanzas: list[list[str]] = []
    base = min((it.gap for it in run[1:]), default=0)  # the gap between lines
    for k, it in enumerate(run):
        if k == 0 or it.gap > base:
            stanzas.append([])
        stanzas[-1].append(ty.normalise_title(it.text))
    if (
        len(stanzas) >= 2
        and len(stanzas[0]) == 1
        and len(stanzas[1]) >= 2
        and classical_len(run[0].text)
        and classical_len(run[0].text) == classical_len(run[1].text)
    ):
        stanzas[1] = stanzas[0] + stanzas[1]
        stanzas = stanzas[1:]
    for k, s in enumerate(stanzas):
        if k:
            lines.append("")
        lines.extend(s)
    return Block(type="verse", lines=lines, source=[run[0].number, run[-1].number])
