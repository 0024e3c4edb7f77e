"""The anthology cache against careless and hostile folders (issue 12).

The cache owns only what it made (a CACHEDIR.TAG marker of publisher's): a
``--cache-dir`` with files of the user's is refused, pruning never deletes a file it
did not name, every entry is checked when read (a bad one is rebuilt, never fatal),
and an unwritable cache means a build without it and one warning.  The fast stand-in
reader and renderer of test_anthology_plan are used; the book must come out
byte-identical to a build from a clean cache.
"""
from __future__ import annotations

import json
import os
import time

import pytest

from publisher.anthology.cache import MARKER, open_cache
from publisher.errors import PublisherError
from test_anthology_plan import build, issues  # noqa: F401  (the fixture)


def _renders(cache):
    return sorted(p for p in (cache / "renders").glob("??/*.json"))


def test_folder_of_the_users_is_refused_and_untouched(tmp_path, issues):  # noqa: F811
    folder, _ = issues
    mine = tmp_path / "mine"
    (mine / "fonts").mkdir(parents=True)
    (mine / "renders").mkdir()
    (mine / "fonts" / "MyFont.otf").write_bytes(b"OTTO font")
    (mine / "fonts" / "manifest.toml").write_text("[x]\n", encoding="utf-8")
    (mine / "renders" / "old.pdf").write_bytes(b"%PDF-1.4 mine")
    before = {p: p.read_bytes() for p in mine.rglob("*") if p.is_file()}
    with pytest.raises(PublisherError, match="not a publisher cache"):
        build(folder, tmp_path / "book.pdf", mine)
    assert {p: p.read_bytes() for p in mine.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "book.pdf").exists()


def test_prune_deletes_only_its_own_entries(tmp_path, issues):  # noqa: F811
    folder, _ = issues
    cache = tmp_path / "cache"
    build(folder, tmp_path / "a.pdf", cache)
    assert (cache / MARKER).is_file()
    # Files a user (or another tool) put into the cache's folders; old ones, as pruning goes.
    strangers = [cache / "fonts" / "MyFont.otf", cache / "fonts" / "manifest.toml",
                 cache / "renders" / "old.pdf", cache / "renders" / "ab" / "notes.json",
                 cache / "front" / "front-mine.json"]
    for p in strangers:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"mine")
        os.utime(p, (time.time() - 400 * 86400,) * 2)
    build(folder, tmp_path / "b.pdf", cache)
    assert all(p.read_bytes() == b"mine" for p in strangers)


def _tamper(cache, how):
    for meta in _renders(cache):  # every render kept (speculative ones at other offsets too)
        _tamper_one(meta, how)


def _tamper_one(meta, how):
    d = json.loads(meta.read_text(encoding="utf-8"))
    if how == "page_count":
        d["page_count"] += 2
    elif how == "page_count_str":
        d["page_count"] = "abc"
    elif how == "toc_no_level":
        del d["toc"][0]["level"]
    elif how == "bad_json":
        meta.write_text("{not json", encoding="utf-8")
        return
    elif how == "missing_pdf":
        meta.with_suffix(".pdf").unlink()
        return
    meta.write_text(json.dumps(d), encoding="utf-8")


@pytest.mark.parametrize("how", ["page_count", "page_count_str", "toc_no_level", "bad_json", "missing_pdf"])
def test_bad_render_entry_is_rebuilt(tmp_path, issues, how):  # noqa: F811
    folder, _ = issues
    cache = tmp_path / "cache"
    clean = build(folder, tmp_path / "clean.pdf", tmp_path / "clean-cache")
    build(folder, tmp_path / "a.pdf", cache)
    _tamper(cache, how)
    r = build(folder, tmp_path / "b.pdf", cache)
    assert r.stats.renders >= 5  # every bad entry was set again
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "clean.pdf").read_bytes()
    assert clean.stats.pages == r.stats.pages
    # and the rebuilt entry serves the next build
    r3 = build(folder, tmp_path / "c.pdf", cache)
    assert r3.stats.renders == 0


@pytest.mark.parametrize("value", [1, "abc", -3, None])
def test_wrong_stored_page_count_is_replanned(tmp_path, issues, value):  # noqa: F811
    folder, _ = issues
    cache = tmp_path / "cache"
    build(folder, tmp_path / "clean.pdf", tmp_path / "clean-cache")
    build(folder, tmp_path / "a.pdf", cache)
    for p in (cache / "counts").glob("*.json"):
        p.write_text(json.dumps({"page_count": value}), encoding="utf-8")
    for p in (cache / "sources").glob("*.json"):
        p.write_text("[]", encoding="utf-8")
    for p in _renders(cache):  # no render to fall back on: the counts lead the plan
        p.unlink()
    build(folder, tmp_path / "b.pdf", cache)
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "clean.pdf").read_bytes()


def test_unwritable_cache_builds_without_it(tmp_path, issues, capsys):  # noqa: F811
    if os.geteuid() == 0:
        blocker = tmp_path / "file"  # root writes anywhere: a file where the folder should be made
        blocker.write_bytes(b"x")
        cache = blocker / "cache"
    else:
        cache = tmp_path / "ro"
        cache.mkdir(mode=0o500)
    folder, _ = issues
    build(folder, tmp_path / "clean.pdf", tmp_path / "clean-cache")
    capsys.readouterr()
    r = build(folder, tmp_path / "b.pdf", cache)
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "building without cache" in err
    assert r.stats.warnings and r.stats.renders >= 5
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "clean.pdf").read_bytes()


def test_open_cache_accepts_empty_missing_and_marked(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "new" / "deep"):
        c, warning = open_cache(folder, explicit=True)
        assert warning is None and c.folder == folder and (folder / MARKER).is_file()
        again, warning = open_cache(folder, explicit=True)  # a marked folder with entries
        assert warning is None and again.folder == folder
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(PublisherError, match="not a folder"):
        open_cache(tmp_path / "f", explicit=True)
