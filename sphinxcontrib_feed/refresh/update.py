"""After reading: bring every source in use up to date, once, in one owning thread.

Connected to ``env-updated``, which runs once per build in the main process
after all documents are read (whichever of them were), and whose returned
docnames Sphinx writes again. Feed data lives in the environment, not in
doctrees, so a changed feed costs a rewrite of the pages that show it, never
a re-read; an unchanged one costs nothing.

This thread decides (:mod:`.policy`), reads files and caches, parses,
checks and stores; the pool's workers only make requests (:mod:`.fetch.pool`).
The environment holds each source's record, so a source that is still fresh
costs no I/O at all: no cache is opened and no HTTP code is imported. A new
index is cut to the items the directives show, finished (:mod:`.finish`);
when they ask for other items than the environment holds (an author raised
``:limit:``), the index is loaded from the parsed cache.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxcontrib_feed.errors import Failure, FetchError
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.refresh.outcomes import log_outcome, outcome, tally_words
from sphinxcontrib_feed.settings.resolved import get_settings
from sphinxcontrib_feed.text import printable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.feedsource import FeedSource
    from sphinxcontrib_feed.fetch.fetcher import Fetched
    from sphinxcontrib_feed.fetch.pool import FetchPool
    from sphinxcontrib_feed.finish.need import Need
    from sphinxcontrib_feed.reading.records import SourceRecord
    from sphinxcontrib_feed.refresh.policy import Result
    from sphinxcontrib_feed.refresh.sources import Refresher, Request

__all__ = ["refresh_all"]

logger = logging.getLogger(__name__)

#: A request out: the source's key, its working record, and the request.
Waiting = tuple[str, "SourceRecord", "Request"]

UNEXPECTED = "an unexpected problem while reading it (sphinx-build -vv shows the details)"


def refresh_all(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Bring every source in use up to date; return the documents to rewrite
    (unless nothing may have changed: :func:`.settled.refresh_feeds`)."""
    domain = get_feed_domain(env)
    sources = domain.sources_in_use()
    domain.forget_unused(sources.keys())
    if get_settings(app).snapshot_dir:  # for pruning snapshots outside a build
        from sphinxcontrib_feed.refresh.store import note_in_use

        note_in_use(Path(app.doctreedir), {s.url for s in sources.values() if s.url})
    if not sources:
        return []
    before = {key: domain.record(key) for key in sources}
    needs = domain.needs()
    if _files_unchanged(app, sources, before, needs):  # nothing to read: no cache, no pool
        logger.info(__("checking feeds: %s"), ", ".join(tally_words(Counter(fresh=len(sources)))))
        return _rewrite(env, sources, before)
    # imported here: a build with no source, or none changed, loads neither parsers,
    # fetch code nor the refresh policy
    from sphinxcontrib_feed.fetch.fetcher import Fetcher
    from sphinxcontrib_feed.fetch.pool import FetchPool
    from sphinxcontrib_feed.refresh.merged import cut_merged, merges
    from sphinxcontrib_feed.refresh.policy import Kept, apply
    from sphinxcontrib_feed.refresh.sources import Refresher

    settings = get_settings(app)
    fetcher = Fetcher(settings, Path(app.srcdir))
    refresher = Refresher(app, fetcher)
    pool = FetchPool(fetcher, settings.concurrency, settings.per_host)
    worked, stopped = False, True
    tally: Counter[str] = Counter()
    uncut: dict[str, SourceRecord] = {}
    try:
        ready, waiting = _start(refresher, pool, sources, before, needs)
        answers: Iterable[tuple[str, SourceRecord, Result]] = ready
        if waiting:  # a progress bar only while requests are out
            answers = chain(ready, status_iterator(
                _answers(refresher, pool, sources, waiting), __("fetching feeds... "),
                "darkgreen", len(waiting), app.verbosity,
                stringify_func=lambda done: printable(done[0]),
            ))  # fmt: skip
        requested = {key for key, *_ in waiting.values()}
        for key, working, result in answers:
            worked = worked or not isinstance(result, Kept)
            tally[outcome(result, key in requested)] += 1
            record = apply(_base(working, before[key], result), result)
            fresh_copy = record.feed is not None and record.feed is not before[key].feed
            if fresh_copy and merges(needs.get(key)):
                uncut[key] = record  # cut with the sources merged with it (below)
            else:
                record = _cut(record, before[key], needs.get(key, frozenset()))
            domain.states[key] = record
            log_outcome(key, result)
            if note_outcome := getattr(app.builder, "note_feed_outcome", None):
                note_outcome(sources[key], record, result)  # the feedcheck builder's report
        cut_merged(domain.states, uncut, needs, refresher.parsed_cache)
        stopped = False
    finally:  # on Ctrl-C or an error (stopped): queued requests are never made
        pool.close(stop=stopped)
        refresher.close()
    logger.info(__("checking feeds: %s"), ", ".join(tally_words(tally)))
    if problems := [
        *refresher.cache.problems,
        *refresher.problems,
        *refresher.parsed_cache.problems,
    ]:
        logger.warning(__("feed cache: %s"), "; ".join(problems), type="feed", subtype="cache")
    if worked:
        refresher.parsed_cache.prune()
    return _rewrite(env, sources, before)


def _rewrite(
    env: BuildEnvironment, sources: dict[str, FeedSource], before: dict[str, SourceRecord]
) -> list[str]:
    """The pages to write again: a changed source's, and a failing one's (its warnings repeat)."""
    domain = get_feed_domain(env)
    changed = {
        key
        for key, source in sources.items()
        if _signature(domain.record(key), source) != _signature(before[key], source)
        or domain.record(key).failure
        or domain.record(key).advice
    }
    rewrite = domain.documents_using(changed)
    if changed & domain.chrome.keys():  # the theme shows it on every page
        rewrite |= set(env.found_docs)
    return sorted(rewrite)


def _files_unchanged(
    app: Sphinx, sources: dict[str, FeedSource], before: dict[str, SourceRecord],
    needs: dict[str, frozenset[Need]],
) -> bool:  # fmt: skip
    """Whether every source is a file whose record stands (:meth:`.Refresher.from_file`,
    :func:`_working`), so nothing is opened or started. Not for feedcheck: it reports each."""
    paths = {key: source.path for key, source in sources.items() if source.path is not None}
    if len(paths) < len(sources) or getattr(app.builder, "note_feed_outcome", None):
        return False
    from sphinxcontrib_feed.fetch.files import file_modified

    srcdir = Path(app.srcdir)
    return all(
        (record := before[key]).stands_for(needs.get(key, frozenset()))
        and file_modified(srcdir, path) == record.checked_at
        for key, path in paths.items()
    )


def _start(
    refresher: Refresher, pool: FetchPool, sources: dict[str, FeedSource],
    before: dict[str, SourceRecord], needs: dict[str, frozenset[Need]],
) -> tuple[list[tuple[str, SourceRecord, Result]], dict[object, Waiting]]:  # fmt: skip
    """The results needing no request, and the requests sent for the others."""
    from sphinxcontrib_feed.refresh.policy import Bad, Good, Kept

    now = datetime.now(UTC)
    waiting: dict[object, Waiting] = {}
    done: list[tuple[str, SourceRecord, Result]] = []
    for key, source in sorted(sources.items()):
        working = _working(refresher, before[key], needs.get(key, frozenset()))
        step = _guarded(refresher, source, working, _begin, refresher, source, working, now)
        if isinstance(step, (Good, Bad, Kept)):
            done.append((key, working, step))
        else:
            waiting[pool.submit(step.url, step.validators(), step.origin)] = (key, working, step)
    return done, waiting


def _answers(
    refresher: Refresher, pool: FetchPool, sources: dict[str, FeedSource],
    waiting: dict[object, Waiting],
) -> Iterator[tuple[str, SourceRecord, Result]]:  # fmt: skip
    """Each requested source's result, as its answer arrives."""
    from sphinxcontrib_feed.refresh.meanwhile import meanwhile
    from sphinxcontrib_feed.refresh.policy import Bad, Good, Kept

    for future in pool.completed(meanwhile(refresher, [step for *_, step in waiting.values()])):
        key, working, request = waiting.pop(future)
        source = sources[key]
        try:
            answer: Fetched | FetchError = future.result()
        except FetchError as error:
            answer = error
        step = _guarded(refresher, source, working, refresher.finish, source, request, answer)
        if isinstance(step, (Good, Bad, Kept)):
            yield key, working, step
        else:
            waiting[pool.submit(step.url, step.validators(), step.origin)] = (key, working, step)


def _begin(
    refresher: Refresher, source: FeedSource, working: SourceRecord, now: datetime
) -> Result | Request:
    if source.path is not None:
        return refresher.from_file(source.path, working)
    return refresher.begin(source, working, now)


def _guarded(
    refresher: Refresher, source: FeedSource, working: SourceRecord,
    step: Callable[..., Result | Request], *args: Any,
) -> Result | Request:  # fmt: skip
    """*step*; if it fails unexpectedly, the last good copy, marked stale."""
    from sphinxcontrib_feed.refresh.policy import Bad

    failure = Failure("fetch", UNEXPECTED, None if source.url is None else datetime.now(UTC))
    attempts: list[Callable[[], Result | Request]] = [partial(step, *args)]
    if source.url is not None:
        attempts.append(partial(refresher.fallback, source.url, None, failure, working))
    for attempt in attempts:
        try:
            return attempt()
        # a bug must cost one feed's freshness, never its last good copy nor the build
        except Exception:
            logger.debug("refreshing %s failed", source.key, exc_info=True)
    return Bad(failure)


def _working(refresher: Refresher, record: SourceRecord, wanted: frozenset[Need]) -> SourceRecord:
    """*record* with its whole index, when the pages now ask for items it was not cut for.

    From the parsed cache; if it is gone, the copy is read again as if the
    environment had none (the file, the HTTP cache, or the server).
    """
    if record.digest is None or wanted <= record.shown_for:
        return record
    index = refresher.parsed_cache.get(record.digest)
    if index is None:
        return replace(record, feed=None, digest=None)
    return replace(record, feed=index)


def _base(working: SourceRecord, before: SourceRecord, result: Result) -> SourceRecord:
    """The record *result* applies to: the working one (with the whole index, or
    without the environment's copy when the index was gone), or, when the result
    brings no copy and the working record has none, the environment's."""
    from sphinxcontrib_feed.refresh.policy import Bad, Good

    brings_copy = isinstance(result, Good) or (isinstance(result, Bad) and result.copy)
    return working if brings_copy or working.feed is not None else before


def _cut(record: SourceRecord, before: SourceRecord, wanted: frozenset[Need]) -> SourceRecord:
    """*record* as the environment keeps it: a new index cut to what *wanted* shows."""
    if record.feed is None or record.feed is before.feed:
        return record
    from sphinxcontrib_feed.finish.shown import shown_feed

    return replace(record, feed=shown_feed(record.feed, wanted), shown_for=wanted)


def _signature(record: SourceRecord, source: FeedSource) -> tuple[object, ...]:
    """Equal signatures render equal pages."""
    checked_day = record.checked_at.date() if source.as_of and record.checked_at else None
    return record.digest, record.failure, checked_day, record.advice
