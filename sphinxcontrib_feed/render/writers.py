"""Builder-specific polish: dates as ``<time>``, the stylesheet only where a feed is,
EPUB link display. Layout styling lives in ``static/sphinxcontrib-feed.css``."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinxcontrib_feed.render.html import BLOCK_CLASS

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinxcontrib_feed.reading.nodes import feed_date

#: The class of every item title link (see :mod:`.items`).
TITLE_CLASS = "feed-title"
#: The stylesheet, in ``static/``; linked only from pages with a feed.
CSS_FILE = "sphinxcontrib-feed.css"


def visit_feed_date_html(self: HTML5Translator, node: feed_date) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_feed_date_html(self: HTML5Translator, node: feed_date) -> None:
    self.body.append("</time>")


def _is_feed(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and BLOCK_CLASS in node["classes"]


def link_stylesheet(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: link the stylesheet from pages that show a feed, only.

    Sphinx resets the per-page CSS list after each page, and still copies the
    file with the rest of the static files.
    """
    if isinstance(doctree, nodes.Node) and next(doctree.findall(_is_feed), None) is not None:
        app.add_css_file(CSS_FILE)


def quiet_epub_title_urls(app: Sphinx) -> None:
    """``builder-inited``: EPUB's ``epub_show_urls`` writes every external link's URL
    next to it (inline or as a footnote). An item title is a list of headlines, not
    a citation: its URL would double every line. Links inside summaries, the caption
    and "More on" still show theirs, as ``epub_show_urls`` intends."""
    builder = app.builder
    original: Callable[..., None] | None = getattr(builder, "add_visible_links", None)
    if original is None or getattr(original, "_feed_quiet", False):
        return

    def add_visible_links(tree: nodes.document, show_urls: str = "inline") -> None:
        titles = [
            node
            for node in tree.findall(nodes.reference)
            if TITLE_CLASS in node["classes"] and node.get("refuri")
        ]
        hidden = [(node, node["refuri"]) for node in titles]
        for node in titles:
            node["refuri"] = ""
        try:
            original(tree, show_urls)
        finally:
            for node, refuri in hidden:
                node["refuri"] = refuri

    add_visible_links._feed_quiet = True  # type: ignore[attr-defined]
    builder.add_visible_links = add_visible_links  # type: ignore[attr-defined]


def keep_feeds_out_of_old_search(app: Sphinx) -> None:
    """``builder-inited``: on a Sphinx whose search index reads ``no-search`` blocks
    (before 8.2), hide them from the HTML builder's indexer while it reads a page.

    The feed container carries ``no-search`` unless ``:searchable:`` is set
    (see :mod:`.render`); Sphinx 8.2 and later skip such blocks themselves.
    Which Sphinx this is, is asked when the first page is indexed: a build that
    writes no page (a no-op) never asks.
    """
    builder = app.builder
    original: Callable[..., None] | None = getattr(builder, "index_page", None)
    if original is None or getattr(original, "_feed_quiet", False):
        return

    def index_page(pagename: str, doctree: nodes.document, title: str) -> None:
        if _search_skips_no_search():
            original(pagename, doctree, title)
            return
        hidden = [
            (node, nodes.comment())
            for node in doctree.findall(nodes.Element)
            if "no-search" in node["classes"]
        ]
        for node, stand_in in hidden:
            node.replace_self(stand_in)
        try:
            original(pagename, doctree, title)
        finally:
            for node, stand_in in hidden:
                stand_in.replace_self(node)

    index_page._feed_quiet = True  # type: ignore[attr-defined]
    builder.index_page = index_page  # type: ignore[attr-defined]


@functools.cache
def _search_skips_no_search() -> bool:
    """Whether Sphinx's search indexer leaves out ``no-search`` blocks (Sphinx 8.2+):
    asked of its word collector, not of its version number."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    try:
        from sphinx.search import WordCollector
        from sphinx.search.en import SearchEnglish
    except ImportError:  # gone from a later Sphinx, which skips them
        return True
    probe = new_document("probe", get_default_settings(Parser))
    probe += nodes.container("", nodes.Text("feedprobe"), classes=["no-search"])
    collector = WordCollector(probe, SearchEnglish({}))
    probe.walk(collector)
    return "feedprobe" not in collector.found_words
