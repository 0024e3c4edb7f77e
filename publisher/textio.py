"""Side effects at the edge: decoding input text and writing outputs atomically."""
from __future__ import annotations

import codecs
import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import PublisherError

# Encodings tried in order after the BOM check.  GB18030 is a superset of GBK and
# GB2312, which editorial offices on Windows still export (DEVELOPERS.md).
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode raw input bytes to text, or raise PublisherError with a one-line reason."""
    if not data.strip():
        raise PublisherError(f"{name}: file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(enc), name)
            except UnicodeDecodeError as e:
                raise PublisherError(f"{name}: not valid {enc} text despite its byte-order mark ({e.reason})") from None
    # NUL never occurs in real text: either UTF-16 without a BOM, or binary data.
    if b"\x00" in data:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return _check_text(text, name)
        raise PublisherError(f"{name}: binary file, not text")
    for enc in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return _check_text(text, name)
    raise PublisherError(f"{name}: cannot decode as UTF-8, UTF-16 or GB18030 text")


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


def _check_text(text: str, name: str) -> str:
    if not _looks_like_text(text):
        raise PublisherError(f"{name}: binary file, not text")
    if not text.strip():
        raise PublisherError(f"{name}: file is empty")
    return text


def read_text(path: str | os.PathLike) -> str:
    """Read and decode an input file; never modifies it."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise PublisherError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise PublisherError(f"{p}: is a folder, not a text file") from None
    except OSError as e:
        raise PublisherError(f"{p}: cannot read ({e.strerror})") from None
    return decode_bytes(data, str(p))


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
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
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
