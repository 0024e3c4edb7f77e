"""Web and converter debris: lines a copying tool or a web page added to the text.

Read before anything is classified, so none of them becomes a title, an author or
body text.  Each dropped line is named by one warning (so it stays accounted for);
what it says about the issue (a date, a source) is read into ``TextMeta``.

* a converter's YAML front matter (``---`` / ``key: value`` … / ``---``) — R051;
* a web page's furniture: short lines of button words (``下载`` ``打印`` ``全屏``
  ``收藏``), a line of several of them, the font-size switch ``【字号：大 中 小】``
  (whole or broken over lines), bare section labels at the end (``相关报道：``) — R052;
* a web copy's labelled facts ``来源：…`` ``时间：…`` ``发布日期：…`` near the head — R053
  (a date is read as the issue date when nothing better says it);
* a legal database's header: ``文章属性``, ``【制定机关】…`` lines, ``正文`` — R054;
* HTML remnants: lines that are only tags or comments (``</div>``, ``<br/>``) — R055;
* a converter's source line ``> 《人民日报》（2026年03月13日第 11 版）`` under the
  headline: read as the masthead and date — R056.

The rules are data (word lists below, each naming the case it came from) and
shapes (a line made only of such tokens; a run of ``【label】value`` lines), never
one file's strings.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..model import Warning
from .lines import SourceLine

W_FRONT_MATTER = "R051"
W_WEB_FURNITURE = "R052"
W_WEB_FACT = "R053"
W_DATABASE_HEADER = "R054"
W_HTML = "R055"
W_SOURCE_LINE = "R056"
DEBRIS_CODES = frozenset({W_FRONT_MATTER, W_WEB_FURNITURE, W_WEB_FACT, W_DATABASE_HEADER, W_HTML, W_SOURCE_LINE})

# Buttons and switches of a government / news web page, as a copy-paste keeps them
# (corpus-wild 104, a provincial government site: 下载 打印 全屏 收藏 【字号： 加大 还原 减小 】).
BUTTON_WORDS = frozenset(
    """下载 打印 全屏 收藏 分享 关闭 关闭窗口 返回 返回顶部 打印本页 打印正文 关闭本页 纠错 我要纠错
    字号 字体 大 中 小 加大 还原 减小 放大 缩小 默认 扫一扫 微信 微博 朋友圈 QQ 复制链接 保存 保存本页
    分享到 在手机上阅读 手机阅读 语音播报 视力保护色""".split()
)
# Labels of the font-size switch that open or close it: 【字号：大 中 小】 (104).
SWITCH_LABELS = ("字号", "字体")
# Bare section labels a page prints after the text, with links that were not copied (104: 相关报道：).
TAIL_LABELS = frozenset("相关报道 相关新闻 相关阅读 相关链接 延伸阅读 推荐阅读 热点推荐 责任编辑 扫码阅读 附件".split())
# Labelled facts a web copy prints under the headline (104: 来源：湖南日报 / 时间：2026-02-24).
FACT_LABELS = frozenset("来源 时间 发布时间 发布日期 日期 信息来源 文章来源 浏览次数 点击数 阅读量".split())
DATE_LABELS = frozenset("时间 发布时间 发布日期 日期".split())
# A legal database's record header (北大法宝-style exports): 文章属性 / 【制定机关】… / 正文.
DATABASE_WORDS = frozenset("文章属性 正文 全文 法规全文 相关文件".split())
# The record's fields, 【制定机关】全国人民代表大会 …: a header has at least two of them.
DATABASE_FIELDS = frozenset(
    "制定机关 发布部门 颁布部门 发文字号 公布日期 发布日期 颁布日期 施行日期 实施日期 失效日期 时效性 "
    "效力级别 效力位阶 法规类别 专题分类 批准日期 修订日期 标题 来源".split()
)

_TOKEN_SPLIT = re.compile(r"[\s\u3000\u00a0【】\[\]|｜/:：]+")
# A character neither in a button word nor a separator: a line holding one is no button line.
_NOT_BUTTON = re.compile(r"[^\s\u3000\u00a0【】\[\]|｜/:：" + re.escape("".join(sorted(set("".join(BUTTON_WORDS))))) + "]")
_FACT_RE = re.compile(r"^([\u4e00-\u9fff]{2,4})[：:]\s*(.{0,40})$")
_BRACKET_FIELD_RE = re.compile(r"^【([\u4e00-\u9fff]{2,6})】\s*(.{0,80})$")
_HTML_RE = re.compile(r"^(?:\s*(?:</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->|&nbsp;))+\s*$")
_ISO_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")
_SOURCE_LINE_RE = re.compile(r"^>?\s*《([^》]{2,20})》\s*[（(]([^）)]{4,40})[）)]\s*$")
_FM_KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*)$")
FRONT_MATTER_MAX = 60  # lines: a longer block between --- is not front matter
HEAD_ZONE = 40  # non-blank lines: how far into the text furniture and facts are looked for
PROSE_MIN = 40  # characters: a line this long with a sentence stop is the text itself


@dataclass
class TextMeta:
    """What the text's own lines say about the issue (filled only from the text)."""

    magazine: str = ""
    issue_label: str = ""
    date: str | None = None
    source: dict[str, str] = field(default_factory=dict)  # front matter keys, web facts


def iso_date(text: str) -> str | None:
    m = _ISO_DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        day = datetime.date(y, mo, d)  # a day the calendar has (not 2019-02-30)
    except ValueError:
        return None
    return day.isoformat() if 1900 <= y <= 2200 else None


def front_matter_span(lines: list[SourceLine]) -> tuple[int, int] | None:
    """Indexes [first, last] of a YAML front matter block opening the input, or None."""
    first = next((i for i, sl in enumerate(lines) if sl.text.strip()), None)  # the first non-blank line
    if first is None or lines[first].text.strip() != "---":
        return None
    for j in range(first + 1, min(len(lines), first + FRONT_MATTER_MAX)):
        t = lines[j].text.strip()
        if t == "---":
            inner = [lines[k].text.strip() for k in range(first + 1, j) if lines[k].text.strip()]
            if inner and sum(bool(_FM_KEY_RE.match(x)) for x in inner) >= 0.8 * len(inner):
                return first, j
            return None
    return None


def _yaml_value(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    return v.strip()


def is_button_line(text: str) -> bool:
    """A line made only of web buttons / switch pieces: ``下载``, ``【字号：``, ``】``,
    ``下载 打印 全屏 收藏 【字号：大 中 小】``."""
    t = text.strip()
    if not t or len(t) > 40:
        return False
    if t in ("】", "【", "]", "["):
        return True
    if _NOT_BUTTON.search(t):
        return False  # a token holding it is no button word
    tokens = [x for x in _TOKEN_SPLIT.split(t) if x]
    if not tokens:
        return False
    return all(x in BUTTON_WORDS for x in tokens)


_PROSE_PUNCT_RE = re.compile("[。！？；，]")


def _is_prose(text: str) -> bool:
    return len(text) >= PROSE_MIN and bool(_PROSE_PUNCT_RE.search(text))


def find_debris(lines: list[SourceLine]) -> tuple[set[int], list[Warning], TextMeta]:
    """Indexes of debris lines in ``lines``, a warning for each, and what they say."""
    drop: set[int] = set()
    warnings: list[Warning] = []
    meta = TextMeta()

    def mark(i: int, code: str, msg: str) -> None:
        drop.add(i)
        warnings.append(Warning(code, msg, lines[i].number))

    fm = front_matter_span(lines)
    if fm:
        a, b = fm
        for i in range(a, b + 1):
            t = lines[i].text.strip()
            if not t:
                continue
            m = _FM_KEY_RE.match(t)
            if m and t != "---":
                key, val = m.group(1).lower(), _yaml_value(m.group(2))
                if val:
                    meta.source[key] = val
                if key == "date" and iso_date(val):
                    meta.date = iso_date(val)
                mark(i, W_FRONT_MATTER, f"front matter read as metadata, not text: {t[:60]!r}")
            else:
                mark(i, W_FRONT_MATTER, f"front matter fence dropped: {t!r}")
    head: list[int] = []  # the first HEAD_ZONE non-blank lines
    for i, sl in enumerate(lines):
        if sl.text.strip() and i not in drop:
            head.append(i)
            if len(head) == HEAD_ZONE:
                break
    # the head zone ends at the first line of running text
    for k, i in enumerate(head):
        if _is_prose(lines[i].text.strip()):
            head = head[:k]
            break
    in_switch = False
    db_fields = [
        i for i in head
        if (m := _BRACKET_FIELD_RE.match(lines[i].text.strip())) and m.group(1) in DATABASE_FIELDS
    ]
    for i in head:
        t = lines[i].text.strip()
        if in_switch or is_button_line(t) or (t.startswith("【") and t.strip("【：:").strip() in SWITCH_LABELS):
            in_switch = (in_switch or "【" in t) and "】" not in t
            mark(i, W_WEB_FURNITURE, f"web page furniture dropped: {t!r}")
            continue
        m = _FACT_RE.match(t)
        if m and m.group(1) in FACT_LABELS and m.group(2):
            label, val = m.group(1), m.group(2).strip()
            meta.source.setdefault(label, val)
            if label in DATE_LABELS and iso_date(val) and meta.date is None:
                meta.date = iso_date(val)
            mark(i, W_WEB_FACT, f"web page fact read as metadata, not text: {t!r}")
            continue
        if len(db_fields) >= 2 and (i in db_fields or t in DATABASE_WORDS):
            mark(i, W_DATABASE_HEADER, f"database record header dropped: {t[:60]!r}")
            continue
        m = _SOURCE_LINE_RE.match(t)
        if m and iso_date(m.group(2)):
            meta.magazine = meta.magazine or m.group(1)
            meta.date = meta.date or iso_date(m.group(2))
            mark(i, W_SOURCE_LINE, f"source line read as metadata (masthead, date): {t!r}")
            continue
    # after the last line of running text: bare labels, buttons, HTML
    furniture: dict[str, bool] = {"": False}  # a tail of many lines repeats them: each distinct one is read once
    seen = furniture.get
    texts = [sl.text for sl in lines]
    for i in range(len(texts) - 1, -1, -1):  # (a blank line is neither prose nor furniture)
        if drop and i in drop:
            continue
        raw = texts[i]
        is_furniture = seen(raw)
        if is_furniture is None:
            t = raw.strip()
            if len(t) >= PROSE_MIN and _is_prose(t):
                break
            is_furniture = furniture[raw] = t.rstrip("：:") in TAIL_LABELS and t.rstrip("：:") != t or is_button_line(t)
        if is_furniture:
            mark(i, W_WEB_FURNITURE, f"web page furniture dropped: {raw.strip()!r}")
    for i in [i for i, sl in enumerate(lines) if "<" in sl.text]:  # no tag without it
        if i not in drop and _HTML_RE.match(lines[i].text):
            mark(i, W_HTML, f"HTML remnant dropped: {lines[i].text.strip()[:60]!r}")
    warnings.sort(key=lambda w: w.line or 0)
    return drop, warnings, meta


def blank_out(lines: list[SourceLine], drop: set[int]) -> list[SourceLine]:
    """The lines with the dropped ones left blank (line numbers unchanged)."""
    if not drop:
        return list(lines)
    return [SourceLine(sl.number, "") if i in drop else sl for i, sl in enumerate(lines)]


# An issue label as a running head or cover line prints it: 1999年第1期（总第1期）, 2023年第1期.
_ISSUE_LABEL_RE = re.compile(r"(\d{4}\s*年\s*第\s*\d{1,3}\s*期(?:\s*[（(]\s*总第\s*\d+\s*期\s*[）)])?)")
ISSUE_LINE_MAX = 30  # characters: a longer line naming an issue is a sentence, not a head
_MASTHEAD_RE = re.compile(r"^[\u4e00-\u9fff]{2,12}$")
COVER_ZONE = 12  # non-blank lines at the top where a cover prints masthead and issue label


_BARE_RE = re.compile(r"^[#>\s*]+|(?<![#*\s])[#*\s]+$")  # the tail from its run's start: linear


def _bare(text: str) -> str:
    return _BARE_RE.sub("", text)


def running_meta(lines: list[SourceLine]) -> TextMeta:
    """Issue label and masthead from the text's running heads and cover lines: the
    issue label printed most often on short lines, and a masthead-shaped line
    (2–12 Han characters) next to it on the cover (101: 1999年第1期（总第1期） / # 刑事审判参考)."""
    out = TextMeta()
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    if not any("期" in sl.text for sl in lines):
        return out  # no issue label without it
    nonblank = [i for i, sl in enumerate(lines) if sl.text.strip()]
    labels: dict[str, str | None] = {}  # line → the label it prints (a running head recurs)
    for k in [k for k, i in enumerate(nonblank) if "期" in lines[i].text]:  # no issue label without it
        raw = lines[nonblank[k]].text
        if raw not in labels:
            t = _bare(raw)
            m = _ISSUE_LABEL_RE.search(t) if len(t) <= ISSUE_LINE_MAX else None
            labels[raw] = re.sub(r"\s+", "", m.group(1)) if m else None
        label = labels[raw]
        if label:
            counts[label] = counts.get(label, 0) + 1
            first_seen.setdefault(label, k)
    if not counts:
        return out
    label = max(counts, key=lambda x: (counts[x], -first_seen[x]))
    out.issue_label = label
    k = first_seen[label]
    if k < COVER_ZONE:
        for j in (k + 1, k - 1):
            if 0 <= j < len(nonblank):
                t = _bare(lines[nonblank[j]].text)
                if _MASTHEAD_RE.match(t):
                    out.magazine = t
                    break
    return out
