"""The anthology's --print as PDF/X-4 through its merge (issue 15 item 2): the book
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


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdfx-book")
    shutil.copy(PRINTER, tmp / "printer.icc")
    toml = tmp / "book.toml"
    toml.write_text(f'title = "《青溪决策参考》合订本"\ndate = "2024-12-31"\nprint_profile = "printer.icc"\n'
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
