"""The feed's own boxes in HTML: prefixed classes only, and what assistive technology needs.

:mod:`.transform` builds generic nodes for every builder. For HTML builders,
:func:`for_html` then turns the feed's containers into :class:`feed_box` nodes,
written as a ``<div>`` with the feed's classes alone: docutils' ``docutils
container`` classes would let a theme's ``.container`` rule (furo's
``[role=main] .container``) restyle a feed by accident. The outermost box is a
:class:`feed_block`, which is also ``Invisible`` to extensions that summarise
the author's text (sphinxext-opengraph's ``og:description`` and ``<meta
name="description">`` skip invisible nodes); it is still written in full.

It also makes the feed accessible in every theme (WCAG 2.2 AA): a table that
may scroll sideways is a focusable, named region; a link that opens a new tab
says so in visually hidden text; a content image with no ``alt`` is named
"Image" (thumbnails beside a title stay decorative, ``alt=""``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from docutils import nodes

from sphinxcontrib_feed.locale import _
from sphinxcontrib_feed.render.markup.figures import summary_image

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

#: The class of the outermost box of every feed (``div.feed-block``).
BLOCK_CLASS = "feed-block"
#: Text only screen readers read (the stylesheet hides it visually).
HIDDEN_CLASS = "feed-visually-hidden"
#: The box a summary's table scrolls in.
TABLE_CLASS = "feed-table"


class feed_box(nodes.container):
    """A ``<div>`` of the feed's own; other translators write it as a container.

    ``region``, when set, is the accessible name of a box that may scroll:
    it gets ``role="region"``, ``tabindex="0"`` and that ``aria-label``.
    """


class feed_block(feed_box, nodes.Invisible):
    """The outermost box of a feed: written in full, but not the author's prose.

    Extensions that summarise a page (sphinxext-opengraph) skip ``Invisible`` nodes.
    """


def visit_feed_box_html(self: HTML5Translator, node: feed_box) -> None:
    attributes: dict[str, Any] = {}
    if node.get("region"):
        attributes.update(role="region", tabindex="0")
        attributes["aria-label"] = node["region"]
    self.body.append(self.starttag(node, "div", "", **attributes))


def depart_feed_box_html(self: HTML5Translator, node: feed_box) -> None:
    self.body.append("</div>\n")


Box = TypeVar("Box", bound=feed_box)


def _box(container: nodes.container, kind: type[Box]) -> Box:
    box = kind("", *container.children)
    for name, value in container.attributes.items():
        box[name] = list(value) if isinstance(value, list) else value
    box.source, box.line = container.source, container.line
    return box


def for_html(container: nodes.container) -> feed_block:
    """*container* (a whole feed, as :mod:`.transform` makes it) ready for an HTML writer."""
    block = _box(container, feed_block)
    for inner in list(block.findall(nodes.container, include_self=False)):
        box = _box(inner, feed_box)
        if TABLE_CLASS in box["classes"]:
            box["region"] = _("Table")
        inner.replace_self(box)
    for reference in block.findall(nodes.reference):
        if reference.get("target") == "_blank":
            hidden = nodes.inline("", " " + _("(opens in a new tab)"), classes=[HIDDEN_CLASS])
            reference += hidden
    for image in block.findall(summary_image):
        if not (image.get("alt") or "").strip():
            image["alt"] = _("Image")
    return block


def is_feed_block(node: nodes.Node) -> bool:
    return isinstance(node, feed_block)
