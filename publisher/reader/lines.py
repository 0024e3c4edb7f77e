"""Input lines with their 1-based line numbers, so every item can say where it came from."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based line number in the input
    text: str  # the line without its newline and trailing white space


def split_lines(text: str) -> list[SourceLine]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [SourceLine(i, line.rstrip()) for i, line in enumerate(text.split("\n"), start=1)]
