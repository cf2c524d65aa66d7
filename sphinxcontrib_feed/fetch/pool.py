"""One pool whose workers only fetch; the thread that owns it does everything else.

A worker runs :meth:`.Fetcher.download` and nothing more: no cache, no
parsing, no build state. The owning thread (the main thread, in
``env-updated``) submits requests, waits for answers, and meanwhile enforces
every exchange's deadline (:meth:`.InFlight.expire`). ``feed_concurrency``
is the number of workers, so it bounds the requests in flight.

:meth:`FetchPool.close` with ``stop=True`` (on an exception, or Ctrl-C, in
the owning thread) is the one stop signal: a request only queued is never
made, and those in flight fail at once, their sockets shut down.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

    from sphinxcontrib_feed.fetch.fetcher import Fetched, Fetcher
    from sphinxcontrib_feed.fetch.inflight import InFlight

#: The longest the owning thread waits before looking at the deadlines again.
_WATCH = 0.25


class FetchPool:
    """``feed_concurrency`` worker threads for one build's requests.

    Started by the first request: a build that makes none starts no thread
    and imports no HTTP code.
    """

    def __init__(self, fetcher: Fetcher, workers: int) -> None:
        self.fetcher = fetcher
        self.workers = workers
        self.in_flight: InFlight | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: set[Future[Fetched]] = set()

    def __enter__(self) -> FetchPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(stop=error is not None)

    def submit(
        self, url: str, validators: dict[str, str], origin: str | None = None
    ) -> Future[Fetched]:
        """Queue a request for *url*; it is made unless the pool stops first.

        *origin*: the public address of the page that advertised *url*, if any.
        """
        if self._pool is None:
            from sphinxcontrib_feed.fetch.inflight import InFlight

            self.in_flight = InFlight()
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="feed")
        self.fetcher.prepare()  # the session, made here, before a worker needs it
        future = self._pool.submit(self._fetch, url, validators, origin)
        self._pending.add(future)
        return future

    def _fetch(self, url: str, validators: dict[str, str], origin: str | None) -> Fetched:
        """In a worker: one request, within its deadline, unless the build stopped."""
        assert self.in_flight is not None
        with self.in_flight.exchange(self.fetcher.deadline) as exchange:
            return self.fetcher.download(url, validators, exchange, origin)

    def completed(self) -> Iterator[Future[Fetched]]:
        """Each request as it completes, including those submitted meanwhile."""
        while self._pending:
            assert self.in_flight is not None
            upcoming = self.in_flight.expire()
            timeout = _WATCH if upcoming is None else min(_WATCH, upcoming)
            done, self._pending = wait(self._pending, timeout, FIRST_COMPLETED)
            yield from done

    def close(self, stop: bool = False) -> None:
        """Let the workers go; with *stop*, at once: nothing queued starts, nothing waits."""
        if stop and self.in_flight is not None:
            self.in_flight.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()
        self.fetcher.close()
