"""The EPUB's content documents, rendered from ``templates/epub/`` in reading order.

Reading order: cover, title page, contents page, then each column (an opener page,
then its articles; 卷首语 needs no opener), then the colophon.  A single article
with no magazine name (a feature or a signed piece) reads cover → article → colophon.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Article, Block, Issue
from ..render.env import render
from ..render.markup import edge_spaces, headline_parts, keep_tail

TEXT_DIR = "text"
COLOPHON_HREF = f"{TEXT_DIR}/colophon.xhtml"
# Heading level n is set as <h{n+2}> (templates/shared/blocks.xhtml.j2); HTML stops at h6.
MAX_HEADING_LEVEL = 4
# An article with two or more top-level headings lists them in the nav; one longer than this is split into a document per top-level section, so that no
# content document grows past what small e-readers handle comfortably (~100 KB).
SPLIT_ARTICLE_CHARS = 30000
LABELS = {
    "toc": "目录",
    "landmarks": "导览",
    "pages": "页码",
    "cover": "封面",
    "titlepage": "扉页",
    "bodymatter": "正文",
    "colophon": "版权信息",
}
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass
class Doc:
    id: str  # manifest id
    href: str  # path inside the package folder, e.g. "text/a01.xhtml"
    title: str
    kind: str  # cover, titlepage, contents, column, article, colophon
    content: bytes = b""
    properties: list[str] = field(default_factory=list)


@dataclass
class NavEntry:
    label: str
    href: str
    children: list["NavEntry"] = field(default_factory=list)


@dataclass
class Plan:
    """Everything the packager needs besides fonts and the cover image."""

    title: str
    docs: list[Doc]
    toc: list[NavEntry]
    landmarks: list[tuple[str, str, str]]  # (epub:type, href, label)
    pages: list[tuple[str, str]]  # (label, href)


def book_title(issue: Issue) -> str:
    """Magazine + issue label (from the sidecar, the command line or the text).

    A single piece (one article that is no issue of a magazine, such as a newspaper
    page whose archive names the paper but no issue) is the book: its headline is its
    title, the paper its collection.  An issue whose magazine is not known is named neutrally
    after the input file (:func:`neutral_title`), never after one of its articles.
    """
    m = issue.meta
    if is_single_piece(issue):
        for a in issue.articles:
            if a.title.strip():
                return " ".join(a.title.split())
    if m.magazine:
        return m.title
    return neutral_title(issue)


def neutral_title(issue: Issue) -> str:
    """The input's name (with the issue label when one is known): what names a book,
    or its collection, when the text and the sidecar name no magazine."""
    name = issue.meta.name.strip() or "未命名"
    return f"{name} {issue.meta.issue_label}" if issue.meta.issue_label else name


def identity_warning(issue: Issue) -> str | None:
    """The one warning for a book whose identity had to be made up: an issue with no
    magazine name found anywhere (sidecar, command line, text)."""
    m = issue.meta
    if m.magazine or is_single_piece(issue):
        return None
    return (f"no magazine name in the sidecar, the command line or the text: the e-book is titled "
            f"“{book_title(issue)}” after the file name and the cover has no masthead")  # no date: metadata.date_warning


def is_single_piece(issue: Issue) -> bool:
    """One article and no issue of a magazine (no magazine name, or a masthead with no issue
    label: 103, a newspaper page whose archive names the paper): no title page, contents
    page or column openers."""
    return len(issue.articles) == 1 and not (issue.meta.magazine and issue.meta.issue_label)


def date_label(issue: Issue) -> str:
    d = issue.meta.date or ""
    m = re.match(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", d)
    if m:
        y, mo, day = m.groups()
        return f"{y}年{int(mo)}月" + (f"{int(day)}日" if day else "")
    if issue.meta.year:
        return f"{issue.meta.year}年"
    return ""


def headline_lines(title: str) -> list[str]:
    """A headline as set: two parts on two lines; more parts in two balanced lines.

    ``抓招商促消费 稳外资稳外贸 为建设县域经济强县贡献商务力量`` →
    ``抓招商促消费　稳外资稳外贸`` / ``为建设县域经济强县贡献商务力量``.
    """
    parts = headline_parts(title)
    if len(parts) <= 2:
        return parts
    join = "\u3000".join
    k = min(range(1, len(parts)), key=lambda k: (max(len(join(parts[:k])), len(join(parts[k:]))), k))
    return [join(parts[:k]), join(parts[k:])]


def title_markup(title: str) -> list:
    """A headline's lines, none ending on a character alone (:func:`keep_tail`)."""
    return [keep_tail(line) for line in headline_lines(title)]


def plain_title(title: str) -> str:
    """A title on one line: a deliberate break becomes an ideographic space."""
    return "\u3000".join(headline_parts(title))


def author_names(article: Article) -> str:
    return "\u3000".join(a.name for a in article.authors if a.name)


def byline(article: Article) -> list[dict]:
    """Authors grouped into lines: one line per role, names side by side."""
    lines: list[dict] = []
    for au in article.authors:
        if lines and lines[-1]["role"] == (au.role or None):
            lines[-1]["names"].append(au.name)
        else:
            lines.append({"role": au.role or None, "names": [au.name]})
    return lines


def heading_order(blocks: list[Block]) -> list[Block]:
    """The blocks with heading levels that never step down more than one at a time
    (a level-3 heading right under a level-1 one becomes level 2, and so do its
    siblings), up to :data:`MAX_HEADING_LEVEL`: screen readers and Ace's heading-order
    check walk the outline level by level.  The article's title is above level 1."""
    out: list[Block] = []
    stack: list[tuple[int, int]] = []  # (level in the text, level set) of the open headings
    for b in blocks:
        if b.type == "heading":
            given = b.level or 1
            while stack and stack[-1][0] >= given:
                stack.pop()
            level = min(stack[-1][1] + 1 if stack else 1, MAX_HEADING_LEVEL)
            stack.append((given, level))
            if level != b.level:
                b = replace(b, level=level)
        out.append(b)
    return out


def _text_length(blocks: list[Block]) -> int:
    return sum(len(b.text) + sum(len(x) for x in (b.lines or [])) for b in blocks)


def _ids(issue: Issue) -> list[str]:
    """A manifest-safe, unique id per article (the model's id when it is one)."""
    out, seen = [], set()
    for n, a in enumerate(issue.articles, 1):
        aid = a.id if a.id and _NCNAME.match(a.id) and a.id not in seen else f"a{n:02d}"
        while aid in seen:
            aid += "x"
        seen.add(aid)
        out.append(aid)
    return out


def _split_column_name(name: str) -> tuple[str, str]:
    """``专题聚焦 · 建设县域经济强县`` → (专题聚焦, 建设县域经济强县)."""
    parts = re.split(r"\s*[·•・]\s*|\s{2,}|\u3000", name.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    return name.strip(), ""


def _needs_opener(column, single: bool) -> bool:
    if single or not column.name.strip() or not column.articles:
        return False
    # 卷首语 stands on its own page already: a column of one editorial has no opener.
    return not (len(column.articles) == 1 and column.articles[0].kind == "editorial")


def plan(issue: Issue, *, stylesheets: list[str], cover: dict | None, photos: dict | None = None) -> Plan:
    """Render every document of the book; ``stylesheets`` are hrefs relative to the package folder."""
    lang = issue.meta.language or "zh-CN"
    title = book_title(issue)
    single = is_single_piece(issue)
    css = [f"../{s}" for s in stylesheets]
    ids = iter(_ids(issue))

    def page(template: str, doc_title: str, body_class: str, body_type: str, **ctx) -> bytes:
        return edge_spaces(render(
            f"epub/{template}", lang=lang, doc_title=doc_title, stylesheets=css,
            body_class=body_class, body_type=body_type, **ctx,
        )).encode("utf-8")

    def href(name: str) -> str:
        return f"{TEXT_DIR}/{name}.xhtml"

    docs: list[Doc] = []
    landmarks: list[tuple[str, str, str]] = []

    # --- the articles and columns, first as data (the contents page needs them all)
    columns = []
    pages: list[tuple[str, str]] = []
    used_pages: set[int] = set()
    for ci, col in enumerate(issue.columns, 1):
        if not col.articles:
            continue  # a column the 目录 names but the body lacks: nothing to link to
        cid = f"c{ci:02d}"
        main, sub = _split_column_name(col.name)
        arts = []
        for a in col.articles:
            aid = next(ids)
            blocks = heading_order(a.blocks)
            # A very long article is split into one document per top-level section.
            n_top = sum(1 for b in blocks if b.type == "heading" and b.level == 1)
            split = _text_length(blocks) >= SPLIT_ARTICLE_CHARS and n_top >= 2
            parts: list[list] = [[]]
            anchors, heads = [], []
            for b in blocks:
                hid = None
                if b.type == "heading" and b.level == 1:
                    hid = f"{aid}-s{len(heads) + 1}"
                    if split and heads:  # the preamble and the first section stay with the head
                        # a section's kicker (the note right above its heading) opens its document
                        last = parts[-1][-1][0] if parts[-1] else None
                        kicker = last is not None and last.type == "note" and last.role == "kicker"
                        parts.append([parts[-1].pop()] if kicker else [])
                    part_href = href(aid if len(parts) == 1 else f"{aid}-{len(parts)}")
                    heads.append(NavEntry(" ".join(b.text.split()), f"{part_href}#{hid}"))
                parts[-1].append((b, hid))
                anchors.append((b, hid))
            page_anchor = None
            if a.page is not None and a.page not in used_pages:
                used_pages.add(a.page)
                page_anchor = f"page-{a.page}"
                pages.append((str(a.page), f"{href(aid)}#{page_anchor}"))
            arts.append({
                "id": aid,
                "href": href(aid),
                "article": a,
                "kind": re.sub(r"[^a-z0-9-]", "", a.kind.lower()) or "article",
                "title_lines": title_markup(a.title),
                "toc_title": plain_title(a.title),
                "kicker": a.kicker,
                "subtitle": a.subtitle,
                "authors": a.authors,
                "author_names": author_names(a),
                "byline": byline(a),
                "sign_at_end": a.kind == "editorial",
                "page": a.page,
                "page_anchor": page_anchor,
                "column": col.name.strip() if not single else "",
                "blocks": anchors,
                "parts": [{"href": href(aid if i == 0 else f"{aid}-{i + 1}"), "id": aid if i == 0 else f"{aid}-{i + 1}",
                           "blocks": part, "first": i == 0, "last": i == len(parts) - 1,
                           "label_id": f"{aid}-title" if i == 0 else next((h for _, h in part if h), f"{aid}-title")}
                          for i, part in enumerate(parts)],
                "headings": heads if len(heads) >= 2 else [],
            })
        opener = _needs_opener(col, single)
        columns.append({
            "id": cid,
            "name": col.name.strip(),
            "main": main,
            "sub": sub,
            "opener": opener,
            "href": href(cid) if opener else (arts[0]["href"] if arts else ""),
            "articles": arts,
        })

    # --- front matter
    if cover is not None:
        docs.append(Doc("cover", href("cover"), LABELS["cover"], "cover", page(
            "cover.xhtml.j2", title, "cover-page", "cover",
            cover={**cover, "href": f"../{cover['href']}"},
        ), ["svg"]))
        landmarks.append(("cover", href("cover"), LABELS["cover"]))
    if not single:
        m = issue.meta
        tp = {
            "kicker": "" if m.magazine or not m.issue_label else "",
            "title_lines": title_markup(m.magazine) if m.magazine else title_markup(title),
            "issue_label": m.issue_label if m.magazine else "",
            "highlight": "",
            "publisher": m.publisher,
            "date_label": date_label(issue),
        }
        docs.append(Doc("titlepage", href("titlepage"), title, "titlepage", page(
            "titlepage.xhtml.j2", title, "titlepage-page", "frontmatter", tp=tp)))
        landmarks.append(("titlepage", href("titlepage"), LABELS["titlepage"]))
        docs.append(Doc("contents", href("contents"), LABELS["toc"], "contents", page(
            "contents.xhtml.j2", LABELS["toc"], "contents-page", "frontmatter",
            columns=[{**c, "href": f"../{c['href']}", "articles": [
                {**a, "href": f"../{a['href']}"} for a in c["articles"]]} for c in columns])))
        landmarks.append(("toc", href("contents"), LABELS["toc"]))

    # --- body
    first_body = None
    for c in columns:
        rel_arts = [{**a, "href": a["href"].removeprefix(f"{TEXT_DIR}/")} for a in c["articles"]]
        if c["opener"]:
            docs.append(Doc(c["id"], c["href"], c["name"], "column", page(
                "column.xhtml.j2", c["name"], "column-page", "bodymatter",
                col={**c, "articles": rel_arts})))
            first_body = first_body or c["href"]
        for a in c["articles"]:
            for part in a["parts"]:
                docs.append(Doc(part["id"], part["href"], plain_title(a["article"].title), "article", page(
                    "article.xhtml.j2", plain_title(a["article"].title), f"article-page kind-{a['kind']}",
                    "bodymatter", a=a, part=part, photos=photos or {})))
            first_body = first_body or a["href"]
    if first_body:
        landmarks.append(("bodymatter", first_body, LABELS["bodymatter"]))
    landmarks.append(("colophon", COLOPHON_HREF, LABELS["colophon"]))  # written last, see colophon()

    # --- the nav: column → article (→ top-level headings of long articles)
    toc: list[NavEntry] = []
    for c in columns:
        entries = [NavEntry(a["toc_title"], a["href"], a["headings"]) for a in c["articles"]]
        if c["name"] and not single:
            toc.append(NavEntry(c["name"], c["href"], entries))
        else:
            toc.extend(entries)
    return Plan(title=title, docs=docs, toc=toc, landmarks=landmarks, pages=pages)


def colophon(issue: Issue, *, stylesheets: list[str], fonts: list[str], has_pages: bool = False) -> Doc:
    """The last page: who published what, when, and the fonts it is set in."""
    m = issue.meta
    rows: list[tuple[str, str]] = []
    if m.magazine:
        rows.append(("刊名", m.magazine))
        if m.issue_label:
            rows.append(("期号", m.issue_label))
    else:
        rows.append(("标题", plain_title(book_title(issue))))
        names = "\u3000".join(dict.fromkeys(a.name for art in issue.articles for a in art.authors if a.name))
        if names and len(issue.articles) == 1:
            rows.append(("作者", names))
        if m.issue_label:
            rows.append(("期号", m.issue_label))
    if m.publisher:
        rows.append(("编印", m.publisher))
    if date_label(issue):
        rows.append(("日期", date_label(issue)))
    if m.issn:
        rows.append(("ISSN", m.issn))
    if m.cn:
        rows.append(("刊号", m.cn))
    from ..metadata import imprint_rows  # an internal publication's imprint (issue 15)

    rows += imprint_rows(m)
    notes = [m.internal_notice] if m.internal_notice else []
    html = edge_spaces(render(
        "epub/colophon.xhtml.j2", lang=m.language or "zh-CN", doc_title=LABELS["colophon"],
        stylesheets=[f"../{s}" for s in stylesheets], body_class="colophon-page", body_type="backmatter",
        col={"heading": LABELS["colophon"], "rows": rows, "fonts": fonts, "fonts_label": "本书所用字体",
             "notes": notes + (["页码导航列出各篇文章在印刷版中的起始页码。"] if has_pages else [])},
    )).encode("utf-8")
    return Doc("colophon", COLOPHON_HREF, LABELS["colophon"], "colophon", html)
