#!/usr/bin/env python3
"""Check a published transparency site from its published files alone (data contract 1.2).

    python3 verify.py TARGET [--since KEPT] [--rpc URL ... [--chain ID]]

TARGET is the site's folder or its http(s) address. The check reads data/manifest.json (the record),
data/agreements.json, every month file data/reports/YYYY-MM.json, data/summary.json, every year
file data/years/YYYY.json, the CSV files remittances.csv, payouts.csv, months.csv,
people/ID.csv and sponsors/ID.csv, and, where the site publishes them, the tables of the agreements
(people.csv, sponsors.csv, connectors.csv, terms.csv, chains.csv, tokens.csv and accounts.csv);
nothing else. It recomputes every month's figures_sha256
and the chain; every line's value from its amount and the month's rate, its split from the terms
in force, its flags; the totals, the sponsors' sums, the balances carried from month to month and
every payout; every row and column of the CSV files against the month files; summary.json, the
year files and the waiting figures against the months; the terms of agreements.json, and the
tables of the agreements against it. With
--since, a copy of the manifest (or of the Atom feed) kept from earlier: every month it lists must
still be published, in the same place, with the same record. With --rpc, an Ethereum JSON-RPC
endpoint of the reader's choosing (given more than once, every endpoint must answer alike): every
payout and remittance that names a transaction (tx) must be borne out by its receipt, status 1 and a
Transfer of the token, for exactly its amount, from the Foundation's accounts to the address paid (a
remittance: to the Foundation's accounts), in a block of the payout's date (UTC).

Every discrepancy is printed as `FILE: what is wrong; expected X, found Y`, all in one run.
Exit status: 0 when everything holds, 1 on any discrepancy, 2 when something cannot be read (TARGET
unreachable; a file too large, too slow, or not a regular file) or on wrong usage. Nothing is read
without bound: a folder gives only regular files inside it (no link leading out of it, no FIFO or
device), at most --max-bytes per file and --max-total in all; over HTTP only TARGET's own origin is
read, and each request ends within --timeout seconds from connecting to its last byte.

One file, Python's standard library only, Python 3.7 or later: `python3 -I -S verify.py TARGET`.
Its sections, in order:

 1. The record: the canonical form, figures_sha256 and the chain (the build writes its manifest
    with these very functions).
 2. Reading TARGET within bounds: a folder or a web site.
 3. Strict documents: JSON and CSV as the site writes them, and the shape of every file.
 4. Findings: each discrepancy in words for a reader, and the checks a broken file prevented.
 5. Money: amounts, shares and the contract's rounding.
 6. The agreements: connectors and the terms in force.
 7. A month file: its record, lines, sponsors, balances and payouts.
 8. The CSV files against the month files, and the agreements' tables against agreements.json.
 9. Sums over months: summary.json, the year files, the waiting figures.
10. The kept record (--since).
11. On chain (--rpc): receipts and blocks in JSON-RPC batches, each transfer matched to one line.
12. The whole check, and the command line.
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
import socket
import stat
import sys
import threading
import urllib.parse
from bisect import bisect_left
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Context, Decimal

CONTRACT = "1.2"  # the version of the data contract this file checks
GENESIS = "0" * 64  # the PREVIOUS of the first published month
RECORD_NS = "urn:x-transparency:record"  # the namespace of the Atom feed's elements carrying the record
ATOM_NS = "http://www.w3.org/2005/Atom"
RECORD_FIELDS = ("month", "published", "source_sha256", "figures_sha256", "chain")
EARLIER_RULE_FIELDS = ("month", "published", "source_sha256")  # what no change of the rule touches
TOTALS = ("remitted", "maintainers", "foundation", "paid")
MANIFEST, AGREEMENTS, SUMMARY = "data/manifest.json", "data/agreements.json", "data/summary.json"
REMITTANCES, PAYOUTS, MONTHS = "data/remittances.csv", "data/payouts.csv", "data/months.csv"
REMITTANCE_COLUMNS = ("month", "status", "kind", "connector", "sponsor", "maintainer", "amount", "currency",
                      "rate", "remitted", "maintainer_share", "maintainers", "foundation", "flags", "adjusts",
                      "user_fees", "volume", "reference", "reason", "tx", "chain")
PAYOUT_COLUMNS = ("month", "status", "to", "date", "amount", "currency", "rate", "paid", "reference", "tx", "chain",
                  "address")
MONTH_COLUMNS = ("month", "status", "published", "remitted", "maintainers", "foundation", "paid")
STATEMENT_COLUMNS = ("month", "status", "kind", "date", "connector", "adjusts", "remitted", "maintainer_share",
                     "accrued", "amount", "currency", "rate", "paid", "balance", "reference", "reason")
FLAGS = ("fee_mismatch", "outside_range", "advance", "adjustment")
MAX_BYTES = 32 * 1024 * 1024  # of one file
MAX_TOTAL = 512 * 1024 * 1024  # of all the files of a run
MAX_KEPT = 16 * 1024 * 1024  # of the --since file
TIMEOUT = 30.0  # seconds, for one request from connecting to its last byte
REDIRECTS = 5
MAX_DEPTH = 1000  # the recursion limit while JSON is parsed: far deeper than any document of a site
SHOWN = 5  # findings of one kind printed for a file; the rest are counted

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
HEX = re.compile(r"[0-9a-f]{64}\Z")
ADDRESS = re.compile(r"0x[0-9a-f]{40}\Z")  # as published: lower case
TX = re.compile(r"0x[0-9a-f]{64}\Z")
ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
CURRENCY = re.compile(r"[A-Z0-9]{2,10}\Z")
AMOUNT = re.compile(r"(?!-0\.00\Z)-?(0|[1-9][0-9]*)\.[0-9]{2}\Z")
DECIMAL = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,40})?\Z")
SHARE = re.compile(r"([0-9]{1,3})(?:\.([0-9]{1,20}))?%\Z")
FEE_SHARE = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,20})?)(?: ?- ?([0-9]{1,3}(?:\.[0-9]{1,20})?))?%\Z")
MONTHLY_FEE = re.compile(r"(?:\$([0-9]{1,30}(?:\.[0-9]{1,40})?)|([0-9]{1,30}(?:\.[0-9]{1,40})?) ([A-Z0-9]{2,10}))\Z")
SURROGATE = re.compile("[\ud800-\udfff]")
EXACT = Context(prec=200, rounding=ROUND_HALF_UP)
CENT = Decimal("0.01")


# 1. The record: a month's figures in canonical form, and the hash chain. The build computes the
# manifest with these very functions.

RECORD_LEFT_OUT = ("status", "source")  # the keys of a month file that figures_sha256 does not cover


def canonical(value) -> str:
    """The contract's canonical form of a JSON value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


# 2. Reading TARGET within bounds: a folder, or a site's origin over HTTP. What cannot be read
# raises Unreadable, which ends the run with exit status 2; a file that is not there is None.

class Unreadable(Exception):
    """Something could not be read: the check cannot be made."""


class KeptUnreadable(Unreadable):
    """The kept record (--since) could not be read."""


class Budget:
    """The bytes all the files of a run may take together (--max-total)."""

    def __init__(self, total: int):
        self.total, self.left, self.lock = total, total, threading.Lock()

    def spend(self, path: str, size: int) -> None:
        with self.lock:
            self.left -= size
            if self.left < 0:
                raise Unreadable(f"{path}: the files read come to more than {self.total} bytes in all; expected at "
                                 "most that (--max-total)")


def _too_large(path: str, limit: int) -> Unreadable:
    return Unreadable(f"{path}: larger than {limit} bytes; expected at most that for one file (--max-bytes)")


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


class Folder:
    """A site folder: regular files inside it only, each read up to the limit."""

    def __init__(self, target: str, limit: int = MAX_BYTES, budget: Budget | None = None):
        if not os.path.isdir(target):
            raise Unreadable(f"{target}: not a folder; expected a site folder or an http(s) address")
        self.target, self.root, self.limit = target, os.path.realpath(target), limit
        self.budget = budget or Budget(MAX_TOTAL)

    def read(self, path: str) -> bytes | None:
        """The bytes of a file of the site, None when it does not exist."""
        real = os.path.realpath(os.path.join(self.root, *path.split("/")))
        try:
            inside = os.path.commonpath([real, self.root]) == self.root
        except ValueError:  # another drive
            inside = False
        if not inside:
            raise Unreadable(f"{path}: a link that leads out of the site, to {real}; expected a regular file "
                             f"inside {self.target}")
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
            descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise Unreadable(f"{path}: cannot be opened: {exc.strerror or exc}") from None
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > self.limit:
            os.close(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable(f"{path}: is {_file_kind(info.st_mode)}; expected a regular file")
            raise _too_large(path, self.limit)
        with open(descriptor, "rb", buffering=0) as handle:
            chunks, size = [], 0
            while True:
                chunk = handle.read(min(1 << 20, self.limit + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > self.limit:
                    raise _too_large(path, self.limit)
                chunks.append(chunk)
        self.budget.spend(path, size)
        return b"".join(chunks)

    def read_all(self, paths: list) -> dict:
        return {path: self.read(path) for path in paths}


def origin(url: str) -> tuple:
    """(scheme, host, port) of an http(s) URL; ValueError when it is not one."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(url)
    return scheme, parts.hostname.lower(), parts.port or {"http": 80, "https": 443}[scheme]


class Web:
    """A site over HTTP(S): files of its own origin only, each request within a deadline and the limit."""

    def __init__(self, address: str, timeout: float = TIMEOUT, limit: int = MAX_BYTES, budget: Budget | None = None):
        try:
            parts = urllib.parse.urlsplit(address)
            self.origin = origin(address)
        except ValueError:
            raise Unreadable(f"{address}: not a site address; expected http(s)://HOST/PATH/") from None
        if parts.query or parts.fragment or parts.username or parts.password:
            raise Unreadable(f"{address}: not a site address; expected http(s)://HOST/PATH/ without a query, a "
                             "fragment or a password")
        self.base = address if address.endswith("/") else address + "/"
        self.timeout, self.limit, self.budget = timeout, limit, budget or Budget(MAX_TOTAL)

    def read(self, path: str) -> bytes | None:
        data = fetch(urllib.parse.urljoin(self.base, path), self.timeout, self.limit, self.origin, path)
        if data is not None:
            self.budget.spend(path, len(data))
        return data

    def read_all(self, paths: list) -> dict:
        if not paths:
            return {}
        from concurrent.futures import ThreadPoolExecutor  # here: a folder, the usual target, needs no threads
        with ThreadPoolExecutor(max_workers=min(8, len(paths))) as pool:
            return dict(zip(paths, pool.map(self.read, paths)))


def fetch(url: str, timeout: float, limit: int, site: tuple, name: str, body: bytes | None = None,
          headers: dict | None = None) -> bytes | None:
    """The body of a GET (or, with `body`, a POST) of `url`, None on 404 or 410; Unreadable otherwise.

    The request runs in a thread of its own; when `timeout` seconds have passed, its connection is
    shut, however slowly the server was sending, and the request is given up."""
    box: dict = {}
    done = threading.Event()
    connections: list = []

    def work():
        try:
            box["data"] = _request(url, timeout, limit, site, name, body, headers or {}, connections)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    if not done.wait(timeout):
        for connection in connections:
            _shut(connection)
        raise Unreadable(f"{name}: no complete answer from {url} within {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return box["data"]


def _shut(connection) -> None:
    try:
        if connection.sock is not None:
            connection.sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        connection.close()
    except Exception:  # closing what another thread is reading: nothing to report
        pass


def _request(url: str, timeout: float, limit: int, site: tuple, name: str, body, headers: dict,
             connections: list) -> bytes | None:
    import http.client  # here, with ssl: a folder, the usual target, needs neither
    import ssl
    first = url
    for _ in range(REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
        options = {"context": ssl.create_default_context()} if kind is http.client.HTTPSConnection else {}
        connection = kind(parts.hostname, parts.port, timeout=timeout, **options)
        connections.append(connection)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST" if body is not None else "GET", target, body=body,
                               headers={"User-Agent": f"transparency-verify/{CONTRACT}", "Accept-Encoding": "identity",
                                        **headers})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and body is None:
                location = response.getheader("Location") or ""
                url = urllib.parse.urljoin(url, location)
                try:
                    same = origin(url) == site
                except ValueError:
                    same = False
                if not same:
                    raise Unreadable(f"{name}: redirected to {url}, another origin; expected every file from "
                                     f"{site[0]}://{site[1]}:{site[2]}")
                continue
            if response.status in (404, 410) and body is None:
                return None
            if response.status != 200:
                raise Unreadable(f"{name}: HTTP {response.status} {response.reason} from {url}")
            length = response.getheader("Content-Length") or ""
            if length.isdigit() and int(length) > limit:
                raise _too_large(name, limit)
            chunks, size = [], 0
            while True:
                chunk = response.read(65536)
                if not chunk:
                    if length.isdigit() and size != int(length):
                        raise http.client.IncompleteRead(b"")
                    return b"".join(chunks)
                size += len(chunk)
                if size > limit:
                    raise _too_large(name, limit)
                chunks.append(chunk)
        except Unreadable:
            raise
        except http.client.IncompleteRead:
            raise Unreadable(f"{name}: the answer from {url} ended before its end") from None
        except socket.timeout:  # the socket's own timeout can fire a moment before the watchdog
            raise Unreadable(f"{name}: no complete answer from {url} within {timeout:g} s (--timeout)") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise Unreadable(f"{name}: cannot be fetched from {url}: {reason}") from None
        finally:
            connection.close()
    raise Unreadable(f"{name}: more than {REDIRECTS} redirects from {first}")


# 3. Strict documents. JSON as the site writes it: UTF-8, no duplicated key, no number with a
# fraction or an exponent (amounts are strings), no NaN, not nested or bracketed without bound. CSV
# with exactly the columns the site publishes. Then the shape each file must have.

class Malformed(Exception):
    """A document that is not what the site publishes; the message says what, for a reader."""


def _decoded(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed(f"is not UTF-8 text (byte {exc.start + 1} cannot be read)") from None
    if text.startswith("\ufeff"):
        raise Malformed("begins with a byte order mark; expected text as the site writes it")
    return text


def _object(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise Malformed(f"has the key {_show(key)} twice in one object; expected each key once")
            seen.add(key)
    return result


def _integer(text: str) -> int:
    if len(text) > 18:
        raise Malformed(f"holds a number of {len(text)} digits; expected counts of days and months")
    return int(text)


def _fraction(text: str):
    raise Malformed(f"holds the number {_show(text[:40])}; expected amounts as strings, like \"12.50\"")


def _constant(text: str):
    raise Malformed(f"holds {text}, which is not a number; expected amounts as strings, like \"12.50\"")


def parse_json(data: bytes):
    """A JSON document as the site writes it; Malformed otherwise."""
    text = _decoded(data)
    brackets = text.count("{") + text.count("[")
    if brackets > len(text) // 8 + 64:
        raise Malformed(f"holds {brackets} objects and lists in {len(text)} characters; expected the data of a "
                        "site, not a flood of brackets")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(min(limit, MAX_DEPTH))  # whoever raised it, nesting stops here, far from the C stack's end
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_float=_fraction,
                           parse_constant=_constant)
    except RecursionError:
        raise Malformed("is nested too deeply; expected the data of a site") from None
    except json.JSONDecodeError as exc:
        raise Malformed(f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    finally:
        sys.setrecursionlimit(limit)
    if "\\u" in text:  # only an escape can make a lone surrogate, which is not text
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if SURROGATE.search(item):
                    raise Malformed("holds a lone surrogate (a \\ud800 to \\udfff escape alone), which is not text")
            elif isinstance(item, dict):
                stack.extend(item)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return value


def parse_csv(data: bytes, columns: tuple) -> list:
    """The rows of a CSV file with exactly these columns, under its header; Malformed otherwise."""
    text = _decoded(data)
    if "\x00" in text:
        raise Malformed("holds a NUL character; expected text")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        rows = list(reader)
    except csv.Error as exc:
        raise Malformed(f"is not CSV as the site writes it: {exc} (line {reader.line_num})") from None
    if header is None:
        raise Malformed(f"is empty; expected the header {','.join(columns)}")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise Malformed(f"has the column{'s' if len(twice) > 1 else ''} {', '.join(map(_show, twice))} twice; "
                        "expected each column once")
    if tuple(header) != columns:
        raise Malformed(f"has the columns {_show(','.join(header))}; expected {','.join(columns)}")
    width = len(columns)
    for number, row in enumerate(rows, 2):
        if len(row) != width:
            raise Malformed(f"row {number} has {_count(len(row), 'cell')}; expected {width}")
    return rows


class Kind:
    """A kind of JSON value: a test, and what a reader is told a value should have been."""

    __slots__ = ("test", "expected")

    def __init__(self, test, expected: str):
        self.test, self.expected = test, expected


class Obj:
    """An object with these fields (a kind or a shape each), all required but `optional`, and no other (unless
    `others`: then other fields are allowed, and not read)."""

    __slots__ = ("fields", "required", "keys")

    def __init__(self, fields: dict, optional: tuple = (), others: bool = False):
        self.fields, self.keys = fields, None if others else set(fields)
        self.required = tuple(key for key in fields if key not in optional)


class Lst:
    __slots__ = ("item",)

    def __init__(self, item):
        self.item = item


class Map:
    """An object whose keys are of one kind and values of another (the rates)."""

    __slots__ = ("key", "value")

    def __init__(self, key: Kind, value):
        self.key, self.value = key, value


class Choice:
    """One of two object shapes, by whether the object has a key (a month file's remittances and adjustments)."""

    __slots__ = ("key", "with_key", "without")

    def __init__(self, key: str, with_key: Obj, without: Obj):
        self.key, self.with_key, self.without = key, with_key, without


def shape_error(value, shape, where: str):
    """(where, expected, found) of the first place `value` is not of `shape`, None when it is."""
    if type(shape) is Kind:
        return None if shape.test(value) else (where, shape.expected, value)
    if type(shape) is Choice:
        if type(value) is not dict:
            return where, "an object", value
        shape = shape.with_key if shape.key in value else shape.without
    if type(shape) is Obj:
        if type(value) is not dict:
            return where, "an object", value
        if value.keys() != shape.keys:
            for key in shape.required:
                if key not in value:
                    return where, f"an object with {key}", _Missing(key)
            for key in value if shape.keys is not None else ():
                if key not in shape.keys:
                    return f"{where}.{key}", f"no such field: only {', '.join(shape.fields)}", value[key]
        for key, inner in shape.fields.items():
            if key in value:
                problem = shape_error(value[key], inner, f"{where}.{key}")
                if problem is not None:
                    return problem
        return None
    if type(shape) is Lst:
        if type(value) is not list:
            return where, "a list", value
        item = shape.item
        if type(item) is Kind:
            test = item.test
            for index, element in enumerate(value):
                if not test(element):
                    return f"{where}[{index}]", item.expected, element
            return None
        for index, element in enumerate(value):
            problem = shape_error(element, item, f"{where}[{index}]")
            if problem is not None:
                return problem
        return None
    if type(value) is not dict:  # Map
        return where, "an object", value
    for key, element in value.items():
        if not shape.key.test(key):
            return f"{where} key {_show(key)}", shape.key.expected, key
        problem = shape_error(element, shape.value, f"{where}.{key}")
        if problem is not None:
            return problem
    return None


def fits(shape):
    """A fast test of whether a value is of `shape`, made once per shape; shape_error() then says where it is not."""
    test = _FITS.get(id(shape))
    if test is None:
        test = _FITS[id(shape)] = _fits(shape)
    return test


_FITS: dict = {}


def _fits(shape):
    if type(shape) is Kind:
        return shape.test
    if type(shape) is Lst:
        item = _fits(shape.item)
        return lambda value: type(value) is list and all(map(item, value))
    if type(shape) is Map:
        key, inner = shape.key.test, _fits(shape.value)
        return lambda value: type(value) is dict and all(map(key, value)) and all(map(inner, value.values()))
    if type(shape) is Choice:
        name, with_key, without = shape.key, _fits(shape.with_key), _fits(shape.without)
        return lambda value: type(value) is dict and (with_key if name in value else without)(value)
    fields = [(key, _fits(inner)) for key, inner in shape.fields.items()]
    keys, required = shape.keys, set(shape.required)
    if keys is not None and required == keys:
        def exact(value) -> bool:
            if type(value) is not dict or value.keys() != keys:
                return False
            for key, inner in fields:
                if not inner(value[key]):
                    return False
            return True
        return exact

    needed = [(key, inner) for key, inner in fields if key in required]

    def loose(value) -> bool:
        if type(value) is not dict:
            return False
        if value.keys() == required:  # the optional fields left out, as they mostly are
            for key, inner in needed:
                if not inner(value[key]):
                    return False
            return True
        if not required <= value.keys() or (keys is not None and not value.keys() <= keys):
            return False
        for key, inner in fields:
            if key in value and not inner(value[key]):
                return False
        return True
    return loose


class _Missing:
    """A field that is not there, as a finding shows it."""

    def __init__(self, key: str):
        self.key = key


def _matching(pattern):
    match = pattern.match
    return lambda value: type(value) is str and match(value) is not None


def _positive(value) -> bool:
    # A DECIMAL without a sign is greater than 0 when any of its digits is not 0.
    return type(value) is str and DECIMAL.match(value) is not None and value[0] != "-" and value.strip("0.") != ""


def _share_text(value) -> bool:
    return type(value) is str and _share(value) is not None


def nullable(kind: Kind) -> Kind:
    test = kind.test
    return Kind(lambda value: value is None or test(value), f"{kind.expected}, or null")


def one_of(*values) -> Kind:
    return Kind(lambda value: type(value) is str and value in values, " or ".join(values))


K_AMOUNT = Kind(_matching(AMOUNT), 'an amount as a string with 2 decimals, like "12.50"')
K_ID = Kind(_matching(ID), "an id: lowercase letters, digits and '-'")
K_MONTH = Kind(_matching(MONTH), "a month as YYYY-MM")
K_DAY = Kind(lambda value: _day(value) is not None, "a date as YYYY-MM-DD")
K_SHA = Kind(_matching(HEX), "a SHA-256 as 64 lowercase hex digits")
K_CURRENCY = Kind(_matching(CURRENCY), "a currency code of 2 to 10 capitals or digits")
K_DECIMAL = Kind(_matching(DECIMAL), 'a number as a string, like "1520.40"')
K_POSITIVE = Kind(_positive, 'a number greater than 0 as a string, like "1520.40"')
K_SHARE = Kind(_share_text, "a percentage from 0% to 100%, like 50%")
K_TEXT = Kind(lambda value: type(value) is str, "text")
K_COUNT = Kind(lambda value: type(value) is int and value >= 0, "a whole number, 0 or more")
K_FLAG = one_of(*FLAGS)
K_ADDRESS = Kind(_matching(ADDRESS), "an address: 0x and 40 lowercase hex digits")
K_TX = Kind(_matching(TX), "a transaction hash: 0x and 64 lowercase hex digits")
K_DECIMALS = Kind(lambda value: type(value) is int and 0 <= value <= 36, "a number of decimals from 0 to 36")
K_LICENSE = Kind(_matching(re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]{0,63}\Z")), "an SPDX licence identifier")
K_YEAR = Kind(lambda value: type(value) is str and re.match(r"[0-9]{4}\Z", value) is not None, "a year as YYYY")

TOTALS_SHAPE = Obj({key: K_AMOUNT for key in TOTALS})
SPONSOR_SHAPE = Obj({"id": K_ID, "remitted": K_AMOUNT})
BALANCE_FIELDS = {"id": K_ID, "accrued": K_AMOUNT, "paid": K_AMOUNT, "balance": K_AMOUNT}
DAYS_SHAPE = Obj({"months": K_COUNT, "median": nullable(K_COUNT), "max": nullable(K_COUNT)})
LINE_FIELDS = {"id": K_ID, "sponsor": K_ID, "maintainer": nullable(K_ID), "remitted": K_AMOUNT,
               "maintainers": K_AMOUNT, "foundation": K_AMOUNT, "flags": Lst(K_FLAG), "amount": K_DECIMAL,
               "currency": K_CURRENCY}
MONTH_SHAPE = Obj({
    "month": K_MONTH, "status": one_of("published"), "currency": K_CURRENCY, "published": K_DAY,
    "source": Obj({"file": K_TEXT, "sha256": K_SHA}), "rates": Map(K_CURRENCY, K_POSITIVE), "totals": TOTALS_SHAPE,
    "connectors": Lst(Choice("adjusts",
                             Obj({**LINE_FIELDS, "adjusts": K_MONTH, "reason": K_TEXT}),
                             Obj({**LINE_FIELDS, "user_fees": nullable(K_POSITIVE), "volume": nullable(K_DECIMAL),
                                  "reference": nullable(K_TEXT), "tx": K_TX, "chain": K_ID, "token": K_ADDRESS},
                                 optional=("tx", "chain", "token")))),
    "sponsors": Lst(SPONSOR_SHAPE),
    "maintainers": Lst(Obj({**BALANCE_FIELDS, "flags": Lst(K_FLAG)})),
    "payouts": Lst(Obj({"to": K_ID, "date": K_DAY, "amount": K_POSITIVE, "currency": K_CURRENCY, "paid": K_AMOUNT,
                        "reference": nullable(K_TEXT), "tx": K_TX, "chain": K_ID, "token": K_ADDRESS,
                        "address": K_ADDRESS}, optional=("tx", "chain", "token", "address"))),
    "notes": nullable(K_TEXT),
})
MANIFEST_SHAPE = Obj({"contract": one_of(CONTRACT), "currency": K_CURRENCY,
                      "months": Lst(Obj({"month": K_MONTH, "published": K_DAY, "source_sha256": K_SHA,
                                         "figures_sha256": K_SHA, "chain": K_SHA}))})
SUMMARY_SHAPE = Obj({
    "currency": K_CURRENCY, "months": Lst(K_MONTH), "sponsors": Lst(SPONSOR_SHAPE),
    "maintainers": Lst(Obj({**BALANCE_FIELDS, "flags": Lst(K_FLAG), "owed_since": nullable(K_MONTH),
                            "days_to_pay": DAYS_SHAPE})),
    "totals": TOTALS_SHAPE, "days_to_pay": DAYS_SHAPE})
YEAR_SHAPE = Obj({
    "year": K_YEAR, "currency": K_CURRENCY, "months": Lst(K_MONTH), "totals": TOTALS_SHAPE,
    "sponsors": Lst(SPONSOR_SHAPE),
    "connectors": Lst(Obj({"id": K_ID, "remitted": K_AMOUNT, "maintainers": K_AMOUNT, "foundation": K_AMOUNT})),
    "maintainers": Lst(Obj(BALANCE_FIELDS))})
TERMS_SHAPE = Obj({"since": K_MONTH, "until": nullable(K_MONTH), "type": one_of("fee share", "monthly fee"),
                   "amount": K_TEXT, "maintainer": nullable(K_ID), "maintainer_share": K_SHARE,
                   "percent": Obj({"min": K_DECIMAL, "max": K_DECIMAL}),
                   "fee": Obj({"amount": K_DECIMAL, "currency": K_CURRENCY})}, optional=("percent", "fee"))
ACCOUNTS_SHAPE = Lst(Obj({"chain": K_ID, "address": K_ADDRESS}))
AGREEMENTS_SHAPE = Obj({
    "contract": one_of(CONTRACT),
    "foundation": Obj({"name": K_TEXT, "currency": K_CURRENCY, "maintainer_share": K_SHARE, "url": nullable(K_TEXT),
                       "notice": nullable(K_TEXT), "accounts": ACCOUNTS_SHAPE, "license": nullable(K_LICENSE)}),
    "people": Lst(Obj({"id": K_ID, "name": K_TEXT, "github": nullable(K_TEXT), "url": nullable(K_TEXT),
                       "accounts": ACCOUNTS_SHAPE})),
    "sponsors": Lst(Obj({"id": K_ID, "name": K_TEXT, "url": nullable(K_TEXT), "accounts": ACCOUNTS_SHAPE})),
    "connectors": Lst(Obj({"id": K_ID, "name": K_TEXT, "sponsor": K_ID, "developer": K_ID, "docs": nullable(K_TEXT),
                           "since": K_MONTH, "until": nullable(K_MONTH), "terms": Lst(TERMS_SHAPE)})),
    "chains": Lst(Obj({"id": K_ID, "name": K_TEXT, "explorer": nullable(K_TEXT)})),
    "tokens": Lst(Obj({"code": K_CURRENCY, "chain": K_ID, "contract": K_ADDRESS, "decimals": K_DECIMALS})),
})


# 4. Findings: each discrepancy once, in words for a reader; and, for a file that could not be
# checked at all, how many checks that depend on it were not made.

class Findings:
    def __init__(self):
        self.problems: list = []
        self.shown: dict = {}  # (file, kind of finding) -> how many were found
        self.skipped: dict = {}  # a file that could not be checked -> {a file it kept from being checked: checks}
        self.why: dict = {}  # such a file -> why it could not be checked

    def add(self, file: str, what: str, expected, found, kind: str | None = None) -> None:
        """A discrepancy; of the findings of one `kind` in a file, the first SHOWN are printed, the rest counted."""
        if kind is not None:
            seen = self.shown[file, kind] = self.shown.get((file, kind), 0) + 1
            if seen > SHOWN:
                return
        self.problems.append(_printable(f"{file}: {what}; expected {_show(expected)}, found {_show(found)}"))

    def malformed(self, file: str, problem: str) -> None:
        self.problems.append(_printable(f"{file}: {problem}"))

    def shape(self, file: str, problem: tuple, what: str) -> None:
        """A document that is not of its shape: where, and what was expected there."""
        where, expected, found = problem
        where = where.lstrip(".")
        if isinstance(found, _Missing):
            text = f"{where} has no {found.key}; expected {expected}" if where else \
                f"has no {found.key}; expected {what}, {expected}"
        elif not where:
            text = f"is {_kind(found)}; expected {what}, {expected}"
        else:
            text = f"{where} is {_kind(found)}; expected {expected}"
        self.problems.append(_printable(f"{file}: {text}"))

    def skip(self, cause: str, file: str, count: int = 1, why: str = "could not be checked") -> None:
        """`count` checks of `file` not made because `cause` could not be checked (or `why` not)."""
        self.why.setdefault(cause, why)
        if count:
            files = self.skipped.setdefault(cause, {})
            files[file] = files.get(file, 0) + count

    def count(self) -> int:
        return len(self.problems) + sum(max(0, seen - SHOWN) for seen in self.shown.values())

    def lines(self) -> list:
        result = list(self.problems)
        for (file, kind), seen in self.shown.items():
            if seen > SHOWN:
                result.append(f"{file}: {_count(seen - SHOWN, 'more finding')} like the {SHOWN} above ({kind})")
        for cause, files in self.skipped.items():
            total = sum(files.values())
            names = sorted(files, key=lambda name: (not name.startswith("data/reports/"), name))  # months first
            names = ", ".join(names) if len(names) <= 4 else f"{', '.join(names[:3])} and {len(names) - 3} more files"
            result.append(f"{cause}: {self.why[cause]}, so {_count(total, 'check')} that depend on it "
                          f"{'was' if total == 1 else 'were'} not made ({names})")
        return result


def _printable(text: str) -> str:
    """`text` as one line of printable characters: any other (a newline, an escape) written as a \\u escape.

    Messages quote what the site sent: printed raw, it could break a line or drive the reader's terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
                   for c in text)


class Said(str):
    """Text of the verifier's own making, shown in a finding as it is, however long."""


def _show(value) -> str:
    """A value as a finding quotes it: text as it reads (in quotes when it needs them), at most 200 characters."""
    if type(value) is Said:
        return value
    if value is None:
        return "none"
    if isinstance(value, str):
        if len(value) > 200:
            return json.dumps(value[:200], ensure_ascii=False) + f"... ({len(value)} characters)"
        return value if value and value.isprintable() and value.strip() == value else json.dumps(value,
                                                                                                   ensure_ascii=False)
    if isinstance(value, (dict, list)):
        text = canonical(value)
        return text if len(text) < 200 else f"{'an object' if isinstance(value, dict) else 'a list'} of " \
                                            f"{_count(len(value), 'entry' if isinstance(value, list) else 'key')}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(value) -> str:
    """What a value is, for a message about a value of the wrong kind."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {_show(value)}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        return f"the number {value}"
    if not isinstance(value, str):
        return type(value).__name__
    return f"the text {json.dumps(value, ensure_ascii=False) if len(value) <= 200 else _show(value)}"


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:] not in ("ay", "ey", "oy") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


def _months(months) -> str:
    if len(months) <= 6:
        return "[" + ", ".join(map(str, months)) + "]"
    return f"{len(months)} months, {months[0]} to {months[-1]}"


def _day(value) -> date | None:
    if type(value) is not str or not DAY.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def defused(text: str | None) -> str:
    """Free text as the CSV files publish it: a leading ' before = + - @ (and a tab or carriage return), so that
    a spreadsheet never runs it as a formula; "" for none."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


# 5. Money: amounts in cents, shares as fractions, the contract's rounding (halves away from zero).

def cents(text) -> int:
    """'-12.34' -> -1234; ValueError unless an amount as the contract publishes it."""
    if type(text) is not str or not AMOUNT.match(text):
        raise ValueError(text)
    return int(text.replace(".", ""))  # AMOUNT has one dot


def money(value: int) -> str:
    """-1234 -> '-12.34'."""
    return f"{'-' if value < 0 else ''}{abs(value) // 100}.{abs(value) % 100:02d}"


def portion(value: int, share: tuple) -> int:
    """round(value x share) to the cent, halves away from zero; value in cents, share a fraction."""
    numerator, denominator = share
    result = (2 * abs(value) * numerator + denominator) // (2 * denominator)
    return -result if value < 0 else result


def valued(amount, rate: Decimal) -> int:
    """round(amount x rate) in cents, halves away from zero; amount a Decimal or its text."""
    if rate == 1 and type(amount) is str:
        whole, _, fraction = amount.partition(".")
        if len(fraction) <= 2:  # nothing to round
            return int(whole + fraction.ljust(2, "0"))
    return int(EXACT.multiply(Decimal(amount), rate).quantize(CENT, context=EXACT).scaleb(2, context=EXACT))


def _share(text) -> tuple | None:
    """'12.5%' -> (125, 1000), a fraction of 1; None unless a percentage from 0% to 100%."""
    match = SHARE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    decimals = match[2] or ""
    numerator, denominator = int(match[1] + decimals), 100 * 10 ** len(decimals)
    return (numerator, denominator) if numerator <= denominator else None


def _percent(text: str) -> str:
    """The percentage a share is published as: '50%', '12.5%', '0%' (no trailing zeros)."""
    number = Decimal(text[:-1]).normalize()
    return format(number, "f") + "%"


# 6. The agreements: each connector's sponsor and terms, for the split of every line.

class Terms:
    __slots__ = ("since", "until", "maintainer", "share", "share_text", "published_share", "low", "high", "fee",
                 "fee_currency")

    def __init__(self, entry: dict):
        self.since, self.until, self.maintainer = entry["since"], entry["until"], entry["maintainer"]
        self.share, self.share_text = _share(entry["maintainer_share"]), entry["maintainer_share"]
        # The share a line's CSV rows give: the terms' own, and 0% without a maintainer.
        self.published_share = "0%" if self.maintainer is None else _percent(self.share_text)
        self.low = self.high = self.fee = self.fee_currency = None


class Connector:
    __slots__ = ("id", "sponsor", "until", "terms")

    def __init__(self, entry: dict, terms: list):
        self.id, self.sponsor, self.until, self.terms = entry["id"], entry["sponsor"], entry["until"], terms

    def terms_in(self, month: str) -> Terms | None:
        """The contract's terms in force: the last entry with since <= month, while month <= until."""
        if self.until is not None and month > self.until:
            return None
        found = None
        for entry in self.terms:
            if entry.since > month:
                break
            found = entry
        return found


class Agreements:
    """What the months are checked against: the reporting currency, people, sponsors and connectors."""

    def __init__(self, currency, people: set, sponsors: set, connectors: dict, faulty: set):
        self.currency, self.people, self.sponsors, self.connectors = currency, people, sponsors, connectors
        self.faulty = faulty  # the connectors whose own entry is wrong: their lines are not checked against it
        self.chains: set = set()
        self.tokens: dict = {}  # currency code -> (chain, contract, decimals)
        self.treasury: dict = {}  # chain -> the Foundation's addresses on it


def _previous(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def read_agreements(document: dict, findings: Findings) -> Agreements:
    """The agreements (of a document of the right shape), each terms entry checked for itself."""
    file, add = AGREEMENTS, findings.add
    people, sponsors, connectors = set(), set(), {}
    for kind, entries, ids in (("person", document["people"], people), ("sponsor", document["sponsors"], sponsors),
                               ("connector", document["connectors"], connectors)):
        for entry in entries:
            if entry["id"] in ids:
                add(file, f"{kind} {entry['id']} is listed twice", "each id once", "twice")
            elif kind != "connector":
                ids.add(entry["id"])
            else:
                connectors[entry["id"]] = None
    faulty = set()
    for entry in document["connectors"]:
        cid = entry["id"]
        where = f"connector {cid}"
        found = findings.count()
        if entry["sponsor"] not in sponsors:
            add(file, f"{where}: the sponsor is not among the sponsors", "a sponsor of agreements.json",
                entry["sponsor"])
        if entry["developer"] not in people:
            add(file, f"{where}: the developer is not among the people", "a person of agreements.json",
                entry["developer"])
        listed = entry["terms"]
        if not listed:
            add(file, f"{where}: has no terms", "at least one terms entry", "none")
            continue
        if entry["since"] != listed[0]["since"]:
            add(file, f"{where}: since is not the first terms entry's", listed[0]["since"], entry["since"])
        if entry["until"] is not None and entry["until"] < entry["since"]:
            add(file, f"{where}: until is before since", f"a month from {entry['since']}", entry["until"])
        terms = []
        for number, item in enumerate(listed):
            if terms and item["since"] <= terms[-1].since:
                add(file, f"{where}: terms[{number}].since is not after the previous entry's",
                    f"a month after {terms[-1].since}", item["since"])
                continue
            ends = [_previous(listed[number + 1]["since"])] if number + 1 < len(listed) else []
            ends += [entry["until"]] if entry["until"] is not None else []
            following = listed[number + 1]["since"] if number + 1 < len(listed) else None
            if (following is None or following > item["since"]) and item["until"] != (min(ends) if ends else None):
                add(file, f"{where}: terms[{number}].until is not the month before the next entry or the "
                    "agreement's end", min(ends) if ends else None, item["until"])
            if item["maintainer"] is not None and item["maintainer"] not in people:
                add(file, f"{where}: terms[{number}].maintainer is not among the people", "a person of "
                    "agreements.json", item["maintainer"])
            terms.append(_typed_terms(item, f"{where}: terms[{number}]", findings))
        connectors[cid] = Connector(entry, terms)
        if findings.count() != found:
            faulty.add(cid)
    foundation = document["foundation"]
    result = Agreements(foundation["currency"], people, sponsors,
                        {cid: connector for cid, connector in connectors.items() if connector is not None},
                        faulty | {cid for cid, connector in connectors.items() if connector is None})
    _read_chains(document, result, findings)
    return result


def _read_chains(document: dict, agreements: Agreements, findings: Findings) -> None:
    """The chains, the tokens and the Foundation's accounts; every chain they name declared, each id once."""
    add = findings.add
    for entry in document["chains"]:
        if entry["id"] in agreements.chains:
            add(AGREEMENTS, f"chain {entry['id']} is listed twice", "each id once", "twice")
        agreements.chains.add(entry["id"])
    for entry in document["tokens"]:
        if entry["code"] in agreements.tokens:
            add(AGREEMENTS, f"token {entry['code']} is listed twice", "each code once", "twice")
        elif entry["chain"] not in agreements.chains:
            add(AGREEMENTS, f"token {entry['code']}: its chain is not among the chains", "a chain of agreements.json",
                entry["chain"])
        else:
            agreements.tokens[entry["code"]] = (entry["chain"], entry["contract"], entry["decimals"])
    holders = [("foundation", document["foundation"])] + [(f"person {entry['id']}", entry)
                                                            for entry in document["people"]] \
        + [(f"sponsor {entry['id']}", entry) for entry in document["sponsors"]]
    for who, entry in holders:
        for account in entry["accounts"]:
            if account["chain"] not in agreements.chains:
                add(AGREEMENTS, f"{who}: an account on a chain that is not among the chains", "a chain of "
                    "agreements.json", account["chain"])
    for account in document["foundation"]["accounts"]:
        agreements.treasury.setdefault(account["chain"], set()).add(account["address"])


def _typed_terms(item: dict, where: str, findings: Findings) -> Terms:
    """A terms entry with its agreed percent or fee, read from its amount and checked against percent or fee."""
    terms = Terms(item)
    amount = item["amount"]
    if item["type"] == "fee share":
        match = FEE_SHARE.match(amount)
        low, high = (Decimal(match[1]), Decimal(match[2] or match[1])) if match else (None, None)
        if low is None or not (0 < low <= high <= 100) or (match[2] is not None and low == high):
            findings.add(AGREEMENTS, f"{where}.amount is not a fee share", "N% or N-M% with 0 < N < M <= 100",
                         amount)
        elif "percent" not in item or "fee" in item or (Decimal(item["percent"]["min"]), Decimal(
                item["percent"]["max"])) != (low, high):
            findings.add(AGREEMENTS, f"{where}.percent does not follow its amount {amount}",
                         {"min": format(low.normalize(), "f"), "max": format(high.normalize(), "f")},
                         item.get("percent"))
        else:
            terms.low, terms.high = low, high
    else:
        match = MONTHLY_FEE.match(amount)
        fee, currency = (match[1] or match[2], "USD" if match[1] else match[3]) if match else (None, None)
        if fee is None or not Decimal(fee):
            findings.add(AGREEMENTS, f"{where}.amount is not a monthly fee", "$N or N CUR, more than 0", amount)
        elif "fee" not in item or "percent" in item or (Decimal(item["fee"]["amount"]), item["fee"]["currency"]) \
                != (Decimal(fee), currency):
            findings.add(AGREEMENTS, f"{where}.fee does not follow its amount {amount}",
                         {"amount": fee, "currency": currency}, item.get("fee"))
        else:
            terms.fee, terms.fee_currency = Decimal(fee), currency
    return terms


# 7. A month file: its record, each line (value, split, flags), sponsors, balances and payouts.

class Month:
    """What a checked month gives the checks after it: its figures and the rows the CSV files must have."""

    __slots__ = ("month", "published", "totals", "sponsors", "people", "carried", "connectors", "lines", "payouts",
                 "statements", "transfers")

    def __init__(self, month: str, published: str):
        self.month, self.published = month, published
        self.totals = [0, 0, 0, 0]
        self.sponsors: dict = {}  # id -> remitted
        self.people: dict = {}  # id -> (accrued, paid, balance)
        self.carried: dict = {}  # id -> the balance the next month starts from: what this one's should be
        self.connectors: dict = {}  # id -> [remitted, maintainers, foundation]
        self.lines: list = []  # the rows of remittances.csv
        self.payouts: list = []  # the rows of payouts.csv, with each payout's (date, person, paid)
        self.statements: dict = {}  # person -> the rows of their statement
        self.transfers: list = []  # the lines and payouts carried on chain, as Transfers to look for


def check_month(month: str, document: dict, entry: dict, currency: str, agreements: Agreements | None, balances,
                earlier: set, findings: Findings) -> Month:
    """Check a month file of the right shape. `balances` are everyone's after the month before, or the path of
    the month file that could not be checked and so left them unknown."""
    file = f"data/reports/{month}.json"
    add = findings.add
    if document["month"] != month:
        add(file, "is the file of another month", month, document["month"])
    if document["currency"] != currency:
        add(file, "currency is not the manifest's", currency, document["currency"])
    if document["published"] != entry["published"]:
        add(file, "published date is not the manifest's", entry["published"], document["published"])
    if document["source"]["sha256"] != entry["source_sha256"]:
        add(file, "source sha256 is not the manifest's source_sha256", entry["source_sha256"],
            document["source"]["sha256"])
    if document["source"]["file"] != f"reports/{month}.yml":
        add(file, "source file is not the month's report", f"reports/{month}.yml", document["source"]["file"])
    digest = figures_sha256(document)
    if digest != entry["figures_sha256"]:
        add(file, f"figures do not hash to the manifest's figures_sha256 of {month}", entry["figures_sha256"], digest)
    result = Month(month, document["published"])
    if currency in document["rates"]:
        add(file, f"rates has a rate for {currency}, the reporting currency", "no rate (its rate is 1)",
            document["rates"][currency])
    rates = {code: (Decimal(text), text) for code, text in document["rates"].items()}
    rates[currency] = (Decimal(1), "1")
    accrued = _check_lines(file, document, rates, agreements, earlier, result, findings)
    paid = _check_payouts(file, document, rates, agreements, result, findings)
    _check_people(file, document, accrued, paid, balances, result, findings)
    sums = [0, 0, 0, 0]
    for remitted, maintainers, foundation in result.connectors.values():
        sums[0] += remitted
        sums[1] += maintainers
        sums[2] += foundation
    sums[3] = sum(paid.values())
    for key, value, what in zip(TOTALS, sums, ("lines' values", "lines' maintainer parts", "lines' Foundation parts",
                                               "payouts' values")):
        if cents(document["totals"][key]) != value:
            add(file, f"totals.{key} is not the sum of the {what}", money(value), document["totals"][key])
    result.totals = sums
    _compare_entries(file, "sponsor", document["sponsors"],
                     {sid: {"remitted": money(value)} for sid, value in result.sponsors.items()}, findings,
                     "the sum of its connectors' lines")
    return result


def _rate(file: str, rates: dict, currency: str, where: str, findings: Findings):
    found = rates.get(currency)
    if found is None:
        findings.add(file, f"{where}: no rate for {currency} in the month file", f"rates.{currency}", None)
    return found


def _check_lines(file: str, document: dict, rates: dict, agreements: Agreements | None, earlier: set,
                 result: Month, findings: Findings) -> dict:
    """Each line: its value, split and flags; its row of remittances.csv. The maintainers' accruals."""
    month, add = result.month, findings.add
    accrued: dict = {}
    seen: set = set()
    for index, line in enumerate(document["connectors"]):
        cid, adjusts = line["id"], line.get("adjusts")
        where = _Where(index, cid, adjusts)
        # The month file has its shape: these are amounts as the contract publishes them.
        value, part, rest = (int(line["remitted"].replace(".", "")), int(line["maintainers"].replace(".", "")),
                             int(line["foundation"].replace(".", "")))
        found_rate = rates.get(line["currency"])
        if found_rate is None:
            _rate(file, rates, line["currency"], where, findings)
        elif valued(line["amount"], found_rate[0]) != value:
            add(file, f"{where}: remitted is not round(amount x rate) = round({line['amount']} {line['currency']} "
                f"x {found_rate[1]})", money(valued(line["amount"], found_rate[0])), line["remitted"])
        if part + rest != value:
            add(file, f"{where}: the maintainer's and the Foundation's parts do not add up to its value",
                line["remitted"], f"{line['maintainers']} + {line['foundation']} = {money(part + rest)}")
        flags = line["flags"]
        expected_flags = []
        if adjusts is not None:
            expected_flags = ["adjustment"]
            if value == 0:
                add(file, f"{where}: an adjustment of 0", "an amount other than 0", line["amount"])
            if adjusts not in earlier:
                add(file, f"{where}: adjusts a month that is not an earlier published month",
                    f"a month of the manifest before {month}", adjusts)
        else:
            if line["amount"][0] == "-" or not line["amount"].strip("0."):
                add(file, f"{where}: a remittance of {line['amount']}", "an amount greater than 0", line["amount"])
            if cid in seen:
                add(file, f"{where}: a second remittance of {cid} in the month", "at most one per connector", "two")
            seen.add(cid)
        share_text = None
        connector = agreements.connectors.get(cid) if agreements is not None else None
        terms = connector.terms_in(adjusts or month) if connector is not None else None
        if agreements is None:
            findings.skip(AGREEMENTS, file)
        elif cid in agreements.faulty:
            findings.skip(AGREEMENTS, file, why="does not hold together")
        elif connector is None:
            add(file, f"{where}: the connector is not in agreements.json", "a connector of agreements.json", cid)
        elif terms is None:
            add(file, f"{where}: no terms of agreements.json are in force in {adjusts or month}", "terms in force",
                None)
        else:
            if line["sponsor"] != connector.sponsor:
                add(file, f"{where}: the sponsor is not the connector's in agreements.json", connector.sponsor,
                    line["sponsor"])
            if line["maintainer"] != terms.maintainer:
                add(file, f"{where}: the maintainer is not the one of the terms in force since {terms.since}",
                    terms.maintainer, line["maintainer"])
            share_text = terms.published_share
            due = 0 if terms.maintainer is None else portion(value, terms.share)
            if part != due:
                add(file, f"{where}: the maintainer's part does not follow the terms in force since {terms.since} "
                    f"({share_text} of {line['remitted']})", money(due), line["maintainers"])
            if adjusts is None:
                if terms.fee is not None and terms.fee_currency not in rates:
                    add(file, f"{where}: no rate for {terms.fee_currency} in the month file, needed to check the "
                        f"monthly fee of {cid}", f"rates.{terms.fee_currency}", None)
                if terms.fee is not None or line["user_fees"] is not None:
                    expected_flags = _remittance_flags(line, terms, rates, value)
        if adjusts is not None or (terms is not None and cid not in agreements.faulty):
            if flags != expected_flags and sorted(flags) != sorted(expected_flags):
                add(file, f"{where}: its flags do not follow from its figures and terms", " ".join(expected_flags)
                    or "no flags", " ".join(flags) or "no flags")
        if line["maintainer"] is not None:
            accrued[line["maintainer"]] = accrued.get(line["maintainer"], 0) + part
        if adjusts is None and ("tx" in line or "chain" in line or "token" in line):
            _claim_transfer(file, where, "remittance", line, agreements, result, findings)
        sums = result.connectors.get(cid)
        if sums is None:
            result.connectors[cid] = [value, part, rest]
        else:
            sums[0] += value
            sums[1] += part
            sums[2] += rest
        result.sponsors[line["sponsor"]] = result.sponsors.get(line["sponsor"], 0) + value
        rate_text = found_rate[1] if found_rate is not None else None
        row = (month, "published", "adjustment" if adjusts else "remittance", cid, line["sponsor"],
               line["maintainer"] or "", line["amount"], line["currency"], rate_text, line["remitted"], share_text,
               line["maintainers"], line["foundation"], " ".join(flags), adjusts or "",
               line.get("user_fees") or "", line.get("volume") or "", defused(line.get("reference")),
               defused(line.get("reason")), line.get("tx", ""), line.get("chain", ""))
        result.lines.append(row)
        if line["maintainer"] is not None:
            result.statements.setdefault(line["maintainer"], []).append(
                [month, "published", row[2], result.published, cid, adjusts or "", line["remitted"], share_text,
                 line["maintainers"], "", "", "", "", part, "", defused(line.get("reason"))])
    return accrued


class _Where:
    """Where a line is, as a finding names it: written only when there is a finding."""

    __slots__ = ("index", "cid", "adjusts")

    def __init__(self, index: int, cid: str, adjusts: str | None):
        self.index, self.cid, self.adjusts = index, cid, adjusts

    def __str__(self) -> str:
        return f"line {self.index + 1} ({self.cid}{', adjusting ' + self.adjusts if self.adjusts else ''})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _remittance_flags(line: dict, terms: Terms, rates: dict, value: int) -> list:
    """fee_mismatch and outside_range as rule 8 of the contract defines them."""
    if terms.fee is not None:
        rate = rates.get(terms.fee_currency)
        if rate is None:
            return list(line["flags"])  # reported as a missing rate where the fee is checked: no flag to expect
        return ["fee_mismatch"] if valued(terms.fee, rate[0]) != value else []
    if terms.low is None or line.get("user_fees") is None:
        return [] if terms.low is not None else list(line["flags"])
    amount, fees = Decimal(line["amount"]), Decimal(line["user_fees"])
    ratio = EXACT.divide_int(EXACT.add(EXACT.multiply(amount, 20000), fees), EXACT.multiply(fees, 2))
    return [] if terms.low * 100 <= ratio <= terms.high * 100 else ["outside_range"]


def _check_payouts(file: str, document: dict, rates: dict, agreements: Agreements | None, result: Month,
                   findings: Findings) -> dict:
    """Each payout's value and its row of payouts.csv; what each person was paid."""
    paid: dict = {}
    for index, payout in enumerate(document["payouts"]):
        to, value = payout["to"], cents(payout["paid"])
        where = f"payouts[{index}] (to {to})"
        found_rate = _rate(file, rates, payout["currency"], where, findings)
        if found_rate is not None and valued(payout["amount"], found_rate[0]) != value:
            findings.add(file, f"{where}: paid is not round(amount x rate) = round({payout['amount']} "
                         f"{payout['currency']} x {found_rate[1]})", money(valued(payout["amount"], found_rate[0])),
                         payout["paid"])
        if agreements is not None and to not in agreements.people:
            findings.add(file, f"{where}: paid to someone who is not among the people", "a person of "
                         "agreements.json", to)
        paid[to] = paid.get(to, 0) + value
        rate_text = found_rate[1] if found_rate is not None else None
        row = (result.month, "published", to, payout["date"], payout["amount"], payout["currency"], rate_text,
               payout["paid"], defused(payout["reference"]), payout.get("tx", ""), payout.get("chain", ""),
               payout.get("address", ""))
        if {"tx", "chain", "token", "address"} & payout.keys():
            _claim_transfer(file, where, "payout", payout, agreements, result, findings)
        result.payouts.append((row, (_day(payout["date"]), index, to, value)))
        result.statements.setdefault(to, []).append(
            [result.month, "published", "payout", payout["date"], "", "", "", "", "", payout["amount"],
             payout["currency"], rate_text, payout["paid"], -value, defused(payout["reference"]), ""])
    return paid


class Transfer:
    """A line or a payout that says a transaction carried it: what the chain must show."""

    __slots__ = ("kind", "file", "where", "tx", "chain", "token", "units", "decimals", "address", "date", "currency")

    def __init__(self, kind: str, file: str, where: str, entry: dict, units: int, decimals: int):
        self.kind, self.file, self.where, self.units, self.decimals = kind, file, where, units, decimals
        self.tx, self.chain, self.token, self.currency = entry["tx"], entry["chain"], entry["token"], entry["currency"]
        self.address, self.date = entry.get("address"), entry.get("date")


def _claim_transfer(file: str, where: str, kind: str, entry: dict, agreements: Agreements | None, result: Month,
                    findings: Findings) -> None:
    """A line or payout with a tx: its chain, token and amount as agreements.json declares the token."""
    keys = ("tx", "chain", "token", "address") if kind == "payout" else ("tx", "chain", "token")
    missing = [key for key in keys if key not in entry]
    if missing:
        findings.add(file, f"{where}: carried on chain without its {', '.join(missing)}", f"{', '.join(keys)} together",
                     f"only {', '.join(key for key in keys if key in entry)}")
        return
    if agreements is None:
        findings.skip(AGREEMENTS, file)
        return
    token = agreements.tokens.get(entry["currency"])
    if token is None:
        findings.add(file, f"{where}: carried on chain in {entry['currency']}, which is not a token of agreements.json",
                     "a currency of agreements.json's tokens", entry["currency"])
        return
    chain_id, contract, decimals = token
    if (entry["chain"], entry["token"]) != (chain_id, contract):
        findings.add(file, f"{where}: the chain and token are not those of {entry['currency']} in agreements.json",
                     Said(f"chain {chain_id}, token {contract}"), Said(f"chain {entry['chain']}, token {entry['token']}"))
        return
    whole, _, fraction = entry["amount"].partition(".")
    if len(fraction) > decimals:
        findings.add(file, f"{where}: the amount has more decimals than {entry['currency']} has ({decimals})",
                     f"at most {decimals} decimal places", entry["amount"])
        return
    result.transfers.append(Transfer(kind, file, where, entry, int(whole + fraction.ljust(decimals, "0")), decimals))


def _check_people(file: str, document: dict, accrued: dict, paid: dict, balances, result: Month,
                  findings: Findings) -> None:
    """Each maintainer's accrued, paid and balance, carried from the month before; who must be listed."""
    add = findings.add
    for entry in document["maintainers"]:
        pid = entry["id"]
        if pid in result.people:
            add(file, f"maintainer {pid} is listed twice", "one entry", "two")
            continue
        got, gave, balance = cents(entry["accrued"]), cents(entry["paid"]), cents(entry["balance"])
        result.people[pid] = (got, gave, balance)
        if got != accrued.get(pid, 0):
            add(file, f"maintainer {pid}: accrued is not the sum of their maintainer parts", money(accrued.get(pid, 0)),
                entry["accrued"])
        if gave != paid.get(pid, 0):
            add(file, f"maintainer {pid}: paid is not the sum of their payouts", money(paid.get(pid, 0)),
                entry["paid"])
        if isinstance(balances, str):
            findings.skip(balances, file)
        else:
            before = balances.get(pid, 0)
            if balance != before + got - gave:
                add(file, f"maintainer {pid}: the balance does not carry from the month before ({money(before)} "
                    f"+ {money(got)} accrued - {money(gave)} paid)", money(before + got - gave), entry["balance"])
            if not (pid in accrued or pid in paid or before or balance):
                add(file, f"maintainer {pid} is listed without a line, a payout or a balance", "no entry", "one")
        if ("advance" in entry["flags"]) != (balance < 0) or [flag for flag in entry["flags"] if flag != "advance"]:
            add(file, f"maintainer {pid}: the flags do not follow the balance", "advance" if balance < 0 else
                "no flags", " ".join(entry["flags"]) or "no flags")
    owing = {pid for pid, value in balances.items() if value} if isinstance(balances, dict) else set()
    # The next month carries what the balances should be: one wrong figure is reported once, not again there.
    if isinstance(balances, dict):
        result.carried = dict(balances)
        for pid in set(accrued) | set(paid):
            result.carried[pid] = balances.get(pid, 0) + accrued.get(pid, 0) - paid.get(pid, 0)
    else:
        result.carried = {pid: figures[2] for pid, figures in result.people.items()}
    for pid in sorted(set(accrued) | set(paid) | owing):
        if pid not in result.people:
            reason = ("is the maintainer on a line" if pid in accrued else "received a payout" if pid in paid
                      else f"had a balance of {money(balances[pid])}")
            add(file, f"maintainer {pid} is missing, but {reason}", "an entry for them", None)
    # Each statement row's running balance, from the balance before the month as this month file gives it.
    for pid, rows in result.statements.items():
        got, gave, balance = result.people.get(pid, (0, 0, 0))
        running = balance - got + gave
        for row in rows:
            running += row[13]
            row[13] = money(running)


def _compare_entries(file: str, kind: str, found: list, expected: dict, findings: Findings,
                     sums: str = "the sum of the months") -> None:
    """A list of entries with ids against the expected {id: {field: value}}: missing, extra, different."""
    seen = set()
    for entry in found:
        eid = entry["id"]
        if eid in seen:
            findings.add(file, f"{kind} {eid} is listed twice", "one entry", "two")
        elif eid not in expected:
            findings.add(file, f"{kind} {eid} has no figures in the months", "no entry", "one")
        else:
            for field, value in expected[eid].items():
                if entry[field] != value:
                    what = "the balance after their last month" if field == "balance" else sums
                    findings.add(file, f"{kind} {eid}: {field} is not {what}", value, entry[field])
        seen.add(eid)
    for eid in expected:
        if eid not in seen:
            findings.add(file, f"{kind} {eid} is missing", "an entry with its figures", None)


# 8. The CSV files against the month files: the same lines, payouts and totals, row for row and
# column for column, free text defused as the data page says (a leading ' before = + - @).

def compare_rows(file: str, found: list, expected: dict, order: dict, broken: dict, columns: tuple,
                 findings: Findings) -> None:
    """A CSV file's rows against each checked month's expected rows, in the manifest's order.

    `expected` maps each month checked to its rows (a cell None: not known, not compared); `order` each
    month of the manifest to its place; the rows of a month in `broken` (which maps it to why) are not
    compared, and counted as checks not made."""
    runs: list = []  # (month, first row number, rows)
    for number, row in enumerate(found, 2):
        if runs and runs[-1][0] == row[0]:
            runs[-1][2].append(row)
        else:
            runs.append((row[0], number, [row]))
    seen: set = set()
    last = -1
    for month, first, rows in runs:
        if month in seen or order.get(month, last) < last:
            findings.add(file, f"the rows of {_show(month)} are not together in month order, from row {first}",
                         "each month's rows together, months in order", f"rows of {_show(month)} again",
                         kind="month order")
            continue
        seen.add(month)
        if month in broken:
            findings.skip(f"data/reports/{month}.json", file, len(rows), broken[month])
            continue
        if month not in expected:
            findings.add(file, f"has rows for {_show(month)}, which is not a published month",
                         "rows of the manifest's months only", _count(len(rows), "row"), kind="months not published")
            continue
        last = order[month]
        want = expected[month]
        if len(rows) != len(want):
            findings.add(file, f"the rows of {month} are not one per entry of its month file",
                         _count(len(want), "row"), _count(len(rows), "row"), kind="rows of a month")
            continue
        compare_cells(file, zip(want, rows), first, columns, "the month file", findings)
    for month, rows in expected.items():
        if month not in seen and month not in broken and rows:
            findings.add(file, f"has no rows for {month}", _count(len(rows), "row"), "none", kind="months without rows")


# The agreements as tables, one per entity (the site's own addition to the contract: checked when published,
# as agreements.json holds them; names and other free text defused as in every CSV file).
ENTITY_COLUMNS = {
    "people": ("id", "name", "github", "url"),
    "sponsors": ("id", "name", "url"),
    "connectors": ("id", "name", "sponsor", "developer", "docs", "since", "until"),
    "terms": ("connector", "since", "until", "type", "amount", "maintainer", "maintainer_share", "percent_min",
              "percent_max", "fee_amount", "fee_currency"),
    "chains": ("id", "name", "explorer"),
    "tokens": ("code", "chain", "contract", "decimals"),
    "accounts": ("holder", "person", "sponsor", "chain", "address"),
}


def entity_rows(document: dict) -> dict:
    """The rows of each entity table, data/NAME.csv, as agreements.json (of its shape) gives them."""
    def terms_row(cid: str, terms: dict) -> tuple:
        percent, fee = terms.get("percent") or {}, terms.get("fee") or {}
        return (cid, terms["since"], terms["until"] or "", terms["type"], terms["amount"],
                terms["maintainer"] or "", terms["maintainer_share"], percent.get("min", ""), percent.get("max", ""),
                fee.get("amount", ""), fee.get("currency", ""))

    people, sponsors = document["people"], document["sponsors"]
    rows = {
        "people": [(p["id"], defused(p["name"]), p["github"] or "", p["url"] or "") for p in people],
        "sponsors": [(s["id"], defused(s["name"]), s["url"] or "") for s in sponsors],
        "connectors": [(c["id"], defused(c["name"]), c["sponsor"], c["developer"], c["docs"] or "", c["since"],
                        c["until"] or "") for c in document["connectors"]],
        "terms": [terms_row(c["id"], terms) for c in document["connectors"] for terms in c["terms"]],
        "chains": [(c["id"], defused(c["name"]), c["explorer"] or "") for c in document["chains"]],
        "tokens": [(t["code"], t["chain"], t["contract"], str(t["decimals"])) for t in document["tokens"]],
        "accounts": [("foundation", "", "", a["chain"], a["address"]) for a in document["foundation"]["accounts"]]
        + [("person", p["id"], "", a["chain"], a["address"]) for p in people for a in p["accounts"]]
        + [("sponsor", "", s["id"], a["chain"], a["address"]) for s in sponsors for a in s["accounts"]],
    }
    return {f"data/{name}.csv": (ENTITY_COLUMNS[name], found) for name, found in rows.items()}


def compare_entities(file: str, found: list, expected: list, columns: tuple, findings: Findings) -> None:
    """An entity table's rows against agreements.json's, row by row."""
    if len(found) != len(expected):
        findings.add(file, "the rows are not one per entry of agreements.json", _count(len(expected), "row"),
                     _count(len(found), "row"))
    compare_cells(file, zip(expected, found), 2, columns, "agreements.json", findings)


def compare_cells(file: str, pairs, first: int, columns: tuple, source: str, findings: Findings) -> None:
    """Each (expected, found) pair of rows, numbered from `first`, cell by cell; an expected cell None is not
    known, and not compared."""
    for number, (mine, theirs) in enumerate(pairs, first):
        if tuple(theirs) != mine:
            for column, cell, found_cell in zip(columns, mine, theirs):
                if cell is not None and cell != found_cell:
                    findings.add(file, f"row {number}: {column} disagrees with {source}", cell, found_cell,
                                 kind=f"{column} disagrees")


def csv_bytes(columns: tuple, rows: list) -> bytes:
    """A CSV file as the site writes it: a header, then the rows, each line ended by a newline, UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# 9. Sums over months: summary.json and the year files against the months, and the waiting figures.

class Sums:
    """The figures of a span of months, summed from the month files as they were checked."""

    def __init__(self):
        self.months: list = []
        self.totals = [0, 0, 0, 0]
        self.sponsors: dict = {}
        self.connectors: dict = {}
        self.people: dict = {}  # accrued, paid, and the balance after the last month

    def add(self, month: Month) -> None:
        self.months.append(month.month)
        self.totals = [mine + theirs for mine, theirs in zip(self.totals, month.totals)]
        for sid, value in month.sponsors.items():
            self.sponsors[sid] = self.sponsors.get(sid, 0) + value
        for cid, parts in month.connectors.items():
            mine = self.connectors.setdefault(cid, [0, 0, 0])
            for index, value in enumerate(parts):
                mine[index] += value
        for pid, (accrued, paid, balance) in month.people.items():
            mine = self.people.setdefault(pid, [0, 0, 0])
            mine[0] += accrued
            mine[1] += paid
            mine[2] = balance


def check_sums(file: str, document: dict, sums: Sums, findings: Findings, connectors: bool) -> None:
    """A summary or a year file: its totals, sponsors, maintainers (and connectors) against the months."""
    for key, value in zip(TOTALS, sums.totals):
        if document["totals"][key] != money(value):
            findings.add(file, f"totals.{key} is not the sum of the months", money(value), document["totals"][key])
    _compare_entries(file, "sponsor", document["sponsors"],
                     {sid: {"remitted": money(value)} for sid, value in sums.sponsors.items()}, findings)
    if connectors:
        _compare_entries(file, "connector", document["connectors"],
                         {cid: dict(zip(TOTALS, map(money, parts))) for cid, parts in sums.connectors.items()},
                         findings)
    _compare_entries(file, "maintainer", document["maintainers"],
                     {pid: dict(zip(("accrued", "paid", "balance"), map(money, figures)))
                      for pid, figures in sums.people.items()}, findings)
    for entry in document["maintainers"]:
        if "flags" in entry and entry["id"] in sums.people:
            advance = sums.people[entry["id"]][2] < 0
            if sorted(entry["flags"]) != (["advance"] if advance else []):
                findings.add(file, f"maintainer {entry['id']}: the flags do not follow the balance",
                             "advance" if advance else "no flags", " ".join(entry["flags"]) or "no flags")


def waiting(months: list, payouts: list, people: dict) -> tuple:
    """owed_since and days_to_pay per person, and days_to_pay over everyone, as the contract defines them.

    `months`: (month, published date, {person: accrued}) in month order; `payouts`: (date, month, position
    in the month, person, paid); `people`: {person: [accrued, paid, balance]} over all months."""
    ordered: dict = {}
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
            if accrued.get(person, 0) > 0:
                index = bisect_left(running, so_far)  # the first payout after which the total paid covers it
                if index < len(running):
                    days.append(max(0, (dates[index] - published).days))
        result[person] = {"owed_since": owed_since, "days_to_pay": _days(days)}
        everyone += days
    return result, _days(everyone)


def _days(days: list) -> dict:
    days = sorted(days)
    return {"months": len(days), "median": days[(len(days) - 1) // 2] if days else None,
            "max": days[-1] if days else None}


# 10. The kept record: a manifest or an Atom feed kept from earlier, against the current record.

class Kept:
    """The months of a kept record, and whether it was made under this contract (else: compared on the
    fields no change of the rule touches)."""

    def __init__(self, path: str, entries: list, current_rule: bool):
        self.path, self.entries, self.current_rule = path, entries, current_rule
        self.fields = RECORD_FIELDS if current_rule else EARLIER_RULE_FIELDS


def read_kept(path: str) -> Kept:
    """The record kept in a file (a manifest, or an Atom feed); Unreadable, naming that file, when it is not one."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise KeptUnreadable(f"{path}: not a regular file; expected a kept copy of data/manifest.json or of the "
                                 "Atom feed reports/feed.xml (--since)")
            data = handle.read(MAX_KEPT + 1)
    except OSError as exc:
        raise KeptUnreadable(f"{path}: cannot be read: {exc.strerror or exc} (--since)") from None
    if len(data) > MAX_KEPT:
        raise KeptUnreadable(f"{path}: larger than {MAX_KEPT} bytes; expected a kept record (--since)")
    try:
        if data.lstrip()[:1] == b"<":
            entries, current_rule = _kept_feed(data)
        else:
            document = parse_json(data)
            if type(document) is not dict:
                raise Malformed(f"is {_kind(document)}; expected a manifest with its months")
            if type(document.get("months")) is not list:
                raise Malformed(f"has {'no months' if 'months' not in document else 'months that are not a list'}; "
                                "expected a manifest with its months")
            current_rule = document.get("contract") == CONTRACT
            entries = document["months"]
    except Malformed as exc:
        raise KeptUnreadable(f"{path}: {exc} (--since: expected a kept copy of data/manifest.json or of the Atom feed "
                         "reports/feed.xml)") from None
    fields = RECORD_FIELDS if current_rule else EARLIER_RULE_FIELDS
    shape = Lst(Obj({"month": K_MONTH, "published": K_DAY, "source_sha256": K_SHA, "figures_sha256": K_SHA,
                     "chain": K_SHA}, optional=tuple(name for name in RECORD_FIELDS if name not in fields)))
    problem = shape_error([{key: value for key, value in entry.items() if key in RECORD_FIELDS}
                           if type(entry) is dict else entry for entry in entries], shape, "months")
    if problem is not None:
        where, expected, found = problem
        found = f"has no {found.key}" if isinstance(found, _Missing) else f"is {_kind(found)}"
        raise KeptUnreadable(_printable(f"{path}: {where} {found}; expected {expected} (--since: a kept record)"))
    if not entries:
        raise KeptUnreadable(f"{path}: lists no month; expected a kept record of the months published (--since)")
    months = [entry["month"] for entry in entries]
    if months != sorted(set(months)):
        raise KeptUnreadable(f"{path}: its months are not in order, each once; expected a kept record (--since)")
    return Kept(path, entries, current_rule)


def _kept_feed(data: bytes) -> tuple:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Malformed("declares a document type or entities; expected an Atom feed as the site writes it")
    import xml.etree.ElementTree as ElementTree  # here: only a kept feed needs it
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise Malformed(f"is not XML: {exc}") from None
    if root.tag != f"{{{ATOM_NS}}}feed":
        raise Malformed("is not an Atom feed")
    entries = []
    for entry in root.iter(f"{{{ATOM_NS}}}entry"):
        record = {name: entry.findtext(f"{{{RECORD_NS}}}{name}") for name in RECORD_FIELDS}
        entries.append({name: value for name, value in record.items() if value is not None})
    return sorted(entries, key=lambda entry: str(entry.get("month"))), \
        root.findtext(f"{{{RECORD_NS}}}contract") == CONTRACT


def compare_with_kept(kept: Kept, record: list | None, findings: Findings) -> int:
    """Every kept month still in the current record, in its place, with the same fields; the months added since.

    A month whose only difference is its chain, after a month reported as changed, is not reported again: its
    chain depends on every month before it."""
    name = f"the kept record {kept.path}"
    if not record:
        findings.add(MANIFEST, f"lists {'no months' if record is not None else 'nothing that can be read'}, but "
                     f"{name} lists {_count(len(kept.entries), 'month')}",
                     f"the {_count(len(kept.entries), 'month')} kept, {kept.entries[0]['month']} to "
                     f"{kept.entries[-1]['month']}, then any added since", "none")
        return 0
    changed_before = False
    for index, entry in enumerate(kept.entries):
        if index >= len(record):
            missing = len(kept.entries) - index
            findings.add(MANIFEST, f"is shorter than {name}: its last {_count(missing, 'month')} "
                         f"{'is' if missing == 1 else 'are'} gone", f"{entry['month']} and what follows",
                         "the record ends before")
            break
        current = record[index]
        if current["month"] != entry["month"]:
            findings.add(MANIFEST, f"month {index + 1} of the record is not the one of {name}: months were removed "
                         "or inserted", entry["month"], current["month"])
            break
        changed = [field for field in kept.fields if current[field] != entry[field]]
        if not changed or (changed == ["chain"] and changed_before):
            continue
        if index == 0:
            what = (f"its first month, {entry['month']}, differs from {name}: the kept record belongs to another site, "
                    "or this site's record was rewritten from its first month")
        else:
            what = f"{entry['month']} changed since {name}"
        findings.add(MANIFEST, what + ("" if changed_before or index + 1 == len(kept.entries) else
                                       " (so does the chain of every month after it)"),
                     _fields(entry, changed), _fields(current, changed))
        changed_before = True
    return max(0, len(record) - len(kept.entries))


def _fields(entry: dict, names: list) -> Said:
    return Said(", ".join(f"{name} {entry[name]}" for name in names))


# 11. On chain (--rpc): every line and payout with a tx, against Ethereum JSON-RPC endpoints the reader
# chooses, in batches; several endpoints must agree, or nothing is concluded from them.

TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"  # Transfer(address,address,uint256)
RPC_BATCH = 100  # calls in one JSON-RPC batch request
QUANTITY = re.compile(r"0x(0|[1-9a-f][0-9a-f]{0,63})\Z")
WORD = re.compile(r"0x[0-9a-f]{64}\Z")
BYTES = re.compile(r"0x(?:[0-9a-f]{2})*\Z")


class Endpoint:
    """An Ethereum JSON-RPC endpoint: calls in batches, each request within the deadline and the size limit."""

    def __init__(self, url: str, timeout: float, limit: int):
        try:
            self.origin = origin(url)
        except ValueError:
            raise Unreadable(f"{url}: not a JSON-RPC endpoint address; expected http(s)://HOST[:PORT]/PATH") from None
        self.url, self.timeout, self.limit = url, timeout, limit

    def call(self, method: str, params: list) -> list:
        """The results of `method` with each of `params`, in order; Unreadable when the endpoint fails or errs."""
        batches = [params[start:start + RPC_BATCH] for start in range(0, len(params), RPC_BATCH)]
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=max(1, min(4, len(batches)))) as pool:
            return [result for batch in pool.map(lambda batch: self._batch(method, batch), batches)
                    for result in batch]

    def _batch(self, method: str, params: list) -> list:
        body = json.dumps([{"jsonrpc": "2.0", "id": index, "method": method, "params": param}
                           for index, param in enumerate(params)]).encode()
        data = fetch(self.url, self.timeout, self.limit, self.origin, self.url, body,
                     {"Content-Type": "application/json", "Accept": "application/json"})
        if data is None:
            raise Unreadable(f"{self.url}: HTTP 404: no JSON-RPC endpoint there")
        try:
            answer = parse_json(data)
        except Malformed as exc:
            raise Unreadable(f"{self.url}: its answer to {method} {exc}; expected a JSON-RPC 2.0 answer") from None
        if type(answer) is dict and type(answer.get("error")) is dict:
            raise Unreadable(_printable(f"{self.url}: answers {method} with an error: {_error(answer['error'])}"))
        if type(answer) is not list:
            raise Unreadable(f"{self.url}: answers a batch of {method} with {_kind(answer)}; expected a list of "
                             "answers (JSON-RPC 2.0 batch)")
        results: dict = {}
        for item in answer:
            ident = item.get("id") if type(item) is dict else None
            if type(ident) is not int or not 0 <= ident < len(params) or ident in results or \
                    item.get("jsonrpc") != "2.0" or ("result" in item) == ("error" in item):
                raise Unreadable(_printable(f"{self.url}: answers a batch of {method} with {_show(item)}; expected "
                                            "one JSON-RPC 2.0 answer per request, each with its id"))
            if "error" in item:
                raise Unreadable(_printable(f"{self.url}: answers {method} {_show(params[ident][0])} with an error: "
                                            f"{_error(item['error'])}"))
            results[ident] = item["result"]
        if len(results) != len(params):
            raise Unreadable(f"{self.url}: answers {len(results)} of the {len(params)} calls of a batch of {method}; "
                             "expected an answer to each")
        return [results[index] for index in range(len(params))]


def _error(error) -> str:
    if type(error) is not dict:
        return _show(error)
    return f"{_show(error.get('code'))} {_show(error.get('message'))}"


class Receipt:
    """What a transaction's receipt shows: its status, its block, and its Transfer logs as (token, from, to, units)."""

    __slots__ = ("status", "block", "transfers")

    def __init__(self, status: int, block: int, transfers: list):
        self.status, self.block, self.transfers = status, block, transfers

    def facts(self) -> tuple:
        return self.status, self.block, tuple(self.transfers)


def read_receipt(url: str, tx: str, answer) -> Receipt | None:
    """A receipt as the execution API specification gives it (None: no such transaction); Unreadable otherwise."""
    if answer is None:
        return None
    problem = shape_error(answer, RECEIPT_SHAPE, "")
    if problem is None and answer["transactionHash"].lower() != tx:
        problem = (".transactionHash", f"the hash asked for, {tx}", answer["transactionHash"])
    if problem is not None:
        where, expected, found = problem
        found = f"has no {found.key}" if isinstance(found, _Missing) else f"is {_kind(found)}"
        raise Unreadable(_printable(f"{url}: its receipt of {tx} is not a receipt: {where.lstrip('.') or 'it'} "
                                    f"{found}; expected {expected}"))
    transfers = []
    for log in answer["logs"]:
        topics = [topic.lower() for topic in log["topics"]]
        data = log["data"].lower()
        if len(topics) == 3 and topics[0] == TRANSFER_TOPIC and len(data) == 66:
            transfers.append((log["address"].lower(), "0x" + topics[1][26:], "0x" + topics[2][26:], int(data, 16)))
    return Receipt(int(answer["status"], 16), int(answer["blockNumber"], 16), transfers)


def _hex(pattern, expected: str) -> Kind:
    match = pattern.match
    return Kind(lambda value: type(value) is str and match(value.lower()) is not None, expected)


K_QUANTITY = _hex(QUANTITY, "a hex quantity, like 0x1")
RECEIPT_SHAPE = Obj({  # what is read of a receipt (it has more fields)
    "transactionHash": _hex(WORD, "a transaction hash"), "status": one_of("0x0", "0x1"), "blockNumber": K_QUANTITY,
    "logs": Lst(Obj({"address": _hex(ADDRESS, "an address"), "topics": Lst(_hex(WORD, "a 32-byte topic")),
                     "data": _hex(BYTES, "hex bytes")}, others=True))}, others=True)


class OnChain:
    """The outcome of the on-chain check: how many payouts and remittances of how many were found."""

    def __init__(self, chain: str, endpoints: int):
        self.chain, self.endpoints = chain, endpoints
        self.checked = {"payout": 0, "remittance": 0}
        self.found = {"payout": 0, "remittance": 0}
        self.elsewhere = 0  # lines with a tx on another chain

    def summary(self) -> str:
        parts = [f"{self.found[kind]} of {_count(self.checked[kind], kind)}" for kind in ("payout", "remittance")]
        other = f"; {_count(self.elsewhere, 'line')} on other chains not checked (--chain)" if self.elsewhere else ""
        return (f"{parts[0]} and {parts[1]} found on chain ({self.chain}, by "
                f"{_count(self.endpoints, 'endpoint')}){other}")


def check_on_chain(transfers: list, agreements: Agreements, urls: list, chain_id: str | None, timeout: float,
                   limit: int, findings: Findings) -> OnChain:
    """Every Transfer claimed on the chain the endpoints serve, found in its transaction's receipt."""
    chains = sorted({transfer.chain for transfer in transfers})
    if chain_id is None:
        if len(agreements.chains) > 1 and len(chains) > 1:
            raise Unreadable(f"the site carries transactions on several chains ({', '.join(chains)}); expected --chain "
                             "ID to say which one the --rpc endpoints serve")
        chain_id = chains[0] if chains else (sorted(agreements.chains) or ["none"])[0]
    elif chain_id not in agreements.chains:
        raise Unreadable(f"--chain {chain_id}: not a chain of agreements.json; expected one of "
                         f"{', '.join(sorted(agreements.chains)) or 'none'}")
    outcome = OnChain(chain_id, len(urls))
    here = [transfer for transfer in transfers if transfer.chain == chain_id]
    outcome.elsewhere = len(transfers) - len(here)
    if not here:
        return outcome
    endpoints = [Endpoint(url, timeout, limit) for url in urls]
    hashes = sorted({transfer.tx for transfer in here})
    receipts = _agreed(endpoints, "eth_getTransactionReceipt", [[tx] for tx in hashes],
                       lambda url, param, answer: read_receipt(url, param[0], answer),
                       lambda receipt: None if receipt is None else receipt.facts())
    by_tx = dict(zip(hashes, receipts))
    dated = {transfer.tx for transfer in here if transfer.kind == "payout"}  # only a payout's date is checked
    blocks = sorted({receipt.block for tx, receipt in zip(hashes, receipts) if receipt is not None and tx in dated})
    times = dict(zip(blocks, _agreed(endpoints, "eth_getBlockByNumber", [[hex(block), False] for block in blocks],
                                     _read_block, lambda value: value)))
    treasury = agreements.treasury.get(chain_id, set())
    used: dict = {}  # (tx, index of the Transfer) -> the line or payout that claimed it
    for transfer in sorted(here, key=lambda t: t.kind != "payout"):  # payouts first: their match is the narrower
        outcome.checked[transfer.kind] += 1
        receipt = by_tx[transfer.tx]
        problem = _match(transfer, receipt, treasury, used)
        if problem is None:
            outcome.found[transfer.kind] += 1
            if transfer.kind == "payout":
                day = datetime.fromtimestamp(times[receipt.block], timezone.utc).date().isoformat()
                if day != transfer.date:
                    findings.add(transfer.file, f"{transfer.where}: tx {transfer.tx} on {chain_id}: its block is of "
                                 "another day (UTC)", transfer.date, day)
            continue
        expected, found = problem
        findings.add(transfer.file, f"{transfer.where}: tx {transfer.tx} on {chain_id}: {found[0]}", expected, found[1])
    return outcome


def _read_block(url: str, param: list, answer) -> int:
    number = int(param[0], 16)
    if type(answer) is not dict or type(answer.get("number")) is not str or type(answer.get("timestamp")) is not str \
            or not QUANTITY.match(answer["number"].lower()) or int(answer["number"], 16) != number \
            or not QUANTITY.match(answer["timestamp"].lower()):
        raise Unreadable(_printable(f"{url}: its block {number} is not the block asked for, with a timestamp; found "
                                    f"{_show(answer)}"))
    return int(answer["timestamp"], 16)


def _agreed(endpoints: list, method: str, params: list, read, facts) -> list:
    """What every endpoint answers, read; Unreadable, saying where, when two of them differ."""
    answers = [[read(endpoint.url, param, answer) for param, answer in zip(params, endpoint.call(method, params))]
               for endpoint in endpoints]
    first = answers[0]
    for endpoint, other in zip(endpoints[1:], answers[1:]):
        for param, mine, theirs in zip(params, first, other):
            if facts(mine) != facts(theirs):
                raise Unreadable(_printable(
                    f"the endpoints disagree on {method} {param[0]}: {endpoints[0].url} shows {_facts(facts(mine))}, "
                    f"{endpoint.url} shows {_facts(facts(theirs))}; one of them is wrong, and nothing is concluded "
                    "from either"))
    return first


def _facts(value) -> str:
    if value is None:
        return "no such transaction"
    if type(value) is int:
        return f"timestamp {value}"
    status, block, transfers = value
    return (f"status {status} in block {block} with {_count(len(transfers), 'Transfer')}"
            + (": " + "; ".join(f"{units} units of {token} from {sender} to {receiver}"
                                for token, sender, receiver, units in transfers[:3]) if transfers else ""))


def _units(units: int, decimals: int, currency: str) -> str:
    text = str(units).rjust(decimals + 1, "0")
    whole, fraction = (text[:-decimals], text[-decimals:].rstrip("0")) if decimals else (text, "")
    return f"{units} base units ({whole}{'.' + fraction if fraction else ''} {currency})"


def _match(transfer: Transfer, receipt: Receipt | None, treasury: set, used: dict):
    """None when the receipt bears the transfer out (and it is marked used); else (expected, (what, found))."""
    want = (transfer.token, transfer.address, transfer.units)
    expected = Said(f"a Transfer of {_units(transfer.units, transfer.decimals, transfer.currency)} "
                    + (f"from the Foundation to {transfer.address}" if transfer.kind == "payout" else
                       "to the Foundation"))
    if receipt is None:
        return expected, ("no such transaction", "none")
    if receipt.status != 1:
        return expected, ("the transaction failed", Said("status 0"))
    if not receipt.transfers:
        return expected, ("the transaction carries no Transfer", "none")

    def fits(log) -> bool:
        token, sender, receiver, units = log
        if transfer.kind == "payout":
            return (token, receiver, units) == want and sender in treasury
        return token == transfer.token and units == transfer.units and receiver in treasury

    for index, log in enumerate(receipt.transfers):
        if fits(log) and (transfer.tx, index) not in used:
            used[transfer.tx, index] = transfer
            return None
    for index, log in enumerate(receipt.transfers):
        if fits(log):
            other = used[transfer.tx, index]
            return expected, (f"its Transfer is the one already matched to {other.where} of {other.file}",
                              Said("one Transfer for two lines"))
    token, sender, receiver, units = _closest(transfer, receipt.transfers, treasury)
    if token != transfer.token:
        what = "another token"
    elif transfer.kind == "payout" and receiver != transfer.address:
        what = "another recipient"
    elif transfer.kind == "remittance" and receiver not in treasury:
        what = "a transfer to an account that is not the Foundation's"
    elif units != transfer.units:
        what = "another amount"
    else:
        what = "a transfer from an account that is not the Foundation's"
    shown = _units(units, transfer.decimals, transfer.currency) if token == transfer.token else \
        f"{units} base units of the token {token}"
    return expected, (what, Said(f"a Transfer of {shown} from {sender} to {receiver}"))


def _closest(transfer: Transfer, transfers: list, treasury: set) -> tuple:
    """The Transfer of the receipt that agrees with the claim in the most ways."""
    def agreement(log) -> int:
        token, sender, receiver, units = log
        to_ok = receiver == transfer.address if transfer.kind == "payout" else receiver in treasury
        from_ok = sender in treasury if transfer.kind == "payout" else True
        return (token == transfer.token) * 4 + to_ok * 2 + (units == transfer.units) * 2 + from_ok
    return max(transfers, key=agreement)


# 12. The whole check, and the command line.

class Verifier:
    """Checks one site: run() reads its files, checks them, and returns the findings."""

    def __init__(self, source, kept: Kept | None = None, rpc: list | None = None, chain: str | None = None,
                 timeout: float = TIMEOUT, limit: int = MAX_BYTES):
        self.source, self.kept = source, kept
        self.rpc, self.chain, self.timeout, self.limit = rpc or [], chain, timeout, limit
        self.transfers: list = []  # the lines and payouts carried on chain
        self.on_chain: OnChain | None = None
        self.findings = Findings()
        self.record: list | None = None  # the manifest's months, when it can be read
        self.added = 0
        self.broken: dict = {}  # month -> why its file could not be checked, or does not hold together

    def document(self, path: str, data, shape, what: str):
        """The JSON document of a file of the right shape; None, reported once, when it is not."""
        if data is None:
            self.findings.add(path, "is missing", f"{what}, published with the site", "nothing")
            return None
        try:
            document = parse_json(data)
        except Malformed as exc:
            self.findings.malformed(path, f"{exc}; expected {what}")
            return None
        if fits(shape)(document):
            return document
        self.findings.shape(path, shape_error(document, shape, "") or ("", "its shape in contract " + CONTRACT,
                                                                         document), what)
        return None

    def compare_table(self, path: str, data, columns: tuple, expected: dict) -> None:
        """A CSV file against the rows the months give it (by month, in order): read and compared row by row,
        unless it is, byte for byte, what the site writes for those rows."""
        if data is None:
            self.findings.add(path, "is missing", "the CSV file, published with the site", "nothing")
            return
        # A cell the months cannot tell (None) is written empty here: not compared either way.
        rows = self.rows_if_changed(path, data, columns, [row for rows in expected.values() for row in rows])
        if rows is not None:
            compare_rows(path, rows, expected, self.order, self.broken, columns, self.findings)

    def rows_if_changed(self, path: str, data: bytes, columns: tuple, expected: list) -> list | None:
        """The rows of a CSV file that is not, byte for byte, what the site writes for `expected`; None when it
        is, or when it is no CSV file of these columns (reported)."""
        if data == csv_bytes(columns, expected):
            return None
        try:
            return parse_csv(data, columns)
        except Malformed as exc:
            self.findings.malformed(path, str(exc))
            return None

    def run(self) -> Findings:
        findings, source = self.findings, self.source
        data = source.read(MANIFEST)
        if data is None:
            raise Unreadable(f"{MANIFEST}: not found; expected a site published with its record")
        manifest = self.document(MANIFEST, data, MANIFEST_SHAPE, "the record of the published months")
        entries = self.read_record(manifest) if manifest is not None else None
        if self.kept is not None:
            self.added = compare_with_kept(self.kept, entries, findings)
        months = sorted({entry["month"] for entry in entries or ()})  # the manifest's order is checked above
        self.order = {month: index for index, month in enumerate(months)}
        years = sorted({month[:4] for month in months})
        files = source.read_all([AGREEMENTS, SUMMARY, REMITTANCES, PAYOUTS, MONTHS]
                                + [f"data/reports/{month}.json" for month in months]
                                + [f"data/years/{year}.json" for year in years])
        agreements_document = self.document(AGREEMENTS, files[AGREEMENTS], AGREEMENTS_SHAPE, "the agreements")
        before = findings.count()
        agreements = read_agreements(agreements_document, findings) if agreements_document is not None else None
        agreements_sound = agreements is not None and findings.count() == before
        if manifest is None:  # nothing says which months are published: nothing else can be checked
            for path in (SUMMARY, REMITTANCES, PAYOUTS, MONTHS):
                findings.skip(MANIFEST, path)
            return findings
        self.currency = manifest["currency"]
        if agreements is not None and agreements.currency != manifest["currency"]:
            findings.add(AGREEMENTS, "foundation.currency is not the manifest's", manifest["currency"],
                         agreements.currency)
        checked = self.check_months(sorted(entries, key=lambda entry: entry["month"]), files, agreements)
        self.transfers = [transfer for result in checked.values() for transfer in result.transfers]
        self.check_tables(files, checked)
        self.check_entities(agreements_document, agreements_sound)
        summary = self.document(SUMMARY, files[SUMMARY], SUMMARY_SHAPE, "the summary of all published months")
        if summary is not None:
            self.check_summary(summary, manifest["currency"], months, checked)
        for year in years:
            path = f"data/years/{year}.json"
            document = self.document(path, files[path], YEAR_SHAPE, f"the figures of {year}")
            if document is not None:
                self.check_year(path, year, document, manifest["currency"], checked)
        if self.rpc and agreements is not None:
            self.on_chain = check_on_chain(self.transfers, agreements, self.rpc, self.chain, self.timeout, self.limit,
                                           findings)
        elif self.rpc:
            findings.skip(AGREEMENTS, "the check on chain")
        return findings

    def read_record(self, manifest: dict) -> list:
        """The manifest's months, each chained to the one before; months out of order or listed twice reported."""
        findings, previous, last, seen = self.findings, GENESIS, None, set()
        for entry in manifest["months"]:
            month = entry["month"]
            if month in seen:
                findings.add(MANIFEST, f"{month} is listed twice", "each month once", "twice")
            elif last is not None and month < last:
                findings.add(MANIFEST, f"{month} is out of month order", f"a month after {last}", month)
            seen.add(month)
            last = month if last is None else max(month, last)
            expected = chain(previous, month, entry["source_sha256"], entry["figures_sha256"])
            if entry["chain"] != expected:
                findings.add(MANIFEST, f"the chain of {month} does not recompute from the previous chain and its "
                             "hashes", expected, entry["chain"])
            previous = entry["chain"]
        self.record = manifest["months"]
        return self.record

    def check_months(self, entries: list, files: dict, agreements: Agreements | None) -> dict:
        """Every month file in the manifest's order; the months checked, by month."""
        checked: dict = {}
        balances: dict | str = {}
        earlier: set = set()
        for entry in entries:
            month = entry["month"]
            path = f"data/reports/{month}.json"
            if month in earlier:  # listed twice: reported with the record
                continue
            document = self.document(path, files.pop(path), MONTH_SHAPE, f"the month file of {month}")
            if document is None:
                self.broken[month] = "could not be checked"
                balances = path
            else:
                found = self.findings.count()
                result = checked[month] = check_month(month, document, entry, self.currency, agreements, balances,
                                                      earlier, self.findings)
                # A month that does not hold together in itself is not held against the other files: its own
                # findings say what is wrong, and the next month carries the balances it should have had.
                if [problem for problem in self.findings.problems[found:] if "figures_sha256" not in problem]:
                    self.broken[month] = "does not hold together"
                balances = result.carried
            earlier.add(month)
        return checked

    def skip_broken(self, months, file: str, count: int) -> bool:
        """Count `count` checks of `file` as not made for each of `months` that is broken; whether any is."""
        broken = [month for month in months if month in self.broken]
        for month in broken:
            self.findings.skip(f"data/reports/{month}.json", file, count, self.broken[month])
        return bool(broken)

    def check_tables(self, files: dict, checked: dict) -> None:
        """The CSV files, against the months checked."""
        for path, columns, rows_of in ((REMITTANCES, REMITTANCE_COLUMNS, lambda m: m.lines),
                                       (PAYOUTS, PAYOUT_COLUMNS, lambda m: [row for row, _ in m.payouts]),
                                       (MONTHS, MONTH_COLUMNS, lambda m: [
                                           (m.month, "published", m.published, *map(money, m.totals))])):
            self.compare_table(path, files[path], columns, {month: rows_of(result) for month, result in checked.items()})
        people = sorted({pid for result in checked.values() for pid in result.statements})
        sponsors = sorted({sid for result in checked.values() for sid in result.sponsors})
        statements = self.source.read_all([f"data/people/{pid}.csv" for pid in people]
                                          + [f"data/sponsors/{sid}.csv" for sid in sponsors])
        for pid in people:
            path = f"data/people/{pid}.csv"
            self.compare_table(path, statements.pop(path), STATEMENT_COLUMNS,
                               {month: [tuple(row) for row in result.statements.get(pid, ())]
                                for month, result in checked.items()})
        by_sponsor: dict = {sid: {month: [] for month in checked} for sid in sponsors}
        for month, result in checked.items():
            for row in result.lines:
                by_sponsor[row[4]][month].append(row)
        for sid in sponsors:
            path = f"data/sponsors/{sid}.csv"
            self.compare_table(path, statements.pop(path), REMITTANCE_COLUMNS, by_sponsor[sid])

    def check_entities(self, document: dict | None, sound: bool) -> None:
        """The entity tables that the site publishes (absent ones are not the contract's), against agreements.json
        when it holds together (else each is a check not made: which of the two is wrong cannot be told)."""
        paths = [f"data/{name}.csv" for name in ENTITY_COLUMNS]
        files = self.source.read_all(paths)
        if document is None or not sound:
            for path in paths:
                if files[path] is not None:
                    self.findings.skip(AGREEMENTS, path, why="does not hold together")
            return
        for path, (columns, expected) in entity_rows(document).items():
            rows = self.rows_if_changed(path, files[path], columns, expected) if files[path] is not None else None
            if rows is not None:
                compare_entities(path, rows, expected, columns, self.findings)

    def check_summary(self, summary: dict, currency: str, months: list, checked: dict) -> None:
        findings = self.findings
        if summary["currency"] != currency:
            findings.add(SUMMARY, "currency is not the manifest's", currency, summary["currency"])
        if summary["months"] != months:
            findings.add(SUMMARY, "months are not the manifest's", _months(months), _months(summary["months"]))
        if summary["months"] != months or self.skip_broken(months, SUMMARY, 1 + len(summary["maintainers"])):
            return
        total = Sums()
        for result in checked.values():
            total.add(result)
        check_sums(SUMMARY, summary, total, findings, connectors=False)
        accruals = [(month, _day(result.published), {pid: figures[0] for pid, figures in result.people.items()})
                    for month, result in checked.items()]
        payouts = [(when, month, index, to, paid) for month, result in checked.items()
                   for _, (when, index, to, paid) in result.payouts]
        expected, overall = waiting(accruals, payouts, total.people)
        for entry in summary["maintainers"]:
            for key, value in expected.get(entry["id"], {}).items():
                if entry[key] != value:
                    findings.add(SUMMARY, f"maintainer {entry['id']}: {key} does not follow from the months and "
                                 "payouts", value, entry[key])
        if summary["days_to_pay"] != overall:
            findings.add(SUMMARY, "days_to_pay does not follow from the months and payouts", overall,
                         summary["days_to_pay"])

    def check_year(self, path: str, year: str, document: dict, currency: str, checked: dict) -> None:
        findings = self.findings
        months = [month for month in self.order if month[:4] == year]
        for key, value in (("year", year), ("currency", currency)):
            if document[key] != value:
                findings.add(path, f"{key} is not the months'", value, document[key])
        if document["months"] != months:
            findings.add(path, "months are not the year's published months", _months(months),
                         _months(document["months"]))
            return
        if self.skip_broken(months, path, 1 + len(document["maintainers"])):
            return
        sums = Sums()
        for month in months:
            sums.add(checked[month])
        check_sums(path, document, sums, findings, connectors=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="TARGET", help="the site's folder (e.g. site) or its http(s) address")
    parser.add_argument("--since", metavar="KEPT",
                        help="a copy of data/manifest.json (or of the Atom feed reports/feed.xml) kept from earlier: "
                             "refuse any month it lists that changed or vanished")
    parser.add_argument("--timeout", type=_positive_number, default=TIMEOUT, metavar="SECONDS",
                        help=f"give up on a request after this long, from connecting to its last byte "
                             f"(default: {TIMEOUT:g})")
    parser.add_argument("--max-bytes", type=_byte_count, default=MAX_BYTES, metavar="N",
                        help=f"refuse a file larger than this (default: {MAX_BYTES})")
    parser.add_argument("--max-total", type=_byte_count, default=MAX_TOTAL, metavar="N",
                        help=f"refuse to read more than this in all (default: {MAX_TOTAL})")
    parser.add_argument("--rpc", action="append", metavar="URL",
                        help="an Ethereum JSON-RPC endpoint: check every payout and remittance with a tx on its chain; "
                             "give it more than once and every endpoint must give the same answers")
    parser.add_argument("--chain", metavar="ID",
                        help="the chain of agreements.json the --rpc endpoints serve (needed when the site carries "
                             "transactions on several chains)")


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds; expected a number above 0")
    return value


def _byte_count(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 1 << 40:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes; expected digits, such as 1048576")
    return int(text)


def source_of(target: str, timeout: float = TIMEOUT, limit: int = MAX_BYTES, total: int = MAX_TOTAL):
    """The folder or the web site that TARGET names."""
    budget = Budget(total)
    scheme = target.split(":", 1)[0].lower() if ":" in target else ""
    if scheme in ("http", "https"):
        return Web(target, timeout, limit, budget)
    if "://" in target:
        raise Unreadable(f"{target}: not a folder or an http(s) address")
    return Folder(target, limit, budget)


def run(args: argparse.Namespace) -> int:
    """Check TARGET; print each discrepancy; 0 when everything holds, 1 on a discrepancy, 2 when unreadable."""
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of rows and entries, no cycles: the collector would only rescan them
    try:
        kept = read_kept(args.since) if args.since else None
        verifier = Verifier(source_of(args.target, args.timeout, args.max_bytes, args.max_total), kept,
                            getattr(args, "rpc", None), getattr(args, "chain", None), args.timeout, args.max_bytes)
        findings = verifier.run()
    except Unreadable as exc:
        what = f"the kept record {args.since} (--since)" if isinstance(exc, KeptUnreadable) else args.target
        print(_printable(str(exc)), file=sys.stderr)
        print(_printable(f"error: cannot read {what}; nothing was verified"), file=sys.stderr)
        return 2
    except MemoryError:
        print(f"error: {args.target} could not be verified: its files do not fit in memory", file=sys.stderr)
        return 2
    finally:
        if collecting:
            gc.enable()
    for line in findings.lines():
        print(line, file=sys.stderr)
    if findings.problems:
        count = findings.count()
        print(_printable(f"{_count(count, 'discrepancy')}: {args.target} does not hold together"), file=sys.stderr)
        return 1
    record = verifier.record or []
    latest = f"; the latest, {record[-1]['month']}, has chain {record[-1]['chain']}" if record else \
        " (nothing is published yet)"
    since = ""
    if kept is not None:
        rule = "" if kept.current_rule else " (a record of an earlier rule, compared on month, published date and " \
                                            "source_sha256)"
        since = f"; the {_count(len(kept.entries), 'month')} of {kept.path}{rule} " \
                f"{'is' if len(kept.entries) == 1 else 'are'} unchanged, {verifier.added} added since"
    print(_printable(f"ok: {_count(len(record), 'published month')} verified{latest}{since}{_chain_note(verifier)}"))
    return 0


def _chain_note(verifier: Verifier) -> str:
    """What was, or was not, checked on chain."""
    if verifier.on_chain is not None:
        return "; " + verifier.on_chain.summary()
    if not verifier.transfers:
        return ""
    kinds = [sum(transfer.kind == kind for transfer in verifier.transfers) for kind in ("payout", "remittance")]
    return (f"; {_count(kinds[0], 'payout')} and {_count(kinds[1], 'remittance')} carry a transaction, not checked "
            "on chain (--rpc URL checks them)")


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
