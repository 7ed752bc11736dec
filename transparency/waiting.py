"""How long maintainers wait to be paid (contract 1.1, "Waiting"), computed from the ledger.

Payments settle the oldest accruals first: a month is paid off by the first payout after which
everything paid to the person covers everything they accrued up to that month. Pure: dates are
read from the data, never from the clock.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .ledger import ZERO, Ledger, Month, _exact


@dataclass(frozen=True, slots=True)
class DaysToPay:
    """The days from a month's publication to its payment, over the months paid off."""

    months: int
    median: int | None  # the lower middle of the sorted days; None when no month is paid off
    max: int | None


@dataclass(frozen=True, slots=True)
class PaidOff:
    """A published month in which a person accrued more than 0, and when it was paid off."""

    month: str
    published: str
    accrued: Decimal  # in the month
    owed: Decimal  # C(M): accrued up to and including the month
    date: str | None  # the date of the payout that paid it off; None while it is not
    days: int | None  # from publication to that payout, 0 when paid in advance


@dataclass(frozen=True, slots=True)
class Waiting:
    """A person's waiting figures."""

    owed_since: str | None  # the oldest published month not paid off in full, while something is owed
    days_to_pay: DaysToPay
    months: tuple[PaidOff, ...]  # each month in which they accrued more than 0, in order

    def paid_off(self, month: str) -> PaidOff | None:
        """The month's entry, when they accrued more than 0 in it."""
        return next((paid for paid in self.months if paid.month == month), None)


@_exact
def waiting(ledger: Ledger) -> tuple[dict[str, Waiting], DaysToPay]:
    """Each person's waiting figures, and the days to pay over every person's months together.

    Only published months count: in a preview, draft months have no publication date.
    """
    published = [month for month in ledger.months if not month.is_draft]
    result = {person: _person(person, published) for person in ledger.people}
    return result, days_to_pay([paid.days for w in result.values() for paid in w.months if paid.days is not None])


def _person(person: str, months: list[Month]) -> Waiting:
    # Payouts in order of date, then report month, then position in the file (sorted() is stable).
    payouts = sorted(((payout.date, month.month, payout.value) for month in months for payout in month.payouts
                      if payout.to == person), key=lambda payout: payout[:2])
    running: list[Decimal] = []  # the total paid after each payout, never decreasing
    total_paid = ZERO
    for _, _, value in payouts:
        total_paid += value
        running.append(total_paid)
    owed = ZERO  # C(M)
    owed_since = None
    paid_off = []
    for month in months:
        accrued = next((entry.accrued for entry in month.balances if entry.person == person), ZERO)
        owed += accrued
        if owed_since is None and owed > total_paid:
            owed_since = month.month
        if accrued > 0:
            index = bisect_left(running, owed)  # the first payout after which the total paid covers C(M)
            if index < len(running):
                paid_on = payouts[index][0]
                days = max((date.fromisoformat(paid_on) - date.fromisoformat(month.report.published)).days, 0)
                paid_off.append(PaidOff(month.month, month.report.published, accrued, owed, paid_on, days))
            else:
                paid_off.append(PaidOff(month.month, month.report.published, accrued, owed, None, None))
    balance = owed - total_paid
    return Waiting(owed_since if balance > 0 else None,
                   days_to_pay([paid.days for paid in paid_off if paid.days is not None]), tuple(paid_off))


def days_to_pay(days: list[int]) -> DaysToPay:
    """The count, lower median and maximum of `days`."""
    if not days:
        return DaysToPay(0, None, None)
    ordered = sorted(days)
    return DaysToPay(len(ordered), ordered[(len(ordered) - 1) // 2], ordered[-1])
