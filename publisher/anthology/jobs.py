"""Worker processes that read and typeset issues, one issue per task.

Workers are forked from the building process (so WeasyPrint and the fonts' Python
side are imported once), end when it ends, whatever ends it (procs.die_with_parent), ignore SIGINT (a Ctrl-C reaches the whole process group;
the parent alone decides: it terminates the workers and exits with one line), and are
replaced after ``MAX_TASKS`` tasks so that no process's memory grows with the number
of issues.  Each task writes its PDF into the cache itself (atomically) and sends
back only the page count, the contents entries and its peak memory.

A render lays out the issue's parts, then sets its furniture (folios, running heads,
contents numbers: the only part that depends on where the issue sits in the book) and
assembles the PDF.  Between the two a worker (1) tells the parent the page count at
once, so that the offsets of later issues are known as early as possible, and (2)
looks at the offset the parent now knows for its issue: a speculative render sets its
furniture at the real offset when it is known by then, and otherwise stops with its
parts stored in the part cache (:func:`_laid_out`).  Both happen in render_issue's
``on_layout`` callback (the PDF backend's two-step API).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
import sys
import time
import traceback
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import PublisherError

MAX_TASKS = 12  # tasks per worker process before it is replaced (bounds memory growth)
# Parts of about ten pages (pdf/units.py sets a single issue in larger ones): an edit
# sets again only the part it falls in.
PART_WEIGHT = 12000


@dataclass(frozen=True)
class Task:
    index: int  # position of the issue in the book
    path: str
    overrides: tuple[tuple[str, Any], ...]
    first_folio: int
    print_mode: bool
    pad_to: int
    running_head: str | None
    ckey: str  # the issue's content key (cache.content_key)
    out_root: str  # the worker writes the PDF (its .json beside it) at cache.render_path(out_root, key)
    speculative: bool = False
    parts_dir: str = ""  # where typeset parts of issues are kept (pdf/partcache.py)


# The reader and renderer the workers call; set before the pool forks (tests swap in
# small fakes).  None = publisher.reader.read_issue / publisher.pdf.render_issue.
_READ: Callable | None = None
_RENDER: Callable | None = None


def set_backends(read: Callable | None, render: Callable | None) -> None:
    global _READ, _RENDER
    _READ, _RENDER = read, render


def backends() -> tuple[Callable, Callable]:
    read, render = _READ, _RENDER
    if read is None:
        from ..reader import read_issue as read
    if render is None:
        from ..pdf import render_issue as render
    return read, render


def keeps_parts() -> bool:
    """Whether the renderer keeps an issue's typeset parts (pdf/partcache.py): then
    a speculative render stops after layout unless its offset is known by then."""
    return _takes(backends()[1], "part_cache")


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB).

    Linux: VmHWM of /proc/self/status, the high-water mark of this process's own
    memory.  ``ru_maxrss`` is kept across exec, so a process started from a large
    one (a test runner) would report its parent's peak; it is the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def toc_dicts(toc) -> list[dict[str, Any]]:
    out = []
    for t in toc:
        d = asdict(t) if is_dataclass(t) else dict(t)
        out.append({"level": int(d["level"]), "title": str(d["title"]), "page_index": int(d["page_index"]),
                    "article_id": d.get("article_id"), "anchor": d.get("anchor") or ""})
    return out


def run_task(task: Task) -> dict[str, Any]:
    """Read, typeset and store one issue.  Runs in a worker (or in-process)."""
    from ..pdf.units import CannotMove
    from .cache import render_key, render_path, write_entry

    global _CURRENT
    t0 = time.perf_counter()
    _CURRENT = task
    try:
        read, render = backends()
        issue = read(task.path, dict(task.overrides) or None)
        kwargs = {}
        parts_kept = bool(task.parts_dir) and keeps_parts()
        if parts_kept:
            from ..pdf.partcache import PartCache
            from .cache import environment_digest

            # Each typeset part of the issue is kept: after an edit only the part that
            # holds it is set again, and an issue that moves in the book only gets new
            # furniture (pdf/units.py, pdf/partcache.py).  A part's HTML names each photo
            # and cover by the digest of its bytes (pdf/photos.py: served), so its key
            # sees a replaced photo by itself: no per-issue salt, and an edit to one photo
            # or to the sidecar sets again only the parts it changes.
            kwargs["part_cache"] = PartCache(task.parts_dir, environment_digest())
            kwargs["part_weight"] = PART_WEIGHT
        if _takes(render, "merge_fonts"):
            kwargs["merge_fonts"] = False  # the merge embeds each face once for the book
        if _takes(render, "on_layout"):
            kwargs["on_layout"] = lambda n, toc: _laid_out(task, n, toc, parts_kept)
        r = render(issue, first_folio=task.first_folio, print_mode=task.print_mode,
                   running_head=task.running_head, pad_to=task.pad_to, **kwargs)
        folio = getattr(r, "first_folio", task.first_folio)  # moved by _laid_out, or as asked
        key = render_key(task.ckey, folio)
        toc = toc_dicts(r.toc)
        out = render_path(Path(task.out_root), key)
        write_entry(out, r.pdf, r.page_count, toc, folio)
        return {"ok": True, "index": task.index, "key": key, "page_count": r.page_count, "toc": toc,
                "first_folio": folio, "asked_folio": task.first_folio, "pdf_path": str(out),
                "seconds": time.perf_counter() - t0, "rss_mb": peak_rss_mb(), "pid": os.getpid(),
                "speculative": task.speculative,
                "title": getattr(getattr(issue, "meta", None), "title", "") or Path(task.path).stem}
    except (_Aborted, CannotMove):
        return {"ok": True, "aborted": True, "index": task.index, "page_count": _LAID_OUT.get(task.index, 0),
                "first_folio": task.first_folio, "asked_folio": task.first_folio,
                "seconds": time.perf_counter() - t0, "rss_mb": peak_rss_mb()}
    except PublisherError as e:
        # Reader errors already name the file; others get it in front.
        msg = e.message if e.message.startswith(str(task.path)) else f"{task.path}: {e.message}"
        return {"ok": False, "index": task.index, "message": msg}
    except Exception as e:  # reported on one line by the parent
        detail = traceback.format_exc() if os.environ.get("PUBLISHER_DEBUG") else ""
        return {"ok": False, "index": task.index,
                "message": f"{task.path}: {type(e).__name__}: {e}", "detail": detail}
    finally:
        _CURRENT = None


# Shared with the workers (inherited through fork): exact first folios the parent
# knows (0 = not yet) and a queue for page counts reported before writing.
_EXACT = None
_MESSAGES = None
_CURRENT: Task | None = None


class _Aborted(Exception):
    pass


_LAID_OUT: dict[int, int] = {}  # issue index → its page count, as laid out by this worker


def _takes(render: Callable, name: str) -> bool:
    import inspect

    try:
        return name in inspect.signature(render).parameters
    except (TypeError, ValueError):
        return False


def _laid_out(task: Task, n: int, toc, parts_kept: bool = False) -> int | None:
    """Between layout and furniture (render_issue's ``on_layout``): tell the parent
    the page count and contents at once.  A speculative render whose offset the
    parent knows by now sets its furniture there (its pages do not depend on it:
    units.typeset), unless they cannot move (units.CannotMove: the worker reports
    it stopped).  One whose offset is still unknown goes on at its guess — or, when
    its typeset parts are kept in the part cache, stops: its parts are stored, and
    setting it at its offset later costs only its furniture and assembly."""
    _LAID_OUT[task.index] = n
    if _MESSAGES is not None:
        _MESSAGES.put(("count", task.index, task.first_folio, n, toc_dicts(toc)))
    if _EXACT is not None and task.speculative:
        exact = _EXACT[task.index]
        if exact and exact != task.first_folio:
            return exact
        if not exact and parts_kept:
            raise _Aborted()
    return None


def _init_worker(parent: int | None = None) -> None:
    from ..procs import die_with_parent

    die_with_parent(parent)  # a killed build leaves no worker behind
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The workers yield to the building process and to the front matter's process:
    # those are the book's critical path once every issue is laid out (the general
    # contents waits for the last page count, the merge for everything).
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass


WORKER_NICENESS = 5


def warm_up(load_fonts: bool = True) -> None:
    """Import WeasyPrint and build the PDF backend's font configuration and parsed
    stylesheets in this process, before it forks: every worker (and the front
    matter's process) then starts with them instead of building its own.  The
    objects are frozen out of the garbage collector's generations (gc.freeze), so
    collections in the children do not touch, and copy, their memory pages."""
    import gc

    try:
        from ..pdf._weasy import import_weasyprint

        import_weasyprint()  # without its library hunt through gcc and ldconfig
        import weasyprint.document  # noqa: F401
        import weasyprint.layout  # noqa: F401
        import weasyprint.pdf  # noqa: F401
    except ImportError:  # a stand-in renderer without WeasyPrint
        return
    if _RENDER is None:
        from ..pdf.writer import _stylesheets, warm_fonts

        _stylesheets()
        if load_fonts:  # each worker would load the faces itself (about 0.3 s each)
            warm_fonts()
    gc.freeze()


class WorkerPool:
    """A fixed number of forked workers; results arrive on a queue in completion order."""

    def __init__(self, jobs: int, issues: int = 0):
        self.jobs = max(1, int(jobs))
        self.results: queue.Queue = queue.Queue()
        self.in_flight = 0
        self.issues = issues
        self._pool = None
        self._ctx = multiprocessing.get_context("fork")
        self.exact = self._ctx.Array("l", max(1, issues), lock=False)
        self.load_fonts = True  # worth it when the workers have many issues to set
        self.messages = self._ctx.SimpleQueue()

    def __enter__(self) -> "WorkerPool":
        global _EXACT, _MESSAGES
        # Import the heavy modules before forking so each worker (and each replacement
        # of a worker) starts with them: about a second of CPU per process saved.
        backends()
        warm_up(load_fonts=self.load_fonts)
        _EXACT, _MESSAGES = self.exact, self.messages
        self._pool = self._ctx.Pool(self.jobs, initializer=_init_worker, initargs=(os.getpid(),),
                                    maxtasksperchild=MAX_TASKS)
        return self

    def publish_offset(self, index: int, first_folio: int) -> None:
        if 0 <= index < len(self.exact):
            self.exact[index] = first_folio

    def submit(self, task: Task) -> None:
        assert self._pool is not None
        self.in_flight += 1
        self._pool.apply_async(run_task, (task,), callback=self.results.put,
                               error_callback=lambda e: self.results.put(
                                   {"ok": False, "index": task.index, "message": f"{task.path}: {e}"}))

    def next_event(self) -> dict[str, Any]:
        """The next page count reported before writing, or the next finished task."""
        while True:
            if not self.messages.empty():
                kind, index, first_folio, n, toc = self.messages.get()
                return {"event": kind, "index": index, "first_folio": first_folio, "page_count": n, "toc": toc}
            try:
                r = self.results.get(timeout=0.02)
            except queue.Empty:
                continue
            self.in_flight -= 1
            r["event"] = "result"
            return r

    def terminate(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is None:
            return
        if exc_type is None:
            self._pool.close()
            self._pool.join()
            self._pool = None
        else:
            self.terminate()


def children_peak_rss_mb() -> float:
    """Largest peak RSS of any waited-for child process (Linux: max over children)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


class ChildCall:
    """``fn(*args, **kwargs)`` running in a forked process; :meth:`result` waits for it."""

    def __init__(self, fn: Callable, *args, **kwargs):
        ctx = multiprocessing.get_context("fork")
        recv, send = ctx.Pipe(duplex=False)

        parent = os.getpid()

        def target():
            from ..procs import die_with_parent

            die_with_parent(parent)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            # Terminated (the build stopped): unwind, so that this call's own children
            # are terminated by its ``finally`` blocks (front.render_front's opening pages).
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            try:
                res = ("ok", fn(*args, **kwargs), peak_rss_mb())
            except PublisherError as e:
                res = ("error", e.message, 0.0)
            except Exception as e:
                detail = traceback.format_exc() if os.environ.get("PUBLISHER_DEBUG") else ""
                res = ("error", f"{type(e).__name__}: {e}\n{detail}".strip(), 0.0)
            send.send(res)

        self._recv = recv
        self.proc = ctx.Process(target=target)
        self.proc.start()
        send.close()

    def result(self):
        """The child's result and its peak RSS (MB), or its error as a PublisherError."""
        try:
            kind, value, rss = self._recv.recv()
        except EOFError:
            self.proc.join()
            raise PublisherError(f"a worker process died (exit status {self.proc.exitcode})") from None
        except BaseException:
            self.terminate()
            raise
        self.proc.join()
        if kind == "error":
            raise PublisherError(value)
        return value, rss

    def terminate(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()


def run_in_child(fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a forked process; its result (pickled) or its error.

    Keeps the building process small: what the child allocates (a WeasyPrint
    document) goes away with it.  Ctrl-C: the child ignores SIGINT and is terminated.
    """
    return ChildCall(fn, *args, **kwargs).result()
