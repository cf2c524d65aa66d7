"""Issue 20: ill-formed feeds libxml2 repairs take the fast path too.

An RSS description that holds HTML as elements (unescaped, as many feeds
write it) is read by feedparser as inline content, and an unclosed element
makes libxml2's repair nest the following items inside an item. The RSS
mapper mirrors both (:func:`.fastreader.inline_markup`, :meth:`.fastmap._Mapper.item`);
every document it accepts gives exactly feedparser's model, the others decline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import parse_both_ways
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.parse import document as parse
from sphinxcontrib_feed.parse import fastatom, fastmap

URL = "https://example.org/feed"
FILE_URL = "file:///docs/feeds/feed.xml"


def document(*items: str) -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        '<rss version="2.0"><channel><title>t</title><link>https://example.org/</link>'
        f"{body}<item><title>last</title></item></channel></rss>"
    ).encode()


def both_ways(content: bytes, url: str = URL) -> tuple[object, object, bool]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return parse_both_ways(content, url, monkeypatch, fastmap.fast_parse)


@pytest.mark.parametrize("url", [URL, FILE_URL])
@pytest.mark.parametrize(
    "items",
    [
        # well-formed markup in a description
        [
            '<title>a</title><description>Intro &amp; <p class="x">one <b>two</b></p> tail'
            '<br/><a REL="NoFollow" HREF="/r?a=1&amp;b=&quot;2&quot;">l</a></description>'
        ],
        ["<description><P>upper</P><img src='i.png' alt='&lt;x&gt;'/></description>"],
        ["<description>  <ul><li>1</li><li>2 &lt; 3</li></ul>  </description>"],
        # ill-formed: an unclosed element nests the items after it
        [
            "<title>a</title><description><blockquote><p>x</p></description>",
            "<title>b</title><link>https://example.org/b</link>",
            "<title>c</title>",
        ],
        [
            "<title>a</title><guid>https://example.org/g</guid><description><p>x</description>",
            "<title>b</title><description><p>y</p></description>",
        ],
        ["<description>a & b < c</description>", "<title>b</title>"],
        ["<title>caf\u00e9</title><description><em>\u00c3\u00a9t\u00c3\u00a9</em></description>"],
    ],
)
def test_repaired_and_markup_descriptions_agree(items: list[str], url: str):
    slow, fast, took = both_ways(document(*items), url)
    assert took
    assert slow == fast


@pytest.mark.parametrize(
    "items",
    [
        ["<description><div>first div</div></description>"],  # feedparser drops its tags
        ["<description><p>x</p><source src='a.mp4'/></description>"],  # its own end handler
        ["<description><details><summary>s</summary></details></description>"],
        ["<description><p xml:lang='de'>x</p></description>"],
        ["<description><p lang='de'>x</p></description>"],
        ["<description><svg><path d='M0'/></svg></description>"],
        ["<description><p a='1' A='2'>x</p></description>"],
        # after a nested item, the outer item's elements would go to the channel
        [
            "<title>a</title><description><blockquote>x</description><link>l</link>",
            "<title>b</title>",
        ],
        ["<title><b>bold</b></title>"],
    ],
)
def test_other_repaired_shapes_decline_and_agree(items: list[str]):
    slow, fast, took = both_ways(document(*items))
    assert not took
    assert slow == fast


def test_nested_items_beyond_the_item_cap_decline(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(fastmap, "MAX_ITEMS", 3)
    unclosed = "<title>a</title><description><blockquote>x</description>"
    slow, fast, took = both_ways(document(unclosed, "<title>b</title>", "<title>c</title>"))
    assert not took
    assert slow == fast


@pytest.mark.parametrize("name", ["news.rss", "releases.atom"])
def test_the_example_projects_feeds_take_the_fast_path(name: str):
    """The feed files the README's first command builds (the Atom one has ``type="xhtml"``)."""
    path = Path(__file__).parents[2] / "example_project" / "_feeds" / name
    mapper = fastmap.fast_parse if name.endswith(".rss") else fastatom.fast_parse
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow, fast, took = parse_both_ways(path.read_bytes(), FILE_URL, monkeypatch, mapper)
    assert took
    assert slow == fast


HTML_PIECES = [
    "text & more",
    "<p>",
    "</p>",
    "<b>bold</b>",
    "<br/>",
    "<blockquote>",
    "</blockquote>",
    '<a href="/x?a=1&amp;b=2" rel="Next">a</a>',
    "<ol><li>1</li>",
    "</ol>",
    "<img src='i.png'/>",
    "&lt;escaped&gt;",
    "<div>",
    "</div>",
    "\u00e9 \u2019",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(HTML_PIECES), max_size=6), st.booleans()),
        min_size=1,
        max_size=4,
    )
)
def test_any_markup_in_descriptions_agrees_or_declines(items: list[tuple[list[str], bool]]):
    body = [
        f"<title>i{n}</title>"
        + (f"<link>https://example.org/{n}</link>" if linked else "")
        + f"<description>{''.join(pieces)}</description>"
        for n, (pieces, linked) in enumerate(items)
    ]
    slow, fast, _ = both_ways(document(*body))
    assert slow == fast


def test_a_repaired_document_still_notes_its_problem():
    feed, note = parse.parse_index(document("<description><p>x</description>"), URL)
    assert note is not None and "ill-formed" in note
    assert [entry.title for entry in feed.entries] == ["", "last"]


def test_a_description_of_many_elements_is_within_the_budget(monkeypatch: pytest.MonkeyPatch):
    """Writing markup back checks the parse budget as it goes, not only between items."""
    from sphinxcontrib_feed.parse import limits

    ticks: list[int] = []
    monkeypatch.setattr(limits.Deadline, "tick", lambda self: ticks.append(1))
    many = "<b>x</b>" * 500
    feed, _ = parse.parse_index(document(f"<description>{many}</description>"), URL)
    assert feed.entries[0].raw_summary.count("<b>") == 500
    assert len(ticks) >= 500
