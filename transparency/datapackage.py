"""The published CSV files described for data tools: a Frictionless Data Package (data/datapackage.json)
and one Table Schema per kind of CSV file (data/schema/*.tableschema.json).

The descriptor lists every CSV file of the site with its size and SHA-256, so that `frictionless
validate data/datapackage.json` checks types, forms, keys, references and integrity at once: the
agreements are tables of their own (people, sponsors, connectors, terms, chains, tokens, accounts),
each with its primary key, and every line table refers to them and to months.csv by foreign keys.
Each file's columns are read from its header and described from the tables below: a column without
a description fails the build, so the description cannot fall behind the files.

A Table Schema says only what `frictionless validate` enforces. Amounts are text with a pattern (the
`number` type would also read 1.5, 1e3, -0.00, NaN and other scripts' digits); months and dates keep
their types, which reject a month 13 or a 30 February. What a Table Schema cannot express (a rule
that depends on another column, the uniqueness of part of a table) the field's or the resource's
description says, and tests/test_published_data.py checks.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from . import licenses
from .model import Foundation

PROFILE = "tabular-data-package"
CONTRACT_MAJOR = "1"  # the data contract's major version: the version of the package's shape

# Patterns in the syntax every Table Schema reader shares (XML Schema's: implicitly anchored, no
# lookaround, plain groups). Frictionless reads them as Python regular expressions between ^ and $: an
# alternation is grouped whole, or its first branch would only be anchored at the start.
ID_PATTERN = "[a-z0-9][a-z0-9-]*"
CURRENCY_PATTERN = "[A-Z0-9]{2,10}"
MONEY_PATTERN = r"(0\.[0-9]{2}|-?[1-9][0-9]*\.[0-9]{2}|-0\.(0[1-9]|[1-9][0-9]))"  # two decimals, never -0.00
PAID_PATTERN = r"(0|[1-9][0-9]*)\.[0-9]{2}"
POSITIVE_PATTERN = r"([1-9][0-9]*(\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)"
NONZERO_PATTERN = r"-?([1-9][0-9]*(\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)"
NONNEGATIVE_PATTERN = r"(0|[1-9][0-9]*)(\.[0-9]+)?"
SHARE_PATTERN = r"(100|[1-9]?[0-9](\.[0-9]*[1-9])?)%"  # 0% to 100%, as the build writes it: 12.5%, not 12.50%
PERCENT_PATTERN = r"(100|[1-9][0-9]?(\.[0-9]*[1-9])?|0\.[0-9]*[1-9])"  # more than 0, up to 100, without %
NUMBER = r"[0-9]+(\.[0-9]+)?"
UP_TO_100 = r"0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)"
TERMS_AMOUNT_PATTERN = f"({UP_TO_100}%|{UP_TO_100} ?- ?{UP_TO_100}%|\\${NUMBER}|{NUMBER} {CURRENCY_PATTERN})"
HTTPS_PATTERN = r"""[Hh][Tt][Tt][Pp][Ss]://[^\s<>"'`\\/?#][^\s<>"'`\\]*"""
EXPLORER_PATTERN = r"""[Hh][Tt][Tt][Pp][Ss]://[^\s<>"'`\\/?#][^\s<>"'`\\?#]*"""
SITE_PATH_PATTERN = r"""/([^/\s<>"'`\\][^\s<>"'`\\]*)?"""
GITHUB_PATTERN = "[A-Za-z0-9](-?[A-Za-z0-9]){0,38}"
FLAGS_PATTERN = "(fee_mismatch( outside_range)?( adjustment)?|outside_range( adjustment)?|adjustment)"
LINE_TEXT = r"[^\n]+"  # one line, not empty

# Free text a spreadsheet could run as a formula is written with a leading ' (data.spreadsheet_text).
SPREADSHEET_RULE = ("In the CSV files, a text that starts with =, +, -, @, a tab or a carriage return is written "
                    "with a ' before it, so that no spreadsheet runs it as a formula: the JSON files' "
                    "\"-5% fee\" is '-5% fee here. Remove that one ' to compare with the JSON files (a text that "
                    "itself starts with ' and then one of those characters cannot be told apart: take it from "
                    "the JSON file)")


def string(pattern: str | None = None, enum: list[str] | None = None) -> dict:
    constraints = {"pattern": pattern} if pattern else {}
    if enum:
        constraints["enum"] = enum
    return {"type": "string", **({"constraints": constraints} if constraints else {})}


ID = string(ID_PATTERN)
MONTH = {"type": "yearmonth", "constraints": {"minimum": "0001-01"}}
DATE = {"type": "date", "constraints": {"minimum": "0001-01-01"}}
TEXT = string(LINE_TEXT)
MULTILINE = {"type": "string", "constraints": {"minLength": 1}}
STATUS = string(enum=["draft", "published"])
CURRENCY = string(CURRENCY_PATTERN)
SHARE = string(SHARE_PATTERN)
TX = string("0x[0-9a-f]{64}")
ADDRESS = string("0x[0-9a-f]{40}")
FLAGS = string(FLAGS_PATTERN)
POSITIVE = string(POSITIVE_PATTERN)
NONZERO = string(NONZERO_PATTERN)
NONNEGATIVE = string(NONNEGATIVE_PATTERN)

MONTH_FORM = ("written YYYY-MM (Table Schema's yearmonth type also reads 2024-1, which the build never writes)")
DATE_FORM = "written YYYY-MM-DD (Table Schema's date type also reads 2024-1-5, which the build never writes)"
DECIMAL_FORM = ("a decimal written as text: ASCII digits, a point and decimals, no exponent or thousands "
                "separator (read it as an exact decimal, not a float)")


def money(description: str, paid: bool = False) -> dict:
    return {**string(PAID_PATTERN if paid else MONEY_PATTERN),
            "description": f"{description}, in the reporting currency with exactly two decimals, written as text "
                           f"({'0 or more' if paid else 'signed, never -0.00'}; read it as an exact decimal)"}


def field(kind: dict, description: str, required: bool = False) -> dict:
    entry = dict(kind, description=description)
    if required:
        entry["constraints"] = dict(entry.get("constraints", {}), required=True)
    return entry


def required(entry: dict) -> dict:
    return dict(entry, constraints=dict(entry.get("constraints", {}), required=True))


def text(description: str, multiline: bool = False) -> dict:
    """Free text, as the report writes it but for the spreadsheet rule."""
    return field(MULTILINE if multiline else TEXT, f"{description}. {SPREADSHEET_RULE}")


MONTH_OF_ROW = field(MONTH, f"The report that carries the row, {MONTH_FORM}", required=True)
STATUS_OF_ROW = field(STATUS, "`published`, or `draft` in a preview that includes draft months", required=True)
ADJUSTS = field(MONTH, f"For an adjustment: the published month it corrects, {MONTH_FORM}; empty on other rows")
RATE = field(POSITIVE, f"The value of one unit of `currency` in the reporting currency that month: {DECIMAL_FORM}, "
                       "more than 0", required=True)

# Each kind of CSV file: its columns.
REMITTANCES = {
    "month": MONTH_OF_ROW,
    "status": STATUS_OF_ROW,
    "kind": field(string(enum=["remittance", "adjustment"]),
                  "`remittance`, or `adjustment`: a signed correction of an earlier month", required=True),
    "connector": field(ID, "The connector's id (connectors.csv)", required=True),
    "sponsor": field(ID, "The sponsor's id (sponsors.csv)", required=True),
    "maintainer": field(ID, "The maintainer's id under the terms that applied (people.csv); empty: no maintainer"),
    "amount": field(NONZERO, f"The amount as remitted, in `currency`: {DECIMAL_FORM}; more than 0 on a remittance, "
                             "signed and not 0 on an adjustment (the pattern allows a sign on either kind: the "
                             "kind's rule is tested, not expressed)", required=True),
    "currency": field(CURRENCY, "The currency of `amount`", required=True),
    "rate": RATE,
    "remitted": required(money("The value of the line: round(amount x rate)")),
    "maintainer_share": field(SHARE, "The maintainer's share in percent, from 0% to 100%, like 50% or 12.5%; 0% "
                                     "when there is no maintainer", required=True),
    "maintainers": required(money("The maintainer's part: round(remitted x share)")),
    "foundation": required(money("The Foundation's part: remitted - maintainers")),
    "flags": field(FLAGS, "Flags raised, separated by spaces, each at most once, in this order: fee_mismatch, "
                          "outside_range, adjustment (an adjustment's row always has adjustment: tested, not "
                          "expressed)"),
    "adjusts": ADJUSTS,
    "user_fees": field(POSITIVE, f"The fees users incurred, in `currency`, where the sponsor reported them: "
                                 f"{DECIMAL_FORM}, more than 0"),
    "volume": field(NONNEGATIVE, f"The trading volume that generated the fees, in `currency`, where reported: "
                                 f"{DECIMAL_FORM}, 0 or more"),
    "reference": text("The remittance's payment reference"),
    "reason": text("Why an adjustment was made; it may span several lines", multiline=True),
    "tx": field(TX, "The transaction that carried the remittance on chain (0x and 64 hex digits, lower case)"),
    "chain": field(ID, "With tx: the chain's id (chains.csv)"),
}
PAYOUTS = {
    "month": MONTH_OF_ROW,
    "status": STATUS_OF_ROW,
    "to": field(ID, "The id of the person paid (people.csv)", required=True),
    "date": field(DATE, f"The date of the payment, {DATE_FORM}", required=True),
    "amount": field(POSITIVE, f"The amount paid, in `currency`: {DECIMAL_FORM}, more than 0", required=True),
    "currency": field(CURRENCY, "The currency of `amount`", required=True),
    "rate": RATE,
    "paid": required(money("The value of the payout: round(amount x rate)", paid=True)),
    "reference": text("The transaction hash or payment reference"),
    "tx": field(TX, "The transaction that carried the payout on chain (0x and 64 hex digits, lower case)"),
    "chain": field(ID, "With tx: the chain's id (chains.csv)"),
    "address": field(ADDRESS, "With tx: the address paid (0x and 40 hex digits, lower case)"),
}
MONTHS = {
    "month": field(MONTH, f"The month, {MONTH_FORM}", required=True),
    "status": STATUS_OF_ROW,
    "published": field(DATE, f"The date the month was published, {DATE_FORM}; empty for a draft"),
    "remitted": required(money("Remitted by sponsors in the month, adjustments included")),
    "maintainers": required(money("The maintainers' parts")),
    "foundation": required(money("The Foundation's parts")),
    "paid": required(money("Paid out to maintainers in the month", paid=True)),
}
STATEMENT = {
    "month": MONTH_OF_ROW,
    "status": STATUS_OF_ROW,
    "kind": field(string(enum=["remittance", "adjustment", "payout"]),
                  "`remittance` or `adjustment`: a line the person accrued from; `payout`: a payment to them",
                  required=True),
    "date": field(DATE, f"A payout's date; for a line, the date its month was published; {DATE_FORM}"),
    "connector": field(ID, "For a line: the connector's id (connectors.csv)"),
    "adjusts": ADJUSTS,
    "remitted": money("For a line: its value"),
    "maintainer_share": field(SHARE, "For a line: the person's share in percent, like 50%"),
    "accrued": money("For a line: the person's part, round(remitted x share)"),
    "amount": field(POSITIVE, f"For a payout: the amount paid, in `currency`: {DECIMAL_FORM}, more than 0"),
    "currency": field(CURRENCY, "For a payout: the currency of `amount`"),
    "rate": field(POSITIVE, f"For a payout: the value of one unit of `currency` in the reporting currency: "
                            f"{DECIMAL_FORM}"),
    "paid": money("For a payout: its value, round(amount x rate)", paid=True),
    "balance": required(money("What the Foundation owes the person after this row; below 0, an advance")),
    "reference": text("For a payout: the transaction hash or payment reference"),
    "reason": text("For an adjustment: why it was made; it may span several lines", multiline=True),
}
PEOPLE = {
    "id": field(ID, "The person's id, as the other files name them", required=True),
    "name": field(TEXT, f"The name shown on the site. {SPREADSHEET_RULE}", required=True),
    "github": field(string(GITHUB_PATTERN), "The person's GitHub login, when given: the site links "
                                            "https://github.com/LOGIN"),
    "url": field(string(HTTPS_PATTERN), "The person's web page, when given (https only)"),
}
SPONSORS = {
    "id": field(ID, "The sponsor's id, as the other files name them", required=True),
    "name": field(TEXT, f"The name shown on the site. {SPREADSHEET_RULE}", required=True),
    "url": field(string(HTTPS_PATTERN), "The sponsor's website, when given (https only)"),
}
CONNECTORS = {
    "id": field(ID, "The connector's id, as the other files name them", required=True),
    "name": field(TEXT, f"The display name. {SPREADSHEET_RULE}", required=True),
    "sponsor": field(ID, "The sponsor's id (sponsors.csv)", required=True),
    "developer": field(ID, "The id of the person who developed it (people.csv)", required=True),
    "docs": field(string(f"({SITE_PATH_PATTERN}|{HTTPS_PATTERN})"),
                  "The connector's documentation, when given: a path on the Foundation's site, or an https URL"),
    "since": field(MONTH, f"The first month of the agreement (its first terms' since), {MONTH_FORM}", required=True),
    "until": field(MONTH, f"The last month of the agreement, {MONTH_FORM}; empty while it lasts"),
}
TERMS = {
    "connector": field(ID, "The connector's id (connectors.csv)", required=True),
    "since": field(MONTH, f"The first month these terms are in force, {MONTH_FORM}", required=True),
    "until": field(MONTH, f"The last month they are in force (the month before the next terms' since, or the "
                          f"agreement's end), {MONTH_FORM}; empty while they last"),
    "type": field(string(enum=["fee share", "monthly fee"]), "`fee share` or `monthly fee`", required=True),
    "amount": field(string(TERMS_AMOUNT_PATTERN), "The amount agreed, as written: a fee share N% or N-M% (up to "
                                                  "100%), a monthly fee $N or N CUR", required=True),
    "maintainer": field(ID, "The maintainer's id (people.csv); empty: no maintainer"),
    "maintainer_share": field(SHARE, "The maintainer's share that applies, the terms' own or the Foundation's "
                                     "default, like 50%", required=True),
    "percent_min": field(string(PERCENT_PATTERN), "A fee share: its lowest percent, without %; empty for a "
                                                  "monthly fee"),
    "percent_max": field(string(PERCENT_PATTERN), "A fee share: its highest percent (the same for N%), without %; "
                                                  "empty for a monthly fee"),
    "fee_amount": field(POSITIVE, f"A monthly fee: the amount, {DECIMAL_FORM}; empty for a fee share"),
    "fee_currency": field(CURRENCY, "A monthly fee: its currency (USD for $N); empty for a fee share"),
}
CHAINS = {
    "id": field(ID, "The chain's id, as the other files name them", required=True),
    "name": field(TEXT, f"The name shown on the site. {SPREADSHEET_RULE}", required=True),
    "explorer": field(string(EXPLORER_PATTERN), "The chain's block explorer, when given (https, no query): the site "
                                                "links EXPLORER/tx/HASH and EXPLORER/address/ADDRESS"),
}
TOKENS = {
    "code": field(CURRENCY, "The currency code the reports use for the token", required=True),
    "chain": field(ID, "The chain's id (chains.csv)", required=True),
    "contract": field(ADDRESS, "The token's contract address (0x and 40 hex digits, lower case); one token per "
                               "contract and chain (tested, not expressed)", required=True),
    "decimals": field({"type": "integer", "constraints": {"minimum": 0, "maximum": 36}},
                      "The token's decimals, from 0 to 36", required=True),
}
ACCOUNTS = {
    "holder": field(string(enum=["foundation", "person", "sponsor"]), "Whose account: the Foundation's, a "
                                                                     "person's or a sponsor's", required=True),
    "person": field(ID, "A person's account: the person's id (people.csv); empty otherwise"),
    "sponsor": field(ID, "A sponsor's account: the sponsor's id (sponsors.csv); empty otherwise"),
    "chain": field(ID, "The chain's id (chains.csv)", required=True),
    "address": field(ADDRESS, "The address (0x and 40 hex digits, lower case)", required=True),
}


def key(fields: str | list[str], resource: str, referenced: str | list[str] = "id") -> dict:
    return {"fields": fields, "reference": {"resource": resource, "fields": referenced}}


MONTH_KEY = key("month", "months", "month")
ADJUSTS_KEY = key("adjusts", "months", "month")
CONNECTOR_KEY = key("connector", "connectors")
SPONSOR_KEY = key("sponsor", "sponsors")
CHAIN_KEY = key("chain", "chains")
LINE_KEYS = [MONTH_KEY, ADJUSTS_KEY, CONNECTOR_KEY, SPONSOR_KEY, key("maintainer", "people"), CHAIN_KEY]

# name: (columns, primary key, foreign keys). A foreign key skips an empty cell (maintainer, adjusts, chain).
SCHEMAS = {
    "months": (MONTHS, "month", []),
    "remittances": (REMITTANCES, None, LINE_KEYS),
    "payouts": (PAYOUTS, None, [MONTH_KEY, key("to", "people"), CHAIN_KEY]),
    "statement": (STATEMENT, None, [MONTH_KEY, ADJUSTS_KEY, CONNECTOR_KEY]),
    "people": (PEOPLE, "id", []),
    "sponsors": (SPONSORS, "id", []),
    "connectors": (CONNECTORS, "id", [SPONSOR_KEY, key("developer", "people")]),
    "terms": (TERMS, ["connector", "since"], [CONNECTOR_KEY, key("maintainer", "people")]),
    "chains": (CHAINS, "id", []),
    "tokens": (TOKENS, "code", [CHAIN_KEY]),
    "accounts": (ACCOUNTS, ["holder", "person", "sponsor", "chain", "address"],
                 [key("person", "people"), SPONSOR_KEY, CHAIN_KEY]),
}

# What a row of each file is, and what identifies it (the resource's description).
NO_KEY = ("No set of columns identifies a row: {why}. A row is its place in the file; the rows follow the "
          "months, and within a month the order of its month file (data/reports/YYYY-MM.json).")
ROWS = {
    "months": "One row per month: its publication date and totals. Key: month.",
    "remittances": "One row per remittance and per adjustment of every month. " + NO_KEY.format(
        why="a month may book two identical adjustments of one connector; the rows of kind remittance are unique "
            "by month and connector (at most one remittance per connector and month), which Table Schema cannot "
            "express for part of a table"),
    "payouts": "One row per payout. " + NO_KEY.format(
        why="a person may be paid twice the same day, the same amount, even by one transaction"),
    "people": "One row per person (developers and maintainers). Key: id.",
    "sponsors": "One row per sponsor. Key: id.",
    "connectors": "One row per connector and its agreement, in the agreements' order. Key: id.",
    "terms": "One row per terms entry of a connector: each is a full snapshot, in force from since to until. "
             "Key: connector and since.",
    "chains": "One row per chain of the accounts and tokens. Key: id.",
    "tokens": "One row per currency that is a token on a chain. Key: code.",
    "accounts": "One row per address on a chain of the Foundation (person and sponsor empty), a person (person "
                "set) or a sponsor (sponsor set). Key: holder, person, sponsor, chain and address (empty cells "
                "count as equal).",
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
    for name, (columns, primary, foreign) in SCHEMAS.items():
        schema = {"fields": [{"name": column, **spec} for column, spec in columns.items()], "missingValues": [""]}
        if primary:
            schema["primaryKey"] = primary
        if foreign:
            schema["foreignKeys"] = foreign
        result[f"schema/{name}.tableschema.json"] = schema
    return result


@dataclass(frozen=True)
class About:
    """What describes the data as a whole: whose it is, under what licence, where, as of which month.

    Everything comes from the data and the site's settings, never from the clock: a build is reproducible."""

    foundation: Foundation
    months: tuple[tuple[str, str], ...]  # each published month and its publication date, in order
    site_url: str | None = None  # where the site is published, ending in /
    repo_url: str | None = None

    @classmethod
    def of(cls, foundation: Foundation, ledger, site_url: str | None = None, repo_url: str | None = None) -> About:
        months = tuple((m.month, m.report.published) for m in ledger.months if not m.is_draft)
        if site_url and not site_url.endswith("/"):
            site_url += "/"
        return cls(foundation, months, site_url or None, repo_url or None)

    @property
    def name(self) -> str:
        return (re.sub(r"[^a-z0-9]+", "-", self.foundation.name.lower()).strip("-") or "foundation") + "-reports"

    @property
    def title(self) -> str:
        return f"{self.foundation.name}: connector maintenance agreements and monthly reports"

    @property
    def description(self) -> str:
        f = self.foundation
        span = f", month by month from {self.months[0][0]} to {self.months[-1][0]}" if self.months else ""
        return (f"What exchanges (sponsors) remitted to {f.name} for the trading connectors they sponsor, how "
                f"each remittance was shared between the connector's maintainer and the Foundation, and what each "
                f"maintainer was paid{span}: every line item of every published month, the monthly and yearly "
                f"totals, each person's statement, and the agreements they follow. Amounts are in {f.currency} "
                f"with exactly two decimals.")

    @property
    def version(self) -> str:
        """MAJOR.MINOR.PATCH as the Data Package Version pattern has it: the contract's major version (the shape),
        the number of published months (each adds data), 0 (a published month never changes: a correction is an
        adjustment in a later month); and the latest month as build metadata, like 1.4.0+2022-04."""
        latest = f"+{self.months[-1][0]}" if self.months else ""
        return f"{CONTRACT_MAJOR}.{len(self.months)}.0{latest}"

    @property
    def modified(self) -> str | None:
        """The publication date of the latest published month."""
        return self.months[-1][1] if self.months else None

    @property
    def coverage(self) -> str | None:
        """The months covered, as an ISO 8601 interval of months."""
        return f"{self.months[0][0]}/{self.months[-1][0]}" if self.months else None

    @property
    def homepage(self) -> str | None:
        """The site's data page, when the site's address is known."""
        return f"{self.site_url}data/" if self.site_url else None

    def url(self, path: str) -> str | None:
        """The address of a file of the site (path relative to the site), when the site's address is known."""
        return f"{self.site_url}{path}" if self.site_url else None

    @property
    def license(self) -> dict | None:
        identifier = self.foundation.license
        if identifier is None:
            return None
        return {"name": identifier, "path": licenses.url(identifier), "title": licenses.title(identifier)}

    keywords = ("transparency", "connector maintenance agreements", "fee sharing", "remittances", "payouts",
                "open data")


def descriptor(about: About, files: dict[str, bytes]) -> bytes:
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
            "description": _rows(relative),
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(files[path]),
            "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": f"schema/{name}.tableschema.json",
        })
    foundation = about.foundation
    publisher = {"title": foundation.name, "role": "publisher"} | ({"path": foundation.url} if foundation.url else {})
    package = {
        "profile": PROFILE,
        "name": about.name,
        "title": about.title,
        "description": about.description + " " + SPREADSHEET_RULE + ".",
        **({"homepage": about.homepage} if about.homepage else {}),
        "version": about.version,
        **({"created": f"{about.modified}T00:00:00Z"} if about.modified else {}),
        "keywords": list(about.keywords),
        **({"licenses": [about.license]} if about.license else {}),
        "contributors": [publisher],
        **({"sources": [{"title": "agreements.yml and reports/YYYY-MM.yml", "path": about.repo_url}]}
           if about.repo_url else {}),
        "resources": resources,
    }
    return (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# What each kind of download is, for the JSON-LD's distribution.
MEDIA_TYPES = {".csv": "text/csv", ".json": "application/json"}


def jsonld(about: About, paths: list[str]) -> str:
    """The schema.org Dataset of the data page (data/), as JSON-LD for a <script type="application/ld+json">,
    which search engines read (Google's Dataset Search among them). Its downloads are the files of data/ itself
    (`paths`, relative to the site), the per-month, per-year and per-person files being listed in
    datapackage.json and on the page. Every <, > and & is written as a \\u escape, so that no text of the data
    can end the script element or open a comment in it."""
    foundation = about.foundation
    organization = {"@type": "Organization", "name": foundation.name} | ({"url": foundation.url} if foundation.url
                                                                        else {})
    downloads = []
    for path in paths:
        name = path.removeprefix("data/")  # relative to the data page, when the site's address is unknown
        downloads.append({"@type": "DataDownload", "name": name, "contentUrl": about.url(path) or name,
                          "encodingFormat": MEDIA_TYPES[path[path.rfind("."):]]})
    dataset = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": about.title,
        "description": about.description,
        **({"url": about.homepage} if about.homepage else {}),
        **({"license": licenses.url(foundation.license)} if foundation.license else {}),
        "isAccessibleForFree": True,
        "creator": organization,
        "publisher": organization,
        "keywords": list(about.keywords),
        "version": about.version,
        **({"temporalCoverage": about.coverage, "dateModified": about.modified} if about.months else {}),
        "distribution": downloads,
    }
    text = json.dumps(dataset, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def downloads(files: dict[str, bytes]) -> list[str]:
    """The files of data/ itself that hold data (not the verifier): the JSON and CSV files and datapackage.json."""
    return sorted(path for path in files if path.count("/") == 1 and path.startswith("data/")
                  and path.endswith((".json", ".csv")))


def table_schema_files() -> dict[str, bytes]:
    """The Table Schemas as files, by path relative to the site."""
    return {f"data/{path}": (json.dumps(schema, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
            for path, schema in table_schemas().items()}


def _resource_order(path: str) -> tuple[int, str]:
    return (0 if path.count("/") == 1 else 1, path)  # the tables of data/ first, then statements and sponsors


def _title(relative: str) -> str:
    if relative.startswith("people/"):
        return f"Statement of {relative.removeprefix('people/').removesuffix('.csv')}"
    if relative.startswith("sponsors/"):
        return f"Remittances of sponsor {relative.removeprefix('sponsors/').removesuffix('.csv')}"
    return {"months.csv": "Month by month totals", "remittances.csv": "Every remittance and adjustment",
            "payouts.csv": "Every payout", "people.csv": "People: developers and maintainers",
            "sponsors.csv": "Sponsors", "connectors.csv": "Connectors and their agreements",
            "terms.csv": "The terms of each agreement over time", "chains.csv": "Chains",
            "tokens.csv": "Tokens", "accounts.csv": "Accounts on chains"}.get(relative, relative)


def _rows(relative: str) -> str:
    if relative.startswith("people/"):
        return ("A person's statement: each line they accrued a share of and each payout to them, with the running "
                "balance. " + NO_KEY.format(why="a person may be paid twice the same day, the same amount; the rows "
                                                "of kind remittance are unique by month and connector"))
    if relative.startswith("sponsors/"):
        return "A sponsor's rows of remittances.csv. " + ROWS["remittances"].split(". ", 1)[1]
    return ROWS[relative.removesuffix(".csv")]
