"""Build-time savings that change no output but its compression ratio, in one place.

* **Garbage collection paused while a document is laid out and written**
  (:func:`no_gc`).  WeasyPrint allocates hundreds of thousands of small objects
  (boxes, styles, layouts); CPython's cyclic collector then runs full (generation 2)
  passes over all of them that free nothing: about 0.25 s of a 2.6 s build of a
  41-page issue, peak memory unchanged (measured: publisher.pdf.bench).  The
  collector runs again as usual once the PDF bytes exist.
* **zlib level 6 instead of 9 for PDF streams** (:func:`install`).  pydyf 0.13
  compresses every stream (page contents, embedded fonts, the object stream) with
  ``zlib.compressobj(level=9)``; level 6, zlib's default, takes half the time for a
  PDF 0.4 % larger.  Output stays deterministic (zlib is, at any level).  The patch
  is tied to the pinned pydyf: with any other version nothing is changed.
* **One HarfBuzz subsetting pass per font instead of two** (:func:`install`).
  WeasyPrint 70 (``pdf/fonts.py`` ``Font._harfbuzz_subset``) subsets each font with
  the glyph ids retained, then subsets the result again keeping glyphs 0…max to
  drop the empty ones after the last used glyph and, unless hinting is asked for,
  the hints.  HarfBuzz's retain-gids output already ends at the last used glyph
  (measured on the Noto CJK faces: 65 535 → max + 1 glyphs), so the one pass is
  made with the second pass's no-hinting flag too: same glyphs, same ids, no
  hints; about 25 ms less per CJK face and document.  Tied to WeasyPrint 70.0.
* **No margin boxes where the margins are empty** (:func:`install`,
  :func:`bare_margins`).  WeasyPrint 70 makes, styles and lays out all 16 margin
  boxes of every page before it finds their content is ``none`` (``layout/page.py``
  ``make_margin_boxes``: about 2 ms a page).  An issue's typeset parts have nothing in
  their margins (html.PART_OVERRIDES) and the furniture document places heads and
  folios itself on its ``pubfur`` pages, so for those the call returns no boxes: the
  same pages, drawn the same.  Tied to WeasyPrint 70.0.
* **The font files' bytes copied once per process, not once per document**
  (:func:`install`).  ``Font.__init__`` copies the whole face blob into a Python
  ``bytes`` for every document (``get_hb_object_data``: 16–24 MB per Noto CJK face,
  0.04–0.06 s per document).  Pango keeps the faces of our one FontConfiguration
  loaded for the life of the process, so the copy is kept, keyed by the blob's
  address and length and checked against the blob's first and last 4 KB before
  reuse.  The subset that is embedded is unchanged.
"""
from __future__ import annotations

import zlib
from contextlib import contextmanager

from ..gcpause import paused

PYDYF_VERSION = "0.13.0"
WEASYPRINT_VERSION = "70.0"
STREAM_LEVEL = 6

_installed = False


class _Zlib:
    """pydyf's view of :mod:`zlib`: level 9 asked for, level ``STREAM_LEVEL`` given."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=-1, *args, **kwargs):
        return zlib.compressobj(STREAM_LEVEL if level == 9 else level, *args, **kwargs)


def install() -> None:
    global _installed
    if _installed:
        return
    import pydyf

    if getattr(pydyf, "__version__", None) == PYDYF_VERSION and getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Zlib()
    import weasyprint
    from weasyprint.pdf import fonts

    import weasyprint.layout as layout

    if weasyprint.__version__ == WEASYPRINT_VERSION and hasattr(layout, "make_margin_boxes"):
        global _original_margin_boxes
        _original_margin_boxes = layout.make_margin_boxes
        layout.make_margin_boxes = _margin_boxes
    if weasyprint.__version__ == WEASYPRINT_VERSION and hasattr(fonts.Font, "_harfbuzz_subset"):
        fonts.Font._harfbuzz_subset = _harfbuzz_subset_once
        if getattr(fonts, "get_hb_object_data", None) is not None:
            global _original_face_data
            _original_face_data = fonts.get_hb_object_data
            fonts.get_hb_object_data = _face_data  # Font.__init__'s only use of it
    _installed = True


_original_face_data = None
_original_margin_boxes = None
# Named pages that never carry anything in their margins (the furniture document's
# placed heads and folios), and whether the document being laid out has nothing in
# any page margin (an issue's typeset parts).
BARE_PAGES = frozenset({"pubfur"})
_bare_document = False


def _margin_boxes(context, page, state):
    """WeasyPrint 70's ``make_margin_boxes``, skipped where no margin has content."""
    if _bare_document or page.page_type.name in BARE_PAGES:
        return ()
    return _original_margin_boxes(context, page, state)


@contextmanager
def bare_margins():
    """Lay out a document whose page margins are all empty without making their 16
    margin boxes a page (content: none everywhere: nothing would be drawn)."""
    global _bare_document
    was = _bare_document
    _bare_document = True
    try:
        yield
    finally:
        _bare_document = was

_FACE_BYTES: dict[tuple[int, int], bytes] = {}
_FACE_CACHE_MAX = 16  # faces; the manifest has seven
_CHECK = 4096


def forget_face_bytes() -> None:
    """Drop the copies of the font files (a process that renders no more)."""
    _FACE_BYTES.clear()


def _face_data(hb_object, ot_color=None, glyph=None):
    """``get_hb_object_data`` for a whole face, copied once per process (see above)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    if ot_color is not None:
        return _original_face_data(hb_object, ot_color, glyph)
    blob = harfbuzz.hb_face_reference_blob(hb_object)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        n = int(length[0])
        if data == ffi.NULL:
            return None
        if n < 4 * _CHECK:
            return ffi.unpack(data, n)
        key = (int(ffi.cast("uintptr_t", data)), n)
        cached = _FACE_BYTES.get(key)
        if (cached is not None and cached[:_CHECK] == ffi.unpack(data, _CHECK)
                and cached[-_CHECK:] == ffi.unpack(data + (n - _CHECK), _CHECK)):
            return cached
        out = ffi.unpack(data, n)
        if len(_FACE_BYTES) >= _FACE_CACHE_MAX:
            _FACE_BYTES.clear()
        _FACE_BYTES[key] = out
        return out
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _harfbuzz_subset_once(self, to_unicode, hinting):
    """WeasyPrint 70's ``Font._harfbuzz_subset`` in one pass (see the module notes);
    inside fontmerge.deferred() only a placeholder (the assembly subsets each face
    once for the whole issue)."""
    from .fontmerge import PLACEHOLDER_LENGTH, is_deferred

    if is_deferred() and not ("fvar" in self.tables or self.png or self.svg or self.colr):
        self.file_content = self.file_content[:PLACEHOLDER_LENGTH]
        return
    from weasyprint.logger import LOGGER
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    hb_subset = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(),
        harfbuzz_subset.hb_subset_input_destroy)
    gid_set = harfbuzz_subset.hb_subset_input_glyph_set(hb_subset)
    gid_array = ffi.new(f"hb_codepoint_t[{len(to_unicode)}]", sorted(to_unicode))
    harfbuzz.hb_set_add_sorted_array(gid_set, gid_array, len(to_unicode))
    flags = (
        harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS |
        harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED |
        harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if self.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(hb_subset, flags)
    drop_set = harfbuzz_subset.hb_subset_input_set(
        hb_subset, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    drop_tables = tuple(harfbuzz.hb_tag_from_string(name, -1) for name in (
        b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
        b"LTSH", b"PCLT", b"SVG "))
    drop_tables_array = ffi.new(f"hb_codepoint_t[{len(drop_tables)}]", drop_tables)
    harfbuzz.hb_set_add_sorted_array(drop_set, drop_tables_array, len(drop_tables))
    hb_face = ffi.gc(
        harfbuzz_subset.hb_subset_or_fail(self.hb_face, hb_subset),
        harfbuzz.hb_face_destroy)
    if hb_face:
        file_content = get_hb_object_data(hb_face)
        if file_content:
            self.file_content = file_content
            return
    LOGGER.warning('Unable to subset "%s" with HarfBuzz', self.family)


no_gc = paused  # (publisher/gcpause.py: the reader pauses it too)
