"""Write the JSON Schemas of agreements.yml and reports/*.yml into schema/, for editors.

Editors with yaml-language-server then complete and check fields as you type: each data file
names its schema on its first line. The schemas are built from the validator's own rules;
with --check, nothing is written and the exit status is 1 when a file in schema/ is stale.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace

from ..schema import schema_files


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a schema file differs from what would be written")


def run(args: Namespace) -> int:
    stale, written = [], []
    for name, text in schema_files().items():
        path = args.project / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current == text:
            continue
        if args.check:
            stale.append(name)
            problem = "missing" if current is None else "out of date"
            print(f"{name}: error: {problem}; expected what `python build.py schema` writes", file=sys.stderr)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            print(f"{name}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {name}")
        written.append(name)
    if stale:
        return 1
    if not written:
        print("ok: schema/ is up to date")
    return 0
