"""The anthology's plan and cache with a small, fast stand-in for reader and renderer.

The stand-in typesets an "issue" (a text file: ``# column`` lines, ``## article``
lines, paragraphs) into a PDF whose page count follows the text length and whose
every page prints its folio; so these tests check offsets, speculation and the cache
counters exactly, independently of the real PDF backend (tests/test_anthology.py
checks the real one).
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pikepdf
import pytest

from publisher.anthology import build_anthology, load_config
from publisher.anthology.cache import RenderCache
from publisher.errors import PublisherError
from publisher.metadata import load_meta
from publisher.model import Article, Column, Issue

CHARS_PER_PAGE = 400


class FakeRendered:
    def __init__(self, pdf, page_count, toc):
        self.pdf, self.page_count, self.toc = pdf, page_count, toc


def fake_read(path, overrides=None):
    text = Path(path).read_text(encoding="utf-8")
    issue = Issue(meta=load_meta(path, overrides), source_path=str(path))
    col = None
    for line in text.splitlines():
        if line.startswith("# "):
            col = Column(line[2:].strip())
            issue.columns.append(col)
        elif line.startswith("## "):
            if col is None:
                col = Column("")
                issue.columns.append(col)
            col.articles.append(Article(line[3:].strip(), id=f"a{len(issue.articles) + 1:02d}"))
        elif line.strip() and col and col.articles:
            col.articles[-1].kicker = (col.articles[-1].kicker or "") + line  # body text, by length
    return issue


def fake_render(issue, *, first_folio=1, print_mode=False, running_head=None, pad_to=None):
    """One article per page run: article k starts on page 1 + k·len(body)/CHARS_PER_PAGE."""
    pages_of = []
    page = 1  # page 0 is the issue's cover/contents
    toc = []
    for col in issue.columns:
        toc.append({"level": 1, "title": col.name, "page_index": page, "article_id": None, "anchor": ""})
        for a in col.articles:
            toc.append({"level": 2, "title": a.title, "page_index": page, "article_id": a.id, "anchor": ""})
            n = 1 + len(a.kicker or "") // CHARS_PER_PAGE
            pages_of.append(n)
            page += n
    total = page + ((-page) % pad_to if pad_to else 0)
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for i in range(total):
        pdf.add_blank_page(page_size=(500, 700))
        p = pdf.pages[-1]
        p.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        p.Contents = pdf.make_stream(f"BT /F1 10 Tf 240 30 Td ({first_folio + i}) Tj ET".encode())
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return FakeRendered(buf.getvalue(), total, toc)


def write_issue(folder: Path, name: str, articles: int, body: int, *, number: int) -> Path:
    lines = [f"# 栏目{number}"]
    for k in range(articles):
        lines += [f"## 第{number}期文章{k + 1}", "文" * body]
    p = folder / f"{name}.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p.with_suffix(".toml").write_text(
        f'magazine = "测试刊"\nissue_label = "2023年第{number}期"\nnumber = {number}\nyear = 2023\n'
        f'date = "2023-{number:02d}-01"\npublisher = "测试编辑部"\n', encoding="utf-8")
    return p


@pytest.fixture
def issues(tmp_path):
    folder = tmp_path / "issues"
    folder.mkdir()
    # page counts (padded to even): 1 + 3·(1+2) = 10; 1 + 2·1 = 3 → 4; 1 + 4·2 = 9 → 10; …
    specs = [(3, 1000), (2, 100), (4, 500), (1, 50), (3, 900)]
    paths = [write_issue(folder, f"2023-{i + 1:02d}", a, b, number=i + 1) for i, (a, b) in enumerate(specs)]
    return folder, paths


def build(folder, out, cache, jobs=2, **kw):
    cfg = load_config([folder])
    return build_anthology(cfg, out, jobs=jobs, cache_dir=cache, progress=False, read=fake_read,
                           render=fake_render, **kw)


def printed_folios(pdf_path: Path) -> list[str]:
    """The folio the fake renderer printed on each body page ('' on front pages)."""
    out = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            data = b"".join(c.read_bytes() for c in ([page.Contents] if isinstance(page.Contents, pikepdf.Stream)
                                                     else page.Contents)) if "/Contents" in page else b""
            m = re.search(rb"Td \((\d+)\) Tj", data)
            out.append(m.group(1).decode() if m else "")
    return out


def labels(pdf_path: Path) -> list[str]:
    with pikepdf.open(pdf_path) as pdf:
        return [pikepdf.Page(p).label for p in pdf.pages]


def test_offsets_labels_and_cold_cache(issues, tmp_path):
    folder, paths = issues
    out = tmp_path / "book.pdf"
    r = build(folder, out, tmp_path / "cache")
    s = r.stats
    assert s.rendered == [0, 1, 2, 3, 4] and s.cached == [] and s.cache_hits == 0
    assert s.renders == 5 + s.wasted
    # continuous folios: issue k starts after the pages of the ones before it
    firsts = [p.first_folio for p in r.issues]
    counts = [p.entry.page_count for p in r.issues]
    assert firsts[0] == 1
    assert all(firsts[k + 1] == firsts[k] + counts[k] for k in range(4))
    assert all(c % 2 == 0 for c in counts)
    folios = printed_folios(out)
    labs = labels(out)
    front = r.front_pages
    assert front % 2 == 0 and all(f == "" for f in folios[:front])
    assert labs[:front] == ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"][:front]
    body = list(zip(folios[front:], labs[front:]))
    assert len(body) == sum(counts)
    assert all(f == lab for f, lab in body), body


def test_second_build_renders_nothing(issues, tmp_path):
    folder, _ = issues
    cache = tmp_path / "cache"
    build(folder, tmp_path / "a.pdf", cache)
    r = build(folder, tmp_path / "b.pdf", cache)
    assert r.stats.renders == 0 and r.stats.rendered == []
    assert r.stats.cached == [0, 1, 2, 3, 4] and r.stats.cache_hits == 5
    assert r.stats.front_cached
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_edit_one_sentence_rerenders_only_that_issue(issues, tmp_path):
    folder, paths = issues
    cache = tmp_path / "cache"
    first = build(folder, tmp_path / "a.pdf", cache)
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace("文文文", "字文文", 1), encoding="utf-8")  # same length
    r = build(folder, tmp_path / "b.pdf", cache)
    assert r.stats.rendered == [1] and r.stats.renders == 1 and r.stats.wasted == 0
    assert r.stats.cached == [0, 2, 3, 4]
    assert [p.first_folio for p in r.issues] == [p.first_folio for p in first.issues]


def test_page_count_change_rerenders_later_issues(issues, tmp_path):
    folder, paths = issues
    cache = tmp_path / "cache"
    # one job: no speculative render at an offset that the second build happens to need
    build(folder, tmp_path / "a.pdf", cache, jobs=1)
    with paths[2].open("a", encoding="utf-8") as f:
        f.write("## 新增文章\n" + "文" * 1700 + "\n")  # +5 pages → +4 or +6 after padding
    r = build(folder, tmp_path / "b.pdf", cache, jobs=1)
    assert r.stats.cached == [0, 1]
    assert r.stats.rendered == [2, 3, 4]
    folios = printed_folios(tmp_path / "b.pdf")
    assert all(f == lab for f, lab in zip(folios[r.front_pages:], labels(tmp_path / "b.pdf")[r.front_pages:]))


def test_outline_nests_issue_column_article(issues, tmp_path):
    folder, _ = issues
    out = tmp_path / "book.pdf"
    r = build(folder, out, tmp_path / "cache", jobs=1)
    with pikepdf.open(out) as pdf:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as ol:
            top = list(ol.root)
            assert top[0].title == "总目录"
            issues_ = top[1:]
            assert [i.title for i in issues_] == [f"测试刊 2023年第{k}期" for k in range(1, 6)]
            for it, placed in zip(issues_, r.issues):
                start = r.front_pages + placed.first_folio - 1
                assert index[it.destination[0].objgen] == start
                (col,) = it.children
                assert col.title.startswith("栏目")
                for art, t in zip(col.children, [t for t in placed.entry.toc if t["level"] == 2]):
                    assert art.title == t["title"]
                    assert index[art.destination[0].objgen] == start + t["page_index"]


@pytest.mark.parametrize("part_issues, opening_guess", [(24, 4), (2, 4), (24, 3)])
def test_general_contents_links_point_at_printed_pages(issues, tmp_path, monkeypatch, part_issues, opening_guess):
    """Also with the contents rendered in parts of two issues (a long book's way), and
    when the opening pages, set beside the contents, turn out longer than assumed
    (the contents is set again with the right folios)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from publisher.anthology import front

    monkeypatch.setattr(front, "PART_ISSUES", part_issues)
    monkeypatch.setattr(front, "OPENING_PAGES", opening_guess)
    folder, _ = issues
    out = tmp_path / "book.pdf"
    r = build(folder, out, tmp_path / "cache")
    labs = labels(out)
    checked = 0
    with pikepdf.open(out) as pdf, pdfplumber.open(out) as pl:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        for pi in range(r.front_pages):
            annots = pdf.pages[pi].obj.get("/Annots") or []
            page = pl.pages[pi]
            h = float(page.height)
            for a in annots:
                r = [float(v) for v in a.Rect]
                x0, x1, y0, y1 = min(r[0], r[2]), max(r[0], r[2]), min(r[1], r[3]), max(r[1], r[3])
                box = (max(0, x0 - 0.5), max(0, h - y1 - 0.5), min(float(page.width), x1 + 0.5), min(h, h - y0 + 0.5))
                words = page.crop(box).extract_words()
                nums = [m.group(1) for w in words if (m := re.search(r"(\d+)$", w["text"]))]
                assert nums, f"no page number inside link rectangle on front page {pi + 1}"
                target = index[a.Dest[0].objgen]
                assert labs[target] == nums[-1]
                checked += 1
            # the roman folio printed at the foot of each contents page is its label
            foot = [w["text"] for w in page.extract_words() if w["top"] > h * 0.9]
            if annots:
                assert foot and foot[-1] == labs[pi]
    assert checked >= 5 + 5 + 13  # issues, columns, articles


def test_bad_inputs_one_line_errors(tmp_path):
    with pytest.raises(PublisherError, match="no such file"):
        load_config([tmp_path / "missing.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublisherError, match="no issue text files"):
        load_config([tmp_path / "empty"])
    bad = tmp_path / "book.toml"
    bad.write_text('title = "x"\n', encoding="utf-8")
    with pytest.raises(PublisherError, match="not an anthology file"):
        load_config([bad])


def test_anthology_file_orders_and_overrides(issues, tmp_path):
    folder, paths = issues
    book = tmp_path / "book.toml"
    book.write_text(
        'title = "《测试刊》2023年合订本"\npublisher = "另一编辑部"\n'
        f'issues = ["{paths[3]}", {{ path = "issues/{paths[0].name}", issue_label = "创刊号" }}]\n',
        encoding="utf-8")
    cfg = load_config([book])
    assert [i.path for i in cfg.issues] == [paths[3].resolve(), paths[0].resolve()]
    assert cfg.metas[1].issue_label == "创刊号"
    assert cfg.book.title == "《测试刊》2023年合订本" and cfg.book.publisher == "另一编辑部"
    assert load_config([book], title="别的书名").book.title == "别的书名"


def test_cache_prune_keeps_used(tmp_path):
    c = RenderCache(tmp_path)
    e1 = c.store("a" * 64, b"%PDF-1.7 one", 2, [], 1)
    e2 = c.store("b" * 64, b"%PDF-1.7 two", 2, [], 3)
    c.mark_used(e1.key)
    os.utime(e2.pdf_path, (0, 0))  # very old
    assert c.prune(max_bytes=1 << 30, max_age_days=1) == 1
    assert e1.pdf_path.is_file() and not e2.pdf_path.is_file()


def _first_issue_slow(issue, **kw):
    if issue.meta.number == 1:
        import time

        time.sleep(0.6)  # the first issue arrives last
    return fake_render(issue, **kw)


def test_same_bytes_whatever_order_the_issues_finish_in(issues, tmp_path, monkeypatch):
    """The book is written while the issues are being set (merge.Binder): with one
    worker they arrive in book order, with three the first one arrives last.  The
    bytes are the same."""
    from publisher.anthology.merge import Binder

    folder, _ = issues
    arrived: list[int] = []
    add = Binder.add
    monkeypatch.setattr(Binder, "add", lambda self, p: (arrived.append(p.index), add(self, p))[1])
    r1 = build(folder, tmp_path / "one.pdf", tmp_path / "cache1", jobs=1)
    assert arrived == [0, 1, 2, 3, 4]
    arrived.clear()
    cfg = load_config([folder])
    r3 = build_anthology(cfg, tmp_path / "three.pdf", jobs=3, cache_dir=tmp_path / "cache3", progress=False,
                         read=fake_read, render=_first_issue_slow)
    assert arrived != sorted(arrived) and sorted(arrived) == [0, 1, 2, 3, 4]
    assert r1.stats.rendered == r3.stats.rendered == [0, 1, 2, 3, 4]
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "three.pdf").read_bytes()


def test_a_damaged_cache_entry_is_rendered_again(issues, tmp_path):
    """A cached issue or front matter whose PDF was damaged (a truncated copy, a full
    disk) is not used: it is set again and the book is the same."""
    folder, _ = issues
    cache = tmp_path / "cache"
    first = build(folder, tmp_path / "a.pdf", cache)
    for victim in (first.issues[2].entry.pdf_path, sorted((cache / "front").glob("front-*.pdf"))[-1]):
        victim.write_bytes(victim.read_bytes()[:200])
    r = build(folder, tmp_path / "b.pdf", cache)
    assert r.stats.rendered == [2] and r.stats.cached == [0, 1, 3, 4] and not r.stats.front_cached
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
