"""Hostile text and hostile items: scrubbed at parse time, one bad item costs that item."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from feedparser import FeedParserDict
from helpers import feed_bytes, warning_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.finish.sanitize import (
    clean_html,
    one_line,
    plain_text,
    safe_url,
    scrub_text,
)
from sphinxcontrib_feed.finish.shown import finish_feed
from sphinxcontrib_feed.model import Entry, FeedParseError, map_items
from sphinxcontrib_feed.parse.document import _feed_from_feedparser, parse_feed
from sphinxcontrib_feed.parse.jsondepth import cap_json_depth
from sphinxcontrib_feed.parse.limits import MAX_DEPTH

URL = "https://feeds.example.net/feed"
#: Controls, and noncharacters (U+FFFF makes an EPUB page ill-formed; issue 17).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff"
    "\U0010fffe\U0010ffff]"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _json_feed(*items: Any, **fields: Any) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [{"id": "good", "title": "Good item"}, *items],
        **fields,
    }
    return json.dumps(document).encode()


def _rss(item: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
        f"<link>https://r.example.org/</link>{channel}"
        f"<item><title>Good item</title></item>{item}</channel></rss>"
    ).encode()


def _titles(content: bytes) -> list[str]:
    feed, _ = parse_feed(content, URL)
    return [entry.title for entry in feed.entries]


# --- text scrubbing ----------------------------------------------------------


def test_scrub_text_removes_controls_and_replaces_surrogates():
    assert scrub_text("a\x1b[31mred\x1b[0m\x9b2J\x07b\tc\nd\ud800e") == "aredb\tc\nd\ufffde"
    assert scrub_text("plain ascii") == "plain ascii"
    assert one_line("  a\n\tb\x85 \x00c ") == "a b c"
    assert plain_text("<b>x</b>\x1b[1m\ud83d y") == "x\ufffd y"
    assert clean_html("<p>a\ud800\x1b[2J&#x1b;[1m&#27;b</p>") == "<p>a\ufffdb</p>"


def test_safe_url_percent_encodes_controls_and_surrogates():
    assert safe_url("https://e.org/a\x1b[2Jb\ud800") == "https://e.org/a%1B[2Jb%EF%BF%BD"
    assert safe_url("https://e.org/\x9bx") == "https://e.org/%C2%9Bx"


def test_hostile_json_text_is_scrubbed_everywhere():
    feed, _ = parse_feed(feed_bytes("mapping-hostile.json"), URL)
    one, two = feed.entries
    assert feed.title == "Hostile \ufffd feed"
    assert one.title == "Surrogate \ufffd and escape red title"
    assert one.author == "Ann \ufffd Bold" and one.categories == ("tag\ufffd", "bell")
    assert one.link == "https://hostile.example.org/one/%EF%BF%BD"
    assert one.summary_text == "Short \ufffd summary"
    assert two.summary_text == "Text \ufffd blink"
    for entry in feed.entries:
        for text in (
            entry.title,
            entry.author,
            entry.summary_html,
            entry.summary_text,
            *entry.categories,
        ):
            assert not _CONTROL.search(text) and not _SURROGATE.search(text), text


def test_surrogates_from_the_xml_parser_are_replaced():
    """feedparser's loose parser can hand out lone surrogates (``&#xD800;``)."""
    item = FeedParserDict(
        title="x \ud800 y",
        link="https://r.example.org/\udc00",
        summary="<p>d \udfff</p>",
        summary_detail=FeedParserDict(type="text/html", base=""),
        author="A \ud800",
        tags=[FeedParserDict(term="t\ud800")],
        id="id\ud800",
    )
    parsed = FeedParserDict(feed=FeedParserDict(title="F \ud800"), entries=[item])
    feed = finish_feed(_feed_from_feedparser(parsed, "file:///docs/feed.xml"))
    [entry] = feed.entries
    assert feed.title == "F \ufffd" and entry.title == "x \ufffd y"
    assert entry.link == "https://r.example.org/%EF%BF%BD"
    assert entry.summary_html == "<p>d \ufffd</p>" and entry.author == "A \ufffd"
    assert entry.categories == ("t\ufffd",) and entry.id == "id\ufffd"


# --- one bad item costs that item ----------------------------------------------


def test_map_items_drops_only_the_item_that_fails():
    def to_entry(title: str) -> Entry:
        if title == "bad":
            raise AssertionError("expected name token")
        return Entry(title=title)

    entries, notes = map_items(["a", "bad", "b", "bad"], to_entry)
    assert [e.title for e in entries] == ["a", "b"]
    assert notes == (
        "2 item(s) could not be read and were left out "
        "(first: AssertionError: expected name token)",
    )


def test_a_json_item_that_is_not_an_object_is_dropped_and_noted():
    feed, note = parse_feed(_json_feed(5, "text", None, ["list"]), URL)
    assert [e.title for e in feed.entries] == ["Good item"]
    assert note and note.startswith("4 item(s) could not be read")
    assert "an item is not an object but int" in note


def test_a_title_with_a_marked_section_keeps_its_item():
    # the stdlib HTML parser raises AssertionError on "<!["
    assert _titles(_rss("<item><title>a &lt;![ b</title></item>")) == ["Good item", "a"]
    assert _titles(_json_feed({"id": "2", "title": "c <![CDATA[ d"}))[1].startswith("c")


def test_json_fields_of_the_wrong_type_are_ignored():
    feed, note = parse_feed(
        _json_feed(
            {"id": "2", "title": "T", "tags": 5, "attachments": 5, "authors": "x", "image": 7},
            {"id": 3, "title": ["not", "text"], "url": {"a": 1}, "date_published": 20260101},
        ),
        URL,
    )
    assert note is None
    _, two, three = feed.entries
    assert two.title == "T" and two.categories == () and two.enclosures == ()
    assert three.title == "" and three.link is None and three.id is None and three.date is None


@pytest.mark.parametrize(
    "date", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59Z"]
)
def test_json_dates_near_the_ends_of_time_are_dropped(date: str):
    feed, note = parse_feed(_json_feed({"id": "2", "title": "T", "date_published": date}), URL)
    assert note is None and [e.date for e in feed.entries] == [None, None]


@pytest.mark.parametrize(
    "date",
    ["Mon, 01 Jan 0001 00:00:00 +0500", "Fri, 31 Dec 9999 23:59:59 -0500", "9999-12-31T23:59:59Z"],
)
def test_rss_dates_near_the_ends_of_time_are_dropped(date: str):
    feed, _ = parse_feed(_rss(f"<item><title>T</title><pubDate>{date}</pubDate></item>"), URL)
    assert [e.title for e in feed.entries] == ["Good item", "T"]
    assert feed.entries[1].date is None


def test_a_ttl_that_is_a_digit_only_to_isdigit_is_ignored():
    feed, _ = parse_feed(_rss("", channel="<ttl>\u00b2</ttl>"), URL)
    assert feed.update_interval is None and len(feed.entries) == 1


def test_an_enclosure_length_that_is_not_a_number_is_ignored():
    enclosure = '<enclosure url="https://r.example.org/a.mp3" length="\u00b2" type="audio/mpeg"/>'
    feed, _ = parse_feed(_rss(f"<item><title>T</title>{enclosure}</item>"), URL)
    assert feed.entries[1].enclosures[0].length is None


@pytest.mark.parametrize("depth", [5_000, 1_000_000])
@pytest.mark.parametrize("kind", ["arrays", "objects"])
def test_deeply_nested_json_costs_only_that_value_quickly(depth: int, kind: str):
    nested = "[" * depth + "]" * depth if kind == "arrays" else '{"a":' * depth + "1" + "}" * depth
    item = '{"id": "deep", "title": "Deep", "_ext": ' + nested + "}"
    content = (
        '{"version": "https://jsonfeed.org/version/1.1", "x": '
        + nested
        + ', "items": ['
        + item
        + ', {"id": "next", "title": "Next"}]}'
    ).encode()
    start = time.process_time()  # CPU time: what the pass costs, however busy the machine
    feed, _ = parse_feed(content, URL)
    assert time.process_time() - start < 10  # linear (about 2 s here); quadratic takes hours
    assert [entry.title for entry in feed.entries] == ["Deep", "Next"]


def test_json_nested_past_the_limit_as_the_whole_document_is_refused_clearly():
    for nested in (b"[" * 5000 + b"]" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000):
        with pytest.raises(FeedParseError, match="nested too deeply"):
            parse_feed(nested, URL)


def test_the_json_depth_limit_is_the_extensions_own_number():
    """The same on every Python (3.11's decoder refused 5,000 levels, 3.13's took them)."""
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    past_limit = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert cap_json_depth(at_limit, MAX_DEPTH) == (at_limit, False)
    capped = "[" * MAX_DEPTH + "null" + "]" * MAX_DEPTH
    assert cap_json_depth(past_limit, MAX_DEPTH) == (capped, True)
    # brackets inside strings, escaped quotes included, are text, not nesting
    text = '{"a": "[[[[\\"[[[", "b": [[1]]}'
    assert cap_json_depth(text, 2) == ('{"a": "[[[[\\"[[[", "b": [null]}', True)
    # nesting the mapping never reads is harmless
    nested = {"_ext": [[[[[[[[[[[["deep"]]]]]]]]]]]]}
    assert len(parse_feed(_json_feed(nested), URL)[0].entries) == 2


def test_a_huge_json_number_is_a_parse_error():
    content = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [], "n": ' + b"9" * 5000 + b"}"
    )
    with pytest.raises(FeedParseError, match="invalid JSON Feed"):
        parse_feed(content, URL)


# --- real builds: writers never meet a surrogate or a control --------------------


@pytest.mark.parametrize(
    ("buildername", "pattern"),
    [("text", "index.txt"), ("latex", "*.tex"), ("man", "*.1"), ("texinfo", "*.texi")],
)
def test_hostile_text_reaches_no_writer(buildername: str, pattern: str, project):
    built = project("mapping-hostile")
    built.build(buildername)
    assert warning_lines(built.last_warnings) == []
    [path] = (built.srcdir / "_build" / buildername).glob(pattern)
    output = path.read_text(encoding="utf-8")
    assert "Plain second item" in output and "escape red title" in output
    assert "C1 in a title" in output  # U+009B and its control sequence are gone
    assert "Escape in a title" in output and "blink" in output
    assert not _CONTROL.search(output.replace("\x0c", "")), _CONTROL.findall(output)
    assert "\x1b" not in output and "pwned" in output


# --- properties: whatever the text, nothing unwritable comes out ----------------

_PIECES = ["\x1b[31m", "\x9b2J", "\x85", "\x00", "\x07", "\ud800", "\udfff", "\t", "\n"]
_PIECES += [
    "<",
    ">",
    "&",
    "&#x1b;",
    "&#xD800;",
    "&#27;",
    "<![",
    "<p>",
    '<a href="',
    '"',
    "&amp;lt;",
    *("\uffff", "\ufffe", "\ufdd0", "\U0010ffff", "&#xFFFF;", "&#65534;", "&#xfdd0;"),
]
_HOSTILE = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.characters(exclude_categories=())), max_size=40
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_HOSTILE)
def test_no_control_or_surrogate_survives_any_text(value: str):
    for text in (plain_text(value), one_line(value), clean_html(value, URL)):
        assert not _CONTROL.search(text) and not _SURROGATE.search(text), repr(text)
    text.encode("utf-8")  # what every writer must be able to do
    url = safe_url(value, URL)
    assert url is None or not (_CONTROL.search(url) or _SURROGATE.search(url) or "\t" in url)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _HOSTILE,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "url", "title", "content_html", "summary", "tags", "date_published"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_JSON, max_size=4))
def test_any_json_items_give_a_feed_of_clean_entries(items: list[Any]):
    feed, _ = parse_feed(_json_feed(*items), URL)
    assert feed.entries[0].title == "Good item"
    for entry in feed.entries:
        for text in (entry.title, entry.summary_html, entry.summary_text, *entry.categories):
            assert not _CONTROL.search(text) and not _SURROGATE.search(text), repr(text)
