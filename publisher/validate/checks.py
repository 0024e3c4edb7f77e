"""The result of one check, the table of check codes, and a file's results.

A :class:`Check` is one finding: a stable ``code`` (``E110``, ``P300``, or an
EPUBCheck ID such as ``RSC-005``), a ``severity``, the ``file`` and the
``location`` inside it (a path in the EPUB with ``:line:col``, or ``page N``),
and a one-line ``message``.  Errors and warnings fail; ``usage`` findings (EPUBCheck
feature-usage messages) are shown and never fail.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
USAGE = "usage"
SEVERITIES = (ERROR, WARNING, USAGE)
FAILING = (ERROR, WARNING)


@dataclass(frozen=True)
class Code:
    code: str
    kind: str  # "epub", "pdf" or "any"
    title: str  # what passing means, e.g. "every font embedded"


# The stable codes.  Never renumber; retire a code rather than reuse it.  The table in
# docs/validate.md is generated from (and tested against) this one.
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # --- any file --------------------------------------------------------------
        Code("V001", "any", "the file can be read"),
        Code("V002", "any", "the path is a regular file (not a FIFO, device or folder), checked before opening"),
        Code("V003", "any", "the file's checks finish within the memory limit"),
        Code("V004", "any", "the file's checks finish within the time limit"),
        Code("V005", "any", "the file's checks run to the end (the checking process did not crash)"),
        # --- EPUB ------------------------------------------------------------------
        Code("EPUBCHECK", "epub", "EPUBCheck reports no error and no warning"),
        Code("ACE", "epub", "DAISY Ace reports no accessibility violation (with --a11y)"),
        Code("E001", "epub", "the file is a ZIP container with a readable package document"),
        Code("E002", "epub", "every XHTML document is well-formed XML"),
        Code("E003", "epub", "every spine and manifest file named by the package exists"),
        Code("E010", "epub", "every ZIP member inflates to no more than the member size limit"),
        Code("E011", "epub", "every ZIP member's compression ratio is within the limit"),
        Code("E012", "epub", "the ZIP members' number and total inflated size are within the limits"),
        Code("E020", "epub", "no XML member has a DOCTYPE other than EPUB 3's plain DOCTYPE html (no DTD, no entities)"),
        Code("E100", "epub", "a nav document with a toc nav exists"),
        Code("E101", "epub", "the nav lists every article, each once, in reading order"),
        Code("E102", "epub", "the contents page and the nav list the same articles in the same order"),
        Code("E103", "epub", "every spine document is reachable from the nav by following links"),
        Code("E104", "epub", "every nav link points to a document in the package"),
        Code("E105", "epub", "the nav lists the articles of the source issue (--source), titles and order"),
        Code("E200", "epub", "zh-CN is the publication language and every document declares it"),
        Code("E300", "epub", "every embedded font can be read"),
        Code("E301", "epub", "every embedded font covers every character set in it"),
        Code("E302", "epub", "every embedded font is a subset of the characters the book uses"),
        Code("E400", "epub", "no spine document is empty"),
        Code("E401", "epub", "every image has alt text"),
        Code("E500", "epub", "metadata: identifier"),
        Code("E501", "epub", "metadata: title"),
        Code("E502", "epub", "metadata: dcterms:modified"),
        Code("E503", "epub", "metadata: belongs-to-collection"),
        # --- PDF -------------------------------------------------------------------
        Code("P001", "pdf", "the PDF opens and its structure checks clean (qpdf)"),
        Code("P010", "pdf", "the page tree holds no more pages than the page limit"),
        Code("P011", "pdf", "every stream decodes to no more than the stream size limit"),
        Code("P012", "pdf", "every content stream has no more operators than the operator limit"),
        Code("P100", "pdf", "every font is embedded"),
        Code("P101", "pdf", "every embedded font is a subset"),
        Code("P102", "pdf", "no .notdef glyph is drawn"),
        Code("P200", "pdf", "an outline (bookmarks) is present"),
        Code("P201", "pdf", "every outline entry points to a page of the document"),
        Code("P202", "pdf", "the outline lists the articles of the source issue (--source), titles and order"),
        Code("P203", "pdf", "every outline entry's title is printed on the page it points to"),
        Code("P300", "pdf", "every contents-page number equals the printed page number of its target"),
        Code("P301", "pdf", "every contents entry's title is printed on the page it points to"),
        Code("P302", "pdf", "every internal link points to a page of the document"),
        Code("P400", "pdf", "trim and bleed boxes are consistent"),
        Code("P401", "pdf", "a print PDF has a page count that is a multiple of 4"),
        Code("P500", "pdf", "document title set"),
        Code("P501", "pdf", "document language set to zh-CN"),
        Code("P600", "pdf", "a PDF/X file has one GTS_PDFX output intent with an embedded CMYK output profile"),
        Code("P601", "pdf", "a PDF/X file paints nothing in DeviceRGB (colour operators, images)"),
        Code("P602", "pdf", "a PDF/X file's pages have a TrimBox, and TrimBox ⊆ BleedBox ⊆ MediaBox"),
        Code("P603", "pdf", "a PDF/X file has no annotation or form field in the page area"),
        Code("P604", "pdf", "a PDF/X file is PDF 1.6 at most, with GTS_PDFXVersion, dates and Trapped True/False in Info and XMP alike"),
        Code("P605", "pdf", "a PDF/X file's black text is K only (0 0 0 1 k) and overprints"),
    )
}


# Findings that mean a file was refused (or its checks stopped) to keep ``validate`` bounded:
# such a file is never handed to EPUBCheck.
REFUSALS = frozenset({"V002", "V003", "V004", "V005", "E010", "E011", "E012", "E020", "P010", "P011", "P012"})


@dataclass
class Check:
    """One finding."""

    code: str
    severity: str
    file: str
    location: str
    message: str

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def fails(self) -> bool:
        return self.severity in FAILING


@dataclass
class FileResult:
    """Everything checked about one file: which codes ran and what they found."""

    path: str
    kind: str  # "epub" or "pdf"
    ran: list[str] = field(default_factory=list)  # codes that were checked, in order
    checks: list[Check] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, code: str, message: str, location: str = "", severity: str = ERROR) -> Check:
        c = Check(code, severity, self.path, location, message)
        self.checks.append(c)
        if code not in self.ran:
            self.ran.append(code)
        return c

    def mark(self, *codes: str) -> None:
        """Record that ``codes`` were checked (whether or not they found anything)."""
        for code in codes:
            if code not in self.ran:
                self.ran.append(code)

    @property
    def passed(self) -> bool:
        return not any(c.fails for c in self.checks)

    def failing(self) -> list[Check]:
        return [c for c in self.checks if c.fails]

    def codes(self) -> set[str]:
        return {c.code for c in self.checks if c.fails}
