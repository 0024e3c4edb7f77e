"""How an input marks its paragraphs, and what else it carries — found before any
block is classified, so later rules read the layout's own signals.

Paragraph conventions (``Layout.paragraphs``):

* ``blank``      — paragraphs separated by blank lines (the first corpus family);
* ``indent``     — paragraphs opened by an ideographic/ASCII-space indent, headings and
  heads flush, no blank lines (newspaper copy: corpus-wild 102, 105);
* ``indent-all`` — every line indented alike (a crawler's copy): the indent says nothing;
* ``wrapped``    — one text line per printed line (hard-wrapped print lines of one width);
* ``lines``      — one paragraph per line, no blanks, no indents (a web copy: 104).

Carried as well: CRLF line ends, NBSP padding, Markdown (headings, quotes, bold),
Markdown escapes (``\\~``), YAML front matter, HTML remnants.

``normalise`` rewrites the lines (numbers unchanged) so that later stages see one
convention: Markdown escapes undone; an indent every line carries is removed; hard-wrapped
print lines joined back into paragraphs (``reader.unwrap``: the joined text on a run's
first line, which records the last input line it stands for, the others left empty).
A ``wrapped`` input is found by its print width (in half-em units, a first line's indent
included), whether or not it indents paragraphs or separates them by blank lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .debris import front_matter_span
from .lines import SourceLine
from .unwrap import FULL_SLACK, unwrap, visual_width

PARAGRAPH_CONVENTIONS = ("blank", "indent", "indent-all", "wrapped", "lines")

INDENT_CHARS = (" ", "\t", "\u3000", "\u00a0")
_MD_LINE_RE = re.compile(r"^(?:#{1,6}\s|>\s?|[-*+]\s+\S|\d+\.\s+\S)")
_MD_BOLD_RE = re.compile(r"\*\*[^*]+\*\*|__[^_]+__")
# Markdown escapes a converter writes before punctuation it fears: \~ \* \_ \# \[ \] \- \. \!
MD_ESCAPE_RE = re.compile(r"\\([~*_#\[\]()>\-.!`|+{}])")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&nbsp;|&amp;|&lt;|&gt;")
SENTENCE_ENDS = "。！？…”’）」』》：；!?"
# thresholds (shares of the non-blank lines)
BLANK_SHARE = 0.4  # lines followed by a blank: blank-line paragraphs
INDENT_ALL_SHARE = 1.0  # lines indented: every line indented alike (a flush headline means indents mark paragraphs)
INDENT_SHARE = 0.2  # lines indented: paragraphs opened by indents
WRAP_SHARE = 0.25  # lines of about the commonest width: hard-wrapped print lines
WRAP_RUN_ON = 0.6  # of those, the share that end no sentence (a print line ends anywhere)
WRAP_MIN_WIDTH = 16  # characters
WRAP_MIN_LINES = 5


@dataclass(frozen=True)
class Layout:
    paragraphs: str = "blank"  # one of PARAGRAPH_CONVENTIONS
    width: int | None = None  # the printed line width of a hard-wrapped input (characters)
    crlf: bool = False
    nbsp: bool = False
    markdown: bool = False
    md_escapes: int = 0
    front_matter: tuple[int, int] | None = None  # 1-based input lines [first, last]
    html: int = 0  # lines carrying HTML tags or entities

    def describe(self) -> str:
        """One line for ``publisher parse``."""
        parts = [{
            "blank": "paragraphs separated by blank lines",
            "indent": "paragraphs opened by indents",
            "indent-all": "every line indented (the indent marks nothing)",
            "wrapped": f"hard-wrapped print lines (about {self.width} characters)",
            "lines": "one paragraph per line",
        }[self.paragraphs]]
        if self.markdown:
            parts.append("Markdown")
        if self.front_matter:
            parts.append(f"YAML front matter (lines {self.front_matter[0]}–{self.front_matter[1]})")
        if self.md_escapes:
            parts.append(f"{self.md_escapes} Markdown escapes")
        if self.crlf:
            parts.append("CRLF")
        if self.nbsp:
            parts.append("NBSP padding")
        if self.html:
            parts.append(f"HTML on {self.html} line{'s' if self.html != 1 else ''}")
        return "layout: " + "; ".join(parts)


_MD_OPENS = "#>-*+"
_FOLLOWED_BY_BLANK = re.compile(r"[^\n]\n(?=\n)")  # the end of a non-blank line that a blank line follows


def _md_line(t: str) -> bool:
    """A line Markdown reads as a heading, a quote or a list item (_MD_LINE_RE), its
    opening character looked at first: the pattern needs one of these or a digit."""
    s = t.strip()
    c = s[:1]
    return bool(c) and (c in _MD_OPENS or c.isdecimal()) and _MD_LINE_RE.match(s) is not None


def _indented(raw: str) -> bool:
    return raw[:1] in INDENT_CHARS


def detect_layout(text: str, lines: list[SourceLine]) -> Layout:
    """The layout of decoded ``text`` split into ``lines`` (pure; the text is only
    looked at for its line ends).  Each distinct line is looked at once: what is
    counted is how many lines have a shape, and a repeated line has it each time."""
    fm = front_matter_span(lines)
    texts = [sl.text for sl in lines]
    every = Counter(texts)
    body = Counter(texts[fm[1] + 1 :]) if fm else every
    filled = {t: c for t, c in body.items() if t.strip()}  # the non-blank lines, in order of first use
    n = sum(filled.values())
    paragraphs, width = "blank", None
    if n:
        # a non-blank line followed by a blank one, the last non-blank line aside: the
        # lines are right-stripped (split_lines), so a blank one is empty and shows in
        # the joined text as a line end directly after another
        joined = "\n".join(texts[fm[1] + 1 :] if fm else texts).rstrip("\n")
        followed = len(_FOLLOWED_BY_BLANK.findall(joined))
        indented = sum(c for t, c in filled.items() if _indented(t))
        width = _print_width(filled)
        if indented >= INDENT_ALL_SHARE * n:
            paragraphs, width = "indent-all", None  # whether or not blank lines separate the paragraphs
        elif width is not None:
            paragraphs = "wrapped"  # with or without indents or blank lines between paragraphs
        elif followed >= BLANK_SHARE * max(1, n - 1):
            paragraphs = "blank"
        else:
            paragraphs = "indent" if indented >= INDENT_SHARE * n else "lines"
    md_lines = sum(c for t, c in body.items() if _md_line(t) or ("*" in t or "_" in t) and _MD_BOLD_RE.search(t))
    return Layout(
        paragraphs=paragraphs,
        width=width,
        crlf="\r\n" in text,
        nbsp="\u00a0" in text,
        markdown=md_lines >= 2,
        md_escapes=sum(len(MD_ESCAPE_RE.findall(t)) * c for t, c in every.items() if "\\" in t),  # the pattern needs a backslash
        front_matter=(lines[fm[0]].number, lines[fm[1]].number) if fm else None,
        html=sum(c for t, c in every.items() if ("<" in t or "&" in t) and _HTML_TAG_RE.search(t)),  # a tag or an entity
    )


def print_width(texts: list[str]) -> int | None:
    """The printed line width (characters) of hard-wrapped ``texts`` (non-blank raw
    lines), or None: many lines run to one width (in half-em units, indent included:
    a first line's indent fills its width too) and most of those end no sentence."""
    return _print_width(Counter(texts))


def _print_width(counts: dict[str, int]) -> int | None:
    """``print_width`` of the lines counted in ``counts`` (text → how many times, in
    order of first use: the commonest width's ties go to the first one used)."""
    # a line counts for the width (2 * WRAP_MIN_WIDTH or more) or as full (FULL_SLACK
    # short of it at the most) only if it is that wide; a line of n characters is at
    # most 2n half-ems wide, so the shorter ones are not measured
    shortest = WRAP_MIN_WIDTH - FULL_SLACK // 2
    widths = {t: visual_width(t) for t in counts if len(t) >= shortest}
    common = Counter()
    for t, x in widths.items():
        if x >= 2 * WRAP_MIN_WIDTH:
            common[x] += counts[t]
    if not common:
        return None
    w = common.most_common(1)[0][0]
    full = run_on = 0
    for t, x in widths.items():
        if w - FULL_SLACK <= x <= w + 2:
            full += counts[t]
            run_on += counts[t] if t.strip()[-1] not in SENTENCE_ENDS else 0
    if full >= WRAP_MIN_LINES and full >= WRAP_SHARE * sum(counts.values()) and run_on >= WRAP_RUN_ON * full:
        return (w + 1) // 2
    return None


def normalise(lines: list[SourceLine], layout: Layout) -> list[SourceLine]:
    """The lines as later stages read them (same numbers): Markdown escapes undone;
    the indent every line opens with (which marks nothing) removed; hard-wrapped print
    lines joined into paragraphs."""
    out = lines
    if layout.md_escapes:
        out = [SourceLine(sl.number, MD_ESCAPE_RE.sub(r"\1", sl.text)) if "\\" in sl.text else sl for sl in out]
    if layout.paragraphs == "indent-all":
        k = len(_common_indent([sl.text for sl in out if sl.text.strip()]))
        out = [SourceLine(sl.number, sl.text[k:]) if sl.text.strip() else sl for sl in out]
    if layout.paragraphs == "wrapped" and layout.width:
        out = unwrap(out, layout.width)
    return out


def _common_indent(texts: list[str]) -> str:
    """The leading white space every one of ``texts`` opens with (an indent a line
    has beyond it is its own)."""
    if not texts:
        return ""
    lead = [t[: len(t) - len(t.lstrip(" \t\u3000\u00a0"))] for t in texts]
    common = lead[0]
    for x in lead[1:]:
        n = 0
        while n < min(len(common), len(x)) and common[n] == x[n]:
            n += 1
        common = common[:n]
        if not common:
            break
    return common
