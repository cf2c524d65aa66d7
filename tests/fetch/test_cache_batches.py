"""The HTTP cache writes in batches: kept copies go to SQLite in one transaction.

Every statement SQLite runs is traced (``sqlite3.connect`` wrapped), so the
tests count transactions rather than time anything.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
import requests
from helpers import serve_feed

from sphinxcontrib_feed.fetch.fetcher import Fetched
from sphinxcontrib_feed.fetch.httpcache import HTTPCache

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_httpserver import HTTPServer


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement run on a connection opened from now on."""
    ran: list[str] = []
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)  # type: ignore[call-overload]
        connection.set_trace_callback(ran.append)
        return connection  # type: ignore[no-any-return]

    monkeypatch.setattr(sqlite3, "connect", traced)
    return ran


def _fetched(url: str) -> Fetched:
    response = requests.get(url, timeout=10)
    return Fetched(response.content, response.url, response=response, checked_at=datetime.now(UTC))


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as outside:
        return int(outside.execute("SELECT count(*) FROM responses").fetchone()[0])


def _inserts_per_transaction(ran: list[str]) -> list[int]:
    """How many responses each write transaction inserted (one INSERT outside a
    transaction is a transaction of its own)."""
    counts: list[int] = []
    inside = False
    for statement in ran:
        word = statement.split(None, 1)[0].upper()
        if word == "BEGIN":
            inside = True
            counts.append(0)
        elif word in ("COMMIT", "ROLLBACK"):
            inside = False
        elif word == "INSERT" and "INTO responses" in statement:
            if inside:
                counts[-1] += 1
            else:
                counts.append(1)
    return [count for count in counts if count]


def test_kept_copies_are_written_in_one_transaction(
    statements: list[str], httpserver: HTTPServer, tmp_path: Path
):
    for n in range(5):
        serve_feed(httpserver, f"/feed-{n}.xml", "news.rss")
    location = tmp_path / "cache.sqlite"
    cache = HTTPCache("sqlite", location, 5.0, empty=True)
    cache.prepare()
    for n in range(5):
        cache.put(_fetched(httpserver.url_for(f"/feed-{n}.xml")))
    assert _rows(location) == 0  # kept, not written yet
    assert cache.flush()
    assert _rows(location) == 5
    assert _inserts_per_transaction(statements) == [5]
    assert not cache.flush()  # nothing left to write
    cache.close()
    assert cache.problems == []


def test_a_read_of_a_kept_copy_and_closing_write_it(
    statements: list[str], httpserver: HTTPServer, tmp_path: Path
):
    serve_feed(httpserver, "/a.xml", "news.rss")
    serve_feed(httpserver, "/b.xml", "news.rss")
    location = tmp_path / "cache.sqlite"
    cache = HTTPCache("sqlite", location, 5.0, empty=True)
    first = _fetched(httpserver.url_for("/a.xml"))
    cache.put(first)
    stored = cache.get(first.url)  # flushed first: a read never misses a write
    assert stored is not None and stored.content == first.content
    cache.put(_fetched(httpserver.url_for("/b.xml")))
    cache.close()  # writes what is kept
    assert _rows(location) == 2
    assert HTTPCache("sqlite", location, 5.0).get(httpserver.url_for("/b.xml")) is not None


def test_a_redirected_copy_in_a_batch_is_found_by_its_first_address(
    statements: list[str], httpserver: HTTPServer, tmp_path: Path
):
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.xml")}
    )
    serve_feed(httpserver, "/new.xml", "news.rss")
    serve_feed(httpserver, "/other.xml", "news.rss")
    location = tmp_path / "cache.sqlite"
    cache = HTTPCache("sqlite", location, 5.0, empty=True)
    moved = _fetched(httpserver.url_for("/old.xml"))
    assert moved.response is not None and moved.response.history
    cache.put(moved)
    cache.put(_fetched(httpserver.url_for("/other.xml")))
    cache.put(_fetched(httpserver.url_for("/new.xml") + "?again"))
    cache.close()
    assert cache.problems == []
    reopened = HTTPCache("sqlite", location, 5.0)
    found = reopened.get(httpserver.url_for("/old.xml"))  # through the redirect's alias
    assert found is not None and found.content == moved.content
    reopened.close()
    # the copies without a redirect went in one transaction, the redirected one after
    assert _inserts_per_transaction(statements) == [2, 1]


@pytest.mark.parametrize("backend", ["memory", "filesystem"])
def test_other_backends_write_a_batch_one_by_one(
    backend: str, httpserver: HTTPServer, tmp_path: Path
):
    for n in range(3):
        serve_feed(httpserver, f"/feed-{n}.xml", "news.rss")
    cache = HTTPCache(backend, tmp_path / "cache", 5.0, empty=True)
    urls = [httpserver.url_for(f"/feed-{n}.xml") for n in range(3)]
    for url in urls:
        cache.put(_fetched(url))
    assert cache.flush()
    assert all(cache.get(url) is not None for url in urls)
    cache.close()
    assert cache.problems == []


def test_keys_worked_out_while_the_requests_are_out_are_requests_caches_own(
    httpserver: HTTPServer, tmp_path: Path
):
    """:meth:`.HTTPCache.expect` works the keys out early; the copies are stored
    under requests-cache's own keys, so its tools and a later build find them."""
    urls = [httpserver.url_for(f"/feed-{n}.xml") for n in range(3)]
    for n in range(3):
        serve_feed(httpserver, f"/feed-{n}.xml", "news.rss")
    location = tmp_path / "cache.sqlite"
    cache = HTTPCache("sqlite", location, 5.0, empty=True)
    cache.prepare()
    cache.expect(urls[:2])  # the third is worked out when it is stored
    for url in urls:
        cache.put(_fetched(url))
    cache.close()
    assert cache.problems == []
    from requests_cache import init_backend

    own = init_backend(location, "sqlite")
    keys = {own.create_key(requests.Request("GET", url).prepare()) for url in urls}
    assert set(own.responses.keys()) == keys
    reopened = HTTPCache("sqlite", location, 5.0)
    assert all(reopened.get(url) is not None for url in urls)
    reopened.close()


def test_expecting_keys_of_a_cache_it_cannot_use_costs_nothing(tmp_path: Path):
    location = tmp_path / "cache.sqlite"
    location.write_text("not a database, and not ours")
    cache = HTTPCache("sqlite", location, 5.0)
    cache.expect(["http://127.0.0.1:9/feed.xml"])
    assert location.read_text() == "not a database, and not ours"
    assert len(cache.problems) == 1
