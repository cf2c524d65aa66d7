"""Which items a directive shows: filters, categories, age, order, duplicates, limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import feed_bytes

from sphinxcontrib_feed.finish.select import select_entries
from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.model import Entry
from sphinxcontrib_feed.parse.document import parse_feed
from sphinxcontrib_feed.settings.patterns import parse_categories


def entry(
    title: str, day: int | None, categories: tuple[str, ...] = (), summary: str = ""
) -> Entry:
    date = datetime(2026, 1, day, tzinfo=UTC) if day else None
    return Entry(title=title, link=f"https://example.org/{title}", date=date,
                 categories=categories, summary_html=summary)  # fmt: skip


ENTRIES = [
    entry("alpha", 3, ("Release",), "<p>first <b>stable</b></p>"),
    entry("beta", None, ("news",)),
    entry("gamma", 10, ("release", "security")),
    entry("delta", 1, (), "A <em>security</em> fix"),
]


def titles(entries: list[Entry]) -> list[str]:
    return [e.title for e in entries]


def test_newest_first_undated_last_and_limit():
    assert titles(select_entries(ENTRIES)) == ["gamma", "alpha", "delta", "beta"]
    assert titles(select_entries(ENTRIES, Selection(limit=2))) == ["gamma", "alpha"]


def test_reverse_and_source_order():
    assert titles(select_entries(ENTRIES, Selection(reverse=True))) == [
        "delta",
        "alpha",
        "gamma",
        "beta",
    ]
    assert titles(select_entries(ENTRIES, Selection(sort="source"))) == [
        "alpha",
        "beta",
        "gamma",
        "delta",
    ]
    assert titles(select_entries(ENTRIES, Selection(sort="source", reverse=True))) == [
        "delta", "gamma", "beta", "alpha",
    ]  # fmt: skip


def test_filter_and_exclude_search_title_summary_text_and_categories():
    assert titles(select_entries(ENTRIES, Selection(filter="SECURITY"))) == ["gamma", "delta"]
    assert titles(select_entries(ENTRIES, Selection(filter="first stable"))) == ["alpha"]
    assert titles(select_entries(ENTRIES, Selection(exclude="security|news"))) == ["alpha"]
    # markup is not text: "<b>" never matches
    assert select_entries(ENTRIES, Selection(filter="<b>")) == []


def test_category_matches_any_case_insensitively():
    selection = Selection(categories=parse_categories("release, News"))
    assert titles(select_entries(ENTRIES, selection)) == ["gamma", "alpha", "beta"]


def test_since_keeps_recent_dated_items(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(datetime(2026, 1, 11, tzinfo=UTC).timestamp()))
    assert titles(select_entries(ENTRIES, Selection(since=3 * 86400))) == ["gamma"]
    assert titles(select_entries(ENTRIES, Selection(since=9 * 86400))) == ["gamma", "alpha"]


def test_duplicates_across_sources_appear_once():
    feed, _ = parse_feed(feed_bytes("news.rss"), "https://news.example.org/feed.rss")
    doubled = list(feed.entries) + list(feed.entries)
    assert len(select_entries(doubled)) == len(feed.entries)


@pytest.mark.parametrize(
    ("value", "expected"), [("a, b ,,c", ("a", "b", "c")), (None, ()), (["x "], ("x",))]
)
def test_parse_categories(value, expected):
    assert parse_categories(value) == expected


def test_every_item_of_one_source_is_shown_even_with_reused_guids():
    """Issue 19: a publisher that reuses a guid listed 50 posts; the page showed 48."""
    reused = [
        Entry(title=f"Post {n}", link=f"https://example.org/{n}", id="same-guid",
              date=datetime(2026, 1, n, tzinfo=UTC))
        for n in range(1, 6)
    ]  # fmt: skip
    assert titles(select_entries(reused)) == [f"Post {n}" for n in range(5, 0, -1)]
    # the same item listed twice is still one item
    assert len(select_entries([*reused, reused[0]])) == 5


def test_a_link_shared_by_many_items_costs_linear_time():
    """Counting the links every item of a source shares was quadratic (10,000 items)."""
    import time

    from sphinxcontrib_feed.finish.select import merge_sources

    podcast = [
        Entry(title=f"Episode {n}", link="https://pod.example.org/", id=f"e{n}")
        for n in range(20_000)
    ]
    start = time.process_time()
    merged = merge_sources([podcast, podcast[:10]])
    assert time.process_time() - start < 5  # about 0.1 s; the quadratic count took minutes
    assert len(merged) == 20_000
