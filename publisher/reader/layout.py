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


def _indented(raw: str) -> bool:
    return raw[:1] in INDENT_CHARS


def detect_layout(text: str, lines: list[SourceLine]) -> Layout:
    """The layout of decoded ``text`` split into ``lines`` (pure; the text is only
    looked at for its line ends)."""
    fm = front_matter_span(lines)
    body = lines[fm[1] + 1 :] if fm else lines
    idx = [i for i, sl in enumerate(body) if sl.text.strip()]
    n = len(idx)
    paragraphs, width = "blank", None
    if n:
        followed = sum(1 for i in idx[:-1] if i + 1 < len(body) and not body[i + 1].text.strip())
        indented = sum(1 for i in idx if _indented(body[i].text))
        width = print_width([body[i].text for i in idx])
        if indented >= INDENT_ALL_SHARE * n:
            paragraphs, width = "indent-all", None  # whether or not blank lines separate the paragraphs
        elif width is not None:
            paragraphs = "wrapped"  # with or without indents or blank lines between paragraphs
        elif followed >= BLANK_SHARE * max(1, n - 1):
            paragraphs = "blank"
        else:
            paragraphs = "indent" if indented >= INDENT_SHARE * n else "lines"
    md_lines = sum(1 for sl in body if _MD_LINE_RE.match(sl.text.strip()) or ("*" in sl.text or "_" in sl.text) and _MD_BOLD_RE.search(sl.text))
    return Layout(
        paragraphs=paragraphs,
        width=width,
        crlf="\r\n" in text,
        nbsp="\u00a0" in text,
        markdown=md_lines >= 2,
        md_escapes=sum(len(MD_ESCAPE_RE.findall(sl.text)) for sl in lines if "\\" in sl.text),  # the pattern needs a backslash
        front_matter=(lines[fm[0]].number, lines[fm[1]].number) if fm else None,
        html=sum(1 for sl in lines if ("<" in sl.text or "&" in sl.text) and _HTML_TAG_RE.search(sl.text)),  # a tag or an entity
    )


def print_width(texts: list[str]) -> int | None:
    """The printed line width (characters) of hard-wrapped ``texts`` (non-blank raw
    lines), or None: many lines run to one width (in half-em units, indent included:
    a first line's indent fills its width too) and most of those end no sentence."""
    widths = [visual_width(t) for t in texts]
    common = Counter(w for w in widths if w >= 2 * WRAP_MIN_WIDTH).most_common(1)
    if not common:
        return None
    w = common[0][0]
    full = [t for t, x in zip(texts, widths) if w - FULL_SLACK <= x <= w + 2]
    run_on = sum(1 for t in full if t.strip()[-1] not in SENTENCE_ENDS)
    if len(full) >= WRAP_MIN_LINES and len(full) >= WRAP_SHARE * len(texts) and run_on >= WRAP_RUN_ON * len(full):
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
