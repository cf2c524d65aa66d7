"""A user's files at every cache path the docs allow: the build, its healing
and ``sphinx-feed cache`` act only on what the extension made."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from helpers import TESTS, Origin, warning_lines

from sphinxcontrib_feed.fetch.cachefiles import SQLITE_HEADER

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_httpserver import HTTPServer


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_feed", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip


def configure(srcdir: Path, **settings: str) -> None:
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.writelines(f"{name} = {value!r}\n" for name, value in settings.items())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the project but the build's, by path."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "_build" not in path.parts
    }


@pytest.mark.parametrize(("configured", "expected"), [(".", "../fresh.sqlite"),
                                                      ("_feeds", "_feeds.sqlite")])  # fmt: skip
def test_a_folder_as_sqlite_path_gets_the_suffix_and_is_never_removed(
    configured, expected, project, httpserver: HTTPServer
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    site = project("fresh")
    configure(site.srcdir, feed_cache_path=configured)
    before = snapshot(site.srcdir)
    site.build()
    cache = (site.srcdir / expected).resolve()
    assert cache.read_bytes().startswith(SQLITE_HEADER)
    site.build(freshenv=True)  # read back: no second request
    assert len(origin.requests) == 1
    info = run("cache", "info", str(site.srcdir))
    assert info.stdout.startswith(f"HTTP cache: {cache} (sqlite, "), info.stdout

    cleared = run("cache", "clear", str(site.srcdir))
    assert cleared.returncode == 0, cleared.stderr
    assert f"removed {cache}" in cleared.stdout.splitlines()
    assert not cache.exists()
    assert snapshot(site.srcdir) == before  # the source folder, the feed folder: intact


def test_a_document_as_cache_path_is_never_replaced(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    site = project("fresh")
    configure(site.srcdir, feed_cache_path="index.rst")
    document = (site.srcdir / "index.rst").read_bytes()
    site.build()
    assert (site.srcdir / "index.rst").read_bytes() == document
    [warning] = warning_lines(site.last_warnings)
    assert "index.rst is not an SQLite database" in warning and "without the cache" in warning
    assert warning.endswith("[feed.cache]")
    assert "Release note" in site.output("index.html")  # the build went on

    cleared = run("cache", "clear", str(site.srcdir))
    assert cleared.returncode == 1
    assert "refusing to remove" in cleared.stderr and "nothing was removed" in cleared.stderr
    assert (site.srcdir / "index.rst").read_bytes() == document
    assert (site.srcdir / "_build/doctrees/feed-parsed").is_dir()  # checked before removing


def test_healing_replaces_only_the_damaged_database(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    site = project("fresh")
    configure(site.srcdir, feed_cache_path="notes")
    (site.srcdir / "notes").write_text("my notes\n", encoding="utf-8")
    (site.srcdir / "notes.sqlite").write_bytes(SQLITE_HEADER + b"damaged" * 200)
    site.build()
    [warning] = warning_lines(site.last_warnings)
    assert "notes.sqlite was damaged" in warning and "recreated" in warning
    assert (site.srcdir / "notes").read_text(encoding="utf-8") == "my notes\n"
    site.build(freshenv=True)  # healed and stored: read back
    assert len(origin.requests) == 1


def test_a_path_outside_without_suffix_is_written_and_read_back(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    site = project("fresh")
    configure(site.srcdir, feed_cache_path="../.feed-cache/feeds")
    site.build()
    cache = site.srcdir.parent / ".feed-cache" / "feeds.sqlite"
    assert cache.is_file()
    site.build(freshenv=True)
    assert len(origin.requests) == 1
    info = run("cache", "info", str(site.srcdir))
    assert info.stdout.startswith("HTTP cache: "), info.stdout
    assert "/.feed-cache/feeds.sqlite (sqlite, " in info.stdout.splitlines()[0]
    assert "1 feed:" in info.stdout


def test_the_project_folder_as_filesystem_cache_is_refused(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    site = project("fresh")
    configure(site.srcdir, feed_cache_path=".", feed_cache_backend="filesystem")
    before = snapshot(site.srcdir)
    site.build()
    [warning] = warning_lines(site.last_warnings)
    assert "not the extension's cache" in warning and warning.endswith("[feed.cache]")
    assert snapshot(site.srcdir) == before  # nothing written into it

    cleared = run("cache", "clear", str(site.srcdir))
    assert cleared.returncode == 1
    assert "refusing to remove" in cleared.stderr and "project's folder" in cleared.stderr
    assert snapshot(site.srcdir) == before


def test_clear_dry_run_and_a_parsed_folder_with_other_files(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    site = project("fresh")
    site.build()
    doctrees = site.srcdir / "_build/doctrees"
    dry = run("cache", "clear", str(site.srcdir), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        f"would remove {doctrees / 'feed-cache.sqlite'}",
        f"would remove {doctrees / 'feed-parsed'}",
    ]
    assert (doctrees / "feed-cache.sqlite").is_file() and (doctrees / "feed-parsed").is_dir()

    (doctrees / "feed-parsed" / "mine.txt").write_text("keep me", encoding="utf-8")
    refused = run("cache", "clear", str(site.srcdir))
    assert refused.returncode == 1 and "feed-parsed" in refused.stderr
    assert (doctrees / "feed-cache.sqlite").is_file()  # nothing removed at all

    (doctrees / "feed-parsed" / "mine.txt").unlink()
    assert run("cache", "clear", str(site.srcdir)).returncode == 0
    assert not (doctrees / "feed-cache.sqlite").exists()
