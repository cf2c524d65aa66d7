"""Parsing, sanitizing and the small pure helpers, on the project's own inputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from helpers import feed_bytes

from sphinxcontrib_feed.finish.sanitize import clean_html, html_to_text, safe_url, shorten
from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse.document import parse_feed
from sphinxcontrib_feed.render.transform import format_entry_date
from sphinxcontrib_feed.settings.config import parse_duration


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("/post/1", "https://feed.example.org/post/1"),
        ("mailto:me@example.org", "mailto:me@example.org"),
        ("javascript:alert(1)", None),
        ("&#106;avascript:alert(1)", None),
        ("javascript&colon;alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x01 javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>", None),
        ("file:///etc/passwd", None),
        ("vbscript:x", None),
        ("", None),
    ],
)
def test_safe_url(url: str, expected: str | None):
    assert safe_url(url, "https://feed.example.org/feed.xml") == expected


def test_clean_html_drops_scripts_handlers_and_bad_urls():
    cleaned = clean_html(
        '<p onclick="x()">Hi <a href="&#106;avascript:x">a</a> <a href="rel">b</a>'
        '<img src="i.png" onerror="x()"><script>bad()</script><form action="/x">f</form>'
        '<svg><a xlink:href="javascript:x">s</a></svg></p>',
        "https://example.org/feed/",
    )
    assert "script" not in cleaned and "onclick" not in cleaned and "onerror" not in cleaned
    assert "javascript" not in cleaned and "<form" not in cleaned and "xlink" not in cleaned
    assert 'href="https://example.org/feed/rel"' in cleaned
    assert 'src="https://example.org/feed/i.png"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_html_to_text_and_shorten():
    assert (
        html_to_text("<p>One</p><p>two &amp; <b>three</b></p><style>p{}</style>")
        == "One · two & three"
    )
    assert shorten("alpha beta gamma delta", 14) == "alpha beta…"
    assert shorten("alpha beta", 0) == "alpha beta"
    assert shorten("alpha beta", 10) == "alpha beta"


def test_entity_declarations_are_never_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel>'
        b"<title>&b;</title><item><title>x &b; y</title></item></channel></rss>"
    )
    for encoding in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"):
        feed, _ = parse_feed(bomb.decode().encode(encoding), "https://example.org/feed.xml")
        # a declared entity is never used: its reference stays as text
        assert feed.title == "&b;", encoding
        assert [entry.title for entry in feed.entries] == ["x &b; y"], encoding


def test_not_a_feed():
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(b"<html><body><p>Hello</p></body></html>", "https://example.org/")
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(b"\x00\x01garbage", "https://example.org/")


def test_rss_fields():
    feed, note = parse_feed(feed_bytes("news.rss"), "https://news.example.org/feed.rss")
    assert note is None
    assert feed.title == "Example News" and feed.link == "https://news.example.org/"
    first = feed.entries[0]
    assert first.date == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert first.id == "https://news.example.org/posts/01.html"
    hostile = next(e for e in feed.entries if e.title == "Hostile link")
    assert hostile.link is None
    assert "javascript" not in hostile.summary_html and "onerror" not in hostile.summary_html


def test_atom_fields():
    feed, _ = parse_feed(feed_bytes("releases.atom"), "https://elsewhere.example.org/releases.atom")
    first = feed.entries[0]
    assert first.link == "https://releases.example.org/v3.0.0.html"  # xml:base wins
    assert first.author == "Release Bot" and first.categories == ("major",)
    assert first.summary_html == "The third major version."
    # an entry with only <updated> is dated by it
    assert feed.entries[1].date == datetime(2025, 10, 15, 8, 0, tzinfo=UTC)


def test_json_feed():
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON <b>News</b>",
        "home_page_url": "https://json.example.org/",
        "authors": [{"name": "Ann"}],
        "items": [
            {
                "id": "1",
                "url": "/one",
                "title": "One",
                "content_html": "<p>Hi<script>x()</script></p>",
                "date_published": "2026-01-02T03:04:05+01:00",
                "tags": ["a", "b"],
                "image": "javascript:alert(1)",
            },
            {"id": "2", "content_text": "No title <here>", "date_modified": "0001-01-01T00:00:00Z"},
        ],
    }
    feed, _ = parse_feed(json.dumps(document).encode(), "https://json.example.org/feed.json")
    assert feed.title == "JSON News"
    one, two = feed.entries
    assert one.link == "https://json.example.org/one"
    assert one.date == datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC)
    assert one.summary_html == "<p>Hi</p>" and one.author == "Ann" and one.categories == ("a", "b")
    assert one.image is None
    assert two.title == "" and two.date is None and two.summary_html == "No title &lt;here&gt;"


def test_date_formats_follow_language():
    date = datetime(2026, 3, 14, tzinfo=UTC)
    assert format_entry_date(date, None, "en") == "Mar 14, 2026"
    assert format_entry_date(date, None, "de") == "14.03.2026"
    assert format_entry_date(date, "%d %B %Y", "de") == "14 März 2026"
    assert format_entry_date(date, None, "xx-nonsense") == "Mar 14, 2026"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (90, 90.0),
        ("90", 90.0),
        ("30m", 1800.0),
        ("6h", 21600.0),
        ("1d", 86400.0),
        ("2w", 1209600.0),
    ],
)
def test_parse_duration(value: str | int, seconds: float):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["soon", "-5", "1y", "", True])
def test_parse_duration_rejects(value: object):
    with pytest.raises(ValueError):
        parse_duration(value)  # type: ignore[arg-type]


def test_a_feed_file_resolves_links_against_its_own_site_and_content_against_the_item():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel>
      <title>Files</title><link>https://site.example.org/blog/</link>
      <item><title>One</title><link>posts/one.html</link>
        <description>&lt;p&gt;&lt;img src="img/one.png"&gt;
          See &lt;a href="../about/"&gt;about&lt;/a&gt;.&lt;/p&gt;</description>
      </item></channel></rss>"""
    feed, _ = parse_feed(rss, "file:///docs/_feeds/blog.rss")
    [one] = feed.entries
    assert one.link == "https://site.example.org/blog/posts/one.html"
    # content is written for the item's own page
    assert 'href="https://site.example.org/blog/about/"' in one.summary_html
    # no media:thumbnail or enclosure: the summary's first image is the item's image
    assert one.image == "https://site.example.org/blog/posts/img/one.png"


def test_a_feed_file_without_a_site_drops_relative_urls():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Files</title>
      <item><title>One</title><link>posts/one.html</link></item></channel></rss>"""
    feed, _ = parse_feed(rss, "file:///docs/_feeds/blog.rss")
    assert feed.entries[0].link is None


def test_a_json_feed_file_resolves_against_its_home_page():
    document = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Files",
        "home_page_url": "https://site.example.org/",
        "items": [{"id": "1", "url": "/one", "content_html": '<img src="one.png">'}],
    }
    feed, _ = parse_feed(json.dumps(document).encode(), "file:///docs/_feeds/feed.json")
    assert feed.entries[0].link == "https://site.example.org/one"
    assert feed.entries[0].image == "https://site.example.org/one.png"


@pytest.mark.parametrize(
    ("version", "read"),
    [
        ("https://jsonfeed.org/version/1.1", True),
        ("http://jsonfeed.org/version/1", True),  # written so by some generators
        (" https://www.JSONFeed.org/version/1.1", True),
        ("1.0", False),  # any JSON answer may have a version and items
        (None, False),
        (["https://jsonfeed.org/version/1"], False),
    ],
)
def test_a_json_feed_is_known_by_its_version_url(version: object, read: bool):
    document = {"version": version, "items": [{"id": "1", "title": "One"}]}
    content = json.dumps(document).encode()
    if read:
        assert [e.title for e in parse_feed(content, "https://example.org/f.json")[0].entries] == [
            "One"
        ]
    else:
        with pytest.raises(FeedParseError, match="not a JSON Feed"):
            parse_feed(content, "https://example.org/f.json")
