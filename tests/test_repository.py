"""The repository's own data, whatever it holds: it passes check, it builds, the site shows all of it.

A data pull request changes the connectors, months and pages, so nothing here counts or names them:
each expectation is read from the data itself. These tests are marked `repository`; with
REPOSITORY_DATA=DIR they check another data folder (tests/test_pull_requests.py runs them so on a
copy changed by the pull requests of CONTRIBUTING.md). Counted and named rows, months and pages are
tested on the frozen seed-era data instead (tests/fixtures/seed-era).
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from conftest import REPOSITORY, build_site, run_cli
from test_site import Page, read
from transparency.pipeline import load_dataset

pytestmark = pytest.mark.repository

NOW = str(int(time.time()))  # the site is built as of today, as the deployed one is
MONTH = datetime.fromtimestamp(int(NOW), timezone.utc).strftime("%Y-%m")
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def dataset():
    dataset, diagnostics = load_dataset(REPOSITORY)
    assert dataset is not None, "\n".join(map(str, diagnostics))
    return dataset


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(REPOSITORY, tmp_path_factory.mktemp("repository") / "site", epoch=NOW)


def published(dataset) -> list[str]:
    return [report.month for report in dataset.reports if not report.is_draft]


def test_check_passes():
    result = run_cli("check", "--data", str(REPOSITORY))
    assert result.code == 0, result
    assert ": error: " not in result.err  # warnings are allowed, as the pull request's check allows them
    assert result.out.startswith("ok: ")


@pytest.mark.slow
def test_every_connector_in_force_is_in_the_table_in_file_order(site, dataset):
    people = dataset.agreements.people
    expected = []
    for connector in dataset.agreements.connectors.values():
        terms = connector.terms_in(MONTH)
        if terms is not None:
            maintainer = people[terms.maintainer].name if terms.maintainer else ""
            expected.append([connector.name, terms.type, terms.amount_text, people[connector.developer].name,
                             maintainer])
    tables = read(site, "connectors/index.html").tables
    shown = tables[0][1:] if tables and tables[0][0] == ["Connector", "Type", "Amount", "Developer", "Maintainer"] \
        else []
    assert shown == expected


@pytest.mark.slow
def test_every_connector_sponsor_and_person_has_its_page(site, dataset):
    agreements = dataset.agreements
    for folder, table in (("connectors", agreements.connectors), ("sponsors", agreements.sponsors),
                          ("people", agreements.people)):
        for key, entry in table.items():
            page = site / folder / key / "index.html"
            assert page.is_file(), page
            assert entry.name in "".join(Page(page.read_text(encoding="utf-8")).text)


@pytest.mark.slow
def test_every_published_month_has_its_page_feed_entry_and_json(site, dataset):
    months = published(dataset)
    for month in months:
        assert (site / "reports" / month / "index.html").is_file(), month
        figures = json.loads((site / "data" / "reports" / f"{month}.json").read_text(encoding="utf-8"))
        assert (figures["month"], figures["status"]) == (month, "published")
    feed = ET.parse(site / "reports" / "feed.xml").getroot()
    titles = [entry.find("a:title", ATOM).text for entry in feed.findall("a:entry", ATOM)]
    assert titles == [f"Report for {month}" for month in reversed(months)]
    summary = json.loads((site / "data" / "summary.json").read_text(encoding="utf-8"))
    assert summary["months"] == months
    assert sorted(p.stem for p in (site / "data" / "reports").glob("*.json")) == months


@pytest.mark.slow
def test_drafts_stay_out_of_the_site_and_show_in_the_preview(site, dataset, tmp_path):
    drafts = [report.month for report in dataset.reports if report.is_draft]
    for month in drafts:
        assert not (site / "reports" / month).exists()
        assert not (site / "data" / "reports" / f"{month}.json").exists()
    preview = build_site(REPOSITORY, tmp_path / "preview" / "site", "--drafts", epoch=NOW)
    for month in drafts:
        assert "This month is not published" in (preview / "reports" / month / "index.html").read_text(encoding="utf-8")
