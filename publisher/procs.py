"""Processes that end with their parent, and temp files that do not outlive a killed build.

* :func:`die_with_parent` — called first thing in every worker process (the PDF
  backend's forked typesetters, the anthology's pool and its front-matter child):
  whatever ends the parent (SIGINT, SIGTERM, SIGKILL, a crash), the worker gets
  SIGTERM.  Linux: ``prctl(PR_SET_PDEATHSIG)`` when the worker was forked from its
  parent's main thread (the death signal follows the forking *thread*; a pool's
  replacement workers are forked from a helper thread that ends before the pool
  does), and everywhere a watcher thread that notices the parent is gone
  (``getppid()`` changes when a process is re-parented).
* :func:`terminate_like_interrupt` — SIGTERM to the command raises :class:`Terminated`
  (a KeyboardInterrupt) in the main process, so it unwinds like Ctrl-C: workers
  terminated, temp files and scratch folders removed.  In any other process (a
  fork that inherited the handler) it keeps SIGTERM's default meaning.  Neither SIGTERM
  nor SIGINT unwinds in the middle of an import: the signal is delivered again once it
  is over (an exception inside a native extension's initialisation aborts the process).
* Temp names carry the pid of the process that made them (:func:`tagged_prefix`);
  :func:`sweep_stale` removes those whose process is dead (a SIGKILL leaves them), and
  nothing else.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import threading
from pathlib import Path

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.25

_forked_from_main = True  # set in the parent just before each fork (os.register_at_fork)


def _before_fork() -> None:
    global _forked_from_main
    _forked_from_main = threading.current_thread() is threading.main_thread()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork)


class Terminated(KeyboardInterrupt):
    """SIGTERM received: unwound like Ctrl-C; the command exits with 143."""

    exit_code = 143


_handler_pid: int | None = None


DEFER_SECONDS = 0.02


def _importing(frame) -> bool:
    """Is a module being imported (an import machinery frame on the stack)?"""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _defer(signum: int, frame) -> bool:
    """Re-deliver ``signum`` shortly if it came while a module was being imported.

    An exception raised inside a native extension's initialisation (pikepdf's nanobind
    enums run Python code as they are made) is fatal: nanobind aborts the process
    (SIGABRT, nothing cleaned up).  So the unwind waits until the import is over.
    """
    if not _importing(frame):
        return False
    t = threading.Timer(DEFER_SECONDS, os.kill, (os.getpid(), signum))
    t.daemon = True
    t.start()
    return True


def _on_sigterm(signum, frame) -> None:
    if os.getpid() != _handler_pid:  # a forked child inherited the handler: die as SIGTERM means
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    if not _defer(signum, frame):
        raise Terminated()


def _on_sigint(signum, frame) -> None:
    if os.getpid() == _handler_pid and _defer(signum, frame):
        return
    raise KeyboardInterrupt()


def terminate_like_interrupt() -> None:
    """Make SIGTERM unwind this (main) process like SIGINT does; neither unwinds inside an import."""
    global _handler_pid
    if threading.current_thread() is not threading.main_thread():
        return
    _handler_pid = os.getpid()
    signal.signal(signal.SIGTERM, _on_sigterm)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)


def _set_pdeathsig(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent_pid: int | None = None, sig: int = signal.SIGTERM) -> None:
    """In a freshly forked child: end this process (with ``sig``) when its parent ends.

    ``parent_pid`` is the parent's pid as the parent knew it (default: ``getppid()`` now).
    """
    parent = parent_pid or os.getppid()
    if signal.getsignal(signal.SIGTERM) is _on_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is not ours
    if _forked_from_main:
        _set_pdeathsig(sig)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os.kill(os.getpid(), sig)
        return

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os.kill(os.getpid(), sig)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


# -- temp files and scratch folders named for their process -----------------------

def tagged_prefix(base: str) -> str:
    """``base`` + this process's pid + ``-``: the start of a temp name :func:`sweep_stale` knows."""
    return f"{base}{os.getpid()}-"


def _boot_time() -> float | None:
    try:
        with open("/proc/stat", encoding="ascii") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _start_time(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), Linux; None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        boot = _boot_time()
        if boot is None:
            return None
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def owner_alive(pid: int, made_at: float | None = None) -> bool:
    """Is the process ``pid`` that made a file at ``made_at`` (its mtime) still running?

    A pid reused by a process started after the file was last written is not its owner.
    """
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process: not ours to judge
    except OSError:
        return True
    if made_at is not None:
        started = _start_time(pid)
        if started is not None and started > made_at + 2:  # clock ticks and mtime granularity
            return False
    return True


def stale_pid(name: str, pattern: re.Pattern[str]) -> int | None:
    """The pid in ``name`` if it matches ``pattern`` (a group ``pid``), else None."""
    m = pattern.fullmatch(name)
    return int(m.group("pid")) if m else None


def sweep_stale(folder: str | os.PathLike, pattern: re.Pattern[str]) -> int:
    """Remove the entries of ``folder`` whose name matches ``pattern`` (its ``pid`` group the
    process that made it) and whose process is dead; returns how many.  Never raises."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for e in entries:
        pid = stale_pid(e.name, pattern)
        if pid is None:
            continue
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        if owner_alive(pid, st.st_mtime):
            continue
        with contextlib.suppress(OSError):
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path)
            else:
                os.unlink(e.path)
            removed += 1
    return removed


def temp_file_pattern(final_name: str) -> re.Pattern[str]:
    """Temp files written beside ``final_name`` (textio.atomic_output): ``.NAME.PID-XXXX.tmp``."""
    return re.compile(re.escape(f".{final_name}.") + r"(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp")


ANY_TEMP = re.compile(r"\..+\.(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp")


def sweep_temp_files(final: str | os.PathLike) -> int:
    """Remove temp files of ``final`` left beside it by killed processes."""
    p = Path(final)
    return sweep_stale(p.parent, temp_file_pattern(p.name))


SCRATCH_PATTERN = re.compile(r"anthology-(?P<pid>\d+)-[A-Za-z0-9_]+")
