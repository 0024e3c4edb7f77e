"""Author lines, credits and pen-name signatures → ``Author(name, role)``.

Shapes handled (each by form, with word tables for roles and organisations):

* role + name: ``中共衡东县委书记 谭建华``, ``衡东县发展和改革局党组书记、局长 周志波``;
* several names: ``陈康 苏伟哲``; a role for the names after it: ``通讯员 颜伶俐 王 峰``;
* a name the extraction split into single characters: ``唐 翔`` → 唐翔;
* an organisation as author: ``中共衡东县委研究中心``, ``县委政策研究室``;
* credits with labels: ``文/陈晓 图/王磊``, ``（文/… 摄/…）``,
  ``■策划 / 邓 智 统筹 / 李永民 文 / 衡阳日报全媒体记者 唐 翔`` — the writers
  (``文``, ``撰文``, ``作者``) become authors; the line itself stays in the body as a
  ``credits`` block;
* a pen-name signature closing an editorial: ``……增光添彩。（沫声）`` → 沫声, and a
  signature on a line of its own: ``（陈康 苏伟哲）``.

``（作者系…）`` is a note, not a byline: it is longer than a name and has ``系``.
"""
from __future__ import annotations

import re

from ..model import Author
from .shape import HAN, collapse_spaces, strip_markup

# A role ends with one of these (a title of office or a profession).
ROLE_SUFFIXES = (
    "书记",  # 中共衡东县委书记 谭建华, 高湖镇党委书记 谢志勇
    "县长", "市长", "区长", "镇长", "乡长", "省长", "州长",  # 县委副书记、县长 蒋崇华
    "局长", "厅长", "处长", "科长", "部长", "司长", "所长", "站长", "院长", "校长", "馆长", "行长", "社长", "队长", "组长",  # 科工信局党组书记、局长
    "主任", "主席", "会长", "理事长", "秘书长", "董事长", "总经理", "经理",  # 研究中心主任
    "委员", "常委", "代表",  # 县委常委、常务副县长
    "记者", "通讯员", "编辑", "主编", "总编", "评论员", "特约撰稿人",  # 衡阳日报全媒体记者 唐 翔, 通讯员 颜伶俐
    "教授", "研究员", "讲师", "教师", "医生", "作家", "诗人", "干部", "村民",
)
# An author that is an organisation ends with one of these.
ORG_SUFFIXES = (
    "研究中心", "中心",  # 中共衡东县委研究中心
    "研究室", "政策研究室", "办公室", "办公厅", "调研组", "课题组", "写作组", "编辑部",  # 县委政策研究室, 课题组
    "委员会", "党委", "党组", "县委", "市委", "政府", "局", "委", "办", "部", "厅", "院", "所",  # 县农业农村局
    "协会", "学会", "联合会", "研究会", "报社", "杂志社", "电视台", "公司", "银行", "学校", "大学",
    "党校", "学院", "医院", "法院", "检察院", "街道", "社区", "村委会",  # 县委党校 王五
)
# Credit labels in newspaper credits and bylines; writers become authors.
WRITER_LABELS = ("文", "撰文", "作者", "执笔", "撰稿")  # 文 / 衡阳日报全媒体记者 唐 翔
OTHER_LABELS = (
    "图", "摄", "摄影", "策划", "统筹", "编辑", "责编", "校对", "监制", "出品", "设计", "制图", "视频", "审核", "通讯员", "记者",
    "插图", "插画", "绘图", "漫画", "图片", "版式", "版式设计", "美编", "责任编辑", "审编", "审校", "总策划",
)
_LABEL_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s■□●◆|｜（(，,；;]))("
    + "|".join(sorted(WRITER_LABELS + OTHER_LABELS, key=len, reverse=True))
    + r")\s*[/／:：]\s*"
)
# What follows every label in _LABEL_RE: a line without one holds no label.
_LABEL_MARK = re.compile("[/／:：]")
# Words that close a text in parentheses but are not signatures.
NOT_SIGNATURES = ("待续", "未完", "完", "全文完", "续完", "节选", "有删节", "摘编", "摘录", "供稿", "原创", "图片", "资料")

# A personal name: 2–3 Han characters, 4 only with a two-character surname
# (欧阳海军), or a transcribed name with a middle dot (阿不都·热合曼).
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯", "公孙",
    "尉迟", "长孙", "宇文", "端木", "南宫", "独孤", "西门", "轩辕", "百里", "呼延", "万俟",
)
_NAME = re.compile(f"^(?:[{HAN}]{{2,3}}|(?:{'|'.join(COMPOUND_SURNAMES)})[{HAN}]{{1,2}}|[{HAN}]{{1,6}}·[{HAN}·]{{1,8}})$")
_SINGLE = re.compile(f"^[{HAN}]$")
_SENTENCE_MARK = re.compile(r"[。；！？!?;：:，,“”\"]")
_SIGNATURE_TAIL = re.compile(
    rf"^(?P<body>.*[。！？!?…”』」])\s*[（(]\s*(?P<names>[{HAN}·]{{2,4}}(?:[\s、，,]+[{HAN}·]{{2,4}})*)\s*[）)]\s*$"
)
_SIGNATURE_LINE = re.compile(rf"^[（(]\s*(?P<names>[{HAN}·]{{2,4}}(?:[\s、，,]+[{HAN}·]{{2,4}})*)\s*[）)]$")
_DASH_SIGNATURE = re.compile(r"^(?:——|—|--|－－)\s*(\S.{0,30})$")
_OUTER_PARENS = re.compile(r"^[（(](.*)[）)]$")


def is_role(token: str) -> bool:
    if _SENTENCE_MARK.search(token):
        return False
    if "、" in token:
        return True
    return any(token.endswith(s) for s in ROLE_SUFFIXES) and len(token) >= 2


# Characters of an administrative unit; a role standing alone on a line names one
# ("中共某某县委书记"), a headline half ending in 干部 usually does not.
OFFICE_CHARS = "省市县区镇乡村街局委部厅办院所党校社"


def is_office(token: str) -> bool:
    """A role of office on its own (``中共某某县委书记``): role-shaped and naming a unit."""
    return " " not in token and is_role(token) and any(c in token for c in OFFICE_CHARS)


def is_org(token: str) -> bool:
    return len(token) >= 4 and not _SENTENCE_MARK.search(token) and any(token.endswith(s) for s in ORG_SUFFIXES)


# Two- or three-character words that open a text under its headline and are not
# names (a 导语 or 题记 line where a byline would be).
NOT_NAMES = ("引言", "前言", "序言", "导语", "摘要", "后记", "附件", "附录", "结语", "按语", "编者按", "题记", "楔子", "尾声", "开篇", "序")


def is_name(token: str) -> bool:
    return bool(_NAME.match(token)) and not is_role(token) and token not in NOT_SIGNATURES and token not in NOT_NAMES


def _merge_single_chars(tokens: list[str]) -> list[str]:
    """``唐 翔`` → ``唐翔``: runs of single Han characters are one name split by extraction."""
    out: list[str] = []
    run: list[str] = []
    for t in tokens:
        if _SINGLE.match(t):
            run.append(t)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(t)
    if run:
        out.append("".join(run))
    return out


def parse_people(text: str) -> list[Author] | None:
    """Role/name tokens → authors, or None if the text is not just people and roles."""
    tokens = _merge_single_chars(collapse_spaces(text).split(" "))
    authors: list[Author] = []
    role: str | None = None
    role_open = False  # a role waiting for its name
    for t in tokens:
        if not t:
            continue
        if is_name(t):
            authors.append(Author(name=t, role=role))
            role_open = False
        elif is_role(t) or (is_org(t) and len(tokens) > 1):
            # "衡东县委常委 常务副县长 颜亚华": consecutive role tokens form one role
            role = f"{role} {t}" if role_open and role else t
            role_open = True
        else:
            return None
    if role_open:
        # a trailing role without a name: not a byline (unless it is an organisation)
        return None
    return authors or None


def parse_byline(text: str) -> list[Author] | None:
    """Authors if the whole line is a byline (``中共衡东县委书记 谭建华``), else None."""
    if _SENTENCE_MARK.search(text):
        # no name, role or organisation holds one (is_name, is_role, is_org): most body
        # lines stop here, before strip_markup (which removes none of these marks)
        return None
    t = strip_markup(text)
    m = _OUTER_PARENS.match(t)
    if m:
        t = m.group(1).strip()
    if not t or len(t) > 40:
        return None
    if is_credits(t):
        return None
    people = parse_people(t)
    if people is not None:
        return people
    if " " not in t and is_org(t):
        return [Author(name=t)]
    return None


def cannot_be_byline(text: str) -> bool:
    """No byline test accepts the line: it holds a mark no name, role or organisation
    has (``parse_byline``, ``is_office`` say no) and no label mark (``writer_byline``,
    ``is_credits`` say no).  Running text, most lines under a headline, stops here."""
    return _SENTENCE_MARK.search(text) is not None and _LABEL_MARK.search(text) is None


# A label glued to the name before it inside a credits line (策划 谷蓉文/… → 谷蓉 文/…).
_GLUED_LABEL_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])("
    + "|".join(sorted(WRITER_LABELS + OTHER_LABELS, key=len, reverse=True))
    + r")(?=\s*[/／])"
)
_LEAD_LABEL_RE = re.compile(
    r"^[■□●◆（(\s]*(?:" + "|".join(sorted(WRITER_LABELS + OTHER_LABELS, key=len, reverse=True)) + r")(?:\s*[/／:：]|\s+)"
)


def unglue_labels(text: str) -> str:
    """In a line that opens with a credit label (``■策划 谷蓉文/衡阳日报全媒体记者 刘思远 图/…``),
    a label run into the name before it is set apart: ``谷蓉 文/…``.  Other lines are unchanged."""
    if not _LEAD_LABEL_RE.match(text):
        return text
    labels = WRITER_LABELS + OTHER_LABELS

    def split(m: re.Match[str]) -> str:
        head = text[max(0, m.end() - 8) : m.end()]  # labels are short: a bounded look-back
        # the tail of a longer label (插图) is no label of its own
        if any(len(lb) > len(m.group(1)) and head.endswith(lb) for lb in labels):
            return m.group(1)
        return " " + m.group(1)

    return _GLUED_LABEL_RE.sub(split, text)


def is_credits(text: str) -> bool:
    """A credits line: labelled parts such as ``文/陈晓 图/王磊`` or ``■策划 / …``."""
    if not _LABEL_MARK.search(text):
        return False  # every label is followed by / or : (strip_markup removes neither)
    t = strip_markup(text)
    if len(t) > 200:
        return False
    t = unglue_labels(t)
    labels = _LABEL_RE.findall(t)
    if not labels:
        return False
    if t.lstrip("■□●◆（( ").startswith(tuple(WRITER_LABELS + OTHER_LABELS)) and _LABEL_RE.match(t.lstrip("■□●◆（( ")):
        return True
    return len(labels) >= 2


def credit_labels(text: str) -> list[str]:
    """The credit labels of a line, in order (``文/陈晓 插图/王磊`` → 文, 插图)."""
    return _LABEL_RE.findall(unglue_labels(strip_markup(text)))


def writer_byline(text: str) -> list[Author] | None:
    """A byline written with a writer label only: ``作者：李四``, ``文/陈晓``, ``撰文 | 王五``.

    Such a line is the byline itself (no photographer or editor to credit), so it is
    read as the authors rather than kept as a credits block.
    """
    if not _LABEL_MARK.search(text):
        return None  # every label is followed by / or : (strip_markup removes neither)
    t = strip_markup(text).lstrip("■□●◆ ")
    m = _OUTER_PARENS.match(t)
    if m:
        t = m.group(1).strip()
    labels = [x.group(1) for x in _LABEL_RE.finditer(t)]
    if not labels or any(lb not in WRITER_LABELS for lb in labels) or not _LABEL_RE.match(t):
        return None
    found = credit_authors(t)
    return found or None


def credit_authors(text: str) -> list[Author]:
    """The writers named in a credits line (``文 / 记者 唐 翔 通讯员 颜伶俐``)."""
    t = unglue_labels(strip_markup(text)).lstrip("■□●◆ ")
    m = _OUTER_PARENS.match(t)
    if m:
        t = m.group(1)
    parts = list(_LABEL_RE.finditer(t))
    authors: list[Author] = []
    for i, m in enumerate(parts):
        if m.group(1) not in WRITER_LABELS:
            continue
        end = parts[i + 1].start() if i + 1 < len(parts) else len(t)
        seg = t[m.end() : end].strip(" ，,；;）)")
        people = parse_people(seg)
        if people:
            authors.extend(people)
        elif seg:
            authors.extend(_names_after_units(seg))
    return authors


def _names_after_units(seg: str) -> list[Author]:
    """The names of a credit segment that is not all roles and names: a word before
    names is their unit (``最高人民法院刑一庭 南英`` → 南英 of 最高人民法院刑一庭)."""
    out: list[Author] = []
    unit: str | None = None
    for t in _merge_single_chars([x for x in re.split(r"[\s、，,]+", seg) if x]):
        if is_name(t):
            out.append(Author(name=t, role=unit))
        elif len(t) >= 2 and not _SENTENCE_MARK.search(t):
            unit = t
    return out


def split_signature(text: str) -> tuple[str, list[Author]] | None:
    """``……增光添彩。（沫声）`` → (``……增光添彩。``, [沫声]); None if no signature."""
    t = text.rstrip()
    if "）" not in t and ")" not in t:
        return None  # both shapes close a bracket
    cut = max(t.rfind("（"), t.rfind("("))  # the signature is the last parenthesis (linear)
    if cut > 0 and t[:cut].rstrip()[-1:] in "。！？!?…”』」" and (reporters := reported_line(t[cut:])):
        return t[:cut].rstrip(), reporters
    m = _SIGNATURE_TAIL.match(text.rstrip())
    if not m:
        return None
    names = _names(m.group("names"))
    if not names:
        return None
    return m.group("body").rstrip(), names


# A reporter's signature: （本报记者程焕采访整理） / （记者 张三 李四 报道）
_REPORTED = (
    rf"[（(]\s*(?P<role>(?:本报|本刊|新华社)?(?:特约|见习)?(?:记者|通讯员))\s*"
    rf"(?P<names>[{HAN}]{{2,3}}?(?:[\s、，,]+[{HAN}]{{2,3}}?)*)\s*(?:采访整理|整理|采写|报道|综合报道)?\s*[）)]"
)
_REPORTED_LINE = re.compile(rf"^{_REPORTED}$")


def _reported(m: re.Match[str]) -> list[Author]:
    names = _names(m.group("names"))
    return [Author(a.name, m.group("role")) for a in names if a.name not in _REPORT_WORDS]


_REPORT_WORDS = ("采访整理", "整理", "采写", "报道", "综合报道")


def reported_line(text: str) -> list[Author] | None:
    """The reporters of a reporter's signature alone on its line
    (``（本报记者程焕采访整理）``, ``（记者 张三 李四 报道）``), else None."""
    if "）" not in text and ")" not in text:
        return None  # the signature closes with a bracket (unpad adds none): most lines stop here
    m = _REPORTED_LINE.match(unpad(text))
    return (_reported(m) or None) if m else None


def unpad(text: str) -> str:
    """Runs of spaces collapsed and a name padded to the width of three joined:
    ``（本报记者  王  浩采访整理）`` → ``（本报记者 王浩采访整理）``."""
    t = collapse_spaces(strip_markup(text))
    return _PADDED_CHAR.sub(_first_group, t) if " " in t else t


# A lone character of a name padded to the width of three (王  浩).
_PADDED_CHAR = re.compile(rf"(?<= )([{HAN}]) (?=[{HAN}])")


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)  # a function, not the template r"\1": re looks a template up anew on every call (≈6 µs)


def split_reported(text: str) -> tuple[str, str, list[Author]] | None:
    """``……最好的时代。（本报记者程焕采访整理）`` → (paragraph, signature, reporters); None
    unless a reporter's signature closes a finished sentence."""
    t = text.rstrip()
    cut = max(t.rfind("（"), t.rfind("("))
    if cut <= 0 or t[:cut].rstrip()[-1:] not in "。！？!?…”』」":
        return None
    people = reported_line(t[cut:])
    return (t[:cut].rstrip(), t[cut:], people) if people else None


def signature_line(text: str, stripped: str | None = None) -> list[Author] | None:
    """A signature alone on its line: ``（陈康 苏伟哲）``, ``——本刊评论员 王平``,
    ``（本报记者程焕采访整理）``.  ``stripped``: ``strip_markup(text)``, if already known."""
    t = strip_markup(text) if stripped is None else stripped
    reporters = reported_line(t)
    if reporters:
        return reporters
    if t[:1] not in _SIGNATURE_OPENS:
        return None  # both shapes below open with a bracket or a dash
    m = _SIGNATURE_LINE.match(t)
    if m:
        return _names(m.group("names")) or None
    m = _DASH_SIGNATURE.match(t)
    if m:
        if _EDITORS.match(collapse_spaces(m.group(1))):
            return None  # ——编  者: the editors sign a note, they are not its authors
        return parse_byline(m.group(1))
    return None


_EDITORS = re.compile(r"^(?:编\s*者|(?:本[报刊])?编\s*辑\s*部)$")
# The first characters of a signature line: a bracket (_SIGNATURE_LINE) or a dash
# (_DASH_SIGNATURE).
_SIGNATURE_OPENS = ("（", "(", "—", "-", "－")


def _names(s: str) -> list[Author]:
    parts = [p for p in re.split(r"[\s、，,]+", s.strip()) if p]
    if not parts or any(not is_name(p) for p in parts):
        return []
    return [Author(name=p) for p in parts]


def toc_authors(text: str) -> list[Author]:
    """The ``/author`` part of a 目录 entry; an unparsable part is kept whole as a name."""
    people = parse_byline(text)
    if people:
        return people
    if is_credits(text):
        found = credit_authors(text)
        if found:
            return found
    t = collapse_spaces(strip_markup(text))
    return [Author(name=t)] if t else []


def merge_authors(primary: list[Author], secondary: list[Author]) -> list[Author]:
    """``primary`` first, then names from ``secondary`` not already present (roles filled in)."""
    out = [Author(a.name, a.role) for a in primary]
    if not secondary:
        return out
    seen = {a.name: a for a in out}
    for a in secondary:
        if a.name in seen:
            if not seen[a.name].role and a.role:
                seen[a.name].role = a.role
            continue
        out.append(Author(a.name, a.role))
        seen[a.name] = out[-1]
    return out
