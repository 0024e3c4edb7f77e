"""Each file's own checks in a child process with a memory and a time limit (issue 12).

The child is forked (the checks' modules are already loaded), becomes the leader of its
own process group (so ``pdftotext`` dies with it), sets ``RLIMIT_AS`` and ``RLIMIT_CPU``
and sends its :class:`FileResult` back through a pipe.  The parent waits up to the
wall-clock limit.  Whatever ends the child early becomes one finding with a stable code:

* V003 — the memory limit (a MemoryError, or a native abort under the address-space cap);
* V004 — the CPU or the wall-clock limit (SIGXCPU, or killed by the parent);
* V005 — any other crash of the checking process (a signal, an internal error).
"""
from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import selectors
import signal
import time

from .checks import FileResult
from .guard import DEFAULT, Limits, _size

def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit(which: int, value: int) -> None:
    """Lower a resource limit to ``value`` (never above the hard limit this process inherited)."""
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft != resource.RLIM_INFINITY:
        value = min(value, soft)
    resource.setrlimit(which, (value, hard))


def memory_limit(limits: Limits) -> int:
    """The address-space limit of the child: ``limits.memory_bytes``, or what the parent has
    already mapped plus a quarter of it when that is more (never above an inherited limit)."""
    mem = max(limits.memory_bytes, _mapped_bytes() + limits.memory_bytes // 4)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    for lim in (soft, hard):
        if lim != resource.RLIM_INFINITY:
            mem = min(mem, lim)
    return mem


def _child(fn, args, limits: Limits, mem: int, w: int) -> None:
    faulthandler.disable()  # a crash is reported by the parent, in one line
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    try:
        _limit(resource.RLIMIT_AS, mem)
        _limit(resource.RLIMIT_CPU, max(1, int(limits.cpu_seconds)))
        payload = ("ok", fn(*args))
    except MemoryError:
        payload = ("memory", "")
    except BaseException as e:  # noqa: BLE001 - reported as one line by the parent
        payload = ("crash", " ".join(f"{type(e).__name__}: {e}".split())[:300])
    try:
        data = pickle.dumps(payload)
    except Exception as e:  # noqa: BLE001
        data = pickle.dumps(("crash", f"result could not be sent: {type(e).__name__}"))
    view = memoryview(data)
    while view:
        n = os.write(w, view)
        view = view[n:]
    os.close(w)


def run_limited(fn, args: tuple, path: str, kind: str, limits: Limits = DEFAULT) -> FileResult:
    """``fn(*args)`` (a FileResult) run in a limited child; a child that ends early gives V003/V004/V005."""
    mem = memory_limit(limits)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        try:
            _child(fn, args, limits, mem, w)
        finally:
            os._exit(0)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limits.wall_seconds
    timed_out = False
    with selectors.DefaultSelector() as sel:
        sel.register(r, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if not sel.select(left):
                continue
            b = os.read(r, 1 << 16)
            if not b:
                break
            chunks.append(b)
    os.close(r)
    if timed_out:
        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
            except OSError:
                pass
    _, status = os.waitpid(pid, 0)
    try:  # the child's own children (pdftotext) go with it
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    res = FileResult(path, kind)
    limit_note = f"memory limit {_size(mem)}, CPU limit {limits.cpu_seconds} s"
    if timed_out:
        res.add("V004", f"checks stopped at the time limit ({limits.wall_seconds:.0f} s wall clock)")
        return res
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            res.add("V004", f"checks stopped at the CPU time limit ({limits.cpu_seconds} s)")
        elif sig == signal.SIGABRT:
            res.add("V003", f"checks aborted (SIGABRT), out of memory at the limit ({limit_note})")
        else:
            res.add("V005", f"the checking process was killed by {signal.Signals(sig).name} ({limit_note})")
        return res
    try:
        what, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - an empty or cut pipe
        res.add("V005", f"the checking process ended without a result (exit {os.WEXITSTATUS(status)}; {limit_note})")
        return res
    if what == "ok":
        return value
    if what == "memory":
        res.add("V003", f"checks stopped at the memory limit ({_size(mem)})")
    else:
        res.add("V005", f"internal error in the checks: {value}")
    return res
