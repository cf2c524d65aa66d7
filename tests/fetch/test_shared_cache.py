"""Many builders, one cache: concurrent builds on one SQLite file, and Redis."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from helpers import Origin, feeds_in, warning_lines

if TYPE_CHECKING:
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
