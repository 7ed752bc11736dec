"""Lines carried on chain, on the pages and in the month files of the golden case `chain`: each transaction
and address links to its chain's explorer (https only, rel="noopener nofollow"), is shown whole where its
chain has no explorer, and the month files carry the keys of contract 1.2 on those lines only."""

from __future__ import annotations

import json
import re

from test_golden import generated

FILES = generated("chain")
PAGES = {name: content.decode() for name, content in FILES.items() if name.endswith(".md")}
LINK = re.compile(r'<a href="([^"]*)"( rel="[^"]*")?>(.*?)</a>')
HASHES = re.compile(r'<code class="hash">(0x[0-9a-f]+)</code>')


def explorer_links() -> list[tuple[str, str, str, str]]:
    """(page, href, rel, text) of every link to a transaction or an address."""
    return [(page, *match.groups()) for page, text in PAGES.items() for match in LINK.finditer(text)
            if "/tx/" in match[1] or "/address/" in match[1]]


def test_every_explorer_link_is_https_and_neither_opener_nor_followed():
    links = explorer_links()
    assert len(links) > 10
    for page, href, rel, text in links:
        assert href.startswith("https://explorer.example/eth/tx/0x") or \
            href.startswith("https://explorer.example/eth/address/0x"), (page, href)
        assert rel == ' rel="noopener nofollow"', (page, href)
        assert text == f'<code class="hash">{href.rsplit("/", 1)[1]}</code>', (page, text)


def test_a_chain_without_an_explorer_shows_its_hashes_whole_and_unlinked():
    gnosis = ("0x4444444444444444444444444444444444444444444444444444444444444444",
              "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb")
    month = PAGES["reports/2024-02.md"]
    for value in gnosis:
        assert f'<code class="hash">{value}</code>' in month
        assert all(value not in href for _, href, _, _ in explorer_links())


def test_the_month_page_marks_the_lines_carried_on_chain():
    month = PAGES["reports/2024-02.md"]
    assert "- **On chain:** 1 of 2 remittances and 3 of 4 payouts" in month
    assert month.count("Ethereum, transaction <a ") == 3 and month.count("Gnosis Chain, transaction <code") == 1
    payouts = month[month.index("## Payouts"):month.index("## Balances")]
    ben = next(row for row in payouts.splitlines() if "Ben Okafor" in row)
    assert ben.endswith('<td class="num">500.00</td><td></td></tr>')  # paid off chain: nothing to link


def test_a_persons_page_lists_their_accounts():
    page = PAGES["people/ana.md"]
    accounts = page[page.index("- **Accounts**"):page.index("- **Maintainer of:**")]
    assert HASHES.findall(accounts) == ["0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb",
                                        "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb"]
    assert "- **Accounts**" not in PAGES["people/ben.md"]


def test_the_verify_page_gives_the_command_with_rpc_and_chain():
    page = PAGES["data/verify.md"]
    on_chain = page[page.index("## On chain"):]
    for command in ("python3 verify.py https://example.org/t/ --rpc URL</code>",
                    "python3 verify.py https://example.org/t/ --rpc URL --rpc URL2</code>",
                    "python3 verify.py https://example.org/t/ --rpc URL --chain ethereum</code>"):
        assert command in on_chain
    assert "every one must give the same answer" in on_chain


def test_the_keys_of_a_line_on_chain_are_absent_elsewhere():
    month = json.loads(FILES["data/reports/2024-02.json"])
    on_chain = {"tx", "chain", "token"}
    for line in month["connectors"]:
        assert on_chain <= set(line) if line["currency"] == "USDC" else not on_chain & set(line), line
    for payout in month["payouts"]:
        keys = on_chain | {"address"}
        assert keys <= set(payout) if payout["currency"] != "USD" else not keys & set(payout), payout
    assert month["payouts"][0] == {
        "to": "ana", "date": "2024-03-06", "amount": "300.123456", "currency": "USDC", "paid": "300.15",
        "reference": None, "tx": "0x" + "3" * 64, "chain": "ethereum",
        "token": "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", "address": "0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb"}
