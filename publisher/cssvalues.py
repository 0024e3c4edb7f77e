"""CSS values read by our own code (tinycss2 tokens), shared by the EPUB font-use pass
and the validator so both agree on which face a piece of text is set in."""
from __future__ import annotations

# CSS Fonts 4 §2.2 (font-weight): bolder/lighter relative to the parent's weight.
_BOLDER = ((350, 400), (550, 700), (10_000, 900))
_LIGHTER = ((550, 100), (750, 400), (10_000, 700))
_KEYWORDS = {"normal": 400, "bold": 700}


def font_weight(tokens, parent: int) -> int | None:
    """The computed weight from a ``font-weight`` value, or None when it names none."""
    for t in tokens:
        if t.type == "number" and t.int_value is not None:
            return t.int_value
        if t.type == "ident":
            v = t.lower_value
            if v in _KEYWORDS:
                return _KEYWORDS[v]
            if v == "inherit":
                return parent
            if v in ("bolder", "lighter"):
                table = _BOLDER if v == "bolder" else _LIGHTER
                return next(w for limit, w in table if parent < limit)
    return None
