"""Every discrepancy the verifier reports, in full: each file of an honest site changed in one way,
and what `build.py verify` then prints, word for word (tests/test_verify.py has the record, --since,
the stand-alone file and random sites). The messages are what a reader acts on; the figures in them
are the verifier's own arithmetic, worked out again here from the honest site's three months (see
FIGURES in tests/test_verify.py)."""

from __future__ import annotations

import argparse
import gc
import http.server
import json
import time

import pytest

from conftest import AGREEMENTS, JANUARY, REPORT, write_dataset
from test_verify import Server, build, check, copy, edit_csv, edit_json, honest, person, refused, reseal  # noqa: F401
from transparency import verify

FEB, MAR = "reports/2024-02.json", "reports/2024-03.json"


def write(name: str, text: str):
    return lambda site: (site / "data" / name).write_text(text)


def delete(name: str):
    return lambda site: (site / "data" / name).unlink()


def in_json(name: str, change):
    return lambda site: edit_json(site, name, change)


def in_csv(name: str, change):
    return lambda site: edit_csv(site, name, change)


def adjustment(month: dict) -> dict:
    return next(entry for entry in month["connectors"] if "adjusts" in entry)


def terms(agreements: dict, connector: str) -> list:
    return next(entry for entry in agreements["connectors"] if entry["id"] == connector)["terms"]


def connector(agreements: dict, cid: str) -> dict:
    return next(entry for entry in agreements["connectors"] if entry["id"] == cid)


def cell(rows: list, column: str, row: int, value: str) -> None:
    rows[row][rows[0].index(column)] = value


def bad_then_good(rows: list) -> None:
    """A copy of March's payout before it, its paid not an amount."""
    rows.insert(2, list(rows[2]))
    cell(rows, "paid", 2, "x")


def extra_row(rows: list, month: str) -> None:
    rows.append([month if name == "month" else value for name, value in zip(rows[0], rows[1])])


MONTHS = ("2024-01", "2024-02", "2024-03")
# What follows when acme-perp cannot be read from agreements.json: its line of each month is unknown.
PERP_UNKNOWN = [f"data/reports/{month}.json: line 2 (acme-perp): the connector is not in agreements.json; "
                "expected a connector of agreements.json, found acme-perp" for month in MONTHS]
# What follows when acme-spot's only terms entry cannot be read: none of its lines has terms in force.
SPOT_WITHOUT_TERMS = [
    *(f"data/reports/{month}.json: line 1 (acme-spot): no terms of agreements.json are in force in {month}; "
      "expected terms in force, found none" for month in MONTHS),
    "data/reports/2024-03.json: line 3 (acme-spot, adjusting 2024-01): no terms of agreements.json are in "
    "force in 2024-01; expected terms in force, found none"]


# (tamper, whether the manifest is then recomputed from the month files, whether the problems that follow
# are all of them or the first ones, the problems printed)
CASES = {
    # data/manifest.json
    "the manifest not an object": (write("manifest.json", "[]"),
        False, False,
        ['data/manifest.json: is not a manifest; expected {"currency": ..., "months": [...]}, found a list']),
    "the manifest without its currency": (in_json("manifest.json", lambda m: m.pop("currency")),
        False, True,
        ["data/manifest.json: currency is missing; expected the reporting currency, found none"]),
    "a manifest entry not an object": (in_json("manifest.json", lambda m: m["months"].__setitem__(2, "2024-03")),
        False, False,
        ["data/manifest.json: months[2] is not a month's record; expected an object with a month YYYY-MM, found "
         "2024-03",
         "data/remittances.csv: has rows for 2024-03, which is not a published month; expected rows of the "
         "manifest's months only, found 3 rows",
         "data/payouts.csv: has rows for 2024-03, which is not a published month; expected rows of the manifest's "
         "months only, found 1 row"]),
    "a manifest entry with hashes that are not hashes": (in_json(
        "manifest.json", lambda m: m["months"][1].update(figures_sha256="ABC", chain=None)),
        False, False,
        ["data/manifest.json: 2024-02: figures_sha256, chain is not a SHA-256; expected 64 lowercase hex digits, "
         "found ABC, none",
         "data/manifest.json: the chain of 2024-03 does not recompute from the previous chain and its hashes; "
         "expected 422b29025f54b61fa0a23b0c948092bdddffa23d8c67d12cb1976fe08825632d, found "
         "1526234824e37964eab6c58cab7e4289afdc11f2938379068f10e408c91e182f"]),
    "a manifest entry with a source hash that is not a hash": (in_json(
        "manifest.json", lambda m: m["months"][1].update(source_sha256="abc")),
        False, False,
        ["data/manifest.json: 2024-02: source_sha256 is not a SHA-256; expected 64 lowercase hex digits, found abc",
         "data/manifest.json: the chain of 2024-03 does not recompute from the previous chain and its hashes; "
         "expected 422b29025f54b61fa0a23b0c948092bdddffa23d8c67d12cb1976fe08825632d, found "
         "1526234824e37964eab6c58cab7e4289afdc11f2938379068f10e408c91e182f"]),
    "a manifest entry published on a day that does not exist": (in_json(
        "manifest.json", lambda m: m["months"][1].update(published="2024-02-30")),
        False, True,
        ["data/manifest.json: 2024-02: published is not a date; expected YYYY-MM-DD, found 2024-02-30",
         "data/reports/2024-02.json: published date is not the manifest's; expected 2024-02-30, found 2024-03-05",
         "data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":30,"median":1,"months":2}, found {"max":32,"median":30,"months":3}',
         'data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":30,"median":1,'
         '"months":2}, found {"max":32,"median":30,"months":3}']),
    # data/agreements.json
    "the agreements not an object": (write("agreements.json", "[]"),
        False, False,
        ['data/agreements.json: is not the agreements; expected {"foundation": ..., "connectors": [...]}, found a '
         "list",
         "data/agreements.json: foundation.currency is not the manifest's; expected USD, found none",
         "data/reports/2024-01.json: line 1 (acme-spot): the connector is not in agreements.json; expected a "
         "connector of agreements.json, found acme-spot"]),
    "the agreements in another currency": (in_json("agreements.json", lambda a: a["foundation"].update(currency="EUR")),
        False, True,
        ["data/agreements.json: foundation.currency is not the manifest's; expected USD, found EUR"]),
    "a connector without an id": (in_json("agreements.json", lambda a: a["connectors"][1].pop("id")),
        False, True,
        ["data/agreements.json: connectors[1] is not a connector; expected an object with an id, found an object",
         *PERP_UNKNOWN]),
    "until not a month": (in_json("agreements.json", lambda a: connector(a, "acme-perp").update(until="June")),
        False, True,
        ["data/agreements.json: connector acme-perp: until is not a month; expected YYYY-MM or null, found June"]),
    "no terms": (in_json("agreements.json", lambda a: connector(a, "acme-perp").update(terms=[])),
        False, True,
        ["data/agreements.json: connector acme-perp: terms are missing; expected a non-empty list, found a list",
         *PERP_UNKNOWN]),
    "terms not in month order": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot").append(dict(terms(a, "acme-spot")[0]))),
        False, True,
        ["data/agreements.json: connector acme-spot: terms[1].since is not a month after the previous entry's; "
         "expected YYYY-MM, strictly increasing, found 2024-01"]),
    "a share that is not a share": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot")[0].update(maintainer_share="half")),
        False, True,
        ["data/agreements.json: connector acme-spot: terms[0].maintainer_share is not a share; expected a "
         "percentage like 40%, found half",
         *SPOT_WITHOUT_TERMS]),
    "a maintainer that is not an id": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot")[0].update(maintainer=7)),
        False, False,
        ["data/agreements.json: connector acme-spot: terms[0].maintainer is not an id; expected a person's id or "
         "null, found 7",
         "data/reports/2024-01.json: line 1 (acme-spot): no terms of agreements.json are in force in 2024-01; "
         "expected terms in force, found none"]),
    "a connector listed twice": (in_json("agreements.json", lambda a: a["connectors"].append(a["connectors"][0])),
        False, True,
        ["data/agreements.json: connector acme-spot is listed twice; expected one entry per connector, found two"]),
    "terms that start later": (in_json("agreements.json", lambda a: terms(a, "acme-perp")[0].update(since="2024-03")),
        False, True,
        ["data/reports/2024-01.json: line 2 (acme-perp): no terms of agreements.json are in force in 2024-01; "
         "expected terms in force, found none",
         "data/reports/2024-02.json: line 2 (acme-perp): no terms of agreements.json are in force in 2024-02; "
         "expected terms in force, found none"]),
    "a new maintainer from March": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot").append(dict(terms(a, "acme-spot")[0], since="2024-03",
            maintainer="ben"))),
        False, True,
        ["data/reports/2024-03.json: line 1 (acme-spot): the maintainer is not the one of the terms in force since "
         "2024-03; expected ben, found ana"]),
    # a month file
    "a month file not an object": (write(FEB, "[]"),
        False, False,
        ["data/reports/2024-02.json: is not a month's figures; expected an object, found a list"]),
    "a month file without sponsors or totals": (in_json(FEB, lambda m: (m.pop("sponsors"), m.update(totals=[]))),
        False, False,
        ["data/reports/2024-02.json: lacks fields of the contract; expected month, currency, totals, connectors, "
         "sponsors, maintainers, found no valid totals, sponsors"]),
    "a month file of another month": (in_json(FEB, lambda m: m.update(month="2024-01")),
        True, True,
        ["data/reports/2024-02.json: is the file of another month; expected 2024-02, found 2024-01"]),
    "a month file in another currency": (in_json(FEB, lambda m: m.update(currency="EUR")),
        True, True,
        ["data/reports/2024-02.json: currency is not the manifest's; expected USD, found EUR"]),
    "a draft in the manifest": (in_json(FEB, lambda m: m.update(status="draft")),
        True, True,
        ["data/reports/2024-02.json: is in the manifest but not published; expected status published, found draft"]),
    "a month file published on another day": (in_json(FEB, lambda m: m.update(published="2024-03-04")),
        True, True,
        ["data/reports/2024-02.json: published date is not the manifest's; expected 2024-03-05, found 2024-03-04"]),
    "a month file of another source": (in_json(FEB, lambda m: m["source"].update(sha256="0" * 64)),
        True, True,
        ["data/reports/2024-02.json: source sha256 is not the manifest's source_sha256; expected "
         "314db1a767ed8665e823a1f55175e55f81bab88d3ac4b3053ca1a56d2666bfad, found "
         "0000000000000000000000000000000000000000000000000000000000000000"]),
    "a line without flags": (in_json(FEB, lambda m: m["connectors"][0].pop("flags")),
        False, False,
        ["data/reports/2024-02.json: figures lack fields of the record; expected every field the manifest's "
         "figures_sha256 covers, found some missing",
         "data/reports/2024-02.json: connectors[0] is not a line; expected id, sponsor, maintainer, flags and "
         'amounts with 2 decimals, found {"amount":"100.00","currency":"USD","foundation":"50.00","id":"acme-spot",'
         '"maintainer":"ana","maintainers":"50.00","remitted":"100.00","sponsor":"acme"}']),
    "an amount without cents": (in_json(FEB, lambda m: m["connectors"][0].update(remitted="100")),
        True, False,
        ["data/reports/2024-02.json: connectors[0] is not a line; expected id, sponsor, maintainer, flags and "
         'amounts with 2 decimals, found {"amount":"100.00","currency":"USD","flags":[],"foundation":"50.00",'
         '"id":"acme-spot","maintainer":"ana","maintainers":"50.00","remitted":"100","sponsor":"acme"}']),
    "an adjustment without its flag": (in_json(MAR, lambda m: adjustment(m).update(flags=[])),
        True, True,
        ["data/reports/2024-03.json: line 3 (acme-spot, adjusting 2024-01): an adjustment without the adjustment "
         "flag; expected adjustment, found no flags",
         "data/remittances.csv: row 8: flags disagrees with line acme-spot of data/reports/2024-03.json; expected "
         '"", found adjustment']),
    "an adjustment of a later month": (in_json(MAR, lambda m: adjustment(m).update(adjusts="2024-04")),
        True, True,
        ["data/reports/2024-03.json: line 3 (acme-spot, adjusting 2024-04): adjusts a month that is not an earlier "
         "published month; expected a month of the manifest before 2024-03, found 2024-04",
         "data/remittances.csv: row 8: adjusts disagrees with line acme-spot of data/reports/2024-03.json; expected "
         "2024-04, found 2024-01"]),
    "the adjustment flag without adjusts": (in_json(
        FEB, lambda m: m["connectors"][0].update(flags=["adjustment", "x"])),
        True, True,
        ["data/reports/2024-02.json: line 1 (acme-spot): flagged adjustment without adjusts; expected no adjustment "
         "flag, found adjustment x",
         "data/remittances.csv: row 4: flags disagrees with line acme-spot of data/reports/2024-02.json; expected "
         'adjustment x, found ""']),
    "a connector not in the agreements": (in_json(FEB, lambda m: m["connectors"][1].update(id="zeta")),
        True, True,
        ["data/reports/2024-02.json: line 2 (zeta): the connector is not in agreements.json; expected a connector "
         "of agreements.json, found zeta",
         "data/remittances.csv: row 5: connector disagrees with line zeta of data/reports/2024-02.json; expected "
         "zeta, found acme-perp",
         "data/years/2024.json: connector acme-perp: remitted is not the sum of the months; expected 1500.31, found "
         "2250.46",
         "data/years/2024.json: connector acme-perp: foundation is not the sum of the months; expected 1500.31, "
         "found 2250.46",
         "data/years/2024.json: connector zeta is missing; expected an entry with its figures, found none"]),
    "another sponsor": (in_json(FEB, lambda m: m["connectors"][1].update(sponsor="zeta")),
        True, True,
        ["data/reports/2024-02.json: line 2 (acme-perp): the sponsor is not the connector's in agreements.json; "
         "expected acme, found zeta",
         "data/remittances.csv: row 5: sponsor disagrees with line acme-perp of data/reports/2024-02.json; expected "
         "zeta, found acme",
         "data/reports/2024-02.json: sponsor acme: remitted is not the sum of its connectors' lines; expected "
         "100.00, found 850.15",
         "data/reports/2024-02.json: sponsor zeta is missing; expected an entry with its figures, found none",
         "data/summary.json: sponsor acme: remitted is not the sum of the months; expected 1790.31, found 2540.46",
         "data/summary.json: sponsor zeta is missing; expected an entry with its figures, found none",
         "data/years/2024.json: sponsor acme: remitted is not the sum of the months; expected 1790.31, found 2540.46",
         "data/years/2024.json: sponsor zeta is missing; expected an entry with its figures, found none"]),
    "a maintainer where the terms have none": (in_json(FEB, lambda m: m["connectors"][1].update(maintainer="ben")),
        True, True,
        ["data/reports/2024-02.json: line 2 (acme-perp): the maintainer is not the one of the terms in force since "
         "2024-01; expected none, found ben",
         "data/remittances.csv: row 5: maintainer disagrees with line acme-perp of data/reports/2024-02.json; "
         'expected ben, found ""',
         "data/reports/2024-02.json: maintainer ben is missing, but is the maintainer on a line; expected an entry "
         "for them, found none"]),
    "a maintainer listed twice": (in_json(FEB, lambda m: m["maintainers"].append(m["maintainers"][0])),
        True, True,
        ["data/reports/2024-02.json: maintainer ana is listed twice; expected one entry, found two"]),
    "a maintainer's figure not an amount": (in_json(FEB, lambda m: m["maintainers"][0].update(paid=40)),
        True, False,
        ["data/reports/2024-02.json: maintainers[0] is not a maintainer's figures; expected id, flags and amounts "
         'with 2 decimals, found {"accrued":"50.00","balance":"50.00","flags":[],"id":"ana","paid":40}',
         "data/reports/2024-02.json: maintainer ana is missing, but is the maintainer on a line; expected an entry "
         "for them, found none",
         "data/reports/2024-02.json: totals.paid is not the sum of the maintainers' paid; expected 0.00, found 40.00",
         "data/reports/2024-02.json: maintainer ana: paid is not the sum of their rows in data/payouts.csv; "
         "expected 40.00, found 0.00"]),
    "a maintainer without a line, a payout or a balance": (in_json(
        FEB, lambda m: m["maintainers"].append({"id": "ben", "accrued": "0.00", "paid": "0.00", "balance": "0.00",
            "flags": []})),
        True, True,
        ["data/reports/2024-02.json: maintainer ben is listed without a line, a payout or a balance; expected no "
         "entry, found one",
         "data/summary.json: maintainer ben is missing; expected an entry with its figures, found none",
         "data/years/2024.json: maintainer ben is missing; expected an entry with its figures, found none"]),
    "a maintainer with a line missing": (in_json(FEB, lambda m: m["maintainers"].clear()),
        True, False,
        ["data/reports/2024-02.json: maintainer ana is missing, but is the maintainer on a line; expected an entry "
         "for them, found none",
         "data/reports/2024-02.json: totals.paid is not the sum of the maintainers' paid; expected 0.00, found 40.00",
         "data/reports/2024-02.json: maintainer ana: paid is not the sum of their rows in data/payouts.csv; "
         "expected 40.00, found 0.00"]),
    "accrued not the sum of the parts": (in_json(
        FEB, lambda m: person(m, "ana").update(accrued="49.00", balance="49.00")),
        True, True,
        ["data/reports/2024-02.json: maintainer ana: accrued is not the sum of their maintainer parts; expected "
         "50.00, found 49.00",
         "data/reports/2024-03.json: maintainer ana: the balance does not carry from the month before (49.00 + "
         "55.00 accrued - 200.00 paid); expected -96.00, found -95.00",
         "data/summary.json: maintainer ana: accrued is not the sum of the months; expected 144.00, found 145.00",
         "data/years/2024.json: maintainer ana: accrued is not the sum of the months; expected 144.00, found 145.00"]),
    "an advance flag without an advance": (
        in_json(FEB, lambda m: person(m, "ana").update(flags=["advance", "outside_range"])),
        True, True,
        ["data/reports/2024-02.json: maintainer ana: the advance flag does not follow the balance; expected no "
         "advance flag, found advance outside_range"]),
    "an advance without its flag": (in_json(MAR, lambda m: person(m, "ana").update(flags=[])),
        True, True,
        ["data/reports/2024-03.json: maintainer ana: the advance flag does not follow the balance; expected advance, "
         "found no flags"]),
    "a total not an amount": (in_json(FEB, lambda m: m["totals"].update(paid=40)),
        True, True,
        ["data/reports/2024-02.json: totals.paid is not an amount; expected a string with 2 decimals, found 40"]),
    "a total paid that is not the sum": (in_json(FEB, lambda m: m["totals"].update(paid="41.00")),
        True, True,
        ["data/reports/2024-02.json: totals.paid is not the sum of the maintainers' paid; expected 40.00, found "
         "41.00",
         "data/summary.json: totals.paid is not the sum of the months; expected 241.00, found 240.00",
         "data/years/2024.json: totals.paid is not the sum of the months; expected 241.00, found 240.00"]),
    "a payout listed on another day": (in_json(MAR, lambda m: m["payouts"][0].update(date="2024-04-07")),
        True, True,
        ["data/payouts.csv: row 3: date disagrees with the payout in data/reports/2024-03.json; expected "
         "2024-04-07, found 2024-04-06"]),
    "a payout listed twice": (in_json(MAR, lambda m: m["payouts"].append(m["payouts"][0])),
        True, True,
        ["data/payouts.csv: the rows of 2024-03 are not one per payout of data/reports/2024-03.json; expected 2 "
         "rows, found 1 row"]),
    "a payout listed that is not an object": (in_json(MAR, lambda m: m["payouts"].__setitem__(0, "ana")),
        False, True,
        ["data/reports/2024-03.json: payouts[0] is not a payout; expected an object with to, date and paid, found "
         "ana"]),
    "a maintainer's entry not an object": (in_json(FEB, lambda m: m["maintainers"].append("eve")),
        True, True,
        ["data/reports/2024-02.json: figures lack fields of the record; expected every field the manifest's "
         "figures_sha256 covers, found some missing",
         "data/reports/2024-02.json: maintainers[1] is not a maintainer's figures; expected id, flags and amounts "
         "with 2 decimals, found eve"]),
    "a payout row that is not an amount before one that is": (in_csv("payouts.csv", bad_then_good),
        False, True,
        ["data/payouts.csv: row 3: paid is not an amount; expected a number with 2 decimals, found x",
         "data/payouts.csv: the rows of 2024-03 are not one per payout of data/reports/2024-03.json; expected 1 "
         "row, found 2 rows",
         "data/payouts.csv: row 3: paid is not round(amount x rate) = round(200 x 1); expected numbers, found x"]),
    "a figure changed, the record not": (in_json(FEB, lambda m: m["connectors"][1].update(remitted="750.16",
                                                                                        foundation="750.16")),
        False, True,
        ["data/reports/2024-02.json: figures do not hash to the manifest's figures_sha256 of 2024-02; expected "
         "b8dc87aa994e2b8b47709278d6e11de7eae40b600e31ce37e97db5b0377d8b86, found "
         "cf6afd829916f07cd7db4c401e41eb8896ce9c6244a9da34f84d5d0ab5bbd3e1",
         "data/remittances.csv: row 5: remitted disagrees with line acme-perp of data/reports/2024-02.json; "
         "expected 750.16, found 750.15",
         "data/remittances.csv: row 5: foundation disagrees with line acme-perp of data/reports/2024-02.json; "
         "expected 750.16, found 750.15",
         "data/reports/2024-02.json: totals.remitted is not the sum of the lines' values; expected 850.16, found "
         "850.15",
         "data/reports/2024-02.json: totals.foundation is not the sum of the lines' Foundation parts; expected "
         "800.16, found 800.15",
         "data/reports/2024-02.json: sponsor acme: remitted is not the sum of its connectors' lines; expected "
         "850.16, found 850.15",
         "data/summary.json: sponsor acme: remitted is not the sum of the months; expected 2540.47, found 2540.46",
         "data/years/2024.json: sponsor acme: remitted is not the sum of the months; expected 2540.47, found 2540.46",
         "data/years/2024.json: connector acme-perp: remitted is not the sum of the months; expected 2250.47, found "
         "2250.46",
         "data/years/2024.json: connector acme-perp: foundation is not the sum of the months; expected 2250.47, "
         "found 2250.46"]),
    "a terms entry not an object": (
        in_json("agreements.json", lambda a: terms(a, "acme-spot").__setitem__(0, "50%")),
        False, True,
        ["data/agreements.json: connector acme-spot: terms[0].since is not a month after the previous entry's; "
         "expected YYYY-MM, strictly increasing, found none",
         *SPOT_WITHOUT_TERMS]),
    "accrued without a line": (in_json(FEB, lambda m: m["maintainers"].append(
        {"id": "ben", "accrued": "5.00", "paid": "0.00", "balance": "5.00", "flags": []})),
        True, True,
        ["data/reports/2024-02.json: maintainer ben: accrued is not the sum of their maintainer parts; expected "
         "0.00, found 5.00",
         "data/reports/2024-03.json: maintainer ben is missing, but had a balance of 5.00; expected an entry for "
         "them, found none",
         "data/summary.json: maintainer ben is missing; expected an entry with its figures, found none",
         "data/years/2024.json: maintainer ben is missing; expected an entry with its figures, found none"]),
    # the CSV files
    "remittances.csv not UTF-8": (lambda site: (site / "data" / "remittances.csv").write_bytes(b"\xff\xfe"),
        False, True,
        ["data/remittances.csv: is not UTF-8 CSV; expected comma-separated rows under a header, found 'utf-8' codec "
         "can't decode byte 0xff in position 0: invalid start byte"]),
    "remittances.csv without two columns": (in_csv(
        "remittances.csv", lambda rows: [row.__delitem__(slice(9, 11)) for row in rows]),
        False, True,
        ["data/remittances.csv: lacks the columns remitted, maintainer_share; expected the columns the site "
         "publishes, found month, status, kind, connector, sponsor, maintainer, amount, currency, rate, "
         "maintainers, foundation, flags, adjusts, user_fees, volume, reference, reason"]),
    "remittances.csv with a short row": (in_csv("remittances.csv", lambda rows: rows[3].pop()),
        False, True,
        ["data/remittances.csv: row 4 has the wrong number of cells; expected 19, found 18",
         "data/remittances.csv: the rows of 2024-02 are not one per line of data/reports/2024-02.json; expected 2 "
         "rows, found 1 row"]),
    "remittances.csv empty": (write("remittances.csv", ""),
        False, True,
        ["data/remittances.csv: lacks the columns month, connector, sponsor, maintainer, remitted, maintainers, "
         "foundation, flags, adjusts, kind, maintainer_share; expected the columns the site publishes, found no "
         "header"]),
    "remittances.csv missing": (delete("remittances.csv"),
        False, True,
        ["data/remittances.csv: is missing; expected the file, published with the site, found nothing",
         "data/remittances.csv: lacks the columns month, connector, sponsor, maintainer, remitted, maintainers, "
         "foundation, flags, adjusts, kind, maintainer_share; expected the columns the site publishes, found no "
         "header"]),
    "remittances.csv with an amount that is not a number": (in_csv(
        "remittances.csv", lambda rows: cell(rows, "amount", 3, "1e")),
        False, True,
        ["data/remittances.csv: row 4: remitted is not round(amount x rate) = round(1e x 1); expected numbers, "
         "found 100.00"]),
    "remittances.csv rounded half to even": (in_csv(
        "remittances.csv", lambda rows: cell(rows, "amount", 3, "100.005")),
        False, True,
        ["data/remittances.csv: row 4: remitted is not round(amount x rate) = round(100.005 x 1); expected 100.01, "
         "found 100.00"]),
    "remittances.csv with a row of an unpublished month": (in_csv(
        "remittances.csv", lambda rows: extra_row(rows, "2024-07")),
        False, True,
        ["data/remittances.csv: has rows for 2024-07, which is not a published month; expected rows of the "
         "manifest's months only, found 1 row"]),
    "payouts.csv with paid not an amount": (in_csv("payouts.csv", lambda rows: cell(rows, "paid", 1, "40")),
        False, True,
        ["data/payouts.csv: row 2: paid is not an amount; expected a number with 2 decimals, found 40",
         "data/reports/2024-02.json: maintainer ana: paid is not the sum of their rows in data/payouts.csv; "
         "expected 0.00, found 40.00",
         "data/payouts.csv: row 2: paid disagrees with the payout in data/reports/2024-02.json; expected 40.00, "
         "found 40",
         "data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":61,"median":32,"months":3}, found {"max":32,"median":30,"months":3}',
         'data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":61,'
         '"median":32,"months":3}, found {"max":32,"median":30,"months":3}']),
    "payouts.csv with a date that is not a date": (in_csv("payouts.csv", lambda rows: cell(rows, "date", 1, "March 6")),
        False, True,
        ["data/payouts.csv: row 2: date disagrees with the payout in data/reports/2024-02.json; expected "
         "2024-03-06, found March 6",
         "data/payouts.csv: row 2: date is not a date; expected YYYY-MM-DD, found March 6",
         "data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":61,"median":32,"months":3}, found {"max":32,"median":30,"months":3}',
         'data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":61,'
         '"median":32,"months":3}, found {"max":32,"median":30,"months":3}']),
    "payouts.csv paying someone else": (in_csv("payouts.csv", lambda rows: cell(rows, "to", 2, "ben")),
        False, True,
        ["data/reports/2024-03.json: maintainer ben is missing, but received a payout; expected an entry for them, "
         "found none",
         "data/reports/2024-03.json: maintainer ana: paid is not the sum of their rows in data/payouts.csv; "
         "expected 0.00, found 200.00",
         "data/reports/2024-03.json: maintainer ben: paid is not the sum of their rows in data/payouts.csv; "
         "expected 200.00, found 0.00",
         "data/payouts.csv: row 3: to disagrees with the payout in data/reports/2024-03.json; expected ana, found "
         "ben",
         "data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":30,"median":30,"months":1}, found {"max":32,"median":30,"months":3}',
         'data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":30,'
         '"median":30,"months":1}, found {"max":32,"median":30,"months":3}']),
    "payouts.csv missing": (delete("payouts.csv"),
        False, True,
        ["data/payouts.csv: is missing; expected the file, published with the site, found nothing",
         "data/payouts.csv: lacks the columns month, to, date, paid; expected the columns the site publishes, found "
         "no header",
         "data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":null,"median":null,"months":0}, found {"max":32,"median":30,"months":3}',
         'data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":null,'
         '"median":null,"months":0}, found {"max":32,"median":30,"months":3}']),
    # data/summary.json
    "the summary not an object": (write("summary.json", "7"),
        False, True,
        ["data/summary.json: is not a summary; expected an object, found 7"]),
    "the summary in another currency": (in_json("summary.json", lambda s: s.update(currency="EUR")),
        False, True,
        ["data/summary.json: currency is not the manifest's; expected USD, found EUR"]),
    "a summary total": (in_json("summary.json", lambda s: s["totals"].update(paid="1.00")),
        False, True,
        ["data/summary.json: totals.paid is not the sum of the months; expected 240.00, found 1.00"]),
    "the summary's totals not an object": (in_json("summary.json", lambda s: s.update(totals=None)),
        False, True,
        ["data/summary.json: totals.remitted is not the sum of the months; expected 2540.46, found none",
         "data/summary.json: totals.maintainers is not the sum of the months; expected 145.00, found none",
         "data/summary.json: totals.foundation is not the sum of the months; expected 2395.46, found none",
         "data/summary.json: totals.paid is not the sum of the months; expected 240.00, found none"]),
    "the summary's sponsors not a list": (in_json("summary.json", lambda s: s.update(sponsors={})),
        False, True,
        ["data/summary.json: sponsors is not a list; expected a list of entries, found an object"]),
    "a summary sponsor without an id": (in_json("summary.json", lambda s: s["sponsors"].append({"remitted": "1.00"})),
        False, True,
        ["data/summary.json: sponsors[1] has no id; expected an object with an id, found an object"]),
    "a summary sponsor not an object": (in_json("summary.json", lambda s: s["sponsors"].append("zeta")),
        False, True,
        ["data/summary.json: sponsors[1] has no id; expected an object with an id, found zeta"]),
    "a summary sponsor twice": (in_json("summary.json", lambda s: s["sponsors"].append(s["sponsors"][0])),
        False, True,
        ["data/summary.json: sponsor acme is listed twice; expected one entry, found two"]),
    "a summary sponsor without figures": (in_json(
        "summary.json", lambda s: s["sponsors"].append({"id": "zeta", "remitted": "0.00"})),
        False, True,
        ["data/summary.json: sponsor zeta has no figures in the months; expected no entry, found one"]),
    "a summary sponsor missing": (in_json("summary.json", lambda s: s["sponsors"].clear()),
        False, True,
        ["data/summary.json: sponsor acme is missing; expected an entry with its figures, found none"]),
    "a summary balance": (in_json("summary.json", lambda s: s["maintainers"][0].update(balance="-94.00")),
        False, True,
        ["data/summary.json: maintainer ana: balance is not the balance after their last month; expected -95.00, "
         "found -94.00"]),
    "a summary advance flag": (in_json("summary.json", lambda s: s["maintainers"][0].update(flags=[])),
        False, True,
        ["data/summary.json: maintainer ana: the advance flag does not follow the balance; expected advance, found "
         "none"]),
    "a summary owed_since": (in_json("summary.json", lambda s: s["maintainers"][0].update(owed_since="2024-01")),
        False, True,
        ["data/summary.json: maintainer ana: owed_since does not follow from the months and payouts; expected none, "
         "found 2024-01"]),
    "the summary's maintainers without their waiting figures": (in_json("summary.json", lambda s: [
        entry.pop(key) for entry in s["maintainers"] for key in ("owed_since", "days_to_pay")]),
        False, True,
        ["data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":32,"median":30,"months":3}, found none']),
    "the summary's days_to_pay left out, owed_since kept": (in_json("summary.json", lambda s: [
        entry.pop("days_to_pay") for entry in (s, *s["maintainers"])]),
        False, True,
        ["data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; expected "
         '{"max":32,"median":30,"months":3}, found none',
         'data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":32,'
         '"median":30,"months":3}, found none']),
    "a summary days_to_pay": (in_json("summary.json", lambda s: s["days_to_pay"].update(max=31)),
        False, True,
        ['data/summary.json: days_to_pay does not follow from the months and payouts; expected {"max":32,'
         '"median":30,"months":3}, found {"max":31,"median":30,"months":3}']),
    # data/years/YYYY.json
    "a year not an object": (write("years/2024.json", "[]"),
        False, True,
        ["data/years/2024.json: is not a year's figures; expected an object, found a list"]),
    "a year of another year and currency": (in_json("years/2024.json", lambda y: y.update(year="2023", currency="EUR")),
        False, True,
        ["data/years/2024.json: year is not the months'; expected 2024, found 2023",
         "data/years/2024.json: currency is not the months'; expected USD, found EUR"]),
    "a year without its last month": (in_json("years/2024.json", lambda y: y["months"].pop()),
        False, True,
        ["data/years/2024.json: months are not the year's published months; expected [2024-01, 2024-02, 2024-03], "
         "found [2024-01, 2024-02]"]),
    "a year's connector": (in_json("years/2024.json", lambda y: y["connectors"][0].update(foundation="145.01")),
        False, True,
        ["data/years/2024.json: connector acme-spot: foundation is not the sum of the months; expected 145.00, "
         "found 145.01"]),
    "a year without totals": (in_json("years/2024.json", lambda y: y.pop("totals")),
        False, True,
        ["data/years/2024.json: totals.remitted is not the sum of the months; expected 2540.46, found none",
         "data/years/2024.json: totals.maintainers is not the sum of the months; expected 145.00, found none",
         "data/years/2024.json: totals.foundation is not the sum of the months; expected 2395.46, found none",
         "data/years/2024.json: totals.paid is not the sum of the months; expected 240.00, found none"]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_discrepancy_is_reported_in_full(copy, name):  # noqa: F811
    tamper, sealed, complete, expected = CASES[name]
    problems = refused(copy, tamper, sealed)
    count = len(problems) - 1
    assert problems[-1] == f"{count} discrepanc{'y' if count == 1 else 'ies'}: {copy} does not hold together"
    assert (problems[:-1] if complete else problems[:len(expected)]) == expected


PRE_1_1 = {  # what a site published before version 1.1 of the contract lacks, and still verifies
    "the summary's waiting figures": in_json("summary.json", lambda s: (
        s.pop("days_to_pay"), [entry.pop(key) for entry in s["maintainers"] for key in ("owed_since", "days_to_pay")])),
    "the year files": delete("years/2024.json"),
}


@pytest.mark.parametrize("name", PRE_1_1)
def test_a_site_of_contract_1_0_verifies(copy, name):  # noqa: F811
    PRE_1_1[name](copy)
    assert check(copy).code == 0


def test_flags_in_another_order_in_remittances_csv_are_the_same_flags(copy):  # noqa: F811
    edit_json(copy, MAR, lambda m: adjustment(m).update(flags=["adjustment", "outside_range"]))
    reseal(copy)
    edit_csv(copy, "remittances.csv", lambda rows: cell(rows, "flags", 7, "outside_range adjustment"))
    assert check(copy).code == 0


def test_a_csv_file_without_an_amount_or_a_rate_column_is_not_valued(copy):  # noqa: F811
    """round(amount x rate) is checked where a CSV file has both columns; neither is a column the check requires."""
    edit_csv(copy, "remittances.csv", lambda rows: [row.pop(rows[0].index("rate")) for row in reversed(rows)])
    edit_csv(copy, "payouts.csv", lambda rows: [row.pop(rows[0].index("amount")) for row in reversed(rows)])
    result = check(copy)
    assert (result.code, result.err) == (0, "")


def test_a_month_file_without_a_status_is_taken_as_published(copy):  # noqa: F811
    """Like published and source, status is checked where the month file has it: the manifest is the record."""
    edit_json(copy, FEB, lambda m: m.pop("status"))
    result = check(copy)
    assert (result.code, result.err) == (0, "")


def test_nothing_is_owed_since_any_month_on_a_balance_of_0_00(tmp_path):
    """February's balance made 0.00 (it does not carry: ana is owed 50.00): owed_since is null on a balance of 0 or
    less, as the contract says, so the summary's 2024-02 is refused too."""
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT}),
                 tmp_path / "site")
    assert json.loads((site / "data" / "summary.json").read_text())["maintainers"][0]["owed_since"] == "2024-02"
    edit_json(site, FEB, lambda m: person(m, "ana").update(balance="0.00"))
    reseal(site)
    assert check(site).err.splitlines()[:-1] == [
        "data/reports/2024-02.json: maintainer ana: the balance does not carry from the month before (40.00 + 50.00 "
        "accrued - 40.00 paid); expected 50.00, found 0.00",
        "data/summary.json: maintainer ana: balance is not the balance after their last month; expected 0.00, found "
        "50.00",
        "data/summary.json: maintainer ana: owed_since does not follow from the months and payouts; expected none, "
        "found 2024-02",
        "data/years/2024.json: maintainer ana: balance is not the balance after their last month; expected 0.00, "
        "found 50.00"]


def test_a_maintainer_left_out_who_carries_a_balance(tmp_path):
    """February has no line and no payout of ana's, but she carries January's 40.00: she must be listed."""
    february = "month: 2024-02\nstatus: published\npublished: 2024-03-05\nremittances: []\n"
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY, "2024-02.yml": february}),
                 tmp_path / "site")
    edit_json(site, FEB, lambda m: m["maintainers"].clear())
    reseal(site)
    assert check(site).err.splitlines()[:1] == [
        "data/reports/2024-02.json: maintainer ana is missing, but had a balance of 40.00; expected an entry for them, "
        "found none"]


# --- The command's own messages -------------------------------------------------------------------

def test_a_site_of_one_month_verifies_in_the_singular(tmp_path):
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY}), tmp_path / "site")
    chain = json.loads((site / "data" / "manifest.json").read_text())["months"][0]["chain"]
    result = check(site)
    assert (result.code, result.out, result.err) == (
        0, f"ok: 1 published month verified; the latest, 2024-01, has chain {chain}\n", "")


def test_a_site_of_drafts_only_verifies_nothing_published(tmp_path):
    draft = JANUARY.replace("status: published\npublished: 2024-02-05", "status: draft")
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": draft}), tmp_path / "site")
    result = check(site)
    assert (result.code, result.out, result.err) == (0, "ok: 0 published months verified\n", "")


def test_a_file_that_cannot_be_read_makes_the_check_incomplete(copy):  # noqa: F811
    (copy / "data" / FEB).unlink()
    (copy / "data" / FEB).mkdir()
    result = check(copy)
    assert result.code == 2
    assert result.err.splitlines()[-2:] == [
        "data/reports/2024-02.json: cannot be read: Is a directory",
        f"error: 1 file(s) of {copy} cannot be read; the check is incomplete"]


@pytest.mark.parametrize("kept, message", [
    (None, "cannot be read: No such file or directory"),
    ('{"no": "months"}', "not a manifest (data/manifest.json) or an Atom feed: 'months'"),
    ("<feed", "not a manifest or an Atom feed: unclosed token: line 1, column 0"),
    ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
     "lists no month with its chain; expected a kept copy of data/manifest.json or of the Atom feed reports/feed.xml"),
    ('{"months": [{"month": "2024-01", "chain": "abc"}]}',
     "lists no month with its chain; expected a kept copy of data/manifest.json or of the Atom feed reports/feed.xml"),
    ('{"months": [{"month": "2024-13", "chain": "' + "0" * 64 + '"}]}',
     "lists no month with its chain; expected a kept copy of data/manifest.json or of the Atom feed reports/feed.xml"),
])
def test_a_kept_copy_that_is_not_a_record_is_refused(honest, tmp_path, kept, message):  # noqa: F811
    path = tmp_path / "kept"
    if kept is not None:
        path.write_text(kept)
    result = check(honest, "--since", str(path))
    assert (result.code, result.err.splitlines()) == (
        2, [f"{path}: {message}", f"error: cannot read {honest}; nothing was verified"])


def test_a_kept_record_tells_how_many_months_were_added_since(honest, tmp_path):  # noqa: F811
    manifest = json.loads((honest / "data" / "manifest.json").read_text())
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps({"months": manifest["months"][:1]}))
    result = check(honest, "--since", str(kept))
    assert result.out == (f"ok: 3 published months verified; the latest, 2024-03, has chain "
                          f"{manifest['months'][2]['chain']}; the 1 months of {kept} are unchanged, 2 added since\n")


@pytest.mark.parametrize("target, message", [
    ("ftp://example.org/site/", "ftp://example.org/site/: not a folder or an http(s) address"),
    ("http://127.0.0.1:9/site/?page=1", "http://127.0.0.1:9/site/?page=1: not a site address; expected "
                                        "http(s)://HOST/PATH/"),
    ("https://", "https://: not a site address; expected http(s)://HOST/PATH/"),
])
def test_a_target_that_is_no_site_is_refused(target, message):
    result = check(target)
    assert (result.code, result.err.splitlines()) == (2, [message,
                                                          f"error: cannot read {target}; nothing was verified"])


def test_a_file_is_no_site_folder(tmp_path):
    target = tmp_path / "site.zip"
    target.write_bytes(b"PK")
    result = check(target)
    assert result.err.splitlines()[0] == f"{target}: not a folder; expected a site folder or an http(s) address"


# --- Over HTTP ------------------------------------------------------------------------------------

def test_a_server_error_and_a_dropped_connection_are_unreadable_files(honest):  # noqa: F811
    def failing(handler):
        handler.send_error(500)

    def dropping(handler):
        handler.close_connection = True  # no status line at all

    def babbling(handler):
        handler.wfile.write(b"HELLO\r\n\r\n")

    routes = {"/data/summary.json": failing, "/data/agreements.json": dropping, "/data/payouts.csv": babbling}
    with Server(honest, routes) as server:
        result = check(server.url)
    assert result.code == 2
    *_, first, second, third, last = result.err.splitlines()
    assert sorted([first, second, third]) == [
        f"data/agreements.json: cannot be fetched from {server.url}data/agreements.json: Remote end closed "
        "connection without response",
        f"data/payouts.csv: cannot be fetched from {server.url}data/payouts.csv: BadStatusLine: HELLO\\u000d\\u000a",
        f"data/summary.json: HTTP 500 Internal Server Error from {server.url}data/summary.json"]
    assert last == f"error: 3 file(s) of {server.url} cannot be read; the check is incomplete"


def test_a_site_that_does_not_answer(honest):  # noqa: F811
    with Server(honest) as server:
        url = server.url
    result = check(url)  # the server is gone: nothing listens on its port any more
    assert result.code == 2
    assert result.err.splitlines() == [
        f"data/manifest.json: cannot be fetched from {url}data/manifest.json: [Errno 111] Connection refused",
        f"error: cannot read {url}; nothing was verified"]


def test_a_response_that_trickles_in_times_out(honest):  # noqa: F811
    def trickle(handler):  # each piece comes well within the timeout, all of them do not
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(30):
                handler.wfile.write(b" " * 65536)
                handler.wfile.flush()
                time.sleep(0.3)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the verifier gave up, as it should

    with Server(honest, {"/data/summary.json": trickle}) as server:
        started = time.monotonic()
        result = check(server.url, "--timeout", "0.5")
    assert "data/summary.json: timed out after 0.5 s (--timeout)" in result.err.splitlines()
    assert time.monotonic() - started < 6  # long before the 9 s the whole response would take


@pytest.mark.parametrize("url, expected", [
    ("HTTP://Example.ORG/site/", ("http", "example.org", 80)), ("https://example.org", ("https", "example.org", 443)),
    ("https://example.org:8443/x", ("https", "example.org", 8443)),
    ("http://example.org:99999/", ("http", "example.org", None)),
    ("ftp://example.org/", ("ftp", "example.org", None)), ("/site/", ("", "", None))])
def test_an_origin_is_scheme_host_and_port(url, expected):
    assert verify.origin(url) == expected


# --- The verifier's arithmetic and words -----------------------------------------------------------

@pytest.mark.parametrize("text, value", [("12.34", 1234), ("-12.34", -1234), ("0.00", 0), ("0.05", 5),
                                         ("1000000.00", 100000000)])
def test_cents_of_an_amount_as_published(text, value):
    assert verify.cents(text) == value
    assert verify.money(value) == text


@pytest.mark.parametrize("text", ["-0.00", "01.00", "1.5", "1.234", "1", ".50", "1,00", " 1.00", 1.5, None])
def test_cents_refuses_what_is_not_an_amount_as_published(text):
    with pytest.raises(ValueError):
        verify.cents(text)


@pytest.mark.parametrize("value, share, part", [
    (1000, (50, 100), 500), (5, (50, 100), 3), (-5, (50, 100), -3), (3, (1, 3), 1), (-1234, (125, 1000), -154),
    (1001, (333, 1000), 333), (0, (40, 100), 0), (7, (0, 100), 0), (7, (100, 100), 7)])
def test_a_portion_rounds_half_away_from_zero(value, share, part):
    assert verify.portion(value, share) == part


@pytest.mark.parametrize("text, share", [("50%", (50, 100)), ("12.5%", (125, 1000)), ("0%", (0, 100)),
                                         ("100%", (100, 100)), ("33.33%", (3333, 10000)), ("50", None),
                                         ("half", None), ("-5%", None), (50, None), (None, None)])
def test_a_share_is_a_fraction(text, share):
    assert verify._share(text) == share


@pytest.mark.parametrize("value, shown", [
    (None, "none"), ("", '""'), (" a", '" a"'), ("a\nb", '"a\\nb"'), ("plain text", "plain text"), (7, "7"),
    ([1, "a"], '[1,"a"]'), ({"b": 1, "a": None}, '{"a":null,"b":1}'), (list(range(100)), "list of 100"),
    ({str(n): n for n in range(50)}, "dict of 50")])
def test_a_value_is_shown_as_it_reads(value, shown):
    assert verify._show(value) == shown


def test_a_list_or_object_is_shown_in_full_up_to_199_characters():
    assert len(verify.canonical(["x" * 195])) == 199 and verify._show(["x" * 195]) == '["' + "x" * 195 + '"]'
    assert verify._show(["x" * 196]) == "list of 1"


@pytest.mark.parametrize("text, shown", [
    ("plain, é, 中文", "plain, é, 中文"), ("a\nb", "a\\u000ab"), ("\x1b[2J", "\\u001b[2J"), ("\u200b", "\\u200b"),
    ("\U000e0001x", "\\U000e0001x"), ("\r\n", "\\u000d\\u000a")])
def test_a_finding_is_one_line_of_printable_characters(text, shown):
    assert verify._printable(text) == shown


@pytest.mark.parametrize("value, kind", [({}, "an object"), ([], "a list"), ("x", "x"), (None, "null"), (1.5, "1.5"),
                                         (True, "true")])
def test_a_kind_of_value(value, kind):
    assert verify._kind(value) == kind


def test_months_and_counts_are_shown_shortly():
    assert verify._months(["2024-01", "2024-02"]) == "[2024-01, 2024-02]"
    assert verify._months([f"2024-{m:02d}" for m in range(1, 7)]) == (
        "[2024-01, 2024-02, 2024-03, 2024-04, 2024-05, 2024-06]")
    assert verify._months([f"2024-{m:02d}" for m in range(1, 8)]) == "7 months, 2024-01 to 2024-07"
    assert verify._months("2024-01") == "2024-01" and verify._months(None) == "null"
    assert [verify._count(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]


def test_days_to_pay_are_counted_with_the_lower_middle_and_the_longest():
    assert verify._days([]) == {"months": 0, "median": None, "max": None}
    assert verify._days([9]) == {"months": 1, "median": 9, "max": 9}
    assert verify._days([30, 1, 12, 4]) == {"months": 4, "median": 4, "max": 30}
    assert verify._days([5, 3, 8]) == {"months": 3, "median": 5, "max": 8}


def test_the_terms_in_force_in_a_month():
    first, second = verify.Terms("2024-01", "ana", (1, 2), "50%"), verify.Terms("2024-04", "ben", (1, 2), "50%")
    agreement = ("acme", "2024-09", [first, second])
    assert [verify.terms_in(agreement, month) for month in ("2023-12", "2024-01", "2024-03", "2024-04", "2024-09",
                                                            "2024-10")] == [None, first, first, second, second, None]
    assert verify.terms_in(("acme", None, [first]), "2030-01") is first


def test_a_csv_file_gives_each_months_rows_with_their_numbers_in_a_spreadsheet():
    findings = verify.Findings()
    table = verify.Table("data/x.csv", b"month,v\n2024-01,a\n2024-02,b\n2024-01,c\n2024-03,d\n", ("v",), findings)
    assert table.of("2024-01") == ([["2024-01", "a"], ["2024-01", "c"]], [2, 4])
    assert table.of("2024-03") == ([["2024-03", "d"]], [5])
    assert table.of("2024-04") == ([], [])
    assert bool(table) and not findings.problems
    assert not verify.Table("data/x.csv", b"v\n1\n", ("v",), findings)
    assert findings.problems == ["data/x.csv: lacks the columns month; expected the columns the site publishes, "
                                 "found v"]


def test_a_kept_atom_feed_with_a_blank_line_first(honest, tmp_path):  # noqa: F811
    months = json.loads((honest / "data" / "manifest.json").read_text())["months"]
    entries = "".join(f"<entry><record:month>{m['month']}</record:month><record:chain>{m['chain']}</record:chain>"
                      "</entry>" for m in months[:2])
    feed = tmp_path / "feed.xml"
    feed.write_text(f'\n  <feed xmlns="http://www.w3.org/2005/Atom" xmlns:record="{verify.RECORD_NS}">{entries}</feed>')
    result = check(honest, "--since", str(feed))
    assert result.code == 0, result
    assert result.out.endswith(f"; the 2 months of {feed} are unchanged, 1 added since\n")


def test_the_collector_is_left_as_it_was(honest):  # noqa: F811
    """The check turns Python's cyclic garbage collector off while it runs, and back on only if it was on."""
    assert gc.isenabled()
    assert check(honest).code == 0
    assert gc.isenabled()
    gc.disable()
    try:
        assert check(honest).code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_site_under_a_path_without_a_final_slash(honest):  # noqa: F811
    seen = []

    def recording(handler):
        seen.append(handler.headers["User-Agent"])
        http.server.SimpleHTTPRequestHandler.do_GET(handler)

    with Server(honest.parent, {"/": recording}) as server:
        result = check(server.url + honest.name)  # as https://example.github.io/transparency
    assert result.code == 0, result
    assert set(seen) == {"transparency-verify/1.1"} and len(seen) == 9  # manifest, summary, agreements, 3 months,
    # 1 year, 2 CSV files, and nothing else


def test_a_month_gone_for_good_is_missing(honest):  # noqa: F811
    def gone(handler):
        handler.send_error(410)

    with Server(honest, {"/data/reports/2024-02.json": gone}) as server:
        result = check(server.url)
    assert result.code == 1
    assert result.err.splitlines()[0] == ("data/reports/2024-02.json: is missing; expected the file, published with "
                                          "the site, found nothing")


def test_a_response_may_be_as_large_as_the_limit_and_no_larger(honest):  # noqa: F811
    body = b"x" * 1000

    def declared(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def undeclared(handler):
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)

    with Server(honest, {"/declared": declared, "/undeclared": undeclared}) as server:
        for path in ("declared", "undeclared"):
            assert verify.Web(server.url, 5, 1000).read(path) == body
            with pytest.raises(verify.Unreadable) as refused:
                verify.Web(server.url, 5, 999).read(path)
            assert str(refused.value) == (f"{path}: the response is 1000 bytes; expected at most 999 (--max-bytes)"
                                          if path == "declared" else f"{path}: the response is larger than 999 "
                                          "bytes; expected at most that (--max-bytes)")
        assert verify.Web(server.url, 5, 1000).read("nothing/here") is None


def test_a_response_longer_than_one_read_is_read_whole(honest):  # noqa: F811
    body = bytes(range(256)) * 1000  # 256000 bytes: four reads of 65536 bytes

    def large(handler):
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)

    with Server(honest, {"/large": large}) as server:
        assert verify.Web(server.url, 5, len(body)).read("large") == body


def test_the_verifiers_usage_options_and_defaults(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "120")
    with pytest.raises(SystemExit) as done:
        verify.main(["--help"])
    assert done.value.code == 0
    usage = "usage: verify.py [-h] [--since MANIFEST] [--timeout SECONDS] [--max-bytes N] TARGET\n\n"
    assert capsys.readouterr().out == usage + verify.__doc__ + "\n" + (
        "positional arguments:\n"
        "  TARGET             the site's folder (e.g. site) or its http(s) address\n"
        "\n"
        "options:\n"
        "  -h, --help         show this help message and exit\n"
        "  --since MANIFEST   a copy of data/manifest.json (or of the Atom feed reports/feed.xml) kept from earlier: "
        "refuse any\n"
        "                     month it lists that changed or vanished\n"
        "  --timeout SECONDS  give up on a response after this long (default: 30)\n"
        "  --max-bytes N      refuse a response larger than this (default: 67108864)\n")
    parser = argparse.ArgumentParser()
    verify.add_arguments(parser)
    assert vars(parser.parse_args(["site"])) == {"target": "site", "since": None, "timeout": 30.0,
                                                 "max_bytes": 64 * 1024 * 1024}
    assert vars(parser.parse_args(["--since", "kept.json", "--timeout", "2.5", "--max-bytes", "10", "site"])) == {
        "target": "site", "since": "kept.json", "timeout": 2.5, "max_bytes": 10}


def test_the_verifier_runs_from_its_main(honest, capsys):  # noqa: F811
    assert verify.main([str(honest)]) == 0
    assert capsys.readouterr().out.startswith("ok: 3 published months verified; the latest, 2024-03, has chain ")


def test_a_balance_paid_down_to_0_00_is_no_advance(tmp_path):
    february = ("month: 2024-02\nstatus: published\npublished: 2024-03-05\nremittances: []\n"
                "payouts:\n  - to: ana\n    amount: 40\n    date: 2024-03-06\n")
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY, "2024-02.yml": february}),
                 tmp_path / "site")
    assert person(json.loads((site / "data" / FEB).read_text()), "ana")["balance"] == "0.00"
    assert check(site).code == 0
    edit_json(site, "summary.json", lambda s: s["maintainers"][0].update(flags=["advance"]))
    assert check(site).err.splitlines()[:-1] == [
        "data/summary.json: maintainer ana: the advance flag does not follow the balance; expected no advance flag, "
        "found advance"]


def test_a_month_file_missing_is_reported_once_and_its_month_left_unchecked(copy):  # noqa: F811
    """Not also as a month file that is not a month's figures; the sums then miss its figures."""
    (copy / "data" / FEB).unlink()
    result = check(copy)
    problems = result.err.splitlines()
    assert result.code == 1
    assert [problem for problem in problems if problem.startswith(f"data/{FEB}")] == [
        f"data/{FEB}: is missing; expected the file, published with the site, found nothing"]
    assert ("data/summary.json: totals.remitted is not the sum of the months; expected 1690.31, found 2540.46"
            in problems)
