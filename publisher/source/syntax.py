"""The publisher source: what is written how (shared by the writer and the reader).

A publisher source is Pandoc Markdown that starts with YAML front matter whose first
line is ``publisher-source: 1`` (``MARKER``).  ``docs/markdown.md`` is the reference.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import PublisherError

MARKER_KEY = "publisher-source"
VERSION = 1
MARKER = f"{MARKER_KEY}: {VERSION}"

# Front matter longer than this is refused before YAML reads it (a source's is a few hundred bytes).
FRONT_MATTER_LIMIT = 64 * 1024

# Fenced divs (``::: name`` … ``:::``): the article's head and the one-paragraph blocks.
HEAD_DIVS = ("kicker", "subtitle", "authors")
BLOCK_DIVS = ("note", "credits", "salutation", "caption")
DIVS = HEAD_DIVS + BLOCK_DIVS
# Bracketed spans (``[…]{.name}``) inside a line.
EMPHASIS_SPAN = "em"  # a run of Block.emphasis (a run-in lead)
CREDIT_SPAN = "credit"  # a caption's credit, last on the caption's line
ROLE_SPAN = "role"  # an author's role, first on the author's item
# A photo no caption describes (Block type "figure"): ``![alt](images/05.jpg)``, alone on
# its line; the path is a link destination without spaces, parentheses, <, > or \.
FIGURE_PATH_RE = re.compile(r"[^\s()<>\\]+")
FIGURE_RE = re.compile(r"!\[(.*)\]\(([^\s()<>\\]+)\)")
# Heading levels: columns, articles, and an article's section headings (model levels 1–4).
COLUMN_LEVEL = 1
ARTICLE_LEVEL = 2
SECTION_OFFSET = 2  # model level 1 is ``###``
MAX_SECTION_LEVEL = 6 - SECTION_OFFSET

# ASCII characters escaped with a backslash wherever they stand: Markdown's own marks and
# Pandoc's (math $, super/subscript ^ ~, citations @, smart quotes, raw HTML and TeX).
ALWAYS_ESCAPED = frozenset("\\`*_[]{}<>&$^~@|#\"'")
# Marks that, left unescaped in a line, mean a mistake (they open or close nothing).
STRAY_MARKS = "*_`[]{}<"


def _entity(ch: str) -> str:
    return f"&#x{ord(ch):X};"


def escape(text: str) -> list[str]:
    """``text`` as Markdown inline source, one piece per character (so that span marks can
    be put between pieces): marks escaped, white space at the ends and line-breaking
    characters as numeric entities, line-start marks (lists, quotes, dashes) escaped."""
    out: list[str] = []
    n = len(text)
    # a leading enumerator (1. 1) a. iv) …) has its delimiter escaped
    enum_delim = -1
    i = 0
    while i < n and i < 9 and text[i].isascii() and text[i].isalnum():
        i += 1
    if 0 < i < n and text[i] in ".)":
        enum_delim = i
    first = 0
    while first < n and text[first].isspace():
        first += 1
    last = n
    while last > first and text[last - 1].isspace():
        last -= 1
    for k, ch in enumerate(text):
        if k < first or k >= last or (ch.isspace() and ch != " " and ch != "\u3000"):
            out.append(_entity(ch))
        elif ch in ALWAYS_ESCAPED:
            out.append("\\" + ch)
        elif k == enum_delim:
            out.append("\\" + ch)
        elif k == first and ch in "-+:=%(!.":
            out.append("\\" + ch)
        elif ch == "-" and ((k > 0 and text[k - 1] == "-") or (k + 1 < n and text[k + 1] == "-")):
            out.append("\\-")  # Pandoc's -- and --- dashes
        elif ch == "." and ((k > 0 and text[k - 1] == ".") or (k + 1 < n and text[k + 1] == ".")):
            out.append("\\.")  # Pandoc's ... ellipsis
        else:
            out.append(ch)
    return out


def inline(text: str, spans: list[list[int]] | None = None, name: str = EMPHASIS_SPAN) -> str:
    """``text`` as one Markdown line, the ``[start, end)`` ranges of ``spans`` as ``[…]{.name}``."""
    pieces = escape(text)
    if not spans:
        return "".join(pieces)
    opens: dict[int, int] = {}
    closes: dict[int, int] = {}
    for start, end in spans:
        opens[start] = opens.get(start, 0) + 1
        closes[end] = closes.get(end, 0) + 1
    out: list[str] = []
    for k in range(len(pieces) + 1):
        out.append(f"]{{.{name}}}" * closes.get(k, 0))
        out.append("[" * opens.get(k, 0))
        if k < len(pieces):
            out.append(pieces[k])
    return "".join(out)


def comment_text(message: str) -> str:
    """A warning's message as the inside of an HTML comment (which cannot hold ``-->``)."""
    return message.replace("&", "&amp;").replace("-->", "--&gt;")


def comment_message(text: str) -> str:
    """The inverse of ``comment_text``."""
    return text.replace("--&gt;", "-->").replace("&amp;", "&")


@dataclass(frozen=True)
class SourceLayout:
    """What ``publisher parse`` says of a source's layout; ``notes`` are the comment lines of
    its front matter (where it was made from), written again by ``parse --to markdown``."""

    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        return "layout: publisher source (Markdown), read as written"


class SourceError(PublisherError):
    """A mistake in a publisher source, at one line."""

    def __init__(self, where: str, line: int | None, message: str):
        super().__init__(f"{where}: line {line}: {message}" if line else f"{where}: {message}")
        self.line = line


def is_source(text: str) -> bool:
    """Is ``text`` a publisher source?  Its first line is ``---`` and its second names the
    format (``publisher-source: 1``), whatever else the front matter says."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first, _, rest = text.partition("\n")
    second = rest.partition("\n")[0]
    key = second.partition(":")[0]
    return first.rstrip("\r ") == "---" and key == MARKER_KEY
