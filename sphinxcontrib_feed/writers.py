"""HTML polish: dates as ``<time>``; layout styling lives in ``static/feed.css``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from sphinxcontrib_feed.nodes import feed_date


def visit_feed_date_html(self: HTML5Translator, node: feed_date) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_feed_date_html(self: HTML5Translator, node: feed_date) -> None:
    self.body.append("</time>")
