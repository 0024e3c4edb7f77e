"""``validate --a11y``: DAISY Ace's accessibility checks of an EPUB, under our code ACE.

Ace (npm ``@daisy/ace``, installed by ``scripts/bootstrap.sh setup`` into
``.tools/ace``) runs axe-core in a headless Chromium (Debian's ``chromium``) over every
content document, plus its own EPUB rules (``epub-lang``, ``epub-pagesource``,
``metadata-*``).  Each violation is one finding: code ``ACE``, Ace's rule id first in
the message (``heading-order: …``), the document and the element as location.  Ace
needs far more memory than the sandbox of our own checks allows, so it runs as a child
process of its own with a wall-clock limit.

Where Ace is looked for: ``$PUBLISHER_ACE`` (the ``ace-puppeteer`` script), then
``.tools/ace/node_modules/.bin/ace-puppeteer`` in the project, then ``ace-puppeteer``
on PATH.  Chromium: ``$PUPPETEER_EXECUTABLE_PATH``, then ``chromium`` /
``chromium-browser`` on PATH.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import PublisherError
from ..paths import ROOT
from .checks import ERROR, WARNING, Check

ACE_VERSION = "1.4.6"  # the version setup installs (scripts/bootstrap.sh)
ACE_ENV = "PUBLISHER_ACE"
LOCAL_ACE = ROOT / ".tools" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"
WALL_SECONDS = 600
# axe-core impacts: critical and serious are errors, moderate and minor warnings; every
# violation fails, as EPUBCheck's warnings do.
SERIOUS = ("critical", "serious")
SETUP_HINT = "run scripts/bootstrap.sh setup (npm @daisy/ace and Debian's chromium)"


def ace_path() -> Path:
    """The ace-puppeteer script; PublisherError (code 2) when there is none."""
    env = os.environ.get(ACE_ENV, "").strip()
    if env:
        p = Path(env)
        if p.is_file() and os.access(p, os.X_OK):
            return p
        raise PublisherError(f"--a11y: ${ACE_ENV}={env} is not an executable file; {SETUP_HINT}", code=2)
    if LOCAL_ACE.exists() and os.access(LOCAL_ACE, os.X_OK):
        return LOCAL_ACE
    found = shutil.which("ace-puppeteer")
    if found:
        return Path(found)
    raise PublisherError(f"--a11y needs DAISY Ace, which is not installed; {SETUP_HINT}", code=2)


def chromium_path() -> Path:
    env = os.environ.get("PUPPETEER_EXECUTABLE_PATH", "").strip()
    if env:
        if Path(env).is_file():
            return Path(env)
        raise PublisherError(f"--a11y: PUPPETEER_EXECUTABLE_PATH={env} is not a file; {SETUP_HINT}", code=2)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise PublisherError(f"--a11y needs a Chromium for DAISY Ace, and none is installed; {SETUP_HINT}", code=2)


def require_ace() -> None:
    """Ace and Chromium both found, before any slow work (code 2 otherwise)."""
    ace_path()
    chromium_path()


def findings(report: dict, epub: str) -> list[Check]:
    """Ace's report.json as our findings (pure: tested on Ace's own report shape)."""
    out: list[Check] = []
    for doc in report.get("assertions") or []:
        subject = (doc.get("earl:testSubject") or {}).get("url", "")
        for a in doc.get("assertions") or []:
            if (a.get("earl:result") or {}).get("earl:outcome") != "fail":
                continue
            test = a.get("earl:test") or {}
            rule = test.get("dct:title") or "ace"
            impact = test.get("earl:impact") or "serious"
            result = a.get("earl:result") or {}
            what = " ".join(str(result.get("dct:description") or (test.get("help") or {}).get("dct:description")
                                or test.get("dct:description") or "").split())
            pointer = result.get("earl:pointer") or {}
            css = pointer.get("css") or []
            where = subject + (f" {css[0]}" if css else "")
            sev = ERROR if impact in SERIOUS else WARNING  # both fail
            out.append(Check("ACE", sev, epub, where, f"{rule} ({impact}): {what}".strip()))
    return out


def run_ace(epub: str) -> list[Check]:
    """Ace's findings for one EPUB; a run that gives no report is one ACE error."""
    ace, chromium = ace_path(), chromium_path()
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(chromium), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    with tempfile.TemporaryDirectory(prefix="publisher-ace-") as tmp:
        out = Path(tmp) / "report"
        cmd = [str(ace), "--silent", "--force", "--outdir", str(out), "--tempdir", str(Path(tmp) / "unzipped"), str(epub)]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, timeout=WALL_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return [Check("ACE", ERROR, epub, "", f"DAISY Ace did not finish within {WALL_SECONDS} s")]
        except OSError as e:
            return [Check("ACE", ERROR, epub, "", f"DAISY Ace could not be started ({e.strerror})")]
        report = out / "report.json"
        if not report.is_file():
            tail = " ".join((proc.stderr or proc.stdout).decode("utf-8", "replace").split())[-300:]
            return [Check("ACE", ERROR, epub, "", f"DAISY Ace gave no report (exit {proc.returncode}): {tail}")]
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            return [Check("ACE", ERROR, epub, "", f"DAISY Ace's report cannot be read ({e})")]
    return findings(data, epub)
