"""The pre-commit hooks: they pass on valid data and stop a commit of bad data.

They run in a copy of the project holding the frozen seed-era data (tests/fixtures/seed-era)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A git repository holding a copy of the project, with the project's .venv."""
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (it comes with the test requirements)")
    copy = copy_project(tmp_path_factory.mktemp("precommit") / "repo")
    (copy / ".venv").symlink_to(ROOT / ".venv")
    for command in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "copy"]):
        subprocess.run(command, cwd=copy, check=True)
    return copy


def run_hooks(repository: Path) -> subprocess.CompletedProcess:
    # Not the variables of a `make test` that runs this test: they would reach the hooks' own make.
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["PRE_COMMIT_HOME"] = str(ROOT / ".cache" / "pre-commit")
    return subprocess.run([str(PRE_COMMIT), "run", "--all-files", "--color", "never"], cwd=repository, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_configuration_is_valid():
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed")
    result = subprocess.run([str(PRE_COMMIT), "validate-config", ".pre-commit-config.yaml"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_pass_on_valid_data_and_stop_bad_data(repository):
    result = run_hooks(repository)
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in ("check the agreements and reports", "JSON Schemas up to date with the validator",
                 "agreements.yml against its JSON Schema", "reports against their JSON Schema"):
        assert hook in result.stdout
    report = repository / "reports" / "2022-04.yml"
    report.write_text(report.read_text().replace("amount: 305.40", "amount: 3,05.40"))
    result = run_hooks(repository)
    assert result.returncode == 1
    assert "reports/2022-04.yml:" in result.stdout and "is not a plain decimal" in result.stdout
