"""Headlines break at their deliberate spaces, the same way in the EPUB and the PDF.

Corpus case (000, 专题聚焦): `落实农业农村优先发展方针 奋力开创“农业强 农村美 农民富”的新局面`:
the spaces inside the quotes separate list items and must not break the line.
"""
from publisher.epub.documents import headline_lines as epub_lines
from publisher.pdf.html import headline_lines as pdf_lines
from publisher.render.markup import headline_parts, title_lines

QUOTED = "落实农业农村优先发展方针 奋力开创“农业强 农村美 农民富”的新局面"


def test_space_inside_quotes_is_not_a_break():
    assert headline_parts(QUOTED) == ["落实农业农村优先发展方针", "奋力开创“农业强\u3000农村美\u3000农民富”的新局面"]


def test_deliberate_space_breaks():
    assert headline_parts("坚持首位战略 凝心聚力加快建设县域经济强县") == ["坚持首位战略", "凝心聚力加快建设县域经济强县"]
    assert [str(x) for x in title_lines("守正创新 笃行致远")] == ["守正创新", "笃行致远"]


def test_pdf_and_epub_agree_on_the_parts():
    wide = 2000.0  # no balancing needed: only the deliberate breaks remain
    for title in (QUOTED, "聚焦“守底线 抓发展 促振兴”工作主线 全面推进乡村振兴走在省市前列", "衡东处处好风光"):
        pdf = [str(x).replace("&#12288;", "\u3000") for x in pdf_lines(title, wide)]
        assert len(pdf) == len(headline_parts(title)) <= 2
        assert len(epub_lines(title)) == len(pdf)


def test_keep_tail_binds_the_last_two_han_characters():
    """A contents title that wraps never leaves one character alone (corpus 000:
    '…奋力开创高湖高质量发展新局' / '面')."""
    from publisher.render.markup import keep_tail

    out = str(keep_tail("抓实一条主线 完善四大机制 推进五大重点工作 奋力开创高湖高质量发展新局面"))
    assert out.endswith('<span class="kt">局面</span>')
    assert str(keep_tail("抓好“三大建设” 助推党的二十大精神落地见效")).endswith('<span class="kt">见效</span>')
    assert str(keep_tail("晓霞峰：你是谁的青罗衫？")).endswith('<span class="kt">罗衫？</span>')
    assert "kt" not in str(keep_tail("致辞"))  # too short to wrap
    # The cut does not cost the ¼ em between digits and the Han character after them.
    assert str(keep_tail("奋斗2023年度")) == '奋斗<span class="hw hw-l hw-r">2023</span><span class="kt">年度</span>'
