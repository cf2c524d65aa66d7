"""Links as merged sources compare them: the fast path gives urlsplit's answer.

:func:`.select.normalise_link` runs on every item of every merged source
(issue 20: 200 feeds of 50 items), so plain ``http(s)`` links skip
:func:`urllib.parse.urlsplit`; whatever the link, the result must be the one
the full parse gives (:func:`.select._normalised`).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.finish.select import _normalised, merge_sources, normalise_link
from sphinxcontrib_feed.model import Entry

PIECES = [
    "http://", "https://", "HTTPS://", "httpſ://", "ftp://", "mailto:", "www.", "WWW.",
    "Example.ORG", "a-b.c", "/", "//", "/p/1", ":80", ":443", ":8080", "?utm_source=x&b=1",
    "?", "#top", "@", "u:p@", "[::1]", "[", " ", "\t", "\n", "\x01", "%2F", "/a:b", ".",
    "é", "K", "\u00a0", "/x/",
]  # fmt: skip
links = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
plain_links = st.builds(
    lambda scheme, host, path: scheme + host + path,
    st.sampled_from(["http://", "https://", "HtTpS://", "http:///"]),
    st.text("abcWXYZ09.-w", max_size=10),
    st.text("abcXYZ09._~!$&'()*+,;=:@%/-", max_size=14).map(lambda p: "/" + p),
)


@settings(max_examples=2000)
@given(st.one_of(links, plain_links, st.text(max_size=30)).filter(bool))
def test_the_fast_path_agrees_with_urlsplit(url: str) -> None:
    assert normalise_link(url) == _normalised(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://WWW.Example.org/post/", "http://example.org/post"),
        ("http://example.org", "http://example.org"),
        ("https://example.org:443/a?utm_source=feed#c", "http://example.org/a"),
        ("httpſ://example.org/a", "httpſ://example.org/a"),  # no scheme to urlsplit
    ],
)
def test_normalised_links(url: str, expected: str) -> None:
    assert normalise_link(url) == expected


def test_the_same_post_under_two_spellings_of_its_link_is_merged_once() -> None:
    first = [Entry(title="One", link="https://www.example.org/one/")]
    second = [Entry(title="One again", link="http://EXAMPLE.org/one")]
    assert merge_sources([first, second]) == first
