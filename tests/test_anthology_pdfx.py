"""The anthology's --print as PDF/X-4 through its merge (issue 15 items 1-2) and its
cover spread OUT-cover.pdf (back, spine, front; the interior without the cover): the book
keeps the output intent (the anthology TOML's print_profile, embedded), the XMP with
the PDF/X version and dates, /Trapped and PDF 1.6; no annotations, no RGB, K100 text
overprinting, crop marks in registration colour on every page (the front matter's
too); the same book from the cache or without it is the same bytes."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pikepdf
import pytest

from conftest import ROOT, SAMPLE, corpus_file
from publisher.anthology import build_anthology, load_config
from publisher.pdf.pdfx import DEFAULT_PROFILE, inspect

K100 = (0.0, 0.0, 0.0, 1.0)
PRINTER = DEFAULT_PROFILE.parent / "ps_cmyk.icc"  # another CMYK output profile (libgs-common)
CALIPER = 0.5  # a thick paper: a spine wide enough for its title
MM = 72 / 25.4


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdfx-book")
    shutil.copy(PRINTER, tmp / "printer.icc")
    toml = tmp / "book.toml"
    toml.write_text(f'title = "《青溪决策参考》合订本"\ndate = "2024-12-31"\nprint_profile = "printer.icc"\n'
                    f'paper_caliper_mm = {CALIPER}\n'
                    f'issues = ["{SAMPLE}", "{corpus_file("003")}"]\n', encoding="utf-8")
    out = tmp / "book.pdf"
    r = build_anthology(load_config([toml]), out, print_mode=True, jobs=2, cache_dir=tmp / "c", progress=False)
    return toml, out, r


def test_book_keeps_pdfx_through_the_merge(book):
    toml, out, r = book
    assert out.read_bytes().startswith(b"%PDF-1.6")
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == r.page_count and r.page_count % 4 == 0
        (oi,) = pdf.Root.OutputIntents
        assert oi.S == "/GTS_PDFX" and int(oi.DestOutputProfile.N) == 4
        assert oi.DestOutputProfile.read_bytes() == PRINTER.read_bytes()
        info = pdf.docinfo
        assert info.Trapped == "/False" and str(info.GTS_PDFXVersion) == "PDF/X-4"
        assert str(info.CreationDate).startswith("D:20241231") and str(info.ModDate) == str(info.CreationDate)
        meta = pdf.open_metadata()
        assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert meta.get("xmp:CreateDate", "").startswith("2024-12-31")
        assert meta.get("dc:title") == "《青溪决策参考》合订本"
        assert meta.get("xmpMM:DocumentID", "").startswith("uuid:")
        assert not any("/Annots" in p.obj for p in pdf.pages)
        for page in pdf.pages:  # every page marked, the front matter's and the blanks' too
            reg = page.Resources.ColorSpace.PubReg
            assert reg[0] == "/Separation" and reg[1] == "/All"
        assert pdf.Root.Outlines.Count != 0 or "/First" in pdf.Root.Outlines  # the outline stays
        inks = inspect(pdf)
    assert inks.rgb_ops == 0 and inks.rgb_images == 0 and inks.groups == 0
    assert "DeviceRGB" not in inks.spaces
    fills = inks.text_fills
    assert max(fills, key=fills.get) == ("DeviceCMYK", K100, True)
    for (space, comps, op) in fills:
        assert space == "DeviceCMYK" and op == (comps == K100)


def test_book_is_the_same_bytes_without_the_cache(book, tmp_path):
    toml, out, _ = book
    again = tmp_path / "again.pdf"
    build_anthology(load_config([toml]), again, print_mode=True, jobs=1, use_cache=False, progress=False)
    assert again.read_bytes() == out.read_bytes()


def test_cli_icc_overrides_and_bad_profile_is_one_line(book, tmp_path):
    toml, _, _ = book
    bad = subprocess.run([sys.executable, "-m", "publisher", "anthology", str(toml), "-o", str(tmp_path / "b.pdf"),
                          "--print", "--icc", str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert bad.returncode != 0 and "not an ICC profile" in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and not (tmp_path / "b.pdf").exists()
    no_print = subprocess.run([sys.executable, "-m", "publisher", "anthology", str(toml), "-o",
                               str(tmp_path / "c.pdf"), "--icc", str(DEFAULT_PROFILE)],
                              capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert no_print.returncode != 0 and "--print" in no_print.stderr
    cfg = load_config([toml], print_profile=DEFAULT_PROFILE)
    assert cfg.book.print_profile == str(DEFAULT_PROFILE)
    assert all(m.print_profile == str(DEFAULT_PROFILE) for m in cfg.metas)


# ---- the cover spread ---------------------------------------------------------------

def test_cover_spread_geometry_and_spine_title(book):
    import pdfplumber

    from publisher.anthology.cover import cover_path, spine_mm, spine_text

    toml, out, r = book
    cover = cover_path(out)
    assert cover.name == "book-cover.pdf" and cover.read_bytes().startswith(b"%PDF-1.6")
    spine = spine_mm(r.page_count, CALIPER)
    assert spine == r.page_count / 2 * CALIPER
    with pikepdf.open(cover) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0].obj
        trim, bleed = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
        media = [float(v) for v in page.MediaBox]
        assert abs((bleed[2] - bleed[0]) - (2 * 185 + spine + 2 * 3) * MM) < 0.05
        assert abs((trim[2] - trim[0]) - (2 * 185 + spine) * MM) < 0.05
        assert abs((trim[3] - trim[1]) - 260 * MM) < 0.05
        assert media[0] < bleed[0] and media[2] > bleed[2]
        (oi,) = pdf.Root.OutputIntents
        assert oi.S == "/GTS_PDFX" and oi.DestOutputProfile.read_bytes() == PRINTER.read_bytes()
        assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert not any("/Annots" in p.obj for p in pdf.pages)
        strokes = [i for i in pikepdf.parse_content_stream(pdf.pages[0]) if str(i.operator) == "S"]
        assert len(strokes) == 8 + 4  # crop marks at the corners, fold marks at the spine's edges
        inks = inspect(pdf)
    assert inks.rgb_ops == 0 and inks.rgb_images == 0 and inks.groups == 0
    with pdfplumber.open(cover) as doc:
        p = doc.pages[0]
        x0 = trim[0] - (media[0] - p.bbox[0])  # the trim's left edge where pdfplumber puts the chars
        left, right = x0 + 185 * MM, x0 + (185 + spine) * MM
        on_spine = [c for c in p.chars if left - 0.5 < (c["x0"] + c["x1"]) / 2 < right + 0.5]
        assert "".join(c["text"] for c in sorted(on_spine, key=lambda c: c["top"])) == "".join(
            spine_text("《青溪决策参考》合订本"))
        centre = (left + right) / 2
        for c in on_spine:  # each character centred on the spine
            assert abs((c["x0"] + c["x1"]) / 2 - centre) < 0.3 * MM, c
        tops = [c["top"] for c in sorted(on_spine, key=lambda c: c["top"])]
        assert all(b > a for a, b in zip(tops, tops[1:]))  # set down the spine, one a line


def test_print_interior_starts_without_the_cover(book):
    toml, out, r = book
    with pikepdf.open(out) as pdf:
        labels = [pikepdf.Page(p).label for p in pdf.pages]
    assert labels[0] == "iii"  # the title page: the cover and its verso are the spread's
    assert labels[r.front_pages] == "1" and len(labels) % 4 == 0


def test_spine_and_caliper_rules(tmp_path):
    from publisher.anthology.cover import spine_mm, spine_text
    from publisher.errors import PublisherError

    assert spine_mm(320, 0.1) == 16.0 and spine_mm(4, 0.1) == 0.2
    with pytest.raises(PublisherError):
        spine_mm(7, 0.1)
    assert spine_text("《青溪》2024年 合订本") == list("︽青溪︾2024年合订本")
    bad = tmp_path / "bad.toml"
    bad.write_text(f'paper_caliper_mm = 3\nissues = ["{SAMPLE}"]\n', encoding="utf-8")
    with pytest.raises(PublisherError, match="paper_caliper_mm"):
        load_config([bad])
