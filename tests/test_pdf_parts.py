"""An issue typeset in parts (publisher/pdf/units.py), its furniture and assembly.

The PDF-level checks of tests/test_pdf.py and tests/test_cjk_typesetting.py run on
the assembled PDFs; these check what the parts machinery itself promises: parts
split where columns start and balanced, the same PDF whether the parts are set in
one process or several, placed running heads and folios exactly where the margin
boxes of the issue set as one document put them, the contents length known in
advance, and a part cache that makes a second setting (or one at another offset)
reuse the parts.
"""
from __future__ import annotations

import io

import pytest

from conftest import SAMPLE, corpus_file
from publisher.errors import PublisherError
from publisher.pdf import render_issue
from publisher.pdf.html import column_views
from publisher.pdf.parallel import Forked, lpt_bins
from publisher.pdf.partcache import PartCache
from publisher.pdf.units import plan_parts, split_balanced
from publisher.pdf.writer import render_document
from publisher.reader import read_issue


def test_split_balanced_is_the_lightest_heaviest_run():
    assert split_balanced([5, 1, 1, 1, 5], 2) in ([(0, 1), (2, 3, 4)], [(0, 1, 2), (3, 4)])
    assert split_balanced([1, 2, 3, 4, 10], 2) == [(0, 1, 2, 3), (4,)]
    assert split_balanced([3, 3, 3], 5) == [(0,), (1,), (2,)]
    assert split_balanced([], 2) == []
    runs = split_balanced([4, 8, 2, 6, 7, 3, 5], 3)
    assert [i for r in runs for i in r] == list(range(7))  # consecutive, all, in order
    assert max(sum([4, 8, 2, 6, 7, 3, 5][i] for i in r) for r in runs) == 14


def test_lpt_bins_give_this_process_less_when_it_has_a_head_start():
    bins = lpt_bins([10, 9, 2, 1], 2, head_start=5)
    assert sorted(i for b in bins for i in b) == [0, 1, 2, 3]
    assert 0 not in bins[0]  # the heaviest goes to the process without the head start


def test_parts_of_000_follow_columns(issue000):
    parts = plan_parts(issue000, max_weight=22000)
    assert [p.name for p in parts] == ["front", "contents", "body1", "body2"]
    assert parts[0].cover and parts[0].front and parts[1].contents and not parts[1].body
    body_cols = [c for c in column_views(issue000) if not c.front]
    assert parts[2].body + parts[3].body == tuple(range(len(body_cols)))
    ratio = parts[2].weight / parts[3].weight
    assert 0.7 < ratio < 1.4
    fine = plan_parts(issue000, max_weight=12000)
    assert len([p for p in fine if p.body]) >= 3
    assert all(p.weight <= 12000 or len(p.body) == 1 for p in fine if p.body)
    assert len(plan_parts(issue000)) < len(fine)  # the default: fewer, larger parts


def test_one_process_and_two_give_the_same_pdf():
    issue = read_issue(SAMPLE)
    one = render_issue(issue, jobs=1)
    two = render_issue(read_issue(SAMPLE), jobs=2)
    assert one.pdf == two.pdf and one.page_count == two.page_count


def _furniture_positions(pdf: bytes):
    """(page, text, x0, top) of every character outside the text block, and the
    rules there."""
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, page in enumerate(doc.pages):
            for c in page.chars:
                if c["top"] < 60 or c["top"] > page.height - 55:
                    out.append((i, c["text"], round(c["x0"], 1), round(c["top"], 1)))
            for r in page.rects + page.lines:
                if r["bottom"] < 60 and r["x1"] - r["x0"] > 100:
                    out.append((i, "rule", round(r["x0"], 1), round(r["bottom"], 1)))
    return sorted(set(out))


def test_placed_heads_and_folios_are_where_margin_boxes_put_them():
    """The furniture document places heads and folios itself; WeasyPrint's margin
    boxes (the issue set as one document, html.document_html) are the reference."""
    from publisher.pdf.html import document_html
    from publisher.pdf.writer import _stylesheets

    issue = read_issue(SAMPLE)
    parts = render_issue(issue, jobs=1)
    _stylesheets()
    html, css = document_html(read_issue(SAMPLE))
    whole = render_document(html, css).write_pdf()
    a, b = _furniture_positions(parts.pdf), _furniture_positions(whole)
    assert a and a == b


def test_part_cache_reuses_parts_and_furniture(tmp_path):
    cache = PartCache(tmp_path / "parts", "salt")
    issue = read_issue(SAMPLE)
    first = render_issue(issue, jobs=1, part_cache=cache)
    stored = cache.stores
    assert stored >= 2 and cache.hits == 0
    again = render_issue(read_issue(SAMPLE), jobs=1, part_cache=cache)
    assert again.pdf == first.pdf and cache.stores == stored  # everything came from the cache
    moved = render_issue(read_issue(SAMPLE), jobs=1, part_cache=cache, first_folio=11)
    assert cache.stores == stored + 1  # only the furniture was set again
    assert moved.page_count == first.page_count
    # A different salt (code, styles or fonts changed) shares nothing.
    other = PartCache(tmp_path / "parts", "other")
    render_issue(read_issue(SAMPLE), jobs=1, part_cache=other)
    assert other.hits == 0


def test_furniture_moves_to_the_folio_on_layout_returns():
    """An anthology worker laid out an issue at a guessed offset and learns the real
    one before the furniture is set: the result is the issue set at the real offset."""
    from publisher.pdf.units import CannotMove

    direct = render_issue(read_issue(SAMPLE), jobs=1, first_folio=21)
    seen = []
    moved = render_issue(read_issue(SAMPLE), jobs=1, first_folio=11,
                         on_layout=lambda n, toc: seen.append(n) or 21)
    assert seen == [direct.page_count] and moved.first_folio == 21
    assert moved.pdf == direct.pdf
    with pytest.raises(CannotMove):  # a verso start: the pages would not fit
        render_issue(read_issue(SAMPLE), jobs=1, first_folio=11, on_layout=lambda n, toc: 12)
    # Contents numbers of three digits instead of two: the contents part keeps a column
    # wide enough, so its pages are the same.
    far = render_issue(read_issue(SAMPLE), jobs=1, first_folio=11, on_layout=lambda n, toc: 991)
    assert far.pdf == render_issue(read_issue(SAMPLE), jobs=1, first_folio=991).pdf


def test_part_cache_ignores_a_damaged_entry(tmp_path):
    cache = PartCache(tmp_path, "s")
    key = cache.key("part", "x")
    cache.put(key, b"%PDF-1.7 data", {"page_names": []})
    (tmp_path / f"{key}.pdf").write_bytes(b"%PDF-1.7 dat")  # truncated
    assert cache.get(key) is None


def _boom(emit):
    emit("first")
    raise PublisherError("part 2 cannot be set")


def test_forked_children_report_errors_and_messages():
    child = Forked(_boom)
    assert child.next() == "first"
    with pytest.raises(PublisherError, match="part 2 cannot be set"):
        child.next()
    child.close()


@pytest.fixture(scope="module")
def issue000():
    return read_issue(corpus_file("000"))


def test_one_embedded_subset_per_face(issue000):
    """Parts are written with placeholder font programs; the assembly embeds one
    subset per face for the whole issue (fontmerge.py), one font dictionary each."""
    import pikepdf

    from publisher.pdf.measure import page_fonts

    r = render_issue(issue000)
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        fonts = list(page_fonts(pdf))
        names = [str(f.BaseFont).split("+", 1)[1] for f in fonts]
        assert len(names) == len(set(names)) >= 4
        programs = set()
        for f in fonts:
            fd = f.DescendantFonts[0].FontDescriptor
            prog = fd.get("/FontFile3") or fd.get("/FontFile2")
            assert len(prog.read_bytes()) > 1000  # a real font program, not the placeholder
            programs.add(prog.objgen)
        assert len(programs) == len(fonts)
    assert len(r.pdf) < 1.6e6  # one document's worth of fonts (2.6 MB with one subset a part)


def test_widths_array_glyph_codes():
    """/W lists widths as ``c [w1 w2 …]`` runs or ``c1 c2 w`` ranges (ISO 32000 9.7.4.3)."""
    import pikepdf

    from publisher.pdf.fontmerge import _widths

    w = pikepdf.Array([3, pikepdf.Array([500, 500, 250]), 10, 12, 1000, 20, pikepdf.Array([1])])
    assert sorted(_widths(w)) == [3, 4, 5, 10, 11, 12, 20]
    assert _widths([]) == {}
