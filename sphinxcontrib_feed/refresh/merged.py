"""Sources that a directive merges: cut once all of them are at hand.

Which of a source's items a merging directive shows depends on the other
sources' items (the newest ten of all of them, each post once), so such a
source's new index is not cut as its answer arrives (:mod:`.update`) but
after every answer, by :func:`.shown.shown_feeds` over the indexes of every
source merged with it. A source merged with one that changed is cut again
too, from its index in the parsed cache: the items it must keep may have
changed with the others'. If that index is gone, its cut copy stands in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinxcontrib_feed.finish.need import Need
    from sphinxcontrib_feed.model import Feed
    from sphinxcontrib_feed.reading.records import SourceRecord
    from sphinxcontrib_feed.refresh.store import ParsedCache

__all__ = ["cut_merged", "merges"]


def merges(needs: frozenset[Need] | None) -> bool:
    """Whether a directive merges the source with these *needs* with others."""
    return any(need.merged for need in needs or ())


def cut_merged(
    states: dict[str, SourceRecord],
    uncut: Mapping[str, SourceRecord],
    needs: Mapping[str, frozenset[Need]],
    parsed: ParsedCache,
) -> None:
    """Store in *states* the *uncut* records, and those of every source merged with
    them, each cut to the items its directives show."""
    from sphinxcontrib_feed.finish.shown import shown_feeds  # here: a no-op cuts nothing

    records = dict(uncut)
    group, frontier = set(records), list(records)
    while frontier:  # every source merged with one of them, and so on
        for need in needs.get(frontier.pop(), ()):
            for key in set(need.merged) - group:
                group.add(key)
                frontier.append(key)
    indexes: dict[str, Feed] = {}
    for key in sorted(group):
        record = records.get(key) or states.get(key)
        if record is None or record.feed is None:
            continue  # nothing shown of it: the directive merges the others
        index = None if key in records or record.digest is None else parsed.get(record.digest)
        if index is not None:
            records[key] = replace(record, feed=index)
        indexes[key] = record.feed if index is None else index
    for key, feed in shown_feeds(indexes, needs, [k for k in records if k in indexes]).items():
        states[key] = replace(records[key], feed=feed, shown_for=needs.get(key, frozenset()))
