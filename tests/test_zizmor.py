"""zizmor, the GitHub Actions security auditor, finds nothing in .github/ (the workflows and dependabot.yml).

zizmor comes from PyPI, pinned in requirements-test.txt, and runs offline with its strictest
persona ("auditor") and without any configuration file that could silence it. The test skips
only where zizmor is not installed, and fails instead where REQUIRE_ACTIONLINT is set (the
workflow linters must run there: .ci/run and the pull request workflow set it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, skip_unless_required

GITHUB = ROOT / ".github"


@pytest.fixture(scope="module")
def zizmor():
    """audit(folder) -> zizmor's findings (JSON objects) for the workflows and Dependabot file under it."""
    executable = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if executable is None:
        skip_unless_required("zizmor is not installed (it is in requirements-test.txt: make .venv/.test)",
                             "REQUIRE_ACTIONLINT")

    def audit(folder: Path) -> list[dict]:
        done = subprocess.run([executable, "--offline", "--no-config", "--persona=auditor", "--format=json",
                               "--no-progress", str(folder)], capture_output=True, text=True, timeout=120)
        # 0: no finding; 10 and up: findings, by their highest severity; anything else: zizmor failed.
        assert done.returncode == 0 or done.returncode >= 10, f"zizmor failed ({done.returncode}):\n{done.stderr}"
        return json.loads(done.stdout)

    return audit


def summary(findings: list[dict]) -> list[str]:
    """One line per finding: where, which audit, how severe, what."""
    lines = []
    for finding in findings:
        first = finding["locations"][0]
        where = first["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
        line = first["concrete"]["location"]["start_point"]["row"] + 1
        lines.append(f"{where}:{line}: {finding['ident']} "
                     f"({finding['determinations']['severity']}): {finding['desc']}")
    return lines


def test_zizmor_finds_nothing(zizmor):
    assert (GITHUB / "dependabot.yml").is_file()
    findings = zizmor(GITHUB)
    assert findings == [], "zizmor:\n" + "\n".join(summary(findings))


def test_zizmor_finds_mistakes(zizmor, tmp_path):
    """zizmor does run: an action pinned to a tag, credentials left in the checkout and a
    pull_request_target trigger are each reported."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "name: bad\n"
        "on: pull_request_target\n"
        "permissions: {}\n"
        "jobs:\n"
        "  build:\n"
        "    name: build\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n", encoding="utf-8")
    found = {finding["ident"] for finding in zizmor(tmp_path / ".github")}
    assert {"unpinned-uses", "artipacked", "dangerous-triggers"} <= found, found
