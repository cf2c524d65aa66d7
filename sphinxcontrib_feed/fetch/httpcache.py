"""The HTTP cache: the last good copy of every URL, in requests-cache's storage.

requests-cache provides the storage (SQLite, files, memory or Redis), its
serialization and its keys; what is stored, and when, is decided in
:mod:`.refresh`. The cache is a help, never a requirement: a damaged SQLite
file is deleted and created afresh, and any other failure (Redis down, a
read-only directory, an unreadable entry) makes this build go on without the
cache, with one ``feed.cache`` warning. A successful download is used
whether or not it could be stored.

``requests_cache`` (and ``redis``) are imported on first use only, so a build
that needs no stored copy never loads them. Importing them costs a third of a
second (requests-cache loads every backend it finds installed), so a refresh
that goes to the network starts a writer thread (:meth:`HTTPCache.warm_up`),
which opens the cache while the first requests wait on their servers, then
stores each good answer while its worker goes on to the next request. A cache
that did not exist when the build began is not opened just to find it empty.
"""

from __future__ import annotations

import contextlib
import pickle
import queue
import sqlite3
import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sphinxcontrib_feed.fetch.cachebackend import (
    _LOCKED_WAITS,
    _SQLITE_FILES,
    _is_locked,
    _open_when_free,
)
from sphinxcontrib_feed.fetch.fetcher import Fetched, copy_of
from sphinxcontrib_feed.freshness import CHECKED_HEADER, RETRY_HEADER, parse_time

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from requests_cache.backends.base import BaseCache
    from requests_cache.models.response import CachedResponse

T = TypeVar("T")

#: Answers up to this size are stored by the writer thread, behind the workers;
#: a larger one by its worker, so its copies are not made alongside the next
#: steps' (a 9 MB feed: 25 MiB more peak memory otherwise).
STORE_BEHIND_BYTES = 1024 * 1024
#: What deserializing an entry of another version, or a damaged one, raises.
_UNREADABLE = (
    pickle.UnpicklingError, EOFError, TypeError, ValueError, KeyError, AttributeError, ImportError
)  # fmt: skip


class HTTPCache:
    """One build's view of the cache; safe to use from several threads."""

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
        self._lock = threading.RLock()
        #: Answers to store, by URL, until the writer has stored them (a read sees them).
        self._pending: dict[str, Fetched] = {}
        self._pending_lock = threading.Lock()  # not self._lock: the writer holds that to open
        self._queue: queue.SimpleQueue[tuple[str, Fetched] | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()

    def warm_up(self) -> None:
        """Start the writer, which opens the backend while requests are in flight."""
        with self._writer_lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="feed-cache", daemon=True)
                self._writer.start()

    def close(self) -> None:
        """Store what is pending, then close the backend."""
        with self._writer_lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            self._queue.put(None)
            writer.join()
        with self._lock:
            if self._backend is not None:
                with contextlib.suppress(Exception):  # a broken cache must not fail the build
                    self._backend.close()  # type: ignore[no-untyped-call]
            self._backend = None

    def _write(self) -> None:
        """The writer thread: open the backend, then store answers in the order given."""
        self._open()
        while (item := self._queue.get()) is not None:
            url, fetched = item
            self._run(partial(_save, fetched=fetched, url=url), None)
            with self._pending_lock:
                if self._pending.get(url) is fetched:
                    del self._pending[url]

    # -- the operations ------------------------------------------------------------

    def get(self, url: str) -> Fetched | None:
        """The stored copy for *url*, whatever its age; None if there is none or it is unusable."""
        with self._pending_lock:
            if (pending := self._pending.get(url)) is not None:
                return pending
            if self._empty and url not in self._stored:
                return None
        stored = self._run(lambda cache: self._read(cache, url), None)
        if stored is None:
            return None
        try:
            checked = parse_time(stored.headers.get(CHECKED_HEADER)) or stored.created_at
            return copy_of(stored, url, checked)
        except Exception as error:  # a foreign entry is a miss
            self._note(f"unreadable entry for {url} ({_reason(error)})")
            return None

    def _read(self, cache: BaseCache, url: str) -> CachedResponse | None:
        """The entry for *url*; one that cannot be deserialized is dropped, as a miss."""
        key = _key(cache, url)
        try:
            return cache.get_response(key)
        except _UNREADABLE as error:
            with contextlib.suppress(Exception):
                cache.delete(key)
            self._note(f"an unreadable entry for {url} was dropped ({_reason(error)})")
            return None

    def put(self, fetched: Fetched) -> None:
        """Keep *fetched* (a 200 that parsed, or a 304's refreshed copy) as the good copy.

        The writer thread stores it while the caller goes on to its next
        request; an answer over :data:`STORE_BEHIND_BYTES` the caller stores itself.
        """
        response = fetched.response
        if response is not None:
            url = response.request.url or fetched.url
            if len(fetched.content) > STORE_BEHIND_BYTES:
                with self._pending_lock:
                    self._stored.add(url)
                self._run(partial(_save, fetched=fetched, url=url), None)
                return
            with self._pending_lock:
                self._pending[url] = fetched
                self._stored.add(url)
            self.warm_up()
            self._queue.put((url, fetched))

    def defer(self, cached: Fetched, until: datetime) -> None:
        """Remember the server's Retry-After on the stored copy."""
        if cached.response is not None:
            cached.response.headers[RETRY_HEADER] = until.isoformat()
            self.put(cached)

    # -- healing ----------------------------------------------------------------------

    def _run(self, operation: Callable[[BaseCache], T], default: T) -> T:
        waits = iter(_LOCKED_WAITS)
        for _attempt in range(2 + len(_LOCKED_WAITS)):
            backend = self._open()
            if backend is None:
                return default
            try:
                return operation(backend)
            except Exception as error:  # the cache is a help, never a failure
                if _is_locked(error) and (wait := next(waits, None)) is not None:
                    time.sleep(wait)  # another build holds the file for a moment
                    continue
                if not self._heal(backend, error):
                    self._disable(error)
                    return default
        return default

    def _open(self) -> BaseCache | None:
        with self._lock:
            if self._disabled:
                return None
            if self._backend is None:
                try:
                    self._backend = _open_when_free(self.backend_name, self.location, self.timeout)
                except Exception as error:
                    if self._heal(None, error):
                        return self._open()
                    self._disable(error)
                    return None
            return self._backend

    def _heal(self, backend: BaseCache | None, error: Exception) -> bool:
        """Recreate a damaged SQLite file, once a build; True if the operation may be retried."""
        with self._lock:
            if backend is not None and backend is not self._backend:
                return True  # another thread healed it already
            damaged = type(error) is sqlite3.DatabaseError  # not OperationalError: permissions
            if not damaged or self._healed or not isinstance(self.location, Path):
                return False
            self._healed = True
            self.close()
            try:
                for suffix in _SQLITE_FILES:
                    Path(f"{self.location}{suffix}").unlink(missing_ok=True)
            except OSError:
                return False
            self._note(f"{self.location} was damaged ({_reason(error)}) and has been recreated")
            return True

    def _disable(self, error: Exception) -> None:
        with self._lock:
            if not self._disabled:
                self._disabled = True
                self._note(
                    f"cannot use the feed cache {self.location} ({_reason(error)}); "
                    "this build fetches without it"
                )

    def _note(self, problem: str) -> None:
        with self._lock:
            self.problems.append(problem)


def _key(cache: BaseCache, url: str) -> str:
    import requests

    return str(cache.create_key(requests.Request("GET", url).prepare()))


def _save(cache: BaseCache, fetched: Fetched, url: str) -> None:
    assert fetched.response is not None  # put() queues only answers with a response
    cache.save_response(fetched.response, _key(cache, url))


def _reason(error: BaseException) -> str:
    """A one-line reason a person can act on: no exception class names."""
    text = str(error).strip().splitlines()
    return text[0] if text else "unknown error"
