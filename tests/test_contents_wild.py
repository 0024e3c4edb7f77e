"""目录 in the wild (issue 11, items 5 and 7): wrapped 目录 lines from OCR, matching a
body printed in traditional forms, taglines between entries, and failing soft.

The lines are real lines from corpus-wild 101 (a court journal OCR'd to Markdown)
and a 000-like issue; the whole-file check runs where the corpus folder exists.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.reader import parse_text, read_issue, unaccounted_lines
from publisher.reader.contents import find_contents, is_noise
from publisher.reader.lines import split_lines
from publisher.reader.toc_lines import read_wrapped

WILD = Path(__file__).resolve().parents[2] / "shared" / "corpus-wild"
EXPECTED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "expected.json"

# lines 121-183 of corpus-wild 101, as OCR and the Markdown converter left them
WRAPPED_TOC = """## 目 录

## 【发刊词】

## 【案例】

北京太子纺织工业有限公司、姚志俊等走私普通  
货物案  
单位走私犯罪在法律文书中如何表述…  
刘振杰骗购国家外汇额度案  
-倒卖骗购的外汇额度行为如何定罪 10  
朱奕骥投机倒把案  
-承包经理虛开增值稅专用发票是否构成单位  
犯罪… 21  
曹娅莎金融凭证诈骗案  
—使用变造的金融凭证进行诈骗的行为如何适用  
法律…… 27  
王严侵占案  
一侵占案是告诉才处理的案件…. 42

## 【法律、法规、司法解释】

全国人大常委会  
《关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的  
决定>… 47  
最高人民法院  
关于审理骗购外汇、非法买卖外汇刑事案件具体  
应用法律若干问题的解释 50  
关於人民法院决定暂予监外执行有关问题的批复 58  
最高人民法院邨最高人民检察院邨公安部  
关于铁路运输过程中盗窃罪数额认定标准问题的  
规定… 64  
最高人民法院邨最高人民检察院邨公安部邨司法部  
海关总署  
关於走私犯罪侦查机关办理走私犯罪案件适用刑事  
诉讼程序若干问题的通知.. 65  
【法律、法规、司法解释理解与适用】  
《关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的决定》  
的理解和适用  
黄太云68  
《关于在办理受贿犯罪大要案的同时要严肃查处严重行贿  
犯罪分子的通知》的理解和适用  
敬大力王洪祥韩耀元75
"""


def _entries(text: str):
    lines = split_lines(text)
    got = read_wrapped(lines, 0)
    assert got is not None
    return got[0]


def test_wrapped_entries_titles_subtitles_pages():
    es = _entries(WRAPPED_TOC)
    got = [(e.column, e.title, e.subtitle, e.page) for e in es]
    assert got[:6] == [
        ("发刊词", "发刊词", None, None),  # a label with nothing under it: a one-piece column
        ("案例", "北京太子纺织工业有限公司、姚志俊等走私普通货物案", "——单位走私犯罪在法律文书中如何表述", None),
        ("案例", "刘振杰骗购国家外汇额度案", "——倒卖骗购的外汇额度行为如何定罪", 10),
        ("案例", "朱奕骥投机倒把案", "——承包经理虛开增值稅专用发票是否构成单位犯罪", 21),
        ("案例", "曹娅莎金融凭证诈骗案", "——使用变造的金融凭证进行诈骗的行为如何适用法律", 27),
        ("案例", "王严侵占案", "——侵占案是告诉才处理的案件", 42),  # "一" read as ——
    ]


def test_wrapped_entries_issuers_brackets_and_fused_authors():
    es = {e.page: e for e in _entries(WRAPPED_TOC)}
    assert es[47].title == "《关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的决定》"  # ">" for "》"
    assert es[47].issuer == "全国人大常委会" and es[47].subtitle is None
    assert es[50].issuer == "最高人民法院" and es[50].title.startswith("关于审理")
    assert es[58].issuer == "最高人民法院"  # the group label carries over
    assert es[64].title == "关于铁路运输过程中盗窃罪数额认定标准问题的规定"
    assert es[65].issuer.endswith("海关总署")  # a label wrapped over two lines
    assert es[65].title.endswith("若干问题的通知")
    assert (es[68].column, es[68].author) == ("法律、法规、司法解释理解与适用", "黄太云")  # a label that is no heading
    assert es[75].author == "敬大力王洪祥韩耀元" and es[75].subtitle is None


def test_cover_block_without_pages_is_not_a_contents():
    # corpus-wild 101, lines 9-27: the cover's 本期要目 lists pieces without pages
    cover = "本期要目\n\n【案例】\n\n北京太子纺织工业有限公司、姚志俊等走私普通货物案单位走私犯罪在法律文书中如何定罪曹娅莎金融凭证诈骗案\n\n使用变造的金融凭证进行诈骗的行为如何适用法律\n\n【法律·法规·司法解释】\n\n## 【裁判诉讼文书选登】\n\n诸时建贪污、巨额财产来源不明案\n"
    assert read_wrapped(split_lines(cover), 0) is None
    assert find_contents(split_lines(cover)) is None


def test_tagline_between_entries_is_noise_not_a_column():
    assert is_noise("政策性 / 权威性 / 前瞻性")
    assert not is_noise("专题聚焦 · 建设县域经济强县")
    text = "\n\n".join(
        ["目录", "专题聚焦", "22 开辟发展新领域新赛道/周志波", "政策性 / 权威性 / 前瞻性", "洙水文艺", "36 衡东处处好风光/何可人",
         "开辟发展新领域新赛道", "周志波", "正文第一段，讲了一件事。", "衡东处处好风光", "何可人", "正文第二篇，写了风景。"]
    )
    issue = parse_text(text)
    assert [c.name for c in issue.columns] == ["专题聚焦", "洙水文艺"]
    assert any(w.code == "R202" and "政策性" in w.message for w in issue.warnings)


def _body_issue() -> str:
    body = [
        "# 朱奕骥投机倒把案承包经理虛开增值税专用发票是否构成单位犯罪",
        "## 一、基本案情",
        "被告人朱奕骥，男，原系某公司经理。因涉嫌投机倒把罪被逮捕。",
        "# 杨海波等販卖淫秽物品牟利案販卖淫秽物品牟利如何适用法律",
        "## 一、基本案情",
        "被告人杨海波，男，无业。因涉嫌販卖淫秽物品牟利罪被逮捕。",
        "# 最高人民法院　最高人民检察院公安部祐司法部祐海关总署关於走私犯罪侦查机关办理走私犯罪案件适用刑事诉讼程序若干问题的通知",
        "各省、自治区、直辖市高级人民法院：现将有关问题通知如下。",
    ]
    toc = [
        "## 目 录", "## 【案例】",
        "朱奕骥投机倒把案  ", "-承包经理虛开增值稅专用发票是否构成单位  ", "犯罪… 21  ",
        "杨海波等贩卖淫秽物品牟利案  ", "-販卖淫秽物品牟利如何适用法律 34  ",
        "蓝海诈骗案  ", "-以传真方式进行经济合同诈骗案件如何确定  ", "审判管辖 38",
        "## 【法律、法规、司法解释】",
        "最高人民法院邨最高人民检察院邨公安部邨司法部  ", "海关总署  ",
        "关於走私犯罪侦查机关办理走私犯罪案件适用刑事  ", "诉讼程序若干问题的通知.. 65",
    ]
    return "\n".join(toc) + "\n\n" + "\n\n".join(body) + "\n"


def test_body_in_traditional_forms_fused_titles_split_as_the_contents_prints_them():
    text = _body_issue()
    issue = parse_text(text)
    arts = {a.page: a for a in issue.articles}
    assert (arts[21].title, arts[21].subtitle) == ("朱奕骥投机倒把案", "——承包经理虛开增值稅专用发票是否构成单位犯罪")
    assert (arts[34].title, arts[34].subtitle) == ("杨海波等贩卖淫秽物品牟利案", "——販卖淫秽物品牟利如何适用法律")
    assert arts[65].title == "关於走私犯罪侦查机关办理走私犯罪案件适用刑事诉讼程序若干问题的通知"
    assert arts[65].kicker.startswith("最高人民法院") and arts[65].kicker.endswith("海关总署")
    assert arts[38].blocks == []  # missing in the middle: kept, reported
    assert any(w.code == "R203" and w.line == 8 for w in issue.warnings)
    assert all(a.blocks[0].type == "heading" for a in issue.articles if a.page in (21, 34))
    assert unaccounted_lines(issue, text) == []


def test_fail_soft_far_more_unlisted_articles_than_entries():
    # each section opens like an article the 目录 does not list (headline + byline
    # with a role); five of them for two entries is a misreading
    parts = ["目录", "专题", "03 第一篇文章", "05 第二篇文章", "第一篇文章", "县长 王某", "第一篇的正文。这是一段话。"]
    for k in range(5):
        parts += [f"第{k + 1}节的小标题", "县委办公室主任 李某", f"这一节的正文，说明第{k + 1}件事。"]
    parts += ["第二篇文章", "副县长 张某", "第二篇的正文。"]
    issue = parse_text("\n\n".join(parts))
    assert [a.title for a in issue.articles] == ["第一篇文章", "第二篇文章"]
    (w,) = [w for w in issue.warnings if w.code == "R214"]
    assert "5 unlisted articles" in w.message and "2 目录 entries" in w.message
    assert not any(w.code == "R209" for w in issue.warnings)


def test_fail_soft_most_entries_missing_says_so_with_the_figures():
    parts = ["目录", "专题", "03 第一篇文章", "05 不在正文甲", "07 不在正文乙", "09 不在正文丙", "11 最后一篇",
             "第一篇文章", "第一篇的正文。这是一段话。", "最后一篇", "最后一篇的正文。"]
    issue = parse_text("\n\n".join(parts))
    (w,) = [w for w in issue.warnings if w.code == "R216"]
    assert "only 2 of 5" in w.message and "3 missing" in w.message


@pytest.mark.skipif(not (WILD / "101_xingshi-shenpan-cankao-1999-01.txt").exists(), reason="corpus-wild folder not present")
def test_101_columns_and_articles_as_a_careful_reader_sees_them():
    path = WILD / "101_xingshi-shenpan-cankao-1999-01.txt"
    want = json.loads(EXPECTED.read_text(encoding="utf-8"))[path.name]
    issue = read_issue(path)
    got = [(c.name, [(a.title, a.page, a.subtitle) for a in c.articles]) for c in issue.columns]
    exp = [(c["name"], [(a["title"], a.get("page"), a.get("subtitle")) for a in c["articles"]]) for c in want["columns"]]
    assert got == exp
    titles = {a.title for a in issue.articles}
    assert not titles & set(want["headings"])  # 一、基本案情 is a heading, never an article
    assert any(w.code == "R215" and "pages 68–88" in w.message for w in issue.warnings)


def test_case_numbers_are_part_of_the_title_never_a_column():
    # a court journal's 目录 prints each case with its number, "]" sometimes lost in OCR
    text = "\n\n".join(["目录", "案例", "[第1055号]张某故意杀人案……6", "[第1056号李某盗窃案……9",
                        "[第1055号]张某故意杀人案", "正文，讲了一件事。", "[第1056号]李某盗窃案", "正文。"])
    issue = parse_text(text)
    assert [c.name for c in issue.columns] == ["案例"]
    assert [(a.title, a.page) for a in issue.articles] == [("[第1055号]张某故意杀人案", 6), ("[第1056号]李某盗窃案", 9)]


def test_contents_title_printed_as_kicker_and_title_by_the_body():
    # an issue like 000: two issuing offices and the verb in the 目录 title, two lines in the body
    text = "\n\n".join(["目录", "政策资讯", "04 中共中央办公厅 国务院办公厅印发关于加强新时代某项工作的意见",
                        "中共中央办公厅 国务院办公厅印发", "关于加强新时代某项工作的意见", "正文第一段，讲了一件事。"])
    (a,) = parse_text(text).articles
    assert (a.kicker, a.title, a.page) == ("中共中央办公厅 国务院办公厅印发", "关于加强新时代某项工作的意见", 4)


def test_parse_ends_with_an_account_of_what_was_uncertain():
    from publisher.commands.parse import outline
    from publisher.reader.account import account

    issue = parse_text(_body_issue())
    lines = account(issue)
    assert lines[0] == "account:"
    assert any(x.startswith("  R203 ×1:") and "(lines 8)" in x for x in lines)
    assert outline(issue).rstrip().endswith(lines[-1])
    assert account(parse_text("目录\n\n专题\n\n03 春耕生产\n\n春耕生产\n\n正文一段。")) == []


def test_column_labels_printed_as_plain_lines():
    # the same 目录 without brackets or heading marks on its labels
    toc = "\n".join([
        "## 目 录", "", "发刊词", "", "案例", "",
        "刘振杰骗购国家外汇额度案  ", "-倒卖骗购的外汇额度行为如何定罪 10  ",
        "王严侵占案  ", "一侵占案是告诉才处理的案件…. 42",
        "法律、法规  ", "全国人大常委会  ", "《关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的  ", "决定>… 47  ",
        "蓝海诈骗案 38",
    ])
    got = [(e.column, e.title, e.page) for e in _entries(toc)]
    assert got == [
        ("发刊词", "发刊词", None),
        ("案例", "刘振杰骗购国家外汇额度案", 10),
        ("案例", "王严侵占案", 42),
        ("法律、法规", "《关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的决定》", 47),
        ("法律、法规", "蓝海诈骗案", 38),
    ]


def test_one_line_entry_with_an_angle_for_the_closing_title_mark():
    from publisher.reader.contents import parse_entry

    assert parse_entry("《关于惩治骗购外汇犯罪的决定>…… 47") == (47, "《关于惩治骗购外汇犯罪的决定》", None)


def test_group_author_fused_with_the_page():
    toc = "\n".join([
        "目录", "【调研】", "关于县域经济高质量发展的调研报告  ", "课题组186",
        "刘振杰骗购国家外汇额度案  ", "-倒卖骗购的外汇额度行为如何定罪 190", "王严侵占案 195",
    ])
    es = _entries(toc)
    assert (es[0].title, es[0].author, es[0].page) == ("关于县域经济高质量发展的调研报告", "课题组", 186)


def test_tagline_and_page_number_between_wrapped_entries_are_dropped_with_a_warning():
    toc = "\n".join([
        "目录", "【案例】", "刘振杰骗购国家外汇额度案  ", "-倒卖骗购的外汇额度行为如何定罪 10  ",
        "政策性 / 权威性 / 前瞻性", "王严侵占案  ", "12", "一侵占案是告诉才处理的案件…. 42", "蓝海诈骗案 38",
    ])
    got = read_wrapped(split_lines(toc), 0)
    assert [(e.title, e.subtitle) for e in got[0]] == [
        ("刘振杰骗购国家外汇额度案", "——倒卖骗购的外汇额度行为如何定罪"),
        ("王严侵占案", "——侵占案是告诉才处理的案件"),
        ("蓝海诈骗案", None),
    ]
    assert [(w.code, w.line) for w in got[2]] == [("R202", 5), ("R202", 7)]


def test_cover_highlights_with_pages_give_way_to_the_contents():
    text = "\n\n".join([
        "本期要目", "刘振杰骗购国家外汇额度案 10", "王严侵占案 42",
        "目录", "案例", "02 北京太子纺织工业有限公司走私普通货物案", "10 刘振杰骗购国家外汇额度案", "42 王严侵占案",
        "北京太子纺织工业有限公司走私普通货物案", "正文，讲了一件事。", "刘振杰骗购国家外汇额度案", "正文，讲了另一件事。",
        "王严侵占案", "正文，讲了第三件事。",
    ])
    issue = parse_text(text)
    assert [(a.title, a.page) for a in issue.articles] == [
        ("北京太子纺织工业有限公司走私普通货物案", 2), ("刘振杰骗购国家外汇额度案", 10), ("王严侵占案", 42),
    ]
    assert issue.contents_source[0] == 7


def test_cover_highlights_alone_are_the_contents():
    text = "\n\n".join(["本期要目", "刘振杰骗购国家外汇额度案 10", "王严侵占案 42",
                        "刘振杰骗购国家外汇额度案", "正文，讲了一件事。", "王严侵占案", "正文，讲了另一件事。"])
    assert [(a.title, a.page) for a in parse_text(text).articles] == [("刘振杰骗购国家外汇额度案", 10), ("王严侵占案", 42)]


def test_fused_title_with_a_glyph_lost_still_splits():
    # the body line of corpus-wild 101 with one title glyph lost in OCR
    toc = "\n".join(["## 目 录", "## 【案例】", "朱奕骥投机倒把案  ", "-承包经理虛开增值稅专用发票是否构成单位  ", "犯罪… 21  ",
                     "蓝海诈骗案  ", "-以传真方式进行经济合同诈骗案件如何确定  ", "审判管辖 38", "王严侵占案  ", "一侵占案是告诉才处理的案件…. 42"])
    body = ["# 朱奕投机倒把案承包经理虛开增值税专用发票是否构成单位犯罪", "被告人朱奕骥，男。因涉嫌投机倒把罪被逮捕。",
            "# 蓝海诈骗案以传真方式进行经济合同诈骗案件如何确定审判管辖", "被告人蓝海，男。因涉嫌诈骗罪被逮捕。",
            "# 王严侵占案侵占案是告诉才处理的案件", "被告人王严，男。因涉嫌侵占罪被起诉。"]
    issue = parse_text(toc + "\n\n" + "\n\n".join(body) + "\n")
    assert [(a.title, a.subtitle) for a in issue.articles][0] == ("朱奕骥投机倒把案", "——承包经理虛开增值稅专用发票是否构成单位犯罪")


def test_page_and_leader_ends_read_from_the_right():
    """The wrapped 目录's line ends are stripped from the right: the same reading as the
    lazy patterns they replace (a line of leaders alone aside: no head, no entry end),
    and linear on a 200,000-dot leader (the lazy pattern took 15 s on 20,000)."""
    import random
    import re
    import time

    from publisher.reader import toc_lines as t

    page = re.compile(r"^(.*?)\s*(?:[.。·•…⋯_]+\s*)?(\d{1,3})$")
    leader = re.compile(r"^(.*?\S)\s*(?:…+|\.{2,}|…\.|·{2,})$")
    rng = random.Random(7)
    alpha = "ab 题.。·•…⋯_12345\u3000"
    for _ in range(20000):
        s = "".join(rng.choice(alpha) for _ in range(rng.randint(0, 12)))
        a, b = page.match(s), t._page_end(s)
        assert (a is None) == (b is None) and (not a or (a.group(1), a.group(2)) == (b.group(1), b.group(2))), s
        if s.strip(" \u3000.…·"):
            a, b = leader.match(s), t._leader_end(s)
            assert (a is None) == (b is None) and (not a or a.group(1) == b.group(1)), s
    assert t._page_end("单位走私犯罪…. 42").group(1) == "单位走私犯罪"
    assert t._leader_end("单位走私犯罪在法律文书中如何表述…").group(1) == "单位走私犯罪在法律文书中如何表述"
    s = "标题" + "." * 200000 + "x"
    start = time.process_time()
    assert t._page_end(s) is None and t._leader_end(s) is None
    assert time.process_time() - start < 0.5


def test_wrapped_reading_stops_only_when_it_cannot_win():
    """find_contents keeps the wrapped reading only with more page-bearing entries than
    the line-per-entry reading; read_wrapped(…, beat=k) stops after its first pass when it
    cannot give more than k (issue 12 speed) — and otherwise reads exactly as without."""
    lines = split_lines(WRAPPED_TOC)
    full = read_wrapped(lines, 0)
    pages = sum(1 for e in full[0] if e.page is not None)
    assert pages >= 10
    for k in range(pages):
        assert read_wrapped(lines, 0, beat=k) == full
    assert read_wrapped(lines, 0, beat=pages) is None
    assert read_wrapped(lines, 0, beat=pages + 5) is None
