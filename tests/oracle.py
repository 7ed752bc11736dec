"""An independent reading of ../shared/data-contract.md: the JSON a build must publish for a
valid data set, computed from the contract's text alone, with none of the project's code.

Plain dictionaries from PyYAML's BaseLoader (every scalar a string), Decimal throughout; no
validation (the data set is assumed valid). Where the contract leaves a detail open, the most
literal reading:
- `advance` is flagged on a month's entry when the balance after that month is below 0, and on
  the summary's entry when the latest balance is;
- a month's `sponsors` has every sponsor with a line that month, adjustments included;
- `fee_mismatch` compares the remittance's value with round(agreed fee x rate), both in the
  reporting currency, with that month's rates (`$N` is N USD);
- `outside_range` compares amount / user_fees, rounded half-up to 4 places, with the agreed
  percent (or inclusive range) divided by 100.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, halves away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def text(value: Decimal) -> str:
    """Money as the contract publishes it: exactly two decimals, never -0.00."""
    value = cents(value)
    return f"{value + 0:.2f}" if value else "0.00"


def percent(value: str) -> Decimal:
    return Decimal(value.strip().rstrip("%")) / 100


def read(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def terms_in_force(connector: dict, month: str) -> dict | None:
    """The last terms entry with since <= month, while month <= until."""
    if connector.get("until") not in (None, "", "null", "~") and month > connector["until"]:
        return None
    found = None
    for terms in connector["terms"]:
        if terms["since"] <= month:
            found = terms
    return found


def maintainer_of(terms: dict) -> str | None:
    value = terms.get("maintainer")
    return None if value in (None, "", "null", "~", "Null", "NULL") else value


def agreed_fee(amount: str) -> tuple[Decimal, str]:
    """A monthly fee `$N` or `N CUR` as (N, currency)."""
    amount = amount.strip()
    if amount.startswith("$"):
        return Decimal(amount[1:]), "USD"
    number, currency = amount.split()
    return Decimal(number), currency


def expected_outputs(folder: Path) -> dict:
    """{"reports": {month: report JSON}, "summary": summary JSON} for the published months of `folder`."""
    agreements = read(folder / "agreements.yml")
    foundation = agreements["foundation"]
    currency = foundation["currency"]
    connectors = agreements["connectors"]
    reports = [read(path) for path in sorted((folder / "reports").glob("*.yml"))]
    reports = sorted((r for r in reports if r["status"] == "published"), key=lambda r: r["month"])

    balances: dict[str, Decimal] = {}
    all_accrued: dict[str, Decimal] = {}
    all_paid: dict[str, Decimal] = {}
    all_sponsors: dict[str, Decimal] = {}
    out = {}
    for report in reports:
        month = report["month"]
        rates = {key: Decimal(value) for key, value in (report.get("rates") or {}).items()}
        rates[currency] = Decimal(1)

        def value_of(entry: dict) -> Decimal:
            return cents(Decimal(entry["amount"]) * rates[entry.get("currency") or currency])

        def split(cid: str, terms: dict, value: Decimal, flags: list[str], adjusts: str | None) -> dict:
            maintainer = maintainer_of(terms)
            share = percent(terms.get("maintainer_share") or foundation["maintainer_share"])
            part = cents(value * share) if maintainer else Decimal(0)
            line = {"id": cid, "sponsor": connectors[cid]["sponsor"], "maintainer": maintainer,
                    "remitted": value, "maintainers": part, "foundation": value - part, "flags": flags}
            if adjusts:
                line["adjusts"] = adjusts
            return line

        lines = []
        for remittance in report.get("remittances") or []:
            cid = remittance["connector"]
            terms = terms_in_force(connectors[cid], month)
            value = value_of(remittance)
            flags = []
            if terms["type"] == "monthly fee":
                fee, fee_currency = agreed_fee(terms["amount"])
                if value != cents(fee * rates[fee_currency]):
                    flags.append("fee_mismatch")
            elif remittance.get("user_fees") not in (None, ""):
                ratio = (Decimal(remittance["amount"]) / Decimal(remittance["user_fees"])).quantize(
                    Decimal("0.0001"), rounding=ROUND_HALF_UP)
                low, _, high = terms["amount"].rstrip("%").partition("-")
                if not percent(low) <= ratio <= percent(high or low):
                    flags.append("outside_range")
            lines.append(split(cid, terms, value, flags, None))
        for adjustment in report.get("adjustments") or []:
            cid = adjustment["connector"]
            terms = terms_in_force(connectors[cid], adjustment["month"])
            lines.append(split(cid, terms, value_of(adjustment), ["adjustment"], adjustment["month"]))

        accrued: dict[str, Decimal] = {}
        paid: dict[str, Decimal] = {}
        sponsors: dict[str, Decimal] = {}
        for line in lines:
            sponsors[line["sponsor"]] = sponsors.get(line["sponsor"], Decimal(0)) + line["remitted"]
            if line["maintainer"]:
                accrued[line["maintainer"]] = accrued.get(line["maintainer"], Decimal(0)) + line["maintainers"]
        for payout in report.get("payouts") or []:
            paid[payout["to"]] = paid.get(payout["to"], Decimal(0)) + value_of(payout)

        for person in set(accrued) | set(paid):
            balances[person] = balances.get(person, Decimal(0)) + accrued.get(person, Decimal(0)) \
                - paid.get(person, Decimal(0))
            all_accrued[person] = all_accrued.get(person, Decimal(0)) + accrued.get(person, Decimal(0))
            all_paid[person] = all_paid.get(person, Decimal(0)) + paid.get(person, Decimal(0))
        for sponsor, amount in sponsors.items():
            all_sponsors[sponsor] = all_sponsors.get(sponsor, Decimal(0)) + amount

        listed = set(accrued) | set(paid) | {p for p, b in balances.items() if b != 0}
        listed |= {line["maintainer"] for line in lines if line["maintainer"]}
        out[month] = {
            "month": month, "status": "published", "currency": currency,
            "totals": {"remitted": text(sum((line["remitted"] for line in lines), Decimal(0))),
                       "maintainers": text(sum((line["maintainers"] for line in lines), Decimal(0))),
                       "foundation": text(sum((line["foundation"] for line in lines), Decimal(0))),
                       "paid": text(sum(paid.values(), Decimal(0)))},
            "connectors": [{**line, **{key: text(line[key]) for key in ("remitted", "maintainers", "foundation")}}
                           for line in lines],
            "sponsors": [{"id": sponsor, "remitted": text(amount)} for sponsor, amount in sponsors.items()],
            "maintainers": [{"id": person, "accrued": text(accrued.get(person, Decimal(0))),
                             "paid": text(paid.get(person, Decimal(0))), "balance": text(balances.get(person, Decimal(0))),
                             "flags": ["advance"] if balances.get(person, Decimal(0)) < 0 else []}
                            for person in sorted(listed)],
        }

    summary = {
        "currency": currency,
        "months": [report["month"] for report in reports],
        "sponsors": [{"id": sponsor, "remitted": text(amount)} for sponsor, amount in all_sponsors.items()],
        "maintainers": [{"id": person, "accrued": text(all_accrued[person]), "paid": text(all_paid[person]),
                         "balance": text(balances[person])} for person in sorted(all_accrued)],
    }
    return {"reports": out, "summary": summary}
