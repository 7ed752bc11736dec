"""The data at a git revision, read from real git repositories."""

from __future__ import annotations

import pytest

from conftest import REPORT, git, git_repo, write_dataset
from transparency.history import HistoryError, load_at


@pytest.fixture
def repo(tmp_path):
    return git_repo(tmp_path / "repo")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_load_at_reads_the_committed_files_not_the_working_tree(repo):
    edit(repo / "reports/2024-02.yml", "amount: 100.00", "amount: 999.00")
    (repo / "reports/2024-03.yml").unlink()
    snapshot = load_at(repo, "main")
    assert sorted(snapshot.files) == ["agreements.yml", "reports/2024-01.yml", "reports/2024-02.yml",
                                      "reports/2024-03.yml"]
    assert snapshot.files["reports/2024-02.yml"] == REPORT.encode()
    assert snapshot.dataset is not None and len(snapshot.commit) == 40
    assert [report.month for report in snapshot.dataset.reports] == ["2024-01", "2024-02", "2024-03"]


def test_invalid_data_at_the_revision_is_reported_under_the_revisions_name(repo):
    edit(repo / "reports/2024-03.yml", "amount: 120.00", "amount: -1")
    git(repo, "commit", "-q", "-am", "a bad draft")
    snapshot = load_at(repo, "HEAD")
    assert snapshot.dataset is None
    assert [str(d) for d in snapshot.diagnostics] == [
        "HEAD:reports/2024-03.yml:7:13: error: amount '-1' has a sign; expected an amount greater than 0, "
        "without '-'"]


@pytest.mark.parametrize("rev", ["origin/mian", "--output=/tmp/x", ""])
def test_a_revision_git_does_not_know_is_a_usage_error_naming_it(repo, rev):
    with pytest.raises(HistoryError) as raised:
        load_at(repo, rev)
    assert raised.value.status == 2
    assert repr(rev) in str(raised.value)


def test_a_data_folder_outside_git_is_a_usage_error(tmp_path):
    data = write_dataset(tmp_path / "plain")
    with pytest.raises(HistoryError) as raised:
        load_at(data, "main")
    assert raised.value.status == 2
    assert str(raised.value).startswith(f"{data} is not inside a git repository")
