"""The HTTP cache: the last good copy of every URL, in requests-cache's storage.

requests-cache provides the storage (SQLite, files, memory or Redis), its
serialization and its keys; what is stored, and when, is decided in
:mod:`.refresh`. The cache is a help, never a requirement: a damaged SQLite
file is deleted and created afresh, and any other failure (Redis down, a
read-only directory, an unreadable entry) makes this build go on without the
cache, with one ``feed.cache`` warning. A successful download is used
whether or not it could be stored.

Only the thread that owns the refresh (the main thread, in ``env-updated``)
uses it: no lock, no writer thread, so healing a damaged file never waits on
anyone. ``requests_cache`` (and ``redis``) are imported on first use only, so
a build that needs no stored copy never loads them; a cache that did not
exist when the build began is not opened just to find it empty, so a cold
build's requests are all out before the first answer opens it.

Writes are batched: :meth:`HTTPCache.put` keeps the copy, and
:meth:`HTTPCache.flush` writes every kept copy at once, in one SQLite
transaction. The owning thread flushes while it waits for answers, and
:meth:`HTTPCache.close` flushes what is left, so a build (or one stopped by
Ctrl-C) stores every copy it judged good; reading a URL whose copy is still
kept flushes first, so a read never misses a write.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sphinxcontrib_feed.errors import UNPICKLING_ERRORS
from sphinxcontrib_feed.fetch.cachebackend import (
    _LOCKED_WAITS,
    _SQLITE_FILES,
    _is_locked,
    _open_when_free,
)
from sphinxcontrib_feed.fetch.cachefiles import foreign_location, has_sqlite_header
from sphinxcontrib_feed.fetch.fetcher import Fetched, copy_of
from sphinxcontrib_feed.freshness import CHECKED_HEADER, RETRY_HEADER, parse_time

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

    from requests_cache.backends.base import BaseCache
    from requests_cache.models.response import CachedResponse

T = TypeVar("T")

#: Kept copies are flushed at once when their bodies add up to this many
#: bytes, so a batch of large feeds is never all held in memory.
BATCH_BYTES = 8 * 1024 * 1024

#: What deserializing an entry of another version, or a damaged one, raises.
_UNREADABLE = UNPICKLING_ERRORS


class HTTPCache:
    """One build's view of the cache, for the owning thread only."""

    def __init__(
        self, backend: str, location: Path | str, timeout: float, empty: bool = False
    ) -> None:
        self.backend_name = backend
        self.location = location
        self.timeout = timeout
        #: What went wrong with the cache this build, for one warning at the end.
        self.problems: list[str] = []
        self._backend: BaseCache | None = None
        self._disabled = False
        self._healed = False
        #: Nothing was stored when the build began (no cache file, a fresh memory
        #: cache): a read of a URL this build has not stored needs not open it.
        self._empty = empty
        self._stored: set[str] = set()
        #: Copies kept by :meth:`put` and not yet written, by URL, in order.
        self._kept: dict[str, Fetched] = {}
        self._kept_bytes = 0
        #: requests-cache's key of each URL worked out this build (:meth:`expect`).
        self._keys: dict[str, str] = {}

    def close(self) -> None:
        """Write the kept copies, then close the backend (a later operation opens it again)."""
        try:
            self.flush()
        finally:
            self._close_backend()

    def _close_backend(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            try:
                backend.close()  # type: ignore[no-untyped-call]
            except (OSError, sqlite3.Error) as error:
                self._note(f"closing {self.location} failed ({_reason(error)})")

    # -- the operations ------------------------------------------------------------

    def prepare(self) -> None:
        """Open the backend now: called while requests are out, so that importing
        requests-cache and opening its file (about 0.2-0.4 s) overlap the network."""
        self._run(lambda cache: None, None)

    def expect(self, urls: Iterable[str]) -> None:
        """Work out now the keys the answers to *urls* will be stored under (a
        prepared request, normalised: 0.1-0.2 ms each), while they are out."""

        def work_out(cache: BaseCache) -> None:
            for url in urls:
                self._key(cache, url)

        self._run(work_out, None)

    def _key(self, cache: BaseCache, url: str) -> str:
        key = self._keys.get(url)
        if key is None:
            key = self._keys[url] = _requests_cache_key(cache, url)
        return key

    def get(self, url: str) -> Fetched | None:
        """The stored copy for *url*, whatever its age; None if there is none or it is unusable."""
        if self._empty and url not in self._stored:
            return None
        if url in self._kept:
            self.flush()
        stored = self._run(lambda cache: self._read(cache, url), None)
        if stored is None:
            return None
        checked = parse_time(stored.headers.get(CHECKED_HEADER)) or stored.created_at
        return copy_of(stored, url, checked)

    def _read(self, cache: BaseCache, url: str) -> CachedResponse | None:
        """The entry for *url*; one that cannot be deserialized is dropped, as a miss."""
        key = self._key(cache, url)
        try:
            return cache.get_response(key)
        except _UNREADABLE as error:
            with contextlib.suppress(*_UNREADABLE, OSError, sqlite3.Error):
                cache.delete(key)
            self._note(f"an unreadable entry for {url} was dropped ({_reason(error)})")
            return None

    def put(self, fetched: Fetched) -> None:
        """Keep *fetched* (a 200 that parsed, or a 304's refreshed copy) as the good copy.

        Written by the next :meth:`flush` (or :meth:`close`), with the others kept.
        """
        response = fetched.response
        if response is not None:
            url = response.request.url or fetched.url
            self._stored.add(url)
            self._kept.pop(url, None)  # the later copy of a URL is the one stored
            self._kept[url] = fetched
            self._kept_bytes += len(fetched.content)
            if self._kept_bytes >= BATCH_BYTES:
                self.flush()

    def flush(self) -> bool:
        """Write every kept copy, in one transaction where the backend has them;
        False if there was none to write."""
        if not self._kept:
            return False
        kept, self._kept, self._kept_bytes = list(self._kept.items()), {}, 0
        self._run(partial(_save_all, kept=kept, key=self._key), None)
        return True

    def defer(self, cached: Fetched, until: datetime) -> None:
        """Remember the server's Retry-After on the stored copy."""
        if cached.response is not None:
            cached.response.headers[RETRY_HEADER] = until.isoformat()
            self.put(cached)

    # -- healing ----------------------------------------------------------------------

    def _run(self, operation: Callable[[BaseCache], T], default: T) -> T:
        waits = iter(_LOCKED_WAITS)
        for _attempt in range(2 + len(_LOCKED_WAITS)):
            if self._disabled:
                return default
            if self._backend is None and (problem := self._foreign()):
                self._disabled = True
                self._note(f"{problem}; it is left alone, and this build fetches without the cache")
                return default
            try:
                if self._backend is None:
                    self._backend = _open_when_free(self.backend_name, self.location, self.timeout)
                return operation(self._backend)
            # the cache is a help, never a failure: whatever a backend raises while
            # opening, reading or writing (sqlite3, redis, OSError, a serializer's
            # error, a missing 'redis' package) costs the cache only, reported once
            except Exception as error:
                if _is_locked(error) and (wait := next(waits, None)) is not None:
                    time.sleep(wait)  # another build holds the file for a moment
                    continue
                if not self._heal(error):
                    self._disable(error)
                    return default
        return default

    def _foreign(self) -> str | None:
        """Why the file or folder at the cache path is not the extension's, if it is not."""
        if self.backend_name in ("sqlite", "filesystem") and isinstance(self.location, Path):
            return foreign_location(self.backend_name, self.location)
        return None

    def _heal(self, error: Exception) -> bool:
        """Recreate a damaged SQLite file, once a build; True if the operation may be retried.

        Nothing else uses the cache meanwhile (one thread), so nothing is waited for.
        Only a file that starts as an SQLite database is recreated: never another file.
        """
        damaged = type(error) is sqlite3.DatabaseError  # not OperationalError: permissions
        if not damaged or self._healed or not isinstance(self.location, Path):
            return False
        if self.backend_name != "sqlite" or not has_sqlite_header(self.location):
            return False
        self._healed = True
        self._close_backend()
        try:
            for suffix in _SQLITE_FILES:
                Path(f"{self.location}{suffix}").unlink(missing_ok=True)
        except OSError:
            return False
        self._note(f"{self.location} was damaged ({_reason(error)}) and has been recreated")
        return True

    def _disable(self, error: Exception) -> None:
        if not self._disabled:
            self._disabled = True
            self._close_backend()
            self._note(
                f"cannot use the feed cache {self.location} ({_reason(error)}); "
                "this build fetches without it"
            )

    def _note(self, problem: str) -> None:
        self.problems.append(problem)


def _requests_cache_key(cache: BaseCache, url: str) -> str:
    import requests

    return str(cache.create_key(requests.Request("GET", url).prepare()))


def _save_all(
    cache: BaseCache, kept: list[tuple[str, Fetched]], key: Callable[[BaseCache, str], str]
) -> None:
    """Save *kept*: in one transaction in an SQLite file, else one by one.

    A response that came through redirects also writes its aliases, to
    another table that requests-cache writes through a connection of its
    own; a transaction held on the first would lock that one out, so those
    few are saved after it, each as requests-cache does.
    """
    from requests_cache.backends.sqlite import SQLiteCache

    direct = [(url, fetched) for url, fetched in kept if not _redirected(fetched)]
    if isinstance(cache, SQLiteCache) and len(direct) > 1:
        with cache.responses.connection():
            pass  # opened if it was not: the transaction is begun on it
        with cache.responses.bulk_commit():
            for url, fetched in direct:
                _save(cache, fetched, key(cache, url))
        kept = [(url, fetched) for url, fetched in kept if _redirected(fetched)]
    for url, fetched in kept:
        _save(cache, fetched, key(cache, url))


def _redirected(fetched: Fetched) -> bool:
    return bool(fetched.response is not None and fetched.response.history)


def _save(cache: BaseCache, fetched: Fetched, key: str) -> None:
    assert fetched.response is not None  # put() keeps only answers with a response
    cache.save_response(fetched.response, key)


def _reason(error: BaseException) -> str:
    """A one-line reason a person can act on: no exception class names."""
    text = str(error).strip().splitlines()
    return text[0] if text else "unknown error"
