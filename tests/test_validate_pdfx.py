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


# ---- the printed contents of a file without links (P300, P301) ----------------------

def test_print_file_contents_checked_from_the_printed_text(good):
    _, ran = codes(good / "print.pdf")
    assert {"P300", "P301"} <= set(ran)  # no links in a print file: the printed numbers are read


def test_print_file_contents_numbers_against_the_pages_where_titles_stand(good):
    """Page labels that start at 3 move every folio by two: each contents number now
    names a page where its title is not, and P300 says where the title stands."""
    def change(pdf):
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, pikepdf.Dictionary(S=pikepdf.Name.D, St=3)])

    found, _ = codes(mutated(good, "labels", change))
    assert set(found) == {"P300"}
    msgs = [m for _, m in found["P300"]]
    assert len(msgs) == 7 and {w for w, _ in found["P300"]} == {"page 3"}
    assert msgs[0] == "contents entry '让每一滴汗水都浇灌在发展的土壤里' says page 2, but the title is printed on page 2, printed as 4"
    for m in msgs:  # each title found on its own page, printed two more than the contents says
        said, page, printed = map(int, re.search(r"says page (\d+), .* on page (\d+), printed as (\d+)", m).groups())
        assert page == said and printed == said + 2


def W(text, x0, y0, x1, y1):
    from publisher.validate.pdf import Word
    return Word(text, x0, y0, x1, y1)


def test_printed_entries_read_from_the_lines_of_a_contents_page():
    """Lines of the anthology's issue contents as pdftotext gives them (the author set
    smaller, a column head without number, the folio in the foot band)."""
    from publisher.validate.pdf import printed_entries

    words = [W("CONTENTS", 99.8, 103.4, 166.8, 116.4), W("目", 99.8, 114.3, 119.8, 143.2), W("录", 143.8, 114.3, 163.8, 143.2),
             W("卷首语", 99.8, 160.2, 131.3, 175.4),
             W("2", 503.8, 177.4, 509.3, 191.8), W("让每一滴汗水都浇灌在发展的土壤里", 109.8, 177.4, 269.8, 191.8),
             W("领导讲话", 99.8, 238.7, 141.8, 253.9),
             W("在全县项目建设推进大会上的讲话", 109.8, 255.9, 259.8, 270.3), W("以作风建设新成效推动各项工作", 109.8, 271.5, 249.8, 285.9),
             W("5", 503.8, 256.2, 509.3, 270.6), W("林振东", 271.8, 259.1, 298.8, 269.8),
             W("6", 503.8, 271.8, 509.3, 286.1), W("周明远", 261.8, 274.6, 288.8, 285.3),
             W("3", 504.3, 726.0, 509.3, 738.9)]
    assert printed_entries(words, 80, 700) == [("2", "让每一滴汗水都浇灌在发展的土壤里"),
                                               ("5", "在全县项目建设推进大会上的讲话 林振东"),
                                               ("6", "以作风建设新成效推动各项工作 周明远")]
    # two such lines are not yet a contents page
    assert printed_entries(words[:-4], 80, 700) == []
    # body text: numbers that end lines run on from their words (no leader gap), or
    # stand apart but at different right edges, are no contents entries
    body = [W("全县生产总值增长到", 99.8, 200, 280, 214), W("2024", 280, 200, 300, 214),
            W("第一部分共", 99.8, 216, 160, 230), W("12", 160, 216, 170, 230),
            W("见附表", 99.8, 232, 140, 246), W("3", 200, 232, 205, 246),
            W("见附图", 99.8, 248, 140, 262), W("4", 300, 248, 305, 262),
            W("见附录", 99.8, 264, 140, 278), W("5", 400, 264, 405, 278)]
    assert printed_entries(body, 80, 700) == []
    # a table of figures set flush right, with gaps like leaders: its numbers do not go up
    table = [w for k, (label, n) in enumerate([("粮食产量", "512"), ("油料", "38"), ("蔬菜", "265"), ("水果", "97")])
             for w in (W(label, 99.8, 200 + 16 * k, 160, 214 + 16 * k), W(n, 500 - 5 * len(n), 200 + 16 * k, 509.3, 214 + 16 * k))]
    assert printed_entries(table, 80, 700) == []
    # the same lines as page numbers that go up, one of them wrong, are a contents
    pages = [w for k, (label, n) in enumerate([("粮食产量", "5"), ("油料", "38"), ("蔬菜", "12"), ("水果", "19")])
             for w in (W(label, 99.8, 200 + 16 * k, 160, 214 + 16 * k), W(n, 500 - 5 * len(n), 200 + 16 * k, 509.3, 214 + 16 * k))]
    assert [n for n, _ in printed_entries(pages, 80, 700)] == ["5", "38", "12", "19"]


def test_rgb_blending_space(good):
    def change(pdf):
        pdf.pages[4].obj.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)

    found, _ = codes(mutated(good, "rgb-group", change))
    assert found == {"P601": [("page 5", "1 pages blend their transparency in DeviceRGB (/Group /CS)")]}


def test_unreadable_output_intent_is_p001_not_a_crash(good):
    def change(pdf):
        pdf.Root.OutputIntents[0].DestOutputProfile.N = pikepdf.Array([1])  # N is no number

    found, _ = codes(mutated(good, "bad-n", change))
    assert set(found) == {"P001"} and found["P001"][0][1].startswith("structure the PDF/X checks cannot read")
