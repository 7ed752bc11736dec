"""`diff REV`: the pull-request comment of the realistic pull requests, on real git repositories."""

from __future__ import annotations

import pytest

from conftest import git, git_repo, run_cli, write_dataset
from transparency.render.markup import code, gfm

MARKER = "<!-- transparency-diff -->"


@pytest.fixture
def repo(tmp_path):
    return git_repo(tmp_path / "repo")


def diff(repo, *extra) -> str:
    result = run_cli("diff", "main", "--data", str(repo), *extra)
    assert result.code == 0, result
    return result.out


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def section(text: str, title: str) -> list[str]:
    """The non-empty lines under a `### title` heading."""
    lines = text.splitlines()
    start = lines.index(f"### {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("### ")), len(lines))
    return [line for line in lines[start:end] if line]


def test_no_change_says_so_under_the_marker(repo):
    text = diff(repo)
    assert text.splitlines()[0] == MARKER
    assert text.splitlines()[1].startswith("## ")
    assert "No change to the agreements, the reports or the published figures." in text
    assert "###" not in text


def test_adding_a_connector(repo):
    with open(repo / "agreements.yml", "a", encoding="utf-8") as handle:
        handle.write("  acme-margin:\n    name: Acme Margin\n    sponsor: acme\n    developer: ben\n    terms:\n"
                     "      - since: 2024-04\n        type: fee share\n        amount: 25%\n        maintainer: ben\n"
                     "        maintainer_share: 60%\n")
    text = diff(repo)
    assert section(text, "Agreements") == [
        "- Added connector **Acme Margin** (<code>acme-margin</code>) of Acme Exchange: from 2024-04, fee share <code>25%</code>, "
        "maintained by Ben (60%)"]
    assert "### Published figures" not in text and "### Reports" not in text


def test_a_new_maintainer_from_next_month_and_an_agreement_ending(repo):
    edit(repo / "agreements.yml", "        maintainer: ana\n",
         "        maintainer: ana\n      - since: 2024-04\n        type: fee share\n        amount: 35%\n"
         "        maintainer: ben\n")
    edit(repo / "agreements.yml", "    until: 2024-06", "    until: 2024-04")
    assert section(diff(repo), "Agreements") == [
        "- **Acme Spot** (<code>acme-spot</code>): from 2024-04, fee share <code>30%</code> → fee share <code>35%</code>; maintainer Ana → Ben",
        "- **Acme Perp** (<code>acme-perp</code>): until 2024-06 → 2024-04"]


def test_publishing_a_month_shows_the_figures_it_adds(repo):
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    text = diff(repo)
    assert section(text, "Reports") == ["- Published 2024-03 (2024-04-03), a draft in <code>main</code>: 2 remittances"]
    assert section(text, "Published figures (USD)") == [
        "Published months: 2 → 3 (2024-03 added)",
        "| Sponsor | Remitted, all time |", "| --- | ---: |",
        "| Acme Exchange | 1,680.23 → 2,550.46 (+870.23) |",
        "| Maintainer | Accrued | Paid | Balance |", "| --- | ---: | ---: | ---: |",
        "| Ana | 90.00 → 150.00 (+60.00) | 40.00 | 50.00 → 110.00 (+60.00) |"]
    assert section(text, "2024-03 as published (USD)") == [
        "| Remitted | To maintainers | To the Foundation | Paid out |", "| ---: | ---: | ---: | ---: |",
        "| 870.23 | 60.00 | 810.23 | 0.00 |",
        "| Sponsor | Remitted |", "| --- | ---: |",
        "| Acme Exchange | 870.23 |",
        "| Maintainer | Accrued | Paid | Balance after |", "| --- | ---: | ---: | ---: |",
        "| Ana | 60.00 | 0.00 | 110.00 |"]
    titles = [line for line in text.splitlines() if line.startswith("### ")]
    assert titles == ["### Reports", "### 2024-03 as published (USD)", "### Published figures (USD)"]


def test_the_month_published_shows_its_flags(repo):
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    edit(repo / "reports/2024-03.yml", "amount: 120.00", "amount: 120.00\n    user_fees: 100")
    edit(repo / "reports/2024-03.yml", "amount: 750", "amount: 700")
    with open(repo / "reports/2024-03.yml", "a", encoding="utf-8") as handle:
        handle.write("payouts:\n  - to: ben\n    amount: 10\n    date: 2024-04-04\n")
    lines = section(diff(repo), "2024-03 as published (USD)")
    start = lines.index("Flags (shown on the site; not errors):")
    assert lines[start + 1:] == [
        "- `outside_range`: Acme Spot remitted 120.00 USD for 100 USD of users' fees (120.00%), against a fee share "
        "<code>30%</code>",
        "- `fee_mismatch`: Acme Perp remitted 700 USDT (700.21 USD), against a monthly fee <code>750 USDT</code>",
        "- `advance`: Ben was paid ahead: balance -10.00 after this month"]
    assert "| Ben | 0.00 | 10.00 | -10.00 |" in lines


def test_an_adjustment_in_a_new_report_shows_the_sponsor_and_maintainer_deltas(repo):
    (repo / "reports/2024-03.yml").write_text(
        "month: 2024-03\nstatus: published\npublished: 2024-04-06\nadjustments:\n  - month: 2024-02\n"
        "    connector: acme-spot\n    amount: -10.00\n    reason: Acme restated its February fees\n", encoding="utf-8")
    assert run_cli("check", "--data", str(repo), "--base", "main").code == 0
    text = diff(repo)
    assert section(text, "Reports") == [
        "- Published 2024-03 (2024-04-06), a draft in <code>main</code>: 1 adjustment",
        "  - adjusts 2024-02: <code>acme-spot</code> -10.00 USD: Acme restated its February fees"]
    figures = section(text, "Published figures (USD)")
    assert "| Acme Exchange | 1,680.23 → 1,670.23 (-10.00) |" in figures
    assert "| Ana | 90.00 → 85.00 (-5.00) | 40.00 | 50.00 → 45.00 (-5.00) |" in figures
    month = section(text, "2024-03 as published (USD)")
    assert month[2] == "| -10.00 | -5.00 | -5.00 | 0.00 |"
    assert month[-3:] == [  # how the adjustment is split: with the terms of the month it corrects
        "| Adjusts | Connector | Value | Maintainer | Maintainer part | Foundation part |",
        "| --- | --- | ---: | --- | ---: | ---: |",
        "| 2024-02 | Acme Spot | -10.00 | Ana (50%) | -5.00 | -5.00 |"]


def test_a_retroactive_change_shows_in_the_figures(repo):
    edit(repo / "agreements.yml", "maintainer: ana", "maintainer: ben")
    text = diff(repo)
    assert section(text, "Agreements") == [
        "- **Acme Spot** (<code>acme-spot</code>): the terms since 2024-01 change: maintainer Ana → Ben"]
    assert section(text, "Published figures (USD)")[2:] == [
        "| Ana | 90.00 → 0.00 (-90.00) | 40.00 | 50.00 → -40.00 (-90.00) |",
        "| Ben | 0.00 → 90.00 (+90.00) | 0.00 | 0.00 → 90.00 (+90.00) |"]


def test_an_edited_published_report_gets_a_warning(repo):
    edit(repo / "reports/2024-02.yml", "amount: 40", "amount: 45")
    (repo / "reports/2024-01.yml").unlink()
    lines = section(diff(repo), "Reports")
    assert lines == [
        "- ⚠️ **2024-01 was published in <code>main</code> and its file is deleted**: `python build.py check --base` refuses "
        "this; correct a published month with an adjustment in a later month's report",
        "- ⚠️ **2024-02 was published in <code>main</code> and its file is changed**: `python build.py check --base` refuses "
        "this; correct a published month with an adjustment in a later month's report"]


def test_people_sponsors_and_the_foundation(repo):
    edit(repo / "agreements.yml", "    name: Ben\n", "    name: Benjamin\n  cho:\n    name: Cho\n")
    edit(repo / "agreements.yml", "    name: Acme Exchange\n", "    name: Acme Exchange\n  zeta:\n    name: Zeta\n")
    edit(repo / "agreements.yml", "maintainer_share: 50%", "maintainer_share: 45%")
    assert section(diff(repo), "Agreements") == [
        "- Default maintainer share: 50% → 45% (for every terms entry without its own maintainer_share)",
        "- Renamed person <code>ben</code>: Ben → Benjamin",
        "- Added person **Cho** (<code>cho</code>)",
        "- Added sponsor **Zeta** (<code>zeta</code>)"]


def test_a_licence_declared_or_withdrawn(repo):
    edit(repo / "agreements.yml", "maintainer_share: 50%\n", "maintainer_share: 50%\n  license: CC-BY-4.0\n")
    assert section(diff(repo), "Agreements") == ["- Licence of the published data: none → CC-BY-4.0"]
    git(repo, "commit", "-qam", "A licence")
    edit(repo / "agreements.yml", "  license: CC-BY-4.0\n", "")
    assert section(run_cli("diff", "HEAD", "--data", str(repo)).out, "Agreements") == [
        "- Licence of the published data: CC-BY-4.0 → none (others may not reuse the data)"]


def test_every_string_from_the_data_is_escaped(repo):
    hostile = "<img src=x onerror=alert(1)> @octocat #1 $x$ ~~y~~ | [z](javascript:q) **b**"
    edit(repo / "agreements.yml", "    name: Ben\n", f"    name: \"{hostile}\"\n")
    (repo / "reports/2024-04.yml").write_text(
        "month: 2024-04\nstatus: draft\nadjustments:\n  - month: 2024-02\n    connector: acme-spot\n"
        f"    amount: 1\n    reason: \"{hostile}\"\n", encoding="utf-8")
    text = diff(repo)
    assert "<img" not in text and "](javascript" not in text and "**b**" not in text
    assert "@octocat" not in text and "#1 " not in text and "~~y" not in text and " | [" not in text
    assert gfm(hostile) in text
    assert text.count(gfm(hostile)) == 2  # the renamed person and the adjustment's reason


def test_gfm_keeps_text_readable_and_inert():
    assert gfm("Acme Spot") == "Acme Spot"
    assert gfm("a|b $1 @me #2 ~x") == "a&#124;b &#36;1 @<!-- -->me &#35;<!-- -->2 &#126;x"


def test_output_to_a_file(repo, tmp_path):
    out = tmp_path / "diff.md"
    result = run_cli("diff", "main", "--data", str(repo), "-o", str(out))
    assert result.code == 0 and result.out == ""
    assert out.read_text(encoding="utf-8").startswith(MARKER + "\n")


def test_invalid_working_data_puts_its_errors_first_then_what_the_files_show(repo):
    edit(repo / "reports/2024-03.yml", "amount: 120.00", "amount: 1,20")
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    edit(repo / "agreements.yml", "name: Ben", "name: Benjamin")
    (repo / "reports/2024-04.yml").write_text("month: 2024-04\nstatus: draft\n", encoding="utf-8")
    result = run_cli("diff", "main", "--data", str(repo))
    assert result.code == 0, result  # the summary is written; check is what refuses the data
    assert f"{repo}/reports/2024-03.yml:8:13: error: amount '1,20' is not a plain decimal" in result.err
    lines = result.out.splitlines()
    assert lines[5:10] == [
        "### ⚠️ The data does not pass `python build.py check`: 1 error", "",
        f"- {code(f'{repo}/reports/2024-03.yml:8:13')}: amount &#39;1,20&#39; is not a plain decimal; expected "
        "digits without thousands separators, like 1234.56", "",
        "The agreements and the figures are compared once the data passes; the report files alone say this:"]
    assert section(result.out, "Reports") == [
        "- agreements.yml changes",
        "- Published 2024-03 (2024-04-03), a draft in <code>main</code>",
        "- Added 2024-04 (draft)"]


def test_an_unknown_revision_or_a_folder_outside_git_is_a_usage_error(repo, tmp_path):
    result = run_cli("diff", "origin/nope", "--data", str(repo))
    assert result.code == 2 and "unknown revision 'origin/nope'" in result.err
    plain = write_dataset(tmp_path / "plain")
    result = run_cli("diff", "main", "--data", str(plain))
    assert result.code == 2 and "is not inside a git repository" in result.err


def test_diff_needs_a_revision():
    assert run_cli("diff").code == 2


def test_a_base_with_invalid_data_compares_only_the_report_files(repo):
    edit(repo / "agreements.yml", "maintainer_share: 50%", "maintainer_share: 50 %")
    git(repo, "commit", "-q", "-am", "a broken share")
    edit(repo / "agreements.yml", "maintainer_share: 50 %", "maintainer_share: 50%")
    result = run_cli("diff", "HEAD", "--data", str(repo))
    assert result.code == 0
    assert "The data at <code>HEAD</code> does not pass `python build.py check`, so only the report files are compared." \
        in result.out
    assert result.out.endswith("No change to the report files.\n")
    refused = run_cli("check", "--data", str(repo), "--base", "HEAD")
    assert refused.code == 1
    assert refused.err.startswith(f"{repo}/agreements.yml:1:1: error: the data at HEAD is not valid "
                                  "(HEAD:agreements.yml:4:21: error: maintainer_share '50 %' is not a percentage")


def test_errors_and_names_in_the_new_sections_are_escaped(repo):
    hostile = "<img src=x onerror=alert(1)> @octocat #1"
    edit(repo / "agreements.yml", "    name: Acme Exchange\n", f"    name: \"{hostile}\"\n")
    edit(repo / "reports/2024-03.yml", "status: draft", "status: published\npublished: 2024-04-03")
    text = diff(repo)
    assert f"| {gfm(hostile)} | 870.23 |" in section(text, "2024-03 as published (USD)")
    edit(repo / "reports/2024-03.yml", "amount: 120.00", f"amount: \"{hostile}\"")
    result = run_cli("diff", "main", "--data", str(repo))
    assert result.code == 0
    assert "<img" not in result.out and "@octocat" not in result.out and "#1" not in result.out
    assert gfm(f"amount '{hostile}' is not a plain decimal") in result.out
