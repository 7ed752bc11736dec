"""Property tests: on random valid data sets every figure reconciles to the cent; on random
input the loader and validator fail only with their own error."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import computed
from transparency.data import data_files
from transparency.errors import DataError
from transparency.ledger import compute
from transparency.load import parse
from transparency.pipeline import load_dataset
from transparency.validate import validate

# Two calendar years, so that data sets cross a year.
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
CURRENCIES = ["USD", "USDT", "EUR", "BTC"]
CENTS = re.compile(r"-?[0-9]+\.[0-9]{2}\Z")


def decimals(places: int, low: str = "0.01", high: str = "100000"):
    """Decimals written the way people write them: plain digits, never an exponent."""
    return st.decimals(min_value=D(low), max_value=D(high), places=places, allow_nan=False,
                       allow_infinity=False).map(lambda value: format(value, "f"))


@st.composite
def remittance(draw, kind: str, detail: tuple) -> list[str]:
    """A remittance's fields, often exactly on the agreed fee or on the edge of the agreed range."""
    if kind == "monthly" and draw(st.booleans()):
        fee, currency = detail
        return [f"    amount: {fee}", f"    currency: {currency}"]
    if kind == "fee" and draw(st.booleans()):
        fees = D(draw(decimals(2, "1", "999999")))
        # A hundredth of a percent rounds half up: low - 0.00005 is in the range, a step below is not.
        step = D(draw(st.sampled_from(["0", "-0.00005", "-0.00006", "0.00005"])))
        ratio = draw(st.sampled_from(detail)) / 100 + step
        return [f"    amount: {fees * ratio:f}", f"    user_fees: {fees}"]
    fields = [f"    amount: {draw(AMOUNTS)}"]
    if draw(st.booleans()):
        fields.append(f"    currency: {draw(st.sampled_from(CURRENCIES))}")
    if kind == "fee" and draw(st.booleans()):
        fields.append(f"    user_fees: {draw(decimals(2, '1', '999999'))}")
    return fields


# Round shares and amounts with a third decimal make half cents, where rounding rules differ.
SHARES = st.sampled_from([0, 10, 25, 50, 100]) | st.integers(0, 100)
# Payouts small and large, so that some pay months off and some leave them owed.
PAYOUTS = decimals(2, "0.01", "5000") | decimals(2, "1000", "90000")
AMOUNTS = decimals(8, "0.00000001", "99999") | decimals(3, "0.001", "9999")


@st.composite
def data_sets(draw):
    """A random valid data set as YAML text: (agreements.yml, {file name: report})."""
    people = [f"p{i}" for i in range(draw(st.integers(1, 4)))]
    sponsors = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    connectors = {}
    reporting = draw(st.sampled_from(["USD", "EUR"]))
    foreign = [c for c in CURRENCIES if c != reporting]
    lines = ["foundation:", "  name: F", f"  currency: {reporting}",
             f"  maintainer_share: {draw(SHARES)}%", "people:"]
    lines += [f"  {p}:\n    name: Person {p}" for p in people]
    lines += ["sponsors:"] + [f"  {s}:\n    name: Sponsor {s}" for s in sponsors]
    lines += ["connectors:"]
    for index in range(draw(st.integers(1, 5))):
        cid = f"c{index}"
        sinces = sorted(draw(st.sets(st.sampled_from(MONTHS), min_size=1, max_size=3)))
        until = draw(st.none() | st.sampled_from([m for m in MONTHS if m >= sinces[-1]]))
        terms = []
        lines += [f"  {cid}:", f"    name: Connector {index}", f"    sponsor: {draw(st.sampled_from(sponsors))}",
                  f"    developer: {draw(st.sampled_from(people))}", "    terms:"]
        for since in sinces:
            if draw(st.booleans()):
                low = draw(st.integers(1, 60))
                high = draw(st.none() | st.integers(low + 1, 100))
                amount = f"{low}%" if high is None else f"{low}-{high}%"
                terms.append((since, "fee", (D(low), D(high if high is not None else low))))
                lines += [f"      - since: {since}", "        type: fee share", f"        amount: {amount}"]
            else:
                fee = draw(decimals(2, "1", "5000"))
                currency = draw(st.sampled_from(["USD", "USDT", "EUR"]))
                amount = f"${fee}" if currency == "USD" else f"{fee} {currency}"
                terms.append((since, "monthly", (fee, currency)))
                lines += [f"      - since: {since}", "        type: monthly fee", f"        amount: {amount}"]
            if draw(st.booleans()):
                lines.append(f"        maintainer: {draw(st.sampled_from(people))}")
                if draw(st.booleans()):
                    lines.append(f"        maintainer_share: {draw(SHARES | decimals(1, '0', '100'))}%")
        if until:
            lines.append(f"    until: {until}")
        connectors[cid] = (terms, until)

    def in_force(cid, month):
        terms, until = connectors[cid]
        if until and month > until:
            return None
        found = [t for t in terms if t[0] <= month]
        return found[-1] if found else None

    reports = {}
    published = []
    # Months are published in order: published ones first (a gap between them is only a warning), then
    # drafts; around the new year, so that the year files cross one.
    months = sorted(draw(st.sets(st.sampled_from(MONTHS[6:18]), max_size=6)))
    count = draw(st.integers(0, len(months)))
    for index, month in enumerate(months):
        status = "published" if index < count else "draft"
        rates = {c: draw(decimals(4, "0.0001", "50000")) for c in foreign}
        start = date.fromisoformat(f"{month}-01")
        # Published some days after the month; payouts dated from the month's start to months after
        # publication, so some come before their month is published.
        published_on = start + timedelta(days=draw(st.integers(32, 90)))
        body = [f"month: {month}", f"status: {status}",
                f"published: {published_on}" if status == "published" else "",
                "rates:"] + [f"  {c}: {r}" for c, r in rates.items()] + ["remittances:"]
        for cid in connectors:
            terms = in_force(cid, month)
            if terms and draw(st.booleans()):
                body += [f"  - connector: {cid}"] + draw(remittance(*terms[1:]))
        body.append("payouts:")
        for _ in range(draw(st.integers(0, 4))):
            body += [f"  - to: {draw(st.sampled_from(people))}", f"    amount: {draw(PAYOUTS)}",
                     f"    date: {start + timedelta(days=draw(st.integers(0, 300)))}"]
            if draw(st.booleans()):
                body.append(f"    currency: {draw(st.sampled_from(CURRENCIES))}")
        body.append("adjustments:")
        for _ in range(draw(st.integers(0, 2))):
            candidates = [(m, c) for m in published for c in connectors if in_force(c, m)]
            if candidates:
                corrected, cid = draw(st.sampled_from(candidates))
                amount = draw(decimals(2, "-500", "500").filter(lambda text: D(text) != 0))
                body += [f"  - month: {corrected}", f"    connector: {cid}", f"    amount: {amount}",
                         "    reason: restated"]
        reports[f"{month}.yml"] = "\n".join(line for line in body if line) + "\n"
        if status == "published":
            published.append(month)
    return "\n".join(lines) + "\n", reports


def write(folder, agreements, reports):
    import shutil
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "reports").mkdir(parents=True)
    (folder / "agreements.yml").write_text(agreements, encoding="utf-8")
    for name, text in reports.items():
        (folder / "reports" / name).write_text(text, encoding="utf-8")
    return folder


def round_half_up(value: Fraction) -> Fraction:
    """An independent rounding to the cent, in fractions, for cross-checking."""
    cents = value * 100
    sign = -1 if cents < 0 else 1
    return sign * Fraction(int(abs(cents) + Fraction(1, 2)), 100)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                              HealthCheck.too_slow])


@SETTINGS
@given(data_sets(), st.booleans())
def test_every_figure_reconciles(tmp_path, generated, drafts):
    dataset, diagnostics = load_dataset(write(tmp_path / "d", *generated))
    assert dataset is not None, "\n".join(map(str, diagnostics))
    ledger = compute(dataset, drafts=drafts)
    balances: dict[str, D] = {}
    for month in ledger.months:
        rates = month.report.rates
        for line in month.lines:
            rate = Fraction(rates.get(line.currency, D(1)))
            assert Fraction(line.value) == round_half_up(Fraction(line.amount) * rate)
            assert line.maintainer_part + line.foundation_part == line.value
            assert Fraction(line.maintainer_part) == round_half_up(Fraction(line.value) * Fraction(line.share))
        assert month.totals.remitted == sum((line.value for line in month.lines), D(0))
        assert month.totals.maintainers + month.totals.foundation == month.totals.remitted
        assert month.totals.paid == sum((p.value for p in month.payouts), D(0))
        assert sum(month.sponsors.values(), D(0)) == month.totals.remitted
        for entry in month.balances:
            assert entry.balance == balances.get(entry.person, D(0)) + entry.accrued - entry.paid
            balances[entry.person] = entry.balance
        for person, balance in balances.items():
            if balance:
                assert person in {b.person for b in month.balances}
    assert {p: t.balance for p, t in ledger.people.items()} == {p: b for p, b in balances.items()
                                                                  if p in ledger.people}


@SETTINGS
@given(data_sets())
def test_published_amounts_have_exactly_two_decimals(tmp_path, generated):
    dataset, _ = load_dataset(write(tmp_path / "d", *generated))
    files = data_files(dataset, *computed(dataset))
    money_keys = {"remitted", "maintainers", "foundation", "paid", "accrued", "balance"}

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in money_keys and isinstance(value, str):
                    assert CENTS.match(value), (key, value)
                    assert value != "-0.00"
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path, content in files.items():
        if path.endswith(".json"):
            document = json.loads(content)
            walk(document)
            if "connectors" in document and "totals" in document:
                total = sum(D(c["remitted"]) for c in document["connectors"])
                assert f"{total:.2f}" == document["totals"]["remitted"] or total == D(document["totals"]["remitted"])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_loader_raises_only_its_own_error_on_bytes(data):
    try:
        parse(data, "f.yml")
    except DataError as exc:
        assert exc.diagnostics and all(d.line >= 1 and d.col >= 1 for d in exc.diagnostics)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n[]{},&*!|>'\"#%@`?~0123456789.\t<\\") + ["é", "\u2028"]),
                  max_size=200)


@settings(max_examples=500, deadline=None)
@given(YAMLISH)
def test_loader_and_validator_raise_only_their_own_error_on_text(text):
    for name in ("agreements.yml", "reports/2024-01.yml"):
        try:
            document = parse(text.encode("utf-8"), name)
        except DataError:
            continue
        validate(document, []) if name == "agreements.yml" else validate(parse(b"{}", "agreements.yml"), [document])


documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.decimals(allow_nan=False).map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["month", "status", "remittances", "connector", "amount", "foundation", "people",
                         "connectors", "terms", "since", "type", "rates", "payouts", "x"]), children, max_size=5),
    max_leaves=30)


@settings(max_examples=500, deadline=None)
@given(documents, documents)
def test_validator_copes_with_any_yaml_document(agreements, report):
    try:
        docs = [parse(yaml.safe_dump(value).encode("utf-8"), name)
                for value, name in ((agreements, "agreements.yml"), (report, "reports/2024-01.yml"))]
    except DataError:
        return  # refused by the loader (a control character, say): its own error
    dataset, diagnostics = validate(docs[0], [docs[1]])
    assert dataset is not None or any(d.is_error for d in diagnostics)
