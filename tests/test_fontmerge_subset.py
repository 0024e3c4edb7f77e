"""The book's font cuts (pdf/fontmerge.subset_font) on real glyph sets."""
from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import SAMPLE, corpus_files
from publisher.pdf.fontmerge import subset_font

KAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


@pytest.mark.skipif(not KAI.is_file(), reason="fonts-lxgw-wenkai is installed by the set-up")
def test_kai_cut_for_the_text_of_every_input():
    """HarfBuzz failed to cut LXGW WenKai for the 合订本 of every corpus issue (its GDEF
    could not be packed with glyph ids kept); the cut drops GDEF, as it drops GSUB/GPOS."""
    text = "".join(p.read_text(encoding="utf-8-sig", errors="replace") for p in [SAMPLE, *corpus_files()])
    font = TTFont(str(KAI), lazy=True)
    cmap = font.getBestCmap()
    order = {name: i for i, name in enumerate(font.getGlyphOrder())}
    glyphs = {order[cmap[ord(c)]] for c in set(text) if ord(c) in cmap}
    assert len(glyphs) > 500
    cut = subset_font(KAI, glyphs)
    assert cut[:4] in (b"\x00\x01\x00\x00", b"true")
