"""The validated data: agreements and monthly reports, typed, with exact decimals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

FEE_SHARE = "fee share"
MONTHLY_FEE = "monthly fee"
DRAFT = "draft"
PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Account:
    """An address on a chain: where a person is paid, where the Foundation pays from or is paid."""

    chain: str
    address: str  # in lower case, as published


@dataclass(frozen=True, slots=True)
class Chain:
    id: str
    name: str
    explorer: str | None = None  # https: links EXPLORER/tx/HASH and EXPLORER/address/ADDRESS

    def link(self, kind: str, value: str) -> str | None:
        """The explorer's page of a transaction (kind "tx") or an address ("address"), or None."""
        return f"{self.explorer.rstrip('/')}/{kind}/{value}" if self.explorer else None


@dataclass(frozen=True, slots=True)
class Token:
    """A currency of the reports that is a token on a chain."""

    code: str
    chain: str
    contract: str  # in lower case
    decimals: int


@dataclass(frozen=True, slots=True)
class Foundation:
    name: str
    currency: str
    maintainer_share: Decimal  # a fraction: 50% is Decimal("0.5")
    share_text: str  # as written, e.g. "50%"
    url: str | None = None
    notice: str | None = None
    accounts: tuple[Account, ...] = ()
    license: str | None = None  # the SPDX identifier of the published data's licence (transparency/licenses.py)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    github: str | None = None
    url: str | None = None
    line: int = 0
    accounts: tuple[Account, ...] = ()

    @property
    def link(self) -> str | None:
        """Where the person's name links to: their own page, else their GitHub profile."""
        if self.url:
            return self.url
        return f"https://github.com/{self.github}" if self.github else None


@dataclass(frozen=True, slots=True)
class Sponsor:
    id: str
    name: str
    url: str | None = None
    line: int = 0
    accounts: tuple[Account, ...] = ()


@dataclass(frozen=True, slots=True)
class Terms:
    """One entry of a connector's terms: a full snapshot, in force from `since`."""

    since: str
    type: str  # FEE_SHARE or MONTHLY_FEE
    amount_text: str  # as written: "30%", "20-30%", "$750", "750 USDT"
    maintainer: str | None
    maintainer_share: Decimal  # the effective share: the override or the foundation's default
    share_override: bool
    low: Decimal | None = None  # fee share: the agreed percent as fractions (low == high for N%)
    high: Decimal | None = None
    fee: Decimal | None = None  # monthly fee: the agreed amount and its currency
    fee_currency: str | None = None
    line: int = 0

    @property
    def share_text(self) -> str:
        return percent(self.maintainer_share)


@dataclass(frozen=True, slots=True)
class Connector:
    id: str
    name: str
    sponsor: str
    developer: str
    terms: tuple[Terms, ...]
    docs: str | None = None
    until: str | None = None
    line: int = 0

    @property
    def since(self) -> str:
        return self.terms[0].since

    def terms_in(self, month: str) -> Terms | None:
        """The terms in force in `month`, or None when the agreement is not in force."""
        if self.until is not None and month > self.until:
            return None
        found = None
        for terms in self.terms:
            if terms.since > month:
                break
            found = terms
        return found

    def status_in(self, month: str) -> str:
        """'upcoming', 'active' or 'ended' as of `month`."""
        if month < self.since:
            return "upcoming"
        if self.until is not None and month > self.until:
            return "ended"
        return "active"


@dataclass(frozen=True, slots=True)
class Agreements:
    path: str  # as shown in messages
    source: str  # relative to the data folder
    sha256: str
    foundation: Foundation
    people: dict[str, Person]
    sponsors: dict[str, Sponsor]
    connectors: dict[str, Connector]  # in file order: the table's default order
    chains: dict[str, Chain] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)  # by currency code


@dataclass(frozen=True, slots=True)
class Remittance:
    connector: str
    amount: Decimal
    currency: str
    user_fees: Decimal | None = None
    volume: Decimal | None = None
    reference: str | None = None
    line: int = 0
    tx: str | None = None  # the transaction that carried it, in lower case


@dataclass(frozen=True, slots=True)
class Payout:
    to: str
    amount: Decimal
    currency: str
    date: str
    reference: str | None = None
    line: int = 0
    tx: str | None = None  # the transaction that carried it, in lower case
    address: str | None = None  # the address paid, in lower case (with tx)


@dataclass(frozen=True, slots=True)
class Adjustment:
    month: str
    connector: str
    amount: Decimal
    currency: str
    reason: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Totals:
    """A report's declared totals, checked against the computed ones."""

    remitted: Decimal | None
    paid: Decimal | None
    remitted_at: tuple[int, int] = (0, 0)  # line and column of each declared value
    paid_at: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Report:
    path: str  # as shown in messages
    source: str  # relative to the data folder: reports/YYYY-MM.yml
    sha256: str
    month: str
    status: str
    published: str | None
    rates: dict[str, Decimal]
    remittances: tuple[Remittance, ...]
    payouts: tuple[Payout, ...]
    adjustments: tuple[Adjustment, ...]
    totals: Totals | None = None
    notes: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything the repository holds, validated: the input of the computation."""

    agreements: Agreements
    reports: tuple[Report, ...]  # in month order


def percent(fraction: Decimal) -> str:
    """0.5 -> '50%', 0.125 -> '12.5%'."""
    text = format((fraction * 100).normalize(), "f")
    return f"{text}%"


def next_month(month: str) -> str:
    """'2024-12' -> '2025-01'."""
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def previous_month(month: str) -> str:
    """'2025-01' -> '2024-12'."""
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
