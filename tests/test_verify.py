"""The record and its verifier: the manifest's hashes by hand and against the contract's example,
every tamper refused with its own message, --since, the stand-alone file under `-I -S` on a folder
and over HTTP, and every site built from random valid data verifies."""

from __future__ import annotations

import ast
import csv
import hashlib
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import AGREEMENTS, CONFORMANCE, JANUARY, MARCH, REPORT, REPORTS, ROOT, computed, run_cli, write_dataset
from conftest import build_data as build
from test_properties import SETTINGS, data_sets, write
from transparency import verify
from transparency.data import data_files
from transparency.pipeline import load_dataset


PUBLISHED = {"2024-01": "2024-02-05", "2024-02": "2024-03-05", "2024-03": "2024-04-05"}


def hexdigest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def check(target, *args: str):
    """`python build.py verify TARGET ARGS`, in this process."""
    return run_cli("verify", str(target), *args)


# --- The record ---------------------------------------------------------------------------------

def test_the_manifest_follows_the_contracts_rule(honest):
    """Each month's figures_sha256 is the hash of its month file, as published, without status and source; the
    chain links them (the contract's rule read again here, without the code under test)."""
    previous, months = "0" * 64, []
    for name, text in REPORTS.items():
        month = name.removesuffix(".yml")
        document = json.loads((honest / "data" / "reports" / f"{month}.json").read_text())
        source, figures = hexdigest(text), hexdigest(contract_figures(document))
        previous = hexdigest(f"{previous}\n{month}\n{source}\n{figures}\n")
        months.append({"month": month, "published": PUBLISHED[month], "source_sha256": source,
                       "figures_sha256": figures, "chain": previous})
    assert json.loads((honest / "data" / "manifest.json").read_text()) == {"contract": "1.2", "currency": "USD",
                                                                           "months": months}


def test_the_record_covers_every_published_fact_of_a_month(honest):
    """The published date, the rates, each line's amount and currency, each payout with its date and reference:
    the figures of contract 1.2 are the whole month file but its status and source."""
    march = json.loads((honest / "data" / "reports" / "2024-03.json").read_text())
    assert march["rates"] == {"USDT": "1.0003"}
    assert march["payouts"] == [{"to": "ana", "date": "2024-04-06", "amount": "200", "currency": "USD",
                                 "paid": "200.00", "reference": "https://explorer.example/tx/0xabc"}]
    original = hexdigest(contract_figures(march))
    for change in (lambda m: m.update(published="2024-04-06"), lambda m: m["rates"].update(USDT="1.0004"),
                   lambda m: m["payouts"][0].update(reference="0xdef"), lambda m: m["payouts"][0].update(date="2024-04-07"),
                   lambda m: m["connectors"][1].update(amount="751"), lambda m: m.update(notes="added")):
        changed = json.loads(json.dumps(march))
        change(changed)
        assert verify.figures_sha256(changed) != original
    for change in (lambda m: m.update(status="draft"), lambda m: m["source"].update(file="elsewhere.yml")):
        changed = json.loads(json.dumps(march))
        change(changed)
        assert verify.figures_sha256(changed) == original


needs_conformance = pytest.mark.skipif(not (CONFORMANCE / "example-1").exists(),
                                       reason="../shared/conformance is not beside the project")


@needs_conformance
def test_the_conformance_examples_record_under_contract_1_2(tmp_path):
    """expected-1.1.json's manifest holds for 1.1 only: under 1.2 its month, published and source_sha256 stand,
    and figures_sha256 and chain are those of the whole month files."""
    built = build(CONFORMANCE / "example-1", tmp_path / "site")
    expected = json.loads((CONFORMANCE / "expected-1.1.json").read_text())["manifest"]
    manifest = json.loads((built / "data" / "manifest.json").read_text())
    assert [{key: entry[key] for key in ("month", "published", "source_sha256")} for entry in manifest["months"]] \
        == [{key: entry[key] for key in ("month", "published", "source_sha256")} for entry in expected["months"]]
    assert not {entry["chain"] for entry in manifest["months"]} & {entry["chain"] for entry in expected["months"]}
    assert check(built).code == 0


def test_drafts_stay_out_of_the_record(tmp_path):
    draft = MARCH.replace("status: published\npublished: 2024-04-05\n", "status: draft\n")
    data = write_dataset(tmp_path / "data", AGREEMENTS, {**REPORTS, "2024-03.yml": draft})
    preview = tmp_path / "preview"
    assert run_cli("build", "--data", str(data), "-o", str(preview), "--data-only", "-q", "--drafts").code == 0
    months = json.loads((preview / "data" / "manifest.json").read_text())["months"]
    assert [entry["month"] for entry in months] == ["2024-01", "2024-02"]


def test_agreements_json_gives_each_terms_entry_its_months_share_and_maintainer(honest):
    connectors = {c["id"]: c for c in json.loads((honest / "data" / "agreements.json").read_text())["connectors"]}
    terms = connectors["acme-spot"]["terms"]
    assert [(t["since"], t["until"], t["maintainer"], t["maintainer_share"]) for t in terms] == [
        ("2024-01", None, "ana", "50%")]
    assert [(t["since"], t["until"], t["maintainer"]) for t in connectors["acme-perp"]["terms"]] \
        == [("2024-01", "2024-06", None)]


@needs_conformance
def test_a_terms_entry_ends_the_month_before_the_next(tmp_path):
    built = build(CONFORMANCE / "example-1", tmp_path / "site")
    connectors = {c["id"]: c for c in json.loads((built / "data" / "agreements.json").read_text())["connectors"]}
    assert [(t["since"], t["until"]) for t in connectors["alpha-spot"]["terms"]] == [("2024-01", "2024-02"),
                                                                                      ("2024-03", None)]


def test_the_published_verifier_is_the_projects_module(honest):
    assert (honest / "data" / "verify.py").read_bytes() == (ROOT / "transparency" / "verify.py").read_bytes()


def test_the_verifier_is_a_leaf_that_imports_only_the_standard_library():
    tree = ast.parse((ROOT / "transparency" / "verify.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {"__future__"}


# --- An honest site holds; every tamper is refused with its own message ---------------------------

def test_an_honest_site_verifies(honest):
    result = check(honest)
    assert result.code == 0, result
    chain = json.loads((honest / "data" / "manifest.json").read_text())["months"][-1]["chain"]
    assert result.out == f"ok: 3 published months verified; the latest, 2024-03, has chain {chain}\n"
    assert result.err == ""


def contract_figures(month: dict) -> str:
    """The contract's canonical figures (1.2), written from its text with json.dumps (not the code under test)."""
    return canonical({key: value for key, value in month.items() if key not in ("status", "source")})


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def reseal(site: Path) -> None:
    """Recompute the manifest's hashes from the month files as they now are: a tamper that also
    rewrites the record, which only a kept copy can tell (the arithmetic must refuse it regardless)."""
    path = site / "data" / "manifest.json"
    manifest = json.loads(path.read_text())
    previous = "0" * 64
    for entry in manifest["months"]:
        month = json.loads((site / "data" / "reports" / f"{entry['month']}.json").read_text())
        entry["figures_sha256"] = hexdigest(contract_figures(month))
        previous = entry["chain"] = hexdigest(f"{previous}\n{entry['month']}\n{entry['source_sha256']}\n"
                                              f"{entry['figures_sha256']}\n")
    path.write_text(json.dumps(manifest))


def edit_json(site: Path, name: str, change) -> None:
    path = site / "data" / name
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")))


def edit_csv(site: Path, name: str, change) -> None:
    path = site / "data" / name
    rows = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue())


def line(month: dict, connector: str) -> dict:
    return next(entry for entry in month["connectors"] if entry["id"] == connector and "adjusts" not in entry)


def person(month: dict, pid: str) -> dict:
    return next(entry for entry in month["maintainers"] if entry["id"] == pid)


def column(rows: list, name: str, month: str, connector: str, value: str) -> None:
    """Set a cell of remittances.csv: `name` of the row of `connector` in `month`."""
    header = rows[0]
    row = next(row for row in rows[1:] if row[header.index("month")] == month
               and row[header.index("connector")] == connector)
    row[header.index(name)] = value


def swap(entries: list) -> None:
    entries[0], entries[1] = entries[1], entries[0]


def _set_share(document: dict, share: str) -> None:
    next(c for c in document["connectors"] if c["id"] == "acme-spot")["terms"][0]["maintainer_share"] = share


FEB = "data/reports/2024-02.json"
TAMPERS = {
    "a figure changed by one cent": (
        lambda s: edit_json(s, "reports/2024-02.json", lambda m: line(m, "acme-spot").update(remitted="100.01")),
        False, [f"{FEB}: figures do not hash to the manifest's figures_sha256 of 2024-02",
                f"{FEB}: line 1 (acme-spot): the maintainer's and the Foundation's parts do not add up to its value; "
                "expected 100.01, found 50.00 + 50.00 = 100.00"]),
    "a cent moved from the Foundation to the maintainer, the record recomputed": (
        lambda s: edit_json(s, "reports/2024-02.json", lambda m: line(m, "acme-spot").update(
            maintainers="50.01", foundation="49.99")),
        True, [f"{FEB}: line 1 (acme-spot): the maintainer's part does not follow the terms in force since 2024-01 "
               "(50% of 100.00); expected 50.00, found 50.01"]),
    "a line dropped": (
        lambda s: edit_json(s, "reports/2024-02.json", lambda m: m["connectors"].pop()),
        True, [f"{FEB}: totals.remitted is not the sum of the lines' values; expected 100.00, found 850.15",
               f"{FEB}: does not hold together, so 9 checks that depend on it were not made (data/months.csv, "
               "data/remittances.csv, data/sponsors/acme.csv and 2 more files)"]),
    "a total changed": (
        lambda s: edit_json(s, "reports/2024-02.json", lambda m: m["totals"].update(remitted="850.16")),
        True, [f"{FEB}: totals.remitted is not the sum of the lines' values; expected 850.15, found 850.16"]),
    "a sponsor's figure changed": (
        lambda s: edit_json(s, "reports/2024-02.json", lambda m: m["sponsors"][0].update(remitted="850.00")),
        True, [f"{FEB}: sponsor acme: remitted is not the sum of its connectors' lines; expected 850.15, "
               "found 850.00"]),
    "a balance that does not carry": (
        lambda s: edit_json(s, "reports/2024-02.json", lambda m: person(m, "ana").update(balance="60.00")),
        True, [f"{FEB}: maintainer ana: the balance does not carry from the month before (40.00 + 50.00 accrued "
               "- 40.00 paid); expected 50.00, found 60.00"]),
    "a CSV row that disagrees": (
        lambda s: edit_csv(s, "remittances.csv", lambda rows: column(rows, "remitted", "2024-02", "acme-spot",
                                                                     "100.10")),
        False, ["data/remittances.csv: row 4: remitted disagrees with the month file; expected 100.00, found 100.10"]),
    "a payout row that disagrees": (
        lambda s: edit_csv(s, "payouts.csv", lambda rows: rows[1].__setitem__(rows[0].index("paid"), "41.00")),
        False, ["data/payouts.csv: row 2: paid disagrees with the month file; expected 40.00, found 41.00"]),
    "a month file missing": (
        lambda s: (s / FEB).unlink(),
        False, [f"{FEB}: is missing; expected the month file of 2024-02, published with the site, found nothing"]),
    "a manifest entry reordered": (
        lambda s: edit_json(s, "manifest.json", lambda m: swap(m["months"])),
        False, ["data/manifest.json: 2024-01 is out of month order; expected a month after 2024-02, found 2024-01"]),
    "a chain value edited": (
        lambda s: edit_json(s, "manifest.json", lambda m: m["months"][1].update(
            chain=("1" if m["months"][1]["chain"][0] == "0" else "0") + m["months"][1]["chain"][1:])),
        False, ["data/manifest.json: the chain of 2024-02 does not recompute from the previous chain and its hashes"]),
    "a truncated manifest": (
        lambda s: (s / "data/manifest.json").write_bytes((s / "data/manifest.json").read_bytes()[:300]),
        False, ["data/manifest.json: is not valid JSON: Unterminated string starting at at line 1, column 265; "
                "expected the record of the published months"]),
    "the manifest's last month cut off": (
        lambda s: edit_json(s, "manifest.json", lambda m: m["months"].pop()),
        False, ["data/summary.json: months are not the manifest's; expected [2024-01, 2024-02], "
                "found [2024-01, 2024-02, 2024-03]",
                "data/remittances.csv: has rows for 2024-03, which is not a published month"]),
    "a share changed in the agreements": (
        lambda s: edit_json(s, "agreements.json", lambda a: _set_share(a, "40%")),
        False, [f"{FEB}: line 1 (acme-spot): the maintainer's part does not follow the terms in force since 2024-01 "
                "(40% of 100.00); expected 40.00, found 50.00"]),
    "a summary figure changed": (
        lambda s: edit_json(s, "summary.json", lambda m: m["sponsors"][0].update(remitted="1.00")),
        False, ["data/summary.json: sponsor acme: remitted is not the sum of the months; expected 2540.46, "
                "found 1.00"]),
}


def refused(site: Path, tamper, sealed: bool) -> list[str]:
    """The lines the check prints for `site` once `tamper` has changed it (and, when `sealed`, the record
    has been recomputed to match): the check must refuse it."""
    tamper(site)
    if sealed:
        reseal(site)
    result = check(site)
    assert result.code == 1, result
    return result.err.splitlines()


@pytest.mark.parametrize("name", TAMPERS)
def test_a_tampered_site_is_refused_with_its_own_message(copy, name):
    tamper, sealed, messages = TAMPERS[name]
    problems = refused(copy, tamper, sealed)
    for message in messages:
        assert any(problem.startswith(message) for problem in problems), (message, problems)
    count = len([problem for problem in problems[:-1] if "that depend on it" not in problem])
    assert problems[-1] == f"{count} discrepanc{'y' if count == 1 else 'ies'}: {copy} does not hold together"
    if sealed:  # the recomputed record hides nothing from the arithmetic
        assert not [p for p in problems if "figures_sha256" in p or "chain" in p], problems


def test_every_discrepancy_is_reported_in_one_run(copy):
    names = ("a payout row that disagrees", "a summary figure changed", "a chain value edited")
    for name in names:
        TAMPERS[name][0](copy)
    problems = check(copy).err
    for name in names:
        assert TAMPERS[name][2][0] in problems, name


def test_what_the_site_sends_is_printed_on_one_line_of_printable_characters(copy):
    eve = {"id": "eve\nok: all verified\x1b[2J", "accrued": "0.00", "paid": "0.00", "balance": "0.00", "flags": []}
    edit_json(copy, "reports/2024-02.json", lambda m: m["maintainers"].append(eve))
    reseal(copy)
    assert check(copy).err.splitlines()[:1] == [
        'data/reports/2024-02.json: maintainers[1].id is the text "eve\\nok: all verified\\u001b[2J"; expected an id: '
        "lowercase letters, digits and '-'"]
    edit_json(copy, "reports/2024-02.json", lambda m: m["maintainers"].pop())
    edit_json(copy, "reports/2024-02.json", lambda m: m["payouts"][0].update(reference="0xabc\nok: all verified"))
    assert check(copy).err.splitlines()[1] == (
        'data/payouts.csv: row 2: reference disagrees with the month file; expected "0xabc\\nok: all verified", '
        'found ""')


# --- --since: the record may only grow -----------------------------------------------------------

def test_a_rewritten_earlier_month_with_a_recomputed_chain_is_refused_with_since(honest, tmp_path):
    kept = tmp_path / "kept.json"
    shutil.copy(honest / "data" / "manifest.json", kept)
    rewritten = {**REPORTS, "2024-01.yml": JANUARY.replace("amount: 80.00", "amount: 81.00")}
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, rewritten), tmp_path / "site")
    assert check(site).code == 0  # consistent in itself: only a kept copy can tell
    result = check(site, "--since", str(kept))
    assert result.code == 1, result
    before = json.loads(kept.read_text())["months"][0]
    after = json.loads((site / "data" / "manifest.json").read_text())["months"][0]
    changed = ("source_sha256", "figures_sha256", "chain")
    assert result.err.splitlines()[0] == (
        f"data/manifest.json: its first month, 2024-01, differs from the kept record {kept}: the kept record belongs "
        "to another site, or this site's record was rewritten from its first month (so does the chain of every month "
        "after it); expected " + ", ".join(f"{key} {before[key]}" for key in changed) + ", found "
        + ", ".join(f"{key} {after[key]}" for key in changed))


def test_a_vanished_month_is_refused_with_since(honest, tmp_path):
    kept = tmp_path / "kept.json"
    shutil.copy(honest / "data" / "manifest.json", kept)
    site = build(write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT}),
                 tmp_path / "site")
    result = check(site, "--since", str(kept))
    assert result.code == 1
    assert result.err.splitlines()[0] == (f"data/manifest.json: is shorter than the kept record {kept}: its last 1 "
                                          "month is gone; expected 2024-03 and what follows, found the record ends "
                                          "before")


def test_a_grown_record_is_accepted_with_since(tmp_path):
    data = write_dataset(tmp_path / "data", AGREEMENTS, {"2024-01.yml": JANUARY, "2024-02.yml": REPORT})
    early = build(data, tmp_path / "early")
    (data / "reports" / "2024-03.yml").write_text(MARCH)
    later = build(data, tmp_path / "later")
    result = check(later, "--since", str(early / "data" / "manifest.json"))
    assert result.code == 0, result
    assert result.out.rstrip().endswith(f"the 2 months of {early / 'data' / 'manifest.json'} are unchanged, "
                                        "1 added since")


@needs_conformance
def test_a_kept_atom_feed_works_as_a_kept_manifest(tmp_path):
    """The golden example's feed is the conformance example's: its entries carry the same chains."""
    feed = Path(__file__).parent / "golden" / "example" / "expected" / "reports" / "feed.xml"
    built = build(CONFORMANCE / "example-1", tmp_path / "site")
    assert check(built, "--since", str(feed)).code == 0
    edit_json(built, "reports/2024-01.json", lambda m: m["connectors"][0].update(sponsor="beta"))
    reseal(built)  # the record recomputed: consistent, but not what the feed's readers kept
    result = check(built, "--since", str(feed))
    assert result.code == 1
    assert result.err.startswith(f"data/manifest.json: its first month, 2024-01, differs from the kept record {feed}")


def test_since_needs_a_manifest_or_a_feed(honest, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text('{"no": "months"}')
    for since in (str(junk), str(tmp_path / "missing.json")):
        result = check(honest, "--since", since)
        assert result.code == 2 and "nothing was verified" in result.err, result


def test_an_unreadable_target_exits_2(tmp_path):
    for target in (tmp_path / "nowhere", tmp_path):  # no folder; a folder without data/manifest.json
        result = check(target)
        assert result.code == 2, result
        assert "nothing was verified" in result.err and "Traceback" not in result.err


# --- The stand-alone file: python3 -I -S verify.py, on a folder and over HTTP ----------------------

def standalone(site: Path, target: str, *args: str) -> subprocess.CompletedProcess:
    """The site's own data/verify.py in a Python without site-packages or the user's environment."""
    return subprocess.run([sys.executable, "-I", "-S", str(site / "data" / "verify.py"), target, *args],
                          capture_output=True, text=True, timeout=60, cwd=site.parent)


def test_standalone_on_a_folder(honest, copy):
    assert standalone(honest, str(honest)).returncode == 0
    TAMPERS["a figure changed by one cent"][0](copy)
    refused = standalone(honest, str(copy))
    assert refused.returncode == 1 and "do not add up" in refused.stderr


class Server:
    """A web server in a thread, serving `root`; `routes` answer some paths themselves."""

    def __init__(self, root: Path, routes: dict | None = None):
        routes = routes or {}

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self):
                for prefix, answer in routes.items():
                    if self.path.startswith(prefix):
                        return answer(self)
                return super().do_GET()

            def log_message(self, *args):
                pass

        class Quiet(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that gave up: the test says what it expects of the client

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def redirect(location: str):
    def answer(handler):
        handler.send_response(302)
        handler.send_header("Location", location.format(port=handler.server.server_address[1], path=handler.path))
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def moved(handler):
    """Serve /moved/PATH as PATH."""
    handler.path = handler.path.removeprefix("/moved")
    http.server.SimpleHTTPRequestHandler.do_GET(handler)


def test_standalone_over_http(honest, copy):
    with Server(honest) as server:
        result = standalone(honest, server.url)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("ok: 3 published months verified")
    TAMPERS["a figure changed by one cent"][0](copy)
    with Server(copy.parent) as server:  # a site under a path, as on GitHub Pages
        result = standalone(honest, server.url + "site")
        assert result.returncode == 1 and "do not add up" in result.stderr


def test_a_redirect_within_the_origin_is_followed(honest):
    with Server(honest, {"/data/summary.json": redirect("/moved{path}"), "/moved/": moved}) as server:
        result = check(server.url)
    assert result.code == 0, result


def test_a_redirect_to_another_host_is_refused(honest):
    """The other host (the same server under another name) would answer with the file: only the origin refuses it."""
    with Server(honest, {"/data/manifest.json": redirect("http://localhost:{port}/moved{path}"),
                         "/moved/": moved}) as server:
        result = check(server.url)
    assert (result.code, result.err.splitlines()) == (2, [
        f"data/manifest.json: redirected to http://localhost:{server.port}/moved/data/manifest.json, another origin; "
        f"expected every file from http://127.0.0.1:{server.port}",
        f"error: cannot read {server.url}; nothing was verified"])


def test_an_oversized_response_is_refused(honest):
    def endless(handler):  # no Content-Length: the cap must hold while reading
        handler.send_response(200)
        handler.end_headers()
        for _ in range(64):
            handler.wfile.write(b" " * 65536)

    def declared(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(10 ** 9))
        handler.end_headers()

    for answer in (endless, declared):
        with Server(honest, {"/data/summary.json": answer}) as server:
            result = check(server.url, "--max-bytes", "1000000")
        assert (result.code, result.err.splitlines()) == (2, [
            "data/summary.json: larger than 1000000 bytes; expected at most that for one file (--max-bytes)",
            f"error: cannot read {server.url}; nothing was verified"])


def test_a_slow_site_times_out(honest):
    def slow(handler):
        time.sleep(3)

    with Server(honest, {"/data/summary.json": slow}) as server:
        started = time.monotonic()
        result = check(server.url, "--timeout", "0.5")
    assert result.code == 2 and "data/summary.json: no complete answer from" in result.err, result
    assert time.monotonic() - started < 3


def test_a_site_that_is_not_there_exits_2(honest):
    with Server(honest / "data") as server:  # no data/manifest.json under this address
        result = check(server.url)
    assert result.code == 2 and "data/manifest.json: not found" in result.err


# --- Random data: every honest site verifies; any cent changed is refused; no input crashes it ------

def verified(folder: Path) -> list[str]:
    """The discrepancies the verifier finds in the site under `folder`."""
    return verify.Verifier(verify.Folder(str(folder))).run().lines()


def built_site(tmp_path: Path, generated) -> Path:
    dataset, diagnostics = load_dataset(write(tmp_path / "d", *generated))
    assert dataset is not None, "\n".join(map(str, diagnostics))
    out = tmp_path / "site"
    shutil.rmtree(out, ignore_errors=True)
    for name, content in data_files(dataset, *computed(dataset)).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    return out


@SETTINGS
@given(data_sets())
def test_every_site_built_from_random_valid_data_verifies(tmp_path, generated):
    site = built_site(tmp_path, generated)
    assert verified(site) == []
    for entry in json.loads((site / "data" / "manifest.json").read_text())["months"]:
        month = json.loads((site / "data" / "reports" / f"{entry['month']}.json").read_text())
        assert entry["figures_sha256"] == hexdigest(contract_figures(month))


@SETTINGS
@given(data_sets(), st.data())
def test_a_cent_changed_anywhere_is_refused(tmp_path, generated, data):
    site = built_site(tmp_path, generated)
    months = sorted((site / "data" / "reports").glob("*.json"))
    lines = [(path, index, key) for path in months
             for index, _ in enumerate(json.loads(path.read_text())["connectors"])
             for key in ("remitted", "maintainers", "foundation")]
    if not lines:
        return
    path, index, key = data.draw(st.sampled_from(lines))
    edit_json(site, path.relative_to(site / "data").as_posix(), lambda m: m["connectors"][index].update(
        {key: f"{float(m['connectors'][index][key]) + 0.01:.2f}"}))
    reseal(site)
    assert verified(site) != []


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children,
                                                                                          max_size=3), max_leaves=8)


def paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*here, index))


@SETTINGS
@given(st.data(), JSON)
def test_no_published_content_makes_the_verifier_fail_with_a_traceback(tmp_path, honest, data, value):
    site = tmp_path / "fuzz"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(honest, site)
    honest_files = {p.relative_to(honest).as_posix(): p.read_bytes() for p in honest.rglob("*.json")}
    name = data.draw(st.sampled_from(sorted(honest_files)))
    document = json.loads(honest_files[name])
    where = data.draw(st.sampled_from(list(paths(document))))
    if not where:
        document = value
    else:
        node = document
        for step in where[:-1]:
            node = node[step]
        node[where[-1]] = value
    (site / name).write_text(json.dumps(document))
    verified(site)  # reports what it finds, and never raises


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)


@SETTINGS
@given(st.dictionaries(TEXT | st.sampled_from(["status", "source", "month", "rates"]), JSON, max_size=6))
def test_the_canonical_figures_are_the_contracts_json_dumps(document):
    assert verify.figures_text(document) == contract_figures(document)
