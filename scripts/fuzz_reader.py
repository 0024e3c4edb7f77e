#!/usr/bin/env python3
"""The long reader fuzz run (issue 12): seeded mutants of every corpus file and the
generated adversarial shapes, each parsed in a watchdog child with a time limit.

    .venv/bin/python scripts/fuzz_reader.py --count 10000 [--seed N] [--size 20000] [--limit 10]

Prints the figures (inputs, crashes, hangs, inputs with lost lines, slowest CPU
times) and exits non-zero if any input crashed, hung or lost a line.  The bounded
version runs in the suite: tests/test_reader_adversarial.py.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10000, help="mutants to parse (the shapes come on top)")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--size", type=int, default=20000, help="characters of each adversarial shape's hostile run")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds per input before it counts as a hang")
    ap.add_argument("--no-shapes", action="store_true")
    args = ap.parse_args(argv)
    if args.count < 0 or args.size < 1 or args.limit <= 0:
        print("fuzz_reader: --count ≥ 0, --size ≥ 1 and --limit > 0", file=sys.stderr)
        return 2

    from conftest import SAMPLE, corpus_files
    from publisher.textio import read_text
    from reader_adversary import Watchdog, mutants, shapes
    from test_reader_fuzz import FIXTURE

    inputs = [(p.name, read_text(p)) for p in corpus_files()]
    inputs += [(SAMPLE.name, read_text(SAMPLE)), (FIXTURE.name, read_text(FIXTURE))]
    rng = random.Random(args.seed)
    cases = [] if args.no_shapes else shapes(args.size)
    w = Watchdog(args.limit)
    counts = {"ok": 0, "crash": 0, "hang": 0, "lost": 0, "bad": 0}
    slow: list[tuple[float, str]] = []
    failures: list[str] = []
    t0 = time.perf_counter()

    def one(name: str, text: str) -> None:
        r = w.run(text)
        if r.status != "ok":
            counts[r.status] += 1
            failures.append(f"{r.status}: {name} {r.detail}")
        elif r.missing:
            counts["lost"] += 1
            failures.append(f"lost lines {r.missing}: {name}")
        elif r.bad:
            counts["bad"] += 1
            failures.append(f"{r.bad}: {name}")
        else:
            counts["ok"] += 1
        slow.append((r.cpu, name))

    try:
        for name, text in cases:
            one(name, text)
        done = 0
        for name, text in mutants(inputs, rng, args.count):
            one(f"seed {args.seed} {name}", text)
            done += 1
            if done % 1000 == 0:
                print(f"  {done} mutants, {time.perf_counter() - t0:.0f} s", flush=True)
    finally:
        w.close()
    total = len(cases) + args.count
    slow.sort(reverse=True)
    print(f"inputs {total} ({len(cases)} shapes of {args.size} characters, {args.count} mutants of {len(inputs)} files, seed {args.seed})")
    print(f"ok {counts['ok']}  crashes {counts['crash']}  hangs (> {args.limit:g} s) {counts['hang']}  "
          f"lost lines {counts['lost']}  bad models {counts['bad']}  wall {time.perf_counter() - t0:.0f} s")
    print("slowest (CPU s): " + "; ".join(f"{c:.2f} {n}" for c, n in slow[:5]))
    for f in failures[:30]:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
