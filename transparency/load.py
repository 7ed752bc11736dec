"""Stage 1: read YAML files into trees of text that remember where each value came from.

Only the YAML that the data contract allows gets through: one document of mappings,
sequences and scalars. Every scalar stays text (the schema types it later); duplicate keys,
anchors, aliases, merge keys and tags are refused at their position, before anything is
expanded, so an alias bomb costs nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Union

import yaml

from .errors import DataError, Diagnostic
from .syntax import LINE_BREAKS, explain

# libyaml's parser where it is installed, the pure-Python one otherwise.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 16
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What YAML itself refuses in a file (its printable set), found before the parser sees it.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Scalar:
    """A scalar as text, with its 1-based position."""

    __slots__ = ("value", "line", "col", "plain")

    def __init__(self, value: str, line: int, col: int, plain: bool):
        self.value = value
        self.line = line
        self.col = col
        self.plain = plain

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.line}:{self.col})"


class Mapping:
    """A mapping: key text -> (key scalar, value node), in file order."""

    __slots__ = ("items", "line", "col")

    def __init__(self, line: int, col: int):
        self.items: dict[str, tuple[Scalar, Node]] = {}
        self.line = line
        self.col = col


class Sequence:
    """A sequence of nodes."""

    __slots__ = ("items", "line", "col")

    def __init__(self, line: int, col: int):
        self.items: list[Node] = []
        self.line = line
        self.col = col


Node = Union[Scalar, Mapping, Sequence]


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded file: where it is, its SHA-256 and its tree."""

    path: str  # as shown in messages (relative to where the command runs)
    name: str  # relative to the data folder, e.g. reports/2024-01.yml
    sha256: str
    root: Node | None  # None for an empty file


AGREEMENTS = "agreements.yml"
REPORTS = "reports"


def display_root(data: Path) -> str:
    """How paths under the data folder begin in messages: '' for the current folder, else 'DIR/'."""
    return "" if str(data) in ("", ".") else str(data).rstrip("/") + "/"


def load_repository(data: Path, shown_root: str | None = None
                    ) -> tuple[Document | None, list[Document], list[Diagnostic]]:
    """Read agreements.yml and every reports/*.yml under `data`, collecting what cannot be read.

    Messages name the files `shown_root` + their name, by default the path under `data`.
    """
    problems: list[Diagnostic] = []
    agreements = None
    if shown_root is None:
        shown_root = display_root(data)
    path = data / AGREEMENTS
    if not path.is_file():
        problems.append(Diagnostic(shown_root + AGREEMENTS, 1, 1,
            "file not found; expected agreements.yml at the root of the data folder"))
    else:
        try:
            agreements = read(path, shown_root + AGREEMENTS, AGREEMENTS)
        except DataError as exc:
            problems.extend(exc.diagnostics)
    reports = []
    folder = data / REPORTS
    names = sorted(entry.name for entry in folder.iterdir()) if folder.is_dir() else []
    for name in names:
        shown = f"{shown_root}{REPORTS}/{name}"
        if name.endswith(".yaml"):
            problems.append(Diagnostic(shown, 1, 1,
                f"report files end in .yml; expected {REPORTS}/{name[:-5]}.yml"))
            continue
        if not name.endswith(".yml"):
            continue  # a README or .gitkeep beside the reports
        try:
            reports.append(read(folder / name, shown, f"{REPORTS}/{name}"))
        except DataError as exc:
            problems.extend(exc.diagnostics)
    return agreements, reports, problems


def kind(node: Node) -> str:
    """How a node is called in messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "empty" if node.is_null else "text"


def read(path: Path, shown: str, name: str) -> Document:
    """Read and parse one file; raise DataError with its position when it cannot be used."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DataError([Diagnostic(shown, 1, 1, f"cannot read the file: {exc.strerror}")])
    return parse(data, shown, name)


def parse(data: bytes, shown: str, name: str | None = None) -> Document:
    """Parse the bytes of one file into a Document."""
    if len(data) > MAX_BYTES:
        raise DataError([Diagnostic(shown, 1, 1,
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; expected a data file of reasonable size")])
    digest = hashlib.sha256(data).hexdigest()
    text = _decode(data, shown)
    try:
        root, duplicates = _build(text, shown)
    except DataError as exc:
        raise DataError(_with_sources(exc.diagnostics, text)) from None
    if duplicates:
        raise DataError(_with_sources(duplicates, text))
    return Document(shown, name or shown, digest, root)


def _with_sources(diagnostics: list[Diagnostic], text: str) -> list[Diagnostic]:
    """The diagnostics with the text of their line, shown under them."""
    lines = LINE_BREAKS.split(text)
    return [replace(d, source=lines[d.line - 1]) if 0 < d.line <= len(lines) else d for d in diagnostics]


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start, b"\n")
        raise DataError([Diagnostic(shown, line, col,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; expected the file saved as UTF-8 text")])
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, col = _position(text, bad.start(), "\n")
        raise DataError(_with_sources([Diagnostic(shown, line, col,
            f"control character U+{ord(bad.group()):04X} is not allowed; expected printable text "
            "(newline and tab are allowed)")], text))
    return text


def _position(text, offset: int, newline) -> tuple[int, int]:
    """1-based line and column of an offset."""
    return text.count(newline, 0, offset) + 1, offset - (text.rfind(newline, 0, offset) + 1) + 1


def _fail(shown: str, mark, message: str) -> DataError:
    return DataError([Diagnostic(shown, mark.line + 1, mark.column + 1, message)])


def _build(text: str, shown: str) -> tuple[Node | None, list[Diagnostic]]:
    """Turn the parser's events into a tree, refusing what the contract forbids.

    Duplicate keys are collected (every one is reported); anything else stops at once.
    """
    loader = _Loader(text)
    duplicates: list[Diagnostic] = []
    root: Node | None = None
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []  # per open mapping: the key waiting for its value
    documents = 0
    try:
        while True:
            event = loader.get_event()
            if event is None:
                break
            cls = type(event)
            if cls is yaml.ScalarEvent:
                if event.anchor is not None:
                    raise _fail(shown, event.start_mark, _anchor_message(event.anchor))
                if event.tag is not None:
                    raise _fail(shown, event.start_mark, _tag_message(event.tag))
                value = event.value
                plain = not event.style
                mark = event.start_mark
                if _CONTROL.search(value):
                    escaped = " (in double quotes, a backslash starts an escape such as \\r: write \\\\ for a " \
                              "backslash, or put the value in single quotes)" if event.style == '"' else ""
                    raise _fail(shown, mark, "text contains a control character; expected printable text (newline "
                                             f"and tab are allowed){escaped}")
                node: Node = Scalar(value, mark.line + 1, mark.column + 1, plain)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise _fail(shown, event.start_mark, _anchor_message(event.anchor))
                if event.tag is not None:
                    raise _fail(shown, event.start_mark, _tag_message(event.tag))
                if len(stack) >= MAX_DEPTH:
                    raise _fail(shown, event.start_mark,
                        f"nesting deeper than {MAX_DEPTH} levels; expected the shallow structure of the data contract")
                mark = event.start_mark
                container: Node = (Mapping if cls is yaml.MappingStartEvent else Sequence)(mark.line + 1, mark.column + 1)
                _attach(container, stack, pending_key, shown, duplicates)
                if root is None:
                    root = container
                stack.append(container)
                pending_key.append(None)
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                stack.pop()
                pending_key.pop()
                continue
            elif cls is yaml.AliasEvent:
                raise _fail(shown, event.start_mark, f"YAML alias '*{event.anchor}' is not allowed; expected the value "
                                                     "written out in full (or in quotes, if '*' is part of the text)")
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _fail(shown, event.start_mark,
                        "a second YAML document ('---'); expected exactly one document per file")
                continue
            else:  # stream start/end, document end
                continue
            if not stack:
                root = node
            else:
                _attach(node, stack, pending_key, shown, duplicates)
    except yaml.MarkedYAMLError as exc:
        found = explain(text, exc)
        raise DataError([Diagnostic(shown, found.line, found.col, found.message)])
    except yaml.YAMLError as exc:  # a reader error without a mark
        raise DataError([Diagnostic(shown, 1, 1, f"invalid YAML: {exc}")])
    finally:
        loader.dispose()
    return root, duplicates


def _attach(node: Node, stack: list[Node], pending_key: list[Scalar | None], shown: str,
            duplicates: list[Diagnostic]) -> None:
    """Put a finished node into the container that is open."""
    if not stack:
        return
    parent = stack[-1]
    if type(parent) is Sequence:
        parent.items.append(node)
        return
    key = pending_key[-1]
    if key is None:
        if type(node) is not Scalar:
            raise DataError([Diagnostic(shown, node.line, node.col,
                f"{kind(node)} used as a mapping key; expected a plain name")])
        if node.plain and node.value == "<<":
            raise DataError([Diagnostic(shown, node.line, node.col,
                "YAML merge key '<<' is not allowed; expected the fields written out in full")])
        pending_key[-1] = node
        return
    pending_key[-1] = None
    first = parent.items.get(key.value)
    if first is not None:
        duplicates.append(Diagnostic(shown, key.line, key.col,
            f"duplicate key '{key.value}' (first at line {first[0].line}); expected each key once"))
        return
    parent.items[key.value] = (key, node)


def _anchor_message(anchor: str) -> str:
    return (f"YAML anchor '&{anchor}' is not allowed; expected the value written out in full (or in quotes, if '&' "
            "is part of the text)")


def _tag_message(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:"):]
    return (f"YAML tag '{tag}' is not allowed; expected a plain value without a tag (or in quotes, if '!' is part of "
            "the text)")
