"""The e-book's re-encoded photos kept on disk (issue 16): a rebuild re-encodes only a
photo that is new or changed.

The folder is ``.cache/photos`` beside the output (as the anthology's cache is
``.cache/anthology``), marked as the anthology's is (``CACHEDIR.TAG``, the Cache
Directory Tagging convention, with a line naming publisher's photo cache).  A folder
that is neither marked nor empty is not used: the build goes on without a cache and
nothing in it is touched.

An entry's key is a digest of the photo's bytes and of everything that decides its
re-encoding: :data:`FORMAT`, Pillow's version and its codecs' (libjpeg, zlib, Little
CMS), the encoder's own source
(``epub/photos.py``, ``images.py``) and its settings (long side, quality, line-art colours).  An entry
is ``<key>.jpg`` (or ``.png``) and ``<key>.json`` (media type, size in pixels, length and
digest of the bytes), written atomically, the data first; it is checked when read (the
digest, the length, the media type, the pixel size Pillow reads from its header) and a
bad one is encoded again, never fatal.  A hit refreshes the entry's mtime; entries not
used for :data:`KEEP_DAYS` days are pruned, and only files named as entries are.  A
folder that cannot be written means no cache, silently: the photos are encoded as
without it.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
from functools import lru_cache
from pathlib import Path

from .. import cachedir
from ..errors import PublisherError
from ..textio import atomic_write

FORMAT = 1  # bump when an entry's layout changes
KEEP_DAYS = 60
MARKER = cachedir.MARKER
_OWNER_LINE = "# publisher photo cache: publisher deletes only its own entries here."
MARKER_TEXT = cachedir.marker_text(_OWNER_LINE)
_ENTRY = re.compile(r"[0-9a-f]{64}\.(?:json|jpg|png)")
_TEMP = re.compile(r"\.[0-9a-f]{64}\.(?:json|jpg|png)\..+\.tmp")  # textio.atomic_output's, of a killed build
_MEDIA = {"image/jpeg": "jpg", "image/png": "png"}


def folder_for(out_path: Path) -> Path:
    """The photo cache of an output: ``.cache/photos`` beside it."""
    return Path(out_path).resolve().parent / ".cache" / "photos"


@lru_cache(maxsize=1)
def _encoder_digest() -> str:
    import PIL
    from PIL import features

    from .. import images
    from . import photos

    # the codecs' own versions too: a Pillow built on the system's libjpeg/zlib/lcms
    # keeps its version number when they are upgraded
    codecs = "|".join(str(features.version(f)) for f in ("jpg", "libjpeg_turbo", "zlib", "littlecms2"))
    h = hashlib.sha256(f"{FORMAT}|{PIL.__version__}|{codecs}|{photos.MAX_SIDE}|{photos.QUALITY}|"
                       f"{photos.LINE_ART_COLOURS}\0".encode())
    h.update(Path(photos.__file__).read_bytes())
    h.update(Path(images.__file__).read_bytes())  # to_srgb
    return h.hexdigest()


def is_marked(folder: Path) -> bool:
    return cachedir.is_marked(folder, _OWNER_LINE)


class PhotoCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = 0
        self.stores = 0

    @classmethod
    def open(cls, folder: Path) -> "PhotoCache | None":
        """The cache at ``folder`` (made, and marked, when missing or empty), or None when it
        is a folder of something else or cannot be written."""
        folder = Path(folder)
        try:
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                return None
            if folder.is_dir() and not is_marked(folder) and any(folder.iterdir()):
                return None  # not ours: never adopted, never pruned
            folder.mkdir(parents=True, exist_ok=True)
            if not is_marked(folder):
                atomic_write(folder / MARKER, MARKER_TEXT)
        except (OSError, PublisherError):
            return None
        return cls(folder)

    def key(self, data: bytes) -> str:
        h = hashlib.sha256(_encoder_digest().encode())
        h.update(data)
        return h.hexdigest()

    def get(self, key: str) -> tuple[bytes, str, int, int] | None:
        """(bytes, media type, width, height) as :func:`photos.reencode` made them, or None."""
        from PIL import Image

        from ..images import MAX_BYTES, read_regular

        meta_path = self.folder / f"{key}.json"
        try:
            info = json.loads(read_regular(meta_path, 1 << 12, "cache entry").decode("utf-8"))
            media, w, h = info["media"], info["width"], info["height"]
            if media not in _MEDIA or type(w) is not int or type(h) is not int:
                return None
            data_path = self.folder / f"{key}.{_MEDIA[media]}"
            data = read_regular(data_path, MAX_BYTES, "cache entry")
            if len(data) != info["length"] or hashlib.sha256(data).hexdigest() != info["sha256"]:
                return None
            with Image.open(io.BytesIO(data)) as im:
                if im.size != (w, h) or Image.MIME.get(im.format or "") != media:
                    return None
        except (OSError, ValueError, KeyError, TypeError, PublisherError):
            return None  # no entry, or not what was written: encoded again
        cachedir.touch(data_path, meta_path)
        self.hits += 1
        return data, media, w, h

    def put(self, key: str, done: tuple[bytes, str, int, int]) -> None:
        data, media, w, h = done
        info = {"media": media, "width": w, "height": h, "length": len(data),
                "sha256": hashlib.sha256(data).hexdigest()}
        try:
            atomic_write(self.folder / f"{key}.{_MEDIA[media]}", data)
            atomic_write(self.folder / f"{key}.json", json.dumps(info, sort_keys=True))
        except (OSError, PublisherError, KeyError):
            return  # an unwritable cache is no cache
        self.stores += 1

    def prune(self, now: float | None = None) -> int:
        """Remove the entries not used for KEEP_DAYS days (only files named as entries)."""
        limit = (time.time() if now is None else now) - KEEP_DAYS * 86400
        gone = 0
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        for name in names:
            temp = bool(_TEMP.fullmatch(name))
            if not temp and not _ENTRY.fullmatch(name):
                continue
            p = self.folder / name
            try:
                if not p.is_symlink() and p.is_file() and p.stat().st_mtime < (time.time() - 3600 if temp else limit):
                    p.unlink()
                    gone += 1
            except OSError:
                pass
        return gone
