"""Validate the data: every field, every reference and every declared total.

With --base REV, also refuse what would change a month published in the git revision REV:
an edit to (or the deletion of) its report file, or any of its figures coming out differently
(a retroactive change of terms, shares, maintainers or sponsors in agreements.yml). With
--base auto, REV is where the current branch left the default branch (origin's, else
origin/main, else main): what its pull request will be checked against; on that branch itself,
or without one, nothing more is checked. `make check` and the pre-commit hook use --base auto.
Exit status 0 when the data is valid, 1 when it is not (or a change is refused), 2 on wrong usage
(including a REV that does not exist).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace

from ..console import print_diagnostics, summary_line
from ..finality import published_changes
from ..history import HistoryError, default_base, load_at, working_files
from ..load import display_root
from ..pipeline import load_dataset


AUTO = "auto"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "github"), default=None,
                        help="how to print problems: text (FILE:LINE:COL: error: ...) or github "
                             "(workflow annotations); default: github under GitHub Actions, else text")
    parser.add_argument("--base", metavar="REV",
                        help="also refuse changes to what was published in the git revision REV "
                             "(e.g. origin/main): edited or deleted published reports, altered figures; "
                             f"'{AUTO}': where this branch left the default branch, when it is not on it")


def run(args: Namespace) -> int:
    dataset, diagnostics = load_dataset(args.data)
    rev, name = args.base, None
    if rev == AUTO:
        found = default_base(args.data)
        rev, name = (found[1], found[0]) if found else (None, None)
    if rev is not None:
        try:
            base = load_at(args.data, rev, name)
        except HistoryError as exc:
            print_diagnostics(diagnostics, args.format)
            print(f"error: {exc}", file=sys.stderr)
            return exc.status
        diagnostics = sorted(diagnostics + published_changes(base, working_files(args.data), dataset,
                                                             display_root(args.data)))
    print_diagnostics(diagnostics, args.format)
    if dataset is None or any(d.is_error for d in diagnostics):
        return 1
    print(summary_line(dataset) + (f"; nothing published in {name or rev} changes" if rev else ""))
    return 0
