"""After reading: bring every source in use up to date, once, concurrently.

Connected to ``env-updated``, which runs once per build in the main process
after all documents are read (whichever of them were), and whose returned
docnames Sphinx writes again. Feed data lives in the environment, not in
doctrees, so a changed feed costs a rewrite of the pages that show it, never
a re-read; an unchanged one costs nothing.

The environment also holds each source's freshness facts, so a source that
is still fresh costs no I/O at all: no cache is opened and no HTTP code is
imported. Otherwise the per-source policy of :mod:`.sources` runs in a pool
of threads, most often started already while Sphinx read the pages
(:mod:`.prefetch`). What it yields is a source's index (every item, unfinished);
only the items the directives show are kept, finished (:mod:`.finish`).
When the directives ask for other items than the environment holds (an
author raised ``:limit:``), the index is loaded from the parsed cache.
"""

from __future__ import annotations

from concurrent.futures import Future, as_completed
from dataclasses import replace
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxcontrib_feed.finish.shown import shown_feed
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.directive import SOURCES_READ
from sphinxcontrib_feed.reading.domain import SourceState, get_feed_domain
from sphinxcontrib_feed.refresh import prefetch
from sphinxcontrib_feed.refresh.answers import Known, Outcome
from sphinxcontrib_feed.refresh.prefetch import take

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.finish.shown import Need
    from sphinxcontrib_feed.model import FeedSource

__all__ = ["Known", "Outcome", "refresh_feeds", "register"]

logger = logging.getLogger(__name__)


def refresh_feeds(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Bring every source in use up to date; return the documents to rewrite."""
    domain = get_feed_domain(env)
    sources = domain.sources_in_use()
    domain.forget_unused(sources.keys())
    if not sources:
        return []
    before = {key: _signature(domain.state(key), source) for key, source in sources.items()}
    needs = domain.needs()
    run = take(app)  # the requests the directives started while Sphinx read (see .prefetch)
    worked = False
    try:
        futures: dict[Future[Outcome], FeedSource] = {}
        for key, source in sorted(sources.items()):
            state = domain.state(key)
            wanted = needs.get(key, frozenset())
            # the environment holds the items shown before: other ones need the index
            index_needed = state.digest is not None and not wanted <= state.shown_for
            known = replace(Known.of(state), index_needed=index_needed)
            futures[run.outcome(source, known)] = source
        for future in status_iterator(
            as_completed(futures),
            __("fetching feeds... "),
            "darkgreen",
            len(futures),
            app.verbosity,
            stringify_func=lambda done: futures[done].key,
        ):
            source = futures[future]
            outcome = future.result()
            worked = worked or outcome.worked
            _apply(domain.state(source.key), source, outcome, needs.get(source.key, frozenset()))
            if note_outcome := getattr(app.builder, "note_feed_outcome", None):
                note_outcome(source, outcome)  # the feedcheck builder's report
    finally:
        run.close()
    refresher = run.refresher
    if problems := refresher.problems():
        logger.warning(__("feed cache: %s"), "; ".join(problems), type="feed", subtype="cache")
    if worked:
        refresher.parsed_cache.prune()
    # failing sources are rewritten every build, so their warnings repeat
    # (and -W keeps failing) for as long as the problem lasts
    changed = {
        key
        for key, source in sources.items()
        if _signature(domain.state(key), source) != before[key]
        or domain.state(key).error
        or getattr(domain.state(key), "advice", None)
    }
    return sorted(domain.documents_using(changed))


def _signature(state: SourceState, source: FeedSource) -> tuple[object, ...]:
    """Equal signatures render equal pages."""
    checked_day = state.checked_at.date() if source.as_of and state.checked_at else None
    return state.digest, state.error, checked_day, getattr(state, "advice", None)


def _apply(
    state: SourceState, source: FeedSource, outcome: Outcome, needs: frozenset[Need]
) -> None:
    """Record *outcome*; a new index is cut to what *needs* show, finished."""
    if outcome.note:
        logger.verbose("feed %s: %s", source.key, outcome.note)
    if outcome.error is not None:
        logger.verbose("feed %s: %s", source.key, outcome.error)
    if outcome.feed is not None:
        if outcome.feed is not state.feed:  # else the environment's own cut copy, still enough
            state.feed, state.shown_for = shown_feed(outcome.feed, needs), needs
        state.digest, state.checked_at = outcome.digest, outcome.checked_at
        state.hint, state.retry_at = outcome.hint, outcome.retry_at
    state.error, state.error_kind = outcome.error, outcome.error_kind
    state.failed_at, state.advice = outcome.failed_at, outcome.advice


def register(app: Sphinx) -> None:
    """The refresh stage's hooks: fetch while reading (when serial), refresh after it.

    The directive only announces its sources (:data:`.directive.SOURCES_READ`);
    starting their requests is this stage's business, so reading never imports it.
    """
    app.add_event(SOURCES_READ)
    app.connect("env-before-read-docs", prefetch.prepare)  # fetch while reading, serially
    app.connect(SOURCES_READ, _start_while_reading)
    app.connect("env-updated", refresh_feeds)
    app.connect("build-finished", prefetch.abandon)


def _start_while_reading(app: Sphinx, env: BuildEnvironment, sources: Iterable[FeedSource]) -> None:
    prefetch.start(env, sources)  # the requests go out while Sphinx reads on
