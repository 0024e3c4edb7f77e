"""What a note is from where it stands (publisher/reader/note_roles.py, Block.role), on real
corpus lines; the templates set it by its role, the Markdown source states it."""
from publisher.model import Block
from publisher.render.env import environment
from publisher.reader.note_roles import mark_note_roles, note_role


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


def test_the_reader_marks_each_note_of_an_article_by_its_neighbours():
    blocks = [
        Block(type="note", text="（2019年10月27日）"),  # 105: opens the text
        Block(type="paragraph", text="今天，我们怀着十分崇敬的心情，在这里隆重集会。"),
        Block(type="note", text="地点：云南普洱"),  # 102: above a story's heading
        Block(type="heading", text="扶贫干部", level=1),
        Block(type="note", text="（作者系县委党校讲师）"),
        Block(type="paragraph", text="我们诚望《刑事审判参考》成为广大司法工作者和各位读者的益友！"),
        Block(type="note", text="编者"),  # 101: among the last two
    ]
    mark_note_roles(blocks)
    assert [b.role for b in blocks] == ["dateline", None, "kicker", None, None, None, "signoff"]


def test_the_templates_give_the_class_of_the_role():
    macro = environment().get_template("shared/blocks.xhtml.j2").module.block
    assert 'class="note signoff"' in str(macro(Block(type="note", text="编者", role="signoff")))
    assert 'class="note kicker"' in str(macro(Block(type="note", text="地点：云南普洱", role="kicker")))
    # the editor's word stands: a note with no role is a plain note wherever it is
    assert 'class="note"' in str(macro(Block(type="note", text="编者")))


def test_parse_gives_the_roles_of_the_corpus_notes(corpus_dir):
    from conftest import corpus_files
    from publisher.reader import read_issue

    files = {p.name[:3]: p for p in corpus_files()}
    roles = {k: [b.role for a in read_issue(files[k]).articles for b in a.blocks if b.type == "note" and b.role]
             for k in ("102", "105")}
    assert roles["105"] == ["dateline"]
    assert roles["102"].count("kicker") == 10 and roles["102"].count("signoff") == 1, roles["102"]
