"""Feeds in the theme's chrome: the feed-latest role, feed-sidebar.html, feed_items()."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from helpers import serve_feed, warning_lines

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

NEWEST = "https://releases.example.org/v3.0.0.html"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_sidebar_in_furo_shows_the_configured_source(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    sidebar = project("chrome-sidebar")
    sidebar.build()
    assert warning_lines(sidebar.last_warnings) == []
    for page in ("index.html", "other.html"):
        html = sidebar.output(page)
        block = re.search(r'<div class="feed-sidebar">.*?</div>', html, re.S)
        assert block is not None, page
        assert "sidebar-drawer" in html  # furo's own sidebar holds it
        assert html.index("sidebar-drawer") < html.index('class="feed-sidebar"')
        assert '<a href="https://releases.example.org/">Releases</a>' in block[0]
        assert len(re.findall(r'class="feed-sidebar-item"', block[0])) == 2
        assert f'href="{NEWEST}">Version 3.0.0</a>' in block[0]
        assert '<time class="feed-sidebar-date" datetime="2026-06-01T12:00:00Z">' in block[0]
        assert "sphinxcontrib-feed.css" in html


def test_sidebar_of_a_failed_source_renders_nothing(project, refused_port: int):
    sidebar = project("chrome-sidebar", server=f"http://127.0.0.1:{refused_port}")
    sidebar.build()
    html = sidebar.output("index.html")
    assert "feed-sidebar" not in html
    [warning] = warning_lines(sidebar.last_warnings)
    assert "conf.py" in warning and "cannot show feed" in warning and "[feed.fetch]" in warning


def test_role_gives_the_newest_item_as_a_link(project, httpserver: HTTPServer, dead_url: str):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    role = project("chrome-role", dead=dead_url)
    role.build()
    html = role.output("index.html")
    assert f'<a class="feed-latest reference external" href="{NEWEST}">Version 3.0.0</a>' in html
    assert f'href="{NEWEST}">the release notes</a>' in html
    assert 'href="https://news.example.org/posts/05.html">Release note 05</a>' in html
    failed = role.output("failed.html")
    assert '<span class="feed-latest">gone</span>' in failed
    assert '<span class="feed-latest">Our blog</span>' in failed
    assert "<a" not in failed.split('class="feed-latest"', 1)[1].split("</p>", 1)[0]
    warnings = warning_lines(role.last_warnings)
    assert len(warnings) == 2
    assert all("failed.rst:4" in w or "failed.rst:6" in w for w in warnings)
    assert all("cannot show feed" in w and "[feed.fetch]" in w for w in warnings)


def test_role_in_text_and_latex(project, httpserver: HTTPServer, dead_url: str):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    role = project("chrome-role", dead=dead_url)
    role.build("text")
    text = role.output("index.txt", "text")
    assert "The latest release is Version 3.0.0." in text
    assert "Read the release notes first." in text
    assert "Gone: gone." in role.output("failed.txt", "text")
    role.build("latex")
    tex = role.output("feedrole.tex", "latex")
    assert r"\sphinxhref{" + NEWEST + "}{Version 3.0.0}" in tex
    assert r"\sphinxhref{" + NEWEST + "}{the release notes}" in tex
    assert "Our blog" in tex


def test_template_function_in_a_layout(project):
    template = project("chrome-template")
    template.build()
    html = template.output("index.html")
    [aside] = re.findall(r'<aside class="announcement">.*?</aside>', html, re.S)
    assert _text(aside) == (
        "Example Releases: Version 3.0.0 2026-06-01T12:00:00Z Version 2.1.0 2025-10-15T08:00:00Z"
    )
    assert 'class="latest"><a class="reference external" href="' + NEWEST in aside
    # a source no page, role or feed_sidebar uses is not refreshed: nothing, and one warning
    assert 'class="never"' not in html
    [warning] = warning_lines(template.last_warnings)
    assert "feed_items('news')" in warning and "[feed.config]" in warning
