"""The publisher source (issue 13): the model as Markdown an editor corrects, read back as written.

Round trip on the sample and every corpus file: raw → model → Markdown → model is the
identity on the model (source and warning line numbers aside), and Markdown → model →
Markdown gives the same bytes.  Every mistake is one line naming its line; the front
matter is metadata under the sidecar and the command line.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest

from publisher.errors import PublisherError
from publisher.model import Article, Author, Block, Column, Issue, Meta, Warning
from publisher.reader import read_issue, read_issue_report
from publisher.source import is_source, notes, read_source_text, to_markdown
from publisher.source.reader import SourceLayout

from conftest import ROOT, SAMPLE, corpus_files

SCHEMA = json.loads((ROOT / "publisher" / "issue.schema.json").read_text(encoding="utf-8"))
INPUTS = [SAMPLE] + corpus_files()


def comparable(d):
    """The model's JSON without input line numbers (articles', blocks', warnings', 目录's)."""
    if isinstance(d, dict):
        return {k: comparable(v) for k, v in d.items() if k not in ("source", "line", "contents_source")}
    if isinstance(d, list):
        return [comparable(x) for x in d]
    return d


@pytest.fixture(scope="module")
def cycles(tmp_path_factory):
    """For every input: (raw model, its Markdown, the model read from that Markdown, its Markdown)."""
    folder = tmp_path_factory.mktemp("sources")
    out = {}
    for path in INPUTS:
        issue, layout, from_text = read_issue_report(path)
        md = to_markdown(issue, notes(path.name, layout, from_text))
        src = folder / (path.stem + ".md")
        src.write_text(md, encoding="utf-8")
        again, layout2, from_text2 = read_issue_report(src)
        out[path.name] = (issue, md, again, to_markdown(again, notes(src.name, layout2, from_text2)), layout2)
    return out


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name[:12])
def test_raw_model_markdown_model_is_the_identity(cycles, path):
    issue, md, again, _, layout = cycles[path.name]
    assert is_source(md) and isinstance(layout, SourceLayout)
    assert comparable(again.to_json()) == comparable(issue.to_json())
    assert [w.code for w in again.warnings] == [w.code for w in issue.warnings]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name[:12])
def test_markdown_model_markdown_gives_the_same_bytes(cycles, path):
    _, md, _, md2, _ = cycles[path.name]
    assert md2 == md


def test_the_source_model_is_described_by_the_schema_and_names_its_lines(cycles):
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    for name, (_, md, again, _, _) in cycles.items():
        validator.validate(again.to_json())
        lines = md.split("\n")
        for art in again.articles:  # an article's source starts at its ## heading
            assert lines[art.source[0] - 1].startswith("## "), (name, art.id)
            for b in art.blocks:
                assert b.source[0] <= b.source[1]
        for w in again.warnings:  # a warning's line is its comment's
            assert lines[w.line - 1].startswith(f"<!-- {w.code} "), (name, w)


def test_the_sample_source_reads_like_the_reference(cycles):
    _, md, _, _, _ = cycles[SAMPLE.name]
    lines = md.split("\n")
    assert lines[:2] == ["---", "publisher-source: 1"]
    assert "## 在全县项目建设推进大会上的讲话 {#a03 .speech page=5}" in lines
    assert "- [中共青溪县委书记]{.role} 林振东" in lines
    assert "[一、持续提升政务服务效能。]{.em}推行“一件事一次办”，将企业开办、工程建设项目审批等高频事项纳入集成办理范围，压减办理环节和时限。" in lines
    assert "::: salutation" in lines and "::: kicker" in lines and "::: subtitle" in lines
    assert any(ln.startswith("| ") for ln in lines) and "|" in lines  # verse with a stanza break
    assert "### 一、提高站位，深刻认识项目建设的重要意义" in lines


def test_warnings_stand_where_they_were_found(cycles):
    issue, md, again, _, _ = cycles["101_xingshi-shenpan-cankao-1999-01.txt"]
    assert issue.warnings and len(again.warnings) == len(issue.warnings)
    lines = md.split("\n")
    first_article = next(i for i, ln in enumerate(lines) if ln.startswith("## "))
    # a line dropped before the first article is reported before it
    before = [w for w in issue.warnings if w.line is not None and w.line < issue.articles[0].source[0]]
    assert before
    assert sum(1 for ln in lines[:first_article] if ln.startswith("<!-- ")) >= len(before)


# --- every character survives ----------------------------------------------------------

HOSTILE = list("\\`*_[]{}<>&$^~@|#\"'!:=%+-.()1aA") + [
    " ", "  ", "\t", "\u3000", "\u00a0", "。", "——", "...", "--", "1.", "a)", "(1)", "&amp;", "&#x20;",
    "<!--", "-->", "**", "[x]{.em}", "{#a01}", ":::", "---", "| ", "# ", "> ", "- ", "+ ", "1) ", "\\*",
    "中", "文", "：", "https://x.cn/a_b", "@smith", "$x$", "^2^", "~~", "`code`",
]


def _noise(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, n)))


def test_any_text_survives_the_round_trip():
    rng = random.Random(13)
    for _ in range(60):
        text = _noise(rng, 12)
        cut = sorted(rng.sample(range(len(text) + 1), 2)) if len(text) > 1 else [0, 1]
        blocks = [
            Block(type="paragraph", text=text, emphasis=[cut] if cut[0] < cut[1] else []),
            Block(type="heading", text=_noise(rng, 6), level=rng.randint(1, 4)),
            Block(type="verse", lines=[_noise(rng, 5), "", _noise(rng, 5)]),
            Block(type="caption", text=_noise(rng, 6), credit=_noise(rng, 3)),
            Block(type="caption", text=_noise(rng, 6)),
            Block(type=rng.choice(["note", "credits", "salutation"]), text=_noise(rng, 6)),
        ]
        art = Article(title=_noise(rng, 6), id="a01", kicker=_noise(rng, 4), subtitle=_noise(rng, 4),
                      authors=[Author(_noise(rng, 3), _noise(rng, 3)), Author(_noise(rng, 3))],
                      page=rng.randint(1, 99), kind=rng.choice(["speech", "article", "literary"]), blocks=blocks)
        issue = Issue(meta=Meta(magazine=_noise(rng, 5).strip() or "刊", issue_label="2024年第1期"),
                      columns=[Column(name=_noise(rng, 4).strip() or "栏", articles=[art])],
                      warnings=[Warning("R205", _noise(rng, 8), 1)])
        md = to_markdown(issue)
        try:
            again = read_source_text(md, "x.md")
        except PublisherError as e:  # pragma: no cover - shows the failing text
            pytest.fail(f"{e.message}\n{md}")
        want = comparable(issue.to_json())
        want["meta"]["magazine"] = want["meta"]["magazine"]  # (meta texts are cleaned like a sidecar's)
        got = comparable(again.to_json())
        got["meta"]["name"] = want["meta"]["name"]
        assert got == want, md
        assert to_markdown(again) == md


def test_an_issue_without_columns_and_an_empty_column_name_round_trip():
    arts = [Article(title="独篇", id="a01", blocks=[Block(type="paragraph", text="正文。")])]
    for columns in ([Column(name="", articles=arts)],
                    [Column(name="甲", articles=[]), Column(name="", articles=arts)]):
        issue = Issue(meta=Meta(magazine="刊"), columns=columns)
        md = to_markdown(issue)
        again = read_source_text(md, "x.md")
        assert [(c.name, len(c.articles)) for c in again.columns] == [(c.name, len(c.articles)) for c in columns]
    assert "\n# " not in to_markdown(Issue(meta=Meta(magazine="刊"), columns=[Column(name="", articles=arts)]))


def test_a_captions_photo_and_alt_round_trip():
    """``::: {.caption image="…" alt="…"}`` (issue 16): written, read back, written again
    the same; an alt the attribute syntax cannot hold is refused, not mangled."""
    cap = Block(type="caption", text="图③：村道两旁。", credit="唐俊 摄", image="images/03.jpg", alt="稻田间的村道")
    arts = [Article(title="篇", id="a01", blocks=[Block(type="paragraph", text="正文。"), cap,
                                                 Block(type="caption", text="无图的说明。")])]
    issue = Issue(meta=Meta(magazine="刊"), columns=[Column(name="栏", articles=arts)])
    md = to_markdown(issue)
    assert '::: {.caption image="images/03.jpg" alt="稻田间的村道"}\n图③：村道两旁。 [唐俊 摄]{.credit}\n:::' in md
    again = read_source_text(md, "x.md")
    got = again.articles[0].blocks
    assert (got[1].image, got[1].alt, got[1].credit, got[1].text) == ("images/03.jpg", "稻田间的村道", "唐俊 摄", "图③：村道两旁。")
    assert (got[2].image, got[2].alt) == (None, None)
    assert to_markdown(again) == md
    cap.alt = '他说"好"'
    with pytest.raises(ValueError, match="cannot be written as an attribute"):
        to_markdown(issue)


# --- mistakes: one line, its line number, nothing built ---------------------------------


@pytest.fixture(scope="module")
def sample_source(cycles) -> str:
    return cycles[SAMPLE.name][1]


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


MISTAKES = {
    # name: (edit of the sample's source, the line it names (the edited text), what the message says)
    "block outside an article": (("# 卷首语\n", "一段没有文章的话。\n\n# 卷首语\n"), "一段没有文章的话。", "outside an article"),
    "unknown attribute": (("{#a01 .editorial page=1}", "{#a01 .editorial pages=1}"), "pages=1", "unknown attribute pages="),
    "unknown class": (("{#a01 .editorial page=1}", "{#a01 .editoral page=1}"), ".editoral", "unknown class .editoral"),
    "unknown div": (("::: kicker", "::: kiker"), "::: kiker", "unknown div ::: kiker"),
    "div left open": (("::: salutation\n同志们：\n:::", "::: salutation\n同志们：\n"), "今天召开全县", "a second paragraph inside the ::: salutation div"),
    "closing fence of no div": (("# 政策资讯\n", ":::\n\n# 政策资讯\n"), ":::\n\n# 政策资讯", "a ::: that closes no div"),
    "bad front matter": (("number: 2", "number: [2"), "year: 2024", "front matter: expected"),
    "unknown front matter key": (("number: 2", "numbr: 2"), "numbr: 2", "unknown key 'numbr'"),
    "bad front matter value": (('date: "2024-04-01"', 'date: "2024-13-01"'), 'date: "2024-13-01"', "not a date of the calendar"),
    "paragraph running on": (("一年之计在于春。", "一年之计\n在于春。"), "一年之计\n", "a paragraph is one line"),
    "stray mark": (("一年之计在于春。", "一年之计**在于**春。"), "一年之计**", "'*' that opens or closes nothing (emphasis is [like this]{.em})"),
    "duplicate id": (("{#a02 ", "{#a01 "), "关于进一步优化县域营商环境的若干措施 {#a01", "#a01 again"),
    "raw HTML": (("一年之计在于春。", "一年之计<b>在于</b>春。"), "一年之计<b>", "inline HTML"),
    "a list in the text": (("一年之计在于春。", "- 一年之计在于春。"), "- 一年之计", "a list is not part"),
    "kicker after the text": (("\n实干是最好的答卷。", "\n::: kicker\n迟到\n:::\n\n实干是最好的答卷。"), "::: kicker\n迟到", "after the article's text"),
    "a link": (("一年之计在于春。", "[一年之计](https://x.cn)在于春。"), "[一年之计]", "'[' that opens or closes nothing"),
    "verse line without its bar": (("| 采茶人的竹篓\n", "| 采茶人的竹篓\n  续行\n"), "  续行", "a verse line opens with '| '"),
    "page not a number": (("page=1}", "page=1a}"), "page=1a", "a page is a whole number"),
    "image outside the issue's folder": (("::: caption\n石门村", '::: {.caption image="../x.jpg"}\n石门村'),
                                         '::: {.caption image="../x.jpg"}', "a path inside the issue's folder"),
    "image on a note": (("::: salutation\n同志们", '::: {.salutation image="x.jpg"}\n同志们'),
                        '::: {.salutation image', "unknown attribute image= on a div"),
    "a role that is none": (("::: salutation\n同志们：\n:::", '::: {.note role="title"}\n同志们：\n:::'),
                            '::: {.note role="title"}', "role=title on a note: one of kicker, dateline, signoff"),
    "a role on a salutation": (("::: salutation\n同志们", '::: {.salutation role="kicker"}\n同志们'),
                               '::: {.salutation role', "unknown attribute role= on a div"),
}


def test_a_notes_role_is_written_read_and_set_as_the_editor_says():
    """The reader marks a note's role (reader/note_roles.py); the source states it, and an
    editor's change of it is what the book sets (corpus-wild 102's 地点 kicker)."""
    art = Article(title="168小时 他们在一线", id="a01", blocks=[
        Block(type="note", text="地点：云南普洱", role="kicker"),
        Block(type="heading", text="帮村民卖山货", level=1),
        Block(type="paragraph", text="早上7点，普洱市的扶贫干部已经出门。"),
        Block(type="note", text="——编者", role="signoff"),
    ])
    md = to_markdown(Issue(meta=Meta(), columns=[Column(name="", articles=[art])]))
    assert '::: {.note role="kicker"}\n地点：云南普洱\n:::' in md and '::: {.note role="signoff"}' in md
    back = read_source_text(md, "issue.md")
    assert [b.role for b in back.articles[0].blocks] == ["kicker", None, None, "signoff"]
    edited = read_source_text(md.replace('{.note role="signoff"}', "note"), "issue.md")
    assert edited.articles[0].blocks[-1].role is None  # a plain note now: set as a note, not right


@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_mistake_is_one_line_naming_its_line(sample_source, name):
    (old, new), needle, says = MISTAKES[name]
    assert old in sample_source
    text = sample_source.replace(old, new, 1)
    with pytest.raises(PublisherError) as e:
        read_source_text(text, "issue.md")
    msg = e.value.message
    assert "\n" not in msg and says in msg, msg
    assert msg.startswith(f"issue.md: line {_line_of(text, needle)}: "), msg


def test_mistakes_are_told_apart(sample_source):
    seen = set()
    for (old, new), _, _ in MISTAKES.values():
        with pytest.raises(PublisherError) as e:
            read_source_text(sample_source.replace(old, new, 1), "issue.md")
        seen.add(e.value.message.split(": ", 2)[2])
    assert len(seen) == len(MISTAKES)


def test_an_unclosed_front_matter_and_another_version_are_refused(sample_source):
    body_start = sample_source.index("\n---\n") + 1
    for text, says in ((sample_source[:body_start] + sample_source[body_start + 4:], "never closed"),
                       (sample_source.replace("publisher-source: 1", "publisher-source: 2"), "reads version 1"),
                       (sample_source.replace("publisher-source: 1\n", "publisher-source: 1\n" + "# padding\n" * 8000), "longer than 64 KB")):
        with pytest.raises(PublisherError, match=says):
            read_source_text(text, "issue.md")


# --- metadata: front matter under sidecar and command line --------------------------------


def test_sidecar_and_command_line_override_the_front_matter(tmp_path, sample_source):
    src = tmp_path / "edited.md"
    src.write_text(sample_source.replace('cover: null', 'cover: "cover.jpg"'), encoding="utf-8")
    meta = read_issue(src).meta
    assert (meta.magazine, meta.number, meta.name) == ("青溪决策参考", 2, "sample-issue")
    assert meta.cover == str((tmp_path / "cover.jpg").resolve())  # relative to the source
    (tmp_path / "edited.toml").write_text('magazine = "改名后的刊"\nnumber = 3\n', encoding="utf-8")
    meta = read_issue(src).meta
    assert (meta.magazine, meta.number, meta.issue_label) == ("改名后的刊", 3, "2024年第2期")
    meta = read_issue(src, {"number": "7", "issue_label": "2024年第7期"}).meta
    assert (meta.magazine, meta.number, meta.issue_label) == ("改名后的刊", 7, "2024年第7期")


def test_a_raw_text_with_other_front_matter_is_not_a_source():
    assert not is_source("---\ntitle: 人民日报\n---\n正文")
    assert not is_source("青溪决策参考\n---\npublisher-source: 1\n")
    assert is_source("\ufeff---\npublisher-source: 1\n---\n")
    assert is_source("---\r\npublisher-source: 1\r\n---\r\n")


# --- the editor's edits are what is read -------------------------------------------------


def test_edits_to_the_sample_source_are_read_exactly(sample_source):
    edits = [
        ("## 在全县项目建设推进大会上的讲话 {#a03", "## 在全县项目建设推进大会上的重要讲话 {#a03"),  # retitled
        ("各级领导干部要带头联系项目", "### 四、新加的小标题\n\n各级领导干部要带头联系项目"),  # a heading added
        ("- [青溪县人民政府县长]{.role} 周明远", "- [青溪县人民政府县长]{.role} 周明远\n- [副县长]{.role} 李四"),
    ]
    text = sample_source
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    issue = read_source_text(text, "edited.md")
    a03, a04 = issue.articles[2], issue.articles[3]
    assert a03.title == "在全县项目建设推进大会上的重要讲话"
    assert [b.text for b in a03.blocks if b.type == "heading"][-1] == "四、新加的小标题"
    assert [(p.name, p.role) for p in a04.authors] == [("周明远", "青溪县人民政府县长"), ("李四", "副县长")]
    verse = next(b for a in issue.articles for b in a.blocks if b.type == "verse")
    lines = [ln for ln in verse.lines if ln]
    split = sample_source.replace(f"| {lines[1]}\n", f"|\n| {lines[1]}\n", 1)  # a stanza split
    again = next(b for a in read_source_text(split, "x.md").articles for b in a.blocks if b.type == "verse")
    k = again.lines.index(lines[1])
    assert again.lines[k - 1] == "" and [ln for ln in again.lines if ln] == lines


# --- Pandoc reads every source and keeps its headings and blocks --------------------------


def _pandoc() -> str:
    import os
    import shutil

    exe = shutil.which("pandoc")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs pandoc (Debian package pandoc) to check the sources")
        pytest.skip("pandoc not installed (Debian package pandoc)")
    return exe


def _pandoc_elements(tree) -> list[dict]:
    out: list[dict] = []

    def walk(x):
        if isinstance(x, dict):
            if "t" in x:
                out.append(x)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(tree)
    return out


def test_pandoc_reads_every_source_without_a_warning_and_keeps_its_structure(cycles, tmp_path):
    import subprocess
    from collections import Counter

    exe = _pandoc()
    for name, (issue, md, _, _, _) in cycles.items():
        src = tmp_path / "source.md"
        src.write_text(md, encoding="utf-8")
        r = subprocess.run([exe, "-f", "markdown", str(src), "-t", "json"], capture_output=True, text=True,
                           encoding="utf-8", timeout=120)
        assert r.returncode == 0 and r.stderr == "", (name, r.stderr)
        tree = json.loads(r.stdout)
        words = [e["c"] if e["t"] == "Str" else " " for e in _pandoc_elements(tree["meta"].get("magazine", {}).get("c", []))]
        assert "".join(words) == issue.meta.magazine, name  # the front matter is Pandoc's metadata too
        elements = _pandoc_elements(tree["blocks"])
        headers = [e["c"] for e in elements if e["t"] == "Header"]
        articles = [(h[1][0], h[1][1], dict(h[1][2]).get("page")) for h in headers if h[0] == 2]
        assert articles == [(a.id, [a.kind], None if a.page is None else str(a.page)) for a in issue.articles], name
        sections = [h[0] - 2 for h in headers if h[0] > 2]
        assert sections == [b.level for a in issue.articles for b in a.blocks if b.type == "heading"], name
        divs = Counter(e["c"][0][1][0] for e in elements if e["t"] == "Div")
        want = Counter(b.type for a in issue.articles for b in a.blocks if b.type in ("note", "credits", "salutation", "caption"))
        for a in issue.articles:
            want.update(k for k in ("kicker", "subtitle") if getattr(a, k) is not None)
            want.update(["authors"] if a.authors else [])
        assert divs == want, name
        assert sum(e["t"] == "LineBlock" for e in elements) == sum(b.type == "verse" for a in issue.articles for b in a.blocks)
        spans = Counter(e["c"][0][1][0] for e in elements if e["t"] == "Span")
        assert spans["em"] == sum(len(b.emphasis) for a in issue.articles for b in a.blocks), name
        assert spans["credit"] == sum(b.credit is not None for a in issue.articles for b in a.blocks), name
        assert spans["role"] == sum(p.role is not None for a in issue.articles for p in a.authors), name
        comments = [e for e in elements if e["t"] == "RawBlock" and e["c"][1].startswith("<!--")]
        assert len(comments) == len(issue.warnings), name


def test_reading_the_source_of_000_is_faster_than_reading_its_raw_text(cycles, tmp_path):
    import time

    from conftest import corpus_file

    raw = corpus_file("000")
    src = tmp_path / "000.md"
    src.write_text(cycles[raw.name][1], encoding="utf-8")

    def best(path) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            read_issue_report(path)
            times.append(time.perf_counter() - t)
        return min(times)

    assert best(src) < best(raw)


# --- hostile shapes: linear, and no dearer than plain paragraphs ---------------------------

HOSTILE_SHAPES = {"brackets": "[", "label": "[a", "open attributes": "[a]{", "stars": "*a", "backticks": "`a",
                  "angles": "<a", "escaped braces": "\\{", "entities": "&#x20;", "line block": "| 诗\n",
                  "spans": "[a]{.em}"}


def _read_cost(body: str) -> float:
    import time

    head = "---\npublisher-source: 1\nmagazine: \"刊\"\n---\n\n## 题 {#a01}\n\n"
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        try:
            read_source_text(head + body, "h.md")
        except PublisherError:
            pass  # most shapes are mistakes: one line, found as fast
        best = min(best, time.perf_counter() - t)
    return best


def test_hostile_shapes_cost_what_plain_text_of_their_size_costs():
    small, large = 5000, 20000
    plain = _read_cost("正文一段。\n\n" * (large // 7))
    for name, unit in HOSTILE_SHAPES.items():
        a, b = _read_cost(unit * (small // len(unit))), _read_cost(unit * (large // len(unit)))
        assert b < 10 * a, (name, a, b)  # 4× the size: a quadratic rule would cost 16×
        assert b < 3 * plain, (name, b, plain)


PANDOC_TEXTS = ["1. 第一", "a) 甲", "(1) 一", "A. 大写", "IV. 四", "#. 井", "- 列", "+ 加", "* 星", "> 引", ": 定义",
                "= 等", "% 百分", "--- 横线", "...省略", "a--b", "\"引号\" 'x'", "@smith 说", "$x$ 和 ^2^ ~3~", "\\foo",
                "<b>粗</b>", "&amp; 实体", "[@cite]", "http://x.cn/a_b_c", "5.2%，2024-04-01", "~~删~~", "| 竖",
                "`代码`", "!!惊叹", "{#id}", "a\\", "  前后空格  ", "x:smile:y", "2024.", "(a)甲", "#标签"]


def test_pandoc_reads_each_escaped_text_as_that_text():
    import subprocess

    from publisher.source.syntax import inline

    exe = _pandoc()
    doc = "\n\n".join(inline(s) for s in PANDOC_TEXTS) + "\n"
    r = subprocess.run([exe, "-f", "markdown", "-t", "json"], input=doc, capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    blocks = json.loads(r.stdout)["blocks"]

    def text(e) -> str:
        if isinstance(e, list):
            return "".join(text(x) for x in e)
        if e["t"] == "Str":
            return e["c"]
        if e["t"] == "Space":
            return " "
        if e["t"] == "Quoted":
            q = '"' if e["c"][0]["t"] == "DoubleQuote" else "'"
            return q + text(e["c"][1]) + q
        return text(e.get("c", []))

    assert [b["t"] for b in blocks] == ["Para"] * len(PANDOC_TEXTS)
    assert [text(b["c"]) for b in blocks] == PANDOC_TEXTS


def test_the_syntax_covers_every_field_of_the_model():
    """A field added to the model needs a place in the source (publisher/source/writer.py and
    reader.py, docs/markdown.md); Meta's are written whatever they are (the front matter)."""
    from dataclasses import fields

    written = {
        Block: {"type", "text", "level", "lines", "emphasis", "credit", "source", "image", "alt", "role"},
        Author: {"name", "role"},
        Article: {"title", "id", "subtitle", "kicker", "authors", "page", "kind", "blocks", "source"},
        Column: {"name", "articles"},
        Warning: {"code", "message", "line"},
        Issue: {"meta", "columns", "warnings", "source_path", "contents_source"},
    }
    for cls, known in written.items():
        assert {f.name for f in fields(cls)} == known, cls.__name__
