"""Fetch hardening: one deadline, bad answers, unexpected errors, huge lifetimes, FIFOs."""

from __future__ import annotations

import gzip
import os
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from helpers import Origin, feed_bytes, feeds_in, requests_for, warning_lines

from sphinxcontrib_feed.freshness import (
    MAX_LIFETIME,
    fresh_until,
    http_hint,
    retry_at,
    syndication_hint,
)
from sphinxcontrib_feed.refresh.answers import bad_content, is_truncated_xml

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_httpserver import HTTPServer

NEWEST = ["Release note 05", "Release note 11", "Release note 01"]


def titles(html: str) -> list[str]:
    return [item.title for item in feeds_in(html)[0][0]]


class DripServer:
    """A raw HTTP server on 127.0.0.1 that sends its answer one byte at a time."""

    def __init__(self, part: str, interval: float = 0.3) -> None:
        self.part, self.interval = part, interval
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            if self.part == "headers":
                data = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
            else:
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                    b"Content-Length: 100000\r\n\r\n"
                )
                data = feed_bytes("news.rss")
            for byte in data:
                if self.stop.is_set():
                    return
                try:
                    connection.send(bytes([byte]))
                except OSError:
                    return
                self.stop.wait(self.interval)

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def drip() -> Iterator[type[DripServer]]:
    servers: list[DripServer] = []

    def start(part: str) -> DripServer:
        servers.append(DripServer(part))
        return servers[-1]

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_the_deadline_covers_headers_and_slow_bodies(part: str, project, drip):
    server = drip(part)
    slow = project("fresh", server=f"http://127.0.0.1:{server.port}")
    started = time.monotonic()
    slow.build(confoverrides={"feed_timeout": 1})
    elapsed = time.monotonic() - started
    # each byte comes well within feed_timeout: only the 3 s deadline can end it
    assert elapsed < 12, f"the build took {elapsed:.1f} s"
    [warning] = warning_lines(slow.last_warnings)
    assert re.search(
        r"index\.rst:4: WARNING: cannot show feed .*: no complete answer within 3 s", warning
    )
    assert warning.endswith("[feed.fetch]")


@pytest.fixture
def good_then(project, httpserver: HTTPServer):
    """A page showing /news.rss (zero lifetime), built once with the good feed."""
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0, "feed_backoff": 0}
    fresh.build()
    assert titles(fresh.output("index.html")) == NEWEST
    return origin, fresh


EMPTY_CHANNEL = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>'
)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (feed_bytes("news.rss")[:120], "ends before its root element"),
        (feed_bytes("news.rss")[:400], "ends before its root element"),
        (feed_bytes("news.rss")[:-10], "ends before its root element"),
        (b"", "empty document"),
        (EMPTY_CHANNEL, "has no items, where the last good copy had 14"),
        # gzip-compressed: a stream cut short, and a whole stream of a document cut short
        pytest.param(
            gzip.compress(feed_bytes("news.rss"))[:-30],
            "gzip-compressed document is cut short",
            id="gzip-stream-cut",
        ),
        pytest.param(
            gzip.compress(feed_bytes("news.rss")[:-10]),
            "ends before its root element",
            id="gzip-of-a-cut-document",
        ),
    ],
)
def test_a_bad_answer_never_replaces_the_good_copy(answer: bytes, reason: str, good_then):
    origin, fresh = good_then
    origin.change(answer)
    fresh.build()
    assert titles(fresh.output("index.html")) == NEWEST
    [warning] = warning_lines(fresh.last_warnings)
    assert reason in warning and warning.endswith("[feed.stale]")
    # nor in the HTTP cache: a new environment with the server failing still has it
    origin.mode = "500"
    fresh.build(freshenv=True)
    assert titles(fresh.output("index.html")) == NEWEST


def test_an_unexpected_error_still_falls_back(good_then, monkeypatch):
    import sphinxcontrib_feed.refresh.sources as sources

    _origin, fresh = good_then

    def broken(content: bytes) -> str | None:
        raise RuntimeError("internal detail")

    monkeypatch.setattr(sources, "bad_content", broken)
    fresh.build(freshenv=True)  # nothing in the environment: the cache's copy is the fallback
    assert titles(fresh.output("index.html")) == NEWEST
    [warning] = warning_lines(fresh.last_warnings)
    assert "unexpected problem" in warning and warning.endswith("[feed.stale]")
    assert "RuntimeError" not in warning and "internal detail" not in warning


def test_truncation_is_recognised_structurally():
    whole = feed_bytes("news.rss")
    assert not is_truncated_xml(whole)
    assert not is_truncated_xml(whole + b"\n<!-- generated -->\n<?pi x?>\n")
    assert not is_truncated_xml(feed_bytes("releases.atom"))
    assert not is_truncated_xml(b'{"version": "https://jsonfeed.org/version/1.1"}')
    assert all(is_truncated_xml(whole[:cut]) for cut in range(60, len(whole) - 1, 97))
    assert bad_content(b"") is not None and bad_content(whole) is None


def test_huge_and_odd_freshness_values_are_clamped():
    now = datetime(2026, 11, 30, tzinfo=UTC)
    assert http_hint({"Cache-Control": "max-age=999999999999"}) == MAX_LIFETIME
    assert http_hint({"Cache-Control": "max-age=" + "9" * 400}) == MAX_LIFETIME
    far = {"Expires": "Fri, 31 Dec 9999 23:59:59 GMT", "Date": "Mon, 30 Nov 2026 00:00:00 GMT"}
    assert http_hint(far) == MAX_LIFETIME
    assert syndication_hint("99999999999", None, None) == MAX_LIFETIME
    assert syndication_hint("²", None, None) is None
    assert syndication_hint(None, "daily", "²") == 86400
    assert retry_at("99999999999999", now) == now + timedelta(seconds=MAX_LIFETIME)
    assert retry_at("²", now) is None
    for lifetime in (float("inf"), float("nan"), 1e300, -5.0):
        until = fresh_until(now, lifetime, None)
        assert now <= until <= now + timedelta(seconds=MAX_LIFETIME)
    assert fresh_until(datetime.max.replace(tzinfo=UTC), 3600, None).year == 9999


@pytest.mark.parametrize("hint", ["max-age", "ttl", "ttl-superscript", "retry-after"])
def test_huge_freshness_values_in_a_build(hint: str, project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    channel = b"<channel>"
    if hint == "max-age":
        origin.extra_headers = {"Cache-Control": "max-age=999999999999"}
    elif hint == "ttl":
        origin.body = origin.body.replace(channel, channel + b"<ttl>99999999999</ttl>", 1)
    elif hint == "ttl-superscript":
        origin.body = origin.body.replace(channel, channel + "<ttl>²</ttl>".encode(), 1)
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0, "feed_backoff": 0}
    fresh.build()
    if hint == "retry-after":
        httpserver.clear()
        httpserver.expect_request("/news.rss").respond_with_data(
            "busy", status=503, headers={"Retry-After": "99999999999999"}
        )
        fresh.build()
        assert "HTTP 503" in fresh.last_warnings
    fresh.build()
    assert titles(fresh.output("index.html")) == NEWEST
    expected = 1 if hint in ("max-age", "ttl") else 2
    if hint != "retry-after":
        assert requests_for(httpserver, "/news.rss") == expected
        assert warning_lines(fresh.last_warnings) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_fifo_as_feed_file_is_refused_not_waited_for(project):
    files = project("fresh")
    os.mkfifo(files.srcdir / "_feeds" / "pipe.xml")
    (files.srcdir / "index.rst").write_text("Pipe\n====\n\n.. feed:: _feeds/pipe.xml\n")
    started = time.monotonic()
    files.build()
    assert time.monotonic() - started < 30
    [warning] = warning_lines(files.last_warnings)
    assert "index.rst:4: WARNING:" in warning and "is not a regular file" in warning


def test_a_feed_file_over_the_cap_is_refused(project):
    files = project("fresh")
    (files.srcdir / "index.rst").write_text("Big\n===\n\n.. feed:: _feeds/news.rss\n")
    files.build(confoverrides={"feed_max_bytes": 1000})
    assert "more than feed_max_bytes" in files.last_warnings
