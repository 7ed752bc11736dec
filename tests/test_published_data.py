"""The published data described for data tools: every CSV file in data/datapackage.json, checked by
the real `frictionless validate`; every JSON file against its JSON Schema under data/schema/, checked
by the real check-jsonschema. Both run offline, on the repository's own site and on small data sets."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AGREEMENTS, REPORT, ROOT, computed, load_ok, run_cli, write_dataset
from test_golden import OPTIONS
from test_schema import check_jsonschema
from transparency.data import data_files
from transparency.datapackage import table_schemas
from transparency.licenses import LICENSES
from transparency.pipeline import load_dataset
from transparency.published_schemas import schema_for
from transparency.render import SiteOptions, render_site

GOLDEN = Path(__file__).parent / "golden"
FRICTIONLESS = (shutil.which("frictionless", path=str(Path(sys.executable).parent)) or shutil.which("frictionless"))
OFFLINE = "http://127.0.0.1:9"  # a proxy that refuses every connection: nothing may be downloaded
TWO_DECIMALS = re.compile(r"-?[0-9]+\.[0-9]{2}\Z")
# The agreements as tables, beside the line tables.
ENTITIES = ("people.csv", "sponsors.csv", "connectors.csv", "terms.csv", "chains.csv", "tokens.csv", "accounts.csv")


def frictionless(data: Path) -> subprocess.CompletedProcess:
    """`frictionless validate datapackage.json` in `data`, offline."""
    if FRICTIONLESS is None:
        pytest.fail("frictionless is not installed; install requirements-test.txt (make test does)")
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    env.update({name: OFFLINE for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")})
    return subprocess.run([FRICTIONLESS, "validate", "datapackage.json"], cwd=data, capture_output=True,
                          text=True, env=env, timeout=300)


@functools.cache
def golden_site(case: str) -> dict[str, bytes]:
    """Every file the build renders of a golden case, with the golden tests' options (a known site address)."""
    dataset, diagnostics = load_dataset(GOLDEN / case / "input")
    assert dataset is not None, "\n".join(map(str, diagnostics))
    return render_site(dataset, *computed(dataset), OPTIONS, ROOT)


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
        assert money or resource["path"] in ENTITIES, resource["path"]
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


# --- The package: whose data it is, under what licence, as of when -----------------------------------

def test_the_package_says_whose_data_it_is_under_what_licence_and_as_of_when(data):
    package = json.loads((data / "datapackage.json").read_text())
    foundation = json.loads((data / "agreements.json").read_text())["foundation"]
    months = json.loads((data / "manifest.json").read_text())["months"]
    assert package["title"] == f"{foundation['name']}: connector maintenance agreements and monthly reports"
    assert foundation["name"] in package["description"] and len(package["description"]) >= 50
    assert package["contributors"] == [{"title": foundation["name"], "role": "publisher",
                                        **({"path": foundation["url"]} if foundation["url"] else {})}]
    assert package["version"] == f"1.{len(months)}.0+{months[-1]['month']}"  # the latest month's record
    assert package["created"] == f"{months[-1]['published']}T00:00:00Z"  # from the data, never the clock
    assert package["keywords"]
    if foundation["license"]:
        assert package["licenses"] == [{"name": foundation["license"], "title": LICENSES[foundation["license"]],
                                        "path": f"https://spdx.org/licenses/{foundation['license']}.html"}]
    else:
        assert "licenses" not in package


def test_the_site_and_its_source_are_named_when_the_build_knows_them(tmp_path):
    dataset = load_ok(tmp_path / "data", AGREEMENTS.replace("  maintainer_share: 50%\n",
                                                            "  maintainer_share: 50%\n  license: CC0-1.0\n"))
    files = data_files(dataset, *computed(dataset), site_url="https://example.org/t",
                       repo_url="https://github.com/example/transparency")
    package = json.loads(files["data/datapackage.json"])
    assert package["homepage"] == "https://example.org/t/data/"
    assert package["sources"] == [{"title": "agreements.yml and reports/YYYY-MM.yml",
                                   "path": "https://github.com/example/transparency"}]
    assert package["licenses"][0]["path"] == "https://spdx.org/licenses/CC0-1.0.html"
    assert json.loads(files["data/agreements.json"])["foundation"]["license"] == "CC0-1.0"
    ids = {json.loads(content)["$id"] for path, content in files.items() if path.endswith(".json.schema.json")}
    assert ids == {f"https://example.org/t/data/schema/{name}" for name in
                   ("agreements.json.schema.json", "month.json.schema.json", "summary.json.schema.json",
                    "year.json.schema.json", "manifest.json.schema.json")}
    unknown = data_files(dataset, *computed(dataset))  # no address: a name of this project's, still absolute
    assert json.loads(unknown["data/schema/summary.json.schema.json"])["$id"] == \
        "urn:x-transparency:schema:summary.json.schema.json"
    assert "homepage" not in json.loads(unknown["data/datapackage.json"])


def test_the_data_does_not_depend_on_the_build_clock(tmp_path):
    built = []
    for epoch in ("1700000000", "1900000000"):
        out = tmp_path / epoch
        process = subprocess.run([sys.executable, str(ROOT / "build.py"), "--data", str(GOLDEN / "chain" / "input"),
                                  "-o", str(out), "--data-only", "-q"], capture_output=True, text=True, timeout=300,
                                 env=dict(os.environ, SOURCE_DATE_EPOCH=epoch), cwd=tmp_path)
        assert process.returncode == 0, process.stderr
        built.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert built[0] == built[1]


# --- Keys and references: frictionless proves them ----------------------------------------------------

def variants(data: Path, to: Path, cases: list[tuple[str, str, str]]) -> dict:
    """`frictionless validate --json` of a copy of `data` whose package also lists, for each case (path, old,
    new), a copy of that CSV file with `old` replaced by `new`, under the original's schema and references: one
    run of frictionless checks them all. The report's tasks by resource name (variant-0, variant-1, ...)."""
    shutil.copytree(data, to)
    package = json.loads((to / "datapackage.json").read_text())
    schemas = {resource["path"]: resource["schema"] for resource in package["resources"]}
    (to / "variants").mkdir()
    for number, (path, old, new) in enumerate(cases):
        text = (data / path).read_text()
        assert old in text, (path, old)
        (to / "variants" / f"{number}.csv").write_text(text.replace(old, new, 1))
        package["resources"].append({"name": f"variant-{number}", "path": f"variants/{number}.csv",
                                     "profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8",
                                     "schema": schemas[path]})
    (to / "datapackage.json").write_text(json.dumps(package))
    if FRICTIONLESS is None:
        pytest.fail("frictionless is not installed; install requirements-test.txt (make test does)")
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"}
    env.update({name: OFFLINE for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")})
    result = subprocess.run([FRICTIONLESS, "validate", "--json", "datapackage.json"], cwd=to, capture_output=True,
                            text=True, env=env, timeout=300)
    return {task["name"]: task for task in json.loads(result.stdout)["tasks"]}


def rejected(report: dict, cases: list[tuple]) -> None:
    """Every original file valid, and every variant invalid with the expected error."""
    assert all(task["valid"] for name, task in report.items() if not name.startswith("variant-")), \
        [task["errors"][:1] for task in report.values() if not task["valid"] and not task["name"].startswith("v")]
    for number, (path, old, new, error) in enumerate(cases):
        found = {e["type"] for e in report[f"variant-{number}"]["errors"]}
        assert error in found, f"{path}: {old!r} -> {new!r} gave {found or 'no error'}; expected {error}"


# Each: a file, a text in it, what replaces it, the error frictionless must report.
YEARS_CASES = [
    # forms of amounts, shares, months and dates that the contract forbids
    ("remittances.csv", ",1200.00,50%,", ",1200.0,50%,", "constraint-error"),  # one decimal
    ("remittances.csv", ",1200.00,50%,", ",1.2e3,50%,", "constraint-error"),
    ("remittances.csv", ",1200.00,50%,600.00,600.00", ",1200.00,50%,-0.00,600.00", "constraint-error"),
    ("remittances.csv", ",1200.00,50%,", ",1200.00,150%,", "constraint-error"),
    ("remittances.csv", ",1200.00,50%,", ",1200.00,50.0%,", "constraint-error"),
    ("remittances.csv", ",north,ida,1200.00,USD,1,", ",north,ida,NaN,USD,1,", "constraint-error"),
    ("remittances.csv", ",north,ida,1200.00,USD,1,", ",north,ida,1200.00,USD,1e0,", "constraint-error"),
    ("remittances.csv", ",north,ida,1200.00,USD,1,", ",north,ida,1200.00,USD,0,", "constraint-error"),
    ("remittances.csv", ",north,ida,1200.00,USD,1,", ",north,ida,1 200.00,USD,1,", "constraint-error"),
    ("remittances.csv", ",4800,", ",-4800,", "constraint-error"),  # user_fees
    ("remittances.csv", ",adjustment,2024-12,", ",adjustment adjustment,2024-12,", "constraint-error"),
    ("remittances.csv", "2024-11,published,remittance,", "0000-11,published,remittance,", "constraint-error"),
    ("remittances.csv", "2024-11,published,remittance,", "2024-13,published,remittance,", "type-error"),
    ("remittances.csv", "2024-11,published,remittance,", "2024-11,published,refund,", "constraint-error"),
    ("remittances.csv", "2024-11,published,remittance,", "2024-11,final,remittance,", "constraint-error"),
    ("payouts.csv", ",2024-12-02,", ",2024-12-32,", "type-error"),
    ("payouts.csv", ",2025-01-20,", ",2025-02-29,", "type-error"),  # not a leap year
    ("payouts.csv", ",200,USD,1,200.00,", ",200,USD,1,-200.00,", "constraint-error"),  # paid below 0
    ("payouts.csv", ",200,USD,1,200.00,", ",+200,USD,1,200.00,", "constraint-error"),
    ("payouts.csv", ",200,USD,1,200.00,", ",0,USD,1,200.00,", "constraint-error"),
    ("months.csv", "2024-12,published,2025-01-08,", "2024-12,published,2025-02-30,", "type-error"),
    ("people/ida.csv", ",600.00,,\n", ",600.0,,\n", "constraint-error"),
    ("people.csv", "ida,Ida Lund,ida-lund,", "ida,Ida Lund,ida_lund,", "constraint-error"),
    ("people.csv", "omar,Omar Haddad,,", "omar,Omar Haddad,,http://omar.example", "constraint-error"),
    ("connectors.csv", "north-spot,North Spot,north,ida,,", "north-spot,North Spot,north,ida,javascript:x,",
     "constraint-error"),
    ("terms.csv", ",25%,ida,50%,25,25,", ",125%,ida,50%,25,25,", "constraint-error"),
    ("terms.csv", ",25%,ida,50%,25,25,", ",25%,ida,100.5%,25,25,", "constraint-error"),
    ("terms.csv", ",25%,ida,50%,25,25,", ",25%,ida,50%,0,25,", "constraint-error"),
    ("terms.csv", "fee share,20-30%", "fee-share,20-30%", "constraint-error"),
    # keys: a row twice
    ("months.csv", "2024-12,published,2025-01-08,1400.75,650.35,750.40,600.00\n",
     "2024-12,published,2025-01-08,1400.75,650.35,750.40,600.00\n" * 2, "primary-key"),
    ("people.csv", "ida,Ida Lund,ida-lund,\n", "ida,Ida Lund,ida-lund,\nida,Ida,,\n", "primary-key"),
    ("sponsors.csv", "east,East Bourse,\n", "east,East Bourse,\neast,East,\n", "primary-key"),
    ("connectors.csv", "east-spot,East Spot,east,ida,,2025-01,\n",
     "east-spot,East Spot,east,ida,,2025-01,\neast-spot,East,east,ida,,2025-01,\n", "primary-key"),
    ("terms.csv", "north-spot,2024-11,,fee share,25%,ida,50%,25,25,,\n",
     "north-spot,2024-11,,fee share,25%,ida,50%,25,25,,\nnorth-spot,2024-11,,fee share,30%,ida,50%,30,30,,\n",
     "primary-key"),
    # references: to each table
    ("remittances.csv", "remittance,north-spot,north,ida,", "remittance,west-spot,north,ida,", "foreign-key"),
    ("remittances.csv", "remittance,north-spot,north,ida,", "remittance,north-spot,west,ida,", "foreign-key"),
    ("remittances.csv", "remittance,north-spot,north,ida,", "remittance,north-spot,north,ada,", "foreign-key"),
    ("remittances.csv", ",2024-12,,,,North restated", ",2023-12,,,,North restated", "foreign-key"),
    ("remittances.csv", "2024-11,published,remittance,", "2024-10,published,remittance,", "foreign-key"),
    ("payouts.csv", ",omar,", ",Omar,", "constraint-error"),
    ("payouts.csv", ",omar,", ",oscar,", "foreign-key"),
    ("payouts.csv", "2024-11,published,omar,", "2023-11,published,omar,", "foreign-key"),
    ("people/ida.csv", ",north-spot,", ",west-spot,", "foreign-key"),
    ("sponsors/north.csv", "remittance,north-spot,north,ida,", "remittance,north-spot,north,ada,", "foreign-key"),
    ("connectors.csv", "north-spot,North Spot,north,ida,", "north-spot,North Spot,north,ada,", "foreign-key"),
    ("connectors.csv", "north-spot,North Spot,north,ida,", "north-spot,North Spot,west,ida,", "foreign-key"),
    ("terms.csv", "north-spot,2024-11,", "west-spot,2024-11,", "foreign-key"),
    ("terms.csv", ",25%,ida,", ",25%,ada,", "foreign-key"),
]
CHAIN_CASES = [
    ("tokens.csv", "USDC,ethereum,", "USDC,polygon,", "foreign-key"),
    ("tokens.csv", ",6\n", ",37\n", "constraint-error"),
    ("tokens.csv", "USDC,ethereum,", "usdc,ethereum,", "constraint-error"),
    ("tokens.csv", "XDAI,gnosis,", "USDC,gnosis,", "primary-key"),
    ("chains.csv", "gnosis,Gnosis Chain,\n", "gnosis,Gnosis Chain,\ngnosis,Gnosis,\n", "primary-key"),
    ("chains.csv", "gnosis,Gnosis Chain,", "gnosis,Gnosis Chain,https://gnosisscan.example/?q=", "constraint-error"),
    ("accounts.csv", "person,ana,,gnosis,", "person,ada,,gnosis,", "foreign-key"),
    ("accounts.csv", "sponsor,,north,", "sponsor,,west,", "foreign-key"),
    ("accounts.csv", "person,ana,,gnosis,", "person,ana,,polygon,", "foreign-key"),
    ("accounts.csv", "person,ana,,gnosis,", "maintainer,ana,,gnosis,", "constraint-error"),
    ("accounts.csv", ",0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb", ",0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
     "constraint-error"),
    ("accounts.csv", "person,ana,,gnosis,0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb\n",
     "person,ana,,gnosis,0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb\n" * 2, "primary-key"),
    ("accounts.csv", "foundation,,,gnosis,0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\n",
     "foundation,,,gnosis,0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\n" * 2, "primary-key"),
    ("remittances.csv", ",ethereum\n", ",polygon\n", "foreign-key"),
    ("payouts.csv", ",gnosis,", ",polygon,", "foreign-key"),
]


@pytest.mark.parametrize("case, cases", [("years", YEARS_CASES), ("chain", CHAIN_CASES)])
def test_frictionless_rejects_what_the_contract_forbids(request, tmp_path, case, cases):
    data = request.getfixturevalue(f"{case}_data")
    rejected(variants(data, tmp_path / "data", [c[:3] for c in cases]), cases)


def test_frictionless_reports_a_row_that_refers_to_a_removed_person(years_data, tmp_path):
    data = tampered(years_data, tmp_path / "data", "people.csv", "omar,Omar Haddad,,\n", "")
    rehash(data, "people.csv")
    result = frictionless(data)
    assert result.returncode == 1 and "foreign-key" in result.stdout, result.stdout
    assert "payouts" in result.stdout and "remittances" in result.stdout and "connectors" in result.stdout


# --- What a Table Schema cannot express, checked here ---------------------------------------------------

MONTH_FORM = re.compile(r"[0-9]{4}-[0-9]{2}\Z")
DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def rows(data: Path, path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((data / path).read_text(encoding="utf-8"), newline="")))


def test_what_the_table_schemas_cannot_express_holds(data):
    package = json.loads((data / "datapackage.json").read_text())
    for resource in package["resources"]:
        schema = json.loads((data / resource["schema"]).read_text())
        types = {f["name"]: f["type"] for f in schema["fields"]}
        found = rows(data, resource["path"])
        for row in found:  # the written form of months and dates, which their types read more loosely
            for name, value in row.items():
                if value and types[name] == "yearmonth":
                    assert MONTH_FORM.match(value), (resource["path"], name, value)
                if value and types[name] == "date":
                    assert DATE_FORM.match(value), (resource["path"], name, value)
        if "kind" not in types:
            continue
        lines = [row for row in found if row["kind"] != "payout"]
        remittances = [(row["month"], row["connector"]) for row in lines if row["kind"] == "remittance"]
        assert len(remittances) == len(set(remittances)), resource["path"]  # one per connector and month
        for row in lines:
            adjustment = row["kind"] == "adjustment"
            assert bool(row["adjusts"]) == adjustment, row
            if "flags" in row:
                assert ("adjustment" in row["flags"].split()) == adjustment, row
                assert row["amount"].startswith("-") <= adjustment, row  # signed only on an adjustment
    accounts = rows(data, "accounts.csv")
    for row in accounts:
        assert bool(row["person"]) == (row["holder"] == "person"), row
        assert bool(row["sponsor"]) == (row["holder"] == "sponsor"), row
    tokens = [(row["chain"], row["contract"]) for row in rows(data, "tokens.csv")]
    assert len(tokens) == len(set(tokens))


def unique_ids(document, where: str = "") -> None:
    """No list of entries named by id (or code, or month) names one twice, at any depth."""
    if isinstance(document, dict):
        for name, value in document.items():
            unique_ids(value, f"{where}.{name}")
    elif isinstance(document, list):
        for key in ("id", "code", "month"):
            if document and all(isinstance(item, dict) and key in item for item in document):
                names = [item[key] for item in document]
                if where.endswith(".connectors") and key == "id":
                    names = [(item["id"], item.get("adjusts")) for item in document if "adjusts" not in item]
                assert len(names) == len(set(names)), (where, key)
        for item in document:
            unique_ids(item, where)


def test_what_the_json_schemas_cannot_express_holds(data):
    for name in json_files(data):
        unique_ids(json.loads((data / name).read_text()), name)


def test_the_csv_text_is_the_json_text_but_for_the_spreadsheet_rule(tmp_path):
    agreements = (AGREEMENTS.replace("    name: Ben\n", "    name: \"=HYPERLINK(\\\"https://x.example\\\")\"\n")
                  .replace("    name: Acme Exchange\n", "    name: \"@Acme\"\n"))
    report = REPORT.replace("    user_fees: 333.33\n", "    user_fees: 333.33\n    reference: \"+wire 42\"\n")
    report += ("adjustments:\n  - month: 2024-01\n    connector: acme-spot\n    amount: -1\n"
               "    reason: \"-5% fee restated\"\n")
    january = REPORT.replace("2024-02", "2024-01").replace("2024-03-05", "2024-02-05").replace("2024-03-06",
                                                                                                "2024-02-06")
    data = write_dataset(tmp_path / "in", agreements, {"2024-01.yml": january, "2024-02.yml": report})
    out = tmp_path / "site"
    assert run_cli("build", "--data", str(data), "-o", str(out), "--data-only", "-q").code == 0
    published = out / "data"
    month = json.loads((published / "reports" / "2024-02.json").read_text())
    assert {line.get("reference") for line in month["connectors"]} >= {"+wire 42"}
    assert [line["reason"] for line in month["connectors"] if "adjusts" in line] == ["-5% fee restated"]
    remittances = rows(published, "remittances.csv")
    assert [row["reference"] for row in remittances if row["reference"]] == ["'+wire 42"]
    assert [row["reason"] for row in remittances if row["reason"]] == ["'-5% fee restated"]
    assert [row["reason"] for row in rows(published, "people/ana.csv") if row["reason"]] == ["'-5% fee restated"]
    people = {row["id"]: row["name"] for row in rows(published, "people.csv")}
    assert people["ben"] == '\'=HYPERLINK("https://x.example")'
    assert json.loads((published / "agreements.json").read_text())["people"][1]["name"] == \
        '=HYPERLINK("https://x.example")'
    assert rows(published, "sponsors.csv")[0]["name"] == "'@Acme"
    assert frictionless(published).returncode == 0
    # and the rule is in the description of every column it applies to
    for path in ("remittances", "payouts", "statement", "people", "sponsors", "connectors", "chains"):
        schema = json.loads((published / "schema" / f"{path}.tableschema.json").read_text())
        for field in schema["fields"]:
            if field["name"] in ("reference", "reason", "name"):
                assert "is written with a ' before it" in field["description"], (path, field["name"])


# --- The JSON Schemas reject what the contract forbids ------------------------------------------------

# Each: a file, a text in it, what replaces it. Every change makes the file invalid under its JSON Schema.
JSON_CASES = [
    ("reports/2025-01.json", '"remitted":"6099.50"', '"remitted":"6099.5"'),
    ("reports/2025-01.json", '"remitted":"6099.50"', '"remitted":"6.0995e3"'),
    ("reports/2025-01.json", '"remitted":"6099.50"', '"remitted":"-0.00"'),
    ("reports/2025-01.json", '"remitted":"6099.50"', '"remitted":"6,099.50"'),
    ("reports/2025-01.json", '"published":"2025-02-05"', '"published":"2025-02-30"'),
    ("reports/2025-01.json", '"published":"2025-02-05"', '"published":"2025-2-05"'),
    ("reports/2025-01.json", '"published":"2025-02-05"', '"published":null'),  # a published month has its date
    ("reports/2025-01.json", '"month":"2025-01"', '"month":"0000-01"'),
    ("reports/2025-01.json", '"status":"published"', '"status":"final"'),
    ("reports/2025-01.json", '"status":"published"', '"status":"published","extra":1'),
    ("reports/2025-01.json", '"flags":["adjustment"]', '"flags":["adjustment","adjustment"]'),
    ("reports/2025-01.json", '"flags":["adjustment"]', '"flags":[]'),  # an adjustment is flagged
    ("reports/2025-01.json", '"file":"reports/2025-01.yml"', '"file":"../../etc/passwd"'),
    ("reports/2024-12.json", '"date":"2025-01-10"', '"date":"2025-02-29"'),
    ("reports/2024-12.json", '"paid":"400.00"', '"paid":"-400.00"'),
    ("reports/2024-12.json", '"amount":"400"', '"amount":"-400"'),
    ("reports/2024-12.json", '"amount":"400"', '"amount":"0"'),
    ("reports/2024-12.json", '"reference":"0x11aa"', '"reference":""'),
    ("reports/2024-12.json", '"reference":"0x11aa"', '"reference":"0x11\\naa"'),
    ("reports/2024-11.json", '"rates":{"USDT":"0.9990"}', '"rates":{"USDT":"0"}'),
    ("reports/2024-11.json", '"rates":{"USDT":"0.9990"}', '"rates":{"USDT":"9.99e-1"}'),
    ("reports/2024-11.json", '"user_fees":"4800"', '"user_fees":"-4800"'),
    ("summary.json", '"months":["2024-11",', '"months":["2024-11","2024-11",'),
    ("summary.json", '"owed_since":"2025-01"', '"owed_since":"2025-1"'),
    ("summary.json", '"median":47', '"median":"47"'),
    ("years/2025.json", '"remitted":"13199.50"', '"remitted":"13199.5"'),
    ("years/2025.json", '"year":"2025"', '"year":"0000"'),
    ("years/2025.json", '"months":["2025-01",', '"months":["2025-01","2025-01",'),
    ("manifest.json", '"published":"2025-01-08"', '"published":"2025-01-32"'),
    ("agreements.json", '"maintainer_share":"50%"', '"maintainer_share":"150%"'),
    ("agreements.json", '"maintainer_share":"50%"', '"maintainer_share":"100.5%"'),
    ("agreements.json", '"url":null', '"url":"http://years.example"'),
    ("agreements.json", '"url":null', '"url":"javascript:alert(1)"'),
    ("agreements.json", '"license":null', '"license":"GPL-3.0"'),
    ("agreements.json", '"license":null', '"license":"cc-by-4.0"'),
    ("agreements.json", '"github":"ida-lund"', '"github":"https://github.com/ida-lund"'),
    ("agreements.json", '"name":"Ida Lund"', '"name":""'),
    ("agreements.json", '"since":"2024-11","until":"2025-01"', '"since":"2024-13","until":"2025-01"'),
    ("agreements.json", '"amount":"25%"', '"amount":"125%"'),
    ("agreements.json", '"percent":{"min":"25","max":"25"}', '"percent":{"min":"0","max":"25"}'),
    ("agreements.json", '"percent":{"min":"25","max":"25"}', '"fee":{"amount":"25","currency":"USD"}'),
    ("agreements.json", '"sponsors":[{"id":"north","name":"North Exchange","url":null,"accounts":[]}',
     '"sponsors":[{"id":"north","name":"North Exchange","url":null,"accounts":[]},'
     '{"id":"north","name":"North Exchange","url":null,"accounts":[]}'),  # the same entry twice
]
CHAIN_JSON_CASES = [
    ("agreements.json", '"explorer":"https://explorer.example/eth/"', '"explorer":"https://explorer.example/?q="'),
    ("agreements.json", '"explorer":"https://explorer.example/eth/"', '"explorer":"http://explorer.example/eth/"'),
    ("agreements.json", '"decimals":6', '"decimals":37'),
    ("agreements.json", '"license":"ODbL-1.0"', '"license":"CC-BY-NC-4.0"'),
    ("agreements.json", '"accounts":[{"chain":"ethereum","address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}',
     '"accounts":[{"chain":"ethereum","address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},'
     '{"chain":"ethereum","address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}'),
]


@pytest.mark.parametrize("case, cases", [("years", JSON_CASES), ("chain", CHAIN_JSON_CASES)])
def test_check_jsonschema_rejects_what_the_contract_forbids(request, tmp_path, case, cases):
    data = request.getfixturevalue(f"{case}_data")
    by_schema: dict[str, list[Path]] = {}
    for number, (path, old, new) in enumerate(cases):
        text = (data / path).read_text()
        assert old in text, (path, old)
        changed = tmp_path / f"{number}.json"
        changed.write_text(text.replace(old, new, 1))
        by_schema.setdefault(schema_for(path), []).append(changed)
    for schema, files in by_schema.items():
        result = check_jsonschema("--output-format", "json", "--schemafile", data / "schema" / schema, *files)
        report = json.loads(result.stdout)
        failed = {error["filename"] for error in report["errors"]} | {e["filename"] for e in report["parse_errors"]}
        passed = [cases[int(Path(f).stem)] for f in map(str, files) if f not in failed]
        assert not passed, f"{schema} accepts: {passed}"


def test_every_published_schema_has_an_absolute_id(data):
    for path in sorted((data / "schema").glob("*.json.schema.json")):
        identifier = json.loads(path.read_text())["$id"]
        assert re.match(r"(https://|urn:)[^#\s]+\Z", identifier) and identifier.endswith(path.name), identifier


# --- The data page: the licence, the CSV rule, and the JSON-LD for search engines ------------------------

JSONLD = re.compile(r'<script type="application/ld\+json"[^>]*>\n?(.*?)\n?</script>', re.S)


def jsonld(page: str) -> dict:
    scripts = JSONLD.findall(page)
    assert len(scripts) == 1
    assert "<" not in scripts[0]  # no text of the data can end the script or open a comment in it
    return json.loads(scripts[0])


@pytest.mark.parametrize("case", ["years", "chain", "hostile"])
def test_the_data_page_describes_the_dataset_for_search_engines(case):
    files = golden_site(case)
    page = files["data/index.md"].decode()
    found = jsonld(page)
    agreements = json.loads(files["data/agreements.json"])
    foundation = agreements["foundation"]
    package = json.loads(files["data/datapackage.json"])
    months = json.loads(files["data/manifest.json"])["months"]
    # What Google's Dataset guidelines require (name; description of 50 to 5000 characters), and recommend
    assert found["@context"] == "https://schema.org" and found["@type"] == "Dataset"
    assert found["name"] == package["title"]
    assert 50 <= len(found["description"]) <= 5000
    assert found["url"] == "https://example.org/t/data/"
    organization = {"@type": "Organization", "name": foundation["name"],
                    **({"url": foundation["url"]} if foundation["url"] else {})}
    assert found["creator"] == found["publisher"] == organization
    assert found["isAccessibleForFree"] is True and found["keywords"]
    assert found["version"] == package["version"]
    assert found["temporalCoverage"] == f"{months[0]['month']}/{months[-1]['month']}"
    assert found["dateModified"] == months[-1]["published"]
    if foundation["license"]:
        assert found["license"] == f"https://spdx.org/licenses/{foundation['license']}.html"
        assert found["license"] in page  # and the page names it, with its link
    else:
        assert "license" not in found and "has not declared a licence" in page
    downloads = {d["name"]: d for d in found["distribution"]}
    expected = {path.removeprefix("data/") for path in files
                if re.fullmatch(r"data/[a-z]+\.(csv|json)", path)}
    assert set(downloads) == expected >= {"agreements.json", "summary.json", "manifest.json", "datapackage.json",
                                          "remittances.csv", "payouts.csv", "months.csv", "connectors.csv"}
    for name, download in downloads.items():
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"] == f"https://example.org/t/data/{name}"
        assert download["encodingFormat"] == ("text/csv" if name.endswith(".csv") else "application/json")
    assert "remove that one `'` first" in page.replace("\n", " ")  # the CSV rule, where data users look


def test_without_the_sites_address_the_downloads_are_relative_to_the_data_page(tmp_path):
    dataset = load_ok(tmp_path / "data")
    files = render_site(dataset, *computed(dataset), SiteOptions(build_month="2024-06"), ROOT)
    found = jsonld(files["data/index.md"].decode())
    assert "url" not in found
    assert {d["contentUrl"] for d in found["distribution"]} >= {"remittances.csv", "agreements.json"}


def test_the_home_page_names_the_licence_when_there_is_one():
    assert "https://spdx.org/licenses/ODbL-1.0.html" in golden_site("chain")["index.md"].decode()
    assert "spdx.org" not in golden_site("years")["index.md"].decode()


def top_level_alternation(pattern: str) -> bool:
    depth, index = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = pattern.index("]", index + 2) + 1
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            return True
        index += 1
    return False


def test_every_table_schema_pattern_is_anchored_whole():
    """Frictionless reads a pattern P as ^P$: a pattern A|B would accept any text that starts as A does."""
    for path, schema in table_schemas().items():
        for field in schema["fields"]:
            pattern = field.get("constraints", {}).get("pattern")
            if pattern:
                assert not top_level_alternation(pattern), (path, field["name"], pattern)
                re.compile(pattern)
    assert top_level_alternation("a|b") and not top_level_alternation("(a|b)") and not top_level_alternation("[|]")
