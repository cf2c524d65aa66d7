"""Issue 7 (parse side): a web page instead of a feed; issue 10: the body, not the header."""

from __future__ import annotations

import json

import pytest

from sphinxcontrib_feed.model import FeedParseError, HTMLPageError
from sphinxcontrib_feed.parse.document import parse_feed

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/index.xml">
<link rel="Alternate" type="application/atom+xml" href="https://blog.example.org/atom.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/index.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="ftp://blog.example.org/x.xml">
<link rel="alternate" type="text/html" hreflang="de" href="/de/">
<link rel="alternate" type="application/json" href="//cdn.example.org/feed.json">
</head><body><p>Hello &nbsp; <br> world</p></body></html>
"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><title>Post</title><link>https://blog.example.org/post</link></item></channel></rss>"""


def test_an_html_page_names_the_feeds_it_advertises():
    with pytest.raises(HTMLPageError) as caught:
        parse_feed(PAGE, "https://blog.example.org/posts/", "text/html")
    assert caught.value.alternates == (
        "https://blog.example.org/index.xml",
        "https://blog.example.org/atom.xml",
        "https://blog.example.org/posts/feed.json",
        "https://cdn.example.org/feed.json",
    )
    assert str(caught.value) == (
        "this address is an HTML page, not a feed; it advertises https://blog.example.org/index.xml"
    )
    assert isinstance(caught.value, FeedParseError)


def test_base_href_and_pages_without_feeds():
    page = b'<html><head><base href="https://other.example.org/dir/"><link rel="alternate" '
    page += b'type="application/atom+xml" href="a.xml"></head><body></body></html>'
    with pytest.raises(HTMLPageError) as caught:
        parse_feed(page, "https://blog.example.org/")
    assert caught.value.alternates == ("https://other.example.org/dir/a.xml",)
    with pytest.raises(HTMLPageError, match=r"^this address is an HTML page, not a feed$") as bare:
        parse_feed(b"<!-- hi -->\n<HTML><BODY>Maintenance & more</BODY></HTML>", "https://x.org/")
    assert bare.value.alternates == ()


def test_xhtml_page_served_as_a_feed_is_still_a_page():
    page = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
    page += b'<link rel="alternate" type="application/rss+xml" href="/rss"/></head><body/></html>'
    with pytest.raises(HTMLPageError) as caught:
        parse_feed(page, "http://blog.example.org/", "application/rss+xml")
    assert caught.value.alternates == ("http://blog.example.org/rss",)


@pytest.mark.parametrize("content_type", ["application/json", "text/html", "", "text/plain"])
def test_rss_is_read_whatever_the_content_type(content_type: str):
    feed, _ = parse_feed(RSS, "https://blog.example.org/index.xml", content_type)
    assert [entry.title for entry in feed.entries] == ["Post"]


@pytest.mark.parametrize("content_type", ["application/rss+xml", "text/xml", ""])
def test_json_feed_is_read_whatever_the_content_type(content_type: str):
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [{"id": "1", "url": "https://j.example.org/1", "title": "One"}],
    }
    body = b"\xef\xbb\xbf \n" + json.dumps(document).encode()
    feed, _ = parse_feed(body, "https://j.example.org/feed.json", content_type)
    assert [entry.title for entry in feed.entries] == ["One"]
