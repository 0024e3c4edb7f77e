"""The 目录 (table of contents) block: where it is and what its entries say.

The block starts at a heading line (``CONTENTS 目 录``, ``目录``, ``目 次``, ``本期目录``,
``## 目录``, ``【目录】``).  Entries come in the layouts seen in print exports and
Markdown conversions:

* page first: ``08 在……的讲话/中共衡东县委书记 谭建华`` (optionally behind a list
  marker ``- 26 …``), the author part sometimes on the next line (``/何可人``);
* page last: ``关于……的调研报告 …… 12``, ``标题……12``, ``标题 12``; the author part
  may sit before the leaders (``标题 / 作者 …… 6``) or, with the page, on the line
  under the title (``/刘洋 陈思远 …… 13``);
* a column named on the entry line: ``【卷首语】坚持首位战略……1``;
* a Markdown table (``| 栏目 | 标题 | 作者 | 页码 |``, header row optional);
* a Markdown bullet list of titles without pages (``- 故乡的河``): page unknown.

A column header is a line without a page number that is followed by an entry
(``政策资讯``, ``专题聚焦 · 建设县域经济强县``, ``**刊首语**``); a header over two lines
becomes one column (``专题 · 县域经济``).  A title continued on the next line is a
line without a page number directly under an entry.  Layout noise inside the block
(running taglines, stray page numbers, jump lines, the heading repeated, a table's
header and separator rows, any unreadable line between two entries) is dropped
with warning ``R202``.  The block ends at the first line that fits none of these.

Reading is linear: each line is looked at once, with a lookahead of a few lines.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ..model import Warning
from .bylines import is_org, parse_people
from .lines import SourceLine
from .shape import collapse_spaces, ends_sentence, has_two_han, key, strip_markup, title_like

# The heading of the block: "CONTENTS 目 录", "目录", "目 录", "目次", "本期目录",
# "【目录】", "Contents".  Matched after Markdown markers and brackets are removed.
_HEADING = re.compile(
    r"^(?:contents?\s*)?(?:本\s*期\s*)?(?:目\s*录|目\s*次|要\s*目)(?:\s*contents?)?$|^contents?$",
    re.IGNORECASE,
)
_BRACKETS = "【】[]〔〕「」《》()（）"
# A cover's highlights block, not the 目录 (corpus-wild 101: "本期要目" on the cover)
_COVER_HEADING = re.compile(r"要\s*目")

# Page first: "08 标题", "P8 标题", "8. 标题" is NOT accepted (numbered lists look
# like that); a number glued to Han text must have a leading zero ("01坚持…").
_PAGE_FIRST = re.compile(r"^(?:[Pp]\.?\s*)?(\d{1,3})(?:\s+|(?<=0\d)(?=[^\d\s.、，,]))(\S.*)$")
# Page last with leaders: "标题……12", "标题 ........ 12", "标题·····12", "标题——12".
# Linear on any line (issue 12): the leader run starts after a non-leader (the title
# is the shortest prefix anyway) and the runs are possessive, so a line of 100 KB of
# dots ending in a non-digit is one pass, not a quadratic search.
_PAGE_LAST_LEADERS = re.compile(
    r"^(.*?\S)\s*+(?<![.。·•…_—\-－])(?:[.。·•…_—\-－]{2,}+|…)\s*+(?:[Pp]\.?\s*+)?(\d{1,3})$"
)
# Page last after white space: "标题   12" (the title must not itself end in a digit).
_PAGE_LAST_SPACE = re.compile(r"^(.*?[^\d\s])\s+(?:[Pp]\.?\s*)?(\d{1,3})$")
# The author part of an entry: "标题/作者", "标题 ／作者" (not "1/3").
_AUTHOR_SPLIT = re.compile(r"(?<!\s)\s*+[/／]\s*+(?=[^\d\s/／])")  # from a run's start only: linear
# A column named in brackets at the start of an entry: "【卷首语】坚持首位战略……1".
_BRACKET_COLUMN = re.compile(r"^[【\[〔]([^】\]〕]{2,16})[】\]〕]\s*(.+)$")
# A case number in brackets before a title ("[第1055号]张某故意杀人案", a court
# journal like corpus-wild 101): part of the title, never a column.
_CASE_NUMBER = re.compile(r"^\s*第\s*\d+\s*号\s*$")
# A bullet in the raw line: "- 标题" (Markdown list); numbered lists are not entries.
_BULLET = re.compile(r"^\s*[-*+•]\s+")
# A list marker the layout put before an entry ("- 26 …", "• 标题 …… 3").
_LIST_MARKS = "-*+•·▪●◆"
_LIST_MARKER = re.compile(f"^[{re.escape(_LIST_MARKS)}]\\s+")

# Running taglines and furniture that print exports drop into the 目录 block.
# Each pattern names the case that motivates it.
NOISE_PATTERNS = (
    re.compile(r"^\d{1,4}$"),  # a stray page number on its own line
    re.compile(r"^(?>.*?\d{4}\s*年).*第\s*[\d一二三四五六七八九十]+\s*期"),  # "衡东决策参考 2023年第1期" (first 年 only: linear)
    re.compile(r"^(?:总\s*)?第\s*[\d一二三四五六七八九十]+\s*期"),  # "第3期", "总第45期"
    re.compile(r"^(?:主\s*办|协\s*办|承\s*办|主\s*编|编\s*辑|出\s*版|印\s*刷|地\s*址|电\s*话|邮\s*编|刊\s*号)\s*[：:]"),  # masthead
    re.compile(r"\b(?:ISSN|CN)\s*[\dA-Z]", re.IGNORECASE),  # serial numbers in a tagline
    re.compile(r"^[A-Za-z][A-Za-z\s&'.,·\-]*$"),  # an all-Latin running head ("CONTENTS", a masthead in English)
    re.compile(r"^[（(]?\s*(?:下转|上接|转|接|续)\s*第?\s*\d+\s*[页版面]"),  # a jump line: "（下转第2页）"
    # a tagline of three or more parallel words printed between entries
    # ("政策性 / 权威性 / 前瞻性", an issue like 000): never part of a column name
    re.compile(r"^(?:[\u4e00-\u9fff]{2,4}\s*[/／|｜·•]\s*){2,}[\u4e00-\u9fff]{2,4}$"),
)

# Words that often occur in column names.  Only a tie-breaker between "column
# header" and "title continued after a blank line"; each entry names its case.
COLUMN_HINTS = (
    "卷首",  # 卷首语
    "资讯", "动态", "快讯",  # 政策资讯
    "前沿", "论坛", "视点", "观察", "聚焦", "专题", "特稿", "交流", "调研", "研究",  # 决策前沿, 领导论坛, 专题聚焦, 经验交流
    "文艺", "文苑", "副刊", "印象", "散文", "诗", "随笔", "风采",  # 洙水文艺, 帅乡印象
)
# Separators inside a column header that carries a theme ("专题聚焦 · 建设县域经济强县").
COLUMN_SEPARATORS = ("·", "•", "|", "｜", "丨", "—")


@dataclass
class TocEntry:
    title: str
    page: int | None
    column: str
    author: str | None = None
    lines: list[int] = field(default_factory=list)  # 1-based input lines of the entry
    subtitle: str | None = None  # "——…", from a wrapped 目录 (toc_lines)
    issuer: str | None = None  # the issuing body printed as a group label above it


@dataclass
class Contents:
    first: int  # line number of the heading
    last: int  # line number of the last line that belongs to the block
    entries: list[TocEntry]
    columns: list[str]  # in order of first appearance
    warnings: list[Warning]

    def covers(self, number: int) -> bool:
        return self.first <= number <= self.last


# Every heading _HEADING accepts has one of these, even with markup inside a word
# (asked of every line: one search).
_HEADING_HINT = re.compile(r"[目cC]")
# NOISE_PATTERNS as one search (same answer: some pattern matches somewhere).
_NOISE = re.compile("|".join(f"(?{'i' if p.flags & re.IGNORECASE else ''}:{p.pattern})" for p in NOISE_PATTERNS))


def is_heading(text: str) -> bool:
    if not _HEADING_HINT.search(text):
        return False
    t = strip_markup(text).strip(_BRACKETS + " ").replace("\u3000", " ")
    return bool(t) and len(t) <= 20 and bool(_HEADING.match(collapse_spaces(t)))


def is_noise(text: str) -> bool:
    if len(text) > LONG_LINE:
        return _is_noise_long(text)
    return bool(_NOISE.search(text)) or is_heading(text)


# The block reader looks a few lines ahead and back, so it asks of one line several
# times; for a long line (a hostile 100 KB one: each search a pass over it) the
# answers are kept for the last few.
LONG_LINE = 256


@lru_cache(maxsize=16)
def _is_noise_long(text: str) -> bool:
    return bool(_NOISE.search(text)) or is_heading(text)


def parse_entry(text: str) -> tuple[int | None, str, str | None] | None:
    """``(page, title, author)`` if the line is a 目录 entry: a title with a page number,
    or a bulleted title without one (page None)."""
    if len(text) > LONG_LINE:
        return _parse_entry_long(text)
    return _parse_entry(text)


@lru_cache(maxsize=16)
def _parse_entry_long(text: str) -> tuple[int | None, str, str | None] | None:
    return _parse_entry(text)


def _parse_entry(text: str) -> tuple[int | None, str, str | None] | None:
    t = strip_markup(text)
    if t[:1] in _LIST_MARKS:
        t = _LIST_MARKER.sub("", t)
    if not t:
        return None
    page = None
    title = None
    m = _PAGE_LAST_LEADERS.match(t)
    if m:
        title, page = m.group(1), int(m.group(2))
    else:
        m = _PAGE_FIRST.match(t)
        if m and has_two_han(m.group(2)):
            page, title = int(m.group(1)), m.group(2)
        else:
            m = _PAGE_LAST_SPACE.match(t)
            if m and has_two_han(m.group(1)):
                title, page = m.group(1), int(m.group(2))
    if title is None and _BULLET.match(text) and title_like(t, 60):
        # "- 春耕正当时 / 山石": a Markdown list of titles without page numbers
        title = t
    if title is None:
        return None
    # an entry ending in a page number is never a running sentence
    title = title.strip()
    author = None
    if title[0] in "/／":
        # "/刘洋 陈思远 …… 13": author and page of a title on the line above
        author = collapse_spaces(title[1:])
        return (page, "", author) if has_two_han(author) else None
    parts = _AUTHOR_SPLIT.split(title, maxsplit=1) if "/" in title or "／" in title else (title,)  # (the split needs one)
    if len(parts) == 2 and parts[0].strip():
        title, author = parts[0].strip(), parts[1].strip()
    title = _fix_angle(collapse_spaces(title))
    if len(title) > 80 or "。" in title or not has_two_han(title) or ends_sentence(title):
        return None
    return page, title, (collapse_spaces(author) if author else None)


_TABLE_SEPARATOR = re.compile(r"^\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?$")
_DIGITS = re.compile(r"^(?:[Pp]\.?\s*)?(\d{1,3})$")


# Header words of a 目录 table, by role of the column.
TABLE_HEADER_WORDS = {
    "column": ("栏目", "专栏", "版块"),
    "title": ("标题", "题目", "篇名", "文章"),
    "author": ("作者", "撰稿", "署名"),
    "page": ("页码", "页"),
}


@lru_cache(maxsize=64)
def _table_cells(t: str) -> tuple[str, ...]:
    """The stripped cells of a table row (the 目录 reader asks for a row's cells several
    times: a row of 100 KB is split once)."""
    return tuple(strip_markup(c) for c in t.strip("|").split("|"))


def table_header(text: str) -> dict[str, int] | None:
    """``| 栏目 | 标题 | 作者 | 页码 |`` → the index of each kind of cell."""
    t = text.strip()
    if not (t.startswith("|") and t.count("|") >= 3):
        return None
    if not any(w in t for w in TABLE_HEADER_WORDS["title"]):
        return None  # no title cell: not a header (before splitting a long row)
    cells = _table_cells(t)
    found: dict[str, int] = {}
    for k, c in enumerate(cells):
        for role, words in TABLE_HEADER_WORDS.items():
            if role not in found and c in words:
                found[role] = k
    return found if "title" in found else None


def parse_table_row(text: str, header: dict[str, int] | None = None) -> tuple[int | None, str, str | None, str | None] | None:
    """A Markdown table row of a 目录: ``| 卷首语 | 春耕正当时 | 山石 | 1 |`` →
    ``(page, title, author, column)``; None if the line is not a row with a title
    and a page.  With a header row the cells are taken by its names; without one,
    by shape (digits = page; text cells in the order column, title, author)."""
    t = text.strip()
    if not (t.startswith("|") and t.count("|") >= 3):
        return None
    cells = _table_cells(t)

    def cell(role: str) -> str | None:
        k = header.get(role) if header else None
        return cells[k] if k is not None and k < len(cells) and cells[k] else None

    if header:
        title, pg = cell("title"), cell("page")
        m = _DIGITS.match(pg or "")
        if not title or not has_two_han(title) or not m:
            return None
        author, column = cell("author"), cell("column")
        return int(m.group(1)), collapse_spaces(title), (collapse_spaces(author) if author else None), column
    return _row_by_shape(t)


@lru_cache(maxsize=64)
def _row_by_shape(t: str) -> tuple[int | None, str, str | None, str | None] | None:
    """parse_table_row of a row without a header (asked several times of one row)."""
    page = None
    texts: list[str] = []
    for c in _table_cells(t):
        m = _DIGITS.match(c)
        if m and page is None:
            page = int(m.group(1))
        elif has_two_han(c):
            texts.append(c)
            if page is not None and len(texts) >= 3:
                break  # later cells change nothing
    if page is None or not texts:
        return None
    column = author = None
    if len(texts) >= 3:
        column, title, author = texts[0], texts[1], texts[2]
    elif len(texts) == 2:
        if parse_people(texts[1]) is not None or is_org(texts[1]):
            title, author = texts
        else:
            column, title = texts
    else:
        title = texts[0]
    return page, collapse_spaces(title), (collapse_spaces(author) if author else None), column


def _is_table_noise(text: str) -> bool:
    """A table's separator row or header row (``|---|---|``, ``| 栏目 | 标题 | 页码 |``)."""
    t = text.strip()
    return bool(_TABLE_SEPARATOR.match(t)) or (t.startswith("|") and t.count("|") >= 3 and parse_table_row(t) is None and parse_table_row(t, table_header(t)) is None)


def _looks_like_column(text: str) -> bool:
    t = collapse_spaces(text)
    if not t or len(t) > 30 or ends_sentence(t) or not has_two_han(t):
        return False
    return True


def _column_score(text: str) -> int:
    """Higher = more like a column header than a continued title."""
    score = 0
    k = key(text)
    if len(k) <= 8:
        score += 2
    if any(s in text for s in COLUMN_SEPARATORS):
        score += 2
    if any(h in text for h in COLUMN_HINTS):
        score += 1
    return score


def find_contents(lines: list[SourceLine]) -> Contents | None:
    """The first 目录 block with at least one entry, or None (a single article).

    A cover's 要目 block (``本期要目``: a few highlights) is taken only if no 目录
    follows it (corpus-wild 101 prints both; the 目录 is the full list)."""
    n = len(lines)
    texts = [sl.text for sl in lines]
    heading = {t: bool(t.strip()) and is_heading(t) for t in set(texts)}  # each distinct line asked once
    heads = [k for k, t in enumerate(texts) if heading[t]]
    is_head = set(heads)  # asked again below: each line is tested once
    is_cover = {k: bool(_COVER_HEADING.search(strip_markup(lines[k].text))) for k in heads}
    # the last heading that is not a cover's: a 要目 before it is skipped
    last_full = max((k for k in heads if not is_cover[k]), default=-1)
    i = 0
    while i < n:
        if i in is_head:
            if is_cover.get(i) and i < last_full:
                i += 1
                continue
            c, stop = _read_block(lines, i)
            w = _read_wrapped_block(lines, i, _with_pages(c) if c is not None else 0)
            if w is not None and (c is None or _with_pages(w) > _with_pages(c)):
                # a 目录 printed as wrapped lines (OCR of a scan) reads more entries
                c = w
            if c is not None:
                return c
            i = max(i + 1, stop)  # lines the failed attempt read are not looked at again
            continue
        i += 1
    return None


def _next_nonblank(lines: list[SourceLine], i: int, limit: int = 8) -> int | None:
    j = i + 1
    n = len(lines)
    while j < n and j <= i + limit:
        if lines[j].text.strip():
            return j
        j += 1
    return None


def _prev_nonblank(lines: list[SourceLine], i: int) -> int | None:
    j = i - 1
    while j >= 0 and not lines[j].text.strip():
        j -= 1
    return j if j >= 0 else None


def _running_text_follows(lines: list[SourceLine], i: int) -> bool:
    k = _next_nonblank(lines, i, limit=3)
    if k is None:
        return False
    t = strip_markup(lines[k].text)
    return len(t) > 60 or ends_sentence(t) or "。" in t


def _author_page_follows(lines: list[SourceLine], i: int) -> bool:
    k = _next_nonblank(lines, i, limit=2)
    if k is None:
        return False
    p = parse_entry(lines[k].text)
    return p is not None and not p[1]


def _read_block(lines: list[SourceLine], h: int) -> tuple[Contents | None, int]:
    """The block under the heading at index ``h`` (None if it has no entry), and the
    index where reading stopped."""
    n = len(lines)
    entries: list[TocEntry] = []
    columns: list[str] = []
    column = ""
    warnings: list[Warning] = []
    pending_noise: list[SourceLine] = []
    last_index = h  # index of the last line that certainly belongs to the block
    prev_blank = False
    column_line: tuple[int, str] | None = None  # (index, column before it) of the last header read
    pending_title: int | None = None  # index of a title waiting for its "/author …… page" line
    columns_header: dict[str, int] | None = None  # cell roles from a table's header row
    i = h + 1

    def entry_ahead(j: int, tolerate: int = 1) -> bool:
        """Is there an entry after index j, skipping noise and up to ``tolerate``
        short header-like lines (a column header over two lines)?"""
        steps = 0
        while steps < 4:
            k = _next_nonblank(lines, j)
            if k is None:
                return False
            t = lines[k].text
            if parse_entry(t) is not None or parse_table_row(t) is not None:
                return True
            if _is_table_noise(t):
                j = k
                steps += 1
                continue
            st = strip_markup(t)
            if not is_noise(st):
                if tolerate <= 0 or not _looks_like_column(st):
                    return False
                tolerate -= 1
            j = k
            steps += 1
        return False

    keys_cache: list[set[str]] = []

    def body_keys() -> set[str]:
        """Keys of every headline-shaped line and adjacent pair after the heading (once)."""
        if not keys_cache:
            found: set[str] = set()
            prev_key = None
            for sl in lines[h + 1 :]:
                t = strip_markup(sl.text)
                if not t:
                    continue
                k = key(t) if title_like(t, 60) else None
                if k:
                    found.add(k)
                    if prev_key:
                        found.add(prev_key + k)
                prev_key = k
            keys_cache.append(found)
        return keys_cache[0]

    def commit(idx: int) -> None:
        nonlocal last_index, pending_noise
        for sl in pending_noise:
            warnings.append(Warning("R202", f"目录: dropped layout noise {strip_markup(sl.text)!r}", sl.number))
        pending_noise = []
        last_index = idx

    def add_titled(title_idx: int, col: str, parsed, idx: int) -> None:
        """An entry whose title stands on line ``title_idx`` and its author + page on line ``idx``."""
        if col not in columns:
            columns.append(col)
        entries.append(TocEntry(title=strip_markup(lines[title_idx].text), page=parsed[0], column=col,
                                author=parsed[2], lines=[lines[title_idx].number, lines[idx].number]))
        commit(idx)

    while i < n:
        raw = lines[i].text
        s = strip_markup(raw)
        if not s:
            prev_blank = True
            i += 1
            continue
        table = "|" in raw  # a header, a row and a separator row each hold one
        header = table_header(raw) if table else None
        if header is not None:
            columns_header = header
        row = parse_table_row(raw, columns_header) if table and header is None else None
        if row is not None:
            page, title, author, row_column = row
            if row_column:
                column = _column_name(row_column)
            parsed = (page, title, author)
        elif header is not None or table and _is_table_noise(raw):
            pending_noise.append(lines[i])
            prev_blank = False
            i += 1
            continue
        else:
            parsed = parse_entry(raw)
        last = entries[-1] if entries else None
        if parsed is None and _looks_like_column(s) and _author_page_follows(lines, i):
            # a title whose author and page are on the next line ("/刘洋 陈思远 …… 13")
            pending_title = i
            commit(i)
        elif parsed is not None and not parsed[1]:
            if pending_title is not None and pending_title == _prev_nonblank(lines, i):
                add_titled(pending_title, column, parsed, i)
                pending_title = None
            elif column_line is not None and column_line[0] == _prev_nonblank(lines, i):
                # author + page under a title line that was read as a column header
                idx, column = column_line
                add_titled(idx, column, parsed, i)
                column_line = None
            else:
                break
        elif parsed is not None:
            page, title, author = parsed
            m = _BRACKET_COLUMN.match(title)
            if m and has_two_han(m.group(2)) and not _CASE_NUMBER.match(m.group(1)):
                # "【卷首语】坚持首位战略 …… 1": the column named on the entry's line
                column, title = collapse_spaces(m.group(1)), m.group(2).strip()
            if column not in columns:
                columns.append(column)
            entries.append(TocEntry(title=title, page=page, column=column, author=author, lines=[lines[i].number]))
            commit(i)
        elif s[0] in "/／" and last is not None and last.author is None and has_two_han(s):
            last.author = collapse_spaces(s[1:])
            last.lines.append(lines[i].number)
            commit(i)
        elif is_noise(s):
            pending_noise.append(lines[i])
        elif last is not None and not prev_blank and last_index == i - 1 and _looks_like_column(s):
            if entry_ahead(i, tolerate=0) and _column_score(s) >= 2:
                # a short header directly under an entry in a compact layout
                column_line = (i, column)
                column = _column_name(s)
            elif last.author is None:
                # a title continued directly under its entry (no blank line between);
                # under the last entry it may instead be the first headline of the
                # body: then the joined title is nowhere in the text and running text
                # follows the line
                if not entry_ahead(i, tolerate=1) and key(last.title + s) not in body_keys() and _running_text_follows(lines, i):
                    break
                last.title = last.title + (" " if _space_between(last.title, s) else "") + s
                last.lines.append(lines[i].number)
            elif parse_people(s) is not None:
                # more names for the author part
                last.author = collapse_spaces(last.author + " " + s)
                last.lines.append(lines[i].number)
            else:
                break
            commit(i)
        elif (
            last is not None
            and last.author is None
            and last_index == _prev_nonblank(lines, i)
            and len(key(s)) > 10
            and _column_score(s) == 0
            and _looks_like_column(s)
            and entry_ahead(i, tolerate=0)
        ):
            # a long line after a blank under an entry, with more entries below: the
            # title continued, not a column (column names are short or carry a
            # separator); never for the last entry, whose next line may be a headline
            last.title = last.title + (" " if _space_between(last.title, s) else "") + s
            last.lines.append(lines[i].number)
            commit(i)
        elif _looks_like_column(s) and entry_ahead(i):
            if column_line is not None and column_line[0] == last_index and (last is None or last.lines[-1] < lines[column_line[0]].number):
                # a header over two lines ("专题聚焦" / "建设县域经济强县"): one column
                column_line = (i, column_line[1])
                column = f"{column} · {_column_name(s)}"
            else:
                column_line = (i, column)
                column = _column_name(s)
            commit(i)
        elif entries and entry_ahead(i, tolerate=0):
            # an unreadable line between entries: layout noise, not the end of the block
            pending_noise.append(lines[i])
        else:
            break
        prev_blank = False
        i += 1

    if not entries:
        return None, i
    # columns that never received an entry are not columns
    return Contents(
        first=lines[h].number,
        last=lines[last_index].number,
        entries=entries,
        columns=[c for c in columns if any(e.column == c for e in entries)],
        warnings=warnings,
    ), i


def _fix_angle(t: str) -> str:
    """``《关于…的决定>`` → ``《…》``: OCR reads 》 as ``>`` (corpus-wild 101)."""
    if "《" in t and ">" in t and t.count("》") < t.count("《"):
        return t.replace(">", "》", t.count("《") - t.count("》"))
    return t


def _column_name(s: str) -> str:
    """``【特别策划】`` → ``特别策划``: brackets around a whole header are decoration."""
    t = collapse_spaces(s)
    m = re.match(r"^[【\[〔「](.+)[】\]〕」]$", t)
    return m.group(1).strip() if m else t


def _space_between(left: str, right: str) -> bool:
    """Join a continued 目录 title with a space only between Latin/digit runs."""
    return bool(left) and bool(right) and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum()


def _with_pages(c: Contents) -> int:
    return sum(1 for e in c.entries if e.page is not None)


def _read_wrapped_block(lines: list[SourceLine], h: int, beat: int = 0) -> Contents | None:
    """The block under the heading at ``h`` read as wrapped print lines (``toc_lines``),
    if that gives more than ``beat`` entries with a page."""
    from .toc_lines import read_wrapped

    got = read_wrapped(lines, h, beat)
    if got is None:
        return None
    found, last, warnings = got
    entries = [
        TocEntry(title=e.title, page=e.page, column=e.column, author=e.author, lines=e.lines, subtitle=e.subtitle, issuer=e.issuer)
        for e in found
    ]
    columns: list[str] = []
    for e in entries:
        if e.column not in columns:
            columns.append(e.column)
    return Contents(first=lines[h].number, last=lines[last].number, entries=entries, columns=columns, warnings=warnings)
