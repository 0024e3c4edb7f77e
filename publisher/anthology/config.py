"""What goes into an anthology: the issues, in order, and the book's own metadata.

``publisher anthology INPUT... -o OUT.pdf`` takes any mix of

* an issue: a text file, with its metadata in the sidecar TOML beside it
  (``2023-01.txt`` + ``2023-01.toml``, see :mod:`publisher.metadata`);
* a folder: every ``*.txt`` in it and every ``*.md`` that is a publisher source (its
  front matter opens with ``publisher-source: 1``, :func:`publisher.source.is_source`;
  any other Markdown file, a README, is not an issue), not recursive, each with its
  sidecar.  A folder's issues are ordered by ``(year, number)`` from their metadata (a
  source's front matter in) when every one of them has both, otherwise by file name;
* an anthology file: a TOML file with an ``issues`` list and the book's metadata::

      # qingxi-2023.toml — every key but issues is optional
      title = "《青溪决策参考》2023年合订本"   # cover and title page
      magazine = "青溪决策参考"                # default: the first issue's
      year = 2023                              # default: the issues' year(s)
      publisher = "中共青溪县委政策研究室"      # default: the first issue's
      date = "2023-12-31"                      # PDF dates; default: the latest issue date
      name = "qingxi-2023"                     # stem of the default output file
      page_size = "16开"                        # imposed on every issue (default: theirs)
      permit_no = "湘内资准字（2023）第001号"  # the imprint on the book-information page:
      compiled_by = "中共青溪县委政策研究室"    #   permit_no, compiled_by, distribution and
      printed_by = "青溪县印刷厂"               #   internal_notice default to the value every
      copies = 500                              #   issue gives (the same in all of them);
      distribution = "县直各单位"               #   printed_by and copies (the bound book's own
      internal_notice = "内部资料 免费交流"     #   print run) come only from here
      issues = [
        "2023-01.txt",                          # relative to this file
        "2023-02.txt",
        { path = "extra/2023-03.txt", issue_label = "2023年第3期" },  # + metadata overrides
        "2023-q4/",                             # a folder, as above
      ]

  The same list can be written as ``[[issues]]`` tables with a ``path`` key.  Per-issue
  keys other than ``path`` override that issue's sidecar metadata (same keys).

Issues keep the order in which they are given.  All issues of one book must share a
page size.  ``--title`` on the command line wins over the file's ``title``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import PublisherError
from ..metadata import BOOK_SCHEMA, META_SCHEMA, check_value, load_meta, normalise_page_size
from ..model import Meta
from ..textio import read_input, read_toml

# The imprint of an internal publication (issue 15: metadata.IMPRINT and the notice), set
# on the book-information page; the keys an issue's sidecar takes, checked by its schema.
IMPRINT_KEYS = ("permit_no", "compiled_by", "printed_by", "copies", "distribution", "internal_notice")
# Of them, what names the publication rather than this printing: taken from the issues
# when every one of them gives the same value.
SHARED_IMPRINT_KEYS = ("permit_no", "compiled_by", "distribution", "internal_notice")
BOOK_KEYS = ("title", "magazine", "year", "publisher", "date", "name", "page_size", "print_profile",
             "paper_caliper_mm", *IMPRINT_KEYS, "issues")
# The thickness of one leaf of 70–80 g/m² offset paper, the usual 合订本 paper (mm):
# the cover spread's spine is leaves × this (cover.py).
PAPER_CALIPER_MM = 0.1
CALIPER_RANGE = (0.03, 0.5)
# An entry of an anthology file's ``issues`` list names an issue text: a .txt file (what
# a folder contributes) or a .md one.  A path from a TOML file is not typed by the user
# at the prompt, so it must say what it is: ``issues = ["/etc/passwd"]`` is refused.
ISSUE_SUFFIXES = (".txt", ".md")
# Every issue of a book is a Chinese text: one with no Han character at all is some
# other file (a log, a password file, a README), never set into the book.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class IssueInput:
    path: Path
    overrides: tuple[tuple[str, Any], ...] = ()  # metadata overrides, sorted (hashable)

    @property
    def override_dict(self) -> dict[str, Any]:
        return dict(self.overrides)


@dataclass
class BookMeta:
    title: str
    magazine: str
    year: str  # "2023" or "2022—2023"
    publisher: str
    date: str | None
    name: str
    page_size: str
    print_profile: str | None = None  # the printer's CMYK ICC profile of --print (resolved path)
    paper_caliper_mm: float = PAPER_CALIPER_MM  # one leaf's thickness: the print cover's spine
    # the imprint (IMPRINT_KEYS; metadata.imprint_rows reads them as from an issue's Meta)
    permit_no: str | None = None
    compiled_by: str | None = None
    printed_by: str | None = None
    copies: int | None = None
    distribution: str | None = None
    internal_notice: str | None = None


@dataclass
class AnthologyConfig:
    issues: list[IssueInput]
    book: BookMeta
    metas: list[Meta] = field(default_factory=list)  # resolved metadata of each issue


def _is_source_file(path: Path) -> bool:
    """Is ``path`` a publisher source (a Markdown file whose front matter says so)?  One
    that cannot be read or decoded is not (the folder's other files are its issues)."""
    from ..source import is_source

    try:
        return is_source(read_input(path).text)
    except PublisherError:
        return False


def _issue_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and (
        p.suffix.lower() == ".txt" or (p.suffix.lower() == ".md" and _is_source_file(p))))
    if not files:
        raise PublisherError(f"{folder}: no issue text files (*.txt, or *.md publisher sources) in this folder")
    metas = [issue_meta(p) for p in files]
    if all(m.year is not None and m.number is not None for m in metas):
        order = sorted(range(len(files)), key=lambda i: (metas[i].year, metas[i].number, files[i].name))
        files = [files[i] for i in order]
    return files


def issue_meta(path: Path, overrides: dict[str, Any] | None = None) -> Meta:
    """The issue's metadata as its reader resolves it: a publisher source's front matter
    under its sidecar and the overrides; a raw text's sidecar and the overrides."""
    from ..source import is_source, read_source_report

    decoded = read_input(path)
    if is_source(decoded.text):
        return read_source_report(decoded.text, path, overrides)[0].meta
    return load_meta(path, overrides)


def check_issue_text(path: Path) -> None:
    """Refuse what is not an issue text: not a regular file, too large, not text, no Han."""
    decoded = read_input(path)  # a bounded read of a regular file, decoded (or one-line error)
    if not _HAN.search(decoded.text):
        raise PublisherError(f"{path}: not an issue text (no Chinese text in it)")


def _expand(path: Path, overrides: dict[str, Any], listed_in: Path | None = None) -> list[IssueInput]:
    ov = tuple(sorted(overrides.items()))
    if path.is_dir():
        files = _issue_files(path)
        for f in files:
            check_issue_text(f)
        return [IssueInput(p.resolve(), ov) for p in files]
    if not path.exists():
        raise PublisherError(f"{path}: no such file or folder")
    if listed_in is not None and path.suffix.lower() not in ISSUE_SUFFIXES:
        raise PublisherError(f"{listed_in}: issue {str(path)!r} is not an issue text file "
                             f"({' or '.join(ISSUE_SUFFIXES)}) or a folder of them")
    check_issue_text(path)
    return [IssueInput(path.resolve(), ov)]


def _load_book_file(path: Path) -> tuple[list[IssueInput], dict[str, Any]]:
    data = read_toml(path, "anthology TOML")
    if "issues" not in data:
        raise PublisherError(
            f"{path}: not an anthology file (no 'issues' list); an issue's metadata TOML sits beside its text file")
    unknown = sorted(set(data) - set(BOOK_KEYS))
    if unknown:
        raise PublisherError(f"{path}: unknown anthology key {unknown[0]!r} (known: {', '.join(BOOK_KEYS)})")
    items = data["issues"]
    if not isinstance(items, list) or not items:
        raise PublisherError(f"{path}: 'issues' must be a non-empty list of paths")
    meta_keys = {f.name for f in fields(Meta)}
    out: list[IssueInput] = []
    for item in items:
        if isinstance(item, str):
            rel, ov = item, {}
        elif isinstance(item, dict) and isinstance(item.get("path"), str):
            ov = {k: v for k, v in item.items() if k != "path"}
            bad = sorted(set(ov) - meta_keys)
            if bad:
                raise PublisherError(f"{path}: issue {item['path']!r}: unknown metadata key {bad[0]!r}")
            ov = {k: check_value(k, v, f"{path}: issue {item['path']!r}", META_SCHEMA) for k, v in ov.items()}
            rel = item["path"]
        else:
            raise PublisherError(f"{path}: each entry of 'issues' is a path or a table with a 'path' key")
        p = Path(rel)
        if not p.is_absolute():
            p = path.parent / p
        out.extend(_expand(p, ov, listed_in=path))
    book = {k: check_value(k, v, str(path), META_SCHEMA if k in IMPRINT_KEYS else BOOK_SCHEMA)
            for k, v in data.items() if k not in ("issues", "paper_caliper_mm")}
    if "paper_caliper_mm" in data:
        book["paper_caliper_mm"] = _caliper(data["paper_caliper_mm"], path)
    if book.get("print_profile") and not Path(book["print_profile"]).is_absolute():
        book["print_profile"] = str((path.parent / book["print_profile"]).resolve())
    return out, book


def _year_span(metas: list[Meta]) -> str:
    years = sorted({m.year for m in metas if m.year is not None})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}—{years[-1]}"


def _caliper(value: Any, where: Path) -> float:
    lo, hi = CALIPER_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= float(value) <= hi:
        raise PublisherError(f"{where}: paper_caliper_mm must be a number of millimetres from {lo} to {hi} "
                             f"(one leaf of the paper), not {value!r}")
    return float(value)


def load_config(inputs: list[str | Path], *, title: str | None = None,
                print_profile: str | Path | None = None) -> AnthologyConfig:
    """Resolve INPUT... into the ordered issues and the book metadata.  The book's
    ``print_profile`` (``print_profile``, else the anthology file's) is every issue's."""
    if not inputs:
        raise PublisherError("no issues given")
    issues: list[IssueInput] = []
    book: dict[str, Any] = {}
    for raw in inputs:
        p = Path(raw)
        if p.suffix.lower() == ".toml" and p.is_file():
            more, b = _load_book_file(p)
            issues.extend(more)
            for k, v in b.items():
                book.setdefault(k, v)
        else:
            issues.extend(_expand(p, {}))
    if title is not None:
        title = check_value("title", title, "--title", BOOK_SCHEMA, from_cli=True)
    if "page_size" in book:  # the book's page size is every issue's
        issues = [i if "page_size" in i.override_dict else
                  IssueInput(i.path, tuple(sorted({**i.override_dict, "page_size": book["page_size"]}.items())))
                  for i in issues]
    if print_profile is not None:
        book["print_profile"] = str(Path(print_profile).resolve())
    if book.get("print_profile"):  # the book is printed on one press: its profile is every issue's
        issues = [IssueInput(i.path, tuple(sorted({**i.override_dict, "print_profile": book["print_profile"]}.items())))
                  for i in issues]
    metas = [issue_meta(i.path, i.override_dict) for i in issues]
    sizes = {m.page_size for m in metas}
    page_size = normalise_page_size(str(book["page_size"])) if "page_size" in book else metas[0].page_size
    if "page_size" not in book and len(sizes) > 1:
        raise PublisherError(
            "issues have different page sizes (" + ", ".join(sorted(sizes)) + "); set page_size in an anthology file")
    magazine = str(book.get("magazine") or metas[0].magazine or "")
    year = str(book["year"]) if "year" in book else _year_span(metas)
    if title is None:
        title = book.get("title")
    if not title:
        name = f"《{magazine}》" if magazine else ""
        title = f"{name}{year}年合订本" if year else f"{name}合订本"
    dates = sorted(m.date for m in metas if m.date)
    imprint = {k: book.get(k) for k in IMPRINT_KEYS}
    for k in SHARED_IMPRINT_KEYS:
        given = {getattr(m, k) for m in metas}
        if imprint[k] is None and len(given) == 1 and None not in given and "" not in given:
            imprint[k] = given.pop()
    meta = BookMeta(
        title=str(title),
        magazine=magazine,
        year=year,
        publisher=str(book.get("publisher") or metas[0].publisher or ""),
        date=str(book["date"]) if book.get("date") else (dates[-1] if dates else None),
        name=str(book.get("name") or ""),
        page_size=page_size,
        print_profile=book.get("print_profile") or None,
        paper_caliper_mm=float(book.get("paper_caliper_mm", PAPER_CALIPER_MM)),
        **imprint,
    )
    return AnthologyConfig(issues=issues, book=meta, metas=metas)
