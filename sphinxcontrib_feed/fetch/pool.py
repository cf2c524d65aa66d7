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

from sphinxcontrib_feed.fetch.inflight import InFlight

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

    from sphinxcontrib_feed.fetch.fetcher import Fetched, Fetcher

#: The longest the owning thread waits before looking at the deadlines again.
_WATCH = 0.25


class FetchPool:
    """``feed_concurrency`` worker threads for one build's requests."""

    def __init__(self, fetcher: Fetcher, workers: int) -> None:
        self.fetcher = fetcher
        self.in_flight = InFlight()
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="feed")
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

    def submit(self, url: str, validators: dict[str, str]) -> Future[Fetched]:
        """Queue a request for *url*; it is made unless the pool stops first."""
        self.fetcher.prepare()  # the session, made here, before a worker needs it
        future = self._pool.submit(self._fetch, url, validators)
        self._pending.add(future)
        return future

    def _fetch(self, url: str, validators: dict[str, str]) -> Fetched:
        """In a worker: one request, within its deadline, unless the build stopped."""
        with self.in_flight.exchange(self.fetcher.deadline) as exchange:
            return self.fetcher.download(url, validators, exchange)

    def completed(self) -> Iterator[Future[Fetched]]:
        """Each request as it completes, including those submitted meanwhile."""
        while self._pending:
            upcoming = self.in_flight.expire()
            timeout = _WATCH if upcoming is None else min(_WATCH, upcoming)
            done, self._pending = wait(self._pending, timeout, FIRST_COMPLETED)
            yield from done

    def close(self, stop: bool = False) -> None:
        """Let the workers go; with *stop*, at once: nothing queued starts, nothing waits."""
        if stop:
            self.in_flight.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()
        self.fetcher.close()
