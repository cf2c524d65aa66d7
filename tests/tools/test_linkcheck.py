"""``-b linkcheck`` leaves feed items' links alone, unless ``feed_linkcheck`` asks for them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from helpers import serve_feed

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

#: The line of the ``.. feed::`` directive in roots/test-linkcheck/index.rst.
DIRECTIVE_LINE = 8


def dead_feed(server: HTTPServer) -> bytes:
    """A publisher's feed whose every link is dead (404 on the test server)."""
    dead = server.url_for("/dead")
    for path in ("/dead/site", "/dead/post-1", "/dead/post-2", "/dead/inline"):
        server.expect_request(path).respond_with_data("gone", status=404)
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Their blog</title><link>{dead}/site</link>
<item><title>Post 1</title><link>{dead}/post-1</link>
<description>&lt;a href="{dead}/inline"&gt;this&lt;/a&gt;</description></item>
<item><title>Post 2</title><link>{dead}/post-2</link></item>
</channel></rss>""".encode()


def results(site) -> dict[str, dict]:
    lines = site.output("output.json", "linkcheck").splitlines()
    return {result["uri"]: result for result in map(json.loads, lines)}


def test_feed_links_are_not_checked_by_default(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/blog.rss", dead_feed(httpserver))
    serve_feed(httpserver, "/alive.html", b"<p>hi</p>", content_type="text/html")
    site = project("linkcheck")
    app = site.build("linkcheck")
    assert app.statuscode == 0
    assert set(results(site)) == {httpserver.url_for("/alive.html")}
    assert not any(request.path.startswith("/dead") for request, _ in httpserver.log)


def test_feed_linkcheck_reports_at_the_directive(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/blog.rss", dead_feed(httpserver))
    serve_feed(httpserver, "/alive.html", b"<p>hi</p>", content_type="text/html")
    site = project("linkcheck")
    site.confoverrides = {"feed_linkcheck": True}
    app = site.build("linkcheck")
    assert app.statuscode == 1
    found = results(site)
    dead = {uri: result for uri, result in found.items() if "/dead/" in uri}
    assert set(dead) == {httpserver.url_for(f"/dead/{name}")
                         for name in ("site", "post-1", "post-2", "inline")}  # fmt: skip
    for result in dead.values():
        assert result["status"] == "broken"
        assert result["lineno"] == DIRECTIVE_LINE
        assert result["filename"] == "index.rst"
    assert found[httpserver.url_for("/alive.html")]["lineno"] == 4
    text = site.output("output.txt", "linkcheck")
    assert f"index.rst:{DIRECTIVE_LINE}: [broken] {httpserver.url_for('/dead/post-1')}" in text
