"""A photo no caption describes, placed by the editor only (issue 16): the Markdown
source's ``![alt](images/05.jpg)`` on a line of its own, or the sidecar's
``"05.jpg" = { after = "a01:2", alt = "…" }``.  Both backends set it as the other
photos, without a caption: EPUB ``<figure>`` with ``<img alt>`` and no ``<figcaption>``,
PDF at the text block's width.  One build (EPUB + PDF) shared by the backend checks.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from publisher.errors import PublisherError

from test_photos import ARTICLE_TEXT as TEXT  # noqa: E402
from test_photos import FRONT_MATTER  # noqa: E402

SOURCE = FRONT_MATTER + f"""
# 乡村影像

## 茶山 {{#a01 .report}}

{TEXT}

![云雾中的茶园\\[航拍\\]](images/05.jpg)

{TEXT}

::: caption
图①：采茶女在云雾山茶园采摘春茶。 [李青 摄]{{.credit}}
:::

村里的老邮局，今年修缮一新。

{TEXT}
"""

# the 3rd block of a01 is the caption (the figure of the source is not counted)
SIDECAR = '[images]\n"07.jpg" = { after = "a01:3", alt = "修缮后的老邮局" }\n'


def publisher(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=600, cwd=cwd)


def _photos(folder: Path) -> None:
    folder.mkdir()
    for name, colour in (("01.jpg", (40, 120, 60)), ("05.jpg", (30, 90, 160)), ("07.jpg", (160, 60, 30))):
        Image.new("RGB", (1500, 1000), colour).save(folder / name, quality=90)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures")
    (root / "issue.md").write_text(SOURCE, encoding="utf-8")
    (root / "issue.toml").write_text(SIDECAR, encoding="utf-8")
    _photos(root / "images")
    parse = publisher("parse", "issue.md", cwd=root)
    build = publisher("build", "issue.md", "-o", "out", cwd=root)
    assert parse.returncode == 0 and build.returncode == 0, parse.stderr + build.stderr
    return {"root": root, "parse": parse.stdout, "build": build, "epub": root / "out" / "issue.epub",
            "pdf": root / "out" / "issue.pdf"}


def test_parse_lists_the_figures_beside_the_ties(built):
    out = built["parse"]
    assert "1 placed, 0 without a caption, 0 caption(s) without a photo, 2 placed without a caption" in out, out
    lines = [ln.split() for ln in out.splitlines()]
    assert ["a01:1", "←", "images/01.jpg", "(number)"] in lines
    assert ["a01+1", "←", "images/05.jpg", "(source,", "no", "caption)"] in lines  # after a01's 1st block
    assert ["a01+3", "←", "images/07.jpg", "(sidecar,", "no", "caption)"] in lines
    assert "R401" not in out and "R403" not in out


def test_the_source_round_trip_keeps_each_figure_and_its_bytes(built, tmp_path):
    from publisher.reader import read_issue_report
    from publisher.source import to_markdown

    issue, _, _ = read_issue_report(built["root"] / "issue.md")
    md = to_markdown(issue)
    assert "\n![云雾中的茶园\\[航拍\\]](images/05.jpg)\n" in md
    assert "\n![修缮后的老邮局](images/07.jpg)\n" in md  # the sidecar's figure, now in the source
    (tmp_path / "issue.md").write_text(md, encoding="utf-8")
    (tmp_path / "issue.toml").write_text(SIDECAR, encoding="utf-8")  # the same sidecar: not placed twice
    (tmp_path / "images").symlink_to(built["root"] / "images")
    again, _, _ = read_issue_report(tmp_path / "issue.md")
    assert to_markdown(again) == md
    figures = [(b.image, b.alt) for a in again.articles for b in a.blocks if b.type == "figure"]
    assert figures == [("images/05.jpg", "云雾中的茶园[航拍]"), ("images/07.jpg", "修缮后的老邮局")]
    assert not [w for w in again.warnings if w.code in ("R401", "R403")]


def test_the_epub_sets_each_figure_with_its_alt_and_no_caption(built):
    from lxml import etree

    r = publisher("validate", str(built["epub"]), cwd=built["root"])  # EPUBCheck and our checks
    assert r.returncode == 0, r.stdout + r.stderr
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    with zipfile.ZipFile(built["epub"]) as z:
        doc = etree.fromstring(z.read("EPUB/text/a01.xhtml"))
        body = doc.find(".//x:div[@class='body']", ns)
        kinds = []
        for el in body:
            if el.tag == f"{{{ns['x']}}}figure":
                img, cap = el.find("x:img", ns), el.find("x:figcaption", ns)
                kinds.append(("figure", img.get("alt"), cap is not None))
            else:
                kinds.append((etree.QName(el).localname, "", False))
    assert kinds == [("p", "", False), ("figure", "云雾中的茶园[航拍]", False), ("p", "", False),
                     ("figure", "图①：采茶女在云雾山茶园采摘春茶。", True), ("figure", "修缮后的老邮局", False),
                     ("p", "", False), ("p", "", False)], kinds


def test_the_pdf_sets_each_figure_at_the_width_of_the_others(built):
    import pdfplumber

    with pdfplumber.open(built["pdf"]) as pdf:
        widths = [round(im["width"], 1) for page in pdf.pages for im in page.images if tuple(im["srcsize"]) == (1500, 1000)]
    assert len(widths) == 3 and len(set(widths)) == 1, widths  # the two figures as wide as the captioned photo


@pytest.mark.parametrize("line,says", [
    ("![](images/05.jpg)", "needs its alt text"),
    ("![茶园](../05.jpg)", "a path inside the issue's folder"),
])
def test_a_figure_in_the_source_is_checked(line, says):
    from publisher.source import read_source_text

    with pytest.raises(PublisherError, match=r"line 14: .*" + says.replace("(", r"\(")):
        read_source_text(SOURCE.replace("![云雾中的茶园\\[航拍\\]](images/05.jpg)", line), "x.md")


def test_the_sidecar_places_a_photo_after_a_block_or_says_why_not(tmp_path):
    from publisher.metadata import load_meta
    from publisher.reader import read_issue_report

    (tmp_path / "issue.md").write_text(SOURCE, encoding="utf-8")
    _photos(tmp_path / "images")
    cases = {  # after = … → (where the figure lands: the blocks before it, no figures counted) or R403
        '"村里的老邮局"': 4, '"a01"': 5, '"a01:0"': 0, '"a01:9"': "article a01 has 5 blocks, not 9",
        '"青溪县坚持"': "3 blocks open so (a01:1, a01:2, a01:5)", '"没有这段"': "no block is that"}
    for ref, want in cases.items():
        (tmp_path / "issue.toml").write_text(f'[images]\n"07.jpg" = {{ after = {ref}, alt = "邮局" }}\n', encoding="utf-8")
        issue, _, _ = read_issue_report(tmp_path / "issue.md")
        a = issue.articles[0]
        figs = [k for k, b in enumerate(a.blocks) if b.type == "figure" and b.image == "images/07.jpg"]
        r403 = [w.message for w in issue.warnings if w.code == "R403"]
        if isinstance(want, int):
            assert len(figs) == 1 and not r403, (ref, r403)
            assert sum(b.type != "figure" for b in a.blocks[:figs[0]]) == want, ref
        else:
            assert not figs and len(r403) == 1 and want in r403[0], (ref, r403)
            assert any("images/07.jpg: no caption takes it" in w.message for w in issue.warnings if w.code == "R401")
    (tmp_path / "issue.toml").write_text('[images]\n"07.jpg" = { after = "a01:1" }\n', encoding="utf-8")
    with pytest.raises(PublisherError, match="a photo placed without a caption needs its alt text"):
        load_meta(tmp_path / "issue.md")


def test_a_long_line_shaped_like_a_photo_costs_linear_time():
    import time

    from publisher.source import read_source_text

    head = "---\npublisher-source: 1\nmagazine: \"刊\"\n---\n\n## 题 {#a01}\n\n"

    def cost(n: int) -> float:
        t = time.perf_counter()
        for unit in ("](a", "]](", "!["):  # every shape a backtracking rule could stumble on
            with pytest.raises(PublisherError):
                read_source_text(head + "![" + unit * (n // len(unit)) + "a" * n + "\n", "h.md")
        return time.perf_counter() - t

    cost(1000)  # the parser made, the modules loaded
    small, large = cost(5000), cost(20000)
    assert large < 10 * small, (small, large)  # 4× the size: a quadratic rule would cost 16×
