"""A folder given to ``publisher anthology`` holds its ``*.txt`` issues and its Markdown
publisher sources (``*.md`` whose front matter opens with ``publisher-source: 1``); any
other Markdown file is not an issue.  The order is the metadata's (year, number) when
every issue has both, a source's front matter counting, else the file names'."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from publisher.anthology import load_config
from publisher.errors import PublisherError

TEXT = "青溪县坚持把乡村建设摆在重要位置，统筹推进道路、供水、电网和通信设施建设。"


def _source(front: str) -> str:
    return f"---\npublisher-source: 1\nmagazine: \"青溪画刊\"\n{front}---\n\n# 要闻\n\n## 乡村路 {{#a01 .article}}\n\n{TEXT}\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a.txt").write_text(f"乡村振兴\n\n{TEXT}\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text("year = 2024\nnumber = 2\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(_source("year: 2024\nnumber: 1\n"), encoding="utf-8")
    (tmp_path / "c.md").write_text(_source("year: 2024\nnumber: 3\n"), encoding="utf-8")
    (tmp_path / "README.md").write_text(f"# 说明\n\n{TEXT}\n", encoding="utf-8")  # Markdown, not a source
    (tmp_path / "notes.md").write_bytes(b"\xff\xfe\x00\xd8 binary")  # not even text
    return tmp_path


def test_a_folder_takes_its_sources_in_the_metadatas_order(folder):
    cfg = load_config([folder])
    assert [i.path.name for i in cfg.issues] == ["b.md", "a.txt", "c.md"]  # numbers 1, 2, 3
    assert [(m.year, m.number) for m in cfg.metas] == [(2024, 1), (2024, 2), (2024, 3)]
    assert cfg.book.magazine == "青溪画刊"  # the first issue's, from its front matter


def test_without_every_number_the_order_is_the_file_names(folder):
    (folder / "c.md").write_text(_source("year: 2024\n"), encoding="utf-8")
    assert [i.path.name for i in load_config([folder]).issues] == ["a.txt", "b.md", "c.md"]


def test_a_folder_of_no_issue_is_one_line(tmp_path):
    (tmp_path / "README.md").write_text(f"# 说明\n\n{TEXT}\n", encoding="utf-8")
    with pytest.raises(PublisherError, match=r"no issue text files \(\*\.txt, or \*\.md publisher sources\)"):
        load_config([tmp_path])
    p = subprocess.run([sys.executable, "-m", "publisher", "anthology", str(tmp_path), "-o", str(tmp_path / "x.pdf")],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode != 0 and p.stderr.strip().count("\n") == 0 and "no issue text files" in p.stderr
    assert not (tmp_path / "x.pdf").exists()
