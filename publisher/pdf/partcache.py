"""Typeset parts of issues kept on disk, keyed by what they are made of.

A part (units.py) is laid out the same wherever it lands in an issue or a book, so
its PDF and its page map can be reused whenever its HTML, its page geometry and the
code, styles, templates and fonts that set it (``salt``, the anthology's
environment digest) are the same: an anthology rebuilt after an edit sets again only
the parts that changed, and an issue placed at another offset sets only its
furniture again.  The furniture document (with the contents) is cached the same way,
keyed by its own HTML and CSS.

Files: ``<folder>/<key>.pdf`` and ``<key>.json``, written atomically (temp file and
rename), so processes may share a folder; an entry is checked when read (the PDF's
size and digest, the layout's fields and their types) and set again when it is not
what was written; a hit refreshes the files' mtime, which is
what pruning (the anthology cache's) goes by.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import cachedir
from ..errors import PublisherError
from ..textio import atomic_write


class PartCache:
    def __init__(self, folder: Path | str, salt: str = ""):
        self.folder = Path(folder)
        self.salt = salt
        self.hits = 0
        self.stores = 0

    def key(self, kind: str, *texts: str) -> str:
        h = hashlib.sha256(f"{kind}\0{self.salt}\0".encode())
        for t in texts:
            h.update(t.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()[:40]

    def get(self, key: str) -> tuple[bytes, dict] | None:
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            data = pdf.read_bytes()
        except (OSError, ValueError):
            return None
        if not _valid(info, data):
            return None  # damaged or not what was written: the part is set again
        cachedir.touch(pdf, meta)
        self.hits += 1
        return data, info

    def put(self, key: str, pdf: bytes, info: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.folder / f"{key}.pdf", pdf)
            atomic_write(self.folder / f"{key}.json", json.dumps(
                {**info, "bytes": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest()}, ensure_ascii=False))
            self.stores += 1
        except (OSError, PublisherError):
            pass  # a cache that cannot be written is no cache, not an error


def _is_int(v) -> bool:
    return type(v) is int


def _is_num(v) -> bool:
    return type(v) in (int, float)


def _page_count(data: bytes) -> int | None:
    try:
        import io

        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception:  # not a PDF pikepdf reads: not an entry
        return None


def _valid(info, data: bytes) -> bool:
    """Is this entry what :meth:`PartCache.put` wrote: the PDF's size, digest and page
    count, and (a part) the layout's fields of the types units.py reads (page names, anchors → page, missing
    characters → count, number slots → (page, right, top, height)) or (the furniture)
    its page count?"""
    if not isinstance(info, dict) or info.get("bytes") != len(data):
        return False
    if info.get("sha256") != hashlib.sha256(data).hexdigest():
        return False
    pages = _page_count(data)
    if pages is None:
        return False
    if "page_names" not in info:  # a furniture document: its page count
        return info.get("pages") == pages
    names, anchors, missing = info.get("page_names"), info.get("anchors"), info.get("missing")
    slots = info.get("slots", {})
    if not isinstance(names, list) or len(names) != pages or not all(isinstance(n, str) for n in names):
        return False
    if not isinstance(anchors, dict) or not all(_is_int(k) and 0 <= k < len(names) for k in anchors.values()):
        return False
    if not isinstance(missing, dict) or not all(_is_int(v) and v >= 0 for v in missing.values()):
        return False
    if not isinstance(slots, dict):
        return False
    for v in slots.values():
        if not (isinstance(v, list) and len(v) == 4 and _is_int(v[0]) and 0 <= v[0] < len(names)
                and all(_is_num(x) for x in v[1:])):
            return False
    return True
