"""The reader: raw issue text → ``publisher.model.Issue``.

Stages (each a module here):

* ``lines``     — input lines with their 1-based numbers;
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
from typing import Any

from ..metadata import load_meta
from ..model import Column, Issue, Meta, Warning
from ..textio import read_text
from .articles import read_articles
from .contents import find_contents
from .lines import split_lines
from .single import read_single

__all__ = ["read_issue", "parse_text"]


def read_issue(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> Issue:
    """Read, decode and parse one input file with its sidecar metadata."""
    text = read_text(path)
    meta = load_meta(path, overrides)
    issue = parse_text(text, meta)
    issue.source_path = str(path)
    return issue


def parse_text(text: str, meta: Meta | None = None) -> Issue:
    """Parse decoded issue text.  Never raises on odd text: problems become warnings."""
    meta = meta if meta is not None else Meta()
    lines = split_lines(text)
    contents = find_contents(lines)
    warnings: list[Warning] = []
    columns: list[Column] = []
    if contents is None:
        article, w = read_single(lines)
        warnings.extend(w)
        columns.append(Column(name="", articles=[article]))
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
    warnings.sort(key=lambda w: (w.line is None, w.line or 0))
    issue = Issue(meta=meta, columns=columns, warnings=warnings)
    if contents is not None:
        issue.contents_source = [contents.first, contents.last]
    return issue
