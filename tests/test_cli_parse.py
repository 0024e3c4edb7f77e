"""``publisher parse``: the outline an editor reads, ``--json``, and bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.model import Issue
from publisher.reader import read_issue

from conftest import SAMPLE, corpus_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "other-magazine.txt"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "publisher", "parse", *args], capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_outline_of_the_sample_lists_columns_articles_and_counts():
    r = run(str(SAMPLE))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.splitlines()[0] == "青溪决策参考 2024年第2期"
    assert "5 columns, 7 articles, 0 warnings; 目录 at lines 11–36" in out
    for col in ("【卷首语】", "【政策资讯】", "【领导讲话】", "【调查研究】", "【清溪文苑】"):
        assert col in out
    # one line per article: id, page, kind, title
    assert any(ln.split()[:4] == ["a03", "p.5", "speech", "在全县项目建设推进大会上的讲话"] for ln in out.splitlines())
    assert "authors:  中共青溪县委书记 林振东" in out
    assert "kicker:   国务院办公厅印发" in out
    assert "subtitle: ——写给云雾山的采茶人" in out
    assert "1 salutation" in out and "1 verse" in out


def test_outline_shows_warnings_with_lines():
    r = run(str(FIXTURE))
    assert r.returncode == 0, r.stderr
    warn = r.stdout.split("\nwarnings:\n", 1)[1].splitlines()
    assert any(ln.split()[:3] == ["R201", "line", "102:"] for ln in warn)
    assert any(ln.split()[:3] == ["R202", "line", "17:"] for ln in warn)


def test_outline_of_the_whole_corpus_issue():
    r = run(str(corpus_file("000")))
    assert r.returncode == 0, r.stderr
    assert "8 columns, 18 articles" in r.stdout
    assert "【专题聚焦 · 建设县域经济强县】" in r.stdout
    assert "authors:  沫声" in r.stdout


@pytest.mark.parametrize("path", [SAMPLE, FIXTURE])
def test_json_is_the_model(path):
    r = run(str(path), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data == read_issue(path).to_json()
    assert Issue.from_json(data).to_json() == data


def test_bad_input_is_one_line_and_nonzero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    for p in (tmp_path / "missing.txt", empty, binary):
        r = run(str(p))
        assert r.returncode != 0, p
        assert r.stdout == ""
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("publisher: error:"), r.stderr
        assert "Traceback" not in r.stderr


def test_gb18030_and_utf16_inputs_parse_like_utf8(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    want = read_issue(SAMPLE).to_json()["columns"]
    for enc in ("gb18030", "utf-16"):
        p = tmp_path / f"sample-{enc}.txt"
        p.write_bytes(text.encode(enc))
        r = run(str(p), "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["columns"] == want


# --- parse --to markdown (issue 13): the publisher source --------------------------------


def test_to_markdown_writes_the_source_and_reads_it_back(tmp_path):
    src = tmp_path / "sample.md"
    r = run(str(SAMPLE), "--to", "markdown", "-o", str(src))
    assert r.returncode == 0 and r.stdout == "", r.stderr
    text = src.read_text(encoding="utf-8")
    assert text.startswith("---\npublisher-source: 1\n")
    assert run(str(SAMPLE), "--to", "markdown").stdout == text  # stdout without -o
    again = run(str(src), "--to", "markdown")  # the source of the source is itself
    assert again.returncode == 0 and again.stdout == text
    outline_ = run(str(src))
    assert "layout: publisher source (Markdown), read as written" in outline_.stdout
    assert "5 columns, 7 articles, 0 warnings" in outline_.stdout
    as_json = Issue.loads(run(str(src), "--to", "json").stdout)
    assert [a.title for a in as_json.articles] == [a.title for a in read_issue(SAMPLE).articles]


def test_to_markdown_never_overwrites_its_input_and_errors_are_one_line(tmp_path):
    src = tmp_path / "sample.md"
    src.write_text(run(str(SAMPLE), "--to", "markdown").stdout, encoding="utf-8")
    before = src.read_bytes()
    r = run(str(src), "--to", "markdown", "-o", str(src))
    assert r.returncode != 0 and "overwrite the input" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert src.read_bytes() == before
    src.write_text(before.decode("utf-8").replace("::: kicker", "::: kiker"), encoding="utf-8")
    r = run(str(src))
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert f"{src}: line " in r.stderr and "unknown div ::: kiker" in r.stderr
    assert run(str(SAMPLE), "--json", "--to", "markdown").returncode == 2
