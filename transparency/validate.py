"""Stage 2: check every field and every cross-reference, and type the data.

Every problem is collected, not only the first, each at the position of the value it is about
and with what was expected. The result is a `Dataset` only when there is no error.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterable
from urllib.parse import urlsplit

from . import licenses
from .eip55 import ADDRESS, HEX, TX, has_valid_checksum
from .errors import Diagnostic, quote, suggest
from .load import Document, Mapping, Node, Scalar, Sequence, kind
from .model import (
    DRAFT, FEE_SHARE, MONTHLY_FEE, PUBLISHED, Account, Adjustment, Agreements, Chain, Connector, Dataset,
    Foundation, Payout, Person, Remittance, Report, Sponsor, Terms, Token, Totals, next_month,
)

ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})\Z")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
CURRENCY = re.compile(r"[A-Z0-9]{2,10}\Z")
GITHUB = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}\Z")
NUMBER = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?\Z", re.ASCII)
PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)%\Z", re.ASCII)
RANGE = re.compile(r"([0-9]+(?:\.[0-9]+)?) ?- ?([0-9]+(?:\.[0-9]+)?)%\Z", re.ASCII)
DOLLARS = re.compile(r"\$([0-9]+(?:\.[0-9]+)?)\Z", re.ASCII)
FEE = re.compile(r"([0-9]+(?:\.[0-9]+)?) ([A-Z0-9]{2,10})\Z", re.ASCII)
DECIMALS = re.compile(r"[0-9]+\Z", re.ASCII)

MAX_INTEGER_DIGITS = 15
AMOUNT_PLACES = 8
TOKEN_DECIMALS = 36  # the most decimals a token may have, and so the most decimal places of an amount in one
RATE_PLACES = 18
TOTALS_PLACES = 2
SHORT_TEXT = 200
REASON_TEXT = 2_000
LONG_TEXT = 20_000

# The fields each mapping allows, and those it requires (transparency/schema.py builds on both).
AGREEMENTS_KEYS = ("foundation", "people", "sponsors", "connectors", "chains", "tokens")
AGREEMENTS_REQUIRED = ("foundation", "people", "sponsors", "connectors")
FOUNDATION_KEYS = ("name", "currency", "maintainer_share", "url", "notice", "accounts", "license")
FOUNDATION_REQUIRED = ("name", "currency", "maintainer_share")
PERSON_KEYS = ("name", "github", "url", "accounts")
PERSON_REQUIRED = ("name",)
SPONSOR_KEYS = ("name", "url", "accounts")
SPONSOR_REQUIRED = ("name",)
ACCOUNT_KEYS = ("chain", "address")
ACCOUNT_REQUIRED = ACCOUNT_KEYS
CHAIN_KEYS = ("name", "explorer")
CHAIN_REQUIRED = ("name",)
TOKEN_KEYS = ("chain", "contract", "decimals")
TOKEN_REQUIRED = TOKEN_KEYS
CONNECTOR_KEYS = ("name", "sponsor", "developer", "docs", "terms", "until")
CONNECTOR_REQUIRED = ("name", "sponsor", "developer", "terms")
TERMS_KEYS = ("since", "type", "amount", "maintainer", "maintainer_share")
TERMS_REQUIRED = ("since", "type", "amount")
REPORT_KEYS = ("month", "status", "published", "rates", "remittances", "payouts", "adjustments",
               "totals", "notes")
REPORT_REQUIRED = ("month", "status")
REMITTANCE_KEYS = ("connector", "amount", "currency", "user_fees", "volume", "reference", "tx")
REMITTANCE_REQUIRED = ("connector", "amount")
PAYOUT_KEYS = ("to", "amount", "currency", "date", "reference", "tx", "address")
PAYOUT_REQUIRED = ("to", "amount", "date")
ADJUSTMENT_KEYS = ("month", "connector", "amount", "currency", "reason")
ADJUSTMENT_REQUIRED = ("month", "connector", "amount", "reason")
TOTALS_KEYS = ("remitted", "paid")
TOTALS_REQUIRED = ()


def validate(agreements: Document, reports: Iterable[Document]) -> tuple[Dataset | None, list[Diagnostic]]:
    """Validate the agreements and every report; the Dataset is None when there is an error."""
    checker = _AgreementsChecker(agreements)
    typed_agreements = checker.run()
    diagnostics = list(checker.diagnostics)
    reports = sorted(reports, key=lambda doc: doc.path)
    statuses = {_month_of(doc): _status_of(doc) for doc in reports}
    typed_reports = []
    for doc in reports:
        report_checker = _ReportChecker(doc, checker, statuses)
        typed = report_checker.run()
        diagnostics.extend(report_checker.diagnostics)
        if typed is not None:
            typed_reports.append(typed)
    if typed_agreements is None or any(d.is_error for d in diagnostics):
        return None, sorted(diagnostics)
    typed_reports.sort(key=lambda report: report.month)
    return Dataset(typed_agreements, tuple(typed_reports)), sorted(diagnostics)


def report_month(path: str) -> str | None:
    """The month a report's file name stands for, or None when the name is not `YYYY-MM.yml`."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if not name.endswith(".yml"):
        return None
    stem = name[:-4]
    return stem if is_month(stem) else None


def is_month(text: str) -> bool:
    """True for a real month as YYYY-MM: 01 to 12, in a year from 0001."""
    match = MONTH.match(text)
    return bool(match) and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1


def _month_of(doc: Document) -> str:
    return report_month(doc.path) or doc.path


def _status_of(doc: Document) -> str | None:
    node = _status_node(doc)
    return node.value if node is not None else None


def _status_node(doc: Document) -> Scalar | None:
    if isinstance(doc.root, Mapping) and "status" in doc.root.items:
        value = doc.root.items["status"][1]
        if isinstance(value, Scalar):
            return value
    return None


def first_unpublished(statuses: dict[str, str | None]) -> tuple[str, bool] | None:
    """The first month, from the first report on, that is not published: (month, True when it has no
    report at all), or None. `statuses` maps each report's month to its status (None: unknown)."""
    months = sorted(statuses)
    for index, month in enumerate(months):
        if statuses[month] == DRAFT:
            return month, False
        if index + 1 < len(months) and months[index + 1] != next_month(month):
            return next_month(month), True
    return None


def publication_order(reports: Iterable[Document], unreadable: Iterable[str] = ()) -> list[Diagnostic]:
    """Months are published in order: an error at each published month that comes after a draft, and
    a warning at the first published month after each month without a report (a gap).

    A month published after a draft could never be followed by that draft's publication, which would
    change its balances. A gap could never be filled for the same reason, but the contract allows it,
    so it is only a warning. `unreadable` names the report files that could not be parsed: they fill
    their month, with a status unknown.
    """
    statuses: dict[str, str | None] = {month: None for month in filter(None, map(report_month, unreadable))}
    nodes: dict[str, tuple[Document, Scalar]] = {}
    for doc in reports:
        month, node = report_month(doc.path), _status_node(doc)
        if month is None:
            continue
        statuses[month] = node.value if node is not None and node.value in (DRAFT, PUBLISHED) else None
        if statuses[month] == PUBLISHED:
            nodes[month] = doc, node
    draft = next((month for month in sorted(statuses) if statuses[month] == DRAFT), None)
    gaps = _gaps(statuses)
    diagnostics = []
    for month, (doc, node) in sorted(nodes.items()):
        if draft is not None and month > draft:
            diagnostics.append(Diagnostic(doc.path, node.line, node.col,
                f"{month} cannot be published while {draft} is a draft; publish {draft} first, "
                "or set this month's status to draft"))
        elif gaps and month > gaps[0]:
            gap = gaps.pop(0)
            while gaps and month > gaps[0]:
                gaps.pop(0)
            diagnostics.append(Diagnostic(doc.path, node.line, node.col,
                f"{month} is published but {gap} has no report, and a report of {gap} could not be added "
                f"later without changing {month}'s balances; expected a report for every month from the "
                f"first on (python build.py new-report {gap} drafts it; remittances: [] when nothing was "
                "received)", "warning"))
    return diagnostics


def _gaps(statuses: dict[str, str | None]) -> list[str]:
    """The first month of each run of months without a report, between the first report and the last."""
    months = sorted(statuses)
    return [next_month(month) for month, following in zip(months, months[1:]) if following != next_month(month)]


class _Checker:
    """Typed reading of one file's tree, collecting diagnostics."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.path = doc.path
        self.diagnostics: list[Diagnostic] = []

    def error(self, node, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, node.line, node.col, message))

    def warning(self, node, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, node.line, node.col, message, "warning"))

    # -- structure --

    def mapping(self, node: Node | None, what: str, expected: str) -> Mapping | None:
        if type(node) is Mapping:
            return node
        if node is None:
            return None
        self.error(node, f"{what} is {kind(node)}; expected {expected}")
        return None

    def sequence(self, node: Node | None, what: str, expected: str) -> list[Node]:
        """The items of a list; a missing or empty value is an empty list."""
        if node is None:
            return []
        if type(node) is Sequence:
            return node.items
        if type(node) is Scalar and node.is_null:
            return []
        self.error(node, f"{what} is {kind(node)}; expected {expected}")
        return []

    def fields(self, mapping: Mapping, allowed: tuple[str, ...], required: tuple[str, ...],
               what: str) -> dict[str, Node]:
        """The values of a mapping by key, after reporting unknown and missing keys."""
        values = {}
        for key, (key_node, value) in mapping.items.items():
            if key in allowed:
                values[key] = value
            else:
                hint = suggest(key, allowed) or "; expected one of: " + ", ".join(allowed)
                self.error(key_node, f"unknown field {quote(key)} in {what}{hint}")
        for key in required:
            if key not in values:
                self.error(mapping, f"{what} has no '{key}'; expected a '{key}:' field")
        return values

    # -- scalars --

    def scalar(self, node: Node | None, what: str, expected: str, optional: bool = False) -> Scalar | None:
        if node is None:
            return None
        if type(node) is Scalar:
            if node.is_null:
                if not optional:
                    self.error(node, f"{what} is empty; expected {expected}")
                return None
            return node
        self.error(node, f"{what} is {kind(node)}; expected {expected}")
        return None

    def text(self, node: Node | None, what: str, optional: bool = False, limit: int = SHORT_TEXT,
             multiline: bool = False) -> str | None:
        scalar = self.scalar(node, what, "text", optional)
        if scalar is None:
            return None
        value = scalar.value.strip()
        if not value:
            self.error(scalar, f"{what} is blank; expected text")
            return None
        if len(value) > limit:
            self.error(scalar, f"{what} is {len(value)} characters long; expected at most {limit}")
            return None
        if not multiline and "\n" in value:
            self.error(scalar, f"{what} spans several lines; expected a single line")
            return None
        return value

    def reference(self, node: Node | None, what: str, table: set[str] | None, kind_name: str,
                  optional: bool = False) -> str | None:
        """An id that must be declared in `table` (not checked while the table is unreadable)."""
        scalar = self.scalar(node, what, f"a {kind_name} id", optional)
        if scalar is None:
            return None
        if table is not None and scalar.value not in table:
            hint = suggest(scalar.value, table) or f"; expected an id declared under {_PLURAL[kind_name]}:"
            self.error(scalar, f"unknown {kind_name} {quote(scalar.value)}{hint}")
            return None
        return scalar.value

    def month(self, node: Node | None, what: str, optional: bool = False) -> str | None:
        scalar = self.scalar(node, what, "a month as YYYY-MM", optional)
        if scalar is None:
            return None
        value = scalar.value
        match = MONTH.match(value)
        if not match:
            self.error(scalar, f"{what} {quote(value)} is not a month; expected YYYY-MM, like 2024-06")
            return None
        if not 1 <= int(match[2]) <= 12 or int(match[1]) == 0:
            self.error(scalar, f"{what} {quote(value)} is not a real month; expected YYYY-MM with a month "
                               "from 01 to 12")
            return None
        return value

    def date(self, node: Node | None, what: str, optional: bool = False) -> str | None:
        scalar = self.scalar(node, what, "a date as YYYY-MM-DD", optional)
        if scalar is None:
            return None
        value = scalar.value
        if not DATE.match(value):
            self.error(scalar, f"{what} {quote(value)} is not a date; expected YYYY-MM-DD, like 2024-06-05")
            return None
        try:
            date.fromisoformat(value)
        except ValueError:
            self.error(scalar, f"{what} {quote(value)} is not a real date; expected YYYY-MM-DD with a day "
                               "that exists in that month")
            return None
        return value

    def url(self, node: Node | None, what: str) -> str | None:
        scalar = self.scalar(node, what, "an https URL", optional=True)
        if scalar is None:
            return None
        value = scalar.value
        if not _is_https(value):
            self.error(scalar, f"{what} {quote(value)} is not an https URL; expected https://host/path")
            return None
        return value

    def decimal(self, node: Node | None, what: str, *, signed: bool = False, zero: bool = False,
                places: int = AMOUNT_PLACES, optional: bool = False, token: Token | None = None) -> Decimal | None:
        """A plain decimal in ASCII digits: > 0 unless `zero`, with a sign only when `signed`; in a
        `token`, with at most its decimals as decimal places, whatever `places` says."""
        scalar = self.scalar(node, what, "an amount like 1234.56", optional)
        if scalar is None:
            return None
        value = scalar.value
        match = NUMBER.match(value)
        if not match:
            self.error(scalar, f"{what} {quote(value)} is not a plain decimal; expected {_number_hint(value)}")
            return None
        sign, whole, fraction = match.groups()
        if sign and not signed:
            self.error(scalar, f"{what} {quote(value)} has a sign; expected an amount greater than 0, "
                               "without '-'")
            return None
        if token is not None:
            places = token.decimals
        if fraction is not None and len(fraction) > places:
            count = f"{len(fraction)} decimal place{'s' if len(fraction) > 1 else ''}"
            if token is None:
                expected = f"at most {places}"
            elif places:
                expected = f"at most {places} ({token.code} has {places} decimals)"
            else:
                expected = f"a whole number ({token.code} has no decimals)"
            self.error(scalar, f"{what} {quote(value)} has {count}; expected {expected}")
            return None
        if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
            self.error(scalar, f"{what} {quote(value)} is too large; expected at most "
                               f"{MAX_INTEGER_DIGITS} digits before the decimal point")
            return None
        number = Decimal(value)
        if not number and not zero:
            self.error(scalar, f"{what} is {value}; expected {'an amount other than 0' if signed else 'an amount greater than 0'}")
            return None
        return number

    def currency(self, node: Node | None, what: str, default: str) -> str:
        scalar = self.scalar(node, what, "a currency code", optional=True)
        if scalar is None:
            return default
        if not CURRENCY.match(scalar.value):
            self.error(scalar, f"{what} {quote(scalar.value)} is not a currency code; expected 2 to 10 "
                               "uppercase letters or digits, like USDT")
            return default
        return scalar.value

    def share(self, node: Node | None, what: str, optional: bool = False) -> tuple[Decimal, str] | None:
        """A maintainer share `N%` with 0 <= N <= 100, as a fraction and as written."""
        scalar = self.scalar(node, what, "a percentage like 50%", optional)
        if scalar is None:
            return None
        match = PERCENT.match(scalar.value)
        if not match:
            self.error(scalar, f"{what} {quote(scalar.value)} is not a percentage; expected N% with "
                               "0 <= N <= 100, like 50%")
            return None
        number = Decimal(match[1])
        if number > 100:
            self.error(scalar, f"{what} {scalar.value} is over 100%; expected a percentage from 0% to 100%")
            return None
        return number.scaleb(-2), scalar.value

    def address(self, node: Node | None, what: str, optional: bool = False) -> str | None:
        """An address, 0x and 40 hex digits, in lower case; written in mixed case, its EIP-55 checksum must hold."""
        scalar = self.scalar(node, what, "an address, 0x and 40 hex digits", optional)
        if scalar is None:
            return None
        value = scalar.value
        if not ADDRESS.match(value):
            self.error(scalar, f"{what} {quote(value)} {_hex_problem(value, 64)}; expected an address: 0x and 40 hex "
                               "digits, like 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
            return None
        if not has_valid_checksum(value):
            self.error(scalar, f"{what} {quote(value)} fails its EIP-55 checksum: a character is mistyped or its case "
                               "was changed; expected the address exactly as the wallet shows it")
            return None
        return value.lower()

    def tx(self, node: Node | None, what: str) -> str | None:
        """A transaction hash, 0x and 64 hex digits, in lower case (optional)."""
        scalar = self.scalar(node, what, "a transaction hash, 0x and 64 hex digits", optional=True)
        if scalar is None:
            return None
        value = scalar.value
        if not TX.match(value):
            self.error(scalar, f"{what} {quote(value)} {_hex_problem(value, 40)}; expected a transaction hash: 0x and "
                               "64 hex digits")
            return None
        return value.lower()


def _hex_problem(value: str, other: int) -> str:
    """What is wrong with a value that should be 0x and hex digits; `other`: the length of the other kind."""
    match = HEX.match(value)
    if match is None:
        return "is not 0x and hex digits (0-9, a-f)"
    count = len(match[1])
    if count == other:
        return f"has {count} hex digits, like {'a transaction hash' if other == 64 else 'an address'}"
    return f"has {count} hex digit{'s' if count != 1 else ''}"


_PLURAL = {"person": "people", "sponsor": "sponsors", "connector": "connectors", "chain": "chains"}


def _is_https(value: str) -> bool:
    if any(c.isspace() for c in value) or any(c in value for c in "<>\"'`\\"):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname)


def _number_hint(value: str) -> str:
    if "," in value or "_" in value or " " in value:
        return "digits without thousands separators, like 1234.56"
    if "e" in value.lower() and any(c.isdigit() for c in value):
        return "digits without an exponent, like 1234.56"
    if value.startswith("+"):
        return "digits without '+', like 1234.56"
    if value.startswith(".") or value.endswith("."):
        return "digits on both sides of the decimal point, like 0.5"
    if any(c.isdigit() and not c.isascii() for c in value):
        return "ASCII digits 0-9, like 1234.56"
    return "digits with an optional '.' and decimals, like 1234.56"


def _is_site_path(value: str) -> bool:
    return (value.startswith("/") and not value.startswith("//") and "\\" not in value
            and not any(c.isspace() or c in "<>\"'`" for c in value))


class _AgreementsChecker(_Checker):
    """Reads agreements.yml."""

    def __init__(self, doc: Document):
        super().__init__(doc)
        # Ids declared in the file, even where their entries are invalid, so that references to
        # them are not reported a second time as unknown; None while a section is unreadable.
        self.people_ids: set[str] | None = None
        self.sponsor_ids: set[str] | None = None
        self.connector_ids: set[str] | None = None
        self.connectors: dict[str, Connector] = {}
        self.currency: str | None = None
        self.chain_ids: set[str] | None = set()
        self.token_codes: set[str] | None = set()
        self.tokens: dict[str, Token] = {}  # the valid ones
        self.people: dict[str, Person] = {}
        self.foundation_chains: set[str] | None = set()  # the chains the Foundation has an account on (None: unsure)
        self.unsure_accounts: set[str] = set()  # the owners with an invalid account

    def run(self) -> Agreements | None:
        root = self.doc.root
        if root is None:
            self.diagnostics.append(Diagnostic(self.path, 1, 1,
                "file is empty; expected the sections foundation, people, sponsors and connectors"))
            return None
        root = self.mapping(root, "agreements.yml", "a mapping with foundation, people, sponsors and connectors")
        if root is None:
            return None
        top = self.fields(root, AGREEMENTS_KEYS, AGREEMENTS_REQUIRED, "agreements.yml")
        declared = {section: set(top[section].items) if type(top.get(section)) is Mapping else None
                    for section in ("people", "sponsors", "connectors", "chains", "tokens")}
        self.people_ids, self.sponsor_ids, self.connector_ids = list(declared.values())[:3]
        # chains and tokens are optional: left out or empty, none is declared
        self.chain_ids = set() if _is_null(top.get("chains")) else declared["chains"]
        self.token_codes = set() if _is_null(top.get("tokens")) else declared["tokens"]
        chains = self._table(top.get("chains"), "chains", "chain", self._chain, optional=True)
        tokens = self._table(top.get("tokens"), "tokens", "token", self._token, optional=True, pattern=CURRENCY)
        self.tokens = tokens or {}
        self._unique_contracts()
        foundation = self._foundation(top.get("foundation"))
        people = self._table(top.get("people"), "people", "person", self._person)
        self.people = people or {}
        sponsors = self._table(top.get("sponsors"), "sponsors", "sponsor", self._sponsor)
        default_share = foundation.maintainer_share if foundation else None
        connectors = self._table(top.get("connectors"), "connectors", "connector",
                                 lambda key, node: self._connector(key, node, default_share))
        self.connectors = connectors or {}
        if None in (foundation, people, sponsors, connectors, chains, tokens):
            return None
        if any(d.is_error for d in self.diagnostics):
            return None
        return Agreements(self.path, self.doc.name, self.doc.sha256, foundation, people, sponsors, connectors,
                          chains, tokens)

    def _table(self, node, section: str, kind_name: str, read, optional: bool = False, pattern=ID) -> dict | None:
        """The entries of a section by key (an id, or a currency code for tokens); an optional section left
        out or empty has none."""
        if optional and _is_null(node):
            return {}
        codes = pattern is CURRENCY
        table = self.mapping(node, section, f"a mapping of {kind_name} {'codes' if codes else 'ids'} to their fields")
        if table is None:
            return None
        result = {}
        for key, (key_node, value) in table.items.items():
            if codes and not CURRENCY.match(key):
                self.error(key_node, f"{kind_name} {quote(key)} is not a currency code; expected 2 to 10 uppercase "
                                     "letters or digits, like USDC: the code the reports use")
                continue
            if not codes and not ID.match(key):
                self.error(key_node, f"{kind_name} id {quote(key)} is not a valid id; expected lowercase "
                                     "letters, digits and '-', starting with a letter or digit")
                continue
            item = read(key, value)
            if item is not None:
                result[key] = item
        return result

    def _foundation(self, node) -> Foundation | None:
        mapping = self.mapping(node, "foundation", "a mapping with name, currency and maintainer_share")
        if mapping is None:
            return None
        values = self.fields(mapping, FOUNDATION_KEYS, FOUNDATION_REQUIRED, "foundation")
        name = self.text(values.get("name"), "foundation name")
        scalar = self.scalar(values.get("currency"), "currency", "a currency code like USD")
        currency = None
        if scalar is not None:
            if CURRENCY.match(scalar.value):
                currency = scalar.value
            else:
                self.error(scalar, f"currency {quote(scalar.value)} is not a currency code; expected 2 to 10 "
                                   "uppercase letters or digits, like USD")
        self.currency = currency
        share = self.share(values.get("maintainer_share"), "maintainer_share")
        url = self.url(values.get("url"), "url")
        notice = self.text(values.get("notice"), "notice", optional=True, limit=LONG_TEXT, multiline=True)
        accounts = self._accounts(values.get("accounts"), "the Foundation")
        sure = "the Foundation" not in self.unsure_accounts
        self.foundation_chains = {account.chain for account in accounts} if sure else None
        license_ = self._license(values.get("license"), mapping)
        if name is None or currency is None or share is None:
            return None
        return Foundation(name, currency, share[0], share[1], url, notice, accounts, license_)

    def _license(self, node, foundation: Mapping) -> str | None:
        """The data's licence, an SPDX identifier of an open licence; none is allowed, with a warning."""
        if _is_null(node):
            if node is None:  # at the `foundation:` key
                node = self.doc.root.items.get("foundation", (foundation,))[0]
            self.warning(node,
                         "the Foundation declares no license for its data, so others may not reuse the data; "
                         "expected license: the SPDX identifier of an open licence, like CC-BY-4.0 "
                         "(reuse with attribution) or CC0-1.0 (no conditions)")
            return None
        scalar = self.scalar(node, "license", "an SPDX identifier")
        if scalar is None:
            return None
        problem = licenses.problem(scalar.value)
        if problem is not None:
            self.error(scalar, f"license {quote(scalar.value)} {problem}")
            return None
        return scalar.value

    def _person(self, key: str, node) -> Person | None:
        mapping = self.mapping(node, f"person '{key}'", "a mapping with at least a name")
        if mapping is None:
            return None
        values = self.fields(mapping, PERSON_KEYS, PERSON_REQUIRED, f"person '{key}'")
        name = self.text(values.get("name"), "name")
        github = None
        scalar = self.scalar(values.get("github"), "github", "a GitHub login", optional=True)
        if scalar is not None:
            if GITHUB.match(scalar.value):
                github = scalar.value
            else:
                self.error(scalar, f"github {quote(scalar.value)} is not a GitHub login; expected letters, "
                                   "digits and single '-', at most 39 characters (the login, not a URL)")
        url = self.url(values.get("url"), "url")
        accounts = self._accounts(values.get("accounts"), key)
        if name is None:
            return None
        return Person(key, name, github, url, mapping.line, accounts)

    def _sponsor(self, key: str, node) -> Sponsor | None:
        mapping = self.mapping(node, f"sponsor '{key}'", "a mapping with at least a name")
        if mapping is None:
            return None
        values = self.fields(mapping, SPONSOR_KEYS, SPONSOR_REQUIRED, f"sponsor '{key}'")
        name = self.text(values.get("name"), "name")
        url = self.url(values.get("url"), "url")
        accounts = self._accounts(values.get("accounts"), key)
        if name is None:
            return None
        return Sponsor(key, name, url, mapping.line, accounts)

    def _accounts(self, node, owner: str) -> tuple[Account, ...]:
        """An owner's accounts (the valid ones), each chain and address at most once."""
        result: list[Account] = []
        seen: dict[Account, int] = {}
        errors = len(self.diagnostics)
        for item in self.sequence(node, "accounts", "a list of accounts, each with chain and address"):
            mapping = self.mapping(item, "an account", "a mapping with chain and address")
            if mapping is None:
                continue
            values = self.fields(mapping, ACCOUNT_KEYS, ACCOUNT_REQUIRED, "account")
            chain = self.reference(values.get("chain"), "chain", self.chain_ids, "chain")
            address = self.address(values.get("address"), "address")
            if chain is None or address is None:
                continue
            account = Account(chain, address)
            if account in seen:
                self.error(values["address"], f"address {values['address'].value} is already an account of {owner} on "
                                              f"{chain} (line {seen[account]}); expected each account once")
                continue
            seen[account] = mapping.line
            result.append(account)
        if len(self.diagnostics) > errors:
            self.unsure_accounts.add(owner)
        return tuple(result)

    def _chain(self, key: str, node) -> Chain | None:
        mapping = self.mapping(node, f"chain '{key}'", "a mapping with at least a name")
        if mapping is None:
            return None
        values = self.fields(mapping, CHAIN_KEYS, CHAIN_REQUIRED, f"chain '{key}'")
        name = self.text(values.get("name"), "name")
        explorer = self.url(values.get("explorer"), "explorer")
        if explorer is not None and ("?" in explorer or "#" in explorer):
            self.error(values["explorer"], f"explorer {quote(explorer)} has a query or a fragment; expected the "
                                           "explorer's address, like https://etherscan.io, to which /tx/HASH and "
                                           "/address/ADDRESS are added")
            return None
        if name is None:
            return None
        return Chain(key, name, explorer)

    def _token(self, code: str, node) -> Token | None:
        mapping = self.mapping(node, f"token {code}", "a mapping with chain, contract and decimals")
        if mapping is None:
            return None
        values = self.fields(mapping, TOKEN_KEYS, TOKEN_REQUIRED, f"token {code}")
        chain = self.reference(values.get("chain"), "chain", self.chain_ids, "chain")
        contract = self.address(values.get("contract"), "contract")
        decimals = None
        scalar = self.scalar(values.get("decimals"), "decimals", f"the decimals of {code}, from 0 to {TOKEN_DECIMALS}")
        if scalar is not None:
            if not DECIMALS.match(scalar.value):
                self.error(scalar, f"decimals {quote(scalar.value)} is not a whole number of decimal places; expected "
                                   f"an integer from 0 to {TOKEN_DECIMALS}, like 6 (the token contract's decimals())")
            elif len(scalar.value.lstrip("0")) > 2 or int(scalar.value) > TOKEN_DECIMALS:
                self.error(scalar, f"decimals {scalar.value} is more than {TOKEN_DECIMALS}; expected an integer from "
                                   f"0 to {TOKEN_DECIMALS} (the token contract's decimals())")
            else:
                decimals = int(scalar.value)
        if None in (chain, contract, decimals):
            return None
        return Token(code, chain, contract, decimals)

    def _unique_contracts(self) -> None:
        """Two codes for one token would make a transfer on chain match either."""
        seen: dict[tuple[str, str], str] = {}
        for token in self.tokens.values():
            other = seen.setdefault((token.chain, token.contract), token.code)
            if other != token.code:
                node = self.doc.root.items["tokens"][1].items[token.code][1].items["contract"][1]
                self.error(node, f"contract {node.value} on {token.chain} is already token {other}'s; expected each "
                                 "token under one code")

    def _connector(self, key: str, node, default_share: Decimal | None) -> Connector | None:
        mapping = self.mapping(node, f"connector '{key}'", "a mapping with name, sponsor, developer and terms")
        if mapping is None:
            return None
        what = f"connector '{key}'"
        values = self.fields(mapping, CONNECTOR_KEYS, CONNECTOR_REQUIRED, what)
        name = self.text(values.get("name"), "name")
        sponsor = self.reference(values.get("sponsor"), "sponsor", self.sponsor_ids, "sponsor")
        developer = self.reference(values.get("developer"), "developer", self.people_ids, "person")
        docs = None
        scalar = self.scalar(values.get("docs"), "docs", "a site path or an https URL", optional=True)
        if scalar is not None:
            if _is_site_path(scalar.value) or _is_https(scalar.value):
                docs = scalar.value
            else:
                self.error(scalar, f"docs {quote(scalar.value)} is neither a site path nor an https URL; "
                                   "expected /path/to/page or https://host/path")
        until = self.month(values.get("until"), "until", optional=True)
        terms = self._terms(values.get("terms"), what, default_share)
        ok = None not in (name, sponsor, developer, terms)
        if terms and until is not None:
            if until < terms[0][0].since:
                self.error(values["until"], f"until {until} is before the agreement starts "
                                            f"({terms[0][0].since}); expected a month from {terms[0][0].since} on")
                ok = False
            else:
                for entry, since_node in terms[1:]:
                    if entry.since > until:
                        self.error(since_node, f"terms since {entry.since} start after the agreement ends "
                                               f"(until {until}); expected a since no later than {until}")
                        ok = False
        if not ok or default_share is None:
            return None
        return Connector(key, name, sponsor, developer, tuple(entry for entry, _ in terms), docs, until,
                         mapping.line)

    def _terms(self, node, what: str, default_share: Decimal | None) -> list[tuple[Terms, Scalar]] | None:
        """The terms entries, each with the node of its `since`, or None when any is invalid."""
        if node is None:
            return None
        items = self.sequence(node, "terms", "a list of terms entries, each with since, type and amount")
        if not items:
            if type(node) is not Scalar or node.is_null:
                self.error(node, f"terms of {what} are empty; expected at least one entry with since, type "
                                 "and amount")
            return None
        result: list[tuple[Terms, Scalar]] = []
        ok = True
        previous: str | None = None
        for item in items:
            parsed = self._terms_entry(item, default_share)
            if parsed is None:
                ok = False
                continue
            entry, since_node = parsed
            if previous is not None and entry.since <= previous:
                self.error(since_node, f"terms since {entry.since} do not come after the previous entry "
                                       f"(since {previous}); expected since strictly increasing, oldest first")
                ok = False
            previous = entry.since
            result.append(parsed)
        return result if ok else None

    def _terms_entry(self, node, default_share: Decimal | None) -> tuple[Terms, Scalar] | None:
        mapping = self.mapping(node, "a terms entry", "a mapping with since, type and amount")
        if mapping is None:
            return None
        values = self.fields(mapping, TERMS_KEYS, TERMS_REQUIRED, "terms entry")
        since = self.month(values.get("since"), "since")
        type_ = None
        scalar = self.scalar(values.get("type"), "type", "'fee share' or 'monthly fee'")
        if scalar is not None:
            if scalar.value in (FEE_SHARE, MONTHLY_FEE):
                type_ = scalar.value
            else:
                hint = suggest(scalar.value, (FEE_SHARE, MONTHLY_FEE))
                self.error(scalar, f"type {quote(scalar.value)} is not a type of agreement"
                                   f"{hint or '; expected fee share or monthly fee'}")
        amount = self.scalar(values.get("amount"), "amount", "an amount like 30%, 20-30%, $750 or 750 USDT")
        maintainer = self.reference(values.get("maintainer"), "maintainer", self.people_ids, "person",
                                    optional=True)
        bad_maintainer = maintainer is None and not _is_null(values.get("maintainer"))
        share = self.share(values.get("maintainer_share"), "maintainer_share", optional=True)
        if share is not None and maintainer is None and not bad_maintainer:
            self.warning(values["maintainer_share"], "maintainer_share has no effect without a maintainer")
        bad_share = share is None and not _is_null(values.get("maintainer_share"))
        parsed = self._amount(amount, type_) if amount is not None and type_ is not None else None
        if None in (since, type_, parsed, default_share) or bad_maintainer or bad_share:
            return None
        low, high, fee, fee_currency = parsed
        terms = Terms(since, type_, amount.value, maintainer, share[0] if share else default_share,
                      share is not None, low, high, fee, fee_currency, mapping.line)
        return terms, values["since"]

    def _amount(self, scalar: Scalar, type_: str):
        """(low, high, fee, fee currency) for a terms amount, or None after reporting why not."""
        value = scalar.value
        if type_ == FEE_SHARE:
            match = PERCENT.match(value)
            if match:
                low = high = Decimal(match[1])
            else:
                match = RANGE.match(value)
                if not match:
                    self.error(scalar, f"amount {quote(value)} is not a fee share; expected N% or N-M%, "
                                       "like 30% or 20-30%")
                    return None
                low, high = Decimal(match[1]), Decimal(match[2])
                if low >= high:
                    self.error(scalar, f"amount {value} is a reversed or empty range; expected N-M% with N < M")
                    return None
            if high > 100:
                self.error(scalar, f"amount {value} is over 100%; expected percentages up to 100%")
                return None
            if low <= 0:
                self.error(scalar, f"amount {value} includes 0%; expected a share greater than 0%")
                return None
            return low.scaleb(-2), high.scaleb(-2), None, None
        match = DOLLARS.match(value)
        if match:
            number, currency = match[1], "USD"
        else:
            match = FEE.match(value)
            if not match:
                self.error(scalar, f"amount {quote(value)} is not a monthly fee; expected $N or N CUR, "
                                   "like $750 or 750 USDT")
                return None
            number, currency = match[1], match[2]
        fee = Decimal(number)
        if not fee:
            self.error(scalar, f"amount {value} is 0; expected a monthly fee greater than 0")
            return None
        return None, None, fee, currency


def _is_null(node: Node | None) -> bool:
    """True for an absent value or an empty one (`~`, `null` or nothing)."""
    return node is None or (type(node) is Scalar and node.is_null)


class _ReportChecker(_Checker):
    """Reads one reports/YYYY-MM.yml, against the agreements."""

    def __init__(self, doc: Document, agreements: _AgreementsChecker, statuses: dict[str, str | None]):
        super().__init__(doc)
        self.agreements = agreements
        self.statuses = statuses
        self.reporting = agreements.currency

    def run(self) -> Report | None:
        expected_month = report_month(self.path)
        root = self.doc.root
        if expected_month is None:
            self.diagnostics.append(Diagnostic(self.path, 1, 1,
                "report file name is not YYYY-MM.yml; expected a name like reports/2024-06.yml"))
            return None
        if root is None:
            self.diagnostics.append(Diagnostic(self.path, 1, 1,
                f"file is empty; expected a report with at least month: {expected_month} and status: draft"))
            return None
        root = self.mapping(root, "a report", "a mapping with month, status and remittances")
        if root is None:
            return None
        values = self.fields(root, REPORT_KEYS, REPORT_REQUIRED, "report")
        month = self.month(values.get("month"), "month")
        if month is not None and month != expected_month:
            self.error(values["month"], f"month {month} does not match the file name {expected_month}.yml; "
                                        f"expected month: {expected_month}")
            month = None
        status = None
        scalar = self.scalar(values.get("status"), "status", "draft or published")
        if scalar is not None:
            if scalar.value in (DRAFT, PUBLISHED):
                status = scalar.value
            else:
                self.error(scalar, f"status {quote(scalar.value)} is not a status"
                                   f"{suggest(scalar.value, (DRAFT, PUBLISHED)) or '; expected draft or published'}")
        published = self.date(values.get("published"), "published", optional=True)
        if status == PUBLISHED and published is None:
            if "published" not in values:
                self.error(root, "a published report has no 'published' date; expected published: YYYY-MM-DD")
            elif _is_null(values["published"]):
                self.error(values["published"], "published is empty; expected the date the report was "
                                                "published, as YYYY-MM-DD")
        if published is not None and month is not None and published[:7] <= month:
            self.warning(values["published"], f"published {published} is before {month} has ended; "
                                              "expected the date the report was published")
        self.month_value = month or expected_month
        self.invalid_rates: set[str] = set()
        rates, rate_nodes = self._rates(values.get("rates"))
        self.rates = rates
        self.used_currencies: set[str] = set()
        self.warned_chains: set[str] = set()  # chains without an account of the Foundation, said once a report
        remittances = self._remittances(values.get("remittances"))
        payouts = self._payouts(values.get("payouts"))
        adjustments = self._adjustments(values.get("adjustments"))
        totals = self._totals(values.get("totals"))
        notes = self.text(values.get("notes"), "notes", optional=True, limit=LONG_TEXT, multiline=True)
        for currency, node in rate_nodes.items():
            if currency not in self.used_currencies:
                self.warning(node, f"rate for {currency} is not used by this report")
        if month is None or status is None or any(d.is_error for d in self.diagnostics):
            return None
        return Report(self.path, self.doc.name, self.doc.sha256, month, status, published, rates,
                      remittances, payouts, adjustments, totals, notes)

    def _rates(self, node) -> tuple[dict[str, Decimal], dict[str, Scalar]]:
        rates: dict[str, Decimal] = {}
        nodes: dict[str, Scalar] = {}
        if node is None or (type(node) is Scalar and node.is_null):
            return rates, nodes
        mapping = self.mapping(node, "rates", "a mapping of currency codes to their value in the reporting currency")
        if mapping is None:
            return rates, nodes
        for code, (key_node, value) in mapping.items.items():
            if not CURRENCY.match(code):
                self.error(key_node, f"rate currency {quote(code)} is not a currency code; expected 2 to 10 "
                                     "uppercase letters or digits, like USDT")
                continue
            rate = self.decimal(value, f"rate for {code}", places=RATE_PLACES)
            if rate is None:
                self.invalid_rates.add(code)  # reported here; not again where the rate is needed
                continue
            if code == self.reporting:
                if rate != 1:
                    self.error(value, f"rate for {code} is {value.value}, but {code} is the reporting currency; "
                                      "expected 1 or no entry")
                continue
            rates[code] = rate
            nodes[code] = key_node
        return rates, nodes

    def _need_rate(self, currency: str, node, why: str) -> None:
        """Note `currency` as used, and report it when the report has no rate for it."""
        self.used_currencies.add(currency)
        if currency == self.reporting or self.reporting is None or currency in self.rates:
            return
        if currency not in self.invalid_rates:  # an invalid rate is reported where it is written
            self.error(node, f"no rate for {currency} in this report, needed {why}; expected "
                             f"rates: {{{currency}: <value of 1 {currency} in {self.reporting}>}}")

    def _remittances(self, node) -> tuple[Remittance, ...]:
        result = []
        seen: dict[str, int] = {}
        month = self.month_value
        agreements = self.agreements
        for item in self.sequence(node, "remittances", "a list of remittances"):
            mapping = self.mapping(item, "a remittance", "a mapping with connector and amount")
            if mapping is None:
                continue
            values = self.fields(mapping, REMITTANCE_KEYS, REMITTANCE_REQUIRED, "remittance")
            connector_node = values.get("connector")
            connector = self.reference(connector_node, "connector", agreements.connector_ids, "connector")
            currency = self.currency(values.get("currency"), "currency", self.reporting)
            amount = self.decimal(values.get("amount"), _amount_of(values.get("amount"), "for", connector_node),
                                  token=agreements.tokens.get(currency))
            if "currency" in values:
                self._need_rate(currency, values["currency"], "by this remittance")
            user_fees = self.decimal(values.get("user_fees"), "user_fees", optional=True)
            volume = self.decimal(values.get("volume"), "volume", zero=True, optional=True)
            reference = self.text(values.get("reference"), "reference", optional=True)
            tx = self.tx(values.get("tx"), "tx")
            if tx is not None:
                self._on_chain(values, currency)
            if connector is None:
                continue
            if connector in seen:
                self.error(connector_node, f"connector '{connector}' already has a remittance this month (line "
                                           f"{seen[connector]}); expected at most one per connector and month")
                continue
            seen[connector] = mapping.line
            agreement = agreements.connectors.get(connector)
            if agreement is not None:
                terms = agreement.terms_in(month)
                if terms is None:
                    self.error(connector_node, f"connector '{connector}' has no agreement in force in {month} "
                                               f"({_span(agreement)}); expected a remittance within the agreement")
                    continue
                if terms.type == MONTHLY_FEE:
                    self._need_rate(terms.fee_currency, connector_node,
                                    f"to check the monthly fee of '{connector}' ({terms.amount_text})")
                    if user_fees is not None:
                        self.warning(values["user_fees"], f"user_fees is only checked for a fee share; "
                                                          f"'{connector}' has a monthly fee in {month}")
            if amount is not None:
                result.append(Remittance(connector, amount, currency, user_fees, volume, reference, mapping.line, tx))
        return tuple(result)

    def _payouts(self, node) -> tuple[Payout, ...]:
        result = []
        for item in self.sequence(node, "payouts", "a list of payouts"):
            mapping = self.mapping(item, "a payout", "a mapping with to, amount and date")
            if mapping is None:
                continue
            values = self.fields(mapping, PAYOUT_KEYS, PAYOUT_REQUIRED, "payout")
            to = self.reference(values.get("to"), "to", self.agreements.people_ids, "person")
            currency = self.currency(values.get("currency"), "currency", self.reporting)
            amount = self.decimal(values.get("amount"), _amount_of(values.get("amount"), "paid to", values.get("to")),
                                  token=self.agreements.tokens.get(currency))
            if "currency" in values:
                self._need_rate(currency, values["currency"], "by this payout")
            day = self.date(values.get("date"), "date")
            reference = self.text(values.get("reference"), "reference", optional=True)
            tx = self.tx(values.get("tx"), "tx")
            address = self.address(values.get("address"), "address", optional=True)
            if tx is not None:
                token = self._on_chain(values, currency)
                if _is_null(values.get("address")):
                    self.error(values.get("address", mapping), "a payout with a tx has no address; expected "
                                                               "address: the address paid, as it was paid")
                elif address is not None and token is not None and to is not None:
                    self._known_account(values["address"], address, to, token.chain)
            elif address is not None and _is_null(values.get("tx")):
                self.warning(values["address"], "address is published only with the transaction that paid it; "
                                                "expected tx: beside it (0x and 64 hex digits), or no address")
            if None not in (to, amount, day):
                result.append(Payout(to, amount, currency, day, reference, mapping.line, tx,
                                     address if tx is not None else None))
        return tuple(result)

    def _on_chain(self, values: dict[str, Node], currency: str) -> Token | None:
        """The token of a line with a tx: its currency must be one, and the Foundation should have an account on
        its chain."""
        codes = self.agreements.token_codes
        if codes is None:  # tokens: is unreadable, and reported as such
            return None
        if currency not in codes:
            if _is_null(values.get("currency")):
                self.error(values["tx"], f"this line has a tx but is in {currency}, the reporting currency, which is "
                                         "not a token; expected currency: a code declared under tokens: in "
                                         "agreements.yml")
            else:
                self.error(values["currency"], f"currency {currency} is not a token, but this line has a tx; expected "
                                               "a code declared under tokens: in agreements.yml (with its chain, "
                                               "contract and decimals)")
            return None
        token = self.agreements.tokens.get(currency)
        known = self.agreements.foundation_chains
        if token is not None and known is not None and token.chain not in known | self.warned_chains:
            self.warned_chains.add(token.chain)
            self.warning(values["tx"], f"the Foundation declares no account on {token.chain}, where {currency} is; "
                                       f"expected its address on {token.chain} under foundation: accounts: (the check "
                                       "on chain looks for the transfers from or to it)")
        return token

    def _known_account(self, node: Scalar, address: str, person: str, chain: str) -> None:
        """A warning when a payout's address is not among the person's accounts on the chain."""
        found = self.agreements.people.get(person)
        if found is None or person in self.agreements.unsure_accounts:  # invalid, and reported
            return
        if Account(chain, address) not in found.accounts:
            self.warning(node, f"address {node.value} is not among {person}'s accounts on {chain}; expected one of "
                               f"them, or this address added to {person}'s accounts in agreements.yml (people change "
                               "wallets: the report keeps the address that was paid)")

    def _adjustments(self, node) -> tuple[Adjustment, ...]:
        result = []
        month = self.month_value
        for item in self.sequence(node, "adjustments", "a list of adjustments"):
            mapping = self.mapping(item, "an adjustment", "a mapping with month, connector, amount and reason")
            if mapping is None:
                continue
            values = self.fields(mapping, ADJUSTMENT_KEYS, ADJUSTMENT_REQUIRED, "adjustment")
            corrected = self.month(values.get("month"), "month")
            if corrected is not None:
                if corrected >= month:
                    self.error(values["month"], f"adjustment month {corrected} is not before {month}; expected an "
                                                "earlier, published month")
                    corrected = None
                elif self.statuses.get(corrected) != PUBLISHED:
                    found = self.statuses.get(corrected, "missing")
                    state = "has no report" if found == "missing" else "is not published"
                    self.error(values["month"], f"adjustment month {corrected} {state}; expected a published "
                                                "month to correct")
                    corrected = None
            connector_node = values.get("connector")
            connector = self.reference(connector_node, "connector", self.agreements.connector_ids, "connector")
            what = _amount_of(values.get("amount"), "of the adjustment for", connector_node)
            currency = self.currency(values.get("currency"), "currency", self.reporting)
            amount = self.decimal(values.get("amount"), what, signed=True, token=self.agreements.tokens.get(currency))
            if "currency" in values:
                self._need_rate(currency, values["currency"], "by this adjustment")
            reason = self.text(values.get("reason"), "reason", limit=REASON_TEXT, multiline=True)
            if connector is not None and corrected is not None:
                agreement = self.agreements.connectors.get(connector)
                if agreement is not None and agreement.terms_in(corrected) is None:
                    self.error(connector_node, f"connector '{connector}' had no agreement in force in "
                                               f"{corrected} ({_span(agreement)}); expected a connector "
                                               "of the corrected month")
                    continue
            if None not in (corrected, connector, amount, reason):
                result.append(Adjustment(corrected, connector, amount, currency, reason, mapping.line))
        return tuple(result)

    def _totals(self, node) -> Totals | None:
        if node is None:
            return None
        mapping = self.mapping(node, "totals", "a mapping with remitted and/or paid")
        if mapping is None:
            return None
        values = self.fields(mapping, TOTALS_KEYS, TOTALS_REQUIRED, "totals")
        if not values:
            self.error(mapping, "totals declares nothing; expected remitted: and/or paid:")
            return None
        remitted = self.decimal(values.get("remitted"), "totals.remitted", signed=True, zero=True, places=TOTALS_PLACES)
        paid = self.decimal(values.get("paid"), "totals.paid", zero=True, places=TOTALS_PLACES)
        if remitted is None and paid is None:
            return None
        return Totals(remitted, paid, _at(values.get("remitted")), _at(values.get("paid")))


def _amount_of(amount: Node | None, relation: str, subject: Node | None) -> str:
    """How an amount is called in messages: by whom it is for when it is left empty, so that a blank
    among many says which line it is ("amount for 'binance' is empty")."""
    if _is_null(amount) and type(subject) is Scalar and not subject.is_null:
        return f"amount {relation} {quote(subject.value)}"
    return "amount"


def _at(node: Node | None) -> tuple[int, int]:
    return (node.line, node.col) if node is not None else (0, 0)


def _span(connector: Connector) -> str:
    return f"from {connector.since}" + (f" to {connector.until}" if connector.until else "")
