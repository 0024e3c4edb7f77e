"""Typeset parts of issues kept on disk, keyed by what they are made of.

A part (units.py) is laid out the same wherever it lands in an issue or a book, so
its PDF and its page map can be reused whenever its HTML, its page geometry and the
code, styles, templates and fonts that set it (``salt``, the anthology's
environment digest) are the same: an anthology rebuilt after an edit sets again only
the parts that changed, and an issue placed at another offset sets only its
furniture again.  The furniture document (with the contents) is cached the same way,
keyed by its own HTML and CSS.

Files: ``<folder>/<key>.pdf`` and ``<key>.json``, written atomically (temp file and
rename), so processes may share a folder; a hit refreshes the files' mtime, which is
what pruning (the anthology cache's) goes by.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

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
        if info.get("bytes") != len(data):
            return None
        for p in (pdf, meta):
            try:
                os.utime(p)
            except OSError:
                pass
        self.hits += 1
        return data, info

    def put(self, key: str, pdf: bytes, info: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.folder / f"{key}.pdf", pdf)
            atomic_write(self.folder / f"{key}.json", json.dumps({**info, "bytes": len(pdf)}, ensure_ascii=False))
            self.stores += 1
        except OSError:
            pass  # a cache that cannot be written is no cache, not an error
