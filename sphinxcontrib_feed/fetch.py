"""Get a source's bytes: over HTTP through a requests-cache session, or from a file.

One :class:`Fetcher` serves one build's refresh, from several threads. Its
session is opened on first use and closed with the fetcher, so no SQLite
connection is ever open while Sphinx forks ``-j`` workers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession

from sphinxcontrib_feed import __version__
from sphinxcontrib_feed.config import parse_duration

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

    from sphinx.config import Config

    from sphinxcontrib_feed.model import FeedSource

#: A whole fetch, body included, must finish within this many read timeouts.
DEADLINE_TIMEOUTS = 3
_CHUNK = 64 * 1024
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)


class FetchError(Exception):
    """The source could not be had; the message says why, for the build log."""


@dataclass(frozen=True, slots=True)
class Fetched:
    content: bytes
    #: The address the content finally came from (after redirects), for relative links.
    url: str
    content_type: str = ""
    from_cache: bool = False


class Fetcher:
    """Fetches sources for one build; safe to call from several threads."""

    def __init__(self, config: Config, srcdir: Path, confdir: Path, doctreedir: Path) -> None:
        self._config = config
        self._srcdir = srcdir
        self._confdir = confdir
        self._doctreedir = doctreedir
        self._session: CachedSession | None = None
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
            self._session.close()  # type: ignore[no-untyped-call]
            self._session = None

    def fetch(self, source: FeedSource) -> Fetched:
        if source.path is not None:
            return self._read_file(source.path)
        assert source.url is not None
        return self._get(source.url, source.expire)

    def cache_location(self) -> Path:
        configured = self._config.feed_cache_path
        if configured:
            return self._confdir / str(configured)
        if self._config.feed_cache_backend == "filesystem":
            return self._doctreedir / "feed-cache"
        return self._doctreedir / "feed-cache.sqlite"

    def _read_file(self, path: str) -> Fetched:
        file = self._srcdir / path
        try:
            size = file.stat().st_size
            if size > self._config.feed_max_bytes:
                raise FetchError(f"{size} bytes is more than feed_max_bytes")
            return Fetched(content=file.read_bytes(), url=file.as_uri())
        except OSError as error:
            raise FetchError(f"cannot read feed file {path}: {error.strerror or error}") from None

    def _get(self, url: str, expire: float | None) -> Fetched:
        timeout = float(self._config.feed_timeout)
        cap = _BodyCap(self._config.feed_max_bytes, time.monotonic() + DEADLINE_TIMEOUTS * timeout)
        try:
            response = self._open().get(
                url,
                timeout=(timeout, timeout),
                expire_after=expire,
                hooks={"response": cap},
            )
        except FetchError:
            raise
        except requests.Timeout:
            raise FetchError(f"timed out after {timeout:g} s") from None
        except requests.ConnectionError as error:
            raise FetchError(f"cannot connect ({_reason(error)})") from None
        except requests.RequestException as error:
            raise FetchError(_reason(error)) from None
        if response.status_code != 200:
            raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".rstrip())
        return Fetched(
            content=response.content,
            url=response.url or url,
            content_type=response.headers.get("Content-Type", ""),
            from_cache=bool(getattr(response, "from_cache", False)),
        )

    def _open(self) -> CachedSession:
        with self._lock:
            if self._session is None:
                self._session = self._new_session()
            return self._session

    def _new_session(self) -> CachedSession:
        config = self._config
        backend = config.feed_cache_backend
        location = self.cache_location()
        if backend != "memory":
            location.parent.mkdir(parents=True, exist_ok=True)
        session = CachedSession(
            cache_name=str(location),
            backend=backend,
            expire_after=parse_duration(config.feed_expire),
            allowable_codes=(200,),
            allowable_methods=("GET",),
        )
        adapter = HTTPAdapter(
            pool_connections=config.feed_concurrency, pool_maxsize=config.feed_concurrency
        )
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = (
            config.feed_user_agent or f"sphinxcontrib-feed/{__version__}"
        )
        session.headers["Accept"] = _ACCEPT
        return session


class _BodyCap:
    """A response hook that streams the body with a size cap and a deadline.

    It runs before requests-cache stores the response, so an oversized or
    endless body is refused without ever being held whole or cached.
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


def _reason(error: BaseException) -> str:
    """The innermost cause, which is what a person can act on."""
    while error.__context__ is not None and str(error.__context__):
        error = error.__context__
    text = str(error)
    return text.split("] ", 1)[-1] if text.startswith("[Errno") else text
