"""What ``setup()`` registers of the render stage, without loading the renderer.

A build that writes no page showing a feed (a no-op rebuild, or one whose
changed pages show none) never imports :mod:`.transform`, :mod:`.items`,
:mod:`.markup` or :mod:`.chrome`: the post-transforms here look for a
placeholder first, and the template function imports the real one
(:func:`.chrome.feed_items`) when a template calls it. The post-transforms of
:mod:`.transform` and :mod:`.latest` do the work, at the priority set here;
those of :mod:`.latex_text` and :mod:`.latex_lines` load in LaTeX builds only.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.reading.nodes import feed_latest, feed_placeholder
from sphinxcontrib_feed.render import order
from sphinxcontrib_feed.render.writers import CSS_FILE
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_feed.render.chrome import FeedItems

__all__ = [
    "TEMPLATES_DIR",
    "LatexText",
    "LatexTextLines",
    "RenderFeeds",
    "RenderLatest",
    "add_templates_path",
    "feed_items",
    "page_context",
]

#: Where ``feed-sidebar.html`` is.
TEMPLATES_DIR = Path(__file__).parent.parent / "templates"


class RenderFeeds(SphinxPostTransform):
    """Each ``feed`` placeholder becomes the feed (:class:`.transform.FeedPostTransform`)."""

    default_priority = order.RENDER

    def run(self, **kwargs: Any) -> None:
        if next(self.document.findall(feed_placeholder), None) is None:
            return
        from sphinxcontrib_feed.render.transform import FeedPostTransform

        FeedPostTransform(self.document, self.startnode).run(**kwargs)


class RenderLatest(SphinxPostTransform):
    """Each ``:feed-latest:`` placeholder becomes a link (:class:`.latest.FeedLatestTransform`)."""

    default_priority = order.RENDER  # with the directive's

    def run(self, **kwargs: Any) -> None:
        if next(self.document.findall(feed_latest), None) is None:
            return
        from sphinxcontrib_feed.render.latest import FeedLatestTransform

        FeedLatestTransform(self.document, self.startnode).run(**kwargs)


class LatexText(SphinxPostTransform):
    """Feed text pdflatex can typeset (:class:`.latex_text.PdflatexText`)."""

    builders = order.LATEX_BUILDERS
    default_priority = order.LATEX_TEXT

    def run(self, **kwargs: Any) -> None:
        from sphinxcontrib_feed.render.latex_text import PdflatexText

        PdflatexText(self.document, self.startnode).run(**kwargs)


class LatexTextLines(SphinxPostTransform):
    """Feed text in ``.tex`` lines TeX can read (:class:`.latex_lines.LatexLines`)."""

    builders = order.LATEX_BUILDERS
    default_priority = order.LATEX_LINES

    def run(self, **kwargs: Any) -> None:
        from sphinxcontrib_feed.render.latex_lines import LatexLines

        LatexLines(self.document, self.startnode).run(**kwargs)


def feed_items(app: Sphinx, source: str | None = None, limit: int = 5) -> FeedItems:
    """``feed_items(source, limit=5)`` in templates: :func:`.chrome.feed_items`."""
    from sphinxcontrib_feed.render.chrome import feed_items

    return feed_items(app, source, limit)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: ``feed_items`` for templates; with ``feed_sidebar``, the
    stylesheet on every page."""
    context["feed_items"] = partial(feed_items, app)
    if get_settings(app).sidebar is not None:
        app.add_css_file(CSS_FILE)


def add_templates_path(app: Sphinx, config: Any) -> None:
    """``config-inited``: ``feed-sidebar.html`` can be listed in ``html_sidebars``
    (after the project's own folders, so a project can override it). A new list:
    the default one is shared by every Sphinx application in the process."""
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]
