"""Fetch while Sphinx reads: a source's request starts when its directive is read.

A cold build of a project with many remote feeds would otherwise read every
page first and only then wait on the network. When Sphinx reads serially, in
this process, the directive hands each remote source to a :class:`RefreshRun`
at once, and the requests run in threads while the other pages are read;
``env-updated`` (:mod:`.update`) then takes each answer as it is, or asks
again when what it knows by then differs: another directive asked for a
shorter lifetime, or for items the environment does not hold.

With ``-j N`` Sphinx forks its readers, and a fork must not copy threads in
the middle of a request, so then nothing starts before ``env-updated``: the
builds are the same, only later. Nothing here lives in a module global that a
forked process needs: the runs are kept per application, in the main process.
"""

from __future__ import annotations

import weakref
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.parallel import parallel_available

from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.refresh.answers import Known
from sphinxcontrib_feed.settings.compat import app_of
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.model import FeedSource
    from sphinxcontrib_feed.refresh.answers import Outcome
    from sphinxcontrib_feed.refresh.sources import SourceRefresher

logger = logging.getLogger(__name__)

#: The run of each application reading serially, from ``env-before-read-docs`` on.
_RUNS: weakref.WeakKeyDictionary[Sphinx, RefreshRun] = weakref.WeakKeyDictionary()


class RefreshRun:
    """One build's fetcher, refresh policy and threads; started on first use."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        #: source key → the source and facts a refresh was started with, and its outcome
        self.started: dict[str, tuple[FeedSource, Known, Future[Outcome]]] = {}
        self._refresher: SourceRefresher | None = None
        self._pool: ThreadPoolExecutor | None = None

    @property
    def refresher(self) -> SourceRefresher:
        if self._refresher is None:
            # imported here: a build with no source loads neither parsers nor fetch code
            from sphinxcontrib_feed.fetch.fetcher import Fetcher
            from sphinxcontrib_feed.refresh.sources import SourceRefresher

            settings = get_settings(self.app)
            self._refresher = SourceRefresher(self.app, Fetcher(settings, Path(self.app.srcdir)))
            # feed_concurrency bounds the requests in flight (the Fetcher's own
            # limit); as many threads again parse and store answers meanwhile,
            # so the CPU work of one answer never holds back the next request
            self._pool = ThreadPoolExecutor(2 * settings.concurrency, thread_name_prefix="feed")
        return self._refresher

    def outcome(self, source: FeedSource, known: Known) -> Future[Outcome]:
        """The refresh of *source* from *known*: the one started already if it matches."""
        started = self.started.get(source.key)
        if started is not None and started[0] == source and started[1] == known:
            return started[2]
        refresher = self.refresher
        assert self._pool is not None
        if started is None:
            future = self._pool.submit(refresher.refresh, source, known)
        else:  # after the first one, which may have stored a copy this one can use
            future = self._pool.submit(_after, started[2], refresher.refresh, source, known)
        self.started[source.key] = (source, known, future)
        return future

    def close(self) -> None:
        """Wait for every refresh started, then let go of connections and caches."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if self._refresher is not None:
            self._refresher.close()
            self._refresher.fetcher.close()


def _after(
    first: Future[Outcome], refresh: Callable[[FeedSource, Known], Outcome],
    source: FeedSource, known: Known,
) -> Outcome:  # fmt: skip
    # *first* was submitted earlier, so a thread has it already: waiting cannot deadlock
    wait([first])
    return refresh(source, known)


def prepare(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: a run to start requests in, when reading is serial."""
    if app.parallel > 1 and parallel_available:
        return  # Sphinx may fork its readers: no threads before it does
    _RUNS[app] = RefreshRun(app)


def start(env: BuildEnvironment, sources: Iterable[FeedSource]) -> None:
    """From the directive: start refreshing the remote *sources* now, if reading is serial."""
    run = _RUNS.get(app_of(env))
    if run is None:
        return
    domain = get_feed_domain(env)
    try:
        for source in sources:
            if source.url is not None and source.key not in run.started:
                state = domain.states.get(source.key)
                known = Known() if state is None else Known.of(state)
                run.outcome(source, known)
    except Exception:  # only ever a head start: env-updated refreshes what did not start
        logger.debug("starting a refresh while reading failed", exc_info=True)


def take(app: Sphinx) -> RefreshRun:
    """For ``env-updated``: the run the directives started, or a new one."""
    return _RUNS.pop(app, None) or RefreshRun(app)


def abandon(app: Sphinx, error: Exception | None) -> None:
    """``build-finished``: a build that stopped before ``env-updated`` leaves no threads."""
    if (run := _RUNS.pop(app, None)) is not None:
        run.close()
