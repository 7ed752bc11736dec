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

from conftest import AGREEMENTS, JANUARY, write_dataset
from test_verify import Server, build, check, edit_csv, edit_json, person, refused, reseal
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
        False, True,
        ["data/manifest.json: is a list; expected the record of the published months, an object",
         "data/manifest.json: could not be checked, so 4 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/remittances.csv, data/summary.json)"]),
    "the manifest without its currency": (in_json("manifest.json", lambda m: m.pop("currency")),
        False, True,
        ["data/manifest.json: has no currency; expected the record of the published months, an object with "
         "currency",
         "data/manifest.json: could not be checked, so 4 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/remittances.csv, data/summary.json)"]),
    "a manifest entry not an object": (in_json("manifest.json", lambda m: m["months"].__setitem__(2, "2024-03")),
        False, True,
        ['data/manifest.json: months[2] is the text "2024-03"; expected an object',
         "data/manifest.json: could not be checked, so 4 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/remittances.csv, data/summary.json)"]),
    "a manifest entry with hashes that are not hashes": (in_json(
        "manifest.json", lambda m: m["months"][1].update(figures_sha256="ABC", chain=None)),
        False, True,
        ['data/manifest.json: months[1].figures_sha256 is the text "ABC"; expected a SHA-256 as 64 lowercase '
         "hex digits",
         "data/manifest.json: could not be checked, so 4 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/remittances.csv, data/summary.json)"]),
    "a manifest entry with a source hash that is not a hash": (in_json(
        "manifest.json", lambda m: m["months"][1].update(source_sha256="abc")),
        False, True,
        ['data/manifest.json: months[1].source_sha256 is the text "abc"; expected a SHA-256 as 64 lowercase '
         "hex digits",
         "data/manifest.json: could not be checked, so 4 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/remittances.csv, data/summary.json)"]),
    "a manifest entry published on a day that does not exist": (in_json(
        "manifest.json", lambda m: m["months"][1].update(published="2024-02-30")),
        False, True,
        ['data/manifest.json: months[1].published is the text "2024-02-30"; expected a date as YYYY-MM-DD',
         "data/manifest.json: could not be checked, so 4 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/remittances.csv, data/summary.json)"]),
    # data/agreements.json
    "the agreements not an object": (write("agreements.json", "[]"),
        False, True,
        ["data/agreements.json: is a list; expected the agreements, an object",
         "data/agreements.json: could not be checked, so 14 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "the agreements in another currency": (in_json("agreements.json", lambda a: a["foundation"].update(currency="EUR")),
        False, True,
        ["data/agreements.json: foundation.currency is not the manifest's; expected USD, found EUR"]),
    "a connector without an id": (in_json("agreements.json", lambda a: a["connectors"][1].pop("id")),
        False, True,
        ["data/agreements.json: connectors[1] has no id; expected an object with id",
         "data/agreements.json: could not be checked, so 14 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "until not a month": (in_json("agreements.json", lambda a: connector(a, "acme-perp").update(until="June")),
        False, True,
        ['data/agreements.json: connectors[1].until is the text "June"; expected a month as YYYY-MM, or null',
         "data/agreements.json: could not be checked, so 14 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "no terms": (in_json("agreements.json", lambda a: connector(a, "acme-perp").update(terms=[])),
        False, True,
        ["data/agreements.json: connector acme-perp: has no terms; expected at least one terms entry, found "
         "none",
         "data/agreements.json: does not hold together, so 10 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "terms not in month order": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot").append(dict(terms(a, "acme-spot")[0]))),
        False, True,
        ["data/agreements.json: connector acme-spot: terms[1].since is not after the previous entry's; "
         "expected a month after 2024-01, found 2024-01",
         "data/agreements.json: does not hold together, so 11 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "a share that is not a share": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot")[0].update(maintainer_share="half")),
        False, True,
        ['data/agreements.json: connectors[0].terms[0].maintainer_share is the text "half"; expected a '
         "percentage from 0% to 100%, like 50%",
         "data/agreements.json: could not be checked, so 14 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "a maintainer that is not an id": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot")[0].update(maintainer=7)),
        False, True,
        ["data/agreements.json: connectors[0].terms[0].maintainer is the number 7; expected an id: lowercase "
         "letters, digits and '-', or null",
         "data/agreements.json: could not be checked, so 14 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "a connector listed twice": (in_json("agreements.json", lambda a: a["connectors"].append(a["connectors"][0])),
        False, True,
        ["data/agreements.json: connector acme-spot is listed twice; expected each id once, found twice",
         "data/agreements.json: does not hold together, so 7 checks that depend on it were not made "
         "(data/accounts.csv, data/chains.csv, data/connectors.csv and 4 more files)"]),
    "terms that start later": (in_json("agreements.json", lambda a: terms(a, "acme-perp")[0].update(since="2024-03")),
        False, True,
        ["data/agreements.json: connector acme-perp: since is not the first terms entry's; expected 2024-03, "
         "found 2024-01",
         "data/agreements.json: does not hold together, so 10 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "a new maintainer from March": (in_json(
        "agreements.json", lambda a: terms(a, "acme-spot").append(dict(terms(a, "acme-spot")[0], since="2024-03",
            maintainer="ben"))),
        False, True,
        ["data/agreements.json: connector acme-spot: terms[0].until is not the month before the next entry or "
         "the agreement's end; expected 2024-02, found none",
         "data/agreements.json: does not hold together, so 11 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    # a month file
    "a month file not an object": (write(FEB, "[]"),
        False, True,
        ["data/reports/2024-02.json: is a list; expected the month file of 2024-02, an object",
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a month file without sponsors or totals": (in_json(FEB, lambda m: (m.pop("sponsors"), m.update(totals=[]))),
        False, True,
        ["data/reports/2024-02.json: has no sponsors; expected the month file of 2024-02, an object with "
         "sponsors",
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a month file of another month": (in_json(FEB, lambda m: m.update(month="2024-01")),
        True, True,
        ["data/reports/2024-02.json: is the file of another month; expected 2024-02, found 2024-01",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a month file in another currency": (in_json(FEB, lambda m: m.update(currency="EUR")),
        True, True,
        ["data/reports/2024-02.json: currency is not the manifest's; expected USD, found EUR",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a draft in the manifest": (in_json(FEB, lambda m: m.update(status="draft")),
        True, True,
        ['data/reports/2024-02.json: status is the text "draft"; expected published',
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a month file published on another day": (in_json(FEB, lambda m: m.update(published="2024-03-04")),
        True, True,
        ["data/reports/2024-02.json: published date is not the manifest's; expected 2024-03-05, found "
         "2024-03-04",
         "data/reports/2024-02.json: does not hold together, so 7 checks that depend on it were not made "
         "(data/months.csv, data/people/ana.csv, data/summary.json, data/years/2024.json)"]),
    "a month file of another source": (in_json(FEB, lambda m: m["source"].update(sha256="0" * 64)),
        True, True,
        ["data/reports/2024-02.json: source sha256 is not the manifest's source_sha256; expected "
         "314db1a767ed8665e823a1f55175e55f81bab88d3ac4b3053ca1a56d2666bfad, found "
         "0000000000000000000000000000000000000000000000000000000000000000",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a line without flags": (in_json(FEB, lambda m: m["connectors"][0].pop("flags")),
        False, True,
        ["data/reports/2024-02.json: connectors[0] has no flags; expected an object with flags",
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "an amount without cents": (in_json(FEB, lambda m: m["connectors"][0].update(remitted="100")),
        True, True,
        ['data/reports/2024-02.json: connectors[0].remitted is the text "100"; expected an amount as a string '
         'with 2 decimals, like "12.50"',
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "an adjustment without its flag": (in_json(MAR, lambda m: adjustment(m).update(flags=[])),
        True, True,
        ["data/reports/2024-03.json: line 3 (acme-spot, adjusting 2024-01): its flags do not follow from its "
         "figures and terms; expected adjustment, found no flags",
         "data/reports/2024-03.json: does not hold together, so 10 checks that depend on it were not made "
         "(data/remittances.csv, data/sponsors/acme.csv, data/summary.json, data/years/2024.json)"]),
    "an adjustment of a later month": (in_json(MAR, lambda m: adjustment(m).update(adjusts="2024-04")),
        True, True,
        ["data/reports/2024-03.json: line 3 (acme-spot, adjusting 2024-04): adjusts a month that is not an "
         "earlier published month; expected a month of the manifest before 2024-03, found 2024-04",
         "data/reports/2024-03.json: does not hold together, so 13 checks that depend on it were not made "
         "(data/people/ana.csv, data/remittances.csv, data/sponsors/acme.csv and 2 more files)"]),
    "the adjustment flag without adjusts": (in_json(
        FEB, lambda m: m["connectors"][0].update(flags=["adjustment", "x"])),
        True, True,
        ['data/reports/2024-02.json: connectors[0].flags[1] is the text "x"; expected fee_mismatch or '
         "outside_range or advance or adjustment",
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a connector not in the agreements": (in_json(FEB, lambda m: m["connectors"][1].update(id="zeta")),
        True, True,
        ["data/reports/2024-02.json: line 2 (zeta): the connector is not in agreements.json; expected a "
         "connector of agreements.json, found zeta",
         "data/reports/2024-02.json: does not hold together, so 8 checks that depend on it were not made "
         "(data/remittances.csv, data/sponsors/acme.csv, data/summary.json, data/years/2024.json)"]),
    "another sponsor": (in_json(FEB, lambda m: m["connectors"][1].update(sponsor="zeta")),
        True, True,
        ["data/reports/2024-02.json: line 2 (acme-perp): the sponsor is not the connector's in "
         "agreements.json; expected acme, found zeta",
         "data/reports/2024-02.json: sponsor acme: remitted is not the sum of its connectors' lines; expected "
         "100.00, found 850.15",
         "data/reports/2024-02.json: sponsor zeta is missing; expected an entry with its figures, found none",
         "data/sponsors/zeta.csv: is missing; expected the CSV file, published with the site, found nothing",
         "data/reports/2024-02.json: does not hold together, so 8 checks that depend on it were not made "
         "(data/remittances.csv, data/sponsors/acme.csv, data/summary.json, data/years/2024.json)"]),
    "a maintainer where the terms have none": (in_json(FEB, lambda m: m["connectors"][1].update(maintainer="ben")),
        True, True,
        ["data/reports/2024-02.json: line 2 (acme-perp): the maintainer is not the one of the terms in force "
         "since 2024-01; expected none, found ben",
         "data/reports/2024-02.json: maintainer ben is missing, but is the maintainer on a line; expected an "
         "entry for them, found none",
         "data/people/ben.csv: is missing; expected the CSV file, published with the site, found nothing",
         "data/reports/2024-02.json: does not hold together, so 8 checks that depend on it were not made "
         "(data/remittances.csv, data/sponsors/acme.csv, data/summary.json, data/years/2024.json)"]),
    "a maintainer listed twice": (in_json(FEB, lambda m: m["maintainers"].append(m["maintainers"][0])),
        True, True,
        ["data/reports/2024-02.json: maintainer ana is listed twice; expected one entry, found two",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a maintainer's figure not an amount": (in_json(FEB, lambda m: m["maintainers"][0].update(paid=40)),
        True, True,
        ["data/reports/2024-02.json: maintainers[0].paid is the number 40; expected an amount as a string "
         'with 2 decimals, like "12.50"',
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a maintainer without a line, a payout or a balance": (in_json(
        FEB, lambda m: m["maintainers"].append({"id": "ben", "accrued": "0.00", "paid": "0.00", "balance": "0.00",
            "flags": []})),
        True, True,
        ["data/reports/2024-02.json: maintainer ben is listed without a line, a payout or a balance; expected "
         "no entry, found one",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a maintainer with a line missing": (in_json(FEB, lambda m: m["maintainers"].clear()),
        True, True,
        ["data/reports/2024-02.json: maintainer ana is missing, but is the maintainer on a line; expected an "
         "entry for them, found none",
         "data/reports/2024-02.json: does not hold together, so 6 checks that depend on it were not made "
         "(data/people/ana.csv, data/summary.json, data/years/2024.json)"]),
    "accrued not the sum of the parts": (in_json(
        FEB, lambda m: person(m, "ana").update(accrued="49.00", balance="49.00")),
        True, True,
        ["data/reports/2024-02.json: maintainer ana: accrued is not the sum of their maintainer parts; "
         "expected 50.00, found 49.00",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "an advance flag without an advance": (
        in_json(FEB, lambda m: person(m, "ana").update(flags=["advance", "outside_range"])),
        True, True,
        ["data/reports/2024-02.json: maintainer ana: the flags do not follow the balance; expected no flags, "
         "found advance outside_range",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "an advance without its flag": (in_json(MAR, lambda m: person(m, "ana").update(flags=[])),
        True, True,
        ["data/reports/2024-03.json: maintainer ana: the flags do not follow the balance; expected advance, "
         "found no flags",
         "data/reports/2024-03.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a total not an amount": (in_json(FEB, lambda m: m["totals"].update(paid=40)),
        True, True,
        ["data/reports/2024-02.json: totals.paid is the number 40; expected an amount as a string with 2 "
         'decimals, like "12.50"',
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a total paid that is not the sum": (in_json(FEB, lambda m: m["totals"].update(paid="41.00")),
        True, True,
        ["data/reports/2024-02.json: totals.paid is not the sum of the payouts' values; expected 40.00, found "
         "41.00",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    "a payout listed on another day": (in_json(MAR, lambda m: m["payouts"][0].update(date="2024-04-07")),
        True, True,
        ["data/payouts.csv: row 3: date disagrees with the month file; expected 2024-04-07, found 2024-04-06",
         "data/people/ana.csv: row 7: date disagrees with the month file; expected 2024-04-07, found "
         "2024-04-06",
         "data/summary.json: maintainer ana: days_to_pay does not follow from the months and payouts; "
         'expected {"max":33,"median":30,"months":3}, found {"max":32,"median":30,"months":3}',
         "data/summary.json: days_to_pay does not follow from the months and payouts; expected "
         '{"max":33,"median":30,"months":3}, found {"max":32,"median":30,"months":3}']),
    "a payout listed twice": (in_json(MAR, lambda m: m["payouts"].append(m["payouts"][0])),
        True, True,
        ["data/reports/2024-03.json: maintainer ana: paid is not the sum of their payouts; expected 400.00, "
         "found 200.00",
         "data/reports/2024-03.json: totals.paid is not the sum of the payouts' values; expected 400.00, "
         "found 200.00",
         "data/reports/2024-03.json: does not hold together, so 9 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/people/ana.csv and 2 more files)"]),
    "a payout listed that is not an object": (in_json(MAR, lambda m: m["payouts"].__setitem__(0, "ana")),
        False, True,
        ['data/reports/2024-03.json: payouts[0] is the text "ana"; expected an object',
         "data/reports/2024-03.json: could not be checked, so 15 checks that depend on it were not made "
         "(data/months.csv, data/payouts.csv, data/people/ana.csv and 4 more files)"]),
    "a maintainer's entry not an object": (in_json(FEB, lambda m: m["maintainers"].append("eve")),
        True, True,
        ['data/reports/2024-02.json: maintainers[1] is the text "eve"; expected an object',
         "data/reports/2024-02.json: could not be checked, so 13 checks that depend on it were not made "
         "(data/reports/2024-03.json, data/months.csv, data/payouts.csv and 5 more files)"]),
    "a payout row that is not an amount before one that is": (in_csv("payouts.csv", bad_then_good),
        False, True,
        ["data/payouts.csv: the rows of 2024-03 are not one per entry of its month file; expected 1 row, "
         "found 2 rows"]),
    "a figure changed, the record not": (in_json(FEB, lambda m: m["connectors"][1].update(remitted="750.16",
                                                                                        foundation="750.16")),
        False, True,
        ["data/reports/2024-02.json: figures do not hash to the manifest's figures_sha256 of 2024-02; "
         "expected 6af64e05cff5d45b80cea3ce2d3fcb070984c8daab7fc466f5c315b593cde054, found "
         "eb3bd3e7d494513feda4bab96141bc37487b981ae4a2e8abae746974ea702abf",
         "data/reports/2024-02.json: line 2 (acme-perp): remitted is not round(amount x rate) = round(750 "
         "USDT x 1.0002); expected 750.15, found 750.16",
         "data/reports/2024-02.json: line 2 (acme-perp): its flags do not follow from its figures and terms; "
         "expected fee_mismatch, found no flags",
         "data/reports/2024-02.json: totals.remitted is not the sum of the lines' values; expected 850.16, "
         "found 850.15",
         "data/reports/2024-02.json: totals.foundation is not the sum of the lines' Foundation parts; "
         "expected 800.16, found 800.15",
         "data/reports/2024-02.json: sponsor acme: remitted is not the sum of its connectors' lines; expected "
         "850.16, found 850.15",
         "data/reports/2024-02.json: does not hold together, so 9 checks that depend on it were not made "
         "(data/months.csv, data/remittances.csv, data/sponsors/acme.csv and 2 more files)"]),
    "a terms entry not an object": (
        in_json("agreements.json", lambda a: terms(a, "acme-spot").__setitem__(0, "50%")),
        False, True,
        ['data/agreements.json: connectors[0].terms[0] is the text "50%"; expected an object',
         "data/agreements.json: could not be checked, so 14 checks that depend on it were not made "
         "(data/reports/2024-01.json, data/reports/2024-02.json, data/reports/2024-03.json and 7 more files)"]),
    "accrued without a line": (in_json(FEB, lambda m: m["maintainers"].append(
        {"id": "ben", "accrued": "5.00", "paid": "0.00", "balance": "5.00", "flags": []})),
        True, True,
        ["data/reports/2024-02.json: maintainer ben: accrued is not the sum of their maintainer parts; "
         "expected 0.00, found 5.00",
         "data/reports/2024-02.json: does not hold together, so 4 checks that depend on it were not made "
         "(data/summary.json, data/years/2024.json)"]),
    # the CSV files
    "remittances.csv not UTF-8": (lambda site: (site / "data" / "remittances.csv").write_bytes(b"\xff\xfe"),
        False, True,
        ["data/remittances.csv: is not UTF-8 text (byte 1 cannot be read)"]),
    "remittances.csv without two columns": (in_csv(
        "remittances.csv", lambda rows: [row.__delitem__(slice(9, 11)) for row in rows]),
        False, True,
        ["data/remittances.csv: has the columns "
         "month,status,kind,connector,sponsor,maintainer,amount,currency,rate,maintainers,foundation,flags,adj"
         "usts,user_fees,volume,reference,reason,tx,chain; expected "
         "month,status,kind,connector,sponsor,maintainer,amount,currency,rate,remitted,maintainer_share,mainta"
         "iners,foundation,flags,adjusts,user_fees,volume,reference,reason,tx,chain"]),
    "remittances.csv with a short row": (in_csv("remittances.csv", lambda rows: rows[3].pop()),
        False, True,
        ["data/remittances.csv: row 4 has 20 cells; expected 21"]),
    "remittances.csv empty": (write("remittances.csv", ""),
        False, True,
        ["data/remittances.csv: is empty; expected the header "
         "month,status,kind,connector,sponsor,maintainer,amount,currency,rate,remitted,maintainer_share,mainta"
         "iners,foundation,flags,adjusts,user_fees,volume,reference,reason,tx,chain"]),
    "remittances.csv missing": (delete("remittances.csv"),
        False, True,
        ["data/remittances.csv: is missing; expected the CSV file, published with the site, found nothing"]),
    "remittances.csv with an amount that is not a number": (in_csv(
        "remittances.csv", lambda rows: cell(rows, "amount", 3, "1e")),
        False, True,
        ["data/remittances.csv: row 4: amount disagrees with the month file; expected 100.00, found 1e"]),
    "remittances.csv rounded half to even": (in_csv(
        "remittances.csv", lambda rows: cell(rows, "amount", 3, "100.005")),
        False, True,
        ["data/remittances.csv: row 4: amount disagrees with the month file; expected 100.00, found 100.005"]),
    "remittances.csv with a row of an unpublished month": (in_csv(
        "remittances.csv", lambda rows: extra_row(rows, "2024-07")),
        False, True,
        ["data/remittances.csv: has rows for 2024-07, which is not a published month; expected rows of the "
         "manifest's months only, found 1 row"]),
    "payouts.csv with paid not an amount": (in_csv("payouts.csv", lambda rows: cell(rows, "paid", 1, "40")),
        False, True,
        ["data/payouts.csv: row 2: paid disagrees with the month file; expected 40.00, found 40"]),
    "payouts.csv with a date that is not a date": (in_csv("payouts.csv", lambda rows: cell(rows, "date", 1, "March 6")),
        False, True,
        ["data/payouts.csv: row 2: date disagrees with the month file; expected 2024-03-06, found March 6"]),
    "payouts.csv paying someone else": (in_csv("payouts.csv", lambda rows: cell(rows, "to", 2, "ben")),
        False, True,
        ["data/payouts.csv: row 3: to disagrees with the month file; expected ana, found ben"]),
    "payouts.csv missing": (delete("payouts.csv"),
        False, True,
        ["data/payouts.csv: is missing; expected the CSV file, published with the site, found nothing"]),
    # the agreements' tables, against agreements.json
    "people.csv naming someone else": (in_csv("people.csv", lambda rows: cell(rows, "name", 1, "Mallory")),
        False, True,
        ["data/people.csv: row 2: name disagrees with agreements.json; expected Ana, found Mallory"]),
    "terms.csv with another share": (in_csv("terms.csv", lambda rows: cell(rows, "maintainer_share", 1, "90%")),
        False, True,
        ["data/terms.csv: row 2: maintainer_share disagrees with agreements.json; expected 50%, found 90%"]),
    "connectors.csv without its last row": (in_csv("connectors.csv", lambda rows: rows.pop()),
        False, True,
        ["data/connectors.csv: the rows are not one per entry of agreements.json; expected 2 rows, found 1 row"]),
    "sponsors.csv with a formula for a name": (in_csv("sponsors.csv", lambda rows: cell(rows, "name", 1,
                                                                                         "=HYPERLINK(0)")),
        False, True,
        ["data/sponsors.csv: row 2: name disagrees with agreements.json; expected Acme Exchange, found "
         "=HYPERLINK(0)"]),
    "tokens.csv with a column renamed": (write("tokens.csv", "code,chain,address,decimals\n"),
        False, True,
        ["data/tokens.csv: has the columns code,chain,address,decimals; expected code,chain,contract,decimals"]),
    # data/summary.json
    "the summary not an object": (write("summary.json", "7"),
        False, True,
        ["data/summary.json: is the number 7; expected the summary of all published months, an object"]),
    "the summary in another currency": (in_json("summary.json", lambda s: s.update(currency="EUR")),
        False, True,
        ["data/summary.json: currency is not the manifest's; expected USD, found EUR"]),
    "a summary total": (in_json("summary.json", lambda s: s["totals"].update(paid="1.00")),
        False, True,
        ["data/summary.json: totals.paid is not the sum of the months; expected 240.00, found 1.00"]),
    "the summary's totals not an object": (in_json("summary.json", lambda s: s.update(totals=None)),
        False, True,
        ["data/summary.json: totals is null; expected an object"]),
    "the summary's sponsors not a list": (in_json("summary.json", lambda s: s.update(sponsors={})),
        False, True,
        ["data/summary.json: sponsors is an object; expected a list"]),
    "a summary sponsor without an id": (in_json("summary.json", lambda s: s["sponsors"].append({"remitted": "1.00"})),
        False, True,
        ["data/summary.json: sponsors[1] has no id; expected an object with id"]),
    "a summary sponsor not an object": (in_json("summary.json", lambda s: s["sponsors"].append("zeta")),
        False, True,
        ['data/summary.json: sponsors[1] is the text "zeta"; expected an object']),
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
        ["data/summary.json: maintainer ana: balance is not the balance after their last month; expected "
         "-95.00, found -94.00"]),
    "a summary advance flag": (in_json("summary.json", lambda s: s["maintainers"][0].update(flags=[])),
        False, True,
        ["data/summary.json: maintainer ana: the flags do not follow the balance; expected advance, found no "
         "flags"]),
    "a summary owed_since": (in_json("summary.json", lambda s: s["maintainers"][0].update(owed_since="2024-01")),
        False, True,
        ["data/summary.json: maintainer ana: owed_since does not follow from the months and payouts; expected "
         "none, found 2024-01"]),
    "the summary's maintainers without their waiting figures": (in_json("summary.json", lambda s: [
        entry.pop(key) for entry in s["maintainers"] for key in ("owed_since", "days_to_pay")]),
        False, True,
        ["data/summary.json: maintainers[0] has no owed_since; expected an object with owed_since"]),
    "the summary's days_to_pay left out, owed_since kept": (in_json("summary.json", lambda s: [
        entry.pop("days_to_pay") for entry in (s, *s["maintainers"])]),
        False, True,
        ["data/summary.json: has no days_to_pay; expected the summary of all published months, an object with "
         "days_to_pay"]),
    "a summary days_to_pay": (in_json("summary.json", lambda s: s["days_to_pay"].update(max=31)),
        False, True,
        ["data/summary.json: days_to_pay does not follow from the months and payouts; expected "
         '{"max":32,"median":30,"months":3}, found {"max":31,"median":30,"months":3}']),
    # data/years/YYYY.json
    "a year not an object": (write("years/2024.json", "[]"),
        False, True,
        ["data/years/2024.json: is a list; expected the figures of 2024, an object"]),
    "a year of another year and currency": (in_json("years/2024.json", lambda y: y.update(year="2023", currency="EUR")),
        False, True,
        ["data/years/2024.json: year is not the months'; expected 2024, found 2023",
         "data/years/2024.json: currency is not the months'; expected USD, found EUR"]),
    "a year without its last month": (in_json("years/2024.json", lambda y: y["months"].pop()),
        False, True,
        ["data/years/2024.json: months are not the year's published months; expected [2024-01, 2024-02, "
         "2024-03], found [2024-01, 2024-02]"]),
    "a year's connector": (in_json("years/2024.json", lambda y: y["connectors"][0].update(foundation="145.01")),
        False, True,
        ["data/years/2024.json: connector acme-spot: foundation is not the sum of the months; expected "
         "145.00, found 145.01"]),
    "a year without totals": (in_json("years/2024.json", lambda y: y.pop("totals")),
        False, True,
        ["data/years/2024.json: has no totals; expected the figures of 2024, an object with totals"]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_discrepancy_is_reported_in_full(copy, name):
    tamper, sealed, complete, expected = CASES[name]
    problems = refused(copy, tamper, sealed)
    count = len([problem for problem in problems[:-1] if "that depend on it" not in problem])
    assert problems[-1] == f"{count} discrepanc{'y' if count == 1 else 'ies'}: {copy} does not hold together"
    assert (problems[:-1] if complete else problems[:len(expected)]) == expected


EARLIER_CONTRACTS = {  # what a site published before version 1.2 of the contract lacks: no longer a site of 1.2
    "the summary's waiting figures": (in_json("summary.json", lambda s: (
        s.pop("days_to_pay"), [entry.pop(key) for entry in s["maintainers"] for key in ("owed_since", "days_to_pay")])),
        "data/summary.json: has no days_to_pay; expected the summary of all published months, an object with "
        "days_to_pay"),
    "the year files": (delete("years/2024.json"),
                       "data/years/2024.json: is missing; expected the figures of 2024, published with the site, found "
                       "nothing"),
    "the rates of a month file": (in_json(FEB, lambda m: m.pop("rates")),
                                  "data/reports/2024-02.json: has no rates; expected the month file of 2024-02, an "
                                  "object with rates"),
    "the status of a month file": (in_json(FEB, lambda m: m.pop("status")),
                                   "data/reports/2024-02.json: has no status; expected the month file of 2024-02, an "
                                   "object with status"),
    "the contract of the manifest": (in_json("manifest.json", lambda m: m.pop("contract")),
                                     "data/manifest.json: has no contract; expected the record of the published "
                                     "months, an object with contract"),
}


@pytest.mark.parametrize("name", EARLIER_CONTRACTS)
def test_a_site_of_an_earlier_contract_is_not_a_site_of_1_2(copy, name):
    tamper, message = EARLIER_CONTRACTS[name]
    tamper(copy)
    result = check(copy)
    assert result.code == 1 and result.err.splitlines()[0] == message, result


def test_a_csv_file_with_a_column_more_is_refused(copy):
    """Every column of a CSV file is the site's: one the contract does not publish is not passed over."""
    edit_csv(copy, "payouts.csv", lambda rows: [row.append("note" if not index else "x")
                                                for index, row in enumerate(rows)])
    result = check(copy)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "data/payouts.csv: has the columns month,status,to,date,amount,currency,rate,paid,reference,tx,chain,address,"
        "note; expected month,status,to,date,amount,currency,rate,paid,reference,tx,chain,address")


def test_nothing_is_owed_since_any_month_on_a_balance_of_0_00(tmp_path):
    """ana's January is paid in full in February: owed_since is null on a balance of 0 or less, as the contract says."""
    february = ("month: 2024-02\nstatus: published\npublished: 2024-03-05\nremittances: []\n"
                "payouts:\n  - to: ana\n    amount: 40\n    date: 2024-03-06\n")
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY, "2024-02.yml": february}),
                 tmp_path / "site")
    assert json.loads((site / "data" / "summary.json").read_text())["maintainers"][0]["owed_since"] is None
    edit_json(site, "summary.json", lambda s: s["maintainers"][0].update(owed_since="2024-01"))
    assert check(site).err.splitlines()[:-1] == [
        "data/summary.json: maintainer ana: owed_since does not follow from the months and payouts; expected none, "
        "found 2024-01"]


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
    assert (result.code, result.out, result.err) == (0, "ok: 0 published months verified (nothing is published "
                                                        "yet)\n", "")


def test_a_file_that_cannot_be_read_ends_the_check(copy):
    (copy / "data" / FEB).unlink()
    (copy / "data" / FEB).mkdir()
    result = check(copy)
    assert (result.code, result.err.splitlines()) == (2, [
        "data/reports/2024-02.json: is a folder; expected a regular file",
        f"error: cannot read {copy}; nothing was verified"])


SINCE = "(--since: expected a kept copy of data/manifest.json or of the Atom feed reports/feed.xml)"


@pytest.mark.parametrize("kept, message", [
    (None, "cannot be read: No such file or directory (--since)"),
    ('{"no": "months"}', f"has no months; expected a manifest with its months {SINCE}"),
    ("[]", f"is a list; expected a manifest with its months {SINCE}"),
    ('{"months": [], "months": []}', f"has the key months twice in one object; expected each key once {SINCE}"),
    ("<feed", f"is not XML: unclosed token: line 1, column 0 {SINCE}"),
    ('<!DOCTYPE x [<!ENTITY a "aaaa">]><feed/>', f"declares a document type or entities; expected an Atom feed as "
                                                f"the site writes it {SINCE}"),
    ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
     "lists no month; expected a kept record of the months published (--since)"),
    ('{"months": [{"month": "2024-01", "chain": "abc"}]}',
     "months[0] has no published; expected an object with published (--since: a kept record)"),
    ('{"contract": "1.2", "months": [{"month": "2024-13", "published": "2024-02-05", "source_sha256": "' + "0" * 64
     + '", "figures_sha256": "' + "0" * 64 + '", "chain": "' + "0" * 64 + '"}]}',
     'months[0].month is the text "2024-13"; expected a month as YYYY-MM (--since: a kept record)'),
])
def test_a_kept_copy_that_is_not_a_record_is_refused(honest, tmp_path, kept, message):
    path = tmp_path / "kept"
    if kept is not None:
        path.write_text(kept)
    result = check(honest, "--since", str(path))
    assert (result.code, result.err.splitlines()) == (
        2, [f"{path}: {message}", f"error: cannot read the kept record {path} (--since); nothing was verified"])


def test_a_kept_record_tells_how_many_months_were_added_since(honest, tmp_path):
    manifest = json.loads((honest / "data" / "manifest.json").read_text())
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps({**manifest, "months": manifest["months"][:1]}))
    result = check(honest, "--since", str(kept))
    assert result.out == (f"ok: 3 published months verified; the latest, 2024-03, has chain "
                          f"{manifest['months'][2]['chain']}; the 1 month of {kept} is unchanged, 2 added since\n")


@pytest.mark.parametrize("target, message", [
    ("ftp://example.org/site/", "ftp://example.org/site/: not a folder or an http(s) address"),
    ("http://127.0.0.1:9/site/?page=1", "http://127.0.0.1:9/site/?page=1: not a site address; expected "
                                        "http(s)://HOST/PATH/ without a query, a fragment or a password"),
    ("http://[::1", "http://[::1: not a site address; expected http(s)://HOST/PATH/"),
    ("http://example.org:99999/", "http://example.org:99999/: not a site address; expected http(s)://HOST/PATH/"),
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


def failing(handler):
    handler.send_error(500)


def dropping(handler):
    handler.close_connection = True  # no status line at all


def babbling(handler):
    handler.wfile.write(b"HELLO\r\n\r\n")


@pytest.mark.parametrize("answer, message", [
    (failing, "HTTP 500 Internal Server Error from {url}"),
    (dropping, "cannot be fetched from {url}: Remote end closed connection without response"),
    (babbling, "cannot be fetched from {url}: HELLO\\u000d\\u000a"),
])
def test_a_server_error_and_a_dropped_connection_end_the_check(honest, answer, message):
    with Server(honest, {"/data/summary.json": answer}) as server:
        result = check(server.url)
    assert (result.code, result.err.splitlines()) == (2, [
        "data/summary.json: " + message.format(url=server.url + "data/summary.json"),
        f"error: cannot read {server.url}; nothing was verified"])


def test_a_site_that_does_not_answer(honest):
    with Server(honest) as server:
        url = server.url
    result = check(url)  # the server is gone: nothing listens on its port any more
    assert result.code == 2
    assert result.err.splitlines() == [
        f"data/manifest.json: cannot be fetched from {url}data/manifest.json: Connection refused",
        f"error: cannot read {url}; nothing was verified"]


def test_a_response_that_trickles_in_times_out(honest):
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
    assert result.code == 2
    assert (f"data/summary.json: no complete answer from {server.url}data/summary.json within 0.5 s (--timeout)"
            in result.err.splitlines())
    assert time.monotonic() - started < 6  # long before the 9 s the whole response would take


@pytest.mark.parametrize("url, expected", [
    ("HTTP://Example.ORG/site/", ("http", "example.org", 80)), ("https://example.org", ("https", "example.org", 443)),
    ("https://example.org:8443/x", ("https", "example.org", 8443))])
def test_an_origin_is_scheme_host_and_port(url, expected):
    assert verify.origin(url) == expected


@pytest.mark.parametrize("url", ["http://example.org:99999/", "ftp://example.org/", "/site/", "http://[::1", "https://"])
def test_what_has_no_origin(url):
    with pytest.raises(ValueError):
        verify.origin(url)


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
    ([1, "a"], '[1,"a"]'), ({"b": 1, "a": None}, '{"a":null,"b":1}'), (list(range(100)), "a list of 100 entries"),
    ({str(n): n for n in range(50)}, "an object of 50 keys"), ("x" * 201, '"' + "x" * 200 + '"... (201 characters)'),
    (True, "true")])
def test_a_value_is_shown_as_it_reads(value, shown):
    assert verify._show(value) == shown


def test_a_list_or_object_is_shown_in_full_up_to_199_characters():
    assert len(verify.canonical(["x" * 195])) == 199 and verify._show(["x" * 195]) == '["' + "x" * 195 + '"]'
    assert verify._show(["x" * 196]) == "a list of 1 entry"


@pytest.mark.parametrize("text, shown", [
    ("plain, é, 中文", "plain, é, 中文"), ("a\nb", "a\\u000ab"), ("\x1b[2J", "\\u001b[2J"), ("\u200b", "\\u200b"),
    ("\U000e0001x", "\\U000e0001x"), ("\r\n", "\\u000d\\u000a")])
def test_a_finding_is_one_line_of_printable_characters(text, shown):
    assert verify._printable(text) == shown


@pytest.mark.parametrize("value, kind", [({}, "an object"), ([], "a list"), ("x", 'the text "x"'), (None, "null"),
                                         (7, "the number 7"), (True, "the boolean true"), (1.5, "float"),
                                         ("x" * 201, 'the text "' + "x" * 200 + '"... (201 characters)')])
def test_a_kind_of_value(value, kind):
    assert verify._kind(value) == kind


def test_months_and_counts_are_shown_shortly():
    assert verify._months(["2024-01", "2024-02"]) == "[2024-01, 2024-02]"
    assert verify._months([f"2024-{m:02d}" for m in range(1, 7)]) == (
        "[2024-01, 2024-02, 2024-03, 2024-04, 2024-05, 2024-06]")
    assert verify._months([f"2024-{m:02d}" for m in range(1, 8)]) == "7 months, 2024-01 to 2024-07"
    assert [verify._count(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]
    assert [verify._count(n, "discrepancy") for n in (1, 2)] == ["1 discrepancy", "2 discrepancies"]
    assert [verify._count(n, "entry") for n in (1, 2)] == ["1 entry", "2 entries"]
    assert [verify._count(n, "key") for n in (1, 2)] == ["1 key", "2 keys"]


def test_days_to_pay_are_counted_with_the_lower_middle_and_the_longest():
    assert verify._days([]) == {"months": 0, "median": None, "max": None}
    assert verify._days([9]) == {"months": 1, "median": 9, "max": 9}
    assert verify._days([30, 1, 12, 4]) == {"months": 4, "median": 4, "max": 30}
    assert verify._days([5, 3, 8]) == {"months": 3, "median": 5, "max": 8}


def test_the_terms_in_force_in_a_month():
    entry = {"since": "2024-01", "until": "2024-03", "maintainer": "ana", "maintainer_share": "50%"}
    first, second = verify.Terms(entry), verify.Terms({**entry, "since": "2024-04", "until": "2024-09"})
    agreement = verify.Connector({"id": "acme-spot", "sponsor": "acme", "until": "2024-09"}, [first, second])
    assert [agreement.terms_in(month) for month in ("2023-12", "2024-01", "2024-03", "2024-04", "2024-09",
                                                    "2024-10")] == [None, first, first, second, second, None]
    assert verify.Connector({"id": "x", "sponsor": "acme", "until": None}, [first]).terms_in("2030-01") is first


def test_a_csv_files_rows_are_compared_month_by_month_with_their_numbers_in_a_spreadsheet():
    findings = verify.Findings()
    rows = [["2024-01", "a"], ["2024-02", "b"], ["2024-02", "x"], ["2024-01", "c"], ["2024-04", "d"]]
    expected = {"2024-01": [("2024-01", "a")], "2024-02": [("2024-02", "b"), ("2024-02", "c")],
                "2024-03": [("2024-03", "e")]}
    order = {month: index for index, month in enumerate(expected)}
    verify.compare_rows("data/x.csv", rows, expected, order, {}, ("month", "v"), findings)
    assert findings.problems == [
        "data/x.csv: row 4: v disagrees with the month file; expected c, found x",
        "data/x.csv: the rows of 2024-01 are not together in month order, from row 5; expected each month's rows "
        "together, months in order, found rows of 2024-01 again",
        "data/x.csv: has rows for 2024-04, which is not a published month; expected rows of the manifest's months "
        "only, found 1 row",
        "data/x.csv: has no rows for 2024-03; expected 1 row, found none"]


def test_a_kept_atom_feed_with_a_blank_line_first(honest, tmp_path):
    months = json.loads((honest / "data" / "manifest.json").read_text())["months"]
    entries = "".join("<entry>" + "".join(f"<record:{key}>{value}</record:{key}>" for key, value in month.items())
                      + "</entry>" for month in months[:2])
    feed = tmp_path / "feed.xml"
    feed.write_text(f'\n  <feed xmlns="http://www.w3.org/2005/Atom" xmlns:record="{verify.RECORD_NS}">'
                    f"<record:contract>1.2</record:contract>{entries}</feed>")
    result = check(honest, "--since", str(feed))
    assert result.code == 0, result
    assert result.out.endswith(f"; the 2 months of {feed} are unchanged, 1 added since\n")


def test_the_collector_is_left_as_it_was(honest):
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


def test_a_site_under_a_path_without_a_final_slash(honest):
    seen = []

    def recording(handler):
        seen.append(handler.headers["User-Agent"])
        http.server.SimpleHTTPRequestHandler.do_GET(handler)

    with Server(honest.parent, {"/": recording}) as server:
        result = check(server.url + honest.name)  # as https://example.github.io/transparency
    assert result.code == 0, result
    # The manifest, the agreements, the summary, 3 months, 1 year, 5 CSV files, and nothing else.
    assert set(seen) == {"transparency-verify/1.2"} and len(seen) == 19  # 12 files of the contract, 7 tables


def test_a_month_gone_for_good_is_missing(honest):
    def gone(handler):
        handler.send_error(410)

    with Server(honest, {"/data/reports/2024-02.json": gone}) as server:
        result = check(server.url)
    assert result.code == 1
    assert result.err.splitlines()[0] == ("data/reports/2024-02.json: is missing; expected the month file of "
                                          "2024-02, published with the site, found nothing")


def web(url: str, limit: int, total: int = verify.MAX_TOTAL) -> verify.Web:
    return verify.Web(url, 5, limit, verify.Budget(total))


def test_a_response_may_be_as_large_as_the_limit_and_no_larger(honest):
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
            assert web(server.url, 1000).read(path) == body
            with pytest.raises(verify.Unreadable) as refused:
                web(server.url, 999).read(path)
            assert str(refused.value) == f"{path}: larger than 999 bytes; expected at most that for one file " \
                                         "(--max-bytes)"
        assert web(server.url, 1000).read("nothing/here") is None
        both = web(server.url, 1000, total=1999)
        assert both.read("declared") == body
        with pytest.raises(verify.Unreadable) as refused:
            both.read("undeclared")
        assert str(refused.value) == "undeclared: the files read come to more than 1999 bytes in all; expected at " \
                                     "most that (--max-total)"


def test_a_response_longer_than_one_read_is_read_whole(honest):
    body = bytes(range(256)) * 1000  # 256000 bytes: four reads of 65536 bytes

    def large(handler):
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)

    with Server(honest, {"/large": large}) as server:
        assert web(server.url, len(body)).read("large") == body


def test_the_verifiers_usage_options_and_defaults(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "120")
    with pytest.raises(SystemExit) as done:
        verify.main(["--help"])
    assert done.value.code == 0
    usage = ("usage: verify.py [-h] [--since KEPT] [--timeout SECONDS] [--max-bytes N] [--max-total N] [--rpc URL] "
             "[--chain ID]\n                 TARGET\n\n")
    assert capsys.readouterr().out == usage + verify.__doc__ + "\n" + (
        "positional arguments:\n"
        "  TARGET             the site's folder (e.g. site) or its http(s) address\n"
        "\n"
        "options:\n"
        "  -h, --help         show this help message and exit\n"
        "  --since KEPT       a copy of data/manifest.json (or of the Atom feed reports/feed.xml) kept from earlier: "
        "refuse any\n"
        "                     month it lists that changed or vanished\n"
        "  --timeout SECONDS  give up on a request after this long, from connecting to its last byte (default: 30)\n"
        "  --max-bytes N      refuse a file larger than this (default: 33554432)\n"
        "  --max-total N      refuse to read more than this in all (default: 536870912)\n"
        "  --rpc URL          an Ethereum JSON-RPC endpoint: check every payout and remittance with a tx on its chain; "
        "give it\n"
        "                     more than once and every endpoint must give the same answers\n"
        "  --chain ID         the chain of agreements.json the --rpc endpoints serve (needed when the site carries "
        "transactions\n"
        "                     on several chains)\n")
    parser = argparse.ArgumentParser()
    verify.add_arguments(parser)
    assert vars(parser.parse_args(["site"])) == {"target": "site", "since": None, "timeout": 30.0,
                                                 "max_bytes": 32 * 1024 * 1024, "max_total": 512 * 1024 * 1024,
                                                 "rpc": None, "chain": None}
    assert vars(parser.parse_args(["--since", "kept.json", "--timeout", "2.5", "--max-bytes", "10", "--max-total",
                                   "20", "site"])) == {"target": "site", "since": "kept.json", "timeout": 2.5,
                                                       "max_bytes": 10, "max_total": 20, "rpc": None, "chain": None}


@pytest.mark.parametrize("option, value", [("--timeout", "0"), ("--timeout", "nan"), ("--timeout", "-1"),
                                           ("--max-bytes", "1e3"), ("--max-bytes", "0"), ("--max-total", "-5")])
def test_a_bound_that_is_no_bound_is_wrong_usage(option, value, capsys):
    with pytest.raises(SystemExit) as done:
        verify.main([option, value, "site"])
    assert done.value.code == 2
    assert f"argument {option}: {value!r} is not a number of" in capsys.readouterr().err


def test_the_verifier_runs_from_its_main(honest, capsys):
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
        "data/summary.json: maintainer ana: the flags do not follow the balance; expected no flags, found advance"]


def test_a_month_file_missing_is_reported_once_and_what_depends_on_it_is_counted(copy):
    """Not also as a month file that is not a month's figures, nor again in every file whose sums it is part of."""
    (copy / "data" / FEB).unlink()
    result = check(copy)
    assert (result.code, result.err.splitlines()) == (1, [
        f"data/{FEB}: is missing; expected the month file of 2024-02, published with the site, found nothing",
        f"data/{FEB}: could not be checked, so 13 checks that depend on it were not made (data/reports/2024-03.json, "
        "data/months.csv, data/payouts.csv and 5 more files)",
        f"1 discrepancy: {copy} does not hold together"])