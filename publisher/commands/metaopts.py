"""Issue-metadata options shared by the commands that read one issue (parse, build).

They override the sidecar TOML key of the same name (publisher/metadata.py) and are
checked against the same schema (``metadata.META_SCHEMA``) before anything is written.
"""
from __future__ import annotations

import click

# (option, metadata key, help)
META_OPTIONS = (
    ("--magazine", "magazine", "Magazine name (overrides the sidecar TOML)."),
    ("--issue-label", "issue_label", "Issue label, e.g. 2023年第1期."),
    ("--number", "number", "Issue number in the magazine's run (a whole number)."),
    ("--date", "date", "Issue date, YYYY-MM-DD, year 1900–2200 (fixes output timestamps)."),
    ("--publisher", "publisher", "Publishing body."),
    ("--page-size", "page_size", "PDF page size: 16开, 大16开, A4, A5, B5 or e.g. '185mm 260mm'."),
)


def meta_options(f):
    """Add the metadata options; the command receives them as one ``meta`` dict."""
    for opt, key, help_ in reversed(META_OPTIONS):
        f = click.option(opt, key, default=None, help=help_)(f)
    return f


def pop_meta(kwargs: dict) -> dict | None:
    """Take the metadata options out of a command's kwargs: the overrides dict, or None."""
    meta = {key: kwargs.pop(key) for _, key, _ in META_OPTIONS}
    meta = {k: v for k, v in meta.items() if v is not None}
    return meta or None
