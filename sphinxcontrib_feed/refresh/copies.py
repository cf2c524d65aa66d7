"""Stored copies, and parsing a copy only once; all in the owning thread.

The last good copy (HTTP cache, then snapshot) when an answer is unusable,
and any copy as a feed index: the environment's, the parsed cache's, or the
parser's. :class:`.sources.Refresher` sets the attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.refresh.policy import Bad, Good
from sphinxcontrib_feed.refresh.store import parse_key

if TYPE_CHECKING:
    from sphinxcontrib_feed.errors import Failure
    from sphinxcontrib_feed.fetch.fetcher import Fetched
    from sphinxcontrib_feed.fetch.httpcache import HTTPCache
    from sphinxcontrib_feed.reading.records import SourceRecord
    from sphinxcontrib_feed.refresh.store import ParsedCache, Snapshots

logger = logging.getLogger(__name__)

UNEXPECTED = "the document could not be read as a feed (sphinx-build -vv shows the details)"


class StoredCopies:
    """Stored copies as results."""

    offline: bool
    revalidate: bool
    cache: HTTPCache
    snapshots: Snapshots | None
    parsed_cache: ParsedCache

    def fallback(self, url: str, cached: Fetched | None, failure: Failure,
                 record: SourceRecord) -> Bad | Good:  # fmt: skip
        """The last good copy, marked stale with *failure*; or just the failure.

        When neither the cache nor a snapshot has one, the result carries no
        copy and the record's own last good copy stays in place. Offline, a
        stored copy is simply the copy to show.
        """
        if cached is None:
            cached = self.cache.get(url)
        for copy in (cached, self._snapshot(url)):
            if copy is not None and (good := self.parsed(copy, record)) is not None:
                return good if self.offline else Bad(failure, good)
        return Bad(failure)

    def _snapshot(self, url: str) -> Fetched | None:
        if self.snapshots is None:
            return None
        try:
            return self.snapshots.read(url)
        except (OSError, ValueError):  # an unreadable snapshot is no snapshot
            return None

    def parsed(self, copy: Fetched, record: SourceRecord) -> Good | None:
        """*copy* as a feed index, or None if it is not one (a stored copy)."""
        try:
            return self.parsed_strictly(copy, record)
        except FeedParseError:
            return None

    def parsed_strictly(self, copy: Fetched, record: SourceRecord) -> Good:
        """*copy* as a feed index, parsing only what was never parsed before.

        The record's copy holds only the items shown; a builder that checks
        every source (``feed_revalidate``) reports on the whole index.
        """
        key = parse_key(copy.content, copy.url, copy.content_type)
        note = None
        if key == record.digest and record.feed is not None and not self.revalidate:
            feed = record.feed
        elif (stored := self.parsed_cache.get(key)) is not None:
            feed = stored
        else:
            try:
                from sphinxcontrib_feed.parse.document import parse_index  # new content only

                feed, note = parse_index(copy.content, copy.url, copy.content_type)
            except FeedParseError:
                raise
            # a parser bug must cost this copy, never the build: the details at -vv
            except Exception as error:
                logger.debug("parsing %s failed", copy.url, exc_info=True)
                raise FeedParseError(UNEXPECTED) from error
            self.parsed_cache.put(key, feed)
        return Good(feed, key, copy.checked_at, note=note)
