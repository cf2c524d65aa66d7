"""Merged sources list a post once; user patterns run in linear time; any :since: works."""

from __future__ import annotations

import re
import shutil
import time
from datetime import UTC, datetime

import pytest
from helpers import corpus_folder, feeds_in, warning_lines

from sphinxcontrib_feed.finish.select import (
    EARLIEST,
    merge_sources,
    normalise_link,
    select_entries,
    since_cutoff,
)
from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.model import Entry
from sphinxcontrib_feed.settings.patterns import PatternError, compile_pattern

DAY = datetime(2026, 3, 1, tzinfo=UTC)


def titles(entries: list[Entry]) -> list[str]:
    return [e.title for e in entries]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://Example.org/a/", "http://example.org/a"),
        ("https://www.example.org:443/a#x", "https://example.org/a"),
        ("http://example.org:80/a?utm_source=rss&id=3&UTM_Medium=x", "https://example.org/a?id=3"),
    ],
)
def test_links_that_name_the_same_page_normalise_alike(a: str, b: str):
    assert normalise_link(a) == normalise_link(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/a", "https://example.org/b"),
        ("https://example.org/a?id=3", "https://example.org/a?id=4"),
        ("https://example.org:8443/a", "https://example.org/a"),
        ("https://example.org/A", "https://example.org/a"),  # paths are case-sensitive
        ("ftp://example.org/a", "http://example.org/a"),
    ],
)
def test_links_of_different_pages_stay_different(a: str, b: str):
    assert normalise_link(a) != normalise_link(b)


def test_merge_drops_a_post_seen_in_an_earlier_source_by_id_link_or_title_and_date():
    first = [
        Entry("One", link="https://a.example/1", id="a1", date=DAY),
        Entry("Two", link="https://a.example/2", id="a2", date=DAY),
        Entry("Three", link="https://elsewhere.example/", id="a3", date=DAY),
    ]
    second = [
        Entry("One, renamed", link="https://b.example/x", id="a1"),  # same id
        Entry("Two, renamed", link="http://a.example/2/#top", id="b2"),  # same link
        Entry(" three ", link="https://a.example/3", id="b3", date=DAY),  # same title + date
        Entry("Three", link="https://a.example/3b", id="b4", date=DAY.replace(day=2)),  # new
    ]
    assert titles(merge_sources([first, second])) == ["One", "Two", "Three", "Three"]
    # the first source listing a post wins
    assert titles(merge_sources([second, first])) == titles(second)


def test_merge_keeps_every_item_of_one_source_and_ignores_shared_links():
    podcast = [Entry(f"Episode {n}", link="https://pod.example/", id=f"ep{n}") for n in (1, 2)]
    other = [Entry("News", link="https://pod.example/", id="n1")]
    # items of one source are never merged with each other; a link all episodes
    # share is not an identity, so "News" stays too
    assert titles(merge_sources([podcast, other])) == ["Episode 1", "Episode 2", "News"]


def test_merged_atom_and_json_of_one_site_list_each_post_once(project):
    merged = project("d2-merged")
    merged.build()
    (items,), _ = feeds_in(merged.output("index.html"))
    assert [item.title for item in items] == [
        "Only in JSON",
        "Third post",
        "Second post: a link to elsewhere",
        "First post",
        "Only in Atom",
    ]
    html = merged.output("index.html")
    caption = re.search(r'<p class="feed-caption">(.*?)</p>', html, re.S)
    assert caption is not None
    assert caption[1].count("Site Journal") == 1  # the caption names the site once
    assert warning_lines(merged.last_warnings) == []


def test_real_atom_and_json_feeds_of_daring_fireball_merge(project):
    corpus = corpus_folder("realworld")
    merged = project("d2-merged")
    shutil.copy(corpus / "daringfireball.atom", merged.srcdir / "df.atom")
    shutil.copy(corpus / "jsonfeed_daringfireball.json", merged.srcdir / "df.json")
    (merged.srcdir / "index.rst").write_text(
        "DF\n==\n\n.. feed:: df.atom df.json\n   :limit: 0\n   :title:\n", encoding="utf-8"
    )
    merged.build()
    html = merged.output("index.html")
    (items,), _ = feeds_in(html)
    assert len(items) == 48  # each feed has the same 48 posts
    assert len({item.title for item in items}) == 48
    caption = re.search(r'<p class="feed-caption">(.*?)</p>', html, re.S)
    assert caption is not None
    assert caption[1].count("Daring Fireball") == 1


def test_catastrophic_pattern_is_linear_time():
    pattern = compile_pattern("(a+)+$")
    started = time.process_time()  # CPU time: the cost, however busy the machine
    assert pattern.search("a" * 200_000 + "!") is None
    assert time.process_time() - started < 5.0  # Python's re: longer than the age of the universe


def test_patterns_are_case_insensitive_and_take_any_text():
    assert compile_pattern("ÉTÉ").search("un été") is not None
    assert compile_pattern("b").search("a\ud800b") is not None  # a lone surrogate


def test_unsupported_pattern_is_a_clear_re_error():
    with pytest.raises(PatternError, match="RE2 syntax") as raised:
        compile_pattern(r"(a)\1")
    assert isinstance(raised.value, re.error)  # what the directive catches


HOSTILE = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<link>https://t.example/</link>
<item><title>{title}</title><link>https://t.example/1</link>
<pubDate>Mon, 02 Feb 2026 10:00:00 +0000</pubDate></item>
<item><title>aaa</title><link>https://t.example/2</link>
<pubDate>Mon, 02 Feb 1970 10:00:00 +0000</pubDate></item>
</channel></rss>"""


def test_hostile_title_and_author_side_options_in_a_real_build(project):
    site = project("d2-merged")
    (site.srcdir / "hostile.rss").write_text(HOSTILE.format(title="a" * 50_000 + "!"))
    (site.srcdir / "index.rst").write_text(
        "Hostile\n=======\n\n"
        ".. feed:: hostile.rss\n   :filter: (a+)+$\n\n"
        ".. feed:: hostile.rss\n   :since: 99999999w\n\n"
        ".. feed:: hostile.rss\n   :filter: (a)\\1\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    site.build()
    assert time.monotonic() - started < 30
    feeds, _ = feeds_in(site.output("index.html"))
    assert [item.title for item in feeds[0]] == ["aaa"]
    assert len(feeds[1]) == 2  # a duration longer than history keeps every dated item
    assert len(feeds) == 2  # the third directive is refused, with a located error
    warnings = "\n".join(warning_lines(site.last_warnings))
    assert re.search(r"index\.rst:\d+: ERROR: invalid :filter: pattern .*RE2 syntax", warnings)


@pytest.mark.parametrize("seconds", [99999999 * 7 * 86400.0, 1e300, float("inf"), float("nan")])
def test_since_never_overflows(seconds: float):
    assert since_cutoff(seconds) == EARLIEST
    entries = [Entry("old", date=datetime(1, 1, 3, tzinfo=UTC)), Entry("undated")]
    assert titles(select_entries(entries, Selection(since=seconds))) == ["old"]


def test_since_with_a_huge_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999")
    assert since_cutoff(60).year >= 2026  # the epoch is ignored, as an unusable one
