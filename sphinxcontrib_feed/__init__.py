"""sphinxcontrib-feed: embed the latest items of RSS, Atom and JSON feeds in Sphinx docs.

Nothing in the package imports this module: :func:`setup` puts the stages
together (see ``CONTRIBUTING.md`` for the layout), and the version lives in
the leaf :mod:`._version`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinxcontrib_feed._version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["__version__", "setup"]

STATIC_DIR = Path(__file__).parent / "static"


def __getattr__(name: str) -> int:
    """``ENV_VERSION``: follows the shape of stored feed data (see :mod:`.refresh.shape`);
    worked out on first use, so importing the package stays cheap."""
    if name == "ENV_VERSION":
        from sphinxcontrib_feed.refresh.shape import env_version

        return env_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _add_static_path(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> ExtensionMetadata:
    from sphinxcontrib_feed.locale import LOCALE_DIR, MESSAGE_CATALOG
    from sphinxcontrib_feed.reading.chrome import note_chrome_sources
    from sphinxcontrib_feed.reading.directive import FeedDirective
    from sphinxcontrib_feed.reading.domain import FeedDomain
    from sphinxcontrib_feed.reading.nodes import feed_date, feed_latest, feed_placeholder
    from sphinxcontrib_feed.reading.role import FeedLatestRole
    from sphinxcontrib_feed.refresh import settled
    from sphinxcontrib_feed.refresh.shape import env_version
    from sphinxcontrib_feed.render import hooks, html, manpage, reports
    from sphinxcontrib_feed.render.direction import honour_direction
    from sphinxcontrib_feed.render.markup import figures
    from sphinxcontrib_feed.render.writers import (
        depart_feed_date_html,
        keep_feeds_out_of_old_search,
        link_stylesheet,
        quiet_epub_title_urls,
        visit_feed_date_html,
    )
    from sphinxcontrib_feed.settings import resolved
    from sphinxcontrib_feed.tools import linkcheck

    resolved.register(app)  # the feed_* values, checked at config-inited
    app.add_node(feed_placeholder)
    app.add_node(feed_latest)
    app.add_node(feed_date, html=(visit_feed_date_html, depart_feed_date_html))
    for box in (html.feed_box, html.feed_block):  # HTML only: other builders never get one
        app.add_node(box, html=(html.visit_feed_box_html, html.depart_feed_box_html))
    app.add_node(figures.summary_image, html=(figures.visit_image_html, figures.depart_image_html))
    app.add_domain(FeedDomain)
    app.add_directive("feed", FeedDirective)
    app.add_post_transform(hooks.RenderFeeds)  # loads the renderer for a feed
    app.add_role("feed-latest", FeedLatestRole())
    app.add_post_transform(hooks.RenderLatest)
    manpage.setup(app)  # roff-safe feed links and text in man pages
    app.add_post_transform(hooks.LatexText)  # feed text that pdflatex can typeset
    app.add_post_transform(hooks.LatexTextLines)  # .tex lines TeX can read, however long
    linkcheck.register(app)  # feed links and -b linkcheck
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))
    settled.register(app)  # refresh every source in use after reading (env-updated)
    app.connect("env-updated", note_chrome_sources, priority=450)  # before the refresh
    app.connect("env-updated", reports.rewrite_warning_pages, priority=900)  # after the refresh
    app.connect("env-updated", reports.report_sidebar, priority=900)
    app.connect("config-inited", hooks.add_templates_path)
    app.connect("html-page-context", hooks.page_context)  # feed_items() for templates
    app.connect("config-inited", _add_static_path)
    app.connect("html-page-context", link_stylesheet)  # CSS_FILE, on pages with a feed
    app.connect("builder-inited", quiet_epub_title_urls)
    app.connect("builder-inited", keep_feeds_out_of_old_search)  # Sphinx 8.1
    app.connect("builder-inited", honour_direction)  # dir="auto" and lang in HTML
    return {
        "version": __version__,
        "env_version": env_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
