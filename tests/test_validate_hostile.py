"""``validate`` on hostile files (issue 12): every one ends in a clean result or a one-line
error with a stable code and a non-zero exit, within 10 s and 1 GB, and the EPUBCheck
child never receives a file with a DOCTYPE.

Each shape is generated here (small, with limits lowered to match where the real size
would cost time); the reproducers in ../shared/hostile/ run through the command as well.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from publisher.validate import Limits, validate
from publisher.validate.epub import check_epub
from publisher.validate.guard import (count_operators, count_pages, doctype_problem, inflate_bounded,
                                      looks_like_xml, regular_file, zip_problems)
from publisher.validate.pdf import check_pdf
from publisher.validate.sandbox import run_limited

from conftest import ROOT
from validate_samples import make_epub, make_pdf

HOSTILE = ROOT.parent / "shared" / "hostile"
GB = 1024 ** 3

CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>\n')
OPF = ('<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
       'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
       '<dc:identifier id="id">x</dc:identifier><dc:title>{title}</dc:title><dc:language>zh-CN</dc:language>'
       '</metadata><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>'
       '<spine><itemref idref="a"/></spine></package>\n')
XHTML = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
         'xml:lang="zh-CN"><head><title>a</title></head><body><p>正文</p></body></html>\n')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE package [\n<!ENTITY a "aaaaaaaaaa">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">\n' for i in range(8))
          + ']>\n')


def _deflated_bomb(path: Path, name: str, size: int) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr("META-INF/container.xml", CONTAINER)
        zf.writestr("EPUB/content.opf", OPF.format(title="t"))
        with zf.open(name, "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return path


def _plain_epub(path: Path, opf: str | None = None, container: str = CONTAINER, xhtml: str = XHTML) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr("META-INF/container.xml", container)
        zf.writestr("EPUB/content.opf", opf if opf is not None else OPF.format(title="t"))
        zf.writestr("EPUB/a.xhtml", xhtml)
    return path


def _pdf(path: Path, content: bytes, kids: int = 1, compress: bool = True) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    if compress:
        page.obj.Contents = pikepdf.Stream(pdf, zlib.compress(content, 9), Filter=pikepdf.Name.FlateDecode)
    else:
        page.obj.Contents = pikepdf.Stream(pdf, content)
    if kids > 1:
        ref = pdf.Root.Pages.Kids[0]
        pdf.Root.Pages.Kids = pikepdf.Array([ref] * kids)
        pdf.Root.Pages.Count = kids
    pdf.save(path)
    return path


# --------------------------------------------------------------------------- the guards, one by one


def test_doctype_rules():
    ok = [XHTML, '<html xmlns="http://www.w3.org/1999/xhtml"/>', "<!-- c -->\n<!doctype HTML>\n<html/>",
          '<?xml version="1.0"?><?xml-stylesheet href="a.css"?><!DOCTYPE html><html/>', CONTAINER, ""]
    for doc in ok:
        assert doctype_problem(doc.encode()) is None, doc
    refused = {
        '<?xml version="1.0"?>\n<!DOCTYPE c SYSTEM "file:///etc/passwd">\n<c/>': "external id",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd"><html/>':
            "external id",
        '<!DOCTYPE html SYSTEM "about:legacy-compat"><html/>': "external id",
        '<!DOCTYPE html [ ]><html/>': "internal subset",
        LAUGHS + "<package>&i;</package>": "ENTITY",
        '<!DOCTYPE package><package/>': "only <!DOCTYPE html>",
        '<html><!DOCTYPE x [<!ENTITY e SYSTEM "http://10.0.0.1/">]></html>': "ENTITY",
    }
    for doc, why in refused.items():
        assert why in (doctype_problem(doc.encode()) or ""), doc
    # the same in UTF-16 (with and without BOM) is seen; UTF-32 is refused as unreadable
    sys_doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE c SYSTEM "http://10.0.0.1/x.dtd"><c/>'
    assert "external id" in doctype_problem(sys_doc.encode("utf-16"))
    assert "external id" in doctype_problem(sys_doc.encode("utf-16-le"))
    assert "encoding" in doctype_problem(sys_doc.encode("utf-32-be"))
    assert looks_like_xml("META-INF/x.bin", "\ufeff<c/>".encode("utf-8"))
    assert not looks_like_xml("EPUB/fonts/a.otf", b"OTTO\x00\x0b")


def test_zip_limits_come_from_the_central_directory(tmp_path):
    lim = Limits(member_bytes=4 << 20, total_bytes=6 << 20, ratio=50, ratio_floor=1 << 20)
    p = _deflated_bomb(tmp_path / "b.epub", "EPUB/a.xhtml", 8 << 20)
    infos = zipfile.ZipFile(p).infolist()
    codes = [c for c, _, _ in zip_problems(infos, lim)]
    assert codes == ["E010", "E012"]
    ratio = [m for c, m, _ in zip_problems(infos, Limits(ratio=50)) if c == "E011"]
    assert len(ratio) == 1 and "limit 50:1" in ratio[0]
    assert [c for c, _, _ in zip_problems(infos * 3, Limits(members=10))] == ["E012"]


def test_member_count_read_from_the_tail_before_zipfile(tmp_path, monkeypatch):
    p = tmp_path / "many.epub"
    with zipfile.ZipFile(p, "w") as zf:
        for i in range(300):
            zf.writestr(f"EPUB/{i}.txt", "")
    p64 = tmp_path / "many64.epub"
    with zipfile.ZipFile(p64, "w") as zf:
        for i in range(70_000):  # over 65,535: the count is in the ZIP64 record
            zf.writestr(zipfile.ZipInfo(f"{i}"), b"")
    from publisher.validate.guard import zip_entry_count

    assert zip_entry_count(p) == 300 and zip_entry_count(p64) == 70_000
    assert zip_entry_count(tmp_path / "none.epub") is None
    monkeypatch.setattr(zipfile, "ZipFile", None)  # refused without building the member list
    for path, n in ((p, 300), (p64, 70_000)):
        r = check_epub(str(path), limits=Limits(members=100))
        assert [c.code for c in r.checks] == ["E012"] and f"{n} ZIP members" in r.checks[0].message


def test_small_zip_bomb_refused_before_a_member_is_read(tmp_path, monkeypatch):
    p = _deflated_bomb(tmp_path / "bomb.epub", "EPUB/a.xhtml", 8 << 20)
    read = []
    orig = zipfile.ZipFile.open

    def spy(self, name, *a, **k):
        read.append(getattr(name, "filename", name))
        return orig(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    r = check_epub(str(p), limits=Limits(member_bytes=4 << 20))
    assert [(c.code, c.location) for c in r.checks] == [("E010", "EPUB/a.xhtml")]
    assert read == []  # nothing inflated: the sizes alone refused it
    r = check_epub(str(p), limits=Limits(ratio=100))
    assert [c.code for c in r.checks] == ["E011"]


def test_laughs_and_external_dtds_refused_with_their_own_code(tmp_path):
    laughs = _plain_epub(tmp_path / "laughs.epub", opf=LAUGHS + OPF.format(title="&i;").split("\n", 1)[1])
    xxe = _plain_epub(tmp_path / "xxe.epub", container=CONTAINER.replace(
        "\n<container", '\n<!DOCTYPE c SYSTEM "file:///etc/hostname">\n<container'))
    net = _plain_epub(tmp_path / "net.epub", xhtml=XHTML.replace(
        "<!DOCTYPE html>", '<!DOCTYPE html PUBLIC "-//x//y" "http://192.0.2.1/x.dtd">'))
    for p, where in ((laughs, "EPUB/content.opf"), (xxe, "META-INF/container.xml"), (net, "EPUB/a.xhtml")):
        t = time.perf_counter()
        r = check_epub(str(p))
        assert time.perf_counter() - t < 2
        assert [(c.code, c.location) for c in r.checks] == [("E020", where)], p
    # EPUB 3's plain <!DOCTYPE html> is not refused
    r = check_epub(str(_plain_epub(tmp_path / "plain.epub")))
    assert "E020" in r.ran and "E020" not in r.codes()


def test_small_flate_bomb_refused_before_decoding(tmp_path):
    p = _pdf(tmp_path / "flate.pdf", b" " * (8 << 20))
    r = check_pdf(str(p), limits=Limits(stream_bytes=4 << 20))
    assert [c.code for c in r.checks] == ["P011"]
    assert inflate_bounded(zlib.compress(b"x" * 5000), 4000) is None
    assert inflate_bounded(zlib.compress(b"x" * 5000), 5000) == b"x" * 5000
    assert inflate_bounded(zlib.compress(b"x" * 5000), 5000, keep=False) == 5000


def test_many_operators_refused_before_parsing(tmp_path):
    ops = b"0 0 m 10 10 l S\n" * 3000  # 9,000 operators
    assert count_operators(ops, 10 ** 6) == 9000
    assert count_operators(b"BT /F1 12 Tf (a) Tj [(b) -3 (c)] TJ <4e2d> Tj ET q 1 0 0 1 0 0 cm Q", 100) == 9
    assert count_operators(ops, 1000) is None
    for run in (b"(" * 2_000_000, b"<" + b"a" * 2_000_000, b"(\\" * 1_000_000, b"< " * 1_000_000):
        t = time.perf_counter()
        count_operators(run, 10 ** 6)  # linear on runs of one opening: no rescan from each position
        assert time.perf_counter() - t < 2, run[:4]
    p = _pdf(tmp_path / "ops.pdf", ops)
    r = check_pdf(str(p), limits=Limits(operators=1000))
    assert [(c.code, c.location) for c in r.checks] == [("P012", "page 1")]
    r = check_pdf(str(p), limits=Limits(operators=10_000, total_operators=5000))
    assert [c.code for c in r.checks] == ["P012"] and "in all" in r.checks[0].message


def test_limits_of_the_child_from_the_command(tmp_path):
    """A file within the structural limits that is slow to check (six pages of 90,000 operators
    each, just under the per-stream limit and well under the total: several CPU seconds of
    checks, so a 1 s limit always stops it): --time-limit stops it with one line (V004)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for _ in range(6):
        pdf.add_blank_page(page_size=(200, 200))
        page = pdf.pages[-1].obj
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pikepdf.Stream(pdf, zlib.compress(b"BT /F1 1 Tf " + b"0 0 Td (a) Tj\n" * 45_000 + b"ET", 9),
                                       Filter=pikepdf.Name.FlateDecode)
    p = _save(pdf, tmp_path / "slow.pdf")
    for opt, code in ((["--time-limit", "1"], "V004"),):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "publisher", "validate", *opt, str(p)], capture_output=True,
                              text=True, timeout=60)
        assert time.perf_counter() - t < 10
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and f": {code}: " in lines[0], proc.stderr


def _save(pdf, path: Path) -> Path:
    pdf.save(path)
    return path


def test_operators_of_nested_forms_are_counted(tmp_path):
    """A form drawn by a form drawn by the page (resources inherited from the page tree) is counted too."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    inner = pdf.make_stream(b"0 0 m 1 1 l S\n" * 2000, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                            BBox=[0, 0, 10, 10])
    outer = pdf.make_stream(b"/In Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10],
                            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(In=inner)))
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(b"/Out Do")
    if "/Resources" in page:
        del page["/Resources"]
    pdf.Root.Pages.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Out=outer))
    p = _save(pdf, tmp_path / "forms.pdf")
    r = check_pdf(str(p), limits=Limits(operators=5000))
    assert [(c.code, c.location) for c in r.checks] == [("P012", "page 1")]
    assert "P012" not in check_pdf(str(p), limits=Limits(operators=7000)).codes()


def test_huge_page_count_refused_without_flattening(tmp_path):
    p = _pdf(tmp_path / "kids.pdf", b"", kids=5000)
    with pikepdf.open(p, inherit_page_attributes=False) as pdf:
        assert count_pages(pdf, 10) is None
        assert count_pages(pdf, 4999) is None
        assert count_pages(pdf, 10_000) == 5000  # one page object listed 5000 times: qpdf makes 5000 pages
    # a page tree that refers to itself ends the walk instead of looping
    cyc = pikepdf.new()
    cyc.add_blank_page()
    cyc.Root.Pages.Kids.append(cyc.Root.Pages)
    with pikepdf.open(_save(cyc, tmp_path / "cycle.pdf"), inherit_page_attributes=False) as pdf:
        assert count_pages(pdf, 100) == 1
    t = time.perf_counter()
    r = check_pdf(str(p), limits=Limits(pages=1000))
    assert [c.code for c in r.checks] == ["P010"]
    assert time.perf_counter() - t < 5


def test_good_files_pass_the_guards(tmp_path):
    epub, pdf = make_epub(tmp_path / "good.epub"), make_pdf(tmp_path / "good.pdf")
    for r in validate([epub, pdf], epubcheck=False):
        assert r.checks == [], r.checks
        assert {"V002", "V003", "V004", "V005"} <= set(r.ran)
        assert ({"E010", "E011", "E012", "E020"} if r.kind == "epub" else {"P010", "P011", "P012"}) <= set(r.ran)


# --------------------------------------------------------------------------- the child's limits


def _allocate():
    return bytearray(16 * GB)


def _spin():
    while True:
        pass


def _sleep():
    time.sleep(60)


def _boom():
    raise RuntimeError("internal\nfailure")


def _segv():
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.mark.parametrize("fn, limits, code, words", [
    (_allocate, Limits(), "V003", "checks stopped at the memory limit ("),
    (_spin, Limits(cpu_seconds=1), "V004", "CPU time limit (1 s)"),
    (_sleep, Limits(wall_seconds=1), "V004", "time limit (1 s wall clock)"),
    (_boom, Limits(), "V005", "RuntimeError: internal failure"),
    (_segv, Limits(), "V005", "SIGSEGV"),
])
def test_a_child_that_ends_early_is_one_finding(fn, limits, code, words):
    t = time.perf_counter()
    r = run_limited(fn, (), "x.pdf", "pdf", limits)
    assert time.perf_counter() - t < 10
    assert [c.code for c in r.checks] == [code]
    assert words in r.checks[0].message and "\n" not in r.checks[0].message
    if code == "V003":  # the limit applied is named: 1 GB, or what this process maps plus a quarter GB
        from publisher.validate.guard import _size
        from publisher.validate.sandbox import memory_limit

        assert _size(memory_limit(limits)) in r.checks[0].message


# --------------------------------------------------------------------------- the command


@pytest.fixture
def fake_java(tmp_path):
    """A ``java`` on PATH that records what it is handed (the EPUBCheck child) and reports nothing."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "java.log"
    java = bindir / "java"
    java.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a" >> {log}; done\nexit 0\n', encoding="utf-8")
    java.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return env, log


def _handed_to_java(log: Path) -> list[Path]:
    if not log.exists():
        return []
    return [Path(a) for a in log.read_text(encoding="utf-8").splitlines() if a.endswith(".epub")]


def _no_doctype_in(epub: Path) -> None:
    with zipfile.ZipFile(epub) as zf:
        for zi in zf.infolist():
            data = zf.read(zi)
            if looks_like_xml(zi.filename, data[:64]):
                assert doctype_problem(data) is None, f"{epub}:{zi.filename} reached EPUBCheck with a DOCTYPE"
                assert b"<!ENTITY" not in data and b"SYSTEM" not in data and b"PUBLIC" not in data


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (GB, GB))


def _run(args, env, timeout=10):
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "publisher", "validate", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=timeout + 20, preexec_fn=_limit_memory)
    return proc, time.perf_counter() - t


def test_command_refuses_each_shape_in_one_line(tmp_path, fake_java):
    env, log = fake_java
    good = make_epub(tmp_path / "good.epub")
    cases = {
        _plain_epub(tmp_path / "laughs.epub", opf=LAUGHS + OPF.format(title="&i;").split("\n", 1)[1]): "E020",
        _plain_epub(tmp_path / "xxe.epub", container=CONTAINER.replace(
            "\n<container", '\n<!DOCTYPE c SYSTEM "http://192.0.2.1/c.dtd">\n<container')): "E020",
        _deflated_bomb(tmp_path / "ratio.epub", "EPUB/a.xhtml", 8 << 20): "E011",
    }
    fifo = tmp_path / "pipe.epub"
    os.mkfifo(fifo)
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    cases[fifo] = "V002"
    cases[tmp_path / "zero.pdf"] = "V002"
    for path, code in cases.items():
        proc, took = _run([path], env)
        assert proc.returncode == (2 if code == "V002" else 1), (path, proc.stderr)
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and f": {code}: " in lines[0], (path, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr
        assert took < 10, (path, took)
    assert _handed_to_java(log) == []
    # a good EPUB beside a hostile one: only the good one reaches EPUBCheck, and it has no DOCTYPE but html
    proc, _ = _run([good, *[p for p, c in cases.items() if c == "E020"]], env, timeout=60)
    handed = _handed_to_java(log)
    assert handed and {p.name for p in handed} == {"good.epub"}, handed
    for p in handed:
        _no_doctype_in(p)


def _hostile(name: str) -> Path:
    p = HOSTILE / name
    if not p.exists():
        msg = f"hostile reproducer {p} not found"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the hostile reproducers: {msg}")
        pytest.skip(msg)
    return p


@pytest.mark.parametrize("name, code", [
    ("zipbomb.epub", "E010"),
    ("flate_bomb.pdf", "P011"),
    ("many_ops.pdf", "P01"),  # P011 or P012: its decoded stream is over the size limit first
    ("huge_count.pdf", "P010"),
    ("laughs_opf.epub", "E020"),
    ("xxe_dtd.epub", "E020"),
    ("xxe_dtd_net.epub", "E020"),
])
def test_hostile_reproducers(name, code, fake_java):
    env, log = fake_java
    proc, took = _run([_hostile(name)], env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and f": {code}" in lines[0], proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert took < 10, took
    assert _handed_to_java(log) == []  # refused files never reach EPUBCheck
