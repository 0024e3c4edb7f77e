import pytest

from publisher.errors import PublisherError
from publisher.metadata import load_meta


def test_sample_sidecar_is_read(sample_path):
    meta = load_meta(sample_path)
    assert meta.magazine == "青溪决策参考"
    assert meta.issue_label == "2024年第2期"
    assert meta.number == 2 and meta.date == "2024-04-01"
    assert meta.title == "青溪决策参考 2024年第2期"


def test_defaults_without_sidecar(tmp_path):
    p = tmp_path / "issue-7.txt"
    p.write_text("x", encoding="utf-8")
    meta = load_meta(p, {"page_size": "A4", "magazine": None})
    assert meta.name == "issue-7" and meta.page_size == "210mm 297mm" and meta.language == "zh-CN"


def test_bad_sidecar_is_clear(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.toml").write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(PublisherError, match="unknown metadata key 'colour'"):
        load_meta(tmp_path / "a.txt")
