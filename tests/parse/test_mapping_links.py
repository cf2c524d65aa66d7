"""Relative URLs in items: which base each resolves against, for URLs and files alike."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from helpers import corpus_folder, feed_bytes, feeds_in, serve_feed, warning_lines

from sphinxcontrib_feed.parse.document import parse_feed

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

FEED_URL = "https://feeds.example.net/blog/index.xml"
FILE_URL = "file:///docs/_feeds/blog.xml"


def _rss(items: str, site: str = "<link>https://blog.example.org/</link>") -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"{site}{items}</channel></rss>"
    ).encode()


def test_item_content_resolves_against_the_item_link():
    feed, _ = parse_feed(feed_bytes("mapping-relative.rss"), FEED_URL)
    with_link, without_link = feed.entries
    assert with_link.link == "https://blog.example.org/posts/one/"
    html = with_link.summary_html
    assert 'src="https://blog.example.org/posts/one/figure.png"' in html
    assert 'href="https://blog.example.org/posts/one/#part-two"' in html
    assert 'href="https://blog.example.org/posts/two/"' in html
    assert with_link.image == "https://blog.example.org/posts/one/figure.png"
    [enclosure] = with_link.enclosures
    assert enclosure.url == "https://blog.example.org/posts/one/episode.mp3"
    # no item link: the feed's site is the base, never the feed document
    assert without_link.link is None
    assert 'href="https://blog.example.org/about/"' in without_link.summary_html


def test_no_item_link_and_no_site_falls_back_to_the_feed_url():
    items = '<item><title>A</title><description>&lt;a href="#x"&gt;x&lt;/a&gt;</description></item>'
    feed, _ = parse_feed(_rss(items, site=""), FEED_URL)
    assert 'href="https://feeds.example.net/blog/index.xml#x"' in feed.entries[0].summary_html
    # a file has no web address: a relative URL with no base is dropped
    feed, _ = parse_feed(_rss(items, site=""), FILE_URL)
    assert "href" not in feed.entries[0].summary_html


def test_an_explicit_xml_base_wins_over_the_item_link():
    for url in (FEED_URL, FILE_URL):
        feed, _ = parse_feed(feed_bytes("mapping-xmlbase.atom"), url)
        [entry] = feed.entries
        assert entry.link == "https://static.example.org/blog/posts/based/"
        assert 'src="https://static.example.org/blog/figure.png"' in entry.summary_html
        assert 'href="https://static.example.org/blog/#top"' in entry.summary_html


def test_a_relative_item_link_resolves_against_the_feed_url_else_the_site():
    """The documented choice: RFC 3986 for a fetched feed; a file's site stands in for it."""
    items = "<item><title>A</title><link>posts/a/</link></item>"
    fetched, _ = parse_feed(_rss(items), FEED_URL)
    assert fetched.entries[0].link == "https://feeds.example.net/blog/posts/a/"
    from_file, _ = parse_feed(_rss(items), FILE_URL)
    assert from_file.entries[0].link == "https://blog.example.org/posts/a/"


def test_json_feed_content_resolves_against_the_item_url_then_the_home_page():
    for url in ("https://feeds.example.net/blog/feed.json", "file:///docs/_feeds/feed.json"):
        feed, _ = parse_feed(feed_bytes("mapping-relative.json"), url)
        one, two = feed.entries
        assert one.link == "https://blog.example.org/posts/one/"
        assert 'src="https://blog.example.org/posts/one/figure.png"' in one.summary_html
        assert 'href="https://blog.example.org/posts/one/#part-two"' in one.summary_html
        assert one.enclosures[0].url == "https://blog.example.org/posts/one/episode.mp3"
        assert two.link is None
        assert 'href="https://blog.example.org/about/"' in two.summary_html
    document = json.loads(feed_bytes("mapping-relative.json"))
    del document["home_page_url"]
    feed, _ = parse_feed(json.dumps(document).encode(), "https://feeds.example.net/b/feed.json")
    assert feed.entries[0].link == "https://feeds.example.net/posts/one/"
    assert 'href="https://feeds.example.net/b/about/"' in feed.entries[1].summary_html


def test_url_and_file_parse_to_the_same_items():
    for name in ("mapping-relative.rss", "mapping-xmlbase.atom", "mapping-relative.json"):
        fetched, _ = parse_feed(feed_bytes(name), f"https://feeds.example.net/{name}")
        from_file, _ = parse_feed(feed_bytes(name), f"file:///docs/_feeds/{name}")
        assert fetched == from_file, name


_URL_ATTRIBUTE = re.compile(r'(?:href|src)="([^"]+)"')


def _feed_blocks(html: str) -> list[list[str]]:
    """The URLs each ``div.feed-block`` block of a page holds, in order (one section a page)."""
    body = html.split("</section>")[0]
    return [_URL_ATTRIBUTE.findall(block) for block in body.split('<div class="feed-block ')[1:]]


def test_a_feed_as_url_and_as_file_builds_identical_links(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/feeds/relative.rss", "mapping-relative.rss")
    serve_feed(httpserver, "/feeds/relative.json", "mapping-relative.json", "application/feed+json")
    serve_feed(httpserver, "/feeds/xmlbase.atom", "mapping-xmlbase.atom", "application/atom+xml")
    built = project("mapping-relative")
    built.build()
    assert warning_lines(built.last_warnings) == []
    blocks = _feed_blocks(built.output("index.html"))
    assert len(blocks) == 6
    for fetched, from_file in zip(blocks[::2], blocks[1::2], strict=True):
        assert fetched == from_file
        assert fetched and not any("127.0.0.1" in url or "_feeds" in url for url in fetched)
    assert "https://blog.example.org/posts/one/figure.png" in blocks[0]
    assert "https://blog.example.org/posts/one/#part-two" in blocks[0]
    assert "https://blog.example.org/about/" in blocks[2]
    assert "https://static.example.org/blog/figure.png" in blocks[4]


def test_seed_content_resolves_against_each_post(project, httpserver: HTTPServer):
    seed = (corpus_folder("realworld") / "lilianweng-lillog.rss.xml").read_bytes()
    serve_feed(httpserver, "/index.xml", seed)
    built = project("mapping-seed")
    (built.srcdir / "_feeds" / "seed.xml").write_bytes(seed)
    built.build()
    assert warning_lines(built.last_warnings) == []
    html = built.output("index.html")
    fetched, from_file = _feed_blocks(html)
    assert fetched == from_file
    post = "https://lilianweng.github.io/posts/2023-06-23-agent/"
    agents = next(
        item for item in feeds_in(html)[0][0] if item.title == "LLM Powered Autonomous Agents"
    )
    assert agents.href == post
    assert f"{post}agent-overview.png" in fetched
    assert not any(".xml#" in url or url.endswith(".xml") for url in fetched)
    inference = "https://lilianweng.github.io/posts/2023-01-10-inference-optimization/"
    assert f"{inference}#distillation" in fetched
