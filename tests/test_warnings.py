"""Warnings: things worth a look that do not stop the build. Each is printed at its line, and
`check` still exits 0."""

from __future__ import annotations

import pytest

from conftest import AGREEMENTS, REPORT, run_cli, write_dataset

A, R = "agreements.yml", "reports/2024-02.yml"

# (case, file, text to replace, replacement, location, message)
WARNINGS = [
    ("published before the month ended", R, "published: 2024-03-05", "published: 2024-02-10", "R:3:12",
     "published 2024-02-10 is before 2024-02 has ended; expected the date the report was published"),
    ("a rate nothing uses", R, "  USDT: 1.0002\n", "  USDT: 1.0002\n  EUR: 1.1\n", "R:6:3",
     "rate for EUR is not used by this report"),
    ("a share without a maintainer", A, "        amount: 750 USDT\n",
     "        amount: 750 USDT\n        maintainer_share: 40%\n", "A:32:27",
     "maintainer_share has no effect without a maintainer"),
    ("a license left empty", A, "  maintainer_share: 50%\n", "  maintainer_share: 50%\n  license:\n", "A:5:11",
     "the Foundation declares no license for its data, so others may not reuse the data; expected license: the SPDX "
     "identifier of an open licence, like CC-BY-4.0 (reuse with attribution) or CC0-1.0 (no conditions)"),
    ("user fees on a monthly fee", R, "    currency: USDT\n", "    currency: USDT\n    user_fees: 5000\n", "R:13:16",
     "user_fees is only checked for a fee share; 'acme-perp' has a monthly fee in 2024-02"),
]


@pytest.mark.parametrize("case, target, old, new, location, message", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warning_is_printed_at_its_line_and_check_passes(tmp_path, case, target, old, new, location, message):
    base = AGREEMENTS if target == A else REPORT
    assert old in base
    edited = base.replace(old, new, 1)
    data = write_dataset(tmp_path / "data", edited if target == A else AGREEMENTS,
                         {"2024-02.yml": edited if target == R else REPORT})
    result = run_cli("check", "--data", str(data))
    assert result.code == 0, result
    location = location.replace("A:", A + ":").replace("R:", R + ":")
    lines = [line.replace(f"{data}/", "") for line in result.err.splitlines()]
    assert lines == [f"{location}: warning: {message}"]


def test_data_without_a_license_is_warned_about_at_the_foundation(tmp_path, license_warning):
    data = write_dataset(tmp_path / "data")
    result = run_cli("check", "--data", str(data))
    assert result.code == 0, result
    assert [line.replace(f"{data}/", "") for line in result.err.splitlines()] == [
        "agreements.yml:1:1: warning: the Foundation declares no license for its data, so others may not reuse the "
        "data; expected license: the SPDX identifier of an open licence, like CC-BY-4.0 (reuse with attribution) or "
        "CC0-1.0 (no conditions)"]


def test_data_with_a_license_gets_no_warning(tmp_path, license_warning):
    data = write_dataset(tmp_path / "data", AGREEMENTS.replace("  maintainer_share: 50%\n",
                                                               "  maintainer_share: 50%\n  license: CC-BY-4.0\n"))
    result = run_cli("check", "--data", str(data))
    assert result.code == 0 and result.err == "", result
