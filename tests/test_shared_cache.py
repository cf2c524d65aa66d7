"""Many builders, one cache: concurrent builds on one SQLite file, and Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from helpers import Origin, feeds_in, warning_lines

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytest_httpserver import HTTPServer

SOURCES = 24


def test_two_builds_at_once_share_one_sqlite_file(project, httpserver: HTTPServer, tmp_path: Path):
    origins = [Origin(httpserver, f"/feed-{n}.rss", "news.rss") for n in range(SOURCES)]
    cache = tmp_path / "shared" / "feeds.sqlite"
    projects = [project("fresh", f"builder-{n}") for n in range(2)]
    for built in projects:
        directives = "\n".join(
            f".. feed:: {httpserver.url_for(f'/feed-{n}.rss')}\n   :limit: 1\n"
            for n in range(SOURCES)
        )
        (built.srcdir / "index.rst").write_text(f"Many\n====\n\n{directives}", encoding="utf-8")

    def start(srcdir: Path) -> subprocess.Popen[str]:
        command = [
            sys.executable, "-m", "sphinx", "-q", "-b", "html",
            str(srcdir), str(srcdir / "_build/html"),
            "-D", f"feed_cache_path={cache}", "-D", "feed_expire=0", "-D", "feed_concurrency=8",
        ]  # fmt: skip
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    for _round in range(2):  # a cold cache (inserts), then revalidations (updates)
        running = [start(built.srcdir) for built in projects]
        results = [process.communicate(timeout=120) for process in running]
        for process, (_out, errors) in zip(running, results, strict=True):
            assert process.returncode == 0, errors
            assert warning_lines(errors) == []
        for built in projects:
            feeds, notes = feeds_in(built.output("index.html"))
            assert notes == [] and len(feeds) == SOURCES
    assert [len(origin.requests) for origin in origins] == [4] * SOURCES
    assert cache.is_file()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server on 127.0.0.1, for this test only."""
    pytest.importorskip("redis", reason="the Redis backend needs the 'redis' extra")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_redis_cache_serves_a_second_project(project, httpserver: HTTPServer, redis_url: str):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    first, second = project("fresh", "first"), project("fresh", "second")
    first.build(confoverrides={"feed_cache_backend": redis_url})
    assert len(origin.requests) == 1
    second.build(confoverrides={"feed_cache_backend": redis_url})
    assert len(origin.requests) == 1  # the second builder found it fresh in Redis
    assert warning_lines(second.last_warnings) == []
    [items] = feeds_in(second.output("index.html"))[0]
    assert [item.title for item in items] == [
        "Release note 05",
        "Release note 11",
        "Release note 01",
    ]
    assert not (second.srcdir / "_build/doctrees/feed-cache.sqlite").exists()


@pytest.mark.parametrize("backend", ["filesystem", "memory"])
def test_other_backends(backend: str, project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    fresh = project("fresh")
    fresh.build(confoverrides={"feed_cache_backend": backend})
    fresh.build(confoverrides={"feed_cache_backend": backend}, freshenv=True)
    # the filesystem cache survives between builds; the memory one lives for one build
    assert len(origin.requests) == (1 if backend == "filesystem" else 2)
    assert (fresh.srcdir / "_build/doctrees/feed-cache").is_dir() == (backend == "filesystem")
