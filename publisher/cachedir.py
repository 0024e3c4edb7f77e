"""The mark of a folder publisher keeps a cache in (the anthology's, the e-book's
photos): a ``CACHEDIR.TAG`` by the Cache Directory Tagging convention
(https://bford.info/cachedir/; backup tools skip the folder), with a line naming which
of publisher's caches it is.  A cache uses a folder that holds its own mark, or an
empty one it marks; it never uses, nor prunes, a folder of someone else's."""
from __future__ import annotations

import os
from pathlib import Path

MARKER = "CACHEDIR.TAG"
SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"


def marker_text(owner_line: str) -> str:
    """What the mark holds: the convention's signature, then ``owner_line``."""
    return f"{SIGNATURE}\n{owner_line}\n"


def is_marked(folder: Path | str, owner_line: str) -> bool:
    """Does ``folder`` hold the mark of the cache ``owner_line`` names (a regular file,
    not a link to one)?"""
    try:
        p = Path(folder) / MARKER
        if p.is_symlink() or not p.is_file():
            return False
        with open(p, encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return head.startswith(SIGNATURE) and owner_line in head


def touch(*paths: Path) -> None:
    """An entry read is an entry used: its files' mtimes refreshed (pruning goes by them);
    a file that cannot be touched is let be."""
    for p in paths:
        try:
            os.utime(p)
        except OSError:
            pass
