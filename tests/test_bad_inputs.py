"""The corpus of bad inputs: each is refused with exit 1, its whole message, at its FILE:LINE:COL.

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

# (case, file, text to replace (None: the whole file), replacement, location, message)
CASES = [
    # syntax
    # (tests/test_yaml_mistakes.py has every kind of syntax error, each message in full)
    ("unclosed flow", R, "amount: 100.00", "amount: [100.00", "R:8:13",
     "this '[' starts a list that is never closed; expected ']' at its end, or, if '[' is part of the text, the "
     'value in quotes, like amount: "[100.00"'),
    ("tab indentation", R, "    amount: 100.00", "\tamount: 100.00", "R:8:1",
     "this line is indented with a tab; expected spaces (indent with spaces, not a tab: most editors can be set to "
     "insert spaces for the Tab key)"),
    ("bad indentation", R, "    amount: 100.00", "      amount: 100.00", "R:8:7",
     "this line is indented more than the line above, so YAML reads it as the rest of that line's value; expected "
     "'amount' lined up with 'connector' (column 5), or, if the line above goes on here, its value in quotes"),
    ("unterminated quote", R, "amount: 100.00", 'amount: "100.00', "R:8:13",
     'the quote " opened here is never closed; expected a closing " at the end of the value (a " inside the value: '
     "use ' around it instead)"),
    ("second document", R, None, "month: 2024-02\nstatus: draft\n---\nmonth: 2024-02\n", "R:3:1",
     "a second YAML document ('---'); expected exactly one document per file"),
    ("list at top", R, None, "- month: 2024-02\n", "R:1:1",
     "a report is a list; expected a mapping with month, status and remittances"),
    ("text at top", R, None, "just text\n", "R:1:1",
     "a report is text; expected a mapping with month, status and remittances"),
    ("empty report", R, None, "", "R:1:1",
     "file is empty; expected a report with at least month: 2024-02 and status: draft"),
    ("empty agreements", A, None, "", "A:1:1",
     "file is empty; expected the sections foundation, people, sponsors and connectors"),
    # types and structure
    ("amount is a mapping", R, "amount: 100.00", "amount: {value: 100}", "R:8:13",
     "amount is a mapping; expected an amount like 1234.56"),
    ("remittances is a mapping", R, "remittances:\n", "remittances:\n  x: 1\nold:\n", "R:7:3",
     "remittances is a mapping; expected a list of remittances"),
    ("terms is text", A, "    terms:\n      - since: 2024-01\n        type: fee share\n        amount: 30%\n"
     "        maintainer: ana\n", "    terms: 30%\n", "A:19:12",
     "terms is text; expected a list of terms entries, each with since, type and amount"),
    ("name is a list", A, "name: Acme Spot", "name: [Acme, Spot]", "A:16:11", "name is a list; expected text"),
    ("name too long", A, "name: Acme Spot", "name: " + "A" * 300, "A:16:11",
     "name is 300 characters long; expected at most 200"),
    ("foundation without name", A, "  name: Test Foundation\n", "", "A:2:3",
     "foundation has no 'name'; expected a 'name:' field"),
    ("report without status", R, "status: published\n", "", "R:1:1",
     "report has no 'status'; expected a 'status:' field"),
    ("published without date", R, "published: 2024-03-05\n", "", "R:1:1",
     "a published report has no 'published' date; expected published: YYYY-MM-DD"),
    ("published date empty", R, "published: 2024-03-05", "published: ~", "R:3:12",
     "published is empty; expected the date the report was published, as YYYY-MM-DD"),
    ("misspelt field", R, "user_fees: 333.33", "user_fee: 333.33", "R:9:5",
     "unknown field 'user_fee' in remittance; did you mean 'user_fees'?"),
    ("status no", R, "status: published", "status: no", "R:2:9",
     "status 'no' is not a status; expected draft or published"),
    ("misspelt status", R, "status: published", "status: publised", "R:2:9",
     "status 'publised' is not a status; did you mean 'published'?"),
    ("misspelt type", A, "type: fee share", "type: fee-share", "A:21:15",
     "type 'fee-share' is not a type of agreement; did you mean 'fee share'?"),
    ("blank name", A, "name: Acme Spot", 'name: "   "', "A:16:11", "name is blank; expected text"),
    ("name on two lines", A, "name: Acme Spot", 'name: "Acme\\nSpot"', "A:16:11",
     "name spans several lines; expected a single line"),
    ("list as a key", R, "    amount: 40\n", "    amount: 40\n    [a]: 1\n", "R:16:5",
     "a list used as a mapping key; expected a plain name"),
    ("empty terms", A, "    terms:\n      - since: 2024-01\n        type: fee share\n        amount: 30%\n"
     "        maintainer: ana\n", "    terms: []\n", "A:19:12",
     "terms of connector 'acme-spot' are empty; expected at least one entry with since, type and amount"),
    ("empty totals", R, "payouts:", "totals: {}\npayouts:", "R:13:9",
     "totals declares nothing; expected remitted: and/or paid:"),
    # references
    ("unknown connector", R, "connector: acme-spot", "connector: acme-spto", "R:7:16",
     "unknown connector 'acme-spto'; did you mean 'acme-spot'?"),
    ("unknown sponsor", A, "    sponsor: acme\n    developer: ana", "    sponsor: acne\n    developer: ana",
     "A:17:14", "unknown sponsor 'acne'; did you mean 'acme'?"),
    ("unknown developer", A, "developer: ben", "developer: bem", "A:27:16",
     "unknown person 'bem'; did you mean 'ben'?"),
    ("unknown maintainer", A, "maintainer: ana", "maintainer: anna", "A:23:21",
     "unknown person 'anna'; did you mean 'ana'?"),
    ("unknown payee", R, "to: ana", "to: zed", "R:14:9", "unknown person 'zed'; expected an id declared under people:"),
    ("invalid id", A, "  acme-spot:", "  Acme_Spot:", "A:15:3",
     "connector id 'Acme_Spot' is not a valid id; expected lowercase letters, digits and '-', starting with a letter "
     "or digit"),
    ("duplicate remittance", R, "  - connector: acme-perp", "  - connector: acme-spot", "R:10:16",
     "connector 'acme-spot' already has a remittance this month (line 7); expected at most one per connector and "
     "month"),
    ("remittance outside its agreement", "reports/2024-07.yml", None,
     REPORT.replace("2024-02", "2024-07").replace("2024-03", "2024-08"), "reports/2024-07.yml:10:16",
     "connector 'acme-perp' has no agreement in force in 2024-07 (from 2024-01 to 2024-06); expected a remittance "
     "within the agreement"),
    ("adjustment of the same month", R, "payouts:", ADJUST.format(month="2024-02"), "R:14:12",
     "adjustment month 2024-02 is not before 2024-02; expected an earlier, published month"),
    ("adjustment of a month without report", R, "payouts:", ADJUST.format(month="2024-01"), "R:14:12",
     "adjustment month 2024-01 has no report; expected a published month to correct"),
    ("adjustment without reason", R, "payouts:", ADJUST.format(month="2024-01").replace("    reason: x\n", ""),
     "R:14:5", "adjustment has no 'reason'; expected a 'reason:' field"),
    # months and dates
    ("month 13", R, "month: 2024-02", "month: 2024-13", "R:1:8",
     "month '2024-13' is not a real month; expected YYYY-MM with a month from 01 to 12"),
    ("month not the file name", R, "month: 2024-02", "month: 2024-03", "R:1:8",
     "month 2024-03 does not match the file name 2024-02.yml; expected month: 2024-02"),
    ("month without zero", A, "since: 2024-01\n        type: fee share", "since: 2024-1\n        type: fee share",
     "A:20:16", "since '2024-1' is not a month; expected YYYY-MM, like 2024-06"),
    ("until before since", A, "until: 2024-06", "until: 2023-12", "A:32:12",
     "until 2023-12 is before the agreement starts (2024-01); expected a month from 2024-01 on"),
    ("since not increasing", A, "        maintainer: ana\n",
     "        maintainer: ana\n      - since: 2023-06\n        type: fee share\n        amount: 30%\n",
     "A:24:16",
     "terms since 2023-06 do not come after the previous entry (since 2024-01); expected since strictly increasing, "
     "oldest first"),
    ("february 30", R, "published: 2024-03-05", "published: 2024-02-30", "R:3:12",
     "published '2024-02-30' is not a real date; expected YYYY-MM-DD with a day that exists in that month"),
    ("american date", R, "date: 2024-03-06", "date: 03/06/2024", "R:16:11",
     "date '03/06/2024' is not a date; expected YYYY-MM-DD, like 2024-06-05"),
    ("report file name", "reports/february.yml", None, REPORT, "reports/february.yml:1:1",
     "report file name is not YYYY-MM.yml; expected a name like reports/2024-06.yml"),
    ("report .yaml", "reports/2024-03.yaml", None, REPORT, "reports/2024-03.yaml:1:1",
     "report files end in .yml; expected reports/2024-03.yml"),
    # money
    ("thousands separator", R, "amount: 100.00", "amount: 1,000.00", "R:8:13",
     "amount '1,000.00' is not a plain decimal; expected digits without thousands separators, like 1234.56"),
    ("negative amount", R, "amount: 40", "amount: -40", "R:15:13",
     "amount '-40' has a sign; expected an amount greater than 0, without '-'"),
    ("plus sign", R, "amount: 40", "amount: +40", "R:15:13",
     "amount '+40' is not a plain decimal; expected digits without '+', like 1234.56"),
    ("exponent", R, "amount: 40", "amount: 4e1", "R:15:13",
     "amount '4e1' is not a plain decimal; expected digits without an exponent, like 1234.56"),
    ("amount too large", R, "amount: 40", "amount: 1234567890123456", "R:15:13",
     "amount '1234567890123456' is too large; expected at most 15 digits before the decimal point"),
    ("share of 0%", A, "amount: 30%", "amount: 0%", "A:22:17",
     "amount 0% includes 0%; expected a share greater than 0%"),
    ("range from 0%", A, "amount: 30%", "amount: 0-30%", "A:22:17",
     "amount 0-30% includes 0%; expected a share greater than 0%"),
    ("nine decimals", R, "amount: 100.00", "amount: 100.000000001", "R:8:13",
     "amount '100.000000001' has 9 decimal places; expected at most 8"),
    ("zero amount", R, "amount: 40", "amount: 0", "R:15:13", "amount is 0; expected an amount greater than 0"),
    ("leading point", R, "amount: 40", "amount: .5", "R:15:13",
     "amount '.5' is not a plain decimal; expected digits on both sides of the decimal point, like 0.5"),
    ("trailing point", R, "amount: 40", "amount: 40.", "R:15:13",
     "amount '40.' is not a plain decimal; expected digits on both sides of the decimal point, like 0.5"),
    ("other script's digits", R, "amount: 40", "amount: ٤٠", "R:15:13",
     "amount '٤٠' is not a plain decimal; expected ASCII digits 0-9, like 1234.56"),
    ("not a number", R, "amount: 40", "amount: .nan", "R:15:13",
     "amount '.nan' is not a plain decimal; expected digits on both sides of the decimal point, like 0.5"),
    ("percentage over 100", A, "amount: 30%", "amount: 130%", "A:22:17",
     "amount 130% is over 100%; expected percentages up to 100%"),
    ("reversed range", A, "amount: 30%", "amount: 40-20%", "A:22:17",
     "amount 40-20% is a reversed or empty range; expected N-M% with N < M"),
    ("fee with separator", A, "amount: 750 USDT", "amount: $1,000", "A:31:17",
     "amount '$1,000' is not a monthly fee; expected $N or N CUR, like $750 or 750 USDT"),
    ("share over 100", A, "maintainer_share: 50%", "maintainer_share: 150%", "A:4:21",
     "maintainer_share 150% is over 100%; expected a percentage from 0% to 100%"),
    ("currency without rate", R, "rates:\n  USDT: 1.0002\n", "", "R:10:15",
     "no rate for USDT in this report, needed by this remittance; expected rates: {USDT: <value of 1 USDT in USD>}"),
    ("monthly fee without rate", R, "rates:\n  USDT: 1.0002\n", "", "R:8:16",
     "no rate for USDT in this report, needed to check the monthly fee of 'acme-perp' (750 USDT); expected rates: "
     "{USDT: <value of 1 USDT in USD>}"),
    ("rate of the reporting currency", R, "  USDT: 1.0002\n", "  USDT: 1.0002\n  USD: 1.1\n", "R:6:8",
     "rate for USD is 1.1, but USD is the reporting currency; expected 1 or no entry"),
    ("declared totals differ", R, "payouts:", "totals:\n  remitted: 850.00\n  paid: 40\npayouts:", "R:14:13",
     "totals.remitted is 850.00 but the remittances and adjustments of 2024-02 come to 850.15; expected the two to "
     "agree"),
    ("totals with 3 decimals", R, "payouts:", "totals:\n  remitted: 850.150\npayouts:", "R:14:13",
     "totals.remitted '850.150' has 3 decimal places; expected at most 2"),
    # YAML tricks
    ("anchor", R, "amount: 100.00", "amount: &a 100.00", "R:8:13",
     "YAML anchor '&a' is not allowed; expected the value written out in full (or in quotes, if '&' is part of the "
     "text)"),
    ("alias", R, "amount: 40", "amount: *a", "R:15:13",
     "YAML alias '*a' is not allowed; expected the value written out in full (or in quotes, if '*' is part of the "
     "text)"),
    ("merge key", R, "  - to: ana\n", "  - <<: {to: ana}\n", "R:14:5",
     "YAML merge key '<<' is not allowed; expected the fields written out in full"),
    ("python tag", R, "amount: 40", "amount: !!python/object/apply:os.system ['true']", "R:15:13",
     "YAML tag '!!python/object/apply:os.system' is not allowed; expected a plain value without a tag (or in quotes, "
     "if '!' is part of the text)"),
    ("local tag", R, "amount: 40", "amount: !money 40", "R:15:13",
     "YAML tag '!money' is not allowed; expected a plain value without a tag (or in quotes, if '!' is part of the "
     "text)"),
    ("str tag", R, "amount: 40", "amount: !!str 40", "R:15:13",
     "YAML tag '!!str' is not allowed; expected a plain value without a tag (or in quotes, if '!' is part of the "
     "text)"),
    ("duplicate key", R, "    amount: 40\n", "    amount: 40\n    amount: 41\n", "R:16:5",
     "duplicate key 'amount' (first at line 15); expected each key once"),
    ("alias bomb", R, None, LAUGHS, "R:1:4",
     "YAML anchor '&a' is not allowed; expected the value written out in full (or in quotes, if '&' is part of the "
     "text)"),
    ("deep nesting", R, None, NESTED, "R:17:33",
     "nesting deeper than 16 levels; expected the shallow structure of the data contract"),
    # encodings and sizes
    ("latin-1 bytes", R, None, "month: 2024-02\nstatus: published\nnotes: caf\xe9\n".encode("latin-1"), "R:3:11",
     "byte 0xe9 is not valid UTF-8; expected the file saved as UTF-8 text"),
    ("utf-16 file", R, None, "month: 2024-02\n".encode("utf-16"), "R:1:1",
     "byte 0xff is not valid UTF-8; expected the file saved as UTF-8 text"),
    ("escaped control character", R, "published: 2024-03-05", 'published: 2024-03-05\nnotes: "\\x1b[31mred"',
     "R:4:8",
     "text contains a control character; expected printable text (newline and tab are allowed) (in double quotes, a "
     "backslash starts an escape such as \\r: write \\\\ for a backslash, or put the value in single quotes)"),
    ("raw control character", R, "published: 2024-03-05", "published: 2024-03-05\nnotes: a\x07b", "R:4:9",
     "control character U+0007 is not allowed; expected printable text (newline and tab are allowed)"),
    ("oversized file", R, None, HUGE, "R:1:1", "file is larger than 8 MiB; expected a data file of reasonable size"),
    # links
    ("github as a URL", A, "github: ana-gh", "github: https://github.com/ana-gh", "A:8:13",
     "github 'https://github.com/ana-gh' is not a GitHub login; expected letters, digits and single '-', at most 39 "
     "characters (the login, not a URL)"),
    ("http URL", A, "    name: Acme Exchange\n", "    name: Acme Exchange\n    url: http://acme.example\n",
     "A:14:10", "url 'http://acme.example' is not an https URL; expected https://host/path"),
    ("javascript docs", A, "    name: Acme Spot\n", "    name: Acme Spot\n    docs: javascript:alert(1)\n",
     "A:17:11",
     "docs 'javascript:alert(1)' is neither a site path nor an https URL; expected /path/to/page or https://host/path"),
]


def _apply(base: str, old, new):
    if old is None:
        return new
    assert old in base, f"the case's text {old!r} is not in the base file"
    return base.replace(old, new, 1)


@pytest.mark.parametrize("case, target, old, new, location, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_at_its_line(tmp_path, case, target, old, new, location, message):
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
    assert f"{location}: error: {message}" in lines, "\n".join(lines)
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
