"""typography.normalise_map handles runs in bulk (issue 12: a run of marks or spaces was
scanned character by character); it must read every text exactly as the
character-by-character scanner did (tests/typography_reference.py): same text and the
same origin for every character, in body text and titles, on every line of the corpus
and on random strings of the characters the scanner treats specially."""
from __future__ import annotations

import random
import time

from publisher import typography as ty
from publisher.textio import read_text

from conftest import SAMPLE, corpus_files
import typography_reference as ref

# Every character a rule looks at, with Han, Latin, digits, full-width forms and
# symbols around them, weighted so that runs and alternations of each occur.
ALPHABET = (
    list("建设清廉乡村第年月亿元一二〇") * 3
    + list("abcXYZ0159") * 2
    + list(" \t\u3000\u00a0") * 2
    + list(".。…⋯-－—―─()（）\"“”'‘’,;:?!<>")
    + list("２０ＧＤ％．、，：；！？》《·～/\\|_*#+=&@^`~■•→%")
)


def _random_text(rng: random.Random) -> str:
    out: list[str] = []
    for _ in range(rng.randint(1, 12)):
        unit = "".join(rng.choice(ALPHABET) for _ in range(rng.choice((1, 1, 2, 3, 5, 8))))
        # long repeats reach the scanner's copy of a periodic stretch (16 units and more)
        out.append(unit * rng.choice((1, 1, 1, 2, 3, 5, 17, 60, 140)))
    return "".join(out)


def _same(text: str) -> None:
    for title in (False, True):
        assert ty.normalise_map(text, title=title) == ref.normalise_map(text, title=title), (text, title)


def test_same_reading_as_the_reference_on_random_strings():
    rng = random.Random(20261202)
    start = time.process_time()
    for _ in range(2000):
        _same(_random_text(rng))
    assert time.process_time() - start < 60


def test_same_reading_as_the_reference_on_every_corpus_line():
    files = [*corpus_files(), SAMPLE]
    lines = [ln for p in files for ln in read_text(p).splitlines() if ln.strip()]
    assert len(lines) > 100
    for ln in lines:
        _same(ln)
    # and whole paragraphs of several lines, as the reader hands them over
    for k in range(0, len(lines) - 3, 7):
        _same("".join(lines[k : k + 3]))


def test_runs_and_alternations_of_each_mark():
    for c in ".。…⋯-－—―─()（）\"“”'‘’,;:?!<> \u3000":
        for ctx in ("建设{}清廉", "abc{}xyz", "{}", "12{}34", "“三农{}”", "建设{}abc", "/{}/"):
            for k in (1, 2, 3, 4, 7, 40, 150):  # 150: long enough to be copied by period
                _same(ctx.format(c * k))
                _same(ctx.format((c + "字") * k))
                _same(ctx.format((c + " ") * k))
