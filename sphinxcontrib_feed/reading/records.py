"""What the build knows about each source: kept in the environment, packed.

Apart from :mod:`.domain`, which Sphinx loads with every environment: a
record's class, and the model's, are created only when the records are
read back (:mod:`.packed`), which a no-op build never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sphinxcontrib_feed.errors import Failure
from sphinxcontrib_feed.finish.need import Need
from sphinxcontrib_feed.model import Enclosure, Entry, Feed
from sphinxcontrib_feed.reading.packed import complete

__all__ = ["SourceRecord", "known_records"]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What the build knows about one source: one frozen value, replaced whole
    (:func:`dataclasses.replace`) by the refresh, read by the render stage."""

    #: The last good copy, cut to what the pages show; kept when a later fetch fails.
    feed: Feed | None = None
    #: The parse key of the bytes ``feed`` came from (see :func:`.store.parse_key`).
    digest: str | None = None
    #: When the server last confirmed ``feed`` (for a file: when it was modified).
    checked_at: datetime | None = None
    #: Freshness facts, so a build can tell "still fresh" without opening the
    #: HTTP cache: the publisher's longest lifetime hint (seconds) and the
    #: server's Retry-After.
    hint: float | None = None
    retry_at: datetime | None = None
    #: Why the latest attempt failed; None after a good one. With a ``feed``,
    #: that feed is a stale copy.
    failure: Failure | None = None
    #: A warning about a source that works (e.g. an HTML page that names its feed).
    advice: str | None = None
    #: What ``feed`` was cut to (see :func:`.shown.shown_feed`): it holds the
    #: items these needs show, finished, and nothing more.
    shown_for: frozenset[Need] = frozenset()

    def stands_for(self, wanted: frozenset[Need]) -> bool:
        """Whether a feed file's record needs nothing while the file is unchanged:
        a good copy, with its date, cut to show what *wanted* asks (or uncut)."""
        return (
            self.feed is not None and self.failure is None and self.checked_at is not None
            and (self.digest is None or wanted <= self.shown_for)
        )  # fmt: skip


def known_records(states: object) -> bool:
    """*states* are records of the shape this version writes."""
    if not isinstance(states, dict):
        return False
    for state in states.values():
        if not complete(state, SourceRecord):
            return False
        if state.failure is not None and not complete(state.failure, Failure):
            return False
        feed = state.feed
        if feed is None:
            continue
        if not complete(feed, Feed) or not isinstance(feed.entries, tuple):
            return False
        for entry in feed.entries:
            if not complete(entry, Entry):
                return False
            if not all(complete(e, Enclosure) for e in entry.enclosures):
                return False
    return True
