"""JSON Schemas (2020-12) of the published JSON files, served beside them under data/schema/.

Named after the file they describe (`summary.json.schema.json`), apart from the input schemas
`agreements.schema.json` and `report.schema.json` that editors use for the YAML. Every field the
build writes is listed, and no other is allowed: a new field needs its description here.
"""

from __future__ import annotations

import fnmatch
import json

DIALECT = "https://json-schema.org/draft/2020-12/schema"

DEFS = {
    "money": {"description": "An amount in the reporting currency: a string with exactly two decimals, never -0.00.",
              "type": "string", "pattern": r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$", "not": {"const": "-0.00"}},
    "decimal": {"description": "A number as written in the data: plain digits, an optional sign and point.",
                "type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
    "month": {"description": "YYYY-MM.", "type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"},
    "date": {"description": "YYYY-MM-DD.", "type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
             "format": "date"},
    "id": {"description": "An id of agreements.json.", "type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
    "currency": {"description": "A currency code.", "type": "string", "pattern": r"^[A-Z0-9]{2,10}$"},
    "percent": {"description": "A percentage, like 50% or 12.5%.", "type": "string",
                "pattern": r"^[0-9]+(\.[0-9]+)?%$"},
    "sha256": {"description": "A SHA-256 digest as 64 lowercase hex digits.", "type": "string",
               "pattern": "^[0-9a-f]{64}$"},
    "contract": {"description": "The version of the data contract the file follows.", "const": "1.2"},
    "rate": {"description": "The value of one unit of a currency in the reporting currency, as the report writes "
                            "it.", "type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"},
    "text": {"type": "string"},
    "text_or_null": {"type": ["string", "null"]},
    "totals": {"description": "Remitted (adjustments included), the maintainers' and the Foundation's parts, "
                              "and what was paid out.",
               **{"type": "object", "additionalProperties": False,
                  "required": ["remitted", "maintainers", "foundation", "paid"],
                  "properties": {key: {"$ref": "#/$defs/money"}
                                 for key in ("remitted", "maintainers", "foundation", "paid")}}},
    "sponsor": {"type": "object", "additionalProperties": False, "required": ["id", "remitted"],
                "properties": {"id": {"$ref": "#/$defs/id"}, "remitted": {"$ref": "#/$defs/money"}}},
    "days_to_pay": {
        "description": "Days from a month's publication to the payout that paid it off (contract 1.1, Waiting): "
                       "the number of months paid off, the lower median and the maximum (null when none).",
        "type": "object", "additionalProperties": False, "required": ["months", "median", "max"],
        "properties": {"months": {"type": "integer", "minimum": 0},
                       "median": {"type": ["integer", "null"], "minimum": 0},
                       "max": {"type": ["integer", "null"], "minimum": 0}}},
    "flag": {"enum": ["fee_mismatch", "outside_range", "advance", "adjustment"]},
    "address": {"description": "An address on a chain: 0x and 40 hex digits, in lower case.", "type": "string",
                "pattern": "^0x[0-9a-f]{40}$"},
    "tx": {"description": "A transaction hash: 0x and 64 hex digits, in lower case.", "type": "string",
           "pattern": "^0x[0-9a-f]{64}$"},
    "accounts": {"description": "Addresses on chains (contract 1.2); empty when none.", "type": "array",
                 "items": {"type": "object", "additionalProperties": False, "required": ["chain", "address"],
                           "properties": {"chain": {"$ref": "#/$defs/id"}, "address": {"$ref": "#/$defs/address"}}}},
}


def ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def nullable(name: str) -> dict:
    return {"anyOf": [ref(name), {"type": "null"}]}


def entry(properties: dict, optional: tuple[str, ...] = (), together: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all required but `optional`; the keys `together` are all
    present or all absent."""
    result = {"type": "object", "additionalProperties": False,
              "required": [key for key in properties if key not in optional], "properties": properties}
    if together:
        result["dependentRequired"] = {key: [other for other in together if other != key] for key in together}
    return result


def listing(item: dict, description: str = "") -> dict:
    result = {"type": "array", "items": item}
    return {"description": description, **result} if description else result


FLAGS = listing(ref("flag"))
BALANCE = {"id": ref("id"), "accrued": ref("money"), "paid": ref("money"), "balance": ref("money")}


def agreements() -> dict:
    terms = entry({
        "since": ref("month"), "until": nullable("month"), "type": {"enum": ["fee share", "monthly fee"]},
        "amount": ref("text"), "maintainer": nullable("id"), "maintainer_share": ref("percent"),
        "percent": entry({"min": ref("decimal"), "max": ref("decimal")}),
        "fee": entry({"amount": ref("decimal"), "currency": ref("currency")}),
    }, optional=("percent", "fee"))
    return entry({
        "contract": ref("contract"),
        "foundation": entry({"name": ref("text"), "currency": ref("currency"), "maintainer_share": ref("percent"),
                             "url": ref("text_or_null"), "notice": ref("text_or_null"),
                             "accounts": ref("accounts")}),
        "people": listing(entry({"id": ref("id"), "name": ref("text"), "github": ref("text_or_null"),
                                 "url": ref("text_or_null"), "accounts": ref("accounts")})),
        "sponsors": listing(entry({"id": ref("id"), "name": ref("text"), "url": ref("text_or_null"),
                                   "accounts": ref("accounts")})),
        "connectors": listing(entry({
            "id": ref("id"), "name": ref("text"), "sponsor": ref("id"), "developer": ref("id"),
            "docs": ref("text_or_null"), "since": ref("month"), "until": nullable("month"),
            "terms": listing(terms)})),
        "chains": listing(entry({"id": ref("id"), "name": ref("text"), "explorer": ref("text_or_null")}),
                          "The chains of the accounts and tokens; explorer: links EXPLORER/tx/HASH and "
                          "EXPLORER/address/ADDRESS."),
        "tokens": listing(entry({"code": ref("currency"), "chain": ref("id"), "contract": ref("address"),
                                 "decimals": {"type": "integer", "minimum": 0, "maximum": 36}}),
                          "The currencies of the reports that are tokens on a chain."),
    })


def month() -> dict:
    return entry({
        "month": ref("month"), "status": {"enum": ["draft", "published"]}, "currency": ref("currency"),
        "published": nullable("date"),
        "source": entry({"file": ref("text"), "sha256": ref("sha256")}),
        "rates": {"description": "The report's rates, every entry: the value of one unit of each currency in the "
                                 "reporting currency, as the report writes it.",
                  "type": "object", "propertyNames": ref("currency"), "additionalProperties": ref("rate")},
        "totals": ref("totals"),
        "connectors": listing(entry({
            "id": ref("id"), "sponsor": ref("id"), "maintainer": nullable("id"), "remitted": ref("money"),
            "maintainers": ref("money"), "foundation": ref("money"), "flags": FLAGS, "amount": ref("decimal"),
            "currency": ref("currency"), "adjusts": ref("month"), "reason": ref("text"),
            "user_fees": nullable("decimal"), "volume": nullable("decimal"), "reference": ref("text_or_null"),
            "tx": ref("tx"), "chain": ref("id"), "token": ref("address"),
        }, optional=("adjusts", "reason", "user_fees", "volume", "reference", "tx", "chain", "token"),
            together=("tx", "chain", "token")),
            "One entry per remittance (with its user_fees, volume and reference; and, when it was paid on chain, "
            "its tx, chain and token contract) and one per adjustment (with adjusts and reason)."),
        "sponsors": listing(ref("sponsor"), "One entry per sponsor with a line in the month."),
        "maintainers": listing(entry({**BALANCE, "flags": FLAGS}),
                               "One entry per person who is the maintainer on a line of the month, received a "
                               "payout in it, or has a balance other than 0; balance: after the month."),
        "payouts": listing(entry({"to": ref("id"), "date": ref("date"), "amount": ref("decimal"),
                                  "currency": ref("currency"), "paid": ref("money"),
                                  "reference": ref("text_or_null"), "tx": ref("tx"), "chain": ref("id"),
                                  "token": ref("address"), "address": ref("address")},
                                 optional=("tx", "chain", "token", "address"),
                                 together=("tx", "chain", "token", "address")),
                           "Each payout; one carried on chain also has its tx, chain, token contract and the "
                           "address paid."),
        "notes": {"description": "The report's notes (Markdown), null when it has none.", **ref("text_or_null")},
    })


def summary() -> dict:
    return entry({
        "currency": ref("currency"),
        "months": listing(ref("month"), "The months included, in order."),
        "sponsors": listing(ref("sponsor")),
        "maintainers": listing(entry({
            **BALANCE, "flags": FLAGS,
            "owed_since": {"description": "The oldest month not yet paid off in full; null when nothing is owed.",
                           "anyOf": [ref("month"), {"type": "null"}]},
            "days_to_pay": ref("days_to_pay"),
        }), "Every person with figures: all-time accrued and paid, the latest balance, and the waiting figures."),
        "totals": ref("totals"),
        "days_to_pay": ref("days_to_pay"),
    })


def year() -> dict:
    return entry({
        "year": {"description": "YYYY.", "type": "string", "pattern": "^[0-9]{4}$"},
        "currency": ref("currency"),
        "months": listing(ref("month"), "The year's months included, in order."),
        "totals": ref("totals"),
        "sponsors": listing(ref("sponsor")),
        "connectors": listing(entry({"id": ref("id"), "remitted": ref("money"), "maintainers": ref("money"),
                                     "foundation": ref("money")}), "Remittances and adjustments together."),
        "maintainers": listing(entry(BALANCE), "Accrued and paid in the year; the balance after the last month "
                                               "of the year in which the person appears."),
    })


def manifest() -> dict:
    return entry({
        "contract": ref("contract"),
        "currency": ref("currency"),
        "months": listing(entry({"month": ref("month"), "published": ref("date"), "source_sha256": ref("sha256"),
                                 "figures_sha256": ref("sha256"), "chain": ref("sha256")}),
                          "The published months as a hash chain (contract 1.2, The record)."),
    })


# Each published JSON file (a pattern under data/), its schema's file name, title and contents.
PUBLISHED = {
    "agreements.json": ("agreements.json.schema.json", "data/agreements.json", agreements),
    "reports/*.json": ("month.json.schema.json", "data/reports/YYYY-MM.json", month),
    "summary.json": ("summary.json.schema.json", "data/summary.json", summary),
    "years/*.json": ("year.json.schema.json", "data/years/YYYY.json", year),
    "manifest.json": ("manifest.json.schema.json", "data/manifest.json", manifest),
}


def schema_for(path: str) -> str | None:
    """The schema file name of a published JSON file (path under data/), or None."""
    for pattern, (name, _, _) in PUBLISHED.items():
        if fnmatch.fnmatchcase(path, pattern) and "/" not in path.removeprefix(pattern.split("*")[0]):
            return name
    return None


def schema_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The schema of each kind of published JSON file among `files`, by path relative to the site."""
    result = {}
    for pattern, (name, title, build) in PUBLISHED.items():
        if any(schema_for(path.removeprefix("data/")) == name for path in files if path.startswith("data/")):
            schema = {"$schema": DIALECT, "title": title, **build(), "$defs": DEFS}
            result[f"data/schema/{name}"] = (json.dumps(schema, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return result
