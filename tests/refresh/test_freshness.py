"""Freshness without waste: lifetimes, conditional requests, stale copies, offline, snapshots."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import TYPE_CHECKING

import pytest
from helpers import Origin, feed_bytes, feeds_in, warning_lines, written_pages

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

NEWEST = ["Release note 05", "Release note 11", "Release note 01"]


def titles(html: str, feed: int = 0) -> list[str]:
    return [item.title for item in feeds_in(html)[0][feed]]


def test_no_request_inside_the_lifetime(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build()
    fresh.build()
    assert len(origin.requests) == 1
    assert "no targets are out of date" in fresh.last_status
    assert written_pages(fresh.last_status) == []


@pytest.mark.parametrize("validator", ["etag", "last-modified"])
def test_expired_copy_is_revalidated_and_304_rewrites_nothing(
    validator: str, project, httpserver: HTTPServer
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    if validator == "last-modified":
        origin.etag, origin.last_modified = None, "Sat, 01 Aug 2026 10:00:00 GMT"
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0}
    fresh.build()
    page = fresh.srcdir / "_build/html/index.html"
    before = page.stat().st_mtime_ns

    fresh.build()
    assert len(origin.requests) == 2
    conditional = origin.requests[1]
    if validator == "etag":
        assert conditional["If-None-Match"] == '"v1"'
    else:
        assert conditional["If-Modified-Since"] == "Sat, 01 Aug 2026 10:00:00 GMT"
    assert "no targets are out of date" in fresh.last_status
    assert page.stat().st_mtime_ns == before
    assert titles(page.read_text()) == NEWEST


def test_changed_feed_rewrites_only_its_pages(project, httpserver: HTTPServer):
    news = Origin(httpserver, "/news.rss", "news.rss")
    Origin(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    two = project("two-feeds")
    two.confoverrides = {"feed_expire": 0}
    two.build()

    changed = feed_bytes("news.rss").replace(b"Release note 05", b"Release note FIVE")
    news.change(changed)
    two.build()
    assert "0 added, 0 changed, 0 removed" in two.last_status
    written = written_pages(two.last_status)
    # "index" holds the toctree that lists "news": Sphinx rewrites it with any page it lists
    assert "news" in written and "releases" not in written
    assert titles(two.output("news.html"))[0] == "Release note FIVE"


@pytest.mark.parametrize("failure", ["down", "500", "timeout", "garbage"])
def test_failure_keeps_the_last_good_copy(failure: str, project, httpserver: HTTPServer):
    from pytest_httpserver import HTTPServer as Server

    origin_server = Server(host="127.0.0.1", port=0)
    origin_server.start()
    origin = Origin(origin_server, "/news.rss", "news.rss")
    fresh = project("fresh", server=origin_server.url_for("").rstrip("/"))
    fresh.confoverrides = {"feed_expire": 0, "feed_timeout": 0.5}
    try:
        fresh.build()
        assert titles(fresh.output("index.html")) == NEWEST
        if failure == "down":
            origin_server.stop()
        elif failure == "timeout":
            origin.mode, origin.delay = "slow", 2.0
        else:
            origin.mode = failure
        fresh.build()
    finally:
        if origin_server.is_running():
            origin_server.stop()

    [warning] = warning_lines(fresh.last_warnings)
    assert re.search(r"index\.rst:4: WARNING: feed http://127\.0\.0\.1:\d+/news\.rss: ", warning)
    assert "showing the last good copy, fetched 20" in warning
    assert warning.endswith("[feed.stale]")
    expected = {
        "down": "cannot connect",
        "500": "HTTP 500",
        "timeout": "timed out",
        "garbage": "not a feed",
    }
    assert expected[failure] in warning
    html = fresh.output("index.html")
    assert titles(html) == NEWEST
    assert 'class="feed-stale"' in html


@pytest.fixture
def always_expired(project, httpserver: HTTPServer):
    """A page showing /news.rss with a zero lifetime, built once: (origin, project)."""
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0}
    fresh.build()
    return origin, fresh


def test_garbage_never_replaces_the_good_copy_in_the_cache(always_expired):
    origin, fresh = always_expired
    origin.mode = "garbage"
    fresh.build()
    # a fresh environment has no copy of its own: the HTTP cache still holds the good one
    origin.mode = "500"
    fresh.build(freshenv=True)
    assert titles(fresh.output("index.html")) == NEWEST
    assert "HTTP 500" in fresh.last_warnings


@pytest.mark.parametrize("mode", ["warn", "error", "ignore"])
def test_on_error_without_a_good_copy(mode: str, project, dead_url: str):
    from sphinxcontrib_feed.render.transform import FeedError

    on_error = project("on-error", dead=dead_url, mode=mode)
    if mode == "error":
        with pytest.raises(FeedError, match=r"index\.rst:4: cannot show feed .*:on-error: error"):
            on_error.build()
        return
    on_error.build()
    feeds, notes = feeds_in(on_error.output("index.html"))
    warnings = warning_lines(on_error.last_warnings)
    if mode == "warn":
        assert notes == ["Feed unavailable."]
        assert len(warnings) == 1 and warnings[0].endswith("[feed.fetch]")
    else:
        assert notes == [] and warnings == []
        assert len(feeds) == 1  # only the file source's feed is on the page


def test_offline_makes_no_request(project, httpserver: HTTPServer, monkeypatch):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    monkeypatch.setenv("SPHINX_FEED_OFFLINE", "1")
    fresh.build()
    assert origin.requests == []
    assert "offline (feed_offline), and no cached copy or snapshot" in fresh.last_warnings

    monkeypatch.delenv("SPHINX_FEED_OFFLINE")
    fresh.build(confoverrides={"feed_expire": 0})  # fills the cache
    assert len(origin.requests) == 1
    # offline, any cached copy is used however old, and no warning is given
    fresh.build(confoverrides={"feed_expire": 0, "feed_offline": True}, freshenv=True)
    assert len(origin.requests) == 1
    assert warning_lines(fresh.last_warnings) == []
    assert titles(fresh.output("index.html")) == NEWEST


def test_snapshots_are_written_and_read_offline(project, httpserver: HTTPServer, tmp_path):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    snapshots = tmp_path / "snapshots"
    online = project("fresh", "online")
    online.build(confoverrides={"feed_snapshot_dir": str(snapshots)})
    [content] = snapshots.glob("*.feed")
    assert re.fullmatch(r"localhost_\d+_news\.rss-[0-9a-f]{10}\.feed", content.name)
    assert content.read_bytes() == feed_bytes("news.rss")
    assert '"fetched_at"' in content.with_suffix(".json").read_text()

    # another checkout with an empty cache, offline: the snapshot is enough
    offline = project("fresh", "offline")
    offline.build(confoverrides={"feed_snapshot_dir": str(snapshots), "feed_offline": True})
    assert len(origin.requests) == 1
    assert warning_lines(offline.last_warnings) == []
    assert titles(offline.output("index.html")) == NEWEST


def test_snapshot_is_the_fallback_when_the_cache_is_empty(
    project, httpserver: HTTPServer, tmp_path
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    snapshots = tmp_path / "snapshots"
    project("fresh", "first").build(confoverrides={"feed_snapshot_dir": str(snapshots)})
    origin.mode = "500"
    second = project("fresh", "second")
    second.build(confoverrides={"feed_snapshot_dir": str(snapshots)})
    assert titles(second.output("index.html")) == NEWEST
    assert "[feed.stale]" in second.last_warnings


def test_retry_after_defers_the_next_request(always_expired):
    origin, fresh = always_expired
    origin.mode = "503"
    fresh.build()
    assert "HTTP 503" in fresh.last_warnings
    fresh.build()
    assert len(origin.requests) == 2  # the third build honoured Retry-After: 3600


@pytest.mark.parametrize(
    ("hint", "requests"),
    [
        ("ttl", 1),
        ("sy", 1),
        ("max-age", 1),
        ("expires", 1),
        ("no-store", 2),
    ],
)
def test_publisher_hints_can_only_lengthen_the_lifetime(
    hint: str, requests: int, project, httpserver: HTTPServer
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    channel = b"<channel>"
    if hint == "ttl":
        origin.body = origin.body.replace(channel, channel + b"<ttl>120</ttl>", 1)
    elif hint == "sy":
        origin.body = origin.body.replace(
            b'<rss version="2.0">',
            b'<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">',
        ).replace(channel, channel + b"<sy:updatePeriod>daily</sy:updatePeriod>", 1)
    elif hint == "max-age":
        origin.extra_headers = {"Cache-Control": "public, max-age=3600"}
    elif hint == "expires":
        in_two_hours = datetime.now(UTC) + timedelta(hours=2)
        origin.extra_headers = {"Expires": format_datetime(in_two_hours, usegmt=True)}
    else:
        origin.extra_headers = {"Cache-Control": "no-store"}
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0}
    fresh.build()
    fresh.build()
    assert len(origin.requests) == requests


def test_a_shorter_lifetime_applies_at_once(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build(confoverrides={"feed_expire": "1d"})
    fresh.build(confoverrides={"feed_expire": "1d"})
    assert len(origin.requests) == 1
    fresh.build(confoverrides={"feed_expire": "0"})
    assert len(origin.requests) == 2


def test_as_of_shows_the_fetch_date(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build()
    html = fresh.output("index.html")
    assert re.search(
        r'<p class="feed-as-of"><time datetime="20\d\d-\d\d-\d\dT[\d:]+Z">As of ', html
    )
    assert "feed-stale" not in html


def test_parsed_once_per_content_version(project, httpserver: HTTPServer, monkeypatch):
    import sphinxcontrib_feed.parse.document as refresh  # imported by refresh.copies when due

    calls: list[str] = []
    real_parse = refresh.parse_index

    def counting_parse(content: bytes, url: str, content_type: str = ""):
        calls.append(url)
        return real_parse(content, url, content_type)

    monkeypatch.setattr(refresh, "parse_index", counting_parse)
    Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0}
    fresh.build()
    fresh.build(freshenv=True)  # -E: a new environment, same bytes after a 304
    assert len(calls) == 1
    assert titles(fresh.output("index.html")) == NEWEST


def test_oversized_response_is_refused(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build(confoverrides={"feed_max_bytes": 1000})
    assert "more than feed_max_bytes" in fresh.last_warnings
    assert feeds_in(fresh.output("index.html"))[1] == ["Feed unavailable."]


def test_a_failing_feed_warns_on_every_build(project, dead_url: str):
    failing = project("on-error", dead=dead_url, mode="warn")
    first = failing.build(warningiserror=True)
    assert first.statuscode == 1
    second = failing.build(warningiserror=True)  # nothing changed, but the feed is still down
    assert second.statuscode == 1
    assert "[feed.fetch]" in failing.last_warnings
    assert written_pages(failing.last_status) == ["index"]


def test_a_redirected_feed_is_cached_under_its_first_address(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    httpserver.expect_request("/old.rss").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/news.rss")}
    )
    built = project("fresh")
    page = "Moved\n=====\n\n.. feed:: {}\n   :limit: 3\n".format(httpserver.url_for("/old.rss"))
    (built.srcdir / "index.rst").write_text(page, encoding="utf-8")
    built.build()
    built.build(freshenv=True)
    assert len(origin.requests) == 1  # the second build found it under /old.rss
    built.build(confoverrides={"feed_expire": 0})
    assert origin.requests[-1].get("If-None-Match") == '"v1"'
    assert titles(built.output("index.html")) == NEWEST
