"""The feed directive end to end: real Sphinx builds over a real HTTP server."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, requests_for, serve_feed, warning_lines

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

# news.rss, newest first (see tests/feeds/news.rss): "Release note NN" by date.
NEWS_ORDER = [5, 11, 1, 8, 3, 10, 2, 6, 12, 4, 9, 7]
NEWS_TITLES = [f"Release note {n:02d}" for n in NEWS_ORDER] + [
    "Hostile link",
    "Undated announcement",
]


def test_newest_items_first_with_links_dates_and_summaries(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()

    feeds, notes = feeds_in(basic.output("index.html"))
    assert notes == []
    [items] = feeds
    assert [item.title for item in items] == NEWS_TITLES[:5]
    first = items[0]
    assert first.href == "https://news.example.org/posts/05.html"
    assert first.datetime == "2026-05-01T09:30:00Z"
    assert first.date == "May 1, 2026"
    # markup is gone, the escaped "<script>" of the feed's text stays text
    assert first.summary == (
        "Summary of note 05 with <script>alert(1)</script> text. Heading inside 05 · "
        "More words here to make the summary longer than a short cut, so that the "
        "summary length option has something to shorten at a word boundary."
    )
    assert 'alert("x")' not in basic.output("index.html")


def test_container_classes_name_and_css(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()
    html = basic.output("index.html")

    assert re.search(r'<div class="feed-block feed-list front-page[^"]*" id="latest-news">', html)
    assert '<ul class="feed-items' in html
    assert re.search(r'<li class="feed-item" id="feed-item-[0-9a-f]{10}">', html)
    assert 'href="_static/sphinxcontrib-feed.css' in html
    assert (basic.srcdir / "_build/html/_static/sphinxcontrib-feed.css").is_file()


def test_limit_zero_shows_all_and_undated_items_go_last(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()

    [items] = feeds_in(basic.output("page-b.html"))[0]
    assert [item.title for item in items] == NEWS_TITLES
    # :date-format: none hides every date
    assert all(item.datetime is None for item in items)
    # :summary-length: 60, cut at a word boundary
    assert items[0].summary == "Summary of note 05 with <script>alert(1)</script> text…"
    assert all(len(item.summary) <= 60 for item in items)
    # a javascript: link is dropped, the relative one resolved against the feed's address
    assert items[-2].href is None
    assert items[-1].href == httpserver.url_for("/posts/undated.html")


def test_date_format_and_summary_none(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()

    [items] = feeds_in(basic.output("page-a.html"))[0]
    assert len(items) == 10  # feed_limit's default
    assert items[0].date == "01 May 2026"
    assert all(item.summary == "" for item in items)


def test_each_source_requested_once_per_build(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build()
    assert requests_for(httpserver, "/news.rss") == 1
    assert "fetching feeds..." in basic.last_status

    # inside the lifetime (feed_expire = 1h), a fresh environment reads the HTTP cache
    basic.build(freshenv=True)
    assert requests_for(httpserver, "/news.rss") == 1
    assert len(feeds_in(basic.output("index.html"))[0][0]) == 5


def test_named_relative_rooted_and_merged_sources(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    sources = project("sources")
    sources.build()
    assert warning_lines(sources.last_warnings) == []

    [releases] = feeds_in(sources.output("index.html"))[0]
    assert [item.title for item in releases] == [
        "Version 3.0.0", "Version 2.1.0", "Version 2.0.0", "Version 1.0.0",
    ]  # fmt: skip
    # relative links resolve against the feed's xml:base
    assert releases[0].href == "https://releases.example.org/v3.0.0.html"

    relative, rooted = feeds_in(sources.output("sub/page.html"))[0]
    assert [item.title for item in relative] == NEWS_TITLES
    assert [item.title for item in rooted] == ["Version 3.0.0", "Version 2.1.0"]

    named_with_defaults, merged = feeds_in(sources.output("merged.html"))[0]
    # the feed_sources entry's own "limit": 3
    assert [item.title for item in named_with_defaults] == NEWS_TITLES[:3]
    titles = [item.title for item in merged]
    assert len(titles) == len(NEWS_TITLES) + 4
    assert titles[:3] == ["Version 3.0.0", "Release note 05", "Release note 11"]
    assert titles[-1] == "Undated announcement"
    assert requests_for(httpserver, "/news.rss") == 1


def test_myst_fence(project, httpserver: HTTPServer):
    pytest.importorskip("myst_parser", reason="MyST pages need myst-parser (the test extra)")
    serve_feed(httpserver, "/news.rss", "news.rss")
    myst = project("myst")
    myst.build()
    [items] = feeds_in(myst.output("index.html"))[0]
    assert [item.title for item in items] == NEWS_TITLES[:2]
    assert all(item.summary == "" for item in items)


def test_parallel_build_gives_the_same_pages(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    serial, parallel = project("basic", "serial"), project("basic", "parallel")
    serial.build()
    parallel.build(parallel=2)
    for page in ("index.html", "page-a.html", "page-b.html"):
        body = re.compile(r'<div class="body".*?<div class="sphinxsidebar"', re.S)
        assert body.search(serial.output(page))[0] == body.search(parallel.output(page))[0]
    assert requests_for(httpserver, "/news.rss") == 2  # one per build, not per page or worker


def test_unreachable_source_warns_at_the_directive_and_build_goes_on(
    project, httpserver: HTTPServer, dead_url: str
):
    serve_feed(httpserver, "/news.rss", "news.rss")
    unreachable = project("unreachable", dead=dead_url)
    unreachable.build()

    [warning] = warning_lines(unreachable.last_warnings)
    assert re.fullmatch(
        rf".*index\.rst:6: WARNING: cannot show feed {re.escape(dead_url)}: "
        r"cannot connect \(.*\) \[feed\.fetch\]",
        warning,
    )
    feeds, notes = feeds_in(unreachable.output("index.html"))
    assert notes == ["Feed unavailable."]
    assert [item.title for item in feeds[1]] == ["Release note 05"]


def test_unreachable_source_fails_a_strict_build(project, httpserver: HTTPServer, dead_url: str):
    serve_feed(httpserver, "/news.rss", "news.rss")
    unreachable = project("unreachable", dead=dead_url)
    app = unreachable.build(warningiserror=True)  # sphinx-build -W
    assert app.statuscode == 1
    assert (unreachable.srcdir / "_build/html/index.html").is_file()  # the build finished


def test_suppressed_warning_type(project, httpserver: HTTPServer, dead_url: str):
    serve_feed(httpserver, "/news.rss", "news.rss")
    unreachable = project("unreachable", dead=dead_url)
    app = unreachable.build(
        warningiserror=True, confoverrides={"suppress_warnings": ["feed.fetch"]}
    )
    assert app.statuscode == 0
    assert warning_lines(unreachable.last_warnings) == []


def test_bad_sources_are_located_config_warnings(project):
    bad = project("bad-source")
    bad.build()
    warnings = warning_lines(bad.last_warnings)
    assert len(warnings) == 3
    assert re.search(
        r"index\.rst:4: WARNING: feed file '\.\./\.\./outside\.xml' is outside", warnings[0]
    )
    assert warnings[0].endswith("[feed.config]")
    assert re.search(r"index\.rst:6: WARNING: unsupported feed source 'ftp://", warnings[1])
    # a missing file is found while reading, and said with what was tried
    assert re.search(
        r"index\.rst:8: WARNING: feed source '_feeds/missing\.xml' not found: .*"
        r"no _feeds/missing\.xml in the source directory",
        warnings[2],
    )
    assert warnings[2].endswith("[feed.config]")


def test_garbage_is_a_located_parse_warning(project, httpserver: HTTPServer):
    httpserver.expect_request("/news.rss").respond_with_data(
        "<html><body>Not a feed</body></html>", content_type="text/html"
    )
    basic = project("basic")
    basic.build()
    warnings = warning_lines(basic.last_warnings)
    assert len(warnings) == 3  # one per directive that shows the source
    assert all(w.endswith("[feed.parse]") and "not a feed" in w for w in warnings)
    assert re.search(r"index\.rst:9: WARNING", warnings[0])


def test_allowed_hosts(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build(confoverrides={"feed_allowed_hosts": ["*.example.org"]})
    warnings = warning_lines(basic.last_warnings)
    assert len(warnings) == 3
    assert all("host not in feed_allowed_hosts [feed.unsafe]" in w for w in warnings)
    assert requests_for(httpserver, "/news.rss") == 0

    allowed = project("basic", "allowed")
    allowed.build(confoverrides={"feed_allowed_hosts": ["localhost", "127.0.0.1"]})
    assert warning_lines(allowed.last_warnings) == []


def test_redirect_to_a_host_not_allowed_is_refused(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    elsewhere = httpserver.url_for("/news.rss").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/moved.rss").respond_with_data(
        "", status=301, headers={"Location": elsewhere}
    )
    built = project("fresh")
    (built.srcdir / "index.rst").write_text(
        f"Moved\n=====\n\n.. feed:: {httpserver.url_for('/moved.rss')}\n", encoding="utf-8"
    )
    built.build(confoverrides={"feed_allowed_hosts": ["localhost"]})
    assert "a host not in feed_allowed_hosts [feed.fetch]" in built.last_warnings
    assert requests_for(httpserver, "/news.rss") == 0  # the redirect was not followed


def test_every_entry_key_is_a_directive_option():
    from sphinxcontrib_feed.reading.directive import FeedDirective
    from sphinxcontrib_feed.settings.options import ENTRY_OPTIONS

    assert set(ENTRY_OPTIONS) == set(FeedDirective.option_spec) - {"class", "name"}


def test_feed_sources_entries_are_checked(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    sources = project("sources")
    bad = {"releases": {"url": "_feeds/releases.atom", "layuot": "cards", "layout": "grid"}}
    app = sources.build(confoverrides={"feed_sources": bad})
    assert app.statuscode == 0  # a warning, never a ConfigError
    warnings = warning_lines(sources.last_warnings)
    [typo] = [w for w in warnings if "feed_sources['releases']['layuot'] = 'cards'" in w]
    assert typo.endswith("key ignored; did you mean 'layout'? [feed.config]")
    assert any("feed_sources['releases']['layout'] = 'grid'" in w for w in warnings)
    assert all(w.endswith("[feed.config]") for w in warnings)
    html = sources.output("index.html")
    assert feeds_in(html)[0][0]  # the entry is kept...
    assert "feed-list" in html  # ...with the default layout
