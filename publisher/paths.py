"""Where the project's data folders are (styles, templates, fonts, examples)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLES_DIR = ROOT / "styles"
TEMPLATES_DIR = ROOT / "templates"
FONTS_DIR = ROOT / "fonts"
EXAMPLES_DIR = ROOT / "examples"
