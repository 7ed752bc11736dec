"""The published data files of the contract: JSON and CSV, amounts as strings with 2 decimals."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from . import datapackage, published_schemas, verify
from .ledger import Ledger, Line, Month, PayoutLine
from .model import FEE_SHARE, Agreements, Connector, Dataset, Token, percent, previous_month
from .periods import Periods, Year
from .statements import Statement
from .waiting import DaysToPay

CONTRACT_VERSION = "1.2"  # the version of the data contract the published files follow


def cents(value: Decimal) -> str:
    """A money value as the contract publishes it: exactly 2 decimals, never -0.00."""
    return f"{value:.2f}" if value else "0.00"


def plain(value: Decimal | None) -> str | None:
    """A number as written in the data (no exponent)."""
    return None if value is None else format(value, "f")


def to_json(document) -> bytes:
    """Compact JSON (the C encoder; an indented dump takes Python's, several times slower)."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def data_files(dataset: Dataset, ledger: Ledger, periods: Periods, site_url: str | None = None,
               repo_url: str | None = None) -> dict[str, bytes]:
    """Every file under data/, by path relative to the site; `site_url` (where the site is published) and
    `repo_url` (where its source is) go into the descriptions of the data when they are known."""
    files = {"data/agreements.json": to_json(agreements_json(dataset.agreements)),
             "data/summary.json": to_json(summary_json(ledger, periods))}
    tokens = dataset.agreements.tokens
    documents = {month.month: month_json(month, ledger.currency, tokens) for month in ledger.months}
    for name, document in documents.items():
        files[f"data/reports/{name}.json"] = to_json(document)
    files["data/manifest.json"] = to_json(manifest_json(ledger, documents))
    for year in periods.years.values():
        files[f"data/years/{year.year}.json"] = to_json(year_json(year, ledger.currency))
    remittances = remittance_rows(ledger, tokens)
    files["data/remittances.csv"] = _csv(REMITTANCE_COLUMNS, remittances)
    files["data/payouts.csv"] = payouts_csv(ledger, tokens)
    files["data/months.csv"] = months_csv(ledger)
    for person, statement in periods.statements.items():
        files[f"data/people/{person}.csv"] = statement_csv(statement)
    for sponsor, content in sponsor_csvs(remittances).items():
        files[f"data/sponsors/{sponsor}.csv"] = content
    files.update(entity_csvs(dataset.agreements))
    # The verifier is published as it is: a reader runs the very check that `build.py verify` runs.
    files["data/verify.py"] = Path(verify.__file__).read_bytes()
    # Last, as they describe the files above: the JSON Schemas, the Table Schemas and the Data Package.
    files.update(published_schemas.schema_files(files, site_url))
    files.update(datapackage.table_schema_files())
    about = datapackage.About.of(dataset.agreements.foundation, ledger, site_url, repo_url)
    files["data/datapackage.json"] = datapackage.descriptor(about, files)
    return files


def manifest_json(ledger: Ledger, documents: dict[str, dict]) -> dict:
    """The record of the published months: each month's hashes, chained (the contract's "The record")."""
    months, previous = [], verify.GENESIS
    for month in ledger.months:
        if month.is_draft:
            continue
        figures = verify.figures_sha256(documents[month.month])
        previous = verify.chain(previous, month.month, month.report.sha256, figures)
        months.append({"month": month.month, "published": month.report.published,
                       "source_sha256": month.report.sha256, "figures_sha256": figures, "chain": previous})
    return {"contract": CONTRACT_VERSION, "currency": ledger.currency, "months": months}


def agreements_json(agreements: Agreements) -> dict:
    foundation = agreements.foundation
    return {
        "contract": CONTRACT_VERSION,
        "foundation": {"name": foundation.name, "currency": foundation.currency,
                       "maintainer_share": foundation.share_text, "url": foundation.url,
                       "notice": foundation.notice, "accounts": _accounts_json(foundation.accounts),
                       "license": foundation.license},
        "people": [{"id": p.id, "name": p.name, "github": p.github, "url": p.url,
                    "accounts": _accounts_json(p.accounts)} for p in agreements.people.values()],
        "sponsors": [{"id": s.id, "name": s.name, "url": s.url, "accounts": _accounts_json(s.accounts)}
                     for s in agreements.sponsors.values()],
        "connectors": [{
            "id": c.id, "name": c.name, "sponsor": c.sponsor, "developer": c.developer, "docs": c.docs,
            "since": c.since, "until": c.until,
            "terms": [_terms_json(t, _terms_until(c, index)) for index, t in enumerate(c.terms)],
        } for c in agreements.connectors.values()],
        "chains": [{"id": c.id, "name": c.name, "explorer": c.explorer} for c in agreements.chains.values()],
        "tokens": [{"code": t.code, "chain": t.chain, "contract": t.contract, "decimals": t.decimals}
                   for t in agreements.tokens.values()],
    }


def _accounts_json(accounts) -> list[dict]:
    return [{"chain": account.chain, "address": account.address} for account in accounts]


def _terms_until(connector: Connector, index: int) -> str | None:
    """The last month a terms entry is in force: before the next entry, or the agreement's end; None while it lasts."""
    ends = [previous_month(connector.terms[index + 1].since)] if index + 1 < len(connector.terms) else []
    ends += [connector.until] if connector.until else []
    return min(ends) if ends else None


def _terms_json(terms, until: str | None) -> dict:
    entry = {"since": terms.since, "until": until, "type": terms.type, "amount": terms.amount_text,
             "maintainer": terms.maintainer, "maintainer_share": terms.share_text}
    if terms.type == FEE_SHARE:
        entry["percent"] = {"min": percent(terms.low)[:-1], "max": percent(terms.high)[:-1]}
    else:
        entry["fee"] = {"amount": plain(terms.fee), "currency": terms.fee_currency}
    return entry


def month_json(month: Month, currency: str, tokens: dict[str, Token] | None = None) -> dict:
    """A month file. A line carried on chain (with a tx) also names its chain and its token's contract; the keys
    are absent on the other lines, so that a month's hash is the same as before contract 1.2 without them."""
    tokens = tokens or {}
    report = month.report
    totals = month.totals
    return {
        "month": month.month, "status": report.status, "currency": currency,
        "published": report.published,
        "source": {"file": report.source, "sha256": report.sha256},
        "rates": {code: plain(rate) for code, rate in report.rates.items()},
        "totals": {"remitted": cents(totals.remitted), "maintainers": cents(totals.maintainers),
                   "foundation": cents(totals.foundation), "paid": cents(totals.paid)},
        "connectors": [_line_json(line, tokens) for line in month.lines],
        "sponsors": [{"id": sponsor, "remitted": cents(value)} for sponsor, value in month.sponsors.items()],
        "maintainers": [{"id": b.person, "accrued": cents(b.accrued), "paid": cents(b.paid),
                         "balance": cents(b.balance), "flags": list(b.flags)} for b in month.balances],
        "payouts": [_payout_json(p, tokens) for p in month.payouts],
        "notes": report.notes,
    }


def _payout_json(payout: PayoutLine, tokens: dict[str, Token]) -> dict:
    entry = {"to": payout.to, "date": payout.date, "amount": plain(payout.amount), "currency": payout.currency,
             "paid": cents(payout.value), "reference": payout.reference}
    if payout.tx is not None:
        token = tokens[payout.currency]
        entry.update(tx=payout.tx, chain=token.chain, token=token.contract, address=payout.address)
    return entry


def _line_json(line: Line, tokens: dict[str, Token]) -> dict:
    entry = {"id": line.connector, "sponsor": line.sponsor, "maintainer": line.maintainer,
             "remitted": cents(line.value), "maintainers": cents(line.maintainer_part),
             "foundation": cents(line.foundation_part), "flags": list(line.flags),
             "amount": plain(line.amount), "currency": line.currency}
    source = line.source
    if line.adjusts:
        entry["adjusts"] = line.adjusts
        entry["reason"] = source.reason
    else:
        entry.update(user_fees=plain(source.user_fees), volume=plain(source.volume), reference=source.reference)
        if source.tx is not None:
            token = tokens[line.currency]
            entry.update(tx=source.tx, chain=token.chain, token=token.contract)
    return entry


def summary_json(ledger: Ledger, periods: Periods) -> dict:
    totals = ledger.totals
    waiting = periods.waiting
    return {
        "currency": ledger.currency,
        "months": [month.month for month in ledger.months],
        "sponsors": [{"id": sponsor, "remitted": cents(value)} for sponsor, value in ledger.sponsors.items()],
        "maintainers": [{"id": p.person, "accrued": cents(p.accrued), "paid": cents(p.paid),
                         "balance": cents(p.balance), "flags": list(p.flags),
                         "owed_since": waiting[p.person].owed_since,
                         "days_to_pay": days_json(waiting[p.person].days_to_pay)} for p in ledger.people.values()],
        "totals": {"remitted": cents(totals.remitted), "maintainers": cents(totals.maintainers),
                   "foundation": cents(totals.foundation), "paid": cents(totals.paid)},
        "days_to_pay": days_json(periods.days_to_pay),
    }


def days_json(days: DaysToPay) -> dict:
    return {"months": days.months, "median": days.median, "max": days.max}


def year_json(year: Year, currency: str) -> dict:
    totals = year.totals
    return {
        "year": year.year, "currency": currency, "months": [month.month for month in year.months],
        "totals": {"remitted": cents(totals.remitted), "maintainers": cents(totals.maintainers),
                   "foundation": cents(totals.foundation), "paid": cents(totals.paid)},
        "sponsors": [{"id": sponsor, "remitted": cents(value)} for sponsor, value in year.sponsors.items()],
        "connectors": [{"id": cid, "remitted": cents(split.remitted), "maintainers": cents(split.maintainers),
                        "foundation": cents(split.foundation)} for cid, split in year.connectors.items()],
        "maintainers": [{"id": b.person, "accrued": cents(b.accrued), "paid": cents(b.paid),
                         "balance": cents(b.balance)} for b in year.maintainers.values()],
    }


REMITTANCE_COLUMNS = ("month", "status", "kind", "connector", "sponsor", "maintainer", "amount", "currency",
                      "rate", "remitted", "maintainer_share", "maintainers", "foundation", "flags", "adjusts",
                      "user_fees", "volume", "reference", "reason", "tx", "chain")
PAYOUT_COLUMNS = ("month", "status", "to", "date", "amount", "currency", "rate", "paid", "reference", "tx", "chain",
                  "address")


def remittance_rows(ledger: Ledger, tokens: dict[str, Token] | None = None) -> list[tuple]:
    """The rows of remittances.csv."""
    tokens = tokens or {}
    rows = []
    for month in ledger.months:
        for line in month.lines:
            source = line.source
            adjustment = line.adjusts is not None
            rows.append((month.month, month.report.status, "adjustment" if adjustment else "remittance",
                         line.connector, line.sponsor, line.maintainer or "", plain(line.amount), line.currency,
                         plain(line.rate), cents(line.value), percent(line.share), cents(line.maintainer_part),
                         cents(line.foundation_part), " ".join(line.flags), line.adjusts or "",
                         "" if adjustment else plain(source.user_fees) or "",
                         "" if adjustment else plain(source.volume) or "",
                         "" if adjustment else spreadsheet_text(source.reference),
                         spreadsheet_text(source.reason) if adjustment else "",
                         *(("", "") if adjustment or source.tx is None else (source.tx, tokens[line.currency].chain))))
    return rows


def sponsor_csvs(rows: list[tuple]) -> dict[str, bytes]:
    """Each sponsor's rows of remittances.csv, as a file of its own."""
    column = REMITTANCE_COLUMNS.index("sponsor")
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[column], []).append(row)
    return {sponsor: _csv(REMITTANCE_COLUMNS, found) for sponsor, found in grouped.items()}


def payouts_csv(ledger: Ledger, tokens: dict[str, Token] | None = None) -> bytes:
    tokens = tokens or {}
    rows = [(month.month, month.report.status, p.to, p.date, plain(p.amount), p.currency, plain(p.rate),
             cents(p.value), spreadsheet_text(p.reference),
             *(("", "", "") if p.tx is None else (p.tx, tokens[p.currency].chain, p.address)))
            for month in ledger.months for p in month.payouts]
    return _csv(PAYOUT_COLUMNS, rows)


MONTH_COLUMNS = ("month", "status", "published", "remitted", "maintainers", "foundation", "paid")
STATEMENT_COLUMNS = ("month", "status", "kind", "date", "connector", "adjusts", "remitted", "maintainer_share",
                     "accrued", "amount", "currency", "rate", "paid", "balance", "reference", "reason")


def months_csv(ledger: Ledger) -> bytes:
    rows = [(m.month, m.report.status, m.report.published or "", cents(m.totals.remitted),
             cents(m.totals.maintainers), cents(m.totals.foundation), cents(m.totals.paid)) for m in ledger.months]
    return _csv(MONTH_COLUMNS, rows)


def statement_csv(statement: Statement) -> bytes:
    """A person's statement: each line they accrued from and each payout to them, with the running balance."""
    rows = []
    for entry in statement.entries:
        month, line, payout = entry.month, entry.line, entry.payout
        if line is not None:
            adjustment = line.adjusts is not None
            rows.append((month.month, month.report.status, "adjustment" if adjustment else "remittance",
                         month.report.published or "", line.connector, line.adjusts or "", cents(line.value),
                         percent(line.share), cents(line.maintainer_part), "", "", "", "", cents(entry.balance), "",
                         spreadsheet_text(line.source.reason) if adjustment else ""))
        else:
            rows.append((month.month, month.report.status, "payout", payout.date, "", "", "", "", "",
                         plain(payout.amount), payout.currency, plain(payout.rate), cents(payout.value),
                         cents(entry.balance), spreadsheet_text(payout.reference), ""))
    return _csv(STATEMENT_COLUMNS, rows)


# The agreements as tables, one per entity, keyed and cross-referenced in datapackage.json: what agreements.json
# nests, flat. Free text (names) is defused for spreadsheets as in the other CSV files.
ENTITY_COLUMNS = verify.ENTITY_COLUMNS  # the verifier checks these tables against agreements.json


def entity_csvs(agreements: Agreements) -> dict[str, bytes]:
    """data/people.csv, sponsors.csv, connectors.csv, terms.csv, chains.csv, tokens.csv and accounts.csv."""
    rows: dict[str, list[tuple]] = {
        "people": [(p.id, spreadsheet_text(p.name), p.github or "", p.url or "") for p in agreements.people.values()],
        "sponsors": [(s.id, spreadsheet_text(s.name), s.url or "") for s in agreements.sponsors.values()],
        "connectors": [(c.id, spreadsheet_text(c.name), c.sponsor, c.developer, c.docs or "", c.since, c.until or "")
                       for c in agreements.connectors.values()],
        "terms": [_terms_row(c, index) for c in agreements.connectors.values() for index in range(len(c.terms))],
        "chains": [(c.id, spreadsheet_text(c.name), c.explorer or "") for c in agreements.chains.values()],
        "tokens": [(t.code, t.chain, t.contract, str(t.decimals)) for t in agreements.tokens.values()],
        "accounts": [("foundation", "", "", a.chain, a.address) for a in agreements.foundation.accounts]
        + [("person", p.id, "", a.chain, a.address) for p in agreements.people.values() for a in p.accounts]
        + [("sponsor", "", s.id, a.chain, a.address) for s in agreements.sponsors.values() for a in s.accounts],
    }
    return {f"data/{name}.csv": _csv(ENTITY_COLUMNS[name], found) for name, found in rows.items()}


def _terms_row(connector: Connector, index: int) -> tuple:
    terms = connector.terms[index]
    fee_share = terms.type == FEE_SHARE
    return (connector.id, terms.since, _terms_until(connector, index) or "", terms.type, terms.amount_text,
            terms.maintainer or "", terms.share_text,
            percent(terms.low)[:-1] if fee_share else "", percent(terms.high)[:-1] if fee_share else "",
            "" if fee_share else plain(terms.fee), "" if fee_share else terms.fee_currency)


def spreadsheet_text(text: str | None) -> str:
    """Free text for a CSV cell, defused so that a spreadsheet never runs it as a formula."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


def _csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
