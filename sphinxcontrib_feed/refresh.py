"""After reading: fetch and parse every source in use, once, concurrently.

Connected to ``env-updated``, which runs once per build in the main process
after all documents are read (whichever of them were), and whose returned
docnames Sphinx writes again. Feed data lives in the environment, not in
doctrees, so a changed feed costs a rewrite of the pages that show it, never
a re-read; an unchanged one costs nothing.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxcontrib_feed.domain import SourceState, get_feed_domain
from sphinxcontrib_feed.fetch import Fetcher, FetchError
from sphinxcontrib_feed.locale import _
from sphinxcontrib_feed.model import Feed, FeedParseError, FeedSource
from sphinxcontrib_feed.parse import parse_feed

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one source's refresh produced; applied to the domain in the main thread."""

    digest: str | None = None
    #: None when ``digest`` is the one already stored: nothing was parsed.
    feed: Feed | None = None
    note: str | None = None
    error: str | None = None
    error_kind: str = "fetch"


def refresh_feeds(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Bring every source in use up to date; return the documents to rewrite."""
    domain = get_feed_domain(env)
    sources = domain.sources_in_use()
    domain.forget_unused(sources.keys())
    if not sources:
        return []
    before = {key: domain.state(key).signature() for key in sources}
    known_digests = {key: domain.state(key).digest for key in sources}
    fetcher = Fetcher(app.config, Path(app.srcdir), Path(app.confdir), Path(app.doctreedir))
    workers = min(app.config.feed_concurrency, len(sources))
    with fetcher, ThreadPoolExecutor(workers, thread_name_prefix="feed") as pool:
        futures: dict[Future[Outcome], FeedSource] = {
            pool.submit(_refresh_one, fetcher, source, known_digests[key]): source
            for key, source in sorted(sources.items())
        }
        for future in status_iterator(
            as_completed(futures),
            _("fetching feeds... "),
            "darkgreen",
            len(futures),
            app.verbosity,
            stringify_func=lambda done: futures[done].key,
        ):
            _apply(domain.state(futures[future].key), futures[future], future.result())
    changed = {key for key in sources if domain.state(key).signature() != before[key]}
    return sorted(domain.documents_using(changed))


def _refresh_one(fetcher: Fetcher, source: FeedSource, known_digest: str | None) -> Outcome:
    """Runs in a worker thread: touches no shared state, raises nothing."""
    try:
        fetched = fetcher.fetch(source)
    except FetchError as error:
        return Outcome(error=str(error))
    digest = hashlib.sha256(fetched.content).hexdigest()
    if digest == known_digest:
        return Outcome(digest=digest)
    try:
        feed, note = parse_feed(fetched.content, fetched.url, fetched.content_type)
    except FeedParseError as error:
        return Outcome(error=str(error), error_kind="parse")
    except Exception as error:  # a parser bug must not take the build down
        logger.debug("parsing %s failed", source.key, exc_info=True)
        return Outcome(error=f"cannot parse: {type(error).__name__}: {error}", error_kind="parse")
    return Outcome(digest=digest, feed=feed, note=note)


def _apply(state: SourceState, source: FeedSource, outcome: Outcome) -> None:
    if outcome.error is not None:
        logger.verbose("feed %s: %s", source.key, outcome.error)
        state.error, state.error_kind = outcome.error, outcome.error_kind
        return
    if outcome.note:
        logger.verbose("feed %s: %s", source.key, outcome.note)
    if outcome.feed is not None:
        state.feed, state.digest = outcome.feed, outcome.digest
    state.error = None
    state.fetched_at = datetime.now(UTC)
