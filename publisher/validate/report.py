"""Three ways to report validation results: for people, for programs (JSON), for CI (JUnit XML)."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from .checks import CODES, FAILING, FileResult


def human(results: list[FileResult], color: bool = False, info: dict | None = None) -> str:
    """One line per finding, ``file:location: CODE severity: message``, then a summary per file."""
    lines: list[str] = []

    def paint(s: str, code: str) -> str:
        return f"\x1b[{code}m{s}\x1b[0m" if color else s

    for r in results:
        for c in r.checks:
            where = f"{r.path}:{c.location}" if c.location else r.path
            sev = paint(c.severity, "31" if c.severity == "error" else "33" if c.severity == "warning" else "36")
            lines.append(f"{where}: {c.code} {sev}: {c.message}")
        n_fail = len(r.failing())
        n_usage = len(r.checks) - n_fail
        status = paint("ok", "32") if r.passed else paint("FAILED", "31")
        extra = f", {n_usage} usage note{'s' if n_usage != 1 else ''}" if n_usage else ""
        fails = f", {n_fail} problem{'s' if n_fail != 1 else ''}" if n_fail else ""
        lines.append(f"{r.path}: {status} ({r.kind.upper()}, {len(r.ran)} checks{fails}{extra}, {r.seconds:.1f} s)")
    ec = (info or {}).get("epubcheck")
    if ec:
        how = "one Java run" if ec.get("jvm_runs") == 1 else f"{ec.get('jvm_runs')} Java runs"
        lines.append(f"EPUBCheck: {ec['files']} EPUB{'s' if ec['files'] != 1 else ''} in {how}, {ec['seconds']:.1f} s")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} of {len(results)} file{'s' if len(results) != 1 else ''} passed")
    return "\n".join(lines) + "\n"


def as_json(results: list[FileResult], info: dict | None = None) -> str:
    doc = {
        "passed": all(r.passed for r in results),
        "files": [
            {
                "path": r.path,
                "kind": r.kind,
                "passed": r.passed,
                "checks_run": r.ran,
                "seconds": round(r.seconds, 3),
                "results": [c.to_json() for c in r.checks],
            }
            for r in results
        ],
        "summary": {
            "files": len(results),
            "passed": sum(r.passed for r in results),
            "errors": sum(1 for r in results for c in r.checks if c.severity == "error"),
            "warnings": sum(1 for r in results for c in r.checks if c.severity == "warning"),
            "usage": sum(1 for r in results for c in r.checks if c.severity not in FAILING),
        },
    }
    if info and info.get("epubcheck"):
        doc["epubcheck"] = info["epubcheck"]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _line(c, path: str) -> str:
    return f"{c.location or path}: {c.code} {c.severity}: {c.message}"


def junit(results: list[FileResult]) -> bytes:
    """JUnit XML: one testsuite per file, one testcase per check code that ran."""
    suites = ET.Element("testsuites", name="publisher validate")
    total_tests = total_fail = 0
    for r in results:
        suite = ET.SubElement(suites, "testsuite", name=r.path, time=f"{r.seconds:.3f}")
        by_code: dict[str, list] = {}
        for c in r.checks:
            # EPUBCheck's own IDs (RSC-005, …) are grouped under one EPUBCHECK testcase.
            by_code.setdefault(c.code if c.code in CODES else "EPUBCHECK", []).append(c)
        codes = list(r.ran) + [c for c in by_code if c not in r.ran]
        n_fail = 0
        for code in codes:
            info = CODES.get(code)
            title = info.title if info else "EPUBCheck"
            tc = ET.SubElement(suite, "testcase", classname=r.path, name=f"{code} {title}")
            found = by_code.get(code, [])
            failing = [c for c in found if c.fails]
            if failing:
                n_fail += 1
                f = ET.SubElement(tc, "failure", type=code,
                                  message=f"{len(failing)} problem{'s' if len(failing) != 1 else ''}: {failing[0].message}")
                f.text = "\n".join(_line(c, r.path) for c in failing)
            notes = [c for c in found if not c.fails]
            if notes:
                so = ET.SubElement(tc, "system-out")
                so.text = "\n".join(_line(c, r.path) for c in notes)
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        total_tests += len(codes)
        total_fail += n_fail
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_fail))
    suites.set("errors", "0")
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"
