"""Issue 11: the fast RSS 2.0 mapper gives exactly feedparser's index, or declines.

For every document of the shared corpus the mapper accepts, the index
(every field the model keeps, the raw summary and its base included) must
equal the one built from feedparser's result.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from feedparser.urls import _urljoin
from helpers import corpus_folder, parse_both_ways
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.finish.sanitize import PLAIN_WEB_URL, _resolved_url, safe_url
from sphinxcontrib_feed.parse import fastmap
from sphinxcontrib_feed.parse.xmlsafe import safe_tree

URL = "https://example.org/feed"
FILE_URL = "file:///docs/feeds/feed.xml"
HEADERS = {"content-type": "application/xml; charset=utf-8", "content-location": URL}
BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


def both_ways(content: bytes, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, bool]:
    """(feedparser's index, the default path's index, whether the fast RSS mapper accepted)."""
    return parse_both_ways(content, url, monkeypatch, fastmap.fast_parse)


def _files(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in {".json", ".txt", ".md"}
    )


def test_realworld_agreement(monkeypatch: pytest.MonkeyPatch):
    root = corpus_folder("realworld")
    accepted, different = [], []
    for path in _files(root):
        for url in (URL, FILE_URL):
            slow, fast, took = both_ways(path.read_bytes(), url, monkeypatch)
            if took:
                accepted.append(path.name)
            if slow != fast:
                different.append((path.name, url))
    assert different == []
    print(f"fast mapper accepted {len(set(accepted))} realworld files: {sorted(set(accepted))}")
    assert {
        "bbc_news_world_media_thumbnail.rss",
        "ghost_speakingbody.rss",
        "hackernews_frontpage.rss",
        "medium_hodlhodl.rss",
    } <= set(accepted)


def test_feedparser_suite_agreement(monkeypatch: pytest.MonkeyPatch):
    root = corpus_folder("feedparser-tests", "tests")
    files = [path for folder in ("wellformed", "illformed") for path in _files(root / folder)]
    accepted, different = [], []
    for path in files:
        slow, fast, took = both_ways(path.read_bytes(), URL, monkeypatch)
        if took:
            accepted.append(path.relative_to(root).as_posix())
        if slow != fast:
            different.append(path.relative_to(root).as_posix())
    assert different == []
    print(f"fast mapper accepted {len(accepted)} of {len(files)} feedparser test files")
    assert len(accepted) > 50


def test_the_benchmark_feed_takes_the_fast_mapper(monkeypatch: pytest.MonkeyPatch):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench_scale import rss_feed
    finally:
        sys.path.remove(str(BENCHMARKS))
    slow, fast, took = both_ways(rss_feed(200_000), URL, monkeypatch)
    assert took
    assert slow == fast
    assert len(fast[-1]) > 100


def mapped(body: str, head: str = '<rss version="2.0">') -> Any:
    root, problem = safe_tree(f"{head}<channel>{body}</channel></rss>".encode(), URL)
    assert problem is None
    return fastmap.fast_parse(root, HEADERS)


PLAIN_ITEM = "<item><title>t</title><link>https://example.org/a</link></item>"


def test_a_plain_rss_feed_is_accepted():
    parsed = mapped("<title>Feed</title>" + PLAIN_ITEM)
    assert parsed is not None
    assert parsed.feed["title"] == "Feed"
    assert parsed.entries[0]["link"] == "https://example.org/a"


@pytest.mark.parametrize(
    ("body", "head"),
    [
        (PLAIN_ITEM, '<rss version="0.91">'),
        (PLAIN_ITEM, '<rss version="2.0" xml:base="https://example.org/x/">'),
        (PLAIN_ITEM, '<rss version="2.0" xmlns="http://example.org/ns">'),
        ('<item xml:base="https://example.org/x/"><link>a</link></item>', None),
        ('<item><link base="https://example.org/x/">a</link></item>', None),
        ("<item><title>a</title><title>b</title></item>", None),
        ("<title>a</title><title>b</title>", None),
        ("<item><description><div>markup</div></description></item>", None),
        ('<item><description type="text">x</description></item>', None),
        ("<item><summary>x</summary></item>", None),
        ("<item><source>x</source></item>", None),
        ("<item><dc:date>2020-01-01</dc:date></item>", "dc"),
        ("<item><itunes:summary><b>x</b></itunes:summary></item>", "itunes"),
        ('<item><guid ISPERMALINK="false">x</guid></item>', None),
        ("<item><media:title>x</media:title></item>", "media"),
        (
            '<item><media:content url="a"><media:title>x</media:title></media:content></item>',
            "media",
        ),
        ("<textInput><title>x</title></textInput>", None),
    ],
)
def test_the_gate_declines(body: str, head: str | None):
    namespaces = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "media": "http://search.yahoo.com/mrss/",
    }
    if head is None or head in namespaces:
        declaration = f' xmlns:{head}="{namespaces[head]}"' if head else ""
        head = f'<rss version="2.0"{declaration}>'
    assert mapped(body, head) is None


def test_a_repaired_document_takes_the_fast_mapper_and_agrees(monkeypatch: pytest.MonkeyPatch):
    document = b'<rss version="2.0"><channel><title>x &amp y</title><item><title>i</title>'
    slow, fast, took = both_ways(document + b"</item></channel>", URL, monkeypatch)
    assert took
    assert slow == fast


TRICKY_ITEMS = [
    '<category domain="">a</category><category>a</category><category domain="d">b</category>'
    '<category domain="d">b</category><category domain="e"></category><category>c</category>',
    "<guid>/relative/guid</guid><link>/relative/link?a=1&amp;b=2&amp;c;</link>",
    '<guid isPermaLink="false">/not/a/link</guid>',
    '<guid isPermaLink="True">https://example.org/g</guid><title>no link</title>',
    "<link>https://example.org/after</link><guid>https://example.org/guid</guid>",
    "<guid>https://example.org/guid</guid><link></link>",
    "<content:encoded>&lt;p&gt;content&lt;/p&gt;</content:encoded><description>d</description>",
    "<description></description><content:encoded>&lt;p&gt;content&lt;/p&gt;</content:encoded>",
    "<content:encoded>  spaced  </content:encoded>",
    "<title>Ã©tÃ© &#128;&#150; caf\u00e9 \u2019</title><author>a@example.org (A)</author>",
    "<dc:creator>\u00c3\u00a9</dc:creator><pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>",
    "<pubDate>2003-06-10T04:00:00+02:00</pubDate><atom:updated>2004-01-01</atom:updated>",
    "<pubDate>not a date</pubDate><atom:updated>2004-01-01T00:00:00Z</atom:updated>",
    '<atom:link href="/alt" /><atom:link rel="self" href="https://example.org/s" />',
    '<link>https://example.org/l</link><atom:link rel="alternate" type="text/html" href="x" />',
    '<enclosure url="/a.mp3" length="12" type="Audio/MPEG" /><enclosure url="" />'
    '<enclosure url="https://example.org/i.png" length="x" type="image/png" />',
    '<media:thumbnail url="t.jpg" /><media:content url="c.jpg" medium="image" />',
    '<media:content url="v.mp4" type="video/mp4" /><media:content url="p.png" type="Image/PNG"/>',
    "<title>   </title><description>&lt;b&gt;x&lt;/b&gt; &amp;amp; y</description>",
    "<link>http://example.org/a;b?</link><guid>https://example.org/x#</guid>",
    "<link>HTTP://Example.org//a/../b</link><comments>/c</comments>",
    "<author>a</author><dc:creator>b</dc:creator>",  # both authors to feedparser: the last wins
    "<dc:creator>b</dc:creator><author>a@example.org (A)</author>",
]
TRICKY_CHANNEL = (
    "<title>Ch &amp; \u00e9</title><link>/site?a=1&amp;b=2</link><description>d</description>"
    "<ttl>60</ttl><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>"
    "<image><title>i</title><url>/i.png</url><link>/img</link></image>"
    '<category domain="x">c</category>'
    '<atom:link rel="self" href="https://example.org/feed" type="application/rss+xml" />'
)
NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
)


@pytest.mark.parametrize("url", [URL, FILE_URL])
@pytest.mark.parametrize("item", TRICKY_ITEMS)
def test_tricky_items_agree(item: str, url: str, monkeypatch: pytest.MonkeyPatch):
    document = (
        f'<rss version="2.0" {NAMESPACES}><channel>{TRICKY_CHANNEL}'
        f"<item>{item}</item><item><title>second</title></item></channel></rss>"
    ).encode()
    slow, fast, took = both_ways(document, url, monkeypatch)
    assert took
    assert slow == fast


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.org/a;b",
        "https://example.org/a?",
        "https://example.org/a#",
        "https:///example.org/a",
        "https://example.org/a b",
        "HTTPS://example.org/",
        "//example.org/a",
        "/a",
    ],
)
def test_only_urls_urljoin_keeps_skip_it(uri: str):
    assert not PLAIN_WEB_URL.match(uri)
    assert PLAIN_WEB_URL.match("https://example.org:8080/a/b.html?q=1&r=%20#frag")


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(PLAIN_WEB_URL, fullmatch=True),
    st.sampled_from(["", "https://example.org/feed", "http://example.org/a/b?c#d", "http://[::1"]),
)
def test_plain_urls_are_what_urljoin_and_safe_url_make_of_them(uri: str, base: str):
    if "[" not in base:
        assert _urljoin(base, uri) == uri
    assert safe_url(uri, base) == _resolved_url(uri, base)


RSS_PIECES = [
    *TRICKY_ITEMS[:3],
    "<title>t</title>",
    "<title>a&#13;b</title>",
    "<description>s&#13;&#10;t &amp;lt;b&amp;gt;</description>",
    "<description>&lt;p&gt;\r\nx\ry&#13;&lt;/p&gt;</description>",
    "<content:encoded>c&#13;&#13;&#10;d &amp;amp;</content:encoded>",
    "<guid isPermaLink='false'>g&#13;</guid>",
    "<category>a&#13;b</category><category>a\rb</category><category>a&#10;b</category>",
    '<category domain="d"></category><category domain="d">x&#13;</category>',
    '<category domain="d">x</category><category domain="d"></category><category>x</category>',
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(RSS_PIECES), max_size=4), min_size=1, max_size=3))
def test_any_mix_of_rss_pieces_agrees_or_declines(items: list[list[str]]):
    """Issue 17: with ``&#13;`` in text with markup, the fast mapper gave ``\\r`` where
    feedparser (reading that text as CDATA) gave ``\\n``."""
    body = "".join(f"<item>{''.join(pieces)}</item>" for pieces in items)
    document = f'<rss version="2.0" {NAMESPACES}><channel>{TRICKY_CHANNEL}{body}</channel></rss>'
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow, fast, _ = both_ways(document.encode(), URL, monkeypatch)
    assert slow == fast
