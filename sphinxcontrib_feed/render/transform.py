"""At write time: replace each placeholder by the feed's items as generic nodes.

Runs as a post-transform, in the main process, for every builder, so the
items are always those of the latest refresh even when the page itself was
not re-read. Only stock docutils nodes (plus :class:`.feed_date`, an
``inline``) come out, so every builder can write them; HTML polish lives in
:mod:`.writers` and the stylesheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.errors import Failure
from sphinxcontrib_feed.finish.select import merge_sources, select_entries
from sphinxcontrib_feed.finish.selection import selection_of
from sphinxcontrib_feed.locale import _, __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.nodes import feed_date, feed_placeholder
from sphinxcontrib_feed.reading.records import SourceRecord
from sphinxcontrib_feed.render import order
from sphinxcontrib_feed.render.html import BLOCK_CLASS, for_html
from sphinxcontrib_feed.render.items import (
    Context,
    date_format,
    format_entry_date,
    iso,
    link,
    render_entry,
)
from sphinxcontrib_feed.render.media import report_unresolved
from sphinxcontrib_feed.render.reports import FeedError, report_source
from sphinxcontrib_feed.settings.compat import app_of

if TYPE_CHECKING:
    from sphinxcontrib_feed.model import Feed
    from sphinxcontrib_feed.reading.domain import FeedDomain

__all__ = ["Context", "FeedError", "FeedPostTransform", "format_entry_date", "render_placeholder"]

#: Marks what Sphinx's search indexer skips (``sphinx.search.WordCollector``).
NO_SEARCH = "no-search"
#: Builders that check the author's own prose (sphinxcontrib-spelling): feed text,
#: someone else's words that change with the feed, never reaches them.
PROSE_CHECKERS = frozenset({"spelling"})


class FeedPostTransform(SphinxPostTransform):
    """The renderer :class:`.hooks.RenderFeeds` runs when a page shows a feed."""

    default_priority = order.RENDER

    def run(self, **kwargs: Any) -> None:
        domain = get_feed_domain(self.env)
        builder = app_of(self.env).builder
        images = bool(getattr(builder, "supported_remote_images", False))
        site_url = str(getattr(self.config, "html_baseurl", "") or "")
        to_root = ""
        if images and site_url:
            site_url = site_url.rstrip("/") + "/"
            page = builder.get_target_uri(self.env.docname)
            to_root = "" if "#" in page else "../" * page.count("/")  # singlehtml: "#document-x"
        context = Context(
            language=self.config.language or "en",
            images=images,
            format=str(builder.format),
            site_url=site_url,
            to_root=to_root,
            taken_ids=set(self.document.ids),
        )
        prose_check = builder.name in PROSE_CHECKERS
        for placeholder in list(self.document.findall(feed_placeholder)):
            if prose_check:
                placeholder.replace_self(_stand_in(placeholder))
                continue
            rendered = render_placeholder(placeholder, domain, context)
            if context.format == "html":
                rendered = [for_html(n) if isinstance(n, nodes.container) else n for n in rendered]
            placeholder.replace_self(rendered)


def _stand_in(placeholder: feed_placeholder) -> list[nodes.Node]:
    """What a prose checker gets instead of a feed: its ``:name:`` target, no text."""
    if not placeholder["ids"]:
        return []
    return [nodes.target("", "", ids=list(placeholder["ids"]), names=list(placeholder["names"]))]


def render_placeholder(
    placeholder: feed_placeholder, domain: FeedDomain, context: Context
) -> list[nodes.Node]:
    options: dict[str, Any] = placeholder["options"]
    not_fetched = SourceRecord(failure=Failure("fetch", __("not fetched")))
    states = [(key, domain.states.get(key) or not_fetched) for key in placeholder["sources"]]
    for key, state in states:
        report_source(key, state, options["on_error"], placeholder)
        report_unresolved(key, state.feed, options, placeholder)
    feeds = [state.feed for _, state in states if state.feed is not None]
    if not feeds and options["on_error"] == "ignore":
        return []

    searchable = [] if options.get("searchable") else [NO_SEARCH]
    container = nodes.container(
        classes=[BLOCK_CLASS, f"feed-{options['layout']}", *options["classes"], *searchable],
        ids=list(placeholder["ids"]),
        names=list(placeholder["names"]),
    )
    if len(languages := {feed.language for feed in feeds}) == 1 and all(languages):
        container["feed_lang"] = languages.pop()  # the feed's language, as HTML's lang
    if options["title"] is not None and (caption := _caption(feeds, options)) is not None:
        container += caption
    if options["as_of"] and (as_of := _as_of(states, options, context)).children:
        container += as_of
    selection = selection_of(options)
    selected = select_entries(merge_sources(feed.entries for feed in feeds), selection)
    if selected:
        items = (render_entry(entry, options, context) for entry in selected)
        container += nodes.bullet_list("", *items, classes=["feed-items"])
    elif not feeds:
        container += _note(_("Feed unavailable."))
    else:
        container += _note(options["empty"] or _("No items."))
    if options.get("more"):
        container.extend(_more(feeds, options))
    if context.format == "latex" and container["ids"]:
        # LaTeX writes no \label for a container's ids: a target before it does (":name:")
        target = nodes.target("", "", ids=container["ids"], names=container["names"])
        container["ids"], container["names"] = [], []
        return [target, container]
    return [container]


def _caption(feeds: list[Feed], options: dict[str, Any]) -> nodes.paragraph | None:
    """The feed's title (or the given text), linking to the feed's site."""
    titles = dict.fromkeys(feed.title for feed in feeds if feed.title)  # each feed once
    text = options["title"] or " · ".join(titles)
    if not text:
        return None
    caption = nodes.paragraph(classes=["feed-caption"], translatable=False)
    site = next((feed.link for feed in feeds if feed.link), None)
    caption += link(text, site, options, classes=[]) if site else nodes.Text(text)
    return caption


def _more(feeds: list[Feed], options: dict[str, Any]) -> list[nodes.paragraph]:
    """ "More on <feed title>" (or ``:more: TEXT``), one line per source that names its
    web site."""
    lines = []
    for feed in feeds:
        if feed.link:
            name = feed.title or urlsplit(feed.link).hostname or feed.link
            paragraph = nodes.paragraph(classes=["feed-more"], translatable=False)
            text = options.get("more_text") or _("More on %s") % name
            paragraph += link(text, feed.link, options, classes=[])
            lines.append(paragraph)
    return lines


def _as_of(
    states: list[tuple[str, SourceRecord]], options: dict[str, Any], context: Context
) -> nodes.paragraph:
    """ "As of <date>" (the oldest fetch shown), and a marker if anything is stale."""
    paragraph = nodes.paragraph(classes=["feed-as-of"], translatable=False)
    checked = [s.checked_at for _, s in states if s.feed is not None and s.checked_at is not None]
    if checked:
        when = min(checked)
        text = _("As of %s") % format_entry_date(when, date_format(options), context.language)
        paragraph += feed_date("", text, datetime=iso(when))
    if any(state.feed is not None and state.failure is not None for _, state in states):
        paragraph += nodes.Text(" ")
        paragraph += nodes.inline("", _("(stale)"), classes=["feed-stale"])
    return paragraph


def _note(text: str) -> nodes.paragraph:
    return nodes.paragraph("", text, classes=["feed-note"], translatable=False)
