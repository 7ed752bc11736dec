"""The treasurer's batch of a month: what each person is owed, paid in a token. Pure: no I/O.

Each balance owed (in the reporting currency) is converted to the token at the rate (the value of
one token in the reporting currency) and rounded DOWN to the token's decimals, exactly: nobody is
paid more than they are owed, in the token or in the reporting currency (the payout's value,
round(amount x rate), cannot exceed a balance that is itself in cents), and each person is paid
less than one of the token's smallest units short of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Iterable

from .ledger import EXACT, ZERO, money
from .model import Person, Token


@dataclass(frozen=True, slots=True)
class Transfer:
    """One row of the batch: a person paid on chain."""

    person: str
    owed: Decimal  # the balance, in the reporting currency
    amount: Decimal  # in the token: owed / rate, rounded down to the token's decimals
    value: Decimal  # what the payout counts for in the reporting currency: round(amount x rate)
    address: str  # the person's first account on the token's chain, in lower case


@dataclass(frozen=True, slots=True)
class Unpaid:
    """A person owed something who is left out of the batch, and why."""

    person: str
    owed: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class Batch:
    token: Token
    rate: Decimal
    transfers: tuple[Transfer, ...]
    unpaid: tuple[Unpaid, ...]

    @property
    def amount(self) -> Decimal:
        return total(transfer.amount for transfer in self.transfers)

    @property
    def value(self) -> Decimal:
        return total(transfer.value for transfer in self.transfers)

    @property
    def owed(self) -> Decimal:
        """What the people in the batch are owed, in the reporting currency."""
        return total(transfer.owed for transfer in self.transfers)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """An exact sum, whatever the context's precision (an amount of a token may have 36 decimals)."""
    with localcontext(EXACT):
        return sum(amounts, ZERO)


def token_amount(owed: Decimal, rate: Decimal, decimals: int) -> Decimal:
    """owed / rate, rounded down to `decimals` decimal places, computed exactly (as a fraction)."""
    units = math.floor(Fraction(owed) * 10 ** decimals / Fraction(rate))
    return Decimal(f"{units}E-{decimals}")  # exact whatever the context's precision


def plan(owed: dict[str, Decimal], rate: Decimal, token: Token, people: dict[str, Person]) -> Batch:
    """The batch paying each person owed more than 0, in the order of `owed`, in `token` at `rate`.

    A person is left out, with the reason, when they have no account on the token's chain or are owed
    less than the token's smallest unit."""
    if rate <= 0:
        raise ValueError(f"rate {rate} is not greater than 0")
    transfers, unpaid = [], []
    for person, balance in owed.items():
        if balance <= 0:
            continue
        address = next((a.address for a in people[person].accounts if a.chain == token.chain), None)
        if address is None:
            unpaid.append(Unpaid(person, balance, f"no account on {token.chain}"))
            continue
        amount = token_amount(balance, rate, token.decimals)
        if not amount:
            unpaid.append(Unpaid(person, balance, f"owed less than the smallest amount of {token.code}"))
            continue
        transfers.append(Transfer(person, balance, amount, money(amount, rate), address))
    return Batch(token, rate, tuple(transfers), tuple(unpaid))


def token_text(amount: Decimal) -> str:
    """An amount of a token as plain digits, without trailing zeros: 6328.6157, 250, 0.000001."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
