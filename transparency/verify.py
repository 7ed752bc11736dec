#!/usr/bin/env python3
"""Check a published transparency site from its published files alone (data contract 1.1).

    python3 verify.py TARGET [--since MANIFEST]

TARGET is the site's folder or its http(s) address. The check reads data/manifest.json,
data/agreements.json, data/summary.json, data/reports/YYYY-MM.json, data/years/YYYY.json (where
the site has them) and the two CSV files, and nothing else. It recomputes every month's
figures_sha256 and the chain; checks each line's split against the share and maintainer of the
terms in force, the totals, the sponsors' sums and the balances carried from month to month; the
CSV files against the month files; summary.json and the year files against the months. With
--since, a manifest (or Atom feed) kept from earlier: every month it lists must still be published
with the same chain; months added since are fine.

Every discrepancy is printed as `FILE: what is wrong; expected X, found Y`, all in one run.
Exit status: 0 when everything holds, 1 on any discrepancy, 2 when TARGET cannot be read (or on
wrong usage). Over HTTP it fetches only from TARGET's own origin, follows no redirect to another
one, refuses a response larger than --max-bytes and gives up after --timeout seconds.

One file, Python's standard library only (Python 3.7 or later): it runs as `python3 -I -S verify.py TARGET`.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from bisect import bisect_left
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from itertools import groupby
from operator import itemgetter

GENESIS = "0" * 64  # the PREVIOUS of the first published month
RECORD_NS = "urn:x-transparency:record"  # the namespace of the Atom feed's elements carrying the record
RECORD_FIELDS = ("month", "published", "source_sha256", "figures_sha256", "chain")
TOTALS = ("remitted", "maintainers", "foundation", "paid")
LINE_FIELDS = ("id", "sponsor", "maintainer", "remitted", "maintainers", "foundation", "flags")
SPONSOR_FIELDS = ("id", "remitted")
PERSON_FIELDS = ("id", "accrued", "paid", "balance", "flags")
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
HEX = re.compile(r"[0-9a-f]{64}\Z")
AMOUNT = re.compile(r"(?!-0\.00\Z)-?(0|[1-9][0-9]*)\.[0-9]{2}\Z")
SHARE = re.compile(r"([0-9]+)(?:\.([0-9]+))?%\Z")
MANIFEST, AGREEMENTS, SUMMARY = "data/manifest.json", "data/agreements.json", "data/summary.json"
REMITTANCES, PAYOUTS = "data/remittances.csv", "data/payouts.csv"
# The columns of remittances.csv compared with each line of a month file, in this order.
LINE_COLUMNS = ("connector", "sponsor", "maintainer", "remitted", "maintainers", "foundation", "flags", "adjusts",
                "kind", "maintainer_share")
PAYOUT_COLUMNS = ("to", "date", "paid")
EXACT = Context(prec=200, rounding=ROUND_HALF_UP)
CENT = Decimal("0.01")
MAX_BYTES = 64 * 1024 * 1024
TIMEOUT = 30.0
_ABSENT = object()


# The record: a month's figures in canonical form, and the hash chain. The build computes the
# manifest with these very functions.

def canonical(value) -> str:
    """The contract's canonical form of a JSON value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


RECORD_LEFT_OUT = ("status", "source")  # the keys of a month file that figures_sha256 does not cover


def figures_text(month: dict) -> str:
    """The canonical form of a month file without its status and source: what figures_sha256 is the hash of."""
    return canonical({key: value for key, value in month.items() if key not in RECORD_LEFT_OUT})


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def figures_sha256(month: dict) -> str:
    return sha256(figures_text(month))


def chain(previous: str, month: str, source_sha256: str, figures: str) -> str:
    """The chain value of a month, from the previous month's (GENESIS for the first)."""
    return sha256(f"{previous}\n{month}\n{source_sha256}\n{figures}\n")


# Reading TARGET: a folder, or a site's origin over HTTP.

class Unreadable(Exception):
    """A file of TARGET could not be read (beyond simply not being there)."""


class Folder:
    def __init__(self, root: str):
        if not os.path.isdir(root):
            raise Unreadable(f"{root}: not a folder; expected a site folder or an http(s) address")
        self.root = root

    def read(self, path: str) -> bytes | None:
        """The bytes of a file of the site, None when it does not exist."""
        try:
            with open(os.path.join(self.root, *path.split("/")), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise Unreadable(f"{path}: cannot be read: {exc.strerror or exc}") from None

    def read_all(self, paths: list[str]) -> dict:
        return {path: _attempt(self.read, path) for path in paths}


def origin(url: str) -> tuple:
    """(scheme, host, port) of an http(s) URL."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the origin it starts from."""

    def __init__(self, site: tuple):
        self.site = site

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if origin(newurl) != self.site:  # urllib passes newurl joined with the request's URL
            fp.close()
            raise Unreadable(f"redirected to {newurl}, another origin; expected every file from "
                             f"{self.site[0]}://{self.site[1]}:{self.site[2]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Web:
    def __init__(self, address: str, timeout: float, limit: int):
        parts = urllib.parse.urlsplit(address)
        if not parts.hostname or parts.query or parts.fragment:
            raise Unreadable(f"{address}: not a site address; expected http(s)://HOST/PATH/")
        self.base = address if address.endswith("/") else address + "/"
        self.timeout, self.limit = timeout, limit
        self.opener = urllib.request.build_opener(_SameOrigin(origin(address)))
        self.opener.addheaders = [("User-Agent", "transparency-verify/1.1")]

    def read(self, path: str) -> bytes | None:
        url = urllib.parse.urljoin(self.base, path)
        deadline = time.monotonic() + self.timeout
        try:
            with self.opener.open(url, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > self.limit:
                    raise Unreadable(f"the response is {length} bytes; expected at most {self.limit} (--max-bytes)")
                chunks, size = [], 0
                while True:
                    chunk = response.read(65536)
                    if not chunk:
                        return b"".join(chunks)
                    size += len(chunk)
                    if size > self.limit:
                        raise Unreadable(f"the response is larger than {self.limit} bytes; expected at most that "
                                         "(--max-bytes)")
                    if time.monotonic() > deadline:
                        raise Unreadable(f"timed out after {self.timeout:g} s (--timeout)")
                    chunks.append(chunk)
        except Unreadable as exc:
            raise Unreadable(f"{path}: {exc}") from None
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in (404, 410):
                return None
            raise Unreadable(f"{path}: HTTP {exc.code} {exc.reason} from {url}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise Unreadable(f"{path}: cannot be fetched from {url}: {getattr(exc, 'reason', None) or exc}") from None
        except Exception as exc:  # http.client's protocol errors, whatever the server sends
            raise Unreadable(f"{path}: cannot be fetched from {url}: {type(exc).__name__}: {exc}") from None

    def read_all(self, paths: list[str]) -> dict:
        with ThreadPoolExecutor(max_workers=8) as pool:
            return dict(zip(paths, pool.map(lambda path: _attempt(self.read, path), paths)))


def _attempt(read, path: str):
    try:
        return read(path)
    except Unreadable as exc:
        return exc


# Findings, and the values the contract publishes.

class Findings:
    """The discrepancies found, and the files that could not be read."""

    def __init__(self):
        self.problems: list[str] = []
        self.unreadable: list[str] = []

    def add(self, file: str, what: str, expected, found) -> None:
        self.problems.append(_printable(f"{file}: {what}; expected {_show(expected)}, found {_show(found)}"))


def _printable(text: str) -> str:
    """`text` as one line of printable characters: any other (a newline, an escape) written as a \\u escape.

    Messages quote what the site sent (its ids, a server's words): printed raw, they could break a
    line or drive the reader's terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
                   for c in text)


def _show(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return value if value and value.isprintable() and value.strip() == value else json.dumps(value)
    if isinstance(value, (dict, list)):
        return canonical(value) if len(canonical(value)) < 200 else f"{type(value).__name__} of {len(value)}"
    return str(value)


def cents(text) -> int:
    """'-12.34' -> -1234; ValueError unless an amount as the contract publishes it."""
    if type(text) is not str or not AMOUNT.match(text):
        raise ValueError(text)
    return int(text.replace(".", ""))  # AMOUNT has one dot


def money(value: int) -> str:
    """-1234 -> '-12.34'."""
    return f"{'-' if value < 0 else ''}{abs(value) // 100}.{abs(value) % 100:02d}"


def portion(value: int, share: tuple[int, int]) -> int:
    """round(value x share) to the cent, halves away from zero; value in cents, share a fraction."""
    numerator, denominator = share
    result = (2 * abs(value) * numerator + denominator) // (2 * denominator)
    return -result if value < 0 else result


def _share(text) -> tuple[int, int] | None:
    """'12.5%' -> (125, 1000), a fraction of 1."""
    match = SHARE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    decimals = match[2] or ""
    return int(match[1] + decimals), 100 * 10 ** len(decimals)


def _is_month(value) -> bool:
    return isinstance(value, str) and MONTH.match(value) is not None


def _day(value) -> date | None:
    if not isinstance(value, str) or not DAY.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _id(entry) -> str | None:
    """The id of an entry, None when it is not an object with a string id."""
    eid = entry.get("id") if isinstance(entry, dict) else None
    return eid if isinstance(eid, str) else None


def _kind(value) -> str:
    """What a value is, for a message about a value of the wrong kind."""
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    return _show(value) if isinstance(value, str) else json.dumps(value)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _months(months) -> str:
    if not isinstance(months, list):
        return _kind(months)
    if len(months) <= 6:
        return "[" + ", ".join(map(str, months)) + "]"
    return f"{len(months)} months, {months[0]} to {months[-1]}"


# The record: the manifest, and a copy kept from earlier.

def read_record(document, findings: Findings) -> tuple[str | None, list[dict]]:
    """The manifest's currency and its well-formed entries; every problem of shape, order and chain reported."""
    if not isinstance(document, dict) or not isinstance(document.get("months"), list):
        findings.add(MANIFEST, "is not a manifest", '{"currency": ..., "months": [...]}', _kind(document))
        return None, []
    currency = document.get("currency")
    if not isinstance(currency, str):
        findings.add(MANIFEST, "currency is missing", "the reporting currency", currency)
        currency = None
    entries, previous, last = [], GENESIS, None
    for index, entry in enumerate(document["months"]):
        if not isinstance(entry, dict) or not _is_month(entry.get("month")):
            findings.add(MANIFEST, f"months[{index}] is not a month's record", "an object with a month YYYY-MM",
                         _kind(entry))
            continue
        month = entry["month"]
        bad = [name for name in RECORD_FIELDS[2:] if not isinstance(entry.get(name), str) or not HEX.match(entry[name])]
        if bad:
            findings.add(MANIFEST, f"{month}: {', '.join(bad)} is not a SHA-256", "64 lowercase hex digits",
                         ", ".join(_show(entry.get(name)) for name in bad))
            continue
        if _day(entry.get("published")) is None:
            findings.add(MANIFEST, f"{month}: published is not a date", "YYYY-MM-DD", entry.get("published"))
        if last is not None and month <= last:
            findings.add(MANIFEST, f"{month} is out of month order", f"a month after {last}", month)
        last = max(month, last or month)
        expected = chain(previous, month, entry["source_sha256"], entry["figures_sha256"])
        if entry["chain"] != expected:
            findings.add(MANIFEST, f"the chain of {month} does not recompute from the previous chain and its "
                         "hashes", expected, entry["chain"])
        previous = expected
        entries.append(entry)
    return currency, entries


def kept_record(path: str) -> list[tuple[str, str]]:
    """(month, chain) of each month of a manifest or an Atom feed kept from earlier; Unreadable when neither."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise Unreadable(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if data.lstrip().startswith(b"<"):
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            raise Unreadable(f"{path}: not a manifest or an Atom feed: {exc}") from None
        entries = [(entry.findtext(f"{{{RECORD_NS}}}month"), entry.findtext(f"{{{RECORD_NS}}}chain"))
                   for entry in root.iter("{http://www.w3.org/2005/Atom}entry")]
    else:
        try:
            entries = [(entry.get("month"), entry.get("chain")) for entry in json.loads(data)["months"]]
        except (ValueError, RecursionError, KeyError, TypeError, AttributeError) as exc:
            raise Unreadable(f"{path}: not a manifest (data/manifest.json) or an Atom feed: {exc}") from None
    if not entries or not all(_is_month(month) and isinstance(value, str) and HEX.match(value)
                              for month, value in entries):
        raise Unreadable(f"{path}: lists no month with its chain; expected a kept copy of data/manifest.json "
                         "or of the Atom feed reports/feed.xml")
    return sorted(entries)


def compare_with_kept(kept: list[tuple[str, str]], entries: list[dict], findings: Findings) -> int:
    """Every kept month still published with the same chain; returns how many months were added since."""
    now = {entry["month"]: entry["chain"] for entry in entries}
    for month, value in kept:
        if month not in now:
            findings.add(MANIFEST, f"{month} was in the kept record but is no longer published",
                         f"{month} with chain {value}", "no such month")
        elif now[month] != value:
            findings.add(MANIFEST, f"{month} changed since the kept record (it, or a month before it, was "
                         "rewritten)", f"chain {value}", f"chain {now[month]}")
    latest = kept[-1][0]
    return sum(month > latest for month in now)


# The agreements: the terms in force, for the split of every line.

class Terms:
    __slots__ = ("since", "maintainer", "share", "share_text")

    def __init__(self, since: str, maintainer: str | None, share: tuple[int, int], share_text: str):
        self.since, self.maintainer, self.share, self.share_text = since, maintainer, share, share_text


def read_agreements(document, findings: Findings) -> tuple[str | None, dict]:
    """The reporting currency, and per connector id: (sponsor, until, [Terms] in order)."""
    connectors: dict = {}
    if not isinstance(document, dict) or not isinstance(document.get("connectors"), list):
        findings.add(AGREEMENTS, "is not the agreements", '{"foundation": ..., "connectors": [...]}', _kind(document))
        return None, connectors
    foundation = document.get("foundation")
    currency = foundation.get("currency") if isinstance(foundation, dict) else None
    for index, connector in enumerate(document["connectors"]):
        if not isinstance(connector, dict) or not isinstance(connector.get("id"), str):
            findings.add(AGREEMENTS, f"connectors[{index}] is not a connector", "an object with an id",
                         _kind(connector))
            continue
        cid, until, listed = connector["id"], connector.get("until"), connector.get("terms")
        if until is not None and not _is_month(until):
            findings.add(AGREEMENTS, f"connector {cid}: until is not a month", "YYYY-MM or null", until)
            until = None
        if not isinstance(listed, list) or not listed:
            findings.add(AGREEMENTS, f"connector {cid}: terms are missing", "a non-empty list", _kind(listed))
            continue
        terms: list[Terms] = []
        for number, entry in enumerate(listed):
            entry = entry if isinstance(entry, dict) else {}
            since, maintainer = entry.get("since"), entry.get("maintainer")
            share = _share(entry.get("maintainer_share"))
            where = f"connector {cid}: terms[{number}]"
            if not _is_month(since) or (terms and since <= terms[-1].since):
                findings.add(AGREEMENTS, f"{where}.since is not a month after the previous entry's",
                             "YYYY-MM, strictly increasing", since)
            elif share is None:
                findings.add(AGREEMENTS, f"{where}.maintainer_share is not a share", "a percentage like 40%",
                             entry.get("maintainer_share"))
            elif maintainer is not None and not isinstance(maintainer, str):
                findings.add(AGREEMENTS, f"{where}.maintainer is not an id", "a person's id or null", _kind(maintainer))
            else:
                terms.append(Terms(since, maintainer, share, entry["maintainer_share"]))
        if cid in connectors:
            findings.add(AGREEMENTS, f"connector {cid} is listed twice", "one entry per connector", "two")
        connectors[cid] = (connector.get("sponsor"), until, terms)
    return currency, connectors


def terms_in(connector: tuple, month: str) -> Terms | None:
    """The contract's terms in force: the last entry with since <= month, while month <= until."""
    _, until, terms = connector
    if until is not None and month > until:
        return None
    found = None
    for entry in terms:
        if entry.since > month:
            break
        found = entry
    return found


# The CSV files.

class Table:
    """A CSV file: where its columns are, and its rows by month (numbered as a spreadsheet shows them)."""

    def __init__(self, file: str, data: bytes, columns: tuple, findings: Findings):
        self.file, self.at, self.rows, self.spans = file, {}, [], {}
        try:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        except (UnicodeDecodeError, csv.Error) as exc:
            findings.add(file, "is not UTF-8 CSV", "comma-separated rows under a header", str(exc))
            return
        header = rows[0] if rows else []
        missing = [name for name in ("month", *columns) if name not in header]
        if missing:
            findings.add(file, f"lacks the columns {', '.join(missing)}", "the columns the site publishes",
                         ", ".join(header) or "no header")
            return
        self.at = {name: header.index(name) for name in header}
        self.rows = rows[1:]
        widths = {len(row) for row in self.rows}
        if widths - {len(header)}:
            for index, row in enumerate(self.rows):
                if len(row) != len(header):
                    findings.add(file, f"row {index + 2} has the wrong number of cells", len(header), len(row))
            self.rows = [row for row in self.rows if len(row) == len(header)]
        start = 0
        for month, run in groupby(row[self.at["month"]] for row in self.rows):
            size = sum(1 for _ in run)
            self.spans.setdefault(month, []).append(range(start, start + size))
            start += size

    def __bool__(self) -> bool:
        return bool(self.at)

    def of(self, month: str) -> tuple[list[list[str]], list[int]]:
        """A month's rows, and their numbers."""
        spans = self.spans.get(month, ())
        rows = self.rows
        if len(spans) == 1:
            span = spans[0]
            return rows[span.start:span.stop], [index + 2 for index in span]
        return [rows[index] for span in spans for index in span], [index + 2 for span in spans for index in span]


def _valued(table: Table, rows: list, numbers: list, column: str, findings: Findings) -> None:
    """round(amount x rate) is the published value of each row, where the table gives the amount and the rate."""
    at = table.at
    if "amount" not in at or "rate" not in at or not rows:
        return
    amount, rate, value = at["amount"], at["rate"], at[column]
    number, multiply = Decimal, EXACT.multiply
    published = [row[value] for row in rows]
    try:
        computed = [str(multiply(number(row[amount]), number(row[rate])).quantize(CENT, context=EXACT)) for row in rows]
        if computed == published:
            return
    except (InvalidOperation, ValueError):
        computed = [None] * len(rows)
    for row, mine, theirs, line in zip(rows, computed, published, numbers):
        try:
            mine = multiply(number(row[amount]), number(row[rate])).quantize(CENT, context=EXACT)
            if mine == number(theirs):
                continue
            mine = f"{mine:.2f}"
        except (InvalidOperation, ValueError):
            mine = "numbers"
        findings.add(table.file, f"row {line}: {column} is not round(amount x rate) = round({row[amount]} x "
                     f"{row[rate]})", mine, theirs)


# One month file.

class MonthCheck:
    """One month file against the record, the agreements, the month before and the CSV files."""

    def __init__(self, verifier: Verifier, month: str, document, plain: bool, connectors: dict[str, list[int]]):
        self.v, self.month, self.doc, self.plain, self.connectors = verifier, month, document, plain, connectors
        self.file = f"data/reports/{month}.json"
        self.add = verifier.findings.add

    def run(self):
        """(totals, sponsors, per person) of the month, or None when it cannot be checked."""
        doc, file, month, add = self.doc, self.file, self.month, self.add
        if not isinstance(doc, dict):
            add(file, "is not a month's figures", "an object", _kind(doc))
            return None
        shape = [key for key, kind in (("month", str), ("currency", str), ("totals", dict), ("connectors", list),
                                       ("sponsors", list), ("maintainers", list)) if not isinstance(doc.get(key), kind)]
        if shape:
            add(file, "lacks fields of the contract", "month, currency, totals, connectors, sponsors, maintainers",
                "no valid " + ", ".join(shape))
            return None
        if doc["month"] != month:
            add(file, "is the file of another month", month, doc["month"])
        if doc["currency"] != self.v.currency:
            add(file, "currency is not the manifest's", self.v.currency, doc["currency"])
        entry = self.v.published.get(month)
        if entry is not None:
            self.check_record(entry)
        accrued, sponsors, sums = self.lines()
        self.payout_rows = self.paid_rows()
        people = self.people(accrued)
        totals = self.totals(sums, people)
        compare_entries(file, "sponsor", doc["sponsors"], {sid: {"remitted": money(v)} for sid, v in sponsors.items()},
                        self.v.findings, "the sum of its connectors' lines")
        self.payouts(people)
        return totals, sponsors, people

    def check_record(self, entry: dict) -> None:
        doc, file, add = self.doc, self.file, self.add
        if doc.get("status", "published") != "published":
            add(file, "is in the manifest but not published", "status published", doc.get("status"))
        if "published" in doc and doc["published"] != entry["published"]:
            add(file, "published date is not the manifest's", entry["published"], doc["published"])
        source = doc.get("source")
        if isinstance(source, dict) and "sha256" in source and source["sha256"] != entry["source_sha256"]:
            add(file, "source sha256 is not the manifest's source_sha256", entry["source_sha256"], source["sha256"])
        try:
            digest = figures_sha256(doc)
        except (KeyError, TypeError, AttributeError):
            add(file, "figures lack fields of the record", "every field the manifest's figures_sha256 covers",
                "some missing")
            return
        if digest != entry["figures_sha256"]:
            add(file, f"figures do not hash to the manifest's figures_sha256 of {self.month}",
                entry["figures_sha256"], digest)

    def lines(self):
        """Check each line's split against the terms in force; the month's sums by person and sponsor, and
        by connector into the year's."""
        file, month, add, known, by_connector = self.file, self.month, self.add, self.v.connectors, self.connectors
        earlier = self.v.earlier(month)
        match = AMOUNT.match
        accrued: dict[str, int] = {}
        sponsors: dict[str, int] = {}
        remitted = maintainers = foundation = 0
        expected = []  # each line as remittances.csv should have it
        for index, line in enumerate(self.doc["connectors"]):
            try:
                cid, sponsor, maintainer, r, mp, fp = (line["id"], line["sponsor"], line["maintainer"],
                                                       line["remitted"], line["maintainers"], line["foundation"])
                flags, adjusts = line["flags"], line.get("adjusts")
                shown_flags = " ".join(flags) if flags else ""
                if (not (match(r) and match(mp) and match(fp)) or type(cid) is not str or type(sponsor) is not str
                        or type(flags) is not list or not (maintainer is None or type(maintainer) is str)
                        or not (adjusts is None or type(adjusts) is str)):
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                add(file, f"connectors[{index}] is not a line", "id, sponsor, maintainer, flags and amounts with 2 "
                    "decimals", canonical(line) if isinstance(line, dict) else _kind(line))
                expected.append(None)
                continue
            value, part, rest = int(r.replace(".", "")), int(mp.replace(".", "")), int(fp.replace(".", ""))
            if part + rest != value:
                add(file, f"{_name(index, line)}: the maintainer's and the Foundation's parts do not add up to its "
                    "value", r, f"{mp} + {fp} = {money(part + rest)}")
            if adjusts is not None:
                if "adjustment" not in flags:
                    add(file, f"{_name(index, line)}: an adjustment without the adjustment flag", "adjustment",
                        shown_flags or "no flags")
                if adjusts not in earlier:
                    add(file, f"{_name(index, line)}: adjusts a month that is not an earlier published month",
                        f"a month of the manifest before {month}", adjusts)
            elif flags and "adjustment" in flags:
                add(file, f"{_name(index, line)}: flagged adjustment without adjusts", "no adjustment flag",
                    shown_flags)
            connector = known.get(cid)
            terms = terms_in(connector, adjusts or month) if connector is not None else None
            share = None
            if connector is None:
                add(file, f"{_name(index, line)}: the connector is not in agreements.json", "a connector of "
                    "agreements.json", cid)
            elif terms is None:
                add(file, f"{_name(index, line)}: no terms of agreements.json are in force in {adjusts or month}",
                    "terms in force", None)
            else:
                if sponsor != connector[0]:
                    add(file, f"{_name(index, line)}: the sponsor is not the connector's in agreements.json",
                        connector[0], sponsor)
                if maintainer != terms.maintainer:
                    add(file, f"{_name(index, line)}: the maintainer is not the one of the terms in force since "
                        f"{terms.since}", terms.maintainer, maintainer)
                if terms.maintainer is None:
                    share, due = "0%", 0
                else:
                    share, due = terms.share_text, portion(value, terms.share)
                if part != due:
                    add(file, f"{_name(index, line)}: the maintainer's part does not follow the terms in force "
                        f"since {terms.since} ({share} of {r})", money(due), mp)
            expected.append((cid, sponsor, maintainer or "", r, mp, fp, shown_flags, adjusts or "",
                             "adjustment" if adjusts else "remittance", share))
            mine = by_connector.get(cid)
            if mine is None:
                by_connector[cid] = [value, part, rest]
            else:
                mine[0] += value
                mine[1] += part
                mine[2] += rest
            if maintainer is not None:
                accrued[maintainer] = accrued.get(maintainer, 0) + part
            sponsors[sponsor] = sponsors.get(sponsor, 0) + value
            remitted += value
            maintainers += part
            foundation += rest
        self.remittance_rows(expected)
        return accrued, sponsors, (remitted, maintainers, foundation)

    def remittance_rows(self, expected: list) -> None:
        """remittances.csv: one row per line of the month, in order, with the same figures."""
        table = self.v.remittances
        if not table:
            return
        rows, numbers = table.of(self.month)
        if len(rows) != len(expected):
            self.add(REMITTANCES, f"the rows of {self.month} are not one per line of {self.file}",
                     _count(len(expected), "row"), _count(len(rows), "row"))
            return
        found = [self.v.line_columns(row) for row in rows]
        if found != expected:
            for mine, theirs, number in zip(expected, found, numbers):
                if mine is None or mine == theirs:
                    continue
                for column, want, got in zip(LINE_COLUMNS, mine, theirs):
                    if want != got and want is not None and not (column == "flags" and sorted(want.split())
                                                                  == sorted(got.split())):
                        self.add(REMITTANCES, f"row {number}: {column} disagrees with line {mine[0]} of "
                                 f"{self.file}", want, got)
        _valued(table, rows, numbers, "remitted", self.v.findings)

    def people(self, accrued: dict[str, int]) -> dict[str, tuple[int, int, int]]:
        """Each maintainer's accrued (the sum of their parts) and balance (carried from the month before)."""
        file, add, balances = self.file, self.add, self.v.balances
        paid_to = set(map(itemgetter(0), self.payout_rows[0]))
        people: dict[str, tuple[int, int, int]] = {}
        for index, entry in enumerate(self.doc["maintainers"]):
            try:
                pid, flags = entry["id"], entry["flags"]
                figures = cents(entry["accrued"]), cents(entry["paid"]), cents(entry["balance"])
                if type(pid) is not str or type(flags) is not list:
                    raise TypeError
            except (KeyError, TypeError, ValueError):
                add(file, f"maintainers[{index}] is not a maintainer's figures", "id, flags and amounts with 2 "
                    "decimals", canonical(entry) if isinstance(entry, dict) else _kind(entry))
                continue
            if pid in people:
                add(file, f"maintainer {pid} is listed twice", "one entry", "two")
                continue
            people[pid] = figures
            got, paid, balance = figures
            if got != accrued.get(pid, 0):
                add(file, f"maintainer {pid}: accrued is not the sum of their maintainer parts",
                    money(accrued.get(pid, 0)), money(got))
            before = balances.get(pid, 0)
            if balance != before + got - paid:
                add(file, f"maintainer {pid}: the balance does not carry from the month before ({money(before)} "
                    f"+ {money(got)} accrued - {money(paid)} paid)", money(before + got - paid), money(balance))
            if ("advance" in flags) != (balance < 0):
                add(file, f"maintainer {pid}: the advance flag does not follow the balance",
                    "advance" if balance < 0 else "no advance flag", " ".join(map(str, flags)) or "no flags")
            if not (pid in accrued or pid in paid_to or before or balance):
                add(file, f"maintainer {pid} is listed without a line, a payout or a balance", "no entry", "one")
        for pid in sorted(set(accrued) | paid_to | {p for p, value in balances.items() if value}):
            if pid not in people:
                reason = ("is the maintainer on a line" if pid in accrued else "received a payout"
                          if pid in paid_to else f"had a balance of {money(balances[pid])}")
                add(file, f"maintainer {pid} is missing, but {reason}", "an entry for them", None)
        for pid, (_, _, balance) in people.items():
            balances[pid] = balance
        return people

    def totals(self, sums: tuple[int, int, int], people: dict) -> list[int]:
        totals, result = self.doc["totals"], []
        paid = sum(figures[1] for figures in people.values())
        for key, expected, what in zip(TOTALS, (*sums, paid), ("lines' values", "lines' maintainer parts",
                                                               "lines' Foundation parts", "maintainers' paid")):
            try:
                found = cents(totals.get(key))
            except ValueError:
                self.add(self.file, f"totals.{key} is not an amount", "a string with 2 decimals", totals.get(key))
                found = expected
            if found != expected:
                self.add(self.file, f"totals.{key} is not the sum of the {what}", money(expected), money(found))
            result.append(found)
        return result

    def paid_rows(self) -> tuple[list[tuple[str, str, str]], list[int], list]:
        """(to, date, paid) of each of the month's rows of payouts.csv, their numbers, and the rows."""
        table = self.v.payouts
        if not table:
            return [], [], []
        rows, numbers = table.of(self.month)
        return [self.v.payout_columns(row) for row in rows], numbers, rows

    def payouts(self, people: dict) -> None:
        """payouts.csv against the month: each person's paid, and the payouts the month file lists."""
        if not self.v.payouts:
            return
        found, numbers, rows = self.payout_rows
        paid: dict[str, int] = {}
        for (to, _, value), number in zip(found, numbers):
            try:
                paid[to] = paid.get(to, 0) + cents(value)
            except ValueError:
                self.add(PAYOUTS, f"row {number}: paid is not an amount", "a number with 2 decimals", value)
        for pid in sorted(set(paid) | {pid for pid, figures in people.items() if figures[1]}):
            figure, summed = people[pid][1] if pid in people else 0, paid.get(pid, 0)
            if summed != figure:
                self.add(self.file, f"maintainer {pid}: paid is not the sum of their rows in {PAYOUTS}", money(summed),
                         money(figure))
        listed = self.doc.get("payouts")
        if isinstance(listed, list):  # the contract does not require the month file to list its payouts
            expected = []
            for index, entry in enumerate(listed):
                if isinstance(entry, dict):
                    expected.append(tuple(entry.get(key) for key in PAYOUT_COLUMNS))
                else:
                    self.add(self.file, f"payouts[{index}] is not a payout", "an object with to, date and paid",
                             _kind(entry))
                    expected.append(None)
            if len(expected) != len(found):
                self.add(PAYOUTS, f"the rows of {self.month} are not one per payout of {self.file}",
                         _count(len(expected), "row"), _count(len(found), "row"))
            elif expected != found:
                for mine, theirs, number in zip(expected, found, numbers):
                    for column, want, got in zip(PAYOUT_COLUMNS, mine or (), theirs):
                        if want != got:
                            self.add(PAYOUTS, f"row {number}: {column} disagrees with the payout in {self.file}",
                                     want, got)
        _valued(self.v.payouts, rows, numbers, "paid", self.v.findings)


def _name(index: int, line: dict) -> str:
    adjusts = line.get("adjusts")
    return f"line {index + 1} ({line['id']}{', adjusting ' + str(adjusts) if adjusts else ''})"


# Sums over months: summary.json and the year files.

class Sums:
    """The figures of a span of months, summed from the month files as they were checked."""

    def __init__(self):
        self.months: list[str] = []
        self.totals = [0, 0, 0, 0]
        self.sponsors: dict[str, int] = {}
        self.connectors: dict[str, list[int]] = {}
        self.people: dict[str, list[int]] = {}  # accrued, paid, and the balance after the last month

    def add(self, month: str, totals: list[int], sponsors: dict, people: dict) -> None:
        """Add a month's figures (its lines add themselves to `connectors` as they are checked)."""
        self.months.append(month)
        self._merge(totals, sponsors, people)

    def extend(self, later: Sums) -> None:
        """Add the figures of months after these (not their connectors: only a year file lists connectors)."""
        self.months += later.months
        self._merge(later.totals, later.sponsors, later.people)

    def _merge(self, totals, sponsors: dict, people: dict) -> None:
        self.totals = [mine + theirs for mine, theirs in zip(self.totals, totals)]
        for sid, value in sponsors.items():
            self.sponsors[sid] = self.sponsors.get(sid, 0) + value
        for pid, (accrued, paid, balance) in people.items():
            mine = self.people.get(pid)
            if mine is None:
                self.people[pid] = [accrued, paid, balance]
            else:
                mine[0] += accrued
                mine[1] += paid
                mine[2] = balance


def compare_entries(file: str, kind: str, found, expected: dict[str, dict], findings: Findings,
                    sums: str = "the sum of the months") -> None:
    """A list of entries with ids against the expected {id: {field: value}}: missing, extra, different."""
    if not isinstance(found, list):
        findings.add(file, f"{kind}s is not a list", "a list of entries", _kind(found))
        return
    seen = set()
    for index, entry in enumerate(found):
        eid = _id(entry)
        if eid is None:
            findings.add(file, f"{kind}s[{index}] has no id", "an object with an id", _kind(entry))
            continue
        if eid in seen:
            findings.add(file, f"{kind} {eid} is listed twice", "one entry", "two")
        elif eid not in expected:
            findings.add(file, f"{kind} {eid} has no figures in the months", "no entry", "one")
        else:
            for field, value in expected[eid].items():
                if entry.get(field) != value:
                    what = "the balance after their last month" if field == "balance" else sums
                    findings.add(file, f"{kind} {eid}: {field} is not {what}", value, entry.get(field))
        seen.add(eid)
    for eid in expected:
        if eid not in seen:
            findings.add(file, f"{kind} {eid} is missing", "an entry with its figures", None)


def check_sums(file: str, document: dict, sums: Sums, findings: Findings, connectors: bool) -> None:
    """A summary or a year file: its totals, sponsors, maintainers (and connectors) against the months."""
    if "totals" in document or connectors:
        totals = document.get("totals") if isinstance(document.get("totals"), dict) else {}
        for key, value in zip(TOTALS, sums.totals):
            if totals.get(key) != money(value):
                findings.add(file, f"totals.{key} is not the sum of the months", money(value), totals.get(key))
    compare_entries(file, "sponsor", document.get("sponsors"),
                    {sid: {"remitted": money(value)} for sid, value in sums.sponsors.items()}, findings)
    if connectors:
        compare_entries(file, "connector", document.get("connectors"),
                        {cid: dict(zip(TOTALS, map(money, parts))) for cid, parts in sums.connectors.items()}, findings)
    compare_entries(file, "maintainer", document.get("maintainers"),
                    {pid: dict(zip(("accrued", "paid", "balance"), map(money, figures)))
                     for pid, figures in sums.people.items()}, findings)
    listed = document.get("maintainers")
    for entry in listed if isinstance(listed, list) else ():
        if _id(entry) in sums.people and isinstance(entry.get("flags"), list):
            advance = sums.people[entry["id"]][2] < 0
            if ("advance" in entry["flags"]) != advance:
                findings.add(file, f"maintainer {entry['id']}: the advance flag does not follow the balance",
                             "advance" if advance else "no advance flag", " ".join(map(str, entry["flags"])) or "none")


def waiting(months: list[tuple[str, date | None, dict]], payouts: list[tuple[date, str, int, str, int]],
            people: dict) -> tuple[dict, dict]:
    """owed_since and days_to_pay per person, and days_to_pay over everyone, as the contract defines them.

    `months`: (month, published date, {person: accrued}) in month order; `payouts`: (date, month, position
    in the month, person, paid); `people`: {person: [accrued, paid, balance]} over all months."""
    ordered: dict[str, list] = {}
    for when, _, _, person, paid in sorted(payouts):  # by date, then month, then position in the month
        ordered.setdefault(person, []).append((when, paid))
    result, everyone = {}, []
    for person, (_, total_paid, balance) in people.items():
        running, dates, total = [], [], 0
        for when, paid in ordered.get(person, ()):
            total += paid
            running.append(total)
            dates.append(when)
        so_far, owed_since, days = 0, None, []
        for month, published, accrued in months:
            so_far += accrued.get(person, 0)
            if owed_since is None and balance > 0 and so_far > total_paid:
                owed_since = month
            if accrued.get(person, 0) > 0 and published is not None:
                index = bisect_left(running, so_far)  # the first payout after which the total paid covers it
                if index < len(running):
                    days.append(max(0, (dates[index] - published).days))
        result[person] = {"owed_since": owed_since, "days_to_pay": _days(days)}
        everyone += days
    return result, _days(everyone)


def _days(days: list[int]) -> dict:
    days = sorted(days)
    return {"months": len(days), "median": days[(len(days) - 1) // 2] if days else None,
            "max": days[-1] if days else None}


# The whole check.

class Verifier:
    """Checks one site: run() reads its files, checks them, and returns the findings."""

    def __init__(self, source, kept: list[tuple[str, str]] | None = None):
        self.source, self.kept = source, kept
        self.findings = Findings()
        self.record: list[dict] = []
        self.published: dict[str, dict] = {}  # the manifest's entries by month
        self.months: list[str] = []  # the months checked: the manifest's (the summary's when it is unreadable)
        self.currency: str | None = None
        self.connectors: dict = {}
        self.balances: dict[str, int] = {}  # each person's balance after the month last checked
        self.added = 0

    def document(self, path: str, files: dict):
        """A file's JSON document and whether it is plain (no backslash); None when missing, unreadable or not JSON."""
        data = files.get(path)
        if isinstance(data, Unreadable):
            self.findings.unreadable.append(_printable(str(data)))
        elif data is None:
            self.findings.add(path, "is missing", "the file, published with the site", "nothing")
        else:
            try:
                return json.loads(data), b"\\" not in data
            except (ValueError, RecursionError) as exc:
                self.findings.add(path, "is not valid JSON", "a complete JSON document", f"{type(exc).__name__}: {exc}")
        return None, False

    def table(self, path: str, files: dict, columns: tuple) -> Table:
        """A CSV file as a Table; an empty one (reported) when it is missing or unreadable."""
        data = files.get(path)
        if isinstance(data, Unreadable) or data is None:
            self.document(path, files)  # reports it
            data = b""
        return Table(path, data, columns, self.findings)

    def earlier(self, month: str) -> set[str]:
        return {other for other in self.months if other < month}

    def run(self) -> Findings:
        findings = self.findings
        data = self.source.read(MANIFEST)
        if data is None:
            raise Unreadable(f"{MANIFEST}: not found; expected a site published with its manifest")
        manifest, _ = self.document(MANIFEST, {MANIFEST: data})
        if manifest is not None:
            self.currency, self.record = read_record(manifest, findings)
        self.published = {entry["month"]: entry for entry in self.record}
        early = self.source.read_all([SUMMARY, AGREEMENTS])
        summary, _ = self.document(SUMMARY, early)
        agreements, _ = self.document(AGREEMENTS, early)
        months = self.months = list(self.published)
        if manifest is None and isinstance(summary, dict) and isinstance(summary.get("months"), list):
            months = self.months = [month for month in summary["months"] if _is_month(month)]
        years = sorted({month[:4] for month in months})
        files = self.source.read_all([f"data/reports/{month}.json" for month in months]
                                     + [f"data/years/{year}.json" for year in years] + [REMITTANCES, PAYOUTS])
        if agreements is not None:
            currency, self.connectors = read_agreements(agreements, findings)
            if currency != (self.currency or currency):
                findings.add(AGREEMENTS, "foundation.currency is not the manifest's", self.currency, currency)
            self.currency = self.currency or currency
        self.remittances = self.table(REMITTANCES, files, LINE_COLUMNS)
        self.payouts = self.table(PAYOUTS, files, PAYOUT_COLUMNS)
        # A table without its columns (None here) has no rows to read.
        self.line_columns = itemgetter(*map(self.remittances.at.get, LINE_COLUMNS))
        self.payout_columns = itemgetter(*map(self.payouts.at.get, PAYOUT_COLUMNS))
        by_year: dict[str, Sums] = {}
        accruals: list[tuple[str, date | None, dict]] = []
        for month in months:
            document, plain = self.document(f"data/reports/{month}.json", files)
            year = by_year.setdefault(month[:4], Sums())
            checked = MonthCheck(self, month, document, plain, year.connectors).run() if document is not None else None
            if checked is None:
                continue
            year.add(month, *checked)
            entry = self.published.get(month)
            accruals.append((month, _day(entry["published"]) if entry else None,
                             {pid: figures[0] for pid, figures in checked[2].items()}))
        for table in (self.remittances, self.payouts):
            for month in sorted(set(table.spans) - set(months)):
                findings.add(table.file, f"has rows for {month}, which is not a published month",
                             "rows of the manifest's months only", _count(sum(map(len, table.spans[month])), "row"))
        total = Sums()
        for year in sorted(by_year):
            total.extend(by_year[year])
        if summary is not None:
            self.check_summary(summary, months, total, accruals)
        self.check_years(files, years, by_year)
        if self.kept is not None and self.record:
            self.added = compare_with_kept(self.kept, self.record, findings)
        return findings

    def check_summary(self, summary, months: list[str], total: Sums, accruals: list) -> None:
        findings = self.findings
        if not isinstance(summary, dict):
            findings.add(SUMMARY, "is not a summary", "an object", _kind(summary))
            return
        if summary.get("currency") != self.currency:
            findings.add(SUMMARY, "currency is not the manifest's", self.currency, summary.get("currency"))
        if summary.get("months") != months:
            findings.add(SUMMARY, "months are not the manifest's", _months(months), _months(summary.get("months")))
        check_sums(SUMMARY, summary, total, findings, connectors=False)
        listed = summary.get("maintainers")
        entries = [e for e in listed if _id(e) in total.people] if isinstance(listed, list) else []
        if not any("owed_since" in e or "days_to_pay" in e for e in entries) and "days_to_pay" not in summary:
            return  # a site published before version 1.1 added the waiting figures
        expected, overall = waiting(accruals, self.payout_dates(), total.people)
        for entry in entries:
            for key, value in expected[entry["id"]].items():
                if entry.get(key) != value:
                    findings.add(SUMMARY, f"maintainer {entry['id']}: {key} does not follow from the months and "
                                 "payouts", value, entry.get(key))
        if summary.get("days_to_pay") != overall:
            findings.add(SUMMARY, "days_to_pay does not follow from the months and payouts", overall,
                         summary.get("days_to_pay"))

    def payout_dates(self) -> list[tuple[date, str, int, str, int]]:
        """(date, month, position in the month, person, paid) of every payout of payouts.csv."""
        result = []
        for month in self.months:
            rows, numbers = self.payouts.of(month)
            for position, (row, number) in enumerate(zip(rows, numbers)):
                to, when, paid = self.payout_columns(row)
                try:
                    paid = cents(paid)
                except ValueError:
                    continue  # reported with the month
                if _day(when) is None:
                    self.findings.add(PAYOUTS, f"row {number}: date is not a date", "YYYY-MM-DD", when)
                else:
                    result.append((_day(when), month, position, to, paid))
        return result

    def check_years(self, files: dict, years: list[str], by_year: dict[str, Sums]) -> None:
        if all(files.get(f"data/years/{year}.json") is None for year in years):
            return  # a site published before version 1.1 added the year files
        for year in years:
            file = f"data/years/{year}.json"
            document, _ = self.document(file, files)
            if document is None:
                continue
            if not isinstance(document, dict):
                self.findings.add(file, "is not a year's figures", "an object", _kind(document))
                continue
            sums = by_year.get(year, Sums())
            for key, value in (("year", year), ("currency", self.currency)):
                if document.get(key) != value:
                    self.findings.add(file, f"{key} is not the months'", value, document.get(key))
            if document.get("months") != sums.months:
                self.findings.add(file, "months are not the year's published months", _months(sums.months),
                                  _months(document.get("months")))
            check_sums(file, document, sums, self.findings, connectors=True)


# The command line.

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="TARGET", help="the site's folder (e.g. site) or its http(s) address")
    parser.add_argument("--since", metavar="MANIFEST",
                        help="a copy of data/manifest.json (or of the Atom feed reports/feed.xml) kept from earlier: "
                             "refuse any month it lists that changed or vanished")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, metavar="SECONDS",
                        help=f"give up on a response after this long (default: {TIMEOUT:g})")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N",
                        help=f"refuse a response larger than this (default: {MAX_BYTES})")


def source_of(target: str, timeout: float = TIMEOUT, limit: int = MAX_BYTES):
    """The folder or the web site that TARGET names."""
    if urllib.parse.urlsplit(target).scheme.lower() in ("http", "https"):
        return Web(target, timeout, limit)
    if "://" in target:
        raise Unreadable(f"{target}: not a folder or an http(s) address")
    return Folder(target)


def run(args: argparse.Namespace) -> int:
    """Check TARGET; print each discrepancy; 0 when everything holds, 1 on a discrepancy, 2 when unreadable."""
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of rows and entries, no cycles: the collector would only rescan them
    try:
        kept = kept_record(args.since) if args.since else None
        verifier = Verifier(source_of(args.target, args.timeout, args.max_bytes), kept)
        findings = verifier.run()
    except Unreadable as exc:
        print(_printable(str(exc)), file=sys.stderr)
        print(f"error: cannot read {args.target}; nothing was verified", file=sys.stderr)
        return 2
    finally:
        if collecting:
            gc.enable()
    for problem in findings.problems + findings.unreadable:
        print(problem, file=sys.stderr)
    if findings.unreadable:
        print(f"error: {len(findings.unreadable)} file(s) of {args.target} cannot be read; the check is incomplete",
              file=sys.stderr)
        return 2
    if findings.problems:
        count = len(findings.problems)
        print(f"{count} discrepanc{'y' if count == 1 else 'ies'}: {args.target} does not hold together",
              file=sys.stderr)
        return 1
    record = verifier.record
    latest = f"; the latest, {record[-1]['month']}, has chain {record[-1]['chain']}" if record else ""
    since = f"; the {len(kept)} months of {args.since} are unchanged, {verifier.added} added since" if kept else ""
    print(f"ok: {len(record)} published month{'' if len(record) == 1 else 's'} verified{latest}{since}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
