"""build_blocks: each rule on real lines copied from the corpus (line breaks and
blank lines as they are in the files)."""
from __future__ import annotations

from publisher.model import ARTICLE_KINDS, BLOCK_TYPES
from publisher.reader.blocks import build_blocks
from publisher.reader.lines import SourceLine, split_lines

MARKUP = ("**", "##", "■", "__")


def lines_of(text: str, start: int = 1) -> list[SourceLine]:
    return [SourceLine(sl.number + start - 1, sl.text) for sl in split_lines(text.strip("\n"))]


def build(text: str, kind: str = "article", start: int = 1):
    blocks, warnings = build_blocks(lines_of(text, start), kind)
    for b in blocks:
        assert b.type in BLOCK_TYPES
        assert b.source and b.source[0] <= b.source[1]
        for m in MARKUP:
            assert m not in (b.text or ""), (m, b.text)
        for s, e in b.emphasis:
            assert 0 <= s < e <= len(b.text)
    return blocks, warnings


def types(blocks):
    return [b.type for b in blocks]


def emphasised(b):
    return [b.text[s:e] for s, e in b.emphasis]


# --- page / column break repair ------------------------------------------------

def test_paragraph_split_mid_word_at_a_page_break_is_rejoined():
    text = """
一是坚持强化党建引领，做好新时代“三

农”工作。坚持党对“三农”工作的全面领导，落实农业农村优先发展的方针，把加强党对“三农”工作的全面领导落到实处。

二是夯实粮食生产基础，牢牢守住“两条底线”。2023年我们要全面落实粮食安全党政同责。
"""
    blocks, _ = build(text, start=325)
    assert types(blocks) == ["paragraph", "paragraph"]
    assert blocks[0].text.startswith("一是坚持强化党建引领，做好新时代“三农”工作。坚持党对")
    assert blocks[0].source == [325, 327]
    assert emphasised(blocks[0]) == ["一是坚持强化党建引领，做好新时代“三农”工作。"]


def test_split_across_three_blank_lines_and_a_dangling_fragment():
    # 000 lines 161–165 (three blank lines at the break) and 253–257 (a fragment "集、")
    text = """
县委、县政府决定召开这次会议，参加人数之多、范围之广，会议内容之丰富，足见其重要性。这既是一次表彰先进的嘉奖激励大会，也是一



次鼓舞士气的加压鼓劲大会、誓师大会，目的就是持续聚力衡阳区域“中心化”。

三是打好“补丁”。压紧压实廉洁责任，加强对权力集中、资金密

集、

资源富集、资产聚集的关键领域进行资金监管，针对财政系统管理漏洞打好制度“补丁”。
"""
    blocks, _ = build(text, start=161)
    assert types(blocks) == ["paragraph", "paragraph"]
    assert "也是一次鼓舞士气" in blocks[0].text and blocks[0].source == [161, 165]
    assert "资金密集、资源富集、资产聚集" in blocks[1].text and blocks[1].source == [167, 171]


def test_list_item_split_at_a_page_break_stays_one_item():
    text = """
5. 全面依法治国中的重大问题，完善中国特色社会主义法律体系、推进依法行政、严格公正司法、建设法治社会等主要情况和重点问题。

6. 意识形态领域面临的挑战，推进文化自信自强、建设社会主义文化强国和新闻舆论引

导、网络综合治理中的主要情况和重点问题。

7. 推进共同富裕、增进民生福祉中的重大问题，巩固拓展脱贫攻坚成果、缩小城乡区域发展差距和收入分配差距的主要情况和重点问题。
"""
    blocks, _ = build(text, start=105)
    assert types(blocks) == ["paragraph"] * 3
    assert blocks[1].text == "6.意识形态领域面临的挑战，推进文化自信自强、建设社会主义文化强国和新闻舆论引导、网络综合治理中的主要情况和重点问题。"
    assert blocks[1].source == [107, 109]


def test_markdown_bold_lead_split_at_a_break():
    # 001 lines 47–53
    text = """
**【镜头一】**以乡村振兴统揽“三农”工作。严格落实粮食安全和耕地保护党政同责。

**【镜头二】**加快农业产业发展，成功创建

省级巩固拓展脱贫攻坚成果示范园区。其中，三樟镇通过国家首批农业产业强镇认定。

**【镜头三】**坚持加大民生投入，民生支出占一般公共预算支出比重达82.8%。
"""
    blocks, _ = build(text, start=47)
    assert types(blocks) == ["paragraph"] * 3
    b = blocks[1]
    assert b.text.startswith("【镜头二】加快农业产业发展，成功创建省级巩固拓展脱贫攻坚成果示范园区。")
    assert emphasised(b) == ["【镜头二】"]
    assert b.source == [49, 51]


def test_continuation_after_a_closing_quote_without_a_stop():
    # 000 lines 453–455: the line ends with ” but the sentence goes on
    text = """
下一步，杨桥将主动融入我县产业转型“延链补链”行动，加快构建“种养加、产供销、贸工农”

全链条产业体系，推动土菜与文化、旅游产业深度融合，为县域经济强县建设贡献“杨桥力量”。
"""
    blocks, _ = build(text)
    assert types(blocks) == ["paragraph"]
    assert "贸工农”全链条产业体系" in blocks[0].text


# --- headings --------------------------------------------------------------------

def test_numbered_headings_and_paragraph_leads():
    # 000 lines 123–131: 四、方法步骤 is a heading, (一) 提高认识。… are paragraphs with a lead
    text = """
四、方法步骤

在全党大兴调查研究，分为6个步骤。

(一) 提高认识。各级党委(党组)要通过理论学习中心组学习、读书班等，组织党员、干部深入学习领会习近平总书记关于调查研究的重要论述，学习习近平总书记关于本地区

本部门本领域的重要讲话和重要指示批示精神，增强做好调查研究的思想自觉、政治自觉、行动自觉。

(二) 制定方案。各级党委(党组)要围绕调研内容，结合本地区本部门本单位实际，广泛听取各方面意见。

五、工作要求

（一）加强组织领导。各级党委（党组）要高度重视调查研究工作，作出专门部署。
"""
    blocks, _ = build(text, start=123)
    assert types(blocks) == ["heading", "paragraph", "paragraph", "paragraph", "heading", "paragraph"]
    assert blocks[0].text == "四、方法步骤" and blocks[0].level == 1
    assert blocks[2].text.startswith("（一）提高认识。各级党委（党组）要")
    assert "关于本地区本部门本领域" in blocks[2].text
    assert emphasised(blocks[2]) == ["（一）提高认识。"]


def test_short_numbered_lines_ending_in_a_stop_are_headings_when_text_follows():
    # 000 lines 409–415 (高湖镇)
    text = """
一、抓实产业发展，力争高湖出新出彩。

一是抓实基础产业，在做好粮食生产、畜禽养殖的同时，重点抓实我镇黄桃和“两油（油菜、油茶）”种植，力争我镇成为全县油茶种植大镇、黄桃种植特色乡镇和油菜种植先进乡镇。二是抓实特色产业。全力支持涿江生态园文旅研学提质升级，让其成为令人向往的“诗与远方”；大力开展“湘商回归”和返乡创业专项行动，让微小企业成为高湖经济发展的强大引擎。三是抓实集体项目。支持投资400多万的新旺村菌棒厂、投资100多万的旺垅村家居家装厂等集体经济项目做大做强，让高湖的集体经济发展能在全县出新出彩。

二、抓实城乡同治，力争环境做优做美。

首先是做美农村，扎实推进人居环境政治，做好小微河道清淤和保洁。
"""
    blocks, _ = build(text, start=409)
    assert types(blocks) == ["heading", "paragraph", "heading", "paragraph"]
    assert blocks[0].text == "一、抓实产业发展，力争高湖出新出彩。" and blocks[0].level == 1
    # run-in series leads 一是…。二是…。三是…。 are emphasised inside the paragraph
    # the first lead's sentence is long: its first clause is the lead
    assert emphasised(blocks[1]) == ["一是抓实基础产业，", "二是抓实特色产业。", "三是抓实集体项目。"]


def test_long_numbered_line_with_sentences_is_a_paragraph_with_a_lead():
    # 000 line 363: 一、招大引强，促发展。创新招商模式宽度。…
    text = """
一、招大引强，促发展。创新招商模式宽度。深化“飞地+招引”模式，发挥“一区三园”招商主阵地、主战场作用，积极筑巢引凤，承接外地产业转移衡东。把握资源招商广度。借

助老乡会、年节会、各异地商会等活动平台，积极走访和对接相关组织、协会、中介机构等。

二、激发消费，稳增长。结合衡东产业优势、消费热点和民俗文化特色，因地制宜地组织开展形式多样、内容丰富的消费促进活动。
"""
    blocks, _ = build(text, start=363)
    assert types(blocks) == ["paragraph", "paragraph"]
    assert emphasised(blocks[0]) == ["一、招大引强，促发展。"]
    assert "借助老乡会" in blocks[0].text


def test_numbered_list_items_are_not_headings():
    text = """
11. 全面从严治党中的重大问题，落实党的领导弱化虚化淡化、党组织政治功能和组织功能不够强等重点问题。

12. 本地区本部门本单位长期未解决的老大难问题。

四、方法步骤

在全党大兴调查研究，分为6个步骤。
"""
    blocks, _ = build(text, start=119)
    assert types(blocks) == ["paragraph", "paragraph", "heading", "paragraph"]


def test_lettered_markdown_part_heads_and_relative_levels():
    # 001 lines 19–23 and 43–45
    text = """
## A 奋力推动经济社会高质量发展

用汗水浇灌事业，以实干促进崛起。2023年，衡东人以时不我待的紧迫感，抢抓机遇，奋起直追，经济实力大幅提升。

## B 持续增进和改善民生福祉

把为民造福作为最大的政绩，衡东县委、县政府始终坚持人民至上。
"""
    blocks, _ = build(text, start=19)
    assert types(blocks) == ["heading", "paragraph", "heading", "paragraph"]
    assert blocks[0].text == "A 奋力推动经济社会高质量发展"
    assert blocks[0].level == blocks[2].level == 1


def test_levels_follow_the_numbering_families():
    text = """
一、基本情况

（一）种植规模

截至去年底，全县茶园面积达 6.8 万亩，其中投产茶园 5.2 万亩，干毛茶产量 3200 吨。

（二）品牌建设

“青溪云雾”获评国家地理标志保护产品，3 家企业入选省级农业产业化龙头企业。

二、存在的问题

全县茶企以初加工为主，产品附加值偏低，茶饮料、茶食品等精深加工产品几乎空白。
"""
    blocks, _ = build(text)
    heads = [(b.text, b.level) for b in blocks if b.type == "heading"]
    assert heads == [("一、基本情况", 1), ("（一）种植规模", 2), ("（二）品牌建设", 2), ("二、存在的问题", 1)]
    # only the lower family present → it is level 1
    blocks, _ = build(text.split("二、存在的问题")[0].replace("一、基本情况\n", ""))
    assert {b.level for b in blocks if b.type == "heading"} == {1}


def test_heading_broken_over_two_lines_is_joined():
    text = """
二、扛牢县域经济高质量发展政治担当，
务必答好“三卷”

全面把握党的二十大精神，关键在于把学习、思想的力道转为实践、行动的力量，始终聚焦高质量发展这个“首要任务”。
"""
    blocks, _ = build(text)
    assert types(blocks) == ["heading", "paragraph"]
    assert blocks[0].text == "二、扛牢县域经济高质量发展政治担当，务必答好“三卷”"
    assert blocks[0].source == [1, 2]


def test_short_standalone_lines_in_a_literary_piece_are_headings():
    # 000 lines 509–515
    text = """
初夏，我随调研组深入衡东乡村调研，三天时间，来来回回驱车数百里，看自然风物、寻历史印迹、访现代农业。

走进豆垅村

第一次听到豆垅村这个名字，是两年前县里召开消除农村公路空白村工作调度会，我被安排做会议记录。

那笑声，在群山沟壑间久久萦绕……

探访状元府

古建筑我见过不少，但唯独彭浚状元府给我留下的印象最深、带来的思索最多。
"""
    blocks, _ = build(text, kind="literary", start=509)
    assert types(blocks) == ["paragraph", "heading", "paragraph", "paragraph", "heading", "paragraph"]
    assert blocks[1].text == "走进豆垅村" and blocks[1].level == 1 and blocks[1].source == [511, 511]


# --- verse -------------------------------------------------------------------------

def test_classical_poem_with_a_stray_blank_after_its_first_line():
    # 000 lines 563–576
    text = """
春日百花盛开，红霞紫雾，分外妖娆，也被纳入彼时的“衡山八景”，也留下了许多优美的诗句：

岩下村村青迢迢，晓霞晴岚最妖娆。

南眺衡雁千层浪，北望湘江水涛涛。
名山处处藏胜景，二狮滚球意境豪。
坊间传颂吴王迹，挽弓劲射饮马槽。
四时风光惹人醉，八方来客尽逍遥。

关于晓霞峰的传说有很多，相传清朝总兵吴三桂曾带兵在晓霞峰之巅饮马射箭。
"""
    blocks, _ = build(text, kind="literary", start=563)
    assert types(blocks) == ["paragraph", "verse", "paragraph"]
    v = blocks[1]
    assert v.lines[0] == "岩下村村青迢迢，晓霞晴岚最妖娆。"
    assert "" not in v.lines and len(v.lines) == 5
    assert v.source == [565, 570]


def test_free_verse_keeps_its_stanzas():
    # 000 lines 580–594
    text = """
就如同一位诗人曾说过：

晓霞峰，南方的秀美和含蓄
我想不出该如何描绘
我的内敛，我的柔情，我的梦境

全在你的一草一木间
湘江已没有了旧时的风帆
怀素在唐代的那些狂草书法被风吹在了
江心
还有你的倒影
"""
    blocks, _ = build(text, kind="literary", start=580)
    assert types(blocks) == ["paragraph", "verse"]
    assert blocks[1].lines == [
        "晓霞峰，南方的秀美和含蓄", "我想不出该如何描绘", "我的内敛，我的柔情，我的梦境", "",
        "全在你的一草一木间", "湘江已没有了旧时的风帆", "怀素在唐代的那些狂草书法被风吹在了", "江心", "还有你的倒影",
    ]


def test_short_prose_paragraphs_are_not_verse():
    # 001 lines 9–13: a short one-sentence paragraph between long ones
    text = """
新年伊始，春山可望。

1月10日，衡东县委十四届五次全体会议召开。刚过去的一年，衡东县以实干实绩交出高质量发展答卷。

向“实”处做、向“新”处走、向“高”处攀……衡东县锚定“三高四新”美好蓝图。
"""
    blocks, _ = build(text, start=9)
    assert types(blocks) == ["paragraph"] * 3


# --- captions, credits, notes, salutations ------------------------------------------

def test_captions_standing_between_blank_runs():
    # 001 lines 29–45
    text = """
营商环境不断优化。大力实施营商环境升级“一号改革任务”，打造“投资衡东，诸事亨通”营商环境品牌。



工人们在杨桥镇荆竹村羊肚菌种植基地采摘。



朝气蓬勃的新衡东。

## B 持续增进和改善民生福祉

把为民造福作为最大的政绩，衡东县委、县政府始终坚持人民至上。



衡东县被授牌全国第9个、湖南第1个“中国厨师之乡”。图为土菜节会现场。
"""
    blocks, _ = build(text, start=29)
    assert types(blocks) == ["paragraph", "caption", "caption", "heading", "paragraph", "caption"]
    assert blocks[1].text == "工人们在杨桥镇荆竹村羊肚菌种植基地采摘。"
    assert blocks[1].source == [33, 33]


def test_caption_with_inline_credit_and_credit_line():
    text = """
（二）做响区域品牌。整合“青溪云雾”等品牌资源，让青溪好茶走出大山、走向全国。

采茶女在云雾山茶园采摘春茶。 ■唐俊 摄

石门村村级服务中心的数字大屏。

县委宣传部供图
"""
    blocks, _ = build(text)
    assert types(blocks) == ["paragraph", "caption", "caption"]
    assert (blocks[1].text, blocks[1].credit) == ("采茶女在云雾山茶园采摘春茶。", "唐俊 摄")
    assert (blocks[2].text, blocks[2].credit) == ("石门村村级服务中心的数字大屏。", "县委宣传部供图")
    assert blocks[2].source == [5, 7]


def test_notes_salutation_and_credits():
    text = """
■策划 / 邓 智 统筹 / 李永民 文 / 衡阳日报全媒体记者 唐 翔

各位企业家、同志们：

县委、县政府决定召开这次会议，参加人数之多、范围之广，足见其重要性。

（作者系中共衡东县委研究中心主任）

来源:红星云
"""
    blocks, _ = build(text)
    assert types(blocks) == ["credits", "salutation", "paragraph", "note", "note"]
    # spaced-out two-character names are closed up, roles keep their slashes
    assert blocks[0].text == "策划 / 邓智 统筹 / 李永民 文 / 衡阳日报全媒体记者 唐翔"
    assert blocks[1].text == "各位企业家、同志们："
    assert blocks[4].text == "来源：红星云"


# --- noise -------------------------------------------------------------------------

def test_page_numbers_and_running_heads_are_dropped_with_warnings():
    text = """
当前，我国发展面临新的战略机遇。世界百年未有之大变局加速演进，各种风

12

衡东决策参考 2023年第1期

险挑战、困难问题比以往更加严峻复杂，迫切需要通过调查研究把握事物的本质和规律。

**
"""
    blocks, warnings = build(text, start=79)
    assert types(blocks) == ["paragraph"]
    assert "各种风险挑战" in blocks[0].text
    assert sorted((w.code, w.line) for w in warnings) == [("R161", 81), ("R162", 83), ("R163", 87)]


def test_every_line_is_accounted_for_on_a_whole_article(corpus_dir):
    from conftest import corpus_file

    path = corpus_file("001")
    src = lines_of(path.read_text(encoding="utf-8-sig"))
    body = src[8:]  # after the headline block (title, subtitle, credits)
    blocks, warnings = build_blocks(body, "report")
    covered = set()
    for b in blocks:
        covered.update(range(b.source[0], b.source[1] + 1))
    covered.update(w.line for w in warnings)
    missing = [sl.number for sl in body if sl.text.strip() and sl.number not in covered]
    assert missing == []
    assert all(k in ARTICLE_KINDS for k in ("report", "literary"))


def test_opening_sentence_of_a_series_paragraph_is_its_lead():
    # 000 line 493
    text = "执起“生态宜居”之笔，绘就“美丽乡村”之画。一是厚植生态底色。全力推进受污染耕地安全利用工作。二是擦亮人居本色。大力开展农村人居环境整治提升五年行动。"
    blocks, _ = build(text, start=493)
    assert emphasised(blocks[0]) == ["执起“生态宜居”之笔，绘就“美丽乡村”之画。", "一是厚植生态底色。", "二是擦亮人居本色。"]


# --- another layout: Markdown-flavoured report with part heads, bullets, noise ------

MARKDOWN_REPORT = """
### 第一部分 总体情况

**一、主要成效**

过去一年，全县经济运行总体平稳、稳中有进。地区生产总值达到 312.6 亿元,同比增长 6.2%;规模以上工业增加值增长 8.1%。

- 项目建设提速。全年实施重点项目 86 个，完成投资 95.3 亿元。
- 民生保障有力。新增城镇就业 5200 人，城乡居民收入稳步增长。

**（一）产业结构持续优化**

三次产业结构调整为 12.1:38.5:49.4,服务业对经济增长的贡献率超过 50%。"四上"企业新增 65 家,其中工业企业 28

家，服务业企业 37 家。

青溪决策参考 2024年第2期

16

■ 园区建设

园区完成基础设施投资 18.2 亿元...标准厂房新增 12 万平方米--入驻企业达到 146 家。

![](img/park.jpg)

青溪经济开发区新建的标准厂房。（王磊 摄）

第二部分 存在问题

（一）需求不足

消费恢复仍然偏慢，部分企业订单不足，投资增长后劲有待增强。

**第一，要抓项目。** 项目是发展的生命线，必须坚持项目为王。
"""


def test_markdown_report_layout():
    blocks, warnings = build(MARKDOWN_REPORT, kind="report")
    heads = [(b.text, b.level) for b in blocks if b.type == "heading"]
    assert heads == [
        ("第一部分 总体情况", 1), ("一、主要成效", 2), ("（一）产业结构持续优化", 3),
        ("园区建设", 4), ("第二部分 存在问题", 1), ("（一）需求不足", 3),
    ]
    paras = [b for b in blocks if b.type == "paragraph"]
    assert paras[0].text == "过去一年，全县经济运行总体平稳、稳中有进。地区生产总值达到312.6亿元，同比增长6.2%；规模以上工业增加值增长8.1%。"
    assert paras[1].text == "项目建设提速。全年实施重点项目86个，完成投资95.3亿元。"
    assert paras[3].text.endswith("其中工业企业28家，服务业企业37家。") and "12.1:38.5:49.4，" in paras[3].text
    assert "“四上”" in paras[3].text
    assert paras[4].text == "园区完成基础设施投资18.2亿元……标准厂房新增12万平方米——入驻企业达到146家。"
    cap = next(b for b in blocks if b.type == "caption")
    assert (cap.text, cap.credit) == ("青溪经济开发区新建的标准厂房。", "王磊 摄")
    assert emphasised(paras[-1]) == ["第一，要抓项目。"]
    assert [(w.code, w.line) for w in warnings] == [("R162", 16), ("R161", 18), ("R163", 24)]


def test_salutation_and_credit_lines_are_not_guessed_from_words_alone():
    text = """
下面，我讲三点意见：

会议代表们提出以下建议：

这张照片由记者拍摄

女士们、先生们：
"""
    blocks, _ = build(text)
    assert types(blocks) == ["paragraph", "paragraph", "paragraph", "salutation"]


def test_bold_inside_a_joined_paragraph_maps_to_the_normalised_text():
    text = """
过去一年，全县 **地区生产总值** 达到 312.6 亿元, 同比增长 6.2%,其中

**规模以上工业增加值** 增长 8.1%。
"""
    blocks, _ = build(text)
    assert types(blocks) == ["paragraph"]
    b = blocks[0]
    assert b.text == "过去一年，全县地区生产总值达到312.6亿元，同比增长6.2%，其中规模以上工业增加值增长8.1%。"
    assert emphasised(b) == ["地区生产总值", "规模以上工业增加值"]


def test_headings_in_a_layout_without_blank_lines():
    # 003 has no blank lines between paragraphs; headings there have none either
    text = """
以工业强支撑县域强。坚持突出工业为先,树牢产业链意识,以工业经济壮大县域经济实力。
存在的问题
一是产业链条不长。电子信息产业配套率不足三成,本地采购比例偏低。
二、下一步打算
以文教旺推进城乡旺。坚持深挖文化旅游资源、擦亮教育名片,形成产业集群效应。
"""
    blocks, _ = build(text)
    assert types(blocks) == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert blocks[1].text == "存在的问题" and blocks[3].text == "二、下一步打算"
    assert blocks[2].text == "一是产业链条不长。电子信息产业配套率不足三成，本地采购比例偏低。"


def test_bare_numerals_number_the_sections_of_an_essay():
    text = """
老屋在村子的最东头，青砖黛瓦，门前有一口老井。

一

小时候，我总喜欢坐在门槛上，看祖母在井边洗衣裳。

二

后来我离开了村子，老屋也一年年老去。
"""
    blocks, _ = build(text, kind="literary")
    assert types(blocks) == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert [b.text for b in blocks if b.type == "heading"] == ["一", "二"]


def test_long_member_of_a_heading_family_is_a_heading_not_a_paragraph_start():
    text = """
一、认清形势，增强抓好春耕生产的责任感

去年全镇粮食总产量达到2.6万吨，实现“十连增”。

二、突出重点，坚持以粮食生产为中心统筹抓好农业结构调整和农田水利建设各项工作

各村要把粮食生产任务分解到户、落实到田，坚决遏制耕地撂荒。

三、压实责任，营造氛围

同志们，春耕生产时间紧、任务重。
"""
    blocks, _ = build(text, kind="speech")
    assert types(blocks) == ["heading", "paragraph"] * 3


def test_caption_with_tu_wei_and_a_quoted_couplet_in_single_spaced_text():
    text = """
今年以来，我县坚持把项目建设作为经济工作的主抓手，全力以赴抓项目、扩投资、促发展。

图为县领导在重点项目现场调研。

一季度，全县新开工项目 23 个，其中，产业项目占比达到

— 12 —

65%，较去年同期提高 8 个百分点。

古人云：

不积跬步，无以至千里；
不积小流，无以成江海。

我们要久久为功，一茬接着一茬干。
"""
    blocks, warnings = build(text)
    assert types(blocks) == ["paragraph", "caption", "paragraph", "paragraph", "verse", "paragraph"]
    assert blocks[2].text.endswith("产业项目占比达到65%，较去年同期提高8个百分点。")
    assert blocks[4].lines == ["不积跬步，无以至千里；", "不积小流，无以成江海。"]
    assert [(w.code, w.line) for w in warnings] == [("R161", 7)]


def test_hard_wrapped_text_with_indented_paragraphs():
    # text extracted line by line from a PDF: each printed line is a line, the
    # first line of a paragraph is indented with two ideographic spaces
    text = (
        "\u3000\u3000今年以来，我县坚持把项目建设作为经济工作的主抓手，全力以赴抓项目、扩\n"
        "投资、促发展。项目建设呈现出量质齐升的良好态势，一季度新开工项目23个。\n"
        "全年计划新开工项目80个以上。\n"
        "\u3000\u3000二、突出重点，全力以赴推进项目建设\n"
        "\u3000\u3000（一）抓谋划储备。要围绕国家政策导向和县域产业布局，谋划一批打基础、利\n"
        "长远的好项目，建立滚动储备机制。\n"
        "\u3000\u3000（二）抓招商引资。要坚持“一把手”招商，瞄准长三角、珠三角等重点区域。\n"
    )
    blocks, _ = build_blocks(lines_of(text), "article")
    assert types(blocks) == ["paragraph", "heading", "paragraph", "paragraph"]
    assert blocks[0].text.endswith("一季度新开工项目23个。全年计划新开工项目80个以上。")
    assert blocks[0].source == [1, 3]
    assert blocks[2].text == "（一）抓谋划储备。要围绕国家政策导向和县域产业布局，谋划一批打基础、利长远的好项目，建立滚动储备机制。"


def test_hard_wrapped_text_without_indentation():
    # every printed line is a line of the same width; a line that runs to the
    # wrap column continues into the next even when it ends with 。
    text = """
党的二十大报告对新时代新征程商务工作作出了一系列重要决策部署。提出
了坚持高水平对外开放，加快构建新发展格局，为我们工作明确了方向。作
为商务局要牢牢把握全面贯彻落实党的二十大精神这条主线，全力以赴推动
我县经济高质量发展。要在投资促进、提升服务、扩大开放、优化营商环境
四方面下更大力气。
下一步，县商务局全体干部职工将认真学习领会高质量发展的深刻内涵和实
践要求，为建设县域经济强县扛牢商务责任。
"""
    blocks, _ = build(text)
    assert types(blocks) == ["paragraph", "paragraph"]
    assert blocks[0].source == [1, 5] and blocks[1].source == [6, 7]
    assert "推动我县经济高质量发展。要在投资促进" in blocks[0].text


def test_poem_extracted_with_a_blank_line_after_every_line():
    text = """
晓霞峰，南方的秀美和含蓄

我想不出该如何描绘

我的内敛，我的柔情，我的梦境



全在你的一草一木间

湘江已没有了旧时的风帆

还有你的倒影
"""
    blocks, _ = build(text, kind="literary")
    assert types(blocks) == ["verse"]
    assert blocks[0].lines == [
        "晓霞峰，南方的秀美和含蓄", "我想不出该如何描绘", "我的内敛，我的柔情，我的梦境", "",
        "全在你的一草一木间", "湘江已没有了旧时的风帆", "还有你的倒影",
    ]
    # elsewhere it takes more lines (six) to be read as verse
    blocks, _ = build(text, kind="article")
    assert types(blocks) == ["verse"]
    blocks, _ = build(text.split("\n\n\n\n")[0], kind="article")
    assert "verse" not in types(blocks)


def test_number_and_title_on_separate_lines():
    text = """
（一）
加强组织领导

各级党委（党组）要高度重视调查研究工作，作出专门部署，科学精准做好方案设计。

（二）
严明工作纪律

调查研究要严格执行中央八项规定及其实施细则精神，轻车简从，厉行节约。
"""
    blocks, _ = build(text)
    assert [(b.type, b.text) for b in blocks if b.type == "heading"] == [
        ("heading", "（一）加强组织领导"), ("heading", "（二）严明工作纪律")]
    assert types(blocks) == ["heading", "paragraph"] * 2


def test_invariants_on_shuffled_corpus_lines(corpus_dir):
    """Whatever the order of the lines: no crash, blocks in source order without
    overlap (but for a caption inside a split paragraph, placed after it), every
    non-blank line in a block or a warning, no markup in text."""
    import random

    from conftest import corpus_files

    pool = []
    for p in corpus_files():
        pool.extend(p.read_text(encoding="utf-8-sig").splitlines())
    rng = random.Random(20240401)
    for kind in ("article", "literary", "speech"):
        for _ in range(15):
            chunk = rng.sample(pool, 60)
            lines = [SourceLine(i + 1, t) for i, t in enumerate(chunk)]
            blocks, warnings = build_blocks(lines, kind)
            last = 0
            para_range = (0, 0)
            covered = {w.line for w in warnings}
            for b in blocks:
                assert b.source[0] <= b.source[1]
                if b.type == "caption" and para_range[0] < b.source[0] and b.source[1] < para_range[1]:
                    pass  # a caption set inside a split paragraph comes right after it
                else:
                    assert b.source[0] > last
                last = max(last, b.source[1])
                if b.type == "paragraph":
                    para_range = tuple(b.source)
                covered.update(range(b.source[0], b.source[1] + 1))
                assert "**" not in (b.text or "")
                if b.type == "verse":
                    assert b.lines and b.lines[0] and b.lines[-1]
            assert all(sl.number in covered for sl in lines if sl.text.strip())


def test_caption_between_the_halves_of_a_split_paragraph():
    text = """
一是坚持强化党建引领，做好新时代“三

图为农业农村局志愿服务队在田间开展科技下乡活动。 ■唐俊 摄

农”工作。坚持党对“三农”工作的全面领导，落实农业农村优先发展的方针。

二是夯实粮食生产基础，牢牢守住“两条底线”。
"""
    blocks, _ = build(text, start=325)
    assert types(blocks) == ["paragraph", "caption", "paragraph"]
    assert blocks[0].text.startswith("一是坚持强化党建引领，做好新时代“三农”工作。")
    assert blocks[0].source == [325, 329]
    assert (blocks[1].credit, blocks[1].source) == ("唐俊 摄", [327, 327])


def test_layout_caption_inside_a_split_paragraph():
    # 001 layout: captions stand between runs of blank lines, paragraphs between single ones
    text = """
持之以恒加强政治建设。过去一年，开展两轮巡察，推进政治监督具体化、精准化、常态化。

加强宣传思想文化工作。全力推进全国县



衡东经济开发区。



级文明城市提名城市创建，抓好新时代文明实践中心(所、站)建设。

建设高素质干部队伍。完善干事创业容错纠错等“五项机制”，建立干部实绩档案508份。
"""
    blocks, _ = build(text, start=71)
    assert types(blocks) == ["paragraph", "paragraph", "caption", "paragraph"]
    assert "全力推进全国县级文明城市提名城市创建" in blocks[1].text
    assert blocks[2].text == "衡东经济开发区。"


def test_page_break_after_a_semicolon():
    # 000 line 9, split after one of its ；
    text = """
要大力实施“六大工程”，即实施环境优化提升工程，打造办事高效的政务环境、执法规范的法治环境、重商安商的人文环境、生态宜居的城乡环境；

实施产业培优培强工程，推进园区高质量发展，加快工业建链强链，推动农业创新创特。

坚持一个中心；
抓好两个重点；
"""
    blocks, _ = build(text, start=9)
    assert types(blocks)[0] == "paragraph" and blocks[0].source == [9, 11]
    assert "城乡环境；实施产业培优培强工程" in blocks[0].text
    assert all("坚持一个中心" not in b.text for b in blocks[:1])


def test_markdown_image_alt_text_is_a_caption():
    text = """
石门村村级服务中心投入使用，群众办事更方便了。

![石门村村级服务中心的数字大屏](img/a.jpg)

县委宣传部供图

![](img/b.jpg)
"""
    blocks, warnings = build(text)
    assert types(blocks) == ["paragraph", "caption"]
    assert (blocks[1].text, blocks[1].credit) == ("石门村村级服务中心的数字大屏", "县委宣传部供图")
    assert [(w.code, w.line) for w in warnings] == [("R163", 7)]


def test_series_members_separated_by_semicolons_are_separate_leads():
    text = "主要做法：一是加强组织领导；二是完善工作机制；三是强化督查考核。通过以上措施，各项工作有序推进。"
    blocks, _ = build(text)
    assert emphasised(blocks[0]) == ["一是加强组织领导；", "二是完善工作机制；", "三是强化督查考核。"]


def test_editor_note_end_mark_and_sign_off():
    text = """
编者按：为深入学习贯彻习近平新时代中国特色社会主义思想，全面贯彻落实党的二十大精神，本刊从本期起开设“大兴调查研究”专栏，刊发各地各部门开展调查研究的经验做法和调研成果，敬请关注。欢迎各单位踊跃投稿，来稿请注明作者单位和联系方式。

各级党委（党组）要建立调研成果转化运用清单，加强对调研课题完成情况的督查督办和跟踪问效。

中共衡东县委办公室
2023年3月19日

（完）
"""
    blocks, _ = build(text)
    assert types(blocks) == ["note", "paragraph", "note", "note", "note"]
    assert [b.text for b in blocks[2:]] == ["中共衡东县委办公室", "2023年3月19日", "（完）"]


def test_inline_credit_of_spaced_words_after_the_caption():
    """104: the web copy's photo caption carries its credit on the same line, with no
    space after the caption's last stop and the reporter's title and name spaced."""
    from publisher.reader.captions import split_credit

    line = "2月3日，湖南省第十四届人民代表大会第四次会议在省人民会堂开幕。省长毛伟明作政府工作报告。湖南日报全媒体记者 刘尚文 摄"
    text, credit = split_credit(line)
    assert text == "2月3日，湖南省第十四届人民代表大会第四次会议在省人民会堂开幕。省长毛伟明作政府工作报告。"
    assert credit == "湖南日报全媒体记者 刘尚文 摄"
    # a paragraph that merely ends in a sentence is untouched
    assert split_credit("他们在现场拍摄。大家都很高兴。")[1] is None
