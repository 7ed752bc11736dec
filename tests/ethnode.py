"""A local Ethereum node for the tests: a real EVM (py-evm, driven by eth-tester) with ERC-20 style tokens,
served over HTTP as JSON-RPC 2.0 the way the Ethereum execution API specification describes, and made to
misbehave on request.

    from ethnode import chain_fixture, chain_node_fixture  # noqa: F401 (fixtures: chain, chain_node)

    def test_a_payout(chain, chain_node):
        usdt = chain.deploy_token("USDT", decimals=6)
        foundation = chain.safe("foundation")        # the Foundation's address: a Safe-like contract
        ana = chain.address("ana")                   # any address can receive
        tx = chain.transfer_batch(foundation, usdt, [(ana, 40 * 10**6)], at="2024-03-06")
        assert chain.receipt(tx)["status"] == "0x1"
        ...                                          # the verifier under test reads chain_node.url

The fixture `chain` is a fresh Chain, `chain_node` a started Node serving it. Without them:
`with ethnode.Node(ethnode.Chain()) as node: ...`, for several nodes on one chain too. Test modules import this one as
`import ethnode` (tests/ is on sys.path, as for conftest and oracle); eth-tester, two seconds to import, is
imported by the first Chain().

The chain: one block per transaction, BLOCK_INTERVAL (12 s) after the last unless `at=` says when.
    Chain(genesis=GENESIS)            2020-01-01 UTC by default
    .address(name)                    the address a name stands for; a derived one, with no transaction, for a
                                      receiver. A name is of one kind for the chain's life: receiver, account, Safe
    .account(name)                    an externally owned account, funded with ether for gas (eth-tester's genesis
                                      accounts first, then new keys funded by a transaction)
    .safe(name, owner=None)           a contract that makes its owner's token calls: the transactions' `from` is the
                                      owner, the Transfer logs' `from` the Safe, as with a Safe multisig
    .deploy_token(symbol, decimals=6) -> Token(address, symbol, decimals); decimals are metadata kept here
    .token(symbol or address)         -> Token
    .transfer_batch(sender, token, [(to, base_units), ...], at=None) -> tx hash: ONE transaction, one Transfer log a
                                      pair, in order, emitted by the token, from the sender (an account or a Safe)
    .failed_transfer(sender, token, [...], at=None)                  -> tx hash of a mined transaction, status 0
    .execute_airdrop(csv_text, sender, decimals_by_token=None, at=None) -> tx hashes: one batch per token
    .call_token(sender, token, calldata, at=None)                    -> tx hash: the token called with any calldata
    .receipt(tx), .block(number or tag)  the node's answers (the specification's shapes), or None
    .timestamp_of(tx), .block_number, .code_at(address), .chain_id
    `at`: a date or "YYYY-MM-DD" (noon UTC that day, or a second after the last block that day), an aware datetime
    or ISO text with its zone ("2024-03-06T23:59:59Z"), or Unix seconds. Blocks only move forward.
Amounts: base_units("40.5", 6) == 40_500_000 exactly (refused when it does not fit); token_units() the other way.

The node: Node(chain, **knobs), a context manager (or .start(), .stop()); node.url is http://127.0.0.1:PORT/, and
stays after stop(), an endpoint that refuses connections. It answers eth_chainId, eth_blockNumber,
eth_getTransactionReceipt and eth_getBlockByNumber (transaction hashes only: hydrated `true` is refused with
-32602), one call or a batch; JSON-RPC errors -32700, -32600, -32601, -32602 as JSON-RPC 2.0 says.
Like geth it refuses, over HTTP, what is not a POST (405), a body over 5 MiB (413), a Content-Type other than
application/json (415); a request of notifications only gets 200 and an empty body. node.answer(body) gives the
JSON-RPC answer without HTTP.

Misbehaviour: knobs, as constructor keywords or attributes at any time (node.behave() sets them all back):
    chain_id=None        the chain id reported (None: the EVM's own); e.g. 1 to pose as mainnet
    latency=0.0          seconds added before each HTTP answer
    drip=None            send the whole HTTP answer (status line and headers too) one byte every `drip` seconds
    truncate=None        send only the first N bytes of the body (Content-Length tells the full size), then close
    content_length=None  announce this Content-Length whatever the body's size (a lie), then close
    huge=None            pad the body with spaces (still valid JSON) to this many bytes, streamed
    chunked=False        Transfer-Encoding: chunked, no Content-Length (with `huge`: a body of no announced size)
    invalid_json=False   a body that is not JSON (the answer with ' for ")
    content_type="application/json"
    http_status=200      the HTTP status (the body stays the JSON-RPC answer)
    rpc_errors=None      {method or "*": error object} or a function(request) -> error object or None: those calls
                         are answered with that error (e.g. ethnode.LIMIT_EXCEEDED)
    batch=None           how batch answers go wrong: "reverse", "shuffle", "missing" (last answer dropped),
                         "duplicate" (first answer twice), "unknown-id" (last answer's id changed), "object" (only the
                         first answer, not in an array)
A lying node: node.lie(tx, amount=, to=, sender=, token=, status=, timestamp=, log=, missing=) reports other values
for a transaction (see Lie): of every Transfer log, or of the log at index `log`; `timestamp` is its block's.
Counters: node.http_requests, node.batch_requests, node.rpc_calls, node.methods (a Counter); node.reset_counts().
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import http
import io
import itertools
import json
import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time
from decimal import Context, Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import pytest

# keccak256("Transfer(address,address,uint256)"), topic 0 of every ERC-20 Transfer event.
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
GENESIS = datetime(2020, 1, 1, tzinfo=UTC)
BLOCK_INTERVAL = 12  # seconds between blocks when a transaction gives no time, as on mainnet
ETHER = 10**18
# An error object some providers answer when a client asks too much (EIP-1474's "limit exceeded").
LIMIT_EXCEEDED = {"code": -32005, "message": "limit exceeded"}


# --- Hex encodings of the execution API (src/schemas/base-types.yaml) -------------------------------------------

ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}\Z")
HASH32 = re.compile(r"0x[0-9a-fA-F]{64}\Z")
QUANTITY = re.compile(r"0x(0|[1-9a-fA-F][0-9a-fA-F]*)\Z")


def quantity(n: int) -> str:
    """A `uint`: lowercase hex without leading zeros, 0x0 for zero."""
    return hex(n)


def word(n: int) -> str:
    """A 32-byte big-endian word (a topic, or a uint256 in log data)."""
    return f"0x{n:064x}"


def topic(address: str) -> str:
    """An address as an indexed event argument: left-padded with zeros to 32 bytes."""
    return "0x" + checked_address(address)[2:].rjust(64, "0")


def checked_address(address: str) -> str:
    """The address in lowercase, after checking it is 20 bytes of hex."""
    if not isinstance(address, str) or not ADDRESS.match(address):
        raise ValueError(f"not an address: {address!r}; expected 0x and 40 hex digits")
    return address.lower()


def checked_hash(tx: str) -> str:
    if not isinstance(tx, str) or not HASH32.match(tx):
        raise ValueError(f"not a transaction hash: {tx!r}; expected 0x and 64 hex digits")
    return tx.lower()


# --- EVM bytecode, assembled by hand (no compiler) ----------------------------------------------------------------

OPCODES = {
    "STOP": 0x00, "ADD": 0x01, "SUB": 0x03, "LT": 0x10, "ISZERO": 0x15, "AND": 0x16, "CALLER": 0x33,
    "CALLDATALOAD": 0x35, "CALLDATASIZE": 0x36, "CALLDATACOPY": 0x37, "CODECOPY": 0x39, "MSTORE": 0x52,
    "JUMPI": 0x57, "GAS": 0x5A, "JUMPDEST": 0x5B, "PUSH1": 0x60, "PUSH20": 0x73, "PUSH32": 0x7F, "DUP1": 0x80,
    "DUP2": 0x81, "DUP3": 0x82, "LOG3": 0xA3, "CALL": 0xF1, "RETURN": 0xF3, "REVERT": 0xFD,
}

# The token. Calldata: pairs of 32-byte words (to, amount); no function selector. For each pair it emits
# LOG3(memory[0:32] = amount, topic0 = Transfer, topic1 = CALLER, topic2 = to & (2^160 - 1)), the log of an ERC-20
# transfer(to, amount) by the caller. It keeps no balances. Calldata that is empty or not a whole number of pairs
# REVERTs (status 0, no logs): failed_transfer() sends a batch with one byte more. Assembled, 102 bytes:
# 3680603f16606157801560615760005b8060200135600052803573ffffffffffffffffffffffffffffffffffffffff16337fddf252ad1be2c8
# 9b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60206000a3604001818110600f57005b600080fd (loop: 0x0f, fail: 0x61)
TOKEN_ASM = f"""
        CALLDATASIZE                ; [n]
        DUP1
        PUSH1 0x3f
        AND                         ; [n, n % 64]
        PUSH1 @fail
        JUMPI                       ; not a whole number of pairs
        DUP1
        ISZERO
        PUSH1 @fail
        JUMPI                       ; no pair
        PUSH1 0x00                  ; [n, i]   i: offset of the pair
loop:   JUMPDEST
        DUP1
        PUSH1 0x20
        ADD
        CALLDATALOAD                ; [n, i, amount]
        PUSH1 0x00
        MSTORE                      ; memory[0:32] = amount
        DUP1
        CALLDATALOAD
        PUSH20 0x{"ff" * 20}
        AND                         ; [n, i, to]        the address, whatever the word's upper 12 bytes
        CALLER                      ; [n, i, to, from]
        PUSH32 {TRANSFER_TOPIC}
        PUSH1 0x20
        PUSH1 0x00
        LOG3                        ; offset 0, size 32, Transfer, from, to
        PUSH1 0x40
        ADD                         ; [n, i + 64]
        DUP2
        DUP2
        LT                          ; [n, i, i < n]
        PUSH1 @loop
        JUMPI                       ; [n, i]   again while i < n
        STOP
fail:   JUMPDEST
        PUSH1 0x00
        DUP1
        REVERT
"""

# The Safe stand-in. Calldata: the token's address as a 32-byte word, then the token's calldata. It CALLs the token
# with the rest (so the token's CALLER, the logs' `from`, is this contract) and REVERTs when that call fails. Unlike
# a Safe it checks no owner's signature: anyone may call it. Assembled, 31 bytes:
# 60203603806020600037600080826000806000355af1601d57600080fd5b00 (ok: 0x1d)
SAFE_ASM = """
        PUSH1 0x20
        CALLDATASIZE
        SUB                         ; [m]   m = calldata size - 32
        DUP1
        PUSH1 0x20
        PUSH1 0x00
        CALLDATACOPY                ; memory[0:m] = calldata[32:]
        PUSH1 0x00                  ; retSize
        DUP1                        ; retOffset
        DUP3                        ; argsSize = m
        PUSH1 0x00                  ; argsOffset
        DUP1                        ; value
        PUSH1 0x00
        CALLDATALOAD                ; address: the token
        GAS
        CALL                        ; [m, success]
        PUSH1 @ok
        JUMPI
        PUSH1 0x00
        DUP1
        REVERT
ok:     JUMPDEST
        STOP
"""


def assemble(source: str) -> bytes:
    """Bytecode from the assembly above: one instruction a line, `label:` before a JUMPDEST, `@label` for its
    one-byte offset, `;` comments."""
    instructions = []  # (label, mnemonic, operand)
    for line in source.splitlines():
        label, _, text = line.split(";")[0].rpartition(":")
        if text.split():
            mnemonic, *operand = text.split()
            instructions.append((label.strip(), mnemonic, operand[0] if operand else None))
    offsets, at = {}, 0
    for label, mnemonic, _ in instructions:
        if label:
            offsets[label] = at
        at += 1 + push_size(mnemonic)
    code = bytearray()
    for _, mnemonic, operand in instructions:
        code.append(OPCODES[mnemonic])
        if push_size(mnemonic):
            value = offsets[operand[1:]] if operand.startswith("@") else int(operand, 16)
            code += value.to_bytes(push_size(mnemonic), "big")
    return bytes(code)


def push_size(mnemonic: str) -> int:
    """The bytes of immediate data after the opcode: n for PUSHn, else none."""
    return OPCODES[mnemonic] - OPCODES["PUSH1"] + 1 if mnemonic.startswith("PUSH") else 0


def creation_code(runtime: bytes) -> bytes:
    """Init code that returns `runtime` as the new contract's code:
    PUSH1 len, DUP1, PUSH1 11, PUSH1 0, CODECOPY (memory[0:len] = code[11:11+len]), PUSH1 0, RETURN."""
    assert len(runtime) < 256
    return bytes([0x60, len(runtime), 0x80, 0x60, 0x0B, 0x60, 0x00, 0x39, 0x60, 0x00, 0xF3]) + runtime


TOKEN_RUNTIME = assemble(TOKEN_ASM)
SAFE_RUNTIME = assemble(SAFE_ASM)


def transfer_calldata(transfers: Iterable[tuple[str, int]]) -> bytes:
    """The token's calldata for (to, base units) pairs."""
    data = bytearray()
    for to, amount in transfers:
        if not 0 <= amount < 2**256:
            raise ValueError(f"amount {amount} is not a uint256")
        data += bytes.fromhex(checked_address(to)[2:]).rjust(32, b"\0") + amount.to_bytes(32, "big")
    return bytes(data)


# --- Amounts and times -------------------------------------------------------------------------------------------


def base_units(amount: str | int | Decimal, decimals: int) -> int:
    """`amount` token units in base units, exactly (10.5 with 6 decimals: 10500000); refuses what does not fit."""
    if isinstance(amount, float):
        raise TypeError("give amounts as str, int or Decimal, not float")
    try:
        value = Decimal(amount.strip() if isinstance(amount, str) else amount)
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    sign, digits, exponent = value.as_tuple()
    number, shift = int("".join(map(str, digits))), exponent + decimals
    if shift < 0:
        number, rest = divmod(number, 10**-shift)
        if rest:
            raise ValueError(f"{amount} has more than {decimals} decimals")
    else:
        number *= 10**shift
    return -number if sign else number


def token_units(base: int, decimals: int) -> Decimal:
    """Base units as a Decimal amount of tokens (the inverse of base_units)."""
    return Decimal(base).scaleb(-decimals, Context(prec=200))


def unix_time(at: str | date | datetime | int, after: int) -> int:
    """The block time for `at`, which must come after the timestamp `after` (the last block's).

    A date (or "YYYY-MM-DD") is noon UTC that day, or a second after the last block if that is later the same day."""
    if isinstance(at, str):
        at = date.fromisoformat(at) if len(at) == 10 else datetime.fromisoformat(at)
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError(f"{at} has no time zone; give a UTC time (e.g. 2024-03-06T23:59:59Z)")
        timestamp = int(at.timestamp())
    elif isinstance(at, date):
        noon = int(datetime.combine(at, time(12), UTC).timestamp())
        timestamp = noon if noon > after or at < utc_date(after) else after + 1  # (a day past: refused below)
        if utc_date(timestamp) != at:
            raise ValueError(f"no room for another block on {at}: the last block is at {utc(after)}")
    elif isinstance(at, int):
        timestamp = at
    else:
        raise TypeError(f"not a time: {at!r}")
    if timestamp <= after:
        raise ValueError(f"a block at {utc(timestamp)} would not come after the last one, at {utc(after)}: "
                         "blocks only move forward, put transfers in time order")
    return timestamp


def is_day(at: object) -> bool:
    """Whether a time given as `at` is a whole day."""
    return isinstance(at, date) and not isinstance(at, datetime) or isinstance(at, str) and len(at) == 10


def utc(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def utc_date(timestamp: int) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


# --- The chain -----------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Token:
    address: str  # lowercase 0x...
    symbol: str
    decimals: int

    def base_units(self, amount: str | int | Decimal) -> int:
        return base_units(amount, self.decimals)


class Chain:
    """A chain of one block per transaction on py-evm, with tokens, named accounts and Safes (see the module)."""

    def __init__(self, genesis: datetime = GENESIS):
        # Imported here: eth-tester takes two seconds to import, which only the tests that make a chain should pay.
        from eth_tester import EthereumTester, PyEVMBackend
        from eth_utils import keccak

        self._keccak = keccak
        params = PyEVMBackend.generate_genesis_params({"timestamp": int(genesis.timestamp())})
        self._backend = PyEVMBackend(genesis_parameters=params)
        self._tester = EthereumTester(self._backend)
        # eth-tester's genesis accounts, funded: the first pays for deployments, the others become account()s.
        self._funder, *self._pool = (a.lower() for a in self._tester.get_accounts())
        self.lock = threading.RLock()  # the node reads from its threads while a test writes
        self._receipts: dict[str, dict] = {}  # by transaction hash: a mined receipt, rendered once
        self._blocks: dict[int, dict] = {}  # by number: a mined block, rendered once
        self.chain_id: int = self._backend.chain.chain_id
        self.tokens: dict[str, Token] = {}  # by address
        self._names: dict[str, str] = {}  # name -> address
        self._signers: set[str] = set()  # addresses with a private key here
        self._safes: dict[str, str] = {}  # Safe address -> its owner's address

    # Accounts: a name stands for one address, of one kind (a receiver, an account or a Safe) for the chain's life

    def address(self, name: str) -> str:
        """The address of `name`: its account's or its Safe's, or else one derived from the name (no transaction)."""
        if name not in self._names:
            self._names[name] = "0x" + self._keccak(b"ethnode address " + name.encode())[-20:].hex()
        return self._names[name]

    def account(self, name: str) -> str:
        """An externally owned account named `name` (a private key here), funded with ether for gas: one of the
        genesis accounts while they last (no transaction), then a new key funded by a transaction."""
        if name not in self._names:
            with self.lock:
                self._names[name] = self._pool.pop(0) if self._pool else self._new_account(name)
            self._signers.add(self._names[name])
        return self._named(name, self._signers, "an account()")

    def safe(self, name: str, owner: str | None = None) -> str:
        """A contract account named `name` through which its owner (an account) makes token transfers: the
        transactions are the owner's, the Transfer logs the Safe's (see SAFE_ASM)."""
        if name not in self._names:
            owner = checked_address(owner) if owner else self.account(f"{name} owner")
            if owner not in self._signers:
                raise ValueError(f"the owner of a Safe is an account() of this chain, not {owner}")
            self._names[name] = self._deploy(SAFE_RUNTIME)
            self._safes[self._names[name]] = owner
        return self._named(name, self._safes, "a safe()")

    def _named(self, name: str, kind: Container[str], what: str) -> str:
        if self._names[name] not in kind:
            raise ValueError(f"{name!r} already names {self._names[name]}, which is not {what}")
        return self._names[name]

    def _new_account(self, name: str) -> str:
        address = self._tester.add_account("0x" + self._keccak(b"ethnode key " + name.encode()).hex()).lower()
        self._send({"from": self._funder, "to": address, "value": 10 * ETHER, "gas": 21_000})
        return address

    # Tokens

    def deploy_token(self, symbol: str, decimals: int = 6) -> Token:
        """A new token contract (see TOKEN_ASM); its symbol and decimals are kept here."""
        if any(t.symbol == symbol for t in self.tokens.values()):
            raise ValueError(f"a token {symbol} is already deployed")
        token = Token(self._deploy(TOKEN_RUNTIME), symbol, decimals)
        self.tokens[token.address] = token
        return token

    def token(self, token: Token | str) -> Token:
        """A deployed token, by Token, address or symbol."""
        if isinstance(token, Token):
            return token
        found = self.tokens.get(token.lower()) or next((t for t in self.tokens.values() if t.symbol == token), None)
        if found is None:
            raise KeyError(f"no token {token} on this chain")
        return found

    # Transactions

    def transfer_batch(self, sender: str, token: Token | str, transfers: Iterable[tuple[str, int]],
                       *, at: str | date | datetime | int | None = None) -> str:
        """ONE transaction that transfers each (to, base units) pair of `token` from `sender` (an account() or a
        safe()): one Transfer log per pair, in order. Returns the transaction's hash."""
        return self.call_token(sender, token, transfer_calldata(transfers), at=at)

    def failed_transfer(self, sender: str, token: Token | str, transfers: Iterable[tuple[str, int]] = (),
                        *, at: str | date | datetime | int | None = None) -> str:
        """A transaction like transfer_batch's that the token reverts: mined, status 0, no logs."""
        return self.call_token(sender, token, transfer_calldata(transfers) + b"\0", at=at)

    def execute_airdrop(self, csv_text: str, sender: str, decimals_by_token: Mapping[str, int] | None = None,
                        *, at: str | date | datetime | int | None = None) -> list[str]:
        """Execute a Safe "CSV Airdrop" file (token_type,token_address,receiver,amount,id; erc20 rows, amounts in
        token units): one transfer_batch per token, in the order of their first rows. `decimals_by_token` maps token
        addresses to decimals (default: the deployed tokens'). Returns the transaction hashes."""
        decimals = {t.address: t.decimals for t in self.tokens.values()}
        decimals |= {checked_address(a): d for a, d in (decimals_by_token or {}).items()}
        batches: dict[str, list[tuple[str, int]]] = {}
        for token, receiver, amount in parse_airdrop(csv_text):
            if token not in decimals:
                raise ValueError(f"no decimals known for token {token}")
            batches.setdefault(token, []).append((receiver, base_units(amount, decimals[token])))
        # The batches after the first go on the same day (`at` a day), or BLOCK_INTERVAL later (`at` an exact time).
        later = at if is_day(at) else None
        return [self.transfer_batch(sender, token, pairs, at=at if i == 0 else later)
                for i, (token, pairs) in enumerate(batches.items())]

    def call_token(self, sender: str, token: Token | str, calldata: bytes,
                   *, at: str | date | datetime | int | None = None) -> str:
        """A transaction from `sender` (through its Safe, for a safe()) that calls the token with `calldata` as is."""
        sender, address = checked_address(sender), self.token(token).address
        gas = 100_000 + 12_000 * (len(calldata) // 64)
        if sender in self._safes:
            calldata = bytes.fromhex(address[2:]).rjust(32, b"\0") + calldata
            transaction = {"from": self._safes[sender], "to": sender, "gas": gas + 20_000}
        elif sender in self._signers:
            transaction = {"from": sender, "to": address, "gas": gas}
        else:
            raise ValueError(f"{sender} is neither an account() nor a safe() of this chain")
        return self._send({**transaction, "data": "0x" + calldata.hex()}, at)

    def _deploy(self, runtime: bytes) -> str:
        with self.lock:
            tx = self._send({"from": self._funder, "data": "0x" + creation_code(runtime).hex(), "gas": 200_000})
            return self._tester.get_transaction_receipt(tx)["contract_address"].lower()

    def _send(self, transaction: dict, at=None) -> str:
        """Send a transaction and mine it in a block of its own, at `at` or BLOCK_INTERVAL after the last block."""
        with self.lock:
            last = self._tester.get_block_by_number("latest")["timestamp"]
            timestamp = last + BLOCK_INTERVAL if at is None else unix_time(at, last)
            # The pending block's header (eth-tester's time_travel does the same, but mines an empty block): the
            # transaction runs in it, and it is mined with this timestamp.
            self._backend.chain.header = self._backend.chain.header.copy(timestamp=timestamp)
            return self._tester.send_transaction(transaction).lower()

    # What the node answers

    @property
    def block_number(self) -> int:
        with self.lock:
            return self._tester.get_block_by_number("latest")["number"]

    def receipt(self, tx: str) -> dict | None:
        """The transaction's receipt as eth_getTransactionReceipt answers it, or None when there is none."""
        from eth_tester.exceptions import TransactionNotFound

        with self.lock:
            # A mined transaction's receipt never changes: kept, as a node keeps it, and handed out as a copy (a
            # lying node changes what it is handed). py-evm takes some 30 ms to rebuild one.
            cached = self._receipts.get(tx.lower())
            if cached is None:
                try:
                    receipt = self._tester.get_transaction_receipt(checked_hash(tx))
                except TransactionNotFound:
                    return None
                cached = self._receipts[tx.lower()] = render_receipt(receipt, self._bloom(receipt))
            return copy.deepcopy(cached)

    def block(self, number: int | str) -> dict | None:
        """The block as eth_getBlockByNumber(number, false) answers it, or None; `number` may be a tag."""
        from eth_tester.exceptions import BlockNotFound

        with self.lock:
            latest = self.block_number
            # Every transaction is mined at once: the safe, finalized and pending blocks are the latest.
            number = 0 if number == "earliest" else latest if isinstance(number, str) else number
            if number > latest:
                return None  # eth-tester would answer its pending block
            cached = self._blocks.get(number)  # a mined block never changes
            if cached is None:
                try:
                    cached = self._blocks[number] = render_block(self._tester.get_block_by_number(
                        number, full_transactions=False))
                except BlockNotFound:
                    return None
            return copy.deepcopy(cached)

    def code_at(self, address: str) -> bytes:
        """The code of the account at `address` (b"" for none)."""
        with self.lock:
            return bytes.fromhex(self._tester.get_code(checked_address(address))[2:])

    def timestamp_of(self, tx: str) -> int:
        """The timestamp of the block holding `tx`."""
        return int(self.block(int(self.receipt(tx)["blockNumber"], 16))["timestamp"], 16)

    def _bloom(self, receipt: dict) -> int:
        """The receipt's logs bloom, as py-evm computed it (eth-tester leaves it out)."""
        evm = self._backend.chain
        block = evm.get_canonical_block_by_number(receipt["block_number"])
        return block.get_receipts(evm.chaindb)[receipt["transaction_index"]].bloom


def parse_airdrop(csv_text: str) -> list[tuple[str, str, Decimal]]:
    """The (token, receiver, amount) of each row of a Safe CSV Airdrop file; only erc20 rows are allowed."""
    reader = csv.DictReader(io.StringIO(csv_text))
    columns = ["token_type", "token_address", "receiver", "amount", "id"]
    if sorted(reader.fieldnames or []) != sorted(columns):
        raise ValueError(f"the header is {reader.fieldnames}; expected {','.join(columns)}")
    rows = []
    for line, row in enumerate(reader, start=2):
        field = {column: (row.get(column) or "").strip() for column in columns}
        if field["token_type"].lower() != "erc20":
            raise ValueError(f"line {line}: token_type {field['token_type']!r}; only erc20 is handled here")
        try:
            amount = Decimal(field["amount"])
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount <= 0:
            raise ValueError(f"line {line}: amount {field['amount']!r} is not a positive number")
        rows.append((checked_address(field["token_address"]), checked_address(field["receiver"]), amount))
    return rows


# --- Receipts, logs and blocks in the shapes of the execution API (src/schemas/receipt.yaml, block.yaml) ----------


def render_log(log: dict) -> dict:
    return {
        "address": log["address"].lower(),
        "topics": [t.lower() for t in log["topics"]],
        "data": log["data"].lower(),
        "blockNumber": quantity(log["block_number"]),
        "transactionHash": log["transaction_hash"].lower(),
        "transactionIndex": quantity(log["transaction_index"]),
        "blockHash": log["block_hash"].lower(),
        # eth-tester's index within the receipt: the same as within the block, with one transaction a block
        "logIndex": quantity(log["log_index"]),
        "removed": False,
    }


def render_receipt(receipt: dict, bloom: int) -> dict:
    contract = receipt["contract_address"]
    return {
        "blockHash": receipt["block_hash"].lower(),
        "blockNumber": quantity(receipt["block_number"]),
        "contractAddress": contract.lower() if contract else None,
        "cumulativeGasUsed": quantity(receipt["cumulative_gas_used"]),
        "effectiveGasPrice": quantity(receipt["effective_gas_price"]),
        "from": receipt["from"].lower(),
        "gasUsed": quantity(receipt["gas_used"]),
        "logs": [render_log(log) for log in receipt["logs"]],
        "logsBloom": f"0x{bloom:0512x}",
        "status": quantity(receipt["status"]),
        "to": receipt["to"].lower() or None,  # eth-tester: "" for a contract creation
        "transactionHash": receipt["transaction_hash"].lower(),
        "transactionIndex": quantity(receipt["transaction_index"]),
        "type": receipt["type"],
    }


BLOCK_FIELDS = {  # the execution API's name: eth-tester's
    "hash": "hash", "parentHash": "parent_hash", "sha3Uncles": "sha3_uncles", "miner": "coinbase",
    "stateRoot": "state_root", "transactionsRoot": "transactions_root", "receiptsRoot": "receipts_root",
    "logsBloom": "logs_bloom", "difficulty": "difficulty", "number": "number", "gasLimit": "gas_limit",
    "gasUsed": "gas_used", "timestamp": "timestamp", "extraData": "extra_data", "mixHash": "mix_hash",
    "nonce": "nonce", "baseFeePerGas": "base_fee_per_gas", "withdrawalsRoot": "withdrawals_root",
    "blobGasUsed": "blob_gas_used", "excessBlobGas": "excess_blob_gas",
    "parentBeaconBlockRoot": "parent_beacon_block_root", "requestsHash": "requests_hash", "size": "size",
    "transactions": "transactions", "withdrawals": "withdrawals", "uncles": "uncles",
}


def render_block(block: dict) -> dict:
    rendered = {}
    for name, key in BLOCK_FIELDS.items():
        if key not in block:
            continue
        value = block[key]
        if name == "logsBloom":
            rendered[name] = f"0x{value:0512x}"  # eth-tester gives the bloom as an integer
        elif name == "withdrawals":
            rendered[name] = [render_withdrawal(w) for w in value]
        elif isinstance(value, int):
            rendered[name] = quantity(value)
        elif isinstance(value, (list, tuple)):
            rendered[name] = [v.lower() for v in value]
        else:
            rendered[name] = value.lower()
    return rendered


def render_withdrawal(w: dict) -> dict:
    return {"index": quantity(w["index"]), "validatorIndex": quantity(w["validator_index"]),
            "address": w["address"].lower(), "amount": quantity(w["amount"])}


# --- JSON-RPC 2.0 --------------------------------------------------------------------------------------------------


class RpcError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
BLOCK_TAGS = {"earliest", "latest", "pending", "safe", "finalized"}


def error_response(id_: Any, code: int, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": id_, "error": {"code": code, "message": message}}


def valid_id(request: dict) -> bool:
    """JSON-RPC 2.0: an id is a string, a number or null."""
    return isinstance(request.get("id"), (str, int, float, type(None))) and not isinstance(request.get("id"), bool)


def check_request(request: Any) -> None:
    """Raise RpcError(-32600) for what is not a JSON-RPC 2.0 request object."""
    if not isinstance(request, dict):
        raise RpcError(INVALID_REQUEST, "Invalid request: not an object")
    if request.get("jsonrpc") != "2.0":
        raise RpcError(INVALID_REQUEST, 'Invalid request: jsonrpc must be "2.0"')
    if not isinstance(request.get("method"), str):
        raise RpcError(INVALID_REQUEST, "Invalid request: method must be a string")
    if not isinstance(request.get("params", []), (list, dict)):
        raise RpcError(INVALID_REQUEST, "Invalid request: params must be an array or an object")
    if not valid_id(request):
        raise RpcError(INVALID_REQUEST, "Invalid request: id must be a string, a number or null")


def positional(params: list | dict, count: int) -> list:
    """The `count` positional parameters, as geth asks for them."""
    if not isinstance(params, list):
        raise RpcError(INVALID_PARAMS, "non-array args")
    if len(params) > count:
        raise RpcError(INVALID_PARAMS, f"too many arguments, want at most {count}")
    if len(params) < count:
        raise RpcError(INVALID_PARAMS, f"missing value for required argument {len(params)}")
    return params


def block_parameter(value: Any) -> int | str:
    if isinstance(value, str) and value in BLOCK_TAGS:
        return value
    if isinstance(value, str) and QUANTITY.match(value):
        return int(value, 16)
    raise RpcError(INVALID_PARAMS, f"invalid argument 0: {value!r} is neither a block number nor a tag")


# --- The node --------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Lie:
    """What a lying node reports for one transaction. `log`: the index of the one log to change (None: every log)."""

    amount: int | None = None
    to: str | None = None
    sender: str | None = None
    token: str | None = None
    status: int | None = None
    timestamp: int | None = None  # of the transaction's block
    log: int | None = None
    missing: bool = False  # no receipt at all (null)

    def apply(self, receipt: dict) -> dict | None:
        if self.missing:
            return None
        if self.status is not None:
            receipt["status"] = quantity(self.status)
        for index, log in enumerate(receipt["logs"]):
            if self.log is None or self.log == index:
                self._apply_to_log(log)
        return receipt

    def _apply_to_log(self, log: dict) -> None:
        if self.token is not None:
            log["address"] = checked_address(self.token)
        if self.sender is not None:
            log["topics"][1] = topic(self.sender)
        if self.to is not None:
            log["topics"][2] = topic(self.to)
        if self.amount is not None:
            log["data"] = word(self.amount)


@dataclasses.dataclass(eq=False)
class Knobs:
    """How the node misbehaves (see the module's docstring); the defaults are an honest node."""

    chain_id: int | None = None
    latency: float = 0.0
    drip: float | None = None
    truncate: int | None = None
    content_length: int | None = None
    huge: int | None = None
    chunked: bool = False
    invalid_json: bool = False
    content_type: str = "application/json"
    http_status: int = 200
    rpc_errors: Mapping[str, dict] | Callable[[dict], dict | None] | None = None
    batch: str | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "batch" and value is not None and value not in BATCH_MODES:
            raise ValueError(f"batch={value!r}; expected None or one of {sorted(BATCH_MODES)}")
        super().__setattr__(name, value)


BATCH_MODES = {"reverse", "shuffle", "missing", "duplicate", "unknown-id", "object"}
MAX_REQUEST = 5 * 1024 * 1024  # geth's limit on a request body
CHUNK = 1 << 16


class Node(Knobs):
    """An HTTP JSON-RPC 2.0 server for `chain` on 127.0.0.1 (an ephemeral port), in a thread of its own."""

    def __init__(self, chain: Chain, **knobs: Any):
        super().__init__(**knobs)
        self.chain = chain
        self.lies: dict[str, Lie] = {}
        self._counting = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url: str | None = None  # http://127.0.0.1:PORT/ once started; kept after stop(): an unreachable node
        self.reset_counts()

    # Life cycle

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> Self:
        handler = type("Handler", (RpcHandler,), {"node": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads, self._server.block_on_close = True, False
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._stopping.clear()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        name=f"ethnode {self.url}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends drips and latencies under way
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    # Knobs and lies

    def behave(self) -> None:
        """Every knob back to an honest node's, and no more lies."""
        for field in dataclasses.fields(Knobs):
            setattr(self, field.name, field.default)
        self.lies.clear()

    def lie(self, tx: str, **lie: Any) -> Lie:
        """Report other values for transaction `tx`: see Lie. A `timestamp` (Unix seconds, or what Chain's `at`
        takes) is reported for the block of the transaction."""
        if lie.get("timestamp") is not None and not isinstance(lie["timestamp"], int):
            lie["timestamp"] = unix_time(lie["timestamp"], -1)
        self.lies[checked_hash(tx)] = Lie(**lie)
        return self.lies[checked_hash(tx)]

    def reset_counts(self) -> None:
        with self._counting:
            self.http_requests = self.rpc_calls = self.batch_requests = 0
            self.methods: Counter[str] = Counter()

    # JSON-RPC: a body in, a body out (None: nothing to answer, all notifications)

    def answer(self, body: bytes) -> bytes | None:
        try:
            payload = json.loads(body)
        except ValueError:
            return dumps(error_response(None, PARSE_ERROR, "Parse error"))
        if not isinstance(payload, list):
            response = self._call(payload)
            return None if response is None else dumps(response)
        with self._counting:
            self.batch_requests += 1
        if not payload:
            return dumps(error_response(None, INVALID_REQUEST, "Invalid request: empty batch"))
        responses = [r for r in map(self._call, payload) if r is not None]
        return dumps(self._misanswer_batch(responses)) if responses else None

    def _call(self, request: Any) -> dict | None:
        try:
            check_request(request)
        except RpcError as e:
            id_ = request.get("id") if isinstance(request, dict) and valid_id(request) else None
            return error_response(id_, e.code, e.message)
        with self._counting:
            self.rpc_calls += 1
            self.methods[request["method"]] += 1
        try:
            result = self._injected_error(request) or {"result": self._dispatch(request)}
        except RpcError as e:
            result = {"error": {"code": e.code, "message": e.message}}
        except Exception as e:  # noqa: BLE001 (a bug here, or a knob set wrong: the client is told, the test shows it)
            result = {"error": {"code": INTERNAL_ERROR, "message": f"Internal error: {e!r}"}}
        if "id" not in request:
            return None  # a notification: never answered
        return {"jsonrpc": "2.0", "id": request["id"], **result}

    def _injected_error(self, request: dict) -> dict | None:
        if callable(self.rpc_errors):
            error = self.rpc_errors(request)
        else:
            errors = self.rpc_errors or {}
            error = errors.get(request["method"], errors.get("*"))
        return {"error": dict(error)} if error else None

    def _dispatch(self, request: dict) -> Any:
        method, params = request["method"], request.get("params", [])
        if method == "eth_chainId":
            positional(params, 0)
            return quantity(self.chain.chain_id if self.chain_id is None else self.chain_id)
        if method == "eth_blockNumber":
            positional(params, 0)
            return quantity(self.chain.block_number)
        if method == "eth_getTransactionReceipt":
            (tx,) = positional(params, 1)
            if not isinstance(tx, str) or not HASH32.match(tx):
                raise RpcError(INVALID_PARAMS, f"invalid argument 0: {tx!r} is not a 32-byte hash")
            return self._receipt(tx.lower())
        if method == "eth_getBlockByNumber":
            number, hydrated = positional(params, 2)
            if not isinstance(hydrated, bool):
                raise RpcError(INVALID_PARAMS, "invalid argument 1: hydrated must be a boolean")
            if hydrated:
                raise RpcError(INVALID_PARAMS, "invalid argument 1: this test node serves transaction hashes only")
            return self._block(block_parameter(number))
        raise RpcError(METHOD_NOT_FOUND, f"the method {method} does not exist/is not available")

    def _receipt(self, tx: str) -> dict | None:
        receipt = self.chain.receipt(tx)
        lie = self.lies.get(tx)
        return lie.apply(receipt) if lie and receipt else receipt

    def _block(self, number: int | str) -> dict | None:
        block = self.chain.block(number)
        for tx, lie in list(self.lies.items()):
            if block and lie.timestamp is not None and tx in block["transactions"]:
                block["timestamp"] = quantity(lie.timestamp)
        return block

    def _misanswer_batch(self, responses: list[dict]) -> list[dict] | dict:
        mode = self.batch
        if mode is None:
            return responses
        if mode == "reverse":
            return responses[::-1]
        if mode == "shuffle":
            return random.Random(17).sample(responses, len(responses))
        if mode == "missing":
            return responses[:-1]
        if mode == "duplicate":
            return responses + responses[:1]
        if mode == "unknown-id":
            return responses[:-1] + [{**responses[-1], "id": "not-asked-for"}]
        return responses[0]  # "object"

    # HTTP: the answer on the wire, as the knobs make it

    def transmit(self, handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
        if self.latency and self._stopping.wait(self.latency):
            return
        if self.invalid_json:
            body = body.replace(b'"', b"'")
        size = len(body) if self.huge is None else max(self.huge, len(body))
        chunks: Iterator[bytes] = padded(body, size)
        close = self.truncate is not None or self.content_length is not None
        if self.truncate is not None:
            chunks = cut(chunks, self.truncate)
        head = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}", f"Content-Type: {content_type}"]
        if self.chunked:
            head.append("Transfer-Encoding: chunked")
            chunks = chunk_framed(chunks, last=self.truncate is None)
        else:
            head.append(f"Content-Length: {size if self.content_length is None else self.content_length}")
        if close:
            head.append("Connection: close")
            handler.close_connection = True
        self._write(handler, itertools.chain([("\r\n".join(head) + "\r\n\r\n").encode()], chunks))

    def _write(self, handler: BaseHTTPRequestHandler, chunks: Iterable[bytes]) -> None:
        try:
            for chunk in chunks:
                if self.drip is None:
                    handler.wfile.write(chunk)
                    continue
                for byte in range(len(chunk)):
                    handler.wfile.write(chunk[byte:byte + 1])
                    handler.wfile.flush()
                    if self._stopping.wait(self.drip):
                        handler.close_connection = True
                        return
            handler.wfile.flush()
        except OSError:  # the client went away (or timed out): nothing more to say
            handler.close_connection = True


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def padded(body: bytes, size: int) -> Iterator[bytes]:
    """The body, then spaces (JSON whitespace) up to `size` bytes, in chunks."""
    yield body
    left = size - len(body)
    while left > 0:
        yield b" " * min(left, CHUNK)
        left -= CHUNK


def cut(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    for chunk in chunks:
        if limit <= 0:
            return
        yield chunk[:limit]
        limit -= len(chunk)


def chunk_framed(chunks: Iterable[bytes], last: bool) -> Iterator[bytes]:
    """HTTP/1.1 chunked transfer coding; without the last, empty chunk the body never ends."""
    for chunk in chunks:
        if chunk:
            yield b"%x\r\n%s\r\n" % (len(chunk), chunk)
    if last:
        yield b"0\r\n\r\n"


class RpcHandler(BaseHTTPRequestHandler):
    """Requests as geth checks them (POST, a body of at most 5 MiB, Content-Type application/json)."""

    node: Node
    protocol_version = "HTTP/1.1"
    timeout = 10  # a client that stops reading or sending is dropped after this

    def do_POST(self) -> None:
        self._count()
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._plain(411, "a Content-Length is required", close=True)
        if int(length) > MAX_REQUEST:
            return self._plain(413, f"content length too large ({length}>{MAX_REQUEST})", close=True)
        body = self.rfile.read(int(length))
        if self.headers.get_content_type() != "application/json":
            return self._plain(415, "invalid content type, only application/json is supported")
        answer = self.node.answer(body)
        if answer is None:
            return self._plain(200, "")  # notifications only: nothing to answer
        self.node.transmit(self, self.node.http_status, answer, self.node.content_type)

    def do_GET(self) -> None:
        self._count()
        self._plain(405, "method not allowed")

    def _count(self) -> None:
        with self.node._counting:
            self.node.http_requests += 1

    def _plain(self, status: int, message: str, close: bool = False) -> None:
        body = message.encode()
        self.close_connection = self.close_connection or close
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: pytest shows the tests' own output


# --- pytest fixtures `chain` and `chain_node`: `from ethnode import chain_fixture, chain_node_fixture` -----------
# (imported under these names, a test's parameters `chain` and `chain_node` redefine nothing the module imported)


@pytest.fixture(name="chain")
def chain_fixture() -> Chain:
    """A fresh chain (genesis 2020-01-01 UTC), no token yet."""
    return Chain()


@pytest.fixture(name="chain_node")
def chain_node_fixture(chain: Chain) -> Iterator[Node]:
    """An honest node serving the test's `chain`, started; its knobs may be turned during the test."""
    with Node(chain) as node:
        yield node
