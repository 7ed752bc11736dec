"""The treasurer's month: pay what each maintainer is owed in a token, as one Safe batch.

Takes the balances after the last published month (with --drafts, also what the draft months up to
MONTH add; payouts already written in a draft always count as paid), converts them to the token at
the rate of the token in reports/MONTH.yml (--rate when the report has none; another one is refused,
as the payouts count at the report's rate), rounds each down to the token's decimals so that nobody
is overpaid, and writes payouts/MONTH-TOKEN.csv, a Safe CSV Airdrop file to upload in the Safe app,
and payouts/MONTH-TOKEN.yml, the matching payouts: entries. It lists
who cannot be paid on the token's chain and why, never overwrites a file and refuses a month that
is published. Once the batch is executed, --record TX --date YYYY-MM-DD adds its payouts, with
that transaction and date, to reports/MONTH.yml (a draft). Exit status 0 when written, 1 when
refused or the data is invalid, 2 on wrong usage.
"""

from __future__ import annotations

import os
import sys
import tempfile
from argparse import ArgumentParser, ArgumentTypeError, Namespace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..airdrop import CannotRecord, payouts_yaml, read_safe_csv, safe_csv, with_payouts
from ..batch import Batch, plan, token_text, total
from ..console import count, print_diagnostics
from ..eip55 import TX, checksummed
from ..errors import DataError, suggest
from ..ledger import compute
from ..load import REPORTS, display_root, load_repository, parse
from ..model import Dataset
from ..pipeline import load_dataset, validated
from ..validate import CURRENCY, DATE, NUMBER, RATE_PLACES
from .new_report import month

PAYOUTS = "payouts"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("month", type=month, metavar="YYYY-MM", help="the month whose report the payouts go in")
    parser.add_argument("--currency", required=True, type=code, metavar="TOKEN",
                        help="the token to pay in: a currency declared under tokens: in agreements.yml")
    parser.add_argument("--rate", type=rate, metavar="R",
                        help="the value of 1 TOKEN in the reporting currency, when the month's report has none")
    parser.add_argument("--drafts", action="store_true",
                        help="also pay what the draft months up to MONTH add to the balances")
    parser.add_argument("--record", type=transaction, metavar="TX",
                        help="record the executed batch: add its payouts, with this transaction hash, to "
                             "reports/MONTH.yml")
    parser.add_argument("--date", type=day, metavar="YYYY-MM-DD",
                        help="with --record: the UTC date of the transaction's block")


def code(text: str) -> str:
    if not CURRENCY.match(text):
        raise ArgumentTypeError(f"{text!r} is not a currency code; expected 2 to 10 uppercase letters or digits, "
                                "like USDC")
    return text


def rate(text: str) -> Decimal:
    match = NUMBER.match(text)
    if not match or match[1] or not Decimal(text) or len(match[3] or "") > RATE_PLACES:
        raise ArgumentTypeError(f"{text!r} is not a rate; expected the value of 1 token in the reporting currency, "
                                f"a number greater than 0 with at most {RATE_PLACES} decimals, like 1.0002")
    return Decimal(text)


def transaction(text: str) -> str:
    if not TX.match(text):
        raise ArgumentTypeError(f"{text!r} is not a transaction hash; expected 0x and 64 hex digits")
    return text.lower()


def day(text: str) -> str:
    try:
        if DATE.match(text):
            date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise ArgumentTypeError(f"{text!r} is not a date; expected YYYY-MM-DD, like 2024-06-05")


def run(args: Namespace) -> int:
    if (args.record is None) != (args.date is None):
        print("error: --record and --date go together; expected --record TX --date YYYY-MM-DD, the executed "
              "batch's transaction and the UTC date of its block", file=sys.stderr)
        return 2
    if args.record is not None and (args.rate is not None or args.drafts):
        print("error: --record takes the amounts of the batch's CSV file; expected no --rate or --drafts with it",
              file=sys.stderr)
        return 2
    root = display_root(args.data)
    dataset, diagnostics = load_dataset(args.data)
    if dataset is None or args.record is None:  # --record shows the report's warnings once recorded
        print_diagnostics(diagnostics)
    if dataset is None:
        print("error: fix the data first; pay works from valid agreements and reports", file=sys.stderr)
        return 1
    tokens = dataset.agreements.tokens
    token = tokens.get(args.currency)
    if token is None:
        hint = (suggest(args.currency, tokens) or "; expected one of: " + ", ".join(tokens)) if tokens else \
            "; expected a token declared under tokens: in agreements.yml, with its chain, contract and decimals"
        print(f"error: {args.currency} is not a token{hint}", file=sys.stderr)
        return 2
    report = next((r for r in dataset.reports if r.month == args.month), None)
    shown = f"{root}{REPORTS}/{args.month}.yml"
    if report is not None and not report.is_draft:
        print(f"{shown}: error: {args.month} is published, and its payouts with it; expected a month that is not "
              "published (pay in the month being prepared: its payouts go in its report)", file=sys.stderr)
        return 1
    published = [r.month for r in dataset.reports if not r.is_draft]
    if published and args.month < published[-1]:
        print(f"{shown}: error: {args.month} is before {published[-1]}, the last published month; expected a later "
              "month", file=sys.stderr)
        return 1
    name = f"{PAYOUTS}/{args.month}-{token.code}"
    if args.record is not None:
        return record(args, dataset, token, report, shown, root + name + ".csv")
    return pay(args, dataset, token, report, shown, root, name, published[-1] if published else None)


def pay(args: Namespace, dataset: Dataset, token, report, shown: str, root: str, name: str,
        last: str | None) -> int:
    reporting = dataset.agreements.foundation.currency
    chain = dataset.agreements.chains[token.chain]
    given = args.rate
    in_report = report.rates.get(token.code) if report is not None else None
    value = Decimal(1) if token.code == reporting else given or in_report
    if given is not None and in_report is not None and given != in_report:
        print(f"error: --rate {given:f} is not the rate of {token.code} in {shown}, {in_report:f}, at which the "
              f"payouts will count: they could come to more than is owed; expected --rate {in_report:f} or no --rate "
              "(or the report's rate changed first)", file=sys.stderr)
        return 2
    if value is None:
        where = f"{shown} has none" if report is not None else f"{shown} does not exist yet"
        print(f"error: no rate for {token.code}: {where}; expected --rate R, the value of 1 {token.code} in "
              f"{reporting}", file=sys.stderr)
        return 2
    owed, basis = _owed(dataset, args.month, args.drafts, last)
    batch = plan(owed, value, token, dataset.agreements.people)
    files = {f"{name}.csv": None, f"{name}.yml": None}
    for file in files:
        if (args.data / file).exists():
            print(f"{root}{file}: error: the file exists already; expected no batch of {args.month} in "
                  f"{token.code} yet (pay never overwrites a file: remove it to pay again)", file=sys.stderr)
            return 1
    print(f"pay {args.month} in {token.code} on {chain.name} at {value:f} {reporting} per {token.code}: {basis}")
    _print_batch(batch, reporting)
    if not batch.transfers:
        print("nothing to pay: no file written")
        return 0
    record = f"python build.py pay {args.month} --currency {token.code} --record 0xTRANSACTION --date YYYY-MM-DD"
    files[f"{name}.csv"] = safe_csv(batch)
    files[f"{name}.yml"] = payouts_yaml(batch, args.month, reporting, f"{name}.csv", record)  # from the data folder
    if root:
        record += f" --data {args.data}"
    try:
        (args.data / PAYOUTS).mkdir(exist_ok=True)
        for file, text in files.items():
            with open(args.data / file, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
                handle.write(text)
    except FileExistsError:
        print(f"{root}{file}: error: the file exists already; expected no batch of {args.month} in {token.code} yet",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{root}{file}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {root}{name}.csv: the Safe CSV Airdrop file, {count(len(batch.transfers), 'transfer')}")
    print(f"wrote {root}{name}.yml: the matching payouts: entries for {shown}")
    if token.code != reporting and in_report is None:
        print(f"note: {shown} needs {token.code}: {value:f} under rates:, the rate these amounts were computed at")
    if not any(account.chain == token.chain for account in dataset.agreements.foundation.accounts):
        print(f"note: the Foundation declares no account on {token.chain}: add the Safe's address under foundation: "
              "accounts: in agreements.yml, so that the payouts can be checked on chain")
    print("next steps:")
    print(f"  1. in the Safe app, open CSV Airdrop, upload {root}{name}.csv and check its total, "
          f"{token_text(batch.amount)} {token.code}; then propose the batch for the board to sign")
    print("  2. once it is executed, copy its transaction hash and the UTC date of its block")
    print(f"  3. {record}")
    return 0


def _owed(dataset: Dataset, month: str, drafts: bool, last: str | None) -> tuple[dict[str, Decimal], str]:
    """Each person's balance to pay in `month`, and what it is."""
    upto = Dataset(dataset.agreements, tuple(r for r in dataset.reports if r.month <= month))
    with_drafts = compute(upto, drafts=True)
    after = f"after {last}, the last published month" if last else "no month is published yet"
    if drafts:
        owed = {person: balance.balance for person, balance in with_drafts.people.items()}
        months = [m.month for m in with_drafts.months if m.is_draft]
        added = (f", and what the draft {months[0]} adds" if len(months) == 1 else
                 f", and what the drafts {', '.join(months)} add" if months else "")
        return owed, f"the balances {after}{added}"
    owed = {person: balance.balance for person, balance in compute(upto).people.items()}
    paid = [m for m in with_drafts.months if m.is_draft and m.payouts]
    for draft in paid:
        for payout in draft.payouts:
            owed[payout.to] = owed.get(payout.to, Decimal(0)) - payout.value
    drafts = ", ".join(m.month for m in paid)
    less = (f", less what the draft {drafts} already pays" if len(paid) == 1 else
            f", less what the drafts {drafts} already pay" if paid else "")
    return owed, f"the balances {after}{less}"


def _print_batch(batch: Batch, reporting: str) -> None:
    token = batch.token
    owed = [f"{transfer.owed:,.2f}" for transfer in batch.transfers] + [f"{u.owed:,.2f}" for u in batch.unpaid]
    people = [transfer.person for transfer in batch.transfers] + [u.person for u in batch.unpaid]
    width, money_width = max(map(len, people), default=0), max(map(len, owed), default=0)
    amounts = [token_text(transfer.amount) for transfer in batch.transfers]
    amount_width = max(map(len, amounts), default=0)
    for transfer, amount in zip(batch.transfers, amounts):
        print(f"  {transfer.person:<{width}}  {transfer.owed:>{money_width},.2f} {reporting} owed  "
              f"{amount:>{amount_width}} {token.code}  to {checksummed(transfer.address)}")
    if batch.unpaid:
        print(f"cannot be paid in {token.code} on {token.chain}:")
        for unpaid in batch.unpaid:
            print(f"  {unpaid.person:<{width}}  {unpaid.owed:>{money_width},.2f} {reporting} owed: {unpaid.reason}"
                  + (f" (add one under people: {unpaid.person}: accounts: in agreements.yml)"
                     if unpaid.reason.startswith("no account") else ""))
    if batch.transfers:
        paid = len(batch.transfers)
        print(f"total: {token_text(batch.amount)} {token.code} to {paid} {'person' if paid == 1 else 'people'}, worth "
              f"{batch.value:,.2f} {reporting} at {batch.rate:f}, of {batch.owed:,.2f} {reporting} owed to them")


def record(args: Namespace, dataset: Dataset, token, report, shown: str, csv_shown: str) -> int:
    path = args.data / PAYOUTS / f"{args.month}-{token.code}.csv"
    if report is None:
        print(f"{shown}: error: the report does not exist; expected a draft of {args.month} to record the payouts "
              f"in (python build.py new-report {args.month})", file=sys.stderr)
        return 1
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"{csv_shown}: error: file not found; expected the batch that `python build.py pay {args.month} "
              f"--currency {token.code}` wrote", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{csv_shown}: error: cannot read: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 1
    rows, problems = read_safe_csv(text, token, set(dataset.agreements.people))
    for line, problem in problems:
        print(f"{csv_shown}:{line}: error: {problem}", file=sys.stderr)
    if problems:
        return 1
    if any(payout.tx == args.record for payout in report.payouts):
        print(f"{shown}: error: payouts of transaction {args.record} are in the report already; expected a batch "
              "recorded once", file=sys.stderr)
        return 1
    source = args.data / REPORTS / f"{args.month}.yml"
    original = source.read_text(encoding="utf-8")
    try:
        updated = with_payouts(original, rows, token, args.record, args.date)
    except CannotRecord as problem:
        print(f"{shown}: error: cannot add the payouts: {problem}", file=sys.stderr)
        return 1
    diagnostics = _check_with(args.data, f"{REPORTS}/{args.month}.yml", updated)
    if any(d.is_error for d in diagnostics):
        print_diagnostics(diagnostics)
        print(f"error: with the payouts of {csv_shown}, {shown} would be invalid; nothing written", file=sys.stderr)
        return 1
    print_diagnostics(diagnostics)
    try:
        _replace(source, updated)
    except OSError as exc:
        print(f"{shown}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    amount = token_text(total(Decimal(row.amount) for row in rows))
    print(f"recorded {count(len(rows), 'payout')} of {csv_shown} in {shown}: {amount} {token.code}, transaction "
          f"{args.record} on {args.date}")
    print("next steps:")
    print(f"  1. python build.py check{'' if not display_root(args.data) else f' --data {args.data}'}")
    print(f"  2. commit {shown} with {csv_shown}, and open the pull request")
    return 0


def _check_with(data: Path, name: str, text: str):
    """The diagnostics of the data set with the report `name` replaced by `text`."""
    agreements, reports, problems = load_repository(data)
    shown = display_root(data) + name
    try:
        document = parse(text.encode("utf-8"), shown, name)
    except DataError as exc:
        return exc.diagnostics
    reports = [document if doc.name == name else doc for doc in reports]
    return validated(agreements, reports, problems)[1]


def _replace(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

