"""The copies a refresh falls back on, and parsing a copy only once.

The part of :class:`.sources.SourceRefresher` that reads what is stored: the
last good copy (HTTP cache, then snapshot) when an answer is unusable, and any
copy as a feed index, from the environment's, the parsed cache or the parser.
Its methods run in worker threads, like the refresher's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse.document import parse_index
from sphinxcontrib_feed.refresh.answers import Known, Outcome
from sphinxcontrib_feed.refresh.store import parse_key

if TYPE_CHECKING:
    from sphinxcontrib_feed.fetch.fetcher import Fetched
    from sphinxcontrib_feed.fetch.httpcache import HTTPCache
    from sphinxcontrib_feed.refresh.store import ParsedCache, Snapshots

logger = logging.getLogger(__name__)

UNEXPECTED = "an unexpected problem while reading it (sphinx-build -vv shows the details)"


class StoredCopies:
    """Stored copies as outcomes; :class:`.sources.SourceRefresher` sets the attributes."""

    offline: bool
    revalidate: bool
    cache: HTTPCache
    snapshots: Snapshots | None
    parsed_cache: ParsedCache

    def _fallback(
        self,
        url: str,
        cached: Fetched | None,
        reason: str,
        kind: str,
        known: Known,
        retry_at: datetime | None = None,
    ) -> Outcome:
        """The last good copy, marked stale with *reason*; or just the failure.

        When neither the cache nor a snapshot has one, the outcome carries no
        feed and the environment's own last good copy stays in place.
        """
        failed_at = None if self.offline else datetime.now(UTC)  # offline is a choice
        if cached is None:
            cached = self.cache.get(url)
        snapshot = None
        if self.snapshots is not None:
            try:
                snapshot = self.snapshots.read(url)
            except Exception:  # an unreadable snapshot is no snapshot
                snapshot = None
        for copy in (cached, snapshot):
            if copy is None:
                continue
            outcome = self._parsed(copy, known)
            if outcome.feed is not None:
                if self.offline:
                    return outcome
                return replace(
                    outcome, error=reason, error_kind=kind, failed_at=failed_at, retry_at=retry_at
                )
        return Outcome(error=reason, error_kind=kind, failed_at=failed_at, retry_at=retry_at)

    def _parsed(self, copy: Fetched, known: Known, strict: bool = False) -> Outcome:
        """*copy* as a feed index, parsing only what was never parsed before.

        The environment's copy holds only the items shown; a builder that
        checks every source (``feed_revalidate``) reports on the whole index.
        """
        key = parse_key(copy.content, copy.url, copy.content_type)
        if key == known.digest and known.feed is not None and not self.revalidate:
            feed, note = known.feed, None
        elif (cached := self.parsed_cache.get(key)) is not None:
            feed, note = cached, None
        else:
            try:
                feed, note = parse_index(copy.content, copy.url, copy.content_type)
            except FeedParseError:
                if strict:
                    raise
                return Outcome()
            except Exception as error:
                logger.debug("parsing %s failed", copy.url, exc_info=True)
                if strict:
                    raise FeedParseError(
                        "the document could not be read as a feed "
                        "(sphinx-build -vv shows the details)"
                    ) from error
                return Outcome()
            self.parsed_cache.put(key, feed)
        return Outcome(feed=feed, digest=key, checked_at=copy.checked_at, note=note)
