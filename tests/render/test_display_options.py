"""Rich summaries, layouts, fields, selection and JSON Feed, in real builds."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import UTC, datetime
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from helpers import TESTS, corpus_folder, feeds_in, serve_feed, warning_lines

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

RELEASES = ["Version 3.0.0", "Version 2.1.0", "Version 2.0.0", "Version 1.0.0"]


@pytest.fixture
def display(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())))
    return project("display")


def one_feed(project, source: str, *options: str, folder: str | None = None):
    """A project whose index page holds one feed directive."""
    built = project("fresh", folder)
    lines = "".join(f"   {option}\n" for option in options)
    page = f"One feed\n========\n\n.. feed:: {source}\n{lines}"
    (built.srcdir / "index.rst").write_text(page, encoding="utf-8")
    return built


def feed_div(html: str, css_class: str) -> str:
    match = re.search(
        rf'<div class="feed-block [^"]*\b{css_class}\b[^"]*".*?</ul>\s*</div>', html, re.S
    )
    assert match, f"no feed with class {css_class}"
    return match[0]


def test_rich_summary_is_nodes_in_html(display):
    display.build()
    rich = feed_div(display.output("index.html"), "rich")
    assert "<strong>note 05</strong>" in rich
    assert '<div class="feed-summary">' in rich
    # the <h1> inside the summary is a rubric: no section, no anchor, not in the toctree
    assert re.search(r'<p class="rubric">Heading inside 05</p>', rich)
    # only the items carry ids, never anything inside a summary
    assert "<section" not in rich
    assert re.findall(r' id="([^"]+)"', rich) == re.findall(
        r'<li class="feed-item" id="(feed-item-[0-9a-f]{10})">', rich
    )
    assert "alert(" not in rich.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")


def test_rich_summary_in_latex_and_text(display):
    display.build("latex")
    [tex] = (display.srcdir / "_build/latex").glob("*.tex")
    latex = tex.read_text(encoding="utf-8")
    assert r"\sphinxstylestrong{note 05}" in latex
    assert r"\section{Heading inside" not in latex and r"\subsection{Heading inside" not in latex
    display.build("text")
    text = (display.srcdir / "_build/text/index.txt").read_text(encoding="utf-8")
    assert "Summary of **note 05** with <script>alert(1)</script> text." in text


def test_fields_title_author_categories_new_tab_and_compact(display):
    display.build()
    assert warning_lines(display.last_warnings) == [
        line for line in warning_lines(display.last_warnings) if "unclosed" in line
    ]
    html = display.output("index.html")
    fields = feed_div(html, "fields")
    assert 'class="feed-block feed-compact fields' in fields
    assert re.search(
        r'<p class="feed-caption"><a class="reference external" '
        r'href="https://releases.example.org/" rel="noopener noreferrer" target="_blank">'
        r'Example Releases<span class="feed-visually-hidden"> \(opens in a new tab\)</span>'
        r"</a></p>",
        fields,
    )
    assert re.search(
        r'<a class="feed-title reference external" href="https://releases.example.org/v3.0.0.html" '
        r'rel="noopener noreferrer" target="_blank">Version 3.0.0'
        r'<span class="feed-visually-hidden"> \(opens in a new tab\)</span></a>',
        fields,
    )
    assert '<span class="feed-author">Release Bot</span>' in fields
    assert '<p class="feed-categories"><span class="feed-category">major</span></p>' in fields
    given = feed_div(html, "given-title")
    assert ">Our releases</a></p>" in given and "target=" not in given
    [note] = re.findall(r'<div class="feed-block feed-list empty[^"]*".*?</div>', html, re.S)
    assert '<p class="feed-note">Nothing new this month.</p>' in note


def test_selection_options(display):
    display.build("html")
    html = display.output("selection.html")
    feeds, _ = feeds_in(html)
    by_order = [[item.title for item in feed] for feed in feeds]
    assert by_order[0] == ["Version 3.0.0", "Version 2.0.0"]  # :filter: major (category, summary)
    assert by_order[1] == ["Version 3.0.0", "Version 1.0.0"]  # :exclude: ^Version 2
    assert by_order[2] == ["Version 3.0.0"]  # :category: Major, other
    assert by_order[3] == ["Release note 01", "Release note 02", "Hostile link"]  # :sort: source
    assert by_order[4] == list(reversed(RELEASES))  # :reverse:
    assert by_order[5] == ["Version 3.0.0", "Version 2.1.0"]  # :since: 365d before 2026-07-01
    assert len(feeds) == 6  # the invalid pattern made no feed...
    [error] = [w for w in warning_lines(display.last_warnings) if "unclosed" in w]
    # ...but a located error, and the build went on
    assert re.search(r"selection\.rst:\d+: ERROR: invalid :filter: pattern '\(unclosed'", error)


def test_cards_with_thumbnails_from_media_thumbnail(project, httpserver: HTTPServer):
    bbc = corpus_folder("realworld") / "bbc_news_world_media_thumbnail.rss"
    serve_feed(httpserver, "/bbc.rss", bbc.read_bytes())
    built = one_feed(
        project, httpserver.url_for("/bbc.rss"), ":layout: cards", ":images:", ":limit: 4"
    )
    built.build()
    html = built.output("index.html")
    assert 'class="feed-block feed-cards' in html
    images = re.findall(r'<img[^>]*class="feed-image"[^>]*>', html)
    assert len(images) == 4
    assert all(
        'loading="lazy"' in img and 'src="https://ichef.bbci.co.uk/' in img for img in images
    )
    first_title = feeds_in(html)[0][0][0].title
    # decorative: the title beside it says what it shows
    assert all('alt=""' in img for img in images)
    # LaTeX cannot link remote images: the same items, no image, no download
    built.build("latex")
    [tex] = (built.srcdir / "_build/latex").glob("*.tex")
    latex = tex.read_text(encoding="utf-8")
    assert first_title.split()[0] in latex and "ichef" not in latex


@pytest.mark.parametrize("name", ["jsonfeed_daringfireball.json", "jsonfeed_humanwhocodes.json"])
def test_json_feeds_render_with_dates(name: str, project, httpserver: HTTPServer):
    document = corpus_folder("realworld") / name
    serve_feed(
        httpserver, "/feed.json", document.read_bytes(), content_type="application/feed+json"
    )
    built = one_feed(project, httpserver.url_for("/feed.json"), ":limit: 3")
    built.build()
    assert warning_lines(built.last_warnings) == []
    [items] = feeds_in(built.output("index.html"))[0]
    assert len(items) == 3
    assert all(item.title and item.href and item.datetime for item in items)


def test_new_tab_reaches_links_inside_rich_summaries(project):
    built = one_feed(project, "_feeds/news.rss", ":summary: rich", ":new-tab:", ":limit: 20")
    built.build()
    html = built.output("index.html")
    links = re.findall(
        r'<a class="reference external" href="https://news\.example\.org/docs/"[^>]*>', html
    )
    assert links and all('target="_blank"' in a and 'rel="noopener noreferrer"' in a for a in links)


def test_as_of_for_a_file_is_its_modification_date(project):
    built = one_feed(project, "_feeds/releases.atom", ":as-of:")
    os.utime(built.srcdir / "_feeds/releases.atom", (1767225600, 1767225600))  # 2026-01-01
    built.build()
    assert '<time datetime="2026-01-01T00:00:00Z">As of Jan 1, 2026</time>' in built.output(
        "index.html"
    )


def test_item_ids_are_stable_and_unique_on_the_page(project):
    built = one_feed(project, "_feeds/releases.atom", ":limit: 2")
    page = built.srcdir / "index.rst"
    page.write_text(page.read_text("utf-8") + "\n.. feed:: _feeds/releases.atom\n   :limit: 1\n")
    built.build()
    first = re.findall(r'<li class="feed-item" id="([^"]+)"', built.output("index.html"))
    # from the entry's id: a short hash, the same in every build
    expected = "feed-item-" + hashlib.sha256(b"urn:example:releases:3.0.0").hexdigest()[:10]
    assert first[0] == expected
    # the same item shown twice on one page gets a suffix the second time
    assert first == [expected, first[1], f"{expected}-2"]
    assert len(set(first)) == 3
    (built.srcdir / "_build").rename(built.srcdir / "_build-1")
    built.build()
    assert re.findall(r'<li class="feed-item" id="([^"]+)"', built.output("index.html")) == first


def test_rel_tokens_on_every_feed_link_with_new_tab(project):
    built = one_feed(
        project, "_feeds/news.rss", ":summary: rich", ":rel: nofollow ugc", ":new-tab:",
        ":title:", ":limit: 20",
    )  # fmt: skip
    built.build()
    html = built.output("index.html")
    titles = re.findall(r'<a class="feed-title reference external"[^>]*>', html)
    inside = re.findall(r'<a class="reference external" href="https://news\.example[^>]*>', html)
    assert titles and inside
    for anchor in titles + inside:
        assert 'rel="nofollow ugc noopener noreferrer"' in anchor and 'target="_blank"' in anchor
    plain = one_feed(project, "_feeds/news.rss", ":rel: sponsored", ":limit: 1", folder="plain")
    plain.build()
    [title] = re.findall(r'<a class="feed-title[^>]*>', plain.output("index.html"))
    assert 'rel="sponsored"' in title and "target=" not in title


def test_more_links_to_the_feeds_site(project):
    built = one_feed(project, "_feeds/releases.atom", ":more:", ":limit: 1")
    built.build()
    html = built.output("index.html")
    assert re.search(
        r'</ul>\s*<p class="feed-more"><a class="reference external" '
        r'href="https://releases.example.org/">More on Example Releases</a></p>\s*</div>',
        html,
    )


def test_feed_text_stays_out_of_the_search_index_unless_searchable(project):
    built = one_feed(project, "_feeds/releases.atom", ":limit: 0")
    built.build()
    index = (built.srcdir / "_build/html/searchindex.js").read_text("utf-8")
    assert '"feed"' in index  # the page's own words ("One feed") are there...
    assert "3.0.0" not in index and '"version"' not in index  # ...the items' are not
    assert 'class="feed-block feed-list no-search"' in built.output("index.html")
    built.confoverrides = {"feed_searchable": True}
    built.build(freshenv=True)
    assert '"version"' in (built.srcdir / "_build/html/searchindex.js").read_text("utf-8")


def test_stylesheet_only_on_pages_with_a_feed(project):
    built = one_feed(project, "_feeds/releases.atom", ":limit: 1")
    (built.srcdir / "other.rst").write_text("Other\n=====\n\nNo feed here.\n", "utf-8")
    index = built.srcdir / "index.rst"
    index.write_text(index.read_text("utf-8") + "\n.. toctree::\n\n   other\n", "utf-8")
    built.build()
    stylesheet = 'href="_static/sphinxcontrib-feed.css'
    assert stylesheet in built.output("index.html")
    assert stylesheet not in built.output("other.html")
    assert stylesheet not in built.output("genindex.html")
    assert (built.srcdir / "_build/html/_static/sphinxcontrib-feed.css").is_file()


def test_images_on_the_docs_own_site_are_relative(project, tmp_path):
    feed = (
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        "<title>Own</title><link>https://docs.example.org/</link>"
        "<item><title>Ours</title><link>https://docs.example.org/a</link>"
        '<media:thumbnail url="https://docs.example.org/en/latest/_static/a.svg"/></item>'
        "<item><title>Theirs</title><link>https://other.example.org/b</link>"
        '<media:thumbnail url="https://other.example.org/b.svg"/></item>'
        "</channel></rss>"
    )
    built = one_feed(project, "/_feeds/own.rss", ":images:")
    (built.srcdir / "_feeds/own.rss").write_text(feed, "utf-8")
    (built.srcdir / "sub").mkdir()
    (built.srcdir / "sub/page.rst").write_text(
        "Sub\n===\n\n.. feed:: /_feeds/own.rss\n   :images:\n", "utf-8"
    )
    index = built.srcdir / "index.rst"
    index.write_text(index.read_text("utf-8") + "\n.. toctree::\n\n   sub/page\n", "utf-8")
    built.confoverrides = {"html_baseurl": "https://docs.example.org/en/latest"}
    built.build()
    assert 'src="_static/a.svg"' in built.output("index.html")
    sub = built.output("sub/page.html")
    assert 'src="../_static/a.svg"' in sub and 'src="https://other.example.org/b.svg"' in sub


def test_docs_gallery_images_resolve_in_an_offline_build(tmp_path, monkeypatch):
    """The docs' own gallery: its card thumbnails are files of the built docs, not links
    to a site that may be unreachable (``html_baseurl`` makes them page-relative)."""
    pytest.importorskip("myst_parser", reason="the docs use myst-parser")
    from sphinx.testing.util import SphinxTestApp

    monkeypatch.setenv("SPHINX_FEED_OFFLINE", "1")
    srcdir = tmp_path / "docs"
    shutil.copytree(TESTS.parent / "docs", srcdir, ignore=shutil.ignore_patterns("_build"))
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = srcdir / "_build" / "html"
    sources = re.findall(
        r'<img alt="" class="feed-image"[^>]* src="([^"]+)"', (outdir / "gallery.html").read_text()
    )
    assert sources
    for source in sources:
        assert "://" not in source, source
        assert (outdir / source).is_file(), source
