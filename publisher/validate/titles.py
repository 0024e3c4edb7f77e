"""Comparing titles as printed in different places (nav, contents, outline, source model)."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator


def norm_title(s: str) -> str:
    """Compare titles ignoring spacing, punctuation and width: 坚持首位战略 凝心聚力 ≈ 坚持首位战略凝心聚力."""
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZC"))


def unmatched_in_order(source_titles: list[str], labels: list[str]) -> Iterator[tuple[str, bool]]:
    """Source titles not found, in order, among ``labels`` (already normalised).

    A title matches a label that equals it or contains it or is contained in it (a
    kicker or subtitle added).  Yields ``(title, found_elsewhere)``: found_elsewhere is
    True when the title matches a label earlier than the order allows.
    """
    def match(lab: str, nt: str) -> bool:
        return bool(lab) and (lab == nt or nt in lab or lab in nt)

    j = 0
    for t in source_titles:
        nt = norm_title(t)
        k = next((i for i in range(j, len(labels)) if match(labels[i], nt)), None)
        if k is None:
            yield t, any(match(lab, nt) for lab in labels)
        else:
            j = k + 1
