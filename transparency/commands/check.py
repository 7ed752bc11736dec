"""Validate the data: every field, every reference and every declared total.

Exit status 0 when the data is valid, 1 when it is not, 2 on wrong usage.
"""

from __future__ import annotations

from argparse import ArgumentParser, Namespace

from ..pipeline import load_dataset
from ..console import print_diagnostics, summary_line


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "github"), default=None,
                        help="how to print problems: text (FILE:LINE:COL: error: ...) or github "
                             "(workflow annotations); default: github under GitHub Actions, else text")


def run(args: Namespace) -> int:
    dataset, diagnostics = load_dataset(args.data)
    print_diagnostics(diagnostics, args.format)
    if dataset is None:
        return 1
    print(summary_line(dataset))
    return 0
