"""Small shape tests on single lines shared by the structure stages of the reader.

Everything here looks at the *form* of a line (length, punctuation, markers), never
at the words of a particular issue.  The Markdown markers of the Markdown-flavoured
family (``#``, ``**``, list dashes) are unreliable, so structure code strips them and
decides by what is left.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")

# Leading Markdown / list decoration: "## ", "> ", "- ", "* ", "• ", "+ ".
_LEAD_MARKUP = re.compile(r"^(?:\s*(?:#{1,6}(?=\s|[^#\s])|>|[-*+•·▪●◆■□](?=\s))\s*)+")
_EMPH = re.compile(r"\*\*|__|(?<![*\w])\*(?=\S)|(?<=\S)\*(?![*\w])")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")

# Sentence-final marks: a line ending with one of these is running text, not a title.
SENTENCE_END = "。；，、：:;,"
# Marks a title may end with (rhetorical titles) but ordinary short lines often do too.
SOFT_END = "！？!?…"


# A line with none of these has no marker to strip and no space to collapse: the
# reader asks this of most lines many times, so that case is one search.
_MARKUP_CHARS = re.compile(r"[#>\-*+•·▪●◆■□_ \t\u3000\u00a0]")


def strip_markup(text: str) -> str:
    """The line without Markdown heading/list/emphasis markers and outer white space."""
    if not text:
        return text  # a blank line (a third of most texts)
    if not _MARKUP_CHARS.search(text):
        return text.strip()
    if len(text) > LONG_LINE:
        return _strip_long(text)
    return _strip_short(text)


def _strip(text: str) -> str:
    t = _LEAD_MARKUP.sub("", text)
    t = _EMPH.sub("", t)
    return _SPACES.sub(" ", t).strip()


# The stages ask for the stripped form of one line dozens of times; for a long line
# (a hostile 100 KB one: 40 calls, 0.3 s) the answer is kept for the last few, for a
# short one (three substitutions) for the last few thousand: a text of one marked-up
# line repeated (25,000 ``***`` lines) strips it once, not once per line and stage.
LONG_LINE = 256


@lru_cache(maxsize=16)
def _strip_long(text: str) -> str:
    return _strip(text)


@lru_cache(maxsize=4096)
def _strip_short(text: str) -> str:
    return _strip(text)


_SPACES_TO_COLLAPSE = re.compile(r"[\t\u3000\u00a0]|  ")


def collapse_spaces(text: str) -> str:
    if not _SPACES_TO_COLLAPSE.search(text):  # nothing to collapse (most lines)
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def key(text: str) -> str:
    """Comparison key: only Han characters, letters and digits (NFKC, lower case).

    Body titles differ from 目录 titles in spaces, line breaks and punctuation
    (``晓霞峰 你是谁的青罗衫`` / ``晓霞峰：你是谁的青罗衫``); the key ignores all of it.
    """
    t = unicodedata.normalize("NFKC", text).lower()
    return "".join(filter(str.isalnum, t))


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


# Two Han characters anywhere (what ``han_count(text) >= 2`` asks): the search stops
# at the second one instead of listing every character of the line.
_TWO_HAN = re.compile(f"[{HAN}][^{HAN}]*[{HAN}]")


def has_two_han(text: str) -> bool:
    """``han_count(text) >= 2``, answered at the second Han character."""
    return _TWO_HAN.search(text) is not None


def is_han(ch: str) -> bool:
    return bool(ch) and bool(HAN_RE.match(ch))


_SENTENCE_ENDS = SENTENCE_END + "。！？!?…"


def ends_sentence(text: str) -> bool:
    if len(text) > LONG_LINE:
        return _ends_sentence(text)
    return _ends_sentence_short(text)


def _ends_sentence(text: str) -> bool:
    t = text.rstrip("”’\"'）)」』 ")
    return bool(t) and t[-1] in _SENTENCE_ENDS


# bounded, and short lines only (a cache keeps its keys alive): the article reader
# asks it of every line twice, and a line may recur thousands of times
_ends_sentence_short = lru_cache(maxsize=4096)(_ends_sentence)


def title_like(text: str, max_len: int = 60) -> bool:
    """Could this (already stripped) line be a headline or a part of one?

    Short, has Han text, and does not end like a sentence (``。；，、：``).
    A title may end with ``！？`` or a closing quote, so those are allowed.
    """
    if not text or len(text) > max_len:
        return False
    return _title_like(text)


@lru_cache(maxsize=4096)  # bounded, keys no longer than a title: asked of every line of an article
def _title_like(text: str) -> bool:
    if not has_two_han(text):
        return False
    t = text.rstrip("”’\"'」』 ")
    if not t:
        return False
    if t[-1] in SENTENCE_END:
        return False
    # a line that contains a full stop inside is running text ("……。（沫声）")
    if "。" in t[:-1]:
        return False
    return True


def similarity(a: str, b: str) -> float:
    """Similarity of two keys in [0, 1]: Dice coefficient of character bigrams.

    Linear in the lengths; tolerant of a replaced word (清廉/勤廉) and of a
    missing or extra part.
    """
    return Bigrams(a).similarity(b)


class Bigrams:
    """:func:`similarity` of one key ``a`` against many keys ``b``: the bigrams of ``a``
    are counted once, not once per candidate (the fuzzy pass scores each left-over entry
    against every candidate sharing a gram with it)."""

    __slots__ = ("key", "_counts")

    def __init__(self, a: str):
        self.key = a
        counts: dict[str, int] = {}
        for i in range(len(a) - 1):
            g = a[i : i + 2]
            counts[g] = counts.get(g, 0) + 1
        self._counts = counts

    def similarity(self, b: str) -> float:
        """Dice coefficient of the character bigrams of the key and ``b``."""
        a = self.key
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        if len(a) < 2 or len(b) < 2:
            return 0.0
        ga = self._counts.copy()
        common = 0
        for i in range(len(b) - 1):
            g = b[i : i + 2]
            if ga.get(g, 0) > 0:
                ga[g] -= 1
                common += 1
        return 2.0 * common / (len(a) - 1 + len(b) - 1)
