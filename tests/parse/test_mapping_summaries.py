"""Summaries: HTML escaped twice is read once more; a feed's own short summary is the text."""

from __future__ import annotations

import html
import json

import pytest
from helpers import corpus_folder, feeds_in, warning_lines

from sphinxcontrib_feed.finish.sanitize import unescape_double_escaped
from sphinxcontrib_feed.parse.document import parse_feed

URL = "https://feeds.example.net/feed.json"
TWICE = html.escape('<p><a href="https://supabase.com">Supabase</a> uses keys.</p>')


@pytest.mark.parametrize(
    "fragment",
    [
        TWICE,
        "\n  " + TWICE,
        html.escape("Intro <em>one</em>, <strong>two</strong>, <code>three</code>"),
        "&#60;p&#62;numeric references&#60;/p&#62;",
    ],
)
def test_html_escaped_twice_is_unescaped_once(fragment: str):
    assert unescape_double_escaped(fragment) == html.unescape(fragment)


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>Real markup that shows &lt;p&gt; as text</p>",  # real tags: left alone
        "Use the &lt;b&gt; element sparingly.",  # one tag, not at the start
        "Generics: List&lt;T&gt; and Map&lt;K, V&gt;",  # not HTML elements
        "Tom &amp; Jerry",
        "no entities at all",
    ],
)
def test_other_fragments_are_left_alone(fragment: str):
    assert unescape_double_escaped(fragment) == fragment


def test_json_feed_content_escaped_twice_and_its_own_summary():
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {
                "id": "1",
                "url": "https://j.example.org/1",
                "summary": "A short  summary\nin plain text.",
                "content_html": TWICE,
            },
            {"id": "2", "content_html": TWICE},
            {"id": "3", "summary": "Only a <summary>."},
        ],
    }
    feed, _ = parse_feed(json.dumps(document).encode(), URL)
    one, two, three = feed.entries
    assert one.summary_html == (
        '<p><a href="https://supabase.com" rel="noopener noreferrer">Supabase</a> uses keys.</p>'
    )
    assert one.summary_text == "A short summary in plain text."
    assert two.summary_text == "Supabase uses keys."  # no summary: the content's text
    # a summary alone is plain text, shown as such in both modes
    assert (
        three.summary_html == "Only a &lt;summary&gt;."
        and three.summary_text == "Only a <summary>."
    )


def test_rss_description_escaped_twice_and_plain_text_content():
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>
      <item><title>A</title><link>https://r.example.org/a</link>
        <description>{html.escape(TWICE)}</description></item>
      </channel></rss>""".encode()
    feed, _ = parse_feed(rss, "https://r.example.org/feed.xml")
    assert feed.entries[0].summary_html.startswith('<p><a href="https://supabase.com"')
    assert feed.entries[0].summary_text == "Supabase uses keys."
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><title>T</title><summary type="text">{html.escape(TWICE)}</summary></entry>
      </feed>""".encode()
    feed, _ = parse_feed(atom, "https://r.example.org/feed.atom")
    # type="text" is text, whatever it looks like: never read as HTML
    assert feed.entries[0].summary_text == TWICE


def test_humanwhocodes_cards_show_text_not_markup(project):
    source = corpus_folder("realworld") / "jsonfeed_humanwhocodes.json"
    built = project("mapping-summaries")
    (built.srcdir / "_feeds" / "humanwhocodes.json").write_bytes(source.read_bytes())
    built.build()
    assert warning_lines(built.last_warnings) == []
    page = built.output("index.html")
    cards, rich = feeds_in(page)[0]
    document = json.loads(source.read_bytes())
    for card, item in zip(cards, document["items"], strict=False):
        assert card.summary.strip() == " ".join(item["summary"].split())
    assert all("<p>" not in item.summary and "href=" not in item.summary for item in rich)
    assert '<a class="reference external" href="https://supabase.com"' in page
