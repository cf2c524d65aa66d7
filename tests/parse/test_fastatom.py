"""The fast Atom 1.0 mapper gives exactly feedparser's result, or declines.

Two comparisons: the index (every field the model keeps, as in
``test_fastmap.py``), and, stricter, the raw values of every key the mapping
reads, against feedparser's own result for the same tree.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import feedparser
import pytest
from helpers import FEEDS, corpus_folder, parse_both_ways
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse import document as parse
from sphinxcontrib_feed.parse import fastatom
from sphinxcontrib_feed.parse.xmlsafe import safe_tree, serialized

URL = "https://example.org/feed"
FILE_URL = "file:///docs/feeds/feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
BENCHMARKS = Path(__file__).parents[2] / "benchmarks"
NAMESPACES = (
    f'xmlns="{ATOM}" xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
    'xmlns:gd="http://schemas.google.com/g/2005" '
    'xmlns:thr="http://purl.org/syndication/thread/1.0"'
)
FEED_KEYS = ("title", "title_detail", "subtitle_detail", "link", "links", "id")
ENTRY_KEYS = (
    *("title", "title_detail", "link", "links", "id", "published_parsed", "updated_parsed"),
    *("author", "tags", "summary", "summary_detail", "content"),
    *("media_thumbnail", "media_content"),
)


def _plain(value: Any) -> Any:
    """*value* without what the mapping never reads (languages, xml:lang attributes).

    An empty list and none are the same to it too (``item.get("links") or ()``).
    """
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ("language", "xml:lang")}
    if isinstance(value, list):
        return [_plain(v) for v in value] or None
    return value


def raw_keys(parsed: Any) -> tuple[Any, ...]:
    feed = {key: _plain(dict.get(parsed.feed, key)) for key in FEED_KEYS}
    entries = [
        {key: _plain(dict.get(entry, key)) for key in ENTRY_KEYS} for entry in parsed.entries
    ]
    return parsed.version, feed, entries


def headers_for(url: str) -> dict[str, str]:
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url.startswith("http"):
        headers["content-location"] = url
    return headers


def raw_both_ways(content: bytes, url: str) -> tuple[Any, Any]:
    """(feedparser's raw values, the fast mapper's, None if it declined) for *content*."""
    try:
        root, problem = safe_tree(content, url)
    except FeedParseError:
        return None, None
    if problem is not None:  # parse never asks a fast mapper about a repaired document
        return None, None
    headers = headers_for(url)
    fast = fastatom.fast_parse(root, headers)
    slow = feedparser.parse(
        serialized(root),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    return raw_keys(slow), fast and raw_keys(fast)


def agree(content: bytes, url: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Assert both comparisons hold for *content*; whether the fast mapper accepted it."""
    slow, fast, took = parse_both_ways(content, url, monkeypatch, fastatom.fast_parse)
    assert slow == fast
    raw_slow, raw_fast = raw_both_ways(content, url)
    assert took == (raw_fast is not None)
    if raw_fast is not None:
        assert raw_fast == raw_slow
    return took


CORPUS_ATOM = (
    "blogger_realphysics.atom",
    "daringfireball.atom",
    "github_releases_feed-rs.atom",
    "youtube_channel.atom",
)


@pytest.mark.parametrize("url", [URL, FILE_URL])
@pytest.mark.parametrize("name", CORPUS_ATOM)
def test_realworld_atom_agreement(name: str, url: str, monkeypatch: pytest.MonkeyPatch):
    path = corpus_folder("realworld") / name
    # all four are accepted: blogger's gd/thr/openSearch elements, daringfireball's
    # xml:base on content, GitHub's media:thumbnail and YouTube's media:group
    assert agree(path.read_bytes(), url, monkeypatch)


@pytest.mark.parametrize(
    ("parts", "least"),
    [(("feedparser-tests", "tests", "wellformed"), 40), (("w3c-feedvalidator", "testcases"), 15)],
)
def test_parser_suites_agree(parts: tuple[str, ...], least: int, monkeypatch: pytest.MonkeyPatch):
    root = corpus_folder(*parts)
    files = sorted(path for path in root.rglob("*") if path.is_file())
    accepted = []
    for path in files:
        for url in (URL, FILE_URL):
            if agree(path.read_bytes(), url, monkeypatch) and url == URL:
                accepted.append(path.relative_to(root).as_posix())
    print(f"fast Atom mapper accepted {len(accepted)} of {len(files)} files of {root}")
    assert len(accepted) >= least


def test_the_benchmark_feed_takes_the_fast_mapper(monkeypatch: pytest.MonkeyPatch):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench_parse import atom_feed
    finally:
        sys.path.remove(str(BENCHMARKS))
    assert agree(atom_feed(200_000), URL, monkeypatch)


def document(entries: list[str], feed: str = "", head: str = "") -> bytes:
    body = "".join(f"<entry>{entry}</entry>" for entry in entries)
    return f'<?xml version="1.0"?><feed {head or NAMESPACES}>{feed}{body}</feed>'.encode()


TRICKY_FEED = (
    '<title type="text">Feed &amp; \u00e9</title>'
    '<subtitle type="html">&lt;p&gt;s&lt;/p&gt;</subtitle>'
    '<link rel="self" href="https://example.org/feed"/><link href="/site?a=1&amp;b=2"/>'
    "<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><updated>2005-07-31T12:29:29Z</updated>"
    "<author><name>Feed Author</name><email>f@example.org</email><uri>/me</uri></author>"
    '<category term="news" scheme="s"/><rights type="html">&lt;b&gt;c&lt;/b&gt;</rights>'
    '<generator uri="/gen" version="1.0">Gen</generator><icon>/i.png</icon><logo>l.png</logo>'
)
XHTML = 'xmlns="http://www.w3.org/1999/xhtml"'
TRICKY_ENTRIES = [
    # type="xhtml": written back as feedparser's inline content, a wrapping div dropped
    f'<content type="xhtml">\n <div {XHTML}>\n<p class="a">x &amp; <b>y</b></p><br/>\n</div>\n'
    "</content>",
    f'<summary type="xhtml"><div {XHTML}><p>one</p></div><div {XHTML}>two</div></summary>',
    f'<title type="xhtml"><div {XHTML}>Title <em>with</em> markup</div></title>',
    '<content type="xhtml">text &lt;before&gt; <div>in the Atom namespace</div></content>',
    f'<content type="xhtml"><div {XHTML}><div><p>nested</p></div>tail</div></content>',
    f'<content type="xhtml"><DIV {XHTML} ID="X"><A HREF="/r" REL="NoFollow">l</A></DIV></content>',
    # text and html summaries and content, CDATA, a summary after its content
    '<summary>plain &amp; text</summary><content type="html">&lt;p&gt;x&lt;/p&gt;</content>',
    '<content type="text">only text content</content>',
    '<content type="html"><![CDATA[<p>cdata</p>]]></content>'
    '<summary type="html">&lt;b&gt;s</summary>',
    '<content type="TEXT">  spaced  </content><title type="html">A &amp;amp; B</title>',
    '<summary type="text/html">&lt;i&gt;i&lt;/i&gt;</summary>'
    '<content type="text/plain">c</content>',
    # links: relative, alternate among others, the id as link until an alternate link
    '<link href="/a?x=1&amp;y=2"/><link rel="alternate" type="text/html" href="rel/b"/>'
    "<id>/i/1</id>",
    '<id>https://example.org/id</id><link rel="related" href="r"/><link rel="self" href="s"/>',
    '<id>/relative/id</id><link rel="alternate" type="application/xhtml+xml" href="x"/>',
    "<id>tag:example.org,2020:1</id><title>no link</title>",
    '<id></id><link href="a" hreflang="en" title="t" length="3"/><link href="" rel="alternate"/>',
    '<link href="HTTP://Example.org//a/../b"/><link rel="ALTERNATE" type="TEXT/HTML" href="c"/>',
    # dates, present, partial, missing, nonsense
    "<published>2003-12-13T18:30:02Z</published><updated>2003-12-13T18:30:02+01:00</updated>",
    "<updated>not a date</updated><title>t</title>",
    "<published>2003-12-13</published>",
    # authors: several, email only, uri only, Latin-1 mojibake
    "<author><name>A</name><email>a@example.org</email></author><author><name>B</name></author>",
    "<author><name>A</name></author><author><email>b@example.org</email></author>",
    "<author><uri>/u</uri></author><author></author>",
    "<author><name> \u00c3\u00a9t\u00c3\u00a9 &#150; </name><uri>https://example.org/u</uri></author>",
    '<author><name>N</name><gd:image rel="r" src="//s.png" width="1" height="2"/></author>',
    # categories with scheme and label, repeats, text
    '<category term="t" scheme="s" label="L"/><category term="t" scheme="s" label="L"/>'
    '<category label="only"/><category term="">text</category><category/>',
    # enclosures
    '<link rel="enclosure" type="audio/mpeg" length="1234" href="/a.mp3"/>'
    '<link rel="enclosure" type="image/png" href="i.png" length="x"/>',
    # entities
    "<title>Ch &amp; &#233; &lt;b&gt; &nbsp;&rsquo; \u00e9t\u00e9 &#128;</title>",
    # xml:base on content, title and summary: absolute, relative, empty
    '<content type="html" xml:base="https://other.example/base/">&lt;a href="x"&gt;</content>'
    '<link href="after"/>',
    '<title xml:base="sub/">t</title><summary xml:base="">s</summary><link href="l"/>',
    '<summary xml:base="javascript:alert(1)">s</summary><link href="l"/>',
    '<content xml:base="https://other.example/x?" xml:lang="en">c</content>',
    # media: thumbnails, content, YouTube's group
    '<media:thumbnail url="t.jpg" width="1" height="2"/>'
    '<media:content url="c.png" type="image/png"/>',
    '<title>T</title><media:group><media:title>M</media:title><media:content url="v" type="x/y"/>'
    '<media:thumbnail url="/t.jpg"/><media:description>d &amp; e</media:description>'
    '<media:community><media:starRating count="1" average="5" min="1" max="5"/>'
    '<media:statistics views="3"/></media:community></media:group>',
    "<media:group><media:description>d</media:description></media:group><content>c</content>",
    # elements whose keys the mapping never reads
    '<yt:videoId>v</yt:videoId><thr:total>3</thr:total><rights type="html">r</rights>',
]


@pytest.mark.parametrize("url", [URL, FILE_URL])
@pytest.mark.parametrize("entry", TRICKY_ENTRIES)
def test_tricky_entries_agree(entry: str, url: str, monkeypatch: pytest.MonkeyPatch):
    # a second entry shows where each base is left afterwards
    second = '<title>second</title><link href="two"/><id>/2</id><content>x</content>'
    assert agree(document([entry, second], TRICKY_FEED), url, monkeypatch)


@pytest.mark.parametrize("url", [URL, FILE_URL, "https://example.org/feed?"])
@pytest.mark.parametrize(
    "feed",
    [
        TRICKY_FEED,
        "<id>/feed/id</id>",  # the feed's id is its link when no alternate link says otherwise
        '<link rel="self" href="s"/><id>https://example.org/id</id><link href="/site"/>',
        "<subtitle>only a subtitle</subtitle>",
        "",
    ],
)
def test_feed_elements_agree(feed: str, url: str, monkeypatch: pytest.MonkeyPatch):
    entry = '<title>t</title><content xml:base="/b/">c</content><link href="x"/>'
    assert agree(document([entry, entry], feed) + b"", url, monkeypatch)
    # the feed's own elements after its entries, where a base may have been left
    late = f'<?xml version="1.0"?><feed {NAMESPACES}><entry>{entry}</entry>{feed}</feed>'
    assert agree(late.encode(), url, monkeypatch)


@pytest.mark.parametrize(
    ("entries", "feed", "head"),
    [
        (['<content type="xhtml"><svg xmlns="http://www.w3.org/2000/svg"/></content>'], "", ""),
        (
            ['<content type="xhtml"><x:body xmlns:x="http://www.w3.org/1999/xhtml"/></content>'],
            "",
            "",
        ),
        (
            [
                '<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml" xml:lang="de">'
                "x</div></summary>"
            ],
            "",
            "",
        ),
        (['<content src="https://example.org/x" type="text/html"/>'], "", ""),
        (['<content type="image/png">iVBORw0KGgo=</content>'], "", ""),
        (['<summary mode="escaped">s</summary>'], "", ""),
        (["<foo>x</foo>"], "", ""),
        (['<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">x</dc:creator>'], "", ""),
        (['<title>a<b xmlns="http://www.w3.org/1999/xhtml">c</b></title>'], "", ""),
        (["<title>a</title><title>b</title>"], "", ""),
        (["<summary>a</summary><summary>b</summary>"], "", ""),
        (["<source><title>s</title></source>"], "", ""),
        (["<contributor><name>c</name></contributor>"], "", ""),
        (["<link>https://example.org/text-link</link>"], "", ""),
        (['<link rel="alternate"/>'], "", ""),
        (['<link href="a" xml:base="https://example.org/b/"/>'], "", ""),
        (['<link href="a" type="html"/>'], "", ""),
        (["<author>Just Text</author>"], "", ""),
        (
            [
                "<media:group><media:description>d</media:description></media:group><summary>s</summary>"
            ],
            "",
            "",
        ),
        (
            [
                "<summary>s</summary><media:group><media:description>d</media:description></media:group>"
            ],
            "",
            "",
        ),
        (["<media:group><media:title>only a media title</media:title></media:group>"], "", ""),
        (['<g:image xmlns:g="http://schemas.google.com/g/2005" src="x"/>'], "", ""),
        (['<author><image xmlns="http://schemas.google.com/g/2005" src="x"/></author>'], "", ""),
        ([""], '<title xml:base="https://example.org/b/">t</title>', ""),
        ([""], "<title>a</title><title>b</title>", ""),
        ([""], "<entry xml:base='https://example.org/b/'><title>t</title></entry>", ""),
        ([""], "<unknown>x</unknown>", ""),
        ([""], "", f'xmlns="{ATOM}" xml:base="https://example.org/b/"'),
        ([""], "", f'xmlns="{ATOM}" xmlns:rss="http://purl.org/rss/1.0/"'),
        ([""], "", 'xmlns="http://purl.org/atom/ns#" version="0.3"'),
        ([""], "", f'xmlns="{ATOM}" version="1.0"'),
    ],
)
def test_the_gate_declines(entries: list[str], feed: str, head: str):
    root, problem = safe_tree(document(entries, feed, head), URL)
    assert problem is None
    assert fastatom.fast_parse(root, headers_for(URL)) is None


def test_the_declined_still_agree(monkeypatch: pytest.MonkeyPatch):
    # declining hands the document to feedparser: the index is the same either way
    assert not agree(document(["<source><title>s</title></source>"]), URL, monkeypatch)


def test_an_rss_document_is_not_atom():
    root, _ = safe_tree(b'<rss version="2.0"><channel><title>x</title></channel></rss>', URL)
    assert fastatom.fast_parse(root, headers_for(URL)) is None
    assert parse.fast_parse(root, headers_for(URL)) is not None  # the RSS mapper takes it


def test_a_plain_atom_feed_is_accepted():
    root, _ = safe_tree(document(["<title>t</title><link href='/a'/>"], "<title>F</title>"), URL)
    parsed = fastatom.fast_parse(root, headers_for(URL))
    assert parsed is not None
    assert parsed.version == "atom10"
    assert parsed.feed["title"] == "F"
    assert parsed.entries[0]["link"] == "https://example.org/a"


FILE_ATOM = "atom-relative.xml"


@pytest.mark.parametrize("url", [URL, FILE_URL])
def test_the_fixture_file_agrees(url: str, monkeypatch: pytest.MonkeyPatch):
    assert agree((FEEDS / FILE_ATOM).read_bytes(), url, monkeypatch)


PIECES = [
    *TRICKY_ENTRIES,
    "<title>t</title>",
    '<title type="html">&lt;b&gt;h&lt;/b&gt;</title>',
    "<summary>s</summary>",
    '<content type="html">&lt;p&gt;c&lt;/p&gt;</content>',
    '<content xml:base="https://example.net/c/">c</content>',
    '<summary xml:base="rel/">s</summary>',
    '<link href="x"/>',
    '<link rel="alternate" href="https://example.org/alt"/>',
    "<id>https://example.org/guid</id>",
    "<author><name>N</name></author>",
    "<author><email>e@example.org</email></author>",
    "<media:group><media:description>g</media:description></media:group>",
    "<media:group><media:title>m</media:title></media:group>",
    # carriage returns: raw (XML makes them \n) and as &#13; (kept as \r by XML; feedparser
    # reads text with markup as CDATA, where they become \n): issue 17
    "<title>a&#13;b</title>",
    '<title type="html">&lt;b&gt;a&#13;&#10;b&lt;/b&gt;</title>',
    "<summary>s&#13;t &amp;amp; u&#13;</summary>",
    '<content type="html">&lt;p&gt;\r\nc\rd&#13;&lt;/p&gt;</content>',
    '<category term="a&#13;b"/><category term="a&#13;b" scheme="s"/><category term="a&#10;b"/>',
    f'<content type="xhtml"><div {XHTML}><p>p</p> </div></content>',
    f'<summary type="xhtml"> <div {XHTML}>s</div> t</summary>',
    f'<content type="xhtml"><p {XHTML}>a</p><p {XHTML}>b</p></content>',
    f'<content type="xhtml"><div {XHTML}></div></content>',
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=4), min_size=1, max_size=3),
    st.sampled_from([URL, FILE_URL, "http://example.org/a/b?c"]),
)
def test_any_mix_of_pieces_agrees_or_declines(entries: list[list[str]], url: str):
    with pytest.MonkeyPatch.context() as monkeypatch:
        agree(document(["".join(pieces) for pieces in entries], TRICKY_FEED), url, monkeypatch)
