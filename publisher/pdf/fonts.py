"""The manifest's fonts as files WeasyPrint can load, and their ``@font-face`` rules.

WeasyPrint copies every ``@font-face`` source into a private Fontconfig folder and
registers *every* face of it under the rule's family.  A ``.ttc`` collection
(Debian's Noto CJK) would register the Japanese, Korean and Chinese faces under one
family and let Fontconfig pick among them, so the face the manifest names
(``index``) is extracted once into a standalone font file in a cache folder
(``$XDG_CACHE_HOME/publisher/fonts``, keyed by the collection's path, size, mtime
and index).  Plain ``.otf``/``.ttf`` files are used as they are.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from ..errors import PublisherError
from ..fonts import FontFace, font_faces


@lru_cache(maxsize=1)
def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/publisher/fonts`` (or ``~/.cache/…``); a temp folder when
    that cannot be written."""
    import tempfile

    from ..usercache import root

    for d in (root() / "fonts", Path(tempfile.gettempdir()) / f"publisher-fonts-{os.getuid()}"):
        try:
            d.mkdir(parents=True, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    raise PublisherError("no writable folder for the font cache (set XDG_CACHE_HOME)")


def _face_target(face: FontFace) -> Path:
    st = face.path.stat()
    key = hashlib.sha256(f"{face.path}|{st.st_size}|{int(st.st_mtime)}|{face.index}|raw".encode()).hexdigest()[:16]
    return cache_dir() / f"{face.path.stem}-{face.index}-{key}.otf"


def _extract_face(face: FontFace) -> Path:
    out = _face_target(face)
    if out.is_file():
        return out
    from fontTools.ttLib import TTCollection

    try:
        coll = TTCollection(str(face.path), lazy=True)
        font = coll.fonts[face.index]
        # tables copied as they are, never decompiled: the CFF of a CJK face is ~20 MB
        # and decompiling it cost ~45 MB more at peak (a cold cache put the anthology's
        # parent over its 400 MB bound); head keeps the collection's own date, so the
        # extracted file is the same bytes on every machine
        font.recalcBBoxes = False
        font.recalcTimestamp = False
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, out)
    except (OSError, IndexError) as e:
        raise PublisherError(f"font {face.path} (face {face.index}) cannot be prepared: {e}") from None
    return out


def face_file(face: FontFace) -> Path:
    """A single-face font file for ``face`` (extracted from a collection if need be)."""
    if face.path.suffix.lower() in (".ttc", ".otc"):
        return _extract_face(face)
    return face.path


def _quote_target(path: Path) -> Path:
    st = path.stat()
    key = hashlib.sha256(f"{path}|{st.st_size}|{int(st.st_mtime)}|quotes".encode()).hexdigest()[:16]
    return cache_dir() / f"quotes-{path.stem}-{key}.otf"


def _all_prepared() -> bool:
    """Every extracted face and quotation font already in the cache (checked by name,
    without making any)."""
    try:
        made = [_face_target(f) for f in font_faces() if f.path.suffix.lower() in (".ttc", ".otc")]
        if not all(p.is_file() for p in made):
            return False
        return all(_quote_target(q).is_file() for q in _quote_sources(
            tuple((f, face_file(f)) for f in font_faces())).values())
    except OSError:
        return False


_preparing = False


def _prepare_apart() -> None:
    """Make the cache's fonts in a forked child, once per machine.  fontTools holds a CJK
    face's whole CFF while it writes (~150 MB at peak); in the build's own process that
    memory stays in the allocator and every later page is set on top of it (a cold cache
    put the anthology's parent over its 400 MB bound).  A child that fails leaves the work
    to this process, which then gives the error in full."""
    global _preparing
    if _preparing or _all_prepared():
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's own exit code is what is checked
        code = 1
        try:
            _preparing = True
            font_face_css()
            code = 0
        except BaseException:
            pass
        os._exit(code)
    os.waitpid(pid, 0)


@lru_cache(maxsize=1)
def faces() -> tuple[tuple[FontFace, Path], ...]:
    _prepare_apart()
    return tuple((f, face_file(f)) for f in font_faces())


# LXGW WenKai (Kai, and the Fangsong stand-in) has proportional, Latin-width
# quotation marks (350/1000 em) and no ``fwid`` feature; Chinese text needs the
# full-width “” ‘’.  Those four characters of the Kai and Fangsong families are
# taken from the Song face of the same weight (unicode-range).
QUOTES = "U+2018-2019, U+201C-201D"
NOT_QUOTES = "U+0000-2017, U+201A-201B, U+201E-10FFFF"
_NARROW_QUOTE_FAMILIES = ("Pub Kai", "Pub Fangsong")
# The quotation face must differ from the main face in something WeasyPrint keys its
# PDF fonts on (family, weight, style, stretch), or both would share one embedded
# font and the quotes would be drawn with the wrong glyph ids.  Text never asks for
# this stretch, so Fontconfig only falls back to the face for the four quotes.
QUOTE_STRETCH = "semi-expanded"


def _quote_font(path: Path) -> Path:
    """The four quotation marks of ``path`` as a tiny font of their own (cached).

    A separate file keeps the quotation face apart from the Song face in
    Fontconfig (its rules match on the file path), and keeps WeasyPrint from
    loading the whole Song font a second time for four glyphs (≈ 25 MB).
    """
    out = _quote_target(path)
    if out.is_file():
        return out
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[0x2018, 0x2019, 0x201C, 0x201D])
    sub.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, out)
    return out


def _quote_sources(prepared) -> dict[FontFace, Path]:
    """Each narrow-quote face (Kai, Fangsong) → the Song file its four quotation marks
    are cut from (the Song of its weight, else the first Song)."""
    song = {face.weight: path for face, path in prepared if face.family == "Pub Song"}
    if not song:
        return {}
    return {face: song.get(face.weight) or next(iter(song.values()))
            for face, _ in prepared if face.family in _NARROW_QUOTE_FAMILIES}


def font_face_css() -> str:
    """``@font-face`` rules for every role of the manifest (and nothing else)."""
    rules = []
    quotes = _quote_sources(faces())
    for face, path in faces():
        rng = ""
        if face in quotes:
            rng = f" unicode-range: {NOT_QUOTES};"
            alias = _quote_font(quotes[face])
            rules.append(
                "@font-face { font-family: \"%s\"; font-weight: %d; font-style: normal; font-stretch: %s;"
                " src: url(\"%s\"); unicode-range: %s; }"
                % (face.family, face.weight, QUOTE_STRETCH, alias.as_uri(), QUOTES)
            )
        rules.append(
            "@font-face { font-family: \"%s\"; font-weight: %d; font-style: normal; src: url(\"%s\");%s }"
            % (face.family, face.weight, path.as_uri(), rng)
        )
    return "\n".join(rules) + "\n"


def manifest_font_files() -> dict[str, Path]:
    """Role → the file actually embedded (for the font checks of the tests)."""
    return {face.role: path for face, path in faces()}


def pdf_font_files() -> dict[str, Path]:
    """The base font names WeasyPrint gives our faces in the PDF (Pango's description
    with dashes: ``Pub-Song``, ``Pub-Hei-Bold``, ``Pub-Kai-Semi-Expanded`` for the
    quotation face) → the font file each is cut from."""
    out: dict[str, Path] = {}
    quotes = _quote_sources(faces())
    for face, path in faces():
        bold = "-Bold" if face.weight >= 700 else ""
        out[face.family.replace(" ", "-") + bold] = path
        if face in quotes:
            out[face.family.replace(" ", "-") + bold + "-" + QUOTE_STRETCH.title()] = _quote_font(quotes[face])
    return out


def font_configuration():
    """A WeasyPrint FontConfiguration that registers local font files in place.

    WeasyPrint 70 copies each ``@font-face`` source into a temporary folder before
    registering it with Fontconfig: for seven CJK fonts that is about 150 MB written
    per document (0.6 s).  Our sources are local files (the manifest's), so this
    subclass registers them where they are, with the same Fontconfig rules
    WeasyPrint writes (family prepended, weight and style assigned).  Any other
    source goes through WeasyPrint's own code.
    """
    from urllib.parse import unquote, urlparse
    from xml.etree.ElementTree import Element, SubElement, tostring

    from ..fetcher import servable

    from weasyprint.text.constants import FONTCONFIG_STRETCH, FONTCONFIG_STYLE, FONTCONFIG_WEIGHT
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    class ManifestFontConfiguration(FontConfiguration):
        def add_font_face(self, rule_descriptors, url_fetcher):
            src = rule_descriptors.get("src") or []
            local = None
            if len(src) == 1 and src[0][0] == "external" and str(src[0][1]).startswith("file://"):
                p = Path(unquote(urlparse(src[0][1]).path))
                if p.is_file() and servable(p):  # the manifest's files only (fetcher.py)
                    local = p
            if local is None:
                return super().add_font_face(rule_descriptors, url_fetcher)
            root = Element("fontconfig")
            match = SubElement(root, "match", target="scan")
            test = SubElement(match, "test", name="file", compare="eq")
            SubElement(test, "string").text = local.as_posix()
            edit = SubElement(match, "edit", name="family", mode="prepend")
            SubElement(edit, "string").text = rule_descriptors["font_family"]
            if "font_style" in rule_descriptors:
                edit = SubElement(match, "edit", name="slant", mode="assign_replace")
                SubElement(edit, "const").text = FONTCONFIG_STYLE[rule_descriptors["font_style"]]
            if "font_weight" in rule_descriptors:
                edit = SubElement(match, "edit", name="weight", mode="assign_replace")
                SubElement(edit, "int").text = str(FONTCONFIG_WEIGHT[rule_descriptors["font_weight"]])
            if "font_stretch" in rule_descriptors:
                edit = SubElement(match, "edit", name="width", mode="assign_replace")
                SubElement(edit, "const").text = FONTCONFIG_STRETCH[rule_descriptors["font_stretch"]]
            if unicode_ranges := rule_descriptors.get("unicode_range"):
                edit = SubElement(match, "edit", name="charset", mode="assign_replace")
                plus = SubElement(edit, "plus")
                for unicode_range in unicode_ranges:
                    charset = SubElement(plus, "charset")
                    range_ = SubElement(charset, "range")
                    for value in (unicode_range.start, unicode_range.end):
                        SubElement(range_, "int").text = f"0x{value:x}"
            xml = b"\n".join((
                b'<?xml version="1.0"?>',
                b'<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
                tostring(root, encoding="utf-8"),
            ))
            fontconfig.FcConfigParseAndLoadFromMemory(self._config, xml, True)
            if fontconfig.FcConfigAppFontAddFile(self._config, local.as_posix().encode()):
                return pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", self.font_map))
            raise PublisherError(f"font {local} cannot be loaded")

    return ManifestFontConfiguration()


# Characters that need no glyph of their own (format controls, variation selectors).
_IGNORABLE = [(0x00AD, 0x00AD), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x206F),
              (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xE0100, 0xE01EF)]


@lru_cache(maxsize=1)
def coverage() -> frozenset[int]:
    """Code points the Song face has a glyph for.

    Every font-family list of our stylesheets ends with "Pub Song" before the
    generic family, so a character in this set is always drawn with a manifest
    font; any other character would reach a system font (or .notdef).  The set is
    cached beside the extracted fonts as ranges.
    """
    import json

    song = next((p for f, p in faces() if f.role == "song"), None)
    if song is None:
        return frozenset()
    st = song.stat()
    key = hashlib.sha256(f"{song}|{st.st_size}|{int(st.st_mtime)}|cmap".encode()).hexdigest()[:16]
    cached = cache_dir() / f"coverage-{key}.json"
    ranges: list[list[int]] = []
    if cached.is_file():
        try:
            ranges = json.loads(cached.read_text())
        except (OSError, ValueError):
            ranges = []
    if not ranges:
        from fontTools.ttLib import TTFont

        cps = sorted(TTFont(str(song), lazy=True).getBestCmap())
        for cp in cps:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(ranges))
            os.replace(tmp, cached)
        except OSError:
            pass
    out: set[int] = set()
    for lo, hi in list(ranges) + _IGNORABLE:
        out.update(range(lo, hi + 1))
    return frozenset(out)


GETA = "\u3013"  # 〓, the typesetter's mark for a character the fonts lack


def replace_uncovered(text: str) -> tuple[str, dict[str, int]]:
    """``text`` with characters no manifest font can draw replaced by 〓, and a count
    of what was replaced (ASCII and whitespace always pass)."""
    cov = coverage()
    if not cov:
        return text, {}
    # The distinct characters first: a whole issue's HTML has a few thousand.
    bad = [ch for ch in set(text) if not (ch < "\x80" or ch.isspace() or ord(ch) in cov)]
    if not bad:
        return text, {}
    missing = {ch: text.count(ch) for ch in sorted(bad)}
    return text.translate({ord(ch): GETA for ch in bad}), missing
