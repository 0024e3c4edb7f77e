"""What a ``note`` block is, read from where it stands (pure): ``Block.role``, which the
templates give as a class beside ``note`` and the Markdown source states as
``::: {.note role="kicker"}`` (an editor corrects it there).

* ``kicker``   — right above a heading: a story's 引题 (``地点：云南普洱``, corpus-wild 102),
  set centred on its heading and kept with it;
* ``dateline`` — the first block of the text, a date in brackets (``（2019年10月27日）``
  under a speech's headline, corpus-wild 105): set centred under the headline;
* ``signoff``  — a short ``——署名`` (``——编者``, 102), or a short line among an article's
  last two blocks that ends no sentence (``编者`` / ``1999年4月10日`` closing 101's
  发刊词): set right, as a signature is.
"""
from __future__ import annotations

from ..model import Block
from ..typography import DATELINE_RE

SIGNOFF_MAX = 14  # characters: a name, an office or a date, never a sentence
SENTENCE_MARKS = "。！？；：，、…"  # a line holding one of these is text, not a sign-off


def note_role(text: str, *, before_heading: bool, first: bool, tail: bool) -> str:
    """``kicker``, ``dateline``, ``signoff`` or "" for a note of ``text``.

    ``before_heading``: the next block is a heading; ``first``: no block before it;
    ``tail``: it is one of the article's last two blocks."""
    t = text.strip()
    if before_heading:
        return "kicker"
    if first and DATELINE_RE.match(t):
        return "dateline"
    if t.startswith("——") and len(t) <= SIGNOFF_MAX:
        return "signoff"
    if tail and len(t) <= SIGNOFF_MAX and not any(m in t for m in SENTENCE_MARKS) and t[:1] not in "（(":
        return "signoff"
    return ""


def mark_note_roles(blocks: list[Block]) -> None:
    """Set ``role`` on each note of an article's ``blocks`` (None where :func:`note_role`
    finds none): its neighbours are the article's, from its first block to its last."""
    n = len(blocks)
    for i, b in enumerate(blocks):
        if b.type != "note":
            continue
        nxt = blocks[i + 1] if i + 1 < n else None
        b.role = note_role(b.text, before_heading=nxt is not None and nxt.type == "heading",
                           first=i == 0, tail=i >= n - 2) or None
