"""YAML syntax errors in plain words: what is wrong and what was expected, at the mistake.

PyYAML's parsers (libyaml's and the pure-Python one, which word the same errors differently) say
things like "mapping values are not allowed in this context" at the point where they gave up. The
people who edit the data do not write YAML every day: their mistakes are tabs, a ': ' inside a
value, a line indented one space too many or too few, a quote or bracket left open. Each is
recognised here from the parser's error and the text around it, and explained, with the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# YAML 1.1's line breaks, as the parsers count lines.
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_KEY = re.compile(r"(?:- +)*([^\s#:'\"\[\]{},&*!|>%@`-][^:]*?|-[^\s:][^:]*?|['\"][^'\"]*['\"]):(?: |$)")
_BLOCK_SCALAR = re.compile(r":\s+[|>][-+0-9]*\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class Explained:
    line: int  # 1-based
    col: int
    message: str


def explain(text: str, error: yaml.MarkedYAMLError) -> Explained:
    """Where a parser error is and what it means, in words for people who do not write YAML."""
    lines = LINE_BREAKS.split(text)
    mark = error.problem_mark or error.context_mark
    at = _Place(lines, mark.line if mark else 0, mark.column if mark else 0)
    context = error.context or ""
    problem = error.problem or ""
    opening = _Place(lines, error.context_mark.line, error.context_mark.column) if error.context_mark else at
    for recognise in (_tab, _quote, _escape, _block_scalar_header, _flow, _simple_key, _mapping_values,
                      _sequence_entry, _cannot_start, _document, _block):
        found = recognise(at, opening, context, problem)
        if found is not None:
            return found
    return at.explained(f"the YAML cannot be read here ({problem or context or 'invalid YAML'}); expected "
                        "'key: value' lines indented with spaces, and values with special characters in quotes")


class _Place:
    """A position in the text (0-based, as the parser gives it), with what is around it."""

    def __init__(self, lines: list[str], line: int, col: int):
        self.lines = lines
        self.line = min(line, len(lines) - 1)
        self.text = lines[self.line]
        self.col = col if line == self.line else len(self.text)

    @property
    def char(self) -> str:
        return self.text[self.col] if self.col < len(self.text) else ""

    @property
    def at_end(self) -> bool:
        """At the end of the file, after its last character."""
        return self.line == len(self.lines) - 1 and self.col >= len(self.text.rstrip())

    def explained(self, message: str, col: int | None = None, line: int | None = None) -> Explained:
        return Explained((self.line if line is None else line) + 1, (self.col if col is None else col) + 1, message)

    def previous(self) -> int | None:
        """The line before this one that holds something other than a comment, or None."""
        for number in range(self.line - 1, -1, -1):
            stripped = self.lines[number].strip()
            if stripped and not stripped.startswith("#"):
                return number
        return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _key(text: str) -> tuple[str, int] | None:
    """The key of a `key: value` (or `- key: value`) line and its column (0-based), or None."""
    match = _KEY.match(text, _indent(text))
    return (match[1], match.start(1)) if match else None


def _value_of(text: str) -> str:
    """A plain value as written up to its comment, with its own surrounding quotes taken off."""
    value = re.split(r"\s#", text, maxsplit=1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


def _quoted(value: str) -> str:
    """`value` as a YAML quoted scalar: in double quotes, or in single ones when it holds a double quote."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _with_value_quoted(text: str, start: int) -> str:
    """The line, trimmed, with its value from `start` on in quotes: what to write instead."""
    return (text[:start].strip() + " " + _quoted(_value_of(text[start:]))).strip()


def _value_start(text: str) -> int | None:
    """Where the value of a `key: value` line starts, or None."""
    key = _key(text)
    if key is None:
        return None
    after = key[1] + len(key[0]) + 1
    return len(text) - len(text[after:].lstrip(" "))


# -- the mistakes, one recogniser each: (place, where the parser's context began, context, problem) --

def _tab(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "tab" not in problem and not ("cannot start any token" in problem and at.char == "\t"):
        return None
    text = at.text
    col = at.col if at.char == "\t" else text.find("\t")
    col = max(col, 0)
    if not text[:col].strip(" \t"):
        return at.explained("this line is indented with a tab; expected spaces (indent with spaces, not a tab: "
                            "most editors can be set to insert spaces for the Tab key)", col)
    return at.explained("a tab character here; expected a space (YAML takes no tab between the parts of a line)", col)


def _quote(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "quoted scalar" not in context or "end of stream" not in problem and "document" not in problem:
        return None
    quote = opening.char or '"'
    other = "'" if quote == '"' else '"'
    return opening.explained(f"the quote {quote} opened here is never closed; expected a closing {quote} at the end "
                             f"of the value (a {quote} inside the value: use {other} around it instead)")


def _escape(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "quoted scalar" not in context or "escape" not in problem and "hexdecimal" not in problem:
        return None
    start = opening.col
    backslash = at.text.rfind("\\", start, at.col + 1)
    col = backslash if backslash >= 0 else at.col
    sequence = at.text[col:col + 2]
    suggestion = (at.text[:start].strip() + " " + _single_quoted(_value_of(at.text[start:]))).strip()
    digits = {"\\x": 2, "\\u": 4, "\\U": 8}.get(sequence)
    if digits is not None:
        wrong = f"'{sequence}' is not followed by {digits} hexadecimal digits"
    else:
        wrong = f"'{sequence}' is not an escape YAML knows inside double quotes"
    return at.explained(f"{wrong}; expected '\\\\' for a backslash, or the value in single quotes, like {suggestion}",
                        col)


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _block_scalar_header(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "block scalar" not in context:
        return None
    indicator = opening.char or "|"
    suggestion = _with_value_quoted(opening.text, opening.col)
    return at.explained(f"'{indicator}' starts a text of several lines, written on the lines below it; expected "
                        f"nothing after '{indicator}' on this line, or the value in quotes, like {suggestion}",
                        opening.col)


def _flow(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "flow" not in context:
        return None
    if "flow node" in context and not at.at_end and at.char == ",":
        return at.explained("an empty entry between two commas; expected a value between them")
    place = opening if opening.char and opening.char in "[{" else _unclosed_bracket(at)
    if place is None:
        return None
    bracket = place.char
    closing = "]" if bracket == "[" else "}"
    what = "list" if bracket == "[" else "mapping"
    suggestion = _with_value_quoted(place.text, place.col)
    return place.explained(f"this '{bracket}' starts a {what} that is never closed; expected '{closing}' at its end, "
                           f"or, if '{bracket}' is part of the text, the value in quotes, like {suggestion}")


def _unclosed_bracket(at: _Place) -> _Place | None:
    """The last '[' or '{' before a place whose bracket is still open."""
    depth = 0
    for number in range(at.line, -1, -1):
        text = at.lines[number][: at.col] if number == at.line else at.lines[number]
        for col in range(len(text) - 1, -1, -1):
            if text[col] in "]}":
                depth += 1
            elif text[col] in "[{":
                if depth == 0:
                    return _Place(at.lines, number, col)
                depth -= 1
    return None


def _simple_key(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "simple key" not in context:
        return None
    word = opening.text.strip()
    glued = re.search(r":(?=[^\s:])", word)
    if glued:
        fixed = word[:glued.start() + 1] + " " + word[glued.start() + 1:]
        return opening.explained(f"{word!r} has no space after its ':', so YAML reads it all as one word; expected "
                                 f"{fixed}", opening.col + glued.start())
    return opening.explained(f"{word!r} has no ':' after it; expected 'key: value' (or '- value' in a list)")


def _mapping_values(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "mapping values are not allowed" not in problem:
        return None
    text = at.text
    start = _value_start(text[: at.col + 1] + " ")
    if start is not None and start <= at.col:
        suggestion = _with_value_quoted(text, start)
        return at.explained(f"this value contains ': ', which YAML reads as the start of another key; expected the "
                            f"value in quotes, like {suggestion} (or each 'key: value' on a line of its own)")
    above = at.previous()
    key = _key(text)
    if above is not None and key is not None:
        line = at.lines[above]
        glued = re.search(r"[^\s:]:[^\s:]", line)
        if _key(line) is None and glued and not line.lstrip().startswith("-"):
            colon = glued.start() + 1
            fixed = line[:colon + 1].strip() + " " + line[colon + 1:].strip()
            return at.explained(f"line {above + 1} has no space after its ':', so YAML reads it as text that runs "
                                f"on into this line; expected {fixed}", colon, above)
        if _key(line) is None:
            return at.explained(f"line {above + 1} has no ':' after its key, so YAML reads it as text that runs on "
                                f"into this line; expected 'key: value' on line {above + 1}",
                                _indent(line), above)
        above_key = _key(line)
        if _indent(text) > above_key[1]:
            return at.explained(f"this line is indented more than the line above, so YAML reads it as the rest of "
                                f"that line's value; expected '{key[0]}' lined up with '{above_key[0]}' (column "
                                f"{above_key[1] + 1}), or, if the line above goes on here, its value in quotes",
                                key[1])
    return at.explained("a ':' that YAML cannot place here; expected quotes around a value that contains ': ', "
                        "or check the indentation of the line above")


def _sequence_entry(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "sequence entries are not allowed" not in problem:
        return None
    return at.explained("a list item ('- ') after something else on its line; expected each '- ' at the start of "
                        "its own line, under the key of the list (on the line after 'key:')")


def _cannot_start(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if any(words in context for words in ("an anchor", "an alias", "a tag", "a directive")):
        at = opening  # a '&', '*', '!' or '%' that does not start a name: meant as text
    elif not any(words in problem for words in ("cannot start any token", "node content",
                                                "mapping keys are not allowed")):
        return None
    char = at.char
    if not char or at.at_end:
        return None
    suggestion = _with_value_quoted(at.text, at.col)
    return at.explained(f"a value cannot start with {char!r} in YAML; expected the value in quotes, like {suggestion}")


def _document(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "document start" not in problem:
        return None
    above = at.previous()
    if above is not None and at.lines[above].strip() == "...":
        return at.explained("the file goes on after '...', which ends a YAML document; expected nothing after it "
                            "(delete the '...' line)", 0)
    first = next((number for number, line in enumerate(at.lines) if line.strip() and not line.lstrip().startswith("#")),
                 0)
    column = _indent(at.lines[first])
    return at.explained(f"this line is indented differently from the first line of the file; expected the top-level "
                        f"fields all at column 1 (line {first + 1} starts at column {column + 1})", _indent(at.text))


def _block(at: _Place, opening: _Place, context: str, problem: str) -> Explained | None:
    if "block" not in context:
        return None
    text = at.text
    start = len(text) - len(text.lstrip(" "))
    if at.char == "-" or text[start:start + 1] == "-" and at.col == start:
        return _list_item(at)
    if at.col > start:
        return _after_value(at)
    if at.char == ":":
        return at.explained("a ':' with no key before it; expected 'key: value'")
    if "block collection" in context:
        return _field_in_list(at, opening)
    return _unaligned(at)


def _list_item(at: _Place) -> Explained:
    """A '- ' item where a field was expected: out of line with its list, or among fields."""
    for number in range(at.line - 1, -1, -1):
        line = at.lines[number]
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            column = _indent(line)
            if column != at.col:
                return at.explained(f"this list item is not lined up with the one on line {number + 1}; expected its "
                                    f"'-' at column {column + 1}, under the '-' of line {number + 1}")
            break
        if stripped and not stripped.startswith("#") and _indent(line) < at.col:
            break
    return at.explained("a list item ('- ') among fields; expected 'key: value' here, or the list on the lines "
                        "under a key that ends with ':'")


def _field_in_list(at: _Place, opening: _Place) -> Explained:
    """A line in a list that neither starts a new item nor lines up with the fields of the item above."""
    dash = opening.col
    item = _key(opening.text[dash:].replace("-", " ", 1))
    word = (_key(at.text) or (at.text.strip(), 0))[0]
    if item is not None:
        name, col = item[0], item[1] + dash
        return at.explained(f"'{word}' is not lined up with the list item above (line {opening.line + 1}); expected it "
                            f"under '{name}' (column {col + 1}) to belong to that item, or '- ' at column {dash + 1} "
                            "to start a new item")
    return at.explained(f"'{word}' is not lined up with the list above (line {opening.line + 1}); expected '- ' at "
                        f"column {dash + 1} to start a new item")


def _after_value(at: _Place) -> Explained:
    """Text after a value that is complete: after its closing quote or bracket."""
    text = at.text
    before = text[: at.col].rstrip()
    closing = before[-1:] or " "
    start = _value_start(text)
    suggestion = _with_value_quoted(text, start) if start is not None else _quoted(_value_of(text))
    if closing in "'\"":
        if before.count(closing) % 2:  # this line holds no opening quote: it was opened on a line above
            opened = next((number for number in range(at.line - 1, -1, -1) if closing in at.lines[number]), None)
            if opened is not None:
                return at.explained(f"the quote {closing} opened here closes only on line {at.line + 1}; expected "
                                    f"a closing {closing} at the end of this value", at.lines[opened].index(closing),
                                    opened)
        what = f"after the closing quote {closing}"
    elif closing in "]}":
        what = f"after the closing '{closing}'"
    else:
        what = "after the value"
    return at.explained(f"more text {what}; expected the whole value in quotes, like {suggestion}")


def _unaligned(at: _Place) -> Explained:
    """A line at the start of which the parser expected something else: its indentation lines it up with nothing."""
    column = at.col
    scalar = _enclosing_block_scalar(at)
    if scalar is not None:
        number, first = scalar
        return at.explained(f"this line is indented less than the text that starts on line {number + 1}; expected "
                            f"every line of that text indented at least as much as its first (column {first + 1})")
    word = (_key(at.text) or (at.text.strip().split(" ")[0], 0))[0]
    options = [f"'{name}' on line {number + 1} (column {col + 1})" for number, name, col in _neighbours(at, column)]
    if not options:
        return at.explained(f"'{word}' is not lined up with the lines above; expected the same indentation as the "
                            "fields it belongs with")
    listed = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
    return at.explained(f"'{word}' is not lined up with any field above; expected it lined up with {listed}")


def _enclosing_block_scalar(at: _Place) -> tuple[int, int] | None:
    """(line, column of its first line of text) of the `key: |` text the line above belongs to, if any."""
    below = None
    for number in range(at.line - 1, -1, -1):
        line = at.lines[number]
        if not line.strip():
            continue
        if _BLOCK_SCALAR.search(line):
            if below is not None and _indent(at.lines[below]) > _indent(line):
                return number, _indent(at.lines[below])
            return None
        if _key(line) is not None and below is not None:
            return None
        below = number
    return None


def _neighbours(at: _Place, column: int) -> list[tuple[int, str, int]]:
    """The fields above that the line could line up with, as (line, key, column): the one on the line
    above, the nearest one right of `column` and the nearest one left of it, each it belongs under."""
    found: list[tuple[int, str, int]] = []
    limit = None
    for number in range(at.line - 1, -1, -1):
        key = _key(at.lines[number])
        if key is None or limit is not None and key[1] >= limit:
            continue
        limit = key[1]
        found.append((number, *key))
        if key[1] < column:
            break
    if len(found) > 3:
        found = [found[0], found[-2], found[-1]]
    return found
