"""``publisher validate --a11y``: DAISY Ace (npm @daisy/ace in Debian's chromium, set up by
scripts/bootstrap.sh) on a book we build and on the same book broken the two ways Ace
found in our books before (issue 14 §4): no xml:lang on <package>, a skipped heading level."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from epub_fixtures import magazine_issue
from publisher.epub import write_epub
from publisher.validate.a11y import findings

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "publisher", "validate", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=900)


def test_ace_report_becomes_findings_with_rule_ids():
    report = json.loads((FIXTURES / "ace-report-violations.json").read_text(encoding="utf-8"))
    got = findings(report, "book.epub")
    assert [(c.code, c.severity, c.message.split(" ")[0]) for c in got] == [
        ("ACE", "error", "epub-lang"), ("ACE", "warning", "heading-order")]
    assert got[0].location == "EPUB/content.opf" and "xml:lang" in got[0].message
    assert got[1].location == "text/a03.xhtml #a03-s1" and "Heading order invalid" in got[1].message
    assert all(c.fails for c in got)
    assert findings({"assertions": [{"earl:testSubject": {"url": "nav.xhtml"}, "assertions": []}]}, "b.epub") == []


@pytest.mark.parametrize("env, words", [
    ({"PUBLISHER_ACE": "/nonexistent/ace-puppeteer"}, "PUBLISHER_ACE"),
    ({"PUPPETEER_EXECUTABLE_PATH": "/nonexistent/chromium"}, "PUPPETEER_EXECUTABLE_PATH"),
])
def test_missing_ace_or_chromium_is_one_line_and_exit_2(tmp_path, env, words):
    book = write_epub(magazine_issue(), tmp_path / "issue.epub", embed_fonts=False)
    r = cli(book, "--a11y", "--no-epubcheck", env=env)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and words in lines[0], r.stderr
    assert "Traceback" not in r.stderr and "bootstrap.sh" in lines[0]


def _broken(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "EPUB/content.opf":
                data = data.replace(b' xml:lang="zh-CN"', b"", 1)
            elif info.filename == "EPUB/text/a03.xhtml":
                data = re.sub(rb'<h3 (id="a03-s1"[^>]*)>(.*?)</h3>', rb"<h5 \1>\2</h5>", data, count=1)
            zout.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype"
                          else zipfile.ZIP_DEFLATED)
    return dst


def test_ace_passes_our_book_and_names_what_is_broken(tmp_path):
    good = write_epub(magazine_issue(), tmp_path / "issue.epub")
    bad = _broken(good, tmp_path / "broken.epub")
    r = cli(good, bad, "--a11y", "--no-epubcheck", "--json")
    assert r.returncode == 1, r.stderr
    files = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    assert "ACE" in files["issue.epub"]["checks_run"] and files["issue.epub"]["results"] == []
    rules = sorted(c["message"].split(" ")[0] for c in files["broken.epub"]["results"] if c["code"] == "ACE")
    assert rules == ["epub-lang", "heading-order"], files["broken.epub"]["results"]
