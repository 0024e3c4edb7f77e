"""Package metadata: identifier, dates, collection, creators, accessibility."""
from __future__ import annotations

import datetime as dt
import os
import re
import uuid

from ..errors import PublisherError
from ..model import Issue
from .documents import book_title, is_single_piece, neutral_title

# uuid5 namespace for publisher identifiers (uuid5 of the project's URL namespace).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://publisher.invalid/epub-identifier")
# dcterms:modified (EPUB 3 requires one) and the zip timestamps of an issue dated nowhere
# (no date or year in the sidecar, the command line or the text) and built without
# SOURCE_DATE_EPOCH: a fixed instant, never the clock or a file's mtime, so that the same
# input gives the same bytes.  date_warning says so and how to give the real date.
FALLBACK_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def identifier(issue: Issue) -> str:
    """The same issue always gets the same id: a uuid5 of magazine + issue label.

    Without them (a single article) the title and the authors stand in.
    """
    m = issue.meta
    if m.magazine or m.issue_label:
        key = f"issue\n{m.magazine.strip()}\n{m.issue_label.strip()}"
    else:
        authors = ",".join(a.name for art in issue.articles for a in art.authors)
        key = f"piece\n{book_title(issue)}\n{authors}\n{m.name}"
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def editorial_office(issue: Issue) -> str:
    """Who made the issue: the publisher, else the magazine's editorial office, else
    佚名 (a single piece whose authors and publisher are unknown) or 编辑部."""
    m = issue.meta
    if m.publisher:
        return m.publisher
    if m.magazine:
        return f"《{m.magazine}》编辑部" if not is_single_piece(issue) else m.magazine
    return "佚名" if is_single_piece(issue) else "编辑部"


def build_time(issue: Issue) -> dt.datetime:
    """dcterms:modified and the zip timestamps: the issue's date, else SOURCE_DATE_EPOCH.

    Never the clock, so that two builds of one input are byte-identical.
    """
    d = issue.meta.date
    if d:
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?", d.strip())
        if m:
            y, mo, day, h, mi, s = (int(x) if x else 0 for x in m.groups())
            try:
                return dt.datetime(y, mo, day, h, mi, s, tzinfo=dt.timezone.utc)
            except ValueError:
                pass
        m = re.match(r"^(\d{4})-(\d{2})$", d.strip())
        if m:
            return dt.datetime(int(m[1]), int(m[2]), 1, tzinfo=dt.timezone.utc)
        raise PublisherError(f"metadata date {d!r}: use an ISO date such as 2024-04-01")
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if sde:
        try:
            return dt.datetime.fromtimestamp(int(sde), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PublisherError(f"SOURCE_DATE_EPOCH={sde!r} is not a Unix time") from None
    if issue.meta.year:
        return dt.datetime(issue.meta.year, 1, 1, tzinfo=dt.timezone.utc)
    return FALLBACK_DATE


def date_warning(issue: Issue, sidecar: str) -> str | None:
    """The one warning for an issue dated nowhere (no date or year in the sidecar, the
    command line or the text): what the outputs carry instead and the exact fix.
    ``sidecar`` is the name of the input's sidecar TOML."""
    if issue.meta.date or issue.meta.year:
        return None
    stamp = ("SOURCE_DATE_EPOCH's" if os.environ.get("SOURCE_DATE_EPOCH", "").strip()
             else f"the fixed {FALLBACK_DATE:%Y-%m-%d}")
    return (f"no date in the sidecar, the command line or the text: the e-book has no dc:date and "
            f"its dcterms:modified (with the PDF's dates) is {stamp}; add date = \"YYYY-MM-DD\" "
            f"to {sidecar} or pass --date YYYY-MM-DD")


def w3c_date(issue: Issue) -> str | None:
    """dc:date: the issue's date as given (YYYY[-MM[-DD]]), else its year; None (no
    dc:date at all, nothing invented) when neither is known."""
    if issue.meta.date and re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", issue.meta.date):
        return issue.meta.date.strip()[:10]
    if issue.meta.year:
        return str(issue.meta.year)
    return None


def apply(book, issue: Issue, *, uid: str, has_pages: bool, has_images: bool) -> None:
    """Fill an ebooklib EpubBook's metadata."""
    m = issue.meta
    lang = m.language or "zh-CN"
    book.metadata.clear()  # drop ebooklib's generator line and its random identifier
    book.set_identifier(uid)
    title = book_title(issue)
    book.title = title
    book.add_metadata("DC", "title", title, {"id": "title"})
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    book.set_language(lang)
    if m.issn:
        book.add_metadata("DC", "identifier", f"urn:issn:{m.issn.strip()}", {"id": "issn"})
    date = w3c_date(issue)
    if date:
        book.add_metadata("DC", "date", date)
    if m.publisher:
        book.add_metadata("DC", "publisher", m.publisher)

    # Creators: for an issue its editorial office (the publisher, else the magazine's
    # 编辑部), with the articles' authors as contributors; for a single piece its
    # authors, else whoever published it.  Never none: a reading system would say
    # "Unknown".
    people = list(dict.fromkeys(a.name for art in issue.articles for a in art.authors if a.name))
    if is_single_piece(issue) and people:
        creators, role, contributors = people, "aut", []
    else:
        creators, role, contributors = [editorial_office(issue)], "edt", people
        if is_single_piece(issue):
            # whoever published an unsigned piece, with no relator role: calibre takes
            # only aut, edt or unroled creators as authors (a "pbl" one read "Unknown")
            role = None if (m.publisher or m.magazine) else "aut"
    for n, name in enumerate(creators, 1):
        book.add_metadata("DC", "creator", name, {"id": f"creator{n:02d}"})
        if role:
            book.add_metadata(None, "meta", role, {"refines": f"#creator{n:02d}", "property": "role", "scheme": "marc:relators"})
    for i, name in enumerate(contributors, 1):
        book.add_metadata("DC", "contributor", name, {"id": f"contrib{i:02d}"})
        book.add_metadata(None, "meta", "aut", {"refines": f"#contrib{i:02d}", "property": "role", "scheme": "marc:relators"})

    # The magazine as a collection, this issue's place in it.  Without a magazine name
    # the publisher, else the input's neutral name (never an article's headline), names
    # the collection, so that reading systems (and `publisher validate`, E503) find one.
    collection = m.magazine or m.publisher or neutral_title(issue)
    book.add_metadata(None, "meta", collection, {"property": "belongs-to-collection", "id": "magazine"})
    if m.magazine:
        book.add_metadata(None, "meta", "series", {"refines": "#magazine", "property": "collection-type"})
    if m.number is not None:
        book.add_metadata(None, "meta", str(m.number), {"refines": "#magazine", "property": "group-position"})

    # The print edition the page-list refers to (EPUB Accessibility: the source of the
    # pagination).  The page-list holds each article's first page, not every page
    # boundary of the print edition, so printPageNumbers is not claimed.
    if has_pages:
        src = f"urn:issn:{m.issn.strip()}" if m.issn else f"{title}（印刷版）"
        book.add_metadata("DC", "source", src, {"id": "print-source"})
        book.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})

    # schema.org accessibility metadata (EPUB Accessibility 1.1 discovery metadata).
    book.add_metadata(None, "meta", "textual", {"property": "schema:accessMode"})
    if has_images:
        book.add_metadata(None, "meta", "visual", {"property": "schema:accessMode"})
    book.add_metadata(None, "meta", "textual", {"property": "schema:accessModeSufficient"})
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "displayTransformability"]
    for f in features:
        book.add_metadata(None, "meta", f, {"property": "schema:accessibilityFeature"})
    book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
    summary = (
        "本书为可重排的文字版，标题层级与阅读顺序与印刷版一致，导航目录按栏目列出全部文章"
        + ("，并标注各篇文章在印刷版中的起始页码" if has_pages else "")
        + "；封面图片附有文字说明。字号、字体与颜色可由阅读软件调整。"
    )
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
