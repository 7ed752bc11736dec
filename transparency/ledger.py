"""Stage 3: the contract's computation, pure and exact.

Input is a validated Dataset, output a Ledger: per month its lines (remittances and
adjustments split between maintainer and Foundation), payouts, sponsor totals and the
maintainers' running balances. No I/O, no clock, no floats.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, localcontext

from .errors import Diagnostic
from .model import MONTHLY_FEE, Adjustment, Dataset, Remittance, Report, Terms

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal(1)
# Wide enough that products and sums of validated numbers are exact before they are rounded (an amount of
# 15 digits and 36 decimals in a token, times a rate of 15 digits and 18 decimals, has 84 digits);
# EXACT raises rather than round silently, ROUNDING is for the one deliberate rounding.
EXACT = Context(prec=100, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Inexact])
ROUNDING = Context(prec=100, rounding=ROUND_HALF_UP, traps=[InvalidOperation])

FEE_MISMATCH = "fee_mismatch"
OUTSIDE_RANGE = "outside_range"
ADVANCE = "advance"
ADJUSTMENT = "adjustment"


def money(amount: Decimal, rate: Decimal = ONE) -> Decimal:
    """round(amount x rate) to the cent, halves away from zero, never -0.00."""
    value = EXACT.multiply(amount, rate).quantize(CENT, context=ROUNDING)
    return value if value else ZERO


@dataclass(frozen=True, slots=True)
class Line:
    """A remittance or an adjustment, valued and split."""

    connector: str
    sponsor: str
    maintainer: str | None
    amount: Decimal
    currency: str
    rate: Decimal
    value: Decimal
    maintainer_part: Decimal
    foundation_part: Decimal
    share: Decimal  # the maintainer's share that applied (0 without a maintainer)
    terms: Terms
    flags: tuple[str, ...]
    source: Remittance | Adjustment

    @property
    def adjusts(self) -> str | None:
        return self.source.month if isinstance(self.source, Adjustment) else None


@dataclass(frozen=True, slots=True)
class PayoutLine:
    to: str
    amount: Decimal
    currency: str
    rate: Decimal
    value: Decimal
    date: str
    reference: str | None
    tx: str | None = None  # the transaction that carried it, with the address paid
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    """A person's figures over a span (a month, or all time): accrued and paid in it, balance after it."""

    person: str
    accrued: Decimal
    paid: Decimal
    balance: Decimal

    @property
    def flags(self) -> tuple[str, ...]:
        return (ADVANCE,) if self.balance < 0 else ()


@dataclass(frozen=True, slots=True)
class Totals:
    remitted: Decimal
    maintainers: Decimal
    foundation: Decimal
    paid: Decimal


@dataclass(frozen=True, slots=True)
class Month:
    """One report, computed."""

    report: Report
    lines: tuple[Line, ...]
    payouts: tuple[PayoutLine, ...]
    sponsors: dict[str, Decimal]  # sponsor id -> remitted, for sponsors with a line
    balances: tuple[Balance, ...]
    totals: Totals

    @property
    def month(self) -> str:
        return self.report.month

    @property
    def is_draft(self) -> bool:
        return self.report.is_draft


@dataclass(frozen=True, slots=True)
class Ledger:
    """Every included month, in order, and the all-time totals."""

    currency: str
    months: tuple[Month, ...]
    sponsors: dict[str, Decimal]
    people: dict[str, Balance]
    totals: Totals
    drafts: bool = False  # whether draft months are included
    excluded: tuple[str, ...] = field(default=())  # draft months left out


def _exact(function):
    """Run `function` with sums and differences exact, whatever the caller's decimal context."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with localcontext(EXACT):
            return function(*args, **kwargs)
    return wrapper


@_exact
def compute(dataset: Dataset, drafts: bool = False) -> Ledger:
    """The ledger over published months (and draft ones when `drafts`), in month order."""
    agreements = dataset.agreements
    people_order = {person: index for index, person in enumerate(agreements.people)}
    balances: dict[str, Decimal] = {}
    months = []
    excluded = []
    for report in dataset.reports:
        if report.is_draft and not drafts:
            excluded.append(report.month)
            continue
        lines = _lines(dataset, report)
        payouts = _payouts(report, agreements.foundation.currency)
        accrued: dict[str, Decimal] = {}
        for line in lines:
            if line.maintainer is not None:
                accrued[line.maintainer] = accrued.get(line.maintainer, ZERO) + line.maintainer_part
        paid: dict[str, Decimal] = {}
        for payout in payouts:
            paid[payout.to] = paid.get(payout.to, ZERO) + payout.value
        involved = set(accrued) | set(paid) | {person for person, value in balances.items() if value}
        month_balances = []
        for person in sorted(involved, key=people_order.__getitem__):
            balance = balances.get(person, ZERO) + accrued.get(person, ZERO) - paid.get(person, ZERO)
            balances[person] = balance
            month_balances.append(Balance(person, accrued.get(person, ZERO), paid.get(person, ZERO), balance))
        months.append(Month(report, lines, payouts, _by_sponsor(lines, agreements.sponsors),
                            tuple(month_balances), _totals(lines, payouts)))
    return Ledger(agreements.foundation.currency, tuple(months),
                  _sponsor_totals(months, agreements.sponsors),
                  _person_totals(months, people_order), _sum_totals(months), drafts, tuple(excluded))


def _rate(report: Report, currency: str, reporting: str) -> Decimal:
    return ONE if currency == reporting else report.rates[currency]


def _lines(dataset: Dataset, report: Report) -> tuple[Line, ...]:
    agreements = dataset.agreements
    reporting = agreements.foundation.currency
    lines = []
    for remittance in report.remittances:
        connector = agreements.connectors[remittance.connector]
        terms = connector.terms_in(report.month)
        rate = _rate(report, remittance.currency, reporting)
        value = money(remittance.amount, rate)
        flags = ()
        if terms.type == MONTHLY_FEE:
            if value != money(terms.fee, _rate(report, terms.fee_currency, reporting)):
                flags = (FEE_MISMATCH,)
        elif remittance.user_fees is not None and not terms.low <= fee_ratio(remittance) <= terms.high:
            flags = (OUTSIDE_RANGE,)
        lines.append(_split(connector.id, connector.sponsor, terms, remittance, rate, value, flags))
    for adjustment in report.adjustments:
        connector = agreements.connectors[adjustment.connector]
        terms = connector.terms_in(adjustment.month)
        rate = _rate(report, adjustment.currency, reporting)
        lines.append(_split(connector.id, connector.sponsor, terms, adjustment, rate,
                            money(adjustment.amount, rate), (ADJUSTMENT,)))
    return tuple(lines)


def fee_ratio(remittance: Remittance) -> Decimal:
    """amount / user_fees, rounded half-up to 4 decimal places, computed exactly."""
    # floor((2 * amount * 10^4 + fees) / (2 * fees)) is the half-up rounding of amount * 10^4 / fees.
    numerator = EXACT.add(EXACT.multiply(remittance.amount, Decimal(20000)), remittance.user_fees)
    quotient = EXACT.divide_int(numerator, EXACT.multiply(remittance.user_fees, Decimal(2)))
    return quotient.scaleb(-4)


def _split(connector: str, sponsor: str, terms: Terms, source, rate: Decimal, value: Decimal,
           flags: tuple[str, ...]) -> Line:
    maintainer = terms.maintainer
    share = terms.maintainer_share if maintainer is not None else ZERO
    maintainer_part = money(value, share) if maintainer is not None else ZERO
    # Under compute()'s context (half up), a difference of equal amounts is 0.00, never -0.00.
    return Line(connector, sponsor, maintainer, source.amount, source.currency, rate, value,
                maintainer_part, value - maintainer_part, share, terms, flags, source)


def _payouts(report: Report, reporting: str) -> tuple[PayoutLine, ...]:
    result = []
    for payout in report.payouts:
        rate = _rate(report, payout.currency, reporting)
        result.append(PayoutLine(payout.to, payout.amount, payout.currency, rate, money(payout.amount, rate),
                                 payout.date, payout.reference, payout.tx, payout.address))
    return tuple(result)


def _by_sponsor(lines: tuple[Line, ...], sponsors: dict) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.sponsor] = totals.get(line.sponsor, ZERO) + line.value
    return {sponsor: totals[sponsor] for sponsor in sponsors if sponsor in totals}


def _totals(lines: tuple[Line, ...], payouts: tuple[PayoutLine, ...]) -> Totals:
    return Totals(sum((line.value for line in lines), ZERO),
                  sum((line.maintainer_part for line in lines), ZERO),
                  sum((line.foundation_part for line in lines), ZERO),
                  sum((payout.value for payout in payouts), ZERO))


def _sum_totals(months: list[Month]) -> Totals:
    return Totals(sum((m.totals.remitted for m in months), ZERO),
                  sum((m.totals.maintainers for m in months), ZERO),
                  sum((m.totals.foundation for m in months), ZERO),
                  sum((m.totals.paid for m in months), ZERO))


def _sponsor_totals(months: list[Month], sponsors: dict) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for month in months:
        for sponsor, value in month.sponsors.items():
            totals[sponsor] = totals.get(sponsor, ZERO) + value
    return {sponsor: totals[sponsor] for sponsor in sponsors if sponsor in totals}


def _person_totals(months: list[Month], order: dict[str, int]) -> dict[str, Balance]:
    accrued: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    balance: dict[str, Decimal] = {}
    for month in months:
        for entry in month.balances:
            accrued[entry.person] = accrued.get(entry.person, ZERO) + entry.accrued
            paid[entry.person] = paid.get(entry.person, ZERO) + entry.paid
            balance[entry.person] = entry.balance
    return {person: Balance(person, accrued[person], paid[person], balance[person])
            for person in sorted(balance, key=order.__getitem__)}


@_exact
def check_totals(dataset: Dataset) -> list[Diagnostic]:
    """Every report's declared totals against its computed ones, drafts included."""
    problems = []
    for report in dataset.reports:
        declared = report.totals
        if declared is None:
            continue
        lines, payouts = _lines(dataset, report), _payouts(report, dataset.agreements.foundation.currency)
        computed = _totals(lines, payouts)
        if declared.remitted is not None and declared.remitted != computed.remitted:
            adjusted = sum((line.value for line in lines if line.adjusts), ZERO)
            detail = f" ({adjusted:+.2f} of it adjustments)" if adjusted else ""
            problems.append(Diagnostic(report.path, *declared.remitted_at,
                f"totals.remitted is {declared.remitted:.2f} but the remittances and adjustments of "
                f"{report.month} come to {computed.remitted:.2f}{detail}; expected the two to agree"))
        if declared.paid is not None and declared.paid != computed.paid:
            problems.append(Diagnostic(report.path, *declared.paid_at,
                f"totals.paid is {declared.paid:.2f} but the payouts of {report.month} come to "
                f"{computed.paid:.2f}; expected the two to agree"))
    return problems
