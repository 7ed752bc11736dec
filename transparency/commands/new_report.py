"""Start a month's report: write reports/YYYY-MM.yml as a draft to fill in.

The draft lists the rates the month needs (blank, with the last known value as a comment), one
remittance per connector in force (monthly fees filled in, fee shares blank) and, as comments,
the balance owed to each maintainer and an adjustment to fill in if a published month needs a
correction. It never overwrites a file, and refuses a month that is not after the last published
one; it says so when an earlier month is still a draft or has no report, as months are published
in order. Exit status 0 when written, 1 when refused or the data is
invalid, 2 on wrong usage (a malformed month).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, ArgumentTypeError, Namespace

from ..console import print_diagnostics
from ..draft import draft_report
from ..load import REPORTS, display_root
from ..pipeline import load_dataset
from ..model import DRAFT
from ..validate import first_unpublished, is_month


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("month", type=month, metavar="YYYY-MM", help="the month of the report, e.g. 2024-06")


def month(text: str) -> str:
    if not is_month(text):
        raise ArgumentTypeError(f"{text!r} is not a month; expected YYYY-MM, like 2024-06")
    return text


def run(args: Namespace) -> int:
    name = f"{REPORTS}/{args.month}.yml"
    shown = display_root(args.data) + name
    path = args.data / name
    if path.exists():
        print(f"{shown}: error: the report exists already; expected a month without a report "
              "(new-report never overwrites a file: edit this one)", file=sys.stderr)
        return 1
    dataset, diagnostics = load_dataset(args.data)
    print_diagnostics(diagnostics)
    if dataset is None:
        print("error: fix the data first; new-report drafts from valid agreements and reports", file=sys.stderr)
        return 1
    published = [report.month for report in dataset.reports if not report.is_draft]
    if published and args.month <= published[-1]:
        print(f"{shown}: error: {args.month} is not after {published[-1]}, the last published month; expected a "
              "later month (publishing an earlier one would change the published balances; correct a published "
              "month with an adjustment in a later month's report)", file=sys.stderr)
        return 1
    draft = draft_report(dataset, args.month)
    try:
        path.parent.mkdir(exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(draft.text)
    except FileExistsError:
        print(f"{shown}: error: the report exists already; expected a month without a report", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{shown}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    data = "" if display_root(args.data) == "" else f" --data {args.data}"
    print(f"wrote {shown}: a draft of {args.month}")
    statuses = {report.month: report.status for report in dataset.reports}
    pending = first_unpublished({**statuses, args.month: DRAFT})
    if pending is not None and pending[0] < args.month:
        first, gap = pending
        if gap:
            print(f"note: {first} has no report (python build.py new-report {first} drafts it): publishing "
                  f"{args.month} first would leave {first} without one for good")
        else:
            print(f"note: {first} is still a draft: months are published in order, so check refuses to "
                  f"publish {args.month} before {first} is published")
    print("next steps:")
    print(f"  1. fill in {_blanks(draft)}")
    print("  2. add the payouts of the month under payouts: (the balances owed are listed there)")
    print(f"  3. python build.py check{data}")
    print("  4. when the month is final: status: published and published: YYYY-MM-DD")
    return 0


def _blanks(draft) -> str:
    parts = []
    if draft.rates:
        parts.append(f"the rate{'s' if len(draft.rates) > 1 else ''} of {', '.join(draft.rates)}")
    if draft.amounts:
        parts.append(f"the amount{'s' if len(draft.amounts) > 1 else ''} remitted for {', '.join(draft.amounts)}")
    return " and ".join(parts) or "nothing"
