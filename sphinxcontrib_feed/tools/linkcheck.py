"""``-b linkcheck`` and feed items: publishers' links are theirs to check, not the author's.

Sphinx's linkcheck collects every ``reference`` with a ``refuri`` (and every
remote image) in a post-transform (``HyperlinkCollector``, priority 800) and
reports each at the line of the nearest node that has one. Feed items are
rendered at write time by :class:`.render.FeedPostTransform`, with no line of
their own, so a dead link in somebody else's blog post used to fail the
author's CI, at a line near the directive that said nothing useful.

Two post-transforms, for the linkcheck builder only, bracket the render:
before it, each placeholder is wrapped in a :class:`feed_links` node that
carries the directive's source and line; after it, unless
``feed_linkcheck`` is set, the links inside are turned into plain text and
remote images dropped, so linkcheck never sees them. When they are checked,
the wrapper's line is the one linkcheck finds for them: the directive's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.reading.nodes import feed_placeholder
from sphinxcontrib_feed.render import order

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class feed_links(nodes.General, nodes.Element):
    """A rendered feed, in linkcheck builds only, with the directive's source and line."""


class ScopeFeedLinks(SphinxPostTransform):
    """Before the render: wrap each placeholder, so its output keeps the directive's line."""

    builders = ("linkcheck",)
    default_priority = order.RENDER - 1

    def run(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(feed_placeholder)):
            scope = feed_links()
            scope.source, scope.line = placeholder.source, placeholder.line
            placeholder.replace_self(scope)
            scope += placeholder


class HideFeedLinks(SphinxPostTransform):
    """After the render: unless ``feed_linkcheck``, leave linkcheck nothing to check."""

    builders = ("linkcheck",)
    default_priority = order.RENDER + 1

    def run(self, **kwargs: Any) -> None:
        if self.config.feed_linkcheck:
            return
        for scope in self.document.findall(feed_links):
            for reference in list(scope.findall(nodes.reference)):
                text = nodes.inline(reference.rawsource, "", *reference.children)
                text["classes"] = list(reference["classes"])
                reference.replace_self(text)
            for image in list(scope.findall(nodes.image)):
                image.parent.remove(image)


def register(app: Sphinx) -> None:
    if "feed_linkcheck" not in app.config:  # helper A's config module registers it too
        app.add_config_value("feed_linkcheck", False, "", bool)
    app.add_node(feed_links)
    app.add_post_transform(ScopeFeedLinks)
    app.add_post_transform(HideFeedLinks)
