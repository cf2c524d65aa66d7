"""One-line plain-text fields (titles, authors, categories) of every item.

:func:`.sanitize.plain_text` runs on every item of every source at parse
time (issue 20: 11,800 items merged, 10 shown), so printable ASCII without
markup skips the scrub and the HTML-to-text steps; whatever the value, the
result must be the one those steps give (:func:`.sanitize._plain_text`).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.finish.sanitize import _plain_text, plain_text
from sphinxcontrib_feed.text import MAX_INPUT

PIECES = [
    "Release", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028",
    "<b>", "</b>", "&amp;", "&", "<", ">", "\x01", "\x1b[31m", "\x7f", "é", "\ufffe", "a b",
]  # fmt: skip


@settings(max_examples=2000)
@given(st.one_of(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text()))
def test_the_fast_path_agrees_with_the_full_steps(value: str) -> None:
    assert plain_text(value) == (_plain_text(value) if value else "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Release   2.0 ", "Release 2.0"),
        ("Fish <b>&amp;</b> chips", "Fish & chips"),
        ("tab\there", "tab here"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_text(value: str | None, expected: str) -> None:
    assert plain_text(value) == expected


def test_a_long_value_is_cut_where_the_full_steps_cut_it() -> None:
    value = "word " * (MAX_INPUT // 5 + 10)
    assert plain_text(value) == _plain_text(value)
    assert len(plain_text(value)) < MAX_INPUT


def test_one_line_collapses_what_a_regex_space_run_matches() -> None:
    """``str.split`` and ``\\s`` agree on every code point, so :func:`one_line` may split."""
    import re
    import sys

    space = re.compile(r"\s")
    assert all(bool(space.match(chr(n))) == chr(n).isspace() for n in range(sys.maxunicode + 1))
    from sphinxcontrib_feed.finish.sanitize import one_line

    assert one_line(" a\u2028\u00a0b\t\nc ") == "a b c"
