"""Get a source's bytes: over HTTP, or from a file.

The decisions are made in :mod:`.refresh` (when to ask the network, what may
be stored, in :mod:`.httpcache`); this module does the asking, within hard
limits: ``feed_max_bytes`` (streamed, never read whole first),
``feed_timeout`` for the connection and each read, and one deadline of
:data:`DEADLINE_TIMEOUTS` × ``feed_timeout`` for the whole exchange, enforced
by shutting its sockets down (see :mod:`.inflight`). :meth:`Fetcher.download`
does HTTP I/O and nothing else: no cache, no parsing, no shared state but the
connection pool, so it is what the pool's workers run (:mod:`.pool`).

``requests`` is imported on the first request only: a build whose feeds are
all fresh, or all files, never loads the HTTP stack.

One :class:`Fetcher` serves one build's refresh, and is closed before Sphinx
forks ``-j`` writers, so no connection crosses a fork.
"""

from __future__ import annotations

import os
import stat
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from sphinxcontrib_feed.errors import FetchError
from sphinxcontrib_feed.fetch.files import file_modified, inside
from sphinxcontrib_feed.freshness import CHECKED_HEADER, RETRY_HEADER, retry_at
from sphinxcontrib_feed.settings.config import host_allowed

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

    import requests  # noqa: TC004 - annotations only: imported on the first request

    from sphinxcontrib_feed.fetch.inflight import Exchange
    from sphinxcontrib_feed.settings.resolved import Settings

__all__ = ["FetchError", "Fetched", "Fetcher"]

#: A whole fetch, headers and body included, must finish within this many read timeouts.
DEADLINE_TIMEOUTS = 3
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)


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
    #: 200, or 304 (then ``content`` is empty: the stored copy is confirmed).
    status: int = 200
    #: The last public address the exchange reached, if any (see :mod:`.addresses`):
    #: a feed this document advertises may not lead from there to a private one.
    origin: str | None = field(default=None, compare=False)


class Fetcher:
    """Fetches sources for one build; :meth:`download` may run in several threads
    once :meth:`prepare` has made the session (in the owning thread)."""

    def __init__(self, settings: Settings, srcdir: Path, confined: bool = True) -> None:
        self._settings = settings
        self._srcdir = srcdir
        #: Files must lie inside *srcdir* (a build); ``sphinx-feed show`` reads any.
        self._confined = confined
        self._session: requests.Session | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections; a later request opens new ones."""
        if self._session is not None:
            self._session.close()
        self._session = None

    # -- files -----------------------------------------------------------------

    def _inside(self, path: str) -> Path:
        """*path*, links resolved, checked to be in the source directory at every read."""
        return inside(self._srcdir, path, confined=self._confined)

    def file_modified(self, path: str) -> datetime | None:
        """When a regular feed file was last modified; None if it is not one."""
        return file_modified(self._srcdir, path, confined=self._confined)

    def read_file(self, path: str) -> Fetched:
        """A regular file's bytes, at most ``feed_max_bytes`` of them.

        Opened without blocking and checked before reading, so a FIFO or a
        device named as a feed file is refused instead of hanging the build.
        """
        limit = self._settings.max_bytes
        try:
            handle = os.open(self._inside(path), os.O_RDONLY | os.O_NONBLOCK)
        except OSError as error:
            raise FetchError(f"cannot read feed file {path}: {error.strerror or error}") from None
        with os.fdopen(handle, "rb") as file:
            try:
                info = os.fstat(handle)
                if not stat.S_ISREG(info.st_mode):
                    raise FetchError(f"feed file {path} is not a regular file")
                if info.st_size > limit:
                    raise FetchError(f"{info.st_size} bytes is more than feed_max_bytes")
                content = file.read(limit + 1)
            except OSError as error:
                raise FetchError(
                    f"cannot read feed file {path}: {error.strerror or error}"
                ) from None
        if len(content) > limit:
            raise FetchError(f"more than feed_max_bytes ({limit} bytes)")
        modified = datetime.fromtimestamp(info.st_mtime, UTC)
        return Fetched(content=content, url=(self._srcdir / path).as_uri(), checked_at=modified)

    # -- the network ---------------------------------------------------------------

    @property
    def deadline(self) -> float:
        """Seconds one whole exchange may take."""
        return DEADLINE_TIMEOUTS * self._settings.timeout

    def download(self, url: str, validators: dict[str, str], exchange: Exchange,
                 origin: str | None = None) -> Fetched:  # fmt: skip
        """GET *url* with the conditional headers *validators*, within *exchange*.

        A 304 comes back as such (``status``, empty content); any failure,
        including the exchange's deadline or the build's stop, as :class:`FetchError`.
        *origin*: the public address the page that advertised *url* came from.
        """
        import requests

        from sphinxcontrib_feed.fetch.addresses import Hops
        from sphinxcontrib_feed.fetch.inflight import BodyCap

        exchange.hops = Hops(self._settings.allowed_hosts, origin)
        timeout = self._settings.timeout
        session = self.prepare()
        try:
            response = session.get(
                url,
                headers=validators,
                timeout=(timeout, timeout),
                verify=self._verify(url),
                hooks={"response": [self._check_redirect, BodyCap(self._settings.max_bytes)]},
            )
        except (FetchError, requests.RequestException, UnicodeError) as error:
            if exchange.fired:
                raise FetchError(
                    f"no complete answer within {self.deadline:g} s "
                    f"({DEADLINE_TIMEOUTS} × feed_timeout)"
                ) from None
            if isinstance(error, FetchError):
                raise
            if isinstance(error, requests.Timeout):
                raise FetchError(f"timed out after {timeout:g} s") from None
            if isinstance(error, requests.exceptions.SSLError):
                raise FetchError(
                    f"TLS error ({_reason(error)}); see tls_verify and tls_cacerts"
                ) from None
            if isinstance(error, requests.ConnectionError):
                raise FetchError(f"cannot connect ({_reason(error)})") from None
            if isinstance(error, UnicodeError):  # a Location requests cannot decode
                raise FetchError(f"an unreadable redirect ({_reason(error)})") from None
            raise FetchError(_reason(error)) from None
        now = datetime.now(UTC)
        origin = exchange.hops.origin
        if response.status_code == 304 and validators:
            return Fetched(b"", url, checked_at=now, response=response, status=304, origin=origin)
        if response.status_code != 200:
            retry = None
            if response.status_code in (429, 503):
                retry = retry_at(response.headers.get("Retry-After", ""), now)
            message = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
            raise FetchError(message, retry_at=retry)
        response.headers[CHECKED_HEADER] = now.isoformat()
        return Fetched(
            content=response.content,
            url=response.url or url,
            content_type=response.headers.get("Content-Type", ""),
            checked_at=now,
            headers=dict(response.headers),
            response=response,
            origin=origin,
        )

    def _verify(self, url: str) -> bool | str:
        """Sphinx's ``tls_verify`` and ``tls_cacerts`` (a path, or host → path), as intersphinx."""
        if not self._settings.tls_verify:
            return False
        certs = self._settings.tls_cacerts
        if not certs:
            return True
        if isinstance(certs, str):
            return certs
        host = urlsplit(url).netloc.rpartition("@")[2]
        return str(certs[host]) if host in certs else True

    def _check_redirect(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Refuse a redirect to a host ``feed_allowed_hosts`` does not name, before following it."""
        if response.is_redirect:
            target = urljoin(response.url, response.headers.get("Location", ""))
            if not host_allowed(target, self._settings.allowed_hosts):
                response.close()
                raise FetchError(f"redirected to {target}, a host not in feed_allowed_hosts")

    def prepare(self) -> requests.Session:
        """The session, made on first use: by the owning thread, before any worker runs."""
        import requests

        from sphinxcontrib_feed.fetch.inflight import WatchedAdapter

        if self._session is None:
            self._session = session = requests.Session()
            size = self._settings.concurrency
            adapter = WatchedAdapter(pool_connections=size, pool_maxsize=self._settings.per_host)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update({"User-Agent": self._settings.user_agent, "Accept": _ACCEPT})
            if not self._settings.tls_verify:
                # the project chose this, as Sphinx's own requests do: no nagging per fetch
                from urllib3.exceptions import InsecureRequestWarning

                warnings.filterwarnings("ignore", category=InsecureRequestWarning)
        return self._session


def validators(cached: Fetched | None) -> dict[str, str]:
    """The conditional headers a request for *cached*'s URL sends."""
    headers = {}
    if cached is not None and cached.response is not None:
        if etag := cached.headers.get("ETag"):
            headers["If-None-Match"] = etag
        if modified := cached.headers.get("Last-Modified"):
            headers["If-Modified-Since"] = modified
    return headers


def revalidated(cached: Fetched, answer: Fetched) -> Fetched:
    """*cached*, confirmed by the 304 *answer*: its headers refreshed, ready to store again."""
    stored, not_modified, now = cached.response, answer.response, answer.checked_at
    assert stored is not None and not_modified is not None and now is not None
    stored.headers.update(not_modified.headers)
    stored.headers[CHECKED_HEADER] = now.isoformat()
    stored.headers.pop(RETRY_HEADER, None)
    stored.headers.pop("Content-Length", None)
    stored.revalidated = True  # type: ignore[attr-defined]
    return copy_of(stored, cached.url, now)


def copy_of(stored: requests.Response, url: str, checked_at: datetime) -> Fetched:
    """A stored response as a :class:`Fetched`."""
    headers = dict(stored.headers)
    return Fetched(
        content=stored.content or b"",
        url=stored.url or url,
        content_type=headers.get("Content-Type", ""),
        checked_at=checked_at,
        headers=headers,
        response=stored,
    )


def _reason(error: BaseException) -> str:
    """The innermost cause, which is what a person can act on."""
    while error.__context__ is not None and str(error.__context__):
        error = error.__context__
    text = str(error)
    return text.split("] ", 1)[-1] if text.startswith("[Errno") else text
