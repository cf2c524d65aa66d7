"""One source's refresh, in the thread that owns the build's refresh.

A file is read here. A URL goes through :func:`.policy.decide`: a fresh
copy (the environment's, then the HTTP cache's) is used without a request,
and within ``feed_backoff`` of a failure nothing is asked. Otherwise
:meth:`Refresher.begin` gives a :class:`Request` for the pool (:mod:`.fetch.pool`),
and :meth:`Refresher.finish` makes a result of its answer: an answer becomes
the good copy only once it has parsed as a feed with items (where the last
good copy had some); otherwise the last good copy (HTTP cache, snapshot,
then the environment's) is shown, stale. An HTML page that advertises a feed
is followed, one hop, as another request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinxcontrib_feed.errors import Failure, FetchError
from sphinxcontrib_feed.fetch.cachebackend import cache_location
from sphinxcontrib_feed.fetch.fetcher import Fetched, revalidated, validators
from sphinxcontrib_feed.fetch.httpcache import HTTPCache
from sphinxcontrib_feed.freshness import RETRY_HEADER, clamp_seconds, parse_time, publisher_hint
from sphinxcontrib_feed.model import Feed, FeedParseError, HTMLPageError
from sphinxcontrib_feed.reading.records import SourceRecord
from sphinxcontrib_feed.refresh.answers import bad_content, lost_items
from sphinxcontrib_feed.refresh.copies import StoredCopies
from sphinxcontrib_feed.refresh.policy import (
    Action,
    Bad,
    Good,
    Kept,
    Policy,
    Result,
    backing_off,
    decide,
    usable,
)
from sphinxcontrib_feed.refresh.store import ParsedCache, Snapshots
from sphinxcontrib_feed.settings.config import host_allowed
from sphinxcontrib_feed.settings.resolved import get_settings
from sphinxcontrib_feed.text import printable

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_feed.feedsource import FeedSource
    from sphinxcontrib_feed.fetch.fetcher import Fetcher

_PAGE = "the address is an HTML page"


@dataclass(frozen=True, slots=True)
class Request:
    """A request to make for a source, and what its answer is judged against."""

    url: str
    record: SourceRecord
    cached: Fetched | None
    #: The last good copy, which an answer with no items may not replace.
    previous: Feed | None
    lifetime: float
    #: Set for the feed an HTML page advertises: that page's URL.
    page: str | None = None
    #: ... and the public address that page came from, if it did (:mod:`.fetch.addresses`).
    origin: str | None = None

    def validators(self) -> dict[str, str]:
        return validators(self.cached)


class Refresher(StoredCopies):
    """One build's refresh policy, stores and caches; used by the owning thread only."""

    def __init__(self, app: Sphinx, fetcher: Fetcher) -> None:
        settings = get_settings(app)
        self.fetcher = fetcher
        self.allowed_hosts = settings.allowed_hosts
        self.offline = settings.offline
        #: The docs' language, whose date formats are loaded while answers are awaited.
        self.language = app.config.language or "en"
        #: A builder that checks every source (feedcheck) sets ``feed_revalidate =
        #: True``: every URL is then asked, whatever its lifetime or back-off.
        self.revalidate = bool(getattr(app.builder, "feed_revalidate", False))
        self.default_lifetime = clamp_seconds(settings.expire)
        self.parsed_cache = ParsedCache(Path(app.doctreedir) / "feed-parsed")
        folder = settings.snapshot_dir
        self.snapshots = Snapshots(Path(app.confdir) / folder) if folder else None
        location = cache_location(
            settings.cache_backend, settings.cache_path, Path(app.confdir), Path(app.doctreedir)
        )
        #: The cache file or folder is gone (``sphinx-feed cache clear``, a deleted
        #: build dir): the environment's freshness facts no longer stand for a copy.
        cache_gone = (
            settings.cache_backend in ("sqlite", "filesystem")
            and isinstance(location, Path)
            and not location.exists()
        )
        self.policy = Policy(
            clamp_seconds(settings.backoff), self.offline, self.revalidate, cache_gone
        )
        empty = cache_gone or settings.cache_backend == "memory"  # new to this process
        self.cache = HTTPCache(settings.cache_backend, location, settings.timeout, empty)
        self.problems: list[str] = []

    def close(self) -> None:
        self.cache.close()

    # -- files ---------------------------------------------------------------------

    def from_file(self, path: str, record: SourceRecord) -> Result:
        if (
            record.feed is not None
            and record.failure is None
            and record.checked_at is not None
            and self.fetcher.file_modified(path) == record.checked_at
        ):  # unchanged since the environment's copy: not even read
            return Kept()
        try:
            copy = self.fetcher.read_file(path)
        except FetchError as error:
            return Bad(Failure("fetch", str(error)))
        if not copy.content.strip():
            return Bad(Failure("parse", f"feed file {path} is empty"))
        try:
            return self.parsed_strictly(copy, record)
        except FeedParseError as error:
            return Bad(Failure("parse", str(error)))

    # -- URLs ------------------------------------------------------------------------

    def begin(self, source: FeedSource, record: SourceRecord, now: datetime, url: str | None = None,
              page: str | None = None, origin: str | None = None) -> Result | Request:  # fmt: skip
        """A result without a request, or the request to make."""
        url = url or source.url
        assert url is not None
        lifetime = self.default_lifetime if source.expire is None else clamp_seconds(source.expire)
        action = decide(record, lifetime, now, self.policy)
        if action is Action.USE:
            return Kept()
        if action is Action.BACK_OFF:
            assert record.failure is not None
            return Kept(backing_off(record.failure, self.policy.backoff))
        cached = self.cache.get(url)
        previous = record.feed
        if cached is not None and (good := self.parsed(cached, record)) is not None:
            previous = previous or good.index
            hint = publisher_hint(cached.headers, good.index.update_interval)
            retry_after = parse_time(cached.headers.get(RETRY_HEADER))
            # judged now: another build may have stored it a moment ago
            if usable(self.policy, datetime.now(UTC), good.checked_at, lifetime, hint, retry_after):
                return replace(good, hint=hint, retry_at=retry_after)
        if self.offline:
            reason = "offline (feed_offline), and no cached copy or snapshot"
            return self.fallback(url, None, Failure("fetch", reason), record)
        return Request(url, record, cached, previous, lifetime, page, origin)

    def finish(self, source: FeedSource, request: Request,
               answer: Fetched | FetchError) -> Result | Request:  # fmt: skip
        """What *answer* to *request* makes: a result, or the request a page leads to."""
        result = self._judge(source, request, answer)
        if request.page is None or isinstance(result, Request):
            return result
        return _hop(request.page, request.url, result)

    def _judge(self, source: FeedSource, request: Request,
               answer: Fetched | FetchError) -> Result | Request:  # fmt: skip
        url, cached, record = request.url, request.cached, request.record
        now = datetime.now(UTC)
        if isinstance(answer, FetchError):
            if answer.retry_at is not None and cached is not None:
                self.cache.defer(cached, answer.retry_at)
            failure = Failure("fetch", str(answer), now, answer.retry_at)
            return self.fallback(url, cached, failure, record)
        not_modified = answer.status == 304 and cached is not None
        fresh = revalidated(cached, answer) if not_modified and cached else answer
        if not fresh.content.strip():
            failure = Failure("fetch", "the server answered with an empty document", now)
            return self.fallback(url, cached, failure, record)
        try:
            good = self.parsed_strictly(fresh, record)
        except HTMLPageError as error:
            if request.page is None and error.alternates:
                hop = (error.alternates[0], fresh.origin)
                return self._follow(source, url, hop, record, now)
            reason = "the address is an HTML page, not a feed"
            if not error.alternates:
                reason += ", and the page names no feed"
            return self.fallback(url, cached, Failure("parse", reason, now), record)
        except FeedParseError as error:
            return self.fallback(url, cached, Failure("parse", str(error), now), record)
        if problem := bad_content(fresh.content) or lost_items(good.index, request.previous):
            return self.fallback(url, cached, Failure("fetch", problem, now), record)
        self.cache.put(fresh)
        if self.snapshots is not None:
            try:
                self.snapshots.write(url, fresh)
            except OSError as error:
                self.problems.append(
                    f"cannot write a snapshot in {self.snapshots.folder} "
                    f"({error.strerror or error})"
                )
        hint = publisher_hint(fresh.headers, good.index.update_interval)
        return replace(good, hint=hint, retry_at=None, not_modified=not_modified)

    def _follow(self, source: FeedSource, page: str, hop: tuple[str, str | None],
                record: SourceRecord, now: datetime) -> Result | Request:  # fmt: skip
        """The feed an HTML page advertises (one hop, the same rules as any source,
        and not from a public address to a private one: *hop* is the URL and the
        public address the page came from)."""
        alternate, origin = hop
        if urlsplit(alternate).scheme not in ("http", "https") or not host_allowed(
            alternate, self.allowed_hosts
        ):
            reason = f"{_PAGE}; the feed it advertises, {alternate}, is not an allowed source"
            return self.fallback(page, None, Failure("parse", reason, now), record)
        working = SourceRecord(feed=record.feed, digest=record.digest)
        step = self.begin(source, working, now, url=alternate, page=page, origin=origin)
        return step if isinstance(step, Request) else _hop(page, alternate, step)


def _hop(page: str, feed_url: str, result: Result) -> Result:
    """*result* for the feed *page* advertises, as the page's own."""
    if isinstance(result, Good):
        advice = f"{_PAGE}; it advertises {printable(feed_url)}: use that URL in the directive"
        return replace(result, advice=advice)
    failure = result.failure
    copy = result.copy if isinstance(result, Bad) else None
    reason = f"{_PAGE}; the feed it advertises, {feed_url}, failed: "
    reason += failure.message if failure is not None else "no copy"
    at = failure.at if failure is not None and failure.at else datetime.now(UTC)
    return Bad(Failure(failure.kind if failure else "fetch", reason, at), copy)
