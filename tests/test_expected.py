"""What a careful reader sees in each corpus file (../shared/corpus/expected.json), held
against the reader's model, for both corpus folders alike.

expected.json is a floor, not the whole truth: each listed column, article, page,
author, subtitle, heading and caption must come out as such; each ``joins`` phrase
(text that spans a page-break split) must stand inside one paragraph; each
``not_in_body`` string must reach no body block; each ``fullwidth`` string must be
printed with full-width marks.
"""
from __future__ import annotations

import json

import pytest

from conftest import CORPUS_DIR, corpus_files
from publisher.reader import read_issue


def _expected() -> dict:
    path = CORPUS_DIR / "expected.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


EXPECTED = _expected()
CASES = [p for p in corpus_files() if p.name in EXPECTED]


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name[:12])
def case(request):
    path = request.param
    return EXPECTED[path.name], read_issue(path)


def test_every_corpus_file_has_an_expectation(corpus_dir):
    missing = [p.name for p in corpus_files() if p.name not in EXPECTED]
    assert CASES and not missing, missing


def _articles(issue):
    return [a for c in issue.columns for a in c.articles]


def _body_texts(issue):
    for a in _articles(issue):
        for b in a.blocks:
            yield b.type, b.text or "", b
            for line in b.lines or []:
                yield b.type, line, b


def _expected_articles(exp):
    if exp["kind"] == "article":
        return [("", {k: exp[k] for k in ("title", "subtitle", "authors") if k in exp})]
    return [(c["name"], a) for c in exp["columns"] for a in c["articles"]]


def _dashless(s: str | None) -> str | None:
    """A subtitle with or without the —— that opens it in print (expected.json has both)."""
    return s.lstrip("—").strip() if s else s


def test_kind_and_articles(case):
    exp, issue = case
    arts = _articles(issue)
    if exp["kind"] == "article":
        assert len(arts) == 1, [a.title for a in arts]
    want = _expected_articles(exp)
    got = {a.title: (c.name, a) for c in issue.columns for a in c.articles}
    assert [t for _, t in [(c, a["title"]) for c, a in want] if t not in got] == [], sorted(got)
    if exp["kind"] == "issue":
        assert len(arts) == len(want), [a.title for a in arts]
        # a 专题 column carries its topic after " · " (000: 专题聚焦 · 建设县域经济强县);
        # the label printed in the 目录 is what expected.json names
        assert [c.name.split(" · ")[0] for c in issue.columns] == [c["name"] for c in exp["columns"]]


def test_pages_authors_subtitles(case):
    exp, issue = case
    got = {a.title: a for a in _articles(issue)}
    wrong = []
    for _, want in _expected_articles(exp):
        a = got.get(want["title"])
        if a is None:
            continue  # reported by test_kind_and_articles
        if "page" in want and a.page != want["page"]:
            wrong.append((want["title"], "page", a.page, want["page"]))
        if "authors" in want and [x.name for x in a.authors] != want["authors"]:
            wrong.append((want["title"], "authors", [x.name for x in a.authors], want["authors"]))
        if "subtitle" in want and _dashless(a.subtitle) != _dashless(want["subtitle"]):
            wrong.append((want["title"], "subtitle", a.subtitle, want["subtitle"]))
    assert wrong == []


def test_headings_and_captions(case):
    exp, issue = case
    heads = {t for ty, t, _ in _body_texts(issue) if ty == "heading"}
    caps = {t for ty, t, _ in _body_texts(issue) if ty == "caption"}
    assert [h for h in exp.get("headings", []) if not any(h in t for t in heads)] == []
    assert [c for c in exp.get("captions", []) if c not in caps] == []


def test_joins_stand_inside_one_paragraph(case):
    exp, issue = case
    paras = [t for ty, t, _ in _body_texts(issue) if ty == "paragraph"]
    assert [j for j in exp.get("joins", []) if not any(j in p for p in paras)] == []


def test_nothing_listed_as_noise_reaches_a_body(case):
    exp, issue = case
    texts = [t for _, t, _ in _body_texts(issue)]
    assert [s for s in exp.get("not_in_body", []) if any(s in t for t in texts)] == []


def test_fullwidth_strings_are_printed(case):
    exp, issue = case
    texts = [t for _, t, _ in _body_texts(issue)]
    assert [s for s in exp.get("fullwidth", []) if not any(s in t for t in texts)] == []
