"""The files an issue's render reads besides its text, and their digest (the cache key).

A render reads the issue text, its sidecar TOML, the cover image (``Meta.cover``), the
photo under the generated cover's masthead (``Meta.cover_photo``), the print profile
(printing) and the photos tied to its captions (``Block.image``, publisher/photos.py).
Which photos are tied is known only after the text is read; the key must be known
before, so it covers every photo the render could tie: every photo file of the
issue's images folder (what ``photos.attach`` lists) and, for a publisher source
whose text says ``image``, the photos its captions name (``image="…"``: the source
is read here, as written, no heuristics).  The metadata is the issue's as its reader
resolves it (``config.issue_meta``: a source's front matter in).

Each file enters the key by a digest of its bytes, read bounded
(``images.read_regular`` with ``images.MAX_BYTES``, ``textio.read_limited`` for the
sidecar).  A file that cannot be read enters as what it is (missing, the one-line
reason): the render reports it if it uses it, and the key changes when it is fixed.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import PublisherError
from ..model import Meta

SIDECAR_LIMIT = 1 << 20  # bytes of a sidecar TOML (textio.read_toml reads it bounded too)


def issue_files(path: Path, meta: Meta, source: bytes,
                overrides: dict | None = None) -> tuple[Meta, list[tuple[str, Path]]]:
    """``(role, file)`` of every file besides the text that the render of the issue at
    ``path`` (its bytes ``source``, its resolved metadata ``meta``, its metadata
    ``overrides``) may read, in a fixed order; and the metadata the reader will use (a
    source's front matter in)."""
    from ..metadata import sidecar_path
    from ..photos import list_images

    path = Path(path)
    named: list[str] = []  # photos a source's captions name, relative to its folder
    text = _source_text(source)
    if text is not None and ("image" in text or "![" in text):  # a caption or figure may name its photo
        try:
            from ..reader import read_issue

            issue = read_issue(path, overrides or None)
            meta = issue.meta
            from ..photos import tied_blocks

            named = sorted({b.image for b in tied_blocks(issue)})
        except PublisherError:
            pass  # a bad source: its render says why, with its text in the key
    out: list[tuple[str, Path]] = [("sidecar", sidecar_path(path))]
    if meta.cover:
        out.append(("cover", Path(meta.cover)))
    if meta.cover_photo:
        out.append(("cover_photo", Path(meta.cover_photo)))
    folder = Path(meta.images) if meta.images else path.resolve().parent / "images"
    try:
        photos = list_images(folder)
    except PublisherError:
        photos = []  # an unreadable folder: the render reports it
    out += [("photo", folder / n) for n in photos]
    listed = {p for _, p in out}
    out += [("named", p) for p in (path.resolve().parent / n for n in named) if p not in listed]
    return meta, out


def inputs_digest(path: Path, meta: Meta, source: bytes, overrides: dict | None = None) -> str:
    """A digest of what :func:`issue_files` lists: each file's role, path and bytes."""
    from ..images import MAX_BYTES, read_regular
    from ..textio import read_limited

    meta, files = issue_files(path, meta, source, overrides)
    h = hashlib.sha256()
    h.update(repr(sorted((k, repr(v)) for k, v in vars(meta).items())).encode())
    for role, p in files:
        h.update(f"{role}\0{p}\0".encode())
        try:
            if not p.exists():
                h.update(b"missing")
            elif role == "sidecar":
                h.update(hashlib.sha256(read_limited(p, SIDECAR_LIMIT, "metadata TOML")).digest())
            else:
                h.update(hashlib.sha256(read_regular(p, MAX_BYTES, role)).digest())
        except (PublisherError, OSError) as e:
            h.update(f"unreadable {getattr(e, 'message', e)}".encode())
        h.update(b"\0")
    return h.hexdigest()


def _source_text(data: bytes) -> str | None:
    """The decoded text of a publisher source, None for a raw text (or undecodable bytes)."""
    from ..source import is_source
    from ..textio import decode_bytes

    try:
        text = decode_bytes(data)
    except PublisherError:
        return None
    return text if is_source(text) else None
