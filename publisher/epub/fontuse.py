"""Which characters each font role sets: a small CSS cascade over the EPUB's documents.

The subsets must hold exactly the characters each face draws, and those depend on the
stylesheets (Kai for bylines, Hei for headlines and run-in leads, …).  Rather than
repeat the stylesheets' decisions in Python, this resolves ``font-family`` and
``font-weight`` for every element of every document from the same CSS files the EPUB
carries (cssselect2 + tinycss2, already used by WeasyPrint), then walks the text.

For each character the first family in the element's ``font-family`` list whose face
covers it wins, as in a browser.  A character that none of our families in the list
covers is an error that names it and where it occurs.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import cssselect2
import tinycss2
from lxml import etree

from ..cssvalues import font_weight
from ..errors import PublisherError
from ..fonts import FontFace
from .fontsubset import font_source

XHTML_NS = "http://www.w3.org/1999/xhtml"
GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji", "fangsong"}
# What a browser's own stylesheet says about weight (author rules always win over it).
UA_CSS = "h1, h2, h3, h4, h5, h6, strong, b, th { font-weight: bold }"
SKIP = {"head", "title", "style", "script"}


@dataclass
class _Style:
    families: tuple[str, ...] = ("serif",)
    weight: int = 400


@dataclass
class FontUse:
    """Characters per role, found by :func:`collect`."""

    chars: dict[str, set[str]] = field(default_factory=dict)  # role → characters
    # Per document (in the order given): the compressed marks of the markup
    # (span.pc / span.pc-l) and Han–Western spaces (span.hws), in document order, as
    # (class, character, face that draws it or None).
    marks: list[list[tuple[str, str, FontFace | None]]] = field(default_factory=list)

    def roles(self) -> list[str]:
        return [r for r, cs in self.chars.items() if cs]


def _families(tokens) -> tuple[str, ...] | None:
    fams: list[str] = []
    cur: list[str] = []
    for t in tokens:
        if t.type == "string":
            cur.append(t.value)
        elif t.type == "ident":
            if t.lower_value == "inherit" and not fams and not cur:
                return None
            cur.append(t.value)
        elif t.type == "literal" and t.value == ",":
            if cur:
                fams.append(" ".join(cur))
            cur = []
    if cur:
        fams.append(" ".join(cur))
    return tuple(fams) or None


class Cascade:
    """font-family / font-weight of every element, from a list of stylesheets."""

    def __init__(self, stylesheets: list[str]):
        self.matcher = cssselect2.Matcher()
        self._add(UA_CSS, origin=0)
        for css in stylesheets:
            self._add(css, origin=1)

    def _add(self, css: str, origin: int) -> None:
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule":
                continue  # @font-face, @page, @media: nothing for the text's faces
            decls = {}
            for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if d.type == "declaration" and d.lower_name in ("font-family", "font-weight"):
                    decls[d.lower_name] = [t for t in d.value if t.type != "whitespace"]
            if not decls:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue
            for sel in selectors:
                if sel.pseudo_element:
                    continue
                self.matcher.add_selector(sel, (origin, decls))

    def styles(self, root) -> dict:
        """{lxml element: _Style} for every element under ``root``."""
        out: dict = {}
        wrapper = cssselect2.ElementWrapper.from_xml_root(root)
        for w in wrapper.iter_subtree():
            el = w.etree_element
            parent = el.getparent()
            ps = out.get(parent, _Style()) if parent is not None else _Style()
            fam, weight = ps.families, ps.weight
            matches = sorted(self.matcher.match(w), key=lambda m: (m[3][0], m[0], m[1]))
            for _spec, _order, _pseudo, (_origin, decls) in matches:
                if "font-family" in decls:
                    fam = _families(decls["font-family"]) or fam
                if "font-weight" in decls:
                    weight = font_weight(decls["font-weight"], ps.weight) or weight
            out[el] = _Style(fam, weight)
        return out


def _kind(ch: str) -> str:
    """"skip" for controls, "space" for spaces (kept if a face has them), else "ink"."""
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Zl", "Zp"):
        return "skip"
    return "space" if cat == "Zs" else "ink"


def _text_runs(root, styles):
    """(text, style, element) for every text node that a reader draws."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ns, _, local = el.tag.rpartition("}")
        if ns.lstrip("{") != XHTML_NS or local in SKIP:
            continue
        anc = el.getparent()
        hidden = False
        while anc is not None:
            a_ns, _, a_local = anc.tag.rpartition("}")
            if a_ns.lstrip("{") != XHTML_NS or a_local in SKIP:
                hidden = True
                break
            anc = anc.getparent()
        if hidden:
            continue
        if el.text:
            yield el.text, styles[el], el
        for child in el:
            if child.tail:
                yield child.tail, styles[el], el


def _marks(root, styles, chain_for) -> list[tuple[str, str, FontFace | None]]:
    """The markup's compressed marks of one document with the face each is drawn in."""
    out = []
    for el in root.iter(f"{{{XHTML_NS}}}span"):
        cls = el.get("class")
        if cls not in ("pc", "pc-l", "hws") or not el.text or len(el.text) != 1:
            continue
        style = styles[el]
        face = next((f for f in chain_for((style.families, style.weight))
                     if font_source(f.path, f.index).covers(ord(el.text))), None)
        out.append((cls, el.text, face))
    return out


def collect(documents: list[tuple[str, bytes]], stylesheets: list[str], faces: list[FontFace]) -> FontUse:
    """Characters per role over ``documents`` ((label, XHTML bytes)); raises on uncovered ones."""
    by_family: dict[str, list[FontFace]] = {}
    for f in faces:
        by_family.setdefault(f.family.lower(), []).append(f)

    def face_for(family: str, weight: int) -> FontFace | None:
        cands = by_family.get(family.lower())
        if not cands:
            return None
        return min(cands, key=lambda f: (abs(f.weight - weight), -f.weight if weight >= 500 else f.weight))

    cascade = Cascade(stylesheets)
    use = FontUse({f.role: set() for f in faces})
    # Characters per computed style first (set operations), faces per character after.
    by_style: dict[tuple[tuple[str, ...], int], set[str]] = {}
    runs: list[tuple[str, str, tuple[tuple[str, ...], int]]] = []  # for error messages only
    chains: dict[tuple[tuple[str, ...], int], list[FontFace]] = {}

    def chain_for(key: tuple[tuple[str, ...], int]) -> list[FontFace]:
        if key not in chains:
            chains[key] = [f for f in (face_for(fam, key[1]) for fam in key[0]) if f is not None]
        return chains[key]

    for label, data in documents:
        root = etree.fromstring(data)
        styles = cascade.styles(root)
        for text, style, _el in _text_runs(root, styles):
            key = (style.families, style.weight)
            by_style.setdefault(key, set()).update(text)
            runs.append((label, text, key))
        use.marks.append(_marks(root, styles, chain_for))
    for (families, weight), chars in by_style.items():
        chain = chain_for((families, weight))
        if not chain:
            continue  # set in the reader's own fonts only
        for ch in sorted(chars):
            kind = _kind(ch)
            if kind == "skip":
                continue
            for face in chain:
                if font_source(face.path, face.index).covers(ord(ch)):
                    use.chars[face.role].add(ch)
                    break
            else:
                if kind == "space":
                    continue  # a space no face has is drawn by the reader's fallback
                label, text = next((lab, t) for lab, t, k in runs if k == (families, weight) and ch in t)
                i = text.index(ch)
                ctx = text[max(0, i - 8): i + 9].strip()
                tried = ", ".join(dict.fromkeys(f"{f.family} ({f.path.name})" for f in chain))
                raise PublisherError(
                    f"character {ch!r} (U+{ord(ch):04X}) in {label}, in “{ctx}”, is in no embedded font "
                    f"(tried {tried}); add a font that has it to fonts/manifest.toml or use --no-embed-fonts"
                )
    return use
