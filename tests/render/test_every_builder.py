"""Every builder writes the same items through the generic nodes."""

from __future__ import annotations

import itertools
import re
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


def test_latex_label_for_the_feeds_name(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/news.rss", "news.rss")
    basic = project("basic")
    index = basic.srcdir / "index.rst"
    index.write_text(index.read_text("utf-8") + "\nSee :ref:`the news <latest-news>`.\n", "utf-8")
    basic.build("latex")
    assert warning_lines(basic.last_warnings) == []
    [tex] = (basic.srcdir / "_build/latex").glob("*.tex")
    latex = tex.read_text(encoding="utf-8")
    assert r"\label{\detokenize{index:latest-news}}" in latex
    assert r"\hyperref[\detokenize{index:latest-news}]" in latex


def test_man_page_title_and_summary_are_separate_paragraphs(project):
    built = project("display")
    built.build("man")
    [page] = (built.srcdir / "_build/man").glob("*.1")
    man = page.read_text(encoding="utf-8")
    # a rich summary starts a paragraph of its own (.sp), not the title line's continuation
    assert re.search(r"— May 1, 2026\n\.sp\nSummary of \\fBnote 05\\fP", man)
    # no title line (title — date) runs on into the text after it
    lines = man.splitlines()
    for line, after in itertools.pairwise(lines):
        if re.search(r" — \w{3} \d{1,2}, \d{4}$", line):
            assert after.startswith("."), f"{line!r} runs on into {after!r}"


@pytest.mark.parametrize("show_urls", ["inline", "footnote"])
def test_epub_shows_urls_but_not_after_item_titles(project, show_urls: str):
    built = project("display")
    built.build("epub", confoverrides={"epub_show_urls": show_urls})
    xhtml = (built.srcdir / "_build/epub/index.xhtml").read_text(encoding="utf-8")
    titles = re.findall(r'<a class="feed-title reference external"[^>]*>[^<]*</a>(.{0,40})', xhtml)
    assert titles
    for after in titles:
        assert "link-target" not in after and "footnote" not in after
    # other links (here the caption's) still show their URL, the way epub_show_urls says
    if show_urls == "inline":
        assert '<span class="link-target"> [https://releases.example.org/]</span>' in xhtml
    else:
        assert 'class="footnote-reference' in xhtml
