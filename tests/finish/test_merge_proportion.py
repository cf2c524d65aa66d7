"""A directive that merges sources finishes and keeps only the items it shows.

Which items of one source a merge shows depends on the other sources, so the
selection is made over all their indexes (:func:`.shown.shown_feeds`); what
the environment keeps must give the page the same items as the whole
indexes would, whatever the selection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, stored_records

import sphinxcontrib_feed.finish.shown as finish_module
from sphinxcontrib_feed.finish.select import merge_sources, select_entries
from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.finish.shown import Need, finish_feed, shown_feeds
from sphinxcontrib_feed.parse.document import parse_index

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Project

    from sphinxcontrib_feed.model import Feed

SOURCES = ("a", "b", "c")


def rss(source: str, items: int = 12, shift: int = 0, shared: int = 3) -> bytes:
    """*items* posts of site *source*, an hour apart (offset by *shift*); the first
    *shared* posts are the same in every source (one guid)."""
    parts = []
    for n in range(items):
        guid = f"https://shared.example/{n}" if n < shared else f"https://{source}.example/{n}"
        word = "special" if n % 5 == 0 else "plain"
        hour = (n * 3 + shift) % 24
        parts.append(
            f"<item><title>{source} {n}</title><link>{guid}</link><guid>{guid}</guid>"
            f"<pubDate>Thu, {1 + n:02d} Jan 2026 {hour:02d}:00:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{source} body {n} {word}&lt;/p&gt;</description></item>"
        )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{source}</title>'
        f"<link>https://{source}.example/</link>{''.join(parts)}</channel></rss>"
    ).encode()


def indexes() -> dict[str, Feed]:
    return {
        key: parse_index(rss(key, shift=n), f"https://{key}.example/feed.xml")[0]
        for n, key in enumerate(SOURCES)
    }


SELECTIONS = [
    Selection(limit=4),
    Selection(limit=3, filter="special"),
    Selection(limit=5, exclude="special", sort="source"),
    Selection(limit=2, sort="source", reverse=True),
    Selection(limit=0),
    Selection(limit=3, since=10 * 365 * 86400.0),
]


@pytest.mark.parametrize("selection", SELECTIONS, ids=repr)
def test_the_cut_copies_show_what_the_whole_indexes_show(selection: Selection) -> None:
    whole = indexes()
    needs = {key: frozenset({Need(selection, SOURCES)}) for key in SOURCES}
    cut = shown_feeds(whole, needs, SOURCES)

    def titles(feeds: dict[str, Feed]) -> list[str]:
        merged = merge_sources(feeds[key].entries for key in SOURCES)
        return [entry.title for entry in select_entries(merged, selection)]

    expected = titles({key: finish_feed(feed) for key, feed in whole.items()})
    assert expected  # the selection shows something
    assert titles(cut) == expected
    if selection.limit and selection.since is None:
        assert sum(len(feed.entries) for feed in cut.values()) == len(expected)


def test_a_merge_of_three_finishes_only_the_items_it_shows(monkeypatch: pytest.MonkeyPatch):
    seen: list[str] = []
    original = finish_module.clean_html

    def counting(text: str, base: str | None = None) -> str:
        seen.append(text)
        return original(text, base)

    monkeypatch.setattr(finish_module, "clean_html", counting)
    whole = indexes()
    needs = {key: frozenset({Need(Selection(limit=4), SOURCES)}) for key in SOURCES}
    cut = shown_feeds(whole, needs, SOURCES)
    assert sum(len(feed.entries) for feed in cut.values()) == 4
    assert len(seen) == 4
    assert all(feed.item_count == 12 for feed in cut.values())


def test_only_the_feeds_an_item_is_shown_from_are_searched_for_furniture(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A feed's repeated pictures are worked out for the feeds an item is finished from."""
    searched: list[int] = []
    original = finish_module.repeated_pictures

    def counting(entries: tuple[object, ...]) -> frozenset[str]:
        searched.append(len(entries))
        return original(entries)  # type: ignore[arg-type]

    monkeypatch.setattr(finish_module, "repeated_pictures", counting)
    whole = indexes()
    needs = {key: frozenset({Need(Selection(limit=1), SOURCES)}) for key in SOURCES}
    cut = shown_feeds(whole, needs, SOURCES)
    assert sum(len(feed.entries) for feed in cut.values()) == 1
    assert searched == [12]  # one feed of three


def test_the_same_post_in_two_sources_is_kept_once_from_the_first() -> None:
    whole = indexes()
    needs = {key: frozenset({Need(Selection(sort="source"), SOURCES)}) for key in SOURCES}
    cut = shown_feeds(whole, needs, SOURCES)
    assert [e.title for e in cut["a"].entries][:3] == ["a 0", "a 1", "a 2"]
    assert "b 0" not in [e.title for e in cut["b"].entries]


# ---- in a build ---------------------------------------------------------------


def _write(docs: Project, body: str, shift_b: int = 1, items_b: int = 12) -> None:
    (docs.srcdir / "a.xml").write_bytes(rss("a"))
    (docs.srcdir / "b.xml").write_bytes(rss("b", items=items_b, shift=shift_b))
    (docs.srcdir / "news.rst").write_text(f"News\n====\n\n{body}\n", encoding="utf-8")


def _stored(docs: Project) -> dict[str, list[str]]:
    states = stored_records(docs.srcdir / "_build" / "doctrees")
    return {key: [e.title for e in states[key].feed.entries] for key in ("/a.xml", "/b.xml")}


def _expected(limit: int, shift_b: int = 1, items_b: int = 12) -> list[str]:
    a = parse_index(rss("a"), "https://a.example/")[0]
    b = parse_index(rss("b", items=items_b, shift=shift_b), "https://b.example/")[0]
    merged = merge_sources([a.entries, b.entries])
    return [e.title for e in select_entries(merged, Selection(limit))]


def _shown(docs: Project) -> list[list[str]]:
    feeds, _ = feeds_in(docs.output("news.html"))
    return [[item.title for item in items] for items in feeds]


def test_a_merging_directive_keeps_only_what_it_shows(project: Callable[..., Project]) -> None:
    docs = project("proportion")
    _write(docs, ".. feed:: /a.xml /b.xml\n   :limit: 3\n")
    docs.build()
    assert _shown(docs) == [_expected(3)]
    assert sum(len(titles) for titles in _stored(docs).values()) == 3
    docs.build()  # a no-op keeps it
    assert _shown(docs) == [_expected(3)]
    _write(docs, ".. feed:: /a.xml /b.xml\n   :limit: 7\n")  # reselected from the parsed cache
    docs.build()
    assert _shown(docs) == [_expected(7)]
    assert sum(len(titles) for titles in _stored(docs).values()) == 7


def test_when_one_merged_source_changes_the_other_is_cut_again(
    project: Callable[..., Project],
) -> None:
    docs = project("proportion")
    _write(docs, ".. feed:: /a.xml /b.xml\n   :limit: 4\n")
    docs.build()
    assert _shown(docs) == [_expected(4)]
    # b loses its newest posts: a's older ones move up into the limit, a is unchanged
    _write(docs, ".. feed:: /a.xml /b.xml\n   :limit: 4\n", items_b=4)
    docs.build()
    assert _shown(docs) == [_expected(4, items_b=4)]
    assert sum(len(titles) for titles in _stored(docs).values()) == 4


def test_a_merge_of_many_files_stores_each_index_once_and_keeps_what_it_shows(
    project: Callable[..., Project],
) -> None:
    """Issue 20: one parsed-cache file per source, holding its whole index (read
    back as parsed), and only the items shown in the environment."""
    from sphinxcontrib_feed.refresh.store import ParsedCache

    names = [f"s{n}" for n in range(12)]
    docs = project("proportion")
    for n, name in enumerate(names):
        (docs.srcdir / f"{name}.xml").write_bytes(rss(name, shift=n))
    paths = " ".join(f"/{name}.xml" for name in names)
    (docs.srcdir / "news.rst").write_text(f"News\n====\n\n.. feed:: {paths}\n   :limit: 5\n")
    docs.build()
    indexes = [parse_index(rss(name, shift=n), "https://x.example/")[0]
               for n, name in enumerate(names)]  # fmt: skip
    merged = merge_sources(index.entries for index in indexes)
    expected = [e.title for e in select_entries(merged, Selection(5))]
    assert _shown(docs) == [expected]
    states = stored_records(docs.srcdir / "_build" / "doctrees")
    assert sum(len(states[f"/{name}.xml"].feed.entries) for name in names) == 5
    folder = docs.srcdir / "_build" / "doctrees" / "feed-parsed"
    assert len(list(folder.glob("*.pickle"))) == len(names)
    cache = ParsedCache(folder)
    for name, index in zip(names, indexes, strict=True):
        stored = cache.get(states[f"/{name}.xml"].digest)
        assert stored is not None and len(stored.entries) == len(index.entries) == 12
        assert [e.title for e in stored.entries] == [e.title for e in index.entries]
        assert all(entry.raw_summary for entry in stored.entries)  # the index, unfinished
