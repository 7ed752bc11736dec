"""`check --base REV` on real git repositories: the pull requests it lets through and those it refuses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import AGREEMENTS, JANUARY, MARCH_DRAFT, REPORT, ROOT, git, git_repo, run_cli, write_dataset
from transparency.finality import first_difference
from transparency.history import HistoryError, default_base, load_at


@pytest.fixture
def repo(tmp_path):
    return git_repo(tmp_path / "repo")


def check(repo, *extra):
    return run_cli("check", "--data", str(repo), "--base", "main", *extra)


def errors(result) -> list[str]:
    return [line for line in result.err.splitlines() if ": error: " in line]


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the data at a revision --

def test_load_at_reads_the_committed_files_not_the_working_tree(repo):
    edit(repo / "reports/2024-02.yml", "amount: 100.00", "amount: 999.00")
    (repo / "reports/2024-03.yml").unlink()
    snapshot = load_at(repo, "main")
    assert sorted(snapshot.files) == ["agreements.yml", "reports/2024-01.yml", "reports/2024-02.yml",
                                      "reports/2024-03.yml"]
    assert snapshot.files["reports/2024-02.yml"] == REPORT.encode()
    assert snapshot.dataset is not None and len(snapshot.commit) == 40
    assert [report.month for report in snapshot.dataset.reports] == ["2024-01", "2024-02", "2024-03"]


def test_a_data_folder_below_the_top_of_the_repository(tmp_path):
    top = tmp_path / "repo"
    write_dataset(top / "data", AGREEMENTS, {"2024-02.yml": REPORT})
    # A file of the same name outside the data folder:
    (top / "agreements.yml").write_text("not: the data\n", encoding="utf-8")
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "data in a subfolder")
    assert load_at(top / "data", "main").dataset is not None
    edit(top / "data/reports/2024-02.yml", "amount: 40", "amount: 41")
    result = run_cli("check", "--data", str(top / "data"), "--base", "main")
    assert result.code == 1
    assert errors(result) == [f"{top}/data/reports/2024-02.yml:15:14: error: reports/2024-02.yml was published in "
                              "main (2024-03-05) and cannot change; expected the file exactly as published "
                              "(correct a published month with an adjustment in a later month's report)"]


def test_invalid_data_at_the_revision_is_reported_under_the_revisions_name(repo):
    edit(repo / "reports/2024-03.yml", "amount: 120.00", "amount: -1")
    git(repo, "commit", "-q", "-am", "a bad draft")
    snapshot = load_at(repo, "HEAD")
    assert snapshot.dataset is None
    assert [str(d) for d in snapshot.diagnostics] == [
        "HEAD:reports/2024-03.yml:7:13: error: amount '-1' has a sign; expected an amount greater than 0, "
        "without '-'"]


@pytest.mark.parametrize("old, new, position", [
    ("a\nb\n", "a\nbc\n", (2, 2)),
    ("a\nb\n", "a\nb \n", (2, 2)),
    ("a\nb\n", "a\r\nb\n", (1, 2)),
    ("a\nb\n", "a\n", (2, 1)),
    ("a\n", "a\nb\n", (2, 1)),
    ("a\n", "# c\na\n", (1, 1)),
])
def test_first_difference_is_the_first_changed_line_and_column(old, new, position):
    assert first_difference(old.encode(), new.encode()) == position


# -- pull requests that pass --

def test_unchanged_data_passes(repo):
    result = check(repo)
    assert result.code == 0, result
    assert result.out == ("ok: 2 connectors, 1 sponsor, 2 people; 2 published months, 1 draft; "
                          "nothing published in main changes\n")


def test_adding_a_connector_passes(repo):
    with open(repo / "agreements.yml", "a", encoding="utf-8") as handle:
        handle.write("  acme-margin:\n    name: Acme Margin\n    sponsor: acme\n    developer: ben\n    terms:\n"
                     "      - since: 2024-04\n        type: fee share\n        amount: 25%\n        maintainer: ben\n")
    assert check(repo).code == 0


def test_changing_the_maintainer_from_the_next_month_passes(repo):
    edit(repo / "agreements.yml", "        maintainer: ana\n",
         "        maintainer: ana\n      - since: 2024-03\n        type: fee share\n        amount: 30%\n"
         "        maintainer: ben\n")
    result = check(repo)
    assert result.code == 0, result


def test_publishing_a_draft_passes(repo):
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    assert check(repo).code == 0


def test_editing_and_deleting_drafts_passes(repo):
    edit(repo / "reports/2024-03.yml", "amount: 120.00", "amount: 125.00")
    assert check(repo).code == 0
    (repo / "reports/2024-03.yml").unlink()
    assert check(repo).code == 0


def test_correcting_a_published_month_with_an_adjustment_passes(repo):
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    with open(repo / "reports/2024-03.yml", "a", encoding="utf-8") as handle:
        handle.write("adjustments:\n  - month: 2024-02\n    connector: acme-spot\n    amount: -10.00\n"
                     "    reason: Acme restated its February fees\n")
    result = check(repo)
    assert result.code == 0, result


def test_a_base_revision_without_data_protects_nothing(tmp_path):
    top = tmp_path / "repo"
    top.mkdir()
    (top / "README.md").write_text("data to come\n", encoding="utf-8")
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "empty")
    write_dataset(top)
    assert run_cli("check", "--data", str(top), "--base", "main").code == 0


# -- pull requests that are refused --

def test_editing_a_published_report_is_refused_at_the_first_changed_line(repo):
    edit(repo / "reports/2024-02.yml", "amount: 100.00", "amount: 100.50")
    result = check(repo)
    assert result.code == 1
    assert errors(result) == [
        f"{repo}/reports/2024-02.yml:8:17: error: reports/2024-02.yml was published in main (2024-03-05) and "
        "cannot change; expected the file exactly as published (correct a published month with an adjustment "
        "in a later month's report)"]


@pytest.mark.parametrize("old, new, position", [
    ("  USDT: 1.0002\n", "  USDT: 1.0002  \n", "5:15"),
    ("month: 2024-02\n", "month: 2024-02  # February\n", "1:15"),
    ("remittances:\n", "# Acme paid late\nremittances:\n", "6:1"),
    ("status: published\npublished: 2024-03-05\n", "status: draft\n", "2:9"),
])
def test_any_byte_change_to_a_published_report_is_refused(repo, old, new, position):
    edit(repo / "reports/2024-02.yml", old, new)
    result = check(repo)
    assert result.code == 1
    assert len(errors(result)) == 1, result.err
    assert errors(result)[0].startswith(f"{repo}/reports/2024-02.yml:{position}: error: reports/2024-02.yml was "
                                        "published in main (2024-03-05) and cannot change")


def test_deleting_a_published_report_is_refused(repo):
    (repo / "reports/2024-01.yml").unlink()
    result = check(repo)
    assert result.code == 1
    assert errors(result) == [
        f"{repo}/reports/2024-01.yml:1:1: error: reports/2024-01.yml was published in main (2024-02-05) and "
        "cannot be deleted; expected the file exactly as published (correct a published month with an "
        "adjustment in a later month's report)"]


def test_a_retroactive_share_in_the_terms_is_refused_for_each_published_month(repo):
    edit(repo / "agreements.yml", "        maintainer: ana\n",
         "        maintainer: ana\n        maintainer_share: 60%\n")
    result = check(repo)
    assert result.code == 1
    expected = ("expected terms changes to start after the last published month (a new terms entry with "
                "since: 2024-03 or later)")
    assert errors(result) == [
        f"{repo}/agreements.yml:20:9: error: this change alters 2024-01, which is published in main (2024-02-05): "
        f"acme-spot's maintainer part 40.00 -> 48.00, ana's accrued 40.00 -> 48.00, ana's balance 40.00 -> 48.00; "
        f"{expected}",
        f"{repo}/agreements.yml:20:9: error: this change alters 2024-02, which is published in main (2024-03-05): "
        f"acme-spot's maintainer part 50.00 -> 60.00, ana's accrued 50.00 -> 60.00, ana's balance 50.00 -> 68.00; "
        f"{expected}"]


def test_a_retroactive_maintainer_is_refused_naming_the_month(repo):
    edit(repo / "agreements.yml", "maintainer: ana", "maintainer: ben")
    result = check(repo)
    assert result.code == 1
    assert len(errors(result)) == 2
    assert ("this change alters 2024-01, which is published in main (2024-02-05): acme-spot's maintainer "
            "ana -> ben, ana's accrued 40.00 -> 0.00, ben's accrued 0.00 -> 40.00 and 2 more;") in errors(result)[0]


def test_changing_the_default_share_is_refused_at_the_foundations_share(repo):
    edit(repo / "agreements.yml", "maintainer_share: 50%", "maintainer_share: 40%")
    result = check(repo)
    assert result.code == 1
    assert [line.split(": error: ")[0] for line in errors(result)] == [f"{repo}/agreements.yml:4:21"] * 2
    assert ("acme-spot's maintainer part 40.00 -> 32.00" in errors(result)[0]
            and "expected the default maintainer_share unchanged while published months use it" in errors(result)[0])


def test_a_retroactive_monthly_fee_is_refused_for_the_flag_it_raises(repo):
    edit(repo / "agreements.yml", "amount: 750 USDT", "amount: 800 USDT")
    result = check(repo)
    assert result.code == 1
    assert f"{repo}/agreements.yml:29:9: error: this change alters 2024-01" in errors(result)[0]
    assert "acme-perp now flagged fee_mismatch;" in errors(result)[0]


def test_a_terms_entry_starting_in_a_published_month_is_refused(repo):
    edit(repo / "agreements.yml", "        maintainer: ana\n",
         "        maintainer: ana\n      - since: 2024-02\n        type: fee share\n        amount: 30%\n"
         "        maintainer: ben\n")
    result = check(repo)
    assert result.code == 1
    assert errors(result)[0].startswith(f"{repo}/agreements.yml:24:9: error: this change alters 2024-02, which "
                                        "is published in main (2024-03-05): acme-spot's maintainer ana -> ben")


def test_moving_a_connector_to_another_sponsor_is_refused_at_its_sponsor(repo):
    edit(repo / "agreements.yml", "sponsors:\n", "sponsors:\n  zeta:\n    name: Zeta\n")
    edit(repo / "agreements.yml", "    sponsor: acme\n    developer: ben", "    sponsor: zeta\n    developer: ben")
    result = check(repo)
    assert result.code == 1
    assert errors(result)[0].startswith(f"{repo}/agreements.yml:28:14: error: this change alters 2024-01, which "
                                        "is published in main (2024-02-05): acme-perp's sponsor acme -> zeta")


def test_publishing_a_month_before_the_first_published_one_is_refused_at_its_status(tmp_path):
    repo = git_repo(tmp_path / "repo", {"2024-02.yml": REPORT, "2024-03.yml": MARCH_DRAFT})
    (repo / "reports/2024-01.yml").write_text(JANUARY, encoding="utf-8")
    result = check(repo)
    assert result.code == 1
    assert errors(result) == [
        f"{repo}/reports/2024-01.yml:2:9: error: publishing 2024-01 alters 2024-02, which is published in main "
        "(2024-03-05): ana's balance 10.00 -> 50.00; expected months published in order (2024-01 comes before "
        "a published month: book what it holds in a later month's report)"]


def test_a_base_with_months_out_of_order_is_still_compared_so_that_it_can_be_set_right(tmp_path):
    """A base from before the rule that months are published in order: its draft can be published empty."""
    april = (MARCH_DRAFT.replace("2024-03", "2024-04")
             .replace("status: draft", "status: published\npublished: 2024-05-02"))
    march = MARCH_DRAFT.replace("status: draft", "status: published\npublished: 2024-04-03")
    repo = git_repo(tmp_path / "repo", {"2024-01.yml": JANUARY, "2024-02.yml": REPORT.replace(
        "status: published\npublished: 2024-03-05", "status: draft"), "2024-03.yml": march, "2024-04.yml": april})
    result = check(repo)
    assert result.code == 1
    assert [line.removeprefix(f"{repo}/") for line in errors(result)] == [
        "reports/2024-03.yml:2:9: error: 2024-03 cannot be published while 2024-02 is a draft; publish 2024-02 "
        "first, or set this month's status to draft",
        "reports/2024-04.yml:2:9: error: 2024-04 cannot be published while 2024-02 is a draft; publish 2024-02 "
        "first, or set this month's status to draft"]
    (repo / "reports/2024-02.yml").write_text("month: 2024-02\nstatus: published\npublished: 2024-03-05\n"
                                              "notes: Nothing was remitted or paid this month.\n", encoding="utf-8")
    result = check(repo)
    assert result.code == 0, result


def test_refusals_print_as_github_annotations(repo):
    edit(repo / "reports/2024-02.yml", "amount: 100.00", "amount: 100.50")
    result = check(repo, "--format", "github")
    assert result.code == 1
    assert result.out.startswith(f"::error file={repo}/reports/2024-02.yml,line=8,col=17::reports/2024-02.yml "
                                 "was published in main (2024-03-05) and cannot change;")


def test_invalid_working_data_is_reported_with_the_refusals(repo):
    edit(repo / "reports/2024-02.yml", "amount: 40", "amount: -40")
    result = check(repo)
    assert result.code == 1
    assert len(errors(result)) == 2  # the bad amount, and the edit of a published report


# -- wrong usage --

def test_an_unknown_revision_is_a_usage_error_naming_it(repo):
    result = run_cli("check", "--data", str(repo), "--base", "origin/mian")
    assert result.code == 2
    assert "unknown revision 'origin/mian'" in result.err and "Traceback" not in result.err


def test_a_data_folder_outside_git_is_a_clear_error(tmp_path):
    data = write_dataset(tmp_path / "plain")
    result = run_cli("check", "--data", str(data), "--base", "main")
    assert result.code == 2
    assert f"error: {data} is not inside a git repository" in result.err


def test_an_option_as_revision_is_refused(repo):
    with pytest.raises(HistoryError) as raised:
        load_at(repo, "--output=/tmp/x")
    assert raised.value.status == 2


def test_check_base_in_a_real_process(repo):
    edit(repo / "reports/2024-01.yml", "amount: 80.00", "amount: 80.01")
    process = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--base", "main"],
                             capture_output=True, text=True, encoding="utf-8", cwd=repo, timeout=60)
    assert process.returncode == 1
    problems = [line for line in process.stderr.splitlines() if ": error: " in line]  # and the licence's warning
    assert problems[0].startswith("reports/2024-01.yml:8:17: error: reports/2024-01.yml was published in main")
    assert "Traceback" not in process.stderr


# -- `check --base auto`: what `make check` and the pre-commit hook run --

def test_auto_compares_a_branch_with_where_it_left_main(repo):
    git(repo, "switch", "-q", "-c", "add-a-month")
    edit(repo / "reports/2024-02.yml", "amount: 40", "amount: 45")
    result = run_cli("check", "--data", str(repo), "--base", "auto")
    assert result.code == 1
    assert errors(result) == [
        f"{repo}/reports/2024-02.yml:15:14: error: reports/2024-02.yml was published in main (2024-03-05) and cannot "
        "change; expected the file exactly as published (correct a published month with an adjustment in a later "
        "month's report)"]


def test_auto_uses_the_merge_base_not_main_as_it_is_now(repo):
    """main publishing a month after the branch left it is no change made by the branch."""
    git(repo, "switch", "-q", "-c", "add-a-connector")
    git(repo, "switch", "-q", "main")
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    git(repo, "commit", "-q", "-am", "Publish March")
    git(repo, "switch", "-q", "add-a-connector")
    result = run_cli("check", "--data", str(repo), "--base", "auto")
    assert result.code == 0, result
    assert result.out.endswith("; nothing published in main changes\n")
    assert run_cli("check", "--data", str(repo), "--base", "main").code == 1  # the tip of main: March changed


def test_auto_prefers_origin_and_names_it(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "switch", "-q", "-c", "fix")
    edit(clone / "reports/2024-01.yml", "amount: 80.00", "amount: 80.01")
    result = run_cli("check", "--data", str(clone), "--base", "auto")
    assert result.code == 1
    assert "reports/2024-01.yml was published in origin/main (2024-02-05) and cannot change" in result.err
    assert default_base(clone)[0] == "origin/main"


def test_auto_checks_nothing_more_on_main_itself_or_outside_git(repo, tmp_path):
    assert default_base(repo) is None  # on main, without a remote
    edit(repo / "reports/2024-03.yml", "amount: 120.00", "amount: 125.00")
    result = run_cli("check", "--data", str(repo), "--base", "auto")
    assert result.code == 0 and result.out == "ok: 2 connectors, 1 sponsor, 2 people; 2 published months, 1 draft\n"
    plain = write_dataset(tmp_path / "plain")
    assert run_cli("check", "--data", str(plain), "--base", "auto").code == 0
    empty = tmp_path / "empty"
    write_dataset(empty)
    git(empty, "init", "-q")
    assert default_base(empty) is None  # a repository without a commit
