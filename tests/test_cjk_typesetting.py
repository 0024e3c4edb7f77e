"""Chinese typesetting (W3C clreq) measured on the rendered PDFs: glyph positions
from pdfplumber.  Renders are shared with test_pdf.py (one per input per session)."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pytest

from publisher.pdf import cjk
from publisher.pdf.html import BODY_SIZE, geometry
from publisher.pdf.measure import justification, lines_of
from publisher.render.markup import inline, stanzas, title_lines
from test_pdf import input_path, inputs, rendered

HAN = lambda ch: "\u4e00" <= ch <= "\u9fff"  # noqa: E731


@lru_cache(maxsize=8)
def measured(name: str):
    issue, r = rendered(input_path(name))
    lines = lines_of(r.pdf)
    rep = justification(r.pdf, geometry(issue.meta.page_size), first_folio=r.first_folio, lines=lines)
    return issue, r, rep, lines


# ---- Justification and line breaking ------------------------------------------------

@pytest.mark.parametrize("name", inputs())
def test_body_lines_reach_the_right_edge(name):
    """≥ 99.5% of non-final body lines end within 0.5 pt of the block's right edge
    (or hang a closing mark at most ½ em past it)."""
    issue, _, rep, _ = measured(name)
    # 25 lines where the body has the text for them; a photo page (103: 368 characters of
    # paragraphs, the rest captions) is held to a line for every 60 characters it has
    chars = sum(len(b.text) for a in issue.articles for b in a.blocks if b.type == "paragraph")
    assert rep.lines >= min(25, chars // 60), "too few body lines found: the measurement is not seeing the text"
    detail = [(ln.page + 1, ln.text[-8:], round(ln.x1, 1)) for ln in rep.short[:10]]
    assert rep.ratio >= 0.995, f"{rep.flush}/{rep.lines} flush; short: {detail}"


@pytest.mark.parametrize("name", inputs())
def test_kinsoku(name):
    """No body line starts with a closing mark or ends with an opening one;
    —— and …… are never split across lines."""
    _, _, rep, lines = measured(name)
    assert [ln.text[:6] for ln in rep.closing_starts] == []
    assert [ln.text[-6:] for ln in rep.opening_ends] == []
    body = [ln for ln in lines if ln.is_body]
    for a, b in zip(body, body[1:]):
        for mark in "—…":
            assert not (a.text.endswith(mark) and b.text.startswith(mark)), (a.text[-6:], b.text[:6])


def test_han_gaps_are_stretched_on_000():
    """Full lines reach the edge because Han–Han gaps take the extra width."""
    _, r, rep, lines = measured("000")
    assert rep.ratio >= 0.995
    gaps = Counter()
    for ln in lines:
        if not ln.is_body:
            continue
        for a, b in zip(ln.chars, ln.chars[1:]):
            if HAN(a["text"]) and HAN(b["text"]):
                gaps[round(b["x0"] - a["x1"], 1) > 0.05] += 1
    assert gaps[True] > 0.1 * (gaps[True] + gaps[False])


def test_the_measurement_fails_a_plain_weasyprint_render():
    """Sharpness of the check: the same issue without our justification (a plain
    WeasyPrint 70 render) falls well short of 99.5%."""
    import subprocess
    import sys

    code = (
        "import sys, publisher.pdf.cjk as c; c.install = lambda: None\n"
        "from publisher.reader import read_issue; from publisher.pdf import render_issue\n"
        "from publisher.pdf.measure import justification; from publisher.pdf.html import geometry\n"
        "i = read_issue(sys.argv[1]); r = render_issue(i)\n"
        "print(justification(r.pdf, geometry(i.meta.page_size)).ratio)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(input_path("000"))], capture_output=True, text=True, check=True)
    plain = float(out.stdout.strip().splitlines()[-1])
    assert plain < 0.95, plain


# ---- Punctuation compression and Han–Western spacing ------------------------------

@pytest.mark.parametrize("name", inputs())
def test_adjacent_punctuation_is_compressed(name):
    """In a pair like ”， or 。” the first mark takes half an em (clreq §3.1.6)."""
    _, _, _, lines = measured(name)
    pairs = []
    for ln in lines:
        if not ln.is_body:
            continue
        for a, b in zip(ln.chars, ln.chars[1:]):
            if a["text"] in "”’）》，。、；：？！" and b["text"] in "“‘（《”’）》，。、；：？！":
                pairs.append((a["text"] + b["text"], (b["x0"] - a["x0"]) / a["size"]))
    if name in ("sample", "000"):
        assert len(pairs) >= 5
    bad = [(p, round(adv, 2)) for p, adv in pairs if not 0.45 <= adv <= 0.6]
    assert bad == []


@pytest.mark.parametrize("name", inputs())
def test_quarter_em_between_han_and_western(name):
    """About ¼ em between Han and Latin letters/digits, with no literal space."""
    _, _, _, lines = measured(name)
    gaps = []
    for ln in lines:
        if not ln.is_body:
            continue
        for a, b in zip(ln.chars, ln.chars[1:]):
            if (HAN(a["text"]) and b["text"].isascii() and b["text"].isalnum()) or \
               (HAN(b["text"]) and a["text"].isascii() and a["text"].isalnum()):
                gaps.append(round((b["x0"] - a["x1"]) / a["size"], 2))
    if name in ("sample", "000"):
        assert len(gaps) >= 5
    assert all(0.2 <= g <= 0.4 for g in gaps), Counter(gaps).most_common(5)
    assert not any(" " in ln.text for ln in lines if ln.is_body and any(HAN(c) for c in ln.text))


# ---- The justification patch itself -------------------------------------------------

def test_gap_weights():
    assert cjk.gap_weights("中文") == [1.0]
    assert cjk.gap_weights("——") == [0.0]
    assert cjk.gap_weights("说……好") == [1.0, 0.0, 1.0]
    assert cjk.gap_weights("ab") == [0.0]
    assert cjk.gap_weights("a b") == [0.5, 0.5]
    assert cjk.gap_weights("中a") == [1.0]


@pytest.mark.parametrize("text", ["中文排版", "他说——好", "看……了", "GDP增长", "中 文", "a中——b……c"])
def test_char_spacings_give_each_gap_its_share(text):
    extra = 1.7
    s = cjk.char_spacings(text, extra)
    w = cjk.gap_weights(text)
    # Pango: gap i gets half of s[i] and half of s[i+1].
    for i, wi in enumerate(w):
        assert abs((s[i] + s[i + 1]) / 2 - extra * wi) < 1e-9
    assert abs(sum((s[i] + s[i + 1]) / 2 for i in range(len(w))) - extra * cjk.expandable_count(text)) < 1e-9


def test_install_is_tied_to_the_pinned_weasyprint():
    import weasyprint

    assert weasyprint.__version__ == cjk.WEASYPRINT_VERSION
    cjk.install()
    from weasyprint.layout import inline as wp_inline

    assert wp_inline.count_expandable_spaces.__module__ == cjk.__name__


# ---- The shared inline typography pass ----------------------------------------------

def test_inline_markup():
    html = str(inline("增长5.8%，达到“三农”工作"))
    assert '<span class="hw hw-l hw-r">5.8%</span>' not in html  # % then ， is not Han on the right
    assert '<span class="hw hw-l">5.8%</span>' in html
    assert str(inline("他说：“好。”")) .count('class="pc"') == 2  # ：“ and 。”
    assert str(inline("<b>&")) == "&lt;b&gt;&amp;"
    assert str(inline("第一，要抓", [[0, 3]])).startswith("<strong>第一，</strong>")


def test_title_lines_and_stanzas():
    assert [str(x) for x in title_lines("坚持首位战略 凝心聚力")] == ["坚持首位战略", "凝心聚力"]
    assert stanzas(["a", "b", "", "c"]) == [["a", "b"], ["c"]]


def test_body_size_is_the_measured_size():
    _, _, _, lines = measured("sample")
    sizes = Counter(round(ln.size, 1) for ln in lines)
    assert sizes.most_common(1)[0][0] == BODY_SIZE
