"""Resolve the font roles of ``fonts/manifest.toml`` to files on this machine."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import PublisherError
from .paths import FONTS_DIR

MANIFEST = FONTS_DIR / "manifest.toml"
# An office with its own fonts (or a test of a missing one) points here at another manifest;
# relative candidate paths are then taken from that manifest's folder.
MANIFEST_ENV = "PUBLISHER_FONTS_MANIFEST"


@dataclass(frozen=True)
class FontFace:
    role: str  # "song", "song-bold", …
    family: str  # CSS family used by our stylesheets, e.g. "Pub Song"
    weight: int
    path: Path
    index: int  # face index inside a .ttc; 0 otherwise
    license: str


def load_manifest(path: Path = MANIFEST) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublisherError(f"{path}: font manifest missing") from None
    except tomllib.TOMLDecodeError as e:
        raise PublisherError(f"{path}: invalid font manifest ({e})") from None


def resolve_role(role: str, spec: dict, base: Path = FONTS_DIR) -> FontFace:
    tried = []
    for cand in spec.get("candidates", []):
        p = Path(cand["file"])
        if not p.is_absolute():
            p = base / p
        tried.append(str(p))
        if p.is_file():
            return FontFace(role, spec["family"], int(spec.get("weight", 400)), p, int(cand.get("index", 0)), spec.get("license", ""))
    pkg = spec.get("package")
    hint = f"; install the Debian package {pkg} (scripts/bootstrap.sh does)" if pkg else ""
    raise PublisherError(f"font for role '{role}' not found (looked for {', '.join(tried)}){hint}")


@lru_cache(maxsize=4)
def _faces(manifest: Path) -> tuple[FontFace, ...]:
    data = load_manifest(manifest)
    return tuple(resolve_role(role, spec, manifest.parent) for role, spec in data.get("roles", {}).items())


def font_faces(manifest: Path | None = None) -> list[FontFace]:
    """Every role of the manifest resolved to a file; PublisherError names a missing one.

    The manifest is ``manifest``, else $PUBLISHER_FONTS_MANIFEST, else fonts/manifest.toml.
    """
    if manifest is None:
        env = os.environ.get(MANIFEST_ENV)
        manifest = Path(env) if env else MANIFEST
    return list(_faces(manifest))
