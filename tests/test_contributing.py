"""CONTRIBUTING.md shows what the tools print, exactly: every `text` block of the guide is what one
of its scenarios below prints (lines may be left out, never changed), each run from the folder of a
repository whose main holds the seed-era data (tests/fixtures/seed-era), on a branch, as a
maintainer or the treasurer would. A message that changes its words, line or column fails here
until the guide shows it as it now is; so does a YAML example of the guide that stops working.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, SEED_ERA, copy_data, git, no_license_warning, run_cli

GUIDE = ROOT / "CONTRIBUTING.md"
ELISION = "..."


def fenced(kind: str, text: str | None = None) -> list[list[str]]:
    """The lines of each fenced block of a kind (text, yaml, sh) in the guide, without their indentation."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    return [[line[len(match[1]):] for line in match[2].splitlines()]
            for match in re.finditer(rf"^( *)```{kind}\n(.*?)^\1```", text, re.M | re.S)]


def example(title: str) -> str:
    """The first yaml block of the guide's section `## title`, as a text to paste into a file."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return "\n".join(fenced("yaml", text[start:end if end >= 0 else None])[0]) + "\n"


def run(*args: str) -> list[str]:
    """What a command prints, stdout then stderr, as it prints it in the repository's folder."""
    result = run_cli(*args)
    return (result.out + result.err).splitlines()


def edit(path: str, old: str, new: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def fill_in(path: str, connector: str | None = None, amount: str = "", currency: str | None = None) -> None:
    """Fill in a draft of new-report: its rates, `amount` (and `currency`) for `connector`, 100 for the others."""
    text = Path(path).read_text(encoding="utf-8")
    text = re.sub(r"^(  [A-Z0-9]{2,10}):( +#.*)$", r"\1: 1.0001\2", text, flags=re.M)
    if connector is not None:
        extra = f"\n    currency: {currency}" if currency else ""
        text, count = re.subn(rf"(- connector: {connector} .*\n    amount:)\n", rf"\1 {amount}{extra}\n", text)
        assert count == 1, f"no blank amount for {connector} in {path}"
    text = re.sub(r"^(    amount):$", r"\1: 100.00", text, flags=re.M)
    Path(path).write_text(text, encoding="utf-8")


def publish(path: str, date: str) -> None:
    edit(path, "status: draft", f"status: published\npublished: {date}")


# -- the guide's scenarios, each from a fresh branch --

def add_a_connector() -> list[str]:
    """The guide's new connector, with its new sponsor: as it is, then with a typo in each field."""
    edit("agreements.yml", "    name: ProBit\n\nconnectors:", "    name: ProBit\n  mexc:\n    name: MEXC\n\nconnectors:")
    append("agreements.yml", example("Add a connector"))
    output = run("check", "--base", "auto")
    for old, new in (("sponsor: mexc\n", "sponsor: mexcc\n"), ("developer: coinalpha\n    docs: /exchanges/mexc",
                     "developer: coinalpah\n    docs: /exchanges/mexc"), ("since: 2022-06", "since: 2022-6"),
                     ("amount: 30%  ", "amount: 30 % ")):
        edit("agreements.yml", old, new)
    return output + run("check", "--base", "auto")


def kucoin_terms(since: str) -> None:
    """The new terms entry of the guide's example, from `since`, after KuCoin's first one."""
    terms = example("Change a maintainer, or terms, from a given month")
    entry = terms[terms.index("      - since: 2022-06"):].replace("2022-06", since, 1)
    edit("agreements.yml", "        maintainer: coinalpha\n  okex:", f"        maintainer: coinalpha\n{entry}  okex:")


def change_a_maintainer() -> list[str]:
    """KuCoin's maintainer from the next month, as the guide shows."""
    kucoin_terms("2022-06")
    return run("check", "--base", "auto")


def change_a_maintainer_in_a_published_month() -> list[str]:
    kucoin_terms("2022-03")
    return run("check", "--base", "auto")


def change_a_maintainer_out_of_order() -> list[str]:
    kucoin_terms("2021-12")
    return run("check", "--base", "auto")


def draft_a_month_after_a_draft() -> list[str]:
    """new-report while May is still a draft, then June published before May."""
    output = run("new-report", "2022-06")
    fill_in("reports/2022-06.yml")
    publish("reports/2022-06.yml", "2022-07-05")
    return output + run("check", "--base", "auto")


def publish_a_month_after_a_gap() -> list[str]:
    Path("reports/2022-05.yml").unlink()
    run("new-report", "2022-06")
    fill_in("reports/2022-06.yml")
    publish("reports/2022-06.yml", "2022-07-05")
    return run("check", "--base", "auto")


def draft_a_month() -> list[str]:
    """May published, June drafted: new-report, then check on the blanks and on badly filled ones."""
    publish("reports/2022-05.yml", "2022-06-03")
    output = run("new-report", "2022-06") + run("check", "--base", "auto")
    fill_in("reports/2022-06.yml", "binance", "1,234.56")
    output += run("check", "--base", "auto")
    Path("reports/2022-06.yml").unlink()
    run("new-report", "2022-06")
    fill_in("reports/2022-06.yml", "bitfinex", "1234.56", "USDC")
    return output + run("check", "--base", "auto")


def correct_a_published_month() -> list[str]:
    """An edit of April, published, refused; the adjustment of the guide in May's report, accepted."""
    edit("reports/2022-04.yml", "  - connector: probit\n    amount: 305.40", "  - connector: probit\n    amount: 350.40")
    output = run("check", "--base", "auto")
    git(Path("."), "checkout", "--", "reports/2022-04.yml")
    append("reports/2022-05.yml", example("Correct a published month"))
    return output + run("check", "--base", "auto")


def make_yaml_mistakes() -> list[str]:
    """The mistakes of the guide's section on YAML, one at a time, in May's draft."""
    output = []
    original = Path("reports/2022-05.yml").read_text(encoding="utf-8")
    for old, new in (("    amount: 750\n", "\tamount: 750\n"),
                     ("    user_fees: 12916.67\n", "    user_fees: 12916.67\n    reference: wire: 2022-06-02\n"),
                     ("  - connector: ndax", "    - connector: ndax"),
                     ("    user_fees: 12916.67\n", "    user_fees: 12916.67\n    reference: \"wire 2022-06-02\n")):
        Path("reports/2022-05.yml").write_text(original.replace(old, new, 1), encoding="utf-8")
        output += run("check", "--base", "auto")
    return output


def pay_the_maintainers() -> list[str]:
    """May published, June drafted with the guide's new maintainer of KuCoin; the guide's chain, token and
    accounts declared; June's batch prepared, refused a second time, and recorded; then an address mistyped."""
    publish("reports/2022-05.yml", "2022-06-03")
    kucoin_terms("2022-06")
    run("new-report", "2022-06")
    fill_in("reports/2022-06.yml")
    append("agreements.yml", example("Pay the maintainers on chain"))
    text = GUIDE.read_text(encoding="utf-8")
    safe, coinalpha = re.findall(r'address: "(0x[0-9a-fA-F]{40})"', text[text.index("## Pay the maintainers"):])[:2]
    edit("agreements.yml", "  maintainer_share: 50%\n",
         f'  maintainer_share: 50%\n  accounts:\n    - chain: ethereum\n      address: "{safe}"\n')
    edit("agreements.yml", "  coinalpha:\n    name: CoinAlpha\n",
         f'  coinalpha:\n    name: CoinAlpha\n    accounts:\n      - chain: ethereum\n        address: "{coinalpha}"\n')
    output = run("pay", "2022-06", "--currency", "USDC", "--rate", "0.9998", "--drafts")
    output += Path("payouts/2022-06-USDC.csv").read_text(encoding="utf-8").splitlines()
    output += run("pay", "2022-06", "--currency", "USDC", "--rate", "0.9998", "--drafts")
    edit("reports/2022-06.yml", "rates:  # the value of 1 unit in USD\n",
         "rates:  # the value of 1 unit in USD\n  USDC: 0.9998\n")
    output += run("pay", "2022-06", "--currency", "USDC", "--record", "0x" + "5e" * 32, "--date", "2022-07-04")
    output += run("check", "--base", "auto")
    edit("agreements.yml", coinalpha, coinalpha[:2] + coinalpha[2:4].swapcase() + coinalpha[4:])
    return output + run("check", "--base", "auto")


SCENARIOS = [add_a_connector, change_a_maintainer, change_a_maintainer_in_a_published_month,
             change_a_maintainer_out_of_order, draft_a_month_after_a_draft, publish_a_month_after_a_gap,
             draft_a_month, correct_a_published_month, make_yaml_mistakes, pay_the_maintainers]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[str]]:
    """What each scenario prints, each run on a branch of its own from the seed-era data."""
    output = {}
    # The seed-era copy is older than foundation.license; the repository's data declares its licence.
    with pytest.MonkeyPatch.context() as patch, no_license_warning():
        for scenario in SCENARIOS:
            repo = copy_data(SEED_ERA, tmp_path_factory.mktemp(scenario.__name__) / "repo")
            git(repo, "init", "-q")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "The data as published")
            git(repo, "switch", "-q", "-c", "a-change")
            patch.chdir(repo)
            output[scenario.__name__] = scenario()
    return output


def contains(lines: list[str], block: list[str]) -> bool:
    """Whether the block's lines come in `lines` in order, each one right after the one before, except
    across an elision ("...") or a command typed ("$ ...")."""
    runs, current = [], []
    for line in block:
        if line == ELISION or line.startswith("$ "):
            runs.append(current)
            current = []
        else:
            current.append(line)
    runs.append(current)
    start = 0
    for part in filter(None, runs):
        found = next((i for i in range(start, len(lines) - len(part) + 1) if lines[i:i + len(part)] == part), None)
        if found is None:
            return False
        start = found + len(part)
    return True


def test_every_text_block_of_the_guide_is_printed_by_one_of_its_scenarios(printed):
    blocks = fenced("text")
    assert len(blocks) >= 8
    missing = [block for block in blocks if not any(contains(lines, block) for lines in printed.values())]
    shown = "\n\n".join("\n".join(block) for block in missing)
    everything = "\n\n".join(f"# {name}\n" + "\n".join(lines) for name, lines in printed.items())
    assert not missing, f"not printed by any scenario:\n{shown}\n\nwhat the scenarios print:\n{everything}"


def test_the_guides_examples_pass_check(printed):
    for name in ("add_a_connector", "change_a_maintainer", "correct_a_published_month", "pay_the_maintainers"):
        assert any(line.startswith("ok: ") and line.endswith("nothing published in main changes")
                   for line in printed[name]), (name, printed[name])


def test_the_guide_starts_with_a_branch_and_names_the_commands_of_the_loop():
    text = GUIDE.read_text(encoding="utf-8")
    loop = text[text.index("## The loop"):text.index("\n## ", text.index("## The loop") + 1)]
    assert loop.index("**Make a branch**") < loop.index("**Edit**") < loop.index("**Check**")
    assert "git switch -c" in loop and "make check" in loop and "python build.py check --base auto" in loop
