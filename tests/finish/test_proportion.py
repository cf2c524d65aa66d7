"""Work in proportion to what is shown: items no page shows are never finished,
and the environment holds only the items its directives show."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, stored_records

import sphinxcontrib_feed.finish.shown as finish_module
from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.finish.shown import Need, finish, shown_feed
from sphinxcontrib_feed.parse.document import parse_feed, parse_index

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Project

ITEMS = 30
SPECIAL = 25  # beyond any small :limit:, and the only item that says "special"


def rss(items: int = ITEMS) -> bytes:
    parts = []
    for n in range(items):
        word = "special" if n == SPECIAL else "ordinary"
        parts.append(
            f"<item><title>Item {n}</title><link>https://example.org/p/{n}</link>"
            f"<guid>https://example.org/p/{n}</guid>"
            f"<pubDate>Thu, {1 + n % 28:02d} Jan 2026 {n % 24:02d}:00:00 GMT</pubDate>"
            f"<description>&lt;p&gt;Body {n}, {word}. "
            f"&lt;img src='/i/{n}.png'&gt;&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://example.org/</link>{''.join(parts)}</channel></rss>"
    ).encode()


def newest_first() -> list[str]:
    index, _ = parse_index(rss(), "https://example.org/feed.xml")
    dated = sorted(index.entries, key=lambda e: e.date.timestamp() if e.date else 0, reverse=True)
    return [entry.title for entry in dated]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every fragment :mod:`.finish` sanitizes."""
    seen: list[str] = []
    original = finish_module.clean_html

    def counting(fragment: str, base: str | None = None) -> str:
        seen.append(fragment)
        return original(fragment, base)

    monkeypatch.setattr(finish_module, "clean_html", counting)
    return seen


def write(project: Project, body: str) -> None:
    (project.srcdir / "feed.xml").write_bytes(rss())
    (project.srcdir / "news.rst").write_text(f"News\n====\n\n{body}\n", encoding="utf-8")


def stored_titles(project: Project) -> list[str]:
    """The items the pickled environment holds for the feed file."""
    feed = stored_records(project.srcdir / "_build" / "doctrees")["/feed.xml"].feed
    assert all(not entry.raw_summary for entry in feed.entries)  # finished, every one
    return [entry.title for entry in feed.entries]


def shown(project: Project) -> list[list[str]]:
    feeds, _notes = feeds_in(project.output("news.html"))
    return [[item.title for item in items] for items in feeds]


def test_the_index_leaves_summaries_unsanitized_and_finish_matches_a_full_parse() -> None:
    index, _ = parse_index(rss(), "https://example.org/feed.xml")
    full, _ = parse_feed(rss(), "https://example.org/feed.xml")
    assert all(entry.raw_summary and not entry.summary_html for entry in index.entries)
    finished = [finish(entry) for entry in index.entries]
    assert [e.summary_html for e in finished] == [e.summary_html for e in full.entries]
    assert [e.summary_text for e in finished] == [e.summary_text for e in full.entries]
    assert full.entries[3].image == "https://example.org/i/3.png"  # the fallback, when finished
    assert 'src="https://example.org/i/3.png"' in full.entries[3].summary_html


def test_items_past_the_limit_are_never_sanitized(counted: list[str]) -> None:
    index, _ = parse_index(rss(), "https://example.org/feed.xml")
    cut = shown_feed(index, [Need(Selection(limit=3))])
    assert [entry.title for entry in cut.entries] == sorted(newest_first()[:3], key=_position)
    assert len(counted) == 3


def test_a_filter_finishes_items_only_until_the_limit_is_reached(counted: list[str]) -> None:
    index, _ = parse_index(rss(), "https://example.org/feed.xml")
    cut = shown_feed(index, [Need(Selection(limit=1, filter="body", sort="source"))])
    assert [entry.title for entry in cut.entries] == ["Item 0"]
    assert len(counted) == 1


def test_a_merging_need_alone_keeps_what_the_merge_shows_of_this_source() -> None:
    index, _ = parse_index(rss(), "https://example.org/feed.xml")
    cut = shown_feed(index, [Need(Selection(limit=2), merged=("", "other"))])
    assert [entry.title for entry in cut.entries] == sorted(newest_first()[:2], key=_position)


def _position(title: str) -> int:
    return int(title.split()[1])


def test_the_environment_holds_the_union_of_what_directives_show(
    project: Callable[..., Project],
) -> None:
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 2\n\n.. feed:: /feed.xml\n   :filter: special\n")
    docs.build()
    newest = newest_first()
    assert shown(docs) == [newest[:2], [f"Item {SPECIAL}"]]  # the filter sees past the limit
    expected = sorted({*newest[:2], f"Item {SPECIAL}"}, key=_position)
    assert stored_titles(docs) == expected


def test_raising_the_limit_on_an_unchanged_feed_shows_the_new_items(
    project: Callable[..., Project],
) -> None:
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 2\n")
    docs.build()
    newest = newest_first()
    assert shown(docs) == [newest[:2]] and len(stored_titles(docs)) == 2
    write(docs, ".. feed:: /feed.xml\n   :limit: 5\n   :sort: source\n   :reverse:\n")
    docs.build()
    assert shown(docs) == [[f"Item {n}" for n in range(ITEMS - 1, ITEMS - 6, -1)]]
    assert len(stored_titles(docs)) == 5


def test_without_the_parsed_cache_a_new_selection_reads_the_feed_again(
    project: Callable[..., Project],
) -> None:
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 1\n")
    docs.build()
    shutil.rmtree(docs.srcdir / "_build" / "doctrees" / "feed-parsed")
    write(docs, ".. feed:: /feed.xml\n   :limit: 4\n")
    docs.build()
    assert shown(docs) == [newest_first()[:4]]


def test_a_no_op_build_keeps_the_cut_copy(project: Callable[..., Project]) -> None:
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 3\n")
    docs.build()
    before = stored_titles(docs)
    docs.build()
    assert stored_titles(docs) == before and len(before) == 3


def test_a_failing_source_shows_a_new_selection_from_its_last_good_copy(
    project: Callable[..., Project],
) -> None:
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 1\n")
    docs.build()
    write(docs, ".. feed:: /feed.xml\n   :limit: 3\n")
    (docs.srcdir / "feed.xml").write_bytes(b"<html><body>gone</body></html>")
    docs.build()
    assert shown(docs) == [newest_first()[:3]]
    assert "showing the last good copy" in docs.last_warnings


def test_a_no_op_build_never_loads_the_index(
    project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sphinxcontrib_feed.refresh.store as store

    loads: list[str] = []
    original = store.ParsedCache.get

    def counting(self: store.ParsedCache, key: str) -> object:
        loads.append(key)
        return original(self, key)

    monkeypatch.setattr(store.ParsedCache, "get", counting)
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 3\n")
    docs.build()
    loads.clear()
    docs.build()
    assert loads == []
    write(docs, ".. feed:: /feed.xml\n   :limit: 6\n")  # a new selection: now it is loaded
    docs.build()
    assert len(loads) == 1 and shown(docs) == [newest_first()[:6]]


def test_selections_read_in_parallel_are_merged(project: Callable[..., Project]) -> None:
    docs = project("proportion")
    write(docs, ".. feed:: /feed.xml\n   :limit: 1\n   :sort: source\n")
    pages = [f"p{n}" for n in range(2, 9)]
    for n, page in enumerate(pages, start=2):
        text = f"{page}\n==\n\n.. feed:: /feed.xml\n   :limit: {n}\n   :sort: source\n"
        (docs.srcdir / f"{page}.rst").write_text(text, encoding="utf-8")
    toctree = "\n".join(f"   {page}" for page in ["news", *pages])
    (docs.srcdir / "index.rst").write_text(f"P\n=\n\n.. toctree::\n\n{toctree}\n")
    docs.build(parallel=2)
    assert stored_titles(docs) == [f"Item {n}" for n in range(8)]
    feeds, _ = feeds_in(docs.output("p8.html"))
    assert [item.title for item in feeds[0]] == [f"Item {n}" for n in range(8)]
