"""The extension's own docutils nodes.

Only three: the placeholders (a feed, a role's latest item) that live in pickled
doctrees until write time, and
a date that HTML renders as ``<time>``. Everything else the extension emits is
a stock docutils node, so every builder can write it.
"""

from __future__ import annotations

from docutils import nodes


class feed_placeholder(nodes.General, nodes.Element):
    """Where a feed goes. Attributes: ``sources`` (keys) and ``options`` (resolved).

    Replaced by :class:`~sphinxcontrib_feed.render.transform.FeedPostTransform` before any
    writer sees it; it carries no text, so it never reaches a message catalog.
    """


class feed_latest(nodes.Inline, nodes.Element):
    """Where ``:feed-latest:`` goes. Attributes: ``source`` (a key), ``target`` (as
    written), ``text`` (the explicit text, or None), ``selection``, ``on_error``,
    ``rel``, ``new_tab``. Replaced at write time like :class:`feed_placeholder`."""


class feed_date(nodes.inline):
    """A formatted date; ``datetime`` holds the ISO 8601 form for machines.

    Writers without a visitor of their own fall back to ``inline`` (Sphinx
    dispatches along the class's MRO).
    """
