"""Body lines of one article → typed blocks.

``build_blocks(lines, kind)`` takes the body lines of ONE article (title and byline
lines already consumed), blank lines included and Markdown markers still in them,
and returns ``model.Block`` objects plus ``model.Warning`` objects for every line
it drops.  It works in linear passes over the lines:

1. *scan* (``reader.lines_scan``): strip Markdown markup, record bold ranges and
   the blank-line gap before every line; drop page numbers, running heads and
   empty markup with a warning each.
2. *classify* each line by what its text is (``reader.headings``,
   ``reader.captions``, ``reader.verse``): numbering family, run-in lead, note,
   salutation, credits, caption, verse candidate.
3. *decide* per numbering family whether its members are headings or paragraph
   leads (a family whose members are followed by body text and are short is a
   heading family), find verse runs, and give heading families relative levels.
4. *assemble* blocks in one pass, rejoining paragraphs split at page or column
   breaks: a paragraph that does not end a sentence takes the next line unless
   that line starts a new structure.

Every output text goes through ``typography.normalise`` (or ``normalise_title``
for headings, verse lines and credits).

Warnings of this stage: R161 page number dropped, R162 running head dropped,
R163 markup-only line (``**``, ``---``, an image with no caption) dropped.

Layouts handled: blank-line separated paragraphs (000, 001), one paragraph per
line (003), text hard-wrapped at a column with indented first lines or without
(PDF extraction), Markdown-flavoured text whose ``#`` and ``**`` are unreliable.
"""
from __future__ import annotations

import dataclasses
import functools
from collections import Counter

from ..model import Block, Warning
from .. import typography as ty
from . import captions, headings, newspaper, verse
from .lines import SourceLine
from .lines_scan import Item, scan


def build_blocks(lines: list[SourceLine], kind: str) -> tuple[list[Block], list[Warning]]:
    parts = headings.part_numbers(lines)  # bare part numbers (1 / its title): not page numbers
    items, warnings = scan(lines, parts)
    if not items:
        return [], warnings
    literary = kind == "literary"
    classes: dict[tuple, tuple[str, str | None]] = {}  # a line read once: what _classify reads of it → its class
    ends: dict[int, int] = {}  # a line standing for several input lines (reader.unwrap) → its last one
    for it in items:
        k = (it.text, it.image, tuple(it.bold), it.md_level, it.marker)
        got = classes.get(k)
        if got is None:
            if len(it.text) <= SHORT_CLASSIFIED:
                got = classes[k] = _class_of(*k, literary)
            else:
                _classify(it, literary)
                got = classes[k] = (it.cls, it.family)
        it.cls, it.family = got
        if it.last > it.number:
            ends[it.number] = it.last
    for k, it in enumerate(items) if parts else ():  # after classifying: the title's own class must not undo it
        if it.number in parts and k + 1 < len(items):
            it.cls, it.family = "heading", "part"  # 1 / its title: one part head
            items[k + 1].cls, items[k + 1].family = "part_title", None
    # The classes present, read once: each pass below acts on lines of some classes and
    # is skipped when the article has none.  No pass makes a line "text" or "numbered"
    # (they only go), and after classifying only the newspaper pass makes a "credit"
    # line, so the set is read again only after that pass marks something.
    present = {it.cls for it in items}
    if not literary and newspaper.mark_page(items):
        present = {it.cls for it in items}
    text = "text" in present
    if text:
        captions.mark_sign_off(items)
    if "numbered" in present:
        headings.decide_families(items)
    headings.mark_labels(items)
    if "credit" in present:
        captions.mark_credit_pairs(items)
    # read by the flush captions and the assembler: no pass from here on adds a line or
    # changes an indent or a gap
    indent_layout = uses_indent(items)
    if text:
        verse.mark_runs(items, literary)
        _mark_plain_headings(items, literary)
        _mark_flush_captions(items, indent_layout)
        captions.mark_layout_captions(items)
    levels = headings.assign_levels(items)
    blocks = _assemble(items, levels, warnings, indent_layout)
    # a line that stands for several input lines (hard-wrapped print lines joined by
    # reader.unwrap): the block it ends covers them all
    for b in blocks if ends else ():
        if b.source and b.source[1] in ends:
            b.source = [b.source[0], ends[b.source[1]]]
    return blocks, warnings


# --- classification ----------------------------------------------------------


def _classify(it: Item, literary: bool) -> None:
    t = it.text
    credit_like = captions.may_be_credit(t)  # else none of the credit, caption and salutation tests accepts it
    if it.image:
        it.cls = "caption_layout"  # ![石门村的数字大屏](a.jpg)
    elif newspaper.is_editors_sign(t):
        it.cls = "note"  # ——编  者
    elif credit_like and captions.is_editor_credit(t):
        it.cls = "credits"  # 版式设计：… / 责任编辑：…
    elif captions.is_note(t):
        it.cls = "note"
    elif credit_like and captions.is_salutation(t):
        it.cls = "salutation"
    elif credit_like and captions.is_credits(t):
        it.cls = "credits"
    elif credit_like and captions.credit_only(t):
        it.cls = "credit"
    elif credit_like and captions.split_credit(t)[1] is not None:
        it.cls = "caption"
    else:
        fam = headings.family(t)
        whole_bold = bool(it.bold) and it.bold[0][0] == 0 and it.bold[0][1] >= len(t)
        if fam is not None and (whole_bold or it.md_level) and headings.heading_shaped(t):
            it.family = fam
            # **一、总体要求** or ``## (三)本案…？`` (101): a heading in Markdown sources
            it.cls = "heading"
        elif fam is not None:
            it.family = fam
            it.cls = "numbered"
        elif headings.is_bracket_head(it):
            it.family = "bracket"
            it.cls = "numbered"
        elif headings.is_runin(t) or _bold_lead(it):
            it.cls = "lead"  # 一是… / 第一，… / **【镜头一】**… : a paragraph start
        elif it.md_level and headings.heading_shaped(t):
            it.family = f"md{it.md_level}"
            it.cls = "heading"
        elif (it.marker in headings.SUBHEAD_MARKERS or whole_bold) and headings.heading_shaped(t):
            it.family = "plain"
            it.cls = "heading"
        else:
            it.cls = "text"


SHORT_CLASSIFIED = 200  # a line this long or shorter: its class kept in the cache shared by every article


@functools.lru_cache(maxsize=8192)
def _class_of(text: str, image: bool, bold: tuple, md_level: int | None, marker: str, literary: bool) -> tuple[str, str | None]:
    """``(cls, family)`` that ``_classify`` gives a line (what it reads of the line is
    these arguments, so a line recurring across articles is classified once)."""
    it = Item(0, text, list(bold), md_level, marker, image=image)
    _classify(it, literary)
    return it.cls, it.family


def _bold_lead(it: Item) -> bool:
    """``**实体经济不断壮大。**…`` : a bold clause ending in a stop opens a paragraph
    (a bold word at the start of a line may continue the previous one)."""
    if not it.bold or it.bold[0][0] != 0 or it.bold[0][1] >= len(it.text):
        return False
    return it.text[it.bold[0][1] - 1] in "。：:！？】"


def _mark_plain_headings(items: list[Item], literary: bool) -> None:
    """Short standalone lines with no punctuation between prose: headings
    (``走进豆垅村`` in a literary piece)."""
    n = len(items)
    if n < 2:
        return  # a heading needs a line after it
    limit = headings.PLAIN_HEADING_MAX_LITERARY if literary else headings.PLAIN_HEADING_MAX
    # longer subheads (以制造业兴县带动产业发展实现新突破) are headings when the article
    # prints several of them: a family of standalone lines is evidence, one is not
    longer = sum(1 for i in range(n) if _plain_heading_at(items, i, PLAIN_SUBHEAD_MAX))
    if longer >= PLAIN_SUBHEAD_FAMILY:
        limit = max(limit, PLAIN_SUBHEAD_MAX)
    for i in range(n):
        if _plain_heading_at(items, i, limit):
            items[i].cls = "heading"
            items[i].family = "plain"


PLAIN_SUBHEAD_MAX = 24
PLAIN_SUBHEAD_FAMILY = 3


def _plain_heading_at(items: list[Item], i: int, limit: int) -> bool:
    n = len(items)
    it = items[i]
    if it.cls != "text" or it.in_verse:
        return False
    if not headings.plain_heading_shaped(it.text, limit):
        return False
    prev = items[i - 1] if i > 0 else None
    nxt = items[i + 1] if i + 1 < n else None
    if prev is not None and prev.cls in ("text", "numbered") and not ty.is_closed(prev.text) and not prev.in_verse:
        return False  # a fragment of a split paragraph
    if nxt is None or nxt.in_verse or nxt.cls not in ("text", "numbered", "lead"):
        return False
    if prev is not None and it.gap == 0 and headings.plain_heading_shaped(prev.text, limit):
        return False  # inside a run of short lines (a list, a poem): not standalone
    if len(nxt.text) < max(2 * len(it.text), 20) and nxt.cls == "text":
        return False  # a heading is followed by body text
    return True


def _mark_flush_captions(items: list[Item], indent_layout: bool | None = None) -> None:
    """Paragraphs opened by indents: a flush, closed, caption-shaped line right after
    a closed paragraph and before an indented line (or a heading, or the end) is a
    caption set between paragraphs, not a wrapped last line — unless the paragraph
    before it ran to the wrap column (the width of lines cut mid-sentence).
    ``indent_layout``: ``uses_indent(items)`` when the caller has it already."""
    if not (uses_indent(items) if indent_layout is None else indent_layout):
        return
    n = len(items)
    # the wrap column: widths of lines cut mid-sentence with a flush line after them
    cut = [
        visual_width(items[k].text)
        for k in range(n - 1)
        if not items[k + 1].indent and items[k + 1].gap == 0 and not ty.is_closed(items[k].text)
    ]
    column = Counter(cut).most_common(1)[0][0] if cut else None
    for i in range(n - 1, 0, -1):  # backwards: a run of captions is read from its end
        it, prev = items[i], items[i - 1]
        if it.cls != "text" or it.indent or it.in_verse or it.gap > 0:
            continue
        if not ty.is_closed(prev.text) or not ty.is_closed(it.text) or not captions._caption_shaped(it.text):
            continue
        if column is not None and abs(visual_width(prev.text) - column) <= WRAP_SLACK:
            continue  # the line before ran to the column: this one is its continuation
        nxt = items[i + 1] if i + 1 < n else None
        if nxt is None or nxt.indent or nxt.cls in ("heading", "caption", "caption_layout", "credit"):
            it.cls = "caption_layout"


# --- assembly ----------------------------------------------------------------


class _Para:
    __slots__ = ("parts", "bold", "first", "last", "length")

    def __init__(self, it: Item):
        self.parts: list[str] = []
        self.bold: list[tuple[int, int]] = []
        self.first = it.number
        self.last = it.number
        self.length = 0
        self.add(it)

    def add(self, it: Item) -> None:
        text = it.text
        if self.parts:
            prev = self.parts[-1]
            if prev and text and ty.is_western(prev[-1]) and ty.is_western(text[0]):
                self.parts.append(" ")
                self.length += 1
        for s, e in it.bold:
            self.bold.append((self.length + s, self.length + e))
        self.parts.append(text)
        self.length += len(text)
        self.last = it.number

    @property
    def text(self) -> str:
        return "".join(self.parts)


def uses_indent(items: list[Item]) -> bool:
    """Text hard-wrapped at the column width with indented first lines (　　…):
    indentation, not punctuation, then tells where paragraphs start.  The signal
    holds when some lines are indented and some unindented lines follow a line
    directly (wrapped continuations)."""
    if len(items) <= INDENT_MIN:
        return False  # INDENT_MIN indented lines and INDENT_MIN wrapped ones need one more line
    indented = sum(1 for it in items if it.indent)
    wrapped = sum(1 for it in items[1:] if not it.indent and it.gap == 0)
    return indented >= INDENT_MIN and wrapped >= INDENT_MIN and indented < len(items)


INDENT_MIN = 3
# A line longer than this ending in ；is prose split at a page break (a list item
# ending in ；is short: 坚持一个中心；).
SEMICOLON_SPLIT_MIN = 40


def visual_width(text: str) -> int:
    """Width in half-em units: ASCII 1, everything else (Han, full-width) 2."""
    return sum(1 if ord(c) < 0x2E80 else 2 for c in text)


def wrap_width(items: list[Item]) -> int | None:
    """Text hard-wrapped at a fixed column without indentation: many lines that
    run straight into the next line have the same width.  Returns that width
    (a line this wide continues into the next one even after a 。)."""
    if len(items) < WRAP_MIN_LINES:
        return None  # fewer lines than the width needs
    widths = Counter(visual_width(it.text) for it in items if it.gap_after == 0 and it.cls == "text" and not it.in_verse)
    if not widths:
        return None
    total = sum(widths.values())
    w, _ = widths.most_common(1)[0]
    near = sum(c for x, c in widths.items() if abs(x - w) <= WRAP_SLACK)
    if near >= WRAP_MIN_LINES and near * 10 >= total * 3 and w >= 20:
        return w
    return None


WRAP_SLACK = 2  # half-em units: a wrapped line may be a little short (a Latin run)
WRAP_MIN_LINES = 5


def _continues(para: _Para | None, it: Item, indent_layout: bool = False, width: int | None = None) -> bool:
    """Does ``it`` continue the open paragraph ``para`` (split at a page break)?"""
    if para is None:
        return False
    raw = para.parts[-1]
    if it.text[:1] and it.text[0] in headings.CANNOT_START:
        return True  # ”，。、 cannot start a paragraph
    if indent_layout and not it.in_verse and it.cls in ("text", "numbered", "lead"):
        if it.indent:
            return False  # an indented line starts a paragraph
        if it.gap == 0 and (it.cls == "text" or not ty.is_closed(raw)):
            return True  # a wrapped line of the same paragraph
    if width and it.gap == 0 and it.cls == "text" and not it.in_verse and visual_width(raw) >= width - WRAP_SLACK:
        return True  # the previous line ran to the wrap column: same paragraph
    if raw.endswith(("；", ";")) and len(raw) > SEMICOLON_SPLIT_MIN and it.cls == "text" and not it.in_verse:
        return True  # prose does not end a paragraph with ；: a page break after it
    if ty.is_closed(raw) or _han_full_stop(raw):
        return False
    return it.cls == "text" and not it.in_verse or (
        it.cls == "heading" and it.family == "plain" and not it.marker
    )


def _han_full_stop(raw: str) -> bool:
    """``…笑着说.``: a half-width full stop after Han text ends a sentence too."""
    return len(raw) > 1 and raw[-1] == "." and "\u4e00" <= raw[-2] <= "\u9fff"


# Headings and paragraphs, made one a line in a list of numbered heads or an issue of
# one-line articles, pass Block's fields by position (a third cheaper than by keyword)
# in this order, which the import checks.
_BLOCK_ORDER = ("type", "text", "level", "lines", "emphasis", "credit", "source")
if tuple(f.name for f in dataclasses.fields(Block))[: len(_BLOCK_ORDER)] != _BLOCK_ORDER:
    raise ImportError(f"reader.blocks passes model.Block's fields by position as {_BLOCK_ORDER}: its fields changed")

W_NOT_JOINED = "R164"
W_DUPLICATE = "R165"


# Heading text normalised once per distinct heading (bounded): a numbered line
# repeated thousands of times is the same heading each time.
_heading_text = functools.lru_cache(maxsize=4096)(ty.normalise_title)


def _assemble(items: list[Item], levels: dict[str, int], warnings: list[Warning] | None = None, indent_layout: bool | None = None) -> list[Block]:
    if len(items) == 1 and items[0].cls in ("text", "numbered", "lead") and not items[0].in_verse:
        it = items[0]  # one line of text: one paragraph (what _assemble_lines makes of it)
        return [_paragraph_of(it.text, it.bold, it.number, it.number)]
    return _assemble_lines(items, levels, warnings, indent_layout)


def _assemble_lines(items: list[Item], levels: dict[str, int], warnings: list[Warning] | None = None, indent_layout: bool | None = None) -> list[Block]:
    """``indent_layout``: ``uses_indent(items)`` when the caller has it already."""
    blocks: list[Block] = []
    para: _Para | None = None
    if indent_layout is None:
        indent_layout = uses_indent(items)
    width = None if indent_layout else wrap_width(items)
    # every line opened by an indent and no wrap column: each line is a paragraph the
    # layout opened; it is never joined onto the one before (only a line that cannot
    # start a paragraph, ，。… , continues), and a paragraph left open is a warning
    opened = not indent_layout and width is None and len(items) >= INDENT_MIN and all(it.indent for it in items)

    pending: list[Block] = []  # captions met inside a paragraph split around them

    def flush() -> None:
        nonlocal para
        if para is not None:
            blocks.append(_paragraph(para))
            para = None
        blocks.extend(pending)
        pending.clear()

    i = 0
    n = len(items)
    label: int | None = None
    head_label: Item | None = None
    while i < n:
        it = items[i]
        if opened and para is not None and not (it.text[:1] and it.text[0] in headings.CANNOT_START):
            if warnings is not None and not ty.is_closed(para.parts[-1]) and it.cls == "text" and not it.in_verse:
                warnings.append(Warning(W_NOT_JOINED, f"a paragraph ends mid-sentence ({para.parts[-1][-12:]!r}) and the next line opens a paragraph: not joined", it.number))
            flush()
        if para is not None and _continues(para, it, indent_layout, width):
            para.add(it)
            i += 1
            continue
        if para is not None and it.cls in CAPTION_CLASSES and not ty.is_closed(para.parts[-1]):
            # a photo caption set between the two halves of a split paragraph:
            # keep the paragraph open and put the caption after it
            block, j = _caption_block(items, i, pending)
            if j < n and _continues(para, items[j], indent_layout, width):
                if block is not None:
                    pending.append(block)
                i = j
                continue
        if para is not None or pending:
            flush()
        if it.in_verse:
            j = i
            while j < n and items[j].in_verse and items[j].verse_id == it.verse_id:
                j += 1
            blocks.append(verse.block(items[i:j]))
            i = j
            continue
        if it.cls == "heading":
            text = it.text
            last = it.number
            j = i + 1
            if it.family == "part" and j < n and items[j].cls == "part_title":
                text = f"{text} {items[j].text}"  # the part number and its title
                last = items[j].number
                j += 1
            # a heading broken over two lines
            elif j < n and headings.joins_heading(it, items[j], items[j + 1] if j + 1 < n else None):
                # a bare number (一) and its title on the next line keep a space
                sep = " " if headings.body_after_number(text) == "" and it.family == "cn_bare" else ""
                text = text + sep + items[j].text
                last = items[j].number
                j += 1
            first = it.number
            if head_label is not None:
                text = head_label.text.rstrip("：: ") + text
                first = head_label.number
                head_label = None
            blocks.append(Block("heading", _heading_text(text), levels.get(it.family or "plain", 1), None, [], None, [first, last]))
            i = j
            continue
        if it.cls == "heading_label" and i + 1 < n and items[i + 1].cls == "heading":
            head_label = it  # 【动能一】： above a heading: part of that heading
            i += 1
            continue
        if it.cls == "duplicate":
            if warnings is not None:
                warnings.append(Warning(W_DUPLICATE, f"dropped a converter's duplicate of the caption after it: {it.text[:30]!r}", it.number))
            i += 1
            continue
        if it.cls == "caption_label" and i + 1 < n and items[i + 1].cls in CAPTION_CLASSES:
            label = it.number  # 图片说明： above a caption list: part of its first caption
            i += 1
            continue
        if it.cls in CAPTION_CLASSES:
            block, i = _caption_block(items, i, blocks)
            if block is not None:
                if label is not None:
                    block.source = [label, block.source[1]]
                    label = None
                blocks.append(block)
            continue
        if it.cls in ("note", "salutation"):
            blocks.append(Block(type=it.cls, text=ty.normalise(it.text), source=[it.number, it.number]))
            i += 1
            continue
        if it.cls == "credits":
            blocks.append(Block(type="credits", text=captions.credits_text(it.text), source=[it.number, it.number]))
            i += 1
            continue
        # numbered (paragraph-lead family) or plain text: start a paragraph
        para = _Para(it)
        i += 1
    flush()
    return blocks


CAPTION_CLASSES = ("caption", "caption_layout", "credit")


def _caption_block(items: list[Item], i: int, blocks: list[Block]) -> tuple[Block | None, int]:
    """The caption starting at items[i] (with a credit line after it), or a lone
    credit line attached to the caption before it (then None).  Returns the
    block and the index after it."""
    it = items[i]
    n = len(items)
    if it.cls == "credit":
        credit = ty.normalise_title(captions.credit_only(it.text) or it.text)
        if blocks and blocks[-1].type == "caption" and blocks[-1].credit is None:
            blocks[-1].credit = credit
            blocks[-1].source = [blocks[-1].source[0], it.number]
            return None, i + 1
        return Block(type="caption", text="", credit=credit, source=[it.number, it.number]), i + 1
    text, credit = captions.split_credit(it.text)
    last = it.number
    j = i + 1
    if credit is None and j < n and items[j].cls == "credit":
        credit = newspaper.credit_text(captions.credit_only(items[j].text) or items[j].text)  # or an agency alone: 人民视觉
        last = items[j].number
        j += 1
    block = Block(
        type="caption",
        text=ty.normalise(text),
        credit=ty.normalise_title(credit) if credit else None,
        source=[it.number, last],
    )
    return block, j


def _paragraph(p: _Para) -> Block:
    return _paragraph_of(p.text, p.bold, p.first, p.last)


def _paragraph_of(raw: str, bold: list[tuple[int, int]], first: int, last: int) -> Block:
    """The paragraph of raw text ``raw`` with bold ranges ``bold`` (in ``raw``), lines first..last."""
    text, origins = ty.normalise_map(raw)
    ranges = [ty.map_range(origins, s, e) for s, e in bold]
    ranges += headings.lead_ranges(text)
    return Block("paragraph", text, None, None, _merge(ranges, len(text)), None, [first, last])


def _merge(ranges: list[tuple[int, int]], n: int) -> list[list[int]]:
    out: list[list[int]] = []
    if not ranges:
        return out
    for s, e in sorted((max(0, s), min(n, e)) for s, e in ranges):
        if e <= s:
            continue
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out
