"""EIP-55 checksums against the EIP's own examples, and the Keccak library loaded only when needed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from transparency.eip55 import checksummed, has_valid_checksum

# The examples of EIP-55 itself: all caps, all lower, and mixed case.
EIP_EXAMPLES = [
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]
MIXED = EIP_EXAMPLES[4:]


@pytest.mark.parametrize("address", MIXED)
def test_the_checksum_of_each_mixed_case_example_of_the_eip(address):
    assert checksummed(address.lower()) == address
    assert checksummed(address.upper().replace("0X", "0x")) == address
    assert has_valid_checksum(address)


@pytest.mark.parametrize("address", EIP_EXAMPLES[:4])
def test_an_address_in_one_case_carries_no_checksum(address):
    assert has_valid_checksum(address)


@pytest.mark.parametrize("address", MIXED)
def test_one_letter_of_the_wrong_case_or_one_digit_mistyped_fails(address):
    index = next(i for i, c in enumerate(address) if i > 1 and c.isalpha())
    flipped = address[:index] + address[index].swapcase() + address[index + 1:]
    assert not has_valid_checksum(flipped)
    digit = next(i for i, c in enumerate(address) if i > 1 and c.isdigit())
    typo = address[:digit] + str((int(address[digit]) + 1) % 10) + address[digit + 1:]
    assert not has_valid_checksum(typo)


@pytest.mark.parametrize("text", ["0x123", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                                  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeZ"])
def test_only_an_address_has_a_checksum(text):
    with pytest.raises(ValueError):
        checksummed(text)


def test_validation_loads_the_keccak_library_only_for_a_mixed_case_address():
    code = ("import sys; from transparency import validate, eip55; "
            "assert eip55.has_valid_checksum('0x' + 'ab' * 20); "
            "assert not any(m.startswith(('eth_hash', 'Crypto')) for m in sys.modules), 'loaded'; "
            f"eip55.has_valid_checksum({MIXED[0]!r}); "
            "assert 'eth_hash' in sys.modules")
    process = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr
