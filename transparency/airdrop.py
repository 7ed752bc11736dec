"""A batch as files, and back: the Safe app's CSV Airdrop file, the matching `payouts:` entries of the
month's report, and those entries recorded in the report's text once the batch is executed. Pure: text
in, text out.

The CSV Airdrop app reads a header `token_type,token_address,receiver,amount,id` and, for an `erc20`
row, the token's contract, the receiver and the amount in the token's units as a decimal number (it
scales it by the decimals it reads from the contract); `id` is only read for collectibles, so it
carries the person's id here, for the reviewers and for `pay --record`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from .batch import Batch, token_text
from .eip55 import ADDRESS, checksummed, has_valid_checksum
from .load import Mapping, Scalar, Sequence, parse
from .model import Token

HEADER = ("token_type", "token_address", "receiver", "amount", "id")
AMOUNT = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]+))?\Z", re.ASCII)


def safe_csv(batch: Batch) -> str:
    """The CSV Airdrop file: one erc20 row per person, addresses with their EIP-55 checksum."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    contract = checksummed(batch.token.contract)
    for transfer in batch.transfers:
        writer.writerow(("erc20", contract, checksummed(transfer.address), token_text(transfer.amount),
                         transfer.person))
    return buffer.getvalue()


def payouts_yaml(batch: Batch, month: str, reporting: str, csv_name: str, record: str) -> str:
    """The `payouts:` entries of the batch, to paste into reports/MONTH.yml once it is executed (or to
    record with the command `record`), with the date and the transaction left to fill in."""
    token = batch.token
    lines = [f"# The payouts of {csv_name}: {len(batch.transfers)} transfer{'s' if len(batch.transfers) != 1 else ''}"
             f" of {token_text(batch.amount)} {token.code} in all, at {batch.rate:f} {reporting} per {token.code}.",
             "# Once the board has signed and the batch is executed, record them in reports/"
             f"{month}.yml in one command:",
             f"#   {record}",
             "# or paste the entries under payouts: in that file and fill in each date and tx.",
             "payouts:"]
    for transfer in batch.transfers:
        lines += [f"  - to: {transfer.person}",
                  f"    amount: {token_text(transfer.amount)}",
                  f"    currency: {token.code}",
                  "    date:  # YYYY-MM-DD, the UTC date of the transaction's block",
                  "    tx:  # 0x and 64 hex digits, the executed batch's transaction hash",
                  f'    address: "{checksummed(transfer.address)}"']
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Row:
    """A transfer of a CSV Airdrop file."""

    person: str
    amount: str  # as written
    address: str  # as written
    line: int


def read_safe_csv(text: str, token: Token, people: set[str]) -> tuple[list[Row], list[tuple[int, str]]]:
    """The rows of a CSV Airdrop file of `token`, and its problems as (line, message)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []
    header = next(reader, None)
    if header is None or tuple(header) != HEADER:
        return [], [(1, f"the header is {','.join(header or [])!r}; expected {','.join(HEADER)}")]
    for values in reader:
        line = reader.line_num
        if not values:
            continue
        if len(values) != len(HEADER):
            problems.append((line, f"{len(values)} columns; expected {len(HEADER)}: {','.join(HEADER)}"))
            continue
        kind, contract, receiver, amount, person = values
        if kind != "erc20":
            problems.append((line, f"token_type {kind!r} is not erc20; expected erc20 rows only"))
        elif contract.lower() != token.contract:
            problems.append((line, f"token_address {contract} is not {token.code}'s contract; expected "
                                   f"{checksummed(token.contract)}"))
        elif not ADDRESS.match(receiver) or not has_valid_checksum(receiver):
            problems.append((line, f"receiver {receiver!r} is not an address with a valid checksum; expected 0x "
                                   "and 40 hex digits"))
        elif not AMOUNT.match(amount) or not Decimal(amount) or len(AMOUNT.match(amount)[2] or "") > token.decimals:
            problems.append((line, f"amount {amount!r} is not an amount of {token.code}; expected a number greater "
                                   f"than 0 with at most {token.decimals} decimal places"))
        elif person not in people:
            problems.append((line, f"id {person!r} is not a person of agreements.yml; expected the id of the "
                                   "person paid"))
        else:
            rows.append(Row(person, amount, receiver, line))
    if not rows and not problems:
        problems.append((1, "the file has no transfer; expected a row per person paid"))
    return rows, problems


def recorded_entries(rows: list[Row], token: Token, tx: str, day: str, indent: str) -> list[str]:
    """The lines of the payouts of an executed batch, as entries of a report's `payouts:` list."""
    lines = []
    for row in rows:
        lines += [f"{indent}- to: {row.person}",
                  f"{indent}  amount: {row.amount}",
                  f"{indent}  currency: {token.code}",
                  f"{indent}  date: {day}",
                  f'{indent}  tx: "{tx}"',
                  f'{indent}  address: "{row.address}"']
    return lines


class CannotRecord(Exception):
    """The report's payouts are not written in a way that entries can be added to safely."""


def with_payouts(text: str, rows: list[Row], token: Token, tx: str, day: str) -> str:
    """A report's text with the batch's payouts added at the end of its `payouts:` list (made when absent),
    everything else as it was, comments included."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    root = parse(text.encode("utf-8"), "report").root
    if not isinstance(root, Mapping):
        raise CannotRecord("the report is not a mapping")
    if "payouts" not in root.items:
        while lines and not lines[-1].strip():
            lines.pop()
        added = ["payouts:", *recorded_entries(rows, token, tx, day, "  ")]
        return newline.join(lines + added) + newline
    key, value = root.items["payouts"]
    if key.col != 1:
        raise CannotRecord("payouts: is not at the start of its line")
    if isinstance(value, Sequence) and value.items and value.line == key.line:
        raise CannotRecord("payouts: is written as a [...] list on one line; expected a list of '- to:' entries, "
                           "one per line")
    if isinstance(value, Mapping) or (isinstance(value, Scalar) and not value.is_null):
        raise CannotRecord("payouts: is not a list")
    start = key.line - 1  # the index of the `payouts:` line
    if value.line == key.line:  # `payouts: []` or `payouts: ~`: the key alone, then the entries
        lines[start] = lines[start][:key.col - 1] + "payouts:" + _comment(lines[start])
    items = isinstance(value, Sequence) and value.items
    indent = " " * (value.col - 1) if items else "  "
    end = start + 1  # after the last line of the section: indented (or an item of a list that is not)
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line[0].isspace() and not (items and not indent and line.startswith("-")):
            break
        if lines[index].strip():
            end = index + 1
    lines[end:end] = recorded_entries(rows, token, tx, day, indent)
    return newline.join(lines) + newline


def _comment(line: str) -> str:
    """The comment at the end of a `payouts: []` line, kept."""
    match = re.search(r"\s+#.*$", line)
    return match.group() if match else ""
