"""The character-by-character scanner of ``publisher.typography.normalise_map`` as it
was before runs were handled in bulk (issue 12), kept as the reference the fast one is
checked against (tests/test_typography_scanner.py): same text, same origins."""
from __future__ import annotations

from publisher.typography import (
    _AFTER_CLOSE, _SPECIAL, _WS, CLOSING, DASHES, ELLIPSIS_CHARS, HALF_TO_FULL, OPENING,
    PAUSE_STOP, UNITS, WESTERN_RUN_CHARS, _fold, is_cjk, is_han, is_western,
)
# helpers the fast scanner still shares unchanged
from publisher.typography import _han_prefix, _left_context, _next_nonspace, _paren_pairs


def _paren_chinese(t: str, i: int, j: int, han: list[int]) -> bool:
    """Is the pair t[i]…t[j] in Chinese context (Han inside, or Han outside)?"""
    if t[i] == "（" or t[j] == "）":
        return True
    if han[j] - han[i + 1] > 0:
        return True
    k = i - 1
    while k >= 0 and t[k] in _WS:
        k -= 1
    left = t[k] if k >= 0 else ""
    return is_cjk(left) or is_cjk(_next_nonspace(t, j + 1))


def normalise_map(text: str, *, title: bool = False) -> tuple[str, list[int]]:
    """Normalised text and, per output character, the input index it came from."""
    t = _fold(text)  # 1:1, indices preserved
    n = len(t)
    pairs = _paren_pairs(t)
    han = _han_prefix(t) if pairs else []
    out: list[str] = []
    org: list[int] = []
    dq_open = False  # inside a “ … ” pair (per call = per paragraph)
    sq_open = False

    def last() -> str:
        return out[-1] if out else ""

    def emit(s: str, src: int) -> None:
        for ch in s:
            out.append(ch)
            org.append(src)

    i = 0
    while i < n:
        m = _SPECIAL.search(t, i)
        j0 = m.start() if m else n
        if j0 > i:  # a chunk of ordinary characters
            out.extend(t[i:j0])
            org.extend(range(i, j0))
            i = j0
            continue
        c = t[i]
        # runs of white space: drop next to Chinese, keep one between Western words
        if c in _WS:
            j = i
            while j < n and t[j] in _WS:
                j += 1
            left, right = last(), (t[j] if j < n else "")
            if left and right and (
                _keep_space(left, right, title) or dq_open and _parallel_phrases(out, t, j)
            ):
                emit(" ", i)
            i = j
            continue
        # ellipsis: ... / 。。。 / … / ⋯ runs → ……  (clreq §3.1.4)
        if c in ELLIPSIS_CHARS or (c in ".。" and t[i : i + 3] in ("...", "。。。")):
            j = i
            while j < n and (t[j] in ELLIPSIS_CHARS or t[j] in ".。"):
                j += 1
            run = t[i:j]
            if c in ".。" and run.strip(".。") == "" and len(run) < 3:
                pass  # fall through (not an ellipsis)
            else:
                if c == "." and is_western(last()) and is_western(t[j : j + 1]):
                    emit(run, i)  # a..b in Latin context
                else:
                    emit("……", i)
                i = j
                continue
        # dashes: two or more → ——  (clreq §3.1.5); a lone ― → ——
        if c in DASHES:
            j = i
            while j < n and t[j] in DASHES:
                j += 1
            run = t[i:j]
            if (len(run) >= 2 or c == "―") and not (
                set(run) <= {"-"} and is_western(last()) and is_western(t[j : j + 1])
            ):
                emit("——", i)
                i = j
                continue
            emit(run, i)
            i = j
            continue
        if c in "(（)）":
            if i in pairs:
                a, b = sorted((i, pairs[i]))
                chinese = _paren_chinese(t, a, b, han)
            else:
                chinese = c in "（）" or is_cjk(last()) or is_cjk(_next_nonspace(t, i + 1))
            if chinese:
                emit("（" if c in "(（" else "）", i)
            else:
                emit(c, i)
            i += 1
            continue
        if c == '"' or c in "“”":
            # a straight quote with no quote open, right after text and before a
            # stop or the end, closes a quote the source opened without a mark
            closes = c == '"' and not dq_open and is_cjk(last()) and t[i + 1 : i + 2] in _AFTER_CLOSE
            if c == "“" or (c == '"' and not dq_open and not closes):
                emit("“", i)
                dq_open = True
            else:
                emit("”", i)
                dq_open = False
            i += 1
            continue
        if c == "'" or c in "‘’":
            if c == "'" and is_western(last()) and is_western(t[i + 1 : i + 2]):
                emit("'", i)  # apostrophe: don't, it's
            elif c == "‘" or (c == "'" and not sq_open):
                emit("‘", i)
                sq_open = True
            else:
                emit("’", i)
                sq_open = False
            i += 1
            continue
        if c in HALF_TO_FULL:
            emit(_half_mark(c, _left_context(out), _next_nonspace(t, i + 1), t[i + 1 : i + 2], _before_run(out)), i)
            i += 1
            continue
        if c == "<" and t[i : i + 2] == "<<":
            emit("《", i)
            i += 2
            continue
        if c == ">" and t[i : i + 2] == ">>":
            emit("》", i)
            i += 2
            continue
        emit(c, i)
        i += 1
    # trailing space (a space before a dropped tail) cannot survive
    while out and out[-1] == " ":
        out.pop()
        org.pop()
    return "".join(out), org


# Inside quotes a space between two phrases of 3+ Han characters is a deliberate
# separator of parallel phrases (“四子工程 五大行动”, “党建联建 产业联片 乡村联兴”),
# not an extraction space.
PARALLEL_MIN = 3


def _parallel_phrases(out: list[str], t: str, j: int) -> bool:
    k = 0
    while k < PARALLEL_MIN and k < len(out) and is_han(out[-1 - k]):
        k += 1
    if k < PARALLEL_MIN:
        return False
    r = 0
    while r < PARALLEL_MIN and j + r < len(t) and is_han(t[j + r]):
        r += 1
    return r >= PARALLEL_MIN


def _keep_space(left: str, right: str, title: bool) -> bool:
    """Keep a (single) space between ``left`` and ``right``?"""
    if is_western(left) and is_western(right):
        return True  # between Latin words / numbers
    if right in ",;:?!" and (is_cjk(left) or title):
        return False  # the mark becomes full width: no space before it
    if left in "%.,;:?!)" and is_western(right) or is_western(left) and right in "(":
        return True
    if not title:
        if is_cjk(left) or is_cjk(right):
            return False
        return True  # other symbols: keep, collapsed
    # headlines: keep the deliberate space between parts (坚持首位战略 凝心聚力…)
    if left in PAUSE_STOP or right in PAUSE_STOP or right in CLOSING or left in OPENING:
        return False
    if left.isdigit() and right in UNITS or right.isdigit() and left in "第":
        return False
    return True


def _before_run(out: list[str]) -> str:
    """The character before the Western run (``6.2%``, ``GDP``) that ends the
    output so far: it tells whether a mark after the run is in Chinese text."""
    k = len(out) - 1
    stop = max(-1, k - 40)
    if k < 0 or not (is_western(out[k]) or out[k] in "%."):
        return ""
    while k > stop and (is_western(out[k]) or out[k] in WESTERN_RUN_CHARS):
        k -= 1
    return out[k] if k >= 0 else ""


# Characters inside a Western run (5.8%, 1+8+N, 12:30, a-b).
WESTERN_RUN_CHARS = ".%+-/:·&'"


def _half_mark(c: str, left: str, right: str, right_raw: str, before_run: str = "") -> str:
    """Convert a half-width mark to full width if it stands in Chinese context:
    next to Han or full-width punctuation, or after a Western run (``6.2%``,
    ``GDP``) that itself follows Han."""
    lc = is_cjk(left) or is_han(before_run)
    rc = is_cjk(right)
    if c == ",":
        if left.isdigit() and right_raw.isdigit():
            return c  # 1,000
        return "，" if lc or rc else c
    if c == ";":
        return "；" if lc or rc else c
    if c == ":":
        if left.isdigit() and right_raw.isdigit():
            return c  # 12:30, 3:1
        if right_raw == "/":
            return c  # http://
        return "：" if lc or (rc and not is_western(left)) or (rc and left.isalpha()) else c
    if c in "?!":
        return HALF_TO_FULL[c] if lc or (rc and not is_western(left)) else c
    if c == ".":
        # 。only at a sentence end in Chinese text and never before a digit or
        # letter: keeps 5.8%, 255.92, "1. " list markers, www.example.cn, e.g.
        if not lc or is_western(right_raw) or (right_raw and right_raw in "/@-_.%"):
            return c
        if is_han(left) or left in CLOSING:
            return "。"
        # after a number / Latin word that follows Han: 同比增长6.2%. → 。
        return "。" if (not right or is_cjk(right)) else c
    return c
