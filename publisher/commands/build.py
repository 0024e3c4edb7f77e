"""``publisher build INPUT [--epub] [--pdf] [-o OUTDIR] [--print [--icc PATH]] [--no-embed-fonts] [--magazine …] [--page-size …]``.

Reads INPUT (with its sidecar metadata) and writes ``OUTDIR/<name>.epub`` and/or
``OUTDIR/<name>.pdf``, where ``<name>`` is the metadata's ``name`` (default: the
input's file stem).  With neither ``--epub`` nor ``--pdf`` it writes both.  Each
path written is printed on stdout; reader warnings are summarised on stderr.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import click

from ..errors import PublisherError
from ..metadata import sidecar_path
from ..textio import refuse_overwrite, staged_outputs
from .metaopts import meta_options, pop_meta


def output_name(issue, input_path: Path) -> str:
    """The output file stem: the metadata's name, else the input's stem, made file-safe."""
    name = (issue.meta.name or input_path.stem).strip()
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(". ")
    return name or "issue"


def _write_pdf(issue, out: Path, print_mode: bool, photos: dict) -> Path:
    try:
        from ..pdf import write_pdf
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("publisher.pdf"):
            raise PublisherError("the PDF backend is not available in this installation") from None
        raise
    return write_pdf(issue, out, print_mode=print_mode, photos=photos)


@click.command("build")
@click.argument("input", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--epub", "want_epub", is_flag=True, help="Write the EPUB 3 e-book.")
@click.option("--pdf", "want_pdf", is_flag=True, help="Write the PDF.")
@click.option(
    "-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
    show_default=True, help="Folder for the outputs.",
)
@click.option("--print", "print_mode", is_flag=True,
              help="Print-ready PDF/X-4 (CMYK, bleed, crop marks) for the printer rather than the screen.")
@click.option("--icc", "icc", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The printer's CMYK output profile (ICC) for --print (overrides print_profile in the sidecar).")
@click.option("--no-embed-fonts", is_flag=True, help="Leave the fonts out of the EPUB (the reader's own fonts are used).")
@meta_options
@click.option("-v", "--verbose", is_flag=True, help="Say how long each output took.")
def command(input: Path, want_epub: bool, want_pdf: bool, outdir: Path, print_mode: bool, icc: Path | None,
            no_embed_fonts: bool, verbose: bool, **meta) -> None:
    """Build INPUT into an EPUB and/or a PDF (both when neither --epub nor --pdf is given)."""
    from ..reader import read_issue

    if not want_epub and not want_pdf:
        want_epub = want_pdf = True
    if outdir.exists() and not outdir.is_dir():
        raise PublisherError(f"{outdir}: exists and is not a folder")
    if icc is not None and not (print_mode and want_pdf):
        raise PublisherError("--icc is the print PDF's output profile: give it with --print and a PDF")
    t0 = time.perf_counter()
    issue = read_issue(input, pop_meta(meta))
    if not issue.articles:
        raise PublisherError(f"{input}: no articles found, nothing to build")
    if icc is not None:
        issue.meta.print_profile = str(icc.resolve())
    if print_mode and want_pdf:
        from ..pdf.pdfx import load_profile

        load_profile(issue.meta.print_profile)  # a bad or missing profile: one line, nothing written
    name = output_name(issue, Path(input))
    kinds = [k for k, want in (("epub", want_epub), ("pdf", want_pdf)) if want]
    finals = [outdir / f"{name}.{k}" for k in kinds]
    refuse_overwrite(finals, [input, sidecar_path(input), issue.meta.cover, issue.meta.print_profile])
    from ..photos import load as load_photos

    photos = load_photos(issue)  # every tied photo checked first: a bad one is one line, nothing written
    if issue.warnings:
        n = len(issue.warnings)
        click.echo(f"publisher: {input}: {n} reader warning{'s' if n != 1 else ''} "
                   f"(`publisher parse {input}` lists them)", err=True)
    if not issue.meta.magazine:
        from ..epub.documents import identity_warning

        why = identity_warning(issue) or "no magazine name, so the cover has no masthead"
        click.echo(f"publisher: {input}: {why} "
                   f"(add it to {Path(input).with_suffix('.toml').name} or pass --magazine)", err=True)
    from ..epub.metadata import date_warning

    undated = date_warning(issue, sidecar_path(input).name)
    if undated:
        click.echo(f"publisher: {input}: {undated}", err=True)
    if want_pdf and photos:
        from ..pdf.photos import dpi_warnings

        for line in dpi_warnings(issue, photos):
            click.echo(f"publisher: {input}: {line}", err=True)
    if verbose:
        click.echo(f"read {input} in {time.perf_counter() - t0:.2f} s", err=True)
    # Both outputs are rendered to temp files and renamed at the end: all or none.
    with staged_outputs(finals) as temps:
        for kind, tmp in zip(kinds, temps):
            t = time.perf_counter()
            if kind == "epub":
                from ..epub import write_epub

                write_epub(issue, tmp, embed_fonts=not no_embed_fonts, photos=photos)
            else:
                _write_pdf(issue, tmp, print_mode, photos)  # the photos checked above
            if verbose:
                click.echo(f"{kind.upper()} in {time.perf_counter() - t:.2f} s", err=True)
    for path in finals:
        click.echo(str(path))
