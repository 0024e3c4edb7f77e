"""Layout invariance (issue 11): each corpus file and the sample, re-laid out in another
convention, parses to the same articles, heads and blocks as the original.

Conventions tested here (the re-layout transforms are the helpers below):

* ``blank``        — paragraphs separated by blank lines (an input laid out with one
  paragraph per line or with indents gets a blank line between its lines, indents
  removed; an input already so laid out is its own re-layout and is not repeated);
* ``indent-all``   — an ideographic indent on every line, as crawlers write;
* ``crlf-gb18030`` — CRLF line ends, the file encoded in GB18030;
* ``indent``       — indents on paragraphs only, as a layout program's text export
  writes: blank lines removed, the first line of every paragraph block of the
  original's reading opened by ``　　``, every other line (heads, 目录, headings,
  captions, credits, notes, verse) flush.  A paragraph the original printed over
  several lines (split at a page break, a caption between its halves) keeps its
  lines, the later ones flush, as an export writes a paragraph broken across pages
  or frames; the variant ``indent-joined`` writes each paragraph on one line;
* ``wrapped``      — hard-wrapped print lines, as a PDF text export of a page set 34 em
  wide gives: each paragraph block's text (its lines joined as the reader joins them)
  set in lines of 34 em (a Han character or full-width mark 1 em, ASCII ½ em, the
  first line's ``　　`` indent included), breaking between any two characters except
  that a closing mark never opens a line (clreq line-start prohibition: it is pulled
  back onto the line before, which overhangs), an opening mark never ends one, no
  break falls inside a run of ASCII or inside —— / ……, and a space beside Latin text
  or digits is a break the line end swallows; heads,
  headings and every other block stay on their own lines, flush and unwrapped; no
  blank lines.  The variant ``wrapped-blanks`` keeps the original's blank lines
  between blocks.
"""
from __future__ import annotations

import pytest

from conftest import SAMPLE, corpus_files
from publisher import typography as ty
from publisher.reader import parse_text, read_issue, unaccounted_lines
from publisher.reader.layout import detect_layout
from publisher.reader.lines import split_lines
from publisher.textio import read_input

INPUTS = [SAMPLE] + corpus_files()
INDENT = "\u3000\u3000"
SPACES = " \t\u3000\u00a0"


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def to_blank_lines(text: str) -> str:
    """Every line its own paragraph, separated by one blank line, indents removed."""
    return "\n\n".join(x.strip(SPACES) for x in _lines(text) if x.strip(SPACES)) + "\n"


def to_indent_all(text: str) -> str:
    """An ideographic indent in front of every non-blank line."""
    return "\n".join(INDENT + x if x.strip() else x for x in _lines(text))


def to_crlf_gb18030(text: str) -> bytes:
    return "\r\n".join(_lines(text)).encode("gb18030")


def _paragraph_ranges(issue) -> tuple[dict[int, int], set[int]]:
    """The original reading's paragraph blocks (first line → last line) and the lines
    of every other block."""
    paras: dict[int, int] = {}
    others: set[int] = set()
    for a in issue.articles:
        for b in a.blocks:
            if not b.source:
                continue
            if b.type == "paragraph":
                paras[b.source[0]] = b.source[1]
            else:
                others.update(range(b.source[0], b.source[1] + 1))
    return paras, others


def _paragraph_text(lines: list[str], first: int, last: int, others: set[int]) -> str:
    """A paragraph's input lines ``first``…``last`` (1-based; lines of other blocks set
    between its halves left out) joined as the reader joins them."""
    out = ""
    for no in range(first, last + 1):
        t = lines[no - 1].strip(SPACES)
        if not t or no in others:
            continue
        if out and ty.is_western(out[-1]) and ty.is_western(t[0]):
            out += " "
        out += t
    return out


def _relayout(text: str, issue, paragraph, blanks: bool = False) -> str:
    """``text`` with each paragraph block of ``issue`` (the original's reading) written
    as ``paragraph(text)`` gives (a list of lines), the lines of other blocks set inside
    it after it, every other line kept flush; blank lines dropped unless ``blanks``."""
    lines = _lines(text)
    paras, others = _paragraph_ranges(issue)
    out: list[str] = []
    no = 1
    while no <= len(lines):
        if no in paras:
            last = paras[no]
            out.extend(paragraph(_paragraph_text(lines, no, last, others)))
            out.extend(lines[k - 1].strip(SPACES) for k in range(no, last + 1) if k in others and lines[k - 1].strip(SPACES))
            no = last + 1
            continue
        t = lines[no - 1].strip(SPACES)
        if t or blanks:
            out.append(t)
        no += 1
    return "\n".join(out) + "\n"


def to_indent_paragraphs(text: str, issue) -> str:
    """Blank lines removed; a paragraph block's first line opened by 　　, every other
    line flush (a paragraph's later lines too)."""
    paras, _ = _paragraph_ranges(issue)
    out = [
        (INDENT if no in paras else "") + x.strip(SPACES)
        for no, x in enumerate(_lines(text), start=1)
        if x.strip(SPACES)
    ]
    return "\n".join(out) + "\n"


def to_indent_joined(text: str, issue) -> str:
    """Blank lines removed; each paragraph block on one line opened by 　　."""
    return _relayout(text, issue, lambda t: [INDENT + t])


WRAP_EM = 34
# closing marks (and ``>``, which 101's OCR reads for a printed 》)
CLOSING = frozenset("，。、；：！？）》」』”’〕】〉〗…,.;:!?)>")
OPENING = frozenset("“‘（《〈【〔「『〖(")


def _half_ems(ch: str) -> int:
    return 1 if ord(ch) < 0x2E80 else 2


def _breakable(text: str, k: int) -> bool:
    """May a printed line end between ``text[k-1]`` and ``text[k]``?"""
    a, b = text[k - 1], text[k]
    if b in CLOSING or a in OPENING or a in SPACES or b in SPACES or "*" in (a, b):
        return False
    if a.isascii() and b.isascii():
        return False  # inside a run of Latin letters, digits, ASCII marks
    return not (a == b and a in "—…")


def _next_start(text: str, k: int) -> int | None:
    """Where the next printed line starts if this one ends before ``text[k]`` (None: it
    may not end there).  A space beside Latin text or digits is a break that the line
    end swallows (the reader joins two Latin words with one again, and drops a space
    between Han and Latin); a space between Han characters (“四子工程 五大行动”) is kept."""
    if text[k] == " " and 0 < k < len(text) - 1 and text[k + 1] not in CLOSING:
        if not (ty.is_han(text[k - 1]) and ty.is_han(text[k + 1])) and text[k + 1] != " ":
            return k + 1
        return None
    return k if _breakable(text, k) else None


def wrap_paragraph(text: str, em: int = WRAP_EM) -> list[str]:
    """``text`` set in lines of ``em`` em, the first opened by 　　 (see the module
    docstring for where a line may end)."""
    limit = 2 * em
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n:
        used = 4 if not lines else 0  # the first line's indent
        j = start
        while j < n and used + _half_ems(text[j]) <= limit:
            used += _half_ems(text[j])
            j += 1
        if j >= n:
            lines.append(text[start:])
            break
        k = j
        while k < n and k - j < 2 and text[k] in CLOSING:
            k += 1  # closing marks pulled back onto this line, which overhangs
        nxt = _next_start(text, k) if j < k < n else None
        if k >= n:
            nxt = n
        while nxt is None and j > start + 1:
            nxt = _next_start(text, j)  # the break moved back before an unbreakable run
            k = j
            j -= 1
        if nxt is None:
            k = nxt = j + 1  # no break anywhere: cut
        lines.append(text[start:k])
        start = nxt
    lines[0] = INDENT + lines[0]
    return lines


def to_wrapped(text: str, issue, blanks: bool = False) -> str:
    """Paragraph blocks hard-wrapped at 34 em, everything else flush on its own line;
    no blank lines (``blanks``: the original's blank lines between blocks kept)."""
    return _relayout(text, issue, wrap_paragraph, blanks)


def signature(issue) -> list[tuple]:
    """Articles, their heads and their blocks (types and text), without line numbers."""
    return [
        (a.kind, a.kicker, a.title, a.subtitle, [(p.role, p.name) for p in a.authors],
         [(b.type, b.text) for b in a.blocks])
        for a in issue.articles
    ]


@pytest.fixture(scope="module", params=INPUTS, ids=lambda p: p.name[:12])
def original(request):
    path = request.param
    text = read_input(path).text
    issue = parse_text(text)
    return path, text, signature(issue), issue


def _laid_out_with_blanks(path) -> bool:
    text = read_input(path).text
    return detect_layout(text, split_lines(text)).paragraphs in ("blank", "indent-all")


# inputs laid out with blank lines already are their own blank-line re-layout
NOT_BLANK = [p for p in INPUTS if not _laid_out_with_blanks(p)]


@pytest.mark.parametrize("path", NOT_BLANK, ids=lambda p: p.name[:12])
def test_blank_lines(path):
    text = read_input(path).text
    want = signature(parse_text(text))
    assert signature(parse_text(to_blank_lines(text))) == want


def test_indent_on_every_line(original):
    path, text, want, _ = original
    assert signature(parse_text(to_indent_all(text))) == want


def test_crlf_in_gb18030(original, tmp_path):
    path, text, want, _ = original
    target = tmp_path / path.name
    target.write_bytes(to_crlf_gb18030(text))
    assert signature(read_issue(target)) == want


RELAYOUTS = {
    "indent": to_indent_paragraphs,
    "indent-joined": to_indent_joined,
    "wrapped": to_wrapped,
    "wrapped-blanks": lambda text, issue: to_wrapped(text, issue, blanks=True),
}


@pytest.mark.parametrize("convention", list(RELAYOUTS))
def test_relaid_out(original, convention):
    """Indents on paragraphs only, hard-wrapped print lines: the same articles, heads
    and blocks as the original, and every line of the re-layout accounted for."""
    path, text, want, issue = original
    relaid = RELAYOUTS[convention](text, issue)
    got = parse_text(relaid)
    assert signature(got) == want
    assert unaccounted_lines(got, relaid) == []


def test_wrapped_lines_are_print_lines(original):
    """The wrapped re-layout is what it claims: no wrapped line opens with a closing
    mark, and nearly every line but a paragraph's last runs to the width."""
    path, text, want, issue = original
    lines = _lines(text)
    paras, others = _paragraph_ranges(issue)
    wrapped = [wrap_paragraph(_paragraph_text(lines, a, b, others)) for a, b in paras.items()]
    assert not [x for p in wrapped for x in p[1:] if x[0] in CLOSING]
    inner = [sum(_half_ems(c) for c in x) for p in wrapped for x in p[:-1]]
    full = sum(1 for w in inner if 2 * WRAP_EM - 4 <= w <= 2 * WRAP_EM + 4)
    assert full >= 0.9 * len(inner)
