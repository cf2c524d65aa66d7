"""Hard limits on one HTTP exchange: one deadline for all of it, and a size cap.

Socket timeouts bound each read, not the exchange: a server that sends one
byte a second, of its headers or of its body, never trips them. So every
socket a fetch opens (or reuses from the pool) is registered with that
fetch's :class:`Watchdog`, a timer that shuts the sockets down at the
deadline. A shut-down socket fails every pending and later read at once, so
no read can outlive the deadline, whatever the server does.

Imported only when a request is made: it pulls in ``urllib3`` and ``requests``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import TYPE_CHECKING, Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sphinxcontrib_feed.errors import FetchError

if TYPE_CHECKING:
    from types import TracebackType

    import requests
    from urllib3.poolmanager import PoolManager, ProxyManager

_current = threading.local()
_CHUNK = 64 * 1024


class Watchdog:
    """Shuts down every socket of the current thread's fetch after *seconds*."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        _current.watchdog = self
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        _current.watchdog = None

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # the plain socket's shutdown: an SSLSocket's own would drop its SSL object
    # under a reader in another thread
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    watchdog: Watchdog | None = getattr(_current, "watchdog", None)
    if watchdog is not None and sock is not None:
        watchdog.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)
        return sock

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _watch(self.sock)  # a connection reused from the pool
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)  # before the TLS handshake, so a slow handshake is bounded too
        return sock

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
    """An adapter whose connections (direct or through a proxy) report to the watchdog."""

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
    watchdog bounds its time.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise FetchError(f"{declared} bytes is more than feed_max_bytes")
        chunks, total = [], 0
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > self.max_bytes:
                response.close()
                raise FetchError(f"more than feed_max_bytes ({self.max_bytes} bytes)")
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response
