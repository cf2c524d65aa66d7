"""The parsed cache stores each index as its classes and field values.

A frozen dataclass with slots otherwise pickles through the ``__getstate__``
and ``__setstate__`` that :mod:`dataclasses` writes, a Python call per item
each way; stored as constructor and values, an index of 10,000 items is
written and read back in half the time (issue 20). What is read back must
be the same index, every field of every item, whichever way it was stored.
"""

from __future__ import annotations

import dataclasses
import pickle
import pickletools
from typing import TYPE_CHECKING

import pytest
from helpers import feed_bytes

from sphinxcontrib_feed.model import Enclosure, Entry, Feed
from sphinxcontrib_feed.parse.document import parse_index
from sphinxcontrib_feed.refresh.store import ParsedCache, dump_index

if TYPE_CHECKING:
    from pathlib import Path

FEEDS = ["kinds-podcast.rss", "mapping-relative.json", "releases.atom", "d2-unicode.rss"]


def fields_of(feed: Feed) -> list[tuple[object, ...]]:
    """Every field of *feed* and its items, ``compare=False`` ones included."""

    def values(obj: object) -> tuple[object, ...]:
        return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]

    return [values(feed), *(values(entry) for entry in feed.entries)]


@pytest.mark.parametrize("name", FEEDS)
def test_an_index_reads_back_whole(tmp_path: Path, name: str) -> None:
    index, _ = parse_index(feed_bytes(name), f"https://example.org/{name}")
    assert index.entries
    cache = ParsedCache(tmp_path)
    cache.put("key", index)
    stored = cache.get("key")
    assert stored == index
    assert stored is not None and fields_of(stored) == fields_of(index)
    assert any(entry.raw_summary for entry in stored.entries)  # unfinished, as parsed


def test_an_enclosure_reads_back_whole(tmp_path: Path) -> None:
    index, _ = parse_index(feed_bytes("kinds-podcast.rss"), "https://example.org/pod.rss")
    enclosures = [e for entry in index.entries for e in entry.enclosures]
    assert enclosures and all(isinstance(e, Enclosure) for e in enclosures)
    cache = ParsedCache(tmp_path)
    cache.put("key", index)
    stored = cache.get("key")
    assert stored is not None
    assert [e for entry in stored.entries for e in entry.enclosures] == enclosures


def test_the_model_is_stored_as_constructor_and_values() -> None:
    index, _ = parse_index(feed_bytes("kinds-podcast.rss"), "https://example.org/pod.rss")
    opcodes = {op.name for op, _, _ in pickletools.genops(dump_index(index))}
    assert "REDUCE" in opcodes
    assert "BUILD" not in opcodes  # no __setstate__ call per object


def test_an_index_pickled_the_default_way_still_reads(tmp_path: Path) -> None:
    """Files an earlier build of this version wrote (same key) stay readable."""
    index, _ = parse_index(feed_bytes("releases.atom"), "https://example.org/releases.atom")
    (tmp_path / "key.pickle").write_bytes(pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
    stored = ParsedCache(tmp_path).get("key")
    assert stored is not None and fields_of(stored) == fields_of(index)


def test_an_item_of_another_shape_is_a_miss(tmp_path: Path) -> None:
    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: object) -> object:
            if isinstance(obj, Entry):  # one field more than Entry takes
                return Entry, (*dataclasses.astuple(obj), "extra")
            return NotImplemented

    index = Feed(title="t", entries=(Entry(title="one"),))
    with (tmp_path / "key.pickle").open("wb") as file:
        Pickler(file, pickle.HIGHEST_PROTOCOL).dump(index)
    assert ParsedCache(tmp_path).get("key") is None
