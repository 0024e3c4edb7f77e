"""The EPUB of the bundled sample and of every corpus input: EPUBCheck clean, and for
000 the nav, contents page and page-list against the model of the issue."""
from __future__ import annotations

import re

import pytest

from conftest import SAMPLE, corpus_file, corpus_files
from epub_helpers import NS, Book, epubcheck, norm, text
from publisher.epub import build_epub_bytes, write_epub
from publisher.reader import read_issue


@pytest.fixture(scope="module")
def inputs():
    corpus_file("000")  # skips (or fails under CI) without the corpus
    return [SAMPLE, *corpus_files()]


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    d = tmp_path_factory.mktemp("epub-corpus")
    return {p.name: (read_issue(p), write_epub(read_issue(p), d / f"{p.stem}.epub")) for p in inputs}


@pytest.fixture(scope="module")
def checked(built):
    return epubcheck([path for _, path in built.values()])


def test_every_input_passes_epubcheck(built, checked):
    assert len(built) >= 4
    bad = {name: [str(m) for m in checked[path]] for name, (_, path) in built.items() if checked[path]}
    assert bad == {}


@pytest.fixture(scope="module")
def issue000(built):
    name = corpus_file("000").name
    return built[name]


def test_000_nav_lists_18_articles_under_8_columns_in_contents_order(issue000):
    issue, path = issue000
    toc = Book(path).toc()
    assert len(issue.columns) == 8 and len(issue.articles) == 18
    assert [norm(label) for label, _, _ in toc] == [norm(c.name) for c in issue.columns]
    assert [norm(a[0]) for _, _, arts in toc for a in arts] == [norm(a.title) for a in issue.articles]
    for (_, _, arts), col in zip(toc, issue.columns):
        assert len(arts) == len(col.articles)
    # the 目录 order is the reading order: the article documents follow the nav
    spine = Book(path).spine_hrefs()
    article_hrefs = [a[1] for _, _, arts in toc for a in arts]
    assert article_hrefs == [h for h in spine if h in article_hrefs]


def test_000_contents_page_matches_nav(issue000):
    _, path = issue000
    book = Book(path)
    page = book.xml("EPUB/text/contents.xhtml")
    got = []
    for div in page.xpath("//x:div[@class='toc-column']", namespaces=NS):
        links = div.xpath(".//x:ol/x:li/x:a", namespaces=NS)
        got.append((text(div.find("x:h2", NS)), [(text(a), a.get("href").replace("../", "")) for a in links]))
    want = [(label, [(a[0], a[1]) for a in arts]) for label, _, arts in book.toc()]
    assert got == want


def test_000_page_list_carries_each_articles_contents_page(issue000):
    issue, path = issue000
    book = Book(path)
    pages = dict((href.split("#")[0], label) for label, href in book.page_list())
    toc = book.toc()
    hrefs = [a[1] for _, _, arts in toc for a in arts]
    assert all(a.page is not None for a in issue.articles)
    for art, href in zip(issue.articles, hrefs):
        assert pages.get(href) == str(art.page), art.title
    labels = [int(lab) for lab, _ in book.page_list()]
    assert labels == sorted(labels)


def test_000_sizes_with_and_without_fonts(issue000):
    issue, path = issue000
    assert path.stat().st_size < 6_000_000
    assert len(build_epub_bytes(issue, embed_fonts=False)) < 300_000


def test_000_rebuild_is_byte_identical(issue000, tmp_path):
    issue, path = issue000
    again = write_epub(read_issue(corpus_file("000")), tmp_path / "again.epub")
    assert again.read_bytes() == path.read_bytes()


def test_corpus_feature_articles_read_as_single_pieces(built):
    for name, (issue, path) in built.items():
        if len(issue.articles) != 1:
            continue
        book = Book(path)
        assert "text/contents.xhtml" not in book.spine_hrefs()
        assert [norm(t[0]) for t in book.toc()] == [norm(issue.articles[0].title)]


def test_identity_without_a_sidecar(built):
    """Title, creators and collection of every input read without a sidecar (issue 14 §2)."""
    for name, (issue, path) in built.items():
        book = Book(path)
        title, coll = book.dc("title"), book.meta("belongs-to-collection")
        creators = book.dc("creator")
        headlines = {norm(a.title) for a in issue.articles}
        assert creators and all(c.strip() for c in creators), name  # no "Unknown" in a reader
        assert not {norm(c) for c in coll} & headlines, name
        if len(issue.articles) > 1:
            assert not {norm(t) for t in title} & headlines, name
            if issue.meta.magazine:
                assert title == [issue.meta.title], name
    issue, path = built[corpus_file("000").name]
    book = Book(path)
    stem = corpus_file("000").stem
    assert book.dc("title") == [stem] and book.meta("belongs-to-collection") == [stem]
    assert book.dc("creator") == ["编辑部"]
    assert len(book.dc("contributor")) == len({a.name for art in issue.articles for a in art.authors})
    issue, path = built[corpus_file("001").name]
    book = Book(path)
    assert len(issue.articles) == 1 and issue.contents_source is None  # a 目录-less input
    assert book.dc("title") == [norm(issue.articles[0].title)]
    assert book.dc("creator") == [a.name for a in issue.articles[0].authors]


def test_kai_documents_set_with_their_embedded_fonts_overlap_nowhere(built, tmp_path):
    """Every 卷首语 and literary piece (the Kai documents) of every input, rendered by a
    CSS engine with only the book's fonts: no two glyphs of a line overlap (issue 14 §1)
    and no line of text starts ¼ em in (§6)."""
    from epub_helpers import InkBoxes, extract, line_starts, overlapping_glyphs, render_document

    rendered = 0
    for name, (_, path) in built.items():
        book = Book(path)
        kai = [h for h in book.spine_hrefs()
               if h.startswith("text/a") and re.search(r'class="article-page kind-(editorial|literary)',
                                                       book.read(f"EPUB/{h}").decode())]
        if not kai:
            continue
        package = extract(path, tmp_path / path.stem)
        inks = InkBoxes(package)
        for href in kai:
            pdf = render_document(package, href)
            bad, fonts = overlapping_glyphs(pdf, inks)
            assert fonts <= inks.names() and "Pub-Kai" in fonts, (name, href, fonts)
            assert bad == [], (name, href, bad)
            starts = [x / size for ch, x, size in line_starts(pdf) if ch.isascii() and ch.isalnum()]
            assert all(abs(x) < 0.02 or abs(x - 2) < 0.02 or x > 2.5 for x in starts), (name, href, starts)
            rendered += 1
    assert rendered >= 2, rendered


def test_calibre_converts_without_css_complaints_and_knows_the_creator(built, tmp_path):
    """calibre (Debian's, installed by setup) converts the sample, 000, a single piece
    (001) and a piece with no author (105) to AZW3 with exit 0 and no CSS parser
    message (it stopped at the --body-size custom property), and reads a creator for
    each, never "Unknown" (issue 14 §2, §8)."""
    import shutil
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    assert shutil.which("ebook-convert"), "calibre is installed by scripts/bootstrap.sh setup"
    picks = [p for name, (_, p) in built.items() if name.startswith(("sample", "000", "001", "105"))]
    assert len(picks) == 4

    def convert(path):
        r = subprocess.run(["ebook-convert", str(path), str(tmp_path / f"{path.stem}.azw3")],
                           capture_output=True, text=True, timeout=300)
        meta = subprocess.run(["ebook-meta", str(path)], capture_output=True, text=True, timeout=120)
        return path.stem, r, meta.stdout

    with ThreadPoolExecutor(max_workers=2) as pool:
        for stem, r, meta in pool.map(convert, picks):
            out = r.stdout + r.stderr
            assert r.returncode == 0, (stem, out[-2000:])
            complaints = [ln for ln in out.splitlines() if re.search(r"CSS\w+: |Unexpected token|Unknown property", ln)]
            assert complaints == [], (stem, complaints)
            authors = re.search(r"^Author\(s\)\s*:\s*(.+)$", meta, re.M)
            assert authors and "Unknown" not in authors[1], (stem, meta)
