"""The command line: argument parsing and dispatch to `commands/`; no logic of its own."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .commands import build, check, diff, new_report, pay, schema, serve, verify
from .errors import suggest

COMMANDS = {"build": build, "check": check, "diff": diff, "new-report": new_report, "pay": pay, "schema": schema,
            "serve": serve, "verify": verify}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python build.py",
        description="Validate the connector maintenance agreements and monthly reports, compute the "
                    "ledger and build the transparency site. Without a command: build.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        command = sub.add_parser(name, help=module.__doc__.strip().splitlines()[0],
                                 description=module.__doc__)
        command.add_argument("--data", type=Path, default=Path("."), metavar="DIR",
                             help="folder holding agreements.yml and reports/ (default: the current folder)")
        module.add_arguments(command)
    return top


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    _utf8_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    top = parser()
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        hint = suggest(argv[0], COMMANDS) or "; expected one of: " + ", ".join(COMMANDS)
        top.error(f"unknown command '{argv[0]}'{hint}")
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "build")
    args = top.parse_args(argv)
    args.project = project or Path(__file__).resolve().parent.parent
    try:
        return COMMANDS[args.command].run(args)
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
