"""What WeasyPrint 70 lacks for Chinese text (W3C clreq), in one place.

**Inter-character justification** (clreq §3.8, CSS ``text-justify: inter-character``).
WeasyPrint justifies a line by widening U+0020/U+00A0 only
(``layout/inline.py``: ``justify_line`` → ``count_expandable_spaces`` →
``add_word_spacing``; ``text/line_break.py``: ``Layout.set_text(justify=True)`` puts
the extra width on spaces as Pango letter-spacing), so a line of Han characters is
never stretched and ends short wherever a closing mark was pushed to the next line.

We extend exactly those two places:

* ``count_expandable_spaces`` also counts the *gaps* inside a text box where
  at least one side is a CJK character (Han, kana, CJK punctuation, full-width forms),
  except inside ``——`` and ``……`` (which must stay one unbroken mark) and between
  two Western characters (a Latin word is not letter-spaced);
* ``Layout.set_text(justify=True)`` turns the per-gap extra width into Pango
  letter-spacing attributes.  Pango gives each character half of its
  letter-spacing on either side and drops the outer halves at the ends of the
  text, so the gap between characters *i* and *i+1* receives
  ``(s[i] + s[i+1]) / 2``; the per-character values ``s`` are solved from the wanted
  gaps left to right (measured: tests/test_cjk_typesetting.py).

Line breaking (kinsoku) is Pango's UAX #14: no break before closing punctuation
(CL/CP/EX/IS/NS: ，。、；：？！）》」』】 …), after opening punctuation (OP), or
inside ``——`` (B2 × B2) and ``……`` (IN × IN); the Chinese quotation marks “”‘’
are QU and bind to both neighbours.  The tests measure it on the PDF.

Adjacent punctuation compression and Han–Western spacing are markup
(``publisher/render/markup.py``) styled by CSS; see ``styles/base.css`` and
``styles/pdf.css``.

The patch is tied to the pinned WeasyPrint: :func:`install` refuses any other
version, because it relies on the internals named above.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..errors import PublisherError

WEASYPRINT_VERSION = "70.0"

# Characters whose neighbouring gaps may take justification space.
_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2027\U00020000-\U0003ffff]"
)
_SPACES = " \u00a0"
# Pairs that form one mark and must not be pulled apart.

_installed = False


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


@lru_cache(maxsize=4096)
def _weights(text: str) -> tuple[float, ...]:
    cjk = [bool(_CJK.match(ch)) for ch in text]
    out = []
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a in _SPACES or b in _SPACES:
            w = 0.5 if (a in _SPACES) != (b in _SPACES) else 0.0
        elif a == b and a in "—…⸺":
            w = 0.0  # —— and …… are one mark
        elif cjk[i] or cjk[i + 1]:
            w = 1.0
        else:
            w = 0.0
        out.append(w)
    return tuple(out)


def gap_weights(text: str) -> list[float]:
    """Justification weight of each gap between ``text[i]`` and ``text[i+1]``.

    1 for a gap that may stretch, ½ on each side of a space (so a space counts
    once, as in WeasyPrint), 0 otherwise.
    """
    return list(_weights(text))


def expandable_count(text: str) -> float:
    """How many gaps' worth of justification space ``text`` takes."""
    return sum(_weights(text))


def char_spacings(text: str, extra: float) -> list[float]:
    """Per-character letter-spacing so that gap *i* widens by ``extra × weight[i]``.

    Pango adds ``s[i]/2`` on each side of character *i* and drops the outer
    halves at the ends of the text, so ``s[i] + s[i+1] = 2 · extra · w[i]``;
    ``s[0]`` is free (its left half is dropped) and is set to the first gap.
    """
    w = _weights(text)
    if not text:
        return []
    s = [0.0] * len(text)
    s[0] = extra * w[0] if w else 0.0
    for i, wi in enumerate(w):
        s[i + 1] = 2 * extra * wi - s[i]
    return s


def _has_class(box, name: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and name in (element.get("class") or "").split() and box.element_tag == "span"


def trim_edge_spacing(line, boxes) -> None:
    """Drop the ¼ em Han–Western space at the start and end of a line (clreq §3.2.3).

    The space is the margin of a ``span.hw-l``/``span.hw-r`` (markup.py); at a line
    edge there is no Han character on that side any more, so it must go, or the
    line would end short of the margin (or start indented).
    """
    # Right edge: the chain of last inline boxes.
    chain = []
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
        if isinstance(box, boxes.InlineBox):
            chain.append(box)
    for i, b in enumerate(chain):
        if _has_class(b, "hw-r") and b.margin_right:
            d = b.margin_right
            b.margin_right = 0
            for a in chain[:i]:
                a.width -= d
            line.width -= d
    # Left edge: the chain of first inline boxes; what follows moves left.
    parent = line
    path = []
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        parent, box = box, box.children[0]
        if isinstance(box, boxes.InlineBox):
            path.append((parent, box))
    for depth, (parent, b) in enumerate(path):
        if _has_class(b, "hw-l") and b.margin_left:
            d = b.margin_left
            b.margin_left = 0
            for c in b.children:
                c.translate(-d, 0)
            # Later siblings at this level and every level above move left too.
            for p, child in path[: depth + 1]:
                for sib in p.children[1:]:
                    sib.translate(-d, 0)
            for _, a in path[:depth]:
                a.width -= d
            line.width -= d


def install() -> None:
    """Patch WeasyPrint's justification for CJK text (idempotent)."""
    global _installed
    if _installed:
        return
    from ._weasy import import_weasyprint

    weasyprint = import_weasyprint()
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise PublisherError(
            f"publisher's Chinese justification is written for WeasyPrint {WEASYPRINT_VERSION}, "
            f"found {weasyprint.__version__}: reinstall with scripts/bootstrap.sh"
        )
    # The internals we extend must be those we read.
    assert hasattr(inline, "count_expandable_spaces") and hasattr(inline, "add_word_spacing")
    assert hasattr(line_break.Layout, "set_text")

    original_count = inline.count_expandable_spaces
    original_set_text = line_break.Layout.set_text

    def count_expandable_spaces(box):
        if isinstance(box, boxes.TextBox):
            text = box.text
            if _CJK.search(text):
                return expandable_count(text)
            return original_count(box)
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            return sum(count_expandable_spaces(child) for child in box.children)
        return 0

    def set_text(self, text, justify=False):
        spacing = self.justification_spacing
        if not (justify and spacing and _CJK.search(text)) or "\n" in text or "\t" in text:
            return original_set_text(self, text, justify)
        # Lay out the text without justification, then set our own spacing.
        original_set_text(self, text, False)
        letter = self.style["letter_spacing"]
        letter = 0 if letter == "normal" else letter
        word = self.style["word_spacing"] or 0
        s = char_spacings(self.text, spacing)
        attr_list = pango.pango_layout_get_attributes(self.layout)
        if attr_list == ffi.NULL:
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)

        def add(start, end, value):
            attr = pango.pango_attr_letter_spacing_new(value)
            attr.start_index, attr.end_index = start, end
            pango.pango_attr_list_change(attr_list, attr)

        # Consecutive characters with the same spacing share one attribute.
        pos = run_start = 0
        run_value = None
        for ch, si in zip(self.text, s):
            v = int(round((si + letter + (word if ch in _SPACES else 0)) * TO_UNITS))
            if v != run_value:
                if run_value is not None:
                    add(run_start, pos, run_value)
                run_value, run_start = v, pos
            pos += len(ch.encode())
        if run_value is not None:
            add(run_start, pos, run_value)
        pango.pango_layout_set_attributes(self.layout, attr_list)

    original_text_align = inline.text_align

    def text_align(context, line, available_width, last):
        trim_edge_spacing(line, boxes)
        return original_text_align(context, line, available_width, last)

    inline.count_expandable_spaces = count_expandable_spaces
    inline.text_align = text_align
    line_break.Layout.set_text = set_text
    _installed = True
