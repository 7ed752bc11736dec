"""The frozen seed-era data (tests/fixtures/seed-era): valid, the seed table row for row, every rule exercised.

The other tests count and name its connectors, months and pages; the repository's own data, which
changes with every data pull request, is checked by tests/test_repository.py for what holds of any data."""

from __future__ import annotations

import re

import pytest

from conftest import SEED_ERA, SHARED, run_cli
from transparency.ledger import compute
from transparency.pipeline import load_dataset

SEED = SHARED / "seed" / "connector-maintenance-agreements.md"
LINK = re.compile(r"\[(.+?)\]\((.+?)\)")


@pytest.fixture(scope="module")
def dataset():
    dataset, diagnostics = load_dataset(SEED_ERA)
    assert dataset is not None, "\n".join(map(str, diagnostics))
    return dataset


def test_check_passes_on_the_seed_era_data():
    result = run_cli("check", "--data", str(SEED_ERA))
    assert result.code == 0, result
    assert result.err == ""  # not even a warning


def seed_rows():
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("| [") or (line.startswith("| ") and "fee" in line):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows.append(cells)
    return rows


def cell(text: str) -> tuple[str, str | None]:
    match = LINK.fullmatch(text)
    return (match[1], match[2]) if match else (text, None)


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the project")
def test_agreements_reproduce_the_seed_table_row_for_row(dataset):
    agreements = dataset.agreements
    rows = seed_rows()
    assert len(rows) == 16
    connectors = list(agreements.connectors.values())
    assert len(connectors) == 16
    for row, connector in zip(rows, connectors, strict=True):
        name, docs = cell(row[0])
        terms = connector.terms[-1]
        developer_name, developer_link = cell(row[3])
        maintainer_name, _ = cell(row[4])
        developer = agreements.people[connector.developer]
        assert (connector.name, connector.docs) == (name, docs)
        assert (terms.type, terms.amount_text) == (row[1], row[2])
        assert developer.name == developer_name
        assert developer.link == developer_link
        maintainer = agreements.people[terms.maintainer].name if terms.maintainer else ""
        assert maintainer == maintainer_name, connector.id
        assert connector.until is None


def test_reports_exercise_every_rule(dataset):
    ledger = compute(dataset, drafts=True)
    published = [m for m in ledger.months if not m.is_draft]
    assert len(published) >= 4 and any(m.is_draft for m in ledger.months)
    flags = {flag for m in ledger.months for line in m.lines for flag in line.flags}
    assert {"fee_mismatch", "outside_range", "adjustment"} <= flags
    assert any("advance" in b.flags for m in ledger.months for b in m.balances)
    assert len({line.currency for m in ledger.months for line in m.lines}) >= 3
    assert any(p.currency != ledger.currency for m in ledger.months for p in m.payouts)
    assert any(line.maintainer is None for m in ledger.months for line in m.lines)
    assert any(line.terms.type == "monthly fee" for m in ledger.months for line in m.lines)
    assert any(line.terms.share_override for m in ledger.months for line in m.lines)
    maintainers = {}
    for m in ledger.months:
        for line in m.lines:
            maintainers.setdefault(line.connector, set()).add(line.maintainer)
    assert any(len(people) > 1 for people in maintainers.values())  # a maintainer change
    assert any(m.report.totals for m in published) and any(m.report.notes for m in published)
