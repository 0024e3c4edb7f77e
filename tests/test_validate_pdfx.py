"""`publisher validate` on a print file that says it is PDF/X-4 (issue 15 item 4, codes
P600-P605): the sample's print PDF passes them; copies broken one way each with pikepdf
(an RGB colour, no output intent, a link, boxes out of their nesting, Trapped differing
between Info and XMP, four-colour black text, black text without overprint) each fail
with their code.  The screen PDF does not say PDF/X and is not held to them."""
from __future__ import annotations

import io
import re

import pikepdf
import pytest

from conftest import SAMPLE
from publisher.pdf import render_issue
from publisher.reader import read_issue
from publisher.validate.pdf import check_pdf

PDFX_CODES = {"P600", "P601", "P602", "P603", "P604", "P605"}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdfx")
    issue = read_issue(SAMPLE)
    (d / "print.pdf").write_bytes(render_issue(issue, print_mode=True).pdf)
    (d / "screen.pdf").write_bytes(render_issue(issue).pdf)
    return d


def codes(path) -> dict[str, list]:
    r = check_pdf(str(path))
    out: dict[str, list] = {}
    for c in r.checks:
        out.setdefault(c.code, []).append((c.location, c.message))
    return out, r.ran


def mutated(good, name, change):
    with pikepdf.open(good / "print.pdf") as pdf:
        change(pdf)
        out = good / f"{name}.pdf"
        pdf.save(out, force_version="1.6")
    return out


def test_good_print_file_passes_the_pdfx_checks(good):
    found, ran = codes(good / "print.pdf")
    assert found == {}
    assert PDFX_CODES <= set(ran)


def test_screen_pdf_is_not_held_to_pdfx(good):
    found, ran = codes(good / "screen.pdf")
    assert found == {} and not PDFX_CODES & set(ran)


def _add_content(pdf, data: bytes, page=2):
    pdf.pages[page].contents_add(pikepdf.Stream(pdf, data))


def test_rgb_operator(good):
    found, _ = codes(mutated(good, "rgb", lambda pdf: _add_content(pdf, b"q 1 0 0 rg 0 0 10 10 re f Q\n")))
    assert set(found) == {"P601"}
    ((where, msg),) = found["P601"]
    assert where == "page 3" and "DeviceRGB" in msg and "1 colour operators" in msg


def test_no_output_intent(good):
    found, _ = codes(mutated(good, "no-intent", lambda pdf: pdf.Root.__delitem__("/OutputIntents")))
    assert set(found) == {"P600"} and "GTS_PDFX output intent" in found["P600"][0][1]


def test_rgb_output_profile(good):
    def change(pdf):
        srgb = pikepdf.Stream(pdf, pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()[:16] + b"RGB " +
                              pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()[20:])
        srgb.N = 3
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_indirect(srgb)

    found, _ = codes(mutated(good, "rgb-profile", change))
    assert set(found) == {"P600"}
    assert [m for _, m in found["P600"]] == ["the output profile has N = 3, not 4 (CMYK)",
                                             "the output profile: an ICC profile for RGB, not CMYK: "
                                             "a print PDF needs the printer's CMYK output profile"]


def test_annotation_in_the_page_area(good):
    def change(pdf):
        page = pdf.pages[1]
        annot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                     Rect=[100, 100, 200, 120], Border=[0, 0, 0],
                                                     A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"))))
        page.obj.Annots = pikepdf.Array([annot])

    found, _ = codes(mutated(good, "annot", change))
    assert set(found) == {"P603"} and found["P603"] == [("page 2", "1 Link annotations inside the page area (a print file has none)")]


def test_boxes_out_of_their_nesting(good):
    def change(pdf):
        obj = pdf.pages[0].obj
        b = [float(v) for v in obj.BleedBox]
        obj.TrimBox = pikepdf.Array([b[0] - 1, b[1], b[2], b[3]])  # the trim beyond the bleed

    found, _ = codes(mutated(good, "boxes", change))
    assert found["P602"] == [("page 1", "the TrimBox extends beyond the BleedBox (1 pages): "
                              "PDF/X wants TrimBox ⊆ BleedBox ⊆ MediaBox")]
    assert set(found) <= {"P602", "P400"}  # P400 (the print geometry) sees it too


def test_trapped_differs_between_info_and_xmp(good):
    def change(pdf):
        pdf.docinfo.Trapped = pikepdf.Name("/True")

    found, _ = codes(mutated(good, "trapped", change))
    assert found == {"P604": [("", "Trapped is True in the Info but False in the XMP")]}


def test_version_and_xmp_keys(good):
    def change(pdf):
        del pdf.docinfo["/GTS_PDFXVersion"]
        del pdf.Root["/Metadata"]

    out = mutated(good, "keys", change)
    found, _ = codes(out)  # the output intent still says PDF/X
    assert [m for _, m in found["P604"]] == ["the Info has no GTS_PDFXVersion",
                                             "no readable XMP metadata (PDF/X-4 needs the version in the XMP)"]
    with pikepdf.open(good / "print.pdf") as pdf:
        pdf.save(good / "v17.pdf", force_version="1.7")
    found, _ = codes(good / "v17.pdf")
    assert found == {"P604": [("", "PDF 1.7: a PDF/X-4 file is PDF 1.6 at most")]}


def _rewrite_black(pdf, new: bytes) -> int:
    """Every K100 fill (``/DeviceCMYK cs 0 0 0 1 scn`` as WeasyPrint writes it) of the
    pages and their forms rewritten; how many streams changed."""
    n = 0
    for page in pdf.pages:
        streams = [page.obj.Contents] if isinstance(page.obj.Contents, pikepdf.Stream) else list(page.obj.Contents)
        for _, x in (page.obj.Resources.get("/XObject") or {}).items():
            if x.get("/Subtype") == pikepdf.Name.Form:
                streams.append(x)
        for s in streams:
            data = s.read_bytes()
            changed = re.sub(rb"(?<![\d.])0 0 0 1 (scn|k)\b", new, data)
            if changed != data:
                s.write(changed)
                n += 1
    return n


def test_black_text_in_four_colours(good):
    found, _ = codes(mutated(good, "rich-black", lambda pdf: _rewrite_black(pdf, b"0.6 0.5 0.4 1 scn")))
    assert set(found) == {"P605"}
    ((where, msg),) = found["P605"]
    assert msg.startswith("black text in four-colour ink (0.6 0.5 0.4 1 k): K only (") and where.startswith("page ")
    assert where.startswith("page 1, 2, 3, 4, 5")  # the first five pages that have it


def test_black_text_without_overprint(good):
    def change(pdf):
        for page in pdf.pages:
            for _, x in (page.obj.Resources.get("/ExtGState") or {}).items():
                if "/op" in x:
                    x.op = False
            for _, f in (page.obj.Resources.get("/XObject") or {}).items():
                for _, x in ((f.get("/Resources") or {}).get("/ExtGState") or {}).items():
                    if "/op" in x:
                        x.op = False

    found, _ = codes(mutated(good, "no-overprint", change))
    assert set(found) == {"P605"}
    assert found["P605"][0][1].startswith("solid black text (0 0 0 1 k) without overprint (")
