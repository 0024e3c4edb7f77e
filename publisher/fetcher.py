"""The one URL fetcher of every WeasyPrint document (issue, parts, furniture,
anthology front matter): it serves the project's own files and the issue's checked
images, and refuses everything else.

WeasyPrint's default fetcher opens any URL a document or stylesheet names —
``http(s)://``, ``ftp://``, any local file — and so does an SVG it renders.  This
one serves:

- ``file:`` URLs of regular files under the project's ``styles/``, ``templates/``
  and ``fonts/`` folders, the font files the font manifest names and the font cache
  (pdf/fonts.py, where collection faces are extracted);
- ``file:`` URLs of images registered with :func:`allow_image` — a cover that
  images.check_image accepted: the checked bytes are served, not the file re-read;
- ``data:`` URLs that the project's own stylesheets (``styles/*.css``) contain,
  word for word (the contents' dotted leader).  Any other ``data:`` URL is refused
  too: it fetches nothing, but it is content the project did not write (an image
  painted from a metadata value that broke out of a CSS string, say).

Every other URL — every network scheme, any other file, any other ``data:`` — is
refused with a ValueError, which WeasyPrint reports and skips (the resource is left
out); the refusals are kept in :attr:`SafeFetcher.refused` for the tests.
"""
from __future__ import annotations

import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .paths import FONTS_DIR, STYLES_DIR, TEMPLATES_DIR

MAX_FILE_BYTES = 256 * 1024 * 1024  # a CJK font file is up to ~30 MB
_DATA_URL = re.compile(r"""url\(\s*(?:"(data:[^"]*)"|'(data:[^']*)'|(data:[^"')\s]*))\s*\)""")

# Checked images by resolved path: (bytes, media type).  Filled by the HTML builders
# (pdf/html.py) in the process that renders; a forked worker inherits it.
_images: dict[str, tuple[bytes, str]] = {}


def allow_image(path: Path, data: bytes, media_type: str) -> str:
    """Serve ``data`` for ``path`` (an image already checked); returns its file: URL."""
    p = Path(path).resolve()
    _images[str(p)] = (data, media_type)
    return p.as_uri()


@lru_cache(maxsize=1)
def _style_data_urls() -> frozenset[str]:
    from weasyprint.urls import iri_to_uri

    from .pdf.pdfx import cmyk_css

    out: set[str] = set()
    for css in sorted(STYLES_DIR.glob("*.css")):
        for m in _DATA_URL.finditer(css.read_text(encoding="utf-8")):
            url = next(g for g in m.groups() if g is not None)
            for u in (url, cmyk_css(url)):  # and as the print PDF inks it (pdf/pdfx.py)
                out.update((u, iri_to_uri(u)))
    return frozenset(out)


@lru_cache(maxsize=1)
def _font_files() -> frozenset[str]:
    out: set[str] = set()
    try:
        from .fonts import font_faces

        for face in font_faces():
            out.add(str(Path(face.path).resolve()))
    except Exception:  # no manifest: no font files to serve
        pass
    return frozenset(out)


def _font_cache() -> Path | None:
    try:
        from .pdf.fonts import cache_dir

        return cache_dir().resolve()
    except Exception:
        return None


def _within(p: Path, folder: Path | None) -> bool:
    return folder is not None and (p == folder or folder in p.parents)


def local_path(url: str) -> Path | None:
    """The file a ``file:`` URL names (query and fragment dropped), or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(unquote(parts.path)))


def servable(path: Path) -> bool:
    """Whether the fetcher would serve the file at ``path`` (images aside)."""
    p = path.resolve()
    if any(_within(p, d.resolve()) for d in (STYLES_DIR, TEMPLATES_DIR, FONTS_DIR)):
        return True
    return str(p) in _font_files() or _within(p, _font_cache())


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data" and url in _style_data_urls():
                return super().fetch(url, headers)
            if scheme == "file" and (path := local_path(url)) is not None:
                key = str(path.resolve())
                if key in _images:
                    data, media_type = _images[key]
                    return URLFetcherResponse(url, data, {"Content-Type": media_type})
                if servable(path):
                    from .images import read_regular

                    data = read_regular(path, MAX_FILE_BYTES, "resource")
                    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, data, {"Content-Type": media_type})
            self.refused.append(url)
            raise ValueError(f"not served (only the project's own files and the issue's images are): {url[:200]}")

    return SafeFetcher


@lru_cache(maxsize=1)
def url_fetcher():
    """The process's fetcher (one instance: WeasyPrint keeps it with each parsed
    stylesheet)."""
    return _fetcher_class()()
