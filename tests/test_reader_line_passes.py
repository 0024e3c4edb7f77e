"""The reader's per-line passes read each distinct line once and whole runs of equal
lines at a time (issue 12: 100 KB of one short line repeated parses within 3× of
corpus text).  These tests hold what those shortcuts must not change, on real lines."""
from __future__ import annotations

from dataclasses import fields

from publisher.reader.headings import part_numbers
from publisher.reader.layout import detect_layout, print_width
from publisher.reader.lines import SourceLine, split_lines
from publisher.reader.lines_scan import Item, scan

HEAD = "衡东决策参考"  # a running head as 000 prints it between the halves of a paragraph


def _lines(texts: list[str]) -> list[SourceLine]:
    return [SourceLine(i, t) for i, t in enumerate(texts, start=1)]


def test_split_lines_makes_the_lines_the_constructor_makes():
    text = "\ufeff目录\r\n\r\n春天来了……1  \r坚持首位战略\t\n　　正文一句。\u3000\n"
    got = split_lines(text)
    want = [SourceLine(i, t.rstrip()) for i, t in enumerate(["目录", "", "春天来了……1", "坚持首位战略", "　　正文一句。", ""], start=1)]
    assert got == want
    assert [hash(x) for x in got] == [hash(x) for x in want]
    assert got[2].end == 3 and got[2].last == 0


def test_item_fields_are_in_the_order_scan_passes_them():
    assert [f.name for f in fields(Item)] == [
        "number", "text", "bold", "md_level", "marker", "gap", "gap_after", "indent", "image",
        "cls", "family", "in_verse", "verse_id", "last",
    ]


def test_a_run_of_one_running_head_is_dropped_line_by_line_with_its_gaps_passed_on():
    texts = ["　　一是坚持强化党建引领，做好新时代“三", HEAD, "", HEAD, HEAD, "", "", "农”工作。", "下一段。"]
    items, warnings = scan(_lines(texts))
    assert [it.text for it in items] == ["一是坚持强化党建引领，做好新时代“三", "农”工作。", "下一段。"]
    assert [(w.code, w.line) for w in warnings] == [("R162", 2), ("R162", 4), ("R162", 5)]
    assert warnings[0].message == f"dropped a running head: {HEAD!r}"
    # the blank lines before the dropped heads pass to the line after them
    assert [(it.gap, it.gap_after) for it in items] == [(0, 0), (2, 0), (0, 0)]


def test_a_repeated_line_after_closed_text_is_kept_and_then_read_against_itself():
    # the first line of the run follows a closed sentence: kept; the second follows an
    # unclosed line of its own text and recurs: dropped, and so is the rest of the run
    texts = ["正文一句。", HEAD, HEAD, HEAD, "结束。"]
    items, warnings = scan(_lines(texts))
    assert [it.number for it in items] == [1, 2, 5]
    assert [(w.code, w.line) for w in warnings] == [("R162", 3), ("R162", 4)]
    # a repeated line with sentence punctuation is never a running head
    items, warnings = scan(_lines(["正文一句", "一、一、一、", "一、一、一、", "一、一、一、", "结束。"]))
    assert len(items) == 5 and warnings == []


def test_page_numbers_and_markup_lines_are_warned_in_line_order_with_the_heads():
    texts = ["一是坚持强化党建引领，做好新时代“三", "12", HEAD, "**", HEAD, "农”工作。"]
    items, warnings = scan(_lines(texts))
    assert [it.number for it in items] == [1, 6]
    assert [(w.code, w.line) for w in warnings] == [("R161", 2), ("R162", 3), ("R163", 4), ("R162", 5)]


def test_part_numbers_read_only_the_lines_shaped_like_one():
    body = "以制造业兴县带动产业发展是我们的一项长期任务，需要持之以恒。"
    texts = ["前言一句。", "", "**1**", "以制造业兴县", body, "", "正文。", "", "# 2 ", "以项目建设增动能", body, "7", "页码"]
    assert part_numbers(_lines(texts)) == {3, 9}
    # one bare number is no numbered series; a number first in the text has nothing before it
    assert part_numbers(_lines(texts[:8])) == set()
    assert part_numbers(_lines(["1", "以制造业兴县", body, "结束。", "2", "以项目建设增动能", body])) == set()
    # a line holding a line break (never from split_lines) is read alone
    odd = _lines(texts)
    odd[6] = SourceLine(7, "续\n正文。")
    assert part_numbers(odd) == {3, 9}


def test_layout_counts_a_repeated_line_each_time_it_occurs():
    wide = "这一行文字排到了版心的宽度而没有结束一个句子所以它接着排到下一行去"
    wrapped = [wide] * 30 + ["", "短。"]
    lay = detect_layout("\n".join(wrapped), _lines(wrapped))
    assert lay.paragraphs == "wrapped" and lay.width == print_width([t for t in wrapped if t]) == len(wide)
    # the same lines each followed by a blank line: blank-line paragraphs, not wrapped
    spaced = [x for t in ["第一段。", "第二段。", "第三段。"] * 10 for x in (t, "")]
    assert detect_layout("\n".join(spaced), _lines(spaced)).paragraphs == "blank"
    # Markdown bold on two equal lines is Markdown
    md = ["**加粗**", "**加粗**", "正文。"]
    assert detect_layout("\n".join(md), _lines(md)).markdown


def test_markdown_line_test_reads_as_its_pattern():
    """layout._md_line looks at a line's opening character before its pattern: the same
    answer as the pattern on the sample's lines and on 50,000 seeded short strings of the
    characters the pattern reads (full-width digits and ideographic spaces among them)."""
    import random

    from conftest import SAMPLE
    from publisher.reader.layout import _MD_LINE_RE, _md_line

    rng = random.Random(12)
    alphabet = "#>-*+ 1２3.\t\u3000a标"
    texts = SAMPLE.read_text(encoding="utf-8").splitlines()
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(50_000)]
    assert sum(_md_line(t) for t in texts) > 1000
    for t in texts:
        assert _md_line(t) == bool(_MD_LINE_RE.match(t.strip())), repr(t)


def test_blank_line_count_reads_as_the_line_by_line_count():
    """layout counts the non-blank lines a blank line follows (the last aside) in the joined
    text: the same count as marking each line, on the sample's lines and 20,000 seeded runs
    of right-stripped lines (split_lines' invariant)."""
    import random

    from conftest import SAMPLE
    from publisher.reader.layout import _FOLLOWED_BY_BLANK

    def by_line(texts):
        return "".join("x" if t.strip() else "b" for t in texts).rstrip("b").count("xb")

    def joined(texts):
        return len(_FOLLOWED_BY_BLANK.findall("\n".join(texts).rstrip("\n")))

    rng = random.Random(5)
    runs = [[sl.text for sl in split_lines(SAMPLE.read_text(encoding="utf-8"))]]
    runs += [[rng.choice(["", "", "a", "标题", "x y", "\u3000字"]) for _ in range(rng.randint(0, 9))] for _ in range(20_000)]
    assert by_line(runs[0]) > 20
    for texts in runs:
        assert joined(texts) == by_line(texts), texts
