"""A feed file's relative item links: the scheme test gives urlsplit's answer.

:func:`.media.relative` runs on the link of every item of a feed file (issue
20: 200 files of 50 items merged), so a link that opens with a scheme is
known absolute without :func:`urllib.parse.urlsplit`; whatever the link, the
answer must be the one the full parse gives (:func:`.media._relative`).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.finish.sanitize import one_line
from sphinxcontrib_feed.parse.media import _relative, relative

PIECES = [
    "http", "https", "HTTPS", "ſ", ":", "//", "/", "[", "]", "[::1]", "a", "Z", "1", "+", "-",
    ".", "#", " ", "\t", "\n", "\x01", "é", "?", "mailto:", "%", "posts/1",
]  # fmt: skip


@settings(max_examples=2000)
@given(st.one_of(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text(max_size=20)))
def test_the_scheme_test_agrees_with_urlsplit(link: str) -> None:
    assert relative(link) == _relative(one_line(link))


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("posts/1.html", "posts/1.html"),
        ("/posts/1.html", "/posts/1.html"),
        ("https://example.org/p", ""),
        ("mailto:someone@example.org", ""),
        ("#fragment", ""),
        ("1ttp://example.org", "1ttp://example.org"),  # no scheme starts with a digit
        (None, ""),
    ],
)
def test_relative_links(link: str | None, expected: str) -> None:
    assert relative(link) == expected
