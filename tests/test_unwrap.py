"""Hard-wrapped print lines joined back into paragraphs (``reader.unwrap``), on real
lines: corpus text set 34 em wide as a PDF text export gives it (issue 11)."""
from __future__ import annotations

import time

from publisher.reader.layout import detect_layout, normalise, print_width
from publisher.reader.lines import SourceLine, split_lines
from publisher.reader.unwrap import runs_on, unwrap

W = 34
IND = "\u3000\u3000"

# 000: a paragraph's last lines, a title that happens to fill the width, its byline,
# then the next paragraph
PAGE_000 = [
    "银行等金融活水支持实体经济发展。围绕产业和企业的需求展开服务，尽量减",
    "少疫情对企业的影响，最大程度保障产业链供应链稳定，从而推动县域经济高",
    "质量发展。",
    "落实农业农村优先发展方针 奋力开创“农业强 农村美 农民富”的新局面",
    "衡东县农业农村局党组书记、局长 李振华",
    IND + "党的二十大报告对新时代新征程三农工作作出了“全面推进乡村振兴”“加",
    "快建设农业强国”“全方位夯实粮食安全根基”等一系列重要决策部署，提出要",
    "“扎实推动乡村产业、人才、文化、生态、组织振兴”，进一步指明了新时代新",
    "征程三农工作的总体要求和前进方向。",
]
# 001: a paragraph ending mid-line, then captions set flush between paragraphs (the
# second fills the width and ends a sentence), then a Markdown heading
PAGE_001 = [
    IND + "营商环境不断优化。设立“企业家接待日”，开展接待活动10次，接待企",
    "业42家，与企业家面对面交流，“双向奔赴”推动解决问题86个。",
    "工人们在杨桥镇荆竹村羊肚菌种植基地采摘。",
    "李花村依靠禽蛋养殖、加工、销售，成为全国乡村特色产业产值超亿元村。",
    "朝气蓬勃的新衡东。",
    "## B 持续增进和改善民生福祉",
]


def _lines(texts: list[str]) -> list[SourceLine]:
    return [SourceLine(i, t) for i, t in enumerate(texts, start=1)]


def test_paragraph_joined_title_and_byline_stand_alone():
    out = unwrap(_lines(PAGE_000), W)
    assert [sl.number for sl in out] == list(range(1, len(PAGE_000) + 1))  # numbers kept
    assert out[0].text.endswith("从而推动县域经济高质量发展。") and out[0].end == 3
    assert out[1].text == out[2].text == ""
    assert out[3].text == PAGE_000[3] and out[3].end == 4  # the title: not run on into its byline
    assert out[4].text == PAGE_000[4]
    assert out[5].text.startswith(IND + "党的二十大报告") and out[5].text.endswith("总体要求和前进方向。")
    assert out[5].end == 9 and all(not sl.text for sl in out[6:])


def test_captions_between_paragraphs_stand_alone():
    out = unwrap(_lines(PAGE_001), W)
    assert out[0].text.endswith("“双向奔赴”推动解决问题86个。") and out[0].end == 2
    # a run opened flush among indented paragraphs is no paragraph: a sentence ending
    # at the width closes it
    assert [sl.text for sl in out[2:]] == PAGE_001[2:]


def test_signals():
    full_closed = "案不能适用《决定》对被告人刘振杰定罪量刑，只能适用刑法第二百二十五条。"
    assert runs_on(full_closed, "（审编：任卫华）", W) is False  # an aside wholly in brackets
    assert runs_on(full_closed, "刘振杰的行为构成非法经营罪。", W) is True  # flush: the paragraph goes on
    assert runs_on(full_closed, IND + "刘振杰的行为构成非法经营罪。", W) is False  # indented: a new one
    assert runs_on("短行", "。后面", W) is True  # a closing mark never opens a printed line
    # 000's 目录: entries opened by their pages, the first one filling the width
    assert runs_on("24 落实农业农村优先发展方针 奋力开创“农业强 农村美 农民富”的新局面",
                   "25 聚焦“守底线 抓发展 促振兴”工作主线 全面推进乡村振兴走在省市前列", W) is False
    # a line cut before an unbreakable run (a Latin word, a number) falls a little short
    assert runs_on("前三季度，全县共完成地区生产总值", "(GDP)255.92亿元，增长5.7%；", 20) is True


def test_signals_at_other_widths():
    # the sample set 26 em wide: a signature in brackets after the stop ends the paragraph
    assert runs_on("让我们以更加饱满的热情、更加务实的作风，奋力书写青溪", "高质量发展的新篇章。（山禾）", 26) is True
    # set 30 em wide: a bracket left open runs on, even into a short line
    assert runs_on("的热情、更加务实的作风，奋力书写青溪高质量发展的新篇章。（山", "禾）", 30) is True
    # 000 set 26 em wide: a numbered item alone on its line after a sentence ending at the width
    assert runs_on("目做大做强，让高湖的集体经济发展能在全县出新出彩。", "二、抓实城乡同治，力争环境做优做美。", 26) is False
    # 101 set 34 em wide: “一、二审” opening a line inside a paragraph is no item
    assert runs_on("本院复核期间有检举他人犯罪的立功表现，但根据其犯罪情节，不予从轻处罚。",
                   "一、二审判决认定被告人朱奕骥虚开的0458680号发票已被抵扣的事实证据不",
                   W, after="足，不予认定。") is True
    # a line broken at the space after a number (the line end swallowed it) runs on
    assert runs_on("成果。健全常态化驻村帮扶工作机制，组建 72 支工作队，选派 180", "名政治素质好、工作作风实、综合能力强的优秀干部开展驻村帮扶。", 30) is True


def test_a_sentence_ending_short_of_the_width_ends_the_paragraph():
    # 104 set 34 em wide without indents: a line one character short of the width after a
    # sentence end is a paragraph's last line (a continuation would have filled it)
    last = "量发展，人均预期寿命提升到80岁以上。"
    nxt = "七是扛牢“守护好一江碧水”政治责任，推动美丽湖南建设实现新突破。落实"
    assert runs_on("在推进共同富裕中，全面推进健康湖南建设，人口高质量发展取得新成效。", nxt, W) is False
    assert runs_on(last, nxt, W) is False


def test_latin_words_keep_their_space():
    out = unwrap(_lines([IND + "中国队在比赛中表现出色，赢得了观众的喝彩，媒体称之为a great", "victory。"]), 30)
    assert out[0].text.endswith("a great victory。")


def test_detected_and_normalised_on_wrapped_text_only():
    text = "\n".join(PAGE_000 * 3 + PAGE_001 * 3) + "\n"
    lines = split_lines(text)
    layout = detect_layout(text, lines)
    assert (layout.paragraphs, layout.width) == ("wrapped", W)
    out = normalise(lines, layout)
    assert len(out) == len(lines) and out[0].end == 3
    # one paragraph a line (as 102 and 105 print them) is not hard-wrapped
    assert print_width([IND + x.strip() for x in PAGE_000 if x.strip()][:3] + ["短", "中等长度的一行文字。"]) is None


def test_linear():
    block = _lines((PAGE_000 + PAGE_001) * 200)
    t0 = time.process_time()
    unwrap(block, W)
    small = time.process_time() - t0
    big = _lines((PAGE_000 + PAGE_001) * 4000)
    t0 = time.process_time()
    out = unwrap(big, W)
    assert len(out) == len(big)
    assert time.process_time() - t0 < 20 * small * 3 + 0.5  # 20× the lines, about 20× the time
