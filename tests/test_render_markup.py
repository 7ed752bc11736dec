"""md() lets inert text pass with one regular expression: the same result as the two it replaced."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from transparency.render import markup
from transparency.render.markup import md

_INERT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,:;/%$-]*\Z")


def inert_before(text: str) -> bool:
    return bool(_INERT.match(text) and not markup._LEADING.match(text))


@given(st.text(alphabet="0123456789aZ .,:;/%$-)+=#\n\t", max_size=12))
@example("1.")
@example("12. x")
@example("1.5")
@example("2024-01")
@example("1)")
def test_the_same_texts_pass_as_they_are(text):
    assert bool(markup._INERT.match(text)) == inert_before(text)
    if inert_before(text):
        assert md(text) == text
