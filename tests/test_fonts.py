import pytest

from publisher.errors import PublisherError
from publisher.fonts import font_faces, resolve_role


def test_every_role_resolves_on_a_set_up_machine():
    faces = {f.role: f for f in font_faces()}
    assert {"song", "song-bold", "hei", "hei-bold", "kai", "kai-bold", "fangsong"} <= set(faces)
    assert all(f.path.is_file() for f in faces.values())


def test_missing_font_names_role_and_package(tmp_path):
    with pytest.raises(PublisherError, match="role 'kai' not found.*fonts-lxgw-wenkai"):
        resolve_role("kai", {"family": "Pub Kai", "package": "fonts-lxgw-wenkai", "candidates": [{"file": "nope.ttf"}]}, tmp_path)


def test_manifest_from_environment(tmp_path, monkeypatch):
    (tmp_path / "manifest.toml").write_text(
        '[roles.song]\nfamily = "Pub Song"\npackage = "fonts-noto-cjk"\ncandidates = [ { file = "NoSuchSong.otf" } ]\n',
        encoding="utf-8")
    monkeypatch.setenv("PUBLISHER_FONTS_MANIFEST", str(tmp_path / "manifest.toml"))
    with pytest.raises(PublisherError, match=r"role 'song' not found .*NoSuchSong\.otf"):
        font_faces()


def test_replace_uncovered_marks_what_no_font_draws():
    from publisher.pdf.fonts import GETA, coverage, replace_uncovered

    assert coverage()  # the manifest's Song face, installed by the setup
    lacking = next(chr(c) for c in range(0x20000, 0x2A6DF) if c not in coverage())  # CJK Ext. B
    text = f"<p>中文 abc{lacking}，又{lacking}。\u3000</p>"
    out, missing = replace_uncovered(text)
    assert out == text.replace(lacking, GETA) and missing == {lacking: 2}
    assert replace_uncovered("<p>中文 abc</p>") == ("<p>中文 abc</p>", {})
