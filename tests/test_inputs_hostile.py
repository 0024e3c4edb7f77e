"""Hostile and careless inputs (issue 12): decoding policy, bounded reads of regular files,
one schema for the sidecar and the anthology TOML, no output over an input, all-or-none
builds.  Each shape is made here, so that the case is visible where it is tested."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.errors import PublisherError
from publisher.metadata import load_meta
from publisher.textio import decode_text, read_input, read_limited, same_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-issue.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
BODY = "实干是最好的答卷。蓝图已经绘就，关键在于落实。\n" * 40


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "publisher", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def one_line_error(r):
    lines = r.stderr.strip().splitlines()
    return r.returncode != 0 and len(lines) == 1 and "error" in lines[0] and "Traceback" not in r.stderr


# --- decoding ---------------------------------------------------------------------

def test_one_nul_inside_a_utf8_character_is_dropped_not_read_as_utf16():
    head = "标题一行\n第二行\n".encode("utf-8")
    word = "（二）".encode("utf-8")  # the NUL lands between two bytes of （
    data = head + word[:1] + b"\x00" + word[1:] + "抓招商引资。\n".encode("utf-8") + BODY.encode("utf-8")
    d = decode_text(data)
    assert d.encoding == "utf-8"
    assert d.text.splitlines()[2] == "（二）抓招商引资。"
    assert [(w.code, w.line) for w in d.warnings] == [("R001", 3)]


def test_one_nul_in_gb18030_text_is_dropped_too():
    text = "衡东决策参考\n" + BODY
    data = text.encode("gb18030")
    i = data.index("参".encode("gb18030"))
    d = decode_text(data[:i + 1] + b"\x00" + data[i + 1:])
    assert d.encoding == "gb18030" and d.text == text
    assert [(w.code, w.line) for w in d.warnings] == [("R001", 1)]


def test_utf16_without_bom_still_needs_its_nuls_on_one_parity():
    text = "关于在全党大兴调查研究的工作方案\n" * 20
    assert decode_text(text.encode("utf-16-le")).text == text
    assert decode_text(text.encode("utf-16-be")).text == text
    # NULs on both parities and many of them: binary, not text
    with pytest.raises(PublisherError, match="binary"):
        decode_text(b"\x00a\x00" * 300 + b"a\x00\x00" * 300)


def test_line_boundaries_become_line_breaks():
    d = decode_text(("甲行\u2028乙行\u2029丙行\x85丁行\x0c戊行\x0b己行\n" + BODY).encode("utf-8"))
    assert d.text.splitlines()[:6] == ["甲行", "乙行", "丙行", "丁行", "戊行", "己行"]
    # the separators are text; the control characters are named
    assert [(w.code, w.line) for w in d.warnings] == [("R002", 3), ("R002", 4), ("R002", 5)]
    assert "U+0085" in d.warnings[0].message and "U+000C" in d.warnings[1].message


def test_disallowed_and_bidi_characters_are_removed_with_the_line():
    d = decode_text(("第一行\n正文\x01第一段\ufffe继续。\n要\u202e坚持\u202d\u2066x\u2069导向\x9b。\n" + BODY)
                    .encode("utf-8"))
    assert d.text.splitlines()[1:3] == ["正文第一段继续。", "要坚持x导向。"]
    got = [(w.code, w.line) for w in d.warnings]
    assert got == [("R003", 2), ("R003", 3), ("R004", 3)]
    assert "U+0001" in d.warnings[0].message and "U+FFFE" in d.warnings[0].message
    assert "U+202E" in d.warnings[2].message and "U+2069" in d.warnings[2].message


def test_warnings_are_bounded_per_code():
    d = decode_text("".join(f"第{i}行\x01{'正文' * 120}\n" for i in range(500)).encode("utf-8"))
    r003 = [w for w in d.warnings if w.code == "R003"]
    assert len(r003) == 21 and r003[-1].line is None and "480 more lines" in r003[-1].message
    assert "\x01" not in d.text


def test_parse_lists_the_decoder_warnings(tmp_path):
    lines = SAMPLE_TEXT.split("\n")
    i = next(n for n, s in enumerate(lines) if len(s) > 20)
    lines[i] = lines[i][:5] + "\x0c" + lines[i][5:10] + "\u202e" + lines[i][10:]
    p = tmp_path / "x.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    r = run("parse", p)
    assert r.returncode == 0, r.stderr
    assert f"R002 {'line ' + str(i + 1):>9}: control character U+000C read as a line break" in r.stdout
    assert f"R004 {'line ' + str(i + 2):>9}: bidi control U+202E removed" in r.stdout


def test_text_with_controls_builds_and_validates(tmp_path):
    """\\x0c, \\x01, \\x0b, U+FFFE, C1, bidi and U+2028 in the text: build, then validate passes."""
    lines = SAMPLE_TEXT.split("\n")
    long = [n for n, s in enumerate(lines) if len(s) > 30][:6]
    for n, ch in zip(long, ["\x0c", "\x01", "\x0b", "\ufffe", "\x9b\u202e", "\u2028\u2066"]):
        lines[n] = lines[n][:12] + ch + lines[n][12:]
    src = tmp_path / "x.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    r = run("build", src, "-o", out)
    assert r.returncode == 0, r.stderr
    r = run("validate", out / "x.epub", out / "x.pdf", "--source", src)
    assert r.returncode == 0, r.stdout + r.stderr


# --- regular files, bounded -------------------------------------------------------

def test_fifo_and_device_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "issue.txt"
    os.mkfifo(fifo)
    with pytest.raises(PublisherError, match="not a regular file"):
        read_input(fifo)
    with pytest.raises(PublisherError, match="not a regular file"):
        read_input("/dev/zero")
    r = run("parse", fifo)
    assert one_line_error(r) and "not a regular file" in r.stderr


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes("正文".encode("utf-8") * 100)
    assert len(read_limited(p, 600)) == 600
    with pytest.raises(PublisherError, match="too large"):
        read_limited(p, 599)


def test_sidecar_fifo_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "a.toml")
    with pytest.raises(PublisherError, match="not a regular file"):
        load_meta(tmp_path / "a.txt")


# --- one schema for the sidecar and the anthology TOML ------------------------------

@pytest.mark.parametrize("line,words", [
    ("number = 1.5", "number must be a whole number, not 1.5"),
    ("number = true", "number must be a whole number, not true"),
    ("number = -3", "number must be a number from 0 to 100000"),
    ("year = 20244", "year must be a year from 1900 to 2200"),
    ('year = "2024"', "year must be a whole number"),
    ('new_page_per_article = "false"', "new_page_per_article must be true or false"),
    ('date = "9999-12-31"', "the year must be from 1900 to 2200"),
    ('date = "2024-13"', "date must be a date written YYYY-MM-DD"),
    ('date = "2024-02-30"', "not a date of the calendar"),
    ('page_size = "50mm 50mm"', "not a page size: outside 90–420 mm × 120–600 mm"),
    ('page_size = "huge"', "not a page size"),
    ("magazine = 5", "magazine must be a text in quotes"),
    ('language = "zh CN"', "language must be a language tag"),
    ('name = "../up"', "file stem, without folders"),
])
def test_bad_sidecar_value_is_one_line_before_anything_is_written(tmp_path, line, words):
    src = tmp_path / "a.txt"
    src.write_text(SAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "a.toml").write_text(line + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run("build", src, "-o", out)
    assert one_line_error(r) and words in r.stderr, r.stderr
    assert not out.exists()


def test_good_sidecar_values_are_kept(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(BODY, encoding="utf-8")
    (tmp_path / "a.toml").write_text(
        'magazine = "青溪\\u0001决策\\r参考\\u202e"\nnumber = 0\nyear = 2200\ndate = 1900-01-01\n'
        'new_page_per_article = true\npage_size = "A5"\n', encoding="utf-8")
    m = load_meta(src)
    assert m.magazine == "青溪决策 参考"  # controls gone, a line break is a space
    assert (m.number, m.year, m.date, m.new_page_per_article, m.page_size) == (
        0, 2200, "1900-01-01", True, "148mm 210mm")


def test_page_sizes():
    from publisher.metadata import normalise_page_size

    assert normalise_page_size("１８５ｍｍ　２６０ｍｍ") == "185mm 260mm"
    assert normalise_page_size("210mmx297mm") == "210mm 297mm" == normalise_page_size("a4")
    for bad in ("²mm 5mm", "1e3mm 200mm", "185mm", "89mm 200mm", "185mm 601mm"):
        with pytest.raises(PublisherError, match="page size"):
            normalise_page_size(bad)


def test_command_line_values_take_the_same_schema(tmp_path):
    m = load_meta(tmp_path / "a.txt", {"number": "9", "date": "2024-09-01", "magazine": "澧水\x00评论\f"})
    assert m.number == 9 and m.date == "2024-09-01" and m.magazine == "澧水评论"
    for key, value, words in [("date", "2024-13", "YYYY-MM-DD"), ("page_size", "10mm 10mm", "not a page size"),
                              ("number", "1.5", "whole number")]:
        with pytest.raises(PublisherError, match=words):
            load_meta(tmp_path / "a.txt", {key: value})


def _book(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (folder / "book.toml").write_text(body, encoding="utf-8")
    return folder / "book.toml"


@pytest.mark.parametrize("body,words", [
    ('issues = ["/dev/zero"]\n', "is not an issue text file"),
    ('issues = ["/etc/passwd"]\n', "is not an issue text file"),
    ('issues = ["notes.txt"]\n', "not an issue text (no Chinese text in it)"),
    ('issues = ["fifo.txt"]\n', "not a regular file"),
    ('issues = [{ path = "a.txt", number = 1.5 }]\n', "issue 'a.txt': number must be a whole number"),
    ('issues = [{ path = "a.txt", new_page_per_article = "false" }]\n', "must be true or false"),
    ('year = "2023"\nissues = ["a.txt"]\n', "year must be a whole number"),
    ('date = "2024-13-01"\nissues = ["a.txt"]\n', "not a date of the calendar"),
    ('page_size = "1mm 1mm"\nissues = ["a.txt"]\n', "not a page size"),
    ('title = 1\nissues = ["a.txt"]\n', "title must be a text"),
])
def test_bad_anthology_file_is_one_line_before_anything_is_written(tmp_path, body, words):
    book = _book(tmp_path / "in", body)
    (tmp_path / "in" / "notes.txt").write_text("root:x:0:0:root:/root:/bin/bash\n" * 5, encoding="utf-8")
    os.mkfifo(tmp_path / "in" / "fifo.txt")
    r = run("anthology", book, "-o", tmp_path / "out" / "book.pdf")
    assert one_line_error(r) and words in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_anthology_input_without_han_is_refused(tmp_path):
    p = tmp_path / "passwd"
    p.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    r = run("anthology", p, "-o", tmp_path / "o.pdf")
    assert one_line_error(r) and "no Chinese text" in r.stderr
    assert not (tmp_path / "o.pdf").exists()


# --- never an output over an input; all or none -------------------------------------

@pytest.mark.parametrize("name,args", [
    ("notes.pdf", ("build", "notes.pdf", "-o", ".")),  # a text input named .pdf built into its own folder
    ("src.pdf", ("anthology", "src.pdf", "-o", "./sub/../src.pdf")),  # an anthology written over its source
], ids=["build", "anthology"])
def test_output_over_the_input_is_refused(tmp_path, name, args):
    src = tmp_path / name
    src.write_text(SAMPLE_TEXT, encoding="utf-8")
    r = run(*args, cwd=tmp_path)
    assert one_line_error(r) and "would overwrite the input" in r.stderr
    assert src.read_text(encoding="utf-8") == SAMPLE_TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_same_file_sees_through_links(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("x")
    (tmp_path / "l.txt").symlink_to(a)
    assert same_file(tmp_path / "l.txt", a) and same_file(tmp_path / "." / "a.txt", a)
    assert not same_file(tmp_path / "missing.txt", a)


def test_build_writes_both_outputs_or_neither(tmp_path, monkeypatch):
    from publisher.commands import build

    out = tmp_path / "out"
    out.mkdir()
    (out / "sample-issue.epub").write_bytes(b"old epub")

    def pdf_fails(issue, path, print_mode, photos):
        raise PublisherError("the PDF backend failed")

    monkeypatch.setattr(build, "_write_pdf", pdf_fails)
    r = CliRunner().invoke(build.command, [str(SAMPLE), "-o", str(out)])
    assert isinstance(r.exception, PublisherError) and "PDF backend failed" in str(r.exception)
    assert sorted(p.name for p in out.iterdir()) == ["sample-issue.epub"]  # no temp left, no new EPUB
    assert (out / "sample-issue.epub").read_bytes() == b"old epub"
