"""The publisher source: what is written how (shared by the writer and the reader).

A publisher source is Pandoc Markdown that starts with YAML front matter whose first
line is ``publisher-source: 1`` (``MARKER``).  ``docs/markdown.md`` is the reference.
"""
from __future__ import annotations

MARKER_KEY = "publisher-source"
VERSION = 1
MARKER = f"{MARKER_KEY}: {VERSION}"

# Fenced divs (``::: name`` … ``:::``): the article's head and the one-paragraph blocks.
HEAD_DIVS = ("kicker", "subtitle", "authors")
BLOCK_DIVS = ("note", "credits", "salutation", "caption")
DIVS = HEAD_DIVS + BLOCK_DIVS
# Bracketed spans (``[…]{.name}``) inside a line.
EMPHASIS_SPAN = "em"  # a run of Block.emphasis (a run-in lead)
CREDIT_SPAN = "credit"  # a caption's credit, last on the caption's line
ROLE_SPAN = "role"  # an author's role, first on the author's item
# Heading levels: columns, articles, and an article's section headings (model levels 1–4).
COLUMN_LEVEL = 1
ARTICLE_LEVEL = 2
SECTION_OFFSET = 2  # model level 1 is ``###``
MAX_SECTION_LEVEL = 6 - SECTION_OFFSET

# ASCII characters escaped with a backslash wherever they stand: Markdown's own marks and
# Pandoc's (math $, super/subscript ^ ~, citations @, smart quotes, raw HTML and TeX).
ALWAYS_ESCAPED = frozenset("\\`*_[]{}<>&$^~@|#\"'")
# Marks that, left unescaped in a line, mean a mistake (they open or close nothing).
STRAY_MARKS = frozenset("*_`[]{}<")


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


def attr_value(value: str) -> str:
    """A value in an attribute list: bare if it is a plain word, else quoted."""
    if value and all(c.isascii() and (c.isalnum() or c in "_:-") for c in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def comment_text(message: str) -> str:
    """A warning's message as the inside of an HTML comment (which cannot hold ``-->``)."""
    return message.replace("&", "&amp;").replace("-->", "--&gt;")


def comment_message(text: str) -> str:
    """The inverse of ``comment_text``."""
    return text.replace("--&gt;", "-->").replace("&amp;", "&")
