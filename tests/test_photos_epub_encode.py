"""The e-book's copy of each photo (issue 16, epub/photos.py), in-process and small.

The documents give each ``<img>`` its width and height before the photo is encoded
(``Pending.shapes``, while the threads re-encode): those must be the encoded photo's
own.  A photo tagged with a profile other than sRGB keeps its colours; a photo the
header check passes but that cannot be decoded (truncated) is one line naming it.
"""
from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from publisher.epub.photos import MAX_SIDE, Pending, fit, reencode
from publisher.errors import PublisherError
from publisher.model import Article, Block, Column, Issue, Meta


def _issue(folder: Path, names: list[str]) -> Issue:
    blocks = [Block("caption", text=f"图{k}：第{k}张。", image=f"images/{n}") for k, n in enumerate(names, 1)]
    return Issue(meta=Meta(), columns=[Column(name="影像", articles=[Article(title="影像", id="a01", blocks=blocks)])],
                 source_path=str(folder / "issue.md"))


def _photo(w: int, h: int, mode: str = "RGB") -> Image.Image:
    """A photo-like image: a gradient with deterministic grain (thousands of colours)."""
    g = Image.linear_gradient("L").resize((w, h)).convert(mode)
    grain = Image.frombytes(mode, (w, h), hashlib.shake_256(b"%d" % w).digest(w * h * len(mode)))
    return Image.blend(g, grain, 0.3)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("encode")
    im = root / "images"
    im.mkdir()
    _photo(3300, 2000).save(im / "big.jpg", quality=90)  # decoded at 1/2 scale by libjpeg
    _photo(2401, 1599).save(im / "odd.jpg", quality=90)
    exif = Image.Exif()
    exif[0x0112] = 8
    _photo(2000, 1000).save(im / "turned.jpg", quality=90, exif=exif.tobytes())
    _photo(1700, 1100, "L").save(im / "grey.jpg", quality=90)
    chart = Image.new("RGB", (2000, 900), "white")
    chart.paste((156, 38, 30), (100, 100, 900, 800))
    chart.save(im / "chart.png")
    _photo(1900, 1300).save(im / "photo.png")
    chart.convert("P").save(im / "chart.gif")
    _photo(400, 300).save(im / "small.webp", quality=90)
    return root


NAMES = ["big.jpg", "odd.jpg", "turned.jpg", "grey.jpg", "chart.png", "photo.png", "chart.gif", "small.webp"]


def test_the_shapes_the_documents_get_are_the_encoded_photos_own(folder):
    pending = Pending(_issue(folder, NAMES))
    shapes, done = pending.shapes(), pending.result()
    assert list(shapes) == list(done) == [f"images/{n}" for n in NAMES]
    for rel, s in shapes.items():
        ph = done[rel]
        with Image.open(io.BytesIO(ph.data)) as im:
            assert (s.href, s.media_type, s.width, s.height) == (ph.href, ph.media_type, im.width, im.height), rel
            assert max(im.size) <= MAX_SIDE and im.format == ("PNG" if ph.media_type == "image/png" else "JPEG")
    assert [done[f"images/{n}"].media_type for n in ("chart.png", "photo.png", "chart.gif")] == \
        ["image/png", "image/jpeg", "image/png"]  # line art stays PNG, a photo in a PNG becomes a JPEG
    assert (shapes["images/big.jpg"].width, shapes["images/big.jpg"].height) == (1600, 970)
    assert (shapes["images/turned.jpg"].width, shapes["images/turned.jpg"].height) == (800, 1600)  # turned
    assert (shapes["images/small.webp"].width, shapes["images/small.webp"].height) == (400, 300)  # never enlarged
    assert fit(2401, 1599) == (shapes["images/odd.jpg"].width, shapes["images/odd.jpg"].height) == (1600, 1066)
    # the same bytes again, whatever order the threads finish in
    again = Pending(_issue(folder, list(reversed(NAMES)))).result()
    assert {r: p.data for r, p in again.items()} == {r: p.data for r, p in done.items()}


def _gamma_profile(gamma: float) -> bytes:
    """A minimal ICC v2 RGB display profile: sRGB's primaries, a plain gamma curve."""
    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

    text = b"gamma %.1f RGB\0" % gamma
    tags = [(b"desc", b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text + b"\0" * 8 + b"\0" * 3 + b"\0" * 67),
            (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)), (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
            (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            *((t, b"curv" + b"\0" * 4 + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0")
              for t in (b"rTRC", b"gTRC", b"bTRC")),
            (b"cprt", b"text" + b"\0" * 4 + b"none\0\0\0\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp"
              + b"\0" * 24 + b"\0" * 4 + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def test_a_photo_tagged_with_another_profile_keeps_its_colours():
    grey = Image.new("RGB", (64, 48), (128, 128, 128))
    out = {}
    for name, icc in (("untagged", None), ("linear", _gamma_profile(1.0))):
        buf = io.BytesIO()
        grey.save(buf, format="JPEG", quality=95, icc_profile=icc)
        data, media, w, h = reencode(buf.getvalue())
        with Image.open(io.BytesIO(data)) as im:
            assert "icc_profile" not in im.info or not im.info["icc_profile"]  # stripped
            out[name] = im.convert("RGB").getpixel((30, 20))
    assert all(abs(v - 128) <= 2 for v in out["untagged"])  # taken as sRGB: as it was
    # linear light 0.5 is sRGB 188: converted before the profile was stripped
    assert all(abs(v - 188) <= 3 for v in out["linear"]), out


def test_a_truncated_photo_is_one_line_naming_it(tmp_path):
    (tmp_path / "images").mkdir()
    buf = io.BytesIO()
    _photo(1200, 800).save(buf, format="JPEG", quality=90)
    (tmp_path / "images" / "cut.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(PublisherError) as e:  # by its check, before anything is encoded
        Pending(_issue(tmp_path, ["cut.jpg"]))
    msg = str(e.value)
    assert "\n" not in msg and "images/cut.jpg" in msg and "truncated" in msg, msg
    # and should a photo the check passed fail to decode, the encoder names it in one line too
    # (not shown with a truncated one: WeasyPrint, once imported, sets Pillow's global
    # LOAD_TRUNCATED_IMAGES, and Pillow then fills the missing rows grey; hence the check)
    from publisher.epub.photos import _reencode_checked
    from publisher.images import Checked

    cut = tmp_path / "images" / "cut.jpg"
    with pytest.raises(PublisherError) as e:
        _reencode_checked(Checked(cut, b"\xff\xd8\xff\xdb damaged", "JPEG", 1200, 800))
    msg = str(e.value)
    assert "\n" not in msg and "images/cut.jpg: cannot be decoded" in msg, msg


# --- the disk cache of re-encoded photos (epub/photocache.py) ------------------------


def test_a_rebuild_takes_the_photos_from_the_cache_with_the_same_bytes(folder, tmp_path):
    import os
    import time

    from publisher.epub.photocache import MARKER, PhotoCache

    names = ["odd.jpg", "chart.png", "turned.jpg"]
    plain = {r: p.data for r, p in Pending(_issue(folder, names)).result().items()}  # no cache
    cache = tmp_path / ".cache" / "photos"
    first = Pending(_issue(folder, names), cache)
    assert {r: p.data for r, p in first.result().items()} == plain
    assert (first.cache.hits, first.cache.stores) == (0, 3) and (cache / MARKER).is_file()
    again = Pending(_issue(folder, names), cache)
    assert again.cache.hits == 3 and not again._futures  # nothing encoded
    shapes = again.shapes()
    assert {r: p.data for r, p in again.result().items()} == plain and again.cache.stores == 0
    assert [(s.href, s.width, s.height) for s in shapes.values()] == \
        [(s.href, s.width, s.height) for s in first.shapes().values()]
    # a damaged entry is encoded again, never used
    entry = next(p for p in sorted(cache.iterdir()) if p.suffix == ".jpg")
    entry.write_bytes(entry.read_bytes()[:-10])
    fixed = Pending(_issue(folder, names), cache)
    assert fixed.cache.hits == 2 and {r: p.data for r, p in fixed.result().items()} == plain
    # a photo replaced under the same name is encoded again
    work = tmp_path / "work"
    (work / "images").mkdir(parents=True)
    _photo(1800, 1200).save(work / "images" / "p.jpg", quality=90)
    one = Pending(_issue(work, ["p.jpg"]), cache).result()["images/p.jpg"].data
    _photo(1800, 1300).save(work / "images" / "p.jpg", quality=90)
    other = Pending(_issue(work, ["p.jpg"]), cache)
    assert other.cache.hits == 0 and other.result()["images/p.jpg"].data != one
    # pruning: old entries go, and only files named as entries
    keep = cache / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    old = time.time() - 400 * 86400
    for p in cache.iterdir():
        os.utime(p, (old, old))
    assert PhotoCache(cache).prune() > 0
    assert sorted(p.name for p in cache.iterdir()) == [MARKER, "notes.txt"]


def test_a_folder_that_is_not_the_caches_is_never_used(folder, tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "holiday.jpg").write_bytes(b"not ours")
    p = Pending(_issue(folder, ["odd.jpg"]), theirs)
    assert p.cache is None and p.result()["images/odd.jpg"].media_type == "image/jpeg"
    assert sorted(x.name for x in theirs.iterdir()) == ["holiday.jpg"]
