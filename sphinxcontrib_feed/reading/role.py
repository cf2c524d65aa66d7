"""The ``feed-latest`` role: a source's newest item, as a link, in running text.

``:feed-latest:`releases``` shows the newest item's title; ``:feed-latest:`Latest
<releases>``` shows the given text. Like the directive, the role does no I/O: it
records its source in the domain (so the refresh brings it up to date) and
leaves a :class:`.feed_latest` placeholder that the render stage replaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.util.docutils import ReferenceRole

from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.nodes import feed_latest
from sphinxcontrib_feed.reading.resolve import SourceResolver
from sphinxcontrib_feed.settings.patterns import parse_categories
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.nodes import system_message

    from sphinxcontrib_feed.settings.resolved import Settings


def latest_selection(defaults: dict[str, Any]) -> Selection:
    """The newest item, through the selection a ``feed_sources`` entry sets."""
    return Selection(
        limit=1,
        filter=defaults.get("filter"),
        exclude=defaults.get("exclude"),
        categories=tuple(parse_categories(defaults.get("category", []))),
        since=defaults.get("since"),
        sort=defaults.get("sort", "date"),
        reverse=bool(defaults.get("reverse", False)),
    )


class FeedLatestRole(SourceResolver, ReferenceRole):
    """``:feed-latest:`SOURCE``` or ``:feed-latest:`text <SOURCE>```."""

    @property
    def settings(self) -> Settings:
        return get_settings(self.config)

    def run(self) -> tuple[list[nodes.Node], list[system_message]]:
        self.options = {}  # a role has no :expire:; the entry's default applies
        text = self.title if self.has_explicit_title else None
        source, defaults = self._resolve(self.target)
        if source is None:  # reported where it is written; the text stays
            from docutils import nodes

            return [nodes.Text(text or self.target)], []
        selection = latest_selection(defaults)
        node = feed_latest(
            source=source.key,
            target=self.target,
            text=text,
            selection=selection,
            on_error=defaults.get("on-error", self.settings.on_error),
            rel=defaults.get("rel", self.settings.rel),
            new_tab=bool(defaults.get("new-tab", False)),
        )
        self.set_source_info(node)
        get_feed_domain(self.env).note_sources(self.env.docname, [source], selection)
        return [node], []
