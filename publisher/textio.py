"""Side effects at the edge: decoding input text and writing outputs atomically."""
from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import PublisherError
from .model import Warning

# Inputs are read only from regular files and only up to these sizes: a FIFO or a
# device (/dev/zero) would block or never end, and no issue text comes near 20 MB.
TEXT_LIMIT = 20 * 1024 * 1024
TOML_LIMIT = 1024 * 1024

# Encodings tried in order after the BOM check.  GB18030 is a superset of GBK and
# GB2312, which editorial offices on Windows still export (DEVELOPERS.md).
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")


@dataclass
class Decoded:
    """Decoded input text and what the decoder changed on the way (warnings R001–R004)."""

    text: str
    warnings: list[Warning] = field(default_factory=list)
    encoding: str = "utf-8"


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode raw input bytes to text, or raise PublisherError with a one-line reason."""
    return decode_text(data, name).text


def decode_text(data: bytes, name: str = "input") -> Decoded:
    """Decode raw input bytes under the policy below, or raise PublisherError.

    * A byte-order mark decides (UTF-8, UTF-16 LE/BE).
    * NUL bytes: UTF-16 without a BOM is taken only when there are several NULs, all on
      one byte parity, at least one per 200 bytes (the high byte of ASCII characters),
      and the text has line breaks; a few stray NULs (one, or at most one per 100 bytes) are dropped, with a warning naming
      their lines, and the rest decoded as UTF-8 or GB18030; otherwise it is binary.
    * Then UTF-8, then GB18030 (GBK, GB2312).
    * The decoded text is cleaned (see :func:`clean_text`).
    """
    if not data.strip():
        raise PublisherError(f"{name}: file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise PublisherError(f"{name}: not valid {enc} text despite its byte-order mark ({e.reason})") from None
            if "\x00" in text:
                raise PublisherError(f"{name}: binary file, not text")
            return _finish(_check_text(text, name), name, enc)
    nuls = data.count(b"\x00")
    if nuls:
        few = nuls <= max(1, len(data) // 100)
        if few:
            got = _decode_without_nuls(data, ("utf-8",))
            if got is not None:
                return _finish_nuls(data, got, name)
        odd = sum(1 for i in _positions(data, b"\x00") if i % 2)
        if nuls >= 2 and nuls * 200 >= len(data) and odd in (0, nuls):
            enc = "utf-16-le" if odd else "utf-16-be"
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                text = ""
            if "\n" in text and "\x00" not in text and _looks_like_text(text):
                return _finish(_check_text(text, name), name, enc)
        if few:
            got = _decode_without_nuls(data, ("gb18030",))
            if got is not None:
                return _finish_nuls(data, got, name)
        raise PublisherError(f"{name}: binary file, not text")
    for enc in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return _finish(_check_text(text, name), name, enc)
    raise PublisherError(f"{name}: cannot decode as UTF-8, UTF-16 or GB18030 text")


def _positions(data: bytes, needle: bytes) -> Iterator[int]:
    i = data.find(needle)
    while i >= 0:
        yield i
        i = data.find(needle, i + 1)


def _decode_without_nuls(data: bytes, encodings: tuple[str, ...]) -> tuple[str, str] | None:
    stripped = data.replace(b"\x00", b"")
    for enc in encodings:
        try:
            text = stripped.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text) and text.strip():
            return text, enc
    return None


def _finish_nuls(data: bytes, got: tuple[str, str], name: str) -> Decoded:
    text, enc = got
    # A NUL's line: line breaks before it in the bytes (0x0A / 0x0D never occur inside a
    # UTF-8 or GB18030 character), counted as the reader counts them after cleaning.
    lines: list[int] = []
    decoder = codecs.getincrementaldecoder(enc)(errors="ignore")
    line, start, cr = 1, 0, False
    for pos in [*_positions(data, b"\x00"), len(data)]:
        chunk = decoder.decode(data[start:pos], final=pos == len(data))
        start = pos + 1
        if chunk:
            if cr and chunk.startswith("\n"):
                chunk = chunk[1:]
            cr = chunk.endswith("\r")
            line += _count_lines(chunk) - 1
        if pos < len(data) and (not lines or lines[-1] != line):
            lines.append(line)
    out = _finish(_check_text(text, name), name, enc)
    notes = [(line, "R001", "NUL byte removed (a damaged file: NUL never occurs in text)") for line in lines]
    out.warnings[:0] = _capped(notes)
    return out


def _count_lines(head: str) -> int:
    head = _BREAKS.sub("\n", head).replace("\r\n", "\n").replace("\r", "\n")
    return head.count("\n") + 1


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    if "\x00" in text:
        return False
    bad = sum(len(m) for m in _NOT_TEXT.findall(text))
    return bad <= max(2, len(text) // 200)


# Control characters other than tab, newline, form feed and carriage return; lone
# surrogates; the replacement character (what a wrong decoding leaves).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffd]+")

# Cleaning, as data.  Every line boundary Unicode knows (str.splitlines) becomes "\n":
# the separators U+2028 / U+2029 silently, the control characters (VT, FF as a page
# break, FS/GS/RS, NEL) with a warning.  Characters XML 1.0 does not allow (the other
# C0 controls, C1 controls, lone surrogates, noncharacters such as U+FFFE) and the bidi
# embedding / override / isolate controls (they reorder text invisibly) are removed
# with a warning naming the line.
_QUIET_BREAKS = "\u2028\u2029"
_WARN_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85"
_BREAKS = re.compile(f"[{_QUIET_BREAKS}{_WARN_BREAKS}]")
_DISALLOWED = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000efffe\U000effff"
    "\U000ffffe-\U0010ffff]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_DIRTY = re.compile(f"[{_WARN_BREAKS}{_QUIET_BREAKS}]|{_DISALLOWED.pattern}|{_BIDI.pattern}")
_MAX_WARNINGS_PER_CODE = 20
# R001 NUL byte removed, R002 control character read as a line break, R003 character
# not allowed in XML removed, R004 bidi control removed.
DECODE_CODES = frozenset({"R001", "R002", "R003", "R004"})


def _describe(chars: str) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in sorted(set(chars)))


def clean_text(text: str) -> tuple[str, list[Warning]]:
    """Text safe for XML and honest to read, and a warning per line changed (R002–R004).

    Line numbers are those of the cleaned text, as the reader numbers its lines.
    """
    if not _DIRTY.search(text):
        return text, []
    notes: list[tuple[int, str, str]] = []
    out: list[str] = []
    line = 1
    for raw in re.split("(\r\n|\r|\n)", text):
        if raw in ("\r\n", "\r", "\n"):
            out.append(raw)
            line += 1
            continue
        pieces = _BREAKS.split(raw)
        seps = _BREAKS.findall(raw)
        for i, piece in enumerate(pieces):
            removed = _DISALLOWED.findall(piece)
            bidi = _BIDI.findall(piece)
            if removed:
                piece = _DISALLOWED.sub("", piece)
                notes.append((line, "R003", f"character{'s' if len(set(removed)) > 1 else ''} "
                              f"{_describe(''.join(removed))} removed (not allowed in XML)"))
            if bidi:
                piece = _BIDI.sub("", piece)
                notes.append((line, "R004", f"bidi control{'s' if len(set(bidi)) > 1 else ''} "
                              f"{_describe(''.join(bidi))} removed (they reorder text invisibly)"))
            out.append(piece)
            if i < len(seps):
                if seps[i] in _WARN_BREAKS:
                    notes.append((line, "R002", f"control character {_describe(seps[i])} read as a line break"))
                out.append("\n")
                line += 1
    return "".join(out), _capped(notes)


def _capped(notes: list[tuple[int, str, str]]) -> list[Warning]:
    """One warning per (code, line), at most _MAX_WARNINGS_PER_CODE per code, then a count."""
    seen: set[tuple[str, int]] = set()
    per: dict[str, int] = {}
    more: dict[str, int] = {}
    out: list[Warning] = []
    for line, code, msg in notes:
        if (code, line) in seen:
            continue
        seen.add((code, line))
        if per.get(code, 0) >= _MAX_WARNINGS_PER_CODE:
            more[code] = more.get(code, 0) + 1
            continue
        per[code] = per.get(code, 0) + 1
        out.append(Warning(code, msg, line))
    for code, n in sorted(more.items()):
        out.append(Warning(code, f"and {n} more line{'s' if n != 1 else ''} like the above", None))
    return out


def _finish(text: str, name: str, enc: str) -> Decoded:
    text, warnings = clean_text(text)
    if not text.strip():
        raise PublisherError(f"{name}: file is empty")
    return Decoded(text, warnings, enc)


def _check_text(text: str, name: str) -> str:
    if not _looks_like_text(text):
        raise PublisherError(f"{name}: binary file, not text")
    if not text.strip():
        raise PublisherError(f"{name}: file is empty")
    return text


def read_limited(path: str | os.PathLike, limit: int = TEXT_LIMIT, what: str = "text file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a one-line PublisherError.

    FIFOs, devices and sockets are refused before they are opened (they could block
    or never end); the size is checked on the open file and the read is bounded too.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise PublisherError(f"{p}: no such file") from None
    except OSError as e:
        raise PublisherError(f"{p}: cannot read ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise PublisherError(f"{p}: is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise PublisherError(f"{p}: not a regular file (a device, FIFO or socket), not a {what}")
    try:
        with open(p, "rb") as f:
            if os.fstat(f.fileno()).st_size > limit:
                raise PublisherError(f"{p}: too large for a {what} (over {limit // (1024 * 1024)} MB)")
            data = f.read(limit + 1)
    except OSError as e:
        raise PublisherError(f"{p}: cannot read ({e.strerror})") from None
    if len(data) > limit:
        raise PublisherError(f"{p}: too large for a {what} (over {limit // (1024 * 1024)} MB)")
    return data


def read_input(path: str | os.PathLike) -> Decoded:
    """Read and decode an input file (a bounded regular file); never modifies it."""
    return decode_text(read_limited(path, TEXT_LIMIT, "text file"), str(Path(path)))


def read_text(path: str | os.PathLike) -> str:
    """Read and decode an input file; never modifies it."""
    return read_input(path).text


def read_toml(path: str | os.PathLike, what: str = "metadata TOML") -> dict:
    """Parse a TOML file (a bounded regular file, UTF-8), or a one-line PublisherError."""
    import tomllib

    data = read_limited(path, TOML_LIMIT, what)
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise PublisherError(f"{path}: invalid {what} ({e})") from None


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to stream an output into; it becomes ``path`` only when the block ends well.

    The file is a temp file in the same folder, renamed over ``path`` at the end, so a
    reader of ``path`` sees the old file or the whole new one, never half of it; on any
    failure (Ctrl-C included) the temp file is removed, and an OSError becomes a
    PublisherError that names the output.
    """
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        from .procs import sweep_temp_files, tagged_prefix

        sweep_temp_files(p)  # temp files of this output left by a killed process
        fd, tmp = tempfile.mkstemp(prefix=tagged_prefix(f".{p.name}."), suffix=".tmp", dir=p.parent)
    except OSError as e:
        raise PublisherError(f"{p.parent}: cannot write output ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise PublisherError(f"{p}: cannot write output ({e.strerror})") from None
        raise


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_output(path) as f:
        f.write(data)
    return Path(path)


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Are ``a`` and ``b`` one file (links and ``..`` resolved)?

    A path not there yet (``sub/../src.pdf`` before ``sub`` is made) is compared by its
    resolved name, which is where it will be written.
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.lexists(b) and os.path.realpath(a) == os.path.realpath(b)


def refuse_overwrite(outputs, inputs) -> None:
    """A one-line PublisherError if writing any of ``outputs`` would replace one of ``inputs``.

    Checked before anything is written: sources are never modified (README).
    """
    ins = [Path(i) for i in inputs if i]
    for out in outputs:
        for inp in ins:
            if same_file(out, inp):
                raise PublisherError(f"{out}: writing it would overwrite the input {inp} "
                                     f"(choose another output name or folder)")


@contextlib.contextmanager
def staged_outputs(finals: list[Path]) -> Iterator[list[Path]]:
    """Temp paths beside ``finals`` to write into; all renamed over ``finals`` when the block
    ends well, all removed when it fails (Ctrl-C included): several outputs of one command
    are written all or none.
    """
    temps: list[Path] = []
    try:
        for final in finals:
            final.parent.mkdir(parents=True, exist_ok=True)
            from .procs import sweep_temp_files, tagged_prefix

            sweep_temp_files(final)  # temp files of this output left by a killed process
            fd, tmp = tempfile.mkstemp(prefix=tagged_prefix(f".{final.name}."), suffix=".tmp", dir=final.parent)
            os.close(fd)
            temps.append(Path(tmp))
    except OSError as e:
        for t in temps:
            with contextlib.suppress(OSError):
                t.unlink()
        raise PublisherError(f"{finals[0].parent}: cannot write output ({e.strerror})") from None
    try:
        yield temps
        for tmp, final in zip(temps, finals):
            os.replace(tmp, final)
    except BaseException as e:
        for t in temps:
            with contextlib.suppress(OSError):
                t.unlink()
        if isinstance(e, OSError):
            raise PublisherError(f"{finals[0].parent}: cannot write output ({e.strerror})") from None
        raise
