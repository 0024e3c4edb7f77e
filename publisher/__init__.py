"""publisher: raw text of a Chinese periodical issue → EPUB 3, print-ready PDF, anthology."""

__version__ = "0.1.0"
