"""Issues built by hand for the EPUB tests (independent of the reader)."""
from __future__ import annotations

from publisher.model import Article, Author, Block, Column, Issue, Meta


def P(text, emphasis=None):
    return Block("paragraph", text=text, emphasis=emphasis or [])


def H(text, level=1):
    return Block("heading", text=text, level=level)


def magazine_issue() -> Issue:
    """Four columns, an editorial with a pen name, a speech, a report, a poem, a caption."""
    long_section = "项目是经济发展的“压舱石”。去年全县实施重点项目126个，完成投资85.6亿元，同比增长12.3%。" * 30
    return Issue(
        meta=Meta(
            magazine="青溪决策参考", issue_label="2024年第2期", number=2, year=2024, date="2024-04-01",
            publisher="中共青溪县委政策研究室", cn="（内部资料）", name="qingxi-2024-02",
        ),
        columns=[
            Column("卷首语", [Article(
                "让每一滴汗水 都浇灌在发展的土壤里", id="a01", kind="editorial", page=1,
                authors=[Author("山禾")],
                blocks=[P("一年之计在于春。站在新的起点上，全县上下要把心思凝聚到干事创业上。"),
                        P("实干是最好的答卷。蓝图已经绘就，关键在于落实。")],
            )]),
            Column("政策资讯", [Article(
                "关于进一步优化县域营商环境的若干措施", id="a02", kicker="国务院办公厅印发", page=3,
                blocks=[P("为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，现提出以下措施。"),
                        P("一、持续提升政务服务效能。推行“一件事一次办”。", emphasis=[[0, 12]])],
            )]),
            Column("领导讲话", [
                Article(
                    "在全县项目建设推进大会上的讲话", id="a03", kind="speech", page=5,
                    authors=[Author("林振东", "中共青溪县委书记")],
                    blocks=[Block("salutation", text="同志们："),
                            P("今天召开全县项目建设推进大会，主要任务是总结去年项目建设工作。"),
                            H("一、提高站位，深刻认识项目建设的重要意义"), P(long_section),
                            H("二、突出重点，全力以赴推进项目建设"), H("（一）抓谋划储备", 2), P(long_section),
                            H("三、压实责任，营造比学赶超的浓厚氛围"), P(long_section)],
                ),
                Article(
                    "以作风建设新成效推动各项工作", id="a04", kind="speech", page=9,
                    authors=[Author("周明远", "青溪县人民政府县长")],
                    blocks=[P("第一，在“快”字上下功夫。对企业和群众反映的问题，做到当日受理、限时办结。", emphasis=[[0, 10]])],
                ),
            ]),
            Column("调查研究", [Article(
                "数字乡村建设的青溪实践", id="a05", kind="report", page=14,
                authors=[Author("陈晓"), Author("王磊")],
                blocks=[P("近年来，青溪县推动5G网络、物联网设备向乡村延伸，126个行政村实现4G全覆盖。"),
                        Block("caption", text="石门村村级服务中心的数字大屏。", credit="县委宣传部供图"),
                        Block("note", text="（作者单位：县委政策研究室）")],
            )]),
            Column("清溪文苑", [Article(
                "春到茶山", id="a06", kind="literary", page=16, subtitle="——写给云雾山的采茶人",
                authors=[Author("苏禾")],
                blocks=[Block("verse", lines=["晨雾还没有散去", "采茶人的竹篓", "已经装满了鸟鸣", "",
                                              "一片叶子醒来", "整座山就醒来"])],
            )]),
        ],
    )


def single_piece() -> Issue:
    """A feature article without a magazine: title, subtitle, credits, sections, a caption."""
    return Issue(
        meta=Meta(name="feature"),
        columns=[Column("", [Article(
            "以实干实绩奋力迈向“县域经济强县”", id="a01", subtitle="——写在县委全体会议召开之际",
            authors=[Author("唐翔", "记者")],
            blocks=[Block("credits", text="策划 / 邓智　文 / 唐翔"),
                    P("新年伊始，春山可望。全县地区生产总值(GDP)255.92亿元，增长5.7%。"),
                    H("A 奋力推动经济社会高质量发展"), P("用汗水浇灌事业，以实干促进崛起。"),
                    Block("caption", text="工人们在基地采摘。")],
        )])],
    )


def long_speech_issue() -> Issue:
    """magazine_issue() with a speech long enough (~33 000 characters) to be split per section."""
    issue = magazine_issue()
    filler = "各级各部门要坚持问题导向，沉下身子抓项目、破难题、解民忧。" * 400
    for b in issue.columns[2].articles[0].blocks:
        if b.type == "paragraph" and len(b.text) > 1000:
            b.text = filler
    return issue
