"""``-b feedcheck``: every source revalidated against a real server, reported, snapshotted."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from helpers import Origin, feed_bytes, feeds_in, warning_lines, written_pages

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer


def reports(project) -> dict[str, dict]:
    lines = project.output("output.json", "feedcheck").splitlines()
    return {report["source"]: report for report in map(json.loads, lines)}


def test_good_then_not_modified_then_stale(project, httpserver: HTTPServer):
    news = Origin(httpserver, "/news.rss", "news.rss")
    releases = Origin(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    site = project("feedcheck")
    news_url, releases_url = httpserver.url_for("/news.rss"), httpserver.url_for("/releases.atom")

    app = site.build("feedcheck")
    assert app.statuscode == 0
    assert not (site.srcdir / "_build/feedcheck/index.html").exists()  # no pages
    status = re.sub(r"\x1b\[[0-9;]*m", "", site.last_status)
    assert "fetching feeds... [100%]" in status  # the progress line
    assert f"\n[ok] {releases_url}: 4 items; last change 2026-06-01; used by index\n" in status
    found = reports(site)
    assert set(found) == {news_url, releases_url, "/_feeds/news.rss"}
    assert {report["status"] for report in found.values()} == {"ok"}
    assert found[news_url]["items"] == 14
    assert found[news_url]["pages"] == ["news"]
    assert found[releases_url]["pages"] == ["index"]
    assert found[news_url]["last_change"].startswith("2026-")
    text = site.output("output.txt", "feedcheck")
    assert f"[ok] {news_url}: 14 items; last change 2026-" in text
    assert "used by news" in text
    snapshots = sorted(path.name for path in (site.srcdir / "_snapshots").glob("*.feed"))
    assert len(snapshots) == 2

    # within the lifetime (feed_expire 1h) a build asks nobody; feedcheck asks everyone
    site.build("html")
    assert len(news.requests) == 1
    app = site.build("feedcheck")
    assert app.statuscode == 0
    assert len(news.requests) == 2
    assert news.requests[1]["If-None-Match"] == '"v1"'
    found = reports(site)
    assert found[news_url]["status"] == found[releases_url]["status"] == "not modified"
    assert found["/_feeds/news.rss"]["status"] == "ok"

    # a changed feed refreshes its snapshot; a failing one is stale, and fails the check
    news.change("wide.rss")
    releases.mode = "500"
    app = site.build("feedcheck")
    assert app.statuscode == 1
    found = reports(site)
    assert found[news_url]["status"] == "ok"
    assert found[news_url]["items"] == 3
    assert found[releases_url]["status"] == "stale"
    assert found[releases_url]["items"] == 4
    assert "HTTP 500" in found[releases_url]["info"]
    snapshot = next((site.srcdir / "_snapshots").glob("*news.rss*.feed"))
    assert snapshot.read_bytes() == feed_bytes("wide.rss")
    warnings = warning_lines(site.last_warnings)
    assert len(warnings) == 1
    assert f"feed {releases_url} is stale: HTTP 500" in warnings[0]
    assert "index.rst" in warnings[0]


def test_a_failing_source_fails_the_check(project, httpserver: HTTPServer):
    httpserver.expect_request("/news.rss").respond_with_data("gone", status=404)
    httpserver.expect_request("/releases.atom").respond_with_data(
        "<html><body>not a feed</body></html>", content_type="text/html"
    )
    site = project("feedcheck")
    app = site.build("feedcheck")
    assert app.statuscode == 1
    found = reports(site)
    news = found[httpserver.url_for("/news.rss")]
    assert news["status"] == "failing"
    assert news["items"] == 0
    assert news["info"].startswith("HTTP 404")
    releases = found[httpserver.url_for("/releases.atom")]
    assert releases["status"] == "failing"
    assert "not a feed" in releases["info"]
    assert found["/_feeds/news.rss"]["status"] == "ok"
    text = site.output("output.txt", "feedcheck")
    assert f"[failing] {httpserver.url_for('/news.rss')}: used by news; HTTP 404" in text
    assert not list((site.srcdir / "_snapshots").glob("*.feed"))
    assert len(warning_lines(site.last_warnings)) == 2


def test_the_next_build_shows_what_feedcheck_found(project, httpserver: HTTPServer):
    news = Origin(httpserver, "/news.rss", "news.rss")
    Origin(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    site = project("feedcheck")
    site.build("html")
    assert feeds_in(site.output("news.html"))[0][0][0].title == "Release note 05"

    news.change("wide.rss")
    site.build("feedcheck")
    assert reports(site)[httpserver.url_for("/news.rss")]["status"] == "ok"

    site.build("html")  # within the lifetime: no request, the copy feedcheck stored
    assert len(news.requests) == 2
    assert "news" in written_pages(site.last_status)  # (and index, whose toctree lists it)
    shown = feeds_in(site.output("news.html"))[0][0]  # the URL's feed, not the file's
    assert len(shown) == 3
    assert shown[0].title.startswith("Unbreakable_release_title")
