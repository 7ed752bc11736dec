"""Summarise in Markdown what the data changes against a git revision, for a pull-request comment.

Lists connectors added or ended, terms and maintainers changed (from which month), people and
sponsors added or renamed, reports added or published, published reports edited (a warning), the
figures of each month the change publishes (totals, sponsors, maintainers, flags, adjustments and
how they are split), and the change in each sponsor's and maintainer's all-time figures. When the
data does not pass check, its errors come first, then what the report files alone show.
Exit status 0 when written (invalid data included: `check` is what refuses it), 2 on wrong usage
(a REV that does not exist).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from ..console import print_diagnostics
from ..history import HistoryError, load_at, working_files
from ..pipeline import load_dataset
from ..render.diff import summary


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("rev", metavar="REV", help="the git revision to compare with, e.g. origin/main")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the Markdown to FILE (default: standard output)")


def run(args: Namespace) -> int:
    dataset, diagnostics = load_dataset(args.data)
    print_diagnostics(diagnostics)
    try:
        base = load_at(args.data, args.rev)
    except HistoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    text = summary(base, dataset, working_files(args.data), diagnostics)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"{args.output}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
