"""A short account of a parse an editor can act on: what was uncertain, and where.

``parse`` prints it after the outline.  The warnings are grouped by code, one line
per code: how many, what to check, and the input lines as ranges (``12–40, 77``).
Fail-soft readings (R214–R216) come first: they change what the issue holds.
"""
from __future__ import annotations

from ..model import Issue

# code → what an editor should check (codes of publisher.reader.articles / contents)
ADVICE = {
    "R214": "fail soft: unlisted articles not split off (see the message for the figures)",
    "R215": "目录 entries beyond the end of the text: not kept (is the input the whole issue?)",
    "R216": "most 目录 entries not found in the body: is this the right 目录? (the text may have been read without it)",
    "R201": "titles matched below certainty: check each against the print",
    "R203": "目录 entries not found in the body: kept without text",
    "R209": "articles the 目录 does not list, split off at a headline + byline",
    "R210": "entries found out of 目录 order",
    "R205": "lines outside every article, dropped: check nothing of the text is lost",
    "R206": "text before the 目录 kept as an unlisted article",
    "R211": "text after the 目录 no entry claims, kept as an unlisted article",
    "R207": "headlines made from the first words",
    "R208": "articles without body text",
    "R202": "layout noise dropped inside the 目录",
    "R401": "photos no caption takes, not placed: tie them in the sidecar's [images] or the Markdown source",
    "R402": "captions without a photo: is a file missing or misnamed in the images folder?",
    "R403": "[images] entries in the sidecar that tie no photo (see each message)",
}
FIRST = ("R214", "R215", "R216")
MAX_RANGES = 6


def _ranges(numbers: list[int]) -> str:
    nums = sorted(set(numbers))
    out: list[str] = []
    start = prev = None
    for x in nums:
        if start is None:
            start = prev = x
        elif x == prev + 1 or x == prev + 2:  # a blank line between is no gap
            prev = x
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = x
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    if len(out) > MAX_RANGES:
        return ", ".join(out[:MAX_RANGES]) + f", … ({len(out) - MAX_RANGES} more)"
    return ", ".join(out)


def account(issue: Issue) -> list[str]:
    """Lines of the account (empty if there is nothing uncertain)."""
    by_code: dict[str, list] = {}
    for w in issue.warnings:
        by_code.setdefault(w.code, []).append(w)
    if not by_code:
        return []
    order = [c for c in FIRST if c in by_code] + sorted(c for c in by_code if c not in FIRST)
    out = ["account:"]
    for code in order:
        ws = by_code[code]
        what = ADVICE.get(code) or ws[0].message
        where = _ranges([w.line for w in ws if w.line is not None])
        detail = f" — {ws[0].message}" if code in FIRST else ""
        out.append(f"  {code} ×{len(ws)}: {what}{detail}" + (f" (lines {where})" if where else ""))
    return out
