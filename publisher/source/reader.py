"""A publisher source (Pandoc Markdown, ``docs/markdown.md``) → the model, exactly as written.

Parsed by markdown-it-py with mdit-py-plugins (front matter, fenced divs, bracketed
spans) and one block rule of ours for Pandoc's line blocks; then the token stream is
walked once.  Nothing is guessed, repaired or normalised: every construct means one
thing, and anything else — a block outside an article, an unknown class or attribute, a
div left open, bad front matter, a line that continues a paragraph, a mark that opens
nothing — is a ``PublisherError`` naming the file and the line, and nothing is built.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError, parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import PublisherError
from ..model import ARTICLE_KINDS, NOTE_ROLES, Article, Author, Block, Column, Issue, Meta, Warning
from . import syntax as S
from .syntax import SourceError, SourceLayout, is_source  # noqa: F401 (re-exported)

ARTICLE_ATTRS = ("id", "class", "page")


# --- the parser ----------------------------------------------------------------------


def _line_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pandoc's line block: lines opened by ``| `` (a bare ``|`` is an empty line)."""

    def content(line: int) -> str | None:
        if state.sCount[line] - state.blkIndent >= 4:
            return None
        pos = state.bMarks[line] + state.tShift[line]
        text = state.src[pos:state.eMarks[line]]
        if text == "|":
            return ""
        if text.startswith("| "):
            return text[2:]
        return None

    if content(start) is None:
        return False
    if silent:
        return True
    line = start
    token = state.push("line_block_open", "div", 1)
    token.block = True
    opened = token
    while line < end and content(line) is not None:
        token = state.push("inline", "", 0)
        token.content = content(line)
        token.map = [line, line + 1]
        token.children = []
        line += 1
    opened.map = [start, line]
    if line < end and not state.isEmpty(line):  # Pandoc would read it as a continuation line
        opened.meta["runs_on"] = line + 1
    state.push("line_block_close", "div", -1).block = True
    state.line = line
    return True


ATTRS_MAX = 256  # characters of a span's {…}


def _span(state: StateInline, silent: bool) -> bool:
    """Pandoc's bracketed span ``[text]{.name}``, without nesting (a source never nests them):
    its ``]`` is the first unescaped bracket after the ``[``, so every ``[`` costs the text up to
    the next bracket only (linear on any run of brackets, unlike a link label's search)."""
    src, start, maximum = state.src, state.pos, state.posMax
    if src[start] != "[":
        return False
    k = start + 1
    while k < maximum and src[k] not in "[]":
        k += 2 if src[k] == "\\" else 1
    if k >= maximum or src[k] != "]" or k + 1 >= maximum or src[k + 1] != "{":
        return False
    try:
        used, attrs = parse_attrs(src[k + 1:min(maximum, k + 1 + ATTRS_MAX)])
    except ParseError:
        return False
    if not silent:
        token = state.push("span_open", "span", 1)
        token.attrs = dict(attrs)
        state.pos, state.posMax = start + 1, k
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
        state.posMax = maximum
    state.pos = k + 1 + used + 1
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.use(front_matter_plugin)
    md.use(container_plugin, name="div", validate=lambda params, *_: True)
    md.block.ruler.before("paragraph", "line_block", _line_block)
    md.inline.ruler.before("link", "span", _span)
    # What a source never holds is not parsed, so its marks stay stray (an error) and no rule
    # with a costly search runs: links, images, reference definitions, emphasis, code spans.
    # text_join off: escaped marks stay apart from stray ones.
    md.disable(["link", "image", "reference", "emphasis", "backticks", "text_join"])
    return md


_MD: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = _make_parser()
    return _MD


# --- reading -------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str, where: str):
        self.where = where
        self.md = parser()
        self.text = text
        self.lines = text.split("\n")

    def fail(self, line: int | None, message: str) -> None:
        raise SourceError(self.where, line, message)

    # inline content → (text, spans [(name, start, end)])
    def inline(self, children: list[Token], line: int, allowed: tuple[str, ...] = ()) -> tuple[str, list[tuple[str, int, int]]]:
        text: list[str] = []
        n = 0
        spans: list[tuple[str, int, int]] = []
        open_span: tuple[str, int] | None = None
        for t in children:
            if t.type == "text":
                found = [t.content.index(c) for c in S.STRAY_MARKS if c in t.content]
                if found:  # the first mark that marks nothing
                    ch = t.content[min(found)]
                    hint = " (emphasis is [like this]{.em})" if ch in "*_" else ""
                    self.fail(line, f"{ch!r} that opens or closes nothing{hint} "
                                    f"(write \\{ch} for the character itself)")
                text.append(t.content)
                n += len(t.content)
            elif t.type == "text_special":
                text.append(t.content)
                n += len(t.content)
            elif t.type == "span_open":
                if open_span is not None:
                    self.fail(line, "a span inside a span")
                name = self.span_name(t, line, allowed)
                if name not in allowed:
                    self.fail(line, f"[…]{{.{name}}} is not allowed here"
                              + (f" (here: {', '.join('.' + a for a in allowed)})" if allowed else " (plain text only)"))
                open_span = (name, n)
            elif t.type == "span_close":
                assert open_span is not None
                spans.append((open_span[0], open_span[1], n))
                open_span = None
            elif t.type == "softbreak":
                self.fail(line, "the line runs on to the next one: a paragraph is one line "
                          "(join them, or put a blank line between two paragraphs)")
            elif t.type == "hardbreak":
                self.fail(line, "a line break inside a paragraph: a paragraph is one line")
            else:
                what = {"link_open": "a link", "image": "an image", "code_inline": "inline code",
                        "html_inline": "inline HTML (write \\< for the character)",
                        "s_open": "strikethrough"}.get(t.type, t.type)
                self.fail(line, f"{what} is not part of a publisher source")
        return "".join(text), spans

    def span_name(self, t: Token, line: int, allowed: tuple[str, ...]) -> str:
        attrs = dict(t.attrs)
        classes = str(attrs.pop("class", "")).split()
        if attrs or len(classes) != 1:
            self.fail(line, f"a span takes one class ({', '.join('.' + a for a in allowed) or 'none here'}), "
                      f"not {{{' '.join(['.' + c for c in classes] + [f'{k}={v}' for k, v in attrs.items()])}}}")
        return classes[0]

    def plain(self, children: list[Token], line: int) -> str:
        return self.inline(children, line)[0]

    def emphasised(self, children: list[Token], line: int) -> tuple[str, list[list[int]]]:
        text, spans = self.inline(children, line, (S.EMPHASIS_SPAN,))
        return text, [[a, b] for _, a, b in spans]

    # heading content → (content without its attributes, attributes)
    def heading_attrs(self, content: str, line: int) -> tuple[str, dict[str, str]]:
        stripped = content.rstrip()
        if not stripped.endswith("}"):
            return content, {}
        i = stripped.rfind("{")
        while i >= 0:
            slashes = 0
            while i - slashes - 1 >= 0 and stripped[i - slashes - 1] == "\\":
                slashes += 1
            if slashes % 2 == 0:
                break
            i = stripped.rfind("{", 0, i)
        if i < 0 or (i > 0 and stripped[i - 1] != " "):
            self.fail(line, "'}' that closes nothing (write \\} for the character itself)")
        try:
            end, attrs = parse_attrs(stripped[i:])
        except ParseError as e:
            self.fail(line, f"the attributes {stripped[i:]} cannot be read ({e})")
        if i + end + 1 != len(stripped):
            self.fail(line, f"text after the attributes {stripped[i:i + end + 1]}")
        return stripped[:i].rstrip(), attrs

    def parse_inline(self, content: str) -> list[Token]:
        tokens = self.md.parseInline(content)
        return tokens[0].children or [] if tokens else []


def _match(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one opened at ``i``."""
    level = 0
    for j in range(i, len(tokens)):
        level += tokens[j].nesting
        if level == 0:
            return j
    return len(tokens) - 1


def _describe(t: Token) -> str:
    return {"paragraph_open": "a paragraph", "heading_open": "a heading", "container_div_open": "a div",
            "line_block_open": "a line block", "html_block": "HTML",
            "bullet_list_open": "a list", "ordered_list_open": "a numbered list",
            "blockquote_open": "a block quote", "fence": "a code block", "code_block": "an indented code block",
            "hr": "a horizontal rule", "table_open": "a table"}.get(t.type, t.type)


def read_source(text: str, where: str = "source") -> tuple[dict[str, tuple[Any, int]], SourceLayout, Issue]:
    """Parse a publisher source: (front matter ``{key: (value, line)}``, its layout with the
    front matter's comment lines, the issue without its meta).

    Raises ``SourceError`` (one line, with its line number) on the first mistake."""
    r = _Reader(text, where)
    tokens = r.md.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        if r.lines[0].lstrip("\ufeff").rstrip("\r ") == "---":
            r.fail(1, "the front matter opened here is never closed (a line --- closes it)")
        r.fail(1, "a publisher source opens with front matter: a line ---, publisher-source: 1, the metadata, a line ---")
    front = _front_matter(r, tokens[0])
    notes = tuple(_note(line) for line in tokens[0].content.split("\n") if line.lstrip().startswith("#"))
    issue = Issue()
    column: Column | None = None
    article: Article | None = None
    in_body = False  # past the article's head (kicker, subtitle, authors)
    seen_head: set[str] = set()
    ids: dict[str, int] = {}
    n_articles = 0

    def need_article(line: int, what: str) -> Article:
        if article is None:
            r.fail(line, f"{what} outside an article (an article opens with a heading ## title)")
        return article

    def add_block(block: Block, line: int, what: str) -> None:
        nonlocal in_body
        art = need_article(line, what)
        art.blocks.append(block)
        art.source[1] = block.source[1]
        in_body = True

    i = 1
    while i < len(tokens):
        t = tokens[i]
        line = t.map[0] + 1 if t.map else None
        if t.type == "heading_open":
            inl = tokens[i + 1]
            level = int(t.tag[1])
            if level == S.COLUMN_LEVEL:
                name = r.plain(inl.children or [], line)
                column = Column(name=name)
                issue.columns.append(column)
                article = None
            elif level == S.ARTICLE_LEVEL:
                content, attrs = r.heading_attrs(inl.content, line)
                title = r.plain(r.parse_inline(content), line)
                n_articles += 1
                article = _article(r, title, attrs, line, n_articles, ids)
                if column is None:
                    column = Column(name="")
                    issue.columns.append(column)
                column.articles.append(article)
                in_body = False
                seen_head = set()
            else:
                art = need_article(line, "a section heading")
                text, emphasis = r.emphasised(inl.children or [], line)
                add_block(Block(type="heading", text=text, level=level - S.SECTION_OFFSET,
                                emphasis=emphasis, source=[line, line]), line, "a section heading")
                del art
            i += 3
            continue
        if t.type == "paragraph_open":
            inl = tokens[i + 1]
            need_article(line, "a paragraph")
            fig = S.FIGURE_RE.fullmatch(inl.content) if inl.content.startswith("![") else None
            if fig is not None:  # a photo no caption describes (issue 16)
                alt = r.plain(r.parse_inline(fig.group(1)), line)
                if not alt.strip():
                    r.fail(line, "a photo without a caption needs its alt text: ![what it shows](images/05.jpg)")
                add_block(Block(type="figure", image=_image_path(r, fig.group(2), line), alt=alt,
                                source=[line, inl.map[1]]), line, "a photo")
                i += 3
                continue
            text, emphasis = r.emphasised(inl.children or [], line)
            add_block(Block(type="paragraph", text=text, emphasis=emphasis,
                            source=[line, inl.map[1]]), line, "a paragraph")
            i += 3
            continue
        if t.type == "line_block_open":
            j = _match(tokens, i)
            need_article(line, "a verse line block")
            if t.meta.get("runs_on"):
                r.fail(t.meta["runs_on"], "a verse line opens with '| ' (a bare | between stanzas; "
                                          "a blank line after the poem)")
            lines = [r.plain(tok.children or [], tok.map[0] + 1) for tok in tokens[i + 1:j]]
            add_block(Block(type="verse", lines=lines, source=[line, t.map[1]]), line, "a verse line block")
            i = j + 1
            continue
        if t.type == "container_div_open":
            j = _match(tokens, i)
            name, div_attrs = _div_params(r, t, line)
            art = need_article(line, f"a ::: {name} div")
            last = t.map[1] + 1
            if t.map[1] >= len(r.lines) or r.lines[t.map[1]].strip(" \r").strip(":") != "" \
                    or len(r.lines[t.map[1]].strip(" \r")) < 3:
                r.fail(line, f"the ::: {name} div is never closed (a line ::: closes it)")
            inner = tokens[i + 1:j]
            if name in S.HEAD_DIVS:
                if in_body:
                    r.fail(line, f"a ::: {name} div after the article's text: it belongs right under the title")
                if name in seen_head:
                    r.fail(line, f"a second ::: {name} div in one article")
                seen_head.add(name)
                if name == "authors":
                    art.authors = _authors(r, inner, line)
                else:
                    setattr(art, name, r.plain(_only_paragraph(r, inner, name, line), line))
                art.source[1] = last
            else:
                children = _only_paragraph(r, inner, name, line)
                pline = inner[0].map[0] + 1 if inner else line
                block = Block(type=name, source=[line, last])
                if name == "caption":
                    text, spans = r.inline(children, pline, (S.EMPHASIS_SPAN, S.CREDIT_SPAN))
                    text, block.credit, spans = _credit(r, text, spans, pline)
                    block.image, block.alt = div_attrs.get("image"), div_attrs.get("alt")
                else:
                    text, spans = r.inline(children, pline, (S.EMPHASIS_SPAN,))
                    block.role = div_attrs.get("role")
                block.text = text
                block.emphasis = [[a, b] for _, a, b in spans]
                add_block(block, line, f"a ::: {name} div")
            i = j + 1
            continue
        if t.type == "html_block":
            _comment(r, t, line, issue)
            i += 1
            continue
        r.fail(line, f"{_describe(t)} is not part of a publisher source")
    return front, SourceLayout(notes), issue


def _note(line: str) -> str:
    """A comment line of the front matter without its ``# ``."""
    note = line.strip()[1:]
    return note[1:] if note.startswith(" ") else note


def _article(r: _Reader, title: str, attrs: dict[str, str], line: int, n: int, ids: dict[str, int]) -> Article:
    unknown = [k for k in attrs if k not in ARTICLE_ATTRS]
    if unknown:
        r.fail(line, f"unknown attribute {unknown[0]}= (an article takes #id, a kind "
                     f"({', '.join('.' + k for k in ARTICLE_KINDS)}) and page=N)")
    classes = attrs.get("class", "").split()
    for c in classes:
        if c not in ARTICLE_KINDS:
            r.fail(line, f"unknown class .{c} (an article's kind is one of {', '.join('.' + k for k in ARTICLE_KINDS)})")
    if len(classes) > 1:
        r.fail(line, f"two kinds .{classes[0]} and .{classes[1]}: an article has one")
    art_id = attrs.get("id", f"a{n:02d}")
    if not (art_id[:1].isascii() and art_id[:1].islower()
            and all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in art_id)):
        r.fail(line, f"#{art_id}: an article id is lower-case ASCII letters, digits and -, opening with a letter")
    if art_id in ids:
        r.fail(line, f"#{art_id} again (first at line {ids[art_id]}): article ids are unique")
    ids[art_id] = line
    page = None
    if "page" in attrs:
        value = attrs["page"]
        if not (value.isascii() and value.isdigit()):
            r.fail(line, f"page={value}: a page is a whole number")
        page = int(value)
    return Article(title=title, id=art_id, kind=classes[0] if classes else "article", page=page,
                   source=[line, line])


# A caption div's attributes: the photo it describes and its alt text (issue 16).
CAPTION_ATTRS = ("image", "alt")
DIV_ATTRS = {"caption": CAPTION_ATTRS, "note": ("role",)}  # the attributes a div may take


def _image_path(r: _Reader, path: str, line: int, what: str = "") -> str:
    """A photo's path as the source names it: inside the issue's folder."""
    img = Path(path)
    if img.is_absolute() or ".." in img.parts or "\\" in path:
        r.fail(line, f"{what}{path!r}: a path inside the issue's folder (no absolute path, no ..)")
    return path


def _div_name(r: _Reader, t: Token, line: int) -> str:
    return _div_params(r, t, line)[0]


def _div_params(r: _Reader, t: Token, line: int) -> tuple[str, dict[str, str]]:
    """A div's name and its attributes (a caption's ``CAPTION_ATTRS``, a note's role: ``DIV_ATTRS``)."""
    params = t.info.strip()
    extra: dict[str, str] = {}
    if not params:
        r.fail(line, "a ::: that closes no div")
    if params.startswith("{"):
        try:
            end, attrs = parse_attrs(params)
        except ParseError as e:
            r.fail(line, f"the attributes {params} cannot be read ({e})")
        if end + 1 != len(params):
            r.fail(line, f"text after the attributes {params[:end + 1]}")
        classes = attrs.pop("class", "").split()
        if len(classes) != 1:
            r.fail(line, f"a div takes one class, not {len(classes)}")
        name = classes[0]
        for k, v in attrs.items():
            if k not in DIV_ATTRS.get(name, ()):
                also = {"caption": "; a caption also image= and alt=", "note": "; a note also role="}.get(name, "")
                r.fail(line, f"unknown attribute {k}= on a div (a div takes one class{also})")
            if not str(v).strip():
                r.fail(line, f"an empty {k}= on a {name}")
            if name == "note" and str(v) not in NOTE_ROLES:
                r.fail(line, f"role={v} on a note: one of {', '.join(NOTE_ROLES)}")
            extra[k] = str(v)
        if "image" in extra:
            _image_path(r, extra["image"], line, "image=")
    else:
        name = params.lstrip(".")
        if " " in name:
            r.fail(line, f"::: {params}: a div takes one name")
    if name not in S.DIVS:
        r.fail(line, f"unknown div ::: {name} (known: {', '.join(S.DIVS)})")
    return name, extra


def _only_paragraph(r: _Reader, inner: list[Token], name: str, line: int) -> list[Token]:
    """The inline children of the one paragraph inside a div (none: an empty text)."""
    if not inner:
        return []
    tops: list[Token] = []  # the div's blocks
    k = 0
    while k < len(inner):
        tops.append(inner[k])
        k = _match(inner, k) + 1
    if len(tops) == 1 and tops[0].type == "paragraph_open":
        return inner[1].children or []
    bad = tops[1] if tops[0].type == "paragraph_open" else tops[0]
    what = "a second paragraph" if bad.type == "paragraph_open" else _describe(bad)
    r.fail(bad.map[0] + 1 if bad.map else line,
           f"{what} inside the ::: {name} div of line {line}, which holds one paragraph "
           f"(a line ::: closes the div)")


def _authors(r: _Reader, inner: list[Token], line: int) -> list[Author]:
    if not inner or inner[0].type != "bullet_list_open" or _match(inner, 0) != len(inner) - 1:
        r.fail(line, "the ::: authors div holds one list, an author an item: - [role]{.role} name")
    out: list[Author] = []
    k = 1
    while k < len(inner) - 1:
        item_end = _match(inner, k)
        item = inner[k + 1:item_end]
        iline = inner[k].map[0] + 1
        if len(item) != 3 or item[0].type != "paragraph_open":
            r.fail(iline, "an author's item is one line: - [role]{.role} name")
        text, spans = r.inline(item[1].children or [], iline, (S.ROLE_SPAN,))
        role = None
        if spans:
            _, a, b = spans[0]
            if len(spans) > 1 or a != 0:
                r.fail(iline, "the [role]{.role} opens the author's item, once")
            role, rest = text[a:b], text[b:]
            if not rest.startswith(" "):
                r.fail(iline, "a space between [role]{.role} and the name")
            text = rest[1:]
        if not text:
            r.fail(iline, "an author without a name")
        out.append(Author(name=text, role=role))
        k = item_end + 1
    return out


def _credit(r: _Reader, text: str, spans: list[tuple[str, int, int]], line: int):
    credits = [s for s in spans if s[0] == S.CREDIT_SPAN]
    if not credits:
        return text, None, spans
    _, a, b = credits[-1]
    if len(credits) > 1 or b != len(text):
        r.fail(line, "the [credit]{.credit} closes the caption's line, once")
    body = text[:a]
    if body:
        if not body.endswith(" "):
            r.fail(line, "a space between the caption and its [credit]{.credit}")
        body = body[:-1]
    return body, text[a:b], [s for s in spans if s[0] != S.CREDIT_SPAN]


def _comment(r: _Reader, t: Token, line: int, issue: Issue) -> None:
    content = t.content.rstrip("\n")
    if not (content.startswith("<!--") and content.endswith("-->")) or content.find("-->") != len(content) - 3:
        r.fail(line, "HTML is not part of a publisher source (write \\< for the character; "
                     "a comment is <!-- … --> alone on its lines)")
    inner = content[4:-3]
    if inner.startswith(" ") and inner.endswith(" "):
        code, _, message = inner[1:-1].partition(" ")
        if _is_code(code):
            issue.warnings.append(Warning(code=code, message=S.comment_message(message), line=line))
    # any other comment is the editor's own: kept in the file, not in the model


def _is_code(word: str) -> bool:
    letters = len(word) - len(word.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return 0 < letters < len(word) and word[letters:].isascii() and word[letters:].isdigit()


def _front_matter(r: _Reader, t: Token) -> dict[str, tuple[Any, int]]:
    import yaml

    end = t.map[1]  # 0-based index of the closing --- line (+1)
    if len(t.content) > S.FRONT_MATTER_LIMIT:
        r.fail(1, f"front matter longer than {S.FRONT_MATTER_LIMIT // 1024} KB: it holds the issue's metadata only")
    if end > len(r.lines) or r.lines[end - 1].rstrip("\r ") != "---" or end < 2:
        r.fail(1, "the front matter is never closed (a line --- closes it)")
    try:
        loader = yaml.SafeLoader(t.content)  # the pure one: the same messages on every machine
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        r.fail(mark.line + 2 if mark else 1, f"front matter: {e.problem or e.context}")
    except yaml.YAMLError as e:
        r.fail(1, f"front matter: {e}")
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        r.fail(2, "the front matter is a list of key: value lines")
    out: dict[str, tuple[Any, int]] = {}
    for key_node, _ in node.value:
        key = key_node.value
        kline = key_node.start_mark.line + 2
        if key in out:
            r.fail(kline, f"front matter: {key} again (first at line {out[key][1]})")
        out[key] = (data.get(key), kline)
    version = out.get(S.MARKER_KEY, (None, 2))
    if version[0] != S.VERSION:
        r.fail(version[1], f"front matter: {S.MARKER_KEY}: {version[0]!r}: this publisher reads version {S.VERSION}")
    return out
