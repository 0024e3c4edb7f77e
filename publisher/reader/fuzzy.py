"""Candidate index for fuzzy title matching: which body lines can resemble a 目录 title.

The fuzzy pass of ``articles.read_articles`` scores a 目录 entry against the candidate
headlines between two anchors.  Scoring every candidate of the window for every
entry is entries × window comparisons (10,000 entries, none exact: 45 s).  Every
score above zero needs a shared character bigram (Dice of bigrams; a key contained
in the other or fused with it shares its bigrams too), or, for keys shorter than two
characters, equal keys.  So the index maps each bigram to the positions whose key
(or whose key joined with the next headline's, a two-line title) contains it, and a
query returns only those positions of a window, in order: the same best match as
scoring them all, at the cost of the postings actually shared.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field


def grams(k: str) -> set[str]:
    """The character bigrams of a key; a key of one character is its own gram."""
    if len(k) < 2:
        return {k} if k else set()
    return {k[i : i + 2] for i in range(len(k) - 1)}


@dataclass
class GramIndex:
    """Positions (ordinals, added in increasing order) by the grams of their keys."""

    postings: dict[str, list[int]] = field(default_factory=dict)

    def add(self, pos: int, *keys: str) -> None:
        """Index ``pos`` under the grams of each key (e.g. a line's key and the key of
        the line joined with the next one).  Positions must come in increasing order."""
        seen: set[str] = set()
        for k in keys:
            seen |= grams(k)
        for g in seen:
            lst = self.postings.setdefault(g, [])
            if not lst or lst[-1] != pos:
                lst.append(pos)

    def query(self, k: str, lo: int, hi: int) -> list[int]:
        """Positions in ``[lo, hi)`` that share a gram with ``k``, ascending."""
        if hi <= lo:
            return []
        hits: set[int] = set()
        for g in grams(k):
            lst = self.postings.get(g)
            if not lst:
                continue
            a = bisect.bisect_left(lst, lo)
            b = bisect.bisect_left(lst, hi, a)
            hits.update(lst[a:b])
        return sorted(hits)


def build_index(keys: list[str], pair_keys: dict[int, str] | None = None) -> GramIndex:
    """An index of ``keys`` by ordinal; ``pair_keys[o]`` is the key of ordinal ``o``
    joined with its next line's (a title over two lines), indexed under ``o`` too."""
    index = GramIndex()
    pair_keys = pair_keys or {}
    for o, k in enumerate(keys):
        pk = pair_keys.get(o)
        if pk:
            index.add(o, k, pk)
        else:
            index.add(o, k)
    return index
