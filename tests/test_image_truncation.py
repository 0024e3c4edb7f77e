"""A photo or cover cut short is refused by images.check_image (issue 16): Pillow's
verify reads only a JPEG's, GIF's or WebP's header, and WeasyPrint lets Pillow load a
cut image as grey rows, so the check walks each format's own structure to its end."""
from __future__ import annotations

import io

import pytest

from publisher.errors import PublisherError
from publisher.images import check_image, gif_blocks_end, webp_riff_whole

Image = pytest.importorskip("PIL.Image")


def _picture(mode: str = "RGB") -> "Image.Image":
    im = Image.new(mode, (120, 80))
    im.putdata([((x * 7) % 256, (y * 5) % 256, (x * y) % 256) for y in range(80) for x in range(120)])
    return im


def _encode(fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im = _picture()
    if fmt == "GIF" and kw.pop("frames", False):
        im.save(buf, format="GIF", save_all=True, append_images=[_picture().rotate(90), _picture().rotate(180)],
                comment=b"a comment block", loop=0, duration=100)
    else:
        im.save(buf, format=fmt, **kw)
    return buf.getvalue()


CASES = {
    "still.gif": _encode("GIF"),
    "animated.gif": _encode("GIF", frames=True),  # extensions, local palettes, three images
    "photo.webp": _encode("WEBP", quality=80),
    "lossless.webp": _encode("WEBP", lossless=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_whole_image_passes_and_any_cut_of_it_is_refused(tmp_path, name):
    data = CASES[name]
    whole = tmp_path / name
    whole.write_bytes(data)
    assert check_image(whole, what="photo").data == data
    test = gif_blocks_end if name.endswith(".gif") else webp_riff_whole
    assert test(data)
    for cut in sorted({13, 40, len(data) // 3, len(data) // 2, len(data) - 2, len(data) - 1}):
        assert not test(data[:cut]), cut
        (tmp_path / f"cut-{name}").write_bytes(data[:cut])
        with pytest.raises(PublisherError) as e:
            check_image(tmp_path / f"cut-{name}", what="photo")
        msg = str(e.value)
        assert "\n" not in msg and f"cut-{name}" in msg and ("truncated" in msg or "not a JPEG, PNG" in msg), msg


def test_a_gif_cut_after_its_header_passes_pillows_verify_but_not_the_check(tmp_path):
    data = CASES["animated.gif"][: len(CASES["animated.gif"]) // 2]
    with Image.open(io.BytesIO(data)) as im:
        im.verify()  # what the check used to rely on
    (tmp_path / "half.gif").write_bytes(data)
    with pytest.raises(PublisherError, match=r"half\.gif: a truncated GIF"):
        check_image(tmp_path / "half.gif", what="photo")
