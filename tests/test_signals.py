"""The signal matrix (issue 12): SIGINT, SIGTERM, SIGKILL × ``build --pdf`` and ``anthology``.

Each run is stopped while its workers typeset; afterwards no process of its group is
left (workers die with their parent, procs.die_with_parent), the old output is
byte-identical, and no temp file or scratch folder is left — after SIGKILL, once the
next run's sweep has run (temp names carry the pid of the process that made them).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

OLD = b"%PDF-1.7\n% the previous output, to be kept intact\n%%EOF\n"


def _long_sample(times: int) -> str:
    """The sample with its longest paragraph printed ``times`` times: the sample alone is
    typeset in about half a second once the worker is up, and a fast machine finished the
    build before the signal came (CI saw the new PDF in place of the old).  1,000 copies
    keep a worker busy for about 3 s; the test signals it 0.4 s after it appears."""
    text = SAMPLE.read_text(encoding="utf-8")
    longest = max(text.splitlines(), key=len)
    return text.replace(longest, "\n\n".join([longest] * times), 1)


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid``, from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(d))
    return out


def _wait_for_workers(proc, n: int, limit: float = 25.0) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        assert proc.poll() is None, "finished before it could be stopped"
        if len([p for p in _group(proc.pid) if p != proc.pid]) >= n:
            time.sleep(0.4)  # the workers are typesetting
            return
        time.sleep(0.05)
    pytest.fail("no worker process appeared")


def _run(cmd, env, workers: int, sig: int):
    proc = subprocess.Popen([sys.executable, "-m", "publisher", *map(str, cmd)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for_workers(proc, workers)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # a terminal's Ctrl-C reaches the whole group
    else:
        os.kill(proc.pid, sig)  # `kill PID`, the OOM killer: the parent alone
    _, err = proc.communicate(timeout=30)
    t0 = time.monotonic()
    while _group(proc.pid) and time.monotonic() - t0 < 5:
        time.sleep(0.05)
    return proc.returncode, err, _group(proc.pid)


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env["TMPDIR"] = str(tmp)
    env.pop("PUBLISHER_DEBUG", None)
    return env


def _leftovers(*folders: Path) -> list[str]:
    return sorted(p.name for f in folders for p in f.iterdir() if p.name.endswith(".tmp")
                  or p.name.startswith("anthology-"))


SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
CODES = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -signal.SIGKILL}


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_build_pdf_stopped(tmp_path, sig):
    from publisher.textio import staged_outputs

    outdir, tmp = tmp_path / "out", tmp_path / "tmp"
    outdir.mkdir()
    tmp.mkdir()
    old = outdir / "sample-issue.pdf"
    old.write_bytes(OLD)
    src = tmp_path / "sample-issue.txt"
    src.write_text(_long_sample(1000), encoding="utf-8")
    shutil.copyfile(SAMPLE.with_suffix(".toml"), src.with_suffix(".toml"))  # its sidecar: no warnings
    rc, err, alive = _run(["build", src, "--pdf", "-o", outdir], _env(tmp), 1, sig)
    assert alive == [], f"processes left: {alive}"
    assert rc == CODES[sig], err
    if sig != signal.SIGKILL:
        assert err.strip() == "publisher: interrupted"
    assert sorted(p.name for p in outdir.iterdir() if not p.name.endswith(".tmp")) == [old.name]
    assert old.read_bytes() == OLD  # the build writes sample-issue.pdf (commands/build.output_name)
    if sig == signal.SIGKILL:
        assert all(n.startswith(".sample-issue.pdf.") for n in _leftovers(outdir, tmp))
        # The next run sweeps the temp files of dead processes before writing its own.
        with pytest.raises(RuntimeError), staged_outputs([old]):
            raise RuntimeError("stop")
    assert _leftovers(outdir, tmp) == []
    assert old.read_bytes() == OLD


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_anthology_stopped(tmp_path, sig):
    from publisher.procs import SCRATCH_PATTERN, sweep_stale, sweep_temp_files

    outdir, tmp, folder = tmp_path / "out", tmp_path / "tmp", tmp_path / "in"
    for d in (outdir, tmp, folder):
        d.mkdir()
    out = outdir / "book.pdf"
    out.write_bytes(OLD)
    text = _long_sample(400)  # about 2 s of typesetting per pair of workers
    inputs = []
    for k, (a, b) in enumerate(("的之", "是系", "在于")):  # distinct issues
        p = folder / f"i{k}.txt"
        p.write_text(text.replace(a, b), encoding="utf-8")
        inputs.append(p)
    rc, err, alive = _run(["anthology", *inputs, "-o", out, "--no-cache", "-j", "2"], _env(tmp), 2, sig)
    assert alive == [], f"processes left: {alive}"
    assert rc == CODES[sig], err
    assert out.read_bytes() == OLD
    if sig == signal.SIGKILL:
        left = _leftovers(outdir, tmp)
        assert all(n.startswith((".book.pdf.", "anthology-")) for n in left), left
        # What the next run does first (plan.build_anthology, textio.atomic_output).
        sweep_stale(tmp, SCRATCH_PATTERN)
        sweep_temp_files(out)
    assert _leftovers(outdir, tmp) == []
    assert out.read_bytes() == OLD


IMPORT_SIGNALLED = """
import os, signal, sys, time
sys.path.insert(0, sys.argv[1])
from publisher.procs import Terminated, terminate_like_interrupt
terminate_like_interrupt()
try:
    import signalled_module  # its top level signals this process, then goes on for 0.2 s
except KeyboardInterrupt as e:
    print("unwound inside the import", type(e).__name__)
    sys.exit(1)
try:
    time.sleep(5)
except KeyboardInterrupt as e:
    print("after", signalled_module.DONE, type(e).__name__)
    sys.exit(0)
print("never delivered")
sys.exit(2)
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: signal.Signals(s).name)
def test_no_unwind_inside_an_import(tmp_path, sig):
    """CI once saw SIGTERM land while pikepdf was being imported: the exception raised inside
    nanobind's enum creation aborted the process (SIGABRT, exit -6).  A signal that comes during
    an import is delivered again once the import is over (procs._defer)."""
    (tmp_path / "signalled_module.py").write_text(
        "import os, time\n"
        f"os.kill(os.getpid(), {int(sig)})\n"
        "t = time.monotonic()\n"
        "while time.monotonic() - t < 0.2:\n"
        "    pass\n"
        "DONE = True\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", IMPORT_SIGNALLED, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=30)
    name = "Terminated" if sig == signal.SIGTERM else "KeyboardInterrupt"
    assert (out.returncode, out.stdout.strip()) == (0, f"after True {name}"), out.stderr
