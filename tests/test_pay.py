"""The treasurer's `pay`: the amounts, the rounding, the files byte for byte, the people left out, the
refusals, and recording the executed batch (on tests/fixtures/pay, whose README says who is owed what);
and, on random balances and rates, that nobody is ever paid more than they are owed."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from transparency.airdrop import CannotRecord, Row, with_payouts
from transparency.batch import plan, token_amount
from transparency.model import Account, Person, Token
from transparency.pipeline import load_dataset

FIXTURE = Path(__file__).parent / "fixtures" / "pay"
TX = "0x" + "ab" * 32
WARNING = "reports/2024-03.yml:5:3: warning: rate for USDC is not used by this report"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the fixture, and the current folder in it, as the treasurer runs the command."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    return folder


def pay(data: Path, *args: str):
    return run_cli("pay", *args, "--data", str(data))


def shown(result, data: Path) -> list[str]:
    return [line.replace(f"{data}/", "") for line in (result.out + result.err).splitlines()]


CSV = ("token_type,token_address,receiver,amount,id\n"
       "erc20,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359,1234.323135,ana\n"
       "erc20,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB,299.940011,ben\n"
       "erc20,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb,0.009998,eve\n")


def test_the_batch_in_usdc_at_the_drafts_rate(data):
    result = pay(data, "2024-03", "--currency", "USDC")
    assert result.code == 0, result
    # 1234.57 / 1.0002 = 1234.32313537..., 300.00 / 1.0002 = 299.94001199..., 0.01 / 1.0002 = 0.00999800...,
    # each rounded down to 6 decimals; ben's 333.33 less the 33.33 the draft already pays him.
    assert shown(result, data) == [
        "pay 2024-03 in USDC on Ethereum at 1.0002 USD per USDC: the balances after 2024-02, the last published "
        "month, less what the draft 2024-03 already pays",
        "  ana  1,234.57 USD owed  1234.323135 USDC  to 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "  ben    300.00 USD owed   299.940011 USDC  to 0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "  eve      0.01 USD owed     0.009998 USDC  to 0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "cannot be paid in USDC on ethereum:",
        "  cho     50.00 USD owed: no account on ethereum (add one under people: cho: accounts: in agreements.yml)",
        "total: 1534.273144 USDC to 3 people, worth 1,534.58 USD at 1.0002, of 1,534.58 USD owed to them",
        "wrote payouts/2024-03-USDC.csv: the Safe CSV Airdrop file, 3 transfers",
        "wrote payouts/2024-03-USDC.yml: the matching payouts: entries for reports/2024-03.yml",
        "next steps:",
        "  1. in the Safe app, open CSV Airdrop, upload payouts/2024-03-USDC.csv and check its total, 1534.273144 "
        "USDC; then propose the batch for the board to sign",
        "  2. once it is executed, copy its transaction hash and the UTC date of its block",
        f"  3. python build.py pay 2024-03 --currency USDC --record 0xTRANSACTION --date YYYY-MM-DD --data {data}",
        WARNING,
    ]
    assert (data / "payouts" / "2024-03-USDC.csv").read_bytes() == CSV.encode()
    assert (data / "payouts" / "2024-03-USDC.yml").read_text(encoding="utf-8") == (
        "# The payouts of payouts/2024-03-USDC.csv: 3 transfers of 1534.273144 USDC in all, at 1.0002 USD per USDC.\n"
        "# Once the board has signed and the batch is executed, record them in reports/2024-03.yml in one command:\n"
        "#   python build.py pay 2024-03 --currency USDC --record 0xTRANSACTION --date YYYY-MM-DD\n"
        "# or paste the entries under payouts: in that file and fill in each date and tx.\n"
        "payouts:\n"
        + "".join(f"  - to: {person}\n    amount: {amount}\n    currency: USDC\n"
                  "    date:  # YYYY-MM-DD, the UTC date of the transaction's block\n"
                  "    tx:  # 0x and 64 hex digits, the executed batch's transaction hash\n"
                  f'    address: "{address}"\n'
                  for person, amount, address in (("ana", "1234.323135", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
                                                  ("ben", "299.940011", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"),
                                                  ("eve", "0.009998", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"))))


def test_a_token_without_decimals_rounds_down_to_whole_units_and_leaves_out_less_than_one(data):
    result = pay(data, "2024-03", "--currency", "GOLD", "--rate", "2", "--drafts")
    assert result.code == 0, result
    # With the draft: ana 1334.57 / 2 = 667.285 -> 667; ben 300 / 2 = 150; eve 0.01 / 2 = 0.005 -> 0.
    assert shown(result, data)[:7] == [
        "pay 2024-03 in GOLD on Ethereum at 2 USD per GOLD: the balances after 2024-02, the last published month, "
        "and what the draft 2024-03 adds",
        "  ana  1,334.57 USD owed  667 GOLD  to 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "  ben    300.00 USD owed  150 GOLD  to 0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "cannot be paid in GOLD on ethereum:",
        "  cho     50.00 USD owed: no account on ethereum (add one under people: cho: accounts: in agreements.yml)",
        "  eve      0.01 USD owed: owed less than the smallest amount of GOLD",
        "total: 817 GOLD to 2 people, worth 1,634.00 USD at 2, of 1,634.57 USD owed to them",
    ]
    assert "note: reports/2024-03.yml needs GOLD: 2 under rates:, the rate these amounts were computed at" in \
        shown(result, data)
    assert (data / "payouts" / "2024-03-GOLD.csv").read_text().splitlines()[1:] == [
        "erc20,0x8617E340B3D01FA5F11F306F4090FD50E238070D,0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359,667,ana",
        "erc20,0x8617E340B3D01FA5F11F306F4090FD50E238070D,0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB,150,ben"]


def test_a_chain_where_nobody_can_be_paid_and_where_the_foundation_has_no_account(data):
    result = pay(data, "2024-03", "--currency", "XDAI", "--rate", "0.9995")
    assert result.code == 0, result
    lines = shown(result, data)
    assert lines[1:4] == ["cannot be paid in XDAI on gnosis:",
                          "  ana  1,234.57 USD owed: no account on gnosis (add one under people: ana: accounts: in "
                          "agreements.yml)",
                          "  ben    300.00 USD owed: no account on gnosis (add one under people: ben: accounts: in "
                          "agreements.yml)"]
    assert "nothing to pay: no file written" in lines
    assert not (data / "payouts").exists()
    (data / "agreements.yml").write_text((data / "agreements.yml").read_text().replace(
        "  ben:\n    name: Ben\n    accounts:\n", "  ben:\n    name: Ben\n    accounts:\n      - chain: gnosis\n"
        "        address: '0x" + "1" * 40 + "'\n"), encoding="utf-8")
    result = pay(data, "2024-03", "--currency", "XDAI", "--rate", "0.9995")
    assert ("note: the Foundation declares no account on gnosis: add the Safe's address under foundation: accounts: "
            "in agreements.yml, so that the payouts can be checked on chain") in shown(result, data)


def test_it_never_overwrites_a_file(data):
    assert pay(data, "2024-03", "--currency", "USDC").code == 0
    written = {path.name: path.read_bytes() for path in (data / "payouts").iterdir()}
    result = pay(data, "2024-03", "--currency", "USDC", "--rate", "1.0002")
    assert result.code == 1
    assert shown(result, data)[-1] == ("payouts/2024-03-USDC.csv: error: the file exists already; expected no batch "
                                       "of 2024-03 in USDC yet (pay never overwrites a file: remove it to pay again)")
    (data / "payouts" / "2024-03-USDC.csv").unlink()
    result = pay(data, "2024-03", "--currency", "USDC")
    assert result.code == 1 and "payouts/2024-03-USDC.yml: error: the file exists already" in result.err
    assert not (data / "payouts" / "2024-03-USDC.csv").exists()
    assert (data / "payouts" / "2024-03-USDC.yml").read_bytes() == written["2024-03-USDC.yml"]


@pytest.mark.parametrize("args, code, message", [
    (("2024-02", "--currency", "USDC"), 1, "reports/2024-02.yml: error: 2024-02 is published, and its payouts with it; "
     "expected a month that is not published (pay in the month being prepared: its payouts go in its report)"),
    (("2023-12", "--currency", "USDC", "--rate", "1"), 1, "reports/2023-12.yml: error: 2023-12 is before 2024-02, the "
     "last published month; expected a later month"),
    (("2024-03", "--currency", "USDT"), 2, "error: USDT is not a token; did you mean 'USDC'?"),
    (("2024-03", "--currency", "EUR"), 2, "error: EUR is not a token; expected one of: USDC, GOLD, XDAI"),
    (("2024-04", "--currency", "USDC"), 2, "error: no rate for USDC: reports/2024-04.yml does not exist yet; expected "
     "--rate R, the value of 1 USDC in USD"),
    (("2024-03", "--currency", "USDC", "--rate", "1.0001"), 2, "error: --rate 1.0001 is not the rate of USDC in "
     "reports/2024-03.yml, 1.0002, at which the payouts will count: they could come to more than is owed; expected "
     "--rate 1.0002 or no --rate (or the report's rate changed first)"),
    (("2024-03", "--currency", "GOLD"), 2, "error: no rate for GOLD: reports/2024-03.yml has none; expected --rate R, "
     "the value of 1 GOLD in USD"),
    (("2024-03", "--currency", "USDC", "--record", TX), 2, "error: --record and --date go together; expected --record "
     "TX --date YYYY-MM-DD, the executed batch's transaction and the UTC date of its block"),
    (("2024-03", "--currency", "USDC", "--record", TX, "--date", "2024-04-03", "--rate", "1"), 2, "error: --record "
     "takes the amounts of the batch's CSV file; expected no --rate or --drafts with it"),
    (("2024-03", "--currency", "USDC", "--rate", "0"), 2, "python build.py pay: error: argument --rate: '0' is not a "
     "rate; expected the value of 1 token in the reporting currency, a number greater than 0 with at most 18 decimals, "
     "like 1.0002"),
    (("2024-03", "--currency", "usdc"), 2, "python build.py pay: error: argument --currency: 'usdc' is not a currency "
     "code; expected 2 to 10 uppercase letters or digits, like USDC"),
    (("2024-03", "--currency", "USDC", "--record", "0x12", "--date", "2024-04-03"), 2, "python build.py pay: error: "
     "argument --record: '0x12' is not a transaction hash; expected 0x and 64 hex digits"),
    (("2024-03", "--currency", "USDC", "--record", TX, "--date", "2024-02-30"), 2, "python build.py pay: error: "
     "argument --date: '2024-02-30' is not a date; expected YYYY-MM-DD, like 2024-06-05"),
])
def test_what_it_refuses(data, args, code, message):
    result = pay(data, *args)
    assert result.code == code, result
    assert message in shown(result, data), result
    assert not (data / "payouts").exists()


def test_invalid_data_is_refused(data):
    (data / "reports" / "2024-03.yml").write_text("month: 2024-03\nstatus: draft\nrates:\n  USDC:\n", encoding="utf-8")
    result = pay(data, "2024-03", "--currency", "USDC")
    assert result.code == 1
    assert shown(result, data)[-1] == "error: fix the data first; pay works from valid agreements and reports"


# -- recording the executed batch --

def test_the_executed_batch_is_recorded_in_the_draft_in_one_command(data):
    assert pay(data, "2024-03", "--currency", "USDC").code == 0
    before = (data / "reports" / "2024-03.yml").read_text(encoding="utf-8")
    result = pay(data, "2024-03", "--currency", "USDC", "--record", TX.upper().replace("0X", "0x"),
                 "--date", "2024-04-03")
    assert result.code == 0, result
    assert shown(result, data) == [
        f"recorded 3 payouts of payouts/2024-03-USDC.csv in reports/2024-03.yml: 1534.273144 USDC, transaction {TX} "
        "on 2024-04-03",
        "next steps:",
        f"  1. python build.py check --data {data}",
        "  2. commit reports/2024-03.yml with payouts/2024-03-USDC.csv, and open the pull request",
    ]
    after = (data / "reports" / "2024-03.yml").read_text(encoding="utf-8")
    assert after == before + "".join(
        f"  - to: {row[0]}\n    amount: {row[1]}\n    currency: USDC\n    date: 2024-04-03\n    tx: \"{TX}\"\n"
        f"    address: \"{row[2]}\"\n" for row in (line.split(",")[4:1:-1] for line in CSV.splitlines()[1:]))
    dataset, diagnostics = load_dataset(data)
    assert [str(d) for d in diagnostics] == []  # the rate of USDC is used now
    (report,) = [r for r in dataset.reports if r.month == "2024-03"]
    assert [(p.to, p.amount, p.tx) for p in report.payouts if p.tx] == [
        ("ana", Decimal("1234.323135"), TX), ("ben", Decimal("299.940011"), TX), ("eve", Decimal("0.009998"), TX)]
    again = pay(data, "2024-03", "--currency", "USDC", "--record", TX, "--date", "2024-04-03")
    assert again.code == 1
    assert shown(again, data)[-1] == (f"reports/2024-03.yml: error: payouts of transaction {TX} are in the report "
                                      "already; expected a batch recorded once")
    # and what is left to pay is what the rounding left: less than a base unit of USDC each
    assert "the draft 2024-03 already pays" in pay(data, "2024-04", "--currency", "USDC", "--rate", "1.0002").out


@pytest.mark.parametrize("change, message", [
    (("erc20,0x5aAeb", "erc721,0x5aAeb"), "payouts/2024-03-USDC.csv:2: error: token_type 'erc721' is not erc20; "
     "expected erc20 rows only"),
    (("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,0xfB69", "0x8617E340B3D01FA5F11F306F4090FD50E238070D,0xfB69"),
     "payouts/2024-03-USDC.csv:2: error: token_address 0x8617E340B3D01FA5F11F306F4090FD50E238070D is not USDC's "
     "contract; expected 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
    (("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xFB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
     "payouts/2024-03-USDC.csv:2: error: receiver '0xFB6916095ca1df60bB79Ce92cE3Ea74c37c5d359' is not an address with "
     "a valid checksum; expected 0x and 40 hex digits"),
    ((",1234.323135,", ",1234.3231351,"), "payouts/2024-03-USDC.csv:2: error: amount '1234.3231351' is not an amount "
     "of USDC; expected a number greater than 0 with at most 6 decimal places"),
    ((",ana\n", ",anna\n"), "payouts/2024-03-USDC.csv:2: error: id 'anna' is not a person of agreements.yml; expected "
     "the id of the person paid"),
    ((",ana\n", ",ana,x\n"), "payouts/2024-03-USDC.csv:2: error: 6 columns; expected 5: token_type,token_address,"
     "receiver,amount,id"),
    (("token_type,", "type,"), "payouts/2024-03-USDC.csv:1: error: the header is 'type,token_address,receiver,amount,"
     "id'; expected token_type,token_address,receiver,amount,id"),
])
def test_a_batch_file_changed_after_pay_is_checked_before_it_is_recorded(data, change, message):
    assert pay(data, "2024-03", "--currency", "USDC").code == 0
    path = data / "payouts" / "2024-03-USDC.csv"
    path.write_text(path.read_text().replace(*change), encoding="utf-8")
    before = (data / "reports" / "2024-03.yml").read_bytes()
    result = pay(data, "2024-03", "--currency", "USDC", "--record", TX, "--date", "2024-04-03")
    assert result.code == 1 and message in shown(result, data), result
    assert (data / "reports" / "2024-03.yml").read_bytes() == before


def test_recording_what_would_make_the_report_invalid_writes_nothing(data):
    assert pay(data, "2024-03", "--currency", "USDC").code == 0
    report = data / "reports" / "2024-03.yml"
    report.write_text(report.read_text().replace("rates:\n  USDC: 1.0002\n", ""), encoding="utf-8")
    before = report.read_bytes()
    result = pay(data, "2024-03", "--currency", "USDC", "--record", TX, "--date", "2024-04-03")
    assert result.code == 1
    lines = shown(result, data)
    assert lines[0] == ("reports/2024-03.yml:14:15: error: no rate for USDC in this report, needed by this payout; "
                        "expected rates: {USDC: <value of 1 USDC in USD>}")
    assert lines[-1] == ("error: with the payouts of payouts/2024-03-USDC.csv, reports/2024-03.yml would be invalid; "
                         "nothing written")
    assert report.read_bytes() == before


def test_recording_needs_the_report_and_the_batch(data):
    result = pay(data, "2024-04", "--currency", "USDC", "--record", TX, "--date", "2024-05-03")
    assert result.code == 1
    assert shown(result, data)[-1] == ("reports/2024-04.yml: error: the report does not exist; expected a draft of "
                                       "2024-04 to record the payouts in (python build.py new-report 2024-04)")
    result = pay(data, "2024-03", "--currency", "USDC", "--record", TX, "--date", "2024-04-03")
    assert result.code == 1
    assert shown(result, data)[-1] == ("payouts/2024-03-USDC.csv: error: file not found; expected the batch that "
                                       "`python build.py pay 2024-03 --currency USDC` wrote")


USDC = Token("USDC", "ethereum", "0x" + "5" * 40, 6)
ROWS = [Row("ana", "1.5", "0x" + "1" * 40, 2)]
ENTRY = "  - to: ana\n    amount: 1.5\n    currency: USDC\n    date: 2024-04-03\n    tx: \"{tx}\"\n    address: " \
        "\"0x1111111111111111111111111111111111111111\"\n".format(tx=TX)


@pytest.mark.parametrize("text, expected", [
    ("month: 2024-03\nstatus: draft\n", "month: 2024-03\nstatus: draft\npayouts:\n" + ENTRY),
    ("month: 2024-03\nstatus: draft\n\n\n", "month: 2024-03\nstatus: draft\npayouts:\n" + ENTRY),
    ("month: 2024-03\npayouts: []  # none yet\nstatus: draft\n",
     "month: 2024-03\npayouts:  # none yet\n" + ENTRY + "status: draft\n"),
    ("month: 2024-03\npayouts: ~\nnotes: x\n", "month: 2024-03\npayouts:\n" + ENTRY + "notes: x\n"),
    ("payouts:\n  # balances\n\n  # owed\n# adjustments:\nnotes: x\n",
     "payouts:\n  # balances\n\n  # owed\n" + ENTRY + "# adjustments:\nnotes: x\n"),
    ("payouts:\n    - to: ben\n      amount: 1\n      date: 2024-04-01\nnotes: x\n",
     "payouts:\n    - to: ben\n      amount: 1\n      date: 2024-04-01\n"
     + ENTRY.replace("\n  ", "\n    ").replace("  - to", "    - to", 1) + "notes: x\n"),
    ("payouts:\n- to: ben\n  amount: 1\n  date: 2024-04-01\n",
     "payouts:\n- to: ben\n  amount: 1\n  date: 2024-04-01\n" + ENTRY.replace("\n  ", "\n").replace("  - to", "- to")),
    ("month: 2024-03\r\npayouts:\r\n", "month: 2024-03\r\npayouts:\r\n" + ENTRY.replace("\n", "\r\n")),
])
def test_the_entries_go_at_the_end_of_the_payouts_whatever_their_shape(text, expected):
    assert with_payouts(text, ROWS, USDC, TX, "2024-04-03") == expected


@pytest.mark.parametrize("text, message", [
    ("payouts: [{to: ben, amount: 1, date: 2024-04-01}]\n", "payouts: is written as a [...] list on one line; "
     "expected a list of '- to:' entries, one per line"),
    ("payouts: none\n", "payouts: is not a list"),
    ("payouts:\n  to: ben\n", "payouts: is not a list"),
])
def test_payouts_written_otherwise_are_left_alone(text, message):
    with pytest.raises(CannotRecord, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        with_payouts(text, ROWS, USDC, TX, "2024-04-03")


# -- the rounding, on random balances and rates --

cents = st.integers(min_value=-10 ** 6, max_value=10 ** 13).map(lambda n: Decimal(n).scaleb(-2))
rates = st.builds(lambda digits, places: Decimal(digits).scaleb(-places),
                  st.integers(min_value=1, max_value=10 ** 12), st.integers(min_value=0, max_value=18))


@settings(max_examples=300, deadline=None)
@given(st.lists(cents, min_size=1, max_size=8), rates, st.integers(min_value=0, max_value=36))
def test_nobody_is_paid_more_than_owed_and_the_total_is_short_by_less_than_a_unit_each(balances, rate, decimals):
    token = Token("TKN", "ethereum", "0x" + "7" * 40, decimals)
    people = {f"p{i}": Person(f"p{i}", f"P{i}", accounts=(Account("ethereum", "0x" + f"{i:040x}"),))
              for i in range(len(balances))}
    owed = dict(zip(people, balances))
    batch = plan(owed, rate, token, people)
    unit = Fraction(1, 10 ** decimals)
    paid_people = {transfer.person for transfer in batch.transfers}
    assert paid_people | {u.person for u in batch.unpaid} == {p for p, b in owed.items() if b > 0}
    for transfer in batch.transfers:
        exact = Fraction(transfer.owed) / Fraction(rate)
        assert Fraction(transfer.amount) <= exact < Fraction(transfer.amount) + unit
        assert -transfer.amount.as_tuple().exponent <= decimals
        assert 0 < transfer.value <= transfer.owed  # in the reporting currency too
    for unpaid in batch.unpaid:  # left out only for owing less than a unit (every one has an account)
        assert Fraction(unpaid.owed) / Fraction(rate) < unit
    owed_in_token = sum((Fraction(owed[p]) / Fraction(rate) for p in paid_people), Fraction(0))
    assert 0 <= owed_in_token - Fraction(batch.amount) < len(batch.transfers) * unit or not batch.transfers


def test_a_token_amount_is_exact_beyond_the_default_precision():
    assert token_amount(Decimal("9999999999999.99"), Decimal("0.000000000000000001"), 36) == \
        Decimal("9999999999999990000000000000000.000000000000000000000000000000000000")
