"""`new-report YYYY-MM`: the draft it writes, what check says of it blank and filled in, what it refuses."""

from __future__ import annotations

import pytest

from conftest import JANUARY, MARCH_DRAFT, REPORT, ROOT, SEED_ERA, run_cli, write_dataset


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", reports={"2024-01.yml": JANUARY, "2024-02.yml": REPORT,
                                                     "2024-03.yml": MARCH_DRAFT})


def new_report(data, month):
    return run_cli("new-report", month, "--data", str(data))


def test_writes_a_draft_with_what_the_month_needs(data):
    result = new_report(data, "2024-04")
    assert result.code == 0, result
    text = (data / "reports/2024-04.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    # The modeline of the reports, naming the schema relative to reports/.
    assert lines[0] == (SEED_ERA / "reports/2022-01.yml").read_text(encoding="utf-8").splitlines()[0]
    assert lines[0] == "# yaml-language-server: $schema=../schema/report.schema.json"
    assert (ROOT / "schema" / "report.schema.json").is_file()
    assert [line for line in lines if not line.startswith("#")] == [
        "month: 2024-04",
        "status: draft",
        "rates:  # the value of 1 unit in USD",
        "  USDT:  # last: 1.0003 in 2024-03",
        "remittances:",
        "  - connector: acme-spot  # fee share 30%",
        "    amount:",
        "    user_fees:  # optional: the users' fees, to check the 30% share",
        "  - connector: acme-perp  # monthly fee 750 USDT",
        "    amount: 750",
        "    currency: USDT",
        "payouts:",
        "  # ana: balance 50.00 USD after 2024-02",
        "  # - to: ana",
        "  #   amount: 0.00",
        "  #   date: YYYY-MM-DD"]
    assert lines[lines.index("payouts:") + 5:] == [  # the last published month's correction, to fill in
        "# adjustments:  # to correct a published month: uncomment (delete '# ') and fill in",
        "#   - month: 2024-02  # the published month being corrected",
        "#     connector: acme-spot",
        "#     amount: 0.00  # signed: what should be added to that month's remittance, like -12.34",
        "#     currency: USD  # optional: USD when left out",
        "#     reason:  # why the published figure was wrong, shown on both months' pages"]
    assert result.out.splitlines()[:3] == [
        f"wrote {data}/reports/2024-04.yml: a draft of 2024-04",
        "note: 2024-03 is still a draft: months are published in order, so check refuses to publish 2024-04 "
        "before 2024-03 is published",
        "next steps:"]
    assert "fill in the rate of USDT and the amount remitted for acme-spot" in result.out
    assert f"python build.py check --data {data}" in result.out


def test_unfilled_the_draft_fails_check_at_each_blank(data):
    assert new_report(data, "2024-04").code == 0
    lines = (data / "reports/2024-04.yml").read_text(encoding="utf-8").splitlines()
    rate, amount = lines.index("  USDT:  # last: 1.0003 in 2024-03") + 1, lines.index("    amount:") + 1
    result = run_cli("check", "--data", str(data))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{data}/reports/2024-04.yml:{rate}:8: error: rate for USDT is empty; expected an amount like 1234.56",
        f"{data}/reports/2024-04.yml:{amount}:12: error: amount for 'acme-spot' is empty; expected an amount like "
        "1234.56",
        "2 errors in 1 file"]


def publish_march(data) -> None:
    path = data / "reports/2024-03.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: draft", "status: published\npublished: 2024-04-03"), encoding="utf-8")


def test_filled_in_the_draft_passes_check(data):
    publish_march(data)
    result = new_report(data, "2024-04")
    assert result.code == 0 and "note:" not in result.out, result
    path = data / "reports/2024-04.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  USDT:  #", "  USDT: 1.0001  #").replace("    amount:\n", "    amount: 131.20\n")
    path.write_text(text.replace("status: draft", "status: published\npublished: 2024-05-03"), encoding="utf-8")
    result = run_cli("check", "--data", str(data))
    assert result.code == 0, result
    assert "4 published months" in result.out


def test_the_adjustment_uncommented_and_filled_in_passes_check(data):
    publish_march(data)
    assert new_report(data, "2024-04").code == 0
    path = data / "reports/2024-04.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  USDT:  #", "  USDT: 1.0001  #").replace("amount:\n", "amount: 9\n")
    lines = [line[2:] if line.startswith("# ") and not line.startswith(("# yaml", "# Drafted", "# then")) else line
             for line in text.splitlines()]
    text = "\n".join(lines).replace("amount: 0.00  #", "amount: -12.34  #").replace("reason:  #", "reason: restated  #")
    path.write_text(text.replace("status: draft", "status: published\npublished: 2024-05-03"), encoding="utf-8")
    result = run_cli("check", "--data", str(data))
    assert result.code == 0, result
    from transparency.pipeline import load_dataset
    adjustment = load_dataset(data)[0].reports[-1].adjustments[0]
    assert (adjustment.month, adjustment.connector, str(adjustment.amount)) == ("2024-03", "acme-spot", "-12.34")


def test_balances_are_written_as_plain_decimals_to_copy_into_an_amount(tmp_path):
    february = REPORT.replace("amount: 100.00", "amount: 4321.00")
    data = write_dataset(tmp_path / "data", reports={"2024-02.yml": february})
    assert new_report(data, "2024-03").code == 0
    text = (data / "reports/2024-03.yml").read_text(encoding="utf-8")
    assert "  # ana: balance 2120.50 USD after 2024-02\n" in text  # 4321.00 / 2 - 40: no thousands separator


def test_says_when_an_earlier_month_has_no_report(data):
    (data / "reports/2024-03.yml").unlink()
    result = new_report(data, "2024-04")
    assert result.code == 0, result
    assert result.out.splitlines()[1] == (
        "note: 2024-03 has no report (python build.py new-report 2024-03 drafts it): publishing 2024-04 first "
        "would leave 2024-03 without one for good")


def test_a_payout_written_from_the_template_passes_check(data):
    assert new_report(data, "2024-04").code == 0
    path = data / "reports/2024-04.yml"
    text = path.read_text(encoding="utf-8").replace("  USDT:  #", "  USDT: 1  #").replace("amount:\n", "amount: 9\n")
    text = text.replace("  # - to: ana\n  #   amount: 0.00\n  #   date: YYYY-MM-DD",
                        "  - to: ana\n    amount: 50.00\n    date: 2024-05-04")
    path.write_text(text, encoding="utf-8")
    assert run_cli("check", "--data", str(data)).code == 0


def test_a_month_without_reports_before_it(tmp_path):
    data = write_dataset(tmp_path / "data", reports={})
    assert new_report(data, "2024-01").code == 0
    text = (data / "reports/2024-01.yml").read_text(encoding="utf-8")
    assert "  USDT:  # no earlier rate\n" in text  # the monthly fee's currency
    assert "  # no published month yet, so no balance is owed\n" in text


def test_a_month_without_agreements_in_force(data):
    assert new_report(data, "2030-01").code == 0
    text = (data / "reports/2030-01.yml").read_text(encoding="utf-8")
    assert "  - connector: acme-spot  # fee share 30%\n" in text and "acme-perp" not in text  # ended 2024-06


def test_never_overwrites_a_report(data):
    before = (data / "reports/2024-03.yml").read_bytes()
    result = new_report(data, "2024-03")
    assert result.code == 1
    assert result.err.startswith(f"{data}/reports/2024-03.yml: error: the report exists already")
    assert (data / "reports/2024-03.yml").read_bytes() == before


def test_refuses_a_month_not_after_the_last_published_one(data):
    (data / "reports/2024-01.yml").unlink()  # a gap before the last published month
    result = new_report(data, "2024-01")
    assert result.code == 1
    assert "2024-01 is not after 2024-02, the last published month" in result.err
    assert not (data / "reports/2024-01.yml").exists()


@pytest.mark.parametrize("month", ["2024-13", "2024-4", "April", "2024-04-01"])
def test_refuses_a_malformed_month_as_wrong_usage(data, month):
    result = new_report(data, month)
    assert result.code == 2
    assert f"{month!r} is not a month; expected YYYY-MM" in result.err


def test_refuses_to_draft_from_invalid_data(data):
    (data / "reports/2024-03.yml").write_text(MARCH_DRAFT.replace("amount: 120.00", "amount:"), encoding="utf-8")
    result = new_report(data, "2024-04")
    assert result.code == 1
    assert "reports/2024-03.yml:7:12: error: amount for 'acme-spot' is empty" in result.err
    assert not (data / "reports/2024-04.yml").exists()


def test_misspelt_command_gets_a_suggestion():
    assert "did you mean 'new-report'?" in run_cli("new-reprot", "2024-04").err
