"""How a note is set from where it stands (publisher/render/notes.py), on real corpus lines."""
from publisher.model import Article, Block
from publisher.render.env import environment
from publisher.render.notes import note_role


def role(text, before_heading=False, first=False, tail=False):
    return note_role(text, before_heading=before_heading, first=first, tail=tail)


def test_a_note_above_a_heading_is_its_kicker():
    assert role("地点：云南普洱", before_heading=True) == "kicker"  # corpus-wild 102
    assert role("地点：云南普洱") == ""


def test_a_bracketed_date_opening_the_text_is_a_dateline():
    assert role("（2019年10月27日）", first=True) == "dateline"  # corpus-wild 105
    assert role("（1998年12月30日）", first=True) == "dateline"  # corpus-wild 101's 通知
    assert role("（二〇一九年十月二十七日）", first=True) == "dateline"  # the reader's rule: numerals too
    assert role("（2019年10月27日）") == ""  # in the middle of a text it is just a note


def test_sign_offs_are_set_right():
    assert role("——编者") == "signoff"  # 102's editors' note
    assert role("编者", tail=True) == "signoff"  # 101's 发刊词 closes 编者 / 1999年4月10日
    assert role("1999年4月10日", tail=True) == "signoff"
    assert role("编者") == ""  # not among the last blocks


def test_closing_notes_that_are_text_stay_notes():
    assert role("（作者系县委党校讲师）", tail=True) == ""
    assert role("来源：新华社", tail=True) == ""
    assert role("——摘自《人民日报》2019年10月8日第7版，有删节", tail=True) == ""  # too long for a name


def test_the_templates_give_the_class():
    a = Article(title="发刊词", id="a01", blocks=[
        Block(type="paragraph", text="我们诚望《刑事审判参考》成为广大司法工作者和各位读者的益友！"),
        Block(type="note", text="编者"),
        Block(type="note", text="1999年4月10日"),
    ])
    macro = environment().get_template("shared/blocks.xhtml.j2").module.block
    assert 'class="note signoff"' in str(macro(a.blocks[1], tail=True))
    assert 'class="note kicker"' in str(macro(Block(type="note", text="地点：云南普洱"), next=Block(type="heading", text="x", level=1)))
    assert 'class="note"' in str(macro(Block(type="note", text="（作者系县委党校讲师）"), tail=True))
