"""A 目录 printed as wrapped lines, as OCR of a scanned contents page gives it.

The line-per-entry reader in ``contents`` expects each entry (title, author, page)
on one line.  A scan of a narrow contents page gives instead one text line per
*printed* line (see corpus-wild 101, a court journal):

* an entry wrapped over two or three lines (two-space Markdown hard breaks, or
  ``##`` on some of them), the page number only on its last line;
* leaders in any shape (``……``, ``….``, ``..``, ``…``, none) — an entry whose page
  was lost still ends in its leader (``…如何表述…``);
* authors fused with the page (``黄太云68``, ``课题组186``);
* subtitles opened by OCR misreads of ——: ``-``, ``—``, ``一`` (``一`` only where
  the block shows real dashes elsewhere: it is also an ordinary character);
* ``>`` / ``<`` for ``》`` / ``《`` inside a title whose 《 is not closed;
* issuing bodies as group labels over the titles (``最高人民法院``), carried to
  the entries under them as ``issuer`` (the body may print them fused with the
  title: ``最高人民法院关于…的解释``);
* case numbers (``[第1055号]``, with or without ``]``) in front of a title: kept
  as printed, part of the title (never a column label);
* column labels in brackets (``【案例】``), Markdown heading or not; a label
  followed directly by another label is a one-piece column named for its piece
  (``【发刊词】``).

A line is continued by the next one when it is about as long as the block's
printed lines (within ``WRAP_SLACK`` characters of the typical long line) and the
next does not open a subtitle or a document title (``关于…``, ``《…``).

The block ends at the last line that carries a page (or a leader); a gap of more
than ``MAX_GAP`` content lines without one, or running text, ends it too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Warning
from .bylines import ORG_SUFFIXES, parse_people
from .lines import SourceLine
from .shape import HAN, collapse_spaces, han_count, has_two_han, strip_markup

WRAP_SLACK = 2  # a printed line this many characters shorter than the typical one is still full
MAX_GAP = 8  # content lines without a page before the block is taken to have ended
FUSED_AUTHOR_MAX = 12  # "敬大力王洪祥韩耀元75": three names glued to the page
AUTHOR_MARK = "\x00"  # marks a logical line read as the author part (internal)
PLAIN_LABEL_MAX = 8  # longest column label printed as a plain line ("法律、法规、司法解释" is bracketed)
MIN_ENTRIES = 3  # fewer page-bearing entries than this is not a wrapped 目录 (a cover 要目 has none)

# "标题…… 27", "标题…. 42", "标题.. 65", "标题 10", "黄太云68" (author fused with the page).
# Both ends are read by stripping from the right, not by a lazy regex, which is
# quadratic on a long run of leader dots (issue 12: hostile 目录 lines).
_LEADER_CHARS = ".。·•…⋯_"
_TRAIL_PAGE = re.compile(r"(\d{1,3})$")
_UNREAD = object()  # a page end not read yet (_strip_end's default)


class _End(tuple):
    r"""What a match of ``^(head)\s*(?:leader\s*)?(page)$`` gives: ``group(1)``, ``group(2)``
    (a tuple of the groups: made by C code, read every line of a 目录)."""

    __slots__ = ()

    def group(self, k: int) -> str:
        return self[k - 1]


def _page_end(s: str) -> _End | None:
    """``(head, page)`` of a line ending in a page number, after a leader if any."""
    if s.endswith("\n"):
        m = _TRAIL_PAGE.search(s)  # ($ stands before a final newline)
        if not m:
            return None
        start, page = m.start(), m.group(1)
    else:
        # the last 1–3 decimal digits (what the pattern's leftmost match takes), read
        # from the end instead of searched for from the start
        k = len(s)
        while k > 0 and s[k - 1].isdecimal() and len(s) - k < 3:
            k -= 1
        if k == len(s):
            return None
        start, page = k, s[k:]
    head = s[:start].rstrip()
    if head and head[-1] in _LEADER_CHARS:
        head = head.rstrip(_LEADER_CHARS).rstrip()
    return _End((head, page))


def _leader_end(s: str) -> _End | None:
    """``(head,)`` of a line ending in a leader whose page was lost:
    "单位走私犯罪在法律文书中如何表述…" (…+, ..+, …., ··+)."""
    if not s:
        return None
    last = s[-1]
    run = len(s) - len(s.rstrip(last)) if last in "….·" else 0
    if last == "…":
        cut = run
    elif last in ".·" and run >= 2:
        cut = run
    elif last == "." and s[-2:] == "….":
        cut = 2
    else:
        return None
    head = s[: len(s) - cut].rstrip()
    return _End((head,)) if head else None
# OCR readings of —— opening a subtitle; "一" only where other subtitles show a dash
_DASH_OPEN = re.compile(r"^(?:——|—|－－|--|──|－|―|-)\s*(?=\S)")
_ONE_OPEN = re.compile(r"^一(?=\S)")
# a case number before a title: "[第1055号]", "［第1055号", "〔第12号〕": not a label
_CASE_NO = re.compile(r"^[\[［〔【(（]?\s*第\s*\d+\s*号\s*[\]］〕】)）]?\s*")
# a bracketed label: a column ("【案例】", "〔法律、法规〕")
_LABEL = re.compile(r"^[【〔\[［]([^】〕\]］]{2,24})[】〕\]］]$")
_LABEL_OPENS = "【〔[［"  # the first characters _LABEL accepts
# a document title starts like this: a line starting so is never a continuation
DOCUMENT_STARTS = ("关于", "关於", "關於", "《")
# issuing bodies printed as group labels over document titles (corpus-wild 101:
# "全国人大常委会", "最高人民法院　最高人民检察院　公安部" with OCR junk between)
ISSUER_SUFFIXES = ("常委会", "委员会", "人民法院", "检察院", "法院", "国务院", "办公厅", "公安部", "司法部", "总署", "部", "厅", "局", "署")


@dataclass
class WrappedEntry:
    title: str
    subtitle: str | None
    page: int | None
    column: str
    author: str | None
    issuer: str | None
    lines: list[int]


def _is_issuer(t: str) -> bool:
    return 4 <= len(t) <= 40 and t.endswith(ISSUER_SUFFIXES) and not t.startswith(DOCUMENT_STARTS) and "的" not in t and han_count(t) >= len(t) - 2


def _fix_brackets(t: str) -> str:
    """``《关于…的决定>`` → ``《关于…的决定》``: an ASCII angle for an unclosed 《 (OCR);
    a ``>`` ending a wrapped line's last part closes the 《 of the line above."""
    if t.endswith(">") and "《" not in t and han_count(t) >= 1:
        t = t[:-1] + "》"
    if "《" in t and t.count("》") < t.count("《"):
        t = re.sub(r">", "》", t, count=t.count("《") - t.count("》"))
    if "》" in t and t.count("《") < t.count("》"):
        t = t.replace("<", "《", 1)
    return t


def _label(raw: str, s: str) -> str | None:
    if not s or s[0] not in _LABEL_OPENS:
        return None
    m = _LABEL.match(s)
    if m and has_two_han(m.group(1)) and not _CASE_NO.fullmatch(s):
        return collapse_spaces(m.group(1))
    return None


def _plain_label(s: str, following: str | None, dash_seen: bool, strip_end=None) -> str | None:
    """A column label printed without brackets or heading marks (``案例`` between
    entries): a short line opening no entry of its own, in a block whose entries carry
    dash subtitles; a short title is followed by its subtitle or carries its page."""
    if not dash_seen or following is None or len(s) > PLAIN_LABEL_MAX or not has_two_han(s) or _is_issuer(s):
        return None
    strip_end = strip_end or _strip_end
    if strip_end(s)[2] or _DASH_OPEN.match(s) or _ONE_OPEN.match(following) or _DASH_OPEN.match(following):
        return None
    if strip_end(following)[2] and len(strip_end(following)[0]) <= PLAIN_LABEL_MAX:
        return None  # "货物案 12"-like: the line under it finishes a short entry
    return collapse_spaces(s)


def _running(s: str) -> bool:
    return len(s) > 60 or "。" in s


def read_wrapped(lines: list[SourceLine], h: int, beat: int = 0) -> tuple[list[WrappedEntry], int, list[Warning]] | None:
    """Entries of a wrapped 目录 under the heading at index ``h``, the index of its last
    line and its warnings; None if the lines there are not such a block, or if it
    cannot give more than ``beat`` entries with a page (the line-per-entry reading of
    the block gave that many: the caller keeps the reading with more)."""
    from .contents import is_heading
    from .contents import is_noise as _is_noise  # contents imports this module lazily

    # each line is asked these several times below: once per distinct text
    noise_of: dict[str, bool] = {}
    end_of: dict[str, tuple[str, int | None, bool, bool]] = {}

    def is_noise(t: str) -> bool:
        v = noise_of.get(t)
        if v is None:
            v = noise_of[t] = _is_noise(t)
        return v

    def strip_end(t: str, m=_UNREAD) -> tuple[str, int | None, bool, bool]:
        v = end_of.get(t)
        if v is None:
            v = end_of[t] = _strip_end(t, m)
        return v

    n = len(lines)
    # 1. the extent: up to the last line with a page or a leader; another 目录
    # heading ends it too (each line is read under one heading only: linear)
    items: list[tuple[int, str]] = []  # (index, stripped text) of non-blank lines
    last_end = None
    gap = 0
    paged = 0  # lines that can give an entry its page (phase 2 takes it from strip_end)
    i = h + 1
    while i < n:
        s = strip_markup(lines[i].text)
        if s:
            if _running(s) or is_heading(s):
                break
            items.append((i, s))
            ends = False
            if _label(lines[i].text, s) is None:
                pe = _page_end(s)
                v = strip_end(s, pe)
                # "ends in a page, or in a leader whose page was lost": where strip_end's
                # page reading fails (as it does short of two Han characters) its
                # ``ended`` is the leader test
                ends = bool(pe and has_two_han(s)) or v[2]
            if ends:
                last_end = len(items)
                gap = 0
                paged += v[1] is not None
            else:
                gap += 1
                if gap > MAX_GAP:
                    break
        i += 1
    if last_end is None:
        return None
    # each entry with a page takes it from one line whose strip_end gives a page (and
    # that line ends the extent): at most ``paged`` of them, so a block that cannot
    # reach MIN_ENTRIES, or the count the caller already has, is not read further
    if paged < MIN_ENTRIES or paged <= beat:
        return None
    items = items[:last_end]
    content = [s for _, s in items if _label("", s) is None and not is_noise(s)]
    lengths = sorted(len(strip_end(s)[0]) for s in content)
    if not lengths:
        return None
    top = lengths[len(lengths) * 2 // 3 :]
    width = top[len(top) // 2]
    dash_seen = any(_DASH_OPEN.match(s) for s in content)

    # 2. physical lines → logical lines → entries
    entries: list[WrappedEntry] = []
    warnings: list[Warning] = []
    column = ""
    columns_seen: list[tuple[str, int, int]] = []  # (label, index in entries when it was read, line index)
    issuer: str | None = None
    logical: list[tuple[str, list[int]]] = []  # the entry being read: (text, line numbers)
    cont = False

    def finish(page: int | None) -> None:
        nonlocal logical, issuer
        parts = logical
        logical = []
        # leading issuing bodies are a group label
        if len(parts) > 1 and _is_issuer(parts[0][0]):
            labels = []
            while len(parts) > 1 and _is_issuer(parts[0][0]):
                labels.append(parts[0][0])
                parts = parts[1:]
            issuer = "".join(labels)
        nums = [x for _, ln in parts for x in ln]
        author = None
        if len(parts) > 1 and parts[-1][0].startswith(AUTHOR_MARK):
            author = parts[-1][0][len(AUTHOR_MARK):]
            parts = parts[:-1]
        elif len(parts) > 1 and parse_people(parts[-1][0]) is not None and not _DASH_OPEN.match(parts[-1][0]):
            author = parts[-1][0]
            parts = parts[:-1]
        title = _fix_brackets(parts[0][0])
        subtitle = None
        rest = [t for t, _ in parts[1:]]
        if rest:
            first = rest[0]
            m = _DASH_OPEN.match(first) or (_ONE_OPEN.match(first) if dash_seen else None)
            if m:
                subtitle = "——" + _fix_brackets(first[m.end():].strip() + "".join(rest[1:]))
            elif dash_seen:
                # the block prints subtitles; a second line without its dash is one
                subtitle = "——" + _fix_brackets("".join(rest))
            else:
                title = _fix_brackets(title + "".join(rest))
        entries.append(WrappedEntry(title=title, subtitle=subtitle, page=page, column=column, author=author, issuer=issuer, lines=nums))

    for pos, (idx, s) in enumerate(items):
        if is_noise(s):
            # a tagline, a stray page number, a running head between entries: never
            # part of a title or a column name
            warnings.append(Warning("R202", f"目录: dropped layout noise {s!r}", lines[idx].number))
            continue
        lab = _label(lines[idx].text, s)
        if lab is None and not logical and not cont:
            if dash_seen:  # (a plain label is read only in a block with dash subtitles)
                following = next((t for _, t in items[pos + 1 : pos + 4] if not is_noise(t)), None)
                lab = _plain_label(s, following, dash_seen, strip_end)
        if lab is not None:
            if logical:
                finish(None)
            columns_seen.append((lab, len(entries), idx))
            column = lab
            issuer = None
            cont = False
            continue
        body, page, ended, glued = strip_end(s)
        opens_sub = bool(_DASH_OPEN.match(body) or (dash_seen and _ONE_OPEN.match(body) and logical))
        # "课题组186", "黄太云68": a name glued to the page is never a title's continuation
        names_only = glued and len(body) <= FUSED_AUTHOR_MAX and (body.endswith(ORG_SUFFIXES) or parse_people(body) is not None)
        if cont and logical and not opens_sub and not names_only and not body.startswith(DOCUMENT_STARTS):
            text, nums = logical[-1]
            logical[-1] = (text + body, nums + [lines[idx].number])
        else:
            logical.append((body, [lines[idx].number]))
        cont = not ended and len(body) >= width - WRAP_SLACK and not _is_issuer(body)
        if ended:
            if glued and len(logical) > 1 and len(body) <= FUSED_AUTHOR_MAX and not opens_sub and logical[-1][0] == body:
                # "黄太云68" under the title lines: the author, fused with the page
                logical[-1] = (AUTHOR_MARK + body, logical[-1][1])
            finish(page)
            cont = False
    # a label with nothing under it before the next label: a one-piece column
    for k, (lab, at, line) in enumerate(columns_seen):
        nxt = columns_seen[k + 1][1] if k + 1 < len(columns_seen) else len(entries)
        if nxt == at and k + 1 < len(columns_seen):
            entries.insert(at, WrappedEntry(title=lab, subtitle=None, page=None, column=lab, author=None, issuer=None, lines=[lines[line].number]))
            # later labels' positions move by one
            columns_seen[k + 1 :] = [(l2, a2 + 1, i2) for l2, a2, i2 in columns_seen[k + 1 :]]
    if sum(1 for e in entries if e.page is not None) < MIN_ENTRIES:
        return None
    return entries, items[-1][0], warnings


_HEAD_END = re.compile(f"[{HAN}》>）)\\].…]$")
_HAN_END = re.compile(f"[{HAN}]$")


def _strip_end(s: str, m=_UNREAD) -> tuple[str, int | None, bool, bool]:
    """``(text, page, ended, glued)``: the line without its leader and page; ``ended``
    if it closes an entry (a page, or a leader whose page was lost); ``glued`` if the
    page follows Han text directly (``黄太云68``: an author fused with the page).
    ``m``: ``_page_end(s)``, if already read."""
    if m is _UNREAD:
        m = _page_end(s)
    if m and _HEAD_END.search(m.group(1).rstrip()) and has_two_han(m.group(1)):  # (the cheaper test first)
        head = m.group(1)
        glued = len(head) + len(m.group(2)) == len(s) and bool(_HAN_END.search(head))
        return _fix_brackets(head.rstrip(" .。·•…⋯_")), int(m.group(2)), True, glued
    m = _leader_end(s)
    if m:
        return m.group(1), None, True, False
    return s, None, False, False
