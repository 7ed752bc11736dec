"""JSON Schemas (2020-12) of the published JSON files, served beside them under data/schema/.

Named after the file they describe (`summary.json.schema.json`), apart from the input schemas
`agreements.schema.json` and `report.schema.json` that editors use for the YAML. Every field the
build writes is listed, and no other is allowed: a new field needs its description here.
"""

from __future__ import annotations

import fnmatch
import json

from .licenses import LICENSES
from .validate import LONG_TEXT, REASON_TEXT, SHORT_TEXT

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# A month of a year from 0001, and a date that exists (30 February does not; 29 February in leap years only):
# the `format` keyword says as much, but validators skip formats unless asked to check them.
MONTH = r"^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$"
DATE = (r"^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
        r"-02-29)$")
POSITIVE = r"^(?:[1-9][0-9]*(?:\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)$"
HTTPS = r"""^[Hh][Tt][Tt][Pp][Ss]://[^\s<>"'`\\/?#][^\s<>"'`\\]*$"""
ONE_LINE = r"^[^\n]+$"  # not empty, one line (texts are published trimmed)


def _text(description: str, limit: int, multiline: bool = False) -> dict:
    return {"description": description, "type": "string", "minLength": 1, "maxLength": limit,
            **({} if multiline else {"pattern": ONE_LINE})}


DEFS = {
    "money": {"description": "An amount in the reporting currency: a string with exactly two decimals, never -0.00.",
              "type": "string", "pattern": r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$", "not": {"const": "-0.00"}},
    "paid": {"description": "A value paid, in the reporting currency: a string with exactly two decimals, 0 or more.",
             "type": "string", "pattern": r"^(0|[1-9][0-9]*)\.[0-9]{2}$"},
    "positive": {"description": "A number as written in the data, more than 0: ASCII digits, an optional point "
                                "and decimals; no sign, exponent or leading zero.",
                 "type": "string", "pattern": POSITIVE},
    "signed": {"description": "A signed number as written in the data, not 0: an optional -, ASCII digits, an "
                              "optional point and decimals.",
               "type": "string", "pattern": r"^-?(?:[1-9][0-9]*(?:\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)$"},
    "nonnegative": {"description": "A number as written in the data, 0 or more.", "type": "string",
                    "pattern": r"^(0|[1-9][0-9]*)(\.[0-9]+)?$"},
    "month": {"description": "YYYY-MM, a month from 01 to 12 of a year from 0001.", "type": "string",
              "pattern": MONTH},
    "date": {"description": "YYYY-MM-DD, a date that exists (checked by the pattern, leap years included; `format` "
                            "alone is skipped by most validators).", "type": "string", "pattern": DATE,
             "format": "date"},
    "id": {"description": "An id of agreements.json.", "type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
    "currency": {"description": "A currency code.", "type": "string", "pattern": r"^[A-Z0-9]{2,10}$"},
    "percent": {"description": "A percentage from 0% to 100%, like 50% or 12.5%.", "type": "string",
                "pattern": r"^0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)%$"},
    "sha256": {"description": "A SHA-256 digest as 64 lowercase hex digits.", "type": "string",
               "pattern": "^[0-9a-f]{64}$"},
    "contract": {"description": "The version of the data contract the file follows.", "const": "1.2"},
    "rate": {"description": "The value of one unit of a currency in the reporting currency, as the report writes "
                            "it, more than 0.", "type": "string", "pattern": POSITIVE},
    "name": _text("A name shown on the site: one line.", SHORT_TEXT),
    "reference": {"anyOf": [_text("A payment reference: one line.", SHORT_TEXT), {"type": "null"}]},
    "url": {"description": "An https URL, or null.", "anyOf": [{"type": "string", "pattern": HTTPS},
                                                               {"type": "null"}]},
    "totals": {"description": "Remitted (adjustments included), the maintainers' and the Foundation's parts, "
                              "and what was paid out.",
               **{"type": "object", "additionalProperties": False,
                  "required": ["remitted", "maintainers", "foundation", "paid"],
                  "properties": {"remitted": {"$ref": "#/$defs/money"}, "maintainers": {"$ref": "#/$defs/money"},
                                 "foundation": {"$ref": "#/$defs/money"}, "paid": {"$ref": "#/$defs/paid"}}}},
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
    "accounts": {"description": "Addresses on chains (contract 1.2), each at most once; empty when none.",
                 "type": "array", "uniqueItems": True,
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


def listing(item: dict, description: str = "", unique: bool = False) -> dict:
    """A list; `unique`: no two items are equal (a set)."""
    result = {"type": "array", "items": item, **({"uniqueItems": True} if unique else {})}
    return {"description": description, **result} if description else result


def by_id(item: dict, description: str, key: str = "id", table: str | None = None) -> dict:
    """A list of entries each named by its `key`, which no two entries share. JSON Schema cannot express that
    (uniqueItems compares whole entries), so the description says it; `table`: the CSV file whose primary key
    proves it."""
    proof = f"; the primary key of {table} proves it" if table else ""
    return listing(item, f"{description} Each {key} at most once (not expressed here: uniqueItems compares whole "
                         f"entries{proof}).".lstrip(), unique=True)


FLAGS = listing(ref("flag"), "Flags raised, each at most once.", unique=True)
MONTHS = "The months included, in order, each once."
BALANCE = {"id": ref("id"), "accrued": ref("money"), "paid": ref("paid"), "balance": ref("money")}
FEE_SHARE_PERCENT = {"description": "A percent of a fee share, without %: more than 0, up to 100.",
                     "type": "string", "pattern": r"^(?:100|[1-9][0-9]?(?:\.[0-9]*[1-9])?|0\.[0-9]*[1-9])$"}
TERMS_AMOUNT = {"description": "As written in agreements.yml: a fee share N% or N-M% (up to 100%), a monthly fee $N or "
                               "N CUR.", "type": "string",
                "pattern": r"^(?:0*(?:100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)%|0*(?:100(?:\.0+)?|[0-9]{1,2}"
                           r"(?:\.[0-9]+)?) ?- ?0*(?:100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)%|\$[0-9]+(?:\.[0-9]+)?|"
                           r"[0-9]+(?:\.[0-9]+)? [A-Z0-9]{2,10})$"}


def agreements() -> dict:
    terms = entry({
        "since": ref("month"), "until": nullable("month"), "type": {"enum": ["fee share", "monthly fee"]},
        "amount": TERMS_AMOUNT, "maintainer": nullable("id"), "maintainer_share": ref("percent"),
        "percent": entry({"min": FEE_SHARE_PERCENT, "max": FEE_SHARE_PERCENT}),
        "fee": entry({"amount": ref("positive"), "currency": ref("currency")}),
    }, optional=("percent", "fee"))
    terms["description"] = "A fee share has percent (its min and max), a monthly fee has fee."
    terms["if"] = {"properties": {"type": {"const": "fee share"}}}
    terms["then"] = {"required": ["percent"], "not": {"required": ["fee"]}}
    terms["else"] = {"required": ["fee"], "not": {"required": ["percent"]}}
    return entry({
        "contract": ref("contract"),
        "foundation": entry({
            "name": ref("name"), "currency": ref("currency"), "maintainer_share": ref("percent"), "url": ref("url"),
            "notice": {"anyOf": [_text("The notice shown on every page (Markdown).", LONG_TEXT, multiline=True),
                                 {"type": "null"}]},
            "accounts": ref("accounts"),
            "license": {"description": "The licence of the published data: an SPDX identifier (its page is "
                                       "https://spdx.org/licenses/ID.html), or null when none is declared (then "
                                       "others may not reuse the data).", "enum": [*LICENSES, None]}}),
        "people": by_id(entry({"id": ref("id"), "name": ref("name"),
                               "github": {"description": "A GitHub login, or null.",
                                          "anyOf": [{"type": "string",
                                                     "pattern": "^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$"},
                                                    {"type": "null"}]},
                               "url": ref("url"), "accounts": ref("accounts")}), "", table="people.csv"),
        "sponsors": by_id(entry({"id": ref("id"), "name": ref("name"), "url": ref("url"),
                                 "accounts": ref("accounts")}), "", table="sponsors.csv"),
        "connectors": by_id(entry({
            "id": ref("id"), "name": ref("name"), "sponsor": ref("id"), "developer": ref("id"),
            "docs": {"description": "A path on the Foundation's site, an https URL, or null.",
                     "anyOf": [{"type": "string", "pattern": r"""^/(?!/)[^\s<>"'`\\]*$"""},
                               {"type": "string", "pattern": HTTPS}, {"type": "null"}]},
            "since": ref("month"), "until": nullable("month"),
            "terms": listing(terms, "The terms over time, since strictly increasing.")}), "", table="connectors.csv"),
        "chains": by_id(entry({"id": ref("id"), "name": ref("name"),
                               "explorer": {"description": "An https URL without query or fragment, or null.",
                                            "anyOf": [{"type": "string", "pattern": HTTPS,
                                                       "not": {"pattern": "[?#]"}}, {"type": "null"}]}}),
                        "The chains of the accounts and tokens; explorer: links EXPLORER/tx/HASH and "
                        "EXPLORER/address/ADDRESS.", table="chains.csv"),
        "tokens": by_id(entry({"code": ref("currency"), "chain": ref("id"), "contract": ref("address"),
                               "decimals": {"type": "integer", "minimum": 0, "maximum": 36}}),
                        "The currencies of the reports that are tokens on a chain.", key="code", table="tokens.csv"),
    })


LINE = {"id": ref("id"), "sponsor": ref("id"), "maintainer": nullable("id"), "remitted": ref("money"),
        "maintainers": ref("money"), "foundation": ref("money"), "flags": FLAGS, "currency": ref("currency")}


def month() -> dict:
    remittance = entry({
        **LINE, "amount": ref("positive"), "user_fees": nullable("positive"), "volume": nullable("nonnegative"),
        "reference": ref("reference"), "tx": ref("tx"), "chain": ref("id"), "token": ref("address"),
    }, optional=("tx", "chain", "token"), together=("tx", "chain", "token"))
    adjustment = entry({
        **LINE, "amount": ref("signed"), "adjusts": ref("month"),
        "reason": _text("Why the adjustment was made.", REASON_TEXT, multiline=True),
    })
    adjustment["properties"]["flags"] = {**FLAGS, "contains": {"const": "adjustment"}}
    document = entry({
        "month": ref("month"), "status": {"enum": ["draft", "published"]}, "currency": ref("currency"),
        "published": nullable("date"),
        "source": entry({"file": {"description": "The report's file.", "type": "string",
                                  "pattern": r"^reports/[0-9]{4}-[0-9]{2}\.yml$"}, "sha256": ref("sha256")}),
        "rates": {"description": "The report's rates, every entry: the value of one unit of each currency in the "
                                 "reporting currency, as the report writes it.",
                  "type": "object", "propertyNames": ref("currency"), "additionalProperties": ref("rate")},
        "totals": ref("totals"),
        "connectors": listing({"oneOf": [remittance, adjustment]},
            "One entry per remittance (amount more than 0, with its user_fees, volume and reference; and, when it "
            "was paid on chain, its tx, chain and token contract) and one per adjustment (signed amount, adjusts, "
            "reason, and the flag adjustment)."),
        "sponsors": by_id(ref("sponsor"), "One entry per sponsor with a line in the month."),
        "maintainers": by_id(entry({**BALANCE, "flags": FLAGS}),
                             "One entry per person who is the maintainer on a line of the month, received a "
                             "payout in it, or has a balance other than 0; balance: after the month."),
        "payouts": listing(entry({"to": ref("id"), "date": ref("date"), "amount": ref("positive"),
                                  "currency": ref("currency"), "paid": ref("paid"),
                                  "reference": ref("reference"), "tx": ref("tx"), "chain": ref("id"),
                                  "token": ref("address"), "address": ref("address")},
                                 optional=("tx", "chain", "token", "address"),
                                 together=("tx", "chain", "token", "address")),
                           "Each payout; one carried on chain also has its tx, chain, token contract and the "
                           "address paid."),
        "notes": {"description": "The report's notes (Markdown), null when it has none.",
                  "anyOf": [_text("The notes.", LONG_TEXT, multiline=True), {"type": "null"}]},
    })
    document["if"] = {"properties": {"status": {"const": "published"}}}
    document["then"] = {"properties": {"published": ref("date")}}
    return document


def summary() -> dict:
    return entry({
        "currency": ref("currency"),
        "months": listing(ref("month"), MONTHS, unique=True),
        "sponsors": by_id(ref("sponsor"), ""),
        "maintainers": by_id(entry({
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
        "year": {"description": "YYYY, from 0001.", "type": "string", "pattern": "^(?!0000)[0-9]{4}$"},
        "currency": ref("currency"),
        "months": listing(ref("month"), MONTHS, unique=True),
        "totals": ref("totals"),
        "sponsors": by_id(ref("sponsor"), ""),
        "connectors": by_id(entry({"id": ref("id"), "remitted": ref("money"), "maintainers": ref("money"),
                                   "foundation": ref("money")}), "Remittances and adjustments together."),
        "maintainers": by_id(entry(BALANCE), "Accrued and paid in the year; the balance after the last month "
                                             "of the year in which the person appears."),
    })


def manifest() -> dict:
    return entry({
        "contract": ref("contract"),
        "currency": ref("currency"),
        "months": by_id(entry({"month": ref("month"), "published": ref("date"), "source_sha256": ref("sha256"),
                               "figures_sha256": ref("sha256"), "chain": ref("sha256")}),
                        "The published months as a hash chain (contract 1.2, The record), in order.", key="month",
                        table="months.csv"),
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


def schema_id(name: str, site_url: str | None) -> str:
    """A schema's $id: its address on the site when the site's address is known, else a name that no address
    can clash with (a URN of this project's, as the Atom feed's record namespace)."""
    if site_url:
        return f"{site_url.rstrip('/')}/data/schema/{name}"
    return f"urn:x-transparency:schema:{name}"


def schema_files(files: dict[str, bytes], site_url: str | None = None) -> dict[str, bytes]:
    """The schema of each kind of published JSON file among `files`, by path relative to the site."""
    result = {}
    for pattern, (name, title, build) in PUBLISHED.items():
        if any(schema_for(path.removeprefix("data/")) == name for path in files if path.startswith("data/")):
            schema = {"$schema": DIALECT, "$id": schema_id(name, site_url), "title": title, **build(),
                      "$defs": DEFS}
            result[f"data/schema/{name}"] = (json.dumps(schema, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return result
