"""The contract's conformance example, built the way the project builds its own data."""

from __future__ import annotations

import json

import pytest

from conftest import CONFORMANCE, run_cli

EXAMPLE = CONFORMANCE / "example-1"
EXPECTED = CONFORMANCE / "expected-1.json"
EXPECTED_1_1 = CONFORMANCE / "expected-1.1.json"  # what version 1.1 adds: years, waiting, the record

pytestmark = pytest.mark.skipif(not EXPECTED.exists(), reason="../shared/conformance is not beside the project")


def _canonical(entries: list[dict], expected: list[dict]) -> list[str]:
    """Entries reduced to the fields the contract fixes, order-free (more fields are allowed)."""
    keys = set().union(*(entry.keys() for entry in expected)) if expected else set()
    return sorted(json.dumps({k: v for k, v in entry.items() if k in keys}, sort_keys=True) for entry in entries)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("conformance") / "site"
    result = run_cli("build", "--data", str(EXAMPLE), "--output", str(out), "--quiet", "--data-only")
    assert result.code == 0, result
    return out / "data"


def test_every_published_month_matches(built):
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["reports"]
    for month, want in expected.items():
        got = json.loads((built / "reports" / f"{month}.json").read_text(encoding="utf-8"))
        for key in ("month", "status", "currency", "totals"):
            assert got[key] == want[key], (month, key)
        for key in ("connectors", "sponsors", "maintainers"):
            assert _canonical(got[key], want[key]) == _canonical(want[key], want[key]), (month, key)


def test_summary_matches(built):
    want = json.loads(EXPECTED.read_text(encoding="utf-8"))["summary"]
    got = json.loads((built / "summary.json").read_text(encoding="utf-8"))
    assert got["currency"] == want["currency"] and got["months"] == want["months"]
    for key in ("sponsors", "maintainers"):
        assert _canonical(got[key], want[key]) == _canonical(want[key], want[key]), key


@pytest.mark.skipif(not EXPECTED_1_1.exists(), reason="no expected-1.1.json")
def test_year_files_match(built):
    expected = json.loads(EXPECTED_1_1.read_text())["years"]
    assert sorted(path.stem for path in (built / "years").glob("*.json")) == sorted(expected)
    for year, want in expected.items():
        got = json.loads((built / "years" / f"{year}.json").read_text())
        for key in ("year", "currency", "months", "totals"):
            assert got[key] == want[key], (year, key)
        for key in ("sponsors", "connectors", "maintainers"):
            assert _canonical(got[key], want[key]) == _canonical(want[key], want[key]), (year, key)


@pytest.mark.skipif(not EXPECTED_1_1.exists(), reason="no expected-1.1.json")
def test_waiting_figures_match(built):
    want = json.loads(EXPECTED_1_1.read_text())["waiting"]
    got = json.loads((built / "summary.json").read_text())
    assert got["days_to_pay"] == want["days_to_pay"]
    assert {m["id"]: (m["owed_since"], m["days_to_pay"]) for m in got["maintainers"]} == \
        {m["id"]: (m["owed_since"], m["days_to_pay"]) for m in want["maintainers"]}


def test_the_draft_is_not_published(built):
    assert not (built / "reports" / "2024-04.json").exists()
    assert "2024-04" not in (built / "years" / "2024.json").read_text(encoding="utf-8")
    assert "2024-04" not in (built / "remittances.csv").read_text(encoding="utf-8")


def test_check_accepts_the_example():
    result = run_cli("check", "--data", str(EXAMPLE))
    assert result.code == 0, result
