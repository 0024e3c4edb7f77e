"""Rendered issues cached on disk, so that a rebuild re-renders only what changed.

Two keys per issue:

* the **content key** hashes everything that decides how an issue is laid out except
  where it sits in the book: the source bytes, its resolved metadata, the print flag
  and padding, ``styles/``, ``templates/``, the font manifest and the identity (path,
  size, mtime) of every font file it names, the publisher version and the source of
  the code that reads and typesets an issue.  An issue's page count depends only on
  this key (every issue starts on a recto, so its first folio changes digits, never
  the layout), so page counts are stored under it: ``counts/<content key>.json``.
* the **render key** = content key + first folio: ``renders/<key>.pdf`` and
  ``renders/<key>.json`` (page count and contents entries).

Entries are written atomically (a temp file and a rename), so an interrupted build
leaves the cache consistent; stale temp files and entries unused for a long time are
pruned.  ``hits`` / ``stores`` count what a build took from the cache and put into it.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..paths import FONTS_DIR, ROOT, STYLES_DIR, TEMPLATES_DIR
from ..textio import atomic_write

# Code whose change alters a rendered issue (the anthology's own modules do not).
_CODE_DIRS = ("reader", "render", "pdf")
_CODE_FILES = ("model.py", "metadata.py", "typography.py", "fonts.py", "textio.py")
FORMAT = 2  # bump when the entry format changes


def _tree_digest(h, folder: Path) -> None:
    if not folder.is_dir():
        return
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith((".pyc", ".tmp")):
            h.update(str(p.relative_to(folder)).encode())
            h.update(b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")


def _font_identity(h) -> None:
    manifest = FONTS_DIR / "manifest.toml"
    h.update(manifest.read_bytes() if manifest.is_file() else b"")
    try:
        from ..fonts import font_faces

        faces = font_faces()
    except Exception:  # a missing font is reported by the renderer itself
        faces = []
    for f in faces:
        try:
            st = f.path.stat()
            h.update(f"{f.role}|{f.path}|{f.index}|{st.st_size}|{st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"{f.role}|{f.path}|missing".encode())


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """Hash of styles, templates, fonts, version and typesetting code (once per process).

    ``PUBLISHER_ENV_DIGEST`` pins it (scripts/benchmark.py does, so that a tree being
    edited by someone else between two builds does not invalidate the cache).
    """
    pinned = os.environ.get("PUBLISHER_ENV_DIGEST")
    if pinned:
        return pinned
    h = hashlib.sha256()
    h.update(f"publisher {__version__} format {FORMAT}\0".encode())
    _tree_digest(h, STYLES_DIR)
    _tree_digest(h, TEMPLATES_DIR)
    _font_identity(h)
    pkg = ROOT / "publisher"
    for d in _CODE_DIRS:
        _tree_digest(h, pkg / d)
    for f in _CODE_FILES:
        p = pkg / f
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def content_key(source: bytes, meta: dict[str, Any], *, print_mode: bool, pad_to: int,
                running_head: str | None, extra: str = "") -> str:
    h = hashlib.sha256()
    h.update(environment_digest().encode())
    h.update(hashlib.sha256(source).digest())
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode())
    h.update(json.dumps([print_mode, pad_to, running_head, extra]).encode())
    return h.hexdigest()


def render_key(ckey: str, first_folio: int) -> str:
    return hashlib.sha256(f"{ckey}|{first_folio}".encode()).hexdigest()


def write_entry(path: Path, pdf: bytes, page_count: int, toc: list[dict[str, Any]], first_folio: int) -> None:
    """A rendered issue at ``path``: the PDF first, then its JSON (which makes it
    visible), with the PDF's digest so that a damaged file is never used."""
    atomic_write(path, pdf)
    atomic_write(path.with_suffix(".json"), json.dumps(
        {"format": FORMAT, "page_count": page_count, "toc": toc, "first_folio": first_folio,
         "sha256": hashlib.sha256(pdf).hexdigest()}, ensure_ascii=False))


def intact(path: Path, sha256: str | None) -> bool:
    """Is the file at ``path`` the one whose digest was recorded?"""
    try:
        return bool(sha256) and hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def render_path(root: Path, key: str) -> Path:
    """Where the render ``key`` is kept under ``root`` (the cache, or a build's scratch folder)."""
    return Path(root) / "renders" / key[:2] / f"{key}.pdf"


@dataclass
class Entry:
    key: str
    pdf_path: Path
    page_count: int
    toc: list[dict[str, Any]]
    first_folio: int


class RenderCache:
    """The on-disk cache of one output (or a shared folder).  ``None`` folder = no cache."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.hits = 0  # renders taken from the cache
        self.count_hits = 0  # page counts taken from the cache
        self.stores = 0
        self.used: set[str] = set()
        self._memory: dict[str, Entry] = {}
        self._counts: dict[str, int] = {}

    # -- page counts (content key) -------------------------------------------
    def count(self, ckey: str) -> int | None:
        if ckey in self._counts:
            return self._counts[ckey]
        if not self.folder:
            return None
        p = self.folder / "counts" / f"{ckey}.json"
        try:
            n = int(json.loads(p.read_text(encoding="utf-8"))["page_count"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self._counts[ckey] = n
        self.count_hits += 1
        return n

    def put_count(self, ckey: str, n: int) -> None:
        self._counts[ckey] = n
        if self.folder:
            atomic_write(self.folder / "counts" / f"{ckey}.json", json.dumps({"page_count": n}))

    # -- last known page count of a source file, a guess for speculation -----
    def last_count(self, source_id: str) -> int | None:
        if not self.folder:
            return None
        p = self.folder / "sources" / (hashlib.sha256(source_id.encode()).hexdigest()[:32] + ".json")
        try:
            return int(json.loads(p.read_text(encoding="utf-8"))["page_count"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_last_count(self, source_id: str, n: int) -> None:
        if self.folder:
            p = self.folder / "sources" / (hashlib.sha256(source_id.encode()).hexdigest()[:32] + ".json")
            atomic_write(p, json.dumps({"source": source_id, "page_count": n}, ensure_ascii=False))

    # -- rendered issues (render key) -----------------------------------------
    def pdf_path(self, key: str) -> Path:
        assert self.folder is not None
        return render_path(self.folder, key)

    def lookup(self, key: str) -> Entry | None:
        """A cached render (without counting it as a hit)."""
        if key in self._memory:
            return self._memory[key]
        if not self.folder:
            return None
        pdf = self.pdf_path(key)
        meta = pdf.with_suffix(".json")
        try:
            d = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if d.get("format") != FORMAT or not intact(pdf, d.get("sha256")):
            return None  # an older format, or a damaged or missing PDF: rendered again
        e = Entry(key, pdf, int(d["page_count"]), list(d["toc"]), int(d["first_folio"]))
        self._memory[key] = e
        return e

    def take(self, key: str) -> Entry | None:
        """A cached render the build uses: counted as a hit."""
        e = self.lookup(key)
        if e is not None:
            self.hits += 1
            self.used.add(key)
            self._touch(e)
        return e

    def store(self, key: str, pdf: bytes, page_count: int, toc: list[dict[str, Any]], first_folio: int,
              scratch: Path | None = None) -> Entry:
        """Write a render (the PDF first, then its JSON, which makes it visible)."""
        assert self.folder or scratch is not None, "an uncached build needs a scratch folder"
        path = render_path(self.folder or scratch, key)  # the layout the workers write in too
        write_entry(path, pdf, page_count, toc, first_folio)
        e = Entry(key, path, page_count, toc, first_folio)
        self._memory[key] = e
        self.stores += 1
        return e

    def adopt(self, e: Entry) -> None:
        """Record an entry stored by a worker process."""
        self._memory[e.key] = e
        self.stores += 1

    def mark_used(self, key: str) -> None:
        self.used.add(key)

    @staticmethod
    def _touch(e: Entry) -> None:
        try:
            os.utime(e.pdf_path)
        except OSError:
            pass

    def prune(self, *, max_bytes: int = 2 << 30, max_age_days: float = 60, keep_fronts: int = 8) -> int:
        """Remove stale temp files, old renders not used by this build, font cuts not
        used for ``max_age_days`` and all but the newest ``keep_fronts`` front matters;
        returns the number of files removed."""
        if not self.folder or not (self.folder / "renders").is_dir():
            return 0
        now = time.time()
        removed = 0
        front = self.folder / "front"
        if front.is_dir():
            sets = sorted(front.glob("front-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for meta in sets[keep_fronts:]:
                key = meta.stem[len("front-"):]
                for p in list(front.glob(f"front-{key}*")) + list(front.glob(f"blanks-{key}*")):
                    p.unlink(missing_ok=True)
                    removed += 1
        fonts = self.folder / "fonts"  # the book's font cuts (merge._BookFonts), touched when used
        if fonts.is_dir():
            for p in fonts.iterdir():
                try:
                    age = now - p.stat().st_mtime
                except OSError:
                    continue
                stale = (age > 3600 if p.suffix == ".tmp" else  # another build may be writing it
                         age > max_age_days * 86400 if p.suffix == ".cut" else True)  # .font: the old format
                if stale and p.is_file():
                    p.unlink(missing_ok=True)
                    removed += 1
        files = []
        for p in (self.folder / "renders").rglob("*"):
            if not p.is_file():
                continue
            st = p.stat()
            if p.name.endswith(".tmp"):
                if now - st.st_mtime > 3600:
                    p.unlink(missing_ok=True)
                    removed += 1
                continue
            if p.suffix == ".pdf":
                files.append((st.st_mtime, st.st_size, p))
        total = sum(s for _, s, _ in files)
        for mtime, size, p in sorted(files):
            if p.stem in self.used:
                continue
            if total <= max_bytes and now - mtime < max_age_days * 86400:
                continue
            p.unlink(missing_ok=True)
            p.with_suffix(".json").unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "count_hits": self.count_hits, "stores": self.stores}


def entry_dict(e: Entry) -> dict[str, Any]:
    d = asdict(e)
    d["pdf_path"] = str(e.pdf_path)
    return d
