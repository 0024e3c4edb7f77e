"""An input without a 目录 block: one article, in one column named "".

The feature articles of the corpus look like this: a headline (sometimes broken
over two lines: ``守正创新 笃行致远`` / ``推动衡南高质量发展``), a ``——`` subtitle,
a credits line (``■策划 / … 文 / …``) or an author line with a role
(``衡南县委书记 许达``), then the text.
"""
from __future__ import annotations

from ..model import Article, Warning
from . import bylines, newspaper
from .articles import TITLE_MAX, Draft, _SUBTITLE, _unlisted_in, build_article, is_salutation
from .captions import DATELINE_RE
from .lines import SourceLine
from .shape import strip_markup, title_like

# The second line of a headline broken in two is short (a headline half).
SECOND_TITLE_LINE_MAX = 30


def read_single(lines: list[SourceLine]) -> tuple[list[Article], list[Warning]]:
    text = [strip_markup(sl.text) for sl in lines]
    n = len(lines)
    nonblank = [i for i in range(n) if text[i]]
    title_idx: list[int] = []
    if nonblank and title_like(text[nonblank[0]], TITLE_MAX) and not _SUBTITLE.match(text[nonblank[0]]):
        title_idx = [nonblank[0]]
        if len(nonblank) > 2:
            j, after = nonblank[1], nonblank[2]
            t = text[j]
            if (
                j - nonblank[0] <= 3
                and title_like(t, SECOND_TITLE_LINE_MAX)
                and not _is_head_line(t)
                # the body must go on after it: a second headline line is not the whole text
                and after > j
            ):
                title_idx.append(j)
    # the article spans the whole input: stray markup lines before the title are its head
    d = Draft(entry=None, column="", start=0, end=n, title_idx=title_idx)
    # several articles without a 目录: each further one starts at a headline + role byline
    kids = _unlisted_in(text, [False] * n, {i for i in range(n) if title_like(text[i], TITLE_MAX)}, d)
    if kids:
        # a newspaper page: story heads set in the flow of the text (indented like its
        # paragraphs, under an unindented page headline) or each under a kicker
        # (地点：…) are sections of one article (reader.newspaper), not further articles
        flow = bool(title_idx) and not _indented(lines[title_idx[0]].text)
        if all(_kicker_above(text, st) for st, _ in kids) or newspaper.stories_under_unsigned_head(text, title_idx, kids):
            kids = []
        elif flow:
            starts = [st for st, _ in kids if not _indented(lines[st].text)]
            kids = [(st, starts[k + 1] if k + 1 < len(starts) else n) for k, st in enumerate(starts)]
    warnings: list[Warning] = []
    drafts = [d]
    if kids:
        d.end = kids[0][0]
        for start, end in kids:
            drafts.append(Draft(entry=None, column="", start=start, end=end, title_idx=[start], unlisted=True))
            warnings.append(Warning("R209", f"a further article {text[start][:40]!r} in an input without 目录: split at its headline and byline", lines[start].number))
    articles: list[Article] = []
    for dr in drafts:
        art, w = build_article(lines, dr, toc_title=None, toc_authors=[], stripped=text)
        articles.append(art)
        warnings.extend(w)
    return articles, warnings


def _is_head_line(t: str) -> bool:
    """Subtitle, byline, credits, salutation or dateline: never part of a headline."""
    return bool(
        DATELINE_RE.match(t)
        or _SUBTITLE.match(t)
        or bylines.parse_byline(t) is not None
        or bylines.is_credits(t)
        or bylines.is_office(t)  # a role whose name is on the next line
        or is_salutation(t)
    )


def _indented(raw: str) -> bool:
    return raw[:1].isspace()


def _kicker_above(text: list[str], start: int) -> bool:
    """The nearest non-blank line above ``start`` is a story kicker (地点：云南普洱)."""
    k = start - 1
    while k >= 0 and not text[k]:
        k -= 1
    return k >= 0 and newspaper.is_kicker(text[k])
