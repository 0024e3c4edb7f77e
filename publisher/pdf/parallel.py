"""Work on all cores: forked processes that stream their results back.

The PDF backend typesets an issue's parts side by side (units.py).  Each share of
the parts runs in a process forked from this one (:class:`Forked`), so WeasyPrint,
the fonts and the parsed stylesheets loaded before the fork are shared, not loaded
again; shares are made longest first (:func:`lpt_bins`).  Messages come back
pickled through a pipe, as they are sent.

A forked process ends with the process that forked it, whatever signal ends that
one (procs.die_with_parent).  No processes are started inside a daemonic process (:func:`can_fork`: the
anthology's workers, which are the parallelism there).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from typing import Any, Callable, Sequence

from ..errors import PublisherError


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return hasattr(os, "fork") and not multiprocessing.current_process().daemon


def lpt_bins(weights: Sequence[float], jobs: int, head_start: float = 0.0) -> list[list[int]]:
    """Longest-processing-time-first assignment of indices to ``jobs`` bins; bin 0
    (this process) starts with ``head_start`` of other work already on it."""
    bins: list[list[int]] = [[] for _ in range(jobs)]
    load = [head_start] + [0.0] * (jobs - 1)
    for i in sorted(range(len(weights)), key=lambda k: (-weights[k], k)):
        b = min(range(jobs), key=lambda k: (load[k], k))
        bins[b].append(i)
        load[b] += weights[i]
    return [sorted(b) for b in bins]


class Forked:
    """``fn(emit)`` in a forked process; every ``emit(message)`` reaches :meth:`next`
    in order (pickled through a pipe), so the parent can act on early results (an
    issue part's page count) while the child goes on (writing that part's PDF)."""

    def __init__(self, fn: Callable[[Callable[[Any], None]], None]):
        import queue
        import threading

        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_stream_child, args=(send, fn, os.getpid()))
        self.proc.start()
        send.close()
        # A thread empties the pipe as messages come: a child sending a PDF larger
        # than the pipe's buffer must not wait until this process is free to read.
        self._queue: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                item = self._recv.recv()
            except (EOFError, OSError):
                self._queue.put(None)
                return
            self._queue.put(item)
            if item[0] != "msg":
                return

    def next(self) -> Any:
        item = self._queue.get()
        if item is None:
            self.proc.join()
            raise PublisherError(f"a typesetting process died (exit status {self.proc.exitcode})")
        kind, value = item
        if kind == "error":
            self.close()
            raise PublisherError(value)
        return value

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self._reader.join(timeout=5)
        self._recv.close()


def _stream_child(send, fn, parent: int | None = None) -> None:
    from ..procs import die_with_parent

    die_with_parent(parent)  # however the parent ends (SIGKILL included), this process ends too
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        fn(lambda message: send.send(("msg", message)))
        res = ("end", None)
    except PublisherError as e:
        res = ("error", e.message)
    except Exception as e:
        detail = traceback.format_exc() if os.environ.get("PUBLISHER_DEBUG") else ""
        res = ("error", f"{type(e).__name__}: {e}\n{detail}".strip())
    send.send(res)
    send.close()
    os._exit(0)
