"""YAML mistakes, explained: each syntax error a person editing the data can plausibly make gets
`FILE:LINE:COL: error: what is wrong; expected ...` in plain words, at the mistake, followed by the
line and a caret under the column, as compilers show them. Both of PyYAML's parsers (libyaml's and
the pure-Python one, which word their errors differently) give exactly the same output.

Each case starts from the small valid data set of conftest.py and changes one thing, in
agreements.yml (A) or in the report reports/2024-02.yml (R).
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import AGREEMENTS, REPORT, run_cli, write_dataset
from transparency import load
from transparency.errors import DataError

A, R = "agreements.yml", "reports/2024-02.yml"
PARSERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "python": yaml.SafeLoader}

# (case, file, text to replace, replacement, [the error, the line, the caret])
MISTAKES = [
    ('tab indentation', R, '    amount: 100.00', '\tamount: 100.00',
     ['reports/2024-02.yml:8:1: error: this line is indented with a tab; expected spaces (indent with spaces, not '
      'a tab: most editors can be set to insert spaces for the Tab key)',
      '   8 | \tamount: 100.00', '     | ^']),
    ('tab after a dash', R, '  - connector: acme-perp', '  -\tconnector: acme-perp',
     ['reports/2024-02.yml:10:4: error: a tab character here; expected a space (YAML takes no tab between the '
      'parts of a line)',
      '  10 |   -\tconnector: acme-perp', '     |    ^']),
    ('colon in a value', R, '    amount: 40\n', '    amount: 40\n    reference: wire: March\n',
     ["reports/2024-02.yml:16:20: error: this value contains ': ', which YAML reads as the start of another key; "
      'expected the value in quotes, like reference: "wire: March" (or each \'key: value\' on a line of its own)',
      '  16 |     reference: wire: March', '     |                    ^']),
    ('line indented too far', R, '    amount: 100.00', '      amount: 100.00',
     ['reports/2024-02.yml:8:7: error: this line is indented more than the line above, so YAML reads it as the '
      "rest of that line's value; expected 'amount' lined up with 'connector' (column 5), or, if the line above "
      'goes on here, its value in quotes',
      '   8 |       amount: 100.00', '     |       ^']),
    ('field left of its item', R, '    amount: 100.00', '   amount: 100.00',
     ["reports/2024-02.yml:8:4: error: 'amount' is not lined up with the list item above (line 7); expected it "
      "under 'connector' (column 5) to belong to that item, or '- ' at column 3 to start a new item",
      '   8 |    amount: 100.00', '     |    ^']),
    ('field at the dash', R, '    user_fees: 333.33', '  user_fees: 333.33',
     ["reports/2024-02.yml:9:3: error: 'user_fees' is not lined up with the list item above (line 7); expected it "
      "under 'connector' (column 5) to belong to that item, or '- ' at column 3 to start a new item",
      '   9 |   user_fees: 333.33', '     |   ^']),
    ('item right of its list', R, '  - connector: acme-perp', '   - connector: acme-perp',
     ["reports/2024-02.yml:10:4: error: this list item is not lined up with the one on line 7; expected its '-' at "
      "column 3, under the '-' of line 7",
      '  10 |    - connector: acme-perp', '     |    ^']),
    ('item left of its list', R, '  - connector: acme-perp', ' - connector: acme-perp',
     ["reports/2024-02.yml:10:2: error: this list item is not lined up with the one on line 7; expected its '-' at "
      "column 3, under the '-' of line 7",
      '  10 |  - connector: acme-perp', '     |  ^']),
    ('item among fields', R, '    user_fees: 333.33', '    - user_fees: 333.33',
     ["reports/2024-02.yml:9:5: error: this list item is not lined up with the one on line 7; expected its '-' at "
      "column 3, under the '-' of line 7",
      '   9 |     - user_fees: 333.33', '     |     ^']),
    ('field out of line', A, '  currency: USD', ' currency: USD',
     ["agreements.yml:3:2: error: 'currency' is not lined up with any field above; expected it lined up with "
      "'name' on line 2 (column 3) or 'foundation' on line 1 (column 1)",
      '   3 |  currency: USD', '     |  ^']),
    ('no colon', R, 'status: published', 'status published',
     ["reports/2024-02.yml:2:1: error: 'status published' has no ':' after it; expected 'key: value' (or '- value' "
      'in a list)',
      '   2 | status published', '     | ^']),
    ('no space after colon', R, 'month: 2024-02', 'month:2024-02',
     ["reports/2024-02.yml:1:6: error: line 1 has no space after its ':', so YAML reads it as text that runs on "
      'into this line; expected month: 2024-02',
      '   1 | month:2024-02', '     |      ^']),
    ('no space after colon at the end of a list item', R, '    amount: 40\n', '    amount:40\n',
     ["reports/2024-02.yml:15:11: error: 'amount:40' has no space after its ':', so YAML reads it all as one word; "
      'expected amount: 40',
      '  15 |     amount:40', '     |           ^']),
    ('a key alone', R, 'published: 2024-03-05\n', 'published: 2024-03-05\nnotes\n',
     ["reports/2024-02.yml:4:1: error: 'notes' has no ':' after it; expected 'key: value' (or '- value' in a list)",
      '   4 | notes', '     | ^']),
    ('unclosed quote', R, '    amount: 40\n', '    amount: 40\n    reference: "wire 2024-03-06\n',
     ['reports/2024-02.yml:16:16: error: the quote " opened here is never closed; expected a closing " at the end '
      'of the value (a " inside the value: use \' around it instead)',
      '  16 |     reference: "wire 2024-03-06', '     |                ^']),
    ('quote closed a line later', R, 'published: 2024-03-05\n',
     'published: 2024-03-05\nnotes: "Paid late\nrates: "x"\n',
     ['reports/2024-02.yml:4:8: error: the quote " opened here closes only on line 5; expected a closing " at the '
      'end of this value',
      '   4 | notes: "Paid late', '     |        ^']),
    ('text after a closing quote', A, 'name: Acme Exchange', 'name: "Acme" Exchange',
     ['agreements.yml:13:18: error: more text after the closing quote "; expected the whole value in quotes, like '
      'name: \'"Acme" Exchange\'',
      '  13 |     name: "Acme" Exchange', '     |                  ^']),
    ('apostrophe in single quotes', R, 'published: 2024-03-05\n', "published: 2024-03-05\nnotes: 'Binance's fees'\n",
     ["reports/2024-02.yml:4:17: error: more text after the closing quote '; expected the whole value in quotes, "
      'like notes: "Binance\'s fees"',
      "   4 | notes: 'Binance's fees'", '     |                 ^']),
    ('unclosed bracket', R, 'amount: 100.00', 'amount: [100.00',
     ["reports/2024-02.yml:8:13: error: this '[' starts a list that is never closed; expected ']' at its end, or, "
      'if \'[\' is part of the text, the value in quotes, like amount: "[100.00"',
      '   8 |     amount: [100.00', '     |             ^']),
    ('text after a closing bracket', A, 'name: Acme Exchange', 'name: [Acme] Exchange',
     ["agreements.yml:13:18: error: more text after the closing ']'; expected the whole value in quotes, like "
      'name: "[Acme] Exchange"',
      '  13 |     name: [Acme] Exchange', '     |                  ^']),
    ('value starting with @', A, 'github: ana-gh', 'github: @ana-gh',
     ["agreements.yml:8:13: error: a value cannot start with '@' in YAML; expected the value in quotes, like "
      'github: "@ana-gh"',
      '   8 |     github: @ana-gh', '     |             ^']),
    ('value starting with %', A, 'amount: 30%', 'amount: %30',
     ["agreements.yml:22:17: error: a value cannot start with '%' in YAML; expected the value in quotes, like "
      'amount: "%30"',
      '  22 |         amount: %30', '     |                 ^']),
    ('unknown escape', R, 'published: 2024-03-05\n', 'published: 2024-03-05\nnotes: "See C:\\data"\n',
     ["reports/2024-02.yml:4:15: error: '\\d' is not an escape YAML knows inside double quotes; expected '\\\\' "
      "for a backslash, or the value in single quotes, like notes: 'See C:\\data'",
      '   4 | notes: "See C:\\data"', '     |               ^']),
    ('text after |', R, 'published: 2024-03-05\n', 'published: 2024-03-05\nnotes: | Paid late\n',
     ["reports/2024-02.yml:4:8: error: '|' starts a text of several lines, written on the lines below it; expected "
      'nothing after \'|\' on this line, or the value in quotes, like notes: "| Paid late"',
      '   4 | notes: | Paid late', '     |        ^']),
    ('text block line too far left', R, 'published: 2024-03-05\n',
     'published: 2024-03-05\nnotes: |\n  Paid late,\n as agreed.\n',
     ['reports/2024-02.yml:6:2: error: this line is indented less than the text that starts on line 4; expected '
      'every line of that text indented at least as much as its first (column 3)',
      '   6 |  as agreed.', '     |  ^']),
    ('first line indented', R, 'month: 2024-02', '  month: 2024-02',
     ['reports/2024-02.yml:2:1: error: this line is indented differently from the first line of the file; expected '
      'the top-level fields all at column 1 (line 1 starts at column 3)',
      '   2 | status: published', '     | ^']),
    ('after ...', R, 'status: published\n', 'status: published\n...\n',
     ["reports/2024-02.yml:4:1: error: the file goes on after '...', which ends a YAML document; expected nothing "
      "after it (delete the '...' line)",
      '   4 | published: 2024-03-05', '     | ^']),
    ('colon without key', R, 'status: published\n', 'status: published\n: draft\n',
     ["reports/2024-02.yml:3:1: error: a ':' with no key before it; expected 'key: value'",
      '   3 | : draft', '     | ^']),
    ('empty entry in brackets', R, '  USDT: 1.0002\n', '  USDT: 1.0002\nx: [1,, 2]\n',
     ['reports/2024-02.yml:6:7: error: an empty entry between two commas; expected a value between them',
      '   6 | x: [1,, 2]', '     |       ^']),
]


@pytest.fixture(params=PARSERS, ids=str)
def parser(request, monkeypatch):
    if PARSERS[request.param] is None:
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(load, "_Loader", PARSERS[request.param])


def check(tmp_path, target: str, old: str, new: str, *extra: str):
    base = AGREEMENTS if target == A else REPORT
    assert old in base, f"the case's text {old!r} is not in {target}"
    edited = base.replace(old, new, 1)
    data = write_dataset(tmp_path / "data", edited if target == A else AGREEMENTS,
                         {"2024-02.yml": edited} if target == R else None)
    result = run_cli("check", "--data", str(data), *extra)
    return result, [line.replace(f"{data}/", "") for line in (result.out + result.err).splitlines()]


@pytest.mark.parametrize("case, target, old, new, expected", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_yaml_mistake_is_explained_at_its_line_with_the_line_and_a_caret(tmp_path, parser, case, target, old, new,
                                                                          expected):
    result, lines = check(tmp_path, target, old, new)
    assert result.code == 1
    assert lines == [*expected, "1 error in 1 file"]
    assert "; expected " in expected[0]


@pytest.mark.parametrize("case, target, old, new, expected", MISTAKES[:3], ids=[m[0] for m in MISTAKES[:3]])
def test_github_annotations_keep_one_line_each(tmp_path, case, target, old, new, expected):
    result, lines = check(tmp_path, target, old, new, "--format", "github")
    assert result.code == 1
    annotations = result.out.splitlines()
    assert len(annotations) == 1
    location, message = expected[0].split(": error: ", 1)
    path, line, col = location.rsplit(":", 2)
    assert annotations[0].endswith(f"/{path},line={line},col={col}::{message}")


def test_the_caret_lines_up_under_wide_and_invisible_characters(tmp_path):
    result, lines = check(tmp_path, R, "published: 2024-03-05\n",
                          "published: 2024-03-05\nnotes: \u5e74\u5ea6 \u202ebidi\u202c: x\n")
    assert lines[1:3] == ["   4 | notes: \u5e74\u5ea6 \\u202ebidi\\u202c: x",
                          "     | " + " " * (7 + 2 * 2 + 1 + 6 + 4 + 6) + "^"]  # wide characters take two cells


# What people type by mistake: YAML's special characters, spaces, tabs, line breaks.
TYPED = st.sampled_from(list(" \t:-'\"[]{},#|>&*!%@`?\n") + ["  ", "- ", ": ", "a", "1"])


@st.composite
def mistyped(draw):
    """The data set's YAML with a few characters typed, deleted or re-indented at random places."""
    text = draw(st.sampled_from([AGREEMENTS, REPORT]))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["type", "delete", "indent"]))
        if action == "type":
            text = text[:at] + draw(TYPED) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 3)):]
        else:
            lines = text.split("\n")
            number = at % len(lines)
            lines[number] = " " * draw(st.integers(0, 6)) + lines[number].lstrip(" ")
            text = "\n".join(lines)
    return text


@settings(max_examples=400, deadline=None)
@given(mistyped(), st.sampled_from([name for name, parser in PARSERS.items() if parser is not None]))
def test_every_mistake_is_explained_with_what_was_expected(text, parser):
    original = load._Loader
    load._Loader = PARSERS[parser]
    try:
        load.parse(text.encode("utf-8"), "f.yml")
    except DataError as exc:
        for diagnostic in exc.diagnostics:
            assert "; expected " in diagnostic.message, diagnostic
            assert diagnostic.source is not None and diagnostic.excerpt().count("\n") == 1, diagnostic
    finally:
        load._Loader = original
