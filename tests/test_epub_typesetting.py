"""The EPUB as a CSS engine sets it: adjacent punctuation compressed by what each face's
marks allow (clreq §3.1.6), read from the fonts; documents rendered by WeasyPrint with
only the book's embedded fonts and read back glyph by glyph."""
from __future__ import annotations

import re

import pytest

from epub_fixtures import P
from epub_helpers import Book, InkBoxes, extract, line_starts, overlapping_glyphs, render_document
from publisher.epub import write_epub
from publisher.fonts import font_faces
from publisher.model import Article, Author, Column, Issue, Meta
from publisher.render.marks import MARKS, MarkMetrics, cut, cut_class, cut_css, face_marks, retune

# Real lines of 000's 卷首语 (Kai) with a narrow quote before a mark.
KAI_LINES = [
    "全县上下要把“项目为王”的理念贯穿始终，以“绿色工程，”即实施环境优化为抓手。",
    "奋力拼出“开门红、”拼出“年年优、”拼出“满堂彩。”",
    "他说：“好。”我们都记住了“实干”，记住了“担当”：这就是答卷。",
]


# Han–Western runs at every place of a line (the numbers of real 000/001 lines).
WESTERN_LINES = ["全县推动5G网络、物联网设备向乡村延伸，126个行政村实现4G全覆盖，完成投资85.6亿元，同比增长12.3%，"
                 "GDP达到255.92亿元。" * (k + 1) + "共12个方面。" for k in range(12)]


def _face(role: str):
    return next(f for f in font_faces() if f.role == role)


def test_cut_follows_each_faces_advance():
    song, kai = face_marks(_face("song").path, _face("song").index), face_marks(_face("kai").path, _face("kai").index)
    # Noto Serif CJK: every mark is 1 em, ink on one half; ½ em goes.
    assert song["”"].advance == 1.0 and cut(song["”"], "pc") == 0.5
    assert cut(song["，"], "pc") == 0.5 and cut(song["（"], "pc-l") == 0.5
    # LXGW WenKai's curly quotes are 0.35 em with no blank half: nothing goes.
    assert kai["”"].advance == pytest.approx(0.35) and cut(kai["”"], "pc") == 0
    assert cut(kai["“"], "pc-l") == 0
    assert cut(kai["，"], "pc") == 0.5 and cut(kai["）"], "pc") == 0.5
    # never into the ink: a mark whose ink reaches past the half keeps all of it
    assert cut(MarkMetrics(1.0, 0.1, 0.62), "pc") == 0.38
    assert cut(MarkMetrics(1.0, 0.3, 0.9), "pc-l") == 0.3


@pytest.mark.parametrize("role", ["song", "kai"])
def test_freetypes_marks_are_the_outlines_own(role):
    """face_marks reads each glyph with FreeType; fontTools (the whole font decoded, the
    outline's exact bounds drawn with a BoundsPen) gives the same advance and ink."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    face = _face(role)
    got = face_marks(face.path, face.index)
    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        upm, cmap, glyphs, hmtx = font["head"].unitsPerEm, font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
        want = {}
        for ch in got:
            pen = BoundsPen(glyphs)
            glyphs[cmap[ord(ch)]].draw(pen)
            lo, hi = (pen.bounds[0], pen.bounds[2]) if pen.bounds else (0, 0)
            want[ch] = (hmtx[cmap[ord(ch)]][0] / upm, lo / upm, hi / upm)
        # every mark the face maps, and only those
        assert set(got) == {ch for ch in MARKS + " " if cmap.get(ord(ch), ".notdef") != ".notdef"}
        assert len(got) > 20
    for ch, (adv, lo, hi) in want.items():
        m = got[ch]
        assert m.advance == pytest.approx(adv, abs=1e-9), ch
        assert m.ink_left == pytest.approx(lo, abs=0.002) and m.ink_right == pytest.approx(hi, abs=0.002), ch


def test_cut_classes_and_their_css():
    assert cut_class(0.5, "pc") == "pc" and cut_class(0.0, "pc") is None
    assert cut_class(0.38, "pc") == "pc-38" and cut_class(0.3, "pc-l") == "pc-l-30"
    assert cut_css({"pc-38", "pc-l-30", "pc"}) == ".pc-38 { letter-spacing: -0.38em; }\n.pc-l-30 { margin-left: -0.30em; }\n"


def test_retune_rewrites_exactly_the_markup_spans():
    html = '<p>“好<span class="pc">。</span>”<span class="pc">”</span>，&lt;span class=&#34;pc&#34;&gt;</p>'
    assert retune(html, ["pc-38", None]) == '<p>“好<span class="pc-38">。</span>””，&lt;span class=&#34;pc&#34;&gt;</p>'
    with pytest.raises(ValueError):
        retune(html, ["pc"])


def _issue() -> Issue:
    blocks = [P(t) for t in KAI_LINES * 4]
    return Issue(
        meta=Meta(magazine="青溪决策参考", issue_label="2024年第2期", date="2024-04-01", publisher="青溪县委政策研究室",
                  name="marks"),
        columns=[Column("卷首语", [Article("实干是最好的答卷", id="a01", kind="editorial", authors=[Author("山禾")],
                                         blocks=blocks)]),
                 Column("工作研究", [Article("项目建设的几点思考", id="a02", blocks=blocks)]),
                 Column("调查研究", [Article("数字乡村建设的青溪实践", id="a03", blocks=[P(t) for t in WESTERN_LINES])]),
                 Column("清溪文苑", [Article("春到茶山", id="a04", kind="literary", blocks=[P(t) for t in WESTERN_LINES])])],
    )


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    d = tmp_path_factory.mktemp("marks")
    path = write_epub(_issue(), d / "marks.epub")
    return path, extract(path, d / "x")


def test_kai_quotes_are_not_compressed_song_quotes_are(book):
    path, _ = book
    b = Book(path)
    kai = b.read("EPUB/text/a01.xhtml").decode()
    song = b.read("EPUB/text/a02.xhtml").decode()
    assert 'kind-editorial' in kai
    assert not re.search(r'<span class="pc[^"]*">[”’]</span>', kai)
    assert re.search(r'<span class="pc">，</span>”', kai)  # the full-width comma still loses its blank half
    quote_pairs = sum(len(re.findall(r"[”’](?=[，。、：；！？”’）》])", t)) for t in KAI_LINES)
    assert quote_pairs == 2
    assert len(re.findall(r'<span class="pc">[”’]</span>', song)) == quote_pairs * 4


def test_no_glyphs_overlap_when_rendered_with_the_embedded_fonts(book):
    _, package = book
    inks = InkBoxes(package)
    for href in ("text/a01.xhtml", "text/a02.xhtml"):
        bad, fonts = overlapping_glyphs(render_document(package, href), inks)
        assert fonts <= inks.names(), fonts  # only the book's own fonts drew it
        assert "Pub-Kai" in fonts or href != "text/a01.xhtml"
        assert bad == [], (href, bad)


def test_han_western_spacing_is_a_space_that_goes_at_line_edges(book):
    path, package = book
    song = Book(path).read("EPUB/text/a03.xhtml").decode()
    assert "<span class=\"hws\"> </span>5G" in song and 'class="hw' not in song.replace('class="hws', "")
    kai = Book(path).read("EPUB/text/a04.xhtml").decode()
    assert '<span class="hws-10"> </span>5G' in kai  # LXGW WenKai's space is 0.35 em: 0.10 em off
    assert ".hws-10 { word-spacing: -0.10em; }" in Book(path).read("EPUB/styles/fonts.css").decode()
    for href in ("text/a03.xhtml", "text/a04.xhtml"):
        starts = line_starts(render_document(package, href))
        western = [(ch, x / size) for ch, x, size in starts if ch.isascii() and ch.isalnum()]
        assert len(western) >= 3, (href, starts[:20])  # the test does reach lines that start with a number
        # a line starts flush or at its paragraph's 2 em indent, never ¼ em in
        assert all(abs(x) < 0.02 or abs(x - 2) < 0.02 for _, x in western), (href, western)
