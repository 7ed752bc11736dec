"""The validator, rule by rule: every message in full, at its FILE:LINE:COL, and nothing else reported;
and the limits of each rule, where a value just inside is accepted (a report for January, `until`
the month an agreement starts, a share of 100%, 18 decimals in a rate, ...).

Each case starts from the small valid data set of conftest.py and changes it: in agreements.yml,
or in reports/2024-02.yml (R), or adds or removes a report (tests/test_bad_inputs.py has more).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import AGREEMENTS, JANUARY, REPORT, run_cli, write_dataset
from transparency.load import parse
from transparency.model import Account, Chain, Token
from transparency.validate import is_month, report_month, validate

A, R = "agreements.yml", "2024-02.yml"
PERP_TERMS = "    terms:\n      - since: 2024-01\n        type: monthly fee\n        amount: 750 USDT\n"
PERP = ("  acme-perp:\n    name: Acme Perp\n    sponsor: acme\n    developer: ben\n" + PERP_TERMS
        + "    until: 2024-06\n")
REMITTANCE = "  - connector: acme-spot\n    amount: 100.00\n    user_fees: 333.33\n"
PAYOUTS = "payouts:\n  - to: ana\n    amount: 40\n    date: 2024-03-06\n"
# Two more terms entries of acme-spot: from 2024-05 (with the fields given), then from 2024-03, out of order.
LATER = ("      - since: 2024-05\n        type: fee share\n        amount: 30%\n        {}\n"
         "      - since: 2024-03\n        type: fee share\n        amount: 30%\n")
DRAFT = ("status: published\npublished: 2024-03-05", "status: draft")


def changed(base: str, change) -> str | None:
    if change is None or isinstance(change, str):
        return change
    old, new = change
    assert old in base, f"the case's text {old!r} is not in the file"
    return base.replace(old, new, 1)


# Contract 1.2's accounts, chains and tokens: the data set with a chain, a token, accounts, and February's payout
# carried on chain. The addresses are EIP-55's own examples, in mixed case with their checksum.
FOUNDATION_ADDRESS = "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
ANA_ADDRESS = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
CONTRACT = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"
TX = "0x" + "5e" * 32
CHAIN_AGREEMENTS = (
    AGREEMENTS.replace("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  accounts:\n    - chain: ethereum\n"
                       f'      address: "{FOUNDATION_ADDRESS}"\n')
    .replace("    github: ana-gh\n",
             f'    github: ana-gh\n    accounts:\n      - chain: ethereum\n        address: "{ANA_ADDRESS}"\n')
    + "chains:\n  ethereum:\n    name: Ethereum\n    explorer: https://etherscan.io\n"
    + f'tokens:\n  USDC:\n    chain: ethereum\n    contract: "{CONTRACT}"\n    decimals: 6\n')
CHAIN_REPORT = REPORT.replace("  USDT: 1.0002\n", "  USDT: 1.0002\n  USDC: 0.9999\n").replace(
    "    amount: 40\n    date: 2024-03-06\n",
    f'    amount: 40.123456\n    currency: USDC\n    date: 2024-03-06\n    tx: "{TX}"\n    address: "{ANA_ADDRESS}"\n')


def on_chain(agreements: tuple[str, str] | None = None, report: tuple[str, str] | None = None) -> dict:
    """The files of a case on the data set on chain, with one text replaced in agreements.yml and/or the report."""
    return {A: changed(CHAIN_AGREEMENTS, agreements or CHAIN_AGREEMENTS),
            R: changed(CHAIN_REPORT, report or CHAIN_REPORT)}


def adjusting(month: str, amount: str = "1", extra: str = "", reason: str = "x") -> tuple[str, str]:
    """An adjustment of acme-spot in `month`, added to February's report."""
    return "payouts:", (f"adjustments:\n  - month: {month}\n    connector: acme-spot\n    amount: {amount}\n{extra}"
                        f"    reason: {reason}\npayouts:")


# (case, {file: (old, new) to replace in it, or its whole text, or None to leave it out}, what check prints)
CASES = [
    # the shape of agreements.yml
    ("agreements not a mapping", {A: "- foundation\n"},
     ["agreements.yml:1:1: error: agreements.yml is a list; expected a mapping with foundation, people, sponsors "
      "and connectors"]),
    ("foundation not a mapping",
     {A: ("foundation:\n  name: Test Foundation\n  currency: USD\n  maintainer_share: 50%\n", "foundation: Test\n")},
     ["agreements.yml:1:13: error: foundation is text; expected a mapping with name, currency and maintainer_share"]),
    ("people not a mapping", {A: ("people:\n  ana:\n    name: Ana\n    github: ana-gh\n  ben:\n    name: Ben\n",
                                  "people: [ana, ben]\n")},
     ["agreements.yml:5:9: error: people is a list; expected a mapping of person ids to their fields"]),
    ("sponsors not a mapping", {A: ("sponsors:\n  acme:\n    name: Acme Exchange\n", "sponsors: acme\n")},
     ["agreements.yml:11:11: error: sponsors is text; expected a mapping of sponsor ids to their fields"]),
    ("a person not a mapping", {A: ("  ben:\n    name: Ben\n", "  ben: Ben\n")},
     ["agreements.yml:9:8: error: person 'ben' is text; expected a mapping with at least a name"]),
    ("a sponsor not a mapping", {A: ("  acme:\n    name: Acme Exchange\n", "  acme: Acme Exchange\n")},
     ["agreements.yml:12:9: error: sponsor 'acme' is text; expected a mapping with at least a name"]),
    ("a connector not a mapping", {A: (PERP, "  acme-perp: Acme Perp\n")},
     ["agreements.yml:24:14: error: connector 'acme-perp' is text; expected a mapping with name, sponsor, developer "
      "and terms"]),
    ("a terms entry not a mapping",
     {A: ("      - since: 2024-01\n        type: monthly fee\n        amount: 750 USDT\n", "      - 750 USDT\n")},
     ["agreements.yml:29:9: error: a terms entry is text; expected a mapping with since, type and amount"]),
    ("terms without since", {A: ("      - since: 2024-01\n        type: monthly fee", "      - type: monthly fee")},
     ["agreements.yml:29:9: error: terms entry has no 'since'; expected a 'since:' field"]),
    ("invalid person id", {A: ("  ben:\n    name: Ben\n", "  Ben:\n    name: Ben\n")},
     ["agreements.yml:9:3: error: person id 'Ben' is not a valid id; expected lowercase letters, digits and '-', "
      "starting with a letter or digit",
      "agreements.yml:27:16: error: unknown person 'ben'; did you mean 'Ben'?"]),
    ("an unknown field like no other", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  colour: red\n")},
     ["agreements.yml:5:3: error: unknown field 'colour' in foundation; expected one of: name, currency, "
      "maintainer_share, url, notice, accounts, license"]),
    ("a license in other capitals", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  license: cc-by-4.0\n")},
     ["agreements.yml:5:12: error: license 'cc-by-4.0' is not written as SPDX writes it; did you mean 'CC-BY-4.0'?"]),
    ("a license without its version", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  license: ODbL\n")},
     ["agreements.yml:5:12: error: license 'ODbL' is not the SPDX identifier of an open licence this site knows; "
      "did you mean 'ODbL-1.0'?"]),
    ("a license that forbids commercial use", {A: ("  maintainer_share: 50%\n",
                                                   "  maintainer_share: 50%\n  license: CC-BY-NC-4.0\n")},
     ["agreements.yml:5:12: error: license 'CC-BY-NC-4.0' forbids commercial use or changes, so the data would not "
      "be open; expected an open licence, like CC-BY-4.0 (reuse with attribution) or CC0-1.0 (no conditions)"]),
    ("a license like no other", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  license: mine\n")},
     ["agreements.yml:5:12: error: license 'mine' is not the SPDX identifier of an open licence this site knows; "
      "expected one of: CC0-1.0, CC-BY-4.0, CC-BY-SA-4.0, CC-BY-3.0, CC-BY-SA-3.0, PDDL-1.0, ODC-By-1.0, ODbL-1.0, "
      "CDLA-Permissive-2.0, CDLA-Sharing-1.0, OGL-UK-3.0, etalab-2.0, DL-DE-BY-2.0, MIT, Apache-2.0, BSD-2-Clause, "
      "BSD-3-Clause, Unlicense"]),
    ("a license as a list", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  license: [CC0-1.0]\n")},
     ["agreements.yml:5:12: error: license is a list; expected an SPDX identifier"]),
    ("an open license", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  license: ODC-By-1.0\n")}, []),
    ("agreements.yml without sponsors", {A: ("sponsors:\n  acme:\n    name: Acme Exchange\n", "")},
     ["agreements.yml:1:1: error: agreements.yml has no 'sponsors'; expected a 'sponsors:' field"]),
    # the foundation
    ("foundation currency not a code", {A: ("currency: USD", "currency: usd")},
     ["agreements.yml:3:13: error: currency 'usd' is not a currency code; expected 2 to 10 uppercase letters or "
      "digits, like USD"]),
    ("foundation currency not a code, and no rates", {A: ("currency: USD", "currency: usd"),
                                                      R: ("rates:\n  USDT: 1.0002\n", "")},
     ["agreements.yml:3:13: error: currency 'usd' is not a currency code; expected 2 to 10 uppercase letters or "
      "digits, like USD"]),  # a rate is needed for another currency than the reporting one, which is unknown
    ("foundation currency empty", {A: ("currency: USD", "currency:")},
     ["agreements.yml:3:12: error: currency is empty; expected a currency code like USD"]),
    ("foundation name empty", {A: ("name: Test Foundation", "name:")},
     ["agreements.yml:2:8: error: foundation name is empty; expected text"]),
    ("notice blank", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  notice: ' '\n")},
     ["agreements.yml:5:11: error: notice is blank; expected text"]),
    ("notice of 20001 characters", {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  notice: "
                                        + "n" * 20001 + "\n")},
     ["agreements.yml:5:11: error: notice is 20001 characters long; expected at most 20000"]),
    ("notice of 20000 characters on two lines",
     {A: ("  maintainer_share: 50%\n", "  maintainer_share: 50%\n  notice: |\n    " + "n" * 10000 + "\n    "
          + "n" * 9999 + "\n")}, []),
    ("share not a percentage", {A: ("maintainer_share: 50%", "maintainer_share: half")},
     ["agreements.yml:4:21: error: maintainer_share 'half' is not a percentage; expected N% with 0 <= N <= 100, "
      "like 50%"]),
    ("share empty", {A: ("maintainer_share: 50%", "maintainer_share:")},
     ["agreements.yml:4:20: error: maintainer_share is empty; expected a percentage like 50%"]),
    ("share of 100%", {A: ("maintainer_share: 50%", "maintainer_share: 100%")}, []),
    ("share of 0%", {A: ("maintainer_share: 50%", "maintainer_share: 0%")}, []),
    ("share of 100.1%", {A: ("maintainer_share: 50%", "maintainer_share: 100.1%")},
     ["agreements.yml:4:21: error: maintainer_share 100.1% is over 100%; expected a percentage from 0% to 100%"]),
    ("foundation url not https", {A: ("  maintainer_share: 50%\n",
                                      "  maintainer_share: 50%\n  url: http://foundation.example\n")},
     ["agreements.yml:5:8: error: url 'http://foundation.example' is not an https URL; expected https://host/path"]),
    # people, sponsors, connectors
    ("person name empty", {A: ("    name: Ben\n", "    name: ~\n")},
     ["agreements.yml:10:11: error: name is empty; expected text"]),
    ("sponsor name empty", {A: ("name: Acme Exchange", "name:")},
     ["agreements.yml:13:10: error: name is empty; expected text"]),
    ("developer empty", {A: ("developer: ben", "developer:")},
     ["agreements.yml:27:15: error: developer is empty; expected a person id"]),
    ("optional links left empty", {A: ("github: ana-gh", "github:\n    url:")}, []),
    ("docs a site path", {A: ("    name: Acme Spot\n", "    name: Acme Spot\n    docs: /exchanges/acme\n")}, []),
    ("docs empty", {A: ("    name: Acme Spot\n", "    name: Acme Spot\n    docs:\n")}, []),
    ("docs a list", {A: ("    name: Acme Spot\n", "    name: Acme Spot\n    docs: [/a]\n")},
     ["agreements.yml:17:11: error: docs is a list; expected a site path or an https URL"]),
    ("docs protocol-relative", {A: ("    name: Acme Spot\n", "    name: Acme Spot\n    docs: //evil.example/x\n")},
     ["agreements.yml:17:11: error: docs '//evil.example/x' is neither a site path nor an https URL; expected "
      "/path/to/page or https://host/path"]),
    ("url with a space", {A: ("    name: Ben\n", "    name: Ben\n    url: https://ben.example/a b\n")},
     ["agreements.yml:11:10: error: url 'https://ben.example/a b' is not an https URL; expected https://host/path"]),
    ("url that does not parse", {A: ("    name: Ben\n", "    name: Ben\n    url: https://[ben\n")},
     ["agreements.yml:11:10: error: url 'https://[ben' is not an https URL; expected https://host/path"]),
    ("url without a host", {A: ("    name: Ben\n", "    name: Ben\n    url: https:///ben\n")},
     ["agreements.yml:11:10: error: url 'https:///ben' is not an https URL; expected https://host/path"]),
    ("github a list", {A: ("github: ana-gh", "github: [ana-gh]")},
     ["agreements.yml:8:13: error: github is a list; expected a GitHub login"]),
    ("url a list", {A: ("    name: Ben\n", "    name: Ben\n    url: [https://ben.example]\n")},
     ["agreements.yml:11:10: error: url is a list; expected an https URL"]),
    ("sponsor empty", {A: ("sponsor: acme\n    developer: ana", "sponsor:\n    developer: ana")},
     ["agreements.yml:17:13: error: sponsor is empty; expected a sponsor id"]),
    # terms
    ("type empty", {A: ("type: fee share", "type:")},
     ["agreements.yml:21:14: error: type is empty; expected 'fee share' or 'monthly fee'"]),
    ("type like no other", {A: ("type: fee share", "type: barter")},
     ["agreements.yml:21:15: error: type 'barter' is not a type of agreement; expected fee share or monthly fee"]),
    ("amount empty", {A: ("amount: 30%", "amount:")},
     ["agreements.yml:22:16: error: amount is empty; expected an amount like 30%, 20-30%, $750 or 750 USDT"]),
    ("fee share not a share", {A: ("amount: 30%", "amount: thirty")},
     ["agreements.yml:22:17: error: amount 'thirty' is not a fee share; expected N% or N-M%, like 30% or 20-30%"]),
    ("fee share of 100%", {A: ("amount: 30%", "amount: 100%")}, []),
    ("fee share from 20% to 100%", {A: ("amount: 30%", "amount: 20-100%")}, []),
    ("fee share from 0.01%", {A: ("amount: 30%", "amount: 0.01-30%")}, []),
    ("fee share from 20% to 100.5%", {A: ("amount: 30%", "amount: 20-100.5%")},
     ["agreements.yml:22:17: error: amount 20-100.5% is over 100%; expected percentages up to 100%"]),
    ("an empty range", {A: ("amount: 30%", "amount: 20-20%")},
     ["agreements.yml:22:17: error: amount 20-20% is a reversed or empty range; expected N-M% with N < M"]),
    ("monthly fee of 0 USDT", {A: ("amount: 750 USDT", "amount: 0 USDT")},
     ["agreements.yml:31:17: error: amount 0 USDT is 0; expected a monthly fee greater than 0"]),
    ("monthly fee of $0.00", {A: ("amount: 750 USDT", "amount: $0.00")},
     ["agreements.yml:31:17: error: amount $0.00 is 0; expected a monthly fee greater than 0"]),
    ("monthly fee in dollars and cents", {A: ("amount: 750 USDT", "amount: $750.50")}, []),
    ("terms maintainer_share of 101%", {A: ("        maintainer: ana\n",
                                            "        maintainer: ana\n        maintainer_share: 101%\n")},
     ["agreements.yml:24:27: error: maintainer_share 101% is over 100%; expected a percentage from 0% to 100%"]),
    ("terms maintainer empty", {A: ("        maintainer: ana\n", "        maintainer:\n")}, []),
    ("since in year 1", {A: ("since: 2024-01\n        type: fee share", "since: 0001-01\n        type: fee share")},
     []),
    ("since in December", {A: ("since: 2024-01\n        type: fee share", "since: 2023-12\n        type: fee share")},
     []),
    ("since in year 0", {A: ("since: 2024-01\n        type: fee share", "since: 0000-05\n        type: fee share")},
     ["agreements.yml:20:16: error: since '0000-05' is not a real month; expected YYYY-MM with a month from 01 to "
      "12"]),
    ("until the month the agreement starts",
     {A: ("until: 2024-06", "until: 2024-01")},
     ["reports/2024-02.yml:10:16: error: connector 'acme-perp' has no agreement in force in 2024-02 (from 2024-01 "
      "to 2024-01); expected a remittance within the agreement"]),  # no error in agreements.yml
    ("until not a month", {A: ("until: 2024-06", "until: June")},
     ["agreements.yml:32:12: error: until 'June' is not a month; expected YYYY-MM, like 2024-06"]),
    ("a connector without terms", {A: (PERP_TERMS, "")},
     ["agreements.yml:25:5: error: connector 'acme-perp' has no 'terms'; expected a 'terms:' field"]),
    ("terms left empty", {A: (PERP_TERMS, "    terms:\n")},
     ["agreements.yml:28:11: error: terms of connector 'acme-perp' are empty; expected at least one entry with since, "
      "type and amount"]),
    ("an invalid terms entry is left out of the order of the others",
     {A: ("        maintainer: ana\n", "        maintainer: ana\n" + LATER.format("maintainer: ana\n        "
                                                                            "maintainer_share: 150%"))},
     ["agreements.yml:28:27: error: maintainer_share 150% is over 100%; expected a percentage from 0% to 100%"]),
    ("a terms entry of an unknown maintainer is left out of the order of the others",
     {A: ("        maintainer: ana\n", "        maintainer: ana\n" + LATER.format("maintainer: anna\n        "
                                                                            "maintainer_share: 40%"))},
     ["agreements.yml:27:21: error: unknown person 'anna'; did you mean 'ana'?"]),  # and no warning on its share
    ("terms that start after until",
     {A: ("        amount: 750 USDT\n", "        amount: 750 USDT\n      - since: 2024-07\n        type: monthly fee\n"
          "        amount: 800 USDT\n")},
     ["agreements.yml:32:16: error: terms since 2024-07 start after the agreement ends (until 2024-06); expected a "
      "since no later than 2024-06"]),
    ("terms that start the month of until",
     {A: ("        amount: 750 USDT\n", "        amount: 750 USDT\n      - since: 2024-06\n        type: monthly fee\n"
          "        amount: 800 USDT\n")}, []),
    ("terms maintainer_share left empty", {A: ("        maintainer: ana\n",
                                                "        maintainer: ana\n        maintainer_share:\n")}, []),
    ("until before the agreement starts", {A: ("until: 2024-06", "until: 2023-12")},
     ["agreements.yml:32:12: error: until 2023-12 is before the agreement starts (2024-01); expected a month from "
      "2024-01 on"]),  # the connector is left out: its remittance in February is not reported again
    ("terms that start after until leave the connector out of the reports",
     {A: ("        amount: 750 USDT\n", "        amount: 750 USDT\n      - since: 2024-07\n        type: monthly fee\n"
          "        amount: 800 USDT\n"), R: ("    currency: USDT\n", "    currency: USDT\n    user_fees: 1\n")},
     ["agreements.yml:32:16: error: terms since 2024-07 start after the agreement ends (until 2024-06); expected a "
      "since no later than 2024-06"]),  # and no warning on the user_fees of a monthly fee
    # the months and dates of a report
    ("a report for January", {"2024-01.yml": JANUARY, R: None}, []),
    ("a report for December",
     {"2024-12.yml": "month: 2024-12\nstatus: published\npublished: 2025-01-05\nremittances:\n" + REMITTANCE, R: None},
     []),
    ("month 00", {R: ("month: 2024-02", "month: 2024-00")},
     ["reports/2024-02.yml:1:8: error: month '2024-00' is not a real month; expected YYYY-MM with a month from 01 "
      "to 12"]),
    ("month empty", {R: ("month: 2024-02", "month:")},
     ["reports/2024-02.yml:1:7: error: month is empty; expected a month as YYYY-MM"]),
    ("status empty", {R: ("status: published", "status:")},
     ["reports/2024-02.yml:2:8: error: status is empty; expected draft or published"]),
    ("a draft without a published date", {R: DRAFT}, []),
    ("a draft with published left empty", {R: ("status: published\npublished: 2024-03-05",
                                                "status: draft\npublished:")}, []),
    ("published on the last day of the month", {R: ("published: 2024-03-05", "published: 2024-02-29")},
     ["reports/2024-02.yml:3:12: warning: published 2024-02-29 is before 2024-02 has ended; expected the date the "
      "report was published"]),
    ("published on the first day after it", {R: ("published: 2024-03-05", "published: 2024-03-01")}, []),
    ("payout date empty", {R: ("date: 2024-03-06", "date:")},
     ["reports/2024-02.yml:16:10: error: date is empty; expected a date as YYYY-MM-DD"]),
    ("payout without date", {R: ("    date: 2024-03-06\n", "")},
     ["reports/2024-02.yml:14:5: error: payout has no 'date'; expected a 'date:' field"]),
    ("an unknown report field like no other", {R: ("status: published\n", "status: published\ncolour: red\n")},
     ["reports/2024-02.yml:3:1: error: unknown field 'colour' in report; expected one of: month, status, published, "
      "rates, remittances, payouts, adjustments, totals, notes"]),
    ("a month published after two gaps",  # one warning, of the first gap: the next once it is filled
     {"2024-01.yml": JANUARY, R: None, "2024-03.yml": JANUARY.replace("2024-01", "2024-03").replace(
         "status: published\npublished: 2024-02-05", "status: pending"),
      "2024-05.yml": JANUARY.replace("2024-01", "2024-05").replace("2024-02-05", "2024-06-05")},
     ["reports/2024-03.yml:2:9: error: status 'pending' is not a status; expected draft or published",
      "reports/2024-05.yml:2:9: warning: 2024-05 is published but 2024-02 has no report, and a report of 2024-02 "
      "could not be added later without changing 2024-05's balances; expected a report for every month from the "
      "first on (python build.py new-report 2024-02 drafts it; remittances: [] when nothing was received)"]),
    # rates
    ("rates not a mapping", {R: ("rates:\n  USDT: 1.0002\n", "rates: [1.0002]\n")},
     ["reports/2024-02.yml:4:8: error: rates is a list; expected a mapping of currency codes to their value in the "
      "reporting currency",
      "reports/2024-02.yml:9:16: error: no rate for USDT in this report, needed to check the monthly fee of "
      "'acme-perp' (750 USDT); expected rates: {USDT: <value of 1 USDT in USD>}",
      "reports/2024-02.yml:11:15: error: no rate for USDT in this report, needed by this remittance; expected rates: "
      "{USDT: <value of 1 USDT in USD>}"]),
    ("rate currency not a code", {R: ("  USDT: 1.0002", "  usdt: 1.0002")},
     ["reports/2024-02.yml:5:3: error: rate currency 'usdt' is not a currency code; expected 2 to 10 uppercase "
      "letters or digits, like USDT",
      "reports/2024-02.yml:10:16: error: no rate for USDT in this report, needed to check the monthly fee of "
      "'acme-perp' (750 USDT); expected rates: {USDT: <value of 1 USDT in USD>}",
      "reports/2024-02.yml:12:15: error: no rate for USDT in this report, needed by this remittance; expected rates: "
      "{USDT: <value of 1 USDT in USD>}"]),
    ("rates after rates that are not rates",
     {R: ("rates:\n  USDT: 1.0002\n", "rates:\n  EUR: x\n  usdt: 1\n  USD: 1\n  USDT: 1.0002\n")},
     ["reports/2024-02.yml:5:8: error: rate for EUR 'x' is not a plain decimal; expected digits with an optional '.' "
      "and decimals, like 1234.56",
      "reports/2024-02.yml:6:3: error: rate currency 'usdt' is not a currency code; expected 2 to 10 uppercase "
      "letters or digits, like USDT"]),  # the USDT rate after them is read
    ("a rate of 1 for the reporting currency", {R: ("  USDT: 1.0002\n", "  USDT: 1.0002\n  USD: 1\n")}, []),
    ("a rate with 18 decimals", {R: ("USDT: 1.0002", "USDT: 1.000200000000000001")}, []),
    ("a rate with 19 decimals", {R: ("USDT: 1.0002", "USDT: 1.0002000000000000001")},
     ["reports/2024-02.yml:5:9: error: rate for USDT '1.0002000000000000001' has 19 decimal places; expected at "
      "most 18"]),
    ("rates left empty",
     {R: "month: 2024-02\nstatus: published\npublished: 2024-03-05\nrates:\nremittances: []\n"}, []),
    # remittances
    ("a remittance not a mapping", {R: (REMITTANCE, "  - 100.00\n")},
     ["reports/2024-02.yml:7:5: error: a remittance is text; expected a mapping with connector and amount"]),
    ("remittance amount empty", {R: ("amount: 100.00", "amount:")},
     ["reports/2024-02.yml:8:12: error: amount for 'acme-spot' is empty; expected an amount like 1234.56"]),
    ("remittance currency not a code", {R: ("    currency: USDT\n", "    currency: usdt\n")},
     ["reports/2024-02.yml:12:15: error: currency 'usdt' is not a currency code; expected 2 to 10 uppercase letters "
      "or digits, like USDT"]),
    ("user_fees of 0", {R: ("user_fees: 333.33", "user_fees: 0")},
     ["reports/2024-02.yml:9:16: error: user_fees is 0; expected an amount greater than 0"]),
    ("volume of 0", {R: ("user_fees: 333.33", "user_fees: 333.33\n    volume: 0")}, []),
    ("reference blank", {R: ("user_fees: 333.33", "user_fees: 333.33\n    reference: ' '")},
     ["reports/2024-02.yml:10:16: error: reference is blank; expected text"]),
    ("reference of 200 characters", {R: ("user_fees: 333.33", "user_fees: 333.33\n    reference: " + "r" * 200)}, []),
    ("an amount with 8 decimals", {R: ("amount: 100.00", "amount: 100.00000001")}, []),
    ("an amount with 15 digits", {R: ("amount: 100.00", "amount: 100000000000000.00")}, []),
    ("an amount with leading zeros", {R: ("amount: 100.00", "amount: 000000000000000100.00")}, []),
    ("an amount with a space", {R: ("amount: 100.00", "amount: 1 000.00")},
     ["reports/2024-02.yml:8:13: error: amount '1 000.00' is not a plain decimal; expected digits without thousands "
      "separators, like 1234.56"]),
    ("an amount with an underscore", {R: ("amount: 100.00", "amount: 1_000.00")},
     ["reports/2024-02.yml:8:13: error: amount '1_000.00' is not a plain decimal; expected digits without thousands "
      "separators, like 1234.56"]),
    ("an amount with two points", {R: ("amount: 100.00", "amount: 1.00.00")},
     ["reports/2024-02.yml:8:13: error: amount '1.00.00' is not a plain decimal; expected digits with an optional "
      "'.' and decimals, like 1234.56"]),
    ("remittance connector empty", {R: ("connector: acme-spot", "connector:")},
     ["reports/2024-02.yml:7:15: error: connector is empty; expected a connector id"]),
    ("remittance currency a list", {R: ("    currency: USDT\n", "    currency: [USDT]\n")},
     ["reports/2024-02.yml:12:15: error: currency is a list; expected a currency code"]),
    ("volume left empty", {R: ("user_fees: 333.33", "user_fees: 333.33\n    volume:")}, []),
    # payouts
    ("payouts not a list", {R: (PAYOUTS, "payouts: ana\n")},
     ["reports/2024-02.yml:13:10: error: payouts is text; expected a list of payouts"]),
    ("a payout not a mapping", {R: ("  - to: ana\n    amount: 40\n    date: 2024-03-06\n", "  - ana\n")},
     ["reports/2024-02.yml:14:5: error: a payout is text; expected a mapping with to, amount and date"]),
    ("payout amount empty", {R: ("amount: 40", "amount:")},
     ["reports/2024-02.yml:15:12: error: amount paid to 'ana' is empty; expected an amount like 1234.56"]),
    ("a payout in a currency without a rate", {R: ("    amount: 40\n", "    amount: 40\n    currency: EUR\n")},
     ["reports/2024-02.yml:16:15: error: no rate for EUR in this report, needed by this payout; expected rates: "
      "{EUR: <value of 1 EUR in USD>}"]),
    # adjustments
    ("adjustments not a list", {"2024-01.yml": JANUARY, R: ("payouts:", "adjustments: x\npayouts:")},
     ["reports/2024-02.yml:13:14: error: adjustments is text; expected a list of adjustments"]),
    ("an adjustment not a mapping", {"2024-01.yml": JANUARY, R: ("payouts:", "adjustments:\n  - x\npayouts:")},
     ["reports/2024-02.yml:14:5: error: an adjustment is text; expected a mapping with month, connector, amount and "
      "reason"]),
    ("adjustment amount empty", {"2024-01.yml": JANUARY, R: adjusting("2024-01", amount="")},
     ["reports/2024-02.yml:16:12: error: amount of the adjustment for 'acme-spot' is empty; expected an amount like "
      "1234.56"]),
    ("adjustment amount 0", {"2024-01.yml": JANUARY, R: adjusting("2024-01", amount="0")},
     ["reports/2024-02.yml:16:13: error: amount is 0; expected an amount other than 0"]),
    ("an adjustment in a currency without a rate",
     {"2024-01.yml": JANUARY, R: adjusting("2024-01", extra="    currency: EUR\n")},
     ["reports/2024-02.yml:17:15: error: no rate for EUR in this report, needed by this adjustment; expected rates: "
      "{EUR: <value of 1 EUR in USD>}"]),
    ("adjustment reason blank", {"2024-01.yml": JANUARY, R: adjusting("2024-01", reason="' '")},
     ["reports/2024-02.yml:17:13: error: reason is blank; expected text"]),
    ("an adjustment of a month that is not real", {"2024-01.yml": JANUARY, R: adjusting("2024-13")},
     ["reports/2024-02.yml:14:12: error: month '2024-13' is not a real month; expected YYYY-MM with a month from 01 "
      "to 12"]),
    ("an adjustment of a later month", {"2024-01.yml": JANUARY, R: adjusting("2024-03")},
     ["reports/2024-02.yml:14:12: error: adjustment month 2024-03 is not before 2024-02; expected an earlier, "
      "published month"]),
    ("an adjustment of a draft", {"2024-01.yml": JANUARY.replace("status: published\npublished: 2024-02-05",
                                                                 "status: draft"),
                                  R: REPORT.replace(*DRAFT).replace(*adjusting("2024-01"))},
     ["reports/2024-02.yml:13:12: error: adjustment month 2024-01 is not published; expected a published month to "
      "correct"]),
    ("an adjustment of a connector not yet in force",
     {A: ("since: 2024-01\n        type: fee share", "since: 2024-02\n        type: fee share"),
      "2024-01.yml": JANUARY.replace("  - connector: acme-spot\n    amount: 80.00\n", ""), R: adjusting("2024-01")},
     ["reports/2024-02.yml:15:16: error: connector 'acme-spot' had no agreement in force in 2024-01 (from 2024-02); "
      "expected a connector of the corrected month"]),
    ("adjustment currency not a code", {"2024-01.yml": JANUARY, R: adjusting("2024-01", extra="    currency: usdt\n")},
     ["reports/2024-02.yml:17:15: error: currency 'usdt' is not a currency code; expected 2 to 10 uppercase letters "
      "or digits, like USDT"]),
    ("an adjustment of an unknown connector",
     {"2024-01.yml": JANUARY, R: ("payouts:", "adjustments:\n  - month: 2024-01\n    connector: acme-spt\n"
                                              "    amount: 1\n    reason: x\npayouts:")},
     ["reports/2024-02.yml:15:16: error: unknown connector 'acme-spt'; did you mean 'acme-spot'?"]),
    # totals
    ("totals not a mapping", {R: ("payouts:", "totals: 850.15\npayouts:")},
     ["reports/2024-02.yml:13:9: error: totals is text; expected a mapping with remitted and/or paid"]),
    ("totals.paid with a sign", {R: ("payouts:", "totals:\n  paid: -40\npayouts:")},
     ["reports/2024-02.yml:14:9: error: totals.paid '-40' has a sign; expected an amount greater than 0, without "
      "'-'"]),
    ("totals.paid empty", {R: ("payouts:", "totals:\n  remitted: 850.15\n  paid:\npayouts:")},
     ["reports/2024-02.yml:15:8: error: totals.paid is empty; expected an amount like 1234.56"]),
    ("totals of 0 for a month of nothing",
     {R: "month: 2024-02\nstatus: published\npublished: 2024-03-05\nremittances: []\ntotals:\n  remitted: 0\n"
         "  paid: 0.00\n"}, []),
    ("a negative totals.remitted is an amount",
     {R: "month: 2024-02\nstatus: published\npublished: 2024-03-05\ntotals:\n  remitted: -1\n"},
     ["reports/2024-02.yml:5:13: error: totals.remitted is -1.00 but the remittances and adjustments of 2024-02 "
      "come to 0.00; expected the two to agree"]),
    ("totals with a misspelt field", {R: ("payouts:", "totals:\n  remited: 850.15\npayouts:")},
     ["reports/2024-02.yml:14:3: error: totals declares nothing; expected remitted: and/or paid:",
      "reports/2024-02.yml:14:3: error: unknown field 'remited' in totals; did you mean 'remitted'?"]),
    ("totals.paid alone, and wrong", {R: ("payouts:", "totals:\n  paid: 41\npayouts:")},
     ["reports/2024-02.yml:14:9: error: totals.paid is 41.00 but the payouts of 2024-02 come to 40.00; expected the "
      "two to agree"]),
    # notes
    ("notes blank", {R: ("status: published\n", "status: published\nnotes: ' '\n")},
     ["reports/2024-02.yml:3:8: error: notes is blank; expected text"]),
    ("notes of 20000 characters", {R: ("status: published\n", "status: published\nnotes: " + "n" * 20000 + "\n")},
     []),
    ("notes of 20001 characters", {R: ("status: published\n", "status: published\nnotes: " + "n" * 20001 + "\n")},
     ["reports/2024-02.yml:3:8: error: notes is 20001 characters long; expected at most 20000"]),
    # accounts, chains and tokens (contract 1.2)
    ("the data set on chain", on_chain(), []),
    ("addresses in lower case and in upper case carry no checksum",
     on_chain((FOUNDATION_ADDRESS, FOUNDATION_ADDRESS.lower()), (ANA_ADDRESS, "0x" + ANA_ADDRESS[2:].upper())), []),
    ("chains and tokens left empty", {A: AGREEMENTS + "chains:\ntokens: ~\n"}, []),
    ("an address with a wrong checksum", on_chain((ANA_ADDRESS, ANA_ADDRESS.replace("fB69", "Fb69"))),
     ["agreements.yml:14:18: error: address '0xFb6916095ca1df60bB79Ce92cE3Ea74c37c5d359' fails its EIP-55 "
      "checksum: a character is mistyped or its case was changed; expected the address exactly as the wallet "
      "shows it"]),
    ("an address mistyped", on_chain((ANA_ADDRESS, ANA_ADDRESS.replace("d359", "d358"))),
     ["agreements.yml:14:18: error: address '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d358' fails its EIP-55 "
      "checksum: a character is mistyped or its case was changed; expected the address exactly as the wallet "
      "shows it"]),
    ("an address too short", on_chain((ANA_ADDRESS, ANA_ADDRESS[:-1])),
     ["agreements.yml:14:18: error: address '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35' has 39 hex digits; "
      "expected an address: 0x and 40 hex digits, like 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]),
    ("a transaction hash as an address", on_chain((ANA_ADDRESS, TX)),
     ["agreements.yml:14:18: error: address '0x5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5…' has "
      "64 hex digits, like a transaction hash; expected an address: 0x and 40 hex digits, like "
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]),
    ("an address that is not hex", on_chain((ANA_ADDRESS, "ana.eth")),
     ["agreements.yml:14:18: error: address 'ana.eth' is not 0x and hex digits (0-9, a-f); expected an "
      "address: 0x and 40 hex digits, like 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]),
    ("an address empty", on_chain((f'address: "{ANA_ADDRESS}"', "address:")),
     ["agreements.yml:14:17: error: address is empty; expected an address, 0x and 40 hex digits"]),
    ("an account twice", on_chain((f'        address: "{ANA_ADDRESS}"\n',
                                   f'        address: "{ANA_ADDRESS}"\n      - chain: ethereum\n'
                                   f'        address: "{ANA_ADDRESS.lower()}"\n')),
     ["agreements.yml:16:18: error: address 0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359 is already an account "
      "of ana on ethereum (line 13); expected each account once"]),
    ("accounts not a list", on_chain(("    accounts:\n      - chain: ethereum\n" f'        address: "{ANA_ADDRESS}"\n',
                                      "    accounts: ethereum\n")),
     ["agreements.yml:12:15: error: accounts is text; expected a list of accounts, each with chain and address"]),
    ("an account not a mapping", on_chain(("      - chain: ethereum\n" f'        address: "{ANA_ADDRESS}"\n',
                                           f'      - "{ANA_ADDRESS}"\n')),
     ["agreements.yml:13:9: error: an account is text; expected a mapping with chain and address"]),
    ("an account without its chain", on_chain(("      - chain: ethereum\n        address", "      - address")),
     ["agreements.yml:13:9: error: account has no 'chain'; expected a 'chain:' field"]),
    ("an account on an unknown chain", on_chain(("      - chain: ethereum\n        address",
                                                 "      - chain: etherum\n        address")),
     ["agreements.yml:13:16: error: unknown chain 'etherum'; did you mean 'ethereum'?"]),
    ("an account without chains",
     {A: AGREEMENTS.replace("    github: ana-gh\n", "    github: ana-gh\n    accounts:\n      - chain: ethereum\n"
                                                   "        address: '0x" + "1" * 40 + "'\n")},
     ["agreements.yml:10:16: error: unknown chain 'ethereum'; expected an id declared under chains:"]),
    ("a sponsor's account", on_chain(("    name: Acme Exchange\n", "    name: Acme Exchange\n    accounts:\n"
                                      "      - chain: ethereum\n        address: '0x" + "2" * 40 + "'\n")), []),
    ("chains a list", on_chain(("chains:\n  ethereum:\n    name: Ethereum\n    explorer: https://etherscan.io\n",
                                "chains: [ethereum]\n")),
     ["agreements.yml:39:9: error: chains is a list; expected a mapping of chain ids to their fields"]),
    ("a chain id not an id", on_chain(("  ethereum:\n    name: Ethereum\n", "  Ethereum:\n    name: Ethereum\n")),
     ["agreements.yml:6:14: error: unknown chain 'ethereum'; did you mean 'Ethereum'?",
      "agreements.yml:13:16: error: unknown chain 'ethereum'; did you mean 'Ethereum'?",
      "agreements.yml:40:3: error: chain id 'Ethereum' is not a valid id; expected lowercase letters, digits "
      "and '-', starting with a letter or digit",
      "agreements.yml:45:12: error: unknown chain 'ethereum'; did you mean 'Ethereum'?"]),
    ("a chain not a mapping", on_chain(("  ethereum:\n    name: Ethereum\n    explorer: https://etherscan.io\n",
                                        "  ethereum: Ethereum\n")),
     ["agreements.yml:40:13: error: chain 'ethereum' is text; expected a mapping with at least a name"]),
    ("a chain without a name", on_chain(("    name: Ethereum\n", "")),
     ["agreements.yml:41:5: error: chain 'ethereum' has no 'name'; expected a 'name:' field"]),
    ("an explorer not https", on_chain(("explorer: https://etherscan.io", "explorer: http://etherscan.io")),
     ["agreements.yml:42:15: error: explorer 'http://etherscan.io' is not an https URL; expected "
      "https://host/path"]),
    ("an explorer with a query", on_chain(("explorer: https://etherscan.io", "explorer: https://etherscan.io/?q=")),
     ["agreements.yml:42:15: error: explorer 'https://etherscan.io/?q=' has a query or a fragment; expected "
      "the explorer's address, like https://etherscan.io, to which /tx/HASH and /address/ADDRESS are added"]),
    ("an explorer with a path and a trailing slash", on_chain(("explorer: https://etherscan.io",
                                                               "explorer: https://explorer.example/eth/")), []),
    ("a token not a currency code", on_chain(("  USDC:\n    chain", "  usdc:\n    chain")),
     ["agreements.yml:44:3: error: token 'usdc' is not a currency code; expected 2 to 10 uppercase letters or "
      "digits, like USDC: the code the reports use",
      "reports/2024-02.yml:17:15: error: currency USDC is not a token, but this line has a tx; expected a code "
      "declared under tokens: in agreements.yml (with its chain, contract and decimals)"]),
    ("a token not a mapping", on_chain(("  USDC:\n    chain: ethereum\n"
                                        f'    contract: "{CONTRACT}"\n    decimals: 6\n',
                                        "  USDC: ethereum\n")),
     ["agreements.yml:44:9: error: token USDC is text; expected a mapping with chain, contract and decimals"]),
    ("a token without decimals", on_chain(("    decimals: 6\n", "")),
     ["agreements.yml:45:5: error: token USDC has no 'decimals'; expected a 'decimals:' field"]),
    ("a token on an unknown chain", on_chain(("  USDC:\n    chain: ethereum", "  USDC:\n    chain: base")),
     ["agreements.yml:45:12: error: unknown chain 'base'; expected an id declared under chains:"]),
    ("a token's contract not an address", on_chain((f'contract: "{CONTRACT}"', "contract: USDC")),
     ["agreements.yml:46:15: error: contract 'USDC' is not 0x and hex digits (0-9, a-f); expected an address: "
      "0x and 40 hex digits, like 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]),
    ("decimals not a whole number", on_chain(("decimals: 6", "decimals: 6.0")),
     ["agreements.yml:47:15: error: decimals '6.0' is not a whole number of decimal places; expected an "
      "integer from 0 to 36, like 6 (the token contract's decimals())"]),
    ("decimals over 36", on_chain(("decimals: 6", "decimals: 37")),
     ["agreements.yml:47:15: error: decimals 37 is more than 36; expected an integer from 0 to 36 (the token "
      "contract's decimals())"]),
    ("decimals of 36 and of 0", on_chain(("    decimals: 6\n", "    decimals: 36\n  WETH:\n    chain: ethereum\n"
                                          "    contract: '0x" + "3" * 40 + "'\n    decimals: 0\n")), []),
    ("two tokens with one contract", on_chain(("    decimals: 6\n", "    decimals: 6\n  USDC2:\n    chain: ethereum\n"
                                               f"    contract: '{CONTRACT.lower()}'\n    decimals: 6\n")),
     ["agreements.yml:50:15: error: contract 0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb on ethereum is already "
      "token USDC's; expected each token under one code"]),
    ("tokens a list", on_chain(("tokens:\n  USDC:\n    chain: ethereum\n"
                                f'    contract: "{CONTRACT}"\n    decimals: 6\n',
                                "tokens: [USDC]\n")),
     ["agreements.yml:43:9: error: tokens is a list; expected a mapping of token codes to their fields"]),
    # transactions in a report
    ("a tx too short", on_chain(report=(TX, TX[:-2])),
     ["reports/2024-02.yml:19:9: error: tx '0x5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5…' has "
      "62 hex digits; expected a transaction hash: 0x and 64 hex digits"]),
    ("an address as a tx", on_chain(report=(TX, ANA_ADDRESS)),
     ["reports/2024-02.yml:19:9: error: tx '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359' has 40 hex digits, "
      "like an address; expected a transaction hash: 0x and 64 hex digits"]),
    ("a tx that is not hex", on_chain(report=(f'tx: "{TX}"', "tx: pending")),
     ["reports/2024-02.yml:19:9: error: tx 'pending' is not 0x and hex digits (0-9, a-f); expected a "
      "transaction hash: 0x and 64 hex digits"]),
    ("a tx in upper case", on_chain(report=(TX, "0x" + TX[2:].upper())), []),
    ("a tx left empty, and no address",
     on_chain(report=(f'    tx: "{TX}"\n    address: "{ANA_ADDRESS}"\n', "    tx:\n")),
     []),
    ("a tx without an address", on_chain(report=(f'    address: "{ANA_ADDRESS}"\n', "")),
     ["reports/2024-02.yml:15:5: error: a payout with a tx has no address; expected address: the address paid, "
      "as it was paid"]),
    ("a tx with an empty address", on_chain(report=(f'address: "{ANA_ADDRESS}"', "address:")),
     ["reports/2024-02.yml:20:13: error: a payout with a tx has no address; expected address: the address "
      "paid, as it was paid"]),
    ("an address without a tx", on_chain(report=(f'    tx: "{TX}"\n', "")),
     ["reports/2024-02.yml:19:14: warning: address is published only with the transaction that paid it; "
      "expected tx: beside it (0x and 64 hex digits), or no address"]),
    ("a tx in a currency that is not a token", on_chain(report=("currency: USDC", "currency: USDT")),
     ["reports/2024-02.yml:6:3: warning: rate for USDC is not used by this report",
      "reports/2024-02.yml:17:15: error: currency USDT is not a token, but this line has a tx; expected a code "
      "declared under tokens: in agreements.yml (with its chain, contract and decimals)"]),
    ("a tx in the reporting currency", on_chain(report=("    currency: USDC\n", "")),
     ["reports/2024-02.yml:6:3: warning: rate for USDC is not used by this report",
      "reports/2024-02.yml:18:9: error: this line has a tx but is in USD, the reporting currency, which is not "
      "a token; expected currency: a code declared under tokens: in agreements.yml"]),
    ("a tx in a token without a rate", on_chain(report=("  USDC: 0.9999\n", "")),
     ["reports/2024-02.yml:16:15: error: no rate for USDC in this report, needed by this payout; expected "
      "rates: {USDC: <value of 1 USDC in USD>}"]),
    ("a tx to an address that is not the person's", on_chain(report=(f'address: "{ANA_ADDRESS}"',
                                                                    f'address: "{FOUNDATION_ADDRESS}"')),
     ["reports/2024-02.yml:20:14: warning: address 0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb is not among "
      "ana's accounts on ethereum; expected one of them, or this address added to ana's accounts in "
      "agreements.yml (people change wallets: the report keeps the address that was paid)"]),
    ("a tx to a person without accounts", on_chain(report=("  - to: ana\n", "  - to: ben\n")),
     ["reports/2024-02.yml:20:14: warning: address 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359 is not among "
      "ben's accounts on ethereum; expected one of them, or this address added to ben's accounts in "
      "agreements.yml (people change wallets: the report keeps the address that was paid)"]),
    ("a tx of a Foundation without an account on the chain",
     on_chain(("  accounts:\n    - chain: ethereum\n" f'      address: "{FOUNDATION_ADDRESS}"\n', ""),
              ("  - to: ana\n", '  - to: ana\n    amount: 1\n    currency: USDC\n    date: 2024-03-06\n'
                                f'    tx: "{TX}"\n    address: "{ANA_ADDRESS}"\n  - to: ana\n')),
     ["reports/2024-02.yml:19:9: warning: the Foundation declares no account on ethereum, where USDC is; "
      "expected its address on ethereum under foundation: accounts: (the check on chain looks for the "
      "transfers from or to it)"]),
    ("a remittance on chain", on_chain(report=("    amount: 100.00\n    user_fees: 333.33\n",
                                               f'    amount: 100.00\n    user_fees: 333.33\n    currency: USDC\n'
                                               f'    tx: "{TX}"\n')), []),
    ("a remittance on chain in the reporting currency", on_chain(report=("    user_fees: 333.33\n",
                                                                         f'    user_fees: 333.33\n    tx: "{TX}"\n')),
     ["reports/2024-02.yml:11:9: error: this line has a tx but is in USD, the reporting currency, which is not "
      "a token; expected currency: a code declared under tokens: in agreements.yml"]),
    ("a token amount with more decimals than the token", on_chain(report=("40.123456", "40.1234567")),
     ["reports/2024-02.yml:16:13: error: amount '40.1234567' has 7 decimal places; expected at most 6 (USDC "
      "has 6 decimals)"]),
    ("a token amount with 8 decimals, more than the token's 6", on_chain(report=("40.123456", "40.12345678")),
     ["reports/2024-02.yml:16:13: error: amount '40.12345678' has 8 decimal places; expected at most 6 (USDC "
      "has 6 decimals)"]),
    ("a token of 18 decimals takes 18 places", on_chain(("decimals: 6", "decimals: 18"),
                                                        ("40.123456", "40.123456789012345678")), []),
    ("a token of 0 decimals takes none", on_chain(("decimals: 6", "decimals: 0")),
     ["reports/2024-02.yml:16:13: error: amount '40.123456' has 6 decimal places; expected a whole number "
      "(USDC has no decimals)"]),
    ("an adjustment in a token", on_chain(report=adjusting("2024-01", amount="-1.1234567",
                                                           extra="    currency: USDC\n")) | {"2024-01.yml": JANUARY},
     ["reports/2024-02.yml:17:13: error: amount '-1.1234567' has 7 decimal places; expected at most 6 (USDC "
      "has 6 decimals)"]),
]


@pytest.mark.parametrize("case, changes, expected", CASES, ids=[case[0] for case in CASES])
def test_each_rule_says_what_is_wrong_and_what_was_expected(tmp_path, case, changes, expected):
    agreements = changed(AGREEMENTS, changes.get(A, (AGREEMENTS, AGREEMENTS)))
    reports = {"2024-02.yml": REPORT}
    for name, change in changes.items():
        if name != A:
            reports[name] = changed(reports.get(name, REPORT), change)
    data = write_dataset(tmp_path / "data", agreements, {name: text for name, text in reports.items() if text})
    result = run_cli("check", "--data", str(data))
    lines = [line.replace(f"{data}/", "") for line in result.err.splitlines()]
    assert [line for line in lines if ": error: " in line or ": warning: " in line] == expected, "\n".join(lines)
    assert result.code == (1 if any(": error: " in line for line in expected) else 0), result


@pytest.mark.parametrize("path, month", [
    ("reports/2024-01.yml", "2024-01"), ("reports/2024-12.yml", "2024-12"), ("reports\\2024-06.yml", "2024-06"),
    ("2024-06.yml", "2024-06"), ("reports/0001-01.yml", "0001-01"), ("reports/2024-00.yml", None),
    ("reports/2024-13.yml", None), ("reports/0000-01.yml", None), ("reports/2024-06.yaml", None),
    ("reports/2024-6.yml", None), ("reports/x2024-06.yml", None), ("reports/2024-06.yml/", None)])
def test_a_reports_month_is_its_file_name(path, month):
    assert report_month(path) == month


@pytest.mark.parametrize("text, real", [
    ("2024-01", True), ("2024-12", True), ("0001-06", True), ("9999-12", True), ("2024-00", False),
    ("2024-13", False), ("0000-06", False), ("2024-1", False), ("2024-01-01", False), ("24-01", False)])
def test_a_month_is_real_from_01_to_12_from_year_1(text, real):
    assert is_month(text) is real


def validated(agreements: str = AGREEMENTS, report: str = REPORT):
    """validate() over agreements.yml and reports/2024-02.yml, as shown under data/."""
    return validate(parse(agreements.encode("utf-8"), "data/agreements.yml", "agreements.yml"),
                    [parse(report.encode("utf-8"), "data/reports/2024-02.yml", "reports/2024-02.yml")])


def test_there_is_no_dataset_when_only_a_report_has_an_error():
    dataset, diagnostics = validated(report=REPORT.replace("amount: 40", "amount: 0"))
    assert dataset is None
    assert [str(d) for d in diagnostics] == [
        "data/reports/2024-02.yml:15:13: error: amount is 0; expected an amount greater than 0"]


def test_the_typed_data_keeps_each_files_name_and_the_line_of_each_entry():
    dataset, diagnostics = validated()
    assert diagnostics == []
    agreements, (report,) = dataset.agreements, dataset.reports
    assert (agreements.path, agreements.source, report.path, report.source) == (
        "data/agreements.yml", "agreements.yml", "data/reports/2024-02.yml", "reports/2024-02.yml")
    assert [person.line for person in agreements.people.values()] == [7, 10]
    assert [sponsor.line for sponsor in agreements.sponsors.values()] == [13]
    assert [connector.line for connector in agreements.connectors.values()] == [16, 25]
    assert [terms.line for connector in agreements.connectors.values() for terms in connector.terms] == [20, 29]
    assert [line.line for line in report.remittances + report.payouts] == [7, 10, 14]


def test_addresses_and_transactions_are_typed_in_lower_case():
    dataset, diagnostics = validated(CHAIN_AGREEMENTS, CHAIN_REPORT.replace(TX, "0x" + TX[2:].upper()))
    assert diagnostics == []
    agreements, (report,) = dataset.agreements, dataset.reports
    assert agreements.foundation.accounts == (Account("ethereum", FOUNDATION_ADDRESS.lower()),)
    assert agreements.people["ana"].accounts == (Account("ethereum", ANA_ADDRESS.lower()),)
    assert agreements.people["ben"].accounts == () and agreements.sponsors["acme"].accounts == ()
    assert agreements.chains == {"ethereum": Chain("ethereum", "Ethereum", "https://etherscan.io")}
    assert agreements.tokens == {"USDC": Token("USDC", "ethereum", CONTRACT.lower(), 6)}
    (payout,) = report.payouts
    assert (payout.amount, payout.currency, payout.tx, payout.address) == (
        Decimal("40.123456"), "USDC", TX, ANA_ADDRESS.lower())
    assert [remittance.tx for remittance in report.remittances] == [None, None]
