"""No step from a public address to a private one (see fetch/addresses.py).

Tests cannot reach a public host, so they declare 127.0.0.2 public
(``addresses.TREAT_AS_PUBLIC``, which exists for tests only); the private
side is the usual test server on 127.0.0.1.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from helpers import Origin, feeds_in, warning_lines

from sphinxcontrib_feed.fetch import addresses

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from pytest_httpserver import HTTPServer
    from sphinx.testing.util import SphinxTestApp


@pytest.fixture
def public(httpserver: HTTPServer) -> Iterator[str]:
    """A server on 127.0.0.2 that redirects to, or advertises, the feed on 127.0.0.1."""
    private = httpserver.url_for("/news.rss")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/redirect.xml":
                self.send_response(302)
                self.send_header("Location", private)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = (
                '<html><head><link rel="alternate" type="application/rss+xml" '
                f'href="{private}"></head><body>Blog</body></html>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.2:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _build(make_app: Callable[..., SphinxTestApp], srcdir: Path, source: str, **conf: object):
    from io import StringIO

    srcdir.mkdir(exist_ok=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxcontrib_feed"]\nproject = "x"\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(f"Feeds\n=====\n\n.. feed:: {source}\n", encoding="utf-8")
    warnings = StringIO()
    app = make_app("html", srcdir=srcdir, warning=warnings, confoverrides=conf, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (srcdir / "_build/html/index.html").read_text(encoding="utf-8")
    return warning_lines(warnings.getvalue()), feeds_in(html)[0]


@pytest.mark.parametrize("path", ["/redirect.xml", "/blog/"])
def test_a_public_address_cannot_lead_to_a_private_one(
    path, public, httpserver, make_app, tmp_path, monkeypatch
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    monkeypatch.setattr(addresses, "TREAT_AS_PUBLIC", frozenset({"127.0.0.2"}))
    warnings, shown = _build(make_app, tmp_path / "docs", public + path)
    assert origin.requests == []  # refused before a byte was sent
    assert shown == [] or shown == [[]]
    [warning] = warnings
    assert "127.0.0.2" in warning and "a public address" in warning
    assert "127.0.0.1" in warning and "feed_allowed_hosts" in warning
    assert warning.endswith("[feed.fetch]")


@pytest.mark.parametrize("path", ["/redirect.xml", "/blog/"])
def test_the_author_may_allow_the_private_host(
    path, public, httpserver, make_app, tmp_path, monkeypatch
):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    monkeypatch.setattr(addresses, "TREAT_AS_PUBLIC", frozenset({"127.0.0.2"}))
    allowed = ["localhost", "127.0.0.1", "127.0.0.2"]  # the test server is "localhost"
    warnings, shown = _build(make_app, tmp_path / "docs", public + path, feed_allowed_hosts=allowed)
    assert len(origin.requests) == 1
    assert shown and shown[0]
    assert not any("public address" in line for line in warnings)


def test_private_to_private_stays_allowed(public, httpserver, make_app, tmp_path):
    origin = Origin(httpserver, "/news.rss", "news.rss")  # nothing is public here
    warnings, shown = _build(make_app, tmp_path / "docs", public + "/redirect.xml")
    assert len(origin.requests) == 1
    assert warnings == [] and shown[0]


def test_addresses_are_classified_by_where_they_are():
    for private in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1",
                    "fe80::1", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1"):  # fmt: skip
        assert not addresses.is_public(private), private
    for public_ip in ("8.8.8.8", "2606:4700::1111", "::ffff:1.1.1.1"):
        assert addresses.is_public(public_ip), public_ip
