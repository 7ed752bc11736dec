"""A synthetic data set of C connectors x M months, deterministic for a given size."""

from __future__ import annotations

import random
from pathlib import Path


def month_name(index: int, start_year: int = 2020) -> str:
    return f"{start_year + index // 12}-{index % 12 + 1:02d}"


def generate(folder: Path, connectors: int, months: int, seed: int = 1) -> Path:
    """Write agreements.yml and reports/ for `connectors` x `months` under `folder`."""
    rng = random.Random(seed)
    people = max(2, connectors // 5)
    sponsors = max(1, connectors // 2)
    out = ["foundation:", "  name: Synthetic Foundation", "  currency: USD", "  maintainer_share: 50%",
           "  notice: Synthetic data for the benchmark.", "people:"]
    for p in range(people):
        out += [f"  person-{p}:", f"    name: Person {p}", f"    github: person-{p}"]
    out.append("sponsors:")
    for s in range(sponsors):
        out += [f"  sponsor-{s}:", f"    name: Sponsor {s}", f"    url: https://sponsor-{s}.example.com"]
    out.append("connectors:")
    monthly_fee = set()
    for c in range(connectors):
        out += [f"  connector-{c}:", f"    name: Connector {c}", f"    sponsor: sponsor-{c % sponsors}",
                f"    developer: person-{c % people}", f"    docs: /exchanges/connector-{c}", "    terms:"]
        if c % 10 == 9:
            monthly_fee.add(c)
            out += ["      - since: " + month_name(0), "        type: monthly fee", "        amount: $750"]
        else:
            out += ["      - since: " + month_name(0), "        type: fee share", "        amount: 20-40%",
                    f"        maintainer: person-{c % people}"]
            if months > 12:
                out += ["      - since: " + month_name(12), "        type: fee share", "        amount: 30%",
                        f"        maintainer: person-{(c + 1) % people}", "        maintainer_share: 60%"]
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    (folder / "agreements.yml").write_text("\n".join(out) + "\n")
    for m in range(months):
        month = month_name(m)
        next_month = month_name(m + 1)
        lines = [f"month: {month}", "status: published", f"published: {next_month}-05", "rates:",
                 f"  USDT: {rng.randint(9990, 10010) / 10000:.4f}", "remittances:"]
        for c in range(connectors):
            if c in monthly_fee:
                lines += [f"  - connector: connector-{c}", "    amount: 750"]
                continue
            fees = rng.randint(100, 99999)
            amount = fees * rng.randint(28, 42) / 100
            lines += [f"  - connector: connector-{c}", f"    amount: {amount:.2f}", "    currency: USDT",
                      f"    user_fees: {fees}", f"    volume: {fees * 1000}", f"    reference: wire {month}/{c}"]
        lines.append("payouts:")
        for p in range(people):
            lines += [f"  - to: person-{p}", f"    amount: {rng.randint(1, 900)}.{rng.randint(0, 99):02d}",
                      f"    date: {next_month}-10", f"    reference: tx-{month}-{p}"]
        if m > 0:
            lines += ["adjustments:", f"  - month: {month_name(m - 1)}", "    connector: connector-0",
                      "    amount: -1.25", "    reason: restated"]
        (folder / "reports" / f"{month}.yml").write_text("\n".join(lines) + "\n")
    return folder
