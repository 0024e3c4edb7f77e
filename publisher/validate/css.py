"""Just enough CSS to know which font every character of an XHTML document is set in.

The EPUB's stylesheets are parsed with tinycss2, selectors matched with cssselect2
(both already used by WeasyPrint), and ``font-family`` / ``font-weight`` /
``font-style`` cascaded and inherited as a reading system would.  ``@font-face``
rules give the embedded faces; ``::before``/``::after`` strings count as text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cssselect2
import tinycss2

from ..cssvalues import font_weight

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji", "fangsong"}
_PROPS = ("font-family", "font-weight", "font-style", "content")


@dataclass(frozen=True)
class FontFaceRule:
    family: str  # lower-cased for matching
    weight: int
    style: str
    src: tuple  # (stylesheet path, url) pairs


@dataclass
class Sheet:
    """The font-relevant rules of one or more stylesheets."""

    faces: list[FontFaceRule] = field(default_factory=list)
    matcher: cssselect2.Matcher = field(default_factory=cssselect2.Matcher)
    order: int = 0


def _decls(tokens) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in tinycss2.parse_declaration_list(tokens, skip_whitespace=True, skip_comments=True):
        if d.type != "declaration":
            continue
        name = d.lower_name
        if name == "font":
            out.update(_font_shorthand(d.value))
        elif name in _PROPS:
            out[name] = [t for t in d.value if t.type not in ("whitespace", "comment")]
    return out


def _font_shorthand(tokens) -> dict[str, list]:
    """``font: [style] [weight] size[/lh] family, …`` — family is everything after the size."""
    toks = [t for t in tokens if t.type != "comment"]
    out: dict[str, list] = {"font-style": [], "font-weight": []}
    fam_start = None
    for i, t in enumerate(toks):
        if t.type == "whitespace":
            continue
        if t.type == "ident" and t.lower_value in ("italic", "oblique"):
            out["font-style"] = [t]
        elif t.type == "ident" and t.lower_value in ("bold", "bolder", "lighter"):
            out["font-weight"] = [t]
        elif t.type == "number" and fam_start is None and t.int_value is not None and 100 <= t.int_value <= 1000:
            out["font-weight"] = [t]
        elif t.type in ("dimension", "percentage") or (t.type == "ident" and t.lower_value in (
                "xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "smaller", "larger")):
            j = i + 1
            # skip "/ line-height"
            while j < len(toks) and toks[j].type == "whitespace":
                j += 1
            if j < len(toks) and toks[j].type == "literal" and toks[j].value == "/":
                j += 1
                while j < len(toks) and toks[j].type == "whitespace":
                    j += 1
                j += 1
            fam_start = j
            break
    if fam_start is not None:
        out["font-family"] = [t for t in toks[fam_start:] if t.type != "whitespace"]
    if not out["font-style"]:
        out["font-style"] = []
    return {k: v for k, v in out.items() if v}


def families(tokens) -> list[str]:
    """``"Pub Song", serif`` → ``["pub song", "serif"]``."""
    fams, cur = [], []
    for t in tokens:
        if t.type == "literal" and t.value == ",":
            if cur:
                fams.append(" ".join(cur))
            cur = []
        elif t.type == "string":
            cur.append(t.value)
        elif t.type == "ident":
            cur.append(t.value)
    if cur:
        fams.append(" ".join(cur))
    return [f.strip().lower() for f in fams if f.strip()]


def weight(tokens, parent: int) -> int:
    w = font_weight(tokens, parent)
    return parent if w is None else w
    return parent


def _urls(tokens) -> list[str]:
    out = []
    for t in tokens:
        if t.type == "url":
            out.append(t.value)
        elif t.type == "function" and t.lower_name == "url":
            for a in t.arguments:
                if a.type == "string":
                    out.append(a.value)
    return out


def _media_applies(prelude) -> bool:
    q = tinycss2.serialize(prelude).lower()
    # A reading system is a screen: skip rules for print only.
    return not ("print" in q and "screen" not in q and "all" not in q)


def add_stylesheet(sheet: Sheet, css: str, base: str) -> None:
    """Add one stylesheet's rules (``base``: its path, for relative font URLs)."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    _add_rules(sheet, rules, base)


def _add_rules(sheet: Sheet, rules, base: str) -> None:
    for rule in rules:
        if rule.type == "qualified-rule":
            decls = _decls(rule.content)
            if not decls:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue
            sheet.order += 1
            for sel in selectors:
                sheet.matcher.add_selector(sel, (sheet.order, decls))
        elif rule.type == "at-rule":
            name = rule.lower_at_keyword
            if name == "font-face" and rule.content is not None:
                _add_face(sheet, rule, base)
            elif name in ("media", "supports", "layer") and rule.content is not None:
                if name == "media" and not _media_applies(rule.prelude):
                    continue
                _add_rules(sheet, tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True), base)


def _add_face(sheet: Sheet, rule, base: str) -> None:
    fam, w, style, src = None, 400, "normal", ()
    for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True):
        if d.type != "declaration":
            continue
        vals = [t for t in d.value if t.type not in ("whitespace", "comment")]
        if d.lower_name == "font-family":
            f = families(vals)
            fam = f[0] if f else None
        elif d.lower_name == "font-weight":
            w = weight(vals, 400)
        elif d.lower_name == "font-style":
            style = vals[0].lower_value if vals and vals[0].type == "ident" else "normal"
        elif d.lower_name == "src":
            src = tuple((base, u) for u in _urls(vals))
    if fam and src:
        sheet.faces.append(FontFaceRule(fam, w, style, src))


def inline_decls(style_attr: str) -> dict[str, list]:
    return _decls(tinycss2.parse_component_value_list(style_attr))


@dataclass(frozen=True)
class Style:
    families: tuple[str, ...]
    weight: int
    style: str


ROOT_STYLE = Style(("serif",), 400, "normal")


def styled_text(root, sheet: Sheet):
    """Yield ``(Style, text, element)`` for every piece of text in the document.

    ``root`` is an lxml root element; generated ``::before``/``::after`` strings are
    yielded too.  Text inside ``<head>`` is skipped.
    """
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    yield from _walk(wrapper, sheet, ROOT_STYLE)


def _string_content(tokens) -> str:
    return "".join(t.value for t in tokens if t.type == "string")


def _walk(w, sheet: Sheet, parent: Style):
    el = w.etree_element
    local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
    if local in ("head", "script", "style", "title"):
        return
    matches = sheet.matcher.match(w)
    normal: list = []
    pseudo: dict[str, list] = {}
    for spec, order, ptype, (rule_order, decls) in matches:
        key = (spec, rule_order)
        if ptype:
            pseudo.setdefault(ptype, []).append((key, decls))
        else:
            normal.append((key, decls))
    normal.sort(key=lambda x: x[0])
    props: dict[str, list] = {}
    for _, decls in normal:
        props.update(decls)
    style_attr = el.get("style")
    if style_attr:
        props.update(inline_decls(style_attr))
    style = _apply(parent, props)
    for ptype in ("before",):
        if ptype in pseudo:
            yield from _pseudo(style, pseudo[ptype], w)
    if el.text:
        yield style, el.text, el
    for child in w.iter_children():
        yield from _walk(child, sheet, style)
        tail = child.etree_element.tail
        if tail:
            yield style, tail, el
    if "after" in pseudo:
        yield from _pseudo(style, pseudo["after"], w)


def _pseudo(style: Style, rules, w):
    rules.sort(key=lambda x: x[0])
    props: dict[str, list] = {}
    for _, decls in rules:
        props.update(decls)
    text = _string_content(props.get("content", []))
    if text:
        yield _apply(style, props), text, w.etree_element


def _apply(parent: Style, props: dict[str, list]) -> Style:
    fams = parent.families
    if "font-family" in props:
        f = families(props["font-family"])
        if f and f != ["inherit"]:
            fams = tuple(f)
    w = weight(props["font-weight"], parent.weight) if "font-weight" in props else parent.weight
    st = parent.style
    if "font-style" in props:
        v = props["font-style"]
        if v and v[0].type == "ident" and v[0].lower_value in ("normal", "italic", "oblique"):
            st = v[0].lower_value
    return Style(fams, w, st)


def pick_face(faces: list, want_weight: int, want_style: str = "normal"):
    """CSS Fonts §5.2 font matching among the faces of one family (by weight, then style)."""
    if not faces:
        return None
    styled = [f for f in faces if f.style == want_style] or faces
    exact = [f for f in styled if f.weight == want_weight]
    if exact:
        return exact[0]
    if 400 <= want_weight <= 500:
        up = sorted((f for f in styled if want_weight < f.weight <= 500), key=lambda f: f.weight)
        down = sorted((f for f in styled if f.weight < want_weight), key=lambda f: -f.weight)
        rest = sorted((f for f in styled if f.weight > 500), key=lambda f: f.weight)
        order = up + down + rest
    elif want_weight < 400:
        order = sorted((f for f in styled if f.weight < want_weight), key=lambda f: -f.weight) + sorted(
            (f for f in styled if f.weight > want_weight), key=lambda f: f.weight)
    else:
        order = sorted((f for f in styled if f.weight > want_weight), key=lambda f: f.weight) + sorted(
            (f for f in styled if f.weight < want_weight), key=lambda f: -f.weight)
    return order[0] if order else styled[0]
