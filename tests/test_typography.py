"""typography.normalise / normalise_title: each rule on lines from the corpus."""
from __future__ import annotations

import pytest

from publisher import typography as ty
from publisher.typography import normalise, normalise_title


# --- half-width marks in Chinese context (003 is written with , : ( ) throughout) --

def test_commas_and_semicolons_become_full_width_next_to_han():
    src = "习近平总书记亲临湖南考察指导,充分体现了对湖南的高度重视和亲切关怀。"
    assert normalise(src) == "习近平总书记亲临湖南考察指导，充分体现了对湖南的高度重视和亲切关怀。"
    src = "同比增长13.34%;实现工业增加值27.62亿元,同比增长19.2%。"
    assert normalise(src) == "同比增长13.34%；实现工业增加值27.62亿元，同比增长19.2%。"


def test_colon_of_a_source_line_and_times_and_urls():
    assert normalise("来源:红星云") == "来源：红星云"
    assert normalise("会议于12:30开始") == "会议于12:30开始"
    assert normalise("详见http://www.hengdong.gov.cn/a.html。") == "详见http://www.hengdong.gov.cn/a.html。"
    assert normalise("联系邮箱hd.zys@163.com,电话") == "联系邮箱hd.zys@163.com，电话"


def test_parentheses_pairs_in_chinese_context():
    # 001: 地区生产总值(GDP)255.92亿元 ; 新时代文明实践中心(所、站)建设
    assert normalise("全县共完成地区生产总值(GDP)255.92亿元,增长5.7%") == "全县共完成地区生产总值（GDP）255.92亿元，增长5.7%"
    assert normalise("抓好新时代文明实践中心(所、站)建设") == "抓好新时代文明实践中心（所、站）建设"
    # 000: (一) 提高认识。各级党委(党组)要…  (mixed (一） too)
    assert normalise("(一) 提高认识。各级党委(党组)要") == "（一）提高认识。各级党委（党组）要"
    assert normalise("(一） 提高认识") == "（一）提高认识"
    # Latin context stays
    assert normalise("see f(x) and (a, b)") == "see f(x) and (a, b)"


def test_numbers_stay_untouched():
    for s in ("5.8%", "1+8+N", "255.92亿元", "1.06万人", "12:30", "1,000", "3.37万亩", "1—11月", "2—3个"):
        assert normalise(s) == s
    assert normalise("打造“1+8+N”项目建设协调指挥体系") == "打造“1+8+N”项目建设协调指挥体系"


def test_full_stop_after_han_but_not_list_markers_or_decimals():
    # sample: 村民张大姐笑着说.  (a half-width stop at the end of a Chinese sentence)
    assert normalise("村民张大姐笑着说.") == "村民张大姐笑着说。"
    assert normalise("1. 贯彻落实党中央决策部署") == "1.贯彻落实党中央决策部署"
    assert normalise("完成投资83.4亿元.") == "完成投资83.4亿元。"


def test_question_and_exclamation_marks():
    assert normalise("那该又是怎样的一幅生动画面?") == "那该又是怎样的一幅生动画面？"
    assert normalise("县委县政府就跟谁过不去!") == "县委县政府就跟谁过不去！"
    assert normalise("Why?") == "Why?"


# --- quotes ------------------------------------------------------------------

def test_straight_double_quotes_pair_per_paragraph():
    src = '坚定不移走好"工业强县、文教旺城"发展之路,在实现"三高四新"美好蓝图中奋勇争先。'
    assert normalise(src) == "坚定不移走好“工业强县、文教旺城”发展之路，在实现“三高四新”美好蓝图中奋勇争先。"
    # mixed straight and curly quotes still balance
    assert normalise('打造“投资衡东,诸事亨通"营商环境') == "打造“投资衡东，诸事亨通”营商环境"


def test_single_quotes_and_apostrophes():
    assert normalise("大力推行'清'易通服务") == "大力推行‘清’易通服务"
    assert normalise("It's a test") == "It's a test"


# --- spaces ------------------------------------------------------------------

def test_extraction_spaces_between_han_and_digits_removed():
    # 000 line 183: 我县2022 / 年 GDP 为 336.5 亿元
    src = "年 GDP 为 336.5 亿元，排在全市七县五区第六"
    assert normalise(src) == "年GDP为336.5亿元，排在全市七县五区第六"
    assert normalise("主要是 12 个方面。") == "主要是12个方面。"
    assert normalise("严格实行假期 AB 岗") == "严格实行假期AB岗"


def test_spaces_between_latin_words_kept_and_collapsed():
    assert normalise("发布 Open   Source  报告") == "发布Open Source报告"


def test_parallel_phrases_inside_quotes_keep_their_space():
    # 000 line 457
    src = "二是践行县委“四子工程 五大行动”，首创的“党建联建 产业联片 乡村联兴”示范片"
    assert normalise(src) == src
    # but a broken name inside a sentence is an extraction space
    assert normalise("记者 唐 翔 报道") == "记者唐翔报道"


def test_full_width_digits_and_letters_become_ascii():
    assert normalise("２０２３年ＧＤＰ增长５．７％") == "2023年GDP增长5.7%"


# --- ellipsis and dashes --------------------------------------------------------

@pytest.mark.parametrize("src", ["风景中...", "风景中。。。", "风景中…", "风景中⋯⋯", "风景中……"])
def test_ellipsis_variants(src):
    assert normalise(src) == "风景中……"


@pytest.mark.parametrize("src", ["衡南--发展", "衡南——发展", "衡南－－发展", "衡南―发展", "衡南———发展"])
def test_dash_variants(src):
    assert normalise(src) == "衡南——发展"


def test_single_dash_between_numbers_is_a_range():
    assert normalise("2023年全县着力打造2—3个乡村") == "2023年全县着力打造2—3个乡村"


def test_title_keeps_the_headline_space():
    assert normalise_title("坚持首位战略  凝心聚力加快建设县域经济强县") == "坚持首位战略 凝心聚力加快建设县域经济强县"
    assert normalise_title("抓好“三大建设” 助推党的二十大精神落地见效") == "抓好“三大建设” 助推党的二十大精神落地见效"
    assert normalise_title("守正创新\u3000笃行致远") == "守正创新 笃行致远"
    assert normalise_title("2023 年工作要点 ,  奋勇争先") == "2023年工作要点，奋勇争先"
    # body text drops the same space
    assert normalise("坚持首位战略 凝心聚力") == "坚持首位战略凝心聚力"


def test_normalise_map_carries_ranges():
    raw = "一、招大引强 ,促发展. 创新招商"
    out, org = ty.normalise_map(raw)
    assert out == "一、招大引强，促发展。创新招商"
    s, e = ty.map_range(org, 0, raw.index("创"))
    assert out[s:e] == "一、招大引强，促发展。"
    assert len(org) == len(out) and org == sorted(org)


def test_is_closed():
    assert ty.is_closed("……衡东的“拼”和“进”为全省全市发展大局增光添彩。")
    assert ty.is_closed("“这不还常有驴友光顾呢！”")
    assert ty.is_closed("下面，我讲三点意见：")
    assert not ty.is_closed("一是坚持强化党建引领，做好新时代“三")
    assert not ty.is_closed("加快构建“种养加、产供销、贸工农”")
    assert not ty.is_closed("推进乡村产业振兴、人才振兴（五大振兴）")


def test_quotes_balance_over_a_long_paragraph():
    unit = '在全党大兴调查研究,要紧紧围绕"全面贯彻" 12 个方面 (一) ... -- '
    out = normalise(unit * 2000)
    assert out.count("“") == out.count("”") == 2000
    assert out.count("（一）") == 2000 and '"' not in out and "," not in out


def test_marks_after_a_western_run_inside_chinese_text():
    # the mark follows "6.2%" / "A" / "5", which follow Han: Chinese context
    assert normalise("同比增长6.2%.") == "同比增长6.2%。"
    assert normalise("包括A, B两类") == "包括A，B两类"
    assert normalise("是不是5?") == "是不是5？"
    assert normalise("详见网站www.hengdong.gov.cn.") == "详见网站www.hengdong.gov.cn。"
    # …but not in Latin text, and never inside numbers or list markers
    assert normalise("English words. More words, again?") == "English words. More words, again?"
    assert normalise("12.本地区本部门本单位") == "12.本地区本部门本单位"
    assert normalise("共5.5亿元") == "共5.5亿元"


def test_a_lone_straight_quote_before_a_stop_closes():
    # the source lost the opening mark: the quote before ， is a closing one
    assert normalise('坚决做到两个维护",推动') == "坚决做到两个维护”，推动"
    assert normalise('他说:"好了"。') == "他说：“好了”。"


def test_nested_and_many_parentheses():
    assert normalise("改(新)建(农村(户用)厕所)") == "改（新）建（农村（户用）厕所）"
    deep = "(" * 3000 + "中" + ")" * 3000  # linear: a Han prefix count, not a scan per pair
    assert normalise(deep) == "（" * 3000 + "中" + "）" * 3000
