"""At write time: each ``:feed-latest:`` placeholder becomes a link to the newest item.

A reference (or plain text), so HTML, LaTeX, text and every other builder
write it. The source's record is judged as the directive's are
(:func:`.reports.report_source`): a stale copy is shown with a warning; with
no copy at all the role leaves its explicit text, or the source as written, as
plain text, and warns at the role (``feed_on_error``, or the source's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.errors import Failure
from sphinxcontrib_feed.finish.select import select_entries
from sphinxcontrib_feed.locale import _, __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.nodes import feed_latest
from sphinxcontrib_feed.reading.records import SourceRecord
from sphinxcontrib_feed.render import order
from sphinxcontrib_feed.render.items import link
from sphinxcontrib_feed.render.media import first_sentence
from sphinxcontrib_feed.render.reports import report_source

if TYPE_CHECKING:
    from sphinxcontrib_feed.reading.domain import FeedDomain

#: The class of the link (and of the text left when the source fails).
LATEST_CLASS = "feed-latest"


class FeedLatestTransform(SphinxPostTransform):
    """The renderer :class:`.hooks.RenderLatest` runs when a page has the role."""

    default_priority = order.RENDER

    def run(self, **kwargs: Any) -> None:
        domain = get_feed_domain(self.env)
        for node in list(self.document.findall(feed_latest)):
            node.replace_self(render_latest(node, domain))


def render_latest(node: feed_latest, domain: FeedDomain) -> nodes.Node:
    key = node["source"]
    state = domain.states.get(key) or SourceRecord(failure=Failure("fetch", __("not fetched")))
    report_source(key, state, node["on_error"], node)
    entries = select_entries(state.feed.entries, node["selection"]) if state.feed else []
    if not entries:  # no copy, or no item left: the words, without a link
        return nodes.inline("", node["text"] or node["target"], classes=[LATEST_CLASS])
    entry = entries[0]
    text = node["text"] or entry.title or first_sentence(entry.summary_text)[0]
    options = {"rel": node["rel"], "new_tab": node["new_tab"]}
    return link(text or _("Untitled"), entry.link, options, classes=[LATEST_CLASS])
