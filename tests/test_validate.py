"""The validator on files made from scratch (tests/validate_samples.py): good files pass
every check, the CSS cascade finds the right font, reports parse, codes are documented.

Broken outputs and broken inputs are in test_faults.py; real builds in test_end_to_end.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import etree

from publisher.errors import PublisherError
from publisher.validate import CODES, collect, validate
from publisher.validate import css as csslib
from publisher.validate.epub import check_epub
from publisher.validate.titles import norm_title
from publisher.validate.pdf import check_pdf
from publisher.validate.report import as_json, human, junit

from validate_samples import EpubFaults, PdfFaults, make_epub, make_pdf

ROOT = Path(__file__).resolve().parent.parent
EPUB_CODES = [c for c, v in CODES.items() if v.kind == "epub" and c not in ("EPUBCHECK", "ACE", "E105")]


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    d = tmp_path_factory.mktemp("good")
    return {
        "epub": make_epub(d / "issue.epub"),
        "pdf": make_pdf(d / "issue.pdf"),
        "print": make_pdf(d / "issue-print.pdf", PdfFaults(print_mode=True)),
    }


def test_good_epub_passes_every_own_check(good):
    r = check_epub(str(good["epub"]))
    assert r.checks == []
    assert set(EPUB_CODES) <= set(r.ran), set(EPUB_CODES) - set(r.ran)


def test_good_pdfs_pass_every_check(good):
    r = check_pdf(str(good["pdf"]))
    assert r.checks == []
    assert {"P001", "P100", "P101", "P102", "P200", "P201", "P203", "P300", "P301", "P302", "P400", "P500", "P501"} <= set(r.ran)
    assert "P401" not in r.ran  # a screen PDF: no page-count rule
    rp = check_pdf(str(good["print"]))
    assert rp.checks == []
    assert "P401" in rp.ran  # TrimBox inside MediaBox: built for print


def test_outline_entry_whose_title_is_not_on_its_page(tmp_path):
    r = check_pdf(str(make_pdf(tmp_path / "o.pdf", PdfFaults(outline_label="目录里没有的书签"))))
    assert [(c.code, c.location) for c in r.checks] == [("P203", "")]
    assert "'目录里没有的书签' points to page 3" in r.checks[0].message


def test_contents_numbers_before_titles(tmp_path):
    """Entries printed as "12 标题" are contents entries too, checked the same way."""
    ok = check_pdf(str(make_pdf(tmp_path / "nf.pdf", PdfFaults(number_first=True))))
    assert ok.checks == [] and "P300" in ok.ran
    bad = check_pdf(str(make_pdf(tmp_path / "nf-wrong.pdf", PdfFaults(number_first=True, wrong_numbers=True))))
    assert [c.code for c in bad.checks] == ["P300"] * 3
    assert "'春风又绿江南岸' says page 3" in bad.checks[0].message


def test_source_titles_compared(good):
    from validate_samples import COLUMNS

    titles = [t for _, arts in COLUMNS for _, t, _ in arts]
    assert check_epub(str(good["epub"]), titles).checks == []
    assert check_pdf(str(good["pdf"]), titles).checks == []
    swapped = [titles[1], titles[0]] + titles[2:]
    bad = check_epub(str(good["epub"]), swapped + ["不存在的文章"])
    assert {c.code for c in bad.checks} == {"E105"}
    assert any("不存在的文章" in c.message and "missing" in c.message for c in bad.checks)
    assert any("out of order" in c.message for c in bad.checks)
    badp = check_pdf(str(good["pdf"]), titles + ["不存在的文章"])
    assert [c.code for c in badp.checks] == ["P202"]


# --------------------------------------------------------------------------- CSS


def _styles(css: str, body: str) -> dict[str, tuple]:
    sheet = csslib.Sheet()
    csslib.add_stylesheet(sheet, css, "s.css")
    root = etree.fromstring(f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>{body}</body></html>')
    out: dict[str, tuple] = {}
    for style, text, _ in csslib.styled_text(root, sheet):
        for ch in text.strip():
            out.setdefault(ch, (style.families[0], style.weight))
    return out


def test_cascade_finds_the_font_of_each_character():
    css = """
    @font-face { font-family: "Pub Song"; src: url(f/song.otf); }
    html { font-family: "Pub Song", serif; }
    h1, .t { font: bold 1.2em/1.4 "Pub Hei", sans-serif; }
    p.kai { font-family: 'Pub Kai'; }
    #x { font-weight: 700; }
    strong { font-weight: bolder; }
    .by::before { content: "文"; font-family: "Pub Fangsong"; }
    @media print { p { font-family: "Print Only"; } }
    """
    s = _styles(css, '<h1>题</h1><p>正<strong>强</strong></p><p class="kai" id="x">楷</p>'
                     '<p class="by">者</p><p style="font-family: Pub Hei">黑</p><div class="t">标</div>')
    assert s["题"] == ("pub hei", 700)
    assert s["正"] == ("pub song", 400)
    assert s["强"] == ("pub song", 700)  # bolder than 400
    assert s["楷"] == ("pub kai", 700)  # id selector adds weight, class sets family
    assert s["文"] == ("pub fangsong", 400)  # ::before content counts as text
    assert s["者"] == ("pub song", 400)
    assert s["黑"] == ("pub hei", 400)  # inline style wins
    assert s["标"] == ("pub hei", 700)  # font shorthand


def test_font_matching_follows_css_fonts():
    faces = [csslib.FontFaceRule("a", w, "normal", ()) for w in (300, 400, 700)]
    assert csslib.pick_face(faces, 400).weight == 400
    assert csslib.pick_face(faces, 600).weight == 700
    assert csslib.pick_face(faces, 900).weight == 700
    assert csslib.pick_face(faces, 500).weight == 400
    assert csslib.pick_face(faces, 200).weight == 300
    only_regular = [csslib.FontFaceRule("a", 400, "normal", ())]
    assert csslib.pick_face(only_regular, 700).weight == 400  # synthesised bold uses the regular file


def test_norm_title_ignores_spacing_and_punctuation():
    assert norm_title("坚持首位战略 凝心聚力") == norm_title("坚持首位战略凝心聚力")
    assert norm_title("“农业强 农村美”") == norm_title("农业强农村美")
    assert norm_title("清廉") != norm_title("勤廉")


# --------------------------------------------------------------------------- paths


def test_collect_folders_and_usage_errors(tmp_path, good):
    d = tmp_path / "build"
    d.mkdir()
    for name in ("b.epub", "a.pdf"):
        (d / name).write_bytes(good["epub" if name.endswith("epub") else "pdf"].read_bytes())
    (d / "notes.txt").write_text("x")
    (d / ".cache").mkdir()
    (d / ".cache" / "x.pdf").write_bytes(b"%PDF")
    (d / ".a.pdf.123.tmp").write_bytes(b"")
    (d / "sub").mkdir()
    (d / "sub" / "c.epub").write_bytes(good["epub"].read_bytes())
    assert [p.name for p in collect([d])] == ["a.pdf", "b.epub"]
    assert [p.name for p in collect([d], recursive=True)] == ["a.pdf", "b.epub", "c.epub"]
    assert [p.name for p in collect([d / "a.pdf", d, d / "a.pdf"])] == ["a.pdf", "b.epub"]  # no duplicates
    for bad, words in ((tmp_path / "missing.epub", "no such file"), (d / "notes.txt", "not an EPUB or PDF")):
        with pytest.raises(PublisherError) as e:
            collect([bad])
        assert e.value.code == 2 and words in e.value.message
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PublisherError) as e:
        collect([empty])
    assert e.value.code == 2 and "no EPUB or PDF" in e.value.message


# --------------------------------------------------------------------------- reports


def test_reports_human_json_junit(tmp_path, good):
    broken = make_epub(tmp_path / "broken.epub", EpubFaults(drop_nav_entry="a02"))
    results = validate([good["pdf"], broken], epubcheck=False)
    text = human(results)
    assert re.search(r"broken\.epub:EPUB/nav\.xhtml: E101 error: article '坚持首位战略 凝心聚力发展' .* is not in the nav", text)
    assert "issue.pdf: ok (PDF" in text and "broken.epub: FAILED (EPUB" in text
    assert text.rstrip().endswith("1 of 2 files passed")

    doc = json.loads(as_json(results))
    assert doc["passed"] is False
    assert doc["summary"] == {"files": 2, "passed": 1, "errors": 1, "warnings": 0, "usage": 0}
    f = {Path(x["path"]).name: x for x in doc["files"]}
    assert f["issue.pdf"]["passed"] and f["issue.pdf"]["results"] == []
    assert [c["code"] for c in f["broken.epub"]["results"]] == ["E101"]
    assert set(f["broken.epub"]["results"][0]) == {"code", "severity", "file", "location", "message"}

    root = ET.fromstring(junit(results))
    assert root.tag == "testsuites" and root.get("failures") == "1"
    suites = {Path(s.get("name")).name: s for s in root}
    assert int(suites["issue.pdf"].get("tests")) >= 12 and suites["issue.pdf"].get("failures") == "0"
    failed = [tc for tc in suites["broken.epub"] if tc.find("failure") is not None]
    assert [tc.get("name").split()[0] for tc in failed] == ["E101"]
    assert "is not in the nav" in failed[0].find("failure").text


def test_codes_are_documented_in_both_tables():
    """docs/validate.md and the package docstring list exactly the codes of checks.CODES."""
    import publisher.validate as v

    doc_codes = set(re.findall(r"^(V\d{3}|E\d{3}|P\d{3}|EPUBCHECK|ACE)\s", v.__doc__, re.M))
    assert doc_codes == set(CODES)
    md = (ROOT / "docs" / "validate.md").read_text(encoding="utf-8")
    md_codes = set(re.findall(r"^\| `?(V\d{3}|E\d{3}|P\d{3}|EPUBCHECK|ACE)`? \|", md, re.M))
    assert md_codes == set(CODES)
    for code, info in CODES.items():
        assert info.title in md, f"docs/validate.md: title of {code} differs"


# --------------------------------------------------------------------------- EPUBCheck


def test_validate_command_exit_codes(tmp_path, good):
    exe = [sys.executable, "-m", "publisher", "validate"]
    ok = subprocess.run(exe + [str(good["pdf"]), "--json"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["passed"] is True
    bad = make_pdf(tmp_path / "wrong.pdf", PdfFaults(wrong_numbers=True))
    junit_file = tmp_path / "out" / "junit.xml"
    r = subprocess.run(exe + [str(bad), str(good["pdf"]), "--junit", str(junit_file)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "P300 error" in r.stdout
    assert ET.parse(junit_file).getroot().get("failures") == "1"
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in ([str(tmp_path / "nope.pdf")], [str(empty)], []):
        u = subprocess.run(exe + args, capture_output=True, text=True)
        assert u.returncode == 2, (args, u.stdout, u.stderr)
        assert u.stderr.strip() and "Traceback" not in u.stderr
