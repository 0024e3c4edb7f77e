"""Photos placed with their captions (issue 16).

An issue of three articles and six photos made here with Pillow (a large JPEG, a PNG
photo, a PNG chart, a JPEG turned by its EXIF orientation, a tiny 72 dpi JPEG and a plain
JPEG), tied by number (图① ↔ 01.jpg), by the Markdown source (``image=``), by the
sidecar's ``[images]`` table and by order; built once (EPUB + PDF, twice for the bytes)
and checked: EPUBCheck, each photo in a figure with its caption, EPUB images within the
size limit, each PDF photo on its caption's page with its original pixels, the tiny one
warned about.  The tie rules and every unmatched case are tested on the pure matcher.
"""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from publisher.errors import PublisherError
from publisher.photos import CaptionRef, caption_number, file_number, match

ARTICLE_TEXT = "青溪县坚持把乡村建设摆在重要位置，统筹推进道路、供水、电网和通信设施建设，群众的获得感不断增强。" * 3

# The front matter of the photo issues made here (test_photos_figures.py too).
FRONT_MATTER = """---
publisher-source: 1
magazine: "青溪画刊"
issue_label: "2024年第3期"
date: "2024-05-01"
---
"""

SOURCE = FRONT_MATTER + f"""
# 乡村影像

## 美丽乡村路 {{#a01 .article}}

{ARTICLE_TEXT}

::: caption
图①：村道两旁的稻田。 [唐俊 摄]{{.credit}}
:::

{ARTICLE_TEXT}

::: caption
图②：新修的石桥。 [唐俊 摄]{{.credit}}
:::

## 小小邮局 {{#a02 .article}}

{ARTICLE_TEXT}

::: {{.caption image="images/tiny.jpg" alt="一间红色的邮局"}}
村里的邮局。
:::

{ARTICLE_TEXT}

::: caption
全县道路里程逐年增长。 [县交通局供图]{{.credit}}
:::

## 茶山 {{#a03 .report}}

{ARTICLE_TEXT}

::: caption
采茶女在云雾山茶园采摘春茶。 [李青 摄]{{.credit}}
:::

{ARTICLE_TEXT}

::: caption
云雾缭绕的茶山。
:::

{ARTICLE_TEXT}
"""

SIDECAR = 'cover_photo = "images/lead.jpg"\n\n[images]\n"chart.png" = "a02:2"\n'

# file → (how it is tied, the caption key, the caption's text)
EXPECTED = {
    "01.jpg": ("number", "a01:1", "图①：村道两旁的稻田。"),
    "02.png": ("number", "a01:2", "图②：新修的石桥。"),
    "tiny.jpg": ("source", "a02:1", "村里的邮局。"),
    "chart.png": ("sidecar", "a02:2", "全县道路里程逐年增长。"),
    "rot.jpg": ("order", "a03:1", "采茶女在云雾山茶园采摘春茶。"),
    "view.jpg": ("order", "a03:2", "云雾缭绕的茶山。"),
}


LEAD = (30, 120, 200)


def _noise(w: int, h: int, seed: int) -> Image.Image:
    """A photo-like image (smooth gradient + deterministic grain), not line art."""
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    grain = Image.frombytes("RGB", (w, h), hashlib.shake_256(bytes([seed])).digest(w * h * 3))
    return Image.blend(im, grain, 0.35)


def make_images(folder: Path) -> None:
    folder.mkdir()
    _noise(2400, 1600, 1).save(folder / "01.jpg", quality=92, dpi=(300, 300))
    g = Image.linear_gradient("L").resize((1800, 1400))  # many colours, compresses well
    Image.merge("RGB", (g, g.transpose(Image.Transpose.ROTATE_90).resize((1800, 1400)), g.point(lambda v: 255 - v))) \
        .save(folder / "02.png")
    chart = Image.new("RGB", (1800, 1000), "white")
    for i, hgt in enumerate((250, 430, 560, 800)):
        chart.paste((156, 38, 30), (200 + i * 400, 960 - hgt, 480 + i * 400, 960))
    chart.save(folder / "chart.png")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown turned a quarter: portrait
    _noise(1800, 1200, 3).save(folder / "rot.jpg", quality=90, exif=exif.tobytes())
    _noise(160, 120, 4).save(folder / "tiny.jpg", quality=90, dpi=(72, 72))
    _noise(1800, 1200, 5).save(folder / "view.jpg", quality=90)
    Image.new("RGB", (1200, 900), LEAD).save(folder / "lead.jpg", quality=95)  # the cover photo


def publisher(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    (root / "issue.md").write_text(SOURCE, encoding="utf-8")
    (root / "issue.toml").write_text(SIDECAR, encoding="utf-8")
    make_images(root / "images")
    parse = publisher("parse", "issue.md", cwd=root)
    first = publisher("build", "issue.md", "-o", "out1", cwd=root)
    second = publisher("build", "issue.md", "-o", "out2", cwd=root)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    return {"root": root, "parse": parse, "build": first, "epub": root / "out1" / "issue.epub",
            "pdf": root / "out1" / "issue.pdf", "again": root / "out2"}


def test_parse_lists_every_tie_and_how_it_was_made(built):
    out = built["parse"].stdout
    assert built["parse"].returncode == 0, built["parse"].stderr
    assert "6 placed, 0 without a caption, 0 caption(s) without a photo" in out
    for name, (how, key, _) in EXPECTED.items():
        assert any(line.split() == [key, "←", f"images/{name}", f"({how})"] for line in out.splitlines()), (name, out)
    assert "R401" not in out and "R402" not in out


def test_the_epub_passes_epubcheck_and_ace_with_each_photo_in_a_figure_with_its_caption(built):
    from lxml import etree

    r = publisher("validate", "--a11y", str(built["epub"]), cwd=built["root"])  # EPUBCheck and DAISY Ace
    assert r.returncode == 0, r.stdout + r.stderr
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    with zipfile.ZipFile(built["epub"]) as z:
        figures = []
        for name in sorted(n for n in z.namelist() if n.startswith("EPUB/text/a")):
            doc = etree.fromstring(z.read(name))
            figures += doc.findall(".//x:figure", ns)
        placed = {}
        for f in figures:
            img, cap = f.find("x:img", ns), f.find("x:figcaption", ns)
            assert cap is not None
            if img is None:
                continue
            text = "".join(cap.itertext())
            placed[text.split(" ")[0]] = (img.get("src"), img.get("alt"), text)
            with Image.open(io.BytesIO(z.read("EPUB/" + img.get("src").removeprefix("../")))) as im:
                assert (int(img.get("width")), int(img.get("height"))) == im.size  # known before it was encoded
        assert len(placed) == 6
        for name, (_, _, caption) in EXPECTED.items():
            src, alt, text = placed[caption]
            assert alt == ("一间红色的邮局" if name == "tiny.jpg" else caption)
            data = z.read("EPUB/" + src.removeprefix("../"))
            with Image.open(io.BytesIO(data)) as im:
                assert max(im.size) <= 1600, (name, im.size)
                assert "exif" not in im.info and not im.getexif(), name
                assert im.format == ("PNG" if name == "chart.png" else "JPEG"), (name, im.format)
                if name == "rot.jpg":  # the EXIF turn applied: portrait, as shown
                    assert im.size[1] > im.size[0]
                if name == "01.jpg":
                    assert im.size == (1600, 1067)
        with Image.open(io.BytesIO(z.read("EPUB/images/cover.jpg"))) as cover:  # the masthead over the lead photo
            assert cover.size == (1400, 1960)
            middle = cover.convert("RGB").getpixel((700, 1000))
            assert all(abs(a - b) < 12 for a, b in zip(middle, LEAD)), middle
            assert cover.convert("RGB").getpixel((20, 20)) != middle  # the band
        assert "唐俊 摄" in placed["图①：村道两旁的稻田。"][2]  # the credit in the figcaption
        opf = z.read("EPUB/content.opf").decode()
        assert opf.count('media-type="image/jpeg"') + opf.count('media-type="image/png"') >= 6


def test_the_pdf_sets_each_photo_on_its_captions_page_with_its_original_pixels(built):
    import pdfplumber
    import pikepdf
    from PIL import ImageOps

    originals = {}  # the pixels as shown: the EXIF turn applied (losslessly)
    for name in EXPECTED:
        with Image.open(built["root"] / "images" / name) as im:
            shown = ImageOps.exif_transpose(im).convert("RGB")
            originals[name] = (shown.size, shown.tobytes())
    by_size = {size: name for name, (size, _) in originals.items()}
    assert len(by_size) == len(originals)
    with pikepdf.open(built["pdf"]) as pdf:
        kept = set()
        for o in pdf.objects:
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image":
                pil = pikepdf.PdfImage(o).as_pil_image().convert("RGB")
                name = by_size.get(pil.size)
                if name and pil.tobytes() == originals[name][1]:
                    kept.add(name)
        assert kept == set(EXPECTED)  # every photo with the original's pixels
        raw = {o.read_raw_bytes() for o in pdf.objects
               if isinstance(o, pikepdf.Stream) and o.get("/Filter") == "/DCTDecode"}
    for name in ("01.jpg", "tiny.jpg", "view.jpg"):  # a JPEG goes in byte for byte
        assert (built["root"] / "images" / name).read_bytes() in raw, name
    block_w, block_w_min = None, 300
    with pdfplumber.open(built["pdf"]) as pdf:
        placed = {}
        for n, page in enumerate(pdf.pages):
            text = (page.extract_text() or "").replace(" ", "").replace("\n", "")
            for im in page.images:
                if tuple(im["srcsize"]) == (1200, 900):  # the cover photo, on the first page
                    assert n == 0 and im["width"] > block_w_min
                    continue
                name = by_size[tuple(im["srcsize"])] if tuple(im["srcsize"]) in by_size else \
                    by_size[tuple(im["srcsize"])[::-1]]
                placed[name] = (n, im["width"], im["height"])
                assert EXPECTED[name][2] in text, (name, n, text[:200])  # on its caption's page
        assert set(placed) == set(EXPECTED)
        block_w = max(w for _, w, _ in placed.values())
    for name, (n, w, h) in placed.items():
        size = originals[name][0]
        assert abs(w / h - size[0] / size[1]) < 0.01  # never distorted
        if size[0] >= size[1]:
            assert abs(w - block_w) < 0.5, name  # a landscape photo: the text block's width
        else:
            assert w < 0.7 * block_w, name  # a portrait one: a share of it


def test_the_tiny_photo_is_warned_about_and_only_it(built):
    err = built["build"].stderr
    low = [line for line in err.splitlines() if "R404" in line]
    assert len(low) == 1 and "images/tiny.jpg" in low[0] and "dpi" in low[0], err


def test_parse_shows_the_r404_the_pdf_build_says(built):
    """parse reads the photos' headers and places them by the PDF's own rule (pdf/photos.py:
    placed_widths): the same line as build's, beside the ties."""
    said = [line.split(": ", 2)[2] for line in built["build"].stderr.splitlines() if "R404" in line]
    shown = [line.strip() for line in built["parse"].stdout.splitlines() if "R404" in line]
    assert shown == said and len(shown) == 1 and "images/tiny.jpg" in shown[0], (shown, said)


def test_builds_are_byte_identical(built):
    for name in ("issue.epub", "issue.pdf"):
        assert (built["epub"].parent / name).read_bytes() == (built["again"] / name).read_bytes(), name


# --- the tie rules, on the pure matcher ---------------------------------------------


def refs(*texts: str) -> list[CaptionRef]:
    return [CaptionRef(f"a01:{i}", t) for i, t in enumerate(texts, 1)]


def test_a_captions_own_number_and_a_files_number():
    assert [caption_number(t) for t in ("图③：巡逻。", "图3 巡逻", "图三：巡逻", "①巡逻", "（2）巡逻", "巡逻图3")] == \
        [3, 3, 3, 1, 2, None]
    assert [file_number(n) for n in ("03.jpg", "图3.png", "a02-photo-12.jpg", "river.jpg")] == [3, 3, 12, None]


def test_ties_by_number_by_order_and_what_is_left_over():
    caps = refs("图②：界碑。", "图①：巡逻。", "无号的说明。", "图⑤：没有照片的说明。")
    t = match(caps, ["01.jpg", "02.jpg", "zz.jpg", "extra-9.jpg"])
    assert [(x.caption, x.image, x.how) for x in t.ties] == [
        ("a01:1", "02.jpg", "number"), ("a01:2", "01.jpg", "number"), ("a01:3", "extra-9.jpg", "order")]
    assert t.lone_images == ["zz.jpg"]  # a photo no caption takes
    assert t.lone_captions == ["a01:4"]  # a numbered caption whose photo is missing
    # a number two captions share ties by neither: order decides only for unnumbered captions
    t = match(refs("图①：甲。", "图①：乙。"), ["01.jpg"])
    assert t.ties == [] and t.lone_images == ["01.jpg"] and t.lone_captions == ["a01:1", "a01:2"]


def test_an_explicit_tie_wins_over_number_and_order():
    caps = [CaptionRef("a01:1", "图①：甲。", image="images/02.jpg"), CaptionRef("a01:2", "乙。")]
    t = match(caps, ["01.jpg", "02.jpg"], {"01.jpg": "乙"}, "images/")
    assert [(x.caption, x.image, x.how) for x in t.ties] == [("a01:1", "02.jpg", "source"), ("a01:2", "01.jpg", "sidecar")]
    t = match(refs("甲。", "甲乙。"), ["x.jpg"], {"x.jpg": "甲", "y.jpg": "a01:9"})
    assert len(t.problems) == 2 and "2 captions open so" in t.problems[0] and "no caption is that" in t.problems[1]


def test_unmatched_photos_and_captions_are_warnings_in_parse(tmp_path):
    src = SOURCE.split("## 小小邮局")[0]
    (tmp_path / "issue.md").write_text(src, encoding="utf-8")
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 30)).save(tmp_path / "images" / "01.jpg")
    Image.new("RGB", (40, 30)).save(tmp_path / "images" / "stray.jpg")
    r = publisher("parse", "issue.md", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "R401" in r.stdout and "photo images/stray.jpg: no caption takes it" in r.stdout
    assert "R402" in r.stdout and "caption a01:2 without a photo" in r.stdout
    # written as a source, the warnings stand as comments; read back, they are not doubled
    md = publisher("parse", "issue.md", "--to", "markdown", cwd=tmp_path).stdout
    (tmp_path / "again.md").write_text(md, encoding="utf-8")
    again = publisher("parse", "again.md", "--to", "markdown", cwd=tmp_path).stdout
    assert md.count("<!-- R402") == again.count("<!-- R402") == 1 and md.count("<!-- R401") == 1


def _jpeg(w: int = 400, h: int = 300) -> bytes:
    buf = io.BytesIO()
    _noise(w, h, 7).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


@pytest.mark.parametrize("name,data,says", [
    ("bad.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "not a JPEG, PNG, GIF or WebP image"),
    ("cut.jpg", _jpeg()[:6000], "a truncated JPEG"),  # its header passes Pillow's verify
    ("vector.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "markup (SVG"),
    ("empty.png", b"", "empty file"),
])
def test_a_bad_photo_is_one_line_naming_it_and_nothing_is_written(tmp_path, name, data, says):
    src = SOURCE.split("## 小小邮局")[0].replace("::: caption\n图①", f'::: {{.caption image="images/{name}"}}\n图①')
    (tmp_path / "issue.md").write_text(src, encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / name).write_bytes(data)
    r = publisher("build", "issue.md", "-o", "out", cwd=tmp_path)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"images/{name}" in lines[0] and says in lines[0], r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_sidecar_images_table_is_checked(tmp_path):
    from publisher.metadata import load_meta

    (tmp_path / "i.txt").write_text("x", encoding="utf-8")
    (tmp_path / "i.toml").write_text('[images]\nfolder = "pics"\n"a.jpg" = { caption = "a01:1", alt = "甲" }\n',
                                     encoding="utf-8")
    m = load_meta(tmp_path / "i.txt")
    assert m.images == str((tmp_path / "pics").resolve()) and m.image_ties == {"a.jpg": {"caption": "a01:1", "alt": "甲"}}
    (tmp_path / "i.toml").write_text('[images]\n"../a.jpg" = "a01:1"\n', encoding="utf-8")
    with pytest.raises(PublisherError, match=r"\[images\]: image_ties '../a.jpg': a file inside the images folder"):
        load_meta(tmp_path / "i.txt")


def test_the_pdf_fetcher_serves_the_tied_photos_and_nothing_else(tmp_path):
    from publisher.fetcher import url_fetcher
    from publisher.pdf.photos import placements
    from publisher.reader import read_issue

    src = SOURCE.split("## 小小邮局")[0]
    (tmp_path / "issue.md").write_text(src, encoding="utf-8")
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 30), "red").save(tmp_path / "images" / "01.jpg")
    Image.new("RGB", (40, 30), "blue").save(tmp_path / "images" / "stray.jpg")
    issue = read_issue(tmp_path / "issue.md")
    served = placements(issue, 400.0, 600.0)
    assert list(served) == ["images/01.jpg"]
    fetcher = url_fetcher()
    got = fetcher.fetch(served["images/01.jpg"]["src"])
    assert (got.read() if hasattr(got, "read") else got.body) == (tmp_path / "images" / "01.jpg").read_bytes()
    for other in ("images/stray.jpg", "issue.md"):
        with pytest.raises(ValueError, match="not served"):
            fetcher.fetch((tmp_path / other).resolve().as_uri())


def test_the_pdf_html_names_each_photo_by_its_bytes(tmp_path):
    """A part of an anthology is cached by its HTML (pdf/partcache.py): a photo replaced
    under the same name must change the HTML, so the HTML names it by its digest."""
    from publisher.pdf.photos import placements
    from publisher.reader import read_issue

    (tmp_path / "issue.md").write_text(SOURCE.split("## 小小邮局")[0], encoding="utf-8")
    (tmp_path / "images").mkdir()
    srcs = []
    for colour in ("red", "blue", "red"):
        Image.new("RGB", (40, 30), colour).save(tmp_path / "images" / "01.jpg")
        data = (tmp_path / "images" / "01.jpg").read_bytes()
        src = placements(read_issue(tmp_path / "issue.md"), 400.0, 600.0)["images/01.jpg"]["src"]
        assert hashlib.sha256(data).hexdigest()[:16] in src
        srcs.append(src)
    assert srcs[0] != srcs[1] and srcs[0] == srcs[2]


def test_parse_to_markdown_writes_each_tie_so_the_source_keeps_it(built):
    """The reader's ties (number, order, sidecar) are written as ``image=`` attributes: the
    editor sees them, and the source read back ties the same photos, now by the source."""
    from publisher.photos import tied_blocks
    from publisher.reader import read_issue_report
    from publisher.source import to_markdown

    root = built["root"]
    issue, _, _ = read_issue_report(root / "issue.md")
    md = to_markdown(issue)
    assert '::: {.caption image="images/01.jpg"}\n图①：村道两旁的稻田。' in md
    assert '::: {.caption image="images/tiny.jpg" alt="一间红色的邮局"}' in md
    (root / "again").mkdir()
    (root / "again" / "issue.md").write_text(md, encoding="utf-8")
    (root / "again" / "images").symlink_to(root / "images")
    again, _, _ = read_issue_report(root / "again" / "issue.md")
    assert [(b.text, b.image) for b in tied_blocks(again)] == [(b.text, b.image) for b in tied_blocks(issue)]
    assert {t.how for t in again.photo_report.ties} == {"source"}
