"""This user's cache folder for what publisher derives from its own files:
``$XDG_CACHE_HOME/publisher/<name>`` (or ``~/.cache/publisher/<name>``): the fonts
extracted from collections (pdf/fonts.py) and Jinja's compiled templates
(render/env.py).  Nothing here comes from an input: what an issue brings is cached
beside its output (``.cache/`` there)."""
from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "publisher"


def own_folder(name: str) -> Path | None:
    """``root()/name``, made if need be, when it and ``root()`` are this user's and no one
    else can write them (what is cached here may be run or loaded); else None."""
    d = root() / name
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        mine = all(st.st_uid == os.getuid() and not st.st_mode & 0o022 for st in (d.stat(), d.parent.stat()))
    except OSError:
        return None
    return d if mine and os.access(d, os.W_OK) else None
