"""``python -m sphinxcontrib_feed``: run as a user would, in a subprocess, against real sources."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from helpers import FEEDS, TESTS, Origin, feeds_in, serve_feed

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_httpserver import HTTPServer


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_feed", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd, timeout=120,
    )  # fmt: skip


def failed_with_one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sphinx-feed: ")
    return lines[0]


def test_show_lists_items_as_text(httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    result = run("show", httpserver.url_for("/news.rss"), "--limit", "3")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Example News — https://news.example.org/\n3 of 14 items\n")
    assert (
        "1. Release note 05\n   2026-05-01 09:30 UTC · https://news.example.org/posts/05.html"
        in out
    )
    assert "3. Release note 01" in out
    assert "4. " not in out
    assert 'alert("x")' not in out  # sanitized as in a build: the script element is gone
    assert "Summary of note 05 with <script>alert(1)</script> text." in out  # text stays text


def test_show_json_matches_what_the_directive_shows(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()
    shown = feeds_in(basic.output("index.html"))[0][0]  # the directive has :limit: 5

    result = run("show", str(FEEDS / "news.rss"), "--json", "--limit", "5")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["title"] == "Example News"
    assert document["link"] == "https://news.example.org/"
    items = document["items"]
    assert [item["title"] for item in items] == [item.title for item in shown]
    assert [item["link"] for item in items] == [item.href for item in shown]
    assert [item["date"] for item in items] == [item.datetime for item in shown]
    assert set(items[0]) == {
        "title", "link", "date", "author", "summary", "summary_html", "image", "categories",
    }  # fmt: skip
    assert items[0]["date"] == "2026-05-01T09:30:00Z"
    assert "<script" not in items[0]["summary_html"]
    everything = json.loads(run("show", str(FEEDS / "news.rss"), "--json", "--limit", "0").stdout)
    assert len(everything["items"]) == 14


def test_a_failing_source_is_one_line(httpserver: HTTPServer, dead_url: str, tmp_path: Path):
    httpserver.expect_request("/gone.rss").respond_with_data("gone", status=404)
    httpserver.expect_request("/page.html").respond_with_data(
        "<html><body><p>Hello</p></body></html>", content_type="text/html"
    )
    line = failed_with_one_line(run("show", httpserver.url_for("/gone.rss")))
    assert line.endswith(": HTTP 404 NOT FOUND")
    line = failed_with_one_line(run("show", httpserver.url_for("/page.html")))
    assert "cannot read" in line and "not a feed" in line
    line = failed_with_one_line(run("show", dead_url))
    assert "cannot connect" in line
    line = failed_with_one_line(run("show", str(tmp_path / "missing.xml")))
    assert "No such file" in line
    line = failed_with_one_line(run("show", "ftp://example.org/feed.xml"))
    assert "only http(s) URLs and files" in line


@pytest.mark.parametrize(
    ("command", "expected"),
    [((), "    cache "), (("show",), "SOURCE"), (("cache",), "{info,clear,snapshots,")],
)
def test_help_for_each_command(command: tuple[str, ...], expected: str):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: sphinx-feed")
    assert expected in result.stdout


def test_no_command_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "usage: sphinx-feed" in result.stderr
    assert "Traceback" not in result.stderr


def test_cache_info_and_clear_after_a_build(project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()
    doctrees = basic.srcdir / "_build" / "doctrees"
    url = httpserver.url_for("/news.rss")

    for directory in (basic.srcdir, doctrees):
        result = run("cache", "info", str(directory))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith(f"HTTP cache: {doctrees / 'feed-cache.sqlite'} (sqlite, ")
        assert lines[0].endswith(" KiB)")
        assert lines[1] == "1 feed:"
        assert lines[2].startswith(f"  {url}  stored 20")
        assert ", checked 20" in lines[2] and lines[2].endswith(" s ago)")
        parsed = re.escape(str(doctrees / "feed-parsed"))
        assert re.fullmatch(rf"parsed feeds: {parsed} \(1 file, [0-9.]+ KiB\)", lines[3])

    result = run("cache", "clear", cwd=basic.srcdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"removed {doctrees / 'feed-cache.sqlite'}",
        f"removed {doctrees / 'feed-parsed'}",
    ]
    assert not (doctrees / "feed-cache.sqlite").exists()
    assert not (doctrees / "feed-parsed").exists()
    assert "(not created yet)" in run("cache", "info", str(basic.srcdir)).stdout

    basic.build()  # within the lifetime, but the cache is gone: asked again
    assert len(origin.requests) == 2


def test_cache_info_reads_the_cache_settings_of_conf_py(project, httpserver: HTTPServer):
    Origin(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    with (basic.srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('feed_cache_path = "_cache/feeds"\nfeed_cache_backend = "filesystem"\n')
    basic.build()
    result = run("cache", "info", str(basic.srcdir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"HTTP cache: {basic.srcdir / '_cache' / 'feeds'} (filesystem, ")
    assert lines[1] == "1 feed:"
    run("cache", "clear", str(basic.srcdir))
    assert not (basic.srcdir / "_cache" / "feeds").exists()


def test_cache_with_redis(project, httpserver: HTTPServer, redis_url: str):
    Origin(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    with (basic.srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"feed_cache_backend = {redis_url!r}\n")
    basic.build()
    lines = run("cache", "info", str(basic.srcdir)).stdout.splitlines()
    assert lines[:2] == [f"HTTP cache: {redis_url} (redis)", "1 feed:"]
    assert lines[2].startswith(f"  {httpserver.url_for('/news.rss')}  stored 20")
    assert run("cache", "clear", str(basic.srcdir)).stdout.startswith(f"cleared {redis_url}\n")
    assert run("cache", "info", str(basic.srcdir)).stdout.splitlines()[1] == "0 feeds:"


def test_summary_length_means_what_the_directive_means():
    """0 is the whole summary (as ``:summary-length: 0``), the default is the directive's
    (300); ``--no-summary`` leaves summaries out."""
    source = str(FEEDS / "news.rss")
    whole = run("show", source, "--limit", "1", "--summary-length", "0").stdout
    assert "shorten at a word boundary." in " ".join(whole.split())
    assert "…" not in whole
    cut = run("show", source, "--limit", "1", "--summary-length", "40").stdout
    assert "…" in cut and "word boundary" not in " ".join(cut.split())
    default = run("show", source, "--limit", "1").stdout  # 300: the summary is shorter
    assert default == whole
    none = run("show", source, "--limit", "1", "--no-summary").stdout
    assert "Summary of" not in none and "1. Release note 05" in none
    help_text = " ".join(run("show", "--help").stdout.split())
    assert "0 for the whole summary" in help_text and "(300)" in help_text


@pytest.mark.parametrize("source", ["127.0.0.1:8765/feed.xml", "localhost:8765/feed.xml"])
def test_an_address_without_scheme_gets_the_directives_hint(source: str, tmp_path: Path):
    line = failed_with_one_line(run("show", source, cwd=tmp_path))
    assert line.endswith(f"; if it is a web address, write 'https://{source}'")
    assert line.count(source) == 2  # the source, and the hint


def test_an_html_page_names_its_address_once(httpserver: HTTPServer):
    httpserver.expect_request("/page.html").respond_with_data(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        "</head><body><p>Hello</p></body></html>",
        content_type="text/html",
    )
    page, feed = httpserver.url_for("/page.html"), httpserver.url_for("/feed.xml")
    line = failed_with_one_line(run("show", page))
    assert line.count(page) == 1, line
    assert line.count(feed) == 1, line
