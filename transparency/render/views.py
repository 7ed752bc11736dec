"""The figures each page shows, gathered from the ledger in one pass: per connector, sponsor,
person and month. Pure: no I/O, nothing rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..ledger import ZERO, Balance, Ledger, Line, Month, PayoutLine, money
from ..model import Connector, Dataset, Terms, previous_month


@dataclass(frozen=True, slots=True)
class Stint:
    """A stretch of months with the same maintainer (None: no maintainer)."""

    maintainer: str | None
    since: str
    until: str | None  # the last month, or None while it lasts


@dataclass
class SponsorMonth:
    """One sponsor in one month: the ledger's total, and what the pages show beside it."""

    month: str
    remitted: Decimal
    lines: int = 0  # remittances and adjustments
    connectors: int = 0  # remittances only
    volume: Decimal | None = None  # in the reporting currency, where given


@dataclass(frozen=True, slots=True)
class Sums:
    """What a connector's lines add up to (its table's total row)."""

    value: Decimal
    maintainer_part: Decimal
    foundation_part: Decimal


@dataclass
class Views:
    """Per-entity lists of the ledger's lines, balances and payouts."""

    lines: dict[str, list[tuple[Month, Line]]] = field(default_factory=dict)  # by connector
    sums: dict[str, Sums] = field(default_factory=dict)  # by connector, of its lines
    remittances: dict[str, list[Line]] = field(default_factory=dict)  # by month, the lines that adjust nothing
    adjustments: dict[str, list[Line]] = field(default_factory=dict)  # by month, the lines that adjust one
    sponsor_months: dict[str, list[SponsorMonth]] = field(default_factory=dict)  # by sponsor, month order
    month_sponsors: dict[str, dict[str, SponsorMonth]] = field(default_factory=dict)  # by month, then sponsor
    balances: dict[str, list[tuple[Month, Balance]]] = field(default_factory=dict)  # by person
    payouts: dict[str, list[tuple[Month, PayoutLine]]] = field(default_factory=dict)  # by person
    corrections: dict[str, list[tuple[Month, Line]]] = field(default_factory=dict)  # by corrected month
    maintained: dict[str, list[str]] = field(default_factory=dict)  # person -> connector ids
    developed: dict[str, list[str]] = field(default_factory=dict)  # person -> connector ids
    sponsored: dict[str, list[str]] = field(default_factory=dict)  # sponsor -> connector ids


def gather(dataset: Dataset, ledger: Ledger) -> Views:
    """Index the ledger by connector, sponsor, person and corrected month."""
    views = Views()
    for month in ledger.months:
        sponsors = views.month_sponsors[month.month] = {
            sponsor: SponsorMonth(month.month, remitted) for sponsor, remitted in month.sponsors.items()}
        for line in month.lines:
            views.lines.setdefault(line.connector, []).append((month, line))
            entry = sponsors[line.sponsor]
            entry.lines += 1
            if line.adjusts:
                views.corrections.setdefault(line.adjusts, []).append((month, line))
                views.adjustments.setdefault(month.month, []).append(line)
            else:
                views.remittances.setdefault(month.month, []).append(line)
                entry.connectors += 1
                if line.source.volume is not None:
                    entry.volume = (entry.volume or ZERO) + money(line.source.volume, line.rate)
        for sponsor, entry in sponsors.items():
            views.sponsor_months.setdefault(sponsor, []).append(entry)
        for balance in month.balances:
            views.balances.setdefault(balance.person, []).append((month, balance))
        for payout in month.payouts:
            views.payouts.setdefault(payout.to, []).append((month, payout))
    for cid, entries in views.lines.items():
        views.sums[cid] = Sums(sum(line.value for _, line in entries), sum(line.maintainer_part for _, line in entries),
                               sum(line.foundation_part for _, line in entries))
    for connector in dataset.agreements.connectors.values():
        views.developed.setdefault(connector.developer, []).append(connector.id)
        views.sponsored.setdefault(connector.sponsor, []).append(connector.id)
        for person in {terms.maintainer for terms in connector.terms if terms.maintainer}:
            views.maintained.setdefault(person, []).append(connector.id)
    return views


def stints(connector: Connector) -> list[Stint]:
    """Who maintained a connector, from when to when (merging terms with the same maintainer)."""
    result: list[Stint] = []
    for terms in connector.terms:
        if result and result[-1].maintainer == terms.maintainer:
            continue
        if result:
            result[-1] = Stint(result[-1].maintainer, result[-1].since, previous_month(terms.since))
        result.append(Stint(terms.maintainer, terms.since, None))
    if result and connector.until:
        result[-1] = Stint(result[-1].maintainer, result[-1].since, connector.until)
    return result


def changes(connector: Connector) -> list[tuple[Terms, list[str]]]:
    """Each terms entry with what changed from the entry before it."""
    result = []
    previous: Terms | None = None
    for terms in connector.terms:
        changed = []
        if previous is not None:
            if (terms.type, terms.amount_text) != (previous.type, previous.amount_text):
                changed.append("amount")
            if terms.maintainer != previous.maintainer:
                changed.append("maintainer")
            if terms.maintainer_share != previous.maintainer_share:
                changed.append("share")
        result.append((terms, changed))
        previous = terms
    return result


def docs_url(connector: Connector, base: str | None) -> str | None:
    """A connector's documentation link: site paths are on the Foundation's site when it has one."""
    if connector.docs is None or connector.docs.startswith("https://"):
        return connector.docs
    return base.rstrip("/") + connector.docs if base else connector.docs

