"""The anthology with the real reader and PDF backend, read back from the bound PDF.

One book of the bundled sample and the corpus issues is built once per module;
the tests read it with pikepdf (outline, page labels, link annotations) and
pdfplumber (the printed text: folios, contents numbers, titles).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pikepdf
import pytest

from conftest import ROOT, SAMPLE, corpus_file
from publisher.anthology import build_anthology, load_config

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _build_child(inputs, title, out, cache, results) -> None:
    cfg = load_config(inputs, title=title)
    results.put(build_anthology(cfg, out, jobs=2, cache_dir=cache, progress=False))


def _build_in_fresh_process(inputs, title, out, cache):
    """build_anthology in a new interpreter (spawned), so that the peak memory it
    reports is the build's own: this test process has typeset other PDFs before,
    and forked workers would start with its memory."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    proc = ctx.Process(target=_build_child, args=(inputs, title, out, cache, results))
    proc.start()
    try:
        result = results.get(timeout=600)
    finally:
        proc.join(timeout=60)
    assert proc.exitcode == 0
    return result


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("anthology")
    inputs = [SAMPLE, corpus_file("000"), corpus_file("001"), corpus_file("003")]
    title = "《测试合订本》2024年合订本"
    cfg = load_config(inputs, title=title)
    out = tmp / "book.pdf"
    result = _build_in_fresh_process(inputs, title, out, tmp / "cache")
    labels, texts, words = [], [], []
    with pikepdf.open(out) as pdf:
        labels = [pikepdf.Page(p).label for p in pdf.pages]
    with pdfplumber.open(out) as pl:
        for page in pl.pages:
            texts.append(page.extract_text() or "")
            words.append((float(page.width), float(page.height), page.extract_words()))
    return {"cfg": cfg, "out": out, "result": result, "labels": labels, "texts": texts, "words": words,
            "tmp": tmp}


def test_book_is_built_from_every_issue(book):
    r = book["result"]
    assert [p.index for p in r.issues] == [0, 1, 2, 3]
    assert r.stats.rendered == [0, 1, 2, 3]
    assert r.page_count == len(book["labels"])
    # continuous folios, every issue starting on a recto (odd folio)
    firsts = [p.first_folio for p in r.issues]
    assert firsts[0] == 1 and all(f % 2 == 1 for f in firsts)
    for a, b in zip(r.issues, r.issues[1:]):
        assert b.first_folio == a.first_folio + a.entry.page_count
    assert r.stats.worker_peak_rss_mb < 400 and r.stats.parent_peak_rss_mb < 400


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_bound_pdf_is_structurally_sound(book):
    p = subprocess.run(["qpdf", "--check", str(book["out"])], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "No syntax or stream encoding errors" in p.stdout


def test_page_labels_are_the_printed_folios(book):
    labels, words = book["labels"], book["words"]
    front = book["result"].front_pages
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    assert labels[:front] == roman[:front]
    assert labels[front] == "1"
    assert [int(x) for x in labels[front:]] == list(range(1, len(labels) - front + 1))
    with_folio = 0
    for i, (w, h, ws) in enumerate(words):
        # the folio is the number set alone in the bottom margin
        foot = [x["text"] for x in ws if x["top"] > h * 0.9 and re.fullmatch(r"\d+|[ivxlc]+", x["text"])]
        if foot:
            assert foot[-1] == labels[i], f"page {i + 1}: printed {foot[-1]}, label {labels[i]}"
            with_folio += 1
    body = len(labels) - front
    assert with_folio >= 0.7 * body


def test_outline_issue_column_article(book):
    r = book["result"]
    texts = book["texts"]
    with pikepdf.open(book["out"]) as pdf:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as ol:
            top = list(ol.root)
            assert top[0].title == "总目录"
            assert [t.title for t in top[1:]] == [p.title for p in r.issues]
            for item, placed in zip(top[1:], r.issues):
                start = r.front_pages + placed.first_folio - 1
                assert index[item.destination[0].objgen] == start
                arts = []
                for node in item.children:
                    kids = list(node.children)
                    if kids and any(t["level"] == 1 and t["title"] == node.title for t in placed.entry.toc):
                        arts += kids  # a column: its children are articles
                    else:
                        arts.append(node)
                want = [t for t in placed.entry.toc if t["level"] == 2]
                assert [a.title for a in arts] == [t["title"] for t in want]
                for a, t in zip(arts, want):
                    page = index[a.destination[0].objgen]
                    assert page == start + t["page_index"]
                    assert _squash(t["title"])[:6] in _squash(texts[page]), (t["title"], page)
    # 000: 8 columns and 18 articles under its issue entry
    with pikepdf.open(book["out"]) as pdf, pdf.open_outline() as ol:
        item = list(ol.root)[2]
        assert len(item.children) == 8
        assert sum(len(c.children) for c in item.children) == 18


def _link_checks(book, pages: range):
    """(page, number printed inside the link, target page) for every link on ``pages``."""
    out = []
    with pikepdf.open(book["out"]) as pdf, pdfplumber.open(book["out"]) as pl:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        for pi in pages:
            annots = pdf.pages[pi].obj.get("/Annots") or []
            page = pl.pages[pi]
            h, w = float(page.height), float(page.width)
            for a in annots:
                if a.get("/Subtype") != pikepdf.Name.Link:
                    continue
                assert "/Dest" in a, f"page {pi + 1}: a link without an explicit destination"
                r = [float(v) for v in a.Rect]
                x0, x1, y0, y1 = min(r[0], r[2]), max(r[0], r[2]), min(r[1], r[3]), max(r[1], r[3])
                box = (max(0, x0 - 0.5), max(0, h - y1 - 0.5), min(w, x1 + 0.5), min(h, h - y0 + 0.5))
                text = page.crop(box).extract_text() or ""
                m = re.search(r"(\d+)\s*$", text)
                assert m, f"page {pi + 1}: no page number inside the link rectangle ({text!r})"
                out.append((pi, m.group(1), index[a.Dest[0].objgen], text[:m.start()]))
    return out


def test_general_contents_numbers_are_the_title_pages(book):
    r = book["result"]
    labels, texts = book["labels"], book["texts"]
    checks = _link_checks(book, range(r.front_pages))
    n_articles = sum(1 for p in r.issues for t in p.entry.toc if t["level"] == 2)
    assert len(checks) >= len(r.issues) + n_articles
    for pi, number, target, title in checks:
        assert labels[target] == number, f"contents says {number}, link goes to page labelled {labels[target]}"
        head = re.sub(r"[^\u4e00-\u9fff]", "", title)[:4]
        if head:
            assert head in re.sub(r"[^\u4e00-\u9fff]", "", texts[target]), (title, number)


def test_each_issue_contents_numbers_are_the_title_pages(book):
    r = book["result"]
    labels = book["labels"]
    checked = 0
    for placed in r.issues:
        start = r.front_pages + placed.first_folio - 1
        checks = _link_checks(book, range(start, start + placed.entry.page_count))
        for pi, number, target, _ in checks:
            assert start <= target < start + placed.entry.page_count
            assert labels[target] == number
            checked += 1
    assert checked >= 18  # 000 alone lists 18 articles


def test_second_build_renders_nothing(book):
    out2 = book["tmp"] / "again.pdf"
    r = build_anthology(book["cfg"], out2, jobs=2, cache_dir=book["tmp"] / "cache", progress=False)
    assert r.stats.renders == 0 and r.stats.rendered == []
    assert r.stats.cache_hits == 4 and r.stats.front_cached
    assert out2.read_bytes() == book["out"].read_bytes()


def test_one_sentence_edit_rerenders_that_issue_only(tmp_path):
    folder = tmp_path / "issues"
    folder.mkdir()
    a = folder / "a.txt"
    shutil.copy(SAMPLE, a)
    shutil.copy(SAMPLE.with_suffix(".toml"), folder / "a.toml")
    shutil.copy(corpus_file("003"), folder / "b.txt")
    cfg = [a, folder / "b.txt"]
    build_anthology(load_config(cfg), tmp_path / "x.pdf", jobs=2, cache_dir=tmp_path / "c", progress=False)
    text = a.read_text(encoding="utf-8")
    m = re.search(r"[\u4e00-\u9fff]{4}。", text[len(text) // 2:])
    i = len(text) // 2 + m.start() + 1
    a.write_text(text[:i] + ("乡" if text[i] != "乡" else "县") + text[i + 1:], encoding="utf-8")
    r = build_anthology(load_config(cfg), tmp_path / "y.pdf", jobs=2, cache_dir=tmp_path / "c", progress=False)
    assert r.stats.rendered == [0] and r.stats.cached == [1] and r.stats.renders == 1


def test_print_mode_boxes_and_multiple_of_four(tmp_path):
    cfg = load_config([SAMPLE, corpus_file("003")])
    out = tmp_path / "print.pdf"
    r = build_anthology(cfg, out, print_mode=True, jobs=2, cache_dir=tmp_path / "c", progress=False)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) % 4 == 0 and len(pdf.pages) == r.page_count
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert abs((trim[2] - trim[0]) - 185 * MM) < 0.5 and abs((trim[3] - trim[1]) - 260 * MM) < 0.5
            assert all(abs(d - 3 * MM) < 0.1 for d in
                       (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]))
        labels = [pikepdf.Page(p).label for p in pdf.pages]
    assert labels[r.front_pages] == "1"


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "publisher", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, **kw)


def test_cli_bad_input_one_line(tmp_path):
    p = _cli("anthology", tmp_path / "missing.txt", "-o", tmp_path / "o.pdf")
    assert p.returncode != 0
    assert p.stderr.strip().count("\n") == 0 and "no such file" in p.stderr
    assert not (tmp_path / "o.pdf").exists()


def test_ctrl_c_leaves_no_output(tmp_path):
    folder, outdir = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    outdir.mkdir()
    out = outdir / "book.pdf"
    text = corpus_file("000").read_text(encoding="utf-8")
    inputs = [str(SAMPLE)]
    for k, (a, b) in enumerate(("的之", "是系", "在于", "了矣", "和与", "有具")):
        # Distinct issues: the part cache would find repeated ones already set.
        p = folder / f"i{k}.txt"
        p.write_text(text.replace(a, b), encoding="utf-8")
        inputs.append(str(p))
    proc = subprocess.Popen([sys.executable, "-m", "publisher", "anthology", *inputs,
                             "-o", str(out), "--no-cache"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(2.5)  # imports done, workers typesetting
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip() == "publisher: interrupted"
    assert list(outdir.iterdir()) == []  # no book, no temp file


def test_each_face_embedded_once_for_all_issues(book):
    """The issues and the front matter arrive with placeholder font programs; the
    merge cuts each face once for the whole book (merge._BookFonts), and every glyph
    drawn is the manifest font's glyph for its character."""
    from publisher.pdf.fonts import pdf_font_files
    from publisher.pdf.measure import embedded_glyphs_check, glyph_check, page_fonts

    data = book["out"].read_bytes()
    names = pdf_font_files()
    check = glyph_check(data, names)
    assert check.fonts <= set(names) and check.missing == [] and check.notdef == 0
    emb = embedded_glyphs_check(data, names)
    assert emb.glyphs > 500 and emb.wrong == []
    with pikepdf.open(book["out"]) as pdf:
        programs: dict[str, set] = {}
        for f in page_fonts(pdf):
            fd = f.DescendantFonts[0].FontDescriptor
            prog = fd.get("/FontFile3") or fd.get("/FontFile2")
            assert len(prog.read_bytes()) > 1000  # no placeholder reached the book
            programs.setdefault(str(f.BaseFont).split("+", 1)[1], set()).add(prog.objgen)
    # one program per face for the whole book, the front matter included
    assert all(len(v) == 1 for v in programs.values()), programs
