"""Import WeasyPrint without its library hunt through ``gcc`` and ``ldconfig``.

WeasyPrint 70 finds Pango, HarfBuzz and Fontconfig by trying several names per
library with cffi's ``dlopen``; a name that does not load as it is (the Windows and
macOS spellings) makes cffi call ``ctypes.util.find_library``, which runs ``gcc`` and
``ldconfig`` subprocesses: about 15 of them, 0.3–0.5 s of every build's wall time.
The Linux names (``libpango-1.0.so.0``…) load directly, so while WeasyPrint is
imported ``find_library`` answers "not found" at once; if that leaves a library
unloaded, the import is retried with the real ``find_library``.
"""
from __future__ import annotations

import sys


def import_weasyprint():
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import gc

    # The import builds ~60 000 long-lived objects (modules, the user-agent
    # stylesheets): no collection while it runs, and afterwards they are moved out
    # of the collector's generations (gc.freeze), so later collections (and forked
    # workers' copy-on-write pages) leave them alone.  About 0.1 s per process.
    was = gc.isenabled()
    gc.disable()
    try:
        module = _import()
    finally:
        if was:
            gc.enable()
    gc.freeze()
    return module


def _import():
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except OSError:
        for mod in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[mod]
        ctypes.util.find_library = real
        import weasyprint
    finally:
        ctypes.util.find_library = real
    return weasyprint
