"""Diagnostics: problems in the data, located at a file, line and column."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in the data, as `FILE:LINE:COL: SEVERITY: MESSAGE`."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"
    source: str | None = field(default=None, compare=False)  # the text of the line, to show under the message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def excerpt(self) -> str:
        """The line it is about and a caret under its column, as compilers show them; '' without a source."""
        if self.source is None:
            return ""
        shown, before = _visible(self.source, self.col - 1)
        number = str(self.line)
        width = max(len(number), 4)
        return f"{number:>{width}} | {shown}\n{'':>{width}} | {before}^"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class DataError(Exception):
    """The data is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(map(str, self.diagnostics)))


def suggest(word: str, choices: Iterable[str]) -> str:
    """A `; did you mean 'x'?` hint for a misspelt word, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def quote(text: str, limit: int = 60) -> str:
    """A user's value shown safely inside a one-line message."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def _visible(line: str, col: int, limit: int = 100) -> tuple[str, str]:
    """A source line as it can be shown on one terminal line, and the padding that reaches `col` in it.

    Tabs stay tabs (they then line up the same on both lines), invisible and control characters are
    shown as escapes, wide characters count twice; a long line is cut around the column.
    """
    cells = [_shown(char) for char in line]
    start = max(0, min(col - limit // 2, len(cells) - limit))
    end = start + limit
    head, tail = ("…" if start else ""), ("…" if end < len(cells) else "")
    shown = head + "".join(cells[start:end]) + tail
    padding = " " * len(head) + "".join(_padding(cell) for cell in cells[start:max(start, min(col, len(cells)))])
    return shown, padding


def _shown(char: str) -> str:
    if char == "\t":
        return char
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs" and char != " "):
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return char


def _padding(cell: str) -> str:
    if cell == "\t":
        return "\t"
    width = 0
    for char in cell:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return " " * width
