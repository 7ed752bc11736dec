"""The command line: argument parsing and dispatch to `commands/`; no logic of its own."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterable

from . import __version__
from .errors import suggest

# Each command and its module in commands/, imported only when that command runs (or for the list of
# all of them in --help): `check` never loads what only `build` needs (Jinja2, markdown-it, MkDocs).
COMMANDS = {"build": "build", "check": "check", "diff": "diff", "new-report": "new_report", "pay": "pay",
            "schema": "schema", "serve": "serve", "verify": "verify"}


def command(name: str) -> ModuleType:
    """The module of the command `name`, with its `add_arguments` and `run`."""
    return importlib.import_module(f"{__package__}.commands.{COMMANDS[name]}")


def parser(names: Iterable[str] = COMMANDS) -> argparse.ArgumentParser:
    """The argument parser with the commands `names` (all of them by default)."""
    top = argparse.ArgumentParser(
        prog="python build.py",
        description="Validate the connector maintenance agreements and monthly reports, compute the "
                    "ledger and build the transparency site. Without a command: build.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name in names:
        module = command(name)
        subparser = sub.add_parser(name, help=module.__doc__.strip().splitlines()[0],
                                   description=module.__doc__)
        subparser.add_argument("--data", type=Path, default=Path("."), metavar="DIR",
                               help="folder holding agreements.yml and reports/ (default: the current folder)")
        module.add_arguments(subparser)
    return top


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    _utf8_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        hint = suggest(argv[0], COMMANDS) or "; expected one of: " + ", ".join(COMMANDS)
        parser(()).error(f"unknown command '{argv[0]}'{hint}")
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "build")
    # The command comes first and only its module is imported; the overall --help lists them all.
    args = parser([argv[0]] if argv[0] in COMMANDS else COMMANDS).parse_args(argv)
    args.project = project or Path(__file__).resolve().parent.parent
    try:
        return command(args.command).run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _utf8_output() -> None:
    """Write UTF-8 whatever the locale: on Windows, output sent to a file or a pipe is otherwise in the
    ANSI code page, which has no '→' for `diff` nor room for the names in the data."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
