"""The publisher source: the model as Pandoc Markdown an editor corrects and builds from.

``publisher parse INPUT --to markdown`` writes it (``writer``); every command that reads
an issue reads it back exactly as written (``reader``) when its front matter opens with
``publisher-source: 1``.  ``docs/markdown.md`` is the reference of the syntax.
"""
from __future__ import annotations

import os
from dataclasses import fields
from typing import Any

from ..metadata import check_value, load_meta
from ..model import Issue, Meta
from . import syntax
from .syntax import SourceError, SourceLayout, is_source  # no Markdown parser imported for raw texts
from .writer import notes, to_markdown

__all__ = ["is_source", "read_source_text", "read_source_report", "notes", "to_markdown", "SourceError", "SourceLayout", "syntax"]


def read_source_text(text: str, path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> Issue:
    """A decoded publisher source → the issue; its front matter is the metadata under the
    sidecar TOML and the command line (``publisher.metadata.load_meta``)."""
    return read_source_report(text, path, overrides)[0]


def read_source_report(text: str, path: str | os.PathLike,
                       overrides: dict[str, Any] | None = None) -> tuple[Issue, SourceLayout]:
    """``read_source_text`` with the source's layout (its front matter's comment lines)."""
    from .reader import read_source

    where = str(path)
    front, layout, issue = read_source(text, where)
    known = {f.name for f in fields(Meta)}
    clean: dict[str, Any] = {}
    for key, (value, line) in front.items():
        if key == syntax.MARKER_KEY:
            continue
        if key not in known:
            raise SourceError(where, line, f"front matter: unknown key {key!r} "
                                           f"(known: {', '.join(sorted(known))})")
        if value is None:  # null: not given
            continue
        clean[key] = check_value(key, value, f"{where}: line {line}: front matter")
    issue.meta = load_meta(path, overrides, front=clean, front_where=f"{where}: front matter")
    return issue, layout
