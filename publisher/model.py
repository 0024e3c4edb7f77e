"""The typed model of an issue: issue → columns → articles → blocks.

Every stage talks to the next only through these dataclasses.  They are plain
data: no behaviour beyond JSON round-tripping.  The JSON form is described by
``schema/issue.schema.json`` and tests validate against it.

Block types (``Block.type``):

=============  ==============================================================
``paragraph``  ``text`` (plain, no markup characters) and ``emphasis``: a list
               of ``[start, end)`` character ranges, e.g. a run-in bold lead.
``heading``    ``level`` (1 = top level inside an article) and ``text``.
``verse``      ``lines``: the poem's lines; an empty string marks a stanza
               break.
``caption``    ``text`` and optional ``credit`` (``唐俊 摄``, ``县委宣传部供图``);
               ``image``: the photo it describes, a path relative to the issue's
               folder (``images/03.jpg``), and ``alt``: the editor's alt text for
               it (default: the caption's text).  Ties are made by
               ``publisher/photos.py`` (source, sidecar, number, order).
``figure``     a photo no caption describes, placed by the editor (the Markdown
               source's ``![alt](images/05.jpg)`` or the sidecar's ``[images]``
               ``after =``): ``image`` and ``alt`` (required), no ``text``.
``note``       ``text``: ``（作者系…）``, ``来源：…`` and the like; ``role`` (one of
               ``NOTE_ROLES``, else None): ``kicker`` right above a heading,
               ``dateline`` a bracketed date opening the text, ``signoff`` a short
               ``——编者`` or a name/date among the last two blocks.
``credits``    ``text``: newspaper credits (``策划 / … 文 / …``).
``salutation`` ``text``: ``同志们：``.
=============  ==============================================================

A newspaper page of several short stories under one headline is ONE article; each
story is a section: its kicker (``地点：…``) a ``note`` block, its subhead a
``heading`` block and its byline a ``credits`` block right after that heading
(``本报记者 李茂颖``); the article's ``authors`` are the people of those bylines.
An unlabelled editors' note signed ``——编者`` is ``note`` blocks.  A reporter's
signature closing a story (``（本报记者程焕采访整理）``) is a ``credits`` block and its
people are authors too; captions printed above a story's head follow that head.
Closing credits (``（撰稿：单位 姓名 审编：…）``) are a ``credits`` block: the 撰稿 writers
are authors (their unit as ``role``), the 审编 editor is not.  A dateline under a
headline (``（2019年10月27日）``) is a ``note`` block, the first of the body.

``source`` on blocks and articles holds the 1-based input line numbers the
item was read from (``[first, last]``), so that nothing is silently lost.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

BLOCK_TYPES = ("paragraph", "heading", "verse", "caption", "figure", "note", "credits", "salutation")
ARTICLE_KINDS = ("editorial", "speech", "article", "literary", "report")
# A note's role: a section's 引题 above its heading, a date under the headline, a sign-off.
NOTE_ROLES = ("kicker", "dateline", "signoff")


@dataclass
class Block:
    type: str
    text: str = ""
    level: int | None = None
    lines: list[str] | None = None
    emphasis: list[list[int]] = field(default_factory=list)
    credit: str | None = None
    source: list[int] | None = None
    image: str | None = None  # caption: its photo, relative to the issue's folder
    alt: str | None = None  # caption: the photo's alt text, when the editor gives one
    role: str | None = None  # note: one of NOTE_ROLES, how it is set (reader/note_roles.py)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.type == "verse":
            out["lines"] = list(self.lines or [])
        else:
            out["text"] = self.text
        if self.level is not None:
            out["level"] = self.level
        if self.emphasis:
            out["emphasis"] = [list(r) for r in self.emphasis]
        if self.credit is not None:
            out["credit"] = self.credit
        if self.source is not None:
            out["source"] = list(self.source)
        if self.image is not None:
            out["image"] = self.image
        if self.alt is not None:
            out["alt"] = self.alt
        if self.role is not None:
            out["role"] = self.role
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Block":
        return cls(
            type=d["type"],
            text=d.get("text", ""),
            level=d.get("level"),
            lines=d.get("lines"),
            emphasis=[list(r) for r in d.get("emphasis", [])],
            credit=d.get("credit"),
            source=d.get("source"),
            image=d.get("image"),
            alt=d.get("alt"),
            role=d.get("role"),
        )


@dataclass
class Author:
    name: str
    role: str | None = None


@dataclass
class Article:
    title: str
    id: str = ""  # stable within the issue: "a01", "a02", … in reading order
    subtitle: str | None = None
    kicker: str | None = None  # 引题, printed above the title
    authors: list[Author] = field(default_factory=list)
    page: int | None = None  # print page from the 目录
    kind: str = "article"
    blocks: list[Block] = field(default_factory=list)
    source: list[int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "subtitle": self.subtitle,
            "kicker": self.kicker,
            "authors": [asdict(a) for a in self.authors],
            "page": self.page,
            "kind": self.kind,
            "blocks": [b.to_json() for b in self.blocks],
            "source": self.source,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Article":
        return cls(
            title=d["title"],
            id=d.get("id", ""),
            subtitle=d.get("subtitle"),
            kicker=d.get("kicker"),
            authors=[Author(**a) for a in d.get("authors", [])],
            page=d.get("page"),
            kind=d.get("kind", "article"),
            blocks=[Block.from_json(b) for b in d.get("blocks", [])],
            source=d.get("source"),
        )


@dataclass
class Column:
    name: str  # "" for a single article that has no column
    articles: list[Article] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "articles": [a.to_json() for a in self.articles]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Column":
        return cls(name=d["name"], articles=[Article.from_json(a) for a in d.get("articles", [])])


@dataclass
class Meta:
    """Issue-level metadata: from the sidecar TOML, CLI options, or defaults."""

    magazine: str = ""
    issue_label: str = ""  # 2023年第1期
    number: int | None = None  # position of the issue in the magazine's run
    year: int | None = None
    date: str | None = None  # ISO 8601 date, e.g. 2023-03-01
    publisher: str = ""
    issn: str | None = None
    cn: str | None = None
    cover: str | None = None  # path to a cover image, relative to the sidecar
    name: str = ""  # output file stem
    language: str = "zh-CN"
    page_size: str = "185mm 260mm"  # CSS size; 16开 by default
    new_page_per_article: bool = False
    print_profile: str | None = None  # the printer's CMYK ICC profile (--print), relative to the sidecar
    cover_photo: str | None = None  # a photo under the generated cover's masthead, relative to the sidecar
    images: str | None = None  # the folder of the issue's photos (default: images/ beside the input)
    # explicit ties from the sidecar's [images] table: file (in that folder) → caption
    # reference ("a03:2", the 2nd caption of article a03, or the caption's opening words)
    # or {caption = …, alt = …}
    image_ties: dict[str, Any] = field(default_factory=dict)
    # The imprint of an internal publication (内部资料性出版物, issue 15), printed on the
    # colophon page (metadata.imprint_rows): 准印证号, 编印单位, 印刷单位, 印数 (copies),
    # 发送对象, and the notice (e.g. 内部资料 免费交流).
    permit_no: str | None = None
    compiled_by: str | None = None
    printed_by: str | None = None
    copies: int | None = None
    distribution: str | None = None
    internal_notice: str | None = None

    @property
    def title(self) -> str:
        return " ".join(p for p in (self.magazine, self.issue_label) if p)


@dataclass
class Warning:
    code: str  # stable code, e.g. "R101"
    message: str
    line: int | None = None


@dataclass
class Issue:
    meta: Meta = field(default_factory=Meta)
    columns: list[Column] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    source_path: str | None = None
    # 1-based input lines [first, last] of the 目录 block, which the reader turned
    # into the columns/entries above (so those lines are accounted for); None if none.
    contents_source: list[int] | None = None

    @property
    def articles(self) -> list[Article]:
        return [a for c in self.columns for a in c.articles]

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": asdict(self.meta),
            "columns": [c.to_json() for c in self.columns],
            "warnings": [asdict(w) for w in self.warnings],
            "contents_source": self.contents_source,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2, sort_keys=False)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Issue":
        known = {f.name for f in fields(Meta)}
        return cls(
            meta=Meta(**{k: v for k, v in d.get("meta", {}).items() if k in known}),
            columns=[Column.from_json(c) for c in d.get("columns", [])],
            warnings=[Warning(**w) for w in d.get("warnings", [])],
            contents_source=d.get("contents_source"),
        )

    @classmethod
    def loads(cls, s: str) -> "Issue":
        return cls.from_json(json.loads(s))
