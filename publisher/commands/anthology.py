"""``publisher anthology INPUT... -o OUT.pdf``: bind many issues into one PDF (合订本)."""
from __future__ import annotations

import os
from pathlib import Path

import click


@click.command("anthology")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The anthology PDF to write.")
@click.option("--title", default=None, help="Title on the cover and title page (default: 《刊名》YYYY年合订本).")
@click.option("--print", "print_mode", is_flag=True,
              help="Print PDF: bleed, crop marks, total page count a multiple of 4.")
@click.option("--icc", "icc", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The printer's CMYK output profile (ICC) for --print (overrides print_profile in the TOML).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where rendered issues are cached (default: .cache/anthology beside OUT).")
@click.option("--no-cache", is_flag=True, help="Render every issue, keep nothing.")
def command(inputs, out, title, print_mode, icc, jobs, cache_dir, no_cache):
    """Bind issues (text files with sidecar TOML, folders of them, or an anthology
    TOML file listing them) into one PDF with a general contents, continuous folios,
    an outline issue → column → article and page labels matching the folios."""
    from ..anthology import build_anthology, load_config

    from ..metadata import sidecar_path
    from ..textio import refuse_overwrite

    from ..errors import PublisherError

    if icc is not None and not print_mode:
        raise PublisherError("--icc is the print PDF's output profile: give it with --print")
    config = load_config(list(inputs), title=title, print_profile=icc)
    if print_mode:
        from ..pdf.pdfx import load_profile

        load_profile(config.book.print_profile)  # a bad or missing profile: one line, nothing written
    sources = [*inputs, *(i.path for i in config.issues), *(sidecar_path(i.path) for i in config.issues),
               *(m.cover for m in config.metas), config.book.print_profile]
    from ..anthology.cover import cover_path

    refuse_overwrite([out, *([cover_path(out)] if print_mode else [])], sources)
    result = build_anthology(config, out, print_mode=print_mode, jobs=jobs or os.cpu_count(),
                             cache_dir=cache_dir, use_cache=not no_cache)
    s = result.stats
    click.echo(f"{result.out}: {s.pages} pages ({s.front_pages} front, {s.issues} issues; "
               f"{len(s.rendered)} rendered, {len(s.cached)} from the cache)")
