"""The EPUB's dates when the issue is dated nowhere (issue 14): no dc:date invented, a fixed
dcterms:modified (never the clock or a file's mtime: the same input gives the same bytes),
and one warning that says so and gives the exact fix; a sidecar date, --date or
SOURCE_DATE_EPOCH wins."""
from __future__ import annotations

import io
import shutil

import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from epub_fixtures import magazine_issue
from epub_helpers import Book
from publisher.epub import build_epub_bytes
from publisher.epub.metadata import date_warning


def _dates(issue) -> tuple[bytes, list[str], list[str]]:
    data = build_epub_bytes(issue, embed_fonts=False)
    book = Book(io.BytesIO(data))
    return data, book.dc("date"), book.meta("dcterms:modified")


def _undated():
    issue = magazine_issue()
    issue.meta.date, issue.meta.year = None, None
    return issue


def test_an_issue_dated_nowhere_gets_no_dc_date_and_the_fixed_modified_time(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data, dc_date, modified = _dates(_undated())
    assert dc_date == [] and modified == ["2000-01-01T00:00:00Z"]
    assert _dates(_undated())[0] == data  # no clock: the same bytes again
    with __import__("zipfile").ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    warning = date_warning(_undated(), "issue.toml")
    assert warning.startswith("no date in the sidecar, the command line or the text")
    assert "no dc:date" in warning and "the fixed 2000-01-01" in warning
    assert 'add date = "YYYY-MM-DD" to issue.toml or pass --date YYYY-MM-DD' in warning


def test_source_date_epoch_then_the_year_then_the_date_win(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, dc_date, modified = _dates(_undated())
    assert dc_date == [] and modified == ["2023-11-14T22:13:20Z"]  # the build's time, not the issue's date
    assert "SOURCE_DATE_EPOCH's" in date_warning(_undated(), "issue.toml")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    issue = _undated()
    issue.meta.year = 2023
    assert _dates(issue)[1:] == (["2023"], ["2023-01-01T00:00:00Z"]) and date_warning(issue, "x.toml") is None
    issue = magazine_issue()  # date = "2024-04-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _dates(issue)[1:] == (["2024-04-01"], ["2024-04-01T00:00:00Z"]) and date_warning(issue, "x.toml") is None


@pytest.fixture
def undated_input(tmp_path, monkeypatch):
    """The bundled sample's text without its sidecar: no magazine and no date anywhere."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    src = tmp_path / "issue.txt"
    shutil.copy(SAMPLE, src)
    return src


def test_build_says_how_to_date_an_undated_issue_and_the_fix_works(undated_input, tmp_path):
    from publisher.commands import build

    def run(*extra):
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        r = CliRunner().invoke(build.command, [str(undated_input), "--epub", "--no-embed-fonts", "-o", str(out), *extra])
        assert r.exit_code == 0, r.output
        book = Book(out / "issue.epub")
        return r.stderr, book.dc("date"), book.meta("dcterms:modified")

    err, dc_date, modified = run()
    notes = [ln for ln in err.splitlines() if "no date" in ln]
    assert len(notes) == 1 and 'add date = "YYYY-MM-DD" to issue.toml or pass --date YYYY-MM-DD' in notes[0], err
    assert dc_date == [] and modified == ["2000-01-01T00:00:00Z"]
    # the two fixes the warning names
    err, dc_date, modified = run("--date", "2024-04-01")
    assert "no date" not in err and dc_date == ["2024-04-01"] and modified == ["2024-04-01T00:00:00Z"]
    undated_input.with_suffix(".toml").write_text('date = "2024-05-01"\n', encoding="utf-8")
    err, dc_date, modified = run()
    assert "no date" not in err and dc_date == ["2024-05-01"] and modified == ["2024-05-01T00:00:00Z"]
