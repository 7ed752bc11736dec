"""The verifier on chain (--rpc): payouts and remittances carried by real transactions of a local EVM, each way a
line can disagree with the chain refused with its own message, endpoints that fail, lie or disagree, and the
treasurer's batch (build.py pay) verifying once executed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ethnode
from conftest import run_cli, write_dataset
from ethnode import chain_fixture, chain_node_fixture  # noqa: F401 (fixtures: chain, chain_node)

AGREEMENTS = """\
foundation:
  name: Chain Foundation
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
  ana:
    name: Ana
    accounts:
      - chain: ethereum
        address: "{ana}"
  ben:
    name: Ben
    accounts:
      - chain: ethereum
        address: "{ben}"
sponsors:
  north:
    name: North Exchange
    accounts:
      - chain: ethereum
        address: "{north}"
connectors:
  north-spot:
    name: North Spot
    sponsor: north
    developer: ana
    terms:
      - since: 2024-01
        type: fee share
        amount: 30%
        maintainer: ana
"""


class Ledger:
    """A Foundation that is paid and pays on the local chain: its agreements, and a month's report to write."""

    def __init__(self, chain: ethnode.Chain):
        self.chain = chain
        self.usdc = chain.deploy_token("USDC", decimals=6)
        self.foundation = chain.safe("foundation")
        self.north = chain.account("north")
        self.people = {"ana": chain.address("ana"), "ben": chain.address("ben")}
        self.agreements = AGREEMENTS.format(foundation=self.foundation, usdc=self.usdc.address, north=self.north,
                                            **self.people)

    def remit(self, units: int, at: str = "2024-02-02", to: str | None = None) -> str:
        return self.chain.transfer_batch(self.north, self.usdc, [(to or self.foundation, units)], at=at)

    def pay(self, pairs: list, at: str = "2024-02-06", sender: str | None = None) -> str:
        return self.chain.transfer_batch(sender or self.foundation, self.usdc,
                                         [(self.people[who], units) for who, units in pairs], at=at)


def report(remittances: list, payouts: list) -> str:
    """January's report: remittances as (amount, tx), payouts as (person, amount, date, tx, address)."""
    lines = ["month: 2024-01", "status: published", "published: 2024-02-05", "rates:", "  USDC: 1", "remittances:"]
    for amount, tx in remittances:
        lines += ["  - connector: north-spot", f"    amount: {amount}", "    currency: USDC", f'    tx: "{tx}"']
    lines.append("payouts:" if payouts else "payouts: []")
    for person, amount, day, tx, address in payouts:
        lines += [f"  - to: {person}", f"    amount: {amount}", "    currency: USDC", f"    date: {day}",
                  f'    tx: "{tx}"', f'    address: "{address}"']
    return "\n".join(lines) + "\n"


def site_of(tmp_path: Path, ledger: Ledger, text: str) -> Path:
    data = write_dataset(tmp_path / "data", ledger.agreements, {"2024-01.yml": text})
    out = tmp_path / "site"
    result = run_cli("build", "--data", str(data), "-o", str(out), "--data-only", "-q")
    assert result.code == 0, result
    return out


def verify(site: Path, *args: str):
    return run_cli("verify", str(site), *args)


@pytest.fixture
def ledger(chain):
    return Ledger(chain)


def honest_month(ledger: Ledger) -> str:
    remitted = ledger.remit(1000_000000)
    batch = ledger.pay([("ana", 40_000000), ("ben", 10_500000)])
    return report([("1000", remitted)], [("ana", "40", "2024-02-06", batch, ledger.people["ana"]),
                                         ("ben", "10.5", "2024-02-06", batch, ledger.people["ben"])])


def test_an_honest_batch_verifies(tmp_path, ledger, chain_node):
    site = site_of(tmp_path, ledger, honest_month(ledger))
    result = verify(site, "--rpc", chain_node.url)
    assert result.code == 0, result
    assert result.out.rstrip().endswith("; 2 of 2 payouts and 1 of 1 remittance found on chain (ethereum, by 1 "
                                        "endpoint)")
    assert chain_node.batch_requests == 2 and chain_node.rpc_calls == 3  # 2 receipts, then the payouts' block


def test_without_rpc_the_site_says_what_it_did_not_check(tmp_path, ledger):
    result = verify(site_of(tmp_path, ledger, honest_month(ledger)))
    assert result.code == 0
    assert result.out.rstrip().endswith("; 2 payouts and 1 remittance carry a transaction, not checked on chain "
                                        "(--rpc URL checks them)")


def refused(site: Path, node: ethnode.Node, code: int = 1) -> list[str]:
    result = verify(site, "--rpc", node.url)
    assert result.code == code, result
    assert "Traceback" not in result.err
    return result.err.splitlines()


def one_payout(ledger: Ledger, tx: str, amount: str = "40", day: str = "2024-02-06", person: str = "ana",
               address: str | None = None) -> str:
    return report([], [(person, amount, day, tx, address or ledger.people[person])])


def claim(amount: str, to: str) -> str:
    return f"expected a Transfer of {int(float(amount) * 10**6)} base units ({amount} USDC) from the Foundation to {to}"


def test_an_amount_off_by_one_base_unit(tmp_path, ledger, chain_node):
    tx = ledger.pay([("ana", 39_999999)])
    ana = ledger.people["ana"]
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx)), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: another amount; {claim('40', ana)}, "
        f"found a Transfer of 39999999 base units (39.999999 USDC) from {ledger.foundation} to {ana}")


def test_another_recipient(tmp_path, ledger, chain_node):
    tx = ledger.pay([("ben", 40_000000)])
    ana, ben = ledger.people["ana"], ledger.people["ben"]
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx)), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: another recipient; {claim('40', ana)}, "
        f"found a Transfer of 40000000 base units (40 USDC) from {ledger.foundation} to {ben}")


def test_another_token(tmp_path, ledger, chain, chain_node):
    other = chain.deploy_token("FAKE", decimals=6)
    ana = ledger.people["ana"]
    tx = chain.transfer_batch(ledger.foundation, other, [(ana, 40_000000)], at="2024-02-06")
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx)), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: another token; {claim('40', ana)}, "
        f"found a Transfer of 40000000 base units of the token {other.address} from {ledger.foundation} to {ana}")


def test_a_transfer_from_an_account_that_is_not_the_foundations(tmp_path, ledger, chain, chain_node):
    mallory = chain.account("mallory")
    tx = ledger.pay([("ana", 40_000000)], sender=mallory)
    ana = ledger.people["ana"]
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx)), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: a transfer from an account that is not "
        f"the Foundation's; {claim('40', ana)}, found a Transfer of 40000000 base units (40 USDC) from {mallory} to "
        f"{ana}")


def test_a_failed_transaction(tmp_path, ledger, chain, chain_node):
    tx = chain.failed_transfer(ledger.foundation, ledger.usdc, [(ledger.people["ana"], 40_000000)], at="2024-02-06")
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx)), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: the transaction failed; "
        f"{claim('40', ledger.people['ana'])}, found status 0")


def test_an_unknown_transaction(tmp_path, ledger, chain_node):
    tx = "0x" + "ab" * 32
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx)), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: no such transaction; "
        f"{claim('40', ledger.people['ana'])}, found none")


def test_another_day(tmp_path, ledger, chain_node):
    tx = ledger.pay([("ana", 40_000000)], at="2024-02-06T23:59:59Z")
    assert refused(site_of(tmp_path, ledger, one_payout(ledger, tx, day="2024-02-07")), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[0] (to ana): tx {tx} on ethereum: its block is of another day (UTC); "
        "expected 2024-02-07, found 2024-02-06")


def test_one_transfer_claimed_by_two_payouts(tmp_path, ledger, chain_node):
    tx = ledger.pay([("ana", 40_000000)])
    ana = ledger.people["ana"]
    text = report([], [("ana", "40", "2024-02-06", tx, ana)] * 2)
    assert refused(site_of(tmp_path, ledger, text), chain_node)[0] == (
        f"data/reports/2024-01.json: payouts[1] (to ana): tx {tx} on ethereum: its Transfer is the one already matched "
        f"to payouts[0] (to ana) of data/reports/2024-01.json; {claim('40', ana)}, found one Transfer for two lines")


def test_a_remittance_to_an_account_that_is_not_the_foundations(tmp_path, ledger, chain, chain_node):
    elsewhere = chain.address("elsewhere")
    tx = ledger.remit(1000_000000, to=elsewhere)
    assert refused(site_of(tmp_path, ledger, report([("1000", tx)], [])), chain_node)[0] == (
        f"data/reports/2024-01.json: line 1 (north-spot): tx {tx} on ethereum: a transfer to an account that is not "
        f"the Foundation's; expected a Transfer of 1000000000 base units (1000 USDC) to the Foundation, found a "
        f"Transfer of 1000000000 base units (1000 USDC) from {ledger.north} to {elsewhere}")


def test_a_batch_carries_several_lines_each_matched_to_a_transfer_of_its_own(tmp_path, ledger, chain_node):
    tx = ledger.pay([("ana", 40_000000), ("ana", 40_000000), ("ben", 1)])
    ana, ben = ledger.people["ana"], ledger.people["ben"]
    text = report([], [("ana", "40", "2024-02-06", tx, ana), ("ben", "0.000001", "2024-02-06", tx, ben),
                       ("ana", "40", "2024-02-06", tx, ana)])
    result = verify(site_of(tmp_path, ledger, text), "--rpc", chain_node.url)
    assert result.code == 0, result
    assert "3 of 3 payouts and 0 of 0 remittances found on chain" in result.out


# --- Endpoints that fail, lie, disagree ------------------------------------------------------------

def test_an_endpoint_that_cannot_be_reached_exits_2(tmp_path, ledger, chain):
    site = site_of(tmp_path, ledger, honest_month(ledger))
    with ethnode.Node(chain) as node:
        url = node.url
    result = verify(site, "--rpc", url)
    assert result.code == 2
    assert result.err.splitlines()[-1] == f"error: cannot read {site}; nothing was verified"
    assert f"{url}: cannot be fetched from {url}: Connection refused" in result.err


@pytest.mark.parametrize("knobs, message", [
    ({"rpc_errors": {"*": ethnode.LIMIT_EXCEEDED}}, "answers eth_getTransactionReceipt 0x"),
    ({"invalid_json": True}, "its answer to eth_getTransactionReceipt is not valid JSON"),
    ({"http_status": 500}, "HTTP 500"),
    ({"batch": "missing"}, "answers 1 of the 2 calls of a batch of eth_getTransactionReceipt"),
    ({"batch": "duplicate"}, "answers a batch of eth_getTransactionReceipt with"),
    ({"batch": "object"}, "answers a batch of eth_getTransactionReceipt with an object"),
    ({"huge": 3_000_000}, "larger than 2000000 bytes"),
    ({"drip": 0.2}, "no complete answer from"),
    ({"truncate": 20}, "ended before its end"),
])
def test_an_endpoint_that_misbehaves_exits_2_within_its_bounds(tmp_path, ledger, chain, knobs, message):
    site = site_of(tmp_path, ledger, honest_month(ledger))
    with ethnode.Node(chain, **knobs) as node:
        result = verify(site, "--rpc", node.url, "--timeout", "2", "--max-bytes", "2000000")
    assert result.code == 2, result
    assert message in result.err and "Traceback" not in result.err, result.err


@pytest.mark.parametrize("batch", ["reverse", "shuffle"])
def test_batch_answers_in_any_order_are_matched_by_id(tmp_path, ledger, chain, batch):
    site = site_of(tmp_path, ledger, honest_month(ledger))
    with ethnode.Node(chain, batch=batch) as node:
        assert verify(site, "--rpc", node.url).code == 0


@pytest.mark.parametrize("lie, shown", [({"amount": 1}, "1 Transfer: 1 units"), ({"status": 0}, "status 0"),
                                        ({"missing": True}, "no such transaction")])
def test_two_endpoints_that_disagree_are_named_and_trusted_neither(tmp_path, ledger, chain, chain_node, lie, shown):
    site = site_of(tmp_path, ledger, one_payout(ledger, ledger.pay([("ana", 40_000000)])))
    tx = json.loads((site / "data" / "reports" / "2024-01.json").read_text())["payouts"][0]["tx"]
    with ethnode.Node(chain) as liar:
        liar.lie(tx, **lie)
        result = verify(site, "--rpc", chain_node.url, "--rpc", liar.url)
        assert verify(site, "--rpc", chain_node.url, "--rpc", chain_node.url).code == 0
    assert result.code == 2, result
    line = result.err.splitlines()[0]
    assert line.startswith(f"the endpoints disagree on eth_getTransactionReceipt {tx}: {chain_node.url} shows status "
                           f"1 in block ")
    assert f"{liar.url} shows " in line and shown in line.split(f"{liar.url} shows ")[1]
    assert line.endswith("one of them is wrong, and nothing is concluded from either")


def test_a_lying_timestamp_is_another_day_or_a_disagreement(tmp_path, ledger, chain):
    tx = ledger.pay([("ana", 40_000000)])
    site = site_of(tmp_path, ledger, one_payout(ledger, tx))
    with ethnode.Node(chain) as liar:
        liar.lie(tx, timestamp=0)
        assert "its block is of another day (UTC); expected 2024-02-06, found 1970-01-01" in refused(site, liar)[0]


def test_a_chain_that_is_not_declared_is_refused(tmp_path, ledger, chain_node):
    result = verify(site_of(tmp_path, ledger, honest_month(ledger)), "--rpc", chain_node.url, "--chain", "gnosis")
    assert result.code == 2
    assert result.err.splitlines()[0] == "--chain gnosis: not a chain of agreements.json; expected one of ethereum"


def test_a_line_that_says_tx_in_a_currency_that_is_no_token(tmp_path, ledger):
    site = site_of(tmp_path, ledger, honest_month(ledger))
    path = site / "data" / "reports" / "2024-01.json"
    document = json.loads(path.read_text())
    document["payouts"][0]["chain"] = "gnosis"
    path.write_text(json.dumps(document))
    result = verify(site)
    assert result.code == 1
    assert ("data/reports/2024-01.json: payouts[0] (to ana): the chain and token are not those of USDC in "
            f"agreements.json; expected chain ethereum, token {ledger.usdc.address}, found chain gnosis, token "
            f"{ledger.usdc.address}") in result.err.splitlines()


def test_the_on_chain_check_of_1000_payouts_uses_few_requests(tmp_path, ledger, chain, chain_node):
    pairs = [("ana" if index % 2 else "ben", 1_000000 + index) for index in range(1000)]
    txs = [ledger.pay(pairs[start:start + 10], at=f"2024-02-{6 + start // 100:02d}") for start in range(0, 1000, 10)]
    payouts = [(who, f"{units / 10**6:.6f}", f"2024-02-{6 + index // 100:02d}", txs[index // 10], ledger.people[who])
               for index, (who, units) in enumerate(pairs)]
    site = site_of(tmp_path, ledger, report([], payouts))
    chain_node.reset_counts()
    result = verify(site, "--rpc", chain_node.url)
    assert result.code == 0, result
    assert "1000 of 1000 payouts" in result.out
    assert chain_node.http_requests == 2 and chain_node.rpc_calls == 100 + len({chain.receipt(tx)["blockNumber"]
                                                                                 for tx in txs})


def test_the_standalone_file_checks_on_chain(tmp_path, ledger, chain_node):
    import subprocess
    import sys
    site = site_of(tmp_path, ledger, honest_month(ledger))
    done = subprocess.run([sys.executable, "-I", "-S", str(site / "data" / "verify.py"), str(site), "--rpc",
                           chain_node.url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 of 2 payouts and 1 of 1 remittance found on chain" in done.stdout


def test_the_treasurers_batch_once_executed_verifies(tmp_path, ledger, chain, chain_node):
    """pay writes the Safe CSV Airdrop file; the board executes it; pay --record puts its transaction in the report;
    the month published and built, every payout of the batch is found on chain."""
    remitted = ledger.remit(1000_000000)
    january = report([("1000", remitted)], [])
    february = "month: 2024-02\nstatus: draft\nrates:\n  USDC: 0.9998\nremittances: []\n"
    data = write_dataset(tmp_path / "data", ledger.agreements, {"2024-01.yml": january, "2024-02.yml": february})
    result = run_cli("pay", "2024-02", "--currency", "USDC", "--data", str(data))
    assert result.code == 0, result
    airdrop = (data / "payouts" / "2024-02-USDC.csv").read_text()
    assert airdrop.splitlines()[1].endswith(",500.10002,ana")  # 500 USD owed at 0.9998 USD a USDC, rounded down
    [tx] = chain.execute_airdrop(airdrop, ledger.foundation, at="2024-03-06")
    result = run_cli("pay", "2024-02", "--currency", "USDC", "--record", tx, "--date", "2024-03-06", "--data", str(data))
    assert result.code == 0, result
    report_path = data / "reports" / "2024-02.yml"
    report_path.write_text(report_path.read_text().replace("status: draft", "status: published\npublished: 2024-03-05"))
    site = tmp_path / "site"
    assert run_cli("build", "--data", str(data), "-o", str(site), "--data-only", "-q").code == 0
    result = verify(site, "--rpc", chain_node.url)
    assert result.code == 0, result
    assert "1 of 1 payout and 1 of 1 remittance found on chain (ethereum, by 1 endpoint)" in result.out


def test_an_account_changed_in_the_accounts_table_is_refused(tmp_path, ledger):
    """Whoever reads accounts.csv to pay a person must find the address that agreements.json gives."""
    site = site_of(tmp_path, ledger, honest_month(ledger))
    table = site / "data" / "accounts.csv"
    rows = table.read_text().splitlines()
    row = next(number for number, line in enumerate(rows) if line.startswith("person,ana,"))
    right = rows[row].rsplit(",", 1)[1]
    wrong = "0x" + "ab" * 20
    rows[row] = rows[row].replace(right, wrong)
    table.write_text("\n".join(rows) + "\n")
    result = verify(site)
    assert result.code == 1, result
    assert result.err.splitlines()[0] == (f"data/accounts.csv: row {row + 1}: address disagrees with agreements.json; "
                                          f"expected {right}, found {wrong}")
