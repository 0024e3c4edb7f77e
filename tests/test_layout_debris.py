"""Layout detection (reader.layout), web/converter debris (reader.debris) and the
metadata the text itself gives (issue 11), on real lines of corpus-wild 101, 103-105."""
from __future__ import annotations

from publisher.model import Meta
from publisher.reader import label_year, parse_text, parse_text_report, unaccounted_lines
from publisher.reader.debris import find_debris, iso_date, is_button_line, running_meta
from publisher.reader.layout import detect_layout, normalise
from publisher.reader.lines import split_lines

# corpus-wild 103, lines 1-17 (a newspaper archive's Markdown with YAML front matter)
FRONT = """---
title: "工业遗存焕新，赋能城市更新（新时代画卷）"
date: 2026-03-13
section: "第11版"
author: ""
keywords: [游客, 文化, 视觉]
---

# 工业遗存焕新，赋能城市更新（新时代画卷）

> 《人民日报》（2026年03月13日第 11 版）

烟囱高耸、厂房林立曾是城市工业化的鲜明印记。如今这些承载着城市记忆的工业遗存，正以新的面貌融入城市生活，成为市民游客休闲消费的新去处。

——编  者
"""

# corpus-wild 104, lines 1-18 and its end (a government web page copied as text)
WEB = """下载
打印
全屏
收藏
【字号：
加大
还原
减小
】
2026年湖南省政府工作报告
——2026年2月3日在湖南省第十四届人民代表大会第四次会议上
来源：湖南日报
时间：2026-02-24
毛伟明
各位代表：
现在，我代表省人民政府，向大会作政府工作报告，请予审议，并请各位政协委员提出意见。
唯有奋斗，方能无愧于时代、无愧于人民。让我们更加紧密地团结在一起，为谱写新篇章而努力奋斗！
相关报道：
"""

# corpus-wild 105: paragraphs opened by ideographic indents, headline flush, CRLF
SPEECH = ("\r\n在纪念李大钊同志诞辰130周年座谈会上的讲话\r\n（2019年10月27日）\r\n同志们，朋友们：\r\n"
          "　　今天，我们怀着十分崇敬的心情，在这里隆重集会，纪念李大钊同志诞辰130周年。\r\n"
          "　　李大钊同志是中国共产主义运动的先驱，伟大的马克思主义者，杰出的无产阶级革命家。\r\n"
          "　　（新华社北京10月27日电）\r\n")


def test_front_matter_is_metadata_never_title_or_text():
    issue, layout, from_text = parse_text_report(FRONT)
    art = issue.articles[0]
    assert art.title == "工业遗存焕新，赋能城市更新（新时代画卷）"
    assert all("title:" not in b.text and "人民日报" not in b.text for b in art.blocks)
    assert layout.front_matter == (1, 7) and layout.markdown
    assert from_text == {"magazine": "人民日报", "date": "2026-03-13"}
    codes = {w.line: w.code for w in issue.warnings}
    assert [codes[n] for n in range(1, 8)] == ["R051"] * 7
    assert codes[11] == "R056"
    assert unaccounted_lines(issue, FRONT) == []


def test_web_furniture_and_facts_are_dropped_each_with_a_warning():
    issue, layout, from_text = parse_text_report(WEB)
    art = issue.articles[0]
    assert art.title == "2026年湖南省政府工作报告"
    assert [p.name for p in art.authors] == ["毛伟明"]
    assert from_text == {"date": "2026-02-24"}
    dropped = {w.line: w.code for w in issue.warnings}
    assert [dropped.get(n) for n in range(1, 10)] == ["R052"] * 9
    assert dropped[12] == dropped[13] == "R053" and dropped[18] == "R052"
    assert all(b.text not in ("下载", "相关报道：", "来源：湖南日报") for b in art.blocks)
    assert layout.paragraphs == "lines"
    assert unaccounted_lines(issue, WEB) == []


def test_button_lines_by_shape():
    assert is_button_line("下载 打印 全屏 收藏 【字号：大 中 小】")
    assert is_button_line("】") and is_button_line("打印")
    assert not is_button_line("下载中心的建设")
    assert not is_button_line("各位代表：")


def test_a_column_in_brackets_is_not_a_database_header():
    lines = split_lines("目录\n\n【卷首语】开篇的话……1\n\n【特稿】第一篇文章……3\n")
    drop, warnings, _ = find_debris(lines)
    assert drop == set() and warnings == []


def test_legal_database_header_dropped():
    text = "文章属性\n【制定机关】全国人民代表大会\n【公布日期】1997.03.14\n【时效性】现行有效\n正文\n中华人民共和国刑法\n第一条　为了惩罚犯罪，保护人民，根据宪法，结合我国同犯罪作斗争的具体经验及实际情况，制定本法。\n"
    drop, warnings, _ = find_debris(split_lines(text))
    assert drop == {0, 1, 2, 3, 4} and {w.code for w in warnings} == {"R054"}


def test_html_remnants_dropped():
    text = "标题\n\n正文第一段，说了一件事情，这件事情说来话长，需要从很久以前说起，一直说到今天为止。\n\n</div>\n<br/>\n"
    drop, warnings, _ = find_debris(split_lines(text))
    assert drop == {4, 5} and {w.code for w in warnings} == {"R055"}


def test_indent_marked_speech_with_crlf():
    lines = split_lines(SPEECH)
    layout = detect_layout(SPEECH, lines)
    assert layout.paragraphs == "indent" and layout.crlf
    issue = parse_text(SPEECH)
    assert issue.articles[0].title == "在纪念李大钊同志诞辰130周年座谈会上的讲话"


def test_every_line_indented_marks_nothing_and_is_removed():
    text = "　　标题一行\n　　正文第一段，说了一件事。\n　　正文第二段，又说了一件事。\n"
    lines = split_lines(text)
    layout = detect_layout(text, lines)
    assert layout.paragraphs == "indent-all"
    assert [sl.text for sl in normalise(lines, layout)] == ["标题一行", "正文第一段，说了一件事。", "正文第二段，又说了一件事。", ""]


def test_hard_wrapped_print_lines_found_with_their_width():
    para = "烟囱高耸、厂房林立曾是城市工业化的鲜明印记如今这些承载着城市记忆的工业遗存正以新的面貌融入城市生活成为市民游客休闲消费的新去处各地的探索实践生动诠释了工业遗存的焕新之道或变身潮流打卡地让文化在传统与现代的交融中焕发新生。"
    wrapped = "\n".join(para[k : k + 20] for k in range(0, len(para), 20)) + "\n"
    layout = detect_layout(wrapped, split_lines(wrapped))
    assert layout.paragraphs == "wrapped" and layout.width == 20


def test_markdown_escapes_undone():
    text = "# 标题\n\n正文说到 1\\~2 倍，**加粗**。\n"
    lines = split_lines(text)
    layout = detect_layout(text, lines)
    assert layout.md_escapes == 1
    assert normalise(lines, layout)[2].text == "正文说到 1~2 倍，**加粗**。"


def test_issue_label_and_masthead_from_cover_and_running_heads():
    # corpus-wild 101: the cover prints the issue label, then the masthead as a heading
    text = "1999年第1期（总第1期）\n\n# 刑事审判参考\n\nReference to Criminal Trial\n\n正文。\n\n1999年第1期（总第1期）\n"
    tm = running_meta(split_lines(text))
    assert (tm.magazine, tm.issue_label) == ("刑事审判参考", "1999年第1期（总第1期）")


def test_the_issue_label_gives_the_year_when_nothing_else_does():
    # corpus-wild 101 prints no date, only its label: its year dates the e-book (dc:date 1999)
    text = "1999年第1期（总第1期）\n\n# 刑事审判参考\n\n正文。\n\n1999年第1期（总第1期）\n"
    issue, _, _ = parse_text_report(text, Meta())
    assert issue.meta.year == 1999
    assert parse_text_report(text, Meta(year=2001))[0].meta.year == 2001  # the sidecar's year wins
    assert label_year("2024年第2期") == 2024 and label_year(" 1999 年第1期") == 1999
    assert label_year("第12期") is None and label_year("0999年第1期") is None and label_year(None) is None


def test_a_single_piece_dated_under_its_headline_is_dated_so():
    # corpus-wild 105, lines 2-4: a speech with its date where a subtitle would be
    text = "在纪念李大钊同志诞辰130周年座谈会上的讲话\n（2019年10月27日）\n同志们，朋友们：\n　　今天，我们怀着十分崇敬的心情，在这里隆重集会。\n"
    issue, _, from_text = parse_text_report(text, Meta())
    assert (issue.meta.date, issue.meta.year, from_text) == ("2019-10-27", 2019, {"date": "2019-10-27"})
    assert parse_text_report(text, Meta(year=2020))[0].meta.date is None  # the editor's year stands
    # a day the calendar lacks dates nothing; a date inside the text is no dateline
    assert parse_text_report(text.replace("10月27日", "2月30日"), Meta())[0].meta.date is None
    body = "在纪念李大钊同志诞辰130周年座谈会上的讲话\n　　1927年4月6日，李大钊同志在北京被捕入狱。\n"
    assert parse_text_report(body, Meta())[0].meta.date is None
    assert iso_date("2024年2月29日") == "2024-02-29" and iso_date("2023年2月29日") is None


def test_sidecar_and_command_line_override_the_text():
    issue, _, from_text = parse_text_report(FRONT, Meta(magazine="人民日报海外版", date="2026-03-14"))
    assert issue.meta.magazine == "人民日报海外版" and issue.meta.date == "2026-03-14"
    assert from_text == {}
