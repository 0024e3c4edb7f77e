"""Hostile input never hangs, crashes or loses a line of the reader (issue 12).

Seeded mutations of every corpus file (and the bundled inputs), plus generated
adversarial shapes (runs of each punctuation mark, leaders, spaces of each kind,
brackets and Markdown markers, numbering, many 目录 entries; see ``reader_adversary``),
each parsed in a watchdog child process with a time limit per input.  A shape's CPU
time is also held against the parse of corpus text of the same size: a quadratic
regex shows up as a ratio long before it shows up as a hang.

Bounded to about two minutes under CI (``CI=true``); fewer inputs otherwise.  The long
version is ``scripts/fuzz_reader.py --count 10000``.  ``FUZZ_SEED`` picks another seed.
"""
from __future__ import annotations

import os
import random
import time

import pytest

from publisher.textio import read_text

from conftest import SAMPLE, corpus_files
from reader_adversary import Watchdog, mutants, shapes
from test_reader_fuzz import FIXTURE

CI = bool(os.environ.get("CI"))
SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
SHAPE_SIZE = 40_000 if CI else 6_000  # characters of the hostile run
MUTANTS_PER_FILE = 250 if CI else 3
HANG_S = 10.0  # per input, wall clock: far above any honest parse of these sizes
SHAPE_CPU_FLOOR_S = 0.5  # a shape may always take this long (imports are warm)
SHAPE_CPU_RATIO = 6  # ... or this many times the corpus text of the same size


def _inputs() -> list[tuple[str, str]]:
    out = [(p.name, read_text(p)) for p in corpus_files()]
    out += [(SAMPLE.name, read_text(SAMPLE)), (FIXTURE.name, read_text(FIXTURE))]
    return out


def _corpus_text(size: int) -> str:
    """``size`` characters of real corpus text (the sample when the corpus is absent)."""
    files = corpus_files() or [SAMPLE]
    text = read_text(files[0])
    while len(text) < size:
        text += "\n" + text
    return text[:size]


@pytest.fixture(scope="module")
def watchdog():
    w = Watchdog(HANG_S)
    yield w
    w.close()


def _verdict(name: str, r) -> str | None:
    if r.status == "hang":
        return f"{name}: no result within {HANG_S:.0f} s"
    if r.status == "crash":
        return f"{name}: crash {r.detail} {r.bad}"
    if r.missing:
        return f"{name}: lines not accounted for: {r.missing}"
    if r.bad:
        return f"{name}: {r.bad}"
    return None


def test_adversarial_shapes_parse_in_linear_time(watchdog):
    base = watchdog.run(_corpus_text(SHAPE_SIZE + 200))
    assert base.status == "ok", base
    limit = max(SHAPE_CPU_FLOOR_S, SHAPE_CPU_RATIO * base.cpu)
    failures: list[str] = []
    cases = shapes(SHAPE_SIZE)
    assert len(cases) > 400  # every mark, leader, space and repeat in each context
    for name, text in cases:
        r = watchdog.run(text)
        v = _verdict(name, r)
        if v is None and r.cpu > limit:
            v = f"{name}: {r.cpu:.2f} s CPU for {len(text)} characters (corpus text: {base.cpu:.3f} s)"
        if v:
            failures.append(v)
    assert not failures, "\n".join(failures[:20])


def test_seeded_mutants_of_every_corpus_file(watchdog):
    inputs = _inputs()
    assert len(inputs) >= 2
    rng = random.Random(SEED)
    failures: list[str] = []
    start = time.perf_counter()
    n = MUTANTS_PER_FILE * len(inputs)
    for name, text in mutants(inputs, rng, n):
        v = _verdict(f"seed {SEED} {name}", watchdog.run(text))
        if v:
            failures.append(v)
    assert not failures, "\n".join(failures[:20])
    assert time.perf_counter() - start < 150, "mutants took far longer than expected"



def test_ten_thousand_contents_entries_none_exact_parse_in_under_5_s():
    """Fuzzy matching is bounded (fuzzy.py's bigram index): 10,000 目录 entries, each
    printed in the body with one word changed, parse in under 5 s of CPU (was 45 s)."""
    from publisher.model import Meta
    from publisher.reader import parse_text
    from reader_adversary import many_entries

    parse_text("目录\n\n甲乙……1\n\n甲乙\n\n正文。", Meta())  # imports and converters warm
    text = many_entries(10_000)
    c0 = time.process_time()
    issue = parse_text(text, Meta())
    cpu = time.process_time() - c0
    assert cpu < 5.0, f"10,000 entries: {cpu:.2f} s CPU"
    assert len(issue.articles) == 10_000
    fuzzy = sum(1 for w in issue.warnings if w.code == "R201")
    assert fuzzy > 9_000, f"only {fuzzy} fuzzy matches: the shape no longer tests fuzzy matching"
