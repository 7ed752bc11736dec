"""The published data described for data tools: every CSV file in data/datapackage.json, checked by
the real `frictionless validate`; every JSON file against its JSON Schema under data/schema/, checked
by the real check-jsonschema. Both run offline, on the repository's own site and on small data sets."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from test_schema import check_jsonschema
from transparency.published_schemas import schema_for

GOLDEN = Path(__file__).parent / "golden"
FRICTIONLESS = (shutil.which("frictionless", path=str(Path(sys.executable).parent)) or shutil.which("frictionless"))
OFFLINE = "http://127.0.0.1:9"  # a proxy that refuses every connection: nothing may be downloaded
TWO_DECIMALS = re.compile(r"-?[0-9]+\.[0-9]{2}\Z")


def frictionless(data: Path) -> subprocess.CompletedProcess:
    """`frictionless validate datapackage.json` in `data`, offline."""
    if FRICTIONLESS is None:
        pytest.fail("frictionless is not installed; install requirements-test.txt (make test does)")
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    env.update({name: OFFLINE for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")})
    return subprocess.run([FRICTIONLESS, "validate", "datapackage.json"], cwd=data, capture_output=True,
                          text=True, env=env, timeout=300)


def golden_data(tmp_path_factory, case: str) -> Path:
    """The data files of a golden case."""
    out = tmp_path_factory.mktemp(case) / "site"
    result = run_cli("build", "--data", str(GOLDEN / case / "input"), "-o", str(out), "--data-only", "-q")
    assert result.code == 0, result
    return out / "data"


@pytest.fixture(scope="module")
def years_data(tmp_path_factory) -> Path:
    """The data files of the golden case that crosses a year."""
    return golden_data(tmp_path_factory, "years")


@pytest.fixture(scope="module")
def chain_data(tmp_path_factory) -> Path:
    """The data files of the golden case with accounts, chains, tokens and lines carried on chain."""
    return golden_data(tmp_path_factory, "chain")


@pytest.fixture(params=[pytest.param("site", marks=pytest.mark.slow), "years", "chain"])  # "site": a whole site
def data(request) -> Path:
    """The repository's own published data, the golden case that crosses a year, and the one on chain."""
    if request.param == "site":
        return request.getfixturevalue("site") / "data"
    return request.getfixturevalue(f"{request.param}_data")


def csv_files(data: Path) -> list[str]:
    return sorted(p.relative_to(data).as_posix() for p in data.rglob("*.csv"))


def json_files(data: Path) -> list[str]:
    return sorted(p.relative_to(data).as_posix() for p in data.rglob("*.json")
                  if not p.relative_to(data).as_posix().startswith("schema/") and p.name != "datapackage.json")


def test_the_package_describes_every_csv_file(data):
    package = json.loads((data / "datapackage.json").read_text())
    assert sorted(resource["path"] for resource in package["resources"]) == csv_files(data)
    assert len({resource["name"] for resource in package["resources"]}) == len(package["resources"])


def test_frictionless_finds_every_csv_file_valid(data):
    result = frictionless(data)
    assert result.returncode == 0, result.stdout + result.stderr


def test_amounts_have_exactly_two_decimals(data):
    package = json.loads((data / "datapackage.json").read_text())
    checked = 0
    for resource in package["resources"]:
        schema = json.loads((data / resource["schema"]).read_text())
        money = [f["name"] for f in schema["fields"] if "exactly two decimals" in f.get("description", "")]
        assert money, resource["path"]
        for row in csv.DictReader(io.StringIO((data / resource["path"]).read_text())):
            for name in money:
                if row[name]:
                    assert TWO_DECIMALS.match(row[name]) and row[name] != "-0.00", (resource["path"], name, row)
                    checked += 1
    assert checked


def test_every_json_file_has_a_schema_and_matches_it(data):
    by_schema: dict[str, list[Path]] = {}
    for name in json_files(data):
        schema = schema_for(name)
        assert schema, f"data/{name} has no JSON Schema: describe it in transparency/published_schemas.py"
        by_schema.setdefault(schema, []).append(data / name)
    assert {"summary.json.schema.json", "month.json.schema.json", "year.json.schema.json"} <= set(by_schema)
    for schema, files in by_schema.items():
        result = check_jsonschema("--schemafile", data / "schema" / schema, *files)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_published_schemas_are_valid_schemas(data):
    schemas = sorted((data / "schema").glob("*.json.schema.json"))
    assert schemas
    result = check_jsonschema("--check-metaschema", *schemas)
    assert result.returncode == 0, result.stdout + result.stderr


# --- The checks do fail on what they look for ------------------------------------------------------

def tampered(data: Path, to: Path, path: str, old: str, new: str) -> Path:
    shutil.copytree(data, to)
    text = (to / path).read_text()
    assert old in text, (path, old)
    (to / path).write_text(text.replace(old, new, 1))
    return to


def rehash(data: Path, path: str) -> None:
    """Update the package's size and digest of a changed file, so that only its content is wrong."""
    import hashlib
    package = json.loads((data / "datapackage.json").read_text())
    content = (data / path).read_bytes()
    for resource in package["resources"]:
        if resource["path"] == path:
            resource["bytes"], resource["hash"] = len(content), "sha256:" + hashlib.sha256(content).hexdigest()
    (data / "datapackage.json").write_text(json.dumps(package))


@pytest.mark.parametrize("path, old, new, error", [
    ("months.csv", "2024-12,published,2025-01-08,", "2024-12,published,2025-01-32,", "type-error"),
    ("remittances.csv", ",2024-12,,,,North restated", ",2023-12,,,,North restated", "foreign-key"),
    ("people/ida.csv", "2025-01,published,payout,", "2025-01,publish,payout,", "constraint-error"),
    ("payouts.csv", ",omar,", ",Omar,", "constraint-error"),
])
def test_frictionless_reports_a_wrong_value(years_data, tmp_path, path, old, new, error):
    data = tampered(years_data, tmp_path / "data", path, old, new)
    rehash(data, path)
    result = frictionless(data)
    assert result.returncode == 1 and error in result.stdout, result.stdout


def test_frictionless_reports_a_file_changed_after_the_build(years_data, tmp_path):
    data = tampered(years_data, tmp_path / "data", "sponsors/north.csv", "1200.00", "1200.01")
    result = frictionless(data)
    assert result.returncode == 1 and "hash-count" in result.stdout, result.stdout


@pytest.mark.parametrize("path, old, new", [
    ("years/2025.json", '"remitted":"13199.50"', '"remitted":"13199.5"'),  # not two decimals
    ("summary.json", '"owed_since":"2025-01"', '"owed_since":"2025-1"'),
    ("summary.json", '"median":47', '"median":"47"'),
    ("reports/2025-01.json", '"status":"published"', '"status":"published","extra":1'),  # undescribed field
])
def test_check_jsonschema_reports_a_wrong_value(years_data, tmp_path, path, old, new):
    data = tampered(years_data, tmp_path / "data", path, old, new)
    result = check_jsonschema("--schemafile", data / "schema" / schema_for(path), data / path)
    assert result.returncode == 1, result.stdout + result.stderr
