"""``publisher build``: outputs, names, options and one-line errors."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import SAMPLE

PUBLISHER = [sys.executable, "-m", "publisher"]


def run(*args, cwd=None):
    return subprocess.run([*PUBLISHER, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    return out, run("build", SAMPLE, "-o", out)


def test_build_writes_epub_and_pdf_by_default(both):
    out, r = both
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["sample-issue.epub", "sample-issue.pdf"]
    assert r.stdout.split() == [str(out / "sample-issue.epub"), str(out / "sample-issue.pdf")]
    assert (out / "sample-issue.pdf").read_bytes()[:5] == b"%PDF-"
    with zipfile.ZipFile(out / "sample-issue.epub") as z:
        assert z.read("mimetype") == b"application/epub+zip"


def test_build_epub_only_with_name_from_metadata(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(SAMPLE.read_bytes())
    (tmp_path / "in.toml").write_text('magazine = "测试刊"\nissue_label = "2025年第1期"\nname = "test-2025-01"\n', encoding="utf-8")
    r = run("build", src, "--epub", "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["test-2025-01.epub"]
    with zipfile.ZipFile(tmp_path / "out" / "test-2025-01.epub") as z:
        assert "测试刊 2025年第1期" in z.read("EPUB/content.opf").decode()


def test_build_default_outdir_is_build(tmp_path):
    src = tmp_path / "x.txt"
    src.write_bytes(SAMPLE.read_bytes())
    r = run("build", src, "--epub", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "build" / "x.epub").is_file()


def test_no_embed_fonts(tmp_path):
    r = run("build", SAMPLE, "--epub", "--no-embed-fonts", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(tmp_path / "sample-issue.epub") as z:
        assert not [n for n in z.namelist() if "/fonts/" in n]


def test_pdf_only(tmp_path):
    r = run("build", SAMPLE, "--pdf", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["sample-issue.pdf"]


@pytest.mark.parametrize("args, words", [
    (["build", "no-such-file.txt", "--epub"], "no such file"),
    (["build", SAMPLE, "--epub", "--page-size", "huge"], "page size"),
])
def test_bad_input_is_one_line(tmp_path, args, words):
    r = run(*args, "-o", tmp_path)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())


def test_empty_and_binary_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    for p in (empty, binary):
        r = run("build", p, "--epub", "-o", tmp_path / "out")
        assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_source_is_not_modified(tmp_path):
    before = SAMPLE.read_bytes()
    r = run("build", SAMPLE, "--epub", "-o", tmp_path)
    assert r.returncode == 0 and SAMPLE.read_bytes() == before
