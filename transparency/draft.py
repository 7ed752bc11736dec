"""A new month's report drafted from the agreements and the reports before it. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .ledger import compute
from .model import FEE_SHARE, Dataset, Report

MODELINE = "# yaml-language-server: $schema=../schema/report.schema.json"


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    rates: tuple[str, ...]  # the currencies whose rate is left to fill in
    amounts: tuple[str, ...]  # the connectors whose amount is left to fill in (fee shares)


def draft_report(dataset: Dataset, month: str) -> Draft:
    """reports/MONTH.yml as a draft: the rates it needs, one remittance per connector in force, the balances owed."""
    reporting = dataset.agreements.foundation.currency
    earlier = [report for report in dataset.reports if report.month < month]
    lines = [MODELINE,
             f"# Drafted by `python build.py new-report {month}`: fill in every empty value, add the payouts,",
             "# then run `python build.py check`. When the month is final: status: published, published: YYYY-MM-DD.",
             f"month: {month}", "status: draft"]
    remittances, currencies, amounts = _remittances(dataset, month, earlier)
    if earlier:
        currencies |= _used_currencies(earlier[-1])
    currencies.discard(reporting)
    if currencies:
        lines.append(f"rates:  # the value of 1 unit in {reporting}")
        for currency in sorted(currencies):
            last = next((report for report in reversed(earlier) if currency in report.rates), None)
            known = f"last: {last.rates[currency]} in {last.month}" if last else "no earlier rate"
            lines.append(f"  {currency}:  # {known}")
    lines += remittances
    lines += _payouts(dataset, month, reporting)
    lines += _adjustments(dataset, month, reporting)
    return Draft("\n".join(lines) + "\n", tuple(sorted(currencies)), tuple(amounts))


def _remittances(dataset: Dataset, month: str, earlier: list[Report]) -> tuple[list[str], set[str], list[str]]:
    """The remittances section, the currencies it uses and the connectors whose amount is left blank."""
    reporting = dataset.agreements.foundation.currency
    lines, currencies, blanks = [], set(), []
    for connector in dataset.agreements.connectors.values():
        terms = connector.terms_in(month)
        if terms is None:
            continue
        lines.append(f"  - connector: {connector.id}  # {terms.type} {terms.amount_text}")
        if terms.type == FEE_SHARE:
            lines.append("    amount:")
            blanks.append(connector.id)
            last = _last_remittance(earlier, connector.id)
            if last is not None and last[1].currency != reporting:
                lines.append(f"    currency: {last[1].currency}  # as remitted in {last[0]}")
                currencies.add(last[1].currency)
            lines.append(f"    user_fees:  # optional: the users' fees, to check the {terms.amount_text} share")
        else:
            lines.append(f"    amount: {terms.fee:f}")
            currencies.add(terms.fee_currency)
            if terms.fee_currency != reporting:
                lines.append(f"    currency: {terms.fee_currency}")
    if not lines:
        return [f"remittances: []  # no agreement is in force in {month}"], currencies, blanks
    return ["remittances:", *lines], currencies, blanks


def _last_remittance(reports: list[Report], connector: str):
    """(month, remittance) of the connector's latest remittance in `reports`, or None."""
    for report in reversed(reports):
        for remittance in report.remittances:
            if remittance.connector == connector:
                return report.month, remittance
    return None


def _used_currencies(report: Report) -> set[str]:
    return ({item.currency for item in report.remittances} | {item.currency for item in report.payouts}
            | {item.currency for item in report.adjustments})


def _payouts(dataset: Dataset, month: str, reporting: str) -> list[str]:
    """The payouts section: empty, with the balance each person is owed as a comment."""
    balances: dict[str, Decimal] = {}
    last = None
    for computed in compute(dataset).months:
        if computed.month < month:
            last = computed.month
            balances.update({entry.person: entry.balance for entry in computed.balances})
    lines = ["payouts:"]
    if last is None:
        lines.append("  # no published month yet, so no balance is owed")
    owed = [person for person, balance in balances.items() if balance]
    lines += [f"  # {person}: balance {balances[person]:.2f} {reporting} after {last}" for person in owed]
    if last is not None and not owed:
        lines.append(f"  # every balance is 0.00 after {last}")
    example = owed[0] if owed else next(iter(dataset.agreements.people), "PERSON")
    lines += [f"  # - to: {example}", "  #   amount: 0.00", "  #   date: YYYY-MM-DD"]
    return lines


def _adjustments(dataset: Dataset, month: str, reporting: str) -> list[str]:
    """A commented adjustments section, to correct the last published month before this one."""
    published = [report for report in dataset.reports if not report.is_draft and report.month < month]
    if not published:
        return []
    last = published[-1]
    example = next(iter(last.remittances), None)
    connector = example.connector if example else next(iter(dataset.agreements.connectors), "CONNECTOR")
    currency = example.currency if example else reporting
    return ["# adjustments:  # to correct a published month: uncomment (delete '# ') and fill in",
            f"#   - month: {last.month}  # the published month being corrected",
            f"#     connector: {connector}",
            "#     amount: 0.00  # signed: what should be added to that month's remittance, like -12.34",
            f"#     currency: {currency}  # optional: {reporting} when left out",
            "#     reason:  # why the published figure was wrong, shown on both months' pages"]
