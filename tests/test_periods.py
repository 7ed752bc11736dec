"""Contract 1.1's years and waiting figures, and the statements, on hand-made cases whose answers are
worked out in the tests (tests/test_oracle.py then compares them with an independent reading on
random data sets)."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal as D

from conftest import load_ok
from transparency.ledger import compute
from transparency.periods import against, change, sponsor_years
from transparency.periods import compute as periods_of
from transparency.waiting import DaysToPay, days_to_pay

# Two connectors, each maintained at 50%: spot by ana, perp by ben. Amounts remitted are twice the
# maintainer's part, so the cases read in parts.
AGREEMENTS = textwrap.dedent("""\
    foundation:
      name: Test Foundation
      currency: USD
      maintainer_share: 50%
    people:
      ana:
        name: Ana
      ben:
        name: Ben
    sponsors:
      acme:
        name: Acme
      zeta:
        name: Zeta
    connectors:
      spot:
        name: Spot
        sponsor: acme
        developer: ana
        terms:
          - since: 2024-01
            type: fee share
            amount: 30%
            maintainer: ana
      perp:
        name: Perp
        sponsor: zeta
        developer: ben
        terms:
          - since: 2024-01
            type: fee share
            amount: 30%
            maintainer: ben
    """)


def report(month: str, published: str, remitted: dict[str, str] | None = None,
           payouts: list[tuple[str, str, str]] = (), adjustments: list[tuple[str, str, str]] = ()) -> str:
    """A published report: remittances {connector: amount}, payouts (to, amount, date), adjustments
    (month, connector, amount)."""
    lines = [f"month: {month}", "status: published", f"published: {published}", "remittances:"]
    lines += [f"  - connector: {cid}\n    amount: {amount}" for cid, amount in (remitted or {}).items()]
    lines.append("payouts:")
    lines += [f"  - to: {to}\n    amount: {amount}\n    date: {day}" for to, amount, day in payouts]
    lines.append("adjustments:")
    lines += [f"  - month: {corrected}\n    connector: {cid}\n    amount: {amount}\n    reason: restated"
              for corrected, cid, amount in adjustments]
    return "\n".join(lines) + "\n"


def figures(tmp_path, *reports: str):
    dataset = load_ok(tmp_path / "data", AGREEMENTS, {f"{text[7:14]}.yml": text for text in reports})
    ledger = compute(dataset)
    return ledger, periods_of(dataset, ledger)


def days(later: str, earlier: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


# --- Waiting -------------------------------------------------------------------------------------

def test_a_month_paid_in_two_payouts_is_paid_off_by_the_second(tmp_path):
    _, periods = figures(tmp_path,
                         report("2024-01", "2024-02-05", {"spot": "200"}),
                         report("2024-02", "2024-03-05", payouts=[("ana", "40", "2024-02-10"),
                                                                  ("ana", "60", "2024-03-01")]))
    ana = periods.waiting["ana"]
    assert ana.days_to_pay == DaysToPay(1, days("2024-03-01", "2024-02-05"), 25)  # 2024 is a leap year
    assert ana.owed_since is None  # the balance is 0
    (january,) = ana.months
    assert (january.month, january.date, january.days) == ("2024-01", "2024-03-01", 25)


def test_payouts_are_taken_in_date_order_not_file_order(tmp_path):
    # The later file carries the earlier payment: the 60 of 2024-02-20 pays nothing off alone, then
    # the 40 of 2024-03-01 (in January's file) completes January.
    _, periods = figures(tmp_path,
                         report("2024-01", "2024-02-05", {"spot": "200"}, payouts=[("ana", "40", "2024-03-01")]),
                         report("2024-02", "2024-03-05", payouts=[("ana", "60", "2024-02-20")]))
    assert periods.waiting["ana"].days_to_pay == DaysToPay(1, 25, 25)


def test_an_advance_paid_before_the_month_is_published_counts_0_days(tmp_path):
    ledger, periods = figures(tmp_path,
                              report("2024-01", "2024-02-05", {"spot": "200"}, payouts=[("ana", "150", "2024-01-20")]),
                              report("2024-02", "2024-03-04", {"spot": "200"}))
    assert ledger.months[0].balances[0].balance == D("-50.00")  # an advance after January
    ana = periods.waiting["ana"]
    assert [(m.month, m.days) for m in ana.months] == [("2024-01", 0), ("2024-02", None)]
    assert ana.days_to_pay == DaysToPay(1, 0, 0)
    assert ana.owed_since == "2024-02"  # C(2024-02) = 200 > 150 paid


def test_an_advance_leaves_nothing_owed(tmp_path):
    _, periods = figures(tmp_path, report("2024-01", "2024-02-05", {"spot": "200"},
                                          payouts=[("ana", "150", "2024-01-20")]))
    assert periods.waiting["ana"].owed_since is None  # balance -50: nothing owed


def test_a_negative_adjustment_is_no_month_to_pay_and_lowers_what_later_months_need(tmp_path):
    _, periods = figures(
        tmp_path,
        report("2024-01", "2024-02-05", {"spot": "200"}),  # ana accrues 100: C = 100
        report("2024-02", "2024-03-05", {"spot": "200"}),  # 100 more: C = 200
        report("2024-03", "2024-04-05", adjustments=[("2024-01", "spot", "-100")],  # -50: C = 150
               payouts=[("ana", "150", "2024-04-10")]),
        report("2024-04", "2024-05-06", {"spot": "100"}, payouts=[("ana", "50", "2024-05-20")]))  # C = 200
    ana = periods.waiting["ana"]
    # January is paid off by the 150 (150 >= 100); February needs 200, reached by the 50 of May;
    # March accrued -50, so it is no month to pay; April needs 200 as well.
    assert [(m.month, m.date) for m in ana.months] == [("2024-01", "2024-04-10"), ("2024-02", "2024-05-20"),
                                                       ("2024-04", "2024-05-20")]
    assert [m.days for m in ana.months] == [days("2024-04-10", "2024-02-05"), days("2024-05-20", "2024-03-05"),
                                            days("2024-05-20", "2024-05-06")]
    assert ana.days_to_pay == DaysToPay(3, 65, 76)
    assert ana.owed_since is None


def test_a_month_never_paid_off_is_left_out_and_owed_since(tmp_path):
    _, periods = figures(tmp_path,
                         report("2024-01", "2024-02-05", {"spot": "200"}, payouts=[("ana", "100", "2024-02-07")]),
                         report("2024-02", "2024-03-05", {"spot": "200"}, payouts=[("ana", "99.99", "2024-03-06")]),
                         report("2024-03", "2024-04-05", {"spot": "200"}))
    ana = periods.waiting["ana"]
    assert [(m.month, m.days) for m in ana.months] == [("2024-01", 2), ("2024-02", None), ("2024-03", None)]
    assert ana.days_to_pay == DaysToPay(1, 2, 2)
    assert ana.owed_since == "2024-02"  # short of 0.01
    assert "ben" not in periods.waiting  # no figures at all


def test_the_median_of_an_even_number_of_months_is_the_lower_middle(tmp_path):
    _, periods = figures(tmp_path,
                         report("2024-01", "2024-02-05", {"spot": "200", "perp": "200"},
                                payouts=[("ana", "100", "2024-02-15"), ("ben", "100", "2024-02-05")]),
                         report("2024-02", "2024-03-05", {"spot": "200"}, payouts=[("ana", "100", "2024-04-04")]))
    assert periods.waiting["ana"].days_to_pay == DaysToPay(2, 10, 30)  # not 20, the mean of the two
    assert periods.waiting["ben"].days_to_pay == DaysToPay(1, 0, 0)
    assert periods.days_to_pay == DaysToPay(3, 10, 30)  # every person's months together: 0, 10, 30


def test_days_to_pay_of_a_list():
    assert days_to_pay([]) == DaysToPay(0, None, None)
    assert days_to_pay([7]) == DaysToPay(1, 7, 7)
    assert days_to_pay([30, 10, 20, 40]) == DaysToPay(4, 20, 40)
    assert days_to_pay([5, 1, 9]) == DaysToPay(3, 5, 9)


# --- Years ---------------------------------------------------------------------------------------

def test_years_sum_their_months_and_an_adjustment_counts_where_it_is_booked(tmp_path):
    ledger, periods = figures(
        tmp_path,
        report("2024-11", "2024-12-05", {"spot": "100", "perp": "300"}, payouts=[("ben", "150", "2024-12-06")]),
        report("2024-12", "2025-01-06", {"spot": "200"}),
        report("2025-01", "2025-02-05", {"spot": "50"}, adjustments=[("2024-12", "perp", "-20"),
                                                                     ("2024-12", "spot", "10")],
               payouts=[("ana", "100", "2025-02-10")]))
    assert list(periods.years) == ["2024", "2025"]
    last, this = periods.years["2024"], periods.years["2025"]
    assert [m.month for m in last.months] == ["2024-11", "2024-12"]
    assert (last.totals.remitted, last.totals.maintainers, last.totals.paid) == (D("600"), D("300"), D("150"))
    assert last.sponsors == {"acme": D("300"), "zeta": D("300")}
    # 2025: the spot's remittance and adjustment together, perp's adjustment alone (of a 2024 month)
    assert {cid: (s.remitted, s.maintainers, s.foundation) for cid, s in this.connectors.items()} == {
        "spot": (D("60"), D("30"), D("30")), "perp": (D("-20"), D("-10"), D("-10"))}
    assert this.sponsors == {"acme": D("60"), "zeta": D("-20")}
    assert this.totals.remitted == D("40")
    # ben has no line in 2025 but an adjustment on his 2024 connector, and a balance: he appears.
    assert {p: (b.accrued, b.paid, b.balance) for p, b in this.maintainers.items()} == {
        "ana": (D("30"), D("100"), D("80")), "ben": (D("-10"), D("0"), D("-10"))}
    assert {p: b.balance for p, b in last.maintainers.items()} == {"ana": D("150"), "ben": D("0")}
    assert sum((y.totals.remitted for y in periods.years.values()), D(0)) == ledger.totals.remitted


def test_a_maintainers_balance_in_a_year_is_the_one_after_their_last_month_in_it(tmp_path):
    _, periods = figures(tmp_path,
                         report("2024-01", "2024-02-05", {"spot": "200", "perp": "100"},
                                payouts=[("ben", "50", "2024-02-06")]),  # ben: balance 0, then gone
                         report("2024-02", "2024-03-05", {"spot": "200"}))
    year = periods.years["2024"]
    assert {p: (b.accrued, b.paid, b.balance) for p, b in year.maintainers.items()} == {
        "ana": (D("200"), D("0"), D("200")), "ben": (D("50"), D("50"), D("0"))}


def test_change_against_the_year_before():
    grown = change(D("150"), D("100"))
    assert (grown.previous, grown.amount, grown.percent) == (D("100"), D("50"), D("50.0"))
    assert change(D("0"), D("100")).percent == D("-100.0")
    assert change(None, D("100")).amount == D("-100")
    assert change(D("100"), D("0")).percent is None  # no percent of nothing
    assert change(D("100"), None).amount is None  # no year before
    assert change(D("1"), D("3")).percent == D("-66.7")
    assert change(D("1.0005"), D("1")).percent == D("0.1")  # 0.05% rounds half away from zero
    assert change(D("0.9995"), D("1")).percent == D("-0.1")
    assert change(D("10"), D("-20")).percent == D("150.0")  # of the size of last year's figure
    assert str(change(D("1"), D("1")).percent) == "0.0"


def test_rows_against_the_year_before_keep_ids_that_stopped():
    rows = against({"a": D("5"), "b": D("7")}, {"b": D("3"), "c": D("2")})
    assert [(key, value, c.previous, c.amount) for key, value, c in rows] == [
        ("a", D("5"), D("0"), D("5")), ("b", D("7"), D("3"), D("4")), ("c", None, D("2"), D("-2"))]
    assert [c.previous for _, _, c in against({"a": D("5")}, None)] == [None]


def test_a_sponsors_years(tmp_path):
    _, periods = figures(tmp_path,
                         report("2024-12", "2025-01-06", {"spot": "200", "perp": "100"}),
                         report("2025-01", "2025-02-05", {"spot": "300"}))
    assert [(year, value, c.amount, c.percent) for year, value, c in sponsor_years(periods.years, "acme")] == [
        ("2024", D("200"), None, None), ("2025", D("300"), D("100"), D("50.0"))]
    assert [year for year, _, _ in sponsor_years(periods.years, "zeta")] == ["2024"]


# --- Statements ----------------------------------------------------------------------------------

def test_a_statement_runs_the_balance_line_by_line_and_closes_on_the_ledgers(tmp_path):
    ledger, periods = figures(
        tmp_path,
        report("2024-12", "2025-01-06", {"spot": "200"}, payouts=[("ana", "30", "2025-01-07")]),
        report("2025-01", "2025-02-05", {"spot": "100"}, adjustments=[("2024-12", "spot", "-40")],
               payouts=[("ana", "100", "2025-02-10"), ("ana", "20", "2025-02-11")]))
    statement = periods.statements["ana"]
    rows = [(e.month.month, "payout" if e.payout else ("adjustment" if e.line.adjusts else "line"),
             e.accrued, e.paid, e.balance) for e in statement.entries]
    assert rows == [("2024-12", "line", D("100"), D("0"), D("100")),
                    ("2024-12", "payout", D("0"), D("30"), D("70")),
                    ("2025-01", "line", D("50"), D("0"), D("120")),
                    ("2025-01", "adjustment", D("-20"), D("0"), D("100")),
                    ("2025-01", "payout", D("0"), D("100"), D("0")),
                    ("2025-01", "payout", D("0"), D("20"), D("-20"))]
    assert [(y.year, y.opening, y.accrued, y.paid, y.closing) for y in statement.years] == [
        ("2024", D("0"), D("100"), D("30"), D("70")), ("2025", D("70"), D("30"), D("120"), D("-20"))]
    for month in ledger.months:  # each month ends on the ledger's balance
        last = [e for e in statement.entries if e.month is month][-1]
        assert last.balance == next(b.balance for b in month.balances if b.person == "ana")
    assert sorted(periods.statements) == ["ana"]


# --- The trend -----------------------------------------------------------------------------------

def test_the_trend_is_the_last_24_published_months_without_drafts(tmp_path):
    months = [f"{year}-{month:02d}" for year in (2024, 2025, 2026) for month in range(1, 13)][:26]
    reports = {f"{month}.yml": report(month, f"{month}-28", {"spot": "2"}) for month in months[:25]}
    reports[f"{months[25]}.yml"] = (f"month: {months[25]}\nstatus: draft\n"
                                    "remittances:\n  - connector: spot\n    amount: 2\n")
    dataset = load_ok(tmp_path / "data", AGREEMENTS, reports)
    ledger = compute(dataset, drafts=True)
    assert [m.month for m in ledger.months][-1] == "2026-02"  # the draft, in a preview
    assert [m.month for m in periods_of(dataset, ledger).trend] == months[1:25]  # 2024-02 to 2026-01
