"""The local Ethereum node of tests/ethnode.py: its hand-assembled token on a real EVM, the chain's helpers
(batches, Safes, block times, CSV airdrops), the JSON-RPC answers against the shapes of the execution API
specification (tests/fixtures/eth-rpc-shapes.json), and each way it misbehaves on request."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

import ethnode
from ethnode import TRANSFER_TOPIC, Chain, Node, base_units, token_units, topic
from ethnode import chain_fixture, chain_node_fixture  # noqa: F401 (the fixtures chain and chain_node)

SHAPES = json.loads((Path(__file__).parent / "fixtures" / "eth-rpc-shapes.json").read_text())
UNKNOWN_TX = "0x" + "ab" * 32


def shape(name: str, value) -> None:
    """Fail unless `value` has the shape `name` of tests/fixtures/eth-rpc-shapes.json."""
    jsonschema.Draft202012Validator({**SHAPES, "$ref": f"#/$defs/{name}"}).validate(value)


def post(url: str, body: bytes | str, content_type: str = "application/json", timeout: float = 5):
    """(status, headers, body) of a POST; the body read to its end."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", "/", body, {"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def call(method: str, *params, id_=1) -> dict:
    return {"jsonrpc": "2.0", "id": id_, "method": method, "params": list(params)}


def rpc(node: Node, payload):
    """The decoded answer of the node to `payload` (a request or a list of them)."""
    status, _, body = post(node.url, json.dumps(payload))
    assert status == 200, body
    return json.loads(body)


@pytest.fixture(scope="module")
def paid():
    """A chain where a Safe paid two people in one batch of USDT (6 decimals) on 2024-03-06, then failed to pay
    again; shared by the tests that only read it."""
    chain = Chain()
    usdt = chain.deploy_token("USDT", decimals=6)
    foundation = chain.safe("foundation")
    ana, ben = chain.address("ana"), chain.address("ben")
    tx = chain.transfer_batch(foundation, usdt, [(ana, 40_000_000), (ben, 12_500_000)], at="2024-03-06")
    failed = chain.failed_transfer(foundation, usdt, [(ana, 1)], at="2024-03-07")
    return chain, tx, {"usdt": usdt, "foundation": foundation, "ana": ana, "ben": ben, "failed": failed}


@pytest.fixture
def node(paid):
    """An honest node serving the `paid` chain."""
    with Node(paid[0]) as node:
        yield node


# --- The token's bytecode ------------------------------------------------------------------------------------------


def test_the_assembly_is_the_pinned_bytecode():
    assert ethnode.TOKEN_RUNTIME.hex() == (
        "3680603f16606157801560615760005b8060200135600052803573ffffffffffffffffffffffffffffffffffffffff1633"
        "7fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60206000a3604001818110600f57005b"
        "600080fd")
    assert ethnode.SAFE_RUNTIME.hex() == "60203603806020600037600080826000806000355af1601d57600080fd5b00"
    # every jump lands on a JUMPDEST
    assert ethnode.TOKEN_RUNTIME[0x0F] == ethnode.TOKEN_RUNTIME[0x61] == ethnode.SAFE_RUNTIME[0x1D] == 0x5B


def test_deployed_code_is_the_runtime(chain):
    usdt = chain.deploy_token("USDT")
    assert chain.code_at(usdt.address) == ethnode.TOKEN_RUNTIME
    assert chain.code_at(chain.safe("foundation")) == ethnode.SAFE_RUNTIME
    assert chain.code_at(chain.account("ana")) == b""


def test_a_batch_is_one_transaction_with_one_transfer_log_a_pair_in_order(chain):
    usdt = chain.deploy_token("USDT")
    sender = chain.account("treasurer")
    pairs = [(chain.address(name), amount) for name, amount in [("ana", 1), ("ben", 0), ("cy", 2**256 - 1)]]
    receipt = chain.receipt(chain.transfer_batch(sender, usdt, pairs))
    assert receipt["status"] == "0x1"
    assert (receipt["from"], receipt["to"]) == (sender, usdt.address)
    assert [log["logIndex"] for log in receipt["logs"]] == ["0x0", "0x1", "0x2"]
    for log, (to, amount) in zip(receipt["logs"], pairs, strict=True):
        assert log["address"] == usdt.address
        assert log["topics"] == [TRANSFER_TOPIC, "0x" + "0" * 24 + sender[2:], "0x" + "0" * 24 + to[2:]]
        assert log["data"] == "0x" + f"{amount:064x}"
        assert int(log["data"], 16) == amount


def test_topics_are_addresses_padded_to_32_bytes_whatever_the_calldata_word_holds(chain):
    usdt = chain.deploy_token("USDT")
    sender, ana = chain.account("treasurer"), chain.address("ana")
    dirty = bytes.fromhex("ee" * 12 + ana[2:]) + (7).to_bytes(32, "big")  # upper 12 bytes not zero
    (log,) = chain.receipt(chain.call_token(sender, usdt, dirty))["logs"]
    assert log["topics"][2] == topic(ana) == "0x" + "0" * 24 + ana[2:]
    assert len(bytes.fromhex(log["topics"][1][2:])) == 32


@pytest.mark.parametrize("calldata", [b"", b"\0" * 63, b"\0" * 65, b"\0" * 127])
def test_calldata_that_is_not_whole_pairs_reverts(chain, calldata):
    usdt = chain.deploy_token("USDT")
    receipt = chain.receipt(chain.call_token(chain.account("treasurer"), usdt, calldata))
    assert (receipt["status"], receipt["logs"]) == ("0x0", [])
    assert int(receipt["gasUsed"], 16) < 100_000  # a REVERT, not an out-of-gas: most of the gas is left


def test_a_failed_transfer_is_mined_with_status_0_and_no_log(chain):
    usdt = chain.deploy_token("USDT")
    for sender in chain.account("treasurer"), chain.safe("foundation"):
        tx = chain.failed_transfer(sender, usdt, [(chain.address("ana"), 5)])
        receipt = chain.receipt(tx)
        assert (receipt["status"], receipt["logs"], receipt["transactionHash"]) == ("0x0", [], tx)
        assert tx in chain.block(int(receipt["blockNumber"], 16))["transactions"]
        assert receipt["logsBloom"] == "0x" + "0" * 512


def test_a_safe_batch_is_sent_by_its_owner_and_its_logs_come_from_the_safe(paid):
    chain, tx, names = paid
    receipt = chain.receipt(tx)
    assert receipt["from"] == chain.address("foundation owner") != names["foundation"]
    assert receipt["to"] == names["foundation"]
    assert [(log["address"], log["topics"][1], log["topics"][2], int(log["data"], 16)) for log in receipt["logs"]] == [
        (names["usdt"].address, topic(names["foundation"]), topic(names["ana"]), 40_000_000),
        (names["usdt"].address, topic(names["foundation"]), topic(names["ben"]), 12_500_000),
    ]


def test_a_large_batch_fits_in_one_transaction(chain):
    usdt = chain.deploy_token("USDT")
    pairs = [(chain.address(f"p{i}"), i) for i in range(300)]
    receipt = chain.receipt(chain.transfer_batch(chain.safe("foundation"), usdt, pairs))
    assert receipt["status"] == "0x1" and len(receipt["logs"]) == 300


def test_the_logs_bloom_is_the_evms(paid):
    chain, tx, _ = paid
    receipt, block = chain.receipt(tx), chain.block(int(chain.receipt(tx)["blockNumber"], 16))
    assert receipt["logsBloom"] == block["logsBloom"] != "0x" + "0" * 512


# --- Accounts, tokens, amounts, times ------------------------------------------------------------------------------


def test_names_give_stable_addresses_of_one_kind(chain):
    ana = chain.address("ana")
    assert ana == Chain().address("ana") != chain.address("ben")
    assert chain.account("treasurer") == chain.account("treasurer") == chain.address("treasurer")
    assert chain.safe("foundation") == chain.safe("foundation") == chain.address("foundation")
    for address in ana, chain.address("treasurer"), chain.address("foundation"):
        assert address == address.lower() and len(address) == 42
    with pytest.raises(ValueError, match="not an account"):
        chain.account("ana")
    with pytest.raises(ValueError, match="not a safe"):
        chain.safe("treasurer")
    with pytest.raises(ValueError, match="owner"):
        chain.safe("dao", owner=ana)


def test_accounts_past_the_genesis_ones_are_funded_by_a_transaction(chain):
    usdt = chain.deploy_token("USDT")
    accounts = [chain.account(f"signer {n}") for n in range(12)]
    assert len(set(accounts)) == 12
    for sender in accounts[-3:]:  # new keys, funded for gas
        assert chain.receipt(chain.transfer_batch(sender, usdt, [(chain.address("ana"), 1)]))["status"] == "0x1"
    assert chain.account("signer 11") == accounts[-1]


def test_tokens_keep_their_decimals_and_are_found_by_symbol_or_address(chain):
    usdt, weth = chain.deploy_token("USDT", 6), chain.deploy_token("WETH", 18)
    assert usdt.address != weth.address
    assert chain.token("WETH") is chain.token(weth.address.upper().replace("0X", "0x")) is weth
    assert (usdt.decimals, weth.decimals) == (6, 18)
    assert weth.base_units("1.5") == 15 * 10**17
    with pytest.raises(ValueError, match="already"):
        chain.deploy_token("USDT", 6)
    with pytest.raises(KeyError):
        chain.token("DAI")


def test_only_the_chains_own_accounts_and_safes_can_send(chain):
    usdt = chain.deploy_token("USDT")
    with pytest.raises(ValueError, match="neither an account"):
        chain.transfer_batch(chain.address("stranger"), usdt, [(chain.address("ana"), 1)])


@pytest.mark.parametrize(("amount", "decimals", "units"), [
    ("10.5", 6, 10_500_000), ("0.000001", 6, 1), ("1E-6", 6, 1), ("40", 6, 40_000_000), ("40.000000", 6, 40_000_000),
    (Decimal(3), 0, 3), (7, 2, 700), (" 1.25 ", 2, 125),
    ("123456789012345678901234567890.123456789012345678", 18, 123456789012345678901234567890123456789012345678),
])
def test_amounts_convert_to_base_units_exactly(amount, decimals, units):
    assert base_units(amount, decimals) == units
    assert token_units(units, decimals) == Decimal(str(amount).strip())


@pytest.mark.parametrize(("amount", "error"), [
    ("0.0000001", ValueError), ("1.1234567", ValueError), ("abc", ValueError), ("Infinity", ValueError),
    (0.1, TypeError),
])
def test_amounts_that_do_not_fit_are_refused(amount, error):
    with pytest.raises(error):
        base_units(amount, 6)


def day_and_time(chain, tx) -> str:
    return datetime.fromtimestamp(chain.timestamp_of(tx), UTC).isoformat()


def test_block_times(chain):
    usdt = chain.deploy_token("USDT")
    sender, ana = chain.account("treasurer"), chain.address("ana")

    def pay(at=None):
        return chain.transfer_batch(sender, usdt, [(ana, 1)], at=at)

    assert day_and_time(chain, pay("2024-03-06")) == "2024-03-06T12:00:00+00:00"
    assert day_and_time(chain, pay(date(2024, 3, 6))) == "2024-03-06T12:00:01+00:00"  # the same day, later
    assert day_and_time(chain, pay()) == "2024-03-06T12:00:13+00:00"  # BLOCK_INTERVAL later
    assert day_and_time(chain, pay("2024-03-06T23:59:59Z")) == "2024-03-06T23:59:59+00:00"
    assert day_and_time(chain, pay(datetime(2024, 3, 7, 0, 0, 0, tzinfo=UTC))) == "2024-03-07T00:00:00+00:00"
    assert day_and_time(chain, pay(1_717_200_000)) == "2024-06-01T00:00:00+00:00"
    with pytest.raises(ValueError, match="only move forward"):
        pay("2024-03-06")
    with pytest.raises(ValueError, match="time zone"):
        pay(datetime(2024, 7, 1))
    assert chain.block("latest")["timestamp"] == hex(1_717_200_000)  # refused times leave no block


def test_genesis_is_chosen(chain):
    assert chain.block(0)["timestamp"] == hex(int(ethnode.GENESIS.timestamp()))
    later = Chain(genesis=datetime(2023, 1, 1, tzinfo=UTC))
    assert later.block("earliest")["timestamp"] == hex(1_672_531_200)


# --- Safe CSV Airdrop files ----------------------------------------------------------------------------------------


def test_an_airdrop_file_is_one_batch_per_token_in_its_order(chain):
    usdt, weth = chain.deploy_token("USDT", 6), chain.deploy_token("WETH", 18)
    foundation, ana, ben = chain.safe("foundation"), chain.address("ana"), chain.address("ben")
    checksummed = "0x" + usdt.address[2:].upper()
    csv_text = (
        "token_type,token_address,receiver,amount,id\r\n"
        f"erc20,{checksummed},{ana},40.5,\r\n"
        f"erc20,{weth.address},{ben},0.000000000000000001,\r\n"
        f"ERC20,{usdt.address},{ben},12,\r\n"
    )
    first, second = chain.execute_airdrop(csv_text, foundation, at="2024-03-06")
    logs = [chain.receipt(tx)["logs"] for tx in (first, second)]
    assert [(log["address"], log["topics"][2], int(log["data"], 16)) for log in logs[0]] == [
        (usdt.address, topic(ana), 40_500_000), (usdt.address, topic(ben), 12_000_000)]
    assert [(log["address"], log["topics"][2], int(log["data"], 16)) for log in logs[1]] == [
        (weth.address, topic(ben), 1)]
    assert {day_and_time(chain, tx)[:10] for tx in (first, second)} == {"2024-03-06"}


def test_an_airdrop_takes_the_decimals_it_is_given(chain):
    usdt = chain.deploy_token("USDT", 6)
    csv_text = f"token_type,token_address,receiver,amount,id\nerc20,{usdt.address},{chain.address('ana')},1.5,\n"
    (tx,) = chain.execute_airdrop(csv_text, chain.account("treasurer"), {"0x" + usdt.address[2:].upper(): 2})
    assert int(chain.receipt(tx)["logs"][0]["data"], 16) == 150


@pytest.mark.parametrize(("row", "error"), [
    ("nft,{token},{to},1,7", "only erc20"),
    ("native,,{to},1,", "only erc20"),
    ("erc20,{token},{to},1.0000001,", "more than 6 decimals"),
    ("erc20,{token},{to},-1,", "positive"),
    ("erc20,{token},{to},,", "positive"),
    ("erc20,{token},ana.eth,1,", "not an address"),
    ("erc20,0x" + "12" * 20 + ",{to},1,", "no decimals known"),
])
def test_an_airdrop_file_with_a_wrong_row_is_refused(chain, row, error):
    usdt = chain.deploy_token("USDT", 6)
    csv_text = "token_type,token_address,receiver,amount,id\n" + row.format(token=usdt.address, to=chain.address("a"))
    with pytest.raises(ValueError, match=error):
        chain.execute_airdrop(csv_text, chain.account("treasurer"))


def test_an_airdrop_file_needs_its_header(chain):
    with pytest.raises(ValueError, match="header"):
        chain.execute_airdrop("erc20,0x" + "12" * 20 + ",0x" + "34" * 20 + ",1,\n", chain.account("treasurer"))


# --- The JSON-RPC answers, against the specification's shapes --------------------------------------------------


def test_every_answer_has_the_specifications_shape(paid, node):
    jsonschema.Draft202012Validator.check_schema(SHAPES)
    chain, tx, names = paid
    failed = names["failed"]
    requests = [
        call("eth_chainId"), call("eth_blockNumber"),
        call("eth_getTransactionReceipt", tx), call("eth_getTransactionReceipt", failed),
        call("eth_getTransactionReceipt", UNKNOWN_TX),
        call("eth_getBlockByNumber", "latest", False), call("eth_getBlockByNumber", "0x0", False),
        call("eth_getBlockByNumber", chain.receipt(tx)["blockNumber"], False),
        call("eth_getBlockByNumber", "0xffff", False),
    ]
    for request in requests:
        response = rpc(node, request)
        shape("response", response)
        shape(request["method"], response["result"])
    # every transaction: contract creations, token calls that succeeded and failed
    for number in range(1, chain.block_number + 1):
        for t in chain.block(number)["transactions"]:
            response = rpc(node, call("eth_getTransactionReceipt", t))
            shape("receipt", response["result"])
            assert (response["result"]["to"] is None) == (response["result"]["contractAddress"] is not None)


@pytest.mark.parametrize(("path", "value"), [
    (("from",), "0x" + "AB" * 20),                 # addresses in lowercase
    (("to",), "0x" + "ab" * 19),                   # 20 bytes
    (("blockNumber",), "0x01"),                    # no leading zero
    (("gasUsed",), "12"),                          # hex
    (("status",), "0x2"),
    (("logs", 0, "topics", 1), "0x" + "ab" * 20),  # topics are 32 bytes
    (("logs", 0, "data"), "0xABCD"),
    (("logs", 0, "logIndex"), 0),
    (("logsBloom",), "0x00"),
    (("logs", 0, "extra"), "0x"),                  # no other field
])
def test_the_shapes_refuse_what_the_specification_refuses(paid, path, value):
    chain, tx, _ = paid
    receipt = chain.receipt(tx)
    shape("receipt", receipt)
    *parents, last = path
    target = receipt
    for key in parents:
        target = target[key]
    target[last] = value
    with pytest.raises(jsonschema.ValidationError):
        shape("receipt", receipt)


def test_the_answers_are_the_chains(paid, node):
    chain, tx, _ = paid
    answer = rpc(node, [call("eth_chainId", id_=1), call("eth_blockNumber", id_=2),
                              call("eth_getTransactionReceipt", tx, id_=3),
                              call("eth_getTransactionReceipt", UNKNOWN_TX, id_=4),
                              call("eth_getBlockByNumber", chain.receipt(tx)["blockNumber"], False, id_=5),
                              call("eth_getBlockByNumber", hex(chain.block_number + 1), False, id_=6)])
    results = {r["id"]: r["result"] for r in answer}
    assert results == {1: hex(chain.chain_id), 2: hex(chain.block_number), 3: chain.receipt(tx), 4: None,
                       5: chain.block(int(chain.receipt(tx)["blockNumber"], 16)), 6: None}
    assert datetime.fromtimestamp(int(results[5]["timestamp"], 16), UTC).date() == date(2024, 3, 6)
    assert tx in results[5]["transactions"]


def strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def test_hex_is_lowercase_and_quantities_have_no_leading_zeros(paid, node):
    _, tx, _ = paid
    answer = rpc(node, [call("eth_getTransactionReceipt", tx), call("eth_getBlockByNumber", "latest", False),
                              call("eth_chainId"), call("eth_blockNumber")])
    values = [v for v in strings(answer) if v.startswith("0x")]
    assert len(values) > 50 and all(v == v.lower() for v in values)
    receipt, block = answer[0]["result"], answer[1]["result"]
    quantities = [receipt[k] for k in ("blockNumber", "gasUsed", "status", "transactionIndex", "effectiveGasPrice")]
    quantities += [block[k] for k in ("number", "timestamp", "gasLimit", "size", "difficulty")]
    quantities += [answer[2]["result"], answer[3]["result"], *(log["logIndex"] for log in receipt["logs"])]
    assert all(q == "0x0" or not q.startswith("0x0") for q in quantities)
    assert receipt["transactionIndex"] == "0x0" and block["difficulty"] == "0x0"


def test_tags_and_hashes_in_either_case(paid, node):
    chain, tx, _ = paid
    latest = chain.block(chain.block_number)
    for tag in "latest", "safe", "finalized", "pending", hex(chain.block_number).upper().replace("0X", "0x"):
        assert rpc(node, call("eth_getBlockByNumber", tag, False))["result"] == latest
    assert rpc(node, call("eth_getBlockByNumber", "earliest", False))["result"]["number"] == "0x0"
    upper = "0x" + tx[2:].upper()
    assert rpc(node, call("eth_getTransactionReceipt", upper))["result"] == chain.receipt(tx)


R = '{"jsonrpc": "2.0", "id": 1, '  # a request with a valid id, to be completed


@pytest.mark.parametrize(("payload", "code", "id_"), [
    ("{", -32700, None),
    ('[{"jsonrpc": "2.0", "method": "eth_chainId", "id": 1}', -32700, None),
    (b"\xff\xfe", -32700, None),
    ("", -32700, None),
    ("[]", -32600, None),
    ('"eth_chainId"', -32600, None),
    ('{"jsonrpc": "2.0", "method": "eth_chainId", "id": [1]}', -32600, None),
    ('{"jsonrpc": "1.0", "method": "eth_chainId", "id": 1}', -32600, 1),
    ('{"method": "eth_chainId", "id": 1}', -32600, 1),
    (R + '"method": 1}', -32600, 1),
    (R + '"method": "eth_chainId", "params": "x"}', -32600, 1),
    (R + '"method": "eth_sendTransaction", "params": []}', -32601, 1),
    (R + '"method": "eth_chainId", "params": [1]}', -32602, 1),
    (R + '"method": "eth_getTransactionReceipt", "params": []}', -32602, 1),
    (R + '"method": "eth_getTransactionReceipt", "params": ["0x12"]}', -32602, 1),
    (R + '"method": "eth_getTransactionReceipt", "params": [null]}', -32602, 1),
    (R + '"method": "eth_getTransactionReceipt", "params": {"hash": "0x12"}}', -32602, 1),
    (R + '"method": "eth_getBlockByNumber", "params": ["0x01", false]}', -32602, 1),
    (R + '"method": "eth_getBlockByNumber", "params": ["latest"]}', -32602, 1),
    (R + '"method": "eth_getBlockByNumber", "params": ["latest", 0]}', -32602, 1),
    (R + '"method": "eth_getBlockByNumber", "params": ["latest", true]}', -32602, 1),
    (R + '"method": "eth_getBlockByNumber", "params": ["soon", false]}', -32602, 1),
])
def test_errors_are_json_rpc_error_objects(chain_node, payload, code, id_):
    status, headers, body = post(chain_node.url, payload)
    assert (status, headers.get_content_type()) == (200, "application/json")
    response = json.loads(body)
    shape("response", response)
    assert (response["error"]["code"], response["id"]) == (code, id_)


def test_a_batch_answers_every_id_and_each_call_on_its_own(paid, node):
    _, tx, _ = paid
    answer = rpc(node, [call("eth_chainId", id_="a"), call("eth_nope", id_=2), 7,
                              call("eth_getTransactionReceipt", tx, id_=2.5), call("eth_blockNumber", id_=None),
                              {"jsonrpc": "2.0", "method": "eth_chainId"}])  # the last: a notification
    for response in answer:
        shape("response", response)
    assert [(r["id"], "result" in r) for r in answer] == [("a", True), (2, False), (None, False), (2.5, True),
                                                         (None, True)]
    assert [r["error"]["code"] for r in answer if "error" in r] == [-32601, -32600]


def test_notifications_get_no_answer(chain_node):
    status, _, body = post(chain_node.url, json.dumps([{"jsonrpc": "2.0", "method": "eth_chainId"}]))
    assert (status, body) == (200, b"")
    status, _, body = post(chain_node.url, json.dumps({"jsonrpc": "2.0", "method": "eth_blockNumber"}))
    assert (status, body) == (200, b"")
    assert chain_node.rpc_calls == 2


def test_http_requests_are_checked_as_geth_does(chain_node):
    assert post(chain_node.url, json.dumps(call("eth_chainId")), content_type="text/plain")[0] == 415
    assert post(chain_node.url, json.dumps(call("eth_chainId")), "application/json; charset=utf-8")[0] == 200
    parts = urllib.parse.urlsplit(chain_node.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert (response.status, response.read()) == (405, b"method not allowed")
    connection.putrequest("POST", "/")  # a body too large is refused before it is sent
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(ethnode.MAX_REQUEST + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert (response.status, response.headers["Connection"]) == (413, "close")
    connection.close()


def test_one_connection_carries_many_requests(chain_node):
    parts = urllib.parse.urlsplit(chain_node.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    for n in range(3):
        connection.request("POST", "/", json.dumps(call("eth_chainId", id_=n)), {"Content-Type": "application/json"})
        assert json.loads(connection.getresponse().read())["id"] == n
    connection.close()
    assert chain_node.http_requests == 3


def test_counts_tell_batched_from_one_request_a_call(paid, node):
    _, tx, _ = paid
    calls = [call("eth_getTransactionReceipt", tx, id_=1), call("eth_blockNumber", id_=2), call("eth_chainId", id_=3)]
    rpc(node, calls)
    assert (node.http_requests, node.batch_requests, node.rpc_calls) == (1, 1, 3)
    node.reset_counts()
    for request in calls:
        rpc(node, request)
    assert (node.http_requests, node.batch_requests, node.rpc_calls) == (3, 0, 3)
    assert node.methods == {"eth_getTransactionReceipt": 1, "eth_blockNumber": 1, "eth_chainId": 1}


def test_the_node_can_pose_as_mainnet(chain):
    with Node(chain, chain_id=1) as node:
        assert rpc(node, call("eth_chainId"))["result"] == "0x1"


def test_a_stopped_node_is_unreachable_at_its_url(chain):
    with Node(chain) as node:
        assert rpc(node, call("eth_chainId"))["result"]
    with pytest.raises(OSError):
        post(node.url, json.dumps(call("eth_chainId")), timeout=1)


def test_the_chain_can_grow_while_served(chain, chain_node):
    usdt = chain.deploy_token("USDT")
    before = int(rpc(chain_node, call("eth_blockNumber"))["result"], 16)
    tx = chain.transfer_batch(chain.account("treasurer"), usdt, [(chain.address("ana"), 1)])
    assert int(rpc(chain_node, call("eth_blockNumber"))["result"], 16) > before
    assert rpc(chain_node, call("eth_getTransactionReceipt", tx))["result"]["status"] == "0x1"


# --- Misbehaviour on request ---------------------------------------------------------------------------------------


def test_latency_is_added_to_each_request(chain_node):
    chain_node.latency = 0.05
    start = time.monotonic()
    for _ in range(2):
        rpc(chain_node, call("eth_chainId"))
    assert time.monotonic() - start >= 0.09  # (a timer may fire a little early on some systems)


def test_a_slow_drip_sends_one_byte_at_a_time(chain_node):
    chain_node.drip = 0.002
    start = time.monotonic()
    status, _, body = post(chain_node.url, json.dumps(call("eth_chainId")))
    elapsed = time.monotonic() - start
    assert status == 200 and json.loads(body)["result"]
    assert elapsed >= 0.002 * len(body)  # the body alone; the status line and headers dripped too


def test_a_drip_ends_when_the_node_stops(chain):
    node = Node(chain, drip=10).start()
    errors = []

    def client():
        try:
            post(node.url, json.dumps(call("eth_chainId")), timeout=5)
        except (OSError, http.client.HTTPException) as e:
            errors.append(e)

    thread = threading.Thread(target=client)
    thread.start()
    time.sleep(0.1)
    start = time.monotonic()
    node.stop()
    thread.join(5)
    assert not thread.is_alive() and errors and time.monotonic() - start < 2


def test_truncated_bodies(chain_node):
    chain_node.truncate = 10
    with pytest.raises(http.client.IncompleteRead) as e:
        post(chain_node.url, json.dumps(call("eth_chainId")))
    assert e.value.partial == b'{"jsonrpc"'


def test_truncated_chunked_bodies_never_end(chain_node):
    chain_node.truncate, chain_node.chunked = 10, True
    with pytest.raises(http.client.IncompleteRead):
        post(chain_node.url, json.dumps(call("eth_chainId")))


def test_invalid_json(chain_node):
    chain_node.invalid_json = True
    status, _, body = post(chain_node.url, json.dumps(call("eth_chainId")))
    assert status == 200 and body.startswith(b"{'jsonrpc':'2.0'")
    with pytest.raises(ValueError):
        json.loads(body)


def test_wrong_content_type_and_http_status(chain_node):
    chain_node.content_type, chain_node.http_status = "text/html", 500
    status, headers, body = post(chain_node.url, json.dumps(call("eth_chainId")))
    assert (status, headers["Content-Type"]) == (500, "text/html")
    assert json.loads(body)["result"] == hex(chain_node.chain.chain_id)


def test_rpc_errors_for_some_or_all_calls(paid, node):
    _, tx, _ = paid
    calls = [call("eth_getTransactionReceipt", tx, id_=1), call("eth_chainId", id_=2)]
    node.rpc_errors = {"eth_getTransactionReceipt": ethnode.LIMIT_EXCEEDED}
    assert [("error" in r, r.get("error")) for r in rpc(node, calls)] == [
        (True, {"code": -32005, "message": "limit exceeded"}), (False, None)]
    node.rpc_errors = {"*": {"code": -32000, "message": "header not found"}}
    assert [r["error"]["code"] for r in rpc(node, calls)] == [-32000, -32000]
    node.rpc_errors = lambda request: {"code": -32603, "message": "boom"} if request["id"] == 2 else None
    answer = rpc(node, calls)
    assert ("result" in answer[0], answer[1]["error"]["code"]) == (True, -32603)
    for response in answer:
        shape("response", response)


def test_a_failing_error_function_is_an_internal_error(chain_node):
    chain_node.rpc_errors = lambda request: 1 / 0
    response = rpc(chain_node, call("eth_chainId"))
    shape("response", response)
    assert response["error"]["code"] == -32603


def test_huge_answers_are_streamed_and_still_json(chain_node):
    chain_node.huge = 100_000_000
    parts = urllib.parse.urlsplit(chain_node.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("POST", "/", json.dumps(call("eth_chainId")), {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.headers["Content-Length"] == "100000000"
    start = response.read(1 << 20)
    assert start.startswith(b'{"jsonrpc":"2.0"') and start.endswith(b" " * 1000)
    connection.close()  # a client that gives up: the node stops sending
    chain_node.huge = 3_000_000
    _, _, body = post(chain_node.url, json.dumps(call("eth_chainId")))
    assert len(body) == 3_000_000 and json.loads(body)["id"] == 1


def test_huge_chunked_answers_announce_no_size(chain_node):
    chain_node.huge, chain_node.chunked = 1_000_000, True
    _, headers, body = post(chain_node.url, json.dumps(call("eth_chainId")))
    assert "Content-Length" not in headers and headers["Transfer-Encoding"] == "chunked"
    assert len(body) == 1_000_000 and json.loads(body)["id"] == 1


def test_a_content_length_lie(chain_node):
    chain_node.content_length = 100_000_000
    with pytest.raises(http.client.IncompleteRead):
        post(chain_node.url, json.dumps(call("eth_chainId")))
    chain_node.content_length = 5
    _, _, body = post(chain_node.url, json.dumps(call("eth_chainId")))
    assert body == b'{"jso'


@pytest.mark.parametrize(("mode", "ids"), [
    ("reverse", [3, 2, 1]), ("missing", [1, 2]), ("duplicate", [1, 2, 3, 1]), ("unknown-id", [1, 2, "not-asked-for"]),
])
def test_batch_answers_go_wrong(chain_node, mode, ids):
    chain_node.batch = mode
    answer = rpc(chain_node, [call("eth_chainId", id_=n) for n in (1, 2, 3)])
    assert [r["id"] for r in answer] == ids


def test_batch_answers_shuffled_or_as_one_object(chain_node):
    chain_node.batch = "shuffle"
    answer = rpc(chain_node, [call("eth_chainId", id_=n) for n in range(10)])
    assert sorted(r["id"] for r in answer) == list(range(10)) != [r["id"] for r in answer]
    chain_node.batch = "object"
    assert rpc(chain_node, [call("eth_chainId", id_=n) for n in (1, 2)])["id"] == 1
    assert rpc(chain_node, call("eth_chainId", id_=5))["id"] == 5  # single calls are answered as they should


def test_behave_makes_the_node_honest_again(paid, node):
    chain, tx, _ = paid
    node.latency, node.batch, node.invalid_json = 0.01, "reverse", True
    node.lie(tx, amount=1)
    node.behave()
    assert rpc(node, call("eth_getTransactionReceipt", tx))["result"] == chain.receipt(tx)
    with pytest.raises(TypeError):
        Node(chain, latencies=1)
    with pytest.raises(ValueError, match="reverse"):
        node.batch = "backwards"


# --- A lying node ---------------------------------------------------------------------------------------------------


def amounts_and_parties(receipt):
    return [(log["address"], log["topics"][1], log["topics"][2], int(log["data"], 16)) for log in receipt["logs"]]


def test_lies_about_a_transfer(paid, node):
    chain, tx, names = paid
    honest = chain.receipt(tx)
    mallory, fake = chain.address("mallory"), chain.address("fake token")
    node.lie(tx, amount=41_000_000, to=mallory, log=0)
    lied = rpc(node, call("eth_getTransactionReceipt", tx))["result"]
    assert amounts_and_parties(lied) == [
        (names["usdt"].address, topic(names["foundation"]), topic(mallory), 41_000_000), amounts_and_parties(honest)[1]]
    node.lie(tx, token=fake, sender=mallory, status=0)
    lied = rpc(node, call("eth_getTransactionReceipt", tx))["result"]
    assert lied["status"] == "0x0"
    assert {(log["address"], log["topics"][1]) for log in lied["logs"]} == {(fake, topic(mallory))}
    shape("receipt", lied)
    assert chain.receipt(tx) == honest  # the chain itself is untouched


def test_lies_about_the_time_and_the_existence_of_a_transaction(paid, node):
    chain, tx, _ = paid
    number = chain.receipt(tx)["blockNumber"]
    node.lie(tx, timestamp="2024-03-07")
    block = rpc(node, call("eth_getBlockByNumber", number, False))["result"]
    assert datetime.fromtimestamp(int(block["timestamp"], 16), UTC).date() == date(2024, 3, 7)
    assert rpc(node, call("eth_getBlockByNumber", "0x0", False))["result"] == chain.block(0)
    node.lie(tx, missing=True)
    assert rpc(node, call("eth_getTransactionReceipt", tx))["result"] is None


def test_two_nodes_of_one_chain_that_disagree(paid, node):
    chain, tx, _ = paid
    with Node(chain) as liar:
        liar.lie(tx, amount=1)
        request = call("eth_getTransactionReceipt", tx)
        honest, lied = rpc(node, request)["result"], rpc(liar, request)["result"]
    assert honest != lied
    assert [int(log["data"], 16) for log in honest["logs"]] == [40_000_000, 12_500_000]
    assert [int(log["data"], 16) for log in lied["logs"]] == [1, 1]
