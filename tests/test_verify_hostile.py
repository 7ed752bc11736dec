"""The verifier against a site made by an adversary: every class of attack of issue 16 refused with its own
exit status and message, a site changed at random never passing unless unchanged, bounded reads (links, FIFOs,
devices, sizes, a server that drips, truncates, lies about sizes or redirects), and the oldest Python it claims."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AGREEMENTS, REPORTS, ROOT, run_cli, skip_unless_required, write_dataset
from test_properties import data_sets
from test_verify import Server, build, built_site, check, edit_csv, edit_json, reseal
from transparency import verify

FEB = "reports/2024-02.json"


def refused(site, *args: str, code: int = 1) -> list[str]:
    result = check(site, *args)
    assert result.code == code, result
    assert "Traceback" not in result.err and result.out == ""
    return result.err.splitlines()


def kept_manifest(site: Path, tmp_path: Path) -> Path:
    kept = tmp_path / "kept-manifest.json"
    shutil.copy(site / "data" / "manifest.json", kept)
    return kept


# --- A gutted record is never "unchanged" ---------------------------------------------------------

def test_a_null_manifest_is_no_record(copy, tmp_path):
    kept = kept_manifest(copy, tmp_path)
    (copy / "data" / "manifest.json").write_text("null")
    edit_json(copy, "summary.json", lambda s: [entry.pop(key) for entry in s["maintainers"]
                                               for key in ("owed_since", "days_to_pay")])
    assert refused(copy, "--since", str(kept)) == [
        "data/manifest.json: is null; expected the record of the published months, an object",
        f"data/manifest.json: lists nothing that can be read, but the kept record {kept} lists 3 months; expected "
        "the 3 months kept, 2024-01 to 2024-03, then any added since, found none",
        "data/manifest.json: could not be checked, so 4 checks that depend on it were not made (data/months.csv, "
        "data/payouts.csv, data/remittances.csv, data/summary.json)",
        f"2 discrepancies: {copy} does not hold together"]


def test_an_emptied_record_is_no_record(copy, tmp_path):
    kept = kept_manifest(copy, tmp_path)
    edit_json(copy, "manifest.json", lambda m: m["months"].clear())
    problems = refused(copy, "--since", str(kept))
    assert problems[0] == (f"data/manifest.json: lists no months, but the kept record {kept} lists 3 months; "
                           "expected the 3 months kept, 2024-01 to 2024-03, then any added since, found none")
    assert "data/summary.json: months are not the manifest's; expected [], found [2024-01, 2024-02, 2024-03]" \
        in problems


def test_a_shorter_record_is_refused(copy, tmp_path):
    kept = kept_manifest(copy, tmp_path)
    edit_json(copy, "manifest.json", lambda m: m["months"].pop())
    assert refused(copy, "--since", str(kept))[0] == (
        f"data/manifest.json: is shorter than the kept record {kept}: its last 1 month is gone; expected 2024-03 "
        "and what follows, found the record ends before")


def republished(site: Path, day: str) -> None:
    """February's published date rewritten in the manifest and the month file, every hash recomputed."""
    edit_json(site, FEB, lambda m: m.update(published=day))
    edit_json(site, "manifest.json", lambda m: m["months"][1].update(published=day))
    edit_csv(site, "months.csv", lambda rows: rows[2].__setitem__(rows[0].index("published"), day))
    edit_csv(site, "people/ana.csv", lambda rows: [row.__setitem__(rows[0].index("date"), day) for row in rows
                                                   if row[0] == "2024-02" and row[2] == "remittance"])
    reseal(site)


def test_a_rewritten_published_date_is_refused_with_the_kept_feed(copy, tmp_path):
    """The date drives the waiting figures: rewritten in the manifest and the month file, it shows in them; and a
    site rebuilt from a report with another date, consistent in itself, is refused by the feed kept from before."""
    full = build_full(write_dataset(tmp_path / "data", AGREEMENTS, REPORTS), tmp_path / "full")
    feed = tmp_path / "feed.xml"
    shutil.copy(full / "reports" / "feed.xml", feed)
    republished(copy, "2024-03-01")
    assert "data/summary.json: days_to_pay does not follow from the months and payouts" in "\n".join(refused(copy))
    assert refused(copy, "--since", str(feed))[0].startswith(
        f"data/manifest.json: 2024-02 changed since the kept record {feed} (so does the chain of every month after "
        "it); expected published 2024-03-05, figures_sha256 ")
    later = {**REPORTS, "2024-02.yml": REPORTS["2024-02.yml"].replace("published: 2024-03-05", "published: 2024-03-01")}
    rebuilt = build(write_dataset(tmp_path / "later", AGREEMENTS, later), tmp_path / "rebuilt")
    assert check(rebuilt).code == 0
    assert refused(rebuilt, "--since", str(feed))[0].startswith(
        f"data/manifest.json: 2024-02 changed since the kept record {feed} (so does the chain of every month after "
        "it); expected published 2024-03-05, source_sha256 ")


def build_full(data: Path, out: Path) -> Path:
    result = run_cli("build", "--data", str(data), "-o", str(out), "-q")
    assert result.code == 0, result
    return out


def test_a_swapped_reference_is_in_the_record(copy, tmp_path):
    """A payout's reference (the evidence) is part of figures_sha256: swapped everywhere, only the kept record tells."""
    kept = kept_manifest(copy, tmp_path)
    edit_json(copy, FEB, lambda m: m["payouts"][0].update(reference="0xforged"))
    assert refused(copy)[:2] == [
        "data/reports/2024-02.json: figures do not hash to the manifest's figures_sha256 of 2024-02; expected "
        + json.loads((copy / "data" / "manifest.json").read_text())["months"][1]["figures_sha256"] + ", found "
        + hashlib.sha256(verify.figures_text(json.loads((copy / "data" / FEB).read_text())).encode()).hexdigest(),
        'data/payouts.csv: row 2: reference disagrees with the month file; expected 0xforged, found ""']
    edit_csv(copy, "payouts.csv", lambda rows: rows[1].__setitem__(rows[0].index("reference"), "0xforged"))
    edit_csv(copy, "people/ana.csv", lambda rows: [row.__setitem__(rows[0].index("reference"), "0xforged")
                                                   for row in rows if row[2] == "payout" and row[0] == "2024-02"])
    reseal(copy)
    assert check(copy).code == 0
    assert refused(copy, "--since", str(kept))[0].startswith(
        f"data/manifest.json: 2024-02 changed since the kept record {kept} (so does the chain of every month after "
        "it); expected figures_sha256 ")


@pytest.mark.parametrize("name, what", [("summary.json", "the summary of all published months"),
                                        ("years/2024.json", "the figures of 2024"),
                                        ("agreements.json", "the agreements")])
def test_a_null_file_is_not_skipped(copy, name, what):
    (copy / "data" / name).write_text("null")
    assert refused(copy)[0] == f"data/{name}: is null; expected {what}, an object"


@pytest.mark.parametrize("name, column, row, message", [
    ("months.csv", "paid", 2, "data/months.csv: row 3: paid disagrees with the month file; expected 40.00, found 40.01"),
    ("people/ana.csv", "balance", 2, "data/people/ana.csv: row 3: balance disagrees with the month file; expected "
                                     "90.00, found 90.01"),
    ("sponsors/acme.csv", "remitted", 3, "data/sponsors/acme.csv: row 4: remitted disagrees with the month file; "
                                         "expected 100.00, found 100.01"),
])
def test_every_csv_file_is_read(copy, name, column, row, message):
    def cent_more(rows):
        cell = rows[row][rows[0].index(column)]
        rows[row][rows[0].index(column)] = f"{float(cell) + 0.01:.2f}"
    edit_csv(copy, name, cent_more)
    assert refused(copy) == [message, f"1 discrepancy: {copy} does not hold together"]


def test_a_statement_implied_by_the_months_must_be_there(copy):
    (copy / "data" / "people" / "ana.csv").unlink()
    (copy / "data" / "sponsors" / "acme.csv").unlink()
    assert refused(copy)[:2] == [
        "data/people/ana.csv: is missing; expected the CSV file, published with the site, found nothing",
        "data/sponsors/acme.csv: is missing; expected the CSV file, published with the site, found nothing"]


# --- Strict documents -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ('{"contract": "1.2", "currency": "USD", "currency": "EUR", "months": []}',
     "data/manifest.json: has the key currency twice in one object; expected each key once; expected the record of "
     "the published months"),
    ('{"contract": "1.2", "currency": "USD", "months": [], "x": NaN}',
     'data/manifest.json: holds NaN, which is not a number; expected amounts as strings, like "12.50"; expected the '
     "record of the published months"),
    ('{"contract": 1.2, "currency": "USD", "months": []}',
     'data/manifest.json: holds the number 1.2; expected amounts as strings, like "12.50"; expected the record of '
     "the published months"),
    ('{"contract": "1.2", "currency": "USD", "months": [' + "9" * 40 + "]}",
     "data/manifest.json: holds a number of 40 digits; expected counts of days and months; expected the record of the "
     "published months"),
    ("[" * 10 ** 6 + "]" * 10 ** 6,
     "data/manifest.json: holds 1000000 objects and lists in 2000000 characters; expected the data of a site, not a "
     "flood of brackets; expected the record of the published months"),
    ('{"contract": "1.2", "currency": "\\ud800", "months": []}',
     "data/manifest.json: holds a lone surrogate (a \\ud800 to \\udfff escape alone), which is not text; expected "
     "the record of the published months"),
    ('\ufeff{"contract": "1.2", "currency": "USD", "months": []}',
     "data/manifest.json: begins with a byte order mark; expected text as the site writes it; expected the record "
     "of the published months"),
    (b'{"contract": "1.2", "currency": "\xff", "months": []}',
     "data/manifest.json: is not UTF-8 text (byte 34 cannot be read); expected the record of the published months"),
    ('{"contract": "1.2", "currency": "USD", "months": [' + "[" * 50000 + " " * 800000 + "]" * 50000 + "]}",
     "data/manifest.json: is nested too deeply; expected the data of a site; expected the record of the published "
     "months"),
])
def test_a_document_that_is_not_json_as_the_site_writes_it(copy, text, message):
    path = copy / "data" / "manifest.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    assert refused(copy)[0] == message


@pytest.mark.parametrize("value", ["1_520.40", "１.５", "1e3", "1.5", "-0.00", " 40.00", "40.00 ", "+40.00"])
def test_amounts_in_csv_are_read_as_strictly_as_in_json(copy, value):
    edit_csv(copy, "payouts.csv", lambda rows: rows[1].__setitem__(rows[0].index("paid"), value))
    assert refused(copy)[0] == (f"data/payouts.csv: row 2: paid disagrees with the month file; expected 40.00, found "
                                f"{verify._show(value)}")


def test_a_duplicated_csv_column_is_refused(copy):
    def paid_twice(rows):
        rate, paid = rows[0].index("rate"), rows[0].index("paid")
        for row in rows:
            row[rate] = row[paid]
    edit_csv(copy, "payouts.csv", paid_twice)
    assert refused(copy)[0] == "data/payouts.csv: has the column paid twice; expected each column once"


@pytest.mark.parametrize("rate, message", [
    ("1e999999", 'data/reports/2024-02.json: rates.USDT is the text "1e999999"; expected a number greater than 0 as '
                 'a string, like "1520.40"'),
    ("9" * 30 + "." + "9" * 40, "data/reports/2024-02.json: line 2 (acme-perp): remitted is not round(amount x rate) "
                                "= round(750 USDT x " + "9" * 30 + "." + "9" * 40 + "); expected "
                                f"{Decimal(750) * Decimal('1e30'):.2f}, found 750.15"),
    ("Infinity", 'data/reports/2024-02.json: rates.USDT is the text "Infinity"; expected a number greater than 0 as '
                 'a string, like "1520.40"'),
])
def test_a_rate_that_would_overflow_is_reported(copy, rate, message):
    edit_json(copy, FEB, lambda m: m["rates"].update(USDT=rate))
    reseal(copy)
    assert refused(copy)[0] == message


# --- Bounded reads: only regular files inside the site ---------------------------------------------

def test_a_link_to_a_device_is_not_read(copy):
    (copy / "data" / FEB).unlink()
    (copy / "data" / FEB).symlink_to("/dev/zero")
    started = time.monotonic()
    assert refused(copy, code=2) == [
        "data/reports/2024-02.json: a link that leads out of the site, to /dev/zero; expected a regular file inside "
        f"{copy}", f"error: cannot read {copy}; nothing was verified"]
    assert time.monotonic() - started < 5


def test_a_device_inside_the_site_is_not_read(copy):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    (copy / "data" / FEB).unlink()
    try:
        os.mknod(copy / "data" / FEB, 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero's
    except (PermissionError, AttributeError):
        pytest.skip("making a device needs root")
    assert refused(copy, code=2)[0] == "data/reports/2024-02.json: is a device; expected a regular file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_waited_on(copy):
    (copy / "data" / "summary.json").unlink()
    os.mkfifo(copy / "data" / "summary.json")
    started = time.monotonic()
    assert refused(copy, code=2)[0] == "data/summary.json: is a FIFO; expected a regular file"
    assert time.monotonic() - started < 5


def test_a_link_out_of_the_site_is_not_followed(copy, tmp_path):
    outside = tmp_path / "outside.json"
    shutil.copy(copy / "data" / "summary.json", outside)
    (copy / "data" / "summary.json").unlink()
    (copy / "data" / "summary.json").symlink_to(outside)
    assert refused(copy, code=2)[0] == (f"data/summary.json: a link that leads out of the site, to {outside}; expected "
                                        f"a regular file inside {copy}")


def test_a_folder_linked_out_of_the_site_is_not_followed(copy, tmp_path):
    shutil.move(copy / "data" / "people", tmp_path / "people")
    (copy / "data" / "people").symlink_to(tmp_path / "people")
    assert refused(copy, code=2)[0].startswith("data/people/ana.csv: a link that leads out of the site")


def test_a_link_within_the_site_is_a_file_of_the_site(copy):
    shutil.move(copy / "data" / "summary.json", copy / "summary-copy.json")
    (copy / "data" / "summary.json").symlink_to("../summary-copy.json")
    assert check(copy).code == 0


def test_a_site_that_is_a_link_is_read(copy, tmp_path):
    (tmp_path / "link").symlink_to(copy)
    assert check(tmp_path / "link").code == 0


def test_a_file_larger_than_the_cap_ends_the_check(copy):
    with open(copy / "data" / "summary.json", "a") as summary:
        summary.write(" " * 10000)
    assert refused(copy, "--max-bytes", "9999", code=2)[0] == (
        "data/summary.json: larger than 9999 bytes; expected at most that for one file (--max-bytes)")


def test_the_files_together_are_capped(copy):
    assert refused(copy, "--max-total", "5000", code=2)[0].endswith(
        "the files read come to more than 5000 bytes in all; expected at most that (--max-total)")


# --- Bounded reads over HTTP ----------------------------------------------------------------------

def drip(handler):
    """One byte every half second, for ever: each read comes in time, the whole never does."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(100000):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        pass


def drip_headers(handler):
    """The status line, then headers a byte at a time."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(100000):
            handler.wfile.write(b"X")
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        pass


@pytest.mark.parametrize("answer", [drip, drip_headers])
def test_a_server_that_drips_is_given_up_on_at_the_deadline(honest, answer):
    with Server(honest, {"/data/summary.json": answer}) as server:
        started = time.monotonic()
        problems = refused(server.url, "--timeout", "3", code=2)
        took = time.monotonic() - started
    assert problems == [f"data/summary.json: no complete answer from {server.url}data/summary.json within 3 s "
                        "(--timeout)", f"error: cannot read {server.url}; nothing was verified"]
    assert took < 5


def test_a_truncated_answer_is_unreadable(honest):
    def truncated(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.write(b"{")
        handler.close_connection = True

    with Server(honest, {"/data/summary.json": truncated}) as server:
        assert refused(server.url, code=2)[0] == (f"data/summary.json: the answer from {server.url}data/summary.json "
                                                  "ended before its end")


def test_a_wrong_content_type_changes_nothing(honest):
    def as_html(handler):
        body = (honest / "data" / "summary.json").read_bytes()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with Server(honest, {"/data/summary.json": as_html}) as server:
        assert check(server.url).code == 0


def test_redirects_stop_after_five(honest):
    def loop(handler):
        handler.send_response(302)
        handler.send_header("Location", handler.path + "x")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with Server(honest, {"/data/summary.json": loop}) as server:
        assert refused(server.url, code=2)[0] == (f"data/summary.json: more than 5 redirects from {server.url}data/"
                                                  "summary.json")


def test_a_server_that_accepts_and_says_nothing(honest):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    try:
        started = time.monotonic()
        problems = refused(f"http://127.0.0.1:{port}/", "--timeout", "1", code=2)
        assert problems[0] == (f"data/manifest.json: no complete answer from http://127.0.0.1:{port}/data/manifest.json "
                               "within 1 s (--timeout)")
        assert time.monotonic() - started < 3
    finally:
        listener.close()


def test_peak_memory_over_http_is_bounded_by_the_caps_not_the_site(honest, tmp_path):
    """A server that sends 200 MB for a file: with --max-bytes 1000000 the verifier's memory stays small."""
    def flood(handler):
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(200 * 16):
                handler.wfile.write(b" " * 65536)
        except OSError:
            pass

    if not Path("/proc/self/status").exists():
        pytest.skip("the peak memory of a process is read from /proc")
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would count the forked pytest.
    script = ("import re, sys; sys.path.insert(0, sys.argv[1]); import verify; "
              "code = verify.main([sys.argv[2], '--max-bytes', '1000000']); "
              "print(code, re.search(r'VmHWM:\\s*(\\d+) kB', open('/proc/self/status').read())[1])")
    with Server(honest, {"/data/summary.json": flood}) as server:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", script, str(honest / "data"), server.url],
                              capture_output=True, text=True, timeout=60)
    code, peak_kib = done.stdout.split()
    assert code == "2" and int(peak_kib) < 100 * 1024, done


# --- A site changed at random: exit 1 or 2, never 0 unless unchanged, never a traceback -----------

def read_by_the_verifier(site: Path) -> list[str]:
    """The files of a site that the verifier reads (not the page, the schemas, the Data Package or itself)."""
    patterns = ("data/manifest.json", "data/agreements.json", "data/summary.json", "data/reports/*.json",
                "data/years/*.json", "data/remittances.csv", "data/payouts.csv", "data/months.csv", "data/people/*.csv",
                "data/sponsors/*.csv")
    return sorted({path.relative_to(site).as_posix() for pattern in patterns for path in site.glob(pattern)})


def mutations(site: Path):
    files = read_by_the_verifier(site)
    name = st.sampled_from(files)
    return st.one_of(
        st.tuples(st.just("byte"), name, st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
        st.tuples(st.just("field"), st.sampled_from([f for f in files if f.endswith(".json")]), st.integers(0, 10 ** 6),
                  st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.just("0.00") | st.just([])
                  | st.just({})),
        st.tuples(st.just("row"), st.sampled_from([f for f in files if f.endswith(".csv")]), st.integers(0, 10 ** 6),
                  st.sampled_from(["drop", "copy", "swap"])),
        st.tuples(st.just("file"), name, st.sampled_from(["remove", "empty", "replace", "link-in", "link-out",
                                                          "dev-zero", "fifo"]), st.binary(max_size=40)),
    )


def leaves(node, here=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*here, index))
    yield here


def mutate(site: Path, mutation, outside: Path) -> None:
    kind, name, *rest = mutation
    path = site / name
    if kind != "file" and (path.is_symlink() or not path.is_file()):
        return  # removed or replaced by an earlier mutation
    if kind == "byte":
        data = bytearray(path.read_bytes())
        if data:
            data[rest[0] % len(data)] = rest[1]
        path.write_bytes(bytes(data))
    elif kind == "field":
        try:
            document = json.loads(path.read_bytes())
        except ValueError:
            return
        places = list(leaves(document))
        where = places[rest[0] % len(places)]
        if not where:
            document = rest[1]
        else:
            node = document
            for step in where[:-1]:
                node = node[step]
            node[where[-1]] = rest[1]
        path.write_text(json.dumps(document))
    elif kind == "row":
        lines = path.read_bytes().splitlines(keepends=True)
        if len(lines) > 1:
            index = 1 + rest[0] % (len(lines) - 1)
            if rest[1] == "drop":
                del lines[index]
            elif rest[1] == "copy":
                lines.insert(index, lines[index])
            else:
                lines[index], lines[index - 1] = lines[index - 1], lines[index]
        path.write_bytes(b"".join(lines))
    else:
        what, content = rest
        if path.is_dir() and not path.is_symlink():
            return
        path.unlink(missing_ok=True)
        if what == "empty":
            path.write_bytes(b"")
        elif what == "replace":
            path.write_bytes(content)
        elif what == "link-in":
            path.symlink_to(os.path.relpath(site / "data" / "manifest.json", path.parent))
        elif what == "link-out":
            path.symlink_to(outside)
        elif what == "dev-zero":
            path.symlink_to("/dev/zero")
        elif what == "fifo" and hasattr(os, "mkfifo"):
            os.mkfifo(path)


DESCRIPTIONS = {"foundation": ("name", "url", "notice", "license"), "people": ("name", "github", "url"),
                "sponsors": ("name", "url"), "connectors": ("name", "docs")}


def without_descriptions(agreements):
    """agreements.json without the names, links and notice, which no other file repeats and so no one can check."""
    try:
        for section, keys in DESCRIPTIONS.items():
            for entry in [agreements[section]] if section == "foundation" else agreements[section]:
                for key in keys:
                    if isinstance(entry.get(key), str) or (key != "name" and key in entry and entry[key] is None):
                        entry[key] = "(described)"
    except (KeyError, TypeError, AttributeError):
        pass  # not of the right shape: compared as it is
    return agreements


def contents(site: Path) -> dict | None:
    """What the verifier reads of a site, JSON files in canonical form; None when one is a link or not a file."""
    result = {}
    for name in read_by_the_verifier(site):
        path = site / name
        if path.is_symlink() or not path.is_file():
            return None
        data = path.read_bytes()
        try:
            document = json.loads(data)
        except ValueError:
            result[name] = data
            continue
        if name == "data/agreements.json":
            document = without_descriptions(document)
        result[name] = verify.canonical(document)
    return result if set(result) == set(read_by_the_verifier(site)) else None


HOSTILE = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def original(honest):
    found = contents(honest)
    assert found is not None
    return found


@HOSTILE
@given(data=st.data())
def test_a_site_changed_at_random_in_a_folder_is_refused(honest, tmp_path_factory, original, data):
    tmp = tmp_path_factory.mktemp("random")
    site = Path(shutil.copytree(honest, tmp / "site"))
    outside = tmp / "outside.json"
    outside.write_bytes((honest / "data" / "summary.json").read_bytes())
    for mutation in data.draw(st.lists(mutations(site), min_size=1, max_size=3)):
        mutate(site, mutation, outside)
    started = time.monotonic()
    result = check(site, "--timeout", "5")
    assert time.monotonic() - started < 20
    assert "Traceback" not in result.err
    unchanged = contents(site) == original and not any(path.is_symlink() or path.is_fifo() for path in
                                                       site.rglob("*"))
    assert result.code in ((0,) if unchanged else (1, 2)), (result, unchanged)


@HOSTILE
@given(generated=data_sets(), data=st.data())
def test_a_site_of_random_data_changed_at_random_is_refused(tmp_path_factory, generated, data):
    """Sites the tests never wrote by hand: built from random valid data, then broken at random."""
    tmp = tmp_path_factory.mktemp("random-data")
    site = built_site(tmp, generated)
    before = contents(site)
    outside = tmp / "outside.json"
    outside.write_bytes(b"{}")
    for mutation in data.draw(st.lists(mutations(site), min_size=1, max_size=2)):
        mutate(site, mutation, outside)
    result = check(site, "--timeout", "5")
    assert "Traceback" not in result.err
    unchanged = contents(site) == before and not any(path.is_symlink() or path.is_fifo() for path in site.rglob("*"))
    assert result.code in ((0,) if unchanged else (1, 2)), (result, unchanged)


class Misbehaving:
    """Serves a folder, and misbehaves on one path the way it is told."""

    def __init__(self, root: Path, path: str, how: str):
        self.root, self.path, self.how = root, path, how

    def __call__(self, handler):
        body = (self.root / self.path.lstrip("/")).read_bytes() if (self.root / self.path.lstrip("/")).is_file() \
            else b""
        how = self.how
        if how == "redirect-same":
            handler.send_response(301)
            handler.send_header("Location", "/moved" + self.path)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if how == "redirect-away":
            handler.send_response(302)
            handler.send_header("Location", f"http://localhost:{handler.server.server_address[1]}{self.path}")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream" if how == "content-type" else "text/plain")
        if how == "truncated":
            handler.send_header("Content-Length", str(len(body) + 100))
        elif how == "oversized":
            handler.send_header("Content-Length", str(10 ** 12))
        elif how not in ("no-length", "slow"):
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            if how == "slow":
                for index in range(0, len(body), max(1, len(body) // 20)):
                    handler.wfile.write(body[index:index + max(1, len(body) // 20)])
                    handler.wfile.flush()
                    time.sleep(0.3)
            else:
                handler.wfile.write(body)
        except OSError:
            pass
        handler.close_connection = True


HARMLESS = ("content-type", "no-length", "redirect-same")


@settings(HOSTILE, max_examples=30)  # each slow answer waits out its deadline
@given(data=st.data())
def test_a_site_changed_at_random_over_a_misbehaving_server_is_refused(honest, tmp_path_factory, original,
                                                                       data):
    tmp = tmp_path_factory.mktemp("random-web")
    site = Path(shutil.copytree(honest, tmp / "site"))
    outside = tmp / "outside.json"
    outside.write_bytes(b"{}")
    for mutation in data.draw(st.lists(mutations(site), max_size=2)):
        if mutation[0] == "file" and mutation[2] == "fifo":
            continue  # a web server does not serve FIFOs
        mutate(site, mutation, outside)
    path = "/" + data.draw(st.sampled_from(read_by_the_verifier(honest)))
    how = data.draw(st.sampled_from(HARMLESS + ("truncated", "oversized", "slow", "redirect-away")))
    routes = {path: Misbehaving(site, path, how), "/moved/": lambda h: Misbehaving(site, h.path[6:], "plain")(h)}
    with Server(site, routes) as server:
        started = time.monotonic()
        result = check(server.url, "--timeout", "2", "--max-bytes", "10000000")
        assert time.monotonic() - started < 30
    assert "Traceback" not in result.err
    unchanged = contents(site) == original
    assert result.code in ((0,) if unchanged and how in HARMLESS else (1, 2)), (result, how, path)


# --- The oldest Python it runs on ----------------------------------------------------------------

DECLARED = (3, 7)  # what verify.py's docstring says: "Python 3.7 or later"


def test_the_docstring_declares_the_oldest_python():
    assert f"Python {DECLARED[0]}.{DECLARED[1]} or later" in verify.__doc__


def test_vermin_finds_no_newer_python_needed():
    vermin = shutil.which("vermin") or str(Path(sys.executable).parent / "vermin")
    if not Path(vermin).exists():
        skip_unless_required("vermin is not installed", "REQUIRE_VERMIN")
    done = subprocess.run([vermin, "--no-tips", "--violations", f"-t={DECLARED[0]}.{DECLARED[1]}-",
                           str(ROOT / "transparency" / "verify.py")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([vermin, "--no-tips", str(ROOT / "transparency" / "verify.py")], capture_output=True,
                          text=True, timeout=120)
    assert f"Minimum required versions: {DECLARED[0]}.{DECLARED[1]}" in done.stdout, done.stdout


def pythons() -> list[str]:
    """Every Python 3 of this machine (those of pyenv too), one per minor version."""
    found: dict[str, str] = {}
    candidates = [shutil.which(f"python3.{minor}") for minor in range(DECLARED[1], 20)]
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(path / "bin" / "python3") for path in sorted(root.glob("3.*"))] if root.is_dir() else []
    for candidate in filter(None, candidates):
        try:
            version = subprocess.run([candidate, "-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                     capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if version and tuple(map(int, version.split("."))) >= DECLARED:
            found.setdefault(version, candidate)
    return [found[version] for version in sorted(found, key=lambda v: tuple(map(int, v.split("."))))]


def test_every_python_of_this_machine_runs_it(honest, copy):
    edit_json(copy, FEB, lambda m: m["totals"].update(paid="41.00"))
    found = pythons()
    assert found, "no Python found"
    for python in found:
        for site, code in ((honest, 0), (copy, 1)):
            done = subprocess.run([python, "-I", "-S", str(ROOT / "transparency" / "verify.py"), str(site)],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == code and "Traceback" not in done.stderr, (python, done)


# --- The fast test of a shape and the one that says where agree -----------------------------------

SHAPES = {"data/manifest.json": verify.MANIFEST_SHAPE, "data/agreements.json": verify.AGREEMENTS_SHAPE,
          "data/summary.json": verify.SUMMARY_SHAPE, "data/reports/2024-03.json": verify.MONTH_SHAPE,
          "data/years/2024.json": verify.YEAR_SHAPE}


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(SHAPES)), where=st.integers(0, 10 ** 6), removed=st.booleans(),
       value=st.none() | st.booleans() | st.integers() | st.text(max_size=4) | st.just("0.00") | st.just("2024-01")
       | st.just([]) | st.just({}) | st.just(["adjustment"]) | st.just({"x": 1}))
def test_a_shapes_fast_test_agrees_with_the_one_that_says_where(honest, name, where, removed, value):
    document = json.loads((honest / name).read_text())
    assert verify.fits(SHAPES[name])(document) and verify.shape_error(document, SHAPES[name], "") is None
    places = [place for place in leaves(document) if place]
    place = places[where % len(places)]
    node = document
    for step in place[:-1]:
        node = node[step]
    if removed and isinstance(node, dict):
        del node[place[-1]]
    else:
        node[place[-1]] = value
    assert verify.fits(SHAPES[name])(document) == (verify.shape_error(document, SHAPES[name], "") is None)
