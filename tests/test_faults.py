"""Faults: broken outputs fail validation with the right code; broken inputs to every
command end with one clear line, a non-zero exit and no half-written output.

Broken outputs come in two kinds: files made from scratch (tests/validate_samples.py)
and real outputs of ``publisher build`` on the bundled sample, damaged the same ways.
All of them are validated by one ``publisher validate`` run (one JVM for EPUBCheck).
The commands run as a user runs them: ``python -m publisher`` in a subprocess.
"""
from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from validate_samples import EpubFaults, PdfFaults, make_epub, make_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-issue.txt"
PUBLISHER = [sys.executable, "-m", "publisher"]
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "epub": "http://www.idpf.org/2007/ops"}


def run(*args, timeout=600, **kw):
    return subprocess.run([*PUBLISHER, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=kw.pop("cwd", ROOT), **kw)


def one_line_error(proc) -> str:
    """The command failed with exactly one line on stderr, not a traceback."""
    assert proc.returncode != 0, proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("publisher: "), lines[0]
    return lines[0]


def clear_error(proc) -> str:
    """Like one_line_error, but a command-line usage error may come in click's usual
    form: ``Usage: …`` / ``Try '… --help'`` / ``Error: …`` with exit status 2."""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    if proc.returncode == 2 and lines and lines[0].startswith("Usage: ") and lines[-1].startswith("Error: "):
        assert "Traceback" not in proc.stderr and len(lines) == 3, proc.stderr
        return lines[-1]
    return one_line_error(proc)


def leftovers(folder: Path) -> list[str]:
    """Files in ``folder`` (recursively), the anthology's render cache aside."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and ".cache" not in p.relative_to(folder).parts)


# --------------------------------------------------------------------------- broken outputs


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        if "mimetype" in members:
            z.writestr(zipfile.ZipInfo("mimetype"), members["mimetype"], compress_type=zipfile.ZIP_STORED)
        for n, data in members.items():
            if n != "mimetype":
                z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _opf(members):
    container = etree.fromstring(members["META-INF/container.xml"])
    opf_path = container.find(".//{*}rootfile").get("full-path")
    return opf_path, etree.fromstring(members[opf_path])


def _resolve(base: str, href: str) -> str:
    import posixpath
    from urllib.parse import unquote

    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href.split("#")[0])))


def _spine(members) -> list[str]:
    opf_path, opf = _opf(members)
    items = {i.get("id"): _resolve(opf_path, i.get("href")) for i in opf.iter("{*}item")}
    return [items[r.get("idref")] for r in opf.iter("{*}itemref")]


def _nav(members) -> str:
    opf_path, opf = _opf(members)
    return next(_resolve(opf_path, i.get("href")) for i in opf.iter("{*}item") if "nav" in (i.get("properties") or ""))


def real_nav_entry_removed(src: Path, out: Path) -> tuple[Path, str]:
    """Remove an article's entry (second level of the toc nav) from the nav."""
    m = _zip_members(src)
    nav_path = _nav(m)
    root = etree.fromstring(m[nav_path])
    toc = next(n for n in root.iter("{*}nav") if "toc" in (n.get("{http://www.idpf.org/2007/ops}type") or ""))
    entries = [li for li in toc.iterfind("x:ol/x:li/x:ol/x:li", NS)]
    victim = entries[len(entries) // 2]
    title = " ".join("".join(victim.find("x:a", NS).itertext()).split())
    victim.getparent().remove(victim)
    m[nav_path] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return _write_zip(out, m), title


def real_spine_file_missing(src: Path, out: Path) -> tuple[Path, str]:
    m = _zip_members(src)
    victim = _spine(m)[len(_spine(m)) // 2]
    del m[victim]
    return _write_zip(out, m), victim


def real_malformed(src: Path, out: Path) -> tuple[Path, str]:
    m = _zip_members(src)
    victim = _spine(m)[-2]
    m[victim] = m[victim].replace(b"</body>", b"<p>unclosed</body>", 1)
    return _write_zip(out, m), victim


def real_font_missing_char(src: Path, out: Path) -> tuple[Path, str]:
    """Take a character of an article's paragraph out of the font that sets it (the body font)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from publisher.fonts import font_faces

    m = _zip_members(src)
    song = next(f for f in font_faces() if f.role == "song").family
    css = "\n".join(data.decode("utf-8") for n, data in m.items() if n.endswith(".css"))
    css_name = next(n for n, data in m.items() if n.endswith(".css") and b"@font-face" in data)
    face = next(f for f in re.findall(r"@font-face\s*\{[^}]*\}", css)
                if song in f and re.search(r"font-weight:\s*(400|normal)", f))
    font_path = _resolve(css_name, re.search(r"url\(['\"]?([^'\")]+)", face).group(1))
    font = TTFont(io.BytesIO(m[font_path]))
    cmap = font.getBestCmap()
    article = _spine(m)[len(_spine(m)) // 2 + 1]
    text = "".join("".join(p.itertext()) for p in etree.fromstring(m[article]).iter("{*}p"))
    ch = next(c for c in text if "\u4e00" <= c <= "\u9fff" and ord(c) in cmap)
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.layout_features = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[u for u in cmap if u != ord(ch)])
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    m[font_path] = buf.getvalue()
    return _write_zip(out, m), ch


def real_truncated(src: Path, out: Path) -> Path:
    data = src.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def real_without_outline(src: Path, out: Path) -> Path:
    with pikepdf.open(src) as pdf:
        if "/Outlines" in pdf.Root:
            del pdf.Root["/Outlines"]
        if "/PageMode" in pdf.Root:
            del pdf.Root["/PageMode"]
        pdf.save(out)
    return out


def real_wrong_numbers(src: Path, out: Path) -> tuple[Path, int]:
    """Point every contents entry at the next entry's destination: the printed numbers no
    longer match the pages the entries lead to."""
    from publisher.validate.pdf import Dests

    with pikepdf.open(src) as pdf:
        dests = Dests(pdf)
        pages = list(pdf.pages)
        links_per_page = [[a for a in (p.obj.get("/Annots") or []) if a.get("/Subtype") == "/Link"
                           and Dests.of_link(a) is not None] for p in pages]
        contents = max(range(len(pages)), key=lambda i: len(links_per_page[i]))
        targets = sorted({str(Dests.of_link(a)) for a in links_per_page[contents]},
                         key=lambda d: dests.page_of(pikepdf.String(d)) or 0)
        nxt = dict(zip(targets, targets[1:]))
        changed = 0
        for a in links_per_page[contents]:
            d = str(Dests.of_link(a))
            if d in nxt and "/Dest" in a:
                a.Dest = pikepdf.String(nxt[d])
                changed += 1
        pdf.save(out)
    return out, changed


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-build")
    proc = run("build", SAMPLE, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out / "sample-issue.epub", out / "sample-issue.pdf"


@pytest.fixture(scope="module")
def broken_outputs(tmp_path_factory, sample_build):
    """name → (path, failing codes that must be reported, words a message must contain)."""
    d = tmp_path_factory.mktemp("broken")
    epub, pdf = sample_build
    cases: dict[str, tuple[Path, set[str], str]] = {}
    cases["made-nav-entry-removed.epub"] = (
        make_epub(d / "made-nav-entry-removed.epub", EpubFaults(drop_nav_entry="a03")), {"E101"}, "乡村振兴的实践与思考")
    cases["made-spine-file-missing.epub"] = (
        make_epub(d / "made-spine-file-missing.epub", EpubFaults(drop_file="EPUB/text/a02.xhtml")),
        {"E003", "RSC-001"}, "a02.xhtml")
    cases["made-malformed.epub"] = (make_epub(d / "made-malformed.epub", EpubFaults(malformed="a02")),
                                    {"E002", "RSC-016"}, "a02.xhtml")
    cases["made-font-missing-char.epub"] = (
        make_epub(d / "made-font-missing-char.epub", EpubFaults(font_drop_char="苏")), {"E301"}, "U+82CF")
    p, title = real_nav_entry_removed(epub, d / "real-nav-entry-removed.epub")
    cases[p.name] = (p, {"E101"}, title)
    p, victim = real_spine_file_missing(epub, d / "real-spine-file-missing.epub")
    cases[p.name] = (p, {"E003", "RSC-001"}, victim.rsplit("/", 1)[-1])
    p, victim = real_malformed(epub, d / "real-malformed.epub")
    cases[p.name] = (p, {"E002", "RSC-016"}, victim.rsplit("/", 1)[-1])
    p, ch = real_font_missing_char(epub, d / "real-font-missing-char.epub")
    cases[p.name] = (p, {"E301"}, f"U+{ord(ch):04X}")

    made = make_pdf(d / "made.pdf")
    cases["made-truncated.pdf"] = (real_truncated(made, d / "made-truncated.pdf"), {"P001"}, "")
    cases["made-no-outline.pdf"] = (make_pdf(d / "made-no-outline.pdf", PdfFaults(no_outline=True)), {"P200"}, "no outline")
    cases["made-wrong-numbers.pdf"] = (make_pdf(d / "made-wrong-numbers.pdf", PdfFaults(wrong_numbers=True)),
                                       {"P300"}, "says page")
    cases["made-notdef.pdf"] = (make_pdf(d / "made-notdef.pdf", PdfFaults(notdef=True)), {"P102"}, ".notdef")
    cases["made-print-5-pages.pdf"] = (
        make_pdf(d / "made-print-5-pages.pdf", PdfFaults(print_mode=True, pages_multiple_of_4=False)), {"P401"}, "multiple of 4")
    cases["real-truncated.pdf"] = (real_truncated(pdf, d / "real-truncated.pdf"), {"P001"}, "")
    cases["real-no-outline.pdf"] = (real_without_outline(pdf, d / "real-no-outline.pdf"), {"P200"}, "no outline")
    p, changed = real_wrong_numbers(pdf, d / "real-wrong-numbers.pdf")
    assert changed > 3
    cases[p.name] = (p, {"P300"}, "says page")
    return d, cases


@pytest.fixture(scope="module")
def broken_report(broken_outputs):
    d, _ = broken_outputs
    t = time.perf_counter()
    proc = run("validate", d, "--json")
    took = time.perf_counter() - t
    print(f"validate {len(list(d.iterdir()))} broken files (EPUBCheck in one JVM): {took:.1f} s")
    return proc


def test_broken_outputs_fail_with_the_right_code(broken_outputs, broken_report):
    d, cases = broken_outputs
    assert broken_report.returncode == 1, broken_report.stderr
    doc = json.loads(broken_report.stdout)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    for name, (path, codes, words) in cases.items():
        f = by_name[name]
        failing = {c["code"] for c in f["results"] if c["severity"] in ("error", "warning")}
        assert not f["passed"], name
        assert codes <= failing, (name, codes, failing)
        msgs = " | ".join(c["message"] + " " + c["location"] for c in f["results"] if c["code"] in codes)
        assert words in msgs, (name, words, msgs)
    # the source PDF these were made from is fine: only the faults fail
    assert by_name["made.pdf"]["passed"], by_name["made.pdf"]["results"]
    # every EPUB went through EPUBCheck, all in one Java run
    n_epubs = sum(1 for n in by_name if n.endswith(".epub"))
    assert doc["epubcheck"]["files"] == n_epubs >= 8
    assert doc["epubcheck"]["mode"] == "batch" and doc["epubcheck"]["jvm_runs"] == 1
    assert all("EPUBCHECK" in f["checks_run"] for n, f in by_name.items() if n.endswith(".epub"))
    # EPUBCheck's usage notes (e.g. CSS-028, @font-face used) are shown and do not fail
    usage = [c for n, f in by_name.items() if n.endswith(".epub") for c in f["results"] if c["severity"] == "usage"]
    assert usage and all(re.fullmatch(r"[A-Z]{3}-\d{3}", c["code"]) for c in usage)
    assert doc["summary"]["usage"] == len(usage)


def test_broken_epubs_fail_nothing_else_of_ours(broken_outputs, broken_report):
    """Each damage is reported where it is, not as a cascade of unrelated codes."""
    _, cases = broken_outputs
    doc = json.loads(broken_report.stdout)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    for name in ("made-nav-entry-removed.epub", "made-malformed.epub", "made-font-missing-char.epub"):
        ours = {c["code"] for c in by_name[name]["results"] if re.fullmatch(r"[EPV]\d{3}", c["code"])}
        assert ours and ours <= cases[name][1], (name, ours)


def test_validate_of_damaged_and_foreign_files(tmp_path):
    """An empty .epub and a text file named .pdf are findings (exit 1), not crashes."""
    (tmp_path / "empty.epub").write_bytes(b"")
    (tmp_path / "text.pdf").write_text("这不是PDF", encoding="utf-8")
    (tmp_path / "random.epub").write_bytes(os.urandom(4096))
    proc = run("validate", tmp_path, "--json", "--no-epubcheck")
    assert proc.returncode == 1, proc.stderr
    files = {Path(f["path"]).name: {c["code"] for c in f["results"]} for f in json.loads(proc.stdout)["files"]}
    assert files == {"empty.epub": {"E001"}, "random.epub": {"E001"}, "text.pdf": {"P001"}}


# --------------------------------------------------------------------------- broken inputs


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text("\n  \n\t\n", encoding="utf-8")
    (d / "image.txt").write_bytes(_png())  # binary data under a text file's name
    return d


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("name,words", [("empty.txt", "empty"), ("blank.txt", "empty"), ("image.txt", "binary")])
def test_empty_and_binary_inputs_to_every_command(bad_inputs, tmp_path, name, words):
    src = bad_inputs / name
    out = tmp_path / "out"
    for args in (("parse", src), ("parse", src, "--json"), ("build", src, "-o", out),
                 ("anthology", src, "-o", out / "book.pdf", "--jobs", "1")):
        proc = run(*args)
        line = one_line_error(proc)
        assert words in line and name in line, (args, line)
        assert leftovers(out) == [], (args, leftovers(out))
    assert src.read_bytes() == (bad_inputs / name).read_bytes()  # sources never modified


def test_gbk_input_is_decoded_not_rejected(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    gbk = tmp_path / "gbk-issue.txt"
    gbk.write_bytes(text.encode("gbk"))
    (tmp_path / "gbk-issue.toml").write_text(
        (SAMPLE.with_suffix(".toml")).read_text(encoding="utf-8").replace('name = "sample-issue"', 'name = "gbk-issue"'),
        encoding="utf-8")
    a = run("parse", gbk, "--json")
    b = run("parse", SAMPLE, "--json")
    assert a.returncode == 0 and b.returncode == 0, a.stderr
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert ja["columns"] == jb["columns"]  # the same issue, whatever the encoding
    out = tmp_path / "out"
    proc = run("build", gbk, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert sorted(leftovers(out)) == ["gbk-issue.epub", "gbk-issue.pdf"]
    book = run("anthology", gbk, "-o", out / "book.pdf", "--jobs", "1", "--no-cache")
    assert book.returncode == 0, book.stderr
    v = run("validate", out / "gbk-issue.pdf", out / "book.pdf", "--source", gbk)
    assert v.returncode == 0, v.stdout + v.stderr


CONTENTS_NOT_IN_BODY = """CONTENTS 目 录

本期关注

01 春耕时节看新村

03 从未出现在正文里的一篇文章

05 夜校里的新农民

春耕时节看新村

清晨六点，村口的广场上已经热闹起来。合作社的农机排成一列，等待出发。

村支书说，今年全村流转土地八百亩，引进了新的种植品种，预计每亩增收三百元。

夜校里的新农民

晚上七点，村文化中心的灯亮了。二十多名村民围坐在一起，听农技员讲解病虫害防治。

一位年过五十的村民说，学了技术，心里就有底了。
"""


def test_contents_entries_not_in_the_body_are_warned_and_articles_still_appear(tmp_path):
    src = tmp_path / "orphans.txt"
    src.write_text(CONTENTS_NOT_IN_BODY, encoding="utf-8")
    proc = run("parse", src, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert any("从未出现在正文里的一篇文章" in w["message"] for w in doc["warnings"]), doc["warnings"]
    articles = {a["title"]: a for c in doc["columns"] for a in c["articles"]}
    for title, words in (("春耕时节看新村", "合作社的农机"), ("夜校里的新农民", "病虫害防治")):
        assert title in articles
        assert any(words in b.get("text", "") for b in articles[title]["blocks"])
    out = tmp_path / "out"
    b = run("build", src, "-o", out)
    assert b.returncode == 0, b.stderr
    assert "warning" in b.stderr  # the build says so too
    with zipfile.ZipFile(out / "orphans.epub") as z:
        book = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    assert "合作社的农机" in book and "病虫害防治" in book


def test_contents_none_of_whose_entries_is_in_the_body(tmp_path):
    """Every 目录 entry missing from the body: each is warned about, and the body's text
    still comes through as articles."""
    text = CONTENTS_NOT_IN_BODY.replace("01 春耕时节看新村", "01 另一个正文里没有的标题").replace(
        "05 夜校里的新农民", "05 第三个找不到的标题")
    src = tmp_path / "all-orphans.txt"
    src.write_text(text, encoding="utf-8")
    proc = run("parse", src, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    warned = " ".join(w["message"] for w in doc["warnings"])
    for title in ("另一个正文里没有的标题", "从未出现在正文里的一篇文章", "第三个找不到的标题"):
        assert title in warned
    body = " ".join(b.get("text", "") for c in doc["columns"] for a in c["articles"] for b in a["blocks"])
    for words in ("合作社的农机", "每亩增收三百元", "病虫害防治", "心里就有底了"):
        assert words in body, words




def test_missing_font_is_one_clear_error(tmp_path):
    manifest = (ROOT / "fonts" / "manifest.toml").read_text(encoding="utf-8")
    start = manifest.index("[roles.song]")
    end = manifest.index("[roles.", start + 1)
    block = re.sub(r"candidates = \[.*?\]\n", 'candidates = [ { file = "/nonexistent/NoSuchSong-Regular.otf" } ]\n',
                   manifest[start:end], flags=re.S)
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "manifest.toml").write_text(manifest[:start] + block + manifest[end:], encoding="utf-8")
    out = tmp_path / "out"
    for args in (("build", SAMPLE, "--epub", "-o", out), ("build", SAMPLE, "--pdf", "-o", out),
                 ("anthology", SAMPLE, "-o", out / "book.pdf", "--jobs", "1", "--no-cache")):
        env = {**os.environ, "PUBLISHER_FONTS_MANIFEST": str(tmp_path / "fonts" / "manifest.toml")}
        proc = subprocess.run([sys.executable, "-m", "publisher", *map(str, args)],
                              capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
        line = one_line_error(proc)
        assert "song" in line and "NoSuchSong-Regular.otf" in line, (args, line)
        assert leftovers(out) == [], (args, leftovers(out))


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    nowhere = Path("/proc/publisher-cannot-write-here")  # not even root can create it
    for args in (("build", SAMPLE, "--epub", "-o", blocker / "sub"), ("build", SAMPLE, "--epub", "-o", blocker),
                 ("build", SAMPLE, "--epub", "-o", nowhere), ("build", SAMPLE, "--pdf", "-o", nowhere),
                 ("anthology", SAMPLE, "-o", nowhere / "book.pdf", "--jobs", "1")):
        line = clear_error(run(*args))
        assert re.search(r"cannot write|not a folder|Not a directory|is a file", line), (args, line)
    made = make_pdf(tmp_path / "ok.pdf")
    proc = run("validate", made, "--junit", blocker / "sub" / "junit.xml")
    assert proc.returncode == 2
    assert one_line_error(proc).startswith("publisher: error:")
    assert blocker.read_text() == "x"


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_ctrl_c_during_an_anthology_build(tmp_path):
    """SIGINT to the whole process group (what Ctrl-C in a terminal does) mid-build."""
    issues = tmp_path / "issues"
    issues.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    meta = SAMPLE.with_suffix(".toml").read_text(encoding="utf-8")
    for n in range(1, 13):  # enough work that the build is surely still running
        (issues / f"issue-{n:02d}.txt").write_text(text, encoding="utf-8")
        (issues / f"issue-{n:02d}.toml").write_text(
            meta.replace("number = 2", f"number = {n}").replace("第2期", f"第{n}期")
            .replace('name = "sample-issue"', f'name = "issue-{n:02d}"'), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([*PUBLISHER, "anthology", str(issues), "-o", str(out / "book.pdf"), "--jobs", "2", "--no-cache"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not _children(proc.pid):
        time.sleep(0.1)
    time.sleep(1.5)  # workers are rendering now
    assert proc.poll() is None, "the anthology finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the anthology did not stop within 60 s of Ctrl-C")
    assert proc.returncode == 130, (proc.returncode, stderr)
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines == ["publisher: interrupted"], stderr
    assert not (out / "book.pdf").exists()
    assert leftovers(out) == []
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no worker left behind
        os.killpg(proc.pid, 0)


def test_unreadable_file_is_an_io_error(tmp_path):
    """A path that cannot be read (here a socket named .pdf: even root cannot open it)
    is reported as V001 beside the other files' results, and the exit status is 2."""
    import socket

    made = make_pdf(tmp_path / "ok.pdf")
    sock_path = tmp_path / "s.pdf"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind(str(sock_path))
        proc = run("validate", made, sock_path, "--json")
    finally:
        s.close()
    assert proc.returncode == 2, proc.stdout + proc.stderr
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert files["ok.pdf"]["passed"]
    assert [c["code"] for c in files["s.pdf"]["results"]] == ["V001"]


def test_missing_tools_are_environment_errors(tmp_path):
    """Without Java (EPUBCheck) or pdftotext on PATH: one line naming what to install, exit 2,
    before any file is checked."""
    epub = make_epub(tmp_path / "a.epub")
    pdf = make_pdf(tmp_path / "a.pdf")
    env = dict(os.environ, PATH=str(tmp_path / "no-tools-here"))
    for target, words in ((epub, "Java"), (pdf, "pdftotext")):
        proc = run("validate", target, env=env)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert words in one_line_error(proc)
    ok = run("validate", epub, "--no-epubcheck", env=env)  # our own EPUB checks need no tool
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_epubcheck_falls_back_to_one_run_per_file(monkeypatch, tmp_path):
    """If the one-JVM driver cannot start, each EPUB gets its own EPUBCheck run."""
    from publisher.validate import epubcheck_batch

    bad = make_epub(tmp_path / "bad.epub", EpubFaults(drop_file="EPUB/text/a01.xhtml"))
    monkeypatch.setattr(epubcheck_batch, "_DRIVER", "this is not Java")
    info: dict = {}
    found = epubcheck_batch.run_epubcheck([bad], info=info)
    assert info == {"mode": "per-file", "jvm_runs": 1}
    assert {c.code for c in found[str(bad)] if c.fails} == {"RSC-001"}
