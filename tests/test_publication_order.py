"""Months are published in order: no published month after a draft; a warning after a month without a report.

Publishing a month after a draft would leave the draft unpublishable for ever (its figures would
change the later month's balances, which `check --base` refuses), and the same holds of a month
that has no report at all: a gap. The contract allows a gap, so it is a warning, not an error. A
month with nothing to report is published with `remittances: []`. The record starts with the first
report: months before it are not gaps.
"""

from __future__ import annotations

import pytest

from conftest import JANUARY, MARCH_DRAFT, REPORT, run_cli, write_dataset
from transparency.validate import first_unpublished

FEBRUARY_DRAFT = REPORT.replace("status: published\npublished: 2024-03-05", "status: draft")
MARCH = MARCH_DRAFT.replace("status: draft", "status: published\npublished: 2024-04-03")
APRIL = MARCH.replace("2024-03", "2024-04").replace("2024-04-03", "2024-05-03")
EMPTY_APRIL = "month: 2024-04\nstatus: published\npublished: 2024-05-03\nremittances: []\n"


def check(tmp_path, reports: dict[str, str | bytes], *extra: str):
    data = write_dataset(tmp_path / "data", reports=reports)
    result = run_cli("check", "--data", str(data), *extra)
    return result, [line.removeprefix(f"{data}/") for line in result.err.splitlines()]


def test_a_month_published_after_a_draft_is_refused_naming_the_draft(tmp_path):
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": FEBRUARY_DRAFT, "2024-03.yml": MARCH})
    assert result.code == 1
    assert lines == ["reports/2024-03.yml:2:9: error: 2024-03 cannot be published while 2024-02 is a draft; "
                     "publish 2024-02 first, or set this month's status to draft", "1 error in 1 file"]


def test_every_month_published_after_the_first_draft_is_refused_naming_it(tmp_path):
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": FEBRUARY_DRAFT,
                                     "2024-03.yml": MARCH_DRAFT, "2024-04.yml": APRIL})
    assert result.code == 1
    assert lines == ["reports/2024-04.yml:2:9: error: 2024-04 cannot be published while 2024-02 is a draft; "
                     "publish 2024-02 first, or set this month's status to draft", "1 error in 1 file"]
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": FEBRUARY_DRAFT, "2024-03.yml": MARCH,
                                     "2024-04.yml": APRIL})
    assert [line.split(": error: ")[0] for line in lines if ": error: " in line] == [
        "reports/2024-03.yml:2:9", "reports/2024-04.yml:2:9"]


def test_a_month_published_after_a_month_without_a_report_is_warned_about_once_per_gap(tmp_path):
    # The contract allows a gap, so it is a warning, at the first published month after each gap.
    may = EMPTY_APRIL.replace("2024-04", "2024-05").replace("2024-05-03", "2024-06-03")
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT, "2024-04.yml": EMPTY_APRIL,
                                     "2024-05.yml": may})
    assert result.code == 0
    assert lines == ["reports/2024-04.yml:2:9: warning: 2024-04 is published but 2024-03 has no report, and a "
                     "report of 2024-03 could not be added later without changing 2024-04's balances; expected "
                     "a report for every month from the first on (python build.py new-report 2024-03 drafts it; "
                     "remittances: [] when nothing was received)"]
    later = may.replace("2024-05", "2024-07").replace("2024-06-03", "2024-08-03")
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT, "2024-04.yml": EMPTY_APRIL,
                                     "2024-05.yml": may, "2024-07.yml": later})
    assert result.code == 0
    assert [line.split(": warning: ")[0] for line in lines if ": warning: " in line] == [
        "reports/2024-04.yml:2:9", "reports/2024-07.yml:2:9"]
    assert "2024-06 has no report" in lines[1]


def test_a_draft_after_a_gap_is_still_an_error_for_the_months_after_it(tmp_path):
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-03.yml": MARCH_DRAFT, "2024-04.yml": EMPTY_APRIL})
    assert result.code == 1
    assert lines[0] == ("reports/2024-04.yml:2:9: error: 2024-04 cannot be published while 2024-03 is a draft; "
                        "publish 2024-03 first, or set this month's status to draft")


def test_a_month_without_remittances_fills_the_gap(tmp_path):
    empty_march = "month: 2024-03\nstatus: published\npublished: 2024-04-03\nremittances: []\n"
    result, _ = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT, "2024-03.yml": empty_march,
                                 "2024-04.yml": EMPTY_APRIL})
    assert result.code == 0, result


@pytest.mark.parametrize("reports", [
    {"2024-02.yml": REPORT},  # the record starts with its first report: the months before are no gap
    {"2024-01.yml": JANUARY, "2024-02.yml": REPORT, "2024-03.yml": MARCH_DRAFT},  # a draft after them
    {"2024-01.yml": JANUARY, "2024-02.yml": FEBRUARY_DRAFT, "2024-04.yml": MARCH_DRAFT.replace("2024-03", "2024-04")},
    {"2024-01.yml": JANUARY, "2024-03.yml": MARCH_DRAFT},  # a draft may follow a gap; only publishing waits
], ids=["first report", "draft last", "drafts after a draft", "draft after a gap"])
def test_drafts_and_gaps_after_every_published_month_are_allowed(tmp_path, reports):
    result, _ = check(tmp_path, reports)
    assert result.code == 0, result


def test_a_report_that_cannot_be_read_fills_its_month(tmp_path):
    """Its own error is enough: the month has a report, though its status is unknown."""
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": "month: [2024-02\n", "2024-03.yml": MARCH})
    assert result.code == 1
    assert [line for line in lines if ": error: " in line and "cannot be published" in line] == []
    assert any(line.startswith("reports/2024-02.yml:") for line in lines)


def test_a_report_with_a_misspelt_status_is_not_taken_for_a_draft(tmp_path):
    result, lines = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT.replace("status: published",
                                                                                          "status: publised"),
                                     "2024-03.yml": MARCH})
    assert result.code == 1
    assert [line for line in lines if ": error: " in line] == [
        "reports/2024-02.yml:2:9: error: status 'publised' is not a status; did you mean 'published'?"]


def test_the_refusal_is_one_annotation_on_github(tmp_path):
    result, _ = check(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": FEBRUARY_DRAFT, "2024-03.yml": MARCH},
                      "--format", "github")
    assert result.code == 1
    annotations = result.out.splitlines()
    assert len(annotations) == 1 and annotations[0].startswith("::error file=")
    assert annotations[0].endswith(",line=2,col=9::2024-03 cannot be published while 2024-02 is a draft; publish "
                                   "2024-02 first, or set this month's status to draft")


def test_the_build_refuses_it_too(tmp_path):
    data = write_dataset(tmp_path / "data", reports={"2024-01.yml": JANUARY, "2024-02.yml": FEBRUARY_DRAFT,
                                                     "2024-03.yml": MARCH})
    result = run_cli("build", "--data", str(data), "-o", str(tmp_path / "site"), "--markdown", str(tmp_path / "md"),
                     "-q", "--data-only")
    assert result.code == 1 and "2024-03 cannot be published while 2024-02 is a draft" in result.err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("statuses, expected", [
    ({}, None),
    ({"2024-01": "published", "2024-02": "published"}, None),
    ({"2024-01": "published", "2024-02": "draft", "2024-03": "draft"}, ("2024-02", False)),
    ({"2024-01": "published", "2024-03": "published"}, ("2024-02", True)),
    ({"2024-11": "published", "2025-01": "draft"}, ("2024-12", True)),  # across a year
    ({"2024-12": "published", "2025-01": "published"}, None),
    ({"2024-01": None, "2024-02": "published"}, None),  # unknown status: neither a draft nor a gap
])
def test_first_unpublished(statuses, expected):
    assert first_unpublished(statuses) == expected
