"""The PDF backend on the sample and every corpus issue: structure, links, outline,
fonts, metadata, print mode, reproducibility.  Each input is rendered once per
session (fixtures below); tests read the real PDF bytes."""
from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from conftest import SAMPLE, corpus_file, corpus_files
from publisher.errors import PublisherError
from publisher.model import Issue
from publisher.pdf import render_issue, write_pdf
from publisher.pdf.fonts import pdf_font_files
from publisher.pdf.html import BLEED_MM, PT_PER_MM, SLUG_MM, balance, geometry
from publisher.pdf.measure import contents_links, embedded_glyphs_check, glyph_check, outline, page_fonts, page_texts
from publisher.reader import read_issue

MM = PT_PER_MM


def _plain(s: str) -> str:
    return "".join(s.split())


_cache: dict[tuple, tuple] = {}


def rendered(path: Path, **kw):
    """(issue, RenderedIssue) for ``path``, rendered once per session per options."""
    key = (str(path), tuple(sorted(kw.items())))
    if key not in _cache:
        issue = read_issue(path)
        _cache[key] = (issue, render_issue(issue, **kw))
    return _cache[key]


def inputs():
    """The sample always; corpus files when present (ids are their prefixes)."""
    out = [pytest.param("sample", id="sample")]
    out += [pytest.param(p.name[:3], id=p.name[:3]) for p in corpus_files()]
    return out


def input_path(name: str) -> Path:
    return SAMPLE if name == "sample" else corpus_file(name)


@pytest.fixture(scope="session")
def issue000():
    return rendered(corpus_file("000"))


# ---- Contents, links, outline ----------------------------------------------------

@pytest.mark.parametrize("name", inputs())
def test_contents_numbers_are_the_pages_of_the_titles(name):
    issue, r = rendered(input_path(name))
    links = contents_links(r.pdf)
    texts = [_plain(t) for t in page_texts(r.pdf)]
    with_contents = len(issue.articles) > 1
    if with_contents:
        # One link per article, each holding the printed page number.
        assert sorted(l.dest for l in links) == sorted(a.id for a in issue.articles)
    for link in links:
        assert int(link.number) == r.first_folio + link.dest_page, link
        article = next(a for a in issue.articles if a.id == link.dest)
        assert _plain(article.title) in texts[link.dest_page], (article.title, link.dest_page + 1)
    # The toc entries agree with where the titles are.
    for e in r.toc:
        if e.level == 2:
            article = next(a for a in issue.articles if a.id == e.article_id)
            assert _plain(article.title) in texts[e.page_index]


def test_outline_of_000_has_8_columns_and_18_articles(issue000):
    issue, r = issue000
    items = outline(r.pdf)
    cols = [i for i in items if i.level == 1]
    arts = [i for i in items if i.level == 2]
    assert len(cols) == 8 and len(arts) == 18
    assert [c.title for c in cols] == [c.name for c in issue.columns]
    # Targets: each article's bookmark points at the page where its title is printed.
    toc_pages = [e.page_index for e in r.toc if e.level == 2]
    assert [a.page for a in arts] == toc_pages
    texts = [_plain(t) for t in page_texts(r.pdf)]
    for art, item in zip(issue.articles, arts):
        assert _plain(art.title) in texts[item.page]
    # Top-level headings sit under their article, on or after its page.
    heads = [i for i in items if i.level == 3]
    assert heads, "000 has 一、… headings"
    assert all(h.page is not None for h in heads)
    assert [e.level for e in r.toc] == [i.level for i in items]


def test_toc_entries_levels_and_order(issue000):
    issue, r = issue000
    assert r.page_count == len(pikepdf.open(io.BytesIO(r.pdf)).pages)
    pages = [e.page_index for e in r.toc]
    assert pages == sorted(pages)
    assert {e.level for e in r.toc} == {1, 2, 3}
    assert [e.article_id for e in r.toc if e.level == 2] == [a.id for a in issue.articles]


# ---- Fonts ------------------------------------------------------------------------

@pytest.mark.parametrize("name", inputs())
def test_every_glyph_from_a_manifest_font(name):
    _, r = rendered(input_path(name))
    names = pdf_font_files()
    check = glyph_check(r.pdf, names)
    assert check.fonts <= set(names), f"fonts outside the manifest: {check.fonts - set(names)}"
    assert check.missing == []
    assert check.notdef == 0
    # The glyph drawn for each character is the one its manifest font has for it
    # (so no fallback font, no face sharing a family name, no .notdef).
    emb = embedded_glyphs_check(r.pdf, names)
    assert all(emb.fonts.values()), emb.fonts
    assert emb.glyphs > 50
    assert emb.wrong == []


def test_characters_no_manifest_font_has_are_set_as_geta():
    """An emoji or a rune would reach a system font: it is set as 〓 and reported."""
    issue = read_issue(SAMPLE)
    issue.articles[1].blocks[0].text += "雪人☃与笑脸😀及ᚠ字"
    issue.articles[0].authors[0].name += "ᚠ"
    r = render_issue(issue)
    assert r.replaced == {"😀": 1, "ᚠ": 2}
    names = pdf_font_files()
    assert glyph_check(r.pdf, names).fonts <= set(names)
    text = "".join(page_texts(r.pdf))
    assert "☃" in text and "😀" not in text and "〓" in text


def test_pdffonts_all_embedded_subset(issue000, tmp_path):
    _, r = issue000
    f = tmp_path / "x.pdf"
    f.write_bytes(r.pdf)
    out = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert len(rows) >= 4
    for row in rows:
        cols = row.split()
        name, emb, sub = cols[0], cols[-5], cols[-4]
        assert emb == "yes" and sub == "yes", row
        assert "+" in name and name.split("+", 1)[1].startswith("Pub-"), row


# ---- Metadata and reproducibility -------------------------------------------------

def test_metadata_and_language():
    issue, r = rendered(SAMPLE)
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == issue.meta.title
        assert str(info["/Author"]) == issue.meta.publisher
        assert str(info["/Subject"])
        assert str(pdf.Root.Lang) == "zh-CN"
        assert str(info["/CreationDate"]).startswith("D:" + issue.meta.date.replace("-", ""))


def test_two_builds_are_identical(tmp_path):
    issue = read_issue(SAMPLE)
    a = write_pdf(issue, tmp_path / "a.pdf").read_bytes()
    b = write_pdf(read_issue(SAMPLE), tmp_path / "b.pdf").read_bytes()
    assert a == b
    assert a == rendered(SAMPLE)[1].pdf
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]  # no temp files left


def test_identical_across_processes(tmp_path):
    """Hash seeds differ between processes; the bytes must not."""
    import sys

    code = ("import sys; from publisher.reader import read_issue; from publisher.pdf import write_pdf; "
            "i = read_issue(sys.argv[1]); [setattr(a, 'id', '') for a in i.articles]; write_pdf(i, sys.argv[2])")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.pdf"
        subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(out)], check=True,
                       env={**__import__("os").environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_source_date_epoch_without_meta_date(monkeypatch):
    issue = read_issue(SAMPLE)
    issue.meta = replace(issue.meta, date=None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    r = render_issue(issue)
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20231114")


# ---- Folios, running heads, page geometry -----------------------------------------

def _words_on(pdf: bytes, page: int, band: tuple[float, float]):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        p = doc.pages[page]
        return [c for c in p.chars if band[0] <= c["top"] <= band[1]]


def test_folios_follow_first_folio_and_contents_use_them():
    issue, r = rendered(SAMPLE, first_folio=10)
    links = contents_links(r.pdf)
    assert links and all(int(l.number) == 10 + l.dest_page for l in links)
    g = geometry(issue.meta.page_size)
    height = g.height_mm * MM
    # Page index 1 carries folio 11 at the foot, at the outer (right: odd) edge.
    foot = _words_on(r.pdf, 1, (height - g.bottom, height))
    assert "".join(c["text"] for c in foot) == "11"
    assert min(c["x0"] for c in foot) > g.width_mm * MM / 2
    # An even first folio starts on a verso: folio 12 (index 2) at the left.
    foot = _words_on(r.pdf, 2, (height - g.bottom, height))
    assert "".join(c["text"] for c in foot) == "12"
    assert max(c["x1"] for c in foot) < g.width_mm * MM / 2


def test_running_head_override_on_versos():
    issue, r = rendered(SAMPLE, running_head="青溪决策参考 2024年合订本")
    g = geometry(issue.meta.page_size)
    first_pages = {e.page_index for e in r.toc if e.level == 1}
    versos = [i for i in range(1, r.page_count) if (r.first_folio + i) % 2 == 0 and i not in first_pages]
    assert versos
    for i in versos:
        head = "".join(c["text"] for c in _words_on(r.pdf, i, (0, g.top - 2)))
        if i > 3:  # after the front matter
            assert _plain(head) == _plain("青溪决策参考 2024年合订本"), (i, head)


def test_running_heads_none_on_column_first_pages(issue000):
    issue, r = issue000
    g = geometry(issue.meta.page_size)
    first_pages = {e.page_index for e in r.toc if e.level == 1}
    for i in range(1, r.page_count):
        head = "".join(c["text"] for c in _words_on(r.pdf, i, (0, g.top - 2)))
        if i in first_pages or i == 0:
            assert head == "", (i, head)
    # Rectos inside a column carry the column's name.
    col_of_page = {}
    for e in r.toc:
        if e.level == 1:
            col_of_page[e.page_index] = e.title
    current = None
    for i in range(1, r.page_count):
        current = col_of_page.get(i, current)
        head = "".join(c["text"] for c in _words_on(r.pdf, i, (0, g.top - 2)))
        if current and i not in first_pages and (r.first_folio + i) % 2 == 1 and i > 3:
            assert _plain(head) == _plain(current), (i, head, current)


@pytest.mark.parametrize("size,expect", [("185mm 260mm", (524.4, 737.0)), ("210mm 297mm", (595.3, 841.9)),
                                         ("148mm 210mm", (419.5, 595.3))])
def test_page_size_and_text_block_of_whole_characters(size, expect):
    g = geometry(size)
    assert g.block_width / 10.5 == g.chars
    assert abs(g.inner + g.outer + g.block_width - g.width_mm * MM) < 0.01
    assert g.inner > g.outer  # binding gutter
    assert abs(g.top + g.bottom + g.block_height - g.height_mm * MM) < 0.01
    issue = read_issue(SAMPLE)
    issue.meta = replace(issue.meta, page_size=size)
    r = render_issue(issue)
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        box = [float(v) for v in pdf.pages[3].MediaBox]
        assert abs(box[2] - expect[0]) < 0.2 and abs(box[3] - expect[1]) < 0.2


def test_long_contents_over_several_pages_keeps_numbers_right():
    """A contents list longer than a page: every entry still links to its title's page."""
    from publisher.model import Article, Column

    base = read_issue(SAMPLE)
    body = [b for a in base.articles for b in a.blocks if b.type == "paragraph"][:3]
    cols = []
    n = 0
    for c in range(8):
        arts = []
        for k in range(7):
            n += 1
            arts.append(Article(title=f"第{n}篇 关于做好县域经济工作的若干思考与建议（之{k + 1}）", id=f"a{n:02d}",
                                blocks=list(body)))
        cols.append(Column(f"栏目{c + 1}", arts))
    issue = Issue(meta=base.meta, columns=cols)
    r = render_issue(issue, first_folio=3)
    links = contents_links(r.pdf)
    assert len(links) == n
    contents_pages = {l.page for l in links}
    assert len(contents_pages) >= 2
    texts = [_plain(t) for t in page_texts(r.pdf)]
    for l in links:
        assert int(l.number) == 3 + l.dest_page
        art = next(a for c in cols for a in c.articles if a.id == l.dest)
        assert _plain(art.title) in texts[l.dest_page]


@pytest.mark.parametrize("name", [p for p in inputs() if p.values[0] in ("001", "003")] or ["sample"])
def test_single_article_prints_the_issue_title_on_its_first_page(name):
    issue = read_issue(input_path(name))
    issue.meta = replace(issue.meta, magazine="语料测试刊", issue_label="2024年第5期")
    r = render_issue(issue)
    first = _plain(page_texts(r.pdf)[0])
    assert _plain(issue.meta.title) in first
    if len(issue.articles) == 1:
        assert _plain(issue.articles[0].title) in first
        assert r.toc[0].page_index == 0


def test_new_page_per_article():
    issue = read_issue(SAMPLE)
    issue.meta = replace(issue.meta, new_page_per_article=True)
    r = render_issue(issue)
    pages = [e.page_index for e in r.toc if e.level == 2]
    assert len(set(pages)) == len(pages)


def test_headline_balancing():
    assert balance("在聚力中心化暨加快建设县域经济强县动员大会上的讲话", 22) == ["在聚力中心化暨加快建设县", "域经济强县动员大会上的讲话"]
    assert balance("短标题", 22) == ["短标题"]
    lines = balance("关于“十四五”时期推进农业农村现代化的实施意见和若干配套措施", 14)
    assert all(len(x) <= 14 for x in lines)
    assert not any(x[0] in "”，。" for x in lines)


# ---- Print mode ---------------------------------------------------------------------

def test_print_mode_boxes_and_multiple_of_four():
    issue, r = rendered(SAMPLE, print_mode=True)
    _, screen = rendered(SAMPLE)
    assert r.page_count % 4 == 0
    assert r.page_count - r.blank_pages == screen.page_count
    g = geometry(issue.meta.page_size)
    w, h = g.width_mm * MM, g.height_mm * MM
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        assert len(pdf.pages) == r.page_count
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert abs((trim[2] - trim[0]) - w) < 0.05 and abs((trim[3] - trim[1]) - h) < 0.05
            for a, b, sign in zip(bleed, trim, (-1, -1, 1, 1)):
                assert abs((a - b) - sign * BLEED_MM * MM) < 0.05
            # The slug with the crop marks lies outside the bleed.
            assert abs((media[2] - media[0]) - (w + 2 * SLUG_MM * MM)) < 0.05
    # Screen mode: no marks, page = trim.
    with pikepdf.open(io.BytesIO(screen.pdf)) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert abs(box[2] - box[0] - w) < 0.05


def test_print_mode_is_pdfx4_structurally():
    """Print mode writes PDF/X-4 (publisher/pdf/pdfx.py; tests/test_pdfx.py reads its
    inks): a GTS_PDFX output intent with a CMYK profile, the XMP's PDF/X version,
    fonts embedded, no annotations, no encryption, a file identifier; and two builds
    are byte-identical."""
    issue, r = rendered(SAMPLE, print_mode=True)
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        assert not pdf.is_encrypted and "/ID" in pdf.trailer
        assert pdf.pdf_version == "1.6"
        (oi,) = pdf.Root.OutputIntents
        assert oi.S == "/GTS_PDFX" and int(oi.DestOutputProfile.N) == 4
        meta = pdf.open_metadata()
        assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert meta.get("dc:title") == str(pdf.docinfo["/Title"]) == issue.meta.title
        assert meta.get("xmp:CreateDate", "").startswith(issue.meta.date)
        assert not any("/Annots" in page.obj for page in pdf.pages)
        fonts = list(page_fonts(pdf))
        assert fonts
        for f in fonts:
            desc = f.DescendantFonts[0].FontDescriptor
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    again = render_issue(read_issue(SAMPLE), print_mode=True)
    assert again.pdf == r.pdf


def test_print_mode_crop_marks_outside_bleed():
    """Crop marks: at every corner, on the trim lines, entirely outside the bleed box."""
    import pdfplumber

    _, r = rendered(SAMPLE, print_mode=True)
    slug, bleed = SLUG_MM * MM, BLEED_MM * MM
    with pdfplumber.open(io.BytesIO(r.pdf)) as doc:
        page = doc.pages[2]
        bx0, btop, bx1, bbottom = page.bbox
        trim = (bx0 + slug, btop + slug, bx1 - slug, bbottom - slug)
        outer = (trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed)
        strokes = page.lines + page.curves
        marks = [m for m in strokes if not (trim[0] - 0.1 <= m["x0"] and m["x1"] <= trim[2] + 0.1
                                             and trim[1] - 0.1 <= m["top"] and m["bottom"] <= trim[3] + 0.1)]
        assert len(marks) == 8  # two strokes per corner
        for m in marks:
            overlaps = (m["x0"] < outer[2] - 0.01 and m["x1"] > outer[0] + 0.01
                        and m["bottom"] > outer[1] + 0.01 and m["top"] < outer[3] - 0.01)
            assert not overlaps, m
            # Each mark lies on a trim line.
            on_trim = any(abs(m[k] - v) < 0.1 for k, v in (("x0", trim[0]), ("x0", trim[2]), ("top", trim[1]), ("top", trim[3])))
            assert on_trim, m


def test_cover_image_fills_the_cover(tmp_path):
    from PIL import Image

    img = tmp_path / "cover.png"
    Image.new("RGB", (370, 520), (30, 90, 160)).save(img)
    issue = read_issue(SAMPLE)
    issue.meta = replace(issue.meta, cover=str(img))
    r = render_issue(issue)
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert (int(image.Width), int(image.Height)) == (370, 520)
    issue.meta = replace(issue.meta, cover=str(tmp_path / "missing.jpg"))
    with pytest.raises(PublisherError):
        render_issue(issue)


def test_odd_metadata_and_structure_still_render():
    """Quotes and backslashes in names (CSS strings), markup characters in titles, an
    article without blocks, an unnamed column among named ones."""
    from publisher.model import Article, Column

    issue = read_issue(SAMPLE)
    issue.meta = replace(issue.meta, magazine='青溪"决策\\参考', issue_label="<第2期>&")
    issue.columns[1].name = '政策"资讯\\'
    issue.columns[1].articles[0].title = "关于<b>优化</b>营商环境 & 若干措施"
    issue.columns.append(Column("", [Article(title="空白稿", id="a99")]))
    r = render_issue(issue)
    texts = [_plain(t) for t in page_texts(r.pdf)]
    assert any(_plain("关于<b>优化</b>营商环境 & 若干措施") in t for t in texts)
    assert any('青溪"决策\\参考' in t for t in texts)
    links = contents_links(r.pdf)
    assert {l.dest for l in links} == {a.id for a in issue.articles}
    assert all(int(l.number) == 1 + l.dest_page for l in links)


def test_bad_input_is_a_publisher_error():
    with pytest.raises(PublisherError):
        render_issue(Issue())
    issue = read_issue(SAMPLE)
    with pytest.raises(PublisherError):
        render_issue(issue, first_folio=0)
    issue.meta = replace(issue.meta, page_size="10mm 10mm")
    with pytest.raises(PublisherError):
        render_issue(issue)
