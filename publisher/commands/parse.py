"""``publisher parse INPUT [--json]``: the structure the reader rebuilt.

Without ``--json`` it prints an outline an editor can check against the print
issue: the 目录 lines, every column with its articles (id, page, kind, kicker,
title, subtitle, authors, input lines, block counts by type) and the warnings.
With ``--json`` it prints the model (``publisher/issue.schema.json``) on stdout.
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
@meta_options
def command(input: str, as_json: bool, **meta) -> None:
    """Rebuild the structure of INPUT and print it (an outline, or the model as JSON)."""
    from ..reader import read_issue_report

    issue, layout, from_text = read_issue_report(input, pop_meta(meta))
    if as_json:
        click.echo(issue.dumps())
    else:
        click.echo(outline(issue, layout.describe(), from_text), nl=False)
