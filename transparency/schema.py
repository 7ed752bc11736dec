"""JSON Schemas of agreements.yml and reports/YYYY-MM.yml for editors, built from the validator's rules."""

from __future__ import annotations

import json
import re

from .eip55 import ADDRESS, TX
from .licenses import LICENSES
from .model import DRAFT, FEE_SHARE, MONTHLY_FEE, PUBLISHED
from .validate import (
    ACCOUNT_KEYS, ACCOUNT_REQUIRED, ADJUSTMENT_KEYS, ADJUSTMENT_REQUIRED, AGREEMENTS_KEYS, AGREEMENTS_REQUIRED,
    AMOUNT_PLACES, CHAIN_KEYS, CHAIN_REQUIRED, CONNECTOR_KEYS, CONNECTOR_REQUIRED, CURRENCY, DATE, DOLLARS, FEE,
    FOUNDATION_KEYS, FOUNDATION_REQUIRED, GITHUB, ID, LONG_TEXT, MAX_INTEGER_DIGITS, MONTH, NUMBER, PAYOUT_KEYS,
    PAYOUT_REQUIRED, PERCENT, PERSON_KEYS, PERSON_REQUIRED, RANGE, RATE_PLACES, REASON_TEXT, REMITTANCE_KEYS,
    REMITTANCE_REQUIRED, REPORT_KEYS, REPORT_REQUIRED, SHORT_TEXT, SPONSOR_KEYS, SPONSOR_REQUIRED, TERMS_KEYS,
    TERMS_REQUIRED, TOKEN_DECIMALS, TOKEN_KEYS, TOKEN_REQUIRED, TOTALS_KEYS, TOTALS_PLACES, TOTALS_REQUIRED,
)

# The dialect is 2020-12, but only keywords that mean the same in draft-07 are used, and no $ref:
# yaml-language-server implements draft-07.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# What the validator checks in code rather than with one of its regexes, as ECMA-262 patterns.
REAL_MONTH = r"^(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])$"  # is_month: a month 01-12 of a year from 0001
HTTPS_URL = r"""^[Hh][Tt][Tt][Pp][Ss]://[^\s<>"'`\\/?#][^\s<>"'`\\]*$"""  # _is_https
SITE_PATH = r"""^/(?!/)[^\s<>"'`\\]*$"""  # _is_site_path
ONE_LINE = r"^\s*\S(?:[^\n]*\S)?\s*$"  # text: not blank, and one line once stripped
NO_QUERY = r"^[^?#]*$"  # an explorer, to which /tx/HASH is added
DECIMAL_PLACES = r"^0*(?:[0-9]|[12][0-9]|3[0-6])$"  # a token's decimals written as text: 0 to 36
NOT_BLANK = r"\S"

# Python regex syntax that ECMA-262 lacks or reads differently (`.` and `$` differ around line breaks).
_PYTHON_ONLY = re.compile(r"\\[AZdwsb]|\(\?[P#imsxa]|(?<!\\)[.$]")


def ecma(*regexes: re.Pattern) -> str:
    """An ECMA-262 pattern for values that one of `regexes` matches whole (each anchored by `match` and `\\Z`)."""
    bodies = []
    for regex in regexes:
        body = regex.pattern.removesuffix(r"\Z")
        if body == regex.pattern or regex.flags & ~(re.ASCII | re.UNICODE) or _PYTHON_ONLY.search(body):
            raise ValueError(f"cannot translate {regex.pattern!r} to an ECMA-262 pattern")
        bodies.append(body)
    if len(bodies) == 1 and "|" not in bodies[0]:
        return f"^{bodies[0]}$"
    return "^(?:" + "|".join(bodies) + ")$"


def schema_files() -> dict[str, str]:
    """Each schema file's path from the project root, with its JSON text."""
    schemas = {"schema/agreements.schema.json": agreements_schema(), "schema/report.schema.json": report_schema()}
    return {path: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for path, schema in schemas.items()}


def agreements_schema() -> dict:
    """The JSON Schema of agreements.yml."""
    account = _mapping("An address on a chain.", ACCOUNT_KEYS, ACCOUNT_REQUIRED, {
        "chain": _reference("A chains id."),
        "address": _hex("0x and 40 hex digits; in mixed case, with its EIP-55 checksum (only the validator checks "
                        "it): copy it from the wallet.", ADDRESS),
    })
    foundation = _mapping("The Foundation that receives the remittances and publishes the reports.",
                          FOUNDATION_KEYS, FOUNDATION_REQUIRED, {
        "name": _text("Name of the Foundation."),
        "currency": _code("The reporting currency: 2 to 10 uppercase letters or digits, like USD.", CURRENCY),
        "maintainer_share": _percent("Default share of each remittance paid to the connector's maintainer, "
                                     "like 50%."),
        "url": _url("Website of the Foundation, https only."),
        "notice": _text("Optional Markdown banner shown on every page.", LONG_TEXT, multiline=True, nullable=True),
        "accounts": _list("The Foundation's own addresses: payouts leave from them, remittances paid on chain "
                          "arrive at them.", account),
        "license": {"description": "The licence of the published data: the SPDX identifier of an open licence, like "
                                   "CC-BY-4.0 (reuse with attribution) or CC0-1.0 (no conditions). Without one, "
                                   "others may not reuse the data (check warns).",
                    "type": ["string", "null"], "enum": [*LICENSES, None]},
    })
    person = _mapping("A developer or maintainer.", PERSON_KEYS, PERSON_REQUIRED, {
        "name": _text("Name shown on the site."),
        "github": _code("Optional GitHub login (not a URL): links https://github.com/<login>.", GITHUB,
                        nullable=True),
        "url": _url("Optional web page, https only."),
        "accounts": _list("Where this person is paid on chain.", account),
    })
    sponsor = _mapping("An exchange that sponsors connectors.", SPONSOR_KEYS, SPONSOR_REQUIRED, {
        "name": _text("Name shown on the site."),
        "url": _url("Optional website, https only."),
        "accounts": _list("Where this sponsor's remittances on chain come from.", account),
    })
    chain = _mapping("A chain the Foundation pays or is paid on.", CHAIN_KEYS, CHAIN_REQUIRED, {
        "name": _text("Name shown on the site, like Ethereum."),
        "explorer": _url("Optional block explorer, https only, without ? or #: links EXPLORER/tx/HASH and "
                         "EXPLORER/address/ADDRESS.") | {"allOf": [{"pattern": NO_QUERY}]},
    })
    token = _mapping("A currency of the reports that is a token on a chain.", TOKEN_KEYS, TOKEN_REQUIRED, {
        "chain": _reference("A chains id."),
        "contract": _hex("The token's contract address: 0x and 40 hex digits.", ADDRESS),
        "decimals": {"description": f"The token's decimals, 0 to {TOKEN_DECIMALS}, like 6 for USDC: an amount in the "
                                    "token may have as many decimal places.",
                     "type": ["integer", "string"], "minimum": 0, "maximum": TOKEN_DECIMALS,
                     "pattern": DECIMAL_PLACES},
    })
    terms = _mapping("Terms in force from `since` on: a full snapshot, a change is a new entry.",
                     TERMS_KEYS, TERMS_REQUIRED, {
        "since": _month("YYYY-MM: first month these terms are in force."),
        "type": {"description": f"`{FEE_SHARE}` or `{MONTHLY_FEE}`.", "enum": [FEE_SHARE, MONTHLY_FEE]},
        "amount": {"description": "Fee share: `N%` or `N-M%`, like 30% or 20-30%. "
                                  "Monthly fee: `$N` (US dollars) or `N CUR`, like $750 or 750 USDT.",
                   "type": "string", "pattern": ecma(PERCENT, RANGE, DOLLARS, FEE)},
        "maintainer": _reference("Optional people id of the maintainer; absent or null: no maintainer.",
                                 nullable=True),
        "maintainer_share": _percent("Optional: overrides foundation.maintainer_share for these terms.",
                                     nullable=True),
    }, allOf=[_amount_for(FEE_SHARE, PERCENT, RANGE), _amount_for(MONTHLY_FEE, DOLLARS, FEE)])
    connector = _mapping("A connector and its agreement.", CONNECTOR_KEYS, CONNECTOR_REQUIRED, {
        "name": _text("Display name."),
        "sponsor": _reference("A sponsors id."),
        "developer": _reference("A people id: who developed the connector."),
        "docs": {"description": "Optional: a site-relative path or an https URL.",
                 "type": ["string", "null"], "anyOf": [{"pattern": SITE_PATH}, {"pattern": HTTPS_URL}]},
        "terms": {"description": "The terms over time, oldest first, `since` strictly increasing.",
                  "type": "array", "minItems": 1, "items": terms},
        "until": _month("Optional YYYY-MM: last month the agreement is in force.", nullable=True),
    })
    return _document("agreements.yml", "Connector maintenance agreements: who sponsors which connector, on what "
                                       "terms, since when, who developed it and who maintains it.",
                     AGREEMENTS_KEYS, AGREEMENTS_REQUIRED, {
        "foundation": foundation,
        "people": _table("Developers and maintainers; key = id.", person),
        "sponsors": _table("The exchanges; key = id.", sponsor),
        "connectors": _table("Key = id; the file's order is the table's default order.", connector),
        "chains": {**_table("Optional: the chains of the accounts and tokens; key = id.", chain),
                   "type": ["object", "null"]},
        "tokens": {**_table("Optional: currencies that are tokens on a chain; key = the currency code the reports "
                            "use.", token, CURRENCY), "type": ["object", "null"]},
    })


def report_schema() -> dict:
    """The JSON Schema of one reports/YYYY-MM.yml."""
    remittance = _mapping("What a sponsor remitted for a connector.", REMITTANCE_KEYS, REMITTANCE_REQUIRED, {
        "connector": _reference("A connectors id, at most once per month."),
        "amount": _decimal(f"> 0, plain decimal, at most {AMOUNT_PLACES} decimal places (in a token, at most its "
                           "decimals).", places=TOKEN_DECIMALS),
        "currency": _currency(),
        "user_fees": _decimal("Optional: fees incurred by users, same currency (checks a fee share).",
                              nullable=True),
        "volume": _decimal("Optional: the trading volume that generated the fees, same currency.",
                           zero=True, nullable=True),
        "reference": _text("Optional payment reference.", nullable=True),
        "tx": _tx("Optional: the transfer to one of the Foundation's accounts, when paid on chain (currency: a "
                  "token)."),
    })
    payout = _mapping("A payment to a maintainer.", PAYOUT_KEYS, PAYOUT_REQUIRED, {
        "to": _reference("A people id."),
        "amount": _decimal(f"> 0, plain decimal, at most {AMOUNT_PLACES} decimal places (in a token, at most its "
                           "decimals).", places=TOKEN_DECIMALS),
        "currency": _currency(),
        "date": {"description": "YYYY-MM-DD: the day it was paid (on chain: the UTC date of the transaction's "
                                "block).", "type": "string", "pattern": ecma(DATE), "format": "date"},
        "reference": _text("Optional: transaction hash or payment reference.", nullable=True),
        "tx": _tx("Optional: the transaction that paid it (currency: a token); address is then required."),
        "address": _hex("With tx: the address paid, as it was paid (0x and 40 hex digits).", ADDRESS,
                        nullable=True),
    }, allOf=[{"if": {"required": ["tx"], "properties": {"tx": {"not": {"type": "null"}}}},
               "then": {"required": ["address"], "properties": {"address": {"not": {"type": "null"}}}}}])
    adjustment = _mapping("A correction of an earlier, published month, booked in this one.",
                          ADJUSTMENT_KEYS, ADJUSTMENT_REQUIRED, {
        "month": _month("YYYY-MM: the published month being corrected."),
        "connector": _reference("The connector whose remittance is corrected."),
        "amount": _decimal("Signed; not 0.", signed=True, places=TOKEN_DECIMALS),
        "currency": _currency(),
        "reason": _text("Why the month is corrected.", REASON_TEXT, multiline=True),
    })
    totals = _mapping("Optional balance assertion, in the reporting currency: the build fails unless the "
                      "computed month totals (adjustments included) equal these.", TOTALS_KEYS, TOTALS_REQUIRED, {
        "remitted": _decimal("Total remitted this month.", places=TOTALS_PLACES, signed=True, zero=True),
        "paid": _decimal("Total paid out this month.", places=TOTALS_PLACES, zero=True),
    }, minProperties=1)
    published_needs_date = {"if": {"properties": {"status": {"const": PUBLISHED}}, "required": ["status"]},
                            "then": {"required": ["published"], "properties": {"published": {"type": "string"}}}}
    return _document("reports/YYYY-MM.yml", "One month: what each sponsor remitted for each connector, the "
                                            "conversion rates used, and what was paid out to maintainers.",
                     REPORT_KEYS, REPORT_REQUIRED, {
        "month": _month("YYYY-MM: equals the file name."),
        "status": {"description": f"`{DRAFT}` or `{PUBLISHED}`.", "enum": [DRAFT, PUBLISHED]},
        "published": {"description": "YYYY-MM-DD, required when published.", "type": ["string", "null"],
                      "pattern": ecma(DATE), "format": "date"},
        "rates": {"description": "Value of one unit in the reporting currency; required for every other "
                                 "currency in this file or in a monthly fee it checks.",
                  "type": ["object", "null"],
                  "patternProperties": {ecma(CURRENCY): _decimal("Value of one unit in the reporting currency.",
                                                                 places=RATE_PLACES)},
                  "additionalProperties": False},
        "remittances": _list("What each sponsor remitted.", remittance),
        "payouts": _list("What was paid out to maintainers.", payout),
        "adjustments": _list("Corrections of earlier, published months, booked in this one.", adjustment),
        "totals": totals,
        "notes": _text("Optional Markdown, rendered with raw HTML disabled.", LONG_TEXT, multiline=True,
                       nullable=True),
    }, allOf=[published_needs_date])


def _document(file: str, description: str, keys, required, properties: dict, **more) -> dict:
    """The root mapping of a file's schema."""
    return {"$schema": DIALECT, "title": file, **_mapping(description, keys, required, properties, **more)}


def _mapping(description: str, keys: tuple[str, ...], required: tuple[str, ...], properties: dict,
             **more) -> dict:
    """A mapping with exactly the validator's fields `keys`, so that a misspelt field is flagged."""
    if set(properties) != set(keys):
        raise ValueError(f"schema fields {sorted(properties)} differ from the validator's {sorted(keys)}")
    schema = {"description": description, "type": "object",
              "properties": {key: properties[key] for key in keys}, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema | more


def _table(description: str, item: dict, key: re.Pattern = ID) -> dict:
    """A mapping of ids (or currency codes) to `item`s."""
    return {"description": description, "type": "object", "patternProperties": {ecma(key): item},
            "additionalProperties": False}


def _list(description: str, item: dict) -> dict:
    """An optional list of `item`s."""
    return {"description": description + " Optional; empty or null: none.", "type": ["array", "null"],
            "items": item}


def _types(types: list[str], nullable: bool) -> list[str] | str:
    """The `type` keyword: `types`, and null for an optional field that may be left empty."""
    types = types + ["null"] if nullable else types
    return types if len(types) > 1 else types[0]


def _text(description: str, limit: int = SHORT_TEXT, multiline: bool = False, nullable: bool = False) -> dict:
    """Text: the validator reads any scalar as text, while YAML 1.2 types `name: 2024` as a number."""
    return {"description": description, "type": _types(["string", "number", "boolean"], nullable),
            "maxLength": limit, "pattern": NOT_BLANK if multiline else ONE_LINE}


def _code(description: str, regex: re.Pattern, nullable: bool = False) -> dict:
    """An id, login or currency code: an all-digit one is valid, and YAML 1.2 types it as an integer."""
    return {"description": description, "type": _types(["string", "integer"], nullable),
            "pattern": ecma(regex), "minimum": 0}


def _reference(description: str, nullable: bool = False) -> dict:
    """An id declared in people, sponsors or connectors (which one, only the validator checks)."""
    return _code(description, ID, nullable)


def _currency() -> dict:
    """The optional currency of a report line."""
    return _code("Optional currency code, default: the reporting currency.", CURRENCY, nullable=True)


def _hex(description: str, regex: re.Pattern, nullable: bool = False) -> dict:
    """An address or a transaction hash: YAML 1.2 reads 0x and hex digits without quotes as an integer."""
    return {"description": description + " Quote it, like \"0x...\": editors read it as a number otherwise.",
            "type": _types(["string", "integer"], nullable), "pattern": ecma(regex)}


def _tx(description: str) -> dict:
    return _hex(description + " 0x and 64 hex digits.", TX, nullable=True)


def _month(description: str, nullable: bool = False) -> dict:
    """A month as YYYY-MM, from 01 to 12."""
    return {"description": description, "type": _types(["string"], nullable), "pattern": ecma(MONTH),
            "allOf": [{"pattern": REAL_MONTH}]}


def _percent(description: str, nullable: bool = False) -> dict:
    """A percentage `N%` (that N <= 100, only the validator checks)."""
    return {"description": description, "type": _types(["string"], nullable), "pattern": ecma(PERCENT)}


def _url(description: str) -> dict:
    """An optional https URL."""
    return {"description": description, "type": ["string", "null"], "pattern": HTTPS_URL}


def _decimal(description: str, places: int = AMOUNT_PLACES, signed: bool = False, zero: bool = False,
             nullable: bool = False) -> dict:
    """An amount: a YAML number (its decimal places only the validator checks), or text as a plain decimal."""
    sign = "-?" if signed else ""
    bounds = f"^{sign}0*[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\\.[0-9]{{1,{places}}})?$"
    schema = {"description": description, "type": _types(["number", "string"], nullable),
              "pattern": ecma(NUMBER), "allOf": [{"pattern": bounds}]}
    if not zero:
        schema["allOf"].append({"pattern": "[1-9]"})
    if signed and not zero:
        schema["not"] = {"const": 0}
    elif not signed:
        schema["minimum" if zero else "exclusiveMinimum"] = 0
    return schema


def _amount_for(type_: str, *regexes: re.Pattern) -> dict:
    """The terms amount's pattern once the type is known."""
    return {"if": {"properties": {"type": {"const": type_}}, "required": ["type"]},
            "then": {"properties": {"amount": {"pattern": ecma(*regexes)}}}}
