"""The contract's computation rules, one by one."""

from __future__ import annotations

import textwrap
from decimal import Decimal as D

import pytest

from conftest import AGREEMENTS, JANUARY, MARCH_DRAFT, REPORT, load_ok, run_cli, write_dataset
from transparency.ledger import compute, fee_ratio, money
from transparency.model import Remittance


@pytest.mark.parametrize("amount, rate, expected", [
    ("0.005", "1", "0.01"), ("-0.005", "1", "-0.01"), ("0.004999", "1", "0.00"), ("-0.004", "1", "0.00"),
    ("2500.125", "0.9995", "2498.87"), ("333.35", "1.0010", "333.68"), ("0.0185", "38450.12", "711.33"),
    ("1.015", "1", "1.02"), ("2.675", "1", "2.68"),  # floats would give 1.01 and 2.67
])
def test_money_rounds_half_away_from_zero(amount, rate, expected):
    assert str(money(D(amount), D(rate))) == expected


def test_money_never_gives_negative_zero():
    assert str(money(D("-0.001"))) == "0.00"


def report(month="2024-02", body=""):
    head = f"month: {month}\nstatus: published\npublished: {month[:5]}{int(month[5:]) % 12 + 1:02d}-05\n"
    return head + textwrap.dedent(body)


def month_of(ledger, month):
    return next(m for m in ledger.months if m.month == month)


def test_value_share_and_reconciliation(tmp_path):
    ledger = compute(load_ok(tmp_path))
    spot, perp = month_of(ledger, "2024-02").lines
    assert (spot.value, spot.maintainer_part, spot.foundation_part) == (D("100.00"), D("50.00"), D("50.00"))
    # 750 USDT at 1.0002, no maintainer: everything to the Foundation
    assert (perp.value, perp.maintainer, perp.maintainer_part, perp.foundation_part) == (
        D("750.15"), None, D("0.00"), D("750.15"))


def test_share_override_and_odd_cents(tmp_path):
    agreements = AGREEMENTS.replace("        maintainer: ana\n", "        maintainer: ana\n        maintainer_share: 33%\n")
    dataset = load_ok(tmp_path, agreements, {"2024-02.yml": report(body="""\
        remittances:
          - connector: acme-spot
            amount: 10.01
        """)})
    line = compute(dataset).months[0].lines[0]
    assert (line.maintainer_part, line.foundation_part) == (D("3.30"), D("6.71"))  # 3.3033 -> 3.30


def test_terms_in_force_follow_since_and_until(tmp_path):
    agreements = AGREEMENTS.replace("        maintainer: ana\n", "        maintainer: ana\n"
                                    "      - since: 2024-03\n        type: fee share\n        amount: 30%\n"
                                    "        maintainer: ben\n")
    reports = {f"2024-0{m}.yml": report(f"2024-0{m}", "remittances:\n  - connector: acme-spot\n    amount: 10\n")
               for m in (2, 3, 4)}
    ledger = compute(load_ok(tmp_path, agreements, reports))
    assert [m.lines[0].maintainer for m in ledger.months] == ["ana", "ben", "ben"]
    connector = load_ok(tmp_path / "again", agreements, reports).agreements.connectors["acme-perp"]
    assert connector.terms_in("2024-06") is not None and connector.terms_in("2024-07") is None
    assert connector.terms_in("2023-12") is None


def test_adjustment_uses_the_terms_of_the_corrected_month(tmp_path):
    agreements = AGREEMENTS.replace("        maintainer: ana\n", "        maintainer: ana\n"
                                    "      - since: 2024-03\n        type: fee share\n        amount: 30%\n"
                                    "        maintainer: ben\n        maintainer_share: 80%\n")
    reports = {
        "2024-02.yml": report("2024-02", "remittances:\n  - connector: acme-spot\n    amount: 10\n"),
        "2024-03.yml": report("2024-03", """\
            rates:
              EUR: 1.1
            adjustments:
              - month: 2024-02
                connector: acme-spot
                amount: -3.33
                currency: EUR
                reason: restated
            """),
    }
    ledger = compute(load_ok(tmp_path, agreements, reports))
    line = month_of(ledger, "2024-03").lines[0]
    assert line.adjusts == "2024-02" and line.flags == ("adjustment",)
    assert line.maintainer == "ana" and line.share == D("0.5")
    assert (line.value, line.maintainer_part, line.foundation_part) == (D("-3.66"), D("-1.83"), D("-1.83"))
    assert month_of(ledger, "2024-03").sponsors == {"acme": D("-3.66")}


def test_fee_mismatch_compares_values_in_the_reporting_currency(tmp_path):
    body = "rates:\n  USDT: 1.0002\nremittances:\n  - connector: acme-perp\n    amount: {amount}\n{currency}"
    cases = {"750 USDT paid in USDT": ("750", "    currency: USDT\n", ()),
             "750 USD for 750 USDT": ("750", "", ("fee_mismatch",)),
             "750.15 USD for 750 USDT": ("750.15", "", ()),
             "749.99 USDT": ("749.99", "    currency: USDT\n", ("fee_mismatch",))}
    for index, (name, (amount, currency, flags)) in enumerate(cases.items()):
        dataset = load_ok(tmp_path / str(index), AGREEMENTS,
                          {"2024-02.yml": report(body=body.format(amount=amount, currency=currency))})
        assert compute(dataset).months[0].lines[0].flags == flags, name


def test_dollar_fee_needs_a_usd_rate_when_reporting_in_another_currency(tmp_path):
    agreements = AGREEMENTS.replace("currency: USD", "currency: EUR").replace("750 USDT", "$100")
    dataset = load_ok(tmp_path, agreements, {"2024-02.yml": report(body="""\
        rates:
          USD: 0.9
        remittances:
          - connector: acme-perp
            amount: 90
        """)})
    assert compute(dataset).months[0].lines[0].flags == ()


@pytest.mark.parametrize("amount, fees, flagged", [
    ("30", "100", False), ("30.004", "100", False), ("30.005", "100", True), ("29.995", "100", False),
    ("29.994", "100", True), ("1", "3.3333", False), ("1", "3.3353", True),
])
def test_outside_range_rounds_the_ratio_to_four_places(amount, fees, flagged):
    ratio = fee_ratio(Remittance("x", D(amount), "USD", D(fees)))
    assert (not D("0.30") <= ratio <= D("0.30")) == flagged


def test_outside_range_for_a_range(tmp_path):
    agreements = AGREEMENTS.replace("amount: 30%", "amount: 20-30%")
    body = "remittances:\n  - connector: acme-spot\n    amount: {0}\n    user_fees: 100\n"
    flags = [compute(load_ok(tmp_path / a, agreements, {"2024-02.yml": report(body=body.format(a))})).months[0].lines[0].flags
             for a in ("19.99", "20", "25", "30", "30.01")]
    assert flags == [("outside_range",), (), (), (), ("outside_range",)]


def test_balances_chain_and_advance_is_flagged(tmp_path):
    reports = {
        "2024-02.yml": report("2024-02", "remittances:\n  - connector: acme-spot\n    amount: 100\n"
                                         "payouts:\n  - to: ana\n    amount: 80\n    date: 2024-03-01\n"),
        "2024-03.yml": report("2024-03", "payouts:\n  - to: ana\n    amount: 10\n    date: 2024-04-01\n"
                                         "  - to: ben\n    amount: 5\n    date: 2024-04-01\n"),
        "2024-04.yml": report("2024-04", "remittances:\n  - connector: acme-spot\n    amount: 100\n"),
        "2024-05.yml": report("2024-05", "remittances:\n  - connector: acme-perp\n    amount: 1\n    currency: USDT\n"
                                         "rates:\n  USDT: 1\n"),
    }
    ledger = compute(load_ok(tmp_path, AGREEMENTS, reports))
    table = {m.month: {b.person: (str(b.accrued), str(b.paid), str(b.balance), b.flags) for b in m.balances}
             for m in ledger.months}
    assert table == {
        "2024-02": {"ana": ("50.00", "80.00", "-30.00", ("advance",))},
        "2024-03": {"ana": ("0.00", "10.00", "-40.00", ("advance",)), "ben": ("0.00", "5.00", "-5.00", ("advance",))},
        "2024-04": {"ana": ("50.00", "0.00", "10.00", ()), "ben": ("0.00", "0.00", "-5.00", ("advance",))},
        "2024-05": {"ana": ("0.00", "0.00", "10.00", ()), "ben": ("0.00", "0.00", "-5.00", ("advance",))},
    }
    assert {p: (str(t.accrued), str(t.paid), str(t.balance)) for p, t in ledger.people.items()} == {
        "ana": ("100.00", "90.00", "10.00"), "ben": ("0.00", "5.00", "-5.00")}


def test_drafts_are_left_out_unless_asked(tmp_path):
    reports = {"2024-02.yml": REPORT,
               "2024-03.yml": "month: 2024-03\nstatus: draft\nremittances:\n  - connector: acme-spot\n    amount: 10\n"}
    dataset = load_ok(tmp_path, AGREEMENTS, reports)
    assert [m.month for m in compute(dataset).months] == ["2024-02"]
    assert compute(dataset).excluded == ("2024-03",)
    with_drafts = compute(dataset, drafts=True)
    assert [(m.month, m.is_draft) for m in with_drafts.months] == [("2024-02", False), ("2024-03", True)]
    assert with_drafts.people["ana"].balance == D("15.00")


def test_computation_ignores_the_callers_decimal_context(tmp_path):
    import decimal
    dataset = load_ok(tmp_path)
    expected = compute(dataset)
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR)):
        assert compute(dataset) == expected


def test_a_whole_share_leaves_the_foundation_0_00_not_minus_0_00_whatever_the_callers_context(tmp_path):
    import decimal
    whole = AGREEMENTS.replace("        maintainer: ana\n", "        maintainer: ana\n        maintainer_share: 100%\n")
    dataset = load_ok(tmp_path, whole, {"2024-02.yml": report(body="""\
        remittances:
          - connector: acme-spot
            amount: 10.01
        """)})
    with decimal.localcontext(decimal.Context(rounding=decimal.ROUND_FLOOR)):
        line = compute(dataset).months[0].lines[0]
    assert (str(line.maintainer_part), str(line.foundation_part)) == ("10.01", "0.00")  # == holds for -0.00 too


def test_people_and_sponsors_come_in_the_order_of_the_agreements(tmp_path):
    """Not alphabetical, not the order of the report: ben and zeta are declared first."""
    agreements = (AGREEMENTS.replace("people:\n  ana:\n    name: Ana\n    github: ana-gh\n  ben:\n    name: Ben\n",
                                     "people:\n  ben:\n    name: Ben\n  ana:\n    name: Ana\n    github: ana-gh\n")
                  .replace("sponsors:\n", "sponsors:\n  zeta:\n    name: Zeta\n")
                  .replace("connectors:\n", "connectors:\n  zeta-spot:\n    name: Zeta Spot\n    sponsor: zeta\n"
                           "    developer: ben\n    terms:\n      - since: 2024-01\n        type: fee share\n"
                           "        amount: 10%\n        maintainer: ben\n"))
    body = """\
        remittances:
          - connector: acme-spot
            amount: 10
          - connector: zeta-spot
            amount: 4
        payouts:
          - to: ana
            amount: 1
            date: 2024-03-01
          - to: ben
            amount: 1
            date: 2024-03-01
        """
    ledger = compute(load_ok(tmp_path, agreements, {"2024-02.yml": report(body=body)}))
    month = ledger.months[0]
    assert [line.connector for line in month.lines] == ["acme-spot", "zeta-spot"]
    assert [b.person for b in month.balances] == ["ben", "ana"]
    assert list(ledger.people) == ["ben", "ana"]
    assert month.sponsors == {"zeta": D("4.00"), "acme": D("10.00")} and list(month.sponsors) == ["zeta", "acme"]
    assert list(ledger.sponsors) == ["zeta", "acme"]
    assert [p.to for p in month.payouts] == ["ana", "ben"]  # payouts keep the report's order


def test_totals_of_a_month_and_of_all_months(tmp_path):
    reports = {"2024-02.yml": REPORT,  # 100.00 at 50% to ana, 750.15 to the Foundation; 40 paid
               "2024-03.yml": report("2024-03", """\
                   rates:
                     EUR: 1.1
                   remittances:
                     - connector: acme-spot
                       amount: 20
                   payouts:
                     - to: ana
                       amount: 10
                       currency: EUR
                       date: 2024-04-02
                       reference: tx-1
                   """)}
    ledger = compute(load_ok(tmp_path, AGREEMENTS, reports))
    assert [(str(t.remitted), str(t.maintainers), str(t.foundation), str(t.paid))
            for t in (m.totals for m in ledger.months)] == [("850.15", "50.00", "800.15", "40.00"),
                                                            ("20.00", "10.00", "10.00", "11.00")]
    t = ledger.totals
    assert (str(t.remitted), str(t.maintainers), str(t.foundation), str(t.paid)) == ("870.15", "60.00", "810.15",
                                                                                     "51.00")
    payout = ledger.months[1].payouts[0]
    assert (payout.to, payout.amount, payout.currency, payout.rate, payout.value, payout.date, payout.reference) == (
        "ana", D("10"), "EUR", D("1.1"), D("11.00"), "2024-04-02", "tx-1")
    assert ledger.sponsors == {"acme": D("870.15")}
    ana = ledger.people["ana"]
    assert (ana.person, str(ana.accrued), str(ana.paid), str(ana.balance)) == ("ana", "60.00", "51.00", "9.00")


def declared_totals(tmp_path, reports: dict[str, str]) -> list[str]:
    data = write_dataset(tmp_path / "data", AGREEMENTS, reports)
    return [line.replace(f"{data}/", "") for line in run_cli("check", "--data", str(data)).err.splitlines()]


def test_declared_totals_are_checked_in_every_report_with_totals_drafts_too(tmp_path):
    march = MARCH_DRAFT + textwrap.dedent("""\
        adjustments:
          - month: 2024-01
            connector: acme-spot
            amount: -10.00
            reason: restated
        totals:
          remitted: 860.00
        """)
    february = REPORT + "totals:\n  remitted: 850.15\n  paid: 41\n"
    # January has no totals: the check goes on to the months after it.
    assert declared_totals(tmp_path, {"2024-01.yml": JANUARY, "2024-02.yml": february, "2024-03.yml": march}) == [
        "reports/2024-02.yml:19:9: error: totals.paid is 41.00 but the payouts of 2024-02 come to 40.00; expected "
        "the two to agree",
        "reports/2024-03.yml:17:13: error: totals.remitted is 860.00 but the remittances and adjustments of 2024-03 "
        "come to 860.23 (-10.00 of it adjustments); expected the two to agree",
        "2 errors in 2 files"]


def test_declared_totals_that_agree_pass(tmp_path):
    february = REPORT + "totals:\n  remitted: 850.15\n  paid: 40.00\n"
    assert declared_totals(tmp_path, {"2024-02.yml": february}) == []
    paid_only = REPORT + "totals:\n  paid: 40\n"
    assert declared_totals(tmp_path, {"2024-02.yml": paid_only}) == []


def test_nothing_is_0_00_in_money_not_the_integer_0(tmp_path):
    """A month without lines or payouts, and a ledger without months, total Decimal("0.00") each."""
    empty = "month: 2024-02\nstatus: published\npublished: 2024-03-05\nremittances: []\n"
    ledger = compute(load_ok(tmp_path / "one", AGREEMENTS, {"2024-02.yml": empty}))
    nothing = compute(load_ok(tmp_path / "two", AGREEMENTS, {"2024-02.yml": empty.replace(
        "status: published\npublished: 2024-03-05", "status: draft")}))
    assert nothing.months == () and nothing.excluded == ("2024-02",)
    for totals in (ledger.months[0].totals, ledger.totals, nothing.totals):
        figures = (totals.remitted, totals.maintainers, totals.foundation, totals.paid)
        assert [(type(figure), str(figure)) for figure in figures] == [(D, "0.00")] * 4


def test_the_largest_amount_in_a_token_of_36_decimals_at_the_longest_rate_is_exact(tmp_path):
    """15 digits and 36 decimals, times 15 digits and 18 decimals: 84 digits, valued exactly, then rounded."""
    amount, rate = "999999999999999." + "9" * 36, "999999999999999." + "9" * 18
    agreements = AGREEMENTS + ("chains:\n  ethereum:\n    name: Ethereum\ntokens:\n  WEI:\n    chain: ethereum\n"
                               "    contract: '0x" + "1" * 40 + "'\n    decimals: 36\n")
    report = REPORT.replace("  USDT: 1.0002\n", f"  USDT: 1.0002\n  WEI: {rate}\n").replace(
        "    amount: 40\n", f"    amount: {amount}\n    currency: WEI\n")
    (month,) = compute(load_ok(tmp_path, agreements, {"2024-02.yml": report})).months
    assert month.payouts[0].value == money(D(amount), D(rate)) == D("1000000000000000000000000000000.00")  # 10^30 - 0.001...: rounded up
