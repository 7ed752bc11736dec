"""Build the site: validate, compute the ledger, render and publish into site/.

The previous site/ stays as it was unless the whole build succeeds.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from ..console import Stages, print_diagnostics
from ..data import data_files
from ..ledger import compute
from ..pipeline import load_dataset
from ..publish import PublishError, publish


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, default=Path("site"), metavar="DIR",
                        help="where to write the site (default: site)")
    parser.add_argument("--drafts", action="store_true",
                        help="include draft reports, visibly marked (a preview; never deploy it)")
    parser.add_argument("--data-only", action="store_true",
                        help="publish only the data files (site/data/), without the HTML pages")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def run(args: Namespace) -> int:
    stages = Stages(quiet=args.quiet)
    with stages.stage("validate") as info:
        dataset, diagnostics = load_dataset(args.data)
        if dataset is not None:
            info["count"] = f"{len(dataset.agreements.connectors)} connectors, {len(dataset.reports)} reports"
    print_diagnostics(diagnostics)
    if dataset is None:
        return 1
    with stages.stage("compute") as info:
        ledger = compute(dataset, drafts=args.drafts)
        info["count"] = f"{len(ledger.months)} months"
    with stages.stage("render") as info:
        files = data_files(dataset, ledger)
        info["count"] = f"{len(files)} files"
    with stages.stage("publish") as info:
        try:
            publish(files, args.output)
        except PublishError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    stages.done(f"built {args.output}")
    return 0
