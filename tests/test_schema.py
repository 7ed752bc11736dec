"""The editors' JSON Schemas in schema/: current, built from the validator's rules, agreeing with it.

The YAML files are checked by the real check-jsonschema command, which reads YAML 1.2 as editors
do (`1234.56` is a number, `2024-06-05` is text, `~` is null) and ECMA-262 patterns as they do.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import regress
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import AGREEMENTS, CONFORMANCE, REPORT, REPOSITORY, ROOT, SEED_ERA, run_cli, write_dataset
from transparency import validate
from transparency.cli import main
from transparency.load import Document, Scalar, parse
from transparency.schema import agreements_schema, ecma, report_schema, schema_files

AGREEMENTS_SCHEMA = ROOT / "schema" / "agreements.schema.json"
REPORT_SCHEMA = ROOT / "schema" / "report.schema.json"
CHECK_JSONSCHEMA = (shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
                    or shutil.which("check-jsonschema"))
OFFLINE = "http://127.0.0.1:9"  # a proxy that refuses every connection: nothing may be downloaded


def test_committed_schemas_are_what_the_validator_rules_generate():
    for name, text in schema_files().items():
        path = ROOT / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        assert current == text, f"{name} is stale: run `python build.py schema` and commit the result"


def schema_objects() -> dict[str, dict]:
    """The schema object that holds each validator field tuple, by the tuple's name without _KEYS."""
    agreements, report = agreements_schema(), report_schema()
    top, month = agreements["properties"], report["properties"]
    connector = _entry(top["connectors"])
    return {
        "AGREEMENTS": agreements, "FOUNDATION": top["foundation"], "PERSON": _entry(top["people"]),
        "SPONSOR": _entry(top["sponsors"]), "CONNECTOR": connector, "TERMS": connector["properties"]["terms"]["items"],
        "ACCOUNT": top["foundation"]["properties"]["accounts"]["items"], "CHAIN": _entry(top["chains"]),
        "TOKEN": _entry(top["tokens"]),
        "REPORT": report, "REMITTANCE": month["remittances"]["items"], "PAYOUT": month["payouts"]["items"],
        "ADJUSTMENT": month["adjustments"]["items"], "TOTALS": month["totals"],
    }


def _entry(table: dict) -> dict:
    (item,) = table["patternProperties"].values()
    return item


OBJECTS = schema_objects()


def test_every_field_tuple_of_the_validator_is_a_schema_object():
    tuples = {name.removesuffix("_KEYS") for name in vars(validate) if name.endswith("_KEYS")}
    assert tuples == set(OBJECTS)
    for name, schema in OBJECTS.items():
        assert list(schema["properties"]) == list(getattr(validate, f"{name}_KEYS")), name
        assert schema.get("required", []) == list(getattr(validate, f"{name}_REQUIRED")), name
        assert schema["additionalProperties"] is False, name


def test_python_only_regex_syntax_is_refused():
    for regex in (re.compile(r"[0-9]+"), re.compile(r"\d+\Z"), re.compile(r"(?P<n>[a-z])\Z"),
                  re.compile(r"[a-z]+\Z", re.IGNORECASE), re.compile(r"a.b\Z"), re.compile(r"a$\Z")):
        with pytest.raises(ValueError):
            ecma(regex)
    percent, range_ = (regex.pattern.removesuffix(r"\Z") for regex in (validate.PERCENT, validate.RANGE))
    assert ecma(validate.PERCENT, validate.RANGE) == f"^(?:{percent}|{range_})$"


# -- the schemas against the validator, value by value, with ECMA-262 patterns as editors run them --

def _ecma_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not regress.Regex(pattern, flags="u").find(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


EcmaValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})


def schema_accepts(schema: dict, value) -> bool:
    return EcmaValidator(schema, format_checker=EcmaValidator.FORMAT_CHECKER).is_valid(value)


def validator_accepts(method: str, text: str, **options) -> bool:
    checker = validate._Checker(Document("t.yml", "t.yml", "", None))
    value = getattr(checker, method)(Scalar(text, 1, 1, plain=False), "value", **options)
    return value is not None and not checker.diagnostics


def test_months_are_the_validators_months():
    since = OBJECTS["TERMS"]["properties"]["since"]
    texts = [f"{year}-{month:02}" for year in ("0000", "0001", "2024", "9999") for month in range(100)]
    texts += ["2024-1", "24-01", "2024/01", "2024-01-01", "2024-01\n", " 2024-01", "２０２４-01"]
    for text in texts:
        assert schema_accepts(since, text) == validator_accepts("month", text), text


DECIMALS = {  # schema object: the validator's options for that field (an amount in a token has up to 36 places)
    ("REMITTANCE", "amount"): {"places": validate.TOKEN_DECIMALS},
    ("PAYOUT", "amount"): {"places": validate.TOKEN_DECIMALS},
    ("REMITTANCE", "volume"): {"zero": True},
    ("REMITTANCE", "user_fees"): {},
    ("ADJUSTMENT", "amount"): {"signed": True, "places": validate.TOKEN_DECIMALS},
    ("TOTALS", "remitted"): {"signed": True, "zero": True, "places": validate.TOTALS_PLACES},
    ("TOTALS", "paid"): {"zero": True, "places": validate.TOTALS_PLACES},
}
decimal_texts = st.one_of(st.from_regex(r"-?0{0,3}[0-9]{0,17}(\.[0-9]{0,40})?", fullmatch=True),
                          st.text(alphabet="0123456789-.,e+_ \n٣", max_size=12))


@settings(max_examples=400, deadline=None)
@given(decimal_texts)
def test_decimal_text_is_accepted_exactly_when_the_validator_accepts_it(text):
    for (name, field), options in DECIMALS.items():
        schema = OBJECTS[name]["properties"][field]
        assert schema_accepts(schema, text) == validator_accepts("decimal", text, **options), (name, field)
    rate = _entry(OBJECTS["REPORT"]["properties"]["rates"])
    assert schema_accepts(rate, text) == validator_accepts("decimal", text, places=validate.RATE_PLACES)


hex_texts = st.one_of(st.from_regex(r"0[xX][0-9a-fA-F]{38,66}", fullmatch=True),
                      st.from_regex(r"0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{64}", fullmatch=True),
                      st.text(alphabet="0123456789abcdefABCDEFxX \n", max_size=70))


@settings(max_examples=300, deadline=None)
@given(hex_texts)
def test_addresses_and_transactions_are_the_validators_but_for_the_checksum(text):
    address = OBJECTS["ACCOUNT"]["properties"]["address"]
    tx = OBJECTS["PAYOUT"]["properties"]["tx"]
    assert schema_accepts(tx, text) == validator_accepts("tx", text)
    # Only the validator checks EIP-55: the schema accepts a mixed-case address whatever its checksum.
    if validator_accepts("address", text):
        assert schema_accepts(address, text)
    assert schema_accepts(address, text) == bool(validate.ADDRESS.match(text))


@pytest.mark.parametrize("value, valid", [(0, True), (6, True), (36, True), (37, False), (-1, False), (6.5, False),
                                          ("6", True), ("06", True), ("36", True), ("37", False), ("6.0", False),
                                          ("100", False), ("", False), ("x", False)])
def test_decimals_are_the_validators(value, valid):
    assert schema_accepts(OBJECTS["TOKEN"]["properties"]["decimals"], value) == valid
    if isinstance(value, str):
        checker = validate._AgreementsChecker(Document("t.yml", "t.yml", "", None))
        root = parse(f"foundation: {{}}\ntokens:\n  USDC:\n    decimals: '{value}'\n".encode(), "t.yml").root
        checker._token("USDC", root.items["tokens"][1].items["USDC"][1])
        assert not any("decimals" in d.message for d in checker.diagnostics) == valid


@pytest.mark.parametrize("value, valid", [(1234.56, True), (750, True), (0, False), (-5, False)])
def test_amounts_may_be_yaml_numbers(value, valid):
    assert schema_accepts(OBJECTS["REMITTANCE"]["properties"]["amount"], value) == valid


@pytest.mark.parametrize("text", ["https://hummingbot.org", "HTTPS://example.org/a?b=c#d", "https://x.io:8443/p",
                                  "http://example.org", "https://", "https:///path", "https://exa mple.org",
                                  "https://example.org/<b>", "ftp://example.org", "example.org", "/exchanges/x",
                                  "//example.org", "/a\\b", "exchanges/x", "/a b"])
def test_urls_and_site_paths_accept_at_least_what_the_validator_does(text):
    connector, person = OBJECTS["CONNECTOR"], OBJECTS["PERSON"]
    is_https = validate._is_https(text)
    if is_https:
        assert schema_accepts(person["properties"]["url"], text)
    if is_https or validate._is_site_path(text):
        assert schema_accepts(connector["properties"]["docs"], text)
    if text.lower().startswith("http://") or " " in text or "<" in text:
        assert not schema_accepts(connector["properties"]["docs"], text)


# -- the real check-jsonschema command on YAML files --

def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess:
    """Run the check-jsonschema command offline."""
    if CHECK_JSONSCHEMA is None:
        pytest.fail("check-jsonschema is not installed; install requirements-test.txt (make test does)")
    proxies = {name: OFFLINE for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
    env = {key: value for key, value in os.environ.items() if key.lower() != "no_proxy"} | proxies
    return subprocess.run([CHECK_JSONSCHEMA, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120)


def check_files(schema: Path, *files: Path) -> subprocess.CompletedProcess:
    return check_jsonschema("--schemafile", schema, *files)


def test_the_schemas_are_valid_2020_12_schemas_with_ecma_262_patterns():
    result = check_jsonschema("--check-metaschema", AGREEMENTS_SCHEMA, REPORT_SCHEMA)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("data", [pytest.param(REPOSITORY, marks=pytest.mark.repository, id="repository"),
                                  pytest.param(SEED_ERA, id="seed-era")])
def test_the_data_matches_the_schemas(data):
    for schema, files in ((AGREEMENTS_SCHEMA, [data / "agreements.yml"]),
                          (REPORT_SCHEMA, sorted((data / "reports").glob("*.yml")))):
        if files:
            result = check_files(schema, *files)
            assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (CONFORMANCE / "example-1").is_dir(), reason="../shared/conformance is not beside the project")
def test_the_conformance_example_matches_the_schemas():
    example = CONFORMANCE / "example-1"
    for schema, files in ((AGREEMENTS_SCHEMA, [example / "agreements.yml"]),
                          (REPORT_SCHEMA, sorted((example / "reports").glob("*.yml")))):
        result = check_files(schema, *files)
        assert result.returncode == 0, result.stdout + result.stderr


def edited(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


# Valid data written the way an editor's YAML 1.2 types it: numbers, nulls, quoted text, an all-digit id.
ADDRESS = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
EDITOR_AGREEMENTS = edited(edited(edited(edited(AGREEMENTS,
    "  ben:\n    name: Ben\n", "  ben:\n    name: Ben\n    url: ~\n    accounts:\n      - chain: ethereum\n"
    f"        address: {ADDRESS}\n  1234:\n    name: 2024\n    github: 1234\n    accounts: []\n"),
    "    developer: ben\n", "    developer: 1234\n    docs: https://example.org/perp\n"),
    "        maintainer: ana\n", "        maintainer: ana\n        maintainer_share: 40%\n    until: ~\n"),
    "  maintainer_share: 50%\n", "  maintainer_share: 50%\n  accounts:\n"
    f"    - {{chain: ethereum, address: '{ADDRESS.lower()}'}}\n") + (
    "chains:\n  ethereum:\n    name: Ethereum\n    explorer: ~\n  '2024':\n    name: 2024\n"
    f"tokens:\n  USDC:\n    chain: ethereum\n    contract: {ADDRESS}\n    decimals: 6\n"
    f"  WBTC:\n    chain: '2024'\n    contract: '{ADDRESS}'\n    decimals: '8'\n")
EDITOR_REPORT = edited(edited(edited(edited(edited(REPORT,
    "    amount: 100.00\n", '    amount: "100.00"\n    volume: 0\n    reference: 12345\n    currency:\n'),
    "payouts:", "adjustments:\nnotes: ~\ntotals:\n  remitted: 850.15\n  paid: '40'\npayouts:"),
    "rates:\n", "rates:\n  USD: 1\n  USDC: 1\n"),
    "    date: 2024-03-06\n", "    date: 2024-03-06\n    tx: ~\n  - to: ben\n    amount: 1.123456\n    currency: USDC\n"
    f"    date: 2024-03-06\n    tx: 0x{'ab' * 32}\n    address: {ADDRESS}\n"), "paid: '40'", "paid: '41.12'")


def test_data_typed_as_an_editor_types_it_is_valid_for_both(tmp_path):
    data = write_dataset(tmp_path, EDITOR_AGREEMENTS, {"2024-02.yml": EDITOR_REPORT})
    result = run_cli("check", "--data", str(data))
    assert result.code == 0, result
    for schema, path in ((AGREEMENTS_SCHEMA, data / "agreements.yml"),
                         (REPORT_SCHEMA, data / "reports" / "2024-02.yml")):
        result = check_files(schema, path)
        assert result.returncode == 0, result.stdout + result.stderr


# (case, A(greements) or R(eport), text to replace, replacement, what check-jsonschema reports)
INVALID = [
    ("misspelt field", "R", "user_fees: 333.33", "user_fee: 333.33", "'user_fee' was unexpected"),
    ("misspelt section", "A", "sponsors:", "sponsor:", "'sponsor' was unexpected"),
    ("amount with a comma", "R", "amount: 100.00", "amount: 1,234.56", "'1,234.56' does not match"),
    ("too many decimal places", "R", "amount: 100.00", "amount: '1." + "1" * 37 + "'", "'1.111111111111111"),
    ("negative amount", "R", "amount: 40", "amount: -40", "-40 is less than or equal to the minimum of 0"),
    ("month 13", "R", "month: 2024-02", "month: 2024-13", "'2024-13' does not match"),
    ("month without zero", "A", "since: 2024-01", "since: 2024-1", "'2024-1' does not match"),
    ("impossible date", "R", "date: 2024-03-06", "date: 2024-02-30", "'2024-02-30' is not a 'date'"),
    ("status no", "R", "status: published", "status: no", "'no' is not one of ['draft', 'published']"),
    ("published without a date", "R", "published: 2024-03-05\n", "", "'published' is a required property"),
    ("published date empty", "R", "published: 2024-03-05", "published: ~", "None is not of type 'string'"),
    ("amount is a mapping", "R", "amount: 100.00", "amount: {value: 100}", "is not of type 'number', 'string'"),
    ("misspelt type", "A", "type: fee share", "type: fee-share", "'fee-share' is not one of"),
    ("monthly fee as a fee share", "A", "amount: 30%", "amount: $750", "'$750' does not match"),
    ("invalid id", "A", "  acme-spot:", "  Acme_Spot:", "'Acme_Spot' does not match any of the regexes"),
    ("empty name", "A", "name: Acme Spot", "name: ~", "None is not of type"),
    ("http url", "A", "    github: ana-gh\n", "    url: http://ana.example\n", "'http://ana.example' does not match"),
    ("no terms", "A", "    terms:\n      - since: 2024-01\n        type: monthly fee\n        amount: 750 USDT\n",
     "    terms: []\n", "[] should be non-empty"),
    ("empty totals", "R", "payouts:", "totals: {}\npayouts:", "should be non-empty"),
    ("address too short", "A", "    github: ana-gh\n",
     "    accounts:\n      - chain: ethereum\n        address: '0x12'\n", "'0x12' does not match"),
    ("misspelt token field", "A", "connectors:", "tokens:\n  USDC:\n    chain: ethereum\n    contract: '0x" + "1" * 40
     + "'\n    decimal: 6\nconnectors:", "'decimal' was unexpected"),
    ("tx too short", "R", "    date: 2024-03-06\n", "    date: 2024-03-06\n    tx: '0x1234'\n",
     "'0x1234' does not match"),
    ("tx without address", "R", "    date: 2024-03-06\n", f"    date: 2024-03-06\n    tx: '0x{'1' * 64}'\n",
     "'address' is a required property"),
]


@pytest.mark.parametrize("case, kind, old, new, message", INVALID, ids=[case[0] for case in INVALID])
def test_invalid_data_is_refused_by_the_schema_and_the_validator(tmp_path, case, kind, old, new, message):
    agreements = edited(AGREEMENTS, old, new) if kind == "A" else AGREEMENTS
    report = edited(REPORT, old, new) if kind == "R" else REPORT
    data = write_dataset(tmp_path, agreements, {"2024-02.yml": report})
    schema, path = (AGREEMENTS_SCHEMA, data / "agreements.yml") if kind == "A" else \
        (REPORT_SCHEMA, data / "reports" / "2024-02.yml")
    result = check_files(schema, path)
    assert result.returncode == 1 and message in result.stdout, result.stdout + result.stderr
    assert run_cli("check", "--data", str(data)).code == 1


# -- the command --

def run_in(project: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["schema", *args], project=project)
    return code, out.getvalue(), err.getvalue()


def test_schema_check_passes_on_the_repository():
    result = run_cli("schema", "--check")
    assert result.code == 0, result
    assert result.out == "ok: schema/ is up to date\n"


def test_schema_writes_the_files_and_check_names_a_stale_one(tmp_path):
    code, out, _ = run_in(tmp_path)
    assert code == 0 and out.splitlines() == [f"wrote {name}" for name in schema_files()]
    assert run_in(tmp_path, "--check")[0] == 0
    (tmp_path / "schema" / "report.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "schema" / "agreements.schema.json").unlink()
    code, _, err = run_in(tmp_path, "--check")
    assert code == 1
    assert err.splitlines() == [
        "schema/agreements.schema.json: error: missing; expected what `python build.py schema` writes",
        "schema/report.schema.json: error: out of date; expected what `python build.py schema` writes",
    ]
    assert run_in(tmp_path)[0] == 0 and run_in(tmp_path, "--check")[0] == 0
