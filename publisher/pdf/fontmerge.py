"""One embedded subset per font face in an issue's PDF, made at assembly.

Every typeset part and the furniture document is its own WeasyPrint document, and
WeasyPrint embeds a subset of each face per document: an issue in five parts
carried five subsets of the Song face (000: 2.6 MB against 1.2 MB as one document).
WeasyPrint's subsets keep the original glyph ids (HarfBuzz "retain gids"), so
the glyph codes in every part mean the same glyphs.  So the documents are written
with a placeholder where each font program goes (:func:`deferred`, via speed.py),
and the assembly subsets each original face once, for the union of the glyphs all
its font dictionaries use (their /W arrays list exactly those), with the flags
WeasyPrint uses; then one font dictionary per face serves every page and part
(widths and ToUnicode entries joined).

HarfBuzz is called through our own small cffi declaration (WeasyPrint's has no
way to open a font file).
"""
from __future__ import annotations

import hashlib
import re
import zlib
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

PLACEHOLDER_LENGTH = 4  # the font program's first four bytes: its type (OTTO or TrueType)
_deferred = False


@contextmanager
def deferred():
    """Write documents with placeholder font programs (see the module notes)."""
    global _deferred
    was = _deferred
    _deferred = True
    try:
        yield
    finally:
        _deferred = was


def is_deferred() -> bool:
    return _deferred


_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
typedef uint32_t hb_tag_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
hb_tag_t hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
# hb-subset.h: HB_SUBSET_FLAGS_* and HB_SUBSET_SETS_DROP_TABLE_TAG.
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH_UNRECOGNIZED = 0x1, 0x2, 0x4, 0x20
_DROP_TABLE_TAG = 3
# The tables WeasyPrint 70 drops from its subsets (pdf/fonts.py).
# GDEF too: a PDF's glyphs are shaped already, and HarfBuzz cannot always pack a
# gid-retaining subset of LXGW WenKai's GDEF (hb_subset fails on some glyph sets: the
# Kai of the 合订本 of every corpus issue, 764 glyphs)
_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GDEF", b"GPOS", b"GSUB", b"JSTF",
                b"LTSH", b"PCLT", b"SVG ")


@lru_cache(maxsize=1)
def _harfbuzz():
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_CDEF)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


def subset_font(path: Path, glyphs: set[int]) -> bytes:
    """``path`` cut down to ``glyphs`` (glyph ids kept, no hinting), as WeasyPrint does."""
    from ..errors import PublisherError

    ffi, hb, hbs = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(str(path).encode())
    if blob == ffi.NULL:
        raise PublisherError(f"font {path} cannot be read")
    face = hb.hb_face_create(blob, 0)
    inp = hbs.hb_subset_input_create_or_fail()
    try:
        gset = hbs.hb_subset_input_glyph_set(inp)
        for g in sorted(glyphs | {0}):
            hb.hb_set_add(gset, g)
        hbs.hb_subset_input_set_flags(inp, _RETAIN_GIDS | _PASSTHROUGH_UNRECOGNIZED | _DESUBROUTINIZE | _NO_HINTING)
        drop = hbs.hb_subset_input_set(inp, _DROP_TABLE_TAG)
        for tag in _DROP_TABLES:
            hb.hb_set_add(drop, hb.hb_tag_from_string(tag, -1))
        sub = hbs.hb_subset_or_fail(face, inp)
        if sub == ffi.NULL:
            raise PublisherError(f"font {path} cannot be subset")
        try:
            out = hb.hb_face_reference_blob(sub)
            n = ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(out, n)
            result = ffi.unpack(data, n[0])
            hb.hb_blob_destroy(out)
        finally:
            hb.hb_face_destroy(sub)
    finally:
        hbs.hb_subset_input_destroy(inp)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
    return result


_W_TOKENS = re.compile(rb"\[|\]|[-+]?[0-9.]+")


def _widths(w) -> dict[int, float]:
    """Glyph code → width of a /W array (``c [w…]`` runs and ``c1 c2 w`` ranges),
    read from its unparsed bytes (walking a pikepdf array item by item is slow)."""
    tokens = _W_TOKENS.findall(w.unparse() if hasattr(w, "unparse") else b"[]")[1:-1]
    out: dict[int, float] = {}
    i = 0
    while i < len(tokens):
        first = int(float(tokens[i]))
        if i + 1 < len(tokens) and tokens[i + 1] == b"[":
            j = tokens.index(b"]", i + 2)
            for k, t in enumerate(tokens[i + 2:j]):
                out[first + k] = float(t)
            i = j + 1
        else:
            for c in range(first, int(float(tokens[i + 1])) + 1):
                out[c] = float(tokens[i + 2])
            i += 3
    return out


def _resource_dicts(pdf):
    """Every resource dictionary of the pages and of the form XObjects they draw, once."""
    import pikepdf

    seen: set = set()
    stack = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        res = stack.pop()
        if not isinstance(res, pikepdf.Dictionary):
            continue
        yield res
        for _, xo in sorted((res.get("/XObject") or {}).items()):
            if xo.get("/Subtype") == pikepdf.Name.Form and xo.objgen not in seen:
                seen.add(xo.objgen)
                stack.append(xo.get("/Resources"))


def font_dictionaries(pdf):
    """Every font dictionary the pages and their form XObjects use, once each."""
    seen: set = set()
    for res in _resource_dicts(pdf):
        for _, f in sorted((res.get("/Font") or {}).items()):
            if f.objgen not in seen:
                seen.add(f.objgen)
                yield f


def placeholder_fonts(pdf, font_files: dict[str, Path]):
    """(face name, font dict, CIDFont dict, descriptor, FontFile key) of every font
    of ``pdf`` whose program is a placeholder (see :func:`deferred`)."""
    import pikepdf

    from ..errors import PublisherError

    for f in sorted(font_dictionaries(pdf), key=lambda f: f.objgen):
        if f.get("/Subtype") != pikepdf.Name.Type0:
            continue
        desc_font = f.DescendantFonts[0]
        fd = desc_font.get("/FontDescriptor")
        if fd is None:
            continue
        key = "/FontFile3" if "/FontFile3" in fd else "/FontFile2" if "/FontFile2" in fd else None
        if key is None or len(fd[key].read_raw_bytes()) > 64 or len(fd[key].read_bytes()) != PLACEHOLDER_LENGTH:
            continue
        name = str(f.BaseFont).lstrip("/").split("+", 1)[-1]
        if name not in font_files:
            raise PublisherError(f"font {name} is not in the font manifest")
        yield name, f, desc_font, fd, key


def used_glyphs(desc_font) -> set[int]:
    return set(_widths(desc_font.get("/W") or []))


def cut_faces(font_files: dict[str, Path], glyphs: dict[str, set[int]]) -> dict[str, tuple[bytes, bytes]]:
    """Face name → (its subset, the subset deflated), the faces cut side by side
    (HarfBuzz and zlib run without the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    from .parallel import default_jobs

    def cut(n: str) -> tuple[bytes, bytes]:
        data = subset_font(font_files[n], glyphs[n])
        return data, zlib.compress(data, 6)

    names = sorted(glyphs)
    with ThreadPoolExecutor(max_workers=min(len(names), default_jobs()) or 1) as pool:
        return dict(zip(names, pool.map(cut, names)))


def subset_name(name: str, glyphs: set[int]) -> str:
    """``TAG+name``: the tag made from the glyph set (same subset, same tag)."""
    return tagged_name(name, b",".join(b"%d" % g for g in sorted(glyphs)))


def tagged_name(name: str, what: bytes) -> str:
    """``TAG+name``, the six-letter tag (PDF 32000 9.6.4) made from ``what``."""
    digest = hashlib.sha256(name.encode() + b"|" + what).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + name


def program_extra(head: bytes, length: int) -> dict[str, object]:
    """The font program stream's own entries (``head``: its first bytes, ``length``:
    its size): CFF-flavoured OpenType or TrueType."""
    return {"/Subtype": "/OpenType"} if head[:4] == b"OTTO" else {"/Length1": length}


def merge_subsets(pdf, font_files: dict[str, Path]) -> int:
    """Replace every placeholder font program of ``pdf`` (pikepdf) by one subset per
    face; returns the number of faces embedded.  ``font_files``: base font name
    without its tag (``Pub-Song``) → the file it is cut from."""
    import pikepdf

    faces: dict[str, list] = {}
    glyphs: dict[str, set[int]] = {}
    for name, f, desc_font, fd, key in placeholder_fonts(pdf, font_files):
        faces.setdefault(name, []).append((f, desc_font, fd, key))
        glyphs.setdefault(name, set()).update(used_glyphs(desc_font))
    programs = cut_faces(font_files, glyphs)
    for name in sorted(faces):
        data, packed = programs[name]
        base = pikepdf.Name("/" + subset_name(name, glyphs[name]))
        stream = pikepdf.Stream(pdf, b"")
        stream.write(packed, filter=pikepdf.Name.FlateDecode)
        for k, v in program_extra(data[:4], len(data)).items():
            stream[k] = pikepdf.Name(v) if isinstance(v, str) else v
        stream = pdf.make_indirect(stream)
        for f, desc_font, fd, key in faces[name]:
            fd[key] = stream
            f.BaseFont = desc_font.BaseFont = fd.FontName = base
        _one_dictionary(pdf, [f for f, *_ in faces[name]])
    return len(faces)


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _one_dictionary(pdf, fonts: list) -> None:
    """Make the first of ``fonts`` (dictionaries of one face, one program) serve for
    all: widths and ToUnicode entries joined, every resource pointed at it."""
    import pikepdf

    plain = [f for f in fonts if f.get("/Encoding") == pikepdf.Name("/Identity-H")]
    if len(plain) < 2:
        return
    keep = plain[0]
    widths: dict[int, float] = {}
    text: dict[int, bytes] = {}
    bbox = [float(v) for v in keep.DescendantFonts[0].FontDescriptor.FontBBox]
    for f in plain:
        d = f.DescendantFonts[0]
        for c, width in _widths(d.get("/W") or []).items():
            widths.setdefault(c, width)
        if "/ToUnicode" in f:
            body = f.ToUnicode.read_bytes()
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
                for src, dst in _BFCHAR.findall(block):
                    text.setdefault(int(src, 16), dst)
        fb = [float(v) for v in d.FontDescriptor.FontBBox]
        bbox = [min(bbox[0], fb[0]), min(bbox[1], fb[1]), max(bbox[2], fb[2]), max(bbox[3], fb[3])]
    w = pikepdf.Array()
    run: list = []
    prev = None
    for c in sorted(widths):
        if prev is None or c != prev + 1:
            if run:
                w.append(pikepdf.Array(run))
            w.append(c)
            run = []
        run.append(widths[c] if widths[c] != int(widths[c]) else int(widths[c]))
        prev = c
    if run:
        w.append(pikepdf.Array(run))
    keep.DescendantFonts[0].W = w
    keep.DescendantFonts[0].FontDescriptor.FontBBox = pikepdf.Array(bbox)
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    codes = sorted(text)
    for i in range(0, len(codes), 100):
        batch = codes[i:i + 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines += [b"<%04x> <%s>" % (c, text[c]) for c in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    keep.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, b"\n".join(lines)))
    others = {f.objgen for f in plain[1:]}
    for res in list(_resource_dicts(pdf)):
        fonts_res = res.get("/Font")
        if fonts_res is not None:
            for k in list(fonts_res.keys()):
                if fonts_res[k].objgen in others:
                    fonts_res[k] = keep
