"""The cyclic garbage collector paused over work that allocates many small objects and
frees them by reference counting: WeasyPrint laying out a document (pdf/speed.py), the
reader rebuilding an issue (reader.parse_text_report: an Item, a Block, a Warning per
line).  CPython's collector would otherwise walk them again and again and free nothing
(a 100 KB text of 2,500 short articles: 15–25 ms of a 100 ms parse in collections).
It runs again as usual afterwards; what the work made that is cyclic it then frees.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """Pause the cyclic garbage collector (re-enabled afterwards if it was on)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
