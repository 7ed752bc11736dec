"""Differential tests: on random valid data sets, the published JSON equals what tests/oracle.py,
an independent reading of the data contract written without this project's code, computes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from conftest import CONFORMANCE, computed
from oracle import expected_outputs
from test_properties import SETTINGS, data_sets, write
from transparency.data import data_files
from transparency.pipeline import load_dataset


def published(folder) -> dict:
    """{"reports": {month: JSON}, "summary": JSON, "years": {year: JSON}, "waiting": ...} as the build
    publishes them for `folder` (the waiting figures are those of summary.json)."""
    dataset, diagnostics = load_dataset(folder)
    assert dataset is not None, "\n".join(map(str, diagnostics))
    files = data_files(dataset, *computed(dataset))

    def under(folder: str) -> dict:
        return {path.removeprefix(folder).removesuffix(".json"): json.loads(content)
                for path, content in files.items() if path.startswith(folder)}

    summary = json.loads(files["data/summary.json"])
    waiting = {"maintainers": [{key: entry[key] for key in ("id", "owed_since", "days_to_pay")}
                               for entry in summary["maintainers"]],
               "days_to_pay": summary["days_to_pay"]}
    return {"reports": under("data/reports/"), "summary": summary, "years": under("data/years/"), "waiting": waiting}


def canonical(node):
    """A document with its lists of entries in a fixed order: the contract fixes none."""
    if isinstance(node, dict):
        return {key: canonical(value) for key, value in node.items()}
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return sorted((canonical(item) for item in node), key=lambda item: json.dumps(item, sort_keys=True))
    return node


def restrict(ours, theirs):
    """`ours` cut down to the fields `theirs` has: the contract allows more fields."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        return {key: restrict(ours.get(key), value) for key, value in theirs.items()}
    if isinstance(theirs, list) and isinstance(ours, list) and theirs and isinstance(theirs[0], dict):
        fields = {key for entry in theirs for key in entry}
        return [{key: value for key, value in entry.items() if key in fields} for entry in ours]
    return ours


def assert_same(ours: dict, theirs: dict) -> None:
    assert sorted(ours["reports"]) == sorted(theirs["reports"]), "published months differ"
    for name in ("summary", *sorted(theirs["reports"])):
        mine = ours["summary"] if name == "summary" else ours["reports"][name]
        other = theirs["summary"] if name == "summary" else theirs["reports"][name]
        assert canonical(restrict(mine, other)) == canonical(other), name
    assert_same_periods(ours, theirs)


def assert_same_periods(ours: dict, theirs: dict) -> None:
    """The year files and the waiting figures (contract 1.1) of two readings."""
    assert sorted(ours["years"]) == sorted(theirs["years"]), "the years differ"
    for year, other in theirs["years"].items():
        assert canonical(restrict(ours["years"][year], other)) == canonical(other), year
    assert canonical(ours["waiting"]) == canonical(theirs["waiting"]), "waiting"


@pytest.mark.skipif(not (CONFORMANCE / "expected-1.json").exists(), reason="../shared/conformance is not beside the project")
def test_oracle_agrees_with_the_conformance_example():
    """The oracle itself is right where the contract's own expected output says what is right."""
    expected = json.loads((CONFORMANCE / "expected-1.json").read_text(encoding="utf-8"))
    oracle = expected_outputs(CONFORMANCE / "example-1")
    assert sorted(oracle["reports"]) == sorted(expected["reports"])
    for name in ("summary", *sorted(expected["reports"])):
        other = expected["summary"] if name == "summary" else expected["reports"][name]
        mine = oracle["summary"] if name == "summary" else oracle["reports"][name]
        assert canonical(restrict(mine, other)) == canonical(other), name
    if (CONFORMANCE / "expected-1.1.json").exists():
        assert_same_periods(oracle, json.loads((CONFORMANCE / "expected-1.1.json").read_text(encoding="utf-8")))


@SETTINGS
@given(data_sets())
def test_published_json_equals_the_oracle(tmp_path, generated):
    folder = write(tmp_path / "d", *generated)
    assert_same(published(folder), expected_outputs(folder))
