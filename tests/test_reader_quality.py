"""Reader quality over whole inputs (every corpus file and the bundled sample).

The checks do not trust the reader's own classification: the source lines are
classified again here by simple layout rules, independent of ``reader.blocks``,
and the model is compared against them.

* at most 2% of paragraphs end mid-sentence (after page-break repair);
* no heading, caption or verse line is glued into a paragraph (a paragraph made
  of several source lines contains none of them), and none of them comes out as
  a paragraph on its own;
* paragraph text carries no markup characters;
* on 003: full-width punctuation everywhere in the Chinese text, numbers untouched.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import SAMPLE, corpus_file, corpus_files
from publisher.reader import read_issue
from publisher.reader.lines import split_lines
from publisher.textio import read_text

# the bundled sample, the test inputs in other layouts, and every corpus file
FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.txt"))
INPUTS = [SAMPLE] + FIXTURES + corpus_files()
ENDS = set("。！？…”’）」』》：；!?")
MAX_MID_SENTENCE = 0.02

# --- independent classification of source lines ----------------------------------

_NUM_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分|[A-H]\s+)")
_CAPTION_WORD = re.compile(r"(?:摄|供图)$|图为")


def _plain(text: str) -> str:
    return re.sub(r"[#*■]", "", text).strip()


def expected_structures(path) -> dict[int, str]:
    """line number → "heading" / "verse" / "caption", by layout alone."""
    lines = split_lines(read_text(path))
    texts = [_plain(sl.text) for sl in lines]
    n = len(texts)
    out: dict[int, str] = {}

    def blank(k: int) -> bool:
        return k < 0 or k >= n or not texts[k]

    # verse: runs of three or more consecutive short lines -- a layout signal only where
    # the text separates its paragraphs by blank lines.  Where it does not (102, 105:
    # a crawler's page, one paragraph a line, no blank lines), a story head (kicker,
    # subhead, byline) or a salutation is three short lines too, and the layout alone
    # cannot tell them from a stanza.
    nonblank = sum(1 for t in texts if t)
    blank_separated = nonblank and (n - nonblank) >= 0.2 * nonblank
    k = 0 if blank_separated else n
    while k < n:
        if texts[k] and len(texts[k]) <= 26:
            j = k
            while j < n and texts[j] and len(texts[j]) <= 26:
                j += 1
            if j - k >= 3:
                for m in range(k, j):
                    out[lines[m].number] = "verse"
            k = j
        else:
            k += 1
    def clause(k: int) -> bool:
        """A numbered line that is an item of an enumeration: it ends as a clause
        (； between items, ： before them), or the numbered line before it does or
        is a whole sentence (101's legal texts: 八、犯本决定…。 九、本决定自公布之日起施行。)."""
        t = texts[k]
        if t[-1] in "；;：:":
            return True
        j = k - 1
        while j >= 0 and not texts[j]:
            j -= 1
        p = texts[j] if j >= 0 else ""
        return bool(p and _NUM_HEAD.match(p)) and (
            p[-1] in "；;：:" or len(p) > 30 or any(c in "。！？" for c in p[:-1])
        )

    for k, t in enumerate(texts):
        if not t or lines[k].number in out:
            continue
        no_inner_stop = not any(c in "。！？" for c in t[:-1])
        # headings: a numbered short line standing alone, sentence-free, not a clause
        if (_NUM_HEAD.match(t) and len(t) <= 30 and no_inner_stop and blank(k - 1) and blank(k + 1)
                and not clause(k)):
            out[lines[k].number] = "heading"
        # captions: a credit, 图为, or a short closed line between runs of 2+ blanks
        elif len(t) <= 60 and _CAPTION_WORD.search(t):
            out[lines[k].number] = "caption"
        elif (
            len(t) <= 60
            and blank(k - 1) and blank(k - 2) and blank(k + 1) and blank(k + 2)
            and k > 0
            and t[-1] in "。"
        ):
            prev = next((texts[m] for m in range(k - 1, -1, -1) if texts[m]), "")
            if prev and prev[-1] in ENDS:
                out[lines[k].number] = "caption"
    return out


@pytest.fixture(scope="module", params=INPUTS, ids=lambda p: p.name[:12])
def parsed(request):
    return request.param, read_issue(request.param)


def test_corpus_is_there(corpus_dir):
    assert len(corpus_files()) >= 3


def _paragraphs(issue):
    return [b for a in issue.articles for b in a.blocks if b.type == "paragraph"]


def test_few_paragraphs_end_mid_sentence(parsed):
    path, issue = parsed
    paras = _paragraphs(issue)
    assert paras, f"{path.name}: no paragraphs"
    mid = [p for p in paras if p.text[-1] not in ENDS]
    assert len(mid) <= MAX_MID_SENTENCE * len(paras), [(p.source, p.text[-20:]) for p in mid]


def test_no_structure_line_glued_into_a_paragraph(parsed):
    path, issue = parsed
    expected = expected_structures(path)
    glued = []
    alone = []
    for p in _paragraphs(issue):
        a, b = p.source
        inside = [(ln, expected[ln]) for ln in range(a, b + 1) if ln in expected]
        if a < b and inside:
            glued.append((p.source, inside))
        elif a == b and inside:
            alone.append((p.source, inside))
    assert glued == [], f"{path.name}: structure lines glued into paragraphs"
    assert alone == [], f"{path.name}: structure lines read as paragraphs"


def test_expected_structures_come_out_as_such(parsed):
    """Every line the layout says is a heading / caption / verse line ends up in a
    block of that type (or in an article head: titles are not body blocks)."""
    path, issue = parsed
    expected = expected_structures(path)
    by_line = {}
    heads = set()
    for a in issue.articles:
        body_start = min((b.source[0] for b in a.blocks if b.source), default=a.source[1] + 1)
        heads.update(range(a.source[0], body_start))
        for b in a.blocks:
            for ln in range(b.source[0], b.source[1] + 1):
                by_line[ln] = b.type
    wrong = [
        (ln, kind, by_line.get(ln))
        for ln, kind in expected.items()
        if ln in by_line and by_line[ln] != kind and ln not in heads
    ]
    assert wrong == []


def test_no_markup_characters_in_text(parsed):
    path, issue = parsed
    for a in issue.articles:
        for b in a.blocks:
            for t in [b.text or "", *(b.lines or [])]:
                assert "**" not in t and not t.startswith(("#", "■", "- ")), (path.name, b.source, t)


# --- 003: half-width punctuation in Chinese text ------------------------------------

_HAN = r"[\u4e00-\u9fff]"
_HALF_IN_CHINESE = re.compile(rf"(?<={_HAN})[,;:?!()]|[,;:?!()](?={_HAN})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


@pytest.fixture(scope="module")
def issue_003():
    path = corpus_file("003")
    return path, read_issue(path)


def _all_texts(issue):
    for a in issue.articles:
        yield a.title
        for s in (a.subtitle, a.kicker):
            if s:
                yield s
        for au in a.authors:
            yield au.name
            if au.role:
                yield au.role
        for b in a.blocks:
            yield b.text or ""
            yield from b.lines or []
            if b.credit:
                yield b.credit


def test_003_full_width_punctuation_everywhere(issue_003):
    path, issue = issue_003
    src = read_text(path)
    assert _HALF_IN_CHINESE.search(src), "the input really has half-width marks"
    for t in _all_texts(issue):
        assert not _HALF_IN_CHINESE.search(t), t[:80]
    out = "".join(_all_texts(issue))
    # every comma and colon of the source is there, full width (none dropped)
    assert out.count("，") == src.count(",") + src.count("，")
    assert out.count("：") == src.count(":") + src.count("：")
    assert "来源：红星云" in out


def test_003_numbers_untouched(issue_003):
    path, issue = issue_003
    src = Counter(_NUMBER.findall(read_text(path)))
    out = Counter(n for t in _all_texts(issue) for n in _NUMBER.findall(t))
    assert out == src
