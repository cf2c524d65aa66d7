"""Get a source's bytes: from the HTTP cache, over HTTP, or from a file.

requests-cache provides the storage (SQLite, files, memory or Redis), its
serialization and its keys; the decisions are ours, made in
:mod:`.refresh`: when to ask the network, and what may be stored. A response
is stored only after it parsed as a feed, so a failed or garbage fetch never
replaces the last good copy, and a changed lifetime applies at once rather
than after a stored expiry.

One :class:`Fetcher` serves one build's refresh, from several threads, and is
closed before Sphinx forks ``-j`` writers, so no connection crosses a fork.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from requests_cache import init_backend

from sphinxcontrib_feed import __version__
from sphinxcontrib_feed.config import host_allowed, is_redis_url

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

    from requests_cache.backends.base import BaseCache
    from sphinx.config import Config

#: Stored with every copy: when its server last confirmed it (200 or 304).
CHECKED_HEADER = "X-Sphinxcontrib-Feed-Checked"
#: Stored after a 429/503 with Retry-After: no request before this time.
RETRY_HEADER = "X-Sphinxcontrib-Feed-Retry-After"
#: A whole fetch, body included, must finish within this many read timeouts.
DEADLINE_TIMEOUTS = 3
#: Milliseconds an SQLite writer waits for another process's lock.
SQLITE_BUSY_TIMEOUT = 30_000
_CHUNK = 64 * 1024
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)


class FetchError(Exception):
    """The source could not be had; the message says why, for the build log."""

    def __init__(self, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        #: When the server asked us to come back (Retry-After), if it did.
        self.retry_at = retry_at


@dataclass(frozen=True)
class Fetched:
    """A feed document and what we know about its freshness."""

    content: bytes
    #: The address the content came from (after redirects), for relative links.
    url: str
    content_type: str = ""
    #: When its server last confirmed this content (for a file: its mtime).
    checked_at: datetime | None = None
    #: Response headers (Cache-Control, Expires, our own markers).
    headers: dict[str, str] = field(default_factory=dict)
    #: The response to store once the content is known to be a feed.
    response: requests.Response | None = field(default=None, repr=False, compare=False)


class Fetcher:
    """Fetches sources for one build; safe to call from several threads."""

    def __init__(self, config: Config, srcdir: Path, confdir: Path, doctreedir: Path) -> None:
        self._config = config
        self._srcdir = srcdir
        self._confdir = confdir
        self._doctreedir = doctreedir
        self._cache: BaseCache | None = None
        self._session: requests.Session | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            self._session.close()
        if self._cache is not None:
            self._cache.close()  # type: ignore[no-untyped-call]
        self._session = self._cache = None

    # -- files -----------------------------------------------------------------

    def read_file(self, path: str) -> Fetched:
        file = self._srcdir / path
        try:
            stat = file.stat()
            if stat.st_size > self._config.feed_max_bytes:
                raise FetchError(f"{stat.st_size} bytes is more than feed_max_bytes")
            modified = datetime.fromtimestamp(stat.st_mtime, UTC)
            return Fetched(content=file.read_bytes(), url=file.as_uri(), checked_at=modified)
        except OSError as error:
            raise FetchError(f"cannot read feed file {path}: {error.strerror or error}") from None

    # -- the HTTP cache ----------------------------------------------------------

    def cached(self, url: str) -> Fetched | None:
        """The stored copy for *url*, whatever its age."""
        stored = self._backend().get_response(self._key(url))
        if stored is None:
            return None
        return _copy_of(
            stored, url, parse_time(stored.headers.get(CHECKED_HEADER)) or stored.created_at
        )

    def store(self, fetched: Fetched) -> None:
        """Keep *fetched* (a 200 that parsed, or a 304's refreshed copy) as the good copy."""
        if fetched.response is not None:
            self._backend().save_response(
                fetched.response, self._key(fetched.response.request.url or "")
            )

    def defer(self, cached: Fetched, until: datetime) -> None:
        """Remember the server's Retry-After on the stored copy."""
        if cached.response is not None:
            cached.response.headers[RETRY_HEADER] = until.isoformat()
            self.store(cached)

    # -- the network ---------------------------------------------------------------

    def download(self, url: str, cached: Fetched | None) -> Fetched:
        """GET *url*, conditionally when *cached* has validators; 304 gives *cached* back."""
        headers = {}
        if cached is not None:
            if etag := cached.headers.get("ETag"):
                headers["If-None-Match"] = etag
            if modified := cached.headers.get("Last-Modified"):
                headers["If-Modified-Since"] = modified
        timeout = float(self._config.feed_timeout)
        cap = _BodyCap(self._config.feed_max_bytes, time.monotonic() + DEADLINE_TIMEOUTS * timeout)
        try:
            response = self._network().get(
                url,
                headers=headers,
                timeout=(timeout, timeout),
                hooks={"response": [self._check_redirect, cap]},
            )
        except FetchError:
            raise
        except requests.Timeout:
            raise FetchError(f"timed out after {timeout:g} s") from None
        except requests.ConnectionError as error:
            raise FetchError(f"cannot connect ({_reason(error)})") from None
        except requests.RequestException as error:
            raise FetchError(_reason(error)) from None
        now = datetime.now(UTC)
        if response.status_code == 304 and cached is not None and cached.response is not None:
            return self._revalidated(cached, response, now)
        if response.status_code != 200:
            retry_at = None
            if response.status_code in (429, 503):
                retry_at = _retry_at(response.headers.get("Retry-After", ""), now)
            message = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
            raise FetchError(message, retry_at=retry_at)
        response.headers[CHECKED_HEADER] = now.isoformat()
        return Fetched(
            content=response.content,
            url=response.url or url,
            content_type=response.headers.get("Content-Type", ""),
            checked_at=now,
            headers=dict(response.headers),
            response=response,
        )

    def _check_redirect(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Refuse a redirect to a host ``feed_allowed_hosts`` does not name, before following it."""
        if response.is_redirect:
            target = urljoin(response.url, response.headers.get("Location", ""))
            if not host_allowed(target, self._config.feed_allowed_hosts):
                response.close()
                raise FetchError(f"redirected to {target}, a host not in feed_allowed_hosts")

    def _revalidated(
        self, cached: Fetched, not_modified: requests.Response, now: datetime
    ) -> Fetched:
        """*cached*, confirmed by a 304: its headers refreshed, ready to store again."""
        stored = cached.response
        assert stored is not None
        stored.headers.update(not_modified.headers)
        stored.headers[CHECKED_HEADER] = now.isoformat()
        stored.headers.pop(RETRY_HEADER, None)
        stored.headers.pop("Content-Length", None)
        stored.revalidated = True  # type: ignore[attr-defined]
        return _copy_of(stored, cached.url, now)

    # -- plumbing ------------------------------------------------------------------

    def cache_location(self) -> Path | str:
        backend = self._config.feed_cache_backend
        if is_redis_url(backend):
            return str(backend)
        if configured := self._config.feed_cache_path:
            return self._confdir / str(configured)
        name = "feed-cache" if backend == "filesystem" else "feed-cache.sqlite"
        return self._doctreedir / name

    def _key(self, url: str) -> str:
        request = requests.Request("GET", url).prepare()
        return str(self._backend().create_key(request))

    def _backend(self) -> BaseCache:
        with self._lock:
            if self._cache is None:
                self._cache = _open_backend(self._config.feed_cache_backend, self.cache_location())
            return self._cache

    def _network(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = session = requests.Session()
                size = self._config.feed_concurrency
                adapter = HTTPAdapter(pool_connections=size, pool_maxsize=size)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                agent = self._config.feed_user_agent or f"sphinxcontrib-feed/{__version__}"
                session.headers.update({"User-Agent": agent, "Accept": _ACCEPT})
            return self._session


def _open_backend(backend: str, location: Path | str) -> BaseCache:
    if isinstance(location, str):  # a Redis URL
        try:
            from redis import Redis
            from requests_cache.backends.redis import RedisCache
        except ImportError:
            raise FetchError("a redis:// feed_cache_backend needs the 'redis' package") from None
        return RedisCache(namespace="sphinxcontrib-feed", connection=Redis.from_url(location))
    if backend == "memory":
        return init_backend("sphinxcontrib-feed", "memory")
    location.parent.mkdir(parents=True, exist_ok=True)
    if backend == "filesystem":
        return init_backend(location, "filesystem")
    return init_backend(location, "sqlite", wal=True, busy_timeout=SQLITE_BUSY_TIMEOUT)


class _BodyCap:
    """A response hook that streams the body with a size cap and a deadline.

    It runs inside ``requests``, before anything else sees the body, so an
    oversized or endless body is refused without ever being held whole.
    """

    def __init__(self, max_bytes: int, deadline: float) -> None:
        self.max_bytes = max_bytes
        self.deadline = deadline

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise FetchError(f"{declared} bytes is more than feed_max_bytes")
        chunks, total = [], 0
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > self.max_bytes:
                response.close()
                raise FetchError(f"more than feed_max_bytes ({self.max_bytes} bytes)")
            if time.monotonic() > self.deadline:
                response.close()
                raise FetchError("the whole download took too long")
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response


def _copy_of(stored: requests.Response, url: str, checked_at: datetime) -> Fetched:
    headers = dict(stored.headers)
    return Fetched(
        content=stored.content,
        url=stored.url or url,
        content_type=headers.get("Content-Type", ""),
        checked_at=checked_at,
        headers=headers,
        response=stored,
    )


def parse_time(value: str | None) -> datetime | None:
    """An HTTP date or an ISO 8601 time (our own headers), aware; None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _retry_at(value: str, now: datetime) -> datetime | None:
    """Retry-After as a time: delta-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return datetime.fromtimestamp(now.timestamp() + int(value), UTC)
    return parse_time(value)


def _reason(error: BaseException) -> str:
    """The innermost cause, which is what a person can act on."""
    while error.__context__ is not None and str(error.__context__):
        error = error.__context__
    text = str(error)
    return text.split("] ", 1)[-1] if text.startswith("[Errno") else text
