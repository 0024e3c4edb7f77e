"""Binding many issues into one print-ready PDF (合订本), fast and incremental.

``publisher anthology INPUT... -o OUT.pdf [--title …] [--print] [--jobs N]``

* :mod:`.config` — the inputs (issues, folders, an anthology TOML file) and the book's metadata;
* :mod:`.plan` — page counts, offsets and the scheduling of renders (with speculation);
* :mod:`.jobs` — the worker processes;
* :mod:`.cache` — rendered issues and page counts on disk;
* :mod:`.front` — cover, title page and general contents;
* :mod:`.merge` — pikepdf: pages, links, outline, page labels.
"""
from .config import AnthologyConfig, load_config
from .plan import BuildResult, BuildStats, build_anthology

__all__ = ["AnthologyConfig", "BuildResult", "BuildStats", "build_anthology", "load_config"]
