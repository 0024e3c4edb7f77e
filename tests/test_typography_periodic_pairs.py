"""typography.normalise_map copies a periodic stretch once two periods read alike; a
stretch of parenthesis pairs closer than its unit (``(1)(1)…``, issue 12: 100 KB of it
took 4× corpus text) is copied too, since such a pair is the same balanced string in
every unit.  It must read exactly as the character-by-character reference does."""
from __future__ import annotations

import random

from publisher import typography as ty
import typography_reference as ref

STRETCHES = [
    "正文" + "(1)" * 3000, "(1)" * 2000 + "字", "字" + "(a)" * 2000, "(" + "(1)" * 2000 + ")",
    "(1)" * 2000 + ")" * 5, "(" * 3 + "(1)" * 2000, "字 (1) " * 800, "( 字 )" * 800, "(1)(字)" * 800,
    "()" * 2000, "(())" * 1500, ")(" * 2000 + "字", "((1)" * 800 + "))", "“(1)”" * 800, '"(1)"' * 800,
    "（1）" * 1500, "(1）" * 1500, "建设(1)。" * 600,
]
# parentheses of both widths among the characters their decisions read
ALPHABET = list("()()（）") * 3 + list("建设1a ") * 2 + list("\u3000\t\"“”'‘’.,;:?!—-…字")


def _same(text: str) -> None:
    for title in (False, True):
        assert ty.normalise_map(text, title=title) == ref.normalise_map(text, title=title), (text[:60], title)


def test_periodic_stretches_of_close_pairs_read_as_the_reference():
    for text in STRETCHES:
        _same(text)


def test_random_paren_heavy_stretches_read_as_the_reference():
    rng = random.Random(20261202)
    for _ in range(300):
        units = []
        for _ in range(rng.randint(1, 6)):
            unit = "".join(rng.choice(ALPHABET) for _ in range(rng.choice((1, 2, 3, 3, 4, 5, 8, 9))))
            units.append(unit * rng.choice((1, 2, 17, 40)))
        _same("".join(units))
