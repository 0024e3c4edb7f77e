"""Limits that keep ``validate`` bounded on hostile files (issue 12).

Every check here runs *before* the data it protects is read:

* a path that is not a regular file (a FIFO, a device, a folder behind a symlink) is
  refused from its ``stat`` alone (V002), so nothing blocks on ``open``;
* a ZIP member's uncompressed size, its compression ratio, the members' total and
  their number come from the central directory (``ZipInfo.file_size`` /
  ``compress_size``) before any member is inflated (E010, E011, E012); the reads that
  follow are bounded by those declared sizes (``zipfile`` stops at ``file_size`` and
  a lying size fails its CRC);
* an XML member with a DOCTYPE other than EPUB 3's plain ``<!DOCTYPE html>`` (an
  external id, an internal subset, an ENTITY declaration) is refused (E020): such a
  file never reaches EPUBCheck, and our own parser never loads a DTD
  (:data:`XML_PARSER`);
* a PDF's page tree is walked with a cap (P010), every decoded stream but images is
  inflated with a bounded ``zlib`` (P011), and operators of each content stream are
  counted with a cap before it is parsed (P012).

Whatever these miss is caught by the per-file child process of ``sandbox``: an
address-space and a CPU limit (``resource``) and a wall-clock timeout.
"""
from __future__ import annotations

import os
import re
import stat
import zlib
from dataclasses import dataclass

from lxml import etree

# Our own XML parser: no DTD loaded, no entity substituted, no network, no huge trees.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds ``validate`` keeps on one file (all defaults are far above real outputs)."""

    member_bytes: int = 256 * MB  # one ZIP member, uncompressed
    total_bytes: int = 512 * MB  # all members, uncompressed
    members: int = 20_000  # ZIP entries
    ratio: float = 100.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1 * MB  # smaller members may compress as well as they like
    stream_bytes: int = 128 * MB  # one decoded PDF stream
    operators: int = 100_000  # operators in one content stream (ours: at most ~1,200)
    total_operators: int = 1_000_000  # operators in all content streams of a PDF (ours: ~200 a page)
    pages: int = 20_000  # pages of a PDF
    memory_bytes: int = 1024 * MB  # address space of the checking child (RLIMIT_AS); ``--memory-limit``
    cpu_seconds: int = 300  # CPU time of the checking child (RLIMIT_CPU); ``--time-limit``
    wall_seconds: float = 600.0  # wall-clock time of the checking child (twice the CPU limit)


DEFAULT = Limits()


def _size(n: float) -> str:
    for unit, k in (("GB", 1024 ** 3), ("MB", MB), ("KB", 1024)):
        if n >= k:
            return f"{n / k:.1f} {unit}"
    return f"{int(n)} bytes"


def regular_file(path: str | os.PathLike) -> str | None:
    """None for a regular file (symlinks followed); otherwise why not — from ``stat``, never ``open``.

    A message starting "not a regular file" is V002 (a FIFO, a device, a folder: opening or
    reading it could block or never end); "cannot read" is V001 (missing, no permission, a
    socket, which ``open`` refuses anyway)."""
    try:
        st = os.stat(path)
    except OSError as e:
        return f"cannot read the file ({e.strerror})"
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISSOCK(st.st_mode):  # open() fails on a socket: it cannot be read at all (V001)
        return "cannot read the file (a socket)"
    kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
            else "a character device" if stat.S_ISCHR(st.st_mode) else "a block device" if stat.S_ISBLK(st.st_mode)
            else "not a regular file")
    return f"not a regular file: {kind}; refused before opening"


# --------------------------------------------------------------------------- ZIP


def zip_problems(infos, limits: Limits = DEFAULT) -> list[tuple[str, str, str]]:
    """(code, message, member) for every ZIP entry over a limit, from the central directory alone."""
    out: list[tuple[str, str, str]] = []
    if len(infos) > limits.members:
        out.append(("E012", f"{len(infos)} ZIP members (limit {limits.members}); refused before reading", ""))
        return out
    total = 0
    for zi in infos:
        size, packed = zi.file_size, zi.compress_size
        total += size
        if size > limits.member_bytes:
            out.append(("E010", f"ZIP member inflates to {_size(size)} (limit {_size(limits.member_bytes)}); "
                                f"refused before reading", zi.filename))
        elif size > limits.ratio_floor and size > limits.ratio * max(packed, 1):
            out.append(("E011", f"ZIP member compressed {size / max(packed, 1):.0f}:1 ({_size(packed)} → {_size(size)}, "
                                f"limit {limits.ratio:.0f}:1); refused before reading", zi.filename))
    if total > limits.total_bytes:
        out.append(("E012", f"ZIP members inflate to {_size(total)} in all (limit {_size(limits.total_bytes)}); "
                            f"refused before reading", ""))
    return out


def zip_entry_count(path: str | os.PathLike) -> int | None:
    """The number of entries the end-of-central-directory record declares (ZIP64 too), read
    from the file's tail before ``zipfile`` builds an object for each; None when not found."""
    import struct

    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 65_557))
            tail = f.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) < at + 22:
                return None
            n = struct.unpack_from("<H", tail, at + 10)[0]
            if n != 0xFFFF or at < 20 or tail[at - 20:at - 16] != b"PK\x06\x07":
                return n
            f.seek(struct.unpack_from("<Q", tail, at - 12)[0])
            rec = f.read(56)
            if len(rec) < 40 or rec[:4] != b"PK\x06\x06":
                return None
            return struct.unpack_from("<Q", rec, 32)[0]
    except (OSError, struct.error, ValueError, OverflowError):
        return None


_XML_NAMES = (".xml", ".opf", ".xhtml", ".xht", ".html", ".htm", ".ncx", ".svg", ".smil", ".rdf")


def looks_like_xml(name: str, head: bytes) -> bool:
    """Whether a member may be parsed as XML by anyone: by its name, or by its first bytes."""
    if name.lower().endswith(_XML_NAMES):
        return True
    h = head.lstrip(b" \t\r\n")
    return h.startswith((b"<", b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe", b"\x00<", b"<\x00"))


def _decode_prolog(data: bytes) -> str | None:
    """The document as text for scanning its prolog; None in an encoding we cannot scan (refused)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xfe\xff", b"\x00<")):
        return data.decode("utf-16-be", "replace").lstrip("\ufeff")
    if data.startswith((b"\xff\xfe", b"<\x00")):
        return data.decode("utf-16-le", "replace").lstrip("\ufeff")
    return data.decode("latin-1")  # ASCII-compatible: the markup characters are where they are


_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE(?=[\s\[>])\s*([^\s\[>]*)\s*(.?)", re.I)


def doctype_problem(data: bytes) -> str | None:
    """None when ``data`` has no DOCTYPE or EPUB 3's plain ``<!DOCTYPE html>``; otherwise why it is refused.

    Refused: a DOCTYPE with a SYSTEM or PUBLIC id (an external DTD: a file read, an address
    connected to), one with an internal subset (entity declarations: billion laughs, external
    entities), one naming another root, an ``<!ENTITY`` anywhere, and a document whose prolog
    is in an encoding the scan cannot read (UTF-32, EBCDIC).
    """
    text = _decode_prolog(data)
    if re.search(r"<!ENTITY", text, re.I):
        return "declares an ENTITY"
    pos = 0
    while True:
        m = _PROLOG_SKIP.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    if pos >= len(text):
        return None
    if text[pos] != "<":
        return "does not start with markup in an encoding the checks can read"
    d = _DOCTYPE.match(text, pos)
    if d is None:
        if text.startswith("<!", pos) and text[pos:pos + 9].upper().startswith("<!DOCTYPE"):
            return "has a malformed DOCTYPE"
        return None
    name, nxt = d.group(1), d.group(2)
    if nxt == "[":
        return f"has a DOCTYPE {name} with an internal subset"
    if nxt != ">":
        return f"has a DOCTYPE {name} with an external id (SYSTEM/PUBLIC: a DTD fetched from a file or the network)"
    if name.lower() != "html":
        return f"has a DOCTYPE {name or '(no name)'}; only <!DOCTYPE html> is allowed"
    return None


# --------------------------------------------------------------------------- PDF


def count_pages(pdf, limit: int) -> int | None:
    """Leaves of the page tree, walked without flattening it; None as soon as they pass ``limit``."""
    import pikepdf

    root = pdf.Root.get("/Pages")
    if not isinstance(root, pikepdf.Dictionary):
        return 0
    try:
        if int(root.get("/Count", 0)) > limit:
            return None
    except (TypeError, ValueError):
        pass
    # Every reference to a leaf counts (qpdf makes a page of each, a repeated one copied);
    # an intermediate node seen again (a cycle, or a shared subtree) is not walked again.
    n, seen, todo = 0, set(), [root]
    while todo:
        node = todo.pop()
        key = node.objgen if node.is_indirect else id(node)
        if key in seen:
            continue
        seen.add(key)
        kids = node.get("/Kids")
        if not isinstance(kids, pikepdf.Array):
            continue
        if len(kids) > limit:
            return None
        for k in kids:
            if not isinstance(k, pikepdf.Dictionary):
                continue
            if isinstance(k.get("/Kids"), pikepdf.Array):
                todo.append(k)
            else:
                n += 1
                if n > limit:
                    return None
        if len(seen) > limit:
            return None
    return n


def _filters(stream) -> list[str]:
    import pikepdf

    f = stream.get("/Filter")
    if isinstance(f, pikepdf.Name):
        return [str(f)]
    if isinstance(f, pikepdf.Array):
        return [str(x) for x in f]
    return []


def inflate_bounded(data: bytes, limit: int, keep: bool = True) -> bytes | int | None:
    """``data`` inflated (zlib), or None once the output passes ``limit`` bytes; damaged data stops early.

    With ``keep=False`` only the inflated size is returned (nothing is held)."""
    d = zlib.decompressobj()
    out, size = [], 0
    chunk = data
    try:
        while chunk:
            piece = d.decompress(chunk, min(1 << 20, limit + 1 - size))
            size += len(piece)
            if keep:
                out.append(piece)
            if size > limit:
                return None
            chunk = d.unconsumed_tail
            if d.eof:
                break
    except zlib.error:
        pass
    return b"".join(out) if keep else size


def decoded_size(stream, limit: int) -> int | None:
    """The decoded size of a stream whose filters are all FlateDecode (bounded); None over ``limit``.

    Other filter chains are left to the memory limit of the checking child (they are rare
    outside images, which nothing here decodes).
    """
    filters = _filters(stream)
    if not filters or any(f != "/FlateDecode" for f in filters):
        return 0
    data = stream.read_raw_bytes()
    for i in range(len(filters)):
        data = inflate_bounded(data, limit, keep=i < len(filters) - 1)
        if data is None:
            return None
    return data


# Strings and hex strings may be left open (the rest of the stream is one operand), so that
# no run of "(" or "<" is scanned again from each position: linear on any input.
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)?|<<|>>|<[0-9A-Fa-f\s]*>?|/[^\s/\[\]()<>{}%]*|%[^\r\n]*"
                    rb"|[-+.0-9]+|[\[\]{}]|([A-Za-z'\"][^\s/\[\]()<>{}%]*)|\s+|.", re.S)


def count_operators(data: bytes, limit: int) -> int | None:
    """Operators in a content stream (tokens that are neither operands nor comments); None past ``limit``."""
    n = 0
    for m in _TOKEN.finditer(data):
        if m.group(1) is not None:
            n += 1
            if n > limit:
                return None
    return n


def _inherited(node, key: str, depth: int = 64):
    """``key`` of a page dictionary or of the nearest page-tree node above it that has it."""
    import pikepdf

    while isinstance(node, pikepdf.Dictionary) and depth > 0:
        if key in node:
            return node.get(key)
        node, depth = node.get("/Parent"), depth - 1
    return None


def _content_owners(pdf):
    """(page number, page dictionary or form XObject) for every content stream the checks parse:
    the pages' and, through nested resources, every form's (each once), as ``pdf._iter_resources``."""
    import pikepdf

    seen = set()
    for i, page in enumerate(pdf.pages, 1):
        yield i, page.obj
        stack = [_inherited(page.obj, "/Resources")]
        while stack:
            rs = stack.pop()
            xobjs = rs.get("/XObject") if isinstance(rs, pikepdf.Dictionary) else None
            if not isinstance(xobjs, pikepdf.Dictionary):
                continue
            for _, xo in xobjs.items():
                if not isinstance(xo, pikepdf.Stream) or xo.get("/Subtype") != "/Form":
                    continue
                key = xo.objgen if xo.is_indirect else id(xo)
                if key in seen:
                    continue
                seen.add(key)
                yield i, xo
                stack.append(xo.get("/Resources"))


def pdf_problems(pdf, limits: Limits = DEFAULT) -> list[tuple[str, str, str]]:
    """(code, message, location) for a PDF over a limit, checked before pages and streams are used."""
    import pikepdf

    out: list[tuple[str, str, str]] = []
    n = count_pages(pdf, limits.pages)
    if n is None:
        out.append(("P010", f"more than {limits.pages} pages in the page tree; refused before reading them", ""))
        return out
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") == "/Image":
            continue
        try:
            size = decoded_size(obj, limits.stream_bytes)
        except pikepdf.PdfError:
            continue
        if size is None:
            out.append(("P011", f"a stream decodes to more than {_size(limits.stream_bytes)}; refused before decoding it",
                        f"object {obj.objgen[0]} {obj.objgen[1]}"))
            return out
    total = 0
    for pno, owner in _content_owners(pdf):
        try:
            if isinstance(owner, pikepdf.Stream):
                data = owner.read_bytes()
            else:
                contents = owner.get("/Contents")
                parts = contents if isinstance(contents, pikepdf.Array) else [contents]
                data = b"\n".join(c.read_bytes() for c in parts if isinstance(c, pikepdf.Stream))
        except pikepdf.PdfError:
            continue
        n = count_operators(data, limits.operators)
        if n is None:
            out.append(("P012", f"a content stream has more than {limits.operators:,} operators; "
                                f"refused before parsing it", f"page {pno}"))
            return out
        total += n
        if total > limits.total_operators:
            out.append(("P012", f"the content streams have more than {limits.total_operators:,} operators in all; "
                                f"refused before parsing them", f"page {pno}"))
            return out
    return out
