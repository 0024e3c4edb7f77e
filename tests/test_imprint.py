"""The imprint of an internal publication (issue 15 item 3): 准印证号, 编印单位, 印刷单位,
印数, 发送对象 and the 内部资料 notice come from the sidecar (or the Markdown source's front
matter), are checked like every metadata value, and are printed in the EPUB's colophon
and after the PDF's contents.  An issue without them is built as before."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from conftest import ROOT, SAMPLE
from publisher.metadata import imprint_rows
from publisher.model import Meta

PUBLISHER = [sys.executable, "-m", "publisher"]
IMPRINT = ('permit_no = "湘内资准字(2024)第0123号"\ncompiled_by = "中共青溪县委政策研究室"\n'
           'printed_by = "青溪县印刷厂"\ncopies = 1500\ndistribution = "全县各级党政机关"\n'
           'internal_notice = "内部资料 免费交流"\n')
ROWS = [("准印证号", "湘内资准字(2024)第0123号"), ("编印单位", "中共青溪县委政策研究室"), ("印刷单位", "青溪县印刷厂"),
        ("印数", "1500册"), ("发送对象", "全县各级党政机关")]


def run(*args, cwd=None):
    return subprocess.run([*PUBLISHER, *map(str, args)], capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("imprint")
    src = d / SAMPLE.name
    shutil.copy(SAMPLE, src)
    src.with_suffix(".toml").write_text(SAMPLE.with_suffix(".toml").read_text(encoding="utf-8") + "\n" + IMPRINT,
                                        encoding="utf-8")
    r = run("build", src, "-o", d / "out")
    assert r.returncode == 0, r.stderr
    return d, src


def test_imprint_rows_in_order_and_only_those_given():
    m = Meta(permit_no="湘内资准字(2024)第0123号", copies=1500, distribution="全县各级党政机关")
    assert imprint_rows(m) == [("准印证号", "湘内资准字(2024)第0123号"), ("印数", "1500册"), ("发送对象", "全县各级党政机关")]
    assert imprint_rows(Meta()) == []


def test_epub_colophon_carries_the_imprint(built):
    d, src = built
    with zipfile.ZipFile(d / "out" / f"{src.stem}.epub") as z:
        name = next(n for n in z.namelist() if "colophon" in n and n.endswith(".xhtml"))
        html = z.read(name).decode("utf-8")
    root = etree.fromstring(html.encode("utf-8"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    text = lambda e: "".join(e.itertext()).replace(" ", "")  # the typography's spans and hair spaces
    dts, dds = root.findall(".//h:dt", ns), root.findall(".//h:dd", ns)
    rows = [(text(t), text(v)) for t, v in zip(dts, dds)]
    assert rows[-len(ROWS):] == [(k, v.replace(" ", "")) for k, v in ROWS]  # after the issue's own rows
    notes = [text(p) for p in root.findall(".//h:p[@class='colophon-note']", ns)]
    assert notes[0] == "内部资料免费交流"


def test_pdf_prints_the_imprint_after_the_contents(built):
    d, src = built
    text = subprocess.run(["pdftotext", "-layout", d / "out" / f"{src.stem}.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    contents = next(i for i, p in enumerate(pages) if "CONTENTS" in p)
    page = pages[contents]
    assert "内部资料 免费交流" in page
    for label, value in ROWS:
        assert f"{label}：{value}" in page, label
    assert page.index("春到茶山") < page.index("准印证号")  # after the last entry


def test_parse_json_carries_the_imprint_and_fits_the_schema(built):
    import jsonschema

    d, src = built
    r = run("parse", src, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["meta"]["copies"] == 1500 and doc["meta"]["permit_no"] == ROWS[0][1]
    jsonschema.validate(doc, json.loads((ROOT / "publisher" / "issue.schema.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("value, says", [('"很多"', "copies must be a whole number"), ("0", "copies must be a number of copies from 1")])
def test_bad_copies_is_one_line(tmp_path, value, says):
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    src.with_suffix(".toml").write_text(f"copies = {value}\n", encoding="utf-8")
    r = run("parse", src)
    assert r.returncode != 0 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_markdown_source_front_matter_carries_the_imprint(tmp_path):
    """The Markdown source writes every Meta field in its front matter and reads it back."""
    from dataclasses import replace

    from publisher.reader import read_issue
    from publisher.source import read_source_text
    from publisher.source.writer import to_markdown

    issue = read_issue(SAMPLE)
    issue.meta = replace(issue.meta, permit_no=ROWS[0][1], printed_by=ROWS[2][1], copies=1500,
                         internal_notice="内部资料 免费交流")
    text = to_markdown(issue)
    assert "\ncopies: 1500\n" in text and '\npermit_no: "湘内资准字(2024)第0123号"\n' in text
    back = read_source_text(text, tmp_path / "issue.md").meta
    assert (back.permit_no, back.printed_by, back.copies, back.internal_notice, back.distribution) == (
        ROWS[0][1], ROWS[2][1], 1500, "内部资料 免费交流", None)
    assert imprint_rows(back) == [ROWS[0], ROWS[2], ROWS[3]]


def test_single_piece_prints_the_imprint_after_its_text(tmp_path):
    """A single piece has no contents page: its imprint follows its text."""
    from dataclasses import replace

    from epub_fixtures import single_piece
    from publisher.pdf import render_issue

    issue = single_piece()
    issue.meta = replace(issue.meta, permit_no=ROWS[0][1], copies=800)
    (tmp_path / "single.pdf").write_bytes(render_issue(issue).pdf)
    text = subprocess.run(["pdftotext", "-layout", tmp_path / "single.pdf", "-"], capture_output=True, text=True,
                          check=True).stdout
    last = [ln.strip() for ln in text.split("\f")[-2].splitlines() if ln.strip()]
    assert last[-3:-1] == [f"准印证号：{ROWS[0][1]}", "印数：800册"]  # then the folio
