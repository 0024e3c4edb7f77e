"""Issue metadata: a sidecar TOML beside the input, CLI overrides, sensible defaults.

Sidecar lookup for ``path/to/issue.txt``: ``path/to/issue.toml``.  Format (all keys
optional)::

    magazine = "衡东决策参考"
    issue_label = "2023年第1期"
    number = 1                 # position in the magazine's run (EPUB group-position)
    year = 2023
    date = "2023-03-01"         # ISO date; fixes EPUB dcterms:modified and PDF dates
    publisher = "中共衡东县委研究中心"
    issn = "1234-5678"
    cn = "43-1234/D"
    cover = "cover.jpg"         # relative to the TOML file
    name = "hengdong-2023-01"   # output file stem (default: the input's stem)
    page_size = "185mm 260mm"   # or A4, B5, "210mm 285mm" (大16开)
    new_page_per_article = false
    images = "photos"           # the folder of the issue's photos (default: images/ beside the input)
    cover_photo = "images/01.jpg"  # the generated cover sets this photo under its masthead

or, instead of ``images = "…"``, a table that also ties photos to captions by hand
(``publisher/photos.py``; a file the table names is tied before any number or order)::

    [images]
    folder = "photos"                   # optional, as images = "…"
    "03.jpg" = "a03:2"                  # the 2nd caption of article a03
    "river.jpg" = { caption = "用美丽乡村路", alt = "村道两旁的稻田" }  # the caption opening so
    "05.jpg" = { after = "a03:4", alt = "村口的老樟树" }  # no caption: a figure after a03's 4th block
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Callable

from .errors import PublisherError
from .model import Meta
from .textio import read_toml

# Named page sizes an editor may write instead of millimetres.
PAGE_SIZES = {
    "16开": "185mm 260mm",
    "大16开": "210mm 285mm",
    "A4": "210mm 297mm",
    "A5": "148mm 210mm",
    "B5": "176mm 250mm",
}


def sidecar_path(input_path: str | Path) -> Path:
    p = Path(input_path)
    return p.with_suffix(".toml")


# Page sizes the PDF backend can lay out (the same bounds as publisher.pdf.html.parse_page_size),
# checked here so that a bad size stops a build before anything is written.
PAGE_WIDTH_MM = (90.0, 420.0)
PAGE_HEIGHT_MM = (120.0, 600.0)
# Years an issue date or ``year`` may name: anything outside is a typo (9999, 20244).
YEARS = (1900, 2200)
NUMBERS = (0, 100000)
TEXT_MAX = 500  # characters in one metadata text (a masthead, a label, a publisher)


def normalise_page_size(value: str) -> str:
    v = unicodedata.normalize("NFKC", str(value)).strip()  # full-width digits typed in an IME
    if v in PAGE_SIZES:
        return PAGE_SIZES[v]
    if v.upper() in PAGE_SIZES:
        return PAGE_SIZES[v.upper()]
    parts = v.replace("×", " ").replace("x", " ").split()
    if len(parts) == 2 and all(re.fullmatch(r"[0-9]{1,4}(\.[0-9]{1,3})?mm", p) for p in parts):
        w, h = float(parts[0][:-2]), float(parts[1][:-2])
        if not (PAGE_WIDTH_MM[0] <= w <= PAGE_WIDTH_MM[1] and PAGE_HEIGHT_MM[0] <= h <= PAGE_HEIGHT_MM[1]):
            raise PublisherError(
                f"page size {value!r}: outside {PAGE_WIDTH_MM[0]:g}–{PAGE_WIDTH_MM[1]:g} mm × "
                f"{PAGE_HEIGHT_MM[0]:g}–{PAGE_HEIGHT_MM[1]:g} mm")
        return f"{parts[0]} {parts[1]}"
    raise PublisherError(f"page size {value!r}: use 16开, 大16开, A4, A5, B5 or e.g. '185mm 260mm'")


# --- the schema of the sidecar and of the anthology TOML: one checker per key --------
#
# A checker takes (value, from_cli) and returns the clean value or raises ValueError
# with the reason; ``from_cli`` is true for command-line options, which are strings.

# Line and paragraph breaks, tabs and other spacing controls become one space; the
# rest of what XML forbids (C0/C1 controls, noncharacters) and bidi controls go.
_TEXT_SPACE = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_TEXT_DROP = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
                        "\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def clean_meta_text(value: str) -> str:
    """A metadata text as it may be set: no control characters, no bidi controls."""
    return _TEXT_DROP.sub("", _TEXT_SPACE.sub(" ", value)).strip()


def _show(value: Any) -> str:
    """A value as the TOML file wrote it (true, not True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _text(value: Any, from_cli: bool) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a text in quotes, not {_show(value)}")
    v = clean_meta_text(value)
    if len(v) > TEXT_MAX:
        raise ValueError(f"longer than {TEXT_MAX} characters")
    return v


def _optional_text(value: Any, from_cli: bool) -> str | None:
    return _text(value, from_cli) or None


def _whole(lo: int, hi: int, what: str) -> Callable[[Any, bool], int]:
    def check(value: Any, from_cli: bool) -> int:
        if from_cli and isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {_show(value)}")
        if not lo <= value <= hi:
            raise ValueError(f"must be {what} from {lo} to {hi}, not {value}")
        return value
    return check


def _date(value: Any, from_cli: bool) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        d = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            d = _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date of the calendar") from None
    else:
        raise ValueError(f"must be a date written YYYY-MM-DD, not {_show(value)}")
    if not YEARS[0] <= d.year <= YEARS[1]:
        raise ValueError(f"{d.isoformat()!r}: the year must be from {YEARS[0]} to {YEARS[1]}")
    return d.isoformat()


def _page_size(value: Any, from_cli: bool) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a text such as \"16开\" or \"185mm 260mm\", not {_show(value)}")
    try:
        return normalise_page_size(value)
    except PublisherError as e:  # "page size '…': why" → "'…' is not a page size: why"
        raise ValueError(f"{value!r} is not a page size:" + e.message.split(":", 1)[1]) from None


def _flag(value: Any, from_cli: bool) -> bool:
    if from_cli and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false (without quotes), not {_show(value)}")
    return value


def _language(value: Any, from_cli: bool) -> str:
    v = _text(value, from_cli)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", v):
        raise ValueError(f"must be a language tag such as zh-CN, not {_show(value)}")
    return v


def _name(value: Any, from_cli: bool) -> str:
    v = _text(value, from_cli)
    if "/" in v or "\\" in v or v in (".", ".."):
        raise ValueError(f"is a file stem, without folders: {value!r}")
    return v


MAX_IMAGE_TIES = 2000


def _image_file(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"names a photo by its file name in quotes, not {_show(value)}")
    v = value.strip()
    if Path(v).is_absolute() or ".." in Path(v).parts or "\\" in v or clean_meta_text(v) != v:
        raise ValueError(f"{value!r}: a file inside the images folder (no absolute path, no ..)")
    return v


def _image_ties(value: Any, from_cli: bool) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"must be a table of photo file → caption, not {_show(value)}")
    if len(value) > MAX_IMAGE_TIES:
        raise ValueError(f"ties more than {MAX_IMAGE_TIES} photos")
    out: dict[str, Any] = {}
    for k in sorted(value):
        name, v = _image_file(k), value[k]
        if isinstance(v, str):
            out[name] = _text(v, from_cli)
            if not out[name]:
                raise ValueError(f"{k!r}: an empty caption reference")
            continue
        if isinstance(v, dict) and "after" in v and not set(v) - {"after", "alt"}:
            # a photo no caption takes, placed after a block (publisher/photos.py: place_figures)
            tie = {"after": _text(v["after"], from_cli), "alt": _text(v.get("alt", ""), from_cli)}
            if not tie["after"]:
                raise ValueError(f"{k!r}: an empty block reference in after =")
            if not tie["alt"]:
                raise ValueError(f"{k!r}: a photo placed without a caption needs its alt text "
                                 f"({{ after = …, alt = \"what it shows\" }})")
            out[name] = tie
            continue
        if not isinstance(v, dict) or "caption" not in v or set(v) - {"caption", "alt"}:
            raise ValueError(f"{k!r}: a caption reference (\"a03:2\" or the caption's first words), "
                             f"{{ caption = …, alt = … }} or {{ after = …, alt = … }}, not {_show(v)}")
        tie = {"caption": _text(v["caption"], from_cli)}
        if not tie["caption"]:
            raise ValueError(f"{k!r}: an empty caption reference")
        if "alt" in v:
            tie["alt"] = _text(v["alt"], from_cli)
        out[name] = tie
    return out


META_SCHEMA: dict[str, Callable[[Any, bool], Any]] = {
    "magazine": _text,
    "issue_label": _text,
    "number": _whole(*NUMBERS, "a number"),
    "year": _whole(*YEARS, "a year"),
    "date": _date,
    "publisher": _text,
    "issn": _optional_text,
    "cn": _optional_text,
    "cover": _optional_text,
    "name": _name,
    "language": _language,
    "page_size": _page_size,
    "new_page_per_article": _flag,
    "print_profile": _optional_text,
    "cover_photo": _optional_text,
    "images": _optional_text,
    "image_ties": _image_ties,
    "permit_no": _optional_text,
    "compiled_by": _optional_text,
    "printed_by": _optional_text,
    "copies": _whole(1, 100_000_000, "a number of copies"),
    "distribution": _optional_text,
    "internal_notice": _optional_text,
}
# The imprint rows of the colophon (label, Meta field), in the order internal
# publications print them.
IMPRINT = (("准印证号", "permit_no"), ("编印单位", "compiled_by"), ("印刷单位", "printed_by"),
           ("印数", "copies"), ("发送对象", "distribution"))


def imprint_rows(meta) -> list[tuple[str, str]]:
    """(label, value) of the imprint fields ``meta`` has: 准印证号, 编印单位, 印刷单位,
    印数 (as ``1000册``), 发送对象 — the colophon's rows in the EPUB and the PDF."""
    rows = []
    for label, key in IMPRINT:
        v = getattr(meta, key, None)
        if v is None or v == "":
            continue
        rows.append((label, f"{v}册" if key == "copies" else str(v)))
    return rows
# The anthology TOML's own keys (besides ``issues``) share the checkers.
BOOK_SCHEMA: dict[str, Callable[[Any, bool], Any]] = {
    "title": _text,
    "magazine": _text,
    "year": _whole(*YEARS, "a year"),
    "publisher": _text,
    "date": _date,
    "name": _name,
    "page_size": _page_size,
    "print_profile": _optional_text,
}


def check_value(key: str, value: Any, where: str, schema: dict = META_SCHEMA, from_cli: bool = False) -> Any:
    """``value`` of ``key`` cleaned and checked against ``schema``, or a one-line PublisherError."""
    try:
        return schema[key](value, from_cli)
    except ValueError as e:
        raise PublisherError(f"{where}: {key} {e}") from None


def load_meta(input_path: str | Path, overrides: dict[str, Any] | None = None,
              overrides_where: str = "command line", front: dict[str, Any] | None = None,
              front_where: str = "front matter") -> Meta:
    """Metadata for one input: defaults ← front matter ← sidecar TOML ← overrides (non-None values).

    ``front`` is the metadata a publisher source carries in its front matter (its cover
    relative to the source's folder); the sidecar and the overrides still win over it.

    Every value is checked against META_SCHEMA here, so a bad one stops a command
    before it writes anything.  Command-line overrides are strings (``--number 9``);
    overrides from an anthology file (``overrides_where`` names it) are TOML values.
    """
    p = Path(input_path)
    meta = Meta(name=p.stem)
    if front:
        meta = _paths_from(apply(meta, front, front_where), p.parent)
    side = sidecar_path(p)
    if side.exists() and not side.is_dir():
        data = read_toml(side, "metadata TOML")
        meta = _paths_from(apply(meta, data, str(side)), side.parent)
    if overrides:
        meta = apply(meta, {k: v for k, v in overrides.items() if v is not None}, overrides_where,
                     from_cli=overrides_where == "command line")
    return meta


# Meta fields naming a file or folder: relative to the file that gives them (front matter, sidecar)
PATH_FIELDS = ("cover", "print_profile", "images", "cover_photo")


def _paths_from(meta: Meta, base: Path) -> Meta:
    """``meta`` with its relative PATH_FIELDS resolved against ``base``."""
    for name in PATH_FIELDS:
        value = getattr(meta, name)
        if value and not Path(value).is_absolute():
            setattr(meta, name, str((base / value).resolve()))
    return meta


def apply(meta: Meta, data: dict[str, Any], where: str, from_cli: bool = False) -> Meta:
    known = {f.name for f in fields(Meta)}
    clean: dict[str, Any] = {}
    for k, v in data.items():
        if k == "images" and isinstance(v, dict):  # the [images] table: folder + ties
            ties = dict(v)
            folder = ties.pop("folder", None)
            if folder is not None:
                clean["images"] = check_value("images", folder, f"{where}: [images] folder", META_SCHEMA, from_cli)
            clean["image_ties"] = check_value("image_ties", ties, f"{where}: [images]", META_SCHEMA, from_cli)
            continue
        if k not in known:
            raise PublisherError(f"{where}: unknown metadata key {k!r} (known: {', '.join(sorted(known))})")
        clean[k] = check_value(k, v, where, META_SCHEMA, from_cli)
    return replace(meta, **clean)
