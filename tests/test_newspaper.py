"""Newspaper pages and other byline shapes (issue 11 items 2–4; issue 12's lost credit),
on real lines from the corpus."""
from __future__ import annotations

import json

import pytest

from conftest import CORPUS_DIR, corpus_file
from publisher.reader import bylines, parse_text, unaccounted_lines
from publisher.reader import newspaper as np
from publisher.reader.blocks import build_blocks
from publisher.reader.lines import split_lines

STORY = (
    "\u3000\u3000他最大的愿望，就是稻谷和油茶能扩大种植，形成规模效应，让百集山村真正脱贫致富。\r\n"
    "\u3000\u3000\r\n"
    "\u3000\u3000地点：Z65次列车\r\n"
    "\u3000\u3000列车长的不眠夜\r\n"
    "\u3000\u3000马\xa0\xa0琳\xa0\xa0杨铭鸣\r\n"
    "\u3000\u30003日晚，1100余名旅客登上了北京西开往江西南昌的Z65次列车。\r\n"
)


def test_story_head_is_kicker_heading_byline_never_glued():
    blocks, _ = build_blocks(split_lines(STORY), "article")
    assert [(b.type, b.text) for b in blocks] == [
        ("paragraph", "他最大的愿望，就是稻谷和油茶能扩大种植，形成规模效应，让百集山村真正脱贫致富。"),
        ("note", "地点：Z65次列车"),
        ("heading", "列车长的不眠夜"),
        ("credits", "马琳 杨铭鸣"),
        ("paragraph", "3日晚，1100余名旅客登上了北京西开往江西南昌的Z65次列车。"),
    ]
    assert [b.source for b in blocks[1:4]] == [[3, 3], [4, 4], [5, 5]]


def test_nbsp_padded_names_and_role_bylines():
    assert [a.name for a in np.story_byline("贺林平\xa0\xa0邓\xa0\xa0敏")] == ["贺林平", "邓敏"]
    people = np.story_byline("本报记者\xa0\xa0李茂颖")
    assert [(a.name, a.role) for a in people] == [("李茂颖", "本报记者")]
    assert np.byline_text(people) == "本报记者 李茂颖"
    assert np.is_kicker("地点：江西南昌绳金塔国庆庙会") and np.is_kicker("长假7天——")
    assert not np.is_kicker("国庆假期7天，168小时。")


def test_caption_list_with_credits_and_agency():
    text = (
        "\u3000\u3000版式设计：蔡华伟\n\u3000\u3000\n\u3000\u3000图片说明：\n"
        "\u3000\u3000图④：刘胜佳在办理业务。\n\u3000\u3000本报记者\xa0\xa0王永战摄\xa0\xa0\n"
        "\u3000\u3000图⑤：周龙腾（左）提醒渡工注意航行安全。\n\u3000\u3000人民视觉\n"
        "\u3000\u3000图⑧：长白山消防救援支队进行救援演练。\n\u3000\u3000辛\xa0\xa0鑫摄\xa0\xa0\n"
    )
    blocks, _ = build_blocks(split_lines(text), "article")
    assert [(b.type, b.text, b.credit, b.source) for b in blocks] == [
        ("credits", "版式设计：蔡华伟", None, [1, 1]),
        ("caption", "刘胜佳在办理业务。", "本报记者 王永战摄", [3, 5]),
        ("caption", "周龙腾（左）提醒渡工注意航行安全。", "人民视觉", [6, 7]),
        ("caption", "长白山消防救援支队进行救援演练。", "辛鑫摄", [8, 9]),
    ]


def test_editors_note_signed_bianzhe():
    text = (
        "长假7天——\n168小时 他们在一线（干部状态新观察）\n\n"
        "\u3000\u3000国庆假期7天，168小时。\n"
        "\u3000\u3000伟大出自平凡，平凡造就伟大。向所有坚守岗位、拼搏奉献的奋斗者们致敬！\n"
        "\u3000\u3000——编\xa0\xa0者\xa0\xa0\n\u3000\u3000\n"
        "\u3000\u3000地点：云南普洱\n\u3000\u3000守护边境“中国红”\n\u3000\u3000本报记者\xa0\xa0李茂颖\n"
        "\u3000\u3000天刚放亮，刘海涛和战友们就迎着清晨第一缕阳光，开始了新一天的边境治安巡逻。\n"
    )
    issue = parse_text(text)
    assert len(issue.articles) == 1
    a = issue.articles[0]
    assert [b.type for b in a.blocks] == ["note", "note", "note", "note", "heading", "credits", "paragraph"]
    assert [(x.name, x.role) for x in a.authors] == [("李茂颖", "本报记者")]


def test_credits_line_keeps_every_label():
    # issue 12: 文/陈晓 插图/王磊 lost 王磊
    assert bylines.is_credits("文/陈晓 插图/王磊")
    assert bylines.writer_byline("文/陈晓 插图/王磊") is None  # not a writer-only byline
    assert [a.name for a in bylines.credit_authors("文/陈晓 插图/王磊")] == ["陈晓"]


def test_102_newspaper_page_as_a_careful_reader_sees_it():
    path = corpus_file("102_")
    from publisher.reader import read_issue

    expected = json.loads((CORPUS_DIR / "expected.json").read_text(encoding="utf-8"))[path.name]
    issue = read_issue(path)
    assert len(issue.articles) == 1
    a = issue.articles[0]
    assert a.kind == expected["kind"] and a.title == expected["title"] and a.kicker == "长假7天——"
    assert [x.name for x in a.authors] == expected["authors"]
    assert [b.text for b in a.blocks if b.type == "heading"] == expected["headings"]
    assert [b.text for b in a.blocks if b.type == "caption"] == expected["captions"]
    heads = [b for b in a.blocks if b.type == "heading"]
    for b in heads:
        k = a.blocks.index(b)
        assert a.blocks[k + 1].type == "credits"  # each section carries its byline


def test_lost_credit_stays_a_credits_block():
    text = (
        "数字乡村建设的青溪实践\n\n文/陈晓 插图/王磊\n\n"
        "走进青溪县石门村的村级服务中心，大屏幕上实时显示着村里的人口、产业、环境等数据。村民张大姐笑着说.\n\n"
        "近年来，青溪县以数字乡村试点为契机，推动5G网络、物联网设备向乡村延伸。\n"
    )
    a = parse_text(text).articles[0]
    assert [x.name for x in a.authors] == ["陈晓"]
    assert (a.blocks[0].type, a.blocks[0].text) == ("credits", "文 / 陈晓 插图 / 王磊")
    assert [b.type for b in a.blocks[1:]] == ["paragraph", "paragraph"]  # 说. ends a sentence


def test_credits_with_a_label_run_into_the_name_before_it():
    line = "■策划 谷蓉文/衡阳日报全媒体记者 刘思远 通讯员 颜伶俐 图/王峰"
    assert bylines.is_credits(line)
    assert [(a.name, a.role) for a in bylines.credit_authors(line)] == [
        ("刘思远", "衡阳日报全媒体记者"), ("颜伶俐", "通讯员")]
    assert bylines.unglue_labels("中文/英文对照") == "中文/英文对照"  # not a credits line
    assert bylines.credit_labels("文/陈晓 插图/王磊") == ["文", "插图"]  # 图 inside 插图 is no label


def test_reporter_signatures_at_the_end():
    assert [(a.name, a.role) for a in bylines.signature_line("（本报记者程焕采访整理）")] == [("程焕", "本报记者")]
    assert [a.name for a in bylines.signature_line("（记者 张三 李四 报道）")] == ["张三", "李四"]
    body, people = bylines.split_signature("这是最好的时代。（本报记者程焕采访整理）")
    assert body == "这是最好的时代。" and [a.name for a in people] == ["程焕"]
    # 撰稿 names the writers, 审编 an editor: a credits line, writers only as authors
    line = "（撰稿：县委政研室 张三 李四 审编：王五）"
    assert bylines.is_credits(line) and [a.name for a in bylines.credit_authors(line)] == ["张三", "李四"]


PARTS = """以实干实绩奋力迈向“县域经济强县”

新年伊始，春山可望。衡东县锚定“三高四新”美好蓝图，聚力区域“中心化”。

1

以制造业兴县带动产业发展实现新突破

链办实体化运行，链式推动七大重点产业发展，深入开展“三送三解三优”行动。

2

持续增进和改善民生福祉

把为民造福作为最大的政绩，衡东县委、县政府始终坚持人民至上，努力让群众的获得感成色更足。

12

第12页之后的正文继续，这是一段足够长的正文，用来确认页码仍被丢弃。
"""


def test_numbered_part_heads_told_from_page_numbers():
    issue = parse_text(PARTS)
    a = issue.articles[0]
    heads = [(b.text, b.source) for b in a.blocks if b.type == "heading"]
    assert heads == [("1 以制造业兴县带动产业发展实现新突破", [5, 7]), ("2 持续增进和改善民生福祉", [11, 13])]
    assert any(w.code == "R161" and w.line == 17 for w in issue.warnings)  # 12 is a page number
    # the number stays apart from its title in every layout (it was glued: 1以制造业…)
    src = [ln for ln in PARTS.split("\n") if ln.strip()]
    for text in ("\n".join(src[:1] + ["\u3000\u3000" + s for s in src[1:]]), "\n".join(src)):
        blocks = parse_text(text).articles[0].blocks
        assert [(b.text, b.source) for b in blocks if b.type == "heading"] == [
            ("1 以制造业兴县带动产业发展实现新突破", [3, 4]), ("2 持续增进和改善民生福祉", [6, 7])]


def test_a_family_of_longer_subheads_is_not_glued_onto_the_text_after_it():
    subs = ["以制造业兴县带动产业发展实现新突破", "以城乡融合发展推动乡村全面振兴", "以党建高质量引领发展高质量再上台阶"]
    body = "链办实体化运行，链式推动七大重点产业发展，深入开展“三送三解三优”行动，成效明显。"
    text = "标题在这里\n\n开篇的一段话，讲清楚背景和来由。\n\n" + "".join(f"{s}\n\n{body}\n\n" for s in subs)
    a = parse_text(text).articles[0]
    assert [b.text for b in a.blocks if b.type == "heading"] == subs


def test_lines_opened_by_indents_are_never_joined_and_a_doubt_is_a_warning():
    text = "页面标题在这里\n\n" + "".join(
        f"\u3000\u3000{t}\n" for t in ["开篇的一段话自成一段。", "国庆假期七天里，这段话写到这里就断了", "第二段是另一段话，自成一段。", "第三段也是独立的一段话。"]
    )
    issue = parse_text(text)
    assert [b.text for b in issue.articles[0].blocks] == [
        "开篇的一段话自成一段。", "国庆假期七天里，这段话写到这里就断了", "第二段是另一段话，自成一段。", "第三段也是独立的一段话。"]
    assert [(w.code, w.line) for w in issue.warnings if w.code == "R164"] == [("R164", 5)]


def test_bracket_label_above_a_heading_is_its_label():
    body = "链办实体化运行，链式推动七大重点产业发展，深入开展三送三解三优行动，成效明显。"
    text = f"标题在这里\n\n开篇的一段话，讲清楚背景和来由。\n\n【动能一】：\n\n以制造业兴县带动产业发展实现新突破\n\n{body}\n\n【动能二】：\n\n以城乡融合发展推动乡村全面振兴\n\n{body}\n"
    a = parse_text(text).articles[0]
    assert [(b.type, b.text, b.source) for b in a.blocks if b.type == "heading"] == [
        ("heading", "【动能一】以制造业兴县带动产业发展实现新突破", [5, 7]),
        ("heading", "【动能二】以城乡融合发展推动乡村全面振兴", [11, 13]),
    ]
    assert [b.type for b in a.blocks] == ["paragraph", "heading", "paragraph", "heading", "paragraph"]


def test_closing_credits_name_the_writers_and_keep_the_editor():
    text = (
        "关于青溪县茶产业高质量发展的调研报告\n\n"
        "茶产业是青溪县的传统优势产业。为摸清全县茶产业发展现状，县委政策研究室组成调研组开展调研。\n\n"
        "链办实体化运行，链式推动七大重点产业发展，深入开展三送三解三优行动，成效明显。\n\n"
        "（撰稿：县委政研室 张三 李四 审编：王五）\n"
    )
    a = parse_text(text).articles[0]
    assert [x.name for x in a.authors] == ["张三", "李四"]
    assert (a.blocks[-1].type, a.blocks[-1].text) == ("credits", "（撰稿：县委政研室 张三 李四 审编：王五）")


def test_closing_credits_of_contents_articles_name_their_writers():
    # the court journal's case reports (corpus-wild 101's family): each closes with its
    # credits; 撰稿 names the writers with their courts, 审编 the editor (no author);
    # a credits line the page broke in two is still read
    text = "\n\n".join([
        "目录", "案例", "03 张某某走私普通货物案", "05 李某某骗购外汇案", "07 王某侵占案",
        "张某某走私普通货物案", "一、基本案情", "被告人张某某，男，1960年生，原系某公司经理。",
        "（撰稿：北京市第一中级人民法院 王  明  审编：张军）",
        "李某某骗购外汇案", "一、基本案情", "被告人李某某骗购外汇，数额巨大。",
        "（撰稿：最高人民法院刑一庭 南英", "审编：任卫华）",
        "王某侵占案", "综上，某区法院将被告人王严侵占案作为公诉案件审理，是不正确的。",
        "(审编：高憬宏)",  # 101, line 759
    ])
    issue = parse_text(text)
    a = issue.articles
    assert [[(x.name, x.role) for x in art.authors] for art in a] == [
        [("王明", "北京市第一中级人民法院")], [("南英", "最高人民法院刑一庭")], []]
    assert (a[0].blocks[-1].type, a[0].blocks[-1].text) == ("credits", "（撰稿：北京市第一中级人民法院 王明 审编：张军）")
    assert [(b.type, b.text, b.source) for b in a[1].blocks[-2:]] == [
        ("paragraph", "被告人李某某骗购外汇，数额巨大。", [23, 23]), ("credits", "（撰稿：最高人民法院刑一庭 南英 审编：任卫华）", [25, 27])]
    assert (a[2].blocks[-1].type, a[2].blocks[-1].text) == ("credits", "（审编：高憬宏）")
    assert unaccounted_lines(issue, text) == []


def test_reporters_signatures_closing_each_story_are_credits_and_authors():
    # stories told in the first person, each closed by the reporter who wrote it down:
    # alone on its line (padded names too) or closing the last paragraph
    text = (
        "我们的新时代\r\n\u3000\u3000开篇的一段话自成一段，讲清楚背景和来由。\r\n"
        "\u3000\u3000我是一名乡村教师，在大山里教书已经二十年了。这是最好的时代。\r\n"
        "\u3000\u3000（本报记者程焕采访整理）\r\n"
        "\u3000\u3000我是一名护士，在急诊科工作了十年\r\n"
        "\u3000\u3000（本报记者\xa0\xa0王\xa0\xa0浩采访整理）\r\n"
        "\u3000\u3000我是一名工人，这是最好的时代。（记者 张三 李四 报道）\r\n"
        "\u3000\u3000最后一段，写在这里。\r\n"
    )
    issue = parse_text(text)
    a = issue.articles[0]
    assert [(b.type, b.text, b.source) for b in a.blocks[1:]] == [
        ("paragraph", "我是一名乡村教师，在大山里教书已经二十年了。这是最好的时代。", [3, 3]),
        ("credits", "（本报记者程焕采访整理）", [4, 4]),
        ("paragraph", "我是一名护士，在急诊科工作了十年", [5, 5]),
        ("credits", "（本报记者 王浩采访整理）", [6, 6]),
        ("paragraph", "我是一名工人，这是最好的时代。", [7, 7]),
        ("credits", "（记者 张三 李四 报道）", [7, 7]),
        ("paragraph", "最后一段，写在这里。", [8, 8]),
    ]
    assert [(x.name, x.role) for x in a.authors] == [
        ("程焕", "本报记者"), ("王浩", "本报记者"), ("张三", "记者"), ("李四", "记者")]
    assert bylines.split_reported("这是最好的时代（本报记者程焕采访整理）") is None  # no finished sentence
    assert bylines.reported_line("（本报评论员文章）") is None
    assert unaccounted_lines(issue, text) == []


def test_captions_printed_before_a_story_belong_to_it():
    # 102's story heads (kicker, subhead, padded byline) with a photo and its credit
    # printed above the second story: the caption moves into that story's section
    head2 = ["地点：Z65次列车", "列车长的不眠夜", "马\xa0\xa0琳\xa0\xa0杨铭鸣",
             "3日晚，1100余名旅客登上了北京西开往江西南昌的Z65次列车。"]
    lines = ["国庆假期，我们在岗位上", "开篇的一段话自成一段，讲清楚背景和来由。",
             "地点：云南普洱", "守护边境“中国红”", "本报记者\xa0\xa0李茂颖",
             "他最大的愿望，就是稻谷和油茶能扩大种植，形成规模效应，让百集山村真正脱贫致富。",
             "图⑧：列车长在车厢里巡视。", "本报记者\xa0\xa0贾丰丰摄"] + head2
    text = "\r\n".join(lines[:1] + ["\u3000\u3000" + t for t in lines[1:]])
    issue = parse_text(text)
    blocks = issue.articles[0].blocks
    assert [(b.type, b.source) for b in blocks] == [
        ("paragraph", [2, 2]), ("note", [3, 3]), ("heading", [4, 4]), ("credits", [5, 5]), ("paragraph", [6, 6]),
        ("note", [9, 9]), ("heading", [10, 10]), ("credits", [11, 11]), ("caption", [7, 8]), ("paragraph", [12, 12])]
    assert (blocks[8].text, blocks[8].credit) == ("列车长在车厢里巡视。", "本报记者 贾丰丰摄")
    assert unaccounted_lines(issue, text) == []
    # a page that prints captions after their text (its last story ends with one): nothing moves
    tail = ["图⑨：旅客在车厢里休息。", "本报记者\xa0\xa0朱荣鹏摄"]
    text = "\r\n".join(lines[:1] + ["\u3000\u3000" + t for t in lines[1:] + tail])
    blocks = parse_text(text).articles[0].blocks
    assert [b.source for b in blocks if b.type == "caption"] == [[7, 8], [13, 14]]
    assert [b.type for b in blocks][4:6] == ["paragraph", "caption"]


def test_reporter_byline_under_a_subhead_without_kicker():
    lines = split_lines(
        "\u3000\u3000开篇的一段话自成一段。\n\u3000\u3000以制造业兴县带动产业发展\n\u3000\u3000本报记者\xa0\xa0程焕\n"
        "\u3000\u3000链办实体化运行，链式推动七大重点产业发展，深入开展三送三解三优行动，成效明显。\n"
    )
    blocks, _ = build_blocks(lines, "article")
    assert [(b.type, b.text) for b in blocks[1:3]] == [("heading", "以制造业兴县带动产业发展"), ("credits", "本报记者 程焕")]
    assert [(a.name, a.role) for a in np.section_authors(blocks)] == [("程焕", "本报记者")]


@pytest.mark.parametrize("layout", ["blank", "indent", "indent-all"])
def test_reporter_stories_without_kickers_are_sections_in_every_layout(layout):
    # a page headline with no byline over short subheads each signed 本报记者: one page
    src = ["我们的新时代", "开篇的一段话自成一段，讲清楚背景和来由。",
           "守护边境“中国红”", "本报记者\xa0\xa0李茂颖", "链办实体化运行，链式推动七大重点产业发展，深入开展三送三解三优行动，成效明显。",
           "列车长的不眠夜", "本报记者\xa0\xa0王\xa0\xa0浩", "3日晚，1100余名旅客登上了北京西开往江西南昌的Z65次列车，开始了旅程。"]
    if layout == "blank":
        text = "\n\n".join(src)
    elif layout == "indent":
        text = "\n".join(src[:1] + ["\u3000\u3000" + s for s in src[1:]])
    else:
        text = "\n".join("\u3000\u3000" + s for s in src)
    issue = parse_text(text)
    (a,) = issue.articles
    assert [(x.name, x.role) for x in a.authors] == [("李茂颖", "本报记者"), ("王浩", "本报记者")]
    assert [(b.type, b.text) for b in a.blocks if b.type != "paragraph"] == [
        ("heading", "守护边境“中国红”"), ("credits", "本报记者 李茂颖"), ("heading", "列车长的不眠夜"), ("credits", "本报记者 王浩")]
    assert not any(w.code == "R209" for w in issue.warnings)


def test_photo_page_caption_label_duplicate_and_credit_with_agency():
    # corpus-wild 103's shape: a converter's combined line, the label, the caption, its credit
    text = (
        "工业遗存焕新，赋能城市更新\n\n开篇的一段话自成一段。\n\n"
        "文化新空间\u3000\u3000市民游客在北京市首钢园“秀冰场”滑冰。首钢园曾是首钢集团主厂区。\u3000\u3000崔  峻摄（影像中国）\n\n"
        "文化新空间\n\n市民游客在北京市首钢园“秀冰场”滑冰。首钢园曾是首钢集团主厂区。\n\n崔  峻摄（影像中国）\n\n"
        "烟囱高耸、厂房林立曾是城市工业化的鲜明印记，如今这些工业遗存正焕发新的生机。\n\n——编  者\n"
    )
    issue = parse_text(text)
    a = issue.articles[0]
    caps = [(b.text, b.credit, b.source) for b in a.blocks if b.type == "caption"]
    assert caps == [("市民游客在北京市首钢园“秀冰场”滑冰。首钢园曾是首钢集团主厂区。", "崔峻摄（影像中国）", [7, 11])]
    assert any(w.code == "R165" and w.line == 5 for w in issue.warnings)
    assert a.authors == [] and (a.blocks[-1].type, a.blocks[-1].text) == ("note", "——编者")
    assert bylines.signature_line("——编  者") is None


@pytest.mark.parametrize("layout", ["indent", "blank", "indent-all"])
def test_102_reads_the_same_in_other_layouts(layout):
    path = corpus_file("102_")
    src = [ln.strip().strip("\u3000") for ln in path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n") if ln.strip()]
    if layout == "indent":  # as printed: headline flush, paragraphs indented
        text = "\n".join(src[:2] + ["\u3000\u3000" + s for s in src[2:]])
    elif layout == "blank":
        text = "\n\n".join(src)
    else:
        text = "\n".join("\u3000\u3000" + s for s in src)
    issue = parse_text(text)
    assert len(issue.articles) == 1
    a = issue.articles[0]
    assert a.title == "168小时 他们在一线（干部状态新观察）" and len(a.authors) == 13
    assert len([b for b in a.blocks if b.type == "heading"]) == 10
    assert len([b for b in a.blocks if b.type == "caption" and b.credit]) == 10


def test_001_with_indented_paragraphs_keeps_its_captions_and_joins():
    # 001 re-laid out as paragraphs opened by indents (no blank lines): the first line
    # of each paragraph indented, a page-break continuation and everything else flush
    path = corpus_file("001")
    original = read(path)
    first_lines = {b.source[0] for b in original.articles[0].blocks if b.type == "paragraph"}
    src = path.read_text(encoding="utf-8").split("\n")
    text = "\n".join(("\u3000\u3000" + t if k in first_lines else t) for k, t in enumerate(src, 1) if t.strip())
    again = parse_text(text).articles[0]

    def shape(a):
        return [(b.type, b.text) for b in a.blocks]

    assert shape(again) == shape(original.articles[0])


def read(path):
    from publisher.reader import read_issue

    return read_issue(path)
