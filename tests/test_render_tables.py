"""Tables boxed by plain string replacement, exactly where the regular expressions they replaced found them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from transparency.render import boxed_tables

_OPEN = re.compile(r"^<table(?=[ >])", re.MULTILINE)
_CLOSE = re.compile(r"^</table>$", re.MULTILINE)


def reference(markdown: str) -> str:
    markdown = _OPEN.sub('<div class="table-scroll"><div class="table-box"><table class="figures"', markdown)
    return _CLOSE.sub("</table></div></div>", markdown)


def test_a_page_of_tables():
    page = "# T\n\n<table data-x>\n<tr></tr>\n</table>\n<table>\n</table>\ntext <table> </table>\n"
    assert boxed_tables(page) == reference(page)
    assert boxed_tables(page).count('<div class="table-scroll">') == 2
    assert boxed_tables("</table>") == reference("</table>")


pieces = st.sampled_from(["<table", "<table ", "<table>", "<tables>", "</table>", "</table> ", "\n", "\r\n",
                          "x", " ", "<", ">", "</table>\n</table>"])


@given(st.lists(pieces, max_size=30).map("".join))
def test_the_same_as_the_regular_expressions(markdown):
    assert boxed_tables(markdown) == reference(markdown)
