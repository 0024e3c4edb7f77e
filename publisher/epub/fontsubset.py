"""Font subsets for the EPUB: exactly the characters each role uses.

HarfBuzz's subsetter (``libharfbuzz-subset``, installed by setup) does a CJK face in
tens of milliseconds; fontTools' subsetter, the fallback when the library is missing,
takes seconds.  Both keep the layout tables (vertical forms, locl) and the name
table's copyright and license records (name IDs 0–14), which the SIL OFL asks to
travel with the font.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import io
from functools import lru_cache
from pathlib import Path

from ..errors import PublisherError

# hb_subset_flags_t / hb_subset_sets_t values (hb-subset.h, stable since HarfBuzz 2.9).
_HB_SUBSET_FLAGS_NO_HINTING = 0x1
_HB_SUBSET_SETS_NAME_ID = 4
_NAME_IDS = range(0, 15)


class _HarfBuzz:
    def __init__(self, lib: ctypes.CDLL):
        vp, uint = ctypes.c_void_p, ctypes.c_uint
        sig = {
            "hb_blob_create_from_file_or_fail": (vp, [ctypes.c_char_p]),
            "hb_blob_destroy": (None, [vp]),
            "hb_blob_get_data": (ctypes.POINTER(ctypes.c_char), [vp, ctypes.POINTER(uint)]),
            "hb_face_create": (vp, [vp, uint]),
            "hb_face_destroy": (None, [vp]),
            "hb_face_count": (uint, [vp]),
            "hb_face_reference_blob": (vp, [vp]),
            "hb_face_collect_unicodes": (None, [vp, vp]),
            "hb_set_create": (vp, []),
            "hb_set_destroy": (None, [vp]),
            "hb_set_add": (None, [vp, ctypes.c_uint32]),
            "hb_set_add_range": (None, [vp, ctypes.c_uint32, ctypes.c_uint32]),
            "hb_set_has": (ctypes.c_int, [vp, ctypes.c_uint32]),
            "hb_set_get_population": (uint, [vp]),
            "hb_subset_input_create_or_fail": (vp, []),
            "hb_subset_input_destroy": (None, [vp]),
            "hb_subset_input_unicode_set": (vp, [vp]),
            "hb_subset_input_set": (vp, [vp, ctypes.c_int]),
            "hb_subset_input_set_flags": (None, [vp, uint]),
            "hb_subset_or_fail": (vp, [vp, vp]),
        }
        for name, (res, args) in sig.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
            setattr(self, name[3:], fn)


@lru_cache(maxsize=1)
def _harfbuzz() -> _HarfBuzz | None:
    for name in ("libharfbuzz-subset.so.0", ctypes.util.find_library("harfbuzz-subset")):
        if not name:
            continue
        try:
            return _HarfBuzz(ctypes.CDLL(name))
        except (OSError, AttributeError):
            continue
    return None


class FontSource:
    """One face of a font file, opened once: its coverage and subsets of it."""

    def __init__(self, path: Path, index: int = 0):
        self.path = Path(path)
        self.index = index
        self._hb = _harfbuzz()
        self._face = None
        self._cover: frozenset[int] | None = None
        if self._hb is not None:
            blob = self._hb.blob_create_from_file_or_fail(str(self.path).encode())
            if not blob:
                raise PublisherError(f"{self.path}: cannot read font file")
            if index >= max(1, self._hb.face_count(blob)):
                self._hb.blob_destroy(blob)
                raise PublisherError(f"{self.path}: no face {index} in this font file")
            self._face = self._hb.face_create(blob, index)
            self._hb.blob_destroy(blob)  # the face holds its own reference

    def __del__(self):
        if getattr(self, "_face", None) and self._hb is not None:
            self._hb.face_destroy(self._face)
            self._face = None

    def covers(self, codepoint: int) -> bool:
        return codepoint in self.coverage()

    def coverage(self) -> frozenset[int]:
        if self._cover is None:
            if self._hb is not None:
                s = self._hb.set_create()
                self._hb.face_collect_unicodes(self._face, s)
                self._cover = _LazySet(self._hb, s)  # type: ignore[assignment]
            else:
                from fontTools.ttLib import TTFont

                with TTFont(self.path, fontNumber=self.index, lazy=True) as f:
                    self._cover = frozenset(f.getBestCmap())
        return self._cover  # type: ignore[return-value]

    def subset(self, chars: set[str]) -> bytes:
        """The face cut down to ``chars`` (plus .notdef), as an OpenType/TrueType file."""
        codepoints = sorted({ord(c) for c in chars})
        if self._hb is not None:
            return self._subset_hb(codepoints)
        return self._subset_fonttools(codepoints)

    def _subset_hb(self, codepoints: list[int]) -> bytes:
        hb = self._hb
        inp = hb.subset_input_create_or_fail()
        if not inp:
            raise PublisherError(f"{self.path}: HarfBuzz cannot start a subset")
        try:
            uni = hb.subset_input_unicode_set(inp)
            for cp in codepoints:
                hb.set_add(uni, cp)
            names = hb.subset_input_set(inp, _HB_SUBSET_SETS_NAME_ID)
            hb.set_add_range(names, _NAME_IDS.start, _NAME_IDS.stop - 1)
            hb.subset_input_set_flags(inp, _HB_SUBSET_FLAGS_NO_HINTING)
            out = hb.subset_or_fail(self._face, inp)
            if not out:
                raise PublisherError(f"{self.path}: HarfBuzz could not subset this font")
            try:
                blob = hb.face_reference_blob(out)
                n = ctypes.c_uint()
                data = hb.blob_get_data(blob, ctypes.byref(n))
                result = ctypes.string_at(data, n.value)
                hb.blob_destroy(blob)
            finally:
                hb.face_destroy(out)
        finally:
            hb.subset_input_destroy(inp)
        return result

    def _subset_fonttools(self, codepoints: list[int]) -> bytes:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        opts = subset.Options()
        opts.layout_features = ["*"]
        opts.name_IDs = list(_NAME_IDS)
        opts.hinting = False
        opts.notdef_outline = True
        with TTFont(self.path, fontNumber=self.index, lazy=True) as font:
            sub = subset.Subsetter(opts)
            sub.populate(unicodes=codepoints)
            sub.subset(font)
            buf = io.BytesIO()
            font.save(buf)
        return buf.getvalue()


class _LazySet:
    """Membership test against a HarfBuzz set without copying 40 000 code points."""

    def __init__(self, hb: _HarfBuzz, s):
        self._hb, self._s = hb, s

    def __contains__(self, cp: int) -> bool:
        return bool(self._hb.set_has(self._s, cp))

    def __len__(self) -> int:
        return int(self._hb.set_get_population(self._s))

    def __del__(self):
        if getattr(self, "_s", None):
            self._hb.set_destroy(self._s)
            self._s = None


@lru_cache(maxsize=16)
def font_source(path: Path, index: int = 0) -> FontSource:
    return FontSource(path, index)


def font_format(data: bytes) -> tuple[str, str]:
    """(file extension, EPUB core media type) of an sfnt font file."""
    if data[:4] == b"OTTO":
        return "otf", "font/otf"
    return "ttf", "font/ttf"
