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
def checked(built, calibre_started):
    """EPUBCheck's messages per book, while calibre prints the books (calibre_started)."""
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


# calibre's ebook-convert to PDF waits a fixed second after each content document
# loads (calibre 6's RenderManager settle_time), on two render workers: a conversion is
# mostly idle, so many run at once (the CPU work of all of them is ~50 s on this VM).
CONVERSIONS = 8


def _has_kai(path) -> bool:
    book = Book(path)
    return any(h.startswith("text/a") and re.search(r'class="article-page kind-(editorial|literary)',
                                                   book.read(f"EPUB/{h}").decode()) for h in book.spine_hrefs())


def _squeezed_editorial(path, out):
    """A copy of the book reduced to its Kai editorial, set with letter-spacing -0.2 em:
    the negative control of the overlap check (its glyphs must be found overlapping)."""
    import zipfile

    book = Book(path)
    href = next(h for h in book.spine_hrefs() if h.startswith("text/a")
                and 'class="article-page kind-editorial' in book.read(f"EPUB/{h}").decode())
    opf = book.read("EPUB/content.opf").decode()
    item = re.search(rf'<item [^>]*href="{re.escape(href)}"[^>]*>', opf)[0]
    idref = re.search(r'id="([^"]+)"', item)[1]
    opf = re.sub(r"<spine([^>]*)>.*?</spine>", rf'<spine\1><itemref idref="{idref}"/></spine>', opf, flags=re.S)
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", book.read("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name in book.names:
            data = book.read(name)
            if name == "EPUB/content.opf":
                data = opf.encode()
            elif name == "EPUB/styles/epub.css":
                data += b"\n.kind-editorial p { letter-spacing: -0.2em !important; }\n"
            if name != "mimetype":
                z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out


@pytest.fixture(scope="module")
def calibre_started(built, tmp_path_factory):
    """calibre (Debian's, installed by setup) started on every input to AZW3 and to PDF,
    and on the negative control to PDF, CONVERSIONS at a time, as soon as the books are
    built (its conversions mostly wait, so they run beside EPUBCheck and the WeasyPrint
    renders): the futures of (job, (process, output, read-back)).  The PDFs are printed
    by its QtWebEngine with a fontconfig that holds no CJK font, each read back with
    PDFium as soon as it is written (one at a time: PDFium is not thread-safe).  None
    when calibre is missing (the calibre tests then fail, saying so)."""
    import shutil
    import subprocess
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from epub_helpers import isolated_fontconfig, postscript_inks, read_printed_lines

    if not shutil.which("ebook-convert"):
        yield None
        return
    d = tmp_path_factory.mktemp("calibre")
    env = isolated_fontconfig(d / "fc")
    zh = subprocess.run(["fc-list", ":lang=zh"], env=env, capture_output=True, text=True, timeout=60)
    epubs = {name: path for name, (_, path) in built.items()}
    epubs["control"] = _squeezed_editorial(built[SAMPLE.name][1], d / "control.epub")
    reading = threading.Lock()

    def run(job):
        name, fmt = job
        path = epubs[name]
        out = d / f"{path.stem}.{fmt}"
        r = subprocess.run(["ebook-convert", str(path), str(out)], env=env, capture_output=True, text=True, timeout=600)
        read = None
        if fmt == "pdf" and r.returncode == 0:
            with reading:
                read = read_printed_lines(out, postscript_inks(path))
        return job, (r, out, read)

    # the longest first: PDFs by size of book, the control, then the AZW3s
    jobs = (sorted(((n, "pdf") for n in built), key=lambda j: -epubs[j[0]].stat().st_size)
            + [("control", "pdf")] + [(n, "azw3") for n in built])
    pool = ThreadPoolExecutor(max_workers=CONVERSIONS)
    try:
        yield zh, [pool.submit(run, job) for job in jobs]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def calibre(calibre_started):
    """The conversions of calibre_started, waited for: {(name, "pdf" | "azw3"): (process,
    output path, read_printed_lines of a PDF)}."""
    assert calibre_started is not None, "calibre is installed by scripts/bootstrap.sh setup"
    zh, futures = calibre_started
    assert zh.returncode == 0 and zh.stdout.strip() == "", zh.stdout[:500]  # the engine sees no system CJK font
    return dict(f.result() for f in futures)


def test_calibre_converts_every_input_without_css_complaints_and_knows_the_creator(built, calibre):
    """Every input (the sample and each corpus file) converts to AZW3 and to PDF with
    exit 0 and no CSS parser message (it stopped at the --body-size custom property),
    and calibre reads a creator for each, never "Unknown" (issue 14 §2, §8): the
    authors it wrote into the Kindle file (EXTH 100; "Unknown" when it found none)."""
    from epub_helpers import azw3_authors

    assert {n for n, fmt in calibre if fmt == "azw3"} == set(built) and len(built) >= 9
    for (name, fmt), (r, out_path, _) in calibre.items():
        out = r.stdout + r.stderr
        assert r.returncode == 0, (name, fmt, out[-2000:])
        complaints = [ln for ln in out.splitlines() if re.search(r"CSS\w+: |Unexpected token|Unknown property", ln)]
        assert complaints == [], (name, fmt, complaints)
        if fmt == "azw3":
            authors = azw3_authors(out_path)
            assert authors and all(a.strip() and a != "Unknown" for a in authors), (name, authors)


def test_calibres_print_of_each_book_overlaps_nowhere_with_only_the_embedded_fonts(built, calibre):
    """Each book as calibre's engine (QtWebEngine, i.e. Chromium) prints it with no CJK
    font on the system, read back with PDFium: every glyph not ASCII is drawn by one of
    the book's embedded faces; no two neighbouring glyphs of a line overlap, their ink
    (each face's outline bounds at the glyph's origin) meeting by more than 0.02 em
    (§1); and a line that starts with a Latin letter or a digit starts flush or at its
    paragraph's 2 em indent, never ¼ em in (§6).  Every input, the Kai books among them."""
    read = {n: calibre[(n, "pdf")][2] for n in built}
    assert len(read) >= 9 and {n for n in built if _has_kai(built[n][1])} >= {
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
    assert sum(r[3] for r in read.values()) > 100_000  # 101's 42,000 glyphs and 104's 21,000 among them


def test_the_overlap_check_finds_glyphs_squeezed_together(calibre):
    """The negative control: the sample's Kai editorial set with letter-spacing -0.2 em
    and printed the same way overlaps all over (168 of its 235 glyphs here), and its
    lines still start flush or 2 em in."""
    overlaps, foreign, starts, glyphs = calibre[("control", "pdf")][2]
    assert glyphs > 150 and dict(foreign) == {}
    assert len(overlaps) > glyphs // 3, (len(overlaps), glyphs)
    assert starts and all(abs(x) < 0.02 or abs(x - 2) < 0.02 for x, _, _ in starts), starts


def test_pdfium_reads_calibres_print_as_pdfplumber_does(built, calibre):
    """The PDFium reader of the overlap check against pdfplumber's (pdfminer), on the two
    smallest prints: the same glyphs, fonts and positions (1e-3 pt), and the same
    overlaps, foreign fonts and line starts.  pdfminer reads a glyph that stands for
    several characters (Chromium's —— ligature) as "\\x00"; PDFium gives its characters."""
    from epub_helpers import postscript_inks, printed_glyphs, printed_glyphs_pdfplumber, read_printed_lines

    pdfs = sorted((calibre[(n, "pdf")][1] for n in built), key=lambda p: p.stat().st_size)[:2]
    for pdf in pdfs:
        mine, ref = printed_glyphs(pdf), printed_glyphs_pdfplumber(pdf)
        assert [len(p) for p in mine] == [len(p) for p in ref], pdf.name
        for a, b in zip((c for p in mine for c in p), (c for p in ref for c in p)):
            assert a["font"] == b["font"] and (a["text"] == b["text"] or (len(a["text"]) > 1 and b["text"] == "\x00"))
            assert all(abs(a[k] - b[k]) < 1e-3 for k in ("x0", "y", "size")), (pdf.name, a, b)
            assert len(a["text"]) > 1 or abs(a["x1"] - b["x1"]) < 1e-3, (pdf.name, a, b)
        epub = next(path for _, path in built.values() if path.stem == pdf.stem)
        fonts = postscript_inks(epub)
        assert read_printed_lines(pdf, fonts) == read_printed_lines(pdf, fonts, reader=printed_glyphs_pdfplumber)
        assert sum(map(len, mine)) > 1000
