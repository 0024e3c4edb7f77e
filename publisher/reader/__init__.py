"""The reader: raw issue text → ``publisher.model.Issue``.

Stages (each a module here):

* ``lines``     — input lines with their 1-based numbers;
* ``layout``    — how the input marks paragraphs and what else it carries (CRLF,
  Markdown, front matter, HTML…), found first; the lines normalised to it;
* ``debris``    — web and converter debris (front matter, page furniture, database
  headers, HTML remnants) dropped or read as metadata: R051–R056;
* ``contents``  — the 目录 block and its entries (columns, pages, titles, authors);
* ``articles``  — the body split into articles anchored on the entries (fuzzy,
  linear), heads (kicker, title, subtitle, bylines) and signatures;
* ``single``    — an input with no 目录: one article in a column named "";
* ``bylines``   — author lines, credits, pen-name signatures;
* ``blocks``    — one article's body lines → typed blocks (paragraph repair,
  headings, verse, captions, notes…), with ``publisher.typography``.

Nothing is silently lost: every non-blank input line is inside the 目录 block
(``Issue.contents_source``), inside an article's ``source`` range (its head, its
blocks, or its signature), or named by a warning.
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from operator import attrgetter
from typing import Any

from ..gcpause import paused
from ..metadata import YEARS, load_meta
from ..model import Column, Issue, Meta, Warning
from ..textio import DECODE_CODES, read_input
from ..typography import DATELINE_RE
from .articles import read_articles
from .contents import find_contents
from .debris import blank_out, find_debris, iso_date, running_meta
from .layout import Layout, detect_layout, normalise
from .lines import split_lines
from .note_roles import mark_note_roles
from .single import read_single

__all__ = ["read_issue", "read_issue_report", "parse_text", "parse_text_report", "unaccounted_lines"]

# Meta fields the text itself may fill when neither the sidecar nor the command line does.
TEXT_META_FIELDS = ("magazine", "issue_label", "date")


_LABEL_YEAR = re.compile(r"\s*(\d{4})\s*年")


def label_year(label: str | None) -> int | None:
    """The year an issue label opens with: ``1999年第1期`` → 1999 (101's label is all
    the date its text gives); None for a label without one or a year out of range."""
    m = _LABEL_YEAR.match(label or "")
    return int(m.group(1)) if m and YEARS[0] <= int(m.group(1)) <= YEARS[1] else None


def dateline_date(article) -> str | None:
    """The ISO date of the dateline opening a piece (a note ``（2019年10月27日）`` as its
    first block: a speech's or a statement's date), or None."""
    b = article.blocks[0] if article.blocks else None
    if b is None or b.type != "note" or not DATELINE_RE.match(b.text.strip()):
        return None
    return iso_date(b.text)


def read_issue(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> Issue:
    """Read, decode and parse one input file with its sidecar metadata."""
    return read_issue_report(path, overrides)[0]


def read_issue_report(
    path: str | os.PathLike, overrides: dict[str, Any] | None = None
) -> tuple[Issue, Layout, dict[str, str]]:
    """``read_issue``, with the layout found and the metadata taken from the text."""
    decoded = read_input(path)
    from ..source import is_source, read_source_report

    if is_source(decoded.text):  # a publisher source (issue 13): read as written, no heuristics
        issue, layout = read_source_report(decoded.text, path, overrides)
        issue.warnings[:0] = decoded.warnings
        issue.source_path = str(path)
        _attach_photos(issue)
        return issue, layout, {}
    meta = load_meta(path, overrides)
    issue, layout, from_text = parse_text_report(decoded.text, meta)
    issue.warnings[:0] = decoded.warnings  # the decoder's (R001–R004) come first
    issue.source_path = str(path)
    _attach_photos(issue)
    return issue, layout, from_text


def _attach_photos(issue: Issue) -> None:
    """The issue's photos tied to its captions (publisher/photos.py); ``parse`` shows how."""
    from ..photos import attach

    issue.photo_report = attach(issue)


def parse_text(text: str, meta: Meta | None = None) -> Issue:
    """Parse decoded issue text.  Never raises on odd text: problems become warnings."""
    return parse_text_report(text, meta)[0]


def parse_text_report(text: str, meta: Meta | None = None) -> tuple[Issue, Layout, dict[str, str]]:
    """Parse decoded issue text: (issue, its layout, the meta fields filled from the text).

    The text's own masthead, issue label and date (front matter, source line, cover,
    running heads) fill only what the given ``meta`` (sidecar, command line) leaves empty.
    The cyclic garbage collector is paused meanwhile (publisher/gcpause.py)."""
    with paused():
        return _parse_text_report(text, meta)


def _parse_text_report(text: str, meta: Meta | None) -> tuple[Issue, Layout, dict[str, str]]:
    meta = meta if meta is not None else Meta()
    raw_lines = split_lines(text)
    layout = detect_layout(text, raw_lines)
    drop, debris_warnings, found = find_debris(raw_lines)
    lines = normalise(blank_out(raw_lines, drop), layout)
    heads = running_meta(lines)
    from_text: dict[str, str] = {}
    for name in TEXT_META_FIELDS:
        value = getattr(found, name) or getattr(heads, name)
        if value and not getattr(meta, name):
            from_text[name] = value
    if from_text:
        meta = replace(meta, **from_text)
        if "date" in from_text and meta.year is None:
            meta = replace(meta, year=int(from_text["date"][:4]))
    if meta.year is None and (year := label_year(meta.issue_label)):
        meta = replace(meta, year=year)
    contents = find_contents(lines)
    warnings: list[Warning] = list(debris_warnings)
    columns: list[Column] = []
    if contents is None:
        arts, w = read_single(lines)
        warnings.extend(w)
        when = dateline_date(arts[0]) if len(arts) == 1 and not (meta.date or meta.year) else None
        if when:  # one piece dated under its headline (105's （2019年10月27日）): the text's date
            from_text["date"] = when
            meta = replace(meta, date=when, year=int(when[:4]))
        columns.append(Column(name="", articles=arts))
    else:
        warnings.extend(contents.warnings)
        pairs, w = read_articles(lines, contents)
        warnings.extend(w)
        by_name: dict[str, Column] = {}
        for name, art in pairs:
            col = by_name.get(name)
            if col is None:
                col = by_name[name] = Column(name=name)
                columns.append(col)
            col.articles.append(art)
    n = 0
    for col in columns:
        for art in col.articles:
            n += 1
            art.id = f"a{n:02d}"
            mark_note_roles(art.blocks)
    warnings = _in_line_order(warnings)
    issue = Issue(meta=meta, columns=columns, warnings=warnings)
    if contents is not None:
        issue.contents_source = [contents.first, contents.last]
    return issue, layout, from_text


def _in_line_order(warnings: list[Warning]) -> list[Warning]:
    """The warnings by line, those naming no line last, each group in its own order
    (what a stable sort on ``(line is None, line)`` gives, without a Python key call
    per warning: a text of many dropped lines has tens of thousands)."""
    lined = [w for w in warnings if w.line is not None]
    lined.sort(key=_LINE)
    if len(lined) < len(warnings):
        lined.extend([w for w in warnings if w.line is None])
    return lined


_LINE = attrgetter("line")


def unaccounted_lines(issue: Issue, text: str) -> list[int]:
    """Non-blank input lines the model does not account for (should be empty).

    A line is accounted for if it lies in the 目录 block, is named by a warning,
    or lies in an article's ``source`` range *and* is either inside one of its
    blocks' ranges or part of its head (before the first block: kicker, title,
    subtitle, bylines) or its tail (after the last block: a signature line).
    A line skipped in the middle of an article is therefore reported.
    """
    lines = split_lines(text)
    covered: set[int] = set()
    if issue.contents_source:
        covered.update(range(issue.contents_source[0], issue.contents_source[1] + 1))
    # a decoder warning (a character removed) does not account for its line
    covered.update(w.line for w in issue.warnings if w.line is not None and w.code not in DECODE_CODES)
    for art in issue.articles:
        if not art.source:
            continue
        first, last = art.source
        ranges = [b.source for b in art.blocks if b.source]
        if not ranges:
            covered.update(range(first, last + 1))
            continue
        covered.update(range(first, min(r[0] for r in ranges)))
        covered.update(range(max(r[1] for r in ranges) + 1, last + 1))
        for r in ranges:
            covered.update(range(r[0], r[1] + 1))
    return [sl.number for sl in lines if sl.text.strip() and sl.number not in covered]
