"""``publisher validate PATH... [--json] [--junit FILE] [--source INPUT]... [--recursive] [--a11y]``.

PATH is an EPUB, a PDF or a folder of them.  Exit status: 0 when every check passes,
1 when one fails, 2 for usage or I/O errors.  Check codes: ``publisher/validate/__init__.py``
and docs/validate.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import PublisherError


@click.command("validate", epilog="Check codes and what each means: docs/validate.md.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout.")
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results as JUnit XML to FILE (for CI systems).")
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path), metavar="INPUT",
              help="A source text the output of the same name was built from: its articles must be in the "
                   "nav / outline, in order.  Repeatable.")
@click.option("-r", "--recursive", is_flag=True, help="Look for EPUB and PDF files in subfolders too.")
@click.option("--no-epubcheck", is_flag=True, help="Skip EPUBCheck (our own checks only).")
@click.option("--a11y", is_flag=True,
              help="Also run DAISY Ace's accessibility checks on each EPUB (code ACE; set up by scripts/bootstrap.sh).")
@click.option("--memory-limit", type=click.IntRange(min=128), default=None, metavar="MB",
              help="Memory (address space) the checks of one file may use [default: 1024].")
@click.option("--time-limit", type=click.IntRange(min=1), default=None, metavar="SECONDS",
              help="CPU time the checks of one file may use; the wall-clock limit is twice it [default: 300].")
def command(paths, as_json, junit_file, sources, recursive, no_epubcheck, a11y, memory_limit, time_limit):
    """Check EPUB and PDF outputs (files or folders); exit 0 all pass, 1 a check fails, 2 usage/I/O error."""
    from ..textio import atomic_write
    from ..validate import collect, load_sources, require_tools, validate
    from ..validate.report import as_json as to_json
    from ..validate.report import human, junit

    # usage and environment errors (exit 2) before any slow work
    require_tools(collect(list(paths), recursive), epubcheck=not no_epubcheck, a11y=a11y)
    try:
        srcs = load_sources(list(sources))
    except PublisherError as e:
        raise PublisherError(f"--source: {e.message}", code=2) from None
    interactive = sys.stderr.isatty() and not as_json

    def progress(r):
        if interactive:
            click.echo(f"checked {r.path}", err=True)

    import dataclasses

    from ..validate.guard import DEFAULT, MB

    limits = DEFAULT
    if memory_limit is not None:
        limits = dataclasses.replace(limits, memory_bytes=memory_limit * MB)
    if time_limit is not None:
        limits = dataclasses.replace(limits, cpu_seconds=time_limit, wall_seconds=2.0 * time_limit)
    info: dict = {}
    results = validate(list(paths), srcs, epubcheck=not no_epubcheck, recursive=recursive, progress=progress, info=info,
                       limits=limits, a11y=a11y)
    if as_json:
        click.echo(to_json(results, info), nl=False)
    else:
        click.echo(human(results, color=sys.stdout.isatty(), info=info), nl=False)
    from ..validate.checks import REFUSALS

    for r in results:  # a file refused by a limit: one line on stderr too, whatever the report format
        refused = next((c for c in r.checks if c.code in REFUSALS and c.fails), None)
        if refused is not None:
            where = f"{r.path}:{refused.location}" if refused.location else r.path
            click.echo(f"publisher validate: {where}: {refused.code}: {refused.message}", err=True)
    if junit_file is not None:
        try:
            atomic_write(junit_file, junit(results))
        except PublisherError as e:
            raise PublisherError(e.message, code=2) from None
    if any(c.code in ("V001", "V002") for r in results for c in r.checks):
        return 2  # a file could not be read (or is no regular file): an I/O error, reported above with the rest
    return 0 if all(r.passed for r in results) else 1
