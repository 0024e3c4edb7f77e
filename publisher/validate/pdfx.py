"""PDF/X-4 checks on a print file (codes P600–P605; issue 15).

A file is held to them when it says it is PDF/X: a ``/GTS_PDFXVersion`` in its Info,
a ``pdfxid:GTS_PDFXVersion`` in its XMP, or a ``/GTS_PDFX`` output intent.  What is
checked is what ISO 15930-7 asks that can be read back here; it is no substitute for
an official PDF/X validator (none is available on this machine):

* ``P600`` one GTS_PDFX output intent, with an embedded CMYK output (printer) ICC
  profile (``DestOutputProfile``, N = 4, the profile's own header says CMYK ``prtr``);
* ``P601`` nothing painted in DeviceRGB or a 3-component ICC space: no colour
  operator, no image (page content, forms and patterns, walked by
  :func:`publisher.pdf.pdfx.inspect`, the reader the print backend's tests use too;
  inline images are not walked), no page blending its transparency in DeviceRGB;
* ``P602`` every page has a TrimBox, and TrimBox ⊆ BleedBox ⊆ MediaBox;
* ``P603`` no annotation (other than PrinterMark and TrapNet) inside the BleedBox;
* ``P604`` the version is PDF 1.6 at most, Info and XMP carry the same
  GTS_PDFXVersion (PDF/X-4…), Info has CreationDate and ModDate, and Trapped is True
  or False in the Info and the same in the XMP;
* ``P605`` text drawn black is K only and overprints: black text (K ≥ 85 %) carries no
  C, M or Y; solid black text is ``0 0 0 1 k`` with overprint set, not DeviceGray
  (which cannot overprint).

The XMP is parsed with the validator's own XML parser (no DTD, no entities); every
stream read here was bounded before by :mod:`.guard` (P011, P012).
"""
from __future__ import annotations

import pikepdf
from lxml import etree

from .checks import FileResult
from .guard import XML_PARSER, doctype_problem

PDFXID = "http://www.npes.org/pdfx/ns/id/"
PDFNS = "http://ns.adobe.com/pdf/1.3/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MAX_VERSION = (1, 6)
TOL = 0.01  # pt
BLACK_FROM = 0.85  # the print backend's rule: a grey this dark is printed as solid black
REPORT = 5  # pages named per finding at most


def _xmp(pdf) -> dict[str, str] | None:
    """{'{ns}name': text} of the XMP packet's properties (elements or attributes of
    rdf:Description), or None when there is none or it cannot be read."""
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        return None
    try:
        data = meta.read_bytes()
    except pikepdf.PdfError:
        return None
    if doctype_problem(data):
        return None
    try:
        root = etree.fromstring(data.strip(), XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    out: dict[str, str] = {}
    for desc in root.iter(f"{{{RDF}}}Description"):
        for k, v in desc.attrib.items():
            out.setdefault(k, v)
        for child in desc:
            if isinstance(child.tag, str) and child.text and child.text.strip():
                out.setdefault(child.tag, child.text.strip())
    return out


def _info(pdf) -> dict[str, object]:
    try:
        return {str(k): v for k, v in pdf.docinfo.items()}
    except (pikepdf.PdfError, ValueError, AttributeError):
        return {}


def claims_pdfx(pdf) -> bool:
    """Does the file say it is PDF/X (Info, XMP or output intent)?"""
    if "/GTS_PDFXVersion" in _info(pdf):
        return True
    for oi in _intents(pdf):
        if oi.get("/S") == pikepdf.Name.GTS_PDFX:
            return True
    xmp = _xmp(pdf)
    return bool(xmp and f"{{{PDFXID}}}GTS_PDFXVersion" in xmp)


def _intents(pdf) -> list:
    ois = pdf.Root.get("/OutputIntents")
    return [o for o in ois if isinstance(o, pikepdf.Dictionary)] if isinstance(ois, pikepdf.Array) else []


# --------------------------------------------------------------------------- P600


def check_output_intent(pdf, r: FileResult) -> None:
    from ..errors import PublisherError
    from ..pdf.pdfx import check_profile

    r.mark("P600")
    gts = [o for o in _intents(pdf) if o.get("/S") == pikepdf.Name.GTS_PDFX]
    if not gts:
        r.add("P600", "a PDF/X file without a GTS_PDFX output intent (/OutputIntents)")
        return
    if len(gts) > 1:
        r.add("P600", f"{len(gts)} GTS_PDFX output intents; PDF/X allows one")
    oi = gts[0]
    if not str(oi.get("/OutputConditionIdentifier", "")).strip():
        r.add("P600", "the output intent has no OutputConditionIdentifier")
    prof = oi.get("/DestOutputProfile")
    if not isinstance(prof, pikepdf.Stream):
        what = "refers to an external profile (PDF/X-4p)" if "/DestOutputProfileRef" in oi else "embeds no profile"
        r.add("P600", f"the output intent {what}: a PDF/X-4 file embeds its CMYK output profile")
        return
    try:
        data = prof.read_bytes()
    except pikepdf.PdfError as e:
        r.add("P600", f"the output profile cannot be read: {' '.join(str(e).split())[:120]}")
        return
    if int(prof.get("/N", 0)) != 4:
        r.add("P600", f"the output profile has N = {prof.get('/N')}, not 4 (CMYK)")
    try:
        check_profile(data, "the output profile")
    except PublisherError as e:
        r.add("P600", str(e))


# --------------------------------------------------------------------------- P601, P605


def _pages_where(pdf, test) -> list[int]:
    """1-based numbers of the first pages whose own content makes ``test(inks)`` true."""
    from ..pdf.pdfx import inspect

    out = []
    for i in range(len(pdf.pages)):
        if test(inspect(pdf, pages={i})):
            out.append(i + 1)
            if len(out) >= REPORT:
                break
    return out


def _where(pages: list[int]) -> str:
    return "page " + ", ".join(map(str, pages)) if pages else ""


def _black_problem(key) -> str | None:
    """What is wrong with text drawn in this (space, components, overprint), if black."""
    space, comps, op = key
    if len(comps) == 4 and space in ("DeviceCMYK", "ICCBased"):
        c, m, y, k = comps
        if k >= BLACK_FROM and (c or m or y):
            return f"black text in four-colour ink ({c:g} {m:g} {y:g} {k:g} k): K only"
        if (c, m, y, k) == (0, 0, 0, 1) and not op:
            return "solid black text (0 0 0 1 k) without overprint"
    elif len(comps) == 1 and space == "DeviceGray" and comps[0] <= 1 - BLACK_FROM:
        return f"black text in DeviceGray ({comps[0]:g} g), which cannot overprint: 0 0 0 1 k"
    return None


def check_inks(pdf, r: FileResult) -> None:
    from ..pdf.pdfx import inspect

    r.mark("P601", "P605")
    try:
        inks = inspect(pdf)
    except (pikepdf.PdfError, RecursionError, ValueError, TypeError) as e:
        r.add("P001", f"page content cannot be read for the PDF/X checks: {' '.join(str(e).split())[:120]}")
        return
    if inks.rgb_ops or inks.rgb_images:
        what = [f"{n} {w}" for n, w in ((inks.rgb_ops, "colour operators"), (inks.rgb_images, "images")) if n]
        r.add("P601", f"a PDF/X file paints in DeviceRGB: {' and '.join(what)}",
              _where(_pages_where(pdf, lambda x: x.rgb_ops or x.rgb_images)))
    problems = {}
    for key, n in sorted(inks.text_fills.items(), key=repr):
        p = _black_problem(key)
        if p:
            problems.setdefault(p, 0)
            problems[p] += n
    for p, n in problems.items():
        pages = _pages_where(pdf, lambda x, p=p: any(_black_problem(k) == p for k in x.text_fills))
        r.add("P605", f"{p} ({n} text operators)", _where(pages))


# --------------------------------------------------------------------------- P602, P603


def _rect(v) -> tuple[float, float, float, float] | None:
    try:
        a = [float(x) for x in v]
    except (TypeError, ValueError):
        return None
    if len(a) != 4:
        return None
    return min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])


def _inside(a, b) -> bool:
    return a[0] >= b[0] - TOL and a[1] >= b[1] - TOL and a[2] <= b[2] + TOL and a[3] <= b[3] + TOL


def _overlaps(a, b) -> bool:
    return a[0] < b[2] - TOL and b[0] < a[2] - TOL and a[1] < b[3] - TOL and b[1] < a[3] - TOL


def check_pages(pdf, r: FileResult) -> None:
    r.mark("P601", "P602", "P603")
    bad_box: dict[str, list[int]] = {}
    bad_annot: dict[str, list[int]] = {}
    rgb_groups: list[int] = []
    for i, page in enumerate(pdf.pages, 1):
        obj = page.obj
        media = _rect(page.mediabox)
        trim = _rect(obj["/TrimBox"]) if "/TrimBox" in obj else None
        bleed = _rect(obj["/BleedBox"]) if "/BleedBox" in obj else None
        problem = None
        if media is None:
            problem = "the MediaBox cannot be read"
        elif trim is None:
            problem = "no TrimBox" if "/ArtBox" not in obj else None
        elif bleed is not None and not _inside(trim, bleed):
            problem = "the TrimBox extends beyond the BleedBox"
        elif not _inside(bleed or trim, media):
            problem = f"the {'BleedBox' if bleed else 'TrimBox'} extends beyond the MediaBox"
        if problem:
            bad_box.setdefault(problem, []).append(i)
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/CS") == pikepdf.Name.DeviceRGB:
            rgb_groups.append(i)
        area = bleed or trim or media
        for annot in obj.get("/Annots", None) or []:
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            sub = str(annot.get("/Subtype", "/?"))
            if sub in ("/PrinterMark", "/TrapNet"):
                continue
            rect = _rect(annot.get("/Rect", []))
            if rect is None or area is None or _overlaps(rect, area):
                bad_annot.setdefault(sub.lstrip("/"), []).append(i)
    for problem, pages in bad_box.items():
        r.add("P602", f"{problem} ({len(pages)} pages): PDF/X wants TrimBox ⊆ BleedBox ⊆ MediaBox", _where(pages[:REPORT]))
    if rgb_groups:
        r.add("P601", f"{len(rgb_groups)} pages blend their transparency in DeviceRGB (/Group /CS)",
              _where(rgb_groups[:REPORT]))
    for sub, pages in bad_annot.items():
        r.add("P603", f"{len(pages)} {sub} annotations inside the page area (a print file has none)",
              _where(sorted(set(pages))[:REPORT]))
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and len(form.get("/Fields") or []):
        r.add("P603", "the file has an interactive form (AcroForm fields)")


# --------------------------------------------------------------------------- P604


def _version(pdf) -> tuple[int, int]:
    def parse(s) -> tuple[int, int]:
        try:
            a, b = str(s).lstrip("/").split(".")[:2]
            return int(a), int(b)
        except ValueError:
            return (0, 0)

    v = parse(pdf.pdf_version)
    if "/Version" in pdf.Root:
        v = max(v, parse(pdf.Root.Version))
    return v


def check_keys(pdf, r: FileResult) -> None:
    r.mark("P604")
    v = _version(pdf)
    if v > MAX_VERSION:
        r.add("P604", f"PDF {v[0]}.{v[1]}: a PDF/X-4 file is PDF 1.6 at most")
    info = _info(pdf)
    xmp = _xmp(pdf)
    iv = str(info.get("/GTS_PDFXVersion", "")).strip()
    xv = (xmp or {}).get(f"{{{PDFXID}}}GTS_PDFXVersion", "").strip()
    if not iv:
        r.add("P604", "the Info has no GTS_PDFXVersion")
    elif not iv.startswith("PDF/X-4"):
        r.add("P604", f"the Info says {iv}, not PDF/X-4")
    if xmp is None:
        r.add("P604", "no readable XMP metadata (PDF/X-4 needs the version in the XMP)")
    elif not xv:
        r.add("P604", "the XMP has no pdfxid:GTS_PDFXVersion")
    elif iv and xv != iv:
        r.add("P604", f"the XMP says {xv}, the Info {iv}")
    for key in ("/CreationDate", "/ModDate"):
        if not str(info.get(key, "")).strip():
            r.add("P604", f"the Info has no {key[1:]}")
    trapped = str(info.get("/Trapped", "")).lstrip("/")
    xtrapped = (xmp or {}).get(f"{{{PDFNS}}}Trapped", "")
    if trapped not in ("True", "False"):
        r.add("P604", f"Trapped is {trapped or 'missing'} in the Info; PDF/X wants True or False")
    elif xmp is not None and xtrapped != trapped:
        r.add("P604", f"Trapped is {trapped} in the Info but {xtrapped or 'missing'} in the XMP")


def check_pdfx(pdf, r: FileResult) -> None:
    """P600–P605 on a file that says it is PDF/X (a structure these readers cannot
    follow is P001, as for every other check)."""
    for check in (check_output_intent, check_keys, check_pages, check_inks):
        try:
            check(pdf, r)
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError, KeyError, RecursionError) as e:
            r.add("P001", f"structure the PDF/X checks cannot read: {' '.join(str(e).split())[:120]}")
