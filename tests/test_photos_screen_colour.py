"""A screen PDF's photo keeps its colours (issue 16).  WeasyPrint writes every image as
DeviceRGB and drops its ICC profile: a JPEG tagged with another profile than sRGB goes
into the PDF byte for byte (its original pixels) and is given its own profile after the
render (pdf/photos.tag_profiles); a turned or PNG photo, decoded anyway, is converted to
sRGB first (pdf/photos._for_screen, the rule images.to_srgb the e-book uses too); an
untagged or sRGB photo goes in as it is."""
from __future__ import annotations

import io

import pytest

Image = pytest.importorskip("PIL.Image")

from publisher.pdf.photos import _for_screen  # noqa: E402

from test_photos_epub_encode import _gamma_profile  # noqa: E402


def _jpeg(icc: bytes | None, orientation: int = 1) -> bytes:
    im = Image.new("RGB", (64, 48), (128, 128, 128))
    im.putpixel((0, 0), (255, 0, 0))  # a corner to see the turn by
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=95, icc_profile=icc, exif=exif.tobytes())
    return buf.getvalue()


def test_an_untagged_or_srgb_photo_goes_as_it_is():
    from PIL import ImageCms

    assert _for_screen(_jpeg(None)) is None
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert _for_screen(_jpeg(srgb)) is None


def test_a_decoded_photo_tagged_with_another_profile_is_converted_to_srgb():
    shown = _for_screen(_jpeg(_gamma_profile(1.0)))
    assert shown is not None
    with Image.open(io.BytesIO(shown)) as im:
        assert im.format == "PNG" and not im.info.get("icc_profile")
        # linear light 0.5 is sRGB 188 (unconverted, a viewer would show 128)
        assert all(abs(v - 188) <= 3 for v in im.convert("RGB").getpixel((30, 20)))


def test_a_turned_photo_is_turned_and_converted_at_once():
    shown = _for_screen(_jpeg(_gamma_profile(1.0), orientation=6))  # 90° clockwise
    with Image.open(io.BytesIO(shown)) as im:
        assert im.size == (48, 64)
        assert all(abs(v - 188) <= 3 for v in im.convert("RGB").getpixel((20, 30)))
    assert _for_screen(_jpeg(None, orientation=6)) is not None  # turned, untagged


def test_the_screen_pdf_gives_a_tagged_jpeg_its_own_profile_and_keeps_its_bytes(tmp_path):
    import subprocess
    import sys

    import pikepdf

    from test_photos import SOURCE

    icc = _gamma_profile(1.0)
    src = SOURCE.split("## 小小邮局")[0]  # one article, captions 图① and 图②: 01.jpg, 02.jpg
    (tmp_path / "issue.md").write_text(src, encoding="utf-8")
    (tmp_path / "images").mkdir()
    tagged, plain = _jpeg(icc), _jpeg(None)
    (tmp_path / "images" / "01.jpg").write_bytes(tagged)
    (tmp_path / "images" / "02.jpg").write_bytes(plain)
    r = subprocess.run([sys.executable, "-m", "publisher", "build", "issue.md", "--pdf", "-o", "out"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    with pikepdf.open(tmp_path / "out" / "issue.pdf") as pdf:
        images = {bytes(o.read_raw_bytes()): o for o in pdf.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Image}
        # both byte for byte, the original pixels (each has an EXIF block, which WeasyPrint's
        # default image-orientation: from-image would decode and encode again)
        assert tagged in images and plain in images
        cs = images[tagged].ColorSpace
        assert cs[0] == pikepdf.Name.ICCBased and cs[1].read_bytes() == icc and cs[1].N == 3
        assert images[plain].ColorSpace == pikepdf.Name.DeviceRGB
    again = subprocess.run([sys.executable, "-m", "publisher", "build", "issue.md", "--pdf", "-o", "out2"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and (tmp_path / "out2" / "issue.pdf").read_bytes() == (tmp_path / "out" / "issue.pdf").read_bytes()
