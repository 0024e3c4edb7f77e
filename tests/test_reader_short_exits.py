"""The early exits and shared caches of the per-article passes (issue 12 speed) give
what the full passes give: the bounds are tight, the caches read what the pass reads."""
from __future__ import annotations

import re
from pathlib import Path

from publisher.reader import blocks, debris, headings
from publisher.reader.lines import SourceLine
from publisher.reader.lines_scan import Item

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample-issue.txt"

# two part heads in as few lines as they need (1 / its title / its text)
PARTS = [
    "前言到此结束。",
    "1",
    "以制造业兴县带动产业发展",
    "县里坚持工业强县战略，推动制造业高质量发展。",
    "2",
    "以城乡融合促进共同富裕",
    "县里统筹城乡发展，让农民共享发展成果，日子越过越好。",
]


def _lines(texts: list[str]) -> list[SourceLine]:
    return [SourceLine(k + 1, t) for k, t in enumerate(texts)]


def test_two_parts_fit_in_the_fewest_lines_the_early_exit_allows():
    assert len(PARTS) == headings.PART_LINES_MIN
    assert headings.part_numbers(_lines(PARTS)) == {2, 5}
    assert headings.part_numbers(_lines(PARTS[1:])) == set()  # no closed line before the first


def test_lead_ranges_of_texts_with_and_without_lead_characters():
    assert headings.lead_ranges("正文。") == []
    assert headings.lead_ranges("春天来了，万物复苏。田野里一片繁忙。") == []
    assert headings.lead_ranges("一是抓实基础产业。二是做强龙头企业。三是完善配套。") == [(0, 9), (9, 18)]
    assert headings.lead_ranges("【镜头一】清晨的村口。") == [(0, 5)]
    assert headings.lead_ranges("首先，要统一思想。然后落实。") == [(0, 9)]


def test_lead_ranges_early_exit_changes_no_reading_of_the_sample(monkeypatch):
    from publisher import typography as ty

    texts = [ty.normalise(t) for t in SAMPLE.read_text(encoding="utf-8").splitlines() if t.strip()]
    fast = [headings.lead_ranges(t) for t in texts]
    monkeypatch.setattr(headings, "_LEAD_CHARS", re.compile(""))  # every text read in full
    assert [headings.lead_ranges(t) for t in texts] == fast
    assert any(fast)


def test_cached_class_is_the_class_classify_gives():
    lines = [
        ("正文。", [], None, ""),
        ("一、总体要求", [(0, 6)], None, ""),
        ("（三）本案如何定性？", [], 2, ""),
        ("责任编辑：王磊", [], None, ""),
        ("小标题在这里", [], None, "■"),
        ("一是抓实基础产业，二是做强龙头企业。", [], None, ""),
        ("【镜头一】", [], None, ""),
    ]
    for literary in (False, True):
        for text, bold, level, marker in lines:
            it = Item(1, text, list(bold), level, marker)
            blocks._classify(it, literary)
            assert blocks._class_of(text, False, tuple(bold), level, marker, literary) == (it.cls, it.family), text


def test_button_lines_and_lines_with_other_characters():
    assert debris.is_button_line("下载 打印 全屏 收藏 【字号：大 中 小】")
    assert debris.is_button_line("分享到：微信 QQ")
    assert debris.is_button_line("】")
    assert not debris.is_button_line("春天来了")
    assert not debris.is_button_line("下载 打印 附件")
