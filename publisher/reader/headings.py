"""Headings and run-in leads: numbering families, their ranks, and the rules that
tell a heading line from a paragraph that merely starts with a number."""
from __future__ import annotations

import functools
import re
from collections import defaultdict

from .. import typography as ty

CN_NUM = "一二三四五六七八九十百零〇两"

# Numbering families, highest rank first (conventional order in Chinese official
# and press writing, GB/T 9704 §7.3.3: 一、 → （一） → 1. → （1）), preceded by
# part heads (第一部分, A / B sections in newspaper features, Roman numerals) and
# bracketed heads (【镜头一】).  The rank only orders families: levels are
# relative, the top family present in an article is level 1.
FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第[{CN_NUM}\d]+(?:部分|篇|章|编|单元)")),
    ("letter", re.compile(r"^[A-H](?:\s+|[、.．]\s*)(?=[^\x00-\x7f])")),
    ("roman", re.compile(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+(?:\s+|[、.．]\s*)")),
    ("bracket", re.compile(r"^【[^】]{1,16}】")),
    # a bare numeral on its own line: the section numbers of essays (一 / 二 / 三)
    ("cn_bare", re.compile(rf"^[{CN_NUM}]{{1,3}}$")),
    ("cn", re.compile(rf"^[{CN_NUM}]{{1,3}}、")),
    ("cn_paren", re.compile(rf"^[（(]\s*[{CN_NUM}]{{1,3}}\s*[）)]")),
    ("arabic", re.compile(r"^\d{1,2}(?:[.．](?!\d)|、)")),
    ("arabic_paren", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
]
# Families recognised only from layout or markup: Markdown headings (unreliable,
# used only when the line is heading-shaped) rank by their '#' count above every
# numbering; unnumbered short standalone lines
# ("plain": 走进豆垅村, ■ 小标题) are placed by position (see assign_levels).
RANK = {name: 10 + k for k, (name, _) in enumerate(FAMILIES)}
RANK.update({f"md{n}": n for n in range(1, 7)})

# Run-in leads (第一，/一是/首先，): never headings, they open a paragraph and get
# an emphasis range when they are a short clause ending in 。.
RUNIN_RE = re.compile(rf"^(?:第[{CN_NUM}]{{1,3}}[，,、是]|[{CN_NUM}]{{1,3}}[是要][^，,]|首先[，,]|其次[，,]|再次[，,]|最后[，,])")
# A lead (numbered or run-in) at the start of a paragraph, on normalised text.
LEAD_START_RE = re.compile(
    rf"^(?:[{CN_NUM}]{{1,3}}、|（[{CN_NUM}]{{1,3}}）|\d{{1,2}}[.．、]|（\d{{1,2}}）|[A-H]\s|"
    rf"第[{CN_NUM}]{{1,3}}[，、是]|[{CN_NUM}]{{1,3}}[是要]|首先，|其次，|再次，|最后，)"
)
# Series leads inside a paragraph: 一是…。二是…。 / 第一，…。第二，…。
SERIES_RE = re.compile(rf"(?:^|(?<=[。！？；：]))(?:([{CN_NUM}]{{1,3}})[是要]|第([{CN_NUM}]{{1,3}})[，、是])")
BRACKET_LEAD_RE = re.compile(r"^【[^】]{1,16}】")
LEAD_MAX = 40  # a lead clause longer than this is a sentence, not a lead
# In a series (一是…二是…) whose lead sentence is long, the lead is its first
# clause up to ，/； when that is at most this long (一是抓实基础产业，…).
SERIES_CLAUSE_MAX = 20
SENTENCE_STOP = "。！？"
# a numbered line ending so is an item of an enumeration, never a heading: ； between
# items, ： before the items it introduces (101's legal texts: 一、…；二、…；三、…：)
CLAUSE_ENDS = "；;：:"

# Symbols newspapers put before a subhead (■ 小标题).
SUBHEAD_MARKERS = ("■",)
# Heading shape: short, at most one sentence.
HEADING_MAX = 40
LONG_HEADING_MAX = 60  # in a heading family, a stop-free member up to this long
PLAIN_HEADING_MAX = 16
PLAIN_HEADING_MAX_LITERARY = 20
# Characters that cannot start a paragraph (clreq §3.1.7 line-start prohibition):
# a line starting with one continues the previous line.
CANNOT_START = set("，。、；：！？）》」』”’〕】…,.;:!?)")
_PUNCT = set("，。！？；：、,.;:!?…/／")


def family(text: str) -> str | None:
    """The numbering family a line starts with (None for run-in leads and text)."""
    for name, rx in FAMILIES:
        if name == "bracket":
            continue  # handled by is_bracket_head (needs the bold ranges)
        if rx.match(text):
            return name
    return None


def body_after_number(text: str) -> str:
    for _, rx in FAMILIES:
        m = rx.match(text)
        if m:
            return text[m.end() :].strip()
    return text


@functools.lru_cache(maxsize=4096)  # bounded: a repeated line is asked again by several passes
def heading_shaped(text: str) -> bool:
    """At most HEADING_MAX characters and no sentence end before the last char."""
    body = body_after_number(text)
    if not body:
        return text != body  # a bare number (一) is a heading by shape
    if len(body) > HEADING_MAX:
        return False
    if body != text and body[-1] in CLAUSE_ENDS:
        return False  # （一）非法买卖外汇二十万美元以上的； : a clause of a list (101)
    inner = body[:-1]
    return not any(c in "。！？；!?;" for c in inner)


def is_bracket_head(it) -> bool:
    """``【镜头一】`` alone, or ``【…】`` + a short title with no punctuation, is a
    heading; ``**【镜头一】**加快…`` (bracket in bold, sentence after) is a run-in lead."""
    m = BRACKET_LEAD_RE.match(it.text)
    if not m:
        return False
    rest = it.text[m.end() :].strip()
    if not rest:
        return True
    return len(rest) <= 20 and not any(c in _PUNCT for c in rest)


def is_runin(text: str) -> bool:
    return bool(RUNIN_RE.match(text)) or bool(BRACKET_LEAD_RE.match(text))


def plain_heading_shaped(text: str, limit: int) -> bool:
    if not (2 <= len(text) <= limit):
        return False
    if text[0] in "（(“\"《" and text[-1] in "）)”\"》":
        return False  # a signature or a quotation
    if any(c in _PUNCT for c in text):
        return False
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= 2


def decide_families(items) -> None:
    """Per numbering family: heading family or paragraph-lead family.

    A member votes "heading" when it is heading-shaped and what follows it is not
    the next member of the same family (list items follow each other; a heading is
    followed by its section's text).  Families with at least half heading votes
    are heading families (more than half the votes); their heading-shaped
    members become headings."""
    # what the votes read, once per item (a vote reads only members of its own family,
    # whose classes change after all their votes are cast)
    fams = [it.family if it.cls == "numbered" else None for it in items]  # a member's family, else None
    if not any(fams):
        return  # no numbered line: nothing to decide
    texts = [it.text for it in items]
    members: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(fams):
        if f:
            members[f].append(i)
    n = len(items)
    shaped: dict[str, bool] = {}  # text → heading_shaped (a member's text recurs in a long list)
    long_head: dict[str, bool] = {}
    for fam, idxs in members.items():
        votes = []
        for i in idxs:
            t = texts[i]
            v = shaped.get(t)
            if v is None:
                v = shaped[t] = heading_shaped(t)
            if v and i + 1 < n:
                # the last item of an enumeration (…；（二）…的。) closes the list it is in
                in_list = i > 0 and fams[i - 1] == fam and texts[i - 1][-1:] in CLAUSE_ENDS
                followed_by_sibling = fams[i + 1] == fam
                v = not in_list and not (followed_by_sibling and t[-1:] in SENTENCE_STOP)
            else:
                v = False
            votes.append(v)
        if fam == "bracket" or sum(votes) * 2 > len(votes):
            for i, v in zip(idxs, votes):
                t = texts[i]
                # in a heading family a longer member with no stop at all is a
                # heading too (not a paragraph to be continued by the next line)
                lh = long_head.get(t)
                if lh is None:
                    lh = long_head[t] = len(t) <= LONG_HEADING_MAX and not any(c in "。！？；!?;：:" for c in t)
                if v or lh and i + 1 < n:
                    items[i].cls = "heading"


def assign_levels(items) -> dict[str, int]:
    """Relative levels: the heading families present, ordered by RANK, get 1, 2, …

    Unnumbered headings ("plain": 走进豆垅村, ■ 园区建设) have no rank of their
    own: they sit above every numbered family when the first of them comes before
    any numbered heading, else just below the family of the heading before it."""
    order: list[str] = []
    first_plain_after: str | None = None
    seen_plain = False
    last_fam: str | None = None
    for it in items:
        if it.cls != "heading":
            continue
        fam = it.family or "plain"
        if fam == "plain":
            if not seen_plain:
                seen_plain = True
                first_plain_after = last_fam
        else:
            if fam not in order:
                order.append(fam)
            last_fam = fam
    if not order and not seen_plain:
        return {}  # no heading
    fams = sorted(order, key=lambda f: RANK.get(f, 50))
    if seen_plain:
        if first_plain_after is None:
            fams.insert(0, "plain")
        else:
            fams.insert(fams.index(first_plain_after) + 1, "plain")
    return {f: k + 1 for k, f in enumerate(fams)}


# A numbered part head printed as the bare number alone on its line, its title on
# the next line (1 / 以制造业兴县带动产业发展): told from a page number by the
# sequence 1, 2, 3… and by a heading-shaped line between closed text and body text.
PART_NUMBER_RE = re.compile(r"^[#*\s]*(\d{1,2})[*\s]*$")
PART_TITLE_MAX = 30
PART_MIN = 2
# Each part is its number, its title and a longer line after it (three distinct lines:
# a bare number is never a title or the line after one), and a closed line stands
# before the first: fewer lines than this hold no PART_MIN parts.
PART_LINES_MIN = 1 + 3 * PART_MIN


# A line that can be a bare part number once stripped (digits among only #, *, ■ and
# white space): the few lines ``part_numbers`` reads, found by one search of the text.
_PART_LINE_RE = re.compile(r"^(?:[#*■]|[^\S\n])*\d{1,2}(?:[#*■]|[^\S\n])*$", re.MULTILINE)


def part_numbers(lines) -> set[int]:
    """Line numbers of bare part numbers (``SourceLine`` s; linear: the lines shaped
    like one are found by one search, and only they and their neighbours are read)."""
    if len(lines) < PART_LINES_MIN:
        return set()  # too few lines to hold PART_MIN parts

    def bare(j: int) -> str:
        return lines[j].text.strip().strip("#*■ \u3000").strip()

    joined = "\n".join([sl.text for sl in lines])
    rows: list[int] = []  # indexes of the lines shaped like a part number
    if joined.count("\n") == len(lines) - 1:
        row = pos = 0
        for m in _PART_LINE_RE.finditer(joined):
            row += joined.count("\n", pos, m.start())
            pos = m.start()
            rows.append(row)
    else:  # a line holding a line break (never from split_lines): each line read alone
        rows = [j for j in range(len(lines)) if PART_NUMBER_RE.match(bare(j))]
    if len(rows) < PART_MIN:
        return set()

    out: list[int] = []
    expect = 1
    for j in rows:
        m = PART_NUMBER_RE.match(bare(j))
        if not m or int(m.group(1)) != expect:
            continue
        near: list[str] = []  # the non-blank line before, then the two after
        i = j - 1
        while i >= 0 and not (t := bare(i)):
            i -= 1
        if i < 0:
            continue  # the first line
        near.append(t)
        i = j + 1
        while i < len(lines) and len(near) < 3:
            if t := bare(i):
                near.append(t)
            i += 1
        if len(near) < 3:
            continue  # no title and text after it
        before, title, after = near
        if not ty.is_closed(before) or PART_NUMBER_RE.match(title):
            continue
        if not (2 <= len(title) <= PART_TITLE_MAX) or any(c in "。！？；!?;" for c in title[:-1]):
            continue
        if title[-1] in "，、：:,;；" or len(after) <= len(title):
            continue
        out.append(lines[j].number)
        expect += 1
    return set(out) if len(out) >= PART_MIN else set()


# A bracketed label alone on its line above a heading (【动能一】：): the heading's label.
LABEL_ONLY_RE = re.compile(r"^【[^】]{1,16}】\s*[：:]?$")
LABELLED_HEADING_MAX = 30


def mark_labels(items) -> None:
    """``【动能一】：`` / ``以制造业兴县带动产业发展`` / text: the label and the heading
    it stands above are one heading (the label item gets cls ``heading_label``)."""
    n = len(items)
    for i in range(n - 2):
        it = items[i]
        if not it.text.startswith("【") or it.cls not in ("text", "numbered", "lead", "heading") or not LABEL_ONLY_RE.match(it.text):
            continue  # (a label opens with 【: the one test most lines need)
        nxt, after = items[i + 1], items[i + 2]
        if nxt.cls not in ("text", "heading") or nxt.in_verse or not plain_heading_shaped(nxt.text, LABELLED_HEADING_MAX):
            continue
        if after.cls not in ("text", "lead", "numbered") or len(after.text) <= len(nxt.text):
            continue
        it.cls, it.family = "heading_label", None
        nxt.cls, nxt.family = "heading", "bracket"


def joins_heading(it, nxt, after) -> bool:
    """A heading broken over two lines: the second part is short, has no sentence
    punctuation, is not a structure of its own, and body text follows it."""
    if not (nxt.cls == "text" or nxt.cls == "heading" and nxt.family == "plain" and not nxt.marker):
        return False  # (first: in a run of numbered headings, the one test each needs)
    if it.text[-1:] in _PUNCT and it.text[-1:] not in "，、":
        return False
    if nxt.in_verse or nxt.gap > 1:
        return False
    t = nxt.text
    if len(t) > 20 or any(c in "。！？；：!?;:" for c in t):
        return False
    if len(it.text) + len(t) > HEADING_MAX + 10:
        return False
    if after is not None and after.cls == "text" and len(after.text) <= 20 and not after.in_verse:
        return False  # a run of short lines: not a broken heading
    return True


def lead_ranges(text: str) -> list[tuple[int, int]]:
    """Emphasis for run-in leads on normalised paragraph text.

    * a numbered or run-in lead at the start (一、… / （一）… / 1. … / 第一，… /
      一是…) up to its first 。！？ when that clause is at most LEAD_MAX characters
      and the paragraph goes on after it;
    * a bracket lead 【镜头一】 (the brackets and their content);
    * series leads inside the paragraph (…。二是…。 三是…。) when the series
      starts with 一 / 第一 in the same paragraph."""
    out: list[tuple[int, int]] = []
    if not _LEAD_CHARS.search(text):
        return out  # no character any lead or series member starts with
    series = list(SERIES_RE.finditer(text))
    in_series = len(series) >= 2 and any((m.group(1) or m.group(2)) == "一" for m in series)
    # members of a series end at ；too (一是…；二是…；三是…。)
    stops = SENTENCE_STOP + "；" if in_series else SENTENCE_STOP
    m = BRACKET_LEAD_RE.match(text)
    if m and m.end() < len(text):
        out.append((0, m.end()))
    elif LEAD_START_RE.match(text):
        end = _clause_end(text, 0, stops=stops if series and series[0].start() == 0 else SENTENCE_STOP)
        if end is None and RUNIN_RE.match(text):
            end = _clause_end(text, 0, stops="，；", limit=SERIES_CLAUSE_MAX)
        if end is not None and end < len(text):
            out.append((0, end))
    if in_series:
        first = series[0]
        if not out and first.start() > 0 and (first.group(1) or first.group(2)) == "一":
            # a short opening sentence that introduces the series is its section
            # lead: 抱起“产业兴旺”之石，筑牢“农业强县”之基。一是…二是…
            end = _clause_end(text, 0)
            if end == first.start():
                out.append((0, end))
        for m in series:
            if m.start() == 0 and out:
                continue  # handled above
            end = _clause_end(text, m.start(), stops=stops)
            if end is None:
                end = _clause_end(text, m.start(), stops="，；", limit=SERIES_CLAUSE_MAX)
            if end is not None and end < len(text):
                out.append((m.start(), end))
    return out


# Every character a lead (LEAD_START_RE, RUNIN_RE, BRACKET_LEAD_RE) or a series member
# (SERIES_RE) can start with: a text holding none has no lead.
_LEAD_CHARS = re.compile(rf"[{CN_NUM}（\dA-H第首其再最【]")


def _clause_end(text: str, start: int, stops: str = SENTENCE_STOP, limit: int = LEAD_MAX) -> int | None:
    """Index after the first stop from ``start`` if within ``limit`` characters."""
    stop = min(len(text), start + limit + 1)
    for k in range(start, stop):
        if text[k] in stops:
            # keep a closing quote that follows the stop inside the lead
            k2 = k + 1
            while k2 < len(text) and text[k2] in "”’）":
                k2 += 1
            return k2
    return None
