"""The corpus of bad inputs: each is refused with exit 1, its message, at its FILE:LINE:COL.

Every case starts from the small valid data set of conftest.py and changes one thing, in
agreements.yml (A) or in the report reports/2024-02.yml (R).
"""

from __future__ import annotations

import pytest

from conftest import AGREEMENTS, REPORT, run_cli, write_dataset

A, R = "agreements.yml", "reports/2024-02.yml"
ADJUST = "adjustments:\n  - month: {month}\n    connector: acme-spot\n    amount: -1\n    reason: x\npayouts:"
NESTED = "month:\n" + "".join("  " * depth + "- \n" for depth in range(1, 40))
LAUGHS = 'a: &a ["lol","lol"]\n' + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)}]\n"
                                           for i in range(20))
HUGE = "month: 2024-02\nnotes: |\n" + ("  " + "x" * 100 + "\n") * 90000

# (case, file, text to replace (None: the whole file), replacement, location, message fragment)
CASES = [
    # syntax
    # (tests/test_yaml_mistakes.py has every kind of syntax error, each message in full)
    ("unclosed flow", R, "amount: 100.00", "amount: [100.00", "R:8:13", "this '[' starts a list that is never closed"),
    ("tab indentation", R, "    amount: 100.00", "\tamount: 100.00", "R:8:1",
     "this line is indented with a tab; expected spaces"),
    ("bad indentation", R, "    amount: 100.00", "      amount: 100.00", "R:8:7",
     "this line is indented more than the line above"),
    ("unterminated quote", R, "amount: 100.00", 'amount: "100.00', "R:8:13", 'the quote " opened here is never closed'),
    ("second document", R, None, "month: 2024-02\nstatus: draft\n---\nmonth: 2024-02\n", "R:3:1",
     "a second YAML document"),
    ("list at top", R, None, "- month: 2024-02\n", "R:1:1", "a report is a list; expected a mapping"),
    ("text at top", R, None, "just text\n", "R:1:1", "a report is text; expected a mapping"),
    ("empty report", R, None, "", "R:1:1", "file is empty; expected a report"),
    ("empty agreements", A, None, "", "A:1:1", "file is empty; expected the sections"),
    # types and structure
    ("amount is a mapping", R, "amount: 100.00", "amount: {value: 100}", "R:8:13",
     "amount is a mapping; expected an amount"),
    ("remittances is a mapping", R, "remittances:\n", "remittances:\n  x: 1\nold:\n", "R:7:3",
     "remittances is a mapping; expected a list of remittances"),
    ("terms is text", A, "    terms:\n      - since: 2024-01\n        type: fee share\n        amount: 30%\n"
     "        maintainer: ana\n", "    terms: 30%\n", "A:19:12", "terms is text; expected a list"),
    ("name is a list", A, "name: Acme Spot", "name: [Acme, Spot]", "A:16:11", "name is a list; expected text"),
    ("name too long", A, "name: Acme Spot", "name: " + "A" * 300, "A:16:11",
     "name is 300 characters long; expected at most 200"),
    ("foundation without name", A, "  name: Test Foundation\n", "", "A:2:3", "foundation has no 'name'"),
    ("report without status", R, "status: published\n", "", "R:1:1", "report has no 'status'"),
    ("published without date", R, "published: 2024-03-05\n", "", "R:1:1",
     "a published report has no 'published' date"),
    ("published date empty", R, "published: 2024-03-05", "published: ~", "R:3:12",
     "published is empty; expected the date the report was published"),
    ("misspelt field", R, "user_fees: 333.33", "user_fee: 333.33", "R:9:5",
     "unknown field 'user_fee' in remittance; did you mean 'user_fees'?"),
    ("status no", R, "status: published", "status: no", "R:2:9", "status 'no' is not a status"),
    ("misspelt status", R, "status: published", "status: publised", "R:2:9", "did you mean 'published'?"),
    ("misspelt type", A, "type: fee share", "type: fee-share", "A:21:15", "did you mean 'fee share'?"),
    ("blank name", A, "name: Acme Spot", 'name: "   "', "A:16:11", "name is blank; expected text"),
    ("name on two lines", A, "name: Acme Spot", 'name: "Acme\\nSpot"', "A:16:11",
     "name spans several lines; expected a single line"),
    ("list as a key", R, "    amount: 40\n", "    amount: 40\n    [a]: 1\n", "R:16:5",
     "a list used as a mapping key; expected a plain name"),
    ("empty terms", A, "    terms:\n      - since: 2024-01\n        type: fee share\n        amount: 30%\n"
     "        maintainer: ana\n", "    terms: []\n", "A:19:12",
     "terms of connector 'acme-spot' are empty; expected at least one entry"),
    ("empty totals", R, "payouts:", "totals: {}\npayouts:", "R:13:9", "totals declares nothing"),
    # references
    ("unknown connector", R, "connector: acme-spot", "connector: acme-spto", "R:7:16",
     "unknown connector 'acme-spto'; did you mean 'acme-spot'?"),
    ("unknown sponsor", A, "    sponsor: acme\n    developer: ana", "    sponsor: acne\n    developer: ana",
     "A:17:14", "unknown sponsor 'acne'; did you mean 'acme'?"),
    ("unknown developer", A, "developer: ben", "developer: bem", "A:27:16", "unknown person 'bem'"),
    ("unknown maintainer", A, "maintainer: ana", "maintainer: anna", "A:23:21",
     "unknown person 'anna'; did you mean 'ana'?"),
    ("unknown payee", R, "to: ana", "to: zed", "R:14:9", "unknown person 'zed'; expected an id declared under people:"),
    ("invalid id", A, "  acme-spot:", "  Acme_Spot:", "A:15:3", "connector id 'Acme_Spot' is not a valid id"),
    ("duplicate remittance", R, "  - connector: acme-perp", "  - connector: acme-spot", "R:10:16",
     "connector 'acme-spot' already has a remittance this month (line 7)"),
    ("remittance outside its agreement", "reports/2024-07.yml", None,
     REPORT.replace("2024-02", "2024-07").replace("2024-03", "2024-08"), "reports/2024-07.yml:10:16",
     "connector 'acme-perp' has no agreement in force in 2024-07 (from 2024-01 to 2024-06)"),
    ("adjustment of the same month", R, "payouts:", ADJUST.format(month="2024-02"), "R:14:12",
     "adjustment month 2024-02 is not before 2024-02"),
    ("adjustment of a month without report", R, "payouts:", ADJUST.format(month="2024-01"), "R:14:12",
     "adjustment month 2024-01 has no report"),
    ("adjustment without reason", R, "payouts:", ADJUST.format(month="2024-01").replace("    reason: x\n", ""),
     "R:14:5", "adjustment has no 'reason'"),
    # months and dates
    ("month 13", R, "month: 2024-02", "month: 2024-13", "R:1:8", "month '2024-13' is not a real month"),
    ("month not the file name", R, "month: 2024-02", "month: 2024-03", "R:1:8",
     "month 2024-03 does not match the file name 2024-02.yml"),
    ("month without zero", A, "since: 2024-01\n        type: fee share", "since: 2024-1\n        type: fee share",
     "A:20:16", "since '2024-1' is not a month; expected YYYY-MM"),
    ("until before since", A, "until: 2024-06", "until: 2023-12", "A:32:12",
     "until 2023-12 is before the agreement starts (2024-01)"),
    ("since not increasing", A, "        maintainer: ana\n",
     "        maintainer: ana\n      - since: 2023-06\n        type: fee share\n        amount: 30%\n",
     "A:24:16", "terms since 2023-06 do not come after the previous entry (since 2024-01)"),
    ("february 30", R, "published: 2024-03-05", "published: 2024-02-30", "R:3:12",
     "published '2024-02-30' is not a real date"),
    ("american date", R, "date: 2024-03-06", "date: 03/06/2024", "R:16:11",
     "date '03/06/2024' is not a date; expected YYYY-MM-DD"),
    ("report file name", "reports/february.yml", None, REPORT, "reports/february.yml:1:1",
     "report file name is not YYYY-MM.yml"),
    ("report .yaml", "reports/2024-03.yaml", None, REPORT, "reports/2024-03.yaml:1:1",
     "report files end in .yml; expected reports/2024-03.yml"),
    # money
    ("thousands separator", R, "amount: 100.00", "amount: 1,000.00", "R:8:13",
     "amount '1,000.00' is not a plain decimal; expected digits without thousands separators"),
    ("negative amount", R, "amount: 40", "amount: -40", "R:15:13", "amount '-40' has a sign"),
    ("plus sign", R, "amount: 40", "amount: +40", "R:15:13", "expected digits without '+'"),
    ("exponent", R, "amount: 40", "amount: 4e1", "R:15:13", "expected digits without an exponent"),
    ("amount too large", R, "amount: 40", "amount: 1234567890123456", "R:15:13",
     "is too large; expected at most 15 digits before the decimal point"),
    ("share of 0%", A, "amount: 30%", "amount: 0%", "A:22:17", "amount 0% includes 0%; expected a share greater"),
    ("range from 0%", A, "amount: 30%", "amount: 0-30%", "A:22:17", "amount 0-30% includes 0%"),
    ("nine decimals", R, "amount: 100.00", "amount: 100.000000001", "R:8:13", "has 9 decimal places; expected at most 8"),
    ("zero amount", R, "amount: 40", "amount: 0", "R:15:13", "amount is 0; expected an amount greater than 0"),
    ("leading point", R, "amount: 40", "amount: .5", "R:15:13", "expected digits on both sides of the decimal point"),
    ("other script's digits", R, "amount: 40", "amount: ٤٠", "R:15:13", "expected ASCII digits 0-9"),
    ("not a number", R, "amount: 40", "amount: .nan", "R:15:13", "is not a plain decimal"),
    ("percentage over 100", A, "amount: 30%", "amount: 130%", "A:22:17", "amount 130% is over 100%"),
    ("reversed range", A, "amount: 30%", "amount: 40-20%", "A:22:17", "amount 40-20% is a reversed or empty range"),
    ("fee with separator", A, "amount: 750 USDT", "amount: $1,000", "A:31:17", "amount '$1,000' is not a monthly fee"),
    ("share over 100", A, "maintainer_share: 50%", "maintainer_share: 150%", "A:4:21", "maintainer_share 150% is over 100%"),
    ("currency without rate", R, "rates:\n  USDT: 1.0002\n", "", "R:10:15", "no rate for USDT in this report"),
    ("monthly fee without rate", R, "rates:\n  USDT: 1.0002\n", "", "R:8:16",
     "needed to check the monthly fee of 'acme-perp' (750 USDT)"),
    ("rate of the reporting currency", R, "  USDT: 1.0002\n", "  USDT: 1.0002\n  USD: 1.1\n", "R:6:8",
     "rate for USD is 1.1, but USD is the reporting currency"),
    ("declared totals differ", R, "payouts:", "totals:\n  remitted: 850.00\n  paid: 40\npayouts:", "R:14:13",
     "totals.remitted is 850.00 but the remittances and adjustments of 2024-02 come to 850.15"),
    ("totals with 3 decimals", R, "payouts:", "totals:\n  remitted: 850.150\npayouts:", "R:14:13",
     "totals.remitted '850.150' has 3 decimal places; expected at most 2"),
    # YAML tricks
    ("anchor", R, "amount: 100.00", "amount: &a 100.00", "R:8:13", "YAML anchor '&a' is not allowed"),
    ("alias", R, "amount: 40", "amount: *a", "R:15:13", "YAML alias '*a' is not allowed"),
    ("merge key", R, "  - to: ana\n", "  - <<: {to: ana}\n", "R:14:5", "YAML merge key '<<' is not allowed"),
    ("python tag", R, "amount: 40", "amount: !!python/object/apply:os.system ['true']", "R:15:13",
     "YAML tag '!!python/object/apply:os.system' is not allowed"),
    ("local tag", R, "amount: 40", "amount: !money 40", "R:15:13", "YAML tag '!money' is not allowed"),
    ("str tag", R, "amount: 40", "amount: !!str 40", "R:15:13", "YAML tag '!!str' is not allowed"),
    ("duplicate key", R, "    amount: 40\n", "    amount: 40\n    amount: 41\n", "R:16:5",
     "duplicate key 'amount' (first at line 15)"),
    ("alias bomb", R, None, LAUGHS, "R:1:4", "YAML anchor '&a' is not allowed"),
    ("deep nesting", R, None, NESTED, "R:17:33", "nesting deeper than 16 levels"),
    # encodings and sizes
    ("latin-1 bytes", R, None, "month: 2024-02\nstatus: published\nnotes: caf\xe9\n".encode("latin-1"), "R:3:11",
     "byte 0xe9 is not valid UTF-8"),
    ("utf-16 file", R, None, "month: 2024-02\n".encode("utf-16"), "R:1:1", "byte 0xff is not valid UTF-8"),
    ("escaped control character", R, "published: 2024-03-05", 'published: 2024-03-05\nnotes: "\\x1b[31mred"',
     "R:4:8", "text contains a control character"),
    ("raw control character", R, "published: 2024-03-05", "published: 2024-03-05\nnotes: a\x07b", "R:4:9",
     "control character U+0007 is not allowed"),
    ("oversized file", R, None, HUGE, "R:1:1", "file is larger than 8 MiB"),
    # links
    ("github as a URL", A, "github: ana-gh", "github: https://github.com/ana-gh", "A:8:13",
     "is not a GitHub login"),
    ("http URL", A, "    name: Acme Exchange\n", "    name: Acme Exchange\n    url: http://acme.example\n",
     "A:14:10", "url 'http://acme.example' is not an https URL"),
    ("javascript docs", A, "    name: Acme Spot\n", "    name: Acme Spot\n    docs: javascript:alert(1)\n",
     "A:17:11", "docs 'javascript:alert(1)' is neither a site path nor an https URL"),
]


def _apply(base: str, old, new):
    if old is None:
        return new
    assert old in base, f"the case's text {old!r} is not in the base file"
    return base.replace(old, new, 1)


@pytest.mark.parametrize("case, target, old, new, location, fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_at_its_line(tmp_path, case, target, old, new, location, fragment):
    agreements, reports = AGREEMENTS, {"2024-02.yml": REPORT}
    if target == A:
        agreements = _apply(AGREEMENTS, old, new)
    else:
        reports = {target.rsplit("/", 1)[1]: _apply(REPORT, old, new) if old is not None else new}
    data = write_dataset(tmp_path / "data", agreements, reports)
    result = run_cli("check", "--data", str(data))
    assert result.code == 1, result
    location = location.replace("A:", A + ":").replace("R:", R + ":")
    lines = [line.replace(f"{data}/", "") for line in result.err.splitlines()]
    expected = [line for line in lines if line.startswith(f"{location}: error: ")]
    assert expected, f"no error at {location}:\n" + "\n".join(lines)
    assert any(fragment in line for line in expected), "\n".join(lines)
    assert "Traceback" not in result.err


def test_corpus_is_large_and_distinct():
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


def test_an_invalid_rate_is_reported_once_not_again_where_it_is_needed(tmp_path):
    data = write_dataset(tmp_path / "data", reports={"2024-02.yml": REPORT.replace("USDT: 1.0002", "USDT:")})
    result = run_cli("check", "--data", str(data))
    assert result.code == 1
    assert [line.replace(f"{data}/", "") for line in result.err.splitlines()] == [
        "reports/2024-02.yml:5:8: error: rate for USDT is empty; expected an amount like 1234.56", "1 error in 1 file"]
