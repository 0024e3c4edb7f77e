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


# Books read back glyph by glyph from calibre's PDF: every one with Kai documents (the
# faces whose narrow marks issue 14 §1 is about) and every other one under this much
# text. pdfminer reads calibre's one-operator-per-glyph PDFs at about 1,600 glyphs a
# second here, so 101 (42,000 glyphs, 26 s) and 104 (21,000, 13 s) are left to the
# Song checks elsewhere to keep the module near a minute.
PDF_TEXT_LIMIT = 10_000


def _has_kai(path) -> bool:
    book = Book(path)
    return any(h.startswith("text/a") and re.search(r'class="article-page kind-(editorial|literary)',
                                                   book.read(f"EPUB/{h}").decode()) for h in book.spine_hrefs())


def _text_size(issue) -> int:
    return sum(len(b.text) + sum(map(len, b.lines or [])) for a in issue.articles for b in a.blocks)


def _read_pdf(args):
    from epub_helpers import postscript_inks, read_printed_lines

    pdf, epub = args
    return read_printed_lines(pdf, postscript_inks(epub))


@pytest.fixture(scope="module")
def calibre(built, tmp_path_factory):
    """calibre (Debian's, installed by setup) run once per book, four at a time: every
    input to AZW3 (with ebook-meta on the EPUB), and the PDF books (see PDF_TEXT_LIMIT)
    to PDF, printed by its QtWebEngine with a fontconfig that holds no CJK font, then
    read back in two processes."""
    import shutil
    import subprocess
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from epub_helpers import isolated_fontconfig

    assert shutil.which("ebook-convert"), "calibre is installed by scripts/bootstrap.sh setup"
    d = tmp_path_factory.mktemp("calibre")
    env = isolated_fontconfig(d / "fc")
    zh = subprocess.run(["fc-list", ":lang=zh"], env=env, capture_output=True, text=True, timeout=60)
    assert zh.returncode == 0 and zh.stdout.strip() == "", zh.stdout[:500]  # the engine sees no system CJK font
    pdf_books = {name for name, (issue, path) in built.items() if _has_kai(path) or _text_size(issue) < PDF_TEXT_LIMIT}

    def run(job):
        name, fmt = job
        path = built[name][1]
        out = d / f"{path.stem}.{fmt}"
        r = subprocess.run(["ebook-convert", str(path), str(out)], env=env, capture_output=True, text=True, timeout=300)
        meta = subprocess.run(["ebook-meta", str(path)], capture_output=True, text=True, timeout=120) if fmt == "azw3" else None
        return job, (r, meta.stdout if meta else None, out)

    jobs = sorted(((n, "pdf") for n in pdf_books), key=lambda j: -built[j[0]][1].stat().st_size) + [(n, "azw3") for n in built]
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = dict(pool.map(run, jobs))
    pdfs = [(n, runs[(n, "pdf")][2]) for n in sorted(pdf_books) if runs[(n, "pdf")][0].returncode == 0]
    with ProcessPoolExecutor(max_workers=2) as pool:
        read = dict(zip([n for n, _ in pdfs], pool.map(_read_pdf, [(pdf, built[n][1]) for n, pdf in pdfs])))
    return runs, read, pdf_books


def test_calibre_converts_every_input_without_css_complaints_and_knows_the_creator(built, calibre):
    """Every input (the sample and each corpus file) converts to AZW3 with exit 0 and no
    CSS parser message (it stopped at the --body-size custom property), and calibre
    reads a creator for each, never "Unknown" (issue 14 §2, §8)."""
    runs, _, _ = calibre
    assert {n for n, fmt in runs if fmt == "azw3"} == set(built) and len(built) >= 9
    for (name, fmt), (r, meta, _) in runs.items():
        out = r.stdout + r.stderr
        assert r.returncode == 0, (name, fmt, out[-2000:])
        complaints = [ln for ln in out.splitlines() if re.search(r"CSS\w+: |Unexpected token|Unknown property", ln)]
        assert complaints == [], (name, fmt, complaints)
        if fmt == "azw3":
            authors = re.search(r"^Author\(s\)\s*:\s*(.+)$", meta, re.M)
            assert authors and "Unknown" not in authors[1], (name, meta)


def test_calibres_print_of_each_book_overlaps_nowhere_with_only_the_embedded_fonts(built, calibre):
    """Each PDF book as calibre's engine (QtWebEngine, i.e. Chromium) sets it with no CJK
    font on the system: every glyph not ASCII is drawn by one of the book's embedded
    faces; no two neighbouring glyphs of a line overlap, their ink (each face's outline
    bounds at the glyph's origin) meeting by more than 0.02 em (§1); and a line that
    starts with a Latin letter or a digit starts flush or at its paragraph's 2 em
    indent, never ¼ em in (§6)."""
    _, read, pdf_books = calibre
    assert set(read) == pdf_books and {n for n in pdf_books if _has_kai(built[n][1])} >= {
        n for n in built if n.startswith(("sample", "000"))}
    latin_starts = 0
    for name, (overlaps, foreign, starts, glyphs) in read.items():
        assert glyphs > 1000, (name, glyphs)
        assert dict(foreign) == {}, (name, foreign)
        assert overlaps == [], (name, overlaps)
        western = [(x, line) for x, ch, line in starts if ch.isascii() and ch.isalnum()]
        assert all(abs(x) < 0.02 or abs(x - 2) < 0.02 for x, _ in western), (name, western)
        latin_starts += len(western)
    assert latin_starts >= 20, latin_starts  # the check does reach lines that start with a number
