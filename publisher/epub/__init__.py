"""The EPUB 3 backend: ``write_epub(issue, out_path, embed_fonts=True)``."""
from .writer import build_epub_bytes, write_epub

__all__ = ["write_epub", "build_epub_bytes"]
