"""The published CSV files described for data tools: a Frictionless Data Package (data/datapackage.json)
and one Table Schema per kind of CSV file (data/schema/*.tableschema.json).

The descriptor lists every CSV file of the site with its size and SHA-256, so that `frictionless
validate data/datapackage.json` checks types, keys and integrity at once. Each file's columns are
read from its header and described from the tables below: a column without a description fails
the build, so the description cannot fall behind the files.
"""

from __future__ import annotations

import hashlib
import json
import re

from .model import Foundation

PROFILE = "tabular-data-package"

ID = {"type": "string", "constraints": {"pattern": "[a-z0-9][a-z0-9-]*"}}
MONTH = {"type": "yearmonth"}
DATE = {"type": "date"}
DECIMAL = {"type": "number"}  # as written in the data: plain digits, a point, no exponent
TEXT = {"type": "string"}
STATUS = {"type": "string", "constraints": {"enum": ["draft", "published"]}}
CURRENCY = {"type": "string", "constraints": {"pattern": "[A-Z0-9]{2,10}"}}
SHARE = {"type": "number", "bareNumber": False}
TX = {"type": "string", "constraints": {"pattern": "0x[0-9a-f]{64}"}}
ADDRESS = {"type": "string", "constraints": {"pattern": "0x[0-9a-f]{40}"}}  # "40%": the number is the percent
FLAGS = {"type": "string", "constraints": {
    "pattern": "((fee_mismatch|outside_range|adjustment)( (fee_mismatch|outside_range|adjustment))*)?"}}


def money(description: str) -> dict:
    return {"type": "number", "description": f"{description}, in the reporting currency with exactly two decimals"}


def field(kind: dict, description: str, required: bool = False) -> dict:
    entry = dict(kind, description=description)
    if required:
        entry["constraints"] = dict(entry.get("constraints", {}), required=True)
    return entry


MONTH_OF_ROW = field(MONTH, "The report (YYYY-MM) that carries the row", required=True)
STATUS_OF_ROW = field(STATUS, "`published`, or `draft` in a preview that includes draft months", required=True)
ADJUSTS = field(MONTH, "For an adjustment: the published month (YYYY-MM) it corrects")

# Each kind of CSV file: its Table Schema's name, what a row is, and each column.
REMITTANCES = {
    "month": MONTH_OF_ROW,
    "status": STATUS_OF_ROW,
    "kind": field({"type": "string", "constraints": {"enum": ["remittance", "adjustment"]}},
                  "`remittance`, or `adjustment`: a signed correction of an earlier month", required=True),
    "connector": field(ID, "The connector's id (see agreements.json)", required=True),
    "sponsor": field(ID, "The sponsor's id (see agreements.json)", required=True),
    "maintainer": field(ID, "The maintainer's id under the terms that applied; empty: no maintainer"),
    "amount": field(DECIMAL, "The amount as remitted, in `currency` (signed for an adjustment)", required=True),
    "currency": field(CURRENCY, "The currency of `amount`", required=True),
    "rate": field(DECIMAL, "The value of one unit of `currency` in the reporting currency that month",
                  required=True),
    "remitted": money("The value of the line: round(amount x rate)") | {"constraints": {"required": True}},
    "maintainer_share": field(SHARE, "The maintainer's share in percent, like 50%", required=True),
    "maintainers": money("The maintainer's part: round(remitted x share)") | {"constraints": {"required": True}},
    "foundation": money("The Foundation's part: remitted - maintainers") | {"constraints": {"required": True}},
    "flags": field(FLAGS, "Flags raised, separated by spaces: fee_mismatch, outside_range, adjustment"),
    "adjusts": ADJUSTS,
    "user_fees": field(DECIMAL, "The fees users incurred, in `currency`, where the sponsor reported them"),
    "volume": field(DECIMAL, "The trading volume that generated the fees, in `currency`, where reported"),
    "reference": field(TEXT, "The remittance's payment reference"),
    "reason": field(TEXT, "Why an adjustment was made"),
    "tx": field(TX, "The transaction that carried the remittance on chain (0x and 64 hex digits, lower case)"),
    "chain": field(ID, "With tx: the chain's id (see agreements.json)"),
}
PAYOUTS = {
    "month": MONTH_OF_ROW,
    "status": STATUS_OF_ROW,
    "to": field(ID, "The id of the person paid (see agreements.json)", required=True),
    "date": field(DATE, "The date of the payment", required=True),
    "amount": field(DECIMAL, "The amount paid, in `currency`", required=True),
    "currency": field(CURRENCY, "The currency of `amount`", required=True),
    "rate": field(DECIMAL, "The value of one unit of `currency` in the reporting currency that month",
                  required=True),
    "paid": money("The value of the payout: round(amount x rate)") | {"constraints": {"required": True}},
    "reference": field(TEXT, "The transaction hash or payment reference"),
    "tx": field(TX, "The transaction that carried the payout on chain (0x and 64 hex digits, lower case)"),
    "chain": field(ID, "With tx: the chain's id (see agreements.json)"),
    "address": field(ADDRESS, "With tx: the address paid (0x and 40 hex digits, lower case)"),
}
MONTHS = {
    "month": field(MONTH, "The month (YYYY-MM)", required=True),
    "status": STATUS_OF_ROW,
    "published": field(DATE, "The date the month was published; empty for a draft"),
    "remitted": money("Remitted by sponsors in the month, adjustments included") | {"constraints": {"required": True}},
    "maintainers": money("The maintainers' parts") | {"constraints": {"required": True}},
    "foundation": money("The Foundation's parts") | {"constraints": {"required": True}},
    "paid": money("Paid out to maintainers in the month") | {"constraints": {"required": True}},
}
STATEMENT = {
    "month": MONTH_OF_ROW,
    "status": STATUS_OF_ROW,
    "kind": field({"type": "string", "constraints": {"enum": ["remittance", "adjustment", "payout"]}},
                  "`remittance` or `adjustment`: a line the person accrued from; `payout`: a payment to them",
                  required=True),
    "date": field(DATE, "A payout's date; for a line, the date its month was published"),
    "connector": field(ID, "For a line: the connector's id"),
    "adjusts": ADJUSTS,
    "remitted": money("For a line: its value"),
    "maintainer_share": field(SHARE, "For a line: the person's share in percent, like 50%"),
    "accrued": money("For a line: the person's part, round(remitted x share)"),
    "amount": field(DECIMAL, "For a payout: the amount paid, in `currency`"),
    "currency": field(CURRENCY, "For a payout: the currency of `amount`"),
    "rate": field(DECIMAL, "For a payout: the value of one unit of `currency` in the reporting currency"),
    "paid": money("For a payout: its value, round(amount x rate)"),
    "balance": money("What the Foundation owes the person after this row; below 0, an advance")
    | {"constraints": {"required": True}},
    "reference": field(TEXT, "For a payout: the transaction hash or payment reference"),
    "reason": field(TEXT, "For an adjustment: why it was made"),
}

MONTH_KEY = {"fields": "month", "reference": {"resource": "months", "fields": "month"}}
ADJUSTS_KEY = {"fields": "adjusts", "reference": {"resource": "months", "fields": "month"}}

# name: (columns, primary key, foreign keys)
SCHEMAS = {
    "months": (MONTHS, "month", []),
    "remittances": (REMITTANCES, None, [MONTH_KEY, ADJUSTS_KEY]),
    "payouts": (PAYOUTS, None, [MONTH_KEY]),
    "statement": (STATEMENT, None, [MONTH_KEY, ADJUSTS_KEY]),
}


def schema_name(path: str) -> str:
    """The Table Schema of a CSV file, by its path under data/."""
    if path.startswith("sponsors/"):
        return "remittances"
    if path.startswith("people/"):
        return "statement"
    return path.removesuffix(".csv")


def table_schemas() -> dict[str, dict]:
    """Each Table Schema, by its path under data/."""
    result = {}
    for name, (columns, key, foreign) in SCHEMAS.items():
        schema = {"fields": [{"name": column, **spec} for column, spec in columns.items()], "missingValues": [""]}
        if key:
            schema["primaryKey"] = key
        if foreign:
            schema["foreignKeys"] = foreign
        result[f"schema/{name}.tableschema.json"] = schema
    return result


def descriptor(foundation: Foundation, files: dict[str, bytes]) -> bytes:
    """data/datapackage.json for the CSV files among `files` (paths relative to the site)."""
    schemas = table_schemas()
    resources = []
    for path in sorted(files, key=_resource_order):
        if not (path.startswith("data/") and path.endswith(".csv")):
            continue
        relative = path.removeprefix("data/")
        name = schema_name(relative)
        header = files[path].split(b"\n", 1)[0].decode("utf-8").split(",")
        expected = [spec["name"] for spec in schemas[f"schema/{name}.tableschema.json"]["fields"]]
        if header != expected:
            raise ValueError(f"{path}: columns {header} are not described; expected {expected}")
        resources.append({
            "name": re.sub(r"[^a-z0-9-]", "-", relative.removesuffix(".csv")),
            "path": relative,
            "profile": "tabular-data-resource",
            "title": _title(relative),
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(files[path]),
            "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": f"schema/{name}.tableschema.json",
        })
    package = {
        "profile": PROFILE,
        "name": (re.sub(r"[^a-z0-9]+", "-", foundation.name.lower()).strip("-") or "foundation") + "-reports",
        "title": f"{foundation.name}: connector maintenance agreements, monthly reports",
        "description": f"Every line item of every published month, per month, per person and per sponsor. "
                       f"Amounts are in {foundation.currency} with exactly two decimals, as in the JSON files.",
        "resources": resources,
    }
    return (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def table_schema_files() -> dict[str, bytes]:
    """The Table Schemas as files, by path relative to the site."""
    return {f"data/{path}": (json.dumps(schema, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
            for path, schema in table_schemas().items()}


def _resource_order(path: str) -> tuple[int, str]:
    return (0 if path.count("/") == 1 else 1, path)  # months, remittances and payouts first


def _title(relative: str) -> str:
    if relative.startswith("people/"):
        return f"Statement of {relative.removeprefix('people/').removesuffix('.csv')}"
    if relative.startswith("sponsors/"):
        return f"Remittances of sponsor {relative.removeprefix('sponsors/').removesuffix('.csv')}"
    return {"months.csv": "Month by month totals", "remittances.csv": "Every remittance and adjustment",
            "payouts.csv": "Every payout"}.get(relative, relative)
