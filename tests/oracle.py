"""Independent reference implementation ("oracle") of data contract v1 and of what 1.1 adds to the
figures (years and waiting; not the record), for differential tests.

Written from ../shared/data-contract.md and ../shared/conformance/ only, without reading transparency/.

Choices where the contract leaves a detail open (most literal reading):
- Entry order in lists is not significant: connectors are remittances in file order then
  adjustments in file order; sponsors and maintainers are sorted by id.
- A month's `maintainers` lists a person iff they are the maintainer on a line (remittance or
  adjustment) of that month, received a payout in it, or their closing balance is not 0; a
  person with a zero balance and no activity is left out.
- `advance` on a month's maintainer entry means that person's closing balance for that month
  is below 0 (as in expected-1.json); summary maintainers carry no flags (contract lists none).
- A month's `sponsors` includes a sponsor whose only line is an adjustment (an adjustment is a
  line; the sponsor is the connector's sponsor).
- Summary `sponsors` / `maintainers` list only ids that appear in some published month's
  `sponsors` / `maintainers`; sponsors or people with no activity at all are left out.
- `fee_mismatch` compares values in the reporting currency: round(amount x rate(remittance
  currency)) != round(fee x rate(fee currency)), both with this month's rates, so a remittance
  in another currency than the fee is compared after conversion.
- A `$N` fee is N in currency USD: its rate is 1 when the reporting currency is USD, else
  rates["USD"] of the month. An `N CUR` fee with CUR = reporting currency has rate 1.
- The reporting currency always has rate 1, even if it also appears under `rates`.
- `fee_mismatch` / `outside_range` are checked only on remittance lines, against the terms in
  force in the remittance's month; adjustment lines carry only `adjustment`.
- `outside_range` uses amount / user_fees in the remittance's own currency (both are in the
  same currency), rounded ROUND_HALF_UP to 4 places, compared with N/100 (exact equality) or
  the inclusive range [N/100, M/100]. No user_fees: no check.
- A maintainer (or maintainer_share / until) written as YAML null (`null`, `~`, empty) is
  treated as absent.
- Adjustments carried by draft reports are ignored like everything else in drafts.
- Arithmetic runs in a local decimal context with 200 digits so products are exact before the
  single rounding to cents.

Version 1.1, read as literally:
- A year file sums the month files this oracle computes (amount strings back to Decimal); a
  connector's entry merges its remittance and adjustment entries of every month of the year.
- Waiting: a person's accrued in month M is the `accrued` of their entry in M's month file (0
  without one); P is the sum of the values of every payout to them in the published months; the
  balance tested for `owed_since` is the summary's. Each payout's value is computed again from
  its report (round(amount x rate)) and the payouts are ordered by (date, month, index in the
  file's list of payouts).
"""
import decimal
import pathlib
from decimal import Decimal, ROUND_HALF_UP

import yaml

CENT = Decimal("0.01")
NULLS = ("", "~", "null", "Null", "NULL")


def rnd(d):
    """Round to cents, halves away from zero."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def money(d):
    """Format a Decimal as a string with exactly 2 decimals, never -0.00."""
    d = rnd(d)
    if d == 0:
        d = Decimal("0.00")
    return "{:.2f}".format(d)


def opt(mapping, key):
    """Return mapping[key], or None when absent or a YAML null."""
    v = mapping.get(key)
    if v is None or v in NULLS:
        return None
    return v


def percent(text):
    """Parse 'N%' into the fraction N/100."""
    return Decimal(text.strip().rstrip("%").strip()) / 100


def load(path):
    """Load a YAML file with every scalar as a string."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.BaseLoader)


def terms_in_force(connector, month):
    """Return the connector's terms entry in force in month, or None."""
    until = opt(connector, "until")
    if until is not None and month > until:
        return None
    found = None
    for t in connector["terms"]:
        if t["since"] <= month:
            found = t
    return found


def split(value, terms, foundation):
    """Return (maintainer id or None, maintainer part, foundation part) for a line value."""
    maintainer = opt(terms, "maintainer")
    if maintainer is None:
        return None, Decimal("0.00"), value
    share_text = opt(terms, "maintainer_share") or foundation["maintainer_share"]
    part = rnd(value * percent(share_text))
    return maintainer, part, value - part


def fee_flags(rem, terms, value, rate, currency):
    """Return the fee_mismatch / outside_range flags for a remittance."""
    kind = terms["type"]
    amount = terms["amount"].strip()
    if kind == "monthly fee":
        if amount.startswith("$"):
            fee, fee_cur = Decimal(amount[1:].strip()), "USD"
        else:
            num, fee_cur = amount.split()
            fee = Decimal(num)
        if value != rnd(fee * rate(fee_cur)):
            return ["fee_mismatch"]
        return []
    user_fees = opt(rem, "user_fees")
    if user_fees is None:
        return []
    ratio = (Decimal(rem["amount"]) / Decimal(user_fees)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP)
    body = amount.rstrip("%").strip()
    if "-" in body:
        lo, hi = body.split("-")
        lo, hi = Decimal(lo.strip()) / 100, Decimal(hi.strip()) / 100
    else:
        lo = hi = Decimal(body) / 100
    return ["outside_range"] if ratio < lo or ratio > hi else []


def month_report(rep, agreements, balances):
    """Compute one published month's JSON content; updates balances in place."""
    foundation = agreements["foundation"]
    cur = foundation["currency"]
    connectors = agreements["connectors"]
    rates = rep.get("rates") or {}

    def rate(c):
        """Rate of one unit of currency c in the reporting currency."""
        return Decimal(1) if c == cur else Decimal(rates[c])

    def value_of(item):
        """Value of a remittance, payout or adjustment in the reporting currency."""
        c = opt(item, "currency") or cur
        return rnd(Decimal(item["amount"]) * rate(c)), c

    lines = []
    for rem in rep.get("remittances") or []:
        conn = connectors[rem["connector"]]
        terms = terms_in_force(conn, rep["month"])
        value, c = value_of(rem)
        who, mpart, fpart = split(value, terms, foundation)
        flags = fee_flags(rem, terms, value, rate, c)
        lines.append({"id": rem["connector"], "sponsor": conn["sponsor"], "maintainer": who,
                      "v": (value, mpart, fpart), "flags": flags})
    for adj in rep.get("adjustments") or []:
        conn = connectors[adj["connector"]]
        terms = terms_in_force(conn, adj["month"])
        value, _ = value_of(adj)
        who, mpart, fpart = split(value, terms, foundation)
        lines.append({"id": adj["connector"], "sponsor": conn["sponsor"], "maintainer": who,
                      "v": (value, mpart, fpart), "flags": ["adjustment"],
                      "adjusts": adj["month"]})

    sponsors, accrued, paid = {}, {}, {}
    for ln in lines:
        sponsors[ln["sponsor"]] = sponsors.get(ln["sponsor"], Decimal(0)) + ln["v"][0]
        if ln["maintainer"] is not None:
            accrued[ln["maintainer"]] = accrued.get(ln["maintainer"], Decimal(0)) + ln["v"][1]
    for p in rep.get("payouts") or []:
        paid[p["to"]] = paid.get(p["to"], Decimal(0)) + value_of(p)[0]

    people = set(accrued) | set(paid)
    for pid in people:
        balances[pid] = balances.get(pid, Decimal(0)) + accrued.get(pid, 0) - paid.get(pid, 0)
    people |= {pid for pid, b in balances.items() if b != 0}

    out_lines = []
    for ln in lines:
        entry = {"id": ln["id"], "sponsor": ln["sponsor"], "maintainer": ln["maintainer"],
                 "remitted": money(ln["v"][0]), "maintainers": money(ln["v"][1]),
                 "foundation": money(ln["v"][2]), "flags": ln["flags"]}
        if "adjusts" in ln:
            entry["adjusts"] = ln["adjusts"]
        out_lines.append(entry)
    maintainers = []
    for pid in sorted(people):
        b = balances.get(pid, Decimal(0))
        maintainers.append({"id": pid, "accrued": money(accrued.get(pid, Decimal(0))),
                            "paid": money(paid.get(pid, Decimal(0))), "balance": money(b),
                            "flags": ["advance"] if b < 0 else []})
    totals = {"remitted": money(sum((ln["v"][0] for ln in lines), Decimal(0))),
              "maintainers": money(sum((ln["v"][1] for ln in lines), Decimal(0))),
              "foundation": money(sum((ln["v"][2] for ln in lines), Decimal(0))),
              "paid": money(sum(paid.values(), Decimal(0)))}
    report = {"month": rep["month"], "status": "published", "currency": cur, "totals": totals,
              "connectors": out_lines,
              "sponsors": [{"id": s, "remitted": money(sponsors[s])} for s in sorted(sponsors)],
              "maintainers": maintainers}
    return report, sponsors, accrued, paid


def expected_outputs(folder: pathlib.Path) -> dict:
    """Return {"reports": {month: report json}, "summary": summary json} for a valid data set."""
    folder = pathlib.Path(folder)
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        agreements = load(folder / "agreements.yml")
        reps = [load(p) for p in sorted((folder / "reports").glob("*.yml"))]
        reps = sorted((r for r in reps if r["status"] == "published"), key=lambda r: r["month"])
        balances, reports = {}, {}
        tot_sponsors, tot_accrued, tot_paid, seen = {}, {}, {}, set()
        for rep in reps:
            report, sponsors, accrued, paid = month_report(rep, agreements, balances)
            reports[rep["month"]] = report
            for s, v in sponsors.items():
                tot_sponsors[s] = tot_sponsors.get(s, Decimal(0)) + v
            for pid, v in accrued.items():
                tot_accrued[pid] = tot_accrued.get(pid, Decimal(0)) + v
            for pid, v in paid.items():
                tot_paid[pid] = tot_paid.get(pid, Decimal(0)) + v
            seen |= {m["id"] for m in report["maintainers"]}
        summary = {
            "currency": agreements["foundation"]["currency"],
            "months": [r["month"] for r in reps],
            "sponsors": [{"id": s, "remitted": money(tot_sponsors[s])}
                         for s in sorted(tot_sponsors)],
            "maintainers": [{"id": pid, "accrued": money(tot_accrued.get(pid, Decimal(0))),
                             "paid": money(tot_paid.get(pid, Decimal(0))),
                             "balance": money(balances.get(pid, Decimal(0)))}
                            for pid in sorted(seen)],
        }
        years = expected_years(reports)
        waiting = expected_waiting(reps, agreements, reports, summary)
        return {"reports": reports, "summary": summary, "years": years, "waiting": waiting}


def d(text):
    return Decimal(text)


def expected_years(reports):
    """site/data/years/YYYY.json for every year with a published month."""
    years = {}
    for month in sorted(reports):
        years.setdefault(month[:4], []).append(reports[month])
    out = {}
    for year, months in years.items():
        totals = {}
        for key in ("remitted", "maintainers", "foundation", "paid"):
            totals[key] = money(sum((d(m["totals"][key]) for m in months), Decimal(0)))
        sponsors = {}
        connectors = {}
        maintainers = {}
        for m in months:  # in month order, so the last balance seen is the one after the last month
            for s in m["sponsors"]:
                sponsors[s["id"]] = sponsors.get(s["id"], Decimal(0)) + d(s["remitted"])
            for c in m["connectors"]:
                sums = connectors.setdefault(c["id"], [Decimal(0), Decimal(0), Decimal(0)])
                sums[0] += d(c["remitted"])
                sums[1] += d(c["maintainers"])
                sums[2] += d(c["foundation"])
            for p in m["maintainers"]:
                entry = maintainers.setdefault(p["id"], {"accrued": Decimal(0), "paid": Decimal(0)})
                entry["accrued"] += d(p["accrued"])
                entry["paid"] += d(p["paid"])
                entry["balance"] = p["balance"]
        out[year] = {
            "year": year,
            "currency": months[0]["currency"],
            "months": [m["month"] for m in months],
            "totals": totals,
            "sponsors": [{"id": s, "remitted": money(v)} for s, v in sponsors.items()],
            "connectors": [{"id": c, "remitted": money(v[0]), "maintainers": money(v[1]),
                            "foundation": money(v[2])} for c, v in connectors.items()],
            "maintainers": [{"id": p, "accrued": money(e["accrued"]), "paid": money(e["paid"]),
                             "balance": e["balance"]} for p, e in maintainers.items()],
        }
    return out


def days_to_pay(days):
    """{"months", "median", "max"} of a list of day counts."""
    if not days:
        return {"months": 0, "median": None, "max": None}
    days = sorted(days)
    return {"months": len(days), "median": days[(len(days) - 1) // 2], "max": days[-1]}


def day_number(text):
    """A YYYY-MM-DD date as a day count, for differences."""
    import datetime
    return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:10])).toordinal()


def expected_waiting(reps, agreements, reports, summary):
    """{"maintainers": [{"id", "owed_since", "days_to_pay"}], "days_to_pay"} of summary.json."""
    cur = agreements["foundation"]["currency"]
    payouts = []  # (date, month, index, person, value) of every payout of a published month
    for rep in reps:
        rates = rep.get("rates") or {}
        for index, p in enumerate(rep.get("payouts") or []):
            c = opt(p, "currency") or cur
            rate = Decimal(1) if c == cur else Decimal(rates[c])
            payouts.append((p["date"], rep["month"], index, p["to"], rnd(Decimal(p["amount"]) * rate)))
    payouts.sort(key=lambda x: (x[0], x[1], x[2]))
    published = {rep["month"]: rep["published"] for rep in reps}
    everyone = []
    people = []
    for person in summary["maintainers"]:
        pid = person["id"]
        mine = [x for x in payouts if x[3] == pid]
        total_paid = sum((x[4] for x in mine), Decimal(0))
        cumulative = Decimal(0)
        owed_since = None
        days = []
        for month in sorted(reports):
            accrued = Decimal(0)
            for entry in reports[month]["maintainers"]:
                if entry["id"] == pid:
                    accrued = d(entry["accrued"])
            cumulative += accrued
            if owed_since is None and cumulative > total_paid:
                owed_since = month
            if accrued > 0:
                running = Decimal(0)
                for x in mine:
                    running += x[4]
                    if running >= cumulative:
                        days.append(max(0, day_number(x[0]) - day_number(published[month])))
                        break
        if d(person["balance"]) <= 0:
            owed_since = None
        everyone += days
        people.append({"id": pid, "owed_since": owed_since, "days_to_pay": days_to_pay(days)})
    return {"maintainers": people, "days_to_pay": days_to_pay(everyone)}
