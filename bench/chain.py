"""The on-chain check against a node that answers slowly: 1,000 payouts carried by 100 transactions on a local
EVM (tests/ethnode.py), served with 50 ms added to every HTTP request, checked by data/verify.py --rpc in JSON-RPC
batches against the same check made one request at a time.

    python bench/chain.py [--payouts 1000] [--per-tx 10] [--latency 0.05] [--repeat 3]

Prints both times (medians), the requests each made and the ratio; exit status 1 when the batched check is not
at least 10 times faster or takes 5 s or more (the targets of issue 17).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import ethnode  # noqa: E402
from transparency import verify  # noqa: E402
from transparency.cli import main as cli  # noqa: E402

AGREEMENTS = """\
foundation:
  name: Bench Foundation
  currency: USD
  maintainer_share: 50%
  accounts:
    - chain: ethereum
      address: "{foundation}"
chains:
  ethereum:
    name: Ethereum
tokens:
  USDC:
    chain: ethereum
    contract: "{usdc}"
    decimals: 6
people:
{people}
sponsors:
  north:
    name: North
connectors:
  north-spot:
    name: North Spot
    sponsor: north
    developer: p0
    terms:
      - since: 2024-01
        type: fee share
        amount: 30%
"""


def data_set(folder: Path, chain: ethnode.Chain, payouts: int, per_tx: int) -> Path:
    """A month whose payouts are carried on chain, `per_tx` to a transaction, every transaction executed."""
    usdc = chain.deploy_token("USDC", decimals=6)
    foundation = chain.safe("foundation")
    names = [f"p{index}" for index in range(max(1, per_tx))]
    addresses = {name: chain.address(name) for name in names}
    people = "\n".join(f"  {name}:\n    name: Person {name}\n    accounts:\n      - chain: ethereum\n"
                       f'        address: "{address}"' for name, address in addresses.items())
    lines = ["month: 2024-01", "status: published", "published: 2024-02-05", "rates:", "  USDC: 1",
             "remittances: []", "payouts:"]
    for start in range(0, payouts, per_tx):
        day = f"2024-02-{6 + start * 20 // payouts:02d}"
        batch = [(names[index % len(names)], 1_000_000 + index) for index in range(start, min(payouts, start + per_tx))]
        tx = chain.transfer_batch(foundation, usdc, [(addresses[name], units) for name, units in batch], at=day)
        for name, units in batch:
            lines += [f"  - to: {name}", f"    amount: {units / 10**6:.6f}", "    currency: USDC", f"    date: {day}",
                      f'    tx: "{tx}"', f'    address: "{addresses[name]}"']
    (folder / "reports").mkdir(parents=True)
    (folder / "agreements.yml").write_text(AGREEMENTS.format(foundation=foundation, usdc=usdc.address, people=people))
    (folder / "reports" / "2024-01.yml").write_text("\n".join(lines) + "\n")
    return folder


def timed(site: Path, url: str) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
        code = verify.main([str(site), "--rpc", url])
    if code != 0:
        raise SystemExit(f"verify exited {code}: {err.getvalue()[:500]}")
    assert "payouts" in out.getvalue()
    return time.perf_counter() - started


def one_request_at_a_time(self, method: str, params: list) -> list:
    return [self._batch(method, [param])[0] for param in params]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payouts", type=int, default=1000)
    parser.add_argument("--per-tx", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        chain = ethnode.Chain()
        data = data_set(tmp / "data", chain, args.payouts, args.per_tx)
        site = tmp / "site"
        with contextlib.redirect_stdout(io.StringIO()):
            if cli(["build", "--data", str(data), "-o", str(site), "--data-only", "-q"]) != 0:
                raise SystemExit("the benchmark's data set does not build")
        for number in range(chain.block_number + 1):  # what a node has at hand: the receipts and blocks, made once
            block = chain.block(number)
            for tx in block["transactions"]:
                chain.receipt(tx)
        with ethnode.Node(chain, latency=args.latency) as node:
            figures = {}
            for name in ("batched", "one at a time"):
                original = verify.Endpoint.call
                if name == "one at a time":
                    verify.Endpoint.call = one_request_at_a_time
                try:
                    times, requests = [], []
                    for _ in range(args.repeat if name == "batched" else 1):
                        node.reset_counts()
                        times.append(timed(site, node.url))
                        requests.append(node.http_requests)
                finally:
                    verify.Endpoint.call = original
                figures[name] = (statistics.median(times), requests[0])
    batched, single = figures["batched"], figures["one at a time"]
    transactions = -(-args.payouts // args.per_tx)
    print(f"on chain: {args.payouts} payouts in {transactions} transactions, {args.latency * 1000:.0f} ms added to "
          "each HTTP request")
    print(f"  {'batched (verify.py --rpc)':<30}{batched[0]:7.2f} s   {batched[1]:5d} HTTP requests")
    print(f"  {'one request at a time':<30}{single[0]:7.2f} s   {single[1]:5d} HTTP requests")
    ratio = single[0] / batched[0]
    print(f"  {'batched is faster by':<30}{ratio:7.1f}x   (targets: 10x or more, under 5 s)")
    return 0 if ratio >= 10 and batched[0] < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
