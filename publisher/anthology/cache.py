"""Rendered issues cached on disk, so that a rebuild re-renders only what changed.

Two keys per issue:

* the **content key** hashes everything that decides how an issue is laid out except
  where it sits in the book: the source bytes, its resolved metadata, the print flag
  and padding, ``styles/``, ``templates/``, the font manifest and the identity (path,
  size, mtime) of every font file it names, the publisher version and the source of
  the code that reads and typesets an issue, and the bytes of every file its render
  may read besides the text (sidecar, cover, cover photo, photos: inputs.py).  An
  issue's page count depends only on this key (every issue starts on a recto, so its first folio changes digits, never
  the layout), so page counts are stored under it: ``counts/<content key>.json``.
* the **render key** = content key + first folio: ``renders/<key>.pdf`` and
  ``renders/<key>.json`` (page count and contents entries).

Entries are written atomically (a temp file and a rename), so an interrupted build
leaves the cache consistent; stale temp files and entries unused for a long time are
pruned.  ``hits`` / ``stores`` count what a build took from the cache and put into it.

The cache owns only what it made.  Its folder carries a marker (``CACHEDIR.TAG``, the
Cache Directory Tagging convention, with a line naming publisher): a ``--cache-dir``
that is neither a cache nor empty is refused (:func:`open_cache`), and pruning deletes
only files named as the cache names its entries, never anything else in the folder.
Every entry is checked when read (types, ranges, the PDF's digest and page count): a
bad one is ignored and rendered again, never fatal.  A cache that cannot be written
means a build without cache and one warning.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__, cachedir
from ..errors import PublisherError
from ..paths import FONTS_DIR, ROOT, STYLES_DIR, TEMPLATES_DIR
from ..textio import atomic_write

# Code whose change alters a rendered issue (the anthology's own modules do not).
_CODE_DIRS = ("reader", "render", "pdf", "source")
_CODE_FILES = ("model.py", "metadata.py", "typography.py", "fonts.py", "textio.py", "photos.py", "images.py")
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
        n = _page_count_of(self.folder / "counts" / f"{ckey}.json")
        if n is None:
            return None
        self._counts[ckey] = n
        self.count_hits += 1
        return n

    def put_count(self, ckey: str, n: int) -> None:
        self._counts[ckey] = n
        if self.folder:
            _quiet_write(self.folder / "counts" / f"{ckey}.json", json.dumps({"page_count": n}))

    def forget_count(self, ckey: str) -> None:
        """A stored page count proved wrong by a render: dropped (the render's is kept)."""
        self._counts.pop(ckey, None)
        if self.folder:
            try:
                (self.folder / "counts" / f"{ckey}.json").unlink(missing_ok=True)
            except OSError:
                pass

    # -- last known page count of a source file, a guess for speculation -----
    def last_count(self, source_id: str) -> int | None:
        if not self.folder:
            return None
        p = self.folder / "sources" / (hashlib.sha256(source_id.encode()).hexdigest()[:32] + ".json")
        return _page_count_of(p)  # only a guess: a wrong one costs a render, not the build

    def put_last_count(self, source_id: str, n: int) -> None:
        if self.folder:
            p = self.folder / "sources" / (hashlib.sha256(source_id.encode()).hexdigest()[:32] + ".json")
            _quiet_write(p, json.dumps({"source": source_id, "page_count": n}, ensure_ascii=False))

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
        e = read_entry(self.pdf_path(key), key)
        if e is None:
            return None  # missing, an older format, damaged or wrong: rendered again
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
        cachedir.touch(e.pdf_path)

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
            sets = [m for m in sets if _FRONT_META.fullmatch(m.name)]
            for meta in sets[keep_fronts:]:
                key = meta.stem[len("front-"):]
                for p in list(front.glob(f"front-{key}*")) + list(front.glob(f"blanks-{key}*")):
                    if _FRONT_FILE.fullmatch(p.name) and p.is_file() and not p.is_symlink():
                        p.unlink(missing_ok=True)
                        removed += 1
        fonts = self.folder / "fonts"  # the book's font cuts (merge._BookFonts), touched when used
        if fonts.is_dir():
            for p in fonts.iterdir():
                if not p.is_file() or p.is_symlink():
                    continue
                try:
                    age = now - p.stat().st_mtime
                except OSError:
                    continue
                if _stale_temp(p, age):
                    stale = True
                elif _FONT_CUT.fullmatch(p.name):
                    stale = age > max_age_days * 86400
                else:
                    stale = bool(_OLD_FONT.fullmatch(p.name))  # the old format; anything else is not ours
                if stale:
                    p.unlink(missing_ok=True)
                    removed += 1
        for sub in ("counts", "sources", "front"):
            d = self.folder / sub
            if d.is_dir():
                for p in d.iterdir():
                    try:
                        if p.is_file() and _stale_temp(p, now - p.stat().st_mtime):
                            p.unlink(missing_ok=True)
                            removed += 1
                    except OSError:
                        pass
        files = []
        for p in (self.folder / "renders").rglob("*"):
            if not p.is_file() or p.is_symlink():
                continue
            st = p.stat()
            if _TEMP.fullmatch(p.name) or _OLD_TEMP.fullmatch(p.name):
                if _stale_temp(p, now - st.st_mtime):
                    p.unlink(missing_ok=True)
                    removed += 1
                continue
            if p.suffix == ".pdf" and _own_render(self.folder / "renders", p):
                files.append((st.st_mtime, st.st_size, p))
        total = sum(s for _, s, _ in files)
        for mtime, size, p in sorted(files):
            if p.stem in self.used:
                continue
            if total <= max_bytes and now - mtime < max_age_days * 86400:
                continue
            p.unlink(missing_ok=True)
            meta = p.with_suffix(".json")
            if meta.is_file() and not meta.is_symlink():
                meta.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "count_hits": self.count_hits, "stores": self.stores}


def entry_dict(e: Entry) -> dict[str, Any]:
    d = asdict(e)
    d["pdf_path"] = str(e.pdf_path)
    return d


# -- what the cache owns ------------------------------------------------------------

MARKER = cachedir.MARKER
_OWNER_LINE = "# publisher anthology cache: publisher deletes only its own entries here."
MARKER_TEXT = cachedir.marker_text(_OWNER_LINE)

_HEX64 = r"[0-9a-f]{64}"
_FONT_CUT = re.compile(r"[0-9a-f]{40}\.cut")
_OLD_FONT = re.compile(r"[0-9a-f]{40}\.font")
_FRONT_META = re.compile(_HEX64 .join(["front-", r"\.json"]))
_FRONT_FILE = re.compile(r"(?:front-" + _HEX64 + r"(?:-\d+\.pdf|\.json)|blanks-" + _HEX64 + r"\.pdf)")
# Temp files of textio.atomic_output: ``.NAME.PID-XXXX.tmp`` (older builds: ``.NAME.XXXX.tmp``).
_TEMP = re.compile(r"\.(?P<name>[0-9a-f]{32,64}(?:-\d+)?\.(?:pdf|json|cut))\.(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp")
_OLD_TEMP = re.compile(r"\.[0-9a-f]{32,64}(?:-\d+)?\.(?:pdf|json|cut)\.[A-Za-z0-9_]+\.tmp")


def _stale_temp(p: Path, age: float) -> bool:
    """A temp file of the cache's whose writer is gone (dead pid), or an old one (an hour)."""
    m = _TEMP.fullmatch(p.name)
    if m:
        from ..procs import owner_alive

        return age > 3600 or not owner_alive(int(m.group("pid")), time.time() - age)
    return bool(_OLD_TEMP.fullmatch(p.name)) and age > 3600


def _own_render(renders: Path, p: Path) -> bool:
    """Is ``p`` (a .pdf under ``renders/``) named as the cache names a render or a typeset part?"""
    rel = p.relative_to(renders).parts
    if len(rel) == 2 and re.fullmatch(_HEX64 + r"\.pdf", rel[1]) and rel[0] == rel[1][:2]:
        return True  # renders/<key[:2]>/<key>.pdf
    return len(rel) == 2 and rel[0] == "parts" and bool(re.fullmatch(r"[0-9a-f]{40}\.pdf", rel[1]))


def is_marked(folder: Path) -> bool:
    return cachedir.is_marked(folder, _OWNER_LINE)


def open_cache(folder: Path, *, explicit: bool) -> tuple[RenderCache, str | None]:
    """The cache at ``folder`` and a warning (or None).

    ``folder`` must be a cache (its marker) or empty or missing; otherwise, when the user
    named it (``explicit``), a one-line PublisherError: the cache never adopts a folder
    with files of the user's in it.  The default folder (``.cache/anthology`` beside the
    output) is the cache's by its name and is adopted.  A folder that cannot be written
    gives no cache and a warning: the build goes on without it.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PublisherError(f"{folder}: --cache-dir is not a folder")
    if folder.is_dir() and not is_marked(folder):
        try:
            empty = not any(folder.iterdir())
        except OSError as e:
            return RenderCache(None), f"{folder}: cache not readable ({e.strerror}); building without cache"
        if not empty and explicit:
            raise PublisherError(f"{folder}: not a publisher cache (no {MARKER} of publisher's) and not empty; "
                                 f"choose an empty or new folder for --cache-dir")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not is_marked(folder):
            atomic_write(folder / MARKER, MARKER_TEXT)
        probe = folder / "renders"
        probe.mkdir(exist_ok=True)
        atomic_write(probe / f".probe.{os.getpid()}", b"")  # the renders must be writable too
        (probe / f".probe.{os.getpid()}").unlink()
    except (OSError, PublisherError) as e:
        why = e.strerror if isinstance(e, OSError) else e.message.rsplit("(", 1)[-1].rstrip(")")
        return RenderCache(None), f"{folder}: cache not writable ({why}); building without cache"
    return RenderCache(folder), None


def _quiet_write(path: Path, data: str) -> None:
    """A best-effort write of a small cache file (an unwritable one is no cache, not an error)."""
    try:
        atomic_write(path, data)
    except (OSError, PublisherError):
        pass


def _int(v: Any, lo: int, hi: int = 1 << 30) -> int | None:
    """``v`` if it is a true int (not a bool, not a string) in [lo, hi]."""
    return v if type(v) is int and lo <= v <= hi else None


def _read_json(path: Path, limit: int) -> dict[str, Any] | None:
    """The JSON object in the cache file ``path`` of at most ``limit`` bytes, else None
    (missing, too large, not a regular file, not JSON, not an object: not an entry)."""
    from ..textio import read_limited

    try:
        d = json.loads(read_limited(path, limit, "cache entry").decode("utf-8"))
    except (OSError, ValueError, PublisherError):
        return None
    return d if isinstance(d, dict) else None


def _page_count_of(p: Path) -> int | None:
    d = _read_json(p, 1 << 16)
    return _int(d.get("page_count"), 1) if d is not None else None


def valid_toc(toc: Any, page_count: int) -> list[dict[str, Any]] | None:
    """The contents entries as stored, if every one has the shape the merge reads."""
    if not isinstance(toc, list):
        return None
    out = []
    for t in toc:
        if not isinstance(t, dict):
            return None
        if _int(t.get("level"), 1, 3) is None or not isinstance(t.get("title"), str):
            return None
        if _int(t.get("page_index"), 0, max(0, page_count - 1)) is None:
            return None
        if not isinstance(t.get("anchor", ""), (str, type(None))):
            return None
        if not isinstance(t.get("article_id"), (str, int, type(None))) or isinstance(t.get("article_id"), bool):
            return None
        out.append(t)
    return out


def pdf_page_count(path: Path) -> int | None:
    try:
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # not a PDF pikepdf opens: not an entry
        return None


def read_entry(pdf: Path, key: str, first_folio: int | None = None) -> Entry | None:
    """The entry at ``pdf`` (and its .json) if everything in it is what was written:
    the format, the types and ranges of its fields, the PDF's digest and page count."""
    d = _read_json(pdf.with_suffix(".json"), 8 << 20)
    if d is None or d.get("format") != FORMAT:
        return None
    n = _int(d.get("page_count"), 1)
    folio = _int(d.get("first_folio"), 1)
    if n is None or folio is None or (first_folio is not None and folio != first_folio):
        return None
    if render_key_ok(key) is False:
        return None
    toc = valid_toc(d.get("toc"), n)
    if toc is None or not isinstance(d.get("sha256"), str) or not intact(pdf, d["sha256"]):
        return None
    if pdf_page_count(pdf) != n:
        return None
    return Entry(key, pdf, n, toc, folio)


def render_key_ok(key: str) -> bool:
    return bool(re.fullmatch(_HEX64, key))
