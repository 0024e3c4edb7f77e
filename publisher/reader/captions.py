"""Captions, photo credits, notes, salutations and newspaper credits lines."""
from __future__ import annotations

import re

from .. import typography as ty
from . import bylines

# Notes: （作者系…）, 来源：…, （本文…）, 注：…, 编者按：…, (责任编辑：…).
NOTE_RE = re.compile(
    r"^(?:[（(]\s*(?:作者(?:系|为|单位)|本文|注[:：]|编者|来源|稿件来源|责任编辑|责编|编辑|审核|校对)"
    r"|(?:来源|稿件来源|资料来源|本文来源|信息来源|文章来源|转自|原载)\s*[:：]"
    r"|注\s*[:：]|编者按|(?:责任编辑|责编|审核|校对|编辑)\s*[:：]|作者(?:系|为|单位|简介))"
)
NOTE_MAX = 120
# An editor's note (编者按：…) may be a long paragraph.
EDITOR_NOTE_RE = re.compile(r"^[【（(]?编者按")
EDITOR_NOTE_MAX = 600
# End marks: （完） / （全文完） / （本文完）
END_MARK_RE = re.compile(r"^[（(](?:全文|本文)?完[）)]$")
# The date of an official document's sign-off (落款): 2023年3月19日 / 二〇二三年三月十九日
DATE_LINE_RE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?$")
SIGN_OFF_MAX = 30
# A dateline in brackets on its own line is a note (the date of the text), never a
# paragraph, never part of a headline: the one rule, shared with the renderer.
DATELINE_RE = ty.DATELINE_RE

# Salutations in speeches: a short line ending in ：addressing the audience.
# The line ends with the addressee before the colon: 同志们： / 各位代表： / 尊敬的各位来宾：
SALUTATION_RE = re.compile(r"^[^。！？；]{0,30}(?:们|代表|来宾|嘉宾|委员|领导|同志|朋友|同仁|乡亲|企业家)\s*[:：]$")

# Newspaper credits: role / names …  (■策划 / 邓 智 统筹 / 李永民 文 / …)
CREDIT_ROLES = ("策划", "统筹", "文", "图", "摄影", "摄", "编辑", "记者", "通讯员", "设计", "制图", "视频", "撰文", "监制", "执行")
# Two-character names are printed spaced out to align with three-character ones
# (唐 翔, 王 峰): a lone Han character, a space, a lone Han character.
SPACED_NAME_RE = re.compile(r"(?:(?<=\s)|^)([\u4e00-\u9fff])[ \u3000\u00a0]{1,3}([\u4e00-\u9fff])(?=\s|$)")
CREDITS_RE = re.compile(r"(?:^|\s)(?:" + "|".join(CREDIT_ROLES) + r")\s*[/／]")

# A photo credit at the end of a caption: …。 ■唐俊 摄 / …。（唐俊 摄）
INLINE_CREDIT_RES = [
    re.compile(r"^(?P<t>.+?)\s*[■□]\s*(?P<c>[^■□。！？]{1,24}?\s*(?:摄|供图|图))$"),
    re.compile(r"^(?P<t>.+?[。！？])\s*[（(](?P<c>[^（）()]{1,24}?\s*(?:摄|供图))[）)]$"),
    # …开幕。湖南日报全媒体记者 刘尚文 摄 (104): up to three spaced words, then 摄
    re.compile(r"^(?P<t>.+?[。！？])\s*(?P<c>(?:[^\s，。！？]{1,12}\s+){0,3}[^\s，。]{1,12}\s*摄)$"),
]
# A line that is only a credit: 县委宣传部供图 / 唐俊 摄 / 图/王磊 / 摄影：唐俊
CREDIT_ONLY_RES = [
    re.compile(r"^[■□]?\s*(?P<c>[^\s，。：:；]{2,20}供图)$"),
    # 唐俊 摄 / 记者 唐俊 摄 / 唐俊摄 (a name glued to 摄 only when it is short)
    re.compile(r"^[■□]?\s*(?P<c>(?:[^\s，。：:；]{1,12}\s+){1,3}摄|[^\s，。：:；]{2,4}摄)$"),
    re.compile(r"^[■□]?\s*[（(](?P<c>[^（）()]{2,24}\s*(?:摄|供图))[）)]$"),
    re.compile(r"^[■□]?\s*(?P<c>(?:图|摄影|图片|照片)\s*[/／:：]\s*\S.{0,30})$"),
    re.compile(r"^[■□]?\s*(?P<c>(?:图片|照片)来源\s*[:：]\s*\S.{0,30})$"),
    # 本报记者  蒋雨师摄 / 王  剑摄（人民视觉） / 樊绍光摄（影像中国）: names (padded), 摄, an agency
    re.compile(r"^[■□]?\s*(?P<c>(?:[^\s，。：:；（）()]{1,8}[ \u3000\u00a0]+){1,3}[^\s，。：:；（）()]{1,4}摄(?:\s*[（(][^（）()，。]{2,12}[）)])?)$"),
    re.compile(r"^[■□]?\s*(?P<c>[^\s，。：:；（）()]{2,4}摄\s*[（(][^（）()，。]{2,12}[）)])$"),
]
# "图为…" marks a caption wherever it stands.
CAPTION_WORD_RE = re.compile(r"(?:^|[。])[（(]?(?:图为|上图|下图|左图|右图)|^图\s*\d*\s*[：:]")
CAPTION_MAX = 80
CAPTION_WORD_MAX = 60  # a line this short with 图为 is a caption whatever its spacing


# What is_editor_credit, is_salutation, is_credits, credit_only and split_credit need:
# a colon or a slash after a label or an addressee, or a photo's word (摄, 图, 照片).
_CREDIT_CHARS = re.compile("[：:/／摄图]|照片")


def may_be_credit(text: str) -> bool:
    """False when none of the credit, caption and salutation tests can accept ``text``
    (one search for the five)."""
    return _CREDIT_CHARS.search(text) is not None


def is_note(text: str) -> bool:
    if "编者按" in text and EDITOR_NOTE_RE.match(text):
        return len(text) <= EDITOR_NOTE_MAX
    if len(text) <= NOTE_MAX and NOTE_RE.match(text):
        return True
    # an end mark and a dateline are bracketed: a line opening otherwise is neither
    return text[:1] in ("（", "(") and bool(END_MARK_RE.match(text) or DATELINE_RE.match(text))


def mark_sign_off(items) -> None:
    """An official document's sign-off at its end — the issuing body on one line,
    the date on the next (中共中央办公厅 / 2023年3月19日) — are notes, not a
    paragraph to be rejoined."""
    n = len(items)
    for i in range(n - 1, max(-1, n - 4), -1):
        it = items[i]
        if it.cls == "text" and "年" in it.text and DATE_LINE_RE.match(it.text):
            it.cls = "note"
            prev = items[i - 1] if i > 0 else None
            if (
                prev is not None
                and prev.cls == "text"
                and prev.gap_after <= 1
                and len(prev.text) <= SIGN_OFF_MAX
                and not any(c in prev.text for c in "，。！？；：")
            ):
                prev.cls = "note"
            return


def is_salutation(text: str) -> bool:
    return text.endswith(("：", ":")) and bool(SALUTATION_RE.match(text))


def is_credits(text: str) -> bool:
    """Two or more labelled credits (``文/陈晓 插图/王磊``), with any label ``bylines`` knows,
    or a writers' credit alone (``（撰稿：单位 姓名``, the first line of one the page broke)."""
    if not _LABEL_MARKS.search(text):
        return False  # every label is followed by / or : (the three tests below)
    return (
        len(CREDITS_RE.findall(" " + text)) >= 2
        or len(text) <= 200 and len(bylines.credit_labels(text)) >= 2
        or is_writer_credit(text)
    )


# A writers' credit: （撰稿：北京市第一中级人民法院 王明 — names and units only.
WRITER_CREDIT_RE = re.compile(r"^[（(]?\s*(?:撰稿|执笔|撰文|作者)\s*[：:]\s*[^，。！？；：:,.!?;]{2,80}$")


# The marks after a credit label (CREDITS_RE, bylines' labels, WRITER_CREDIT_RE).
_LABEL_MARKS = re.compile("[/／:：]")


def is_writer_credit(text: str) -> bool:
    return bool(WRITER_CREDIT_RE.match(text)) and bool(bylines.credit_authors(text))


# A page's production credit alone on its line: 版式设计：蔡华伟 / 责任编辑：张三
EDITOR_CREDIT_RE = re.compile(
    r"^[（(]?(?:版式设计|版式|美术编辑|美编|排版|责任编辑|责编|编辑|审编|校对|制图|设计)\s*[：:]\s*[^，。！？；：:]{2,24}?[）)]?$"
)


def is_editor_credit(text: str) -> bool:
    return ("：" in text or ":" in text) and bool(EDITOR_CREDIT_RE.match(text))


def credits_text(text: str) -> str:
    """``策划 / 邓 智 统筹 / 李永民`` with runs of spaces collapsed and ``/`` spaced."""
    t = bylines.unglue_labels(text.lstrip("■□ \u3000"))
    t = re.sub(r"(?:(?<!\s)\s++)?[/／]\s*", " / ", t)  # white space taken from its run's start only: linear
    t = SPACED_NAME_RE.sub(r"\1\2", t)
    return ty.normalise_title(t)


# Every credit names a photo (摄, 供图, 图, 摄影, 图片, 照片): a line with none of
# these is no credit (one search instead of the patterns).
_CREDIT_WORD = re.compile("[摄图]|照片")


def credit_only(text: str) -> str | None:
    if not _CREDIT_WORD.search(text):
        return None
    for rx in CREDIT_ONLY_RES:
        m = rx.match(text)
        if m:
            return m.group("c").strip()
    return None


def split_credit(text: str) -> tuple[str, str | None]:
    """(caption text, credit) for ``…。 ■唐俊 摄``; (text, None) without a credit."""
    if len(text) > CAPTION_MAX + 30 or not _CREDIT_WORD.search(text):
        return text, None
    for rx in INLINE_CREDIT_RES:
        m = rx.match(text)
        if m:
            return m.group("t").strip(), m.group("c").strip()
    return text, None


def _caption_shaped(text: str) -> bool:
    if len(text) > CAPTION_MAX:
        return False
    stops = text.count("。") + text.count("！") + text.count("？")
    return stops <= 2 and not text.endswith(("：", ":", "，", "、"))


def paragraph_gap(items) -> int:
    """The number of blank lines that usually separates paragraphs in this
    article: the commonest gap before long lines (captions are short), else the
    smallest gap seen."""
    gaps: dict[int, int] = {}  # (a plain count: a Counter costs more than the short articles' loop)
    for it in items[1:]:
        if len(it.text) > 40:
            gaps[it.gap] = gaps.get(it.gap, 0) + 1
    if gaps:
        return max(gaps, key=gaps.__getitem__)  # the commonest, the first seen of equals (as most_common)
    rest = [it.gap for it in items[1:]]
    return min(rest) if rest else 1


def mark_layout_captions(items) -> None:
    """Captions that stand alone: more blank lines around them than around the
    article's paragraphs, short, not a continuation of an open paragraph; or a
    short line followed by a credit line; or a short line with 图为."""
    mode = None  # paragraph_gap(items), made when a line with a gap of 2 or more first needs it
    n = len(items)
    for i, it in enumerate(items):
        if it.cls != "text" or it.in_verse:
            continue
        nxt = items[i + 1] if i + 1 < n else None
        if it.gap < 2 and (nxt is None or nxt.cls != "credit") and "图" not in it.text:
            continue  # every test below needs a credit line after it, 图, or 2 blank lines before it
        if not _caption_shaped(it.text):
            continue
        prev = items[i - 1] if i > 0 else None
        # strong signals: a credit line follows, or 图为 — even between the two
        # halves of a split paragraph (the assembler keeps the paragraph open)
        if nxt is not None and nxt.cls == "credit":
            it.cls = "caption_layout"
            continue
        if "图" in it.text and CAPTION_WORD_RE.search(it.text) and len(it.text) <= CAPTION_WORD_MAX:  # (every word has 图)
            it.cls = "caption_layout"
            continue
        if mode is None and (it.gap >= 2 or it.gap_after >= 2):
            mode = paragraph_gap(items)  # (every test below reads it after a gap >= 2 only)
        wide_before = it.gap >= 2 and it.gap > mode
        wide_after = nxt is None or nxt.cls in ("heading", "caption", "credit") or (it.gap_after >= 2 and it.gap_after > mode)
        # layout signal after an open paragraph: only a closed line with wide gaps
        # on both sides and body text after it (a caption set inside a split
        # paragraph); otherwise the line may be the paragraph's continuation
        if prev is not None and not prev.in_verse and prev.cls in ("text", "numbered", "lead") and not ty.is_closed(prev.text):
            gap_wide = it.gap >= 2 and it.gap > mode and it.gap_after >= 2 and it.gap_after > mode
            if gap_wide and ty.is_closed(it.text) and nxt is not None and nxt.cls == "text":
                it.cls = "caption_layout"
            continue
        if wide_before and wide_after and ty.is_closed(it.text) or wide_before and wide_after and not any(c in it.text for c in "，。！？；："):
            it.cls = "caption_layout"


# Separators a converter leaves between the parts of a photo's combined text
# (文化新空间　　市民在…锻炼。　　王  剑摄（人民视觉）): two or more wide spaces.
_PARTS_SEP = re.compile(r"[\u3000]{2,}|\s{3,}")
CAPTION_LABEL_MAX = 10
PAIRED_CAPTION_MAX = 160


def mark_credit_pairs(items) -> None:
    """A caption line right above its credit line is a caption (even a long one);
    a short punctuation-free line right above that caption is its label
    (``文化新空间``: cls ``caption_label``); and a line just above, that is the label,
    the caption and the credit run together, is a converter's duplicate
    (cls ``duplicate``: dropped with a warning).  One linear pass."""
    n = len(items)
    for i in range(1, n):
        if items[i].cls != "credit":
            continue
        cap = items[i - 1]
        if cap.cls != "text" or cap.in_verse or len(cap.text) > PAIRED_CAPTION_MAX or not ty.is_closed(cap.text):
            continue
        cap.cls = "caption_layout"
        k = i - 2
        if k >= 0 and items[k].cls in ("text", "heading") and _label_shaped(items[k].text):
            items[k].cls, items[k].family = "caption_label", None
            k -= 1
        if k >= 0 and items[k].cls == "text" and _duplicate_of(items[k].text, cap.text):
            items[k].cls = "duplicate"


def _label_shaped(text: str) -> bool:
    return 2 <= len(text) <= CAPTION_LABEL_MAX and not any(c in "，。！？；：、,.;:!?" for c in text)


def _duplicate_of(text: str, caption: str) -> bool:
    parts = [p for p in _PARTS_SEP.split(text) if p]
    if len(parts) < 2:
        return False
    head = caption[: min(len(caption), 12)]
    return any(p.startswith(head) or caption.startswith(p[:12]) and len(p) >= 12 for p in parts[1:])
