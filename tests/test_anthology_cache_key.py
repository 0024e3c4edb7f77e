"""The anthology cache key covers every file an issue's render reads, by its bytes.

Two tiny publisher sources with photos: ``a.md`` with a photo tied by number
(``images/01.png`` ↔ 图①) and a cover image named by its sidecar; ``b.md`` with a
cover photo named by its front matter and a caption naming its photo outside the
images folder (``image="pics/x.png"``).  Replacing a file under the same name with
other pixels renders that issue again (and only it), and the book equals one built
without a cache; unchanged inputs are taken from the cache.
"""
from __future__ import annotations

import hashlib

import pikepdf
import pytest
from PIL import Image

from publisher.anthology import build_anthology, load_config
from publisher.anthology.config import issue_meta
from publisher.anthology.inputs import issue_files

TEXT = "青溪县坚持把乡村建设摆在重要位置，统筹推进道路、供水、电网和通信设施建设，群众的获得感不断增强。" * 2


def _source(label: str, caption: str, front: str = "") -> str:
    return (f'---\npublisher-source: 1\nmagazine: "青溪画刊"\nissue_label: "{label}"\n{front}---\n\n'
            f"# 乡村影像\n\n## 美丽乡村路 {{#a01 .article}}\n\n{TEXT}\n\n{caption}\n图①：村道两旁的稻田。\n:::\n\n{TEXT}\n")


def _png(path, colour, size=(300, 200)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def _images(pdf_path) -> list[str]:
    """A digest of every image's pixels in the book (each image XObject, at any depth)."""
    out = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                out.append(hashlib.sha256(obj.read_bytes()).hexdigest()[:12])
    return sorted(out)


@pytest.fixture(scope="module")
def issues(tmp_path_factory):
    root = tmp_path_factory.mktemp("key")
    (root / "a.md").write_text(_source("2024年第1期", "::: caption"), encoding="utf-8")
    (root / "a.toml").write_text('cover = "cover.png"\n', encoding="utf-8")
    _png(root / "images" / "01.png", (200, 40, 40))
    _png(root / "cover.png", (40, 40, 200), (700, 990))
    sub = root / "b"
    (sub / "b.md").parent.mkdir()
    (sub / "b.md").write_text(_source("2024年第2期", '::: {.caption image="pics/x.png"}',
                                      front='cover_photo: "lead.png"\n'), encoding="utf-8")
    _png(sub / "pics" / "x.png", (40, 160, 40))
    _png(sub / "lead.png", (160, 160, 40), (600, 400))
    return root, [root / "a.md", sub / "b.md"]


def _build(inputs, out, cache):
    return build_anthology(load_config(inputs), out, jobs=2, cache_dir=cache, use_cache=cache is not None,
                           progress=False)


def test_the_key_lists_the_sidecar_cover_photos_and_the_front_matters_files(issues):
    root, (a, b) = issues
    _, files = issue_files(a, issue_meta(a), a.read_bytes())
    assert files == [("sidecar", root / "a.toml"), ("cover", root / "cover.png"),
                     ("photo", root / "images" / "01.png")]
    _, files = issue_files(b, issue_meta(b), b.read_bytes())
    assert files == [("sidecar", root / "b" / "b.toml"), ("cover_photo", root / "b" / "lead.png"),
                     ("named", root / "b" / "pics" / "x.png")]


def test_a_replaced_photo_or_cover_is_rendered_again_and_the_rest_comes_from_the_cache(issues, tmp_path):
    root, inputs = issues
    cache = tmp_path / "cache"
    first = _build(inputs, tmp_path / "1.pdf", cache)
    assert first.stats.rendered == [0, 1]
    before = _images(tmp_path / "1.pdf")

    again = _build(inputs, tmp_path / "2.pdf", cache)  # nothing changed: all from the cache
    assert again.stats.renders == 0 and again.stats.cache_hits == 2
    assert (tmp_path / "2.pdf").read_bytes() == (tmp_path / "1.pdf").read_bytes()

    _png(root / "images" / "01.png", (10, 200, 200))  # same name, same size, other pixels
    r = _build(inputs, tmp_path / "3.pdf", cache)
    assert r.stats.rendered == [0] and r.stats.cached == [1] and r.stats.cache_hits == 1
    after = _images(tmp_path / "3.pdf")
    assert after != before and len(after) == len(before)

    _png(root / "cover.png", (200, 200, 10), (700, 990))  # a's cover
    _png(root / "b" / "lead.png", (10, 10, 10), (600, 400))  # b's cover photo (front matter)
    _png(root / "b" / "pics" / "x.png", (250, 250, 250))  # b's photo named by its caption
    r = _build(inputs, tmp_path / "4.pdf", cache)
    assert r.stats.rendered == [0, 1] and r.stats.cache_hits == 0
    last = _images(tmp_path / "4.pdf")
    assert len(set(last) - set(after)) >= 3  # the three new images are in the book
    _build(inputs, tmp_path / "fresh.pdf", None)
    assert (tmp_path / "4.pdf").read_bytes() == (tmp_path / "fresh.pdf").read_bytes()


def test_a_fifo_or_a_missing_file_among_the_photos_is_keyed_never_read(tmp_path):
    import os

    from publisher.anthology.inputs import inputs_digest

    issue = tmp_path / "i.txt"
    issue.write_text(f"乡村振兴\n\n{TEXT}\n", encoding="utf-8")
    (tmp_path / "i.toml").write_text('cover = "gone.png"\n', encoding="utf-8")
    os.mkfifo(_mkdir(tmp_path / "images") / "01.jpg")  # a read would block
    meta = issue_meta(issue)
    first = inputs_digest(issue, meta, issue.read_bytes())
    assert first == inputs_digest(issue, meta, issue.read_bytes())  # same files, same key (and no hang)
    _png(tmp_path / "gone.png", (1, 2, 3))
    assert inputs_digest(issue, meta, issue.read_bytes()) != first  # the cover, once there, is in the key


def _mkdir(p):
    p.mkdir()
    return p
