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
SHAPE_SIZE = 40_000 if CI else 10_000  # characters of the hostile run
MUTANTS_PER_FILE = 250 if CI else 3
HANG_S = 10.0  # per input, wall clock: far above any honest parse of these sizes
SHAPE_CPU_FLOOR_S = 0.15  # a shape may always take this long (imports are warm)
# ... or this many times the corpus text of the same size.  Since the reader reads each
# distinct line once and short articles skip the passes that cannot apply, the slowest
# shapes at this size are about 2-3× (many 目录 entries, 1,000 one-line articles: about
# 3-5×; thousands of one-mark lines about 2-3×); 8× keeps a margin for a loaded machine
# and still catches a pass that turns quadratic
SHAPE_CPU_RATIO = 8
FUZZY_EXCESS_CPU_S = 1.5  # 10,000 entries each found by fuzzy matching, over the same issue all exact
ENTRIES_10K_CPU_S = 5.0  # the 10,000-entry issue, CPU seconds (issue 12: < 5 s; about 1.7-2.7 s now)
SHAPE_RETRIES = 2  # a shape over the limit is run again, best time counts (noisy machines)
SCALING_MAX = 8.0  # the slowest shapes at 4× the size: linear is ~4, quadratic 16


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
    corpus = _corpus_text(SHAPE_SIZE + 200)
    runs = [watchdog.run(corpus) for _ in range(3)]
    assert all(r.status == "ok" for r in runs), runs
    base = min(runs, key=lambda r: r.cpu)
    limit = max(SHAPE_CPU_FLOOR_S, SHAPE_CPU_RATIO * base.cpu)
    failures: list[str] = []
    cases = shapes(SHAPE_SIZE)
    assert len(cases) > 400  # every mark, leader, space and repeat in each context
    cpu: dict[str, float] = {}
    for name, text in cases:
        r = watchdog.run(text)
        v = _verdict(name, r)
        for _ in range(SHAPE_RETRIES):
            if v is not None or r.cpu <= limit:
                break
            again = watchdog.run(text)
            if again.status == "ok" and again.cpu < r.cpu:
                r = again
        if v is None and r.cpu > limit:
            v = f"{name}: {r.cpu:.2f} s CPU for {len(text)} characters (corpus text: {base.cpu:.3f} s, limit {limit:.2f} s)"
        if v:
            failures.append(v)
        cpu[name] = r.cpu
    assert not failures, "\n".join(failures[:20])
    # growth, not only size: the slowest shapes again at a quarter of the size
    # (best of three runs each: single timings of a shared machine are noisy)
    big, small = dict(cases), dict(shapes(SHAPE_SIZE // 4))
    for name in sorted(cpu, key=cpu.get, reverse=True)[:10]:
        t_big = min([cpu[name]] + [watchdog.run(big[name]).cpu for _ in range(2)])
        t_small = min(watchdog.run(small[name]).cpu for _ in range(3))
        growth = t_big / max(t_small, 0.01)
        if growth > SCALING_MAX:
            failures.append(f"{name}: {growth:.1f}× the time for 4× the size ({t_small:.3f} s → {t_big:.3f} s)")
    assert not failures, "\n".join(failures)


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





def test_ten_thousand_contents_entries_none_exact_cost_little_more_than_exact_ones():
    """Fuzzy matching is bounded (fuzzy.py's bigram index): 10,000 目录 entries, each
    printed in the body with one word changed, parse in little more than the time of the
    same issue with every title exact (scoring every candidate of each window made it 45 s
    against 5 s).  The benchmark prints the absolute time against the issue's 5 s
    (scripts/benchmark.py --only adversarial)."""
    from publisher.model import Meta
    from publisher.reader import parse_text
    from reader_adversary import many_entries

    parse_text("目录\n\n甲乙……1\n\n甲乙\n\n正文。", Meta())  # imports and converters warm

    def cpu_of(changed: bool) -> tuple[float, object]:
        text = many_entries(10_000, changed=changed)
        c0 = time.process_time()
        issue = parse_text(text, Meta())
        return time.process_time() - c0, issue

    exact, _ = cpu_of(False)
    fuzzy_cpu, issue = cpu_of(True)
    # the fuzzy pass's own cost: what 1.5× allowed when the exact parse took 3 s (it now takes
    # about 1.6-2.2 s, so a ratio would shrink the allowance as the rest of the reader gets faster)
    assert fuzzy_cpu - exact < FUZZY_EXCESS_CPU_S, f"10,000 entries: fuzzy {fuzzy_cpu:.2f} s CPU vs exact {exact:.2f} s"
    # issue 12 asks < 5 s; about 2 s of CPU here, so a loaded machine keeps a margin
    assert fuzzy_cpu < ENTRIES_10K_CPU_S, f"10,000 entries: {fuzzy_cpu:.2f} s CPU"
    assert len(issue.articles) == 10_000
    fuzzy = sum(1 for w in issue.warnings if w.code == "R201")
    assert fuzzy > 9_000, f"only {fuzzy} fuzzy matches: the shape no longer tests fuzzy matching"
