"""The anthology's imprint (issue 15 item 3): 准印证号, 编印单位, 印刷单位, 印数, 发送对象 and the
内部资料 notice on the book-information page (the title page's verso), from the anthology
file, else what every issue shares."""
from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLE
from publisher.anthology.config import load_config
from publisher.errors import PublisherError

PERMIT = "湘内资准字(2024)第0123号"


@pytest.fixture
def issues(tmp_path):
    """Two issues whose sidecars share the permit, the compiler and the notice, and give
    each its own print run and printer."""
    paths = []
    for n, (copies, printer) in enumerate(((1500, "青溪县印刷厂"), (1200, "青溪县第二印刷厂")), 1):
        src = tmp_path / f"2024-0{n}.txt"
        shutil.copy(SAMPLE, src)
        src.with_suffix(".toml").write_text(
            f'magazine = "青溪决策参考"\nissue_label = "2024年第{n}期"\nyear = 2024\nnumber = {n}\n'
            f'date = "2024-0{n}-01"\npublisher = "中共青溪县委政策研究室"\npermit_no = "{PERMIT}"\n'
            f'compiled_by = "中共青溪县委政策研究室"\nprinted_by = "{printer}"\ncopies = {copies}\n'
            f'internal_notice = "内部资料 免费交流"\n', encoding="utf-8")
        paths.append(src)
    return paths


def test_the_book_takes_what_every_issue_shares_and_its_own_print_run(issues, tmp_path):
    book = load_config(issues).book
    assert (book.permit_no, book.compiled_by, book.internal_notice) == (PERMIT, "中共青溪县委政策研究室", "内部资料 免费交流")
    assert book.printed_by is None and book.copies is None  # the issues' own printings, not the book's
    assert book.distribution is None  # no issue gives one
    toml = tmp_path / "book.toml"
    toml.write_text('printed_by = "青溪县印刷厂"\ncopies = 500\ndistribution = "县直各单位"\n'
                    'permit_no = "湘内资准字(2024)第0200号"\nissues = ["2024-01.txt", "2024-02.txt"]\n', encoding="utf-8")
    book = load_config([toml]).book
    assert (book.printed_by, book.copies, book.distribution) == ("青溪县印刷厂", 500, "县直各单位")
    assert book.permit_no == "湘内资准字(2024)第0200号"  # the anthology file wins
    issues[1].with_suffix(".toml").write_text(
        issues[1].with_suffix(".toml").read_text(encoding="utf-8").replace(PERMIT, "湘内资准字(2024)第0999号"),
        encoding="utf-8")
    assert load_config(issues).book.permit_no is None  # the issues disagree: no permit is made up


def test_a_bad_imprint_value_in_the_anthology_file_is_one_line(issues, tmp_path):
    toml = tmp_path / "book.toml"
    toml.write_text('copies = "many"\nissues = ["2024-01.txt"]\n', encoding="utf-8")
    with pytest.raises(PublisherError) as e:
        load_config([toml])
    assert "copies" in str(e.value) and "\n" not in str(e.value)


def test_the_book_information_page_prints_the_imprint(issues, tmp_path):
    import io

    import pypdfium2 as pdfium

    from publisher.anthology.front import _page_css, _render, front_html

    toml = tmp_path / "book.toml"
    toml.write_text('printed_by = "青溪县印刷厂"\ncopies = 500\nissues = ["2024-01.txt", "2024-02.txt"]\n',
                    encoding="utf-8")
    book = load_config([toml]).book
    html = front_html(book, [], [], opening=True)
    pdf, pages = _render(html, page_css=_page_css(book, False), title=book.title, author=book.publisher,
                         date=book.date, print_mode=False)
    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    texts = [doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc))]
    info = texts[3]
    rows = ["内部资料 免费交流", f"准印证号：{PERMIT}", "编印单位：中共青溪县委政策研究室", "印刷单位：青溪县印刷厂", "印数：500册"]
    assert pages == 4 and all(r in info for r in rows), info
    assert [info.index(r) for r in rows] == sorted(info.index(r) for r in rows)  # in the issues' order
    assert "编印：" not in info  # the 编印单位 row says it, once
    assert not any("准印证号" in t for t in texts[:3])
    # without an imprint the page is as before: no imprint block at all
    for key in ("permit_no", "compiled_by", "printed_by", "copies", "internal_notice"):
        setattr(book, key, None)
    plain = front_html(book, [], [], opening=True)
    assert "a-imprint" not in plain and "编印：中共青溪县委政策研究室" in plain
