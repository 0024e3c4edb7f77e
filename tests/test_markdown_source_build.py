"""The editor's loop end to end (issue 13): parse the sample to Markdown, edit it (an article
retitled, a heading added, a caption turned into a paragraph, an author and role added, a
poem's stanza split), build an EPUB and a PDF from it, and ``validate --source`` the edited
file: the outputs show exactly those edits.  One build shared by every assertion.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import SAMPLE

EDITS = [
    ("## 在全县项目建设推进大会上的讲话 {#a03", "## 在全县项目建设推进大会上的重要讲话 {#a03"),
    ("各级领导干部要带头联系项目", "### 四、新加的小标题\n\n各级领导干部要带头联系项目"),
    ("::: caption\n石门村村级服务中心的数字大屏。 [县委宣传部供图]{.credit}\n:::",
     "石门村村级服务中心的数字大屏。县委宣传部供图"),
    ("- [青溪县人民政府县长]{.role} 周明远", "- [青溪县人民政府县长]{.role} 周明远\n- [副县长]{.role} 李四"),
    ("| 采茶人的竹篓\n", "| 采茶人的竹篓\n|\n"),
]


def publisher(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loop")
    src = folder / "edited.md"
    r = publisher("parse", str(SAMPLE), "--to", "markdown", "-o", str(src))
    assert r.returncode == 0, r.stderr
    text = src.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new, 1)
    src.write_text(text, encoding="utf-8")
    out = folder / "out"
    r = publisher("build", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    epub, pdf = out / "sample-issue.epub", out / "sample-issue.pdf"  # name: from the front matter
    with zipfile.ZipFile(epub) as z:
        xhtml = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")}
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    return src, epub, pdf, xhtml, pdf_text


def test_the_edits_show_in_the_epub_and_the_pdf(built):
    _, _, _, xhtml, pdf_text = built
    everything = "\n".join(xhtml.values())
    for text in ("在全县项目建设推进大会上的重要讲话", "四、新加的小标题", "李四", "副县长"):
        assert text in everything and text in pdf_text, text
    assert "在全县项目建设推进大会上的讲话<" not in everything
    # the caption is a paragraph now: its text and former credit in one <p>, no figure caption
    assert "<p>石门村村级服务中心的数字大屏。县委宣传部供图</p>" in everything
    # the heading added stands like its siblings (a level-1 section heading of a03)
    a03 = xhtml["EPUB/text/a03.xhtml"]
    assert '<h3 id="a03-s4" class="h1">四、新加的小标题</h3>' in a03
    assert '<h3 id="a03-s3" class="h1">三、压实责任' in a03
    # the stanza split: 采茶人的竹篓 closes a stanza of two lines, 已经装满了鸟鸣 opens one alone
    poem = next(v for k, v in xhtml.items() if "/text/a" in k and "采茶人的竹篓" in v)
    assert ('<p class="stanza"><span class="line">晨雾还没有散去</span><br/>'
            '<span class="line">采茶人的竹篓</span></p>') in poem
    assert '<p class="stanza"><span class="line">已经装满了鸟鸣</span></p>' in poem


def test_validate_source_against_the_edited_file_passes(built):
    src, epub, pdf, _, _ = built
    r = publisher("validate", str(epub), str(pdf), "--source", str(src), "--no-epubcheck")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 of 2 files passed" in r.stdout + r.stderr
