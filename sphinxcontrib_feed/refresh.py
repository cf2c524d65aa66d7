"""After reading: bring every source in use up to date, once, concurrently.

Connected to ``env-updated``, which runs once per build in the main process
after all documents are read (whichever of them were), and whose returned
docnames Sphinx writes again. Feed data lives in the environment, not in
doctrees, so a changed feed costs a rewrite of the pages that show it, never
a re-read; an unchanged one costs nothing.

For each URL: a stored copy that is still fresh (see :mod:`.freshness`) is
used without a request; otherwise the server is asked, conditionally. A
response is stored only once it has parsed as a feed; when the server fails,
or answers with something that is not a feed, the last good copy (HTTP cache,
then snapshot) is shown and marked stale.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxcontrib_feed.config import is_offline, parse_duration
from sphinxcontrib_feed.domain import SourceState, get_feed_domain
from sphinxcontrib_feed.fetch import Fetched, Fetcher, FetchError
from sphinxcontrib_feed.freshness import fresh_until
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.model import Feed, FeedParseError, FeedSource
from sphinxcontrib_feed.parse import parse_feed
from sphinxcontrib_feed.store import ParsedCache, Snapshots, digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one source's refresh produced; applied to the domain in the main thread."""

    feed: Feed | None = None
    digest: str | None = None
    checked_at: datetime | None = None
    #: Set with ``feed``: the feed shown is a stale copy, for this reason.
    error: str | None = None
    error_kind: str = "fetch"
    note: str | None = None
    #: The server answered 304: the stored copy is still current.
    not_modified: bool = False


@dataclass(frozen=True, slots=True)
class Known:
    """The environment's copy of a source, handed to a worker thread read-only."""

    digest: str | None
    feed: Feed | None


class SourceRefresher:
    """The per-source policy; its methods run in worker threads."""

    def __init__(self, app: Sphinx, fetcher: Fetcher, force: bool = False) -> None:
        config = app.config
        self.fetcher = fetcher
        #: Ask every server whatever the lifetimes say (the feedcheck builder).
        self.force = force
        self.offline = is_offline(config)
        self.default_lifetime = parse_duration(config.feed_expire)
        self.parsed_cache = ParsedCache(Path(app.doctreedir) / "feed-parsed")
        folder = config.feed_snapshot_dir
        self.snapshots = Snapshots(Path(app.confdir) / folder) if folder else None

    def refresh(self, source: FeedSource, known: Known) -> Outcome:
        try:
            if source.path is not None:
                return self._from_file(source.path, known)
            assert source.url is not None
            return self._from_url(source.url, source.expire, known)
        except Exception as error:  # a bug must cost one feed, not the build
            logger.debug("refreshing %s failed", source.key, exc_info=True)
            return Outcome(error=f"{type(error).__name__}: {error}")

    def _from_file(self, path: str, known: Known) -> Outcome:
        try:
            copy = self.fetcher.read_file(path)
        except FetchError as error:
            return Outcome(error=str(error))
        try:
            return self._parsed(copy, known, strict=True)
        except FeedParseError as error:
            return Outcome(error=str(error), error_kind="parse")

    def _from_url(self, url: str, expire: float | None, known: Known) -> Outcome:
        cached = self.fetcher.cached(url)
        if cached is not None:
            outcome = self._parsed(cached, known)
            if outcome.feed is not None and (
                self.offline
                or (not self.force and datetime.now(UTC)
                < fresh_until(cached, self.default_lifetime if expire is None else expire,
                              outcome.feed.update_interval))
            ):  # fmt: skip
                return outcome
        if self.offline:
            return self._fallback(
                url, None, "offline (feed_offline), and no cached copy or snapshot", "fetch", known
            )
        try:
            fresh = self.fetcher.download(url, cached)
        except FetchError as error:
            if error.retry_at is not None and cached is not None:
                self.fetcher.defer(cached, error.retry_at)
            return self._fallback(url, cached, str(error), "fetch", known)
        try:
            outcome = self._parsed(fresh, known, strict=True)
        except FeedParseError as error:
            return self._fallback(url, cached, str(error), "parse", known)
        self.fetcher.store(fresh)
        if self.snapshots is not None:
            self.snapshots.write(url, fresh)
        return replace(outcome, not_modified=getattr(fresh.response, "revalidated", False))

    def _fallback(
        self, url: str, cached: Fetched | None, reason: str, kind: str, known: Known
    ) -> Outcome:
        """The last good copy, marked stale with *reason*; or just the failure."""
        snapshot = self.snapshots.read(url) if self.snapshots is not None else None
        for copy in (cached, snapshot):
            if copy is None:
                continue
            outcome = self._parsed(copy, known)
            if outcome.feed is not None:
                if self.offline:  # offline is a choice, not a failure
                    return outcome
                return Outcome(
                    feed=outcome.feed,
                    digest=outcome.digest,
                    checked_at=outcome.checked_at,
                    error=reason,
                    error_kind=kind,
                )
        return Outcome(error=reason, error_kind=kind)

    def _parsed(self, copy: Fetched, known: Known, strict: bool = False) -> Outcome:
        """*copy* as a feed, parsing only content never seen before."""
        content_digest = digest(copy.content)
        if content_digest == known.digest and known.feed is not None:
            feed, note = known.feed, None
        elif (cached := self.parsed_cache.get(content_digest)) is not None:
            feed, note = cached, None
        else:
            try:
                feed, note = parse_feed(copy.content, copy.url, copy.content_type)
            except FeedParseError:
                if strict:
                    raise
                return Outcome()
            self.parsed_cache.put(content_digest, feed)
        return Outcome(feed=feed, digest=content_digest, checked_at=copy.checked_at, note=note)


def refresh_feeds(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Bring every source in use up to date; return the documents to rewrite."""
    domain = get_feed_domain(env)
    sources = domain.sources_in_use()
    domain.forget_unused(sources.keys())
    if not sources:
        return []
    before = {key: _signature(domain.state(key), source) for key, source in sources.items()}
    fetcher = Fetcher(app.config, Path(app.srcdir), Path(app.confdir), Path(app.doctreedir))
    refresher = SourceRefresher(app, fetcher, force=getattr(app.builder, "feed_revalidate", False))
    workers = min(app.config.feed_concurrency, len(sources))
    with fetcher, ThreadPoolExecutor(workers, thread_name_prefix="feed") as pool:
        futures: dict[Future[Outcome], FeedSource] = {}
        for key, source in sorted(sources.items()):
            state = domain.state(key)
            known = Known(state.digest, state.feed)
            futures[pool.submit(refresher.refresh, source, known)] = source
        for future in status_iterator(
            as_completed(futures),
            __("fetching feeds... "),
            "darkgreen",
            len(futures),
            app.verbosity,
            stringify_func=lambda done: futures[done].key,
        ):
            source = futures[future]
            _apply(domain.state(source.key), source, future.result())
            if note_outcome := getattr(app.builder, "note_feed_outcome", None):
                note_outcome(source, future.result())  # the feedcheck builder's report
    refresher.parsed_cache.prune()
    # failing sources are rewritten every build, so their warnings repeat
    # (and -W keeps failing) for as long as the problem lasts
    changed = {
        key
        for key, source in sources.items()
        if _signature(domain.state(key), source) != before[key] or domain.state(key).error
    }
    return sorted(domain.documents_using(changed))


def _signature(state: SourceState, source: FeedSource) -> tuple[object, ...]:
    """Equal signatures render equal pages."""
    checked_day = state.checked_at.date() if source.as_of and state.checked_at else None
    return state.digest, state.error, checked_day


def _apply(state: SourceState, source: FeedSource, outcome: Outcome) -> None:
    if outcome.note:
        logger.verbose("feed %s: %s", source.key, outcome.note)
    if outcome.error is not None:
        logger.verbose("feed %s: %s", source.key, outcome.error)
    if outcome.feed is not None:
        state.feed, state.digest, state.checked_at = (
            outcome.feed,
            outcome.digest,
            outcome.checked_at,
        )
    state.error, state.error_kind = outcome.error, outcome.error_kind
