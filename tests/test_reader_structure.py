"""The reader's structure: 目录, columns, articles, heads, bylines, kinds, accounting.

Corpus acceptance (issue 2) on 000: 18 articles in 8 columns in 目录 order, each with
the page and authors of the print issue; the 卷首语 before the 目录 signed 沫声; the
政策资讯 kicker; the literary subtitles and verse; no 目录 text in any body; every
line accounted for.  Plus the single articles 001/003, the bundled sample, a second
test input in another layout (tests/fixtures/other-magazine.txt) and unit cases for
each rule.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.model import Meta
from publisher.reader import parse_text, read_issue, unaccounted_lines
from publisher.reader.bylines import (
    credit_authors,
    is_credits,
    parse_byline,
    signature_line,
    split_signature,
)
from publisher.reader.contents import find_contents, parse_entry
from publisher.reader.lines import split_lines
from publisher.reader.shape import key
from publisher.textio import read_text

from conftest import SAMPLE, corpus_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "other-magazine.txt"


def people(article):
    return [(a.name, a.role) for a in article.authors]


def names(article):
    return [a.name for a in article.authors]


def by_title(issue, fragment):
    found = [a for a in issue.articles if fragment in a.title]
    assert len(found) == 1, f"{fragment!r}: {[a.title for a in issue.articles]}"
    return found[0]


def block_text(b):
    return "\n".join(b.lines or []) if b.type == "verse" else b.text


# --- corpus 000: a whole issue ------------------------------------------------

# The print issue's 目录, read by an editor: (column, page, start of title, authors).
ISSUE_000 = [
    ("卷首语", 1, "坚持首位战略", ["沫声"]),
    ("政策资讯", 4, "关于在全党大兴调查研究", []),
    ("决策前沿", 8, "在聚力中心化暨加快建设县域经济强县", ["谭建华"]),
    ("决策前沿", 18, "以干净干事的", ["蒋崇华"]),
    ("领导论坛", 20, "学思践悟二十大精神", ["颜亚华"]),
    ("专题聚焦 · 建设县域经济强县", 22, "开辟发展新领域新赛道", ["周志波"]),
    ("专题聚焦 · 建设县域经济强县", 23, "聚焦制造业发展", ["罗忠奇"]),
    ("专题聚焦 · 建设县域经济强县", 24, "落实农业农村优先发展方针", ["李振华"]),
    ("专题聚焦 · 建设县域经济强县", 25, "聚焦“守底线 抓发展 促振兴”", ["肖伟光"]),
    ("专题聚焦 · 建设县域经济强县", 26, "抓招商促消费", ["彭彦"]),
    ("专题聚焦 · 建设县域经济强县", 27, "紧扣工作着力点", ["颜国华"]),
    ("专题聚焦 · 建设县域经济强县", 28, "抓实一条主线", ["谢志勇"]),
    ("专题聚焦 · 建设县域经济强县", 30, "深入学习贯彻党的二十大精神", ["胡雪松"]),
    ("专题聚焦 · 建设县域经济强县", 31, "全力打造特色温泉小镇", ["彭贵禄"]),
    ("专题聚焦 · 建设县域经济强县", 32, "抓好“三大建设”", ["刘志新"]),
    ("经验交流", 34, "锚定目标 奋发有为", ["中共衡东县委研究中心"]),
    ("洙水文艺", 36, "衡东处处好风光", ["何可人"]),
    ("帅乡印象", 39, "晓霞峰", ["陈康", "苏伟哲"]),
]


@pytest.fixture(scope="module")
def issue000():
    path = corpus_file("000")
    return read_issue(path), read_text(path)


def test_000_all_articles_in_their_columns_with_pages_and_authors(issue000):
    issue, _ = issue000
    got = [(c.name, a.page, a.title, names(a)) for c in issue.columns for a in c.articles]
    assert len(got) == 18
    assert [c.name for c in issue.columns] == list(dict.fromkeys(r[0] for r in ISSUE_000))
    for (col, page, title, authors), (gcol, gpage, gtitle, gauthors) in zip(ISSUE_000, got):
        assert (gcol, gpage, gauthors) == (col, page, authors), gtitle
        assert gtitle.startswith(title), (gtitle, title)
    assert [a.id for a in issue.articles] == [f"a{i:02d}" for i in range(1, 19)]


def test_000_roles_from_the_byline(issue000):
    issue, _ = issue000
    assert people(by_title(issue, "动员大会上的讲话")) == [("谭建华", "中共衡东县委书记")]
    assert people(by_title(issue, "勤廉作风")) == [("蒋崇华", "中共衡东县委副书记、县长")]
    assert people(by_title(issue, "开辟发展新领域")) == [("周志波", "衡东县发展和改革局党组书记、局长")]
    assert people(by_title(issue, "锚定目标")) == [("中共衡东县委研究中心", None)]


def test_000_editorial_before_the_contents_signed(issue000):
    issue, text = issue000
    ed = issue.articles[0]
    assert ed.kind == "editorial"
    assert ed.title == "坚持首位战略 凝心聚力加快建设县域经济强县"
    assert people(ed) == [("沫声", None)]
    # the signature left the text; the paragraph still ends its sentence
    assert ed.blocks[-1].text.endswith("增光添彩。")
    assert all("沫声" not in block_text(b) for b in ed.blocks)
    # it stands before the 目录 block, which follows it
    assert ed.source[1] < issue.contents_source[0]


def test_000_kicker_and_title(issue000):
    issue, _ = issue000
    a = by_title(issue, "大兴调查研究")
    assert a.kicker == "中共中央办公厅印发"
    assert a.title == "关于在全党大兴调查研究的工作方案"


def test_000_titles_use_body_text_and_contents_spacing(issue000):
    issue, _ = issue000
    # the body's print line break inside the title is not a space; the 目录 has none
    assert by_title(issue, "动员大会").title == "在聚力中心化暨加快建设县域经济强县动员大会上的讲话"
    # the body changes a word (勤廉 / 目录 清廉): matched, body wording kept, reported
    a = by_title(issue, "以干净干事的")
    assert a.title == "以干净干事的勤廉作风赋能县域经济高质量发展"
    r201 = [w for w in issue.warnings if w.code == "R201"]
    assert [w.line for w in r201] == [a.source[0]]
    # the deliberate space between headline parts stays
    assert by_title(issue, "开辟发展新领域").title == "开辟发展新领域新赛道 塑造发展新动能新优势"


def test_000_literary_pieces(issue000):
    issue, _ = issue000
    essay = by_title(issue, "衡东处处好风光")
    poem = by_title(issue, "晓霞峰")
    assert essay.kind == poem.kind == "literary"
    assert essay.subtitle == "——乡村调研杂记"
    assert [b.type for b in essay.blocks].count("heading") == 3
    assert essay.blocks[-1].type == "note" and essay.blocks[-1].text.startswith("（作者系")
    verses = [b for b in poem.blocks if b.type == "verse"]
    assert len(verses) == 2
    assert len([ln for ln in verses[0].lines if ln]) == 9  # the classical poem
    assert "" in verses[1].lines  # free verse with a stanza break
    # the closing signature line is the authors, not text
    assert all("苏伟哲" not in block_text(b) for b in poem.blocks)


def test_000_kinds(issue000):
    issue, _ = issue000
    kinds = [a.kind for a in issue.articles]
    # 卷首语, a policy document, the speech, 14 signed articles, two literary pieces
    assert kinds == ["editorial", "article", "speech"] + ["article"] * 13 + ["literary", "literary"]


def test_000_no_contents_text_in_any_body(issue000):
    issue, text = issue000
    first, last = issue.contents_source
    lines = split_lines(text)
    entry_keys = {key(parse_entry(sl.text)[1]) for sl in lines[first - 1 : last] if parse_entry(sl.text) and parse_entry(sl.text)[1]}
    assert len(entry_keys) >= 17
    for a in issue.articles:
        assert a.source is None or a.source[1] < first or a.source[0] > last
        for b in a.blocks:
            assert b.source[1] < first or b.source[0] > last
            t = block_text(b)
            assert "CONTENTS" not in t and "目 录" not in t
            assert not re.match(r"^-?\s*\d{2} ", t)
            assert key(t) not in entry_keys


def test_000_every_line_accounted_for(issue000):
    issue, text = issue000
    assert unaccounted_lines(issue, text) == []


# --- corpus 001 / 003: single articles ---------------------------------------


def test_001_single_feature_article():
    issue = read_issue(corpus_file("001"))
    assert [c.name for c in issue.columns] == [""]
    (a,) = issue.articles
    assert a.title == "以实干实绩奋力迈向“县域经济强县”"
    assert a.subtitle == "——写在衡东县委十四届五次全体会议召开之际"
    assert a.blocks[0].type == "credits"
    assert people(a)[0] == ("唐翔", "衡阳日报全媒体记者")
    assert "颜伶俐" in names(a) and "王峰" in names(a)
    assert "邓智" not in names(a)  # 策划 is a credit, not an author
    assert a.kind == "report"
    assert a.page is None
    assert unaccounted_lines(issue, read_text(corpus_file("001"))) == []


def test_003_single_article_two_line_headline_and_byline():
    issue = read_issue(corpus_file("003"))
    (a,) = issue.articles
    assert a.title == "守正创新 笃行致远 推动衡南高质量发展"
    assert people(a) == [("许达", "衡南县委书记")]
    assert a.subtitle is None and a.kicker is None
    assert a.blocks[-1].type == "note" and a.blocks[-1].text.startswith("来源")
    assert unaccounted_lines(issue, read_text(corpus_file("003"))) == []


# --- the bundled sample --------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return read_issue(SAMPLE)


def test_sample_structure(sample):
    assert [c.name for c in sample.columns] == ["卷首语", "政策资讯", "领导讲话", "调查研究", "清溪文苑"]
    assert [a.page for a in sample.articles] == [1, 3, 5, 9, 11, 14, 16]
    kinds = [a.kind for a in sample.articles]
    assert kinds == ["editorial", "article", "speech", "article", "report", "article", "literary"]
    assert sample.articles[1].kicker == "国务院办公厅印发"
    assert people(sample.articles[2]) == [("林振东", "中共青溪县委书记")]
    assert people(sample.articles[4]) == [("县委政策研究室", None)]
    assert names(sample.articles[5]) == ["陈晓"]  # 文/陈晓 图/王磊: the writer
    assert sample.articles[6].subtitle == "——写给云雾山的采茶人"
    assert names(sample.articles[6]) == ["苏禾"]
    assert sample.warnings == []
    assert unaccounted_lines(sample, read_text(SAMPLE)) == []


# --- a second input in another layout -----------------------------------------


@pytest.fixture(scope="module")
def other():
    return read_issue(FIXTURE), read_text(FIXTURE)


def test_other_layout_contents_with_dot_leaders(other):
    issue, _ = other
    assert issue.meta.magazine == "溪山观察"
    assert [c.name for c in issue.columns] == ["刊首语", "本期关注", "理论探索", "基层之声", "乡土散文"]
    assert [a.page for a in issue.articles] == [1, 2, 6, 9, 13, 16, 19, 22]
    assert [a.kind for a in issue.articles] == ["editorial", "article", "article", "article", "article", "speech", "article", "literary"]
    # running tagline inside the 目录 and the masthead before it: dropped with warnings
    codes = {(w.code, w.line) for w in issue.warnings}
    assert ("R202", 17) in codes and ("R205", 1) in codes and ("R205", 3) in codes


def test_other_layout_heads(other):
    issue, _ = other
    a = issue.articles
    assert people(a[0]) == [("山石", None)]
    assert a[1].kicker == "县委办公室 县政府办公室印发"  # 引题 not in the 目录 title
    assert a[1].title == "关于进一步加强基层治理的实施意见"
    assert people(a[2]) == [("县农业农村局", None)]
    assert a[3].title == "用好“四下基层”工作方法"  # headline over two Markdown lines
    assert people(a[3]) == [("王一鸣", "县委党校副校长")]
    assert a[4].title == "以数字化转型推动基层治理现代化"  # one word differs from the 目录
    assert names(a[4]) == ["刘洋", "陈思远"]  # "/author …… page" on the line under the 目录 title
    assert any(w.code == "R201" and w.line == a[4].source[0] for w in issue.warnings)
    assert people(a[5]) == [("赵文", "镇党委书记")]
    assert a[5].blocks[0].type == "salutation"
    assert names(a[6]) == ["周敏"]
    assert a[7].subtitle == "——写给故乡的信" and names(a[7]) == ["林夕"]


def test_other_layout_bodies(other):
    issue, text = other
    a = issue.articles
    heads = [b.text for b in a[1].blocks if b.type == "heading"]
    assert heads == ["第一部分 总体要求", "第二部分 主要任务", "第三部分 保障措施"]
    assert [b.text[0] for b in a[3].blocks if b.type == "heading"] == ["A", "B", "C"]
    assert any(b.emphasis for b in a[1].blocks)  # **一是…** leads kept as emphasis
    assert all("*" not in block_text(b) and "#" not in block_text(b) for art in a for b in art.blocks)
    assert [b.type for b in a[7].blocks].count("verse") == 1
    assert a[7].blocks[-1].type == "note"
    assert any(b.type == "caption" for b in a[6].blocks)
    assert unaccounted_lines(issue, text) == []


# --- rules, one by one ----------------------------------------------------------


def _parse(text: str):
    return parse_text(text, Meta())


@pytest.mark.parametrize(
    "line, expected",
    [
        ("08 在全县大会上的讲话/中共某县委书记 张三", (8, "在全县大会上的讲话", "中共某县委书记 张三")),
        ("- 26 抓招商促消费 稳外资稳外贸", (26, "抓招商促消费 稳外资稳外贸", None)),
        ("调研报告的写法 ………… 12", (12, "调研报告的写法", None)),
        ("调研报告的写法……12", (12, "调研报告的写法", None)),
        ("调研报告的写法 / 李四 …… 7", (7, "调研报告的写法", "李四")),
        ("调研报告的写法   7", (7, "调研报告的写法", None)),
        ("01坚持首位战略", (1, "坚持首位战略", None)),
        ("/刘洋 陈思远 …… 13", (13, "", "刘洋 陈思远")),
        ("2023年全县经济运行情况", None),
        ("30 多年来，全县上下一心，取得了显著成绩。", None),
        ("1. 贯彻落实党中央决策部署", None),
    ],
)
def test_parse_entry(line, expected):
    assert parse_entry(line) == expected


def test_contents_compact_layout_with_continued_titles():
    text = "\n".join(
        [
            "目次",
            "特别关注",
            "03 关于加快推进县域商业体系",
            "建设的实施方案",
            "理论园地",
            "07 新时代基层干部的作风建设/王五",
            "",
            "正文开始了，这里是第一篇文章前面的一段话。",
        ]
    )
    c = find_contents(split_lines(text))
    assert [(e.column, e.page, e.title, e.author) for e in c.entries] == [
        ("特别关注", 3, "关于加快推进县域商业体系建设的实施方案", None),
        ("理论园地", 7, "新时代基层干部的作风建设", "王五"),
    ]
    assert (c.first, c.last) == (1, 6)


def test_contents_column_over_two_lines_and_noise():
    text = "\n".join(["目 录", "", "专题", "", "县域经济", "", "12 标题甲乙丙", "", "88", "", "16 标题丁戊己"])
    c = find_contents(split_lines(text))
    assert [e.column for e in c.entries] == ["专题 · 县域经济"] * 2
    assert [w.line for w in c.warnings] == [9]


def test_contents_word_without_entries_is_not_a_contents_block():
    issue = _parse("标题一\n\n目录\n\n这是正文，讲目录的编排方法。\n\n又一段正文。")
    assert issue.contents_source is None
    assert len(issue.articles) == 1


@pytest.mark.parametrize(
    "line, expected",
    [
        ("中共衡东县委书记 谭建华", [("谭建华", "中共衡东县委书记")]),
        ("某县发展和改革局党组书记、局长 周某某", [("周某某", "某县发展和改革局党组书记、局长")]),
        ("陈康 苏伟哲", [("陈康", None), ("苏伟哲", None)]),
        ("本报记者 唐 翔", [("唐翔", "本报记者")]),
        ("县委政策研究室", [("县委政策研究室", None)]),
        ("欧阳海军", [("欧阳海军", None)]),
        ("守正创新 笃行致远", None),  # four-character phrases are not names
        ("走进豆垅村", None),
        ("引言", None),
        ("（作者系中共衡东县委研究中心主任）", None),
        ("同志们：", None),
        ("文/陈晓 图/王磊", None),  # a credits line, not a plain byline
    ],
)
def test_parse_byline(line, expected):
    got = parse_byline(line)
    assert (None if got is None else [(a.name, a.role) for a in got]) == expected


def test_credits_and_signatures():
    line = "■策划 / 邓 智 文 / 本报记者 唐 翔 通讯员 颜伶俐 王 峰 图 / 本报记者 周 围"
    assert is_credits(line) and is_credits("（文/陈晓 摄/王磊）")
    assert [(a.name, a.role) for a in credit_authors(line)] == [("唐翔", "本报记者"), ("颜伶俐", "通讯员"), ("王峰", "通讯员")]
    rest, who = split_signature("……为发展大局增光添彩。（沫声）")
    assert rest == "……为发展大局增光添彩。" and [a.name for a in who] == ["沫声"]
    assert split_signature("零污染（“五零”）治理目标。") is None
    assert split_signature("……就此搁笔。（待续）") is None
    assert [a.name for a in signature_line("（陈康 苏伟哲）")] == ["陈康", "苏伟哲"]
    assert [(a.name, a.role) for a in signature_line("——本刊评论员 王平")] == [("王平", "本刊评论员")]
    assert signature_line("——摘自《人民日报》") is None


TOC_ISSUE = """CONTENTS 目 录

卷首语

01 春风又绿

本期特稿

03 某某局印发关于加强某项工作的通知

05 不存在的文章/某作者

06 在全县工作会议上的讲话/县长 王某

春风又绿

春天来了，万物复苏。我们要抓住时机，加快发展。（石言）

某某局印发

关于加强某项工作的通知

各乡镇、各部门：现将有关事项通知如下。

在全县工作
会议上的讲话

县长 王某

同志们：

今天的会议很重要。
"""


def test_entry_missing_from_body_is_kept_and_reported():
    issue = _parse(TOC_ISSUE)
    titles = [a.title for a in issue.articles]
    assert titles == ["春风又绿", "关于加强某项工作的通知", "不存在的文章", "在全县工作会议上的讲话"]
    missing = issue.articles[2]
    assert missing.page == 5 and missing.blocks == [] and missing.source is None
    assert names(missing) == ["某作者"]
    assert [(w.code, w.line) for w in issue.warnings if w.code == "R203"] == [("R203", 11)]
    assert issue.articles[0].kind == "editorial" and names(issue.articles[0]) == ["石言"]
    assert issue.articles[1].kicker == "某某局印发"
    speech = issue.articles[3]
    assert speech.kind == "speech" and people(speech) == [("王某", "县长")]
    assert unaccounted_lines(issue, TOC_ISSUE) == []


def test_unlisted_text_before_the_contents_is_kept():
    text = "开卷的话\n\n这一期我们关注春耕。春耕是大事，要抓紧抓好。\n\n目录\n\n专题\n\n03 春耕生产\n\n春耕生产\n\n正文一段。"
    issue = _parse(text)
    assert [a.title for a in issue.articles] == ["开卷的话", "春耕生产"]
    assert issue.articles[0].kind == "editorial"
    assert any(w.code == "R206" for w in issue.warnings)
    assert unaccounted_lines(issue, text) == []


def test_single_article_without_title_gets_one_and_a_warning():
    text = "这是一段没有标题的正文，直接开始叙述。\n\n第二段正文。"
    issue = _parse(text)
    (a,) = issue.articles
    assert a.title and any(w.code == "R207" for w in issue.warnings)


def test_article_missing_from_the_contents_is_split_off():
    text = "\n\n".join(
        ["目录", "专题", "03 第一篇文章", "第一篇文章", "县长 王某", "第一篇的正文。这是一段话。",
         "第二篇不在目录里", "县委办公室主任 李某", "第二篇的正文，说明一件事。"]
    )
    issue = _parse(text)
    assert [(a.title, a.page) for a in issue.articles] == [("第一篇文章", 3), ("第二篇不在目录里", None)]
    assert [c.name for c in issue.columns] == ["专题"]
    assert people(issue.articles[1]) == [("李某", "县委办公室主任")]
    assert [(w.code, w.line) for w in issue.warnings] == [("R209", 13)]
    assert unaccounted_lines(issue, text) == []


def test_input_without_contents_holding_two_articles():
    text = "\n\n".join(
        ["第一篇的标题", "镇党委书记 张某", "正文第一段，讲了一件事。", "第二篇的标题", "县农业农村局", "第二篇的正文。"]
    )
    issue = _parse(text)
    assert [a.title for a in issue.articles] == ["第一篇的标题", "第二篇的标题"]
    assert people(issue.articles[1]) == [("县农业农村局", None)]
    assert any(w.code == "R209" for w in issue.warnings)


def test_entry_printed_out_of_contents_order_and_column_in_brackets():
    text = "\n\n".join(
        ["目录", "【卷首语】开篇的话……1", "【特稿】第一篇文章……3", "第二篇文章……5",
         "开篇的话", "开篇正文。", "第二篇文章", "第二篇正文。", "第一篇文章", "第一篇正文。"]
    )
    issue = _parse(text)
    assert [c.name for c in issue.columns] == ["卷首语", "特稿"]
    assert [(a.title, a.page) for a in issue.articles] == [("开篇的话", 1), ("第一篇文章", 3), ("第二篇文章", 5)]
    assert [b.text for a in issue.articles for b in a.blocks] == ["开篇正文。", "第一篇正文。", "第二篇正文。"]
    assert [w.code for w in issue.warnings] == ["R210"]
    assert unaccounted_lines(issue, text) == []


COMPACT_ISSUE = """本期目录
【特别策划】
P3 春风化雨润民心——全县民生实事工作综述
P8 “小网格”撬动“大治理”
【理论前沿】
P12 论县域经济的比较优势
（下转第2页）
【诗苑】
P20 江南春（组诗）/ 方舟

春风化雨润民心

——全县民生实事工作综述

□ 本刊记者 张 三

2023年，全县上下坚持以人民为中心的发展思想，集中力量办好一批民生实事。

一、教育优先发展

新建改扩建学校12所，新增学位8600个。

二、医疗服务提升

县人民医院新院区投入使用，群众看病更方便了。

**“小网格”撬动“大治理”**

作者：李四

网格化管理是基层治理的重要抓手。我县把全域划分为1200个网格，每个网格配备专职网格员。

论县域经济的
比较优势

县委党校 王五

县域经济是国民经济的基本单元。发挥比较优势，是县域经济高质量发展的必由之路。

江南春（组诗）

方舟

杏花
一场雨落下来
杏花就开了

柳
柳枝是春天写给河流的信
"""


def test_compact_contents_bracket_columns_and_varied_bylines():
    issue = _parse(COMPACT_ISSUE)
    assert [c.name for c in issue.columns] == ["特别策划", "理论前沿", "诗苑"]
    assert [a.page for a in issue.articles] == [3, 8, 12, 20]
    a = issue.articles
    # the 目录 title carries the subtitle; the body prints it on its own line
    assert (a[0].title, a[0].subtitle) == ("春风化雨润民心", "——全县民生实事工作综述")
    assert people(a[0]) == [("张三", "本刊记者")] and a[0].kind == "report"
    assert people(a[1]) == [("李四", None)]  # 作者：李四
    assert not any("李四" in block_text(b) for b in a[1].blocks)
    assert a[2].title == "论县域经济的比较优势" and people(a[2]) == [("王五", "县委党校")]
    # the poet is the author; the first short line of the poem stays in the poem
    assert people(a[3]) == [("方舟", None)] and a[3].kind == "literary"
    assert a[3].blocks[0].type == "verse" and a[3].blocks[0].lines[0] == "杏花"
    # the jump line inside the 目录 is noise, not part of a title
    assert [(w.code, w.line) for w in issue.warnings] == [("R202", 7)]
    assert unaccounted_lines(issue, COMPACT_ISSUE) == []


def test_contents_title_with_subtitle_matches_a_body_title_without_it():
    text = "目录\n\n01 山里的春天——乡村振兴见闻\n\n山里的春天\n\n春天来了，山里变了样。"
    issue = _parse(text)
    assert [a.title for a in issue.articles] == ["山里的春天"]
    assert issue.warnings == []


def test_untitled_opening_text_is_the_first_entry():
    text = "春天是干事的季节。我们要抓紧时间，加油干。（木言）\n\n目录\n\n卷首语\n\n01 春天的约定\n\n本期关注\n\n03 一篇文章\n\n一篇文章\n\n正文。"
    issue = _parse(text)
    assert [(c.name, a.title, a.kind) for c in issue.columns for a in c.articles] == [
        ("卷首语", "春天的约定", "editorial"),
        ("本期关注", "一篇文章", "article"),
    ]
    assert names(issue.articles[0]) == ["木言"]
    assert [w.code for w in issue.warnings] == ["R206"]
    assert unaccounted_lines(issue, text) == []


def test_markdown_list_contents_without_page_numbers():
    text = "\n".join(
        ["# 乡村周刊", "", "## 目录", "", "### 田野调查", "- 一个村庄的十年 / 王田", "- 合作社里的新农人",
         "### 乡愁", "- 故乡的河", "", "# 一个村庄的十年", "", "王田", "", "十年前，这里还是一个贫困村。",
         "", "# 合作社里的新农人", "", "合作社成立三年了。", "", "# 故乡的河", "", "河水从村前流过，日夜不停。"]
    )
    issue = _parse(text)
    assert [(c.name, [a.title for a in c.articles]) for c in issue.columns] == [
        ("田野调查", ["一个村庄的十年", "合作社里的新农人"]),
        ("乡愁", ["故乡的河"]),
    ]
    assert all(a.page is None for a in issue.articles)
    assert names(issue.articles[0]) == ["王田"]
    assert unaccounted_lines(issue, text) == []


def test_poem_without_a_literary_column_is_literary():
    text = "春天的诗\n\n林木\n\n风从南方来\n吹开了桃花\n也吹开了\n我心里的窗\n\n雨落在屋檐\n像母亲的叮咛\n"
    (a,) = _parse(text).articles
    assert (a.title, names(a), a.kind) == ("春天的诗", ["林木"], "literary")
    assert [b.type for b in a.blocks] == ["verse"]


def test_contents_that_matches_nothing_leaves_the_text_as_one_article():
    text = "目录\n\n专题\n\n01 并不存在的文章\n\n真正的标题\n\n县长 王某\n\n第一段正文。\n\n第二段正文。"
    issue = _parse(text)
    assert [(c.name, a.title, a.page) for c in issue.columns for a in c.articles] == [
        ("", "真正的标题", None),
        ("专题", "并不存在的文章", 1),
    ]
    assert people(issue.articles[0]) == [("王某", "县长")]
    assert sorted(w.code for w in issue.warnings) == ["R203", "R211"]
    assert unaccounted_lines(issue, text) == []


TABLE_ISSUE = """# 目录

| 栏目 | 标题 | 作者 | 页码 |
| --- | --- | --- | --- |
| 卷首语 | 春耕正当时 | 山石 | 1 |
| 专题聚焦·县域经济 | 聚焦制造业 | 王五 | 3 |
|  | 第二篇文章 |  | 5 |

# 春耕正当时

春天到了，要抓紧春耕。（山石）

# 聚焦制造业

王五

制造业是立县之本。

# 第二篇文章

第二篇的正文。
"""


def test_contents_as_a_markdown_table():
    issue = _parse(TABLE_ISSUE)
    assert [(c.name, a.title, a.page, names(a)) for c in issue.columns for a in c.articles] == [
        ("卷首语", "春耕正当时", 1, ["山石"]),
        ("专题聚焦·县域经济", "聚焦制造业", 3, ["王五"]),
        ("专题聚焦·县域经济", "第二篇文章", 5, []),
    ]
    assert issue.contents_source == [1, 7]
    assert [(w.code, w.line) for w in issue.warnings] == [("R202", 3), ("R202", 4)]
    assert unaccounted_lines(issue, TABLE_ISSUE) == []


def test_read_issue_metadata_sidecar_and_overrides():
    issue = read_issue(FIXTURE, {"issue_label": "2024年第4期", "magazine": None})
    assert issue.meta.magazine == "溪山观察"  # from the sidecar; None overrides nothing
    assert issue.meta.issue_label == "2024年第4期"
    assert issue.source_path == str(FIXTURE)
    bare = read_issue(corpus_file("003"))
    assert bare.meta.magazine == "" and bare.meta.name == corpus_file("003").stem


def test_column_name_repeated_above_the_headline_is_dropped():
    text = "\n\n".join(
        ["目录", "决策前沿", "03 关于加强调查研究的意见", "05 第二篇文章",
         "决策前沿", "关于加强调查研究的意见", "第一篇正文。", "决策前沿", "第二篇文章", "第二篇正文。"]
    )
    issue = _parse(text)
    a, b = issue.articles
    assert (a.kicker, a.title, [x.text for x in a.blocks]) == (None, "关于加强调查研究的意见", ["第一篇正文。"])
    assert (b.title, [x.text for x in b.blocks]) == ("第二篇文章", ["第二篇正文。"])
    assert [(w.code, w.line) for w in issue.warnings] == [("R212", 9), ("R212", 15)]
    assert unaccounted_lines(issue, text) == []


def test_role_and_name_on_two_lines():
    text = "加快发展的几点思考\n\n中共某某县委书记\n\n张三\n\n发展是第一要务。"
    (a,) = _parse(text).articles
    assert people(a) == [("张三", "中共某某县委书记")]
    assert [b.text for b in a.blocks] == ["发展是第一要务。"]


def test_speech_named_in_the_subtitle():
    text = "凝心聚力 开创新局\n\n——在全县经济工作会议上的讲话\n\n县长 李某\n\n今年的工作任务很重。"
    (a,) = _parse(text).articles
    assert (a.title, a.subtitle, a.kind) == ("凝心聚力 开创新局", "——在全县经济工作会议上的讲话", "speech")
    assert people(a) == [("李某", "县长")]


def test_contents_title_continued_after_a_blank_line():
    text = "\n".join(["目 录", "", "专题", "", "24 落实农业农村优先发展方针 奋力开创", "", "“农业强 农村美 农民富”的新局面",
                      "", "25 聚焦工作主线", "", "乡土", "", "30 老屋"])
    c = find_contents(split_lines(text))
    assert [(e.column, e.title) for e in c.entries] == [
        ("专题", "落实农业农村优先发展方针 奋力开创“农业强 农村美 农民富”的新局面"),
        ("专题", "聚焦工作主线"),
        ("乡土", "老屋"),
    ]


def test_headline_after_the_last_entry_is_not_a_continued_title():
    text = "目录\n\n专题\n\n03 关于加强调查研究的意见\n\n关于进一步做好基层减负工作的通知\n\n各乡镇：现将有关事项通知如下。"
    issue = _parse(text)
    assert issue.contents_source == [1, 5]


def test_compact_contents_followed_directly_by_the_first_headline():
    text = "目录\n专题\n03 关于加强调查研究的意见\n05 老屋\n春耕正当时\n一年之计在于春，要抓紧春耕。\n关于加强调查研究的意见\n正文。\n老屋\n老屋在村东头。"
    issue = _parse(text)
    assert issue.contents_source == [1, 4]
    assert [a.title for a in issue.articles] == ["春耕正当时", "关于加强调查研究的意见", "老屋"]
    assert [a.page for a in issue.articles] == [None, 3, 5]
    assert [w.code for w in issue.warnings] == ["R211"]
    assert unaccounted_lines(issue, text) == []


ORDER_ISSUE = """开篇的话

开篇正文一段，写得很长很长。

目录

卷首语

01 开篇的话

专题

03 第一篇

不在目录里的文章

它的正文。

第一篇

第一篇正文。
"""


def test_unlisted_text_after_the_contents_keeps_its_reading_place():
    issue = _parse(ORDER_ISSUE)
    assert [(c.name, a.id, a.title, a.kind) for c in issue.columns for a in c.articles] == [
        ("卷首语", "a01", "开篇的话", "editorial"),
        ("卷首语", "a02", "不在目录里的文章", "article"),
        ("专题", "a03", "第一篇", "article"),
    ]
    assert [(w.code, w.line) for w in issue.warnings] == [("R211", 15)]
    assert unaccounted_lines(issue, ORDER_ISSUE) == []


# --- the head of a speech, a report (issue 11) ---------------------------------


def test_dateline_under_a_speech_headline_is_a_note_of_its_head():
    # corpus-wild 105: the date of the speech in brackets where a —— subtitle would be
    text = ("\r\n在纪念李大钊同志诞辰130周年座谈会上的讲话\r\n（2019年10月27日）\r\n同志们，朋友们：\r\n"
            "　　今天，我们怀着十分崇敬的心情，在这里隆重集会，纪念李大钊同志诞辰130周年。\r\n"
            "　　李大钊同志是中国共产主义运动的先驱，伟大的马克思主义者，杰出的无产阶级革命家。\r\n")
    issue = _parse(text)
    (a,) = issue.articles
    assert (a.title, a.subtitle, a.kind) == ("在纪念李大钊同志诞辰130周年座谈会上的讲话", None, "speech")
    assert [(b.type, b.text, b.source) for b in a.blocks[:2]] == [
        ("note", "（2019年10月27日）", [3, 3]), ("salutation", "同志们，朋友们：", [4, 4])]
    assert unaccounted_lines(issue, text) == []
    # 101: a document's date under its headline, and a date closing a text, are notes
    from publisher.reader.captions import is_note
    assert is_note("（1998年12月30日）") and is_note("（二〇二三年三月十九日）")
    assert not is_note("（2019年10月27日电）") and not is_note("2019年10月27日，我们召开大会。")


def test_a_launch_statement_is_the_editors_own():
    # corpus-wild 101: issue 1 opens with its 发刊词 (a column of that name, signed 编者)
    from publisher.reader.articles import article_kind

    opening = ["多年来，我们就有一个心愿：通过主要由最高人民法院审理的典型案例，加强对全国法院刑事审判工作的指导。"]
    assert article_kind("发刊词", "发刊词", opening, False) == "editorial"
    assert article_kind("", "创刊词", opening, False) == "editorial"  # titled by its genre, in no column
    assert article_kind("创刊号特稿", "春天来了", opening, False) == "article"  # 创刊 alone names no editorial
    assert article_kind("", "发刊词的写法", opening, False) == "article"
    assert read_issue(corpus_file("101_")).articles[0].kind == "editorial"


def test_a_work_report_delivered_to_a_congress_is_a_report():
    # corpus-wild 104: 政府工作报告 opens with 各位代表： but is a report, not a speech
    from publisher.reader.articles import article_kind

    title = "2026年湖南省政府工作报告——2026年2月3日在湖南省第十四届人民代表大会第四次会议上"
    opening = ["各位代表：", "现在，我代表省人民政府，向大会作政府工作报告，请予审议，并请各位政协委员提出意见。"]
    assert article_kind("", title, opening, False) == "report"
    assert article_kind("", "在纪念李大钊同志诞辰130周年座谈会上的讲话", ["（2019年10月27日）", "同志们，朋友们："], False) == "speech"
    assert article_kind("", "坚定信心 真抓实干", ["同志们：", "今天召开全县经济工作会议。"], False) == "speech"
    assert article_kind("", "学习二十大报告的体会", ["二十大报告描绘了宏伟蓝图。"], False) == "article"
    kinds = {p.name[:3]: read_issue(p).articles[0].kind for p in (corpus_file("104_"), corpus_file("105_"))}
    assert kinds == {"104": "report", "105": "speech"}


# --- fail soft: a 目录 that does not belong to the text (issue 11, R216) -------


def test_a_contents_that_does_not_belong_is_read_without():
    # 000's 目录 printed before 003's article: no entry is in the body, so the text is
    # read as if it had no 目录 — the same article as 003 alone — and R216 says so
    t0 = read_text(corpus_file("000_")).replace("\r\n", "\n")
    t3 = read_text(corpus_file("003_"))
    c = find_contents(split_lines(t0))
    text = "\n".join(t0.split("\n")[c.first - 1 : c.last]) + "\n\n" + t3
    issue, alone = _parse(text), _parse(t3)
    shape = [(a.title, a.subtitle, people(a), a.kind, [(b.type, block_text(b)) for b in a.blocks]) for a in issue.articles]
    assert shape == [(a.title, a.subtitle, people(a), a.kind, [(b.type, block_text(b)) for b in a.blocks]) for a in alone.articles]
    (w,) = [w for w in issue.warnings if w.code.startswith("R2")]
    assert w.code == "R216" and w.line == 1
    assert "only 0 of 18" in w.message and "read without it instead" in w.message and "1 article(s)" in w.message
    assert unaccounted_lines(issue, text) == []
    # where the found entries anchor more articles than the text shows without them,
    # they are kept (and the figures say so)
    parts = ["目录", "专题", "03 第一篇文章", "05 不在正文甲", "07 不在正文乙", "09 不在正文丙", "11 最后一篇",
             "第一篇文章", "第一篇的正文。这是一段话。", "最后一篇", "最后一篇的正文。"]
    issue = _parse("\n\n".join(parts))
    assert [len(a.blocks) for a in issue.articles] == [1, 0, 0, 0, 1]
    (w,) = [w for w in issue.warnings if w.code == "R216"]
    assert "the found ones anchor articles (2; read without the 目录 the text gives only 1)" in w.message


def test_a_listed_newspaper_page_keeps_its_reporters_stories_as_sections():
    text = "\n\n".join(["目录", "专题", "03 我们的新时代", "我们的新时代", "开篇的一段话自成一段，讲清楚背景和来由。",
                        "守护边境“中国红”", "本报记者  李茂颖", "链办实体化运行，链式推动七大重点产业发展，深入开展三送三解三优行动。",
                        "列车长的不眠夜", "本报记者  王  浩", "3日晚，1100余名旅客登上了北京西开往江西南昌的Z65次列车。"])
    issue = _parse(text)
    (a,) = issue.articles
    assert (a.title, a.page, people(a)) == ("我们的新时代", 3, [("李茂颖", "本报记者"), ("王浩", "本报记者")])
    assert [b.type for b in a.blocks] == ["paragraph", "heading", "credits", "paragraph", "heading", "credits", "paragraph"]
    assert issue.warnings == [] and unaccounted_lines(issue, text) == []
