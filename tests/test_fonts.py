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
