"""Every builder writes the same items through the generic nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from helpers import serve_feed, warning_lines

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

# builder → files whose text, together, must hold every page's items
OUTPUTS = {
    "html": ["index.html", "page-b.html"],
    "dirhtml": ["index.html", "page-b/index.html"],
    "singlehtml": ["index.html"],
    "epub": ["index.xhtml", "page-b.xhtml"],
    "latex": ["*.tex"],
    "text": ["index.txt", "page-b.txt"],
    "man": ["*.1"],
    "texinfo": ["*.texi"],
}


@pytest.mark.parametrize("buildername", list(OUTPUTS))
def test_builder_shows_items(buildername: str, project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build(buildername)
    assert warning_lines(basic.last_warnings) == []

    outdir = basic.srcdir / "_build" / buildername
    files = [path for pattern in OUTPUTS[buildername] for path in outdir.glob(pattern)]
    assert files, f"{buildername} wrote none of {OUTPUTS[buildername]}"
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    # index shows the newest five, page-b all fourteen (dates hidden there)
    for title in ("Release note 05", "Release note 07", "Hostile link", "Undated announcement"):
        assert title in text, f"{title!r} missing from {buildername} output"
    assert "May 1, 2026" in text
    assert "feed_placeholder" not in text


def test_latex_links_and_escaping(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build("latex")
    [tex] = (basic.srcdir / "_build/latex").glob("*.tex")
    latex = tex.read_text(encoding="utf-8")
    assert r"\sphinxhref{https://news.example.org/posts/05.html}{Release note 05}" in latex
    # the feed's literal "<script>" is text, escaped for LaTeX, never markup
    assert (
        r"with \textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} text"
        in latex
    )
    assert "<script>" not in latex


def test_text_output_layout(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    basic.build("text")
    text = (basic.srcdir / "_build/text/index.txt").read_text(encoding="utf-8")
    assert "* Release note 05 — May 1, 2026\n\n  Summary of note 05" in text
