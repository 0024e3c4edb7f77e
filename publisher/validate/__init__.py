"""``publisher validate``: checks with stable codes for the EPUB and PDF outputs.

Modules: ``checks`` (the result type and the code table), ``epub`` (our EPUB checks),
``epubcheck_batch`` (EPUBCheck, many EPUBs per JVM), ``css`` (which font sets which
character), ``pdf`` (PDF checks), ``report`` (human, JSON, JUnit output), ``guard`` (the limits
that keep a hostile file bounded, checked before the data is read) and ``sandbox`` (each
file's checks in a child process with memory and time limits).

Errors and warnings fail; usage notes (EPUBCheck's feature-usage messages) are shown
and never fail.  Exit status of the command: 0 all passed, 1 a check failed, 2 usage
or I/O error (a path that does not exist, a folder without EPUB or PDF, no Java).

Check codes (stable: never renumbered; docs/validate.md has the same table, and a test
keeps the two in step with ``checks.CODES``):

========== ===== ==========================================================================
code       kind  passes when
========== ===== ==========================================================================
V001       any   the file can be read
V002       any   the path is a regular file (not a FIFO, device or folder), checked before opening
V003       any   the file's checks finish within the memory limit
V004       any   the file's checks finish within the time limit
V005       any   the file's checks run to the end (the checking process did not crash)
EPUBCHECK  epub  EPUBCheck reports no error and no warning (its own IDs, e.g. ``RSC-005``,
                 are reported as they are)
ACE        epub  DAISY Ace reports no accessibility violation (with --a11y; its rule ids, e.g.
                 ``heading-order``, open each message)
E001       epub  the file is a ZIP container with a readable package document
E002       epub  every XHTML document is well-formed XML
E003       epub  every spine and manifest file named by the package exists
E010       epub  every ZIP member inflates to no more than the member size limit
E011       epub  every ZIP member's compression ratio is within the limit
E012       epub  the ZIP members' number and total inflated size are within the limits
E020       epub  no XML member has a DOCTYPE other than EPUB 3's plain DOCTYPE html (no DTD, no entities)
E100       epub  a nav document with a toc nav exists
E101       epub  the nav lists every article, each once, in reading order
E102       epub  the contents page and the nav list the same articles in the same order
E103       epub  every spine document is reachable from the nav by following links
E104       epub  every nav link points to a document in the package
E105       epub  the nav lists the articles of the source issue (``--source``), titles and order
E200       epub  zh-CN is the publication language and every document declares it
E300       epub  every embedded font can be read
E301       epub  every embedded font covers every character set in it
E302       epub  every embedded font is a subset of the characters the book uses
E400       epub  no spine document is empty
E401       epub  every image has alt text
E500       epub  metadata: identifier
E501       epub  metadata: title
E502       epub  metadata: dcterms:modified
E503       epub  metadata: belongs-to-collection
P001       pdf   the PDF opens and its structure checks clean (qpdf)
P010       pdf   the page tree holds no more pages than the page limit
P011       pdf   every stream decodes to no more than the stream size limit
P012       pdf   every content stream has no more operators than the operator limit
P100       pdf   every font is embedded
P101       pdf   every embedded font is a subset
P102       pdf   no .notdef glyph is drawn
P200       pdf   an outline (bookmarks) is present
P201       pdf   every outline entry points to a page of the document
P202       pdf   the outline lists the articles of the source issue (``--source``), titles and order
P203       pdf   every outline entry's title is printed on the page it points to
P300       pdf   every contents-page number equals the printed page number of its target
P301       pdf   every contents entry's title is printed on the page it points to
P302       pdf   every internal link points to a page of the document
P400       pdf   trim and bleed boxes are consistent
P401       pdf   a print PDF has a page count that is a multiple of 4
P500       pdf   document title set
P501       pdf   document language set to zh-CN
P600       pdf   a PDF/X file has one GTS_PDFX output intent with an embedded CMYK output profile
P601       pdf   a PDF/X file paints nothing in DeviceRGB (colour operators, images)
P602       pdf   a PDF/X file's pages have a TrimBox, and TrimBox ⊆ BleedBox ⊆ MediaBox
P603       pdf   a PDF/X file has no annotation or form field in the page area
P604       pdf   a PDF/X file is PDF 1.6 at most, with GTS_PDFXVersion, dates and Trapped
                 True/False in Info and XMP alike
P605       pdf   a PDF/X file's black text is K only (0 0 0 1 k) and overprints
========== ===== ==========================================================================
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import PublisherError
from .checks import CODES, REFUSALS, Check, FileResult
from .guard import DEFAULT, Limits, regular_file

__all__ = ["CODES", "Check", "FileResult", "Limits", "collect", "validate", "Source", "load_sources"]

KINDS = {".epub": "epub", ".pdf": "pdf"}


def collect(paths: list[str | os.PathLike], recursive: bool = False) -> list[Path]:
    """The EPUB and PDF files named by ``paths`` (files, or folders of them), in order.

    A missing path, a file that is neither EPUB nor PDF, or a folder holding none is a
    usage error (PublisherError with code 2).  Hidden files and folders (the anthology
    cache, temp files of an atomic write) are skipped.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise PublisherError(f"{p}: no such file or folder", code=2)
        if p.is_dir():
            it = p.rglob("*") if recursive else p.iterdir()
            found = sorted(
                f for f in it
                if f.is_file() and f.suffix.lower() in KINDS
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                raise PublisherError(f"{p}: no EPUB or PDF files in this folder"
                                     f"{'' if recursive else ' (--recursive looks in subfolders)'}", code=2)
            out.extend(found)
        elif p.suffix.lower() in KINDS:
            out.append(p)
        else:
            raise PublisherError(f"{p}: not an EPUB or PDF file (by its name)", code=2)
    seen, unique = set(), []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


@dataclass
class Source:
    """A source input the outputs are compared with (``--source``): its name and article titles."""

    path: str
    name: str
    titles: list[str]


def load_sources(inputs: list[str | os.PathLike]) -> list[Source]:
    """Read each input with the reader; the output stem is the one ``publisher build`` uses."""
    if not inputs:
        return []
    from ..reader import read_issue

    try:
        from ..commands.build import output_name
    except ImportError:  # pragma: no cover - the build command is part of the package
        def output_name(issue, p):
            return issue.meta.name or Path(p).stem
    out = []
    for inp in inputs:
        issue = read_issue(inp)
        out.append(Source(str(inp), output_name(issue, Path(inp)), [a.title for a in issue.articles]))
    return out


def require_tools(files: list[Path], epubcheck: bool = True, a11y: bool = False) -> None:
    """Java (EPUBCheck) for EPUBs, pdftotext (poppler-utils) for PDFs, DAISY Ace and
    Chromium for ``--a11y``: a missing tool is an environment error (code 2), found
    before any file is checked."""
    kinds = {KINDS[f.suffix.lower()] for f in files}
    if "epub" in kinds and a11y:
        from .a11y import require_ace

        require_ace()
    if "epub" in kinds and epubcheck:
        from .epubcheck_batch import jar_path, java_path

        java_path()
        jar_path()
    if "pdf" in kinds:
        from .pdf import pdftotext_path

        pdftotext_path()


def _check_readable(path: Path, r: FileResult) -> bool:
    r.mark("V002")
    why = regular_file(path)
    if why:
        r.add("V002" if why.startswith("not a regular") else "V001", why)
        return False
    r.mark("V001")
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError as e:
        r.add("V001", f"cannot read the file ({e.strerror})")
        return False
    return True


def validate(paths: list[str | os.PathLike], sources: list[Source] | None = None, epubcheck: bool = True,
             recursive: bool = False, progress=None, info: dict | None = None,
             limits: Limits = DEFAULT, a11y: bool = False) -> list[FileResult]:
    """Validate every EPUB and PDF named by ``paths``; EPUBCheck runs once for all EPUBs.

    Each file's own checks run in a child process under ``limits`` (memory, CPU and wall
    time: ``sandbox``); a file refused by a limit (``checks.REFUSALS``) is never handed to
    EPUBCheck.  ``info``, when given, receives ``epubcheck``: ``{"files", "mode",
    "jvm_runs", "seconds"}``.
    """
    from .sandbox import run_limited

    files = collect(paths, recursive)
    require_tools(files, epubcheck, a11y)
    by_name = {s.name: s for s in (sources or [])}
    if sources:
        stems = {f.stem for f in files}
        for s in sources:
            if s.name not in stems:
                raise PublisherError(f"--source {s.path}: no output named {s.name}.epub or {s.name}.pdf among the files", code=2)
    results: list[FileResult] = []
    epubs: list[tuple[FileResult, float]] = []
    for f in files:
        kind = KINDS[f.suffix.lower()]
        t = time.perf_counter()
        src = by_name.get(f.stem)
        titles = src.titles if src else None
        r = FileResult(str(f), kind)
        if _check_readable(f, r):
            if kind == "epub":
                from .epub import check_epub as check
            else:
                from .pdf import check_pdf as check
            r = run_limited(check, (str(f), titles, limits), str(f), kind, limits)
            r.ran[:0] = ["V002", "V001", "V003", "V004", "V005"]
            r.ran = list(dict.fromkeys(r.ran))
        r.seconds = time.perf_counter() - t
        results.append(r)
        if kind == "epub" and r.ran[:2] == ["V002", "V001"] and len(r.ran) > 5 and not (r.codes() & REFUSALS):
            epubs.append((r, r.seconds))
        if progress:
            progress(r)
    if epubcheck and epubs:
        from .epubcheck_batch import run_epubcheck

        t = time.perf_counter()
        run_info: dict = {}
        found = run_epubcheck([r.path for r, _ in epubs], info=run_info)
        took = time.perf_counter() - t
        share = took / len(epubs)
        if info is not None:
            info["epubcheck"] = {"files": len(epubs), **run_info, "seconds": round(took, 2)}
        for r, _ in epubs:
            r.mark("EPUBCHECK")
            r.checks[:0] = found.get(r.path, [])
            r.seconds += share
    if a11y:
        from .a11y import run_ace

        for r, _ in epubs:  # one Ace (and Chromium) at a time: each takes a core or more
            t = time.perf_counter()
            r.mark("ACE")
            r.checks.extend(run_ace(r.path))
            r.seconds += time.perf_counter() - t
    return results
