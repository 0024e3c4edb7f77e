"""The model → a publisher source (Pandoc Markdown) an editor reads, corrects and builds from.

Layout of the file (``docs/markdown.md`` is the reference):

* YAML front matter: ``publisher-source: 1`` first, then every ``Meta`` field; a value
  the reader found in the text is marked ``# from the text``;
* ``# column`` (an issue with no column: articles before any column heading);
* ``## title {#a03 .speech page=9}``: an article, its id, kind and 目录 page;
* ``::: kicker`` / ``::: subtitle`` / ``::: authors`` (a list, ``[role]{.role} name``)
  right after the title; then the blocks: paragraphs (``[…]{.em}`` for emphasis),
  ``###``–``######`` section headings (levels 1–4), line blocks (``| line``, a bare ``|``
  between stanzas) for verse, ``::: note`` / ``::: credits`` / ``::: salutation`` /
  ``::: caption`` (``[唐俊 摄]{.credit}`` last on the caption's line); a photo without a
  caption ``![alt](images/05.jpg)`` on a line of its own;
* every reader warning as ``<!-- R201 message -->`` before the first element at or after
  its line.
"""
from __future__ import annotations

import json
from dataclasses import fields

from ..model import NOTE_ROLES, Article, Block, Issue, Meta, Warning
from . import syntax as S


def _yaml_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):  # a JSON object is a YAML flow mapping (image_ties)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def front_matter(meta: Meta, notes: tuple[str, ...] | list[str] = ()) -> list[str]:
    out = ["---", S.MARKER]
    out += [f"# {line}" if line else "#" for line in notes]
    for f in fields(Meta):
        out.append(f"{f.name}: {_yaml_scalar(getattr(meta, f.name))}")
    out.append("---")
    return out


def _div(name: str, body: list[str]) -> list[str]:
    return [f"::: {name}", *body, ":::"]


def _article_heading(art: Article) -> str:
    attrs = []
    if art.id:
        attrs.append(f"#{art.id}")
    attrs.append(f".{art.kind}")
    if art.page is not None:
        attrs.append(f"page={art.page}")
    title = S.inline(art.title)
    return "#" * S.ARTICLE_LEVEL + (f" {title}" if title else "") + " {" + " ".join(attrs) + "}"


def _author(name: str, role: str | None) -> str:
    if role is None:
        return "- " + S.inline(name)
    return f"- [{S.inline(role)}]{{.{S.ROLE_SPAN}}} " + S.inline(name)


def _block(b: Block) -> list[str]:
    if b.type == "figure":
        return [_figure(b)]
    if b.type == "verse":
        if not b.lines:
            raise ValueError("a verse block without lines cannot be written")
        return [("| " + S.inline(line)) if line else "|" for line in b.lines]
    if b.type == "verse" or (b.type != "caption" and b.credit is not None):
        raise ValueError(f"a {b.type} block with a credit cannot be written")
    text = S.inline(b.text, b.emphasis)
    if b.type == "paragraph":
        if not text:
            raise ValueError("an empty paragraph cannot be written")
        return [text]
    if b.type == "heading":
        level = b.level or 1
        if not 1 <= level <= S.MAX_SECTION_LEVEL:
            raise ValueError(f"a heading of level {level} cannot be written (1–{S.MAX_SECTION_LEVEL})")
        return ["#" * (level + S.SECTION_OFFSET) + (f" {text}" if text else "")]
    if b.type == "caption" and b.credit is not None:
        credit = f"[{S.inline(b.credit)}]{{.{S.CREDIT_SPAN}}}"
        text = f"{text} {credit}" if text else credit
    if b.type not in S.BLOCK_DIVS:
        raise ValueError(f"unknown block type {b.type!r}")
    if b.type == "caption" and (b.image is not None or b.alt is not None):
        return _div(_caption_attrs(b), [text] if text else [])
    if b.image is not None or b.alt is not None:
        raise ValueError(f"a {b.type} block with an image cannot be written")
    if b.role is not None:
        if b.type != "note" or b.role not in NOTE_ROLES:
            raise ValueError(f"a {b.type} block with role {b.role!r} cannot be written")
        return _div(f'{{.note role="{b.role}"}}', [text] if text else [])
    return _div(b.type, [text] if text else [])


def _figure(b: Block) -> str:
    """``![alt](images/05.jpg)``: a photo no caption describes (``S.FIGURE_RE`` reads it)."""
    if not b.alt or not b.alt.strip():
        raise ValueError("a figure without its alt text cannot be written")
    if not b.image or not S.FIGURE_PATH_RE.fullmatch(b.image):
        raise ValueError(f"a figure's image {b.image!r} cannot be written as a link "
                         f"(no space, parenthesis, < > or \\)")
    return f"![{S.inline(b.alt)}]({b.image})"


def _caption_attrs(b: Block) -> str:
    """``{.caption image="…" alt="…"}``: an attribute value holds no ``"``, ``}`` or ``\\``
    (Pandoc's attribute syntax has no escape the reader undoes)."""
    attrs = [".caption"]
    for k in ("image", "alt"):
        v = getattr(b, k)
        if v is None:
            continue
        if not v.strip() or any(c in v for c in '"}\\\n\r'):
            raise ValueError(f"a caption's {k} {v!r} cannot be written as an attribute (no \", }}, \\ or line break)")
        attrs.append(f'{k}="{v}"')
    return "{" + " ".join(attrs) + "}"


def _comment(w: Warning) -> list[str]:
    return [f"<!-- {w.code} {S.comment_text(w.message)} -->"]


def notes(source_name: str, layout, from_text: dict[str, str] | None = None) -> tuple[str, ...]:
    """The front matter's comment lines: where the source was made from and what the reader
    inferred (a source read again keeps the comment lines it has: ``SourceLayout.notes``)."""
    kept = getattr(layout, "notes", None)
    if kept is not None:
        return tuple(kept)
    out = [f"made by publisher parse --to markdown from {source_name}", layout.describe()]
    if from_text:
        out.append("from the text: " + "; ".join(f"{k} {v}" for k, v in from_text.items())
                   + " (a sidecar or the command line overrides)")
    out.append("the editor's text wins: see docs/markdown.md; delete each <!-- warning --> once checked")
    return tuple(out)


def to_markdown(issue: Issue, notes: tuple[str, ...] | list[str] = ()) -> str:
    """The publisher source of ``issue`` (``notes``: comment lines for its front matter): the
    same model reads back from it (source lines aside), and the source of that model is these
    bytes again."""
    chunks: list[list[str]] = [front_matter(issue.meta, notes)]
    pending = list(issue.warnings)

    def flush(start: int | None) -> None:
        # warnings go before the first element that starts at or after their line
        if start is None:
            return
        while pending and pending[0].line is not None and pending[0].line <= start:
            chunks.append(_comment(pending.pop(0)))

    for k, col in enumerate(issue.columns):
        starts = [a.source[0] for a in col.articles if a.source]
        flush(starts[0] if starts else None)
        if col.name or k > 0 or not col.articles:
            chunks.append(["#" * S.COLUMN_LEVEL + (f" {S.inline(col.name)}" if col.name else "")])
        for art in col.articles:
            flush(art.source[0] if art.source else None)
            chunks.append([_article_heading(art)])
            if art.kicker is not None:
                chunks.append(_div("kicker", [S.inline(art.kicker)] if art.kicker else []))
            if art.subtitle is not None:
                chunks.append(_div("subtitle", [S.inline(art.subtitle)] if art.subtitle else []))
            if art.authors:
                chunks.append(_div("authors", [_author(a.name, a.role) for a in art.authors]))
            for b in art.blocks:
                flush(b.source[0] if b.source else None)
                chunks.append(_block(b))
    while pending:
        chunks.append(_comment(pending.pop(0)))
    return "\n\n".join("\n".join(c) for c in chunks) + "\n"
