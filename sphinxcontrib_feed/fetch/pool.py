"""One pool whose workers only fetch; the thread that owns it does everything else.

A worker runs :meth:`.Fetcher.download` and nothing more: no cache, no
parsing, no build state. The owning thread (the main thread, in
``env-updated``) submits requests, waits for answers, and meanwhile enforces
every exchange's deadline (:meth:`.InFlight.expire`).

Two bounds, both kept by the owning thread: ``feed_concurrency`` workers, so
at most that many requests in flight overall, and at most ``per_host`` (6, as
browsers) in flight to any one host (scheme, name and port). A request to a
host that has that many out waits in the host's own queue, not in the
workers' queue, and is handed to a worker when one of them answers: a server
never sees more than ``per_host`` requests of the build at once, and a slow
host holds up no other.

:meth:`FetchPool.close` with ``stop=True`` (on an exception, or Ctrl-C, in
the owning thread) is the one stop signal: a request only queued (in a
host's queue or the workers') is never made, and those in flight fail at
once, their sockets shut down.
"""

from __future__ import annotations

from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import TracebackType

    from sphinxcontrib_feed.fetch.fetcher import Fetched, Fetcher
    from sphinxcontrib_feed.fetch.inflight import InFlight

#: The longest the owning thread waits before looking at the deadlines again.
_WATCH = 0.25
_PORTS = {"http": 80, "https": 443}


class Ticket:
    """One request submitted to the pool: queued, then in flight, then answered."""

    __slots__ = ("_answer", "host", "origin", "url", "validators")

    def __init__(self, url: str, validators: dict[str, str], origin: str | None) -> None:
        self.url, self.validators, self.origin = url, validators, origin
        self.host = host_of(url)
        self._answer: Future[Fetched] | None = None

    def result(self) -> Fetched:
        """The answer (or the request's error); only once :meth:`FetchPool.completed` gave it."""
        assert self._answer is not None and self._answer.done()
        return self._answer.result()


def host_of(url: str) -> str:
    """What the per-host bound counts by: scheme, lower-case host name and port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    return f"{scheme}://{parts.hostname or ''}:{port or _PORTS.get(scheme, 0)}"


class FetchPool:
    """``workers`` threads for one build's requests, ``per_host`` at a time to a host.

    Started by the first request: a build that makes none starts no thread
    and imports no HTTP code.
    """

    def __init__(self, fetcher: Fetcher, workers: int, per_host: int | None = None) -> None:
        self.fetcher = fetcher
        self.workers = workers
        self.per_host = max(1, min(workers, per_host or workers))
        self.in_flight: InFlight | None = None
        self._pool: ThreadPoolExecutor | None = None
        #: Each host's requests not yet handed to a worker, in the order submitted.
        self._queued: dict[str, deque[Ticket]] = {}
        self._out: Counter[str] = Counter()
        self._pending: dict[Future[Fetched], Ticket] = {}

    def __enter__(self) -> FetchPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(stop=error is not None)

    def submit(self, url: str, validators: dict[str, str], origin: str | None = None) -> Ticket:
        """Queue a request for *url*; it is made unless the pool stops first.

        *origin*: the public address of the page that advertised *url*, if any.
        """
        if self._pool is None:
            from sphinxcontrib_feed.fetch.inflight import InFlight

            self.in_flight = InFlight()
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="feed")
        self.fetcher.prepare()  # the session, made here, before a worker needs it
        ticket = Ticket(url, validators, origin)
        self._queued.setdefault(ticket.host, deque()).append(ticket)
        self._start(ticket.host)
        return ticket

    def _start(self, host: str) -> None:
        """Hand *host*'s queued requests to the workers while it has fewer than ``per_host`` out."""
        queue = self._queued.get(host)
        while queue and self._out[host] < self.per_host:
            assert self._pool is not None
            ticket = queue.popleft()
            ticket._answer = self._pool.submit(self._fetch, ticket)
            self._pending[ticket._answer] = ticket
            self._out[host] += 1
        if not queue:
            self._queued.pop(host, None)

    def _fetch(self, ticket: Ticket) -> Fetched:
        """In a worker: one request, within its deadline, unless the build stopped."""
        assert self.in_flight is not None
        with self.in_flight.exchange(self.fetcher.deadline) as exchange:
            return self.fetcher.download(ticket.url, ticket.validators, exchange, ticket.origin)

    def queued(self) -> int:
        """Requests waiting for their host to have a free slot (not yet given to a worker)."""
        return sum(len(queue) for queue in self._queued.values())

    def completed(self, idle: Callable[[], bool] | None = None) -> Iterator[Ticket]:
        """Each request as it completes, including those submitted meanwhile.

        *idle*, if given, is called whenever no answer is ready, before
        waiting for one: a short piece of the owning thread's own work (an
        import, a batch of cache writes) that it returns True for having done,
        False when it has nothing left. So that work fills the network's wait
        and never delays an answer that is in; deadlines are enforced between
        pieces.
        """
        while self._pending:
            assert self.in_flight is not None
            upcoming = self.in_flight.expire()
            timeout = _WATCH if upcoming is None else min(_WATCH, upcoming)
            done, _ = wait(self._pending, 0, FIRST_COMPLETED)
            if not done and idle is not None and idle():
                continue  # look at the answers (and the deadlines) again
            if not done:
                done, _ = wait(self._pending, timeout, FIRST_COMPLETED)
            tickets = [self._pending.pop(answer) for answer in done]
            for ticket in tickets:  # the next of each host's queue goes out before we parse
                self._out[ticket.host] -= 1
                self._start(ticket.host)
            yield from tickets

    def close(self, stop: bool = False) -> None:
        """Let the workers go; with *stop*, at once: nothing queued starts, nothing waits."""
        self._queued.clear()
        if stop and self.in_flight is not None:
            self.in_flight.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()
        self.fetcher.close()
