"""Shared fixtures.  Corpus tests read ../shared/corpus/ and ../shared/corpus-wild/ beside the clone
(the first family of samples, then other publications and other extraction tools), alike.

Without it they skip with a message (the bundled sample still covers every stage);
under CI (CI=true) the corpus must be there, and its absence fails the run.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-issue.txt"
CORPUS_DIR = ROOT.parent / "shared" / "corpus"
WILD_DIR = ROOT.parent / "shared" / "corpus-wild"
CORPUS_DIRS = (CORPUS_DIR, WILD_DIR)


def corpus_files() -> list[Path]:
    """Every corpus input of both folders, ordered by name (000… then 101…)."""
    out: list[Path] = []
    for d in CORPUS_DIRS:
        if d.is_dir():
            out += d.glob("*.txt")
    return sorted(out, key=lambda p: p.name)


def _require_corpus() -> Path:
    missing = [d for d in CORPUS_DIRS if not d.is_dir() or not any(d.glob("*.txt"))]
    if missing:
        where = ", ".join(str(d) for d in missing)
        msg = f"corpus tests skipped: {where} not found (the bundled sample still covers every stage)"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the corpus: {where} not found")
        pytest.skip(msg)
    return CORPUS_DIR


@pytest.fixture
def corpus_dir() -> Path:
    return _require_corpus()


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


def corpus_file(prefix: str) -> Path:
    """The corpus file whose name starts with ``prefix`` (e.g. "000"); skips/fails as above."""
    _require_corpus()
    matches = [p for p in corpus_files() if p.name.startswith(prefix)]
    if not matches:
        pytest.fail(f"no corpus file starting with {prefix!r} in {CORPUS_DIR} or {WILD_DIR}")
    return matches[0]


def pytest_report_header(config):
    n = len(corpus_files())
    return (f"corpus: {CORPUS_DIR} and {WILD_DIR} ({n} files)" if n
            else f"corpus: not found at {CORPUS_DIR}: corpus tests skip")
