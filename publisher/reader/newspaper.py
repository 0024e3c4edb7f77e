"""Newspaper pages: several short stories under one headline, each with its own head.

A page such as a People's Daily feature prints, under the page headline, an
unsigned editors' note signed ``——编  者`` and then stories each opened by a
kicker (``地点：云南普洱`` or a line ending in ``——``), a subhead
(``守护边境“中国红”``) and a byline (``本报记者  李茂颖``, ``马  琳  杨铭鸣``),
and at the end a ``图片说明：`` block of numbered captions (``图①：…``), each with
its credit on the next line (``吴志坚摄``, or just an agency: ``人民视觉``).

The model reads such a page as ONE article whose stories are sections (see
``publisher.model``): the kicker is a ``note`` block, the subhead a ``heading``
block, the byline a ``credits`` block right after it; the article's authors are
the section bylines' people.  This module marks the body items
(``reader.lines_scan.Item``) so that ``reader.blocks`` assembles them so and
never joins one of them onto a neighbour.  Every rule reads the line's own
shape; nothing is keyed to one page's strings.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from ..model import Author
from . import bylines
from .shape import collapse_spaces

# A kicker: a short label and colon (地点：… / 时间：…) or a short line ending in ——.
KICKER_LABEL_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}[：:]\s*[^，。！？；：:\s][^，。！？；]{0,34}$")
KICKER_DASH_RE = re.compile(r"^[^，。！？；]{2,30}——$")
SUBHEAD_MAX = 20
BYLINE_MAX = 30
# An unlabelled editors' note is signed so: ——编者 / ——本报编辑部
EDITORS_SIGN_RE = re.compile(r"^(?:——|—)\s*(?:编\s*者|(?:本[报刊])?编\s*辑\s*部)$")
# A block of captions printed apart: 图片说明： then 图①：… / 图1：… lines.
CAPTION_LIST_LABEL_RE = re.compile(r"^(?:图片说明|图说|图注)\s*[：:]?$")
CAPTION_NUMBER_RE = re.compile(r"^图\s*(?:[①-⑳]|\d{1,2}|[一二三四五六七八九十]{1,3})\s*[：:]\s*")
CREDIT_LINE_MAX = 24
# A closing credits line broken over lines: at most this many credits blocks at the end.
CLOSING_CREDITS_MAX = 3
# A credit for a photo: …摄 / …供图 / an agency name (no sentence marks, short).
_SENTENCE = re.compile(r"[，。！？；：:,.!?;]")


@functools.lru_cache(maxsize=4096)  # bounded: every line is asked, several times
def is_editors_sign(text: str) -> bool:
    return bool(EDITORS_SIGN_RE.match(collapse_spaces(text)))


@functools.lru_cache(maxsize=4096)  # bounded: every line is asked, several times
def is_kicker(text: str) -> bool:
    t = collapse_spaces(text)
    return bool(KICKER_LABEL_RE.match(t) or KICKER_DASH_RE.match(t))


def subhead_shaped(text: str) -> bool:
    t = collapse_spaces(text)
    return 2 <= len(t) <= SUBHEAD_MAX and not _SENTENCE.search(t) and not is_kicker(t)


def story_byline(text: str) -> list[Author] | None:
    """The people of a story byline (``本报记者  李茂颖``, ``马  琳  杨铭鸣``), else None."""
    if len(text) > BYLINE_MAX or bylines.is_credits(text):
        return None
    return bylines.parse_byline(text)


def byline_text(people: list[Author]) -> str:
    """``本报记者 马琳 杨铭鸣``: each role once, before the names it covers."""
    out: list[str] = []
    role = None
    for p in people:
        if p.role and p.role != role:
            out.append(p.role)
        role = p.role
        out.append(p.name)
    return " ".join(out)


REPORTER_ROLES = ("记者", "通讯员")


def stories_under_unsigned_head(text: list[str], title_idx: list[int], kids: list[tuple[int, int]]) -> bool:
    """A newspaper page in any layout: a headline (lines ``title_idx`` of ``text``, every
    line markup-stripped) with no byline of its own over short subheads each signed by a
    reporter (``守护边境“中国红”`` / ``本报记者  李茂颖``).  ``kids``: (start, end) of the
    pieces found under it.  The stories are sections of the page, not further articles."""
    if not title_idx:
        return False
    first = next((i for i in range(title_idx[-1] + 1, kids[0][0]) if text[i]), None)
    if first is None or bylines.parse_byline(text[first]) is not None or bylines.is_credits(text[first]):
        return False  # the page's own head is signed: the pieces under it are articles
    for st, _ in kids:
        if not subhead_shaped(text[st]):
            return False
        by = next((i for i in range(st + 1, min(st + 4, len(text))) if text[i]), None)
        people = story_byline(text[by]) if by is not None else None
        if not people or not all(p.role and p.role.endswith(REPORTER_ROLES) for p in people):
            return False
    return True


def mark_page(items) -> bool:
    """Mark story heads, an editors' note signed ——编者 and a caption list (linear).
    True when it marked an item (the caller then reads the classes again)."""
    n = len(items)
    first_head = None
    marked = False
    i = 0
    while i < n - 2:  # a story head is a subhead, a byline and its text: three lines at least
        # a head opens with a kicker (text, note, lead) or its subhead (text, heading)
        k = _story_head(items, i) if items[i].cls in _HEAD_OPENS else None
        if k is None:
            i += 1
            continue
        kicker, sub, by = k
        if first_head is None:
            first_head = kicker if kicker is not None else sub
        if kicker is not None:
            items[kicker].cls = "note"
            items[kicker].family = None
        items[sub].cls = "heading"
        items[sub].family = "story"
        people = story_byline(items[by].text) or []
        items[by].cls = "credits"
        items[by].text = byline_text(people)
        marked = True
        i = by + 1
    # each pass below acts only on lines holding some character (编 of the sign, 图 of a
    # caption number, the bracket closing a signature): one look at all the text skips
    # those an article cannot use (the passes only ever take characters out of a line)
    joined = "\n".join([it.text for it in items])
    if "编" in joined:
        marked |= _mark_editors_note(items, first_head if first_head is not None else n)
    if "图" in joined:
        marked |= _mark_caption_list(items)
    if "）" in joined or ")" in joined:
        marked |= _mark_reporter_signatures(items)
    return marked


def _mark_reporter_signatures(items) -> bool:
    """A story closed by its reporter's signature (``（本报记者程焕采访整理）``, alone on its
    line or closing the story's last paragraph) keeps it as a ``credits`` item of its own:
    never a paragraph, never glued to the next story (one pass; a split adds one item).
    True when it marked one."""
    marked = False
    k = 0
    while k < len(items):
        it = items[k]
        if "）" not in it.text and ")" not in it.text:
            k += 1  # both signature shapes close a bracket
            continue
        if it.cls in ("text", "lead") and bylines.reported_line(it.text):
            it.cls = "credits"
            it.text = bylines.unpad(it.text)
            marked = True
        elif it.cls in ("text", "lead") and (cut := bylines.split_reported(it.text)) is not None:
            body, sig, _ = cut
            it.text = body
            it.bold = [(s, min(e, len(body))) for s, e in it.bold if s < len(body)]
            items.insert(k + 1, replace(it, text=bylines.unpad(sig), bold=[], gap=0, cls="credits", family=None))
            it.gap_after = 0
            marked = True
            k += 1
        k += 1
    return marked


_HEAD_OPENS = frozenset(("text", "note", "lead", "heading"))


def _story_head(items, i: int) -> tuple[int | None, int, int] | None:
    """(kicker, subhead, byline) indices of a story head starting at ``i``."""
    n = len(items)
    kicker = None
    j = i
    if items[j].cls in ("text", "note", "lead") and is_kicker(items[j].text):
        kicker = j
        j += 1
    if j + 2 > n:
        return None
    sub, by = items[j], items[j + 1]
    if sub.cls not in ("text", "heading") or not subhead_shaped(sub.text):
        return None
    people = story_byline(by.text)
    if not people or by.cls not in ("text", "heading", "note"):
        return None
    # bare names are a byline only under a kicker; a role stands on its own
    if kicker is None and not any(p.role for p in people):
        return None
    after = items[j + 2] if j + 2 < n else None
    if after is None or after.cls not in ("text", "lead", "numbered") or len(after.text) <= len(sub.text):
        return None  # a story head is followed by its text
    return kicker, j, j + 1


def _mark_editors_note(items, limit: int) -> bool:
    """The paragraphs before a ``——编者`` sign-off (ahead of the first story) are notes
    (True when it marked them)."""
    for s in range(min(limit, len(items))):
        if "编" in items[s].text and is_editors_sign(items[s].text) and items[s].cls in ("text", "note"):
            if all(items[k].cls == "text" for k in range(s)):
                for k in range(s + 1):
                    items[k].cls = "note"
                    items[k].text = collapse_spaces(items[k].text) if k == s else items[k].text
                return True
            return False
    return False


def _mark_caption_list(items) -> bool:
    """``图片说明：`` / ``图①：…`` / credit line: captions with credits (True when it
    marked one)."""
    marked = False
    n = len(items)
    for i, it in enumerate(items):
        if it.cls not in ("text", "caption", "caption_layout") or not it.text.startswith("图") or not CAPTION_NUMBER_RE.match(it.text):
            continue
        if i > 0 and CAPTION_LIST_LABEL_RE.match(items[i - 1].text) and items[i - 1].cls == "text":
            items[i - 1].cls = "caption_label"
        it.text = CAPTION_NUMBER_RE.sub("", it.text, count=1)
        it.cls = "caption"
        marked = True
        nxt = items[i + 1] if i + 1 < n else None
        if nxt is not None and _credit_line(nxt.text) and not CAPTION_NUMBER_RE.match(nxt.text):
            nxt.cls = "credit"
            nxt.text = credit_text(nxt.text)
    return marked


def _credit_line(text: str) -> bool:
    t = collapse_spaces(text)
    return 2 <= len(t) <= CREDIT_LINE_MAX and not _SENTENCE.search(t)


def credit_text(text: str) -> str:
    """``本报记者  王永战摄`` → ``本报记者 王永战摄``; ``辛  鑫摄`` → ``辛鑫摄`` (padding inside a name)."""
    t = collapse_spaces(text)
    return re.sub(r"(?:(?<=\s)|^)([\u4e00-\u9fff]) ([\u4e00-\u9fff]{1,2}摄?)(?=\s|$|[（(])", r"\1\2", t)


def story_heads(blocks) -> list[tuple[int, int]]:
    """(first, last) block indices of each story head: its kicker (a ``note`` shaped
    ``地点：…`` / ``…——``) if any, its subhead (``heading``) and its byline (``credits``)."""
    out: list[tuple[int, int]] = []
    for k in range(len(blocks) - 1):
        if blocks[k].type == "heading" and blocks[k + 1].type == "credits" and bylines.parse_byline(blocks[k + 1].text):
            first = k - 1 if k > 0 and blocks[k - 1].type == "note" and is_kicker(blocks[k - 1].text) else k
            out.append((first, k + 1))
    return out


def captions_into_stories(blocks) -> list:
    """Captions printed before a story's head belong to that story: each run of
    ``caption`` blocks right above a story head is moved to just after the head (its
    byline), so that the photos sit in their story's section, not at the end of the
    story before (linear; nothing is dropped, other blocks keep their order).

    The page's own convention decides: a page whose last story ends with captions after
    its text prints captions after their text, and a run between two stories then
    belongs to the story before it, where it already is: nothing moves."""
    heads = story_heads(blocks)
    if not heads:
        return blocks
    tail = len(blocks)
    while tail > 0 and blocks[tail - 1].type == "caption":
        tail -= 1
    if tail < len(blocks) and tail > heads[-1][1] + 1 and blocks[tail - 1].type == "paragraph":
        return blocks  # captions after the last story's text: the page's captions follow their text
    moves: dict[int, tuple[int, int]] = {}  # head's last index → the caption run before it
    for first, last in heads:
        k = first
        while k > 0 and blocks[k - 1].type == "caption":
            k -= 1
        if k < first:
            moves[last] = (k, first)
    if not moves:
        return blocks
    moved = {i for a, b in moves.values() for i in range(a, b)}
    out = []
    for i, b in enumerate(blocks):
        if i in moved:
            continue
        out.append(b)
        if i in moves:
            a, e = moves[i]
            out.extend(blocks[a:e])
    return out


def section_authors(blocks) -> list[Author]:
    """The people of the section bylines (a ``credits`` block right after a heading) and
    of the reporters' signatures closing sections (``（本报记者程焕采访整理）``)."""
    out: list[Author] = []
    for prev, b in zip([None] + blocks, blocks):
        if b.type != "credits":
            continue
        people = bylines.parse_byline(b.text) if prev is not None and prev.type == "heading" else None
        people = people or bylines.reported_line(b.text)
        if people:
            out = bylines.merge_authors(out, people)
    return out


def join_broken_credits(blocks) -> list:
    """A credits line the page broke in two (``（撰稿：北京市第一中级人民法院 王明`` /
    ``审编：张军）``): a ``credits`` block whose bracket is left open and the ``credits``
    block after it that closes it are one block (one pass)."""
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None and prev.type == "credits" and b.type == "credits"
            and _open_bracket(prev.text) and b.text.rstrip()[-1:] in "）)" and not _open_bracket(b.text)
        ):
            out[-1] = replace(prev, text=f"{prev.text} {b.text}", source=[prev.source[0], b.source[1]] if prev.source and b.source else prev.source)
            continue
        out.append(b)
    return out


def _open_bracket(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def closing_credit_authors(blocks) -> list[Author]:
    """The writers of a credits line closing the article
    (``（撰稿：县委政研室 张三 李四 审编：王五）``: 撰稿 names the authors, 审编 an editor,
    who stays in the credits block).  A credits line the page broke in two
    (``（撰稿：…`` / ``审编：…）``) is the run of credits blocks that ends the article."""
    k = len(blocks)
    while k > 0 and blocks[k - 1].type == "credits" and len(blocks) - k < CLOSING_CREDITS_MAX:
        k -= 1
    out: list[Author] = []
    for b in blocks[k:]:
        out = bylines.merge_authors(out, bylines.credit_authors(b.text))
    return out
