import codecs

import pytest

from publisher.errors import PublisherError
from publisher.textio import atomic_write, decode_bytes, read_text

TEXT = "中共中央办公厅印发\n\n关于在全党大兴调查研究的工作方案\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
    ],
)
def test_decodes_every_encoding_editors_send(data):
    assert decode_bytes(data) == TEXT


@pytest.mark.parametrize(
    "data,why",
    [(b"", "empty"), (b"  \n\n ", "empty"), (bytes(range(256)) * 8, "binary"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary")],
)
def test_bad_input_is_one_clear_error(data, why):
    with pytest.raises(PublisherError, match=why):
        decode_bytes(data)


def test_missing_file(tmp_path):
    with pytest.raises(PublisherError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    out = tmp_path / "sub" / "x.txt"
    atomic_write(out, "旧")
    atomic_write(out, "新内容")
    assert out.read_text(encoding="utf-8") == "新内容"
    assert [p.name for p in out.parent.iterdir()] == ["x.txt"]


def test_atomic_write_unwritable_folder_is_clear(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PublisherError, match="cannot write"):
        atomic_write(blocker / "out.epub", b"data")


def test_atomic_output_streams_and_cleans_up_on_interrupt(tmp_path):
    from publisher.textio import atomic_output

    out = tmp_path / "book.pdf"
    with atomic_output(out) as f:
        f.write(b"%PDF-1.7 whole")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(out) as f:
            f.write(b"half")
            raise KeyboardInterrupt
    assert out.read_bytes() == b"%PDF-1.7 whole"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]
