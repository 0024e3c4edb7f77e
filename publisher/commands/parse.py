"""``publisher parse INPUT [--json | --to outline|json|markdown] [-o FILE]``: the structure the reader rebuilt.

Without ``--json`` it prints an outline an editor can check against the print
issue: the 目录 lines, every column with its articles (id, page, kind, kicker,
title, subtitle, authors, input lines, block counts by type), the photos tied to
their captions and how each tie was made (publisher/photos.py), and the warnings.
With ``--json`` it prints the model (``publisher/issue.schema.json``) on stdout; with
``--to markdown`` the publisher source an editor corrects and builds from
(``publisher/source``, ``docs/markdown.md``).  ``-o FILE`` writes it atomically instead,
never over the input.
"""
from __future__ import annotations

from collections import Counter

import click

from ..model import BLOCK_TYPES, Issue
from .metaopts import meta_options, pop_meta


def outline(issue: Issue, layout: str = "", from_text: dict[str, str] | None = None) -> str:
    meta = issue.meta
    out: list[str] = []
    head = meta.title or meta.name or (issue.source_path or "")
    out.append(head)
    if layout:
        out.append(layout)  # how the input marks paragraphs, what else it carries
    if from_text:
        out.append("from the text: " + "; ".join(f"{k} {v}" for k, v in from_text.items())
                   + " (a sidecar or the command line overrides)")
    n_art = len(issue.articles)
    out.append(
        f"{len(issue.columns)} column{'s' if len(issue.columns) != 1 else ''}, "
        f"{n_art} article{'s' if n_art != 1 else ''}, "
        f"{len(issue.warnings)} warning{'s' if len(issue.warnings) != 1 else ''}"
        + (f"; 目录 at lines {issue.contents_source[0]}–{issue.contents_source[1]}" if issue.contents_source else "; no 目录")
    )
    for col in issue.columns:
        out.append("")
        out.append(f"【{col.name}】" if col.name else "【(no column)】")
        for a in col.articles:
            page = f"p.{a.page}" if a.page is not None else "p.–"
            out.append(f"  {a.id}  {page:>6}  {a.kind:<9}  {a.title}")
            if a.kicker:
                out.append(f"{'':22}kicker:   {a.kicker}")
            if a.subtitle:
                out.append(f"{'':22}subtitle: {a.subtitle}")
            if a.authors:
                people = "；".join(f"{p.role} {p.name}" if p.role else p.name for p in a.authors)
                out.append(f"{'':22}authors:  {people}")
            counts = Counter(b.type for b in a.blocks)
            parts = [f"{counts[t]} {t}" for t in BLOCK_TYPES if counts[t]]
            lines = f"lines {a.source[0]}–{a.source[1]}" if a.source else "not in the body"
            out.append(f"{'':22}blocks:   {', '.join(parts) if parts else 'none'}  ({lines})")
    from ..photos import report_lines  # every photo tied to its caption, and how (issue 16)

    photos = report_lines(issue, getattr(issue, "photo_report", None)) if getattr(issue, "photo_report", None) else []
    if photos:
        out.append("")
        out.extend(photos)
    if issue.warnings:
        out.append("")
        out.append("warnings:")
        for w in issue.warnings:
            where = f"line {w.line}" if w.line is not None else "—"
            out.append(f"  {w.code} {where:>9}: {w.message}")
    from ..reader.account import account  # what was uncertain, where (issue 11)

    summary = account(issue)
    if summary:
        out.append("")
        out.extend(summary)
    return "\n".join(out) + "\n"


@click.command("parse")
@click.argument("input", type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the model as JSON (publisher/issue.schema.json).")
@click.option("--to", "to", type=click.Choice(["outline", "json", "markdown"]), default=None,
              help="What to write: the outline (default), the model as JSON, or the publisher source "
                   "(Markdown an editor corrects and builds from: docs/markdown.md).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Write to FILE (atomically; never over the input) instead of stdout.")
@meta_options
def command(input: str, as_json: bool, to: str | None, output: str | None, **meta) -> None:
    """Rebuild the structure of INPUT and print it (an outline, the model as JSON, or the
    publisher source in Markdown)."""
    from ..errors import PublisherError
    from ..reader import read_issue_report
    from ..textio import atomic_write, refuse_overwrite

    if as_json and to not in (None, "json"):
        raise PublisherError(f"--json and --to {to}: choose one", code=2)
    to = "json" if as_json else (to or "outline")
    if output:
        refuse_overwrite([output], [input])
    issue, layout, from_text = read_issue_report(input, pop_meta(meta))
    if to == "json":
        text = issue.dumps() + "\n"
    elif to == "markdown":
        from pathlib import Path

        from ..source import notes, to_markdown

        try:
            text = to_markdown(issue, notes(Path(input).name, layout, from_text))
        except ValueError as e:  # a model the syntax cannot hold (not one the reader makes)
            raise PublisherError(f"{input}: cannot be written as Markdown: {e}") from None
    else:
        text = outline(issue, layout.describe(), from_text)
    if output:
        atomic_write(output, text)
    else:
        click.echo(text, nl=False)
