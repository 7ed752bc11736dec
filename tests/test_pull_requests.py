"""The pull requests of CONTRIBUTING.md keep the tests green, whatever the repository's data holds.

A copy of the repository's data (or REPOSITORY_DATA's) is changed as a maintainer and the treasurer
would change it: a connector with a new sponsor and a new person, a new maintainer from the next
month, the pending draft published (or, without one, the next month drafted, filled in and
published) with an adjustment of a published month. `check --base` must accept the result as a
pull request; then the tests of the repository's data run on it, in a separate pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPOSITORY, ROOT, copy_data, git, run_cli
from transparency.load import Mapping, parse
from transparency.model import next_month
from transparency.pipeline import load_dataset

pytestmark = pytest.mark.slow

PERSON, SPONSOR, CONNECTOR = "pr-maintainer", "pr-exchange", "pr-exchange-spot"


def valid(data: Path):
    dataset, diagnostics = load_dataset(data)
    assert dataset is not None, "\n".join(map(str, diagnostics))
    return dataset


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def insert_entry(path: Path, section: str, entry: list[str]) -> None:
    """Add an entry at the end of a top-level section of agreements.yml, indented like the others."""
    lines = lines_of(path)
    root = parse("".join(lines).encode("utf-8"), path.name).root
    keys = [key for key, _ in root.items.values()]
    key, table = root.items[section]
    indent = " " * (next(iter(table.items.values()))[0].col - 1) if isinstance(table, Mapping) and table.items \
        else "  "
    following = [other.line for other in keys if other.line > key.line]
    end = min(following) - 1 if following else len(lines)
    while end > key.line and not lines[end - 1].strip():
        end -= 1  # before the blank lines that end the section
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines[end:end] = [indent + line + "\n" for line in entry]
    path.write_text("".join(lines), encoding="utf-8")


def add_terms_entry(path: Path, connector: str, entry: list[str]) -> None:
    """Add a terms entry after the connector's last one, lined up with it."""
    lines = lines_of(path)
    root = parse("".join(lines).encode("utf-8"), path.name).root
    terms = root.items["connectors"][1].items[connector][1].items["terms"][1]
    last = terms.items[-1]
    dash = lines[last.line - 1].rindex("-", 0, last.col - 1)
    end = last.line
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > dash):
        end += 1
    while not lines[end - 1].strip():
        end -= 1
    lines[end:end] = [" " * dash + ("- " if index == 0 else "  ") + line + "\n" for index, line in enumerate(entry)]
    path.write_text("".join(lines), encoding="utf-8")


def publish(path: Path, month: str) -> None:
    """status: draft -> status: published, with the date of the 5th of the next month."""
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^published:", text, re.M) is None, "a draft with a published date: not expected here"
    text, count = re.subn(r"^status: *draft *$", f"status: published\npublished: {next_month(month)}-05", text,
                          count=1, flags=re.M)
    assert count == 1, f"no 'status: draft' line in {path}"
    path.write_text(text, encoding="utf-8")


def draft_and_fill(data: Path, month: str) -> None:
    """`new-report MONTH`, then every blank the draft leaves filled in."""
    result = run_cli("new-report", month, "--data", str(data))
    assert result.code == 0, result
    path = data / "reports" / f"{month}.yml"
    text = re.sub(r"^(  [A-Z0-9]{2,10}):( +#.*)$", r"\1: 1.0001\2", path.read_text(encoding="utf-8"), flags=re.M)
    text = re.sub(r"^(    amount):$", r"\1: 100.00", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def add_adjustment(path: Path, month: str, connector: str) -> bool:
    """An adjustment of `month` booked at the end of the report, unless it declares totals."""
    root = parse(path.read_bytes(), path.name).root
    if "adjustments" in root.items or "totals" in root.items:
        return False
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") +
                    f"adjustments:\n  - month: {month}\n    connector: {connector}\n    amount: -1.25\n"
                    "    reason: The sponsor restated the month's fees.\n", encoding="utf-8")
    return True


@pytest.fixture(scope="module", params=["as it is", "without drafts"])
def changed(request, tmp_path_factory) -> Path:
    """A git repository whose main holds the repository's data (as it is, or with its drafts removed, so
    that a month is drafted with new-report), with the pull requests applied on a branch."""
    repo = copy_data(REPOSITORY, tmp_path_factory.mktemp("pull-requests") / "repo")
    if request.param == "without drafts":
        for report in valid(repo).reports:
            if report.is_draft:
                (repo / report.source).unlink()
    before = valid(repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The data as it is")
    git(repo, "switch", "-q", "-c", "pull-request")
    agreements = repo / "agreements.yml"

    # Publish a month: the pending draft, or else the next month, drafted and filled in.
    published = [report.month for report in before.reports if not report.is_draft]
    drafts = [report for report in before.reports if report.is_draft]
    if drafts:
        month = drafts[0].month
    else:
        month = next_month(published[-1]) if published else "2022-01"
        draft_and_fill(repo, month)
    report = repo / "reports" / f"{month}.yml"
    publish(report, month)
    if published:  # correct the last published month in the month now published
        last = next(r for r in before.reports if r.month == published[-1])
        if last.remittances:
            add_adjustment(report, last.month, last.remittances[0].connector)
    resume = next_month(month)

    # Add a connector, with a new sponsor and a new person.
    insert_entry(agreements, "people", [f"{PERSON}:", "  name: A New Maintainer", f"  github: {PERSON}"])
    insert_entry(agreements, "sponsors", [f"{SPONSOR}:", "  name: A New Exchange"])
    developer = next(iter(before.agreements.people))
    insert_entry(agreements, "connectors", [
        f"{CONNECTOR}:", "  name: A New Exchange Spot", f"  sponsor: {SPONSOR}", f"  developer: {developer}",
        "  terms:", f"    - since: {resume}", "      type: fee share", "      amount: 25%", f"      maintainer: {PERSON}"])

    # Change a maintainer from the next month: the first connector that has no end.
    connector = next(c for c in before.agreements.connectors.values() if c.until is None)
    terms = connector.terms[-1]
    since = max(resume, next_month(terms.since))
    entry = [f"since: {since}", f"type: {terms.type}", f"amount: {terms.amount_text}", f"maintainer: {PERSON}"]
    if terms.share_override:
        entry.append(f"maintainer_share: {terms.share_text}")
    add_terms_entry(agreements, connector.id, entry)

    after = valid(repo)
    assert len(after.agreements.connectors) == len(before.agreements.connectors) + 1
    assert SPONSOR in after.agreements.sponsors and PERSON in after.agreements.people
    assert after.agreements.connectors[connector.id].terms_in(since).maintainer == PERSON
    assert [r.month for r in after.reports if not r.is_draft] == published + [month]
    return repo


def test_the_pull_requests_pass_check_base_and_diff_summarises_them(changed):
    result = run_cli("check", "--data", str(changed), "--base", "main")
    assert result.code == 0, result
    assert "nothing published in main changes" in result.out
    summary = run_cli("diff", "main", "--data", str(changed))
    assert summary.code == 0, summary
    assert f"Added connector **A New Exchange Spot** (<code>{CONNECTOR}</code>)" in summary.out
    assert f"Added sponsor **A New Exchange** (<code>{SPONSOR}</code>)" in summary.out


def repository_test_files() -> list[str]:
    """The test files that mark tests `repository`: the others need not be collected (seconds each time)."""
    return sorted(str(path) for path in (ROOT / "tests").glob("test_*.py")
                  if re.search(r"pytest\.mark\.repository\b", path.read_text(encoding="utf-8")))


def test_the_repository_tests_pass_on_the_changed_data(changed):
    env = dict(os.environ, REPOSITORY_DATA=str(changed))
    files = repository_test_files()
    assert {Path(file).name for file in files} >= {"test_repository.py", "test_schema.py"}, files
    process = subprocess.run([sys.executable, "-m", "pytest", "-m", "repository", "-q", "-p", "no:cacheprovider",
                              *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stdout[-5000:] + process.stderr[-2000:]
    passed = re.search(r"(\d+) passed", process.stdout)
    assert passed and int(passed[1]) >= 6, process.stdout[-2000:]
    assert " failed" not in process.stdout and " skipped" not in process.stdout, process.stdout[-2000:]
