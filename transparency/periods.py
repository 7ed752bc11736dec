"""Figures over periods, computed from the ledger: calendar years, the change from one year to the
next, the recent months of the trend; and, gathered with them, statements and waiting times.

Pure like the ledger: no I/O, no clock, exact decimals (contract 1.1, "Years").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .ledger import EXACT, ZERO, Balance, Ledger, Month, Totals, _exact
from .model import Dataset
from .statements import Statement, statements
from .waiting import DaysToPay, Waiting, waiting

TREND_MONTHS = 24


@dataclass(frozen=True, slots=True)
class Split:
    """What was remitted for a connector over a span, and how it was shared."""

    remitted: Decimal
    maintainers: Decimal
    foundation: Decimal


@dataclass(frozen=True, slots=True)
class Year:
    """A calendar year: the sums of its months' figures."""

    year: str
    months: tuple[Month, ...]
    totals: Totals
    sponsors: dict[str, Decimal]  # sponsor id -> remitted, for sponsors in a month of the year
    connectors: dict[str, Split]  # connector id -> figures, for connectors with a line in the year
    maintainers: dict[str, Balance]  # person -> accrued and paid in the year, balance after their last month

    @property
    def drafts(self) -> bool:
        return any(month.is_draft for month in self.months)


@dataclass(frozen=True, slots=True)
class Change:
    """A figure against the same figure the year before."""

    previous: Decimal | None  # None: no figure the year before
    amount: Decimal | None  # this year's minus last year's
    percent: Decimal | None  # the change in percent of last year's, to 0.1; None when last year's is 0 or missing


@dataclass(frozen=True, slots=True)
class Periods:
    """Everything the pages and data files show beyond the ledger's months and all-time totals."""

    years: dict[str, Year]  # in year order
    waiting: dict[str, Waiting]  # by person, for every person of the ledger
    days_to_pay: DaysToPay  # every person's paid-off months together
    statements: dict[str, Statement]  # by person, for every person of the ledger
    trend: tuple[Month, ...]  # the last TREND_MONTHS published months


@_exact
def compute(dataset: Dataset, ledger: Ledger) -> Periods:
    """Years, waiting, statements and the trend of a computed ledger."""
    wait, overall = waiting(ledger)
    published = [month for month in ledger.months if not month.is_draft]
    return Periods(years(dataset, ledger), wait, overall, statements(ledger), tuple(published[-TREND_MONTHS:]))


@_exact
def years(dataset: Dataset, ledger: Ledger) -> dict[str, Year]:
    """One Year per calendar year with a month in the ledger, in order."""
    by_year: dict[str, list[Month]] = {}
    for month in ledger.months:
        by_year.setdefault(month.month[:4], []).append(month)
    connector_order = {cid: index for index, cid in enumerate(dataset.agreements.connectors)}
    sponsor_order = {sid: index for index, sid in enumerate(dataset.agreements.sponsors)}
    people_order = {pid: index for index, pid in enumerate(dataset.agreements.people)}
    return {year: _year(year, months, connector_order, sponsor_order, people_order)
            for year, months in by_year.items()}


def _year(year: str, months: list[Month], connector_order: dict[str, int], sponsor_order: dict[str, int],
          people_order: dict[str, int]) -> Year:
    sponsors: dict[str, Decimal] = {}
    connectors: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    accrued: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    balance: dict[str, Decimal] = {}
    for month in months:
        for sponsor, value in month.sponsors.items():
            sponsors[sponsor] = sponsors.get(sponsor, ZERO) + value
        for line in month.lines:
            remitted, maintainers, foundation = connectors.get(line.connector, (ZERO, ZERO, ZERO))
            connectors[line.connector] = (remitted + line.value, maintainers + line.maintainer_part,
                                          foundation + line.foundation_part)
        for entry in month.balances:
            accrued[entry.person] = accrued.get(entry.person, ZERO) + entry.accrued
            paid[entry.person] = paid.get(entry.person, ZERO) + entry.paid
            balance[entry.person] = entry.balance
    totals = Totals(sum((m.totals.remitted for m in months), ZERO), sum((m.totals.maintainers for m in months), ZERO),
                    sum((m.totals.foundation for m in months), ZERO), sum((m.totals.paid for m in months), ZERO))
    return Year(
        year, tuple(months), totals,
        {sid: sponsors[sid] for sid in sorted(sponsors, key=sponsor_order.__getitem__)},
        {cid: Split(*connectors[cid]) for cid in sorted(connectors, key=connector_order.__getitem__)},
        {pid: Balance(pid, accrued[pid], paid[pid], balance[pid])
         for pid in sorted(balance, key=people_order.__getitem__)})


def change(current: Decimal | None, previous: Decimal | None) -> Change:
    """`current` against `previous` (None: no figure that year, counted as 0 in the difference)."""
    if previous is None:
        return Change(None, None, None)
    amount = EXACT.subtract(current or ZERO, previous)
    return Change(previous, amount, _percent(amount, previous) if previous else None)


def _percent(amount: Decimal, previous: Decimal) -> Decimal:
    """amount / |previous| in percent, rounded half away from zero to 0.1, computed exactly."""
    # floor((2 * |amount| * 1000 + |previous|) / (2 * |previous|)) is |amount| * 1000 / |previous| rounded half up.
    base = abs(previous)
    tenths = EXACT.divide_int(EXACT.add(EXACT.multiply(abs(amount), Decimal(2000)), base),
                              EXACT.multiply(base, Decimal(2)))
    return (tenths if amount >= 0 else -tenths).scaleb(-1) if tenths else Decimal("0.0")


def previous_year(year: str) -> str:
    return f"{int(year) - 1:04d}"


def against(current: dict, previous: dict | None,
            figure: str | None = None) -> list[tuple[str, Decimal | None, Change]]:
    """Each id of a year's table (sponsors, connectors, maintainers) with its figure and its change from
    the year before; ids only in the year before come last, with no figure this year.

    `figure` names the attribute that holds the figure (`remitted` of a Split, `accrued` of a Balance);
    None when the values are the figures.
    """
    def value(entry) -> Decimal:
        return getattr(entry, figure) if figure else entry

    rows = []
    for key, entry in current.items():
        if previous is None:
            before = None  # no year before: nothing to compare with
        else:
            before = value(previous[key]) if key in previous else ZERO
        rows.append((key, value(entry), change(value(entry), before)))
    for key, entry in (previous or {}).items():
        if key not in current:
            rows.append((key, None, change(None, value(entry))))
    return rows


def sponsor_years(years: dict[str, Year], sponsor: str) -> list[tuple[str, Decimal, Change]]:
    """A sponsor's remitted per year in which it remitted, with the change from the year before."""
    rows = []
    for year in years.values():
        if sponsor in year.sponsors:
            before = years.get(previous_year(year.year))
            rows.append((year.year, year.sponsors[sponsor],
                         change(year.sponsors[sponsor], before.sponsors.get(sponsor, ZERO) if before else None)))
    return rows
