"""Ethereum addresses and transaction hashes, and EIP-55's mixed-case checksum of an address.

Keccak-256 comes from eth-hash (with pycryptodome computing it), imported on the first checksum
only: `check` on data without a mixed-case address never loads it. Only EIP-55's rule is written
here: the hex digits of the address, in lower case, hashed; a letter is upper case where the
hash's hex digit at the same position is 8 or more.
"""

from __future__ import annotations

import functools
import re

ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}\Z")
TX = re.compile(r"0x[0-9a-fA-F]{64}\Z")
HEX = re.compile(r"0x([0-9a-fA-F]*)\Z")


def checksummed(address: str) -> str:
    """The EIP-55 form of an address (0x and 40 hex digits, in any case)."""
    if not ADDRESS.match(address):
        raise ValueError(f"{address!r} is not an address: 0x and 40 hex digits")
    return _checksummed(address[2:].lower())


@functools.lru_cache(maxsize=4096)
def _checksummed(digits: str) -> str:
    from eth_hash.auto import keccak  # here, not at import: only a mixed-case address needs it

    hashed = keccak(digits.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and hashed[i] in "89abcdef" else c for i, c in enumerate(digits))


def has_valid_checksum(address: str) -> bool:
    """True for an address in one case (no checksum to check) or with its EIP-55 checksum right."""
    digits = address[2:]
    if digits == digits.lower() or digits == digits.upper():
        return True
    return checksummed(address) == address
