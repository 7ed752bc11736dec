"""Build the site: validate, compute the ledger, render the Markdown and build the HTML.

The generated Markdown goes to build/docs and the HTML to site/ (or --output); each is swapped
into place only when the whole build has succeeded, so a failed build leaves both as they were.
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from ..console import Stages, print_diagnostics
from ..site import Build, build


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, default=Path("site"), metavar="DIR",
                        help="where to write the site (default: site)")
    parser.add_argument("--markdown", type=Path, default=Path("build/docs"), metavar="DIR",
                        help="where to keep the generated Markdown (default: build/docs)")
    parser.add_argument("--drafts", action="store_true",
                        help="include draft reports, visibly marked (a preview; never deploy it)")
    parser.add_argument("--data-only", action="store_true",
                        help="publish only the data files (site/data/), without the HTML pages")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only problems (the default under CI, where the CI variable is set)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the stages even under CI")


def run(args: Namespace) -> int:
    stages = Stages(quiet=args.quiet or (bool(os.environ.get("CI")) and not args.verbose))
    outcome = build(Build(args.data, args.project, args.output, args.markdown, args.drafts, args.data_only), stages)
    print_diagnostics(outcome.diagnostics)
    for message in outcome.errors:
        print(message, file=sys.stderr)
    if not outcome.ok:
        return 1
    stages.done(f"built {args.output}{' (with drafts)' if args.drafts else ''}")
    return 0
