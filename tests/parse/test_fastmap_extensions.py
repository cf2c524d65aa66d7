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
    "podcast_accidental_tech_podcast.rss",  # item iTunes elements, rssboard.org's media
    "lilianweng-lillog.rss.xml",  # ill-formed: markup in descriptions, repaired by libxml2
}
DECLINED: set[str] = set()
NAMESPACES = (
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:googleplay="http://www.google.com/schemas/play-podcasts/1.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
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


#: A podcast's channel and episode, as podcast hosts write them.
PODCAST_CHANNEL = (
    "<title>Show</title><link>https://example.org/</link><description>d</description>"
    "<itunes:subtitle>s</itunes:subtitle><itunes:summary>a &lt;b&gt;show&lt;/b&gt;</itunes:summary>"
    '<itunes:category text="Technology"><itunes:category text="Tech News" /></itunes:category>'
    '<itunes:image href="/art.jpg" /><itunes:type>episodic</itunes:type>'
    "<itunes:new-feed-url>https://example.org/new</itunes:new-feed-url>"
    "<itunes:complete>no</itunes:complete><itunes:block>no</itunes:block>"
    "<itunes:keywords>a, b</itunes:keywords>"
    '<googleplay:image href="https://example.org/g.png" /><googleplay:category text="Tech" />'
    "<googleplay:description>d</googleplay:description>"
)
PODCAST_ITEM = (
    "<title>Episode 1</title><dc:creator>Host</dc:creator><link>https://example.org/1</link>"
    "<description>notes</description><itunes:author>Host and Guest</itunes:author>"
    "<itunes:subtitle>sub</itunes:subtitle><itunes:explicit>no</itunes:explicit>"
    '<itunes:image href="ep1.jpg" /><itunes:duration>01:02:03</itunes:duration>'
    "<itunes:title>One</itunes:title><itunes:episode>1</itunes:episode>"
    "<itunes:season>2</itunes:season><itunes:episodeType>full</itunes:episodeType>"
    "<itunes:keywords>tech, news,,talk </itunes:keywords>"
    '<enclosure url="https://cdn.example.org/1.mp3" length="9" type="audio/mpeg" />'
    '<rb:content url="https://cdn.example.org/1.mp3" length="9" medium="audio" isDefault="true"'
    ' type="audio/mpeg"><rb:title>t</rb:title></rb:content>'
)
RSSBOARD = (
    'xmlns:rb="http://www.rssboard.org/media-rss" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:podcast="https://podcastindex.org/namespace/1.0"'
)
#: Podcasting 2.0 elements, as podcast hosts add them to channel and episodes.
PODCAST_INDEX = (
    '<podcast:locked owner="o@example.org">yes</podcast:locked>'
    '<podcast:funding url="https://example.org/f">Support</podcast:funding>'
    '<podcast:transcript url="https://example.org/1.vtt" type="text/vtt" language="en" />'
    '<podcast:transcript url="https://example.org/1.srt" type="application/srt" />'
    '<podcast:chapters url="https://example.org/c.json" type="application/json+chapters" />'
    '<podcast:person role="host" img="https://example.org/p.jpg">Jane</podcast:person>'
    '<podcast:value type="lightning" method="keysend"><podcast:valueRecipient name="n" '
    'type="node" address="a" split="100" /></podcast:value><podcast:guid>g</podcast:guid>'
)


def podcast(
    channel: str = PODCAST_CHANNEL, item: str = PODCAST_ITEM, media: str = "media"
) -> bytes:
    """A podcast document, rssboard.org's Media RSS under the prefix *media*."""
    namespaces = NAMESPACES.replace('xmlns:media="http://search.yahoo.com/mrss/"', "")
    body = f"<item>{item}</item><item><title>2</title><itunes:author>A</itunes:author></item>"
    text = f'<rss version="2.0" {namespaces} {RSSBOARD}><channel>{channel}{body}</channel></rss>'
    return text.replace("rb:", f"{media}:").replace("xmlns:rb=", f"xmlns:{media}=").encode()


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


@pytest.mark.parametrize("url", [URL, FILE_URL])
@pytest.mark.parametrize(
    ("channel", "item"),
    [
        (PODCAST_CHANNEL, PODCAST_ITEM),
        # RSS image and itunes:image: the one that comes last gives the artwork
        (
            PODCAST_CHANNEL + "<image><url>/rss.png</url><title>i</title></image>",
            "<title>e</title>",
        ),
        ("<image><url>/rss.png</url></image>" + PODCAST_CHANNEL, "<title>e</title>"),
        ('<title>s</title><itunes:image url="/u.png" />', '<itunes:image url="u.jpg" />'),
        ("<title>s</title><itunes:image />", "<title>e</title><itunes:image />"),
        # the last of the authors is the item's
        (PODCAST_CHANNEL, "<itunes:author>A</itunes:author><author>b@example.org (B)</author>"),
        (PODCAST_CHANNEL, "<itunes:duration> 3600 </itunes:duration><title>t</title>"),
        (PODCAST_CHANNEL + PODCAST_INDEX, PODCAST_ITEM + PODCAST_INDEX),
        # an episode's itunes:summary against its description and content:encoded
        (PODCAST_CHANNEL, "<description>d</description><itunes:summary>s</itunes:summary>"),
        (PODCAST_CHANNEL, "<itunes:summary>s</itunes:summary><description>d</description>"),
        (PODCAST_CHANNEL, "<description></description><itunes:summary>s</itunes:summary>"),
        (PODCAST_CHANNEL, "<itunes:summary>&lt;p&gt;s&lt;/p&gt;</itunes:summary><title>t</title>"),
        (
            PODCAST_CHANNEL,
            "<content:encoded>&lt;p&gt;c&lt;/p&gt;</content:encoded><itunes:summary>s</itunes:summary>",
        ),
        (
            PODCAST_CHANNEL,
            "<itunes:summary>s</itunes:summary><content:encoded>c</content:encoded>"
            "<description>&lt;b&gt;d&lt;/b&gt;</description>",
        ),
    ],
)
def test_podcast_elements_are_accepted_and_agree(
    channel: str, item: str, url: str, monkeypatch: pytest.MonkeyPatch
):
    slow, fast, took = both_ways(podcast(channel, item), url, monkeypatch)
    assert took
    assert slow == fast


@pytest.mark.parametrize(
    ("channel", "item", "media"),
    [
        # rssboard.org's Media RSS under another prefix: feedparser's handlers go by prefix
        (PODCAST_CHANNEL, PODCAST_ITEM, "mrss"),
        (
            PODCAST_CHANNEL,
            "<itunes:duration>1</itunes:duration><itunes:duration>2</itunes:duration>",
            "media",
        ),
        (PODCAST_CHANNEL, '<itunes:image href="a.jpg">x</itunes:image>', "media"),
        (PODCAST_CHANNEL, '<itunes:image href="a.jpg" rel="x" />', "media"),
        (
            PODCAST_CHANNEL,
            "<itunes:summary>s</itunes:summary><description><p>d</p></description>",
            "media",
        ),
        (PODCAST_CHANNEL + "<itunes:subtitle>again</itunes:subtitle>", "<title>t</title>", "media"),
        ('<itunes:category text="a"><b>x</b></itunes:category>', "<title>t</title>", "media"),
        (PODCAST_CHANNEL, '<media:content url="a.mp3" lang="de" />', "media"),
        # Podcasting 2.0 holding another namespace, or moving feedparser's language
        (
            PODCAST_CHANNEL,
            "<podcast:person><itunes:author>A</itunes:author></podcast:person>",
            "media",
        ),
        (PODCAST_CHANNEL, '<podcast:person lang="de">A</podcast:person>', "media"),
        ('<googleplay:image href="g.png">x</googleplay:image>', "<title>t</title>", "media"),
        (
            '<googleplay:description lang="de">d</googleplay:description>',
            "<title>t</title>",
            "media",
        ),
        (
            PODCAST_CHANNEL,
            '<p:person xmlns:p="https://podcastindex.org/namespace/1.0">A</p:person>',
            "media",
        ),
    ],
)
def test_other_podcast_shapes_decline_and_agree(
    channel: str, item: str, media: str, monkeypatch: pytest.MonkeyPatch
):
    slow, fast, took = both_ways(podcast(channel, item, media), URL, monkeypatch)
    assert not took
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
        ("<itunes:subtitle><b>s</b></itunes:subtitle>", ITEM),
        (CHANNEL, "<title>t</title><itunes:author role='x'>A</itunes:author>"),
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
    "<itunes:author>I</itunes:author>",
    "<dc:creator>D</dc:creator>",
    '<itunes:image href="ep.jpg" />',
    "<itunes:duration>61</itunes:duration>",
    "<itunes:keywords>a,b, a</itunes:keywords>",
    "<itunes:summary>s &lt;b&gt;x&lt;/b&gt;</itunes:summary>",
    "<itunes:summary>plain</itunes:summary>",
    "<description>d</description>",
    "<description></description>",
    "<content:encoded>&lt;p&gt;c&lt;/p&gt;</content:encoded>",
    '<category domain="http://www.itunes.com/">a</category>',
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4), min_size=1, max_size=3))
def test_any_mix_of_extension_pieces_agrees_or_declines(items: list[list[str]]):
    body = "".join(f"<item>{''.join(pieces)}</item>" for pieces in items)
    content = f'<rss version="2.0" {NAMESPACES}><channel>{CHANNEL}{body}</channel></rss>'.encode()
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow, fast, _ = parse_both_ways(content, URL, monkeypatch, fastmap.fast_parse)
    assert slow == fast
