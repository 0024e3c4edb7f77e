"""The print PDF as PDF/X-4 (issue 15): CMYK inks, K100 text that overprints, a
GTS_PDFX output intent with an embedded CMYK profile, no annotations, crop marks in
registration colour, PDF 1.6, XMP; read back with pikepdf and Ghostscript's inkcov.
The screen PDF stays RGB with its links.  One print render of the sample is shared."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT, SAMPLE
from publisher.errors import PublisherError
from publisher.pdf import pdfx, render_issue
from publisher.pdf.measure import page_fonts
from publisher.pdf.pdfx import DEFAULT_PROFILE, cmyk_css, cmyk_of, inspect, load_profile
from publisher.reader import read_issue

PUBLISHER = [sys.executable, "-m", "publisher"]
GS_PROFILES = DEFAULT_PROFILE.parent  # libgs-common: default_cmyk.icc and ps_cmyk.icc
K100 = (0.0, 0.0, 0.0, 1.0)


@pytest.fixture(scope="module")
def printed():
    return render_issue(read_issue(SAMPLE), print_mode=True).pdf


@pytest.fixture(scope="module")
def screen():
    return render_issue(read_issue(SAMPLE)).pdf


def run(*args):
    return subprocess.run([*PUBLISHER, *map(str, args)], capture_output=True, text=True, timeout=600)


# ---- the colour rule ----------------------------------------------------------------

def test_inks_of_the_stylesheet_colours():
    assert cmyk_of("#111") == K100 == cmyk_of("#111111") == cmyk_of("#000")
    assert cmyk_of("#222") == K100  # dots and captions: solid black, not a screened tint
    assert cmyk_of("#333") == (0, 0, 0, 0.8) and cmyk_of("#666") == (0, 0, 0, 0.6)
    assert cmyk_of("#fff") == (0, 0, 0, 0) == cmyk_of("#FFFFFF")
    assert cmyk_of("#9e1b1b") == pdfx.ACCENTS["#9e1b1b"] and cmyk_of("#9E1B1B") == pdfx.ACCENTS["#9e1b1b"]
    c, m, y, k = cmyk_of("#1e5aa0")  # an unlisted colour: a plain conversion, blue = C and M
    assert c > m > y == 0 and 0 < k < 1


def test_every_stylesheet_colour_becomes_cmyk():
    """After cmyk_css no stylesheet (nor the generated page and furniture CSS) has a
    colour in RGB: no hex, rgb(), hsl() or colour keyword left."""
    from publisher.pdf.furniture import furniture_css
    from publisher.pdf.html import page_css

    issue = read_issue(SAMPLE)
    sheets = {name: (ROOT / "styles" / name).read_text(encoding="utf-8")
              for name in ("base.css", "pdf.css", "anthology.css")}  # the PDF's (epub.css is not)
    sheets["page"] = page_css(issue, print_mode=True)
    sheets["furniture"] = furniture_css(issue, first_folio=1, print_mode=True, running_head=None)
    keyword = re.compile(r"(?:^|[;{\s])(?:color|background(?:-color)?|border(?:-\w+)*|fill|stroke)\s*:[^;}]*"
                         r"\b(black|white|red|gray|grey|blue|green|silver|maroon|navy)\b", re.I)
    for name, css in sheets.items():
        out = re.sub(r"/\*.*?\*/", "", cmyk_css(css), flags=re.S)
        assert not re.search(r"[:\s(,]#[0-9a-fA-F]{3,6}\b|%23[0-9a-fA-F]{3,6}", out), name
        assert not re.search(r"\b(rgba?|hsla?)\(", out), name
        assert not keyword.search(out), name
    assert "device-cmyk(0 0 0 1)" in cmyk_css(sheets["pdf.css"])


# ---- the print file -----------------------------------------------------------------

def test_print_pdf_is_pdfx4(printed):
    issue = read_issue(SAMPLE)
    with pikepdf.open(io.BytesIO(printed)) as pdf:
        assert pdf.pdf_version == "1.6" and printed.startswith(b"%PDF-1.6")
        (oi,) = pdf.Root.OutputIntents
        assert oi.S == "/GTS_PDFX" and oi.Type == "/OutputIntent"
        prof = oi.DestOutputProfile
        assert int(prof.N) == 4 and prof.read_bytes() == DEFAULT_PROFILE.read_bytes()
        assert str(oi.OutputConditionIdentifier) == load_profile().description != ""
        info = pdf.docinfo
        assert info.Trapped == "/False" and str(info.GTS_PDFXVersion) == "PDF/X-4"
        meta = pdf.open_metadata()
        assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert meta.get("pdf:Trapped") == "False"
        assert meta.get("dc:title") == str(info.Title) == issue.meta.title
        assert meta.get("xmp:CreateDate", "").startswith(issue.meta.date)
        assert meta.get("xmp:ModifyDate", "").startswith(issue.meta.date)
        assert re.fullmatch(r"uuid:[0-9a-f-]{36}", meta.get("xmpMM:DocumentID", ""))
        assert "/AcroForm" not in pdf.Root
        for page in pdf.pages:
            assert "/Annots" not in page.obj
            trim, bleed, media = ([float(v) for v in page.obj[k]] for k in ("/TrimBox", "/BleedBox", "/MediaBox"))
            assert media[0] < bleed[0] < trim[0] and trim[2] < bleed[2] < media[2]
        # Fonts embedded (PDF/X): every font has its program.
        fonts = list(page_fonts(pdf))
        assert fonts
        for f in fonts:
            desc = f.DescendantFonts[0].FontDescriptor
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    # Same input, same bytes (the document ID is derived from the content).
    assert render_issue(read_issue(SAMPLE), print_mode=True).pdf == printed


def test_print_inks_are_cmyk_and_black_text_overprints(printed):
    with pikepdf.open(io.BytesIO(printed)) as pdf:
        inks = inspect(pdf)
    assert inks.rgb_ops == 0 and inks.rgb_images == 0
    assert "DeviceRGB" not in inks.spaces and "ICCBased" not in inks.spaces
    assert inks.groups == 0  # no transparency groups
    fills = inks.text_fills
    assert max(fills, key=fills.get) == ("DeviceCMYK", K100, True)  # body text: K100, overprinting
    for (space, comps, op), n in fills.items():
        assert space == "DeviceCMYK", (space, comps)
        assert op == (comps == K100), (comps, op)  # only solid black overprints (white still knocks out)


def test_crop_marks_in_registration_colour(printed):
    with pikepdf.open(io.BytesIO(printed)) as pdf:
        for page in pdf.pages:
            reg = page.Resources.ColorSpace.PubReg
            assert reg[0] == "/Separation" and reg[1] == "/All" and reg[2] == "/DeviceCMYK"
            strokes = [i for i in pikepdf.parse_content_stream(page) if str(i.operator) == "S"]
            assert len(strokes) == 8  # two per corner
            ops = b" ".join(pikepdf.unparse_content_stream([i]) for i in pikepdf.parse_content_stream(page))
            assert b"/PubReg CS" in ops and b"1 SCN" in ops


def test_ghostscript_ink_coverage(printed, tmp_path):
    """gs inkcov of the trimmed page: a page whose content is drawn in K only has
    C = M = Y = 0 (every body page of the sample); a page with the accent has M > 0."""
    assert shutil.which("gs"), "Ghostscript (scripts/bootstrap.sh installs it) is needed for inkcov"
    path = tmp_path / "print.pdf"
    path.write_bytes(printed)
    out = subprocess.run(["gs", "-q", "-dSAFER", "-dUseTrimBox", "-r100", "-o", "-", "-sDEVICE=inkcov", str(path)],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    cov = [tuple(float(v) for v in line.split()[:4]) for line in out.splitlines() if line.strip().endswith("OK")]
    with pikepdf.open(io.BytesIO(printed)) as pdf:
        assert len(cov) == len(pdf.pages)
        k_only = []
        for i in range(len(pdf.pages)):
            inks = inspect(pdf, pages={i})
            if all(comps[:3] == (0, 0, 0) for _, comps, _ in inks.text_fills) and inks.text_fills:
                k_only.append(i)
    assert len(k_only) >= 2
    for i in k_only:
        c, m, y, k = cov[i]
        assert c == m == y == 0 and k > 0, (i, cov[i])
    assert any(cov[i][1] > 0 for i in range(len(cov)) if i not in k_only)


def test_screen_pdf_stays_rgb_with_links(screen):
    with pikepdf.open(io.BytesIO(screen)) as pdf:
        assert pdf.pdf_version == "1.7"
        assert "/OutputIntents" not in pdf.Root
        assert any("/Annots" in p.obj for p in pdf.pages)
        inks = inspect(pdf)
    assert inks.rgb_ops > 0 and "DeviceCMYK" not in inks.spaces
    assert not any(op for _, _, op in inks.text_fills)


# ---- the printer's profile and the cover -----------------------------------------------

def test_printer_profile_from_cli_and_sidecar_and_cover_in_cmyk(tmp_path):
    """The sidecar's print_profile is a path relative to it; --icc overrides it and is
    the profile embedded; an RGB cover is separated into CMYK."""
    from PIL import Image

    from publisher.metadata import load_meta

    theirs = GS_PROFILES / "ps_cmyk.icc"  # another CMYK output profile a Debian package ships
    assert theirs.read_bytes() != DEFAULT_PROFILE.read_bytes()
    src = tmp_path / "in.txt"
    src.write_bytes(SAMPLE.read_bytes())
    Image.new("RGB", (370, 520), (30, 90, 160)).save(tmp_path / "cover.png")
    shutil.copy(DEFAULT_PROFILE, tmp_path / "printer.icc")
    (tmp_path / "in.toml").write_text('magazine = "测试刊"\nissue_label = "2025年第1期"\ncover = "cover.png"\n'
                                      'print_profile = "printer.icc"\n', encoding="utf-8")
    assert load_meta(src).print_profile == str((tmp_path / "printer.icc").resolve())
    r = run("build", src, "--pdf", "--print", "--icc", theirs, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    with pikepdf.open(tmp_path / "out" / "in.pdf") as pdf:
        assert pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes() == theirs.read_bytes()
        inks = inspect(pdf)
        assert inks.rgb_images == 0 and inks.rgb_ops == 0
        (image,) = pdf.pages[0].get_images().values()
        assert image.ColorSpace == "/DeviceCMYK"


@pytest.mark.parametrize("profile, says", [
    ("/usr/share/color/icc/sRGB.icc", "not CMYK"),
    ("missing.icc", "not found"),
    (str(SAMPLE), "not an ICC profile"),
])
def test_bad_print_profile_is_one_line_and_writes_nothing(tmp_path, profile, says):
    if profile.startswith("/usr/") and not Path(profile).exists():
        profile = str(tmp_path / "rgb.icc")
        Path(profile).write_bytes(_rgb_profile())
    r = run("build", SAMPLE, "--pdf", "--print", "--icc", profile, "-o", tmp_path / "out")
    assert r.returncode != 0 and says in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def _rgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def test_icc_needs_print():
    r = run("build", SAMPLE, "--pdf", "--icc", DEFAULT_PROFILE, "-o", "/nonexistent-never-written")
    assert r.returncode != 0 and "--print" in r.stderr


def test_default_profile_missing_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(pdfx, "DEFAULT_PROFILE", tmp_path / "none.icc")
    with pytest.raises(PublisherError, match="default CMYK print profile is missing"):
        load_profile()


def test_print_photos_are_cmyk(tmp_path):
    """The issue's photos (tests/test_photos.py's set: JPEG, PNG, a chart, one turned by
    EXIF) in a print PDF: each separated into CMYK, none left in RGB."""
    from test_photos import SIDECAR, SOURCE, make_images

    (tmp_path / "issue.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "issue.toml").write_text(SIDECAR, encoding="utf-8")
    make_images(tmp_path / "images")
    r = subprocess.run([*PUBLISHER, "build", "issue.md", "--pdf", "--print", "-o", "out"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    with pikepdf.open(tmp_path / "out" / "issue.pdf") as pdf:
        inks = inspect(pdf)
        spaces = [str(im.ColorSpace) for p in pdf.pages for im in p.get_images().values()]
        for p in pdf.pages:
            for _, x in (p.Resources.get("/XObject") or {}).items():
                if "/Resources" in x:
                    spaces += [str(im.ColorSpace) for _, im in (x.Resources.get("/XObject") or {}).items()
                               if im.get("/Subtype") == "/Image"]
    assert inks.rgb_images == 0 and inks.rgb_ops == 0
    assert len(spaces) >= 5 and set(spaces) <= {"/DeviceCMYK", "/DeviceGray"}, spaces
