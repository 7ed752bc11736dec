#!/usr/bin/env python3
"""Data sets of several shapes for the audit, written independently of bench/synthetic.py.

synthetic.py makes one regular grid (every connector remits every month, one payout per person,
one adjustment a month, short ASCII names). The pages have to hold on data that looks nothing
like it, so each shape here pushes one dimension far past what the repository's data has:

- maintainer: one person maintaining (and developing) 40 connectors, with maintainer changes;
- names: people, sponsors and connectors named in 60-120 characters of Latin, Cyrillic, Greek,
  Arabic, Hebrew, Devanagari, Thai, Han and Hangul, with long stretches without a space, long
  ids, payment references that are 66-character transaction hashes, long adjustment reasons;
- payouts: hundreds of payouts to each person (a payout a connector a month);
- adjustments: dozens of adjustments booked every month;
- months: ten years of months;
- mix: 40 connectors x 48 months with a little of every shape above.

Every data set passes `python build.py check --data DIR`; a seed changes every name and figure,
so that the pages can be audited on data sets nobody has looked at.

    python bench/shapes.py OUT [--shape mix] [--seed 7]   # writes OUT/agreements.yml, OUT/reports/
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

# The last month the data sets hold: before the audit's build month (SOURCE_DATE_EPOCH, 2026-11),
# so that every agreement is in force or ended, none upcoming.
LAST = (2026, 9)

SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyz",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "devanagari": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह",
    "thai": "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ",
    "han": "交易所连接器维护协议资金透明报告基金会赞助者开发人员费用分成每月",
    "hangul": "거래소커넥터유지보수계약재단후원자개발자수수료월별보고서",
}


@dataclass
class Shape:
    """How a data set is made: the sizes, and what each month holds."""

    name: str
    about: str
    connectors: int
    months: int
    people: int
    sponsors: int
    long_names: float = 0.0  # the share of people, sponsors and connectors with a long name
    busiest: int = 0  # connectors maintained by the first person (the rest go round the others)
    payouts_per_line: bool = False  # a payout a connector a month instead of one a person a month
    adjustments: int = 1  # adjustments booked each month (at most)
    handovers: bool = True  # some connectors change maintainer, share or amount over time
    extras: dict = field(default_factory=dict)


SHAPES = {shape.name: shape for shape in (
    Shape("mix", "40 connectors x 48 months, a little of every shape", connectors=40, months=48, people=12,
          sponsors=16, long_names=0.25, busiest=12, adjustments=4),
    Shape("maintainer", "one person maintains 40 connectors", connectors=44, months=36, people=4, sponsors=12,
          busiest=40, adjustments=2),
    Shape("names", "every name 60-120 characters, many scripts, long unbroken stretches", connectors=30,
          months=24, people=10, sponsors=10, long_names=1.0, busiest=8, adjustments=3),
    Shape("payouts", "hundreds of payouts to each person", connectors=16, months=48, people=3, sponsors=6,
          busiest=8, payouts_per_line=True, adjustments=1),
    Shape("adjustments", "dozens of adjustments every month", connectors=24, months=36, people=6, sponsors=8,
          busiest=6, adjustments=40),
    Shape("months", "ten years of months", connectors=12, months=120, people=4, sponsors=6, busiest=4,
          adjustments=2),
)}


def month_at(index: int, months: int) -> str:
    """The month `index` of a data set of `months` months that ends at LAST."""
    total = LAST[0] * 12 + LAST[1] - 1 - (months - 1) + index
    return f"{total // 12}-{total % 12 + 1:02d}"


def _month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


class _Names:
    """Names and ids, short or long, never the same twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def word(self, script: str, length: int) -> str:
        return "".join(self.rng.choice(SCRIPTS[script]) for _ in range(length))

    def long(self) -> str:
        """60-120 characters: one script or two, stretches of 20-60 characters without a space."""
        target = self.rng.randint(60, 120)
        scripts = self.rng.sample(sorted(SCRIPTS), 2)
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < target:
            script = self.rng.choice(scripts)
            stretch = self.word(script, self.rng.randint(20, 60))
            parts.append(stretch.capitalize() if script in ("latin", "cyrillic", "greek") else stretch)
        return " ".join(parts)[:target].strip()

    def short(self, kind: str) -> str:
        return f"{kind} {self.word('latin', self.rng.randint(3, 9)).capitalize()}"

    def name(self, kind: str, long: bool) -> str:
        while True:
            name = self.long() if long else self.short(kind)
            if name not in self.used:
                self.used.add(name)
                return name

    def id(self, kind: str, number: int, long: bool) -> str:
        if long:  # ids are ASCII, but may be long: they end up in paths and file names
            return f"{kind}-{number}-" + self.word("latin", self.rng.randint(30, 50))
        return f"{kind}-{number}"


def _text(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _decimal(cents: int) -> str:
    """Cents as a plain decimal: -1234 is -12.34."""
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _hash(rng: random.Random) -> str:
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(64))


def generate(folder: Path, shape: str | Shape = "mix", seed: int = 1) -> Path:
    """Write agreements.yml and reports/ of a shape under `folder`."""
    shape = SHAPES[shape] if isinstance(shape, str) else shape
    rng = random.Random(f"{shape.name}/{seed}")
    names = _Names(rng)
    long = lambda: rng.random() < shape.long_names  # noqa: E731

    people = [names.id("person", p, long()) for p in range(shape.people)]
    sponsors = [names.id("sponsor", s, long()) for s in range(shape.sponsors)]
    connectors = [names.id("connector", c, long()) for c in range(shape.connectors)]

    out = ["# A data set of the audit's shape " + shape.name + ": " + shape.about + ".",
           "foundation:", "  name: Audit Foundation", "  currency: USD", "  maintainer_share: 50%",
           "  url: https://foundation.example.org",
           "  notice: " + _text("Audit data of the shape **" + shape.name + "**, not real payments.")]
    out.append("people:")
    for number, pid in enumerate(people):
        out += [f"  {pid}:", "    name: " + _text(names.name("Person", long()))]
        if number % 2 == 0:
            out.append(f"    github: {'gh' + names.word('latin', 6)}")
        if number % 3 == 1:
            out.append(f"    url: https://{names.word('latin', 8)}.example.org/" + names.word("latin", 20))
    out.append("sponsors:")
    for sid in sponsors:
        out += [f"  {sid}:", "    name: " + _text(names.name("Sponsor", long()))]
        if rng.random() < 0.7:
            out.append(f"    url: https://www.{names.word('latin', 10)}.example.com")

    # What each connector's terms are, month by month: (since, type, maintainer or None, fee or range, share)
    terms: dict[str, list[dict]] = {}
    until: dict[str, str] = {}
    for number, cid in enumerate(connectors):
        if number < shape.busiest:
            maintainer = people[0]
        else:
            maintainer = people[1 + number % max(1, len(people) - 1)] if len(people) > 1 else people[0]
        entries = []
        start = 0 if number % 7 else rng.randint(0, shape.months // 3)
        if number % 11 == 10:
            entries.append({"since": start, "type": "monthly fee", "amount": rng.choice([500, 750, 1000]),
                            "currency": rng.choice(["USD", "USDT"]), "maintainer": maintainer})
        else:
            low = rng.randint(15, 35)
            entries.append({"since": start, "type": "fee share", "low": low, "high": low + rng.choice([0, 10]),
                            "maintainer": None if number % 13 == 12 and number >= shape.busiest else maintainer})
        if shape.handovers and shape.months > 12:
            for _ in range(rng.randint(0, 3)):
                since = entries[-1]["since"] + rng.randint(3, max(4, shape.months // 3))
                if since >= shape.months:
                    break
                entry = dict(entries[-1], since=since)
                change = rng.choice(["maintainer", "share", "amount"])
                if change == "maintainer" and number >= shape.busiest:
                    entry["maintainer"] = rng.choice(people)
                elif change == "share":
                    entry["share"] = rng.choice([40, 60, 75])
                elif entry["type"] == "fee share":
                    entry["low"] = rng.randint(15, 35)
                    entry["high"] = entry["low"] + rng.choice([0, 10])
                else:
                    entry["amount"] += 250
                entries.append(entry)
        terms[cid] = entries
        if number % 9 == 8 and shape.months > 12:
            end = rng.randint(max(entries[-1]["since"], shape.months // 2), shape.months - 2)
            until[cid] = month_at(end, shape.months)

    out.append("connectors:")
    for number, cid in enumerate(connectors):
        entries = terms[cid]
        developer = people[0] if number < shape.busiest else rng.choice(people)
        out += [f"  {cid}:", "    name: " + _text(names.name("Connector", long())),
                f"    sponsor: {sponsors[number % len(sponsors)]}", f"    developer: {developer}"]
        if number % 4:
            out.append(f"    docs: /exchanges/{cid}")
        out.append("    terms:")
        for entry in entries:
            out.append(f"      - since: {month_at(entry['since'], shape.months)}")
            out.append(f"        type: {entry['type']}")
            if entry["type"] == "monthly fee":
                fee = entry["amount"]
                out.append(f"        amount: {'$' + str(fee) if entry['currency'] == 'USD' else f'{fee} USDT'}")
            elif entry["low"] == entry["high"]:
                out.append(f"        amount: {entry['low']}%")
            else:
                out.append(f"        amount: {entry['low']}-{entry['high']}%")
            if entry["maintainer"]:
                out.append(f"        maintainer: {entry['maintainer']}")
                if "share" in entry:
                    out.append(f"        maintainer_share: {entry['share']}%")
        if cid in until:
            out.append(f"    until: {until[cid]}")

    reports = folder / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    (folder / "agreements.yml").write_text("\n".join(out) + "\n", encoding="utf-8")

    def in_force(cid: str, index: int) -> dict | None:
        month = month_at(index, shape.months)
        if cid in until and month > until[cid]:
            return None
        current = None
        for entry in terms[cid]:
            if entry["since"] <= index:
                current = entry
        return current

    owed = {pid: 0 for pid in people}  # what each person accrued and was not paid yet, in cents (roughly)
    for index in range(shape.months):
        month = month_at(index, shape.months)
        after = _month_after(month)
        rate = rng.randint(9985, 10015) / 10000
        rates = {"USDT": f"{rate:.4f}", "EUR": f"{rng.randint(105, 112) / 100:.2f}"}
        head = [f"month: {month}", "status: published", f"published: {after}-{rng.randint(2, 9):02d}", "rates:"]
        lines = ["remittances:"]
        accrued: dict[str, list[tuple[str, int]]] = {}
        for number, cid in enumerate(connectors):
            entry = in_force(cid, index)
            if entry is None or rng.random() < 0.06:
                continue  # not in force, or nothing remitted this month
            lines.append(f"  - connector: {cid}")
            if entry["type"] == "monthly fee":
                fee = entry["amount"] if rng.random() > 0.1 else entry["amount"] - 50  # a shortfall, flagged
                lines.append(f"    amount: {fee}")
                if entry["currency"] != "USD":
                    lines.append("    currency: USDT")
                cents = fee * 100
            else:
                currency = rng.choice(["USD", "USDT", "USDT", "EUR"])
                fees = rng.randint(5_000, 9_000_000)
                share = rng.uniform(entry["low"], entry["high"]) / 100
                if rng.random() < 0.05:
                    share += 0.05  # outside the agreed range, flagged
                cents = round(fees * share)
                lines.append(f"    amount: {_decimal(max(cents, 1))}")
                if currency != "USD":
                    lines.append(f"    currency: {currency}")
                lines.append(f"    user_fees: {_decimal(fees)}")
                if rng.random() < 0.7:
                    lines.append(f"    volume: {fees * rng.randint(800, 1500) // 100}")
            if rng.random() < 0.5:
                reference = _hash(rng) if shape.long_names or rng.random() < 0.3 else f"wire {after}-{number}"
                lines.append(f"    reference: {_text(reference)}")
            if entry["maintainer"]:
                accrued.setdefault(entry["maintainer"], []).append((cid, cents // 2))
        payouts = ["payouts:"]
        for pid in people:
            for cid, cents in accrued.get(pid, []):
                owed[pid] += cents
            due = owed[pid]
            if due <= 0 or rng.random() < 0.15:
                continue  # paid later
            pieces = [c for _, c in accrued.get(pid, [])] if shape.payouts_per_line else [due]
            if shape.payouts_per_line and not pieces:
                pieces = [due]
            for piece in pieces:
                piece = max(1, min(piece, owed[pid]) if shape.payouts_per_line else piece)
                piece = round(piece * rng.uniform(0.95, 1.02))  # now and then a little in advance
                currency = rng.choice(["USD", "USDT"])
                payouts += [f"  - to: {pid}", f"    amount: {_decimal(max(piece, 1))}",
                            f"    date: {after}-{rng.randint(10, 28):02d}"]
                if currency != "USD":
                    payouts.append("    currency: USDT")
                if rng.random() < 0.8:
                    reference = _hash(rng) if rng.random() < 0.6 else f"batch {after}/{pid[:20]}"
                    payouts.append(f"    reference: {_text(reference)}")
                owed[pid] -= piece
        if len(payouts) > 1:
            lines += payouts
        adjustments = ["adjustments:"]
        if index > 0:
            for _ in range(rng.randint(shape.adjustments // 2, shape.adjustments)):
                corrected = rng.randint(max(0, index - 18), index - 1)
                candidates = [cid for cid in connectors if in_force(cid, corrected) is not None]
                if not candidates:
                    continue
                cid = rng.choice(candidates)
                amount = rng.randint(1, 250_000) * rng.choice([-1, 1])
                reason = _text(names.long() if shape.long_names else rng.choice(
                    ["restated fees", "a rebate tier applied late",
                     "the exchange recomputed its fee report after a failed settlement batch, "
                     "see ticket " + _hash(rng)]))
                adjustments += [f"  - month: {month_at(corrected, shape.months)}", f"    connector: {cid}",
                                f"    amount: {_decimal(amount)}", f"    reason: {reason}"]
                if rng.random() < 0.3:
                    adjustments.append("    currency: USDT")
        if len(adjustments) > 1:
            lines += adjustments
        if index % 5 == 0:
            lines += ["notes: |", "  Remitted in one batch; see https://example.org/" + names.word("latin", 70) + ".",
                      "", "  " + (names.long() if shape.long_names else "Nothing unusual this month.")]
        used = [code for code in rates if any(line.endswith(f"currency: {code}") for line in lines)]
        head += [f"  {code}: {rates[code]}" for code in used] if used else []
        if not used:
            head[-1] = "rates: {}"
        (reports / f"{month}.yml").write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="mix")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.folder, args.shape, args.seed)
    print(args.folder)


if __name__ == "__main__":
    main()
