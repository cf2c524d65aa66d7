"""Issue 20: the fast path covers the feeds people publish.

Podcast and blog platforms' extension elements (iTunes, Google Play,
WordPress, a ``media:title`` inside ``media:content``, an ``atom:link``
title) no longer send a document to feedparser where feedparser stores them
under keys the model never reads. Every document the fast mappers accept
must give exactly feedparser's model; the others decline.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import corpus_folder, parse_both_ways
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.parse import document as parse
from sphinxcontrib_feed.parse import fastmap

URL = "https://example.org/feed"
FILE_URL = "file:///docs/feeds/feed.xml"
FAST_PARSE = parse.fast_parse
#: The real-world XML files the fast mappers take (a regression shows here).
ACCEPTED = {
    "bbc_news_world_media_thumbnail.rss",
    "blogger_realphysics.atom",
    "daringfireball.atom",
    "ghost_speakingbody.rss",
    "github_releases_feed-rs.atom",
    "hackernews_frontpage.rss",
    "medium_hodlhodl.rss",
    "substack_heated.rss",  # iTunes and Google Play channel elements
    "wordpress_com_blog.rss",  # WordPress elements, media:title, atom:link titles
    "youtube_channel.atom",
}
#: Ill-formed (libxml2 repaired it); item-level iTunes elements and rssboard.org's media.
DECLINED = {"lilianweng-lillog.rss.xml", "podcast_accidental_tech_podcast.rss"}
NAMESPACES = (
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:googleplay="http://www.google.com/schemas/play-podcasts/1.0"'
)
CHANNEL = (
    "<title>Podcast</title><link>https://example.org/</link><description>d</description>"
    "<itunes:owner><itunes:name>O</itunes:name><itunes:email>o@example.org</itunes:email>"
    "</itunes:owner><itunes:author>A</itunes:author><itunes:explicit>no</itunes:explicit>"
    "<googleplay:owner>g@example.org</googleplay:owner><googleplay:email>g@example.org"
    "</googleplay:email><googleplay:author>G</googleplay:author>"
    '<site xmlns="com-wordpress:feed-additions:1">1234</site>'
    '<atom:link rel="search" type="application/opensearchdescription+xml" href="/os.xml" '
    'title="Search" /><atom:link rel="hub" href="https://example.org/hub" />'
)
ITEM = (
    "<title>Episode</title><link>https://example.org/e</link>"
    '<post-id xmlns="com-wordpress:feed-additions:1">5621</post-id>'
    '<media:content url="https://example.org/i.png" medium="image">'
    '<media:title type="html">a picture</media:title></media:content>'
    '<media:content url="https://example.org/j.png" medium="image" />'
)


def document(channel: str = CHANNEL, item: str = ITEM) -> bytes:
    return (
        f'<rss version="2.0" {NAMESPACES}><channel>{channel}<item>{item}</item>'
        "<item><title>second</title></item></channel></rss>"
    ).encode()


def both_ways(content: bytes, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, bool]:
    return parse_both_ways(content, url, monkeypatch, FAST_PARSE)


def test_realworld_files_are_mapped_exactly_or_declined(monkeypatch: pytest.MonkeyPatch):
    folder = corpus_folder("realworld")
    files = sorted(p for p in folder.iterdir() if p.suffix in {".rss", ".atom", ".xml"})
    accepted, different = set(), []
    for path in files:
        for url in (URL, FILE_URL):
            slow, fast, took = both_ways(path.read_bytes(), url, monkeypatch)
            if took:
                accepted.add(path.name)
            if slow != fast:
                different.append((path.name, url))
    assert different == []
    assert {path.name for path in files} == ACCEPTED | DECLINED
    assert accepted == ACCEPTED


@pytest.mark.parametrize("url", [URL, FILE_URL])
def test_extension_elements_are_accepted_and_agree(url: str, monkeypatch: pytest.MonkeyPatch):
    slow, fast, took = both_ways(document(), url, monkeypatch)
    assert took
    assert slow == fast


@pytest.mark.parametrize(
    ("channel", "item"),
    [
        # feedparser would read the media title as the item's title
        (CHANNEL, '<media:content url="i.png"><media:title>m</media:title></media:content>'),
        (
            CHANNEL,
            "<title></title><media:content url='i.png'><media:title>m</media:title>"
            "</media:content>",
        ),
        (
            CHANNEL,
            '<title>t</title><media:content url="i.png"><media:description>d'
            "</media:description></media:content>",
        ),
        (
            CHANNEL,
            '<title>t</title><media:content url="i.png"><media:title lang="x">m'
            "</media:title></media:content>",
        ),
        # another prefix for Google Play's namespace: another feedparser key
        ('<g:author xmlns:g="http://www.google.com/schemas/play-podcasts/1.0">G</g:author>', ITEM),
        ('<wp:site xmlns:wp="com-wordpress:feed-additions:1">1</wp:site>', ITEM),
        ("<itunes:owner><itunes:image href='x' /></itunes:owner>", ITEM),
        ("<itunes:author role='x'>A</itunes:author>", ITEM),
        ("<itunes:explicit><b>no</b></itunes:explicit>", ITEM),
        ("<itunes:subtitle>s</itunes:subtitle>", ITEM),
        (CHANNEL, "<title>t</title><itunes:author>A</itunes:author>"),
    ],
)
def test_other_shapes_decline_and_agree(channel: str, item: str, monkeypatch: pytest.MonkeyPatch):
    slow, fast, took = both_ways(document(channel, item), URL, monkeypatch)
    assert not took
    assert slow == fast


PIECES = [
    "<title>t</title>",
    "<title></title>",
    "<link>https://example.org/l</link>",
    '<post-id xmlns="com-wordpress:feed-additions:1">1</post-id>',
    '<media:content url="https://example.org/a.png" medium="image" />',
    '<media:content url="b.png" medium="image"><media:title>m</media:title></media:content>',
    '<media:content url="c.png" type="image/png"><media:title type="html">&lt;b&gt;n'
    "</media:title></media:content>",
    '<atom:link rel="enclosure" href="/e.mp3" title="E" type="audio/mpeg" />',
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4), min_size=1, max_size=3))
def test_any_mix_of_extension_pieces_agrees_or_declines(items: list[list[str]]):
    body = "".join(f"<item>{''.join(pieces)}</item>" for pieces in items)
    content = f'<rss version="2.0" {NAMESPACES}><channel>{CHANNEL}{body}</channel></rss>'.encode()
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow, fast, _ = parse_both_ways(content, URL, monkeypatch, fastmap.fast_parse)
    assert slow == fast
