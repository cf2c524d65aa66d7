"""The requests in flight: one deadline each, one stop signal for all, a size cap.

Socket timeouts bound each read, not the exchange: a server that sends one
byte a second, of its headers or of its body, never trips them. So every
socket a fetch opens (or reuses from the pool) is registered here, under the
exchange of the worker thread that uses it. No thread is started for this:
the thread that owns the pool (:mod:`.pool`) calls :meth:`InFlight.expire`
whenever it waits for answers, which shuts down the sockets of every exchange
past its deadline; :meth:`InFlight.stop` shuts down all of them and tells the
workers to start no new request. A shut-down socket fails every pending and
later read at once, so no read outlives either.

Imported only when a request is made: it pulls in ``urllib3`` and ``requests``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sphinxcontrib_feed.errors import FetchError
from sphinxcontrib_feed.fetch.addresses import Hops, check_peer

if TYPE_CHECKING:
    from collections.abc import Iterator

    import requests
    from urllib3.poolmanager import PoolManager, ProxyManager

_current = threading.local()
_CHUNK = 64 * 1024


class Exchange:
    """One request's sockets and deadline (a :func:`time.monotonic` time)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self.sockets: list[socket.socket] = []
        #: Where its connections have led (:mod:`.addresses`).
        self.hops = Hops()


class InFlight:
    """Every exchange in flight, the stop signal, and the one lock guarding both."""

    def __init__(self) -> None:
        #: Set once, by the owning thread: no new request starts, sockets are shut.
        self.stopped = threading.Event()
        self._exchanges: set[Exchange] = set()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def exchange(self, seconds: float) -> Iterator[Exchange]:
        """The current thread's exchange, for at most *seconds*; refused once stopped."""
        exchange = Exchange(time.monotonic() + seconds)
        with self._lock:
            if self.stopped.is_set():
                raise FetchError("the build stopped before this request was made")
            self._exchanges.add(exchange)
        _current.exchange, _current.in_flight = exchange, self
        try:
            yield exchange
        finally:
            _current.exchange = _current.in_flight = None
            with self._lock:
                self._exchanges.discard(exchange)

    def watch(self, exchange: Exchange, sock: socket.socket) -> None:
        with self._lock:
            if sock not in exchange.sockets:
                exchange.sockets.append(sock)
            if exchange.fired or self.stopped.is_set():
                _shut(sock)

    def expire(self) -> float | None:
        """Shut down the exchanges past their deadline; seconds to the next deadline."""
        now = time.monotonic()
        upcoming = None
        with self._lock:
            for exchange in self._exchanges:
                if now >= exchange.deadline:
                    exchange.fired = True
                    for sock in exchange.sockets:
                        _shut(sock)
                else:
                    left = exchange.deadline - now
                    upcoming = left if upcoming is None else min(upcoming, left)
        return upcoming

    def stop(self) -> None:
        """No new request starts; every one in flight fails at once."""
        with self._lock:
            self.stopped.set()
            for exchange in self._exchanges:
                for sock in exchange.sockets:
                    _shut(sock)


def _shut(sock: socket.socket) -> None:
    # the plain socket's shutdown: an SSLSocket's own would drop its SSL object
    # under a reader in another thread
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    exchange: Exchange | None = getattr(_current, "exchange", None)
    if exchange is not None and sock is not None:
        _current.in_flight.watch(exchange, sock)


def _check(connection: HTTPConnection, sock: socket.socket | None) -> None:
    """The address *sock* is connected to, checked before anything is sent on it."""
    exchange: Exchange | None = getattr(_current, "exchange", None)
    if exchange is None or sock is None or connection.proxy is not None:
        return  # behind a proxy, the proxy connects
    try:
        check_peer(exchange.hops, connection.host, sock)
    except FetchError:
        # a new socket is not the connection's yet: closed here, or the server
        # it reached waits for a request on it until it is collected
        with contextlib.suppress(OSError):
            sock.close()
        connection.close()
        raise


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)
        _check(self, sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _check(self, self.sock)  # a connection reused from the pool
        super().request(*args, **kwargs)

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _watch(self.sock)  # a connection reused from the pool
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)  # before the TLS handshake, so a slow handshake is bounded too
        _check(self, sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _check(self, self.sock)
        super().request(*args, **kwargs)

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _watch(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def _use_watched_pools(manager: PoolManager) -> None:
    manager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """An adapter whose connections (direct or through a proxy) report to their exchange."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _use_watched_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> ProxyManager:
        manager: ProxyManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools have their own classes
            _use_watched_pools(manager)
        return manager


class BodyCap:
    """A response hook that streams the body with a size cap.

    It runs inside ``requests``, before anything else sees the body, so an
    oversized or endless body is refused without ever being held whole; the
    exchange's deadline bounds its time (checked between chunks too, so a
    worker never reads on past it even while the owning thread is busy).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise FetchError(f"{declared} bytes is more than feed_max_bytes")
        exchange: Exchange | None = getattr(_current, "exchange", None)
        chunks, total = [], 0
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > self.max_bytes:
                response.close()
                raise FetchError(f"more than feed_max_bytes ({self.max_bytes} bytes)")
            if exchange is not None and time.monotonic() >= exchange.deadline:
                exchange.fired = True
                response.close()
                raise FetchError("past the deadline")  # reworded by the fetcher
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response
