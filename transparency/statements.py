"""Each person's statement: every line they accrued and every payout to them, with the running
balance, in the ledger's order (a month's lines, then its payouts), year by year. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .ledger import ZERO, Ledger, Line, Month, PayoutLine, _exact


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a statement: a line they accrued from, or a payout to them."""

    month: Month
    balance: Decimal  # after this entry
    line: Line | None = None
    payout: PayoutLine | None = None

    @property
    def accrued(self) -> Decimal:
        return self.line.maintainer_part if self.line is not None else ZERO

    @property
    def paid(self) -> Decimal:
        return self.payout.value if self.payout is not None else ZERO


@dataclass(frozen=True, slots=True)
class StatementYear:
    """A calendar year of a statement: the balance brought forward, the entries, the year's sums."""

    year: str
    opening: Decimal
    entries: tuple[Entry, ...]
    accrued: Decimal
    paid: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    person: str
    years: tuple[StatementYear, ...]  # the years with an entry, in order

    @property
    def entries(self) -> list[Entry]:
        return [entry for year in self.years for entry in year.entries]


@_exact
def statements(ledger: Ledger) -> dict[str, Statement]:
    """The statement of every person of the ledger."""
    entries: dict[str, list[Entry]] = {person: [] for person in ledger.people}
    balances: dict[str, Decimal] = {}
    for month in ledger.months:
        for line in month.lines:
            if line.maintainer is not None:
                balance = balances[line.maintainer] = balances.get(line.maintainer, ZERO) + line.maintainer_part
                entries[line.maintainer].append(Entry(month, balance, line=line))
        for payout in month.payouts:
            balance = balances[payout.to] = balances.get(payout.to, ZERO) - payout.value
            entries[payout.to].append(Entry(month, balance, payout=payout))
    return {person: Statement(person, _years(found)) for person, found in entries.items()}


def _years(entries: list[Entry]) -> tuple[StatementYear, ...]:
    by_year: dict[str, list[Entry]] = {}
    for entry in entries:
        by_year.setdefault(entry.month.month[:4], []).append(entry)
    result = []
    opening = ZERO
    for year, found in by_year.items():
        closing = found[-1].balance
        result.append(StatementYear(year, opening, tuple(found), sum((e.accrued for e in found), ZERO),
                                    sum((e.paid for e in found), ZERO), closing))
        opening = closing
    return tuple(result)
