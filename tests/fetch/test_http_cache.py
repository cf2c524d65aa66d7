"""The cache heals, stored data of another shape is a miss, back-off, no-op builds, HTML pages."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import TESTS, Origin, feeds_in, warning_lines

from sphinxcontrib_feed.model import Enclosure, Feed
from sphinxcontrib_feed.refresh.store import MODEL_FINGERPRINT

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

NEWEST = ["Release note 05", "Release note 11", "Release note 01"]


def titles(html: str) -> list[str]:
    return [item.title for item in feeds_in(html)[0][0]]


# -- a broken cache heals ------------------------------------------------------------


def test_a_corrupt_sqlite_cache_is_recreated(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build()
    cache = fresh.srcdir / "_build/doctrees/feed-cache.sqlite"
    for extra in ("-wal", "-shm"):
        Path(f"{cache}{extra}").unlink(missing_ok=True)
    # damaged: an SQLite file's header, and then garbage
    cache.write_bytes(cache.read_bytes()[:16] + b"this is not a database" * 100)

    fresh.build(freshenv=True)
    assert titles(fresh.output("index.html")) == NEWEST
    [warning] = warning_lines(fresh.last_warnings)
    assert "feed-cache.sqlite was damaged" in warning and "recreated" in warning
    assert warning.endswith("[feed.cache]")
    # healed: the next build finds the copy stored by the previous one, and says nothing
    fresh.build(freshenv=True)
    assert len(origin.requests) == 2
    assert warning_lines(fresh.last_warnings) == []


def test_redis_down_fetches_without_the_cache(project, httpserver: HTTPServer, refused_port: int):
    pytest.importorskip("redis", reason="the Redis backend needs the 'redis' extra")
    Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build(confoverrides={"feed_cache_backend": f"redis://127.0.0.1:{refused_port}/0"})
    assert titles(fresh.output("index.html")) == NEWEST
    [warning] = warning_lines(fresh.last_warnings)
    assert "cannot use the feed cache redis://" in warning and warning.endswith("[feed.cache]")


@pytest.mark.parametrize("setting", ["feed_cache_path", "feed_snapshot_dir"])
def test_an_unwritable_cache_or_snapshot_dir_keeps_the_download(
    setting: str, project, httpserver: HTTPServer
):
    Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    # a directory that cannot be created (a file is in the way), whoever runs the test
    (fresh.srcdir / "blocker").write_text("not a directory")
    fresh.build(confoverrides={setting: "blocker/inside"})
    assert titles(fresh.output("index.html")) == NEWEST
    [warning] = warning_lines(fresh.last_warnings)
    assert "blocker" in warning and warning.endswith("[feed.cache]")


# -- stored data of another shape is a miss --------------------------------------------


def _foreign_pickles(original: bytes) -> list[bytes]:
    return [
        b"garbage",
        original[: len(original) // 2],
        pickle.dumps({"title": "a dict"}),
        pickle.dumps(("another-fingerprint", Feed(title="old"))),
        pickle.dumps((MODEL_FINGERPRINT, "not a feed")),
        pickle.dumps((MODEL_FINGERPRINT, Feed(entries=(Enclosure(url="x"),)))),  # type: ignore[arg-type]
    ]


def test_foreign_or_damaged_parsed_cache_is_a_miss(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build()
    [stored] = (fresh.srcdir / "_build/doctrees/feed-parsed").glob("*.pickle")
    for foreign in _foreign_pickles(stored.read_bytes()):
        stored.write_bytes(foreign)
        fresh.build(freshenv=True)
        assert titles(fresh.output("index.html")) == NEWEST
        assert warning_lines(fresh.last_warnings) == []


def test_a_file_and_a_url_with_the_same_bytes_parse_separately(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    both = project("fresh")
    page = "Both\n====\n\n.. feed:: _feeds/news.rss\n\n.. feed:: {}\n".format(
        httpserver.url_for("/news.rss")
    )
    (both.srcdir / "index.rst").write_text(page, encoding="utf-8")
    both.build()
    assert len(list((both.srcdir / "_build/doctrees/feed-parsed").glob("*.pickle"))) == 2


# -- back-off ----------------------------------------------------------------------------


@pytest.mark.parametrize("backoff", ["5m", 0])
def test_a_hanging_host_is_not_asked_again_during_the_backoff(
    backoff: str | int, project, httpserver: HTTPServer
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.confoverrides = {"feed_expire": 0, "feed_timeout": 0.5, "feed_backoff": backoff}
    fresh.build()
    origin.mode, origin.delay = "slow", 1.5
    fresh.build()
    assert "timed out" in fresh.last_warnings
    time.sleep(origin.delay)  # the test server answers one request at a time: let it finish
    fresh.build()
    deadline = time.monotonic() + 2 * origin.delay
    while backoff == 0 and len(origin.requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # the third request reaches the server's handler after its delay
    assert titles(fresh.output("index.html")) == NEWEST
    [warning] = warning_lines(fresh.last_warnings)
    assert "timed out" in warning and warning.endswith("[feed.stale]")
    if backoff == 0:
        assert len(origin.requests) == 3
    else:
        assert len(origin.requests) == 2
        assert "feed_backoff" in warning  # and no request: the server's log has two


# -- a no-op build does no I/O and loads no HTTP code -------------------------------------------

PROBE = """
import sys
from sphinx.cmd.build import build_main
status = build_main(["-q", "-b", "html", sys.argv[1], sys.argv[1] + "/_build/html"])
# Sphinx itself imports requests (for linkcheck); ours is the rest of the stack
ours = ("requests_cache", "redis", "sphinxcontrib_feed.fetch.inflight")
http = [m for m in ours if m in sys.modules]
print("status", status, "http", ",".join(http) or "none")
"""


def _probe(srcdir: Path) -> str:
    environment = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(srcdir)],
        capture_output=True, text=True, timeout=120, env=environment, check=False,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1] + " " + result.stderr


def test_feed_files_only_never_load_the_http_stack(project):
    files = project("fresh")
    (files.srcdir / "index.rst").write_text("Files\n=====\n\n.. feed:: _feeds/news.rss\n")
    assert _probe(files.srcdir).startswith("status 0 http none")


def test_a_no_op_build_loads_no_http_code(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    assert "http none" not in _probe(fresh.srcdir)  # the first build fetches
    cache = fresh.srcdir / "_build/html/.doctrees/feed-cache.sqlite"
    stamp = cache.stat().st_mtime_ns
    assert _probe(fresh.srcdir).startswith("status 0 http none")
    assert len(origin.requests) == 1
    assert cache.stat().st_mtime_ns == stamp


# -- an HTML page instead of a feed ----------------------------------------------------------


@pytest.mark.parametrize("advertised", [True, False])
def test_an_html_page_leads_to_its_feed(advertised: bool, project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    link = (
        '<link rel="alternate" type="application/rss+xml" href="/news.rss">' if advertised else ""
    )
    page = f"<!DOCTYPE html><html><head>{link}</head><body>Blog</body></html>"
    httpserver.expect_request("/blog/").respond_with_data(page, content_type="text/html")
    blog = project("fresh")
    text = "Blog\n====\n\n.. feed:: {}\n".format(httpserver.url_for("/blog/"))
    (blog.srcdir / "index.rst").write_text(text, encoding="utf-8")
    blog.build()
    [warning] = warning_lines(blog.last_warnings)
    assert "index.rst:4: WARNING:" in warning and warning.endswith("[feed.parse]")
    if not advertised:
        assert "the address is an HTML page, not a feed" in warning
        assert feeds_in(blog.output("index.html"))[1] == ["Feed unavailable."]
        return
    feed_url = httpserver.url_for("/news.rss")
    assert f"it advertises {feed_url}: use that URL in the directive" in warning
    assert titles(blog.output("index.html"))[:3] == NEWEST
    blog.build()  # still fresh: no request, but the advice is repeated
    assert len(origin.requests) == 1
    assert "use that URL in the directive" in blog.last_warnings


def test_an_advertised_feed_on_a_host_not_allowed_is_not_followed(project, httpserver: HTTPServer):
    page = '<!DOCTYPE html><link rel="alternate" type="application/rss+xml" href="http://elsewhere.example/feed">'
    httpserver.expect_request("/blog/").respond_with_data(page, content_type="text/html")
    blog = project("fresh")
    text = "Blog\n====\n\n.. feed:: {}\n".format(httpserver.url_for("/blog/"))
    (blog.srcdir / "index.rst").write_text(text, encoding="utf-8")
    blog.build(confoverrides={"feed_allowed_hosts": ["127.0.0.1", "localhost"]})
    [warning] = warning_lines(blog.last_warnings)
    assert "http://elsewhere.example/feed, is not an allowed source" in warning


def test_an_unreadable_filesystem_cache_entry_is_dropped(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.confoverrides = {"feed_cache_backend": "filesystem"}
    fresh.build()
    folder = fresh.srcdir / "_build/doctrees/feed-cache"
    entries = [path for path in folder.rglob("*") if path.is_file() and path.suffix != ".sqlite"]
    assert entries
    for entry in entries:
        entry.write_bytes(b"\x80\x04garbage")
    fresh.build(freshenv=True)
    assert titles(fresh.output("index.html")) == NEWEST
    assert len(origin.requests) == 2
    [warning] = warning_lines(fresh.last_warnings)
    assert "unreadable entry" in warning and warning.endswith("[feed.cache]")
    fresh.build(freshenv=True)  # the new download was stored in its place
    assert len(origin.requests) == 2
    assert warning_lines(fresh.last_warnings) == []


def test_the_model_fingerprint_follows_the_model_shape():
    import dataclasses

    from sphinxcontrib_feed.model import Entry
    from sphinxcontrib_feed.refresh.store import model_fingerprint

    same = model_fingerprint()
    assert same == MODEL_FINGERPRINT
    renamed = dataclasses.make_dataclass("Entry", [("headline", str)])
    retyped = dataclasses.make_dataclass("Feed", [("title", int)])
    assert model_fingerprint((Feed, renamed, Enclosure)) != same
    assert model_fingerprint((retyped, Entry, Enclosure)) != same


def test_a_revalidating_builder_asks_every_source(project, httpserver: HTTPServer, monkeypatch):
    from sphinx.builders.html import StandaloneHTMLBuilder

    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build()
    fresh.build()
    assert len(origin.requests) == 1
    monkeypatch.setattr(StandaloneHTMLBuilder, "feed_revalidate", True, raising=False)
    fresh.build()
    assert len(origin.requests) == 2
    assert origin.requests[1].get("If-None-Match") == '"v1"'


def test_an_unchanged_feed_file_is_not_read_again(project, monkeypatch):
    from sphinxcontrib_feed.fetch.fetcher import Fetcher

    reads: list[str] = []
    real = Fetcher.read_file

    def counting(self: Fetcher, path: str):
        reads.append(path)
        return real(self, path)

    monkeypatch.setattr(Fetcher, "read_file", counting)
    files = project("fresh")
    (files.srcdir / "index.rst").write_text("Files\n=====\n\n.. feed:: _feeds/news.rss\n")
    files.build()
    files.build()
    assert len(reads) == 1
    feed = files.srcdir / "_feeds/news.rss"
    feed.write_bytes(feed.read_bytes().replace(b"Release note 05", b"Release note FIVE"))
    os.utime(feed, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    files.build()
    assert len(reads) == 2
    assert titles(files.output("index.html"))[0] == "Release note FIVE"


@pytest.mark.parametrize("padding", [0, 2 * 1024 * 1024], ids=["stored-behind", "over-1-MiB"])
def test_an_answer_is_stored_for_the_next_build(padding: int, project, httpserver: HTTPServer):
    # small answers are stored by the cache's writer thread, large ones by their worker
    origin = Origin(httpserver, "/news.rss", "news.rss")
    origin.body = origin.body.replace(b"<channel>", b"<channel><!--" + b"x" * padding + b"-->", 1)
    assert len(origin.body) > padding
    fresh = project("fresh")
    fresh.build()
    fresh.build(freshenv=True, confoverrides={"feed_expire": 0})  # only the cache knows it now
    assert [request.get("If-None-Match") for request in origin.requests] == [None, '"v1"']
    assert titles(fresh.output("index.html")) == NEWEST
