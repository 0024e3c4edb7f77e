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
"""
from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from .errors import PublisherError
from .model import Meta

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


def normalise_page_size(value: str) -> str:
    v = value.strip()
    if v in PAGE_SIZES:
        return PAGE_SIZES[v]
    if v.upper() in PAGE_SIZES:
        return PAGE_SIZES[v.upper()]
    parts = v.replace("×", " ").replace("x", " ").split()
    if len(parts) == 2 and all(p.endswith("mm") and p[:-2].replace(".", "", 1).isdigit() for p in parts):
        return f"{parts[0]} {parts[1]}"
    raise PublisherError(f"page size {value!r}: use 16开, 大16开, A4, A5, B5 or e.g. '185mm 260mm'")


def load_meta(input_path: str | Path, overrides: dict[str, Any] | None = None) -> Meta:
    """Metadata for one input: defaults ← sidecar TOML ← overrides (non-None values)."""
    p = Path(input_path)
    meta = Meta(name=p.stem)
    side = sidecar_path(p)
    if side.is_file():
        try:
            data = tomllib.loads(side.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise PublisherError(f"{side}: invalid metadata TOML ({e})") from None
        meta = apply(meta, data, str(side))
        if meta.cover and not Path(meta.cover).is_absolute():
            meta.cover = str((side.parent / meta.cover).resolve())
    if overrides:
        meta = apply(meta, {k: v for k, v in overrides.items() if v is not None}, "command line")
    return meta


def apply(meta: Meta, data: dict[str, Any], where: str) -> Meta:
    known = {f.name: f for f in fields(Meta)}
    clean: dict[str, Any] = {}
    for k, v in data.items():
        if k not in known:
            raise PublisherError(f"{where}: unknown metadata key {k!r} (known: {', '.join(sorted(known))})")
        if k == "page_size":
            v = normalise_page_size(str(v))
        elif k in ("number", "year") and v is not None:
            try:
                v = int(v)
            except (TypeError, ValueError):
                raise PublisherError(f"{where}: {k} must be a whole number, not {v!r}") from None
        elif k == "new_page_per_article":
            v = bool(v)
        elif v is not None:
            v = str(v)
        clean[k] = v
    return replace(meta, **clean)
