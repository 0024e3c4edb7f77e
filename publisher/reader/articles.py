"""Split the body of an issue into articles anchored on the 目录 entries.

Anchoring works on *candidate* lines only: lines shaped like a headline (short,
Han text, not ending like a sentence; see ``shape.title_like``), outside the 目录
block.  Matching is linear:

1. exact pass: a hash from the comparison key (Han/letters/digits only) of every
   candidate line, and of every pair of adjacent candidate lines (a two-line title:
   引题 + 主题, or a headline broken over two lines), to its positions; each entry
   takes the first position after the previous anchor (entries are in reading
   order, so anchors only move forward);
2. fuzzy pass for entries left over: only candidates between the neighbouring
   anchors, at most ``FUZZY_WINDOW`` of them, scored by bigram similarity (the body
   may change a word: 清廉/勤廉).  Every fuzzy match gets a warning with its score.

The 卷首语 may stand before the 目录 block: the body is the input minus the block,
so the first entry simply anchors there.  An article never runs across the 目录
block; text that belongs to no article is reported line by line.

Then: 2b. entries still unmatched are looked up (exact key) anywhere not used, for a
body printed out of 目录 order; 3. drafts (spans) in body order, a kicker above a
one-line match joins its title, text before the block is a leading article;
3b. inside each span, a headline followed by a byline with a role or organisation,
after running text, starts an article the 目录 does not list.

Warning codes (stable):

R201  title matched below certainty (fuzzy), with the score
R203  目录 entry not found in the body; the article is kept with its page, empty
R205  a line outside every article (before the first one, or between the 目录
      block and the next article): dropped
R206  text before the 目录 block that no entry matches: kept as an unlisted article
      (or, untitled while the first entry is found nowhere, read as that entry)
R207  no headline found: a title was made from the first words
R208  an article has no body text
R209  an article the 目录 does not list (headline + byline with a role or an
      organisation, after running text): split off and kept, without a page
R210  a 目录 entry found in the body out of 目录 order (kept in 目录 order)
R211  text after the 目录 block before the first matched article (or with no match at
      all): kept as one unlisted article
R212  the column's name printed again above an article's headline: dropped
R214  fail soft: far more unlisted articles than 目录 entries would be split off;
      none is, the listed articles keep their text (one warning, with the figures)
R215  the last entries of the 目录 are not in a body that ends inside the article
      before them (a part of an issue): they are not kept as articles
R216  fail soft: most 目录 entries found nowhere in the body (the figures)
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from itertools import islice

from .. import typography as ty
from ..model import Article, Author, Warning
from . import bylines, newspaper
from .blocks import build_blocks
from .contents import Contents, TocEntry
from .fuzzy import build_index
from .lines import SourceLine
from .shape import Bigrams, collapse_spaces, ends_sentence, key, similarity, strip_markup, title_like

FUZZY_WINDOW = 400  # candidates looked at per unmatched entry (keeps matching linear)
FUZZY_ACCEPT = 0.6  # lowest similarity accepted as a match
MAX_UNLISTED_SPLITS = 3  # more unlisted articles than this and than 目录 entries: implausible (R214)
MIN_TAIL_BEYOND = 2  # trailing entries missing from a text that ends inside the last article (R215)
MIN_ENTRIES_PLAUSIBLE = 4  # a 目录 this long with most entries missing is doubtful (R216)
PARAGRAPH_MIN = 20  # a line before the 目录 this long with a 。 is running text (a 卷首语)
TITLE_MAX = 60  # longest line (characters) taken as a possible headline
VERSE_LINE_MAX = 16  # a poem's line is short: 7-character classical lines, free verse

# A 引题 (kicker) above the title names an issuing body and ends with the issuing
# verb: "中共中央办公厅印发" above "关于在全党大兴调查研究的工作方案".
KICKER_ENDINGS = ("印发", "发布", "颁布", "出台", "公布", "转发", "通知", "批复", "联合印发", "召开", "举行", "发出")
# A title that is a document name starts like this; a short line above it is a kicker.
DOCUMENT_TITLE_STARTS = ("关于",)
# Subtitle lines: "——乡村调研杂记", "—— 写在…", "--副题".
_SUBTITLE = re.compile(r"^(?:——|—|－－|--|──|－|―)\s*(?=\S)")

_DASH_SPLIT = re.compile(r"(?:(?<!\s)\s++)?(?:——|—|--)\s*")  # white space from its run's start: linear

# Article kinds.  Each table names the case that motivates it.
EDITORIAL_COLUMN_HINTS = ("卷首", "编者按", "开卷", "刊首", "社论", "本刊评论",  # 卷首语
                          "发刊词", "创刊词", "复刊词")  # corpus-wild 101: the 发刊词 column opening issue 1
# A piece titled by its genre is the editors' own: 101's 发刊词 (in a column of that name).
EDITORIAL_TITLES = frozenset(("发刊词", "创刊词", "复刊词", "卷首语", "刊首语", "编者按", "编者的话", "致读者"))
LITERARY_COLUMN_HINTS = ("文艺", "文苑", "副刊", "印象", "散文", "诗", "文学", "随笔", "风物", "书香")  # 洙水文艺, 帅乡印象
SPEECH_TITLE_WORDS = ("讲话", "致辞", "发言", "演讲", "讲稿", "报告会上")  # 在……动员大会上的讲话
REPORT_TITLE_WORDS = ("调研报告", "调查报告", "考察报告", "工作报告", "调研记", "综述")  # 关于……的调研报告 (not bare 报告: 二十大报告)
REPORTER_ROLES = ("记者", "通讯员")  # newspaper feature: 文 / 衡阳日报全媒体记者 唐 翔
# A salutation line opening a speech: "同志们：", "各位企业家、同志们：", "尊敬的各位来宾：".
_SALUTATION = re.compile(r"^(?:尊敬的|各位|亲爱的)?.{0,24}(?:们|来宾|代表|同志|朋友|嘉宾)[：:]$|^(?:尊敬的|各位).{1,24}[：:]$")


@dataclass
class Match:
    entry: TocEntry | None
    title_idx: list[int]  # indexes (into the line list) of the title line(s)
    score: float = 1.0


@dataclass(slots=True)  # one per article: made, read and changed thousands of times in a long issue
class Draft:
    """An article before blocks are built."""

    entry: TocEntry | None
    column: str
    start: int  # index of the first line (kicker or title)
    end: int  # index after the last line
    title_idx: list[int]
    score: float = 1.0
    unlisted: bool = False
    before_contents: bool = False
    warnings: list[Warning] = field(default_factory=list)


def _stripped(lines: list[SourceLine]) -> list[str]:
    return [strip_markup(sl.text) for sl in lines]


def read_articles(lines: list[SourceLine], contents: Contents) -> tuple[list[tuple[str, Article]], list[Warning]]:
    """(column name, article) pairs in reading order, and the warnings."""
    text = _stripped(lines)
    n = len(lines)
    first_no, last_no = contents.first, contents.last
    in_toc = [first_no <= sl.number <= last_no for sl in lines]  # contents.covers, asked of every line
    toc_start = in_toc.index(True)
    toc_end = n - in_toc[::-1].index(True)  # after the last line in the block

    # candidates: title-shaped lines outside the block, in order
    cands = [i for i, (t, toc) in enumerate(zip(text, in_toc)) if t and not toc and title_like(t, TITLE_MAX)]
    ckeys = {i: match_key(text[i]) for i in cands}
    is_cand = set(cands)
    nxt: dict[int, int] = {}  # candidate → next non-blank line if it is an adjacent candidate
    single_pos: dict[str, list[int]] = {}
    pair_pos: dict[str, list[int]] = {}
    for i in cands:
        ki = ckeys[i]
        single_pos.setdefault(ki, []).append(i)
        j = i + 1
        while j < n and not text[j] and not in_toc[j]:
            j += 1
        if j - i <= 3 and j in is_cand:  # (a candidate is a line outside the block)
            nxt[i] = j
            pair_pos.setdefault(ki + ckeys[j], []).append(i)

    warnings: list[Warning] = []
    entries = contents.entries
    matches: list[Match | None] = [None] * len(entries)

    # 1. exact pass
    prev = -1
    tables = ((single_pos, False), (pair_pos, True))
    for k, e in enumerate(entries):
        best: tuple[int, list[int]] | None = None
        for ek in _entry_keys(e):
            for table, is_pair in tables:
                pos = table.get(ek)
                if not pos:
                    continue
                p = bisect.bisect_right(pos, prev)
                if p < len(pos):
                    i = pos[p]
                    if best is None or i < best[0]:
                        best = (i, [i, nxt[i]] if is_pair else [i])
        if best is not None:
            matches[k] = Match(e, best[1], 1.0)
            prev = best[1][-1]

    # 2. fuzzy pass between anchors; only candidates sharing a bigram can score (fuzzy.py)
    grams = None  # built when the first entry is left over (every entry exact: never)
    next_anchor = [n] * (len(entries) + 1)  # first exact anchor after entry k
    for k in range(len(entries) - 1, -1, -1):
        mk = matches[k]
        next_anchor[k] = mk.title_idx[0] if mk is not None else next_anchor[k + 1]
    prev = -1
    for k, e in enumerate(entries):
        m = matches[k]
        if m is not None:
            prev = m.title_idx[-1]
            continue
        nxt_anchor = next_anchor[k + 1]
        ek = match_key(e.title)
        eks = _entry_keys(e)  # eks[0] is ek
        bgs = [Bigrams(x) for x in eks]  # each key's bigrams counted once for all its candidates
        start = bisect.bisect_right(cands, prev)
        best_score, best_idx = 0.0, None
        if grams is None:
            grams = build_index([ckeys[i] for i in cands], {o: ckeys[i] + ckeys[nxt[i]] for o, i in enumerate(cands) if i in nxt})
        for o in grams.query(ek, start, start + FUZZY_WINDOW):
            c = cands[o]
            if c >= nxt_anchor:
                break
            options = [[c]]
            if c in nxt and nxt[c] < nxt_anchor and _score(ek, ckeys[nxt[c]], bgs[0]) < FUZZY_ACCEPT:
                # a pair only where its second line alone is no match (a stray line
                # such as "此复" above a fused title must not join it)
                options.append([c, nxt[c]])
            for idx in options:
                ck = "".join(ckeys[i] for i in idx)
                s = max(_score(x, ck, b) for x, b in zip(eks, bgs))  # the title, or fused with its subtitle / issuer
                if s > best_score + 1e-9:
                    best_score, best_idx = s, idx
        if best_idx is not None and best_score >= FUZZY_ACCEPT:
            matches[k] = Match(e, best_idx, best_score)
            prev = best_idx[-1]
            shown = "".join(text[i] for i in best_idx)
            warnings.append(
                Warning(
                    "R201",
                    f"目录 title {e.title!r} matched body title {shown!r} with similarity {best_score:.2f}",
                    lines[best_idx[0]].number,
                )
            )

    # 2b. an entry the body prints out of 目录 order: exact key anywhere still unused
    used = {i for m in matches if m is not None for i in m.title_idx}
    for k, e in enumerate(entries):
        if matches[k] is not None:
            continue
        ek = match_key(e.title)
        for table, is_pair in ((single_pos, False), (pair_pos, True)):
            pos = next((i for i in table.get(ek, [])[:8] if i not in used and (not is_pair or nxt[i] not in used)), None)
            if pos is not None:
                idx = [pos, nxt[pos]] if is_pair else [pos]
                matches[k] = Match(e, idx, 1.0)
                used.update(idx)
                warnings.append(Warning("R210", f"目录 entry {e.title!r} found out of 目录 order in the body", lines[pos].number))
                break

    # 3. drafts: each matched entry starts an article (spans follow the body order)
    drafts: list[Draft] = []
    for k, e in enumerate(entries):
        m = matches[k]
        if m is None:
            continue
        drafts.append(Draft(entry=e, column=e.column, start=m.title_idx[0], end=n, title_idx=list(m.title_idx), score=m.score))
    drafts.sort(key=lambda d: d.start)
    # kicker above a one-line match (引题 + 主题 where the 目录 lists only the 主题)
    # and the column's name printed again above the headline (a page-top column head)
    column_keys = {key(c) for c in contents.columns if key(c)}

    def above(i: int, floor: int) -> int | None:
        p = i - 1
        while p > floor and not text[p] and not in_toc[p]:
            p -= 1
        return p if p > floor and not in_toc[p] and text[p] else None

    floor = -1
    for d in drafts:
        p = above(d.start, floor)
        if len(d.title_idx) == 1:
            if p is not None and p in is_cand and key(text[p]) not in column_keys and _is_kicker(text[p], text[d.start]):
                d.start = p
                d.title_idx = [p] + d.title_idx
                p = above(p, floor)  # (else the line above is the one just looked at)
        if p is not None and column_keys and key(text[p]) in column_keys:
            d.start = p
            warnings.append(Warning("R212", f"column name {text[p]!r} repeated above the headline: dropped", lines[p].number))
        floor = d.title_idx[-1]
    for a, b in zip(drafts, drafts[1:]):
        a.end = b.start
    # an article never runs across the 目录 block
    orphans: list[int] = []
    for d in drafts:
        if d.start < toc_start:
            d.before_contents = True
            d.end = min(d.end, toc_start)
    first = drafts[0].start if drafts else n
    front = [i for i in range(0, min(first, toc_start)) if lines[i].text.strip()]
    # text after the block up to the first article that starts after it
    resume = next((d.start for d in drafts if d.start >= toc_end), n)
    after_toc = [i for i in range(toc_end, resume) if lines[i].text.strip()]
    if front and _has_paragraph(text, front):
        # text before the 目录 that no entry claims: an unlisted leading article (a 卷首语)
        start = front[0]
        end = min(first, toc_start)
        first_text = next((i for i in front if text[i]), start)
        title_idx = [first_text] if title_like(text[first_text], TITLE_MAX) else []
        if entries and matches[0] is None and not title_idx:
            # an untitled opening text and a first entry found nowhere: they are one
            # article (a 卷首语 printed without its headline); the 目录 gives the title
            d0 = Draft(entry=entries[0], column=entries[0].column, start=start, end=end, title_idx=[], before_contents=True)
            drafts.insert(0, d0)
            warnings.append(Warning("R206", f"untitled text before the 目录 block read as the first entry {entries[0].title!r}", lines[start].number))
        else:
            drafts.insert(
                0, Draft(entry=None, column="", start=start, end=end, title_idx=title_idx, unlisted=True, before_contents=True)
            )
            warnings.append(Warning("R206", "text before the 目录 block matches no entry: kept as an unlisted leading article", lines[start].number))
    else:
        orphans.extend(front)
    if after_toc and _has_running_text(text, after_toc):
        # running text after the 目录 that no entry claims (none matches at all, or the
        # first match comes later): one unlisted article rather than dropped lines
        start = after_toc[0]
        first_text = next((i for i in after_toc if text[i]), start)
        title_idx = [first_text] if title_like(text[first_text], TITLE_MAX) else []
        drafts.append(Draft(entry=None, column="", start=start, end=resume, title_idx=title_idx, unlisted=True))
        warnings.append(Warning("R211", "text after the 目录 block that no entry matches: read as an unlisted article", lines[start].number))
    else:
        orphans.extend(after_toc)
    for i in sorted(set(orphans)):
        if lines[i].text.strip() and not in_toc[i]:
            shown = _clip(text[i] or lines[i].text.strip())
            warnings.append(Warning("R205", f"line outside every article dropped: {shown!r}", lines[i].number))

    # 3b. articles the 目录 does not list: a headline with a byline naming a role or
    # an organisation, after running text, inside a matched article
    children: dict[int, list[Draft]] = {}
    splits = [(d, found) for d in drafts if not d.unlisted and (found := _unlisted_in(text, in_toc, is_cand, d, cands))]
    # a listed newspaper page: stories signed by reporters under its unsigned headline are its sections
    splits = [(d, f) for d, f in splits if not newspaper.stories_under_unsigned_head(text, d.title_idx, f)]
    n_split = sum(len(f) for _, f in splits)
    if n_split > max(MAX_UNLISTED_SPLITS, len(entries)):
        # fail soft: far more unlisted articles than 目录 entries is a misreading (each
        # "一、基本案情" taken for a headline); the listed articles keep their text
        warnings.append(Warning(
            "R214",
            f"{n_split} unlisted articles would be split off inside {len(splits)} listed ones for {len(entries)} 目录 entries: "
            "implausible, kept inside the listed articles (check the headings there)",
            lines[splits[0][1][0][0]].number,
        ))
        splits = []
    for d, found in splits:
        kids = []
        for start, end in found:
            kids.append(Draft(entry=None, column=d.column, start=start, end=end, title_idx=[start], unlisted=True))
            warnings.append(Warning("R209", f"article {_clip(text[start])!r} is not in the 目录: split at its headline and byline", lines[start].number))
        d.end = found[0][0]
        children[id(d)] = kids

    # entries after the last one found, none of them in the body, while the last
    # article runs to the end of the input: the text ends before them (a part of an
    # issue, corpus-wild 101); they are not articles of this text
    found_k = [k for k in range(len(entries)) if matches[k] is not None]
    beyond: set[int] = set()
    if found_k:
        tail = list(range(found_k[-1] + 1, len(entries)))
        last_d = max((d for d in drafts if d.entry is not None), key=lambda d: d.start, default=None)
        if len(tail) >= MIN_TAIL_BEYOND and last_d is not None and last_d.end >= n and last_d.start >= toc_end:
            beyond = set(tail)
            pages = [entries[k].page for k in tail if entries[k].page is not None]
            span = f" (pages {min(pages)}–{max(pages)})" if pages else ""
            warnings.append(Warning(
                "R215",
                f"the last {len(tail)} 目录 entries{span} are not in the body, which ends inside the article before them: "
                "the text seems to be a part of the issue; they are not kept as articles",
                entries[tail[0]].lines[0] if entries[tail[0]].lines else None,
            ))
    # fail soft: most entries found nowhere (and not explained by a cut-off text)
    missing = [k for k in range(len(entries)) if matches[k] is None and k not in beyond]
    if len(entries) >= MIN_ENTRIES_PLAUSIBLE and len(missing) > len(entries) / 2:
        figures = (
            f"only {len(found_k)} of {len(entries)} 目录 entries were found in the body ({len(missing)} missing): "
            "the 目录 may not belong to this text or its titles differ; "
        )
        bare, bare_warnings = _read_without_contents(lines, in_toc)
        if len(bare) >= len(found_k):
            # the safer reading: the text as if it had no 目录 (headlines, bylines), the
            # 目录 block itself still accounted for; the 目录 reading's warnings go with it
            return [("", a) for a in bare], [Warning(
                "R216",
                figures + f"read without it instead, as an input without 目录: {len(bare)} article(s), "
                + (f"the found entries anchor {len(found_k)}" if found_k else "no entry anchors one"),
                contents.first,
            )] + bare_warnings
        warnings.append(Warning(
            "R216",
            figures + f"the found ones anchor articles ({len(found_k)}; read without the 目录 the text gives only "
            f"{len(bare)}), the missing ones are kept without text",
            contents.first,
        ))

    # 4. build the articles, in 目录 order (entries not found keep their place)
    out: list[tuple[str, Article]] = []
    by_entry = {id(d.entry): d for d in drafts if d.entry is not None}
    # an unlisted article (before or after the 目录 block) follows the listed article
    # that precedes it in the body, or opens the issue if none does
    listed = sorted((d for d in drafts if d.entry is not None), key=lambda d: d.start)
    starts = [d.start for d in listed]
    lead: list[Draft] = []
    for d in sorted((d for d in drafts if d.unlisted), key=lambda d: d.start):
        p = bisect.bisect_left(starts, d.start) - 1
        if p < 0:
            lead.append(d)
        else:
            children.setdefault(id(listed[p]), []).append(d)
    for d in lead:
        art, w = build_article(lines, d, toc_title=None, toc_authors=[], stripped=text)
        if d.before_contents:
            art.kind = "editorial"
        out.append((d.column, art))
        warnings.extend(w)
    for k, e in enumerate(entries):
        d = by_entry.get(id(e))
        if d is None and k in beyond:
            continue
        if d is None:
            art = Article(
                title=ty.normalise_title(e.title),
                page=e.page,
                authors=bylines.toc_authors(e.author) if e.author else [],
                kind=article_kind(e.column, e.title, [], False),
            )
            warnings.append(Warning("R203", f"目录 entry {e.title!r} (page {e.page}) not found in the body: kept without text", e.lines[0]))
            out.append((e.column, art))
            continue
        art, w = build_article(lines, d, toc_title=e.title, toc_authors=bylines.toc_authors(e.author) if e.author else [], stripped=text)
        art.page = e.page
        out.append((e.column, art))
        warnings.extend(w)
        kids = children.get(id(d))
        for kid in sorted(kids, key=_start) if kids else ():
            art, w = build_article(lines, kid, toc_title=None, toc_authors=[], stripped=text)
            if kid.before_contents:
                art.kind = "editorial"
            out.append((kid.column or d.column, art))  # an unnamed one joins the column it follows
            warnings.extend(w)
    return out, warnings


def _start(d: Draft) -> int:
    return d.start


def _read_without_contents(lines: list[SourceLine], in_toc: list[bool]) -> tuple[list[Article], list[Warning]]:
    """The text read as an input without 目录 (reader.single), the 目录 block blanked out."""
    from .single import read_single  # reader.single builds on this module

    return read_single([SourceLine(sl.number, "") if in_toc[i] else sl for i, sl in enumerate(lines)])


def _unlisted_in(
    text: list[str], in_toc: list[bool], is_cand: set[int], d: Draft, cands: list[int] | None = None
) -> list[tuple[int, int]]:
    """(start, end) of unlisted articles inside draft ``d``, in order; one linear pass.
    ``cands``: the members of ``is_cand`` in order, if known."""
    starts: list[int] = []
    seen_running = False
    i = (d.title_idx[-1] + 1) if d.title_idx else d.start
    if cands is not None:
        # every unlisted article starts at a candidate: none inside the draft, none to find
        # (an article of one paragraph: the next candidate is the next article's headline)
        c = bisect.bisect_left(cands, i)
        if c == len(cands) or cands[c] >= d.end:
            return []
    while i < d.end:
        t = text[i]
        if not t or in_toc[i]:
            i += 1
            continue
        if seen_running and i in is_cand and not ends_sentence(t) and not _SUBTITLE.match(t):
            j = _next_text(text, i, d.end)
            if j is not None and _SUBTITLE.match(text[j]):
                j = _next_text(text, j, d.end)
            if j is not None and _role_byline(text[j]):
                starts.append(i)
                seen_running = False
                i = j + 1
                continue
        if len(t) > TITLE_MAX or ends_sentence(t):
            seen_running = True
        i += 1
    return [(st, starts[k + 1] if k + 1 < len(starts) else d.end) for k, st in enumerate(starts)]


def _next_text(text: list[str], i: int, end: int, limit: int = 3) -> int | None:
    j = i + 1
    while j < end and j <= i + limit:
        if text[j]:
            return j
        j += 1
    return None


def _role_byline(t: str) -> bool:
    """A byline that names a role or an organisation (bare names are too ambiguous)."""
    people = bylines.parse_byline(t)
    return bool(people) and any(p.role for p in people) or (people is not None and len(people) == 1 and bylines.is_org(people[0].name))


_T2S: list = []


@functools.lru_cache(maxsize=32768)  # bounded, yet holds a 10,000-entry 目录 and its body lines: the same title is keyed by several passes
def match_key(text: str) -> str:
    """``key`` in simplified forms: a body printed in traditional forms (傑 販 決 於,
    corpus-wild 101) matches a 目录 printed in simplified ones.  Only for comparing;
    the text keeps what was printed."""
    k = key(text)
    if not k or k.isascii():
        return k
    if not _T2S:
        try:
            import opencc

            _T2S.append(opencc.OpenCC("t2s").convert)
        except Exception:  # no converter: compare as printed
            _T2S.append(lambda x: x)
    return _T2S[0](k)


def _entry_keys(e: TocEntry) -> list[str]:
    """Keys a 目录 entry may appear under: its title whole, without a ``——subtitle``
    part the body may print elsewhere or not at all, and fused on one line with the
    subtitle or the issuing body the 目录 prints apart (``# 朱奕骥投机倒把案承包经理…``,
    ``# 最高人民法院关于…的解释``: corpus-wild 101)."""
    title = e.title
    keys = [match_key(title)]
    main = _DASH_SPLIT.split(title, maxsplit=1)[0] if "—" in title or "--" in title else title
    if main != title and len(key(main)) >= 2:
        keys.append(match_key(main))
    if not (e.subtitle or e.issuer):
        return keys  # (most entries: nothing printed apart to fuse)
    sub = match_key(e.subtitle) if e.subtitle else ""
    issuer = match_key(e.issuer) if e.issuer else ""
    for extra in ((keys[0] + sub) if sub else "", (issuer + keys[0]) if issuer else "", (issuer + keys[0] + sub) if issuer and sub else ""):
        if extra:
            keys.append(extra)
    return keys


FUSED_WINDOW_ACCEPT = 0.7  # a fused line's title part with a glyph lost (OCR) still splits
FUSED_MIN = 8  # shortest entry key accepted as the tail of a longer body line


def _score(entry_key: str, cand_key: str, bigrams: Bigrams | None = None) -> float:
    """``bigrams``: ``Bigrams(entry_key)``, when the caller scores the entry many times."""
    s = bigrams.similarity(cand_key) if bigrams is not None else similarity(entry_key, cand_key)
    short, long_ = sorted((entry_key, cand_key), key=len)
    if short and short in long_ and len(short) >= 0.6 * len(long_):
        s = max(s, 0.85)  # one is the other plus a kicker or a subtitle
    elif len(entry_key) >= FUSED_MIN and (cand_key.endswith(entry_key) or cand_key.startswith(entry_key)):
        # the body prints the title fused with an issuing body before it or a
        # subtitle after it (corpus-wild 101: "最高人民法院　最高人民检察院关於…的通知")
        s = max(s, 0.8)
    return s


def _is_kicker(above: str, title: str) -> bool:
    if len(above) > 30 or ends_sentence(above) or _SUBTITLE.match(above):
        return False
    if bylines.parse_byline(above) is not None or bylines.is_credits(above):
        return False
    if collapse_spaces(above).endswith("——"):
        return True  # 长假7天—— : a kicker that runs on into the title
    a = collapse_spaces(above).rstrip("：:—- ")
    return a.endswith(KICKER_ENDINGS) or collapse_spaces(title).startswith(DOCUMENT_TITLE_STARTS)


def _has_paragraph(text: list[str], idx: list[int]) -> bool:
    """Text before the 目录 that reads as an article: a long line, or a sentence of some
    length.  A cover's 要目 and an imprint (``出版声明/版权所有，侵权必究。``) are short
    lines (corpus-wild 101): they are reported, not made an article."""
    return any(len(text[i]) > TITLE_MAX or (len(text[i]) >= PARAGRAPH_MIN and "。" in text[i]) for i in idx)


def _has_running_text(text: list[str], idx: list[int]) -> bool:
    return any(len(text[i]) > TITLE_MAX or ends_sentence(text[i]) or "。" in text[i] for i in idx)


def _clip(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[:n] + "…"


# --- one article ---------------------------------------------------------------


def join_title(parts: list[str], toc_title: str | None) -> str:
    """Headline text from its body line(s), with spaces only where the 目录 has them.

    A space inside a body title is either deliberate (``坚持首位战略 凝心聚力…``, which
    the 目录 repeats) or a print line break (``…县域经济强县 动员大会上的讲话``, which the
    目录 does not have).  Without a 目录 title every space and line break is kept as one
    space (the headline's parts).
    """
    if len(parts) == 1:  # (most headlines: one line)
        raw = collapse_spaces(parts[0]) if parts[0] else ""
    else:
        raw = " ".join([collapse_spaces(p) for p in parts if p])
    if toc_title is None or " " not in raw:
        return ty.normalise_title(raw)  # (no space: nothing to keep or drop)
    toc = collapse_spaces(toc_title)
    keep = {(toc[i - 1], toc[i + 1]) for i in range(1, len(toc) - 1) if toc[i] == " "}

    def repl(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        return a + (" " if (a, b) in keep else "")

    return ty.normalise_title(_SPACE_BETWEEN.sub(repl, raw))


_SPACE_BETWEEN = re.compile(r"(\S) +(?=(\S))")


def is_salutation(text: str) -> bool:
    if "：" not in text and ":" not in text:
        return False  # a salutation ends with its colon
    t = collapse_spaces(strip_markup(text))
    return len(t) <= 30 and t.endswith(("：", ":")) and bool(_SALUTATION.match(t))


def article_kind(
    column: str, title: str, body_first: list[str], before_contents: bool, reporters: bool = False, body_lines: list[str] | None = None
) -> str:
    """editorial / literary / speech / report / article, by column, title and opening."""
    if column and _EDITORIAL_COLUMN_RE.search(column) or collapse_spaces(title) in EDITORIAL_TITLES:  # (collapse_spaces strips)
        return "editorial"
    if column and _LITERARY_COLUMN_RE.search(column):
        return "literary"
    if _SPEECH_TITLE_RE.search(title):
        return "speech"
    # a report is one by its title even when it is delivered (政府工作报告: 各位代表：)
    if _REPORT_TITLE_RE.search(title):
        return "report"
    for t in body_first[:2]:
        if is_salutation(t):
            return "speech"
    if reporters:
        return "report"
    if before_contents and not column:
        return "editorial"
    if _mostly_short_lines(body_lines or []):
        return "literary"
    return "article"


def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """One search for ``any(w in text for w in words)`` (the tables above)."""
    return re.compile("|".join(re.escape(w) for w in words))


_EDITORIAL_COLUMN_RE = _any_of(EDITORIAL_COLUMN_HINTS)
_LITERARY_COLUMN_RE = _any_of(LITERARY_COLUMN_HINTS)
_SPEECH_TITLE_RE = _any_of(SPEECH_TITLE_WORDS)
_REPORT_TITLE_RE = _any_of(REPORT_TITLE_WORDS)


def _mostly_short_lines(body: list[str]) -> bool:
    """A poem printed without a literary column: most lines short and unpunctuated."""
    if len(body) < 4:
        return False  # (fewer than four lines, blank or not)
    lines = [t for t in body if t]
    if len(lines) < 4:
        return False
    short = sum(1 for t in lines if len(t) <= VERSE_LINE_MAX and not ends_sentence(t))
    return short >= 0.7 * len(lines)


def build_article(
    lines: list[SourceLine],
    d: Draft,
    toc_title: str | None,
    toc_authors: list[Author],
    stripped: list[str] | None = None,
) -> tuple[Article, list[Warning]]:
    """Head (kicker, title, subtitle, bylines), tail signature, then blocks via R2's
    build_blocks.  ``stripped``: ``strip_markup`` of every line, if already known."""
    warnings: list[Warning] = list(d.warnings)
    text = stripped[d.start : d.end] if stripped is not None else _stripped(lines[d.start : d.end])
    base = d.start
    consumed: set[int] = set()
    kicker = None
    title_parts: list[str] = []
    subtitle = None

    tidx = d.title_idx  # (only read here)
    if len(tidx) == 2:
        first, second = text[tidx[0] - base], text[tidx[1] - base]
        if _SUBTITLE.match(second):
            subtitle = second
            title_parts = [first]
        elif _is_kicker(first, second):
            kicker, title_parts = first, [second]
        else:
            title_parts = [first, second]
    elif len(tidx) == 1:
        title_parts = [text[tidx[0] - base]]
        e = d.entry
        # (only an entry with a subtitle or an issuer can be printed fused with it)
        fused = _split_fused(text[tidx[0] - base], e) if e is not None and (e.subtitle or e.issuer) else None
        if fused is not None:
            # one body line holding what the 目录 prints apart: issuer + title + subtitle
            kicker, title_parts, subtitle = fused[0] or kicker, [fused[1]], fused[2] or subtitle
    consumed.update(tidx)
    if not title_parts:
        if toc_title:
            title_parts = [toc_title]  # the 目录 names it (an untitled 卷首语)
        else:
            fallback = _first_words(text)
            title_parts = [fallback]
            warnings.append(Warning("R207", f"no headline found: title made from {fallback!r}", lines[d.start].number))

    # head lines after the title: subtitle, bylines (credits lines stay in the body)
    authors: list[Author] = []
    reporters = False
    pos = (tidx[-1] + 1) if tidx else d.start
    looked = 0
    while pos < d.end and looked < 5:
        t = text[pos - base]
        if not t:
            pos += 1
            continue
        looked += 1
        if subtitle is None and not authors and _SUBTITLE.match(t) and len(t) <= TITLE_MAX:
            subtitle = t
            consumed.add(pos)
        elif subtitle is None and not authors and d.entry is not None and d.entry.subtitle and match_key(t) == match_key(d.entry.subtitle):
            # the subtitle the 目录 gives, printed under the title without its dash
            subtitle = t
            consumed.add(pos)
        elif bylines.cannot_be_byline(t):
            break  # running text (a sentence mark, no label): none of the tests below takes it
        elif (found := bylines.writer_byline(t)) is not None:
            authors = bylines.merge_authors(authors, found)
            consumed.add(pos)
        elif bylines.is_credits(t):
            # the credits line stays in the body (a credits block); its writers are the
            # authors, and the head ends here (a byline below it would leave a gap)
            found = bylines.credit_authors(t)
            reporters = reporters or any(a.role and a.role.endswith(REPORTER_ROLES) for a in found)
            authors = bylines.merge_authors(authors, found)
            break
        else:
            people = bylines.parse_byline(t)
            if people is None:
                # a role on one line and the name on the next ("中共某县委书记" / "张三")
                nxt_pos = next((q for q in range(pos + 1, min(d.end, pos + 3)) if text[q - base]), None) if bylines.is_office(t) else None
                if nxt_pos is not None:
                    people = bylines.parse_byline(f"{t} {text[nxt_pos - base]}")
                    if people and all(p.role == t for p in people):
                        authors = bylines.merge_authors(authors, people)
                        consumed.update((pos, nxt_pos))
                        pos = nxt_pos + 1
                        continue
                break
            if not any(p.role for p in people) and not _plausible_names(people, authors, toc_authors):
                break
            authors = bylines.merge_authors(authors, people)
            consumed.add(pos)
        pos += 1
    if authors and not reporters:
        reporters = any(a.role and a.role.endswith(REPORTER_ROLES) for a in authors)

    # tail: a signature alone on the last line, or closing the last paragraph
    body_start = (tidx[-1] + 1) if tidx else d.start
    # the body lines and their stripped texts, side by side
    if body_start < base or (consumed and max(consumed) >= body_start):  # head lines taken (subtitle, bylines)
        body_idx = [i for i in range(body_start, d.end) if i not in consumed]
        body = [lines[i] for i in body_idx]
        body_text = [text[i - base] if i >= base else strip_markup(lines[i].text) for i in body_idx]
    else:
        body = lines[body_start : d.end]
        body_text = text[body_start - base :]
    last = None  # the last non-blank line
    for k in range(len(body) - 1, -1, -1):
        if body_text[k] or body[k].text.strip():  # (a line with stripped text is not blank)
            last = k
            break
    if last is not None:
        sig = bylines.signature_line(body[last].text, body_text[last])
        if sig:
            authors = bylines.merge_authors(authors, sig)
            del body[last], body_text[last]
        else:
            split = bylines.split_signature(body[last].text)
            if split:
                rest, names = split
                authors = bylines.merge_authors(authors, names)
                body[last] = SourceLine(body[last].number, rest, body[last].last)
                body_text[last] = strip_markup(rest)  # the line rewritten: stripped anew
    if not authors:
        authors = [Author(a.name, a.role) for a in toc_authors]
    else:
        authors = bylines.merge_authors(authors, [a for a in toc_authors if any(a.name == b.name for b in authors)])

    title = join_title(title_parts, toc_title)
    column = d.column
    opening = list(islice(filter(None, body_text), 2))  # the first two non-blank lines
    # the kind may show in the subtitle: "——在全县经济工作会议上的讲话"
    kind = article_kind(column, title + (subtitle or ""), opening, d.before_contents, reporters, body_text)
    blocks, bw = build_blocks(body, kind)
    warnings.extend(bw)
    if _has_credits(blocks):  # each step below reads credits blocks (a story head's byline, a signature)
        blocks = newspaper.captions_into_stories(newspaper.join_broken_credits(blocks))
        # section bylines and reporters' signatures (本报记者 李茂颖, （本报记者程焕采访整理）) and
        # closing credits (（撰稿：单位 姓名 审编：…）: the writers; the editor stays a credit)
        authors = bylines.merge_authors(authors, newspaper.section_authors(blocks))
        authors = bylines.merge_authors(authors, newspaper.closing_credit_authors(blocks))
    source = _source_span(lines, d.start, d.end)
    if not blocks:
        warnings.append(Warning("R208", f"article {title!r} has no body text", lines[d.start].number if d.start < len(lines) else None))
    art = Article(
        title=title,
        subtitle=_normalise_subtitle(subtitle) if subtitle else None,
        kicker=ty.normalise_title(kicker) if kicker else None,
        authors=authors,
        kind=kind,
        blocks=blocks,
        source=source,
    )
    return art, warnings


def _has_credits(blocks: list) -> bool:
    for b in blocks:
        if b.type == "credits":
            return True
    return False


def _source_span(lines: list[SourceLine], start: int, end: int) -> list[int] | None:
    """[first, last] input line of the non-blank lines in ``lines[start:end]``, or None."""
    end = min(end, len(lines))
    k = start
    while k < end and not lines[k].text.strip():
        k += 1
    if k >= end:
        return None
    j = end - 1
    while not lines[j].text.strip():  # stops at k at the latest
        j -= 1
    return [lines[k].number, lines[j].end]


def _split_fused(line: str, e: TocEntry) -> tuple[str | None, str, str | None] | None:
    """``(kicker, title, subtitle)`` when one body line holds the entry's issuing body,
    title and subtitle run together (``# 朱奕骥投机倒把案承包经理虛开…``,
    ``# 最高人民法院关於…的批复``: corpus-wild 101); the title and subtitle are the
    目录's, the kicker is the body's printed prefix.  None if the line is the title alone."""
    if not (e.subtitle or e.issuer):
        return None
    lk, tk = match_key(line), match_key(e.title)
    if not tk or lk == tk:
        return None
    p = lk.find(tk)
    if p >= 0:
        prefix, suffix = lk[:p], lk[p + len(tk) :]
    else:
        # OCR lost or changed a glyph of the title: the best window at the line's
        # head (title + subtitle) or tail (issuer + title), a glyph either way
        best = (FUSED_WINDOW_ACCEPT, None)
        for w in range(max(2, len(tk) - 1), len(tk) + 2):
            if w >= len(lk):
                continue
            for cut in ((0, w), (len(lk) - w, len(lk))):
                sim = similarity(lk[cut[0] : cut[1]], tk)
                if sim > best[0] + 1e-9:
                    best = (sim, cut)
        if best[1] is None:
            return None
        prefix, suffix = lk[: best[1][0]], lk[best[1][1] :]
    subtitle = None
    if suffix:
        sk = match_key(e.subtitle) if e.subtitle else ""
        if not sk or similarity(suffix, sk) < FUZZY_ACCEPT:
            return None
        subtitle = e.subtitle
    kicker = None
    if prefix:
        # the printed characters before the title: as many key characters as the prefix
        seen = 0
        cut = 0
        for k, ch in enumerate(line):
            if key(ch):
                seen += len(key(ch))
                if seen >= len(prefix):
                    cut = k + 1
                    break
        kicker = line[:cut].strip() or None
    return kicker, e.title, subtitle


def _plausible_names(people: list[Author], so_far: list[Author], toc: list[Author]) -> bool:
    """Bare names (no role) are a byline only as the first one, and only if the 目录
    names nobody or names them too: under a poem's title ``方舟`` is the poet, but the
    next short line ``杏花`` is the poem."""
    if so_far:
        return False
    if len(people) == 1 and bylines.is_org(people[0].name):
        return True
    return not toc or any(p.name == t.name for p in people for t in toc)


def _normalise_subtitle(s: str) -> str:
    """``——乡村调研杂记`` (the dash is kept, normalised to one ``——``)."""
    return "——" + ty.normalise_title(_SUBTITLE.sub("", s).strip())


def _first_words(text: list[str]) -> str:
    for t in text:
        if t:
            head = re.split(r"[。！？；，,.!?;]", t, maxsplit=1)[0]
            return head[:20] or t[:20]
    return "无题"
