"""sphinxcontrib-feed: embed the latest items of RSS, Atom and JSON feeds in Sphinx docs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: Bump when the shape of stored feed data changes: Sphinx then re-reads everything.
ENV_VERSION = 1
STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "sphinxcontrib-feed.css"


def _add_static_path(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> ExtensionMetadata:
    from sphinxcontrib_feed import config, feedcheck, linkcheck
    from sphinxcontrib_feed.directive import FeedDirective
    from sphinxcontrib_feed.domain import FeedDomain
    from sphinxcontrib_feed.locale import LOCALE_DIR, MESSAGE_CATALOG
    from sphinxcontrib_feed.nodes import feed_date, feed_placeholder
    from sphinxcontrib_feed.refresh import refresh_feeds
    from sphinxcontrib_feed.render import FeedPostTransform
    from sphinxcontrib_feed.writers import depart_feed_date_html, visit_feed_date_html

    config.register(app)
    app.add_node(feed_placeholder)
    app.add_node(feed_date, html=(visit_feed_date_html, depart_feed_date_html))
    app.add_domain(FeedDomain)
    app.add_directive("feed", FeedDirective)
    app.add_post_transform(FeedPostTransform)
    feedcheck.register(app)  # the feedcheck builder
    linkcheck.register(app)  # feed links and -b linkcheck
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))
    app.connect("env-updated", refresh_feeds)
    app.connect("config-inited", _add_static_path)
    app.add_css_file(CSS_FILE)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
