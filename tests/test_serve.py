"""The preview server: serves the site with its live-reload script, rebuilds on every change."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.request

import pytest

from conftest import ROOT, SEED_ERA, copy_data
from transparency.site import Build
from transparency.serve import start

pytestmark = pytest.mark.slow  # builds the site, and again on each edit


@pytest.fixture
def preview(tmp_path):
    data = copy_data(SEED_ERA, tmp_path / "data")
    job = Build(data, ROOT, tmp_path / "preview", tmp_path / "preview-docs", drafts=True)
    server, state, stop = start(job, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", data
    stop.set()
    server.shutdown()
    server.server_close()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def state(base: str) -> dict:
    return json.loads(get(f"{base}/__preview.json"))


def wait_for_build(base: str, after: int, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = state(base)
        if current["build"] > after:
            return current
        time.sleep(0.1)
    raise AssertionError("no rebuild")


def test_pages_carry_the_reload_script_and_drafts_show(preview):
    base, _ = preview
    page = get(f"{base}/connectors/").decode()
    assert '<script src="/__preview.js"></script></body>' in page
    assert b"location.reload()" in get(f"{base}/__preview.js")
    assert "May 2022 (draft)" in get(f"{base}/reports/2022-05/").decode()
    assert state(base) == {"build": 1, "ok": True, "problems": []}


def test_an_edit_rebuilds_and_a_bad_edit_keeps_the_previous_site(preview):
    base, data = preview
    report = data / "reports" / "2022-05.yml"
    original = report.read_text()
    started = time.monotonic()
    report.write_text(original.replace("amount: 3875.00", "amount: 3999.00"))
    after = wait_for_build(base, 1)
    assert after["ok"] and time.monotonic() - started < 10
    assert "3999.00" in get(f"{base}/reports/2022-05/").decode()
    report.write_text(original.replace("amount: 3875.00", "amount: 3,999.00"))
    failed = wait_for_build(base, after["build"])
    assert not failed["ok"]
    assert re.search(r"reports/2022-05\.yml:\d+:13: error: amount '3,999\.00' is not a plain decimal",
                     failed["problems"][0]), failed["problems"]
    assert "3999.00" in get(f"{base}/reports/2022-05/").decode()  # the last good build, still served
