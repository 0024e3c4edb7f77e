"""The print PDF as PDF/X-4: CMYK inks, a GTS_PDFX output intent, no annotations.

``--print`` sets every colour of the stylesheets in ``device-cmyk()``
(:func:`cmyk_css`, the one rule for every stylesheet and generated rule):

* a grey (R = G = B) is a tint of black alone, K = 1 − lightness, rounded to whole
  per cent; a grey of K 85 % or darker (body text #111, the dots of #222) is solid
  black K100: text in a screened tint loses its fine Song strokes;
* white is no ink (0 0 0 0), and still knocks out what is beneath it;
* an accent is the CMYK value chosen for it in :data:`ACCENTS`; any other colour
  gets a plain conversion (K = 1 − max(R, G, B), C M Y from what is left).

While drawing, text and shapes filled in K100 overprint (:func:`install`: an
ExtGState with ``/op true /OPM 1`` set with the colour), so black never leaves a
white gap at the least misregistration.  The assembly then (:func:`finish`) draws
the crop marks in the registration colour (``/Separation /All``), takes away every
annotation and every transparency group that holds no transparency, and writes the
output intent (``/GTS_PDFX`` with the embedded CMYK output profile), the XMP packet
(PDF/X-4 version, dates, a content-derived document ID), ``/Trapped /False`` and
the version 1.6.

The output profile is the printer's (``print_profile`` in the sidecar or anthology
TOML, ``--icc PATH``), else :data:`DEFAULT_PROFILE`, the SWOP-type CMYK profile
Ghostscript's ``libgs-common`` ships (scripts/bootstrap.sh installs it).
"""
from __future__ import annotations

import hashlib
import re
import struct
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import PublisherError

DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PDFX_VERSION = "PDF/X-4"
PDF_VERSION = "1.6"

# The accents of styles/pdf.css and styles/anthology.css as printed (C, M, Y, K):
# the red (#9e1b1b) and the anthology's deeper red (#7a1515), set with
# no cyan so they stay clean, deepened by K.
ACCENTS: dict[str, tuple[float, float, float, float]] = {
    "#9e1b1b": (0.0, 0.95, 0.9, 0.25),
    "#7a1515": (0.0, 0.95, 0.9, 0.45),
}
SOLID_BLACK_FROM = 0.85  # a grey this dark or darker is printed as K100


# --------------------------------------------------------------------------- colours


def _hex_rgb(text: str) -> tuple[int, int, int]:
    h = text.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def cmyk_of(hex_colour: str) -> tuple[float, float, float, float]:
    """The print ink of a CSS hex colour (#rgb or #rrggbb), by the module's rule."""
    h = hex_colour.lstrip("#").lower()
    h = "#" + ("".join(c * 2 for c in h) if len(h) == 3 else h)
    if h in ACCENTS:
        return ACCENTS[h]
    r, g, b = _hex_rgb(h)
    if r == g == b:
        k = round(1 - r / 255, 2)
        return (0.0, 0.0, 0.0, 1.0 if k >= SOLID_BLACK_FROM else k)
    m = max(r, g, b) / 255
    k = 1 - m
    c, mg, y = ((m - v / 255) / m if m else 0.0 for v in (r, g, b))
    return (round(c, 2), round(mg, 2), round(y, 2), round(k, 2))


def _cmyk_text(c: tuple[float, float, float, float]) -> str:
    return "device-cmyk(" + " ".join(f"{v:g}" for v in c) + ")"


# A hex colour in a declaration (after ':' or a space, '(' or ','), or a URL-escaped
# one inside an SVG data URI (fill='%23222').
_HEX = re.compile(r"(?<=[:\s(,])#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?=[\s;}),!])")
_URL_HEX = re.compile(r"(?<=['\"=])%23([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?=['\"])")


def cmyk_css(css: str) -> str:
    """``css`` with every hex colour written as ``device-cmyk()`` (the stylesheets
    name no colour by keyword; a test holds them to that)."""
    css = _URL_HEX.sub(lambda m: _cmyk_text(cmyk_of(m.group(1))), css)
    return _HEX.sub(lambda m: _cmyk_text(cmyk_of(m.group(1))), css)


# --------------------------------------------------------------------------- overprint

OVERPRINT_ON = "PubOPk"
OVERPRINT_OFF = "PubOP0"


def _overprints(color) -> bool:
    return color.space == "device-cmyk" and tuple(color.coordinates) == (0, 0, 0, 1) and color.alpha == 1


def install() -> None:
    """Make WeasyPrint's streams overprint a K100 fill (and only that): the fill
    colour and the overprint flag are set together and restored together by Q."""
    import pydyf
    from weasyprint.pdf.stream import Stream

    if getattr(Stream, "_pub_overprint", False):
        return
    set_color, pop_state = Stream.set_color, Stream.pop_state

    def patched_set_color(self, color, stroke=False):
        set_color(self, color, stroke)
        if stroke or (color.space != "device-cmyk" and self._pub_op is not True):
            return  # a screen PDF (no device-cmyk colour) is drawn as ever
        want = _overprints(color)
        if want != self._pub_op:
            self._pub_op_set(want)

    def op_set(self, on: bool):
        key = OVERPRINT_ON if on else OVERPRINT_OFF
        states = self._resources["ExtGState"]
        if key not in states:
            states[key] = pydyf.Dictionary({"Type": "/ExtGState", "op": "true" if on else "false",
                                            **({"OPM": 1} if on else {})})
        pydyf.Stream.set_state(self, key)
        self._pub_op = on

    def patched_pop_state(self):
        pop_state(self)
        self._pub_op = None  # as at the matching q: not known here

    Stream.set_color = patched_set_color
    Stream.pop_state = patched_pop_state
    Stream._pub_op_set = op_set
    Stream._pub_op = None  # a new stream (a page, a form) knows nothing of its caller's state
    Stream._pub_overprint = True


# --------------------------------------------------------------------------- profile


@dataclass(frozen=True)
class OutputProfile:
    data: bytes
    description: str
    path: str


def _icc_description(data: bytes) -> str:
    try:
        (count,) = struct.unpack_from(">I", data, 128)
        for i in range(min(count, 200)):
            sig, off, size = struct.unpack_from(">4sII", data, 132 + 12 * i)
            if sig != b"desc":
                continue
            kind = data[off:off + 4]
            if kind == b"desc":
                (n,) = struct.unpack_from(">I", data, off + 8)
                return data[off + 12:off + 12 + n].split(b"\0")[0].decode("latin-1").strip()
            if kind == b"mluc":
                nrec, _ = struct.unpack_from(">II", data, off + 8)
                if nrec:
                    _, _, length, offset = struct.unpack_from(">2s2sII", data, off + 16)
                    return data[off + offset:off + offset + length].decode("utf-16-be", "replace").strip("\0 ")
    except (struct.error, UnicodeDecodeError):
        pass
    return ""


def check_profile(data: bytes, where: str) -> str:
    """The description of a CMYK output (printer) ICC profile, or a one-line error."""
    if len(data) < 132 or data[36:40] != b"acsp":
        raise PublisherError(f"{where}: not an ICC profile")
    if data[16:20] != b"CMYK":
        raise PublisherError(f"{where}: an ICC profile for {data[16:20].decode('latin-1').strip()}, "
                             "not CMYK: a print PDF needs the printer's CMYK output profile")
    if data[12:16] != b"prtr":
        raise PublisherError(f"{where}: a CMYK ICC profile of class '{data[12:16].decode('latin-1')}', "
                             "not an output (printer) profile")
    return _icc_description(data) or Path(where).stem


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> OutputProfile:
    data = Path(path).read_bytes()
    return OutputProfile(data, check_profile(data, path), path)


def load_profile(path: str | Path | None = None) -> OutputProfile:
    """The output profile at ``path`` (the printer's), else the default one."""
    p = Path(path) if path else DEFAULT_PROFILE
    try:
        st = p.stat()
        if not p.is_file():
            raise PublisherError(f"{p}: the print profile is not a file")
        if st.st_size > 16 * 1024 * 1024:
            raise PublisherError(f"{p}: the print profile is larger than 16 MB")
        return _load(str(p), st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        if path:
            raise PublisherError(f"{p}: print profile not found") from None
        raise PublisherError(f"{p}: the default CMYK print profile is missing (install Debian's libgs-common, "
                             "or pass --icc PATH / print_profile)") from None
    except OSError as e:
        raise PublisherError(f"{p}: cannot read the print profile ({e.strerror})") from None


# --------------------------------------------------------------------------- the file


def _registration(pdf):
    """The registration colour: a Separation named All (every plate)."""
    import pikepdf

    fn = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pdf.make_indirect(pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All,
                                            pikepdf.Name.DeviceCMYK, pdf.make_indirect(fn)]))


def _num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def crop_marks(trim: list[float], media: list[float], bleed_pt: float, folds: tuple[float, ...] = ()) -> bytes:
    """Crop marks at the trim lines, from ``bleed_pt`` outside the trim to the media
    edge, and fold marks above and below the trim at ``folds`` (pt from the trim's
    left edge: a cover's spine); a content stream drawing in /PubReg, the registration
    colour."""
    x0, y0, x1, y1 = trim
    mx0, my0, mx1, my1 = media
    gap = bleed_pt
    lines = [(x0 + f, y, x0 + f, edge) for f in folds for y, edge in ((y0 - gap, my0), (y1 + gap, my1))]
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            edge_x = mx0 if sx < 0 else mx1
            edge_y = my0 if sy < 0 else my1
            lines.append((x + sx * gap, y, edge_x, y))  # horizontal, at the trim's y
            lines.append((x, y + sy * gap, x, edge_y))  # vertical, at the trim's x
    out = ["q /PubReg CS 1 SCN 0.3 w 0 J []0 d"]
    out += [f"{_num(a)} {_num(b)} m {_num(c)} {_num(d)} l S" for a, b, c, d in lines]
    out.append("Q")
    return ("\n".join(out) + "\n").encode()


def _plain_group(form) -> bool:
    """A transparency group with nothing transparent in its own resources."""
    import pikepdf

    states = (form.get("/Resources") or {}).get("/ExtGState") or {}
    for _, s in states.items():
        if not isinstance(s, pikepdf.Dictionary):
            return False
        if "/SMask" in s and s.SMask != pikepdf.Name.None_:
            return False
        for key in ("/ca", "/CA"):
            if key in s and float(s[key]) < 1:
                return False
        if "/BM" in s and s.BM not in (pikepdf.Name.Normal, pikepdf.Name.Compatible):
            return False
    return True


def _strip_groups(obj, seen: set) -> None:
    import pikepdf

    xobjects = (obj.get("/Resources") or {}).get("/XObject") or {}
    for _, x in xobjects.items():
        if not isinstance(x, pikepdf.Stream) or x.objgen in seen:
            continue
        seen.add(x.objgen)
        if x.get("/Subtype") != pikepdf.Name.Form:
            continue
        _strip_groups(x, seen)
        if "/Group" in x and _plain_group(x):
            del x["/Group"]
    patterns = (obj.get("/Resources") or {}).get("/Pattern") or {}
    for _, p in patterns.items():
        if isinstance(p, pikepdf.Stream) and p.objgen not in seen:
            seen.add(p.objgen)
            _strip_groups(p, seen)


def _pdf_date_to_iso(value: str) -> str:
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?", value or "")
    if not m:
        return "2000-01-01T00:00:00+00:00"
    y, mo, d, h, mi, s = (g or dflt for g, dflt in zip(m.groups(), ("2000", "01", "01", "00", "00", "00")))
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}+00:00"


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def xmp_packet(info: dict[str, str], document_id: str) -> bytes:
    """The XMP of a PDF/X-4 file from its Info dictionary (same dates, title, author)."""
    created = _pdf_date_to_iso(info.get("/CreationDate", ""))
    modified = _pdf_date_to_iso(info.get("/ModDate", "")) if info.get("/ModDate") else created
    title = info.get("/Title", "")
    author = info.get("/Author", "")
    subject = info.get("/Subject", "")
    keywords = info.get("/Keywords", "")
    lang = 'xml:lang="x-default"'
    dc = []
    if title:
        dc.append(f"<dc:title><rdf:Alt><rdf:li {lang}>{_xml(title)}</rdf:li></rdf:Alt></dc:title>")
    if author:
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        dc.append(f"<dc:description><rdf:Alt><rdf:li {lang}>{_xml(subject)}</rdf:li></rdf:Alt></dc:description>")
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:format>application/pdf</dc:format>
{"".join(dc)}
<pdf:Producer>{_xml(info.get("/Producer", "publisher"))}</pdf:Producer>
<pdf:Keywords>{_xml(keywords)}</pdf:Keywords>
<pdf:Trapped>False</pdf:Trapped>
<xmp:CreatorTool>{_xml(info.get("/Creator", "publisher"))}</xmp:CreatorTool>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{modified}</xmp:ModifyDate>
<xmp:MetadataDate>{modified}</xmp:MetadataDate>
<xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{document_id}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def content_id(*parts: bytes) -> str:
    """A document ID derived from what the document is made of (uuid form)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return str(uuid.UUID(bytes=h.digest()[:16], version=5))


def finish_pages(pdf, *, bleed_pt: float, marks: bool = True, annotations: bool = False,
                 folds: tuple[float, ...] = ()) -> None:
    """The pages of the pikepdf document ``pdf`` as a print file wants them: crop
    marks in registration colour on every page whose TrimBox is inside its MediaBox,
    no needless transparency groups, and (unless ``annotations``) no annotations."""
    import pikepdf

    reg = None
    seen: set = set()
    for page in pdf.pages:
        obj = page.obj
        if "/Annots" in obj and not annotations:
            del obj["/Annots"]
        if "/Group" in obj and _plain_group(obj):
            del obj["/Group"]
        _strip_groups(obj, seen)
        media = [float(v) for v in obj.MediaBox]
        trim = [float(v) for v in obj.get("/TrimBox", obj.MediaBox)]
        if marks and trim != media:
            if reg is None:
                reg = _registration(pdf)
            res = obj.get("/Resources")
            res = pikepdf.Dictionary({k: v for k, v in res.items()} if res is not None else {})
            cs = res.get("/ColorSpace")
            res.ColorSpace = pikepdf.Dictionary({k: v for k, v in cs.items()} if cs is not None else {})
            res.ColorSpace.PubReg = reg
            obj.Resources = res
            page.contents_add(pikepdf.Stream(pdf, crop_marks(trim, media, bleed_pt, folds)))
    if not annotations and "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]


def output_intent(profile: OutputProfile) -> tuple[dict, bytes]:
    """The GTS_PDFX output intent's entries (text values) and its profile's bytes."""
    d = profile.description
    return {"OutputConditionIdentifier": d, "OutputCondition": d, "Info": d}, profile.data


def info_entries(info: dict[str, str]) -> dict[str, str]:
    """The Info entries PDF/X-4 adds (names and strings as PDF text), ModDate = CreationDate if missing."""
    out = {"GTS_PDFXVersion": PDFX_VERSION}
    if "/ModDate" not in info and "/CreationDate" in info:
        out["ModDate"] = info["/CreationDate"]
    return out


def finish(pdf, profile: OutputProfile, *, document_id: str, bleed_pt: float, marks: bool = True,
           folds: tuple[float, ...] = ()) -> None:
    """Make the pikepdf document ``pdf`` a PDF/X-4 print file in place: the pages
    (:func:`finish_pages`), the output intent, Info and XMP.  Saving it with
    ``save_kwargs()`` gives the version 1.6."""
    import pikepdf

    finish_pages(pdf, bleed_pt=bleed_pt, marks=marks, folds=folds)
    entries, data = output_intent(profile)
    icc = pikepdf.Stream(pdf, data)
    icc.N = 4
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                                DestOutputProfile=pdf.make_indirect(icc),
                                **{k: pikepdf.String(v) for k, v in entries.items()})
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    info = pdf.docinfo
    info.Trapped = pikepdf.Name("/False")
    for k, v in info_entries({str(k): str(v) for k, v in info.items()}).items():
        info[pikepdf.Name("/" + k)] = pikepdf.String(v)
    fields = {str(k): str(v) for k, v in info.items() if isinstance(v, pikepdf.String)}
    meta = pikepdf.Stream(pdf, xmp_packet(fields, document_id))
    meta.Type = pikepdf.Name.Metadata
    meta.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(meta)


def save_kwargs() -> dict:
    return {"force_version": PDF_VERSION}


# --------------------------------------------------------------------------- reading back


@dataclass
class Inks:
    """What a PDF's page content paints with (:func:`inspect`)."""

    rgb_ops: int = 0  # colour operators in DeviceRGB or a 3-component ICC space
    rgb_images: int = 0
    groups: int = 0  # transparency groups (pages and forms)
    text_fills: dict = None  # (space, components, overprint) → text-showing operators
    spaces: set = None  # colour space families used

    def __post_init__(self):
        self.text_fills = {} if self.text_fills is None else self.text_fills
        self.spaces = set() if self.spaces is None else self.spaces


_TEXT_SHOW = {"Tj", "TJ", "'", '"'}


def _space_of(name, resources):
    """(family, components) of a colour space operand."""
    import pikepdf

    n = str(name)
    if n in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern"):
        return n[1:], {"/DeviceRGB": 3, "/DeviceCMYK": 4, "/DeviceGray": 1, "/Pattern": 0}[n]
    cs = ((resources or {}).get("/ColorSpace") or {}).get(n)
    if isinstance(cs, pikepdf.Name):
        return _space_of(cs, {})
    if isinstance(cs, pikepdf.Array) and len(cs):
        fam = str(cs[0])[1:]
        if fam == "ICCBased":
            return "ICCBased", int(cs[1].get("/N", 0))
        return fam, 1 if fam == "Separation" else 0
    return n.lstrip("/"), 0


def inspect(pdf, pages=None) -> Inks:
    """Walk the content of every page (or of the 0-based ``pages``), its forms and
    patterns: colour operators by space, text fills (with the overprint flag), RGB
    images, transparency groups."""
    import pikepdf

    inks = Inks()

    def walk(stream, resources, state, seen):
        stack = []
        fill, stroke, op = state
        for instr in pikepdf.parse_content_stream(stream):
            if isinstance(instr, pikepdf.ContentStreamInlineImage):
                continue
            o = str(instr.operator)
            a = instr.operands
            if o == "q":
                stack.append((fill, stroke, op))
            elif o == "Q" and stack:
                fill, stroke, op = stack.pop()
            elif o in ("cs", "CS"):
                sp = _space_of(a[0], resources)
                inks.spaces.add(sp[0])
                val = (sp, (0.0,) * sp[1])
                if o == "cs":
                    fill = val
                else:
                    stroke = val
            elif o in ("sc", "scn", "SC", "SCN"):
                comps = tuple(float(v) for v in a if not isinstance(v, pikepdf.Name))
                target = fill if o in ("sc", "scn") else stroke
                sp = target[0]
                if sp[0] == "DeviceRGB" or (sp[0] == "ICCBased" and sp[1] == 3):
                    inks.rgb_ops += 1
                if sp[0] == "Pattern" and a and isinstance(a[-1], pikepdf.Name):
                    pat = ((resources or {}).get("/Pattern") or {}).get(str(a[-1]))
                    if isinstance(pat, pikepdf.Stream) and pat.objgen not in seen:
                        seen.add(pat.objgen)
                        walk(pat, pat.get("/Resources"), (None, None, False), seen)
                if o in ("sc", "scn"):
                    fill = (sp, comps)
                else:
                    stroke = (sp, comps)
            elif o in ("rg", "RG"):
                inks.rgb_ops += 1
                inks.spaces.add("DeviceRGB")
                val = (("DeviceRGB", 3), tuple(float(v) for v in a))
                fill, stroke = (val, stroke) if o == "rg" else (fill, val)
            elif o in ("k", "K", "g", "G"):
                sp = ("DeviceCMYK", 4) if o in ("k", "K") else ("DeviceGray", 1)
                inks.spaces.add(sp[0])
                val = (sp, tuple(float(v) for v in a))
                fill, stroke = (val, stroke) if o in ("k", "g") else (fill, val)
            elif o == "gs":
                st = ((resources or {}).get("/ExtGState") or {}).get(str(a[0]))
                if st is not None:
                    if "/op" in st:
                        op = bool(st.op)
                    elif "/OP" in st:
                        op = bool(st.OP)
            elif o in _TEXT_SHOW:
                key = (fill[0][0] if fill else "DeviceGray", fill[1] if fill else (0.0,), op)
                inks.text_fills[key] = inks.text_fills.get(key, 0) + 1
            elif o == "Do":
                x = ((resources or {}).get("/XObject") or {}).get(str(a[0]))
                if not isinstance(x, pikepdf.Stream):
                    continue
                if x.get("/Subtype") == pikepdf.Name.Image:
                    cs = x.get("/ColorSpace")
                    if cs is not None and _space_of(cs, resources)[0] in ("DeviceRGB",) or (
                            isinstance(cs, pikepdf.Array) and str(cs[0]) == "/ICCBased" and int(cs[1].get("/N", 0)) == 3):
                        inks.rgb_images += 1
                elif x.get("/Subtype") == pikepdf.Name.Form:
                    if "/Group" in x:
                        inks.groups += 1
                    walk(x, x.get("/Resources") or resources, (fill, stroke, op), seen)

    for i, page in enumerate(pdf.pages):
        if pages is not None and i not in pages:
            continue
        if "/Group" in page.obj:
            inks.groups += 1
        walk(page.obj, page.obj.get("/Resources"), (None, None, False), set())
    return inks


def cmyk_image(data: bytes, profile: OutputProfile) -> bytes:
    """A raster image (a cover) separated for print: from its own ICC profile (an RGB
    image's), else sRGB, to the output profile's CMYK, as a JPEG (quality 92; the
    same bytes for the same input).  Transparency is flattened on white paper."""
    import io

    from PIL import Image, ImageCms

    with Image.open(io.BytesIO(data)) as im:
        im.load()
        icc = im.info.get("icc_profile") if im.mode in ("RGB", "CMYK") else None
        if im.mode == "CMYK" and not icc:
            out = im.copy()
        else:
            if im.mode not in ("RGB", "CMYK"):
                rgba = im.convert("RGBA")
                im = Image.new("RGB", rgba.size, (255, 255, 255))
                im.paste(rgba, mask=rgba.getchannel("A"))
            out = None
            try:
                dst = ImageCms.ImageCmsProfile(io.BytesIO(profile.data))
                src = ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc else ImageCms.createProfile("sRGB")
            except (OSError, ImageCms.PyCMSError):
                dst = src = None
            for intent in (ImageCms.Intent.RELATIVE_COLORIMETRIC, ImageCms.Intent.PERCEPTUAL):
                if dst is None or out is not None:
                    break
                try:
                    out = ImageCms.profileToProfile(im, src, dst, renderingIntent=intent, outputMode="CMYK")
                except ImageCms.PyCMSError:  # the profiles make no such transform
                    continue
            if out is None:  # a profile Little CMS cannot use: a plain separation
                out = im.convert("RGB").convert("CMYK") if im.mode != "CMYK" else im.copy()
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def print_image(data: bytes, media_type: str, profile: OutputProfile) -> tuple[bytes, str]:
    """A raster image as a print file carries it: a grey one as it is (DeviceGray
    prints on the black plate alone), any other separated into CMYK (:func:`cmyk_image`)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        grey = im.mode in ("1", "L")
    if grey:
        return data, media_type
    return cmyk_image(data, profile), "image/jpeg"
