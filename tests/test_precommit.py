"""The pre-commit hooks: they pass on valid data and stop a commit of bad data.

They run in a copy of the project holding the frozen seed-era data (tests/fixtures/seed-era)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, git

pytestmark = pytest.mark.slow  # pre-commit installs its hooks' environments

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def project_repository(folder: Path) -> Path:
    """A git repository whose main holds a copy of the project, with the project's .venv."""
    copy = copy_project(folder)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "copy")
    return copy


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (it comes with the test requirements)")
    return project_repository(tmp_path_factory.mktemp("precommit") / "repo")


def without_make_variables() -> dict[str, str]:
    """The environment without the variables of a `make test` that runs this test: they would reach the
    hooks' own make (a variable set on make's command line, like ARGS, is exported to its commands)."""
    return {key: value for key, value in os.environ.items()
            if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS")}


def run_hooks(repository: Path) -> subprocess.CompletedProcess:
    env = without_make_variables()
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


def test_on_a_branch_make_check_and_the_hook_refuse_an_edit_to_a_published_report(tmp_path):
    """What the pull request's check refuses is refused before the commit, as on the pull request."""
    if not PRE_COMMIT.exists() or shutil.which("make") is None:
        pytest.skip("pre-commit or make is not installed")
    repository = project_repository(tmp_path / "repo")
    git(repository, "switch", "-q", "-c", "fix-april")
    with open(repository / "reports" / "2022-04.yml", "a", encoding="utf-8") as handle:
        handle.write("# corrected\n")
    refusal = ("reports/2022-04.yml:56:1: error: reports/2022-04.yml was published in main (2022-05-05) and cannot "
               "change; expected the file exactly as published")
    make = subprocess.run(["make", "--silent", "check"], cwd=repository, env=without_make_variables(),
                          capture_output=True, text=True, timeout=600)
    assert make.returncode != 0
    assert refusal in make.stderr, make.stdout + make.stderr
    git(repository, "add", "-A")
    result = run_hooks(repository)
    assert result.returncode == 1
    assert refusal in result.stdout, result.stdout
