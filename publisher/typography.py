"""Text normalisation for Chinese body text, as data plus small pure functions.

The reader hands every piece of text it outputs through :func:`normalise` (body
text) or :func:`normalise_title` (headlines, headings, verse lines, credits).

Decisions (clreq = W3C "Requirements for Chinese Text Layout"):

* Half-width ``, . ; : ? ! ( )`` become full-width where their neighbours are Han
  (clreq §3.1 "Punctuation Marks": Chinese text uses the full-width forms).  Marks
  between digits or Latin letters stay (``5.8%``, ``12:30``, ``1,000``, URLs,
  e-mail addresses, ``1+8+N``, ``255.92亿元``).
* Straight quotes become curly pairs, balanced per paragraph (clreq §3.1.1: mainland
  texts use “ ” and ‘ ’).  An apostrophe between Latin letters stays.
* Spaces left by extraction between Han characters, and between Han and digits or
  Latin, are removed (except a space between two phrases of 3+ Han characters
  inside quotes: “四子工程 五大行动” lists parallel phrases): the renderer adds the proper ¼ em itself (clreq §3.2.3,
  ``publisher.render.markup``).  Spaces between Latin words stay (collapsed to one).
* Full-width digits and Latin letters (``２０２３``, ``ＧＤＰ``) become ASCII: clreq
  §3.2.1 sets Western text in proportional Western glyphs; full-width forms in
  extracted text are an input-method artefact.  ``％`` goes with them.
* ``...``, ``。。。``, a single ``…`` or ``⋯`` → ``……`` (clreq §3.1.4: the ellipsis
  occupies two character spaces); ``--``, ``——``, ``－－``, ``―`` runs → ``——``
  (clreq §3.1.5: the dash occupies two character spaces).  A single ``—`` between
  numbers (``1—11月``) is a range mark and stays.
* ``<<`` ``>>`` → 《 》.

:func:`normalise_map` also returns, for every output character, the index of the
input character it came from, so that ranges (emphasis) computed on the raw text
can be carried over to the normalised text.

The scanner decides character by character only where it must (issue 12: hostile runs
of marks cost 7× corpus text): what needs no decision is copied in pieces (``_CHUNK``),
a run of one mark is filled once its marks repeat, and a stretch repeating a short
unit is copied once two periods start alike (``_period``).  Its reading is the
character-by-character one exactly: tests/test_typography_scanner.py holds it against
that scanner (tests/typography_reference.py) on every corpus line and random strings.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate

# --- character classes -------------------------------------------------------

# CJK Unified Ideographs + Ext A + compatibility ideographs, plus 〇.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3007, 0x3007))

# clreq §3.1: full-width Chinese punctuation.  Opening / closing / other.
OPENING = "“‘（《〈【〔「『〖"
CLOSING = "”’）》〉】〕」』〗"
PAUSE_STOP = "、，。：；！？"
OTHER_CJK_PUNCT = "…—·～"
CJK_PUNCT = frozenset(OPENING + CLOSING + PAUSE_STOP + OTHER_CJK_PUNCT)

# Marks that end a sentence.  A text is "closed" (a paragraph may end there) if
# its last character is one of CLOSED_BY, or a closing quote / bracket right after
# a SENTENCE_END mark (clreq §3.1.2: the stop sits inside the quote: ……呢！”).
# ；and ： close a line that introduces a list or a quotation (corpus 000:
# 下面，我讲三点意见： / …优美的诗句：).  A bare ” does not: 000 line 453
# ends “种养加、产供销、贸工农” in mid-sentence at a page break.
SENTENCE_END = "。！？…!?"
CLOSED_BY = SENTENCE_END + "；：;:"

# Half-width → full-width, for marks converted in Chinese context (clreq §3.1).
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。", "(": "（", ")": "）"}

# Units that follow a number: a space between digit and one of these is an
# extraction space even in a headline (``2023 年`` → ``2023年``).
UNITS = "年月日号期个万亿元岁次项家件户人名分秒米吨亩倍届%％"

# clreq §3.1.5: the dash is two em dashes; extraction gives -- / －－ / ― / ─.
DASHES = "-－—―─"
# clreq §3.1.4: the ellipsis is two U+2026; extraction gives … / ⋯ / ... / 。。。
ELLIPSIS_CHARS = "…⋯"

_WS = " \t\u3000\u00a0"


# One character class for HAN_RANGES (the reader asks about every character).
_HAN_CLASS = "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in HAN_RANGES)
_HAN_RUN = re.compile(f"[{_HAN_CLASS}]+")
_HAN_ONE = re.compile(f"[{_HAN_CLASS}]").fullmatch


def is_han(ch: str) -> bool:
    return bool(ch) and _HAN_ONE(ch) is not None


def is_cjk(ch: str) -> bool:
    """Han or full-width Chinese punctuation: the 'Chinese context' of a mark."""
    return bool(ch) and (is_han(ch) or ch in CJK_PUNCT)


def is_western(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


# 1:1 folding table: full-width digits and letters, ％, and U+3000 / NBSP / tab.
_FOLD_TABLE = {o: o - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for o in range(r[0], r[1] + 1)}
_FOLD_TABLE.update({ord("％"): ord("%"), 0x3000: 0x20, 0xA0: 0x20, 0x09: 0x20})
_FOLDED = re.compile("[" + "".join(map(chr, sorted(_FOLD_TABLE))) + "]")


def _fold(text: str) -> str:
    """Per-character folding (1:1): full-width alphanumerics, and a full-width ．
    between digits (５．７ → 5.7)."""
    t = text.translate(_FOLD_TABLE) if _FOLDED.search(text) else text
    if "．" in t:
        t = re.sub(r"(?<=\d)．(?=\d)", ".", t)
    return t


# What follows a closing quote (a stop, or nothing): 他说"好了"。 / …"两个维护"
_AFTER_CLOSE = ("", "，", "。", "！", "？", "；", "：", "、", "）", ",", ".", ";", ":", "!", "?", ")")

# Characters the scanner must look at; everything else is copied in chunks.
_SPECIAL_CHARS = r" \t\u3000\u00a0.。…⋯\-－—―─()（）\"“”'‘’,;:?!<>"
_SPECIAL = re.compile(f"[{_SPECIAL_CHARS}]")

# Per-character classes for the scanner's context tests (one lookup instead of a
# regex call): 1 Han, 2 full-width Chinese punctuation, 4 ASCII letter or digit.
_CLS = bytearray(0x110000)
for _a, _b in HAN_RANGES:
    _CLS[_a : _b + 1] = b"\x01" * (_b - _a + 1)
for _ch in CJK_PUNCT:
    _CLS[ord(_ch)] = 2
for _ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
    _CLS[ord(_ch)] = 4


def _han(ch: str) -> bool:
    """is_han for '' or one character."""
    return ch != "" and _CLS[ord(ch)] == 1


def _cjk(ch: str) -> bool:
    """is_cjk for '' or one character."""
    return ch != "" and 0 < _CLS[ord(ch)] < 4


def _west(ch: str) -> bool:
    """is_western for '' or one character."""
    return ch != "" and _CLS[ord(ch)] == 4


# Symbols that are neither Chinese nor special to the scanner: a single space between
# two of them (or ASCII letters and digits) is kept as it is, in body text and titles.
_PLAIN_SYM = r"A-Za-z0-9/\\|_*#+=&@^`~■□●◆▲★※→•"
# What the scanner copies in one piece because its output is known without looking
# further: ordinary characters, a half-width mark between two Han characters (full
# width), （ and ） (full width whatever their pairs), 。 or < or > that does not start
# a 。。。 / << / >>, curly quotes (the quote
# state is read off the piece afterwards), and one space between plain symbols (a lone
# < or > among them; the right one as printed: a space's fate reads the raw text there).
_CHUNK = re.compile(
    rf"(?:[^{_SPECIAL_CHARS}]++"
    rf"|(?<=[{_HAN_CLASS}])[,;:?!.](?=[{_HAN_CLASS}])"
    rf"|[（）]|。(?!。。)|<(?!<)(?: (?=[{_PLAIN_SYM}<>]))?|>(?!>)(?: (?=[{_PLAIN_SYM}<>]))?|[“”‘’]"
    rf"|(?<=[{_PLAIN_SYM}]) (?=[{_PLAIN_SYM}<>])"
    r")++"
)
_HALF_IN_CHUNK = re.compile(r"[,;:?!.]")
_CHUNK_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"})
_WS_RUN = re.compile(r"[ \t\u3000\u00a0]+")
_ELLIPSIS_RUN = re.compile(r"[…⋯.。]+")
_DASH_RUN = re.compile(r"[-－—―─]+")


def is_closed(text: str) -> bool:
    """Does ``text`` end a sentence (see CLOSED_BY)?  Empty text counts as closed."""
    t = text.rstrip()
    if not t:
        return True
    last = t[-1]
    if last in CLOSED_BY:
        return True
    if last in CLOSING:
        # ”）etc. close a sentence only when a stop sits before them: ……。” or ？）
        i = len(t) - 1
        while i > 0 and t[i] in CLOSING:
            i -= 1
        return t[i] in SENTENCE_END or (last in "）)" and t.lstrip().startswith(("（", "(")))
    return False


# --- the scanner -------------------------------------------------------------


_PARENS = re.compile(r"[()（）]")


def _paren_pairs(t: str) -> dict[int, int]:
    """Map every ( ) / （ ） position to its partner (linear stack walk)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _PARENS.finditer(t):
        i = m.start()
        if t[i] in "(（":
            stack.append(i)
        elif stack:
            j = stack.pop()
            pairs[i] = j
            pairs[j] = i
    return pairs


def _han_prefix(t: str) -> list[int]:
    """han[k] = number of Han characters in t[:k] (so a pair's inside is O(1))."""
    marks = bytearray(len(t))
    for m in _HAN_RUN.finditer(t):
        marks[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return [0, *accumulate(marks)]


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
    return _cjk(left) or _cjk(_next_nonspace(t, j + 1))


def _next_nonspace(t: str, i: int) -> str:
    n = len(t)
    while i < n and t[i] in _WS:
        i += 1
    return t[i] if i < n else ""


# Output characters a decision of the scanner may read back (_before_run: 40, and the
# character before them).
_TAIL = 41
_PERIOD_MAX = 8  # longest unit of a periodic stretch looked for
_PERIOD_MIN_REPEATS = 16  # repeats of the unit before the stretch is followed
_PERIOD_TEXT_MIN = 256  # a shorter text is not looked at for periodic stretches


def _period(t: str, i: int, n: int, paired: list[int], pairs: dict[int, int]) -> tuple[int, int] | None:
    """``(p, end)`` if ``t[i:]`` opens a stretch repeating a unit of ``p`` characters
    at least _PERIOD_MIN_REPEATS times; ``t[k] == t[k - p]`` for every ``i + p <= k <
    end``.  A parenthesis of a pair (``paired``: their positions, sorted; ``pairs``:
    each one's partner) reads its partner: a stretch holding one whose partner is a
    unit or more away is not taken (``p`` 0).  A pair closer than that (``(1)(1)…``)
    is the same balanced string in every unit, so it pairs alike in every unit and
    its reading (its inside, the characters around it) repeats with the stretch."""
    for p in range(1, _PERIOD_MAX + 1):
        k = _PERIOD_MIN_REPEATS * p
        if i + p + k > n or t[i : i + k] != t[i + p : i + p + k]:
            continue
        lo, hi = k, None  # lo verified; hi known to fail
        while hi is None:
            L2 = min(2 * lo, n - i - p)
            if L2 == lo:
                break
            if t[i : i + L2] == t[i + p : i + p + L2]:
                lo = L2
            else:
                hi = L2
        while hi is not None and hi - lo > 1:
            mid = (lo + hi) // 2
            if t[i : i + mid] == t[i + p : i + p + mid]:
                lo = mid
            else:
                hi = mid
        end = i + p + lo
        if paired:
            a, b = bisect.bisect_left(paired, i), bisect.bisect_left(paired, end)
            if any(abs(pairs[x] - x) >= p for x in paired[a:b]):
                return 0, end  # not taken; not looked at again up to its end
        return p, end
    return None


def normalise_map(text: str, *, title: bool = False) -> tuple[str, list[int]]:
    """Normalised text and, per output character, the input index it came from."""
    t = _fold(text)  # 1:1, indices preserved
    got = _unchanged(t)
    if got is not None:
        return got, list(range(len(got)))
    return _normalise_map(t, title)


def _unchanged(t: str) -> str | None:
    """The normalised text of folded ``t`` when it keeps every character's place (nothing
    to decide, or one known piece), else None: :func:`normalise` and
    :func:`normalise_title` need no origins, so these texts are given without them."""
    n = len(t)
    if not _SPECIAL.search(t):
        return t  # nothing to decide (a short heading, often)
    if n < _PERIOD_TEXT_MIN:
        m = _CHUNK.match(t)
        if m is not None and m.end() == n and t[-1] != " ":
            # one piece whose output is known (what the scanner's first step copies
            # whole when no periodic stretch is looked for): 正文。 / 他说“好”。
            return t.translate(_CHUNK_FULL) if _HALF_IN_CHUNK.search(t) else t
    return None


def _normalised(text: str, title: bool) -> str:
    """``normalise_map(text, title=title)[0]``, without origins where none are made."""
    t = _fold(text)
    got = _unchanged(t)
    return got if got is not None else _normalise_map(t, title)[0]


def _normalise_map(t: str, title: bool) -> tuple[str, list[int]]:
    """:func:`normalise_map` of folded ``t`` that :func:`_unchanged` does not answer."""
    n = len(t)
    # only a half-width parenthesis asks for its partner (（ and ） stay as they are)
    pairs = _paren_pairs(t) if "(" in t or ")" in t else {}
    paired = sorted(pairs)
    han: list[int] = []  # Han prefix counts, made when a pair first needs them
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
    probe = 0 if n >= _PERIOD_TEXT_MIN else n  # next index at which to look for a periodic stretch
    per = 0  # period of the stretch being followed (0: none)
    per_end = per_next = 0  # the stretch is periodic up to per_end; the next boundary
    snaps: list[tuple[int, int, bool, bool]] = []  # (index, output length, quote states) at boundaries
    while i < n:
        if per:
            # A stretch that repeats a unit (". . . ", "/ / ", "?字?字"): every decision
            # reads at most _TAIL output characters back and a few raw ones ahead, so
            # once two periods start with the same output tail and quote states, every
            # later period is read exactly as the last one: copy it.
            if i > per_next or len(snaps) > _TAIL + 8:
                per, probe = 0, per_end  # a run across boundaries, or no steady state
            elif i == per_next:
                snaps.append((i, len(out), dq_open, sq_open))
                per_next += per
                # one period back, or two (a straight quote opens and closes in turn)
                for d in (1, 2):
                    if len(snaps) < d + 2:
                        break
                    (i1, o1, d1, s1), (i2, o2, d2, s2) = snaps[-1 - d], snaps[-1]
                    if (d1, s1) == (d2, s2) and o1 >= _TAIL and out[o1 - _TAIL : o1] == out[o2 - _TAIL : o2]:
                        step = i2 - i1
                        r = max(0, (per_end - i2 - 2 * step - 8) // step)
                        unit, rel = out[o1:o2], [x - i1 for x in org[o1:o2]]
                        out.extend(unit * r)
                        for k in range(r):
                            base = i2 + k * step
                            org.extend([base + x for x in rel])
                        i = i2 + r * step
                        per, probe = 0, per_end
                        break
                if not per:
                    continue
        elif i >= probe:
            found = _period(t, i, n, paired, pairs)
            if found and not found[0]:
                probe = found[1]
            elif found:
                per, per_end = found
                per_next, snaps = i, []
                continue  # the boundary at i is taken at the top
            else:
                probe = i + 64
        m = _CHUNK.match(t, i)
        if m:  # a piece whose output is known (see _CHUNK)
            j0 = m.end()
            piece = t[i:j0]
            out.extend(piece.translate(_CHUNK_FULL) if _HALF_IN_CHUNK.search(piece) else piece)
            org.extend(range(i, j0))
            d_open, d_close = piece.rfind("“"), piece.rfind("”")
            if d_open != d_close:  # both -1: no curly double quote in the piece
                dq_open = d_open > d_close
            s_open, s_close = piece.rfind("‘"), piece.rfind("’")
            if s_open != s_close:
                sq_open = s_open > s_close
            i = j0
            continue
        c = t[i]
        # runs of white space: drop next to Chinese, keep one between Western words
        if c in _WS:
            j = _WS_RUN.match(t, i).end()
            left, right = last(), (t[j] if j < n else "")
            if left and right and (
                _keep_space(left, right, title) or dq_open and _parallel_phrases(out, t, j)
            ):
                emit(" ", i)
            i = j
            continue
        # ellipsis: ... / 。。。 / … / ⋯ runs → ……  (clreq §3.1.4)
        if c in ELLIPSIS_CHARS or (c in ".。" and t[i : i + 3] in ("...", "。。。")):
            j = _ELLIPSIS_RUN.match(t, i).end()
            if c == "." and _west(last()) and _west(t[j : j + 1]):
                emit(t[i:j], i)  # a..b in Latin context
            else:
                emit("……", i)
            i = j
            continue
        # dashes: two or more → ——  (clreq §3.1.5); a lone ― → ——
        if c in DASHES:
            j = _DASH_RUN.match(t, i).end()
            run = t[i:j]
            if (len(run) >= 2 or c == "―") and not (
                run.count("-") == len(run) and _west(last()) and _west(t[j : j + 1])
            ):
                emit("——", i)
            else:
                emit(run, i)
            i = j
            continue
        if c in "(（)）":
            if i in pairs:
                a, b = sorted((i, pairs[i]))
                if not han and t[a] == "(" and t[b] == ")":
                    han = _han_prefix(t)
                chinese = _paren_chinese(t, a, b, han)
            else:
                chinese = c in "（）" or _cjk(last()) or _cjk(_next_nonspace(t, i + 1))
            o = ("（" if c in "(（" else "）") if chinese else c
            emit(o, i)
            i += 1
            if c in "()" and t[i : i + 2] == c + c:
                # a run of one unpaired half-width parenthesis: each but the run's last
                # is decided by the output before it (its right neighbour is the same
                # mark, no Chinese context), so it repeats the first
                j = i + 1
                while j < n and t[j] == c:
                    j += 1
                k = i
                while k < j - 1 and k not in pairs:
                    k += 1
                out.extend(o * (k - i))
                org.extend(range(i, k))
                i = k
            continue
        if c == '"' or c in "“”":
            # a straight quote with no quote open, right after text and before a
            # stop or the end, closes a quote the source opened without a mark
            closes = c == '"' and not dq_open and _cjk(last()) and t[i + 1 : i + 2] in _AFTER_CLOSE
            if c == "“" or (c == '"' and not dq_open and not closes):
                emit("“", i)
                dq_open = True
            else:
                emit("”", i)
                dq_open = False
            i += 1
            continue
        if c == "'" or c in "‘’":
            if c == "'" and _west(last()) and _west(t[i + 1 : i + 2]):
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
            o = _half_mark(c, _left_context(out), _next_nonspace(t, i + 1), t[i + 1 : i + 2], _before_run(out))
            emit(o, i)
            i += 1
            if c in ",;:?!" and t[i : i + 2] == c + c:
                # a run of one mark: each mark but the run's last is decided by the
                # output before it alone (its right neighbour is the same mark), so
                # once one repeats the one before, the rest up to the last do too
                j = i + 1
                while j < n and t[j] == c:
                    j += 1
                while i < j - 1:
                    o2 = _half_mark(c, o, c, c, "")
                    if o2 == o:
                        out.extend(o * (j - 1 - i))
                        org.extend(range(i, j - 1))
                        i = j - 1
                        break
                    emit(o2, i)
                    o = o2
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
    while k < PARALLEL_MIN and k < len(out) and _han(out[-1 - k]):
        k += 1
    if k < PARALLEL_MIN:
        return False
    r = 0
    while r < PARALLEL_MIN and j + r < len(t) and _han(t[j + r]):
        r += 1
    return r >= PARALLEL_MIN


def _left_context(out: list[str]) -> str:
    """The character that decides a mark's context: the last output character,
    looking through quotes (``“三农”,`` is Chinese, ``"test",`` is not)."""
    k = len(out) - 1
    stop = max(-1, k - 8)
    while k > stop and out[k] in "“”‘’\"'":
        k -= 1
    if k < 0:
        return out[-1] if out else ""
    return out[k]


def _keep_space(left: str, right: str, title: bool) -> bool:
    """Keep a (single) space between ``left`` and ``right``?"""
    if _west(left) and _west(right):
        return True  # between Latin words / numbers
    if right in ",;:?!" and (_cjk(left) or title):
        return False  # the mark becomes full width: no space before it
    if left in "%.,;:?!)" and _west(right) or _west(left) and right in "(":
        return True
    if not title:
        if _cjk(left) or _cjk(right):
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
    output so far: it tells whether a mark after the run is in Chinese text.
    The run is looked at over its last 40 characters at most."""
    k = len(out) - 1
    if k < 0 or not (_west(out[k]) or out[k] in "%."):
        return ""
    r = _RUN_HEAD.match("".join(reversed(out[-40:]))).end()
    return out[k - r] if k - r >= 0 else ""


# Characters inside a Western run (5.8%, 1+8+N, 12:30, a-b).
WESTERN_RUN_CHARS = ".%+-/:·&'"
_RUN_HEAD = re.compile(r"[A-Za-z0-9.%+\-/:·&']*")


def _half_mark(c: str, left: str, right: str, right_raw: str, before_run: str = "") -> str:
    """Convert a half-width mark to full width if it stands in Chinese context:
    next to Han or full-width punctuation, or after a Western run (``6.2%``,
    ``GDP``) that itself follows Han."""
    lc = _cjk(left) or _han(before_run)
    rc = _cjk(right)
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
        return "：" if lc or (rc and not _west(left)) or (rc and left.isalpha()) else c
    if c in "?!":
        return HALF_TO_FULL[c] if lc or (rc and not _west(left)) else c
    if c == ".":
        # 。only at a sentence end in Chinese text and never before a digit or
        # letter: keeps 5.8%, 255.92, "1. " list markers, www.example.cn, e.g.
        if not lc or _west(right_raw) or (right_raw and right_raw in "/@-_.%"):
            return c
        if _han(left) or left in CLOSING:
            return "。"
        # after a number / Latin word that follows Han: 同比增长6.2%. → 。
        return "。" if (not right or _cjk(right)) else c
    return c


def normalise(text: str) -> str:
    """Body text in Chinese context; see the module docstring."""
    return _normalised(text, False)


# A dateline in brackets on its own line: under a speech's or a document's headline
# （2019年10月27日） (corpus-wild 105, 101) or closing a text.  The reader reads it as a
# note; the renderer sets one that opens a text centred under the headline.
DATELINE_RE = re.compile(r"^[（(]\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*[）)]$")


def normalise_title(text: str) -> str:
    """Headline / heading text: like :func:`normalise`, but the deliberate single
    space between headline parts (``坚持首位战略 凝心聚力加快建设县域经济强县``)
    stays; runs of spaces collapse to one; spaces next to 、，。：；！？ and inside
    ``2023 年`` go."""
    return _normalised(text, True)


def map_range(origins: list[int], start: int, end: int) -> tuple[int, int]:
    """Carry a raw ``[start, end)`` range over to normalised text (see normalise_map)."""
    s = bisect.bisect_left(origins, start)
    e = bisect.bisect_left(origins, end)
    return s, e


# Used by the reader to strip Markdown bold / italic markers.
BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
