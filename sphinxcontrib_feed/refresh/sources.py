"""The per-source policy of a refresh; its methods run in worker threads.

For each URL: a copy that is still fresh (see :mod:`.freshness`), by the
environment's facts or the HTTP cache's, is used without a request; within
``feed_backoff`` of a failed attempt no request is made either. Otherwise the
server is asked, conditionally. An answer becomes the good copy only once it
has parsed as a feed with items (where the last good copy had some); when
the server fails, answers with something else, or anything unexpected goes
wrong, the last good copy (environment, HTTP cache, then snapshot) is shown
and marked stale. An HTML page that advertises a feed is followed, one hop.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinx.util import logging

from sphinxcontrib_feed.errors import FetchError
from sphinxcontrib_feed.fetch.cachebackend import cache_location
from sphinxcontrib_feed.fetch.httpcache import HTTPCache
from sphinxcontrib_feed.freshness import (
    RETRY_HEADER,
    clamp_seconds,
    fresh_until,
    later,
    parse_time,
    publisher_hint,
)
from sphinxcontrib_feed.model import FeedParseError, HTMLPageError
from sphinxcontrib_feed.refresh.answers import Known, Outcome, bad_content, lost_items
from sphinxcontrib_feed.refresh.copies import UNEXPECTED, StoredCopies
from sphinxcontrib_feed.refresh.store import ParsedCache, Snapshots
from sphinxcontrib_feed.settings.config import host_allowed
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_feed.fetch.fetcher import Fetcher
    from sphinxcontrib_feed.model import FeedSource

logger = logging.getLogger(__name__)


class SourceRefresher(StoredCopies):
    """One build's refresh policy, shared by the worker threads."""

    def __init__(self, app: Sphinx, fetcher: Fetcher) -> None:
        settings = get_settings(app)
        self.fetcher = fetcher
        self.allowed_hosts = settings.allowed_hosts
        self.offline = settings.offline
        #: A builder that checks every source (feedcheck) sets ``feed_revalidate =
        #: True``: every URL is then asked, whatever its lifetime or back-off.
        self.revalidate = bool(getattr(app.builder, "feed_revalidate", False))
        self.default_lifetime = clamp_seconds(settings.expire)
        self.backoff = clamp_seconds(settings.backoff)
        self.parsed_cache = ParsedCache(Path(app.doctreedir) / "feed-parsed")
        folder = settings.snapshot_dir
        self.snapshots = Snapshots(Path(app.confdir) / folder) if folder else None
        location = cache_location(
            settings.cache_backend, settings.cache_path, Path(app.confdir), Path(app.doctreedir)
        )
        #: The cache file or folder is gone (``sphinx-feed cache clear``, a deleted
        #: build dir): the environment's freshness facts no longer stand for a copy.
        self.cache_gone = (
            settings.cache_backend in ("sqlite", "filesystem")
            and isinstance(location, Path)
            and not location.exists()
        )
        empty = self.cache_gone or settings.cache_backend == "memory"  # new to this process
        self.cache = HTTPCache(settings.cache_backend, location, settings.timeout, empty)
        self._snapshot_problems: list[str] = []
        self._lock = threading.Lock()

    def close(self) -> None:
        self.cache.close()

    def problems(self) -> list[str]:
        """What went wrong with the cache or the snapshots this build."""
        return [*self.cache.problems, *self._snapshot_problems]

    def refresh(self, source: FeedSource, known: Known) -> Outcome:
        if known.index_needed:
            known = self._with_index(known)
            if known.feed is not None:  # a failure below must not leave the cut copy in place
                outcome = self._refresh(source, known)
                if outcome.feed is None:
                    outcome = replace(outcome, feed=known.feed, digest=known.digest,
                                      checked_at=known.checked_at)  # fmt: skip
                return outcome
        return self._refresh(source, known)

    def _refresh(self, source: FeedSource, known: Known) -> Outcome:
        try:
            if source.path is not None:
                return self._from_file(source.path, known)
            assert source.url is not None
            return self._from_url(source.url, source.expire, known)
        except Exception:  # a bug must cost one feed's freshness, never its last good copy
            logger.debug("refreshing %s failed", source.key, exc_info=True)
            if source.url is None:
                return Outcome(error=UNEXPECTED)
            try:
                return self._fallback(source.url, None, UNEXPECTED, "fetch", known)
            except Exception:
                return Outcome(error=UNEXPECTED, failed_at=datetime.now(UTC))

    def _with_index(self, known: Known) -> Known:
        """*known* with its whole index in place of the environment's cut copy.

        From the parsed cache; if it is gone, the copy is read again as if
        the environment had none (the file, the HTTP cache, or the server).
        """
        index = self.parsed_cache.get(known.digest) if known.digest else None
        if index is None:
            return replace(known, feed=None, digest=None, index_needed=False)
        return replace(known, feed=index, index_needed=False)

    def _from_file(self, path: str, known: Known) -> Outcome:
        if (
            known.feed is not None
            and known.error is None
            and known.checked_at is not None
            and self.fetcher.file_modified(path) == known.checked_at
        ):  # unchanged since the environment's copy: not even read
            return Outcome(
                feed=known.feed, digest=known.digest, checked_at=known.checked_at, worked=False
            )
        try:
            copy = self.fetcher.read_file(path)
        except FetchError as error:
            return Outcome(error=str(error))
        if not copy.content.strip():
            return Outcome(error=f"feed file {path} is empty", error_kind="parse")
        try:
            return self._parsed(copy, known, strict=True)
        except FeedParseError as error:
            return Outcome(error=str(error), error_kind="parse")

    def _from_url(
        self, url: str, expire: float | None, known: Known, follow: bool = True
    ) -> Outcome:
        now = datetime.now(UTC)
        lifetime = self.default_lifetime if expire is None else clamp_seconds(expire)
        if (
            known.feed is not None
            and known.error is None
            and not self.cache_gone
            and self._usable(known.checked_at, lifetime, known.hint, known.retry_at)
        ):
            return Outcome(
                feed=known.feed, digest=known.digest, checked_at=known.checked_at,
                hint=known.hint, retry_at=known.retry_at, advice=known.advice, worked=False,
            )  # fmt: skip
        if known.failed_at is not None and not (self.offline or self.revalidate):
            retry = later(known.failed_at, self.backoff)
            if now < retry:
                reason = (known.error or "failed").split(" (no new attempt before", 1)[0]
                return Outcome(
                    error=f"{reason} (no new attempt before {retry:%H:%M:%S} UTC: feed_backoff; "
                    "-D feed_backoff=0 tries now)",
                    error_kind=known.error_kind, failed_at=known.failed_at, worked=False,
                )  # fmt: skip
        cached = self.cache.get(url)
        previous = known.feed
        if cached is not None:
            outcome = self._parsed(cached, known)
            if outcome.feed is not None:
                previous = previous or outcome.feed
                hint = publisher_hint(cached.headers, outcome.feed.update_interval)
                retry_after = parse_time(cached.headers.get(RETRY_HEADER))
                if self._usable(cached.checked_at, lifetime, hint, retry_after):
                    return replace(outcome, hint=hint, retry_at=retry_after)
        if self.offline:
            reason = "offline (feed_offline), and no cached copy or snapshot"
            return self._fallback(url, None, reason, "fetch", known)
        self.cache.warm_up()  # the answer is to be stored: import while the server thinks
        try:
            fresh = self.fetcher.download(url, cached)
        except FetchError as error:
            if error.retry_at is not None and cached is not None:
                self.cache.defer(cached, error.retry_at)
            return self._fallback(url, cached, str(error), "fetch", known, error.retry_at)
        if not fresh.content.strip():
            reason = "the server answered with an empty document"
            return self._fallback(url, cached, reason, "fetch", known)
        try:
            outcome = self._parsed(fresh, known, strict=True)
        except HTMLPageError as error:
            if follow and error.alternates:
                return self._follow(url, error.alternates[0], expire, known)
            reason = "the address is an HTML page, not a feed"
            if not error.alternates:
                reason += ", and the page names no feed"
            return self._fallback(url, cached, reason, "parse", known)
        except FeedParseError as error:
            return self._fallback(url, cached, str(error), "parse", known)
        assert outcome.feed is not None
        if problem := bad_content(fresh.content) or lost_items(outcome.feed, previous):
            return self._fallback(url, cached, problem, "fetch", known)
        self.cache.put(fresh)
        if self.snapshots is not None:
            try:
                self.snapshots.write(url, fresh)
            except OSError as error:
                with self._lock:
                    self._snapshot_problems.append(
                        f"cannot write a snapshot in {self.snapshots.folder} "
                        f"({error.strerror or error})"
                    )
        hint = publisher_hint(fresh.headers, outcome.feed.update_interval)
        revalidated = bool(getattr(fresh.response, "revalidated", False))  # a 304
        return replace(outcome, hint=hint, retry_at=None, not_modified=revalidated)

    def _usable(
        self, checked: datetime | None, lifetime: float, hint: float | None, retry: datetime | None
    ) -> bool:
        """Whether a copy may be used without a request (judged now: another build
        may have stored it a moment ago)."""
        if self.offline:
            return True
        return not self.revalidate and datetime.now(UTC) < fresh_until(
            checked, lifetime, hint, retry
        )

    def _follow(self, url: str, alternate: str, expire: float | None, known: Known) -> Outcome:
        """The feed an HTML page advertises (one hop, the same rules as any source)."""
        page = "the address is an HTML page"
        if urlsplit(alternate).scheme not in ("http", "https") or not host_allowed(
            alternate, self.allowed_hosts
        ):
            reason = f"{page}; the feed it advertises, {alternate}, is not an allowed source"
            return self._fallback(url, None, reason, "parse", known)
        outcome = self._from_url(alternate, expire, Known(feed=known.feed, digest=known.digest),
                                 follow=False)  # fmt: skip
        if outcome.feed is None or outcome.error is not None:
            reason = f"{page}; the feed it advertises, {alternate}, failed: {outcome.error}"
            return replace(outcome, error=reason, failed_at=outcome.failed_at or datetime.now(UTC))
        advice = f"{page}; it advertises {alternate}: use that URL in the directive"
        return replace(outcome, advice=advice)
