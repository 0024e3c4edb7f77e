"""The EPUB backend on issues built by hand (tests/epub_fixtures.py): structure,
metadata, fonts, determinism, EPUBCheck."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from epub_fixtures import long_speech_issue, magazine_issue, single_piece
from epub_helpers import NS, Book, epubcheck, norm, text
from publisher.epub import build_epub_bytes, write_epub
from publisher.epub.documents import headline_lines
from publisher.errors import PublisherError
from publisher.model import Block


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("epub")
    out = {
        "mag": write_epub(magazine_issue(), d / "mag.epub"),
        "mag-nofonts": write_epub(magazine_issue(), d / "mag-nofonts.epub", embed_fonts=False),
        "single": write_epub(single_piece(), d / "single.epub"),
        "split": write_epub(long_speech_issue(), d / "split.epub", embed_fonts=False),
    }
    return out


@pytest.fixture(scope="module")
def checked(built):
    return epubcheck(list(built.values()))


@pytest.mark.parametrize("which", ["mag", "mag-nofonts", "single", "split"])
def test_epubcheck_clean(built, checked, which):
    msgs = checked[built[which]]
    assert msgs == [], "\n".join(str(m) for m in msgs)


def test_reading_order(built):
    book = Book(built["mag"])
    spine = book.spine_hrefs()
    assert spine[:3] == ["text/cover.xhtml", "text/titlepage.xhtml", "text/contents.xhtml"]
    assert spine[-1] == "text/colophon.xhtml"
    # 卷首语 straight after the contents page, no opener for a lone editorial.
    assert spine[3] == "text/a01.xhtml"
    body = [h for h in spine if re.match(r"text/a\d+\.xhtml", h)]
    assert body == [f"text/a0{n}.xhtml" for n in range(1, 7)]
    # every other column gets an opener page right before its first article
    for col_href, first in (("text/c02.xhtml", "text/a02.xhtml"), ("text/c03.xhtml", "text/a03.xhtml"),
                            ("text/c05.xhtml", "text/a06.xhtml")):
        assert spine.index(col_href) + 1 == spine.index(first)


def test_nav_nests_columns_articles_headings(built):
    issue = magazine_issue()
    toc = Book(built["mag"]).toc()
    assert [norm(label) for label, _, _ in toc] == [c.name for c in issue.columns]
    for (label, href, arts), col in zip(toc, issue.columns):
        assert [norm(a[0]) for a in arts] == [norm(a.title) for a in col.articles]
    # the long speech lists its three top-level headings; short pieces list none
    speech = toc[2][2][0]
    assert [h[0] for h in speech[2]] == [b.text for b in issue.columns[2].articles[0].blocks
                                         if b.type == "heading" and b.level == 1]
    assert all(h[1].startswith("text/a03.xhtml#") for h in speech[2])
    assert toc[2][2][1][2] == []


def test_nav_lists_the_parts_of_any_article_with_two_top_level_headings():
    issue = magazine_issue()
    art = issue.columns[3].articles[0]  # a short report
    art.blocks = [Block("paragraph", text="开篇。"), Block("heading", text="一、数字乡村", level=1),
                  Block("paragraph", text="短短一段。"), Block("heading", text="二、数字治理", level=1),
                  Block("heading", text="（一）平台", level=2), Block("paragraph", text="又一段。"),
                  Block("heading", text="三、几点思考", level=1)]
    toc = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False))).toc()
    report = toc[3][2][0]
    assert [h[0] for h in report[2]] == ["一、数字乡村", "二、数字治理", "三、几点思考"]
    # one top-level heading is no list of parts
    art.blocks = art.blocks[:3]
    assert Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False))).toc()[3][2][0][2] == []


def test_nav_targets_exist(built):
    book = Book(built["mag"])
    targets = [h for _, h, _ in book.toc()] + [h for _, _, kids in book.toc() for _, h, _ in kids]
    targets += [h for _, h in book.page_list()] + list(book.landmarks().values())
    for href in targets:
        name, _, frag = href.partition("#")
        root = book.xml(f"EPUB/{name}")
        if frag:
            assert root.xpath("//*[@id=$f]", f=frag), href


def test_contents_page_matches_nav(built):
    book = Book(built["mag"])
    page = book.xml("EPUB/text/contents.xhtml")
    cols = page.xpath("//x:div[@class='toc-column']", namespaces=NS)
    toc = book.toc()
    assert len(cols) == len(toc)
    for div, (label, _, arts) in zip(cols, toc):
        assert text(div.find("x:h2", NS)) == label
        links = div.xpath(".//x:ol/x:li/x:a", namespaces=NS)
        assert [text(a) for a in links] == [a[0] for a in arts]
        assert ["text/" + a.get("href").removeprefix("../text/") for a in links] == [a[1] for a in arts]


def test_page_list_has_each_articles_print_page(built):
    issue = magazine_issue()
    book = Book(built["mag"])
    pages = book.page_list()
    assert pages == [(str(a.page), f"text/{a.id}.xhtml#page-{a.page}") for a in issue.articles]
    # the page break markers carry their page number for assistive technology
    marker = book.xml("EPUB/text/a03.xhtml").xpath("//*[@id='page-5']")[0]
    assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
    assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == "5"
    assert book.dc("source"), "a page-list needs the dc:source of the print edition"
    opf = book.opf
    src_id = opf.xpath("//dc:source/@id", namespaces=NS)[0]
    assert [m.text for m in opf.xpath(f"//opf:meta[@refines='#{src_id}'][@property='source-of']", namespaces=NS)] \
        == ["pagination"]
    # only each article's first page is known, not every print page boundary: no claim
    # of print page numbers, in the metadata or the colophon
    assert "printPageNumbers" not in book.meta("schema:accessibilityFeature")
    colophon = text(book.xml("EPUB/text/colophon.xhtml"))
    assert "一致" not in colophon and "起始页码" in colophon
    assert "起始页码" in book.meta("schema:accessibilitySummary")[0]


def test_package_language_and_heading_order(built):
    from publisher.epub.documents import heading_order

    for which in ("mag", "single", "split"):
        book = Book(built[which])
        assert book.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
        for href in book.spine_hrefs():
            levels = [int(h.tag[-1]) for h in book.xml(f"EPUB/{href}").iter()
                      if isinstance(h.tag, str) and re.fullmatch(r"\{[^}]+\}h[1-6]", h.tag)]
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (which, href, levels)
    # levels skipped by the text are closed up, one step at a time
    got = [b.level for b in heading_order([Block("heading", text="x", level=n) for n in (2, 3, 1, 4, 4, 2, 6, 7)])]
    assert got == [1, 2, 1, 2, 2, 2, 3, 4]


def test_landmarks(built):
    lm = Book(built["mag"]).landmarks()
    assert lm["cover"] == "text/cover.xhtml"
    assert lm["toc"] == "text/contents.xhtml"
    assert lm["bodymatter"] == "text/a01.xhtml"
    assert lm["colophon"] == "text/colophon.xhtml"


@pytest.mark.parametrize("which", ["mag", "single", "split"])
def test_every_spine_document_is_reachable_from_the_nav(built, which):
    book = Book(built[which])
    seen, todo = {"nav.xhtml"}, ["nav.xhtml"]
    while todo:
        doc = todo.pop()
        base = doc.rsplit("/", 1)[0] + "/" if "/" in doc else ""
        for href in book.xml(f"EPUB/{doc}").xpath("//x:a/@href", namespaces=NS):
            target = href.split("#")[0]
            parts = []
            for seg in (base + target).split("/"):
                if seg == "..":
                    parts.pop()
                elif seg:
                    parts.append(seg)
            target = "/".join(parts)
            if target.endswith(".xhtml") and target not in seen:
                seen.add(target)
                todo.append(target)
    assert set(book.spine_hrefs()) <= seen


def test_ncx_mirrors_nav(built):
    book = Book(built["mag"])
    ncx = book.xml("EPUB/toc.ncx")
    top = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    assert [norm(p.findtext("ncx:navLabel/ncx:text", namespaces=NS)) for p in top] == [t[0] for t in book.toc()]
    uid = ncx.xpath("//ncx:meta[@name='dtb:uid']/@content", namespaces=NS)[0]
    assert uid == book.dc("identifier")[0]


def test_metadata(built):
    book = Book(built["mag"])
    assert book.dc("title") == ["青溪决策参考 2024年第2期"]
    assert book.dc("language") == ["zh-CN"]
    assert book.dc("date") == ["2024-04-01"]
    assert book.dc("publisher") == ["中共青溪县委政策研究室"]
    assert book.meta("dcterms:modified") == ["2024-04-01T00:00:00Z"]
    assert book.meta("belongs-to-collection") == ["青溪决策参考"]
    assert book.meta("group-position") == [] or True  # refines, checked below
    opf = book.opf
    coll = opf.xpath("//opf:meta[@property='belongs-to-collection']/@id", namespaces=NS)[0]
    refined = {m.get("property"): m.text for m in opf.xpath(f"//opf:meta[@refines='#{coll}']", namespaces=NS)}
    assert refined == {"collection-type": "series", "group-position": "2"}
    assert set(book.meta("schema:accessMode")) == {"textual", "visual"}
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("schema:accessibilitySummary") and book.meta("schema:accessModeSufficient")
    assert {"structuralNavigation", "tableOfContents"} <= set(book.meta("schema:accessibilityFeature"))
    # the authors are contributors; the editorial office is the creator
    assert book.dc("creator") == ["中共青溪县委政策研究室"]
    assert "林振东" in book.dc("contributor")


def test_identifier_stable_and_distinct():
    a = Book(io.BytesIO(build_epub_bytes(magazine_issue(), embed_fonts=False))).dc("identifier")[0]
    other = magazine_issue()
    other.meta.issue_label = "2024年第3期"
    b = Book(io.BytesIO(build_epub_bytes(other, embed_fonts=False))).dc("identifier")[0]
    assert a.startswith("urn:uuid:") and b.startswith("urn:uuid:") and a != b
    # same magazine + issue, different text: same identifier
    changed = magazine_issue()
    changed.columns[0].articles[0].blocks.append(Block("paragraph", text="另加一段。"))
    assert Book(io.BytesIO(build_epub_bytes(changed, embed_fonts=False))).dc("identifier")[0] == a


def test_rebuild_is_byte_identical(built, tmp_path):
    again = write_epub(magazine_issue(), tmp_path / "again.epub")
    assert again.read_bytes() == built["mag"].read_bytes()


def test_source_date_epoch_without_a_date(monkeypatch):
    issue = single_piece()
    assert issue.meta.date is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False)))
    assert book.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]
    assert {i.date_time for i in book.zip.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_zip_layout(built):
    z = zipfile.ZipFile(built["mag"])
    first = z.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert z.read("mimetype") == b"application/epub+zip"
    assert {i.date_time for i in z.infolist()} == {(2024, 4, 1, 0, 0, 0)}


def test_every_document_is_xhtml_in_chinese(built):
    book = Book(built["mag"])
    docs = [n for n in book.names if n.endswith(".xhtml")]
    assert len(docs) == len(book.spine_hrefs()) + 1  # + nav
    for name in docs:
        root = book.xml(name)
        assert root.tag == "{http://www.w3.org/1999/xhtml}html"
        assert root.get("lang") == "zh-CN" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
        links = root.xpath("//x:head/x:link[@rel='stylesheet']/@href", namespaces=NS)
        assert [l.rsplit("/", 1)[-1] for l in links] == ["fonts.css", "base.css", "epub.css"]


def test_article_document(built):
    root = Book(built["mag"]).xml("EPUB/text/a03.xhtml")
    title = root.xpath("//x:h2[@class='title']", namespaces=NS)[0]
    assert text(title) == "在全县项目建设推进大会上的讲话"
    byline = root.xpath("//x:div[@class='byline']/x:p", namespaces=NS)[0]
    assert [text(s) for s in byline] == ["中共青溪县委书记", "林振东"]
    heads = root.xpath("//x:h3[@class='h1']", namespaces=NS)
    assert [h.get("id") for h in heads] == ["a03-s1", "a03-s2", "a03-s3"]
    assert root.xpath("//x:h4[@class='h2']", namespaces=NS)
    assert root.xpath("//x:p[@class='salutation']", namespaces=NS)
    # ¼ em Han–Latin spacing: a space of its own (dropped at a line's edges), no margin
    spaces = root.xpath("//x:span[@class='hws']", namespaces=NS)
    assert spaces and all(s.text == " " and len(s) == 0 for s in spaces)
    assert spaces[0].tail.startswith("126") and spaces[1].tail.startswith("个")
    assert not root.xpath("//x:span[contains(concat(' ', @class, ' '), ' hw ')]", namespaces=NS)
    # editorial: signed at the end, no byline in the head
    ed = Book(built["mag"]).xml("EPUB/text/a01.xhtml")
    assert text(ed.xpath("//x:p[@class='signature']", namespaces=NS)[0]) == "山禾"
    assert not ed.xpath("//x:div[@class='byline']", namespaces=NS)
    # literary: subtitle, verse in two stanzas
    lit = Book(built["mag"]).xml("EPUB/text/a06.xhtml")
    assert text(lit.xpath("//x:p[@class='subtitle']", namespaces=NS)[0]) == "——写给云雾山的采茶人"
    assert len(lit.xpath("//x:div[@class='verse']/x:p[@class='stanza']", namespaces=NS)) == 2


def test_title_with_deliberate_space_breaks_into_two_lines(built):
    root = Book(built["mag"]).xml("EPUB/text/a01.xhtml")
    title = root.xpath("//x:h2[@class='title']", namespaces=NS)[0]
    assert len(title.findall("x:br", NS)) == 1
    assert headline_lines("坚持首位战略 凝心聚力加快建设县域经济强县") == ["坚持首位战略", "凝心聚力加快建设县域经济强县"]
    # a space inside quotes lists items, it does not end a line
    assert headline_lines("落实优先发展方针 奋力开创“农业强 农村美 农民富”的新局面") == [
        "落实优先发展方针", "奋力开创“农业强\u3000农村美\u3000农民富”的新局面"]
    # many parts: two balanced lines
    assert headline_lines("抓招商促消费 稳外资稳外贸 为建设县域经济强县贡献商务力量") == [
        "抓招商促消费\u3000稳外资稳外贸", "为建设县域经济强县贡献商务力量"]


def _cmap(data: bytes) -> set[str]:
    return {chr(c) for c in TTFont(io.BytesIO(data)).getBestCmap()}


def test_fonts_are_subsets_of_exactly_the_characters_used(built):
    book = Book(built["mag"])
    fonts = {n.rsplit("/", 1)[-1].split(".")[0]: book.read(n) for n in book.names if n.startswith("EPUB/fonts/")}
    assert {"song", "hei-bold", "kai", "fangsong"} <= set(fonts)
    song, hei, kai, fang = (_cmap(fonts[r]) for r in ("song", "hei-bold", "kai", "fangsong"))
    # body text of the speech is Song; the kicker is Fangsong; the editorial body and bylines Kai;
    # headlines Hei bold
    assert set("今天召开全县项目建设推进大会") <= song
    assert set("国务院办公厅印发") <= fang
    assert set("一年之计在于春林振东") <= kai
    assert set("在全县项目建设推进大会上的讲话") <= hei
    # nothing that is only ever set in Fangsong is in the Song subset, and vice versa
    assert "厅" not in song and "厅" not in hei
    assert "召" not in fang
    css = book.read("EPUB/styles/fonts.css").decode()
    for role in fonts:
        assert f'url("../fonts/{role}.' in css
    media = {i.get("href"): i.get("media-type") for i in book.opf.iterfind(".//opf:manifest/opf:item", NS)}
    assert {media[f"fonts/{r}.otf"] if f"fonts/{r}.otf" in media else media[f"fonts/{r}.ttf"]
            for r in fonts} <= {"font/otf", "font/ttf"}


def test_apple_books_is_told_to_use_the_embedded_fonts(built):
    opts = Book(built["mag"]).xml("META-INF/com.apple.ibooks.display-options.xml")
    option = opts.find("platform/option")
    assert opts.find("platform").get("name") == "*"
    assert (option.get("name"), option.text) == ("specified-fonts", "true")
    # no fonts embedded: nothing to ask for
    assert "META-INF/com.apple.ibooks.display-options.xml" not in Book(built["mag-nofonts"]).names


def test_no_embed_fonts(built):
    book = Book(built["mag-nofonts"])
    assert not [n for n in book.names if n.startswith("EPUB/fonts/")]
    assert "EPUB/styles/fonts.css" not in book.names
    assert built["mag-nofonts"].stat().st_size < built["mag"].stat().st_size


def test_uncovered_character_is_an_error_naming_it():
    issue = magazine_issue()
    issue.columns[2].articles[1].blocks.append(Block("paragraph", text="私用区字符\ue000在此。"))
    with pytest.raises(PublisherError) as e:
        build_epub_bytes(issue)
    msg = str(e.value)
    assert "U+E000" in msg and "以作风建设新成效推动各项工作" in msg and "字符" in msg
    # without embedded fonts the reader's fonts decide: no error
    assert build_epub_bytes(issue, embed_fonts=False)


def test_single_piece(built):
    book = Book(built["single"])
    spine = book.spine_hrefs()
    assert spine == ["text/cover.xhtml", "text/a01.xhtml", "text/colophon.xhtml"]
    assert [(norm(t[0]), t[1]) for t in book.toc()] == [("以实干实绩奋力迈向“县域经济强县”", "text/a01.xhtml")]
    assert book.dc("title") == ["以实干实绩奋力迈向“县域经济强县”"]
    assert book.dc("creator") == ["唐翔"]
    assert book.page_list() == [] and not book.dc("source")
    # the collection is never the piece's headline: the input's name stands in
    assert book.meta("belongs-to-collection") == ["feature"]
    root = book.xml("EPUB/text/a01.xhtml")
    assert root.xpath("//x:p[@class='credits']", namespaces=NS)
    assert not root.xpath("//x:p[@class='column-label']", namespaces=NS)


def _identity(issue):
    book = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False)))
    return book, {"title": book.dc("title"), "creator": book.dc("creator"), "contributor": book.dc("contributor"),
                  "collection": book.meta("belongs-to-collection")}


def test_issue_without_a_magazine_is_named_after_its_file_not_a_headline():
    from publisher.epub.documents import identity_warning

    issue = magazine_issue()
    issue.meta.magazine = issue.meta.issue_label = issue.meta.publisher = ""
    book, ident = _identity(issue)
    headlines = {norm(a.title) for a in issue.articles}
    assert ident["title"] == ["qingxi-2024-02"] and ident["collection"] == ["qingxi-2024-02"]
    assert ident["creator"] == ["编辑部"]  # never "Unknown", never 18 authors as creators
    assert {"山禾", "林振东", "陈晓"} <= set(ident["contributor"])
    tp = book.xml("EPUB/text/titlepage.xhtml")
    assert norm(text(tp.xpath("//x:h1", namespaces=NS)[0])) == "qingxi-2024-02"
    cover = book.xml("EPUB/text/cover.xhtml")
    assert not any(h in "".join(cover.itertext()) for h in headlines)
    warning = identity_warning(issue)
    assert "qingxi-2024-02" in warning and "magazine" in warning
    assert "no date" not in warning  # the fixture has one
    # with a publisher, the publisher is the creator; with a magazine, its label joins it
    issue.meta.publisher = "中共青溪县委政策研究室"
    assert _identity(issue)[1]["creator"] == ["中共青溪县委政策研究室"]
    issue.meta.magazine, issue.meta.issue_label = "青溪决策参考", "2024年第2期"
    assert _identity(issue)[1]["title"] == ["青溪决策参考 2024年第2期"] and identity_warning(issue) is None


def test_single_piece_always_has_a_creator_and_never_its_headline_as_collection():
    from publisher.model import Meta

    piece = single_piece()
    piece.articles[0].authors = []
    _, ident = _identity(piece)
    assert ident["creator"] == ["佚名"] and ident["collection"] == ["feature"]
    # a newspaper page whose archive names the paper but no issue: the paper publishes it
    piece.meta = Meta(magazine="人民日报", date="2026-03-13", name="rmrb-p11")
    book, ident = _identity(piece)
    assert ident["title"] == ["以实干实绩奋力迈向“县域经济强县”"]
    assert ident["creator"] == ["人民日报"] and ident["collection"] == ["人民日报"]
    assert book.dc("date") == ["2026-03-13"] and book.meta("dcterms:modified") == ["2026-03-13T00:00:00Z"]


def test_given_cover_image_is_used(tmp_path):
    img = tmp_path / "cover.jpg"
    Image.new("RGB", (600, 840), (20, 60, 120)).save(img, format="JPEG")
    issue = magazine_issue()
    issue.meta.cover = str(img)
    book = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False)))
    assert book.read("EPUB/images/cover.jpg") == img.read_bytes()
    item = book.opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)[0]
    assert item.get("media-type") == "image/jpeg"
    svg = book.xml("EPUB/text/cover.xhtml").xpath("//*[local-name()='svg']")[0]
    assert svg.get("viewBox") == "0 0 600 840"
    issue.meta.cover = str(tmp_path / "missing.png")
    with pytest.raises(PublisherError, match="missing.png"):
        build_epub_bytes(issue, embed_fonts=False)


def test_generated_cover(built):
    book = Book(built["mag"])
    im = Image.open(io.BytesIO(book.read("EPUB/images/cover.png")))
    assert im.size == (1400, 1960)
    # a band of colour at the top, paper below, and ink on both
    top = im.crop((0, 0, 1400, 640)).getcolors(1_000_000)
    assert len(top) > 20  # text drawn on the band, antialiased
    assert im.getpixel((5, 5)) != im.getpixel((5, 1000))
    alt = book.xml("EPUB/text/cover.xhtml").xpath("//*[local-name()='title']")[-1]
    assert "青溪决策参考" in alt.text


def test_empty_column_is_left_out():
    from publisher.model import Column

    issue = magazine_issue()
    issue.columns.insert(2, Column("空栏目", []))
    toc = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False))).toc()
    assert "空栏目" not in [t[0] for t in toc] and len(toc) == len(issue.columns) - 1


def test_deep_heading_levels_stay_valid_html():
    issue = single_piece()
    blocks = issue.columns[0].articles[0].blocks
    blocks.append(Block("heading", text="第五层标题", level=6))  # right under a level-1 heading
    blocks += [Block("heading", text=f"第{'二三四五六'[n - 2]}级", level=n) for n in range(2, 7)]
    book = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False)))
    root = book.xml("EPUB/text/a01.xhtml")
    h = root.xpath("//*[text()='第五层标题']")[0]
    assert h.tag == "{http://www.w3.org/1999/xhtml}h4"  # one step below, no level skipped
    deepest = root.xpath("//*[text()='第六级']")[0]
    assert deepest.tag == "{http://www.w3.org/1999/xhtml}h6"  # HTML stops at h6


def test_very_long_article_splits_at_top_level_headings(built):
    data = built["split"].read_bytes()
    book = Book(io.BytesIO(data))
    spine = book.spine_hrefs()
    parts = [h for h in spine if h.startswith("text/a03")]
    assert parts == ["text/a03.xhtml", "text/a03-2.xhtml", "text/a03-3.xhtml"]
    # the head (title, byline, page marker) only in the first part; headings link into their part
    assert book.xml("EPUB/text/a03.xhtml").xpath("//*[@id='a03-title']")
    assert not book.xml("EPUB/text/a03-2.xhtml").xpath("//*[@class='article-head']")
    speech_nav = Book(io.BytesIO(data)).toc()[2][2][0]
    assert [h[1] for h in speech_nav[2]] == ["text/a03.xhtml#a03-s1", "text/a03-2.xhtml#a03-s2", "text/a03-3.xhtml#a03-s3"]
    for _, href, _ in speech_nav[2]:
        name, frag = href.split("#")
        assert book.xml(f"EPUB/{name}").xpath("//*[@id=$f]", f=frag)
    assert all(len(book.read(f"EPUB/{p}")) < 150_000 for p in parts)


def test_a_sections_kicker_opens_the_document_of_its_section():
    """A note right above a heading a long article is split at (its kicker: Block.role)
    goes with its heading into the next document, set as a kicker, not left at the end of
    the previous one."""
    from epub_fixtures import long_speech_issue

    issue = long_speech_issue()
    blocks = issue.columns[2].articles[0].blocks
    k = [i for i, b in enumerate(blocks) if b.type == "heading" and b.level == 1][1]
    blocks.insert(k, Block("note", text="地点：县委党校礼堂", role="kicker"))
    book = Book(io.BytesIO(build_epub_bytes(issue, embed_fonts=False)))
    first, second = (book.xml(f"EPUB/text/{n}.xhtml") for n in ("a03", "a03-2"))
    assert not first.xpath("//*[text()='地点：县委党校礼堂']")
    kicker = second.xpath("//*[text()='地点：县委党校礼堂']")
    assert kicker and kicker[0].get("class") == "note kicker"
    heading = kicker[0].getnext()
    assert heading is not None and heading.get("id") == "a03-s2"


def test_subsets_keep_the_license_and_work_without_harfbuzz(monkeypatch):
    from publisher.epub import fontsubset
    from publisher.fonts import font_faces

    kai = next(f for f in font_faces() if f.role == "kai")
    hb = fontsubset.FontSource(kai.path, kai.index).subset(set("春到茶山，"))
    monkeypatch.setattr(fontsubset, "_harfbuzz", lambda: None)
    ft = fontsubset.FontSource(kai.path, kai.index)
    assert ft.covers(ord("春")) and not ft.covers(0xE000)
    ft_data = ft.subset(set("春到茶山，"))
    for data in (hb, ft_data):
        font = TTFont(io.BytesIO(data))
        assert set(font.getBestCmap()) == {ord(c) for c in "春到茶山，"}
        assert font["name"].getDebugName(13), "the OFL license record travels with the subset"


def test_captions_are_figures(built):
    root = Book(built["mag"]).xml("EPUB/text/a05.xhtml")
    figs = root.xpath("//x:figure", namespaces=NS)
    assert len(figs) == 1
    cap = figs[0].find("x:figcaption", NS)
    assert cap is not None and cap.get("class") == "caption"
    assert text(cap).startswith("石门村村级服务中心的数字大屏。") and "县委宣传部供图" in text(cap)
    assert not root.xpath("//x:p[@class='caption']", namespaces=NS)


def test_css_is_what_reading_systems_parse(built):
    """No custom properties or var() (calibre's parser stops at them), and every
    declaration of the book's stylesheets a plain property: value."""
    import tinycss2

    book = Book(built["mag"])
    sheets = [n for n in book.names if n.endswith(".css")]
    assert {"EPUB/styles/base.css", "EPUB/styles/epub.css", "EPUB/styles/fonts.css"} <= set(sheets)
    for name in sheets:
        css = book.read(name).decode("utf-8")
        assert "var(" not in css, name
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            assert rule.type in ("qualified-rule", "at-rule"), (name, rule)
            for d in tinycss2.parse_declaration_list(rule.content or [], skip_comments=True, skip_whitespace=True):
                assert d.type == "declaration", (name, d)
                assert not d.name.startswith("--"), (name, d.name)
