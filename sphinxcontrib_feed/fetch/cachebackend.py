"""The HTTP cache's storage: where it lives, and opening it while other builds use it.

:mod:`.httpcache` decides what is stored and read; this module finds the
place (:func:`cache_location`: a Redis URL, or a file or folder beside the
doctrees) and opens requests-cache's backend there, waiting a moment while
another process holds an SQLite file. ``requests_cache`` and ``redis`` are
imported on first use only.

requests-cache imports, when it is first imported, the client of every
backend and serializer whose package is installed: in an environment that
also holds boto3, redis and PyYAML, that is 0.2-0.3 s and twice the objects
for the garbage collector to walk, where our backends need 0.07 s. So for
that one import (:func:`_unused_clients_left_out`), the clients the
extension never uses read as not installed; a package already imported is
left alone, and nothing is left changed after the import.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import time
from typing import TYPE_CHECKING

from sphinxcontrib_feed.fetch.cachefiles import SQLITE_FILES, sqlite_path
from sphinxcontrib_feed.settings.config import is_redis_url

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from requests_cache.backends.base import BaseCache

#: Milliseconds an SQLite writer waits for another process's lock.
SQLITE_BUSY_TIMEOUT = 30_000
_SQLITE_FILES = SQLITE_FILES

#: Seconds to wait before trying again when another process holds the SQLite file:
#: SQLite gives up at once, whatever its busy timeout, in some WAL cases (a
#: writer whose snapshot went stale, two builds creating the same new file).
_LOCKED_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


def _is_locked(error: Exception) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error)
    )


def _open_when_free(backend: str, location: Path | str, timeout: float) -> BaseCache:
    """:func:`_open_backend`, waiting a moment while another build holds the file."""
    for wait in _LOCKED_WAITS:
        try:
            return _open_backend(backend, location, timeout)
        except sqlite3.OperationalError as error:
            if not _is_locked(error):
                raise
            time.sleep(wait)
    return _open_backend(backend, location, timeout)


#: The clients requests-cache would import for backends and serializers the
#: extension does not use (DynamoDB, MongoDB and GridFS; BSON, YAML, the fast JSON
#: libraries, signed pickles); Redis is one only when no Redis URL is configured.
_UNUSED_CLIENTS = ("boto3", "botocore", "pymongo", "gridfs", "bson", "yaml", "orjson",
                   "ujson", "itsdangerous")  # fmt: skip


@contextlib.contextmanager
def _unused_clients_left_out(redis: bool) -> Iterator[None]:
    """While requests-cache is first imported, the clients of the backends and
    serializers the extension does not use read as not installed (see the module)."""
    if "requests_cache" in sys.modules:
        yield
        return
    names = _UNUSED_CLIENTS if redis else (*_UNUSED_CLIENTS, "redis")
    left_out = [name for name in names if name not in sys.modules]
    for name in left_out:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for name in left_out:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _open_backend(backend: str, location: Path | str, timeout: float) -> BaseCache:
    with _unused_clients_left_out(redis=isinstance(location, str)):
        from requests_cache import init_backend

    if isinstance(location, str):  # a Redis URL
        try:
            from redis import Redis
            from requests_cache.backends.redis import RedisCache
        except ImportError:
            raise RuntimeError("a redis:// feed_cache_backend needs the 'redis' package") from None
        connection = Redis.from_url(
            location, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        return RedisCache(namespace="sphinxcontrib-feed", connection=connection)
    if backend == "memory":
        return init_backend("sphinxcontrib-feed", "memory")
    location.parent.mkdir(parents=True, exist_ok=True)
    if backend == "filesystem":
        return init_backend(location, "filesystem")
    return init_backend(location, "sqlite", wal=True, busy_timeout=SQLITE_BUSY_TIMEOUT)


def cache_location(
    backend: str, configured: str | None, confdir: Path, doctreedir: Path
) -> Path | str:
    """Where the cache lives: a Redis URL, or a file or folder.

    The one place that says so, for the build, its healing and ``sphinx-feed
    cache``: a configured SQLite path without a suffix gets ``.sqlite``, as
    requests-cache adds it (``feeds`` is ``feeds.sqlite``).
    """
    if is_redis_url(backend):
        return backend
    if configured:
        path = confdir / configured
        return sqlite_path(path) if backend == "sqlite" else path
    name = "feed-cache" if backend == "filesystem" else "feed-cache.sqlite"
    return doctreedir / name
