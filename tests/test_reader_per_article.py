"""The per-article shortcuts of the reader (issue 12 speed) decide as the full rules do.

Each shortcut returns early on a cheap test of the line (a character its patterns
need, a number of lines a pass needs); these tests run the shortcut and the rule it
stands for on real lines and on generated ones and compare the answers.
"""
from __future__ import annotations

import random

from publisher.reader import bylines, captions, verse
from publisher.reader.blocks import build_blocks, uses_indent, wrap_width
from publisher.reader.lines import split_lines
from publisher.reader.lines_scan import scan
from publisher.reader.shape import Bigrams, similarity

# Lines of the shapes the shortcuts test for, from the corpus and the module docs.
LINES = [
    "正文。",
    "（本报记者程焕采访整理）",
    "（记者 张三 李四 报道）",
    "（本报记者  王  浩采访整理）",
    "本报记者  李茂颖",
    "中共衡东县委书记 谭建华",
    "文/陈晓 插图/王磊",
    "作者：李四",
    "撰文 | 王五",
    "■策划 / 邓 智 统筹 / 李永民 文 / 衡阳日报全媒体记者 唐 翔",
    "版式设计：蔡华伟",
    "同志们：",
    "各位代表：",
    "唐俊 摄",
    "县委宣传部供图",
    "图/王磊",
    "照片来源：新华社",
    "王  剑摄（人民视觉）",
    "市民在公园里锻炼。 ■唐俊 摄",
    "湖南日报全媒体记者 刘尚文 摄",
    "……增光添彩。（沫声）",
    "——编  者",
    "2023年3月19日",
    "图①：守护边境。",
    "县委政策研究室",
    "陈康 苏伟哲",
    "编者按：这是一篇编者按。",
    "（全文完）",
    "（2019年10月27日）",
    "（作者系县委书记）",
    "——本刊评论员 王平",
    "（陈康 苏伟哲）",
]


def _labels_via_patterns(text: str) -> bool:
    """bylines.is_credits without its shortcut (the rule as written before it)."""
    t = bylines.strip_markup(text)
    if len(t) > 200:
        return False
    t = bylines.unglue_labels(t)
    labels = bylines._LABEL_RE.findall(t)
    if not labels:
        return False
    lead = t.lstrip("■□●◆（( ")
    if lead.startswith(tuple(bylines.WRITER_LABELS + bylines.OTHER_LABELS)) and bylines._LABEL_RE.match(lead):
        return True
    return len(labels) >= 2


def _split_signature_full(text: str):
    """bylines.split_signature without its bracket shortcut."""
    t = text.rstrip()
    cut = max(t.rfind("（"), t.rfind("("))
    if cut > 0 and t[:cut].rstrip()[-1:] in "。！？!?…”』」" and (reporters := bylines.reported_line(t[cut:])):
        return t[:cut].rstrip(), reporters
    m = bylines._SIGNATURE_TAIL.match(text.rstrip())
    names = bylines._names(m.group("names")) if m else []
    return (m.group("body").rstrip(), names) if names else None


def _signature_line_full(text: str):
    """bylines.signature_line without its first-character shortcut."""
    t = bylines.strip_markup(text)
    reporters = bylines.reported_line(t)
    if reporters:
        return reporters
    m = bylines._SIGNATURE_LINE.match(t)
    if m:
        return bylines._names(m.group("names")) or None
    m = bylines._DASH_SIGNATURE.match(t)
    if m:
        return None if bylines._EDITORS.match(bylines.collapse_spaces(m.group(1))) else bylines.parse_byline(m.group(1))
    return None


def _parse_byline_full(text: str):
    """bylines.parse_byline without its sentence-mark shortcut."""
    t = bylines.strip_markup(text)
    m = bylines._OUTER_PARENS.match(t)
    if m:
        t = m.group(1).strip()
    if not t or len(t) > 40 or bylines.is_credits(t):
        return None
    people = bylines.parse_people(t)
    if people is not None:
        return people
    return [bylines.Author(name=t)] if " " not in t and bylines.is_org(t) else None


def _mutants(n: int = 400) -> list[str]:
    rng = random.Random(12)
    pool = "".join(LINES) + " 　/／:：。，（）()摄图片照编年者"
    out = []
    for _ in range(n):
        base = rng.choice(LINES)
        chars = list(base)
        for _ in range(rng.randint(0, 3)):
            op = rng.random()
            k = rng.randrange(len(chars) + 1)
            if op < 0.4:
                chars.insert(k, rng.choice(pool))
            elif chars and op < 0.8:
                del chars[min(k, len(chars) - 1)]
            elif chars:
                chars[min(k, len(chars) - 1)] = rng.choice(pool)
        out.append("".join(chars))
    return LINES + out


def test_line_shortcuts_answer_as_the_patterns():
    for t in _mutants():
        # a reporter's signature: the whole-line pattern on the unpadded text
        m = bylines._REPORTED_LINE.match(bylines.unpad(t))
        assert bylines.reported_line(t) == ((bylines._reported(m) or None) if m else None), t
        # unpad: the function replacement is the template r"\1"
        padded = bylines.collapse_spaces(bylines.strip_markup(t))
        assert bylines.unpad(t) == bylines._PADDED_CHAR.sub(r"\1", padded), t
        assert bylines.is_credits(t) == _labels_via_patterns(t), t
        # credit and caption patterns: the shortcut is only a character test
        assert captions.credit_only(t) == next(
            (m.group("c").strip() for rx in captions.CREDIT_ONLY_RES if (m := rx.match(t))), None
        ), t
        inline = next((m for rx in captions.INLINE_CREDIT_RES if (m := rx.match(t))), None) if len(t) <= captions.CAPTION_MAX + 30 else None
        assert captions.split_credit(t) == ((inline.group("t").strip(), inline.group("c").strip()) if inline else (t, None)), t
        assert captions.is_editor_credit(t) == bool(captions.EDITOR_CREDIT_RE.match(t)), t
        assert captions.is_salutation(t) == bool(captions.SALUTATION_RE.match(t)), t
        assert bylines.split_signature(t) == _split_signature_full(t), t
        assert bylines.signature_line(t) == _signature_line_full(t), t
        note = len(t) <= captions.EDITOR_NOTE_MAX if captions.EDITOR_NOTE_RE.match(t) else (
            len(t) <= captions.NOTE_MAX and bool(captions.NOTE_RE.match(t))
            or bool(captions.END_MARK_RE.match(t) or captions.DATELINE_RE.match(t))
        )
        assert captions.is_note(t) == note, t
        if not captions.may_be_credit(t):
            assert not (captions.is_editor_credit(t) or captions.is_salutation(t) or captions.is_credits(t)), t
            assert captions.credit_only(t) is None and captions.split_credit(t)[1] is None, t
        assert bylines.parse_byline(t) == _parse_byline_full(t), t


def test_parse_byline_shortcut_keeps_bylines():
    assert bylines.parse_byline("正文。") is None
    assert [a.name for a in bylines.parse_byline("中共衡东县委书记 谭建华")] == ["谭建华"]
    assert [a.name for a in bylines.parse_byline("（陈康 苏伟哲）")] == ["陈康", "苏伟哲"]
    assert bylines.parse_byline("作者：李四") is None  # a labelled credit, not a byline
    assert [a.name for a in bylines.writer_byline("作者：李四")] == ["李四"]


def test_one_keys_bigrams_score_every_candidate_as_a_fresh_count_would():
    # the Dice coefficient of bigrams: 建设清廉乡村 / 建设勤廉乡村 share 3 of 5 + 5 bigrams
    assert similarity("建设清廉乡村", "建设勤廉乡村") == 0.6
    assert similarity("清廉", "清廉") == 1.0 and similarity("清", "清廉") == 0.0 and similarity("", "") == 0.0
    # one key's counts serve many candidates: scoring one never spends another's bigrams
    rng = random.Random(7)
    alphabet = "清廉勤乡村建设春天来了ab1"
    keys = ["", "清", "清廉", "清廉乡村", "建设清廉乡村", "清廉清廉清"]
    keys += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(150)]
    for a in keys:
        bg = Bigrams(a)
        scores = [bg.similarity(b) for b in keys]
        assert scores == [Bigrams(a).similarity(b) for b in keys] == [bg.similarity(b) for b in keys], a


def test_short_bodies_skip_nothing_that_applies():
    # two-line bodies: a verse couplet needs both lines, a plain heading the line after it
    blocks, _ = build_blocks(split_lines("清明时节雨纷纷，\n路上行人欲断魂。"), "literary")
    assert [b.type for b in blocks] == ["verse"]
    one, _ = build_blocks(split_lines("清明时节雨纷纷，"), "literary")
    assert [b.type for b in one] == ["paragraph"]
    # a lone reporter's signature still becomes its credits block
    blocks, _ = build_blocks(split_lines("（本报记者程焕采访整理）"), "article")
    assert [(b.type, b.text) for b in blocks] == [("credits", "（本报记者程焕采访整理）")]
    # the layout rules need their number of lines: fewer, and the full count says no too
    items, _ = scan(split_lines("　　第一段文字很长很长\n接着写\n　　第二段\n接着"))
    assert not uses_indent(items[:3]) and wrap_width(items[:4]) is None
    assert verse.MIN_RUN == 2


def test_toc_page_end_reads_as_its_pattern():
    """toc_lines._page_end reads the trailing page from the end: the same head and page
    as the search ``(\\d{1,3})$`` (any decimal digit; before a final newline too)."""
    from publisher.reader import toc_lines

    rng = random.Random(3)
    alphabet = "标题1234567890…. ٣\n"
    samples = ["坚持首位战略……3", "标题……12", "黄太云68", "标题1234", "标题", "12\n", ""]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(3000)]
    found = 0
    for s in samples:
        m = toc_lines._TRAIL_PAGE.search(s)
        got = toc_lines._page_end(s)
        if m is None:
            assert got is None, s
            continue
        head = s[: m.start()].rstrip()
        if head and head[-1] in toc_lines._LEADER_CHARS:
            head = head.rstrip(toc_lines._LEADER_CHARS).rstrip()
        assert got is not None and (got.group(1), got.group(2)) == (head, m.group(1)), s
        found += 1
    assert found > 1000


def test_one_line_body_is_one_paragraph_as_the_loop_makes_it():
    """blocks._assemble's shortcut for one line of text gives what the assembling loop gives."""
    from publisher.reader import blocks as B

    for text in ["正文。", "**实体经济不断壮大。**全县……", "一是加强领导。", "（一）总体要求", "未完的一句", "Latin text, a line"]:
        items, _ = scan(split_lines(text))
        assert len(items) == 1
        for cls in ("text", "numbered", "lead"):
            items[0].cls = cls
            warnings_short: list = []
            warnings_loop: list = []
            assert B._assemble(items, {}, warnings_short) == B._assemble_lines(items, {}, warnings_loop), (text, cls)
            assert warnings_short == warnings_loop
