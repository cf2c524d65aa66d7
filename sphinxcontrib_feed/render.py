"""At write time: replace each placeholder by the feed's items as generic nodes.

Runs as a post-transform, in the main process, for every builder, so the
items are always those of the latest refresh even when the page itself was
not re-read. Only stock docutils nodes (plus :class:`.feed_date`, an
``inline``) come out, so every builder can write them; HTML polish lives in
:mod:`.writers` and the stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import babel.dates
from babel.core import UnknownLocaleError
from docutils import nodes
from sphinx.errors import SphinxError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.i18n import format_date
from sphinx.util.logging import get_node_location

from sphinxcontrib_feed.domain import SourceState, get_feed_domain
from sphinxcontrib_feed.locale import _, __
from sphinxcontrib_feed.markup import html_to_nodes, truncate_nodes
from sphinxcontrib_feed.nodes import feed_date, feed_placeholder
from sphinxcontrib_feed.sanitize import shorten
from sphinxcontrib_feed.select import Selection, select_entries

if TYPE_CHECKING:
    from datetime import datetime

    from sphinxcontrib_feed.domain import FeedDomain
    from sphinxcontrib_feed.model import Entry, Feed

logger = logging.getLogger(__name__)

#: Length of a title made up from the summary, for items that have none.
UNTITLED_LENGTH = 80
NEW_TAB = {"target": "_blank", "rel": "noopener noreferrer"}


class FeedError(SphinxError):
    """A source that a directive with ``:on-error: error`` needs cannot be had."""

    category = "Feed error"


@dataclass(frozen=True, slots=True)
class Context:
    """What rendering needs to know about the build."""

    language: str
    #: Remote images only where the builder links them (HTML); elsewhere
    #: Sphinx would download them, which a docs build must not do behind our back.
    images: bool


class FeedPostTransform(SphinxPostTransform):
    default_priority = 100

    def run(self, **kwargs: Any) -> None:
        domain = get_feed_domain(self.env)
        builder = getattr(self.env, "_builder_cls", None) or type(self.app.builder)
        context = Context(
            language=self.config.language or "en",
            images=bool(getattr(builder, "supported_remote_images", False)),
        )
        for placeholder in list(self.document.findall(feed_placeholder)):
            placeholder.replace_self(render_placeholder(placeholder, domain, context))


def render_placeholder(
    placeholder: feed_placeholder, domain: FeedDomain, context: Context
) -> list[nodes.Node]:
    options: dict[str, Any] = placeholder["options"]
    states = [(key, domain.states.get(key) or SourceState(error=__("not fetched")))
              for key in placeholder["sources"]]  # fmt: skip
    for key, state in states:
        _report(key, state, options["on_error"], placeholder)
    feeds = [state.feed for _, state in states if state.feed is not None]
    if not feeds and options["on_error"] == "ignore":
        return []

    container = nodes.container(
        classes=["feed", f"feed-{options['layout']}", *options["classes"]],
        ids=list(placeholder["ids"]),
        names=list(placeholder["names"]),
    )
    if options["title"] is not None and (caption := _caption(feeds, options)) is not None:
        container += caption
    if options["as_of"] and (as_of := _as_of(states, options, context)).children:
        container += as_of
    selection = Selection(
        limit=options["limit"],
        filter=options["filter"],
        exclude=options["exclude"],
        categories=tuple(options["category"]),
        since=options["since"],
        sort=options["sort"],
        reverse=options["reverse"],
    )
    selected = select_entries((entry for feed in feeds for entry in feed.entries), selection)
    if selected:
        items = (_render_entry(entry, options, context) for entry in selected)
        container += nodes.bullet_list("", *items, classes=["feed-items"])
    elif not feeds:
        container += _note(_("Feed unavailable."))
    else:
        container += _note(options["empty"] or _("No items."))
    return [container]


def _report(key: str, state: SourceState, on_error: str, placeholder: feed_placeholder) -> None:
    """The warning (or error) a source's state calls for, at the directive."""
    advice = getattr(state, "advice", None)  # None in a state pickled by an older version
    if advice is not None and on_error != "ignore":
        logger.warning(
            __("feed %s: %s"), key, advice, type="feed", subtype="parse", location=placeholder
        )
    if state.error is None or on_error == "ignore":
        return
    if state.feed is not None:
        since = state.checked_at.isoformat(timespec="minutes") if state.checked_at else "?"
        logger.warning(
            __("feed %s: %s; showing the last good copy, fetched %s"), key, state.error, since,
            type="feed", subtype="stale", location=placeholder,
        )  # fmt: skip
    elif on_error == "error":
        location = get_node_location(placeholder) or "?"
        message = __("%s: cannot show feed %s: %s (:on-error: error)")
        raise FeedError(message % (location, key, state.error))
    else:
        logger.warning(
            __("cannot show feed %s: %s"), key, state.error,
            type="feed", subtype=state.error_kind, location=placeholder,
        )  # fmt: skip


def _caption(feeds: list[Feed], options: dict[str, Any]) -> nodes.paragraph | None:
    """The feed's title (or the given text), linking to the feed's site."""
    text = options["title"] or " · ".join(feed.title for feed in feeds if feed.title)
    if not text:
        return None
    caption = nodes.paragraph(classes=["feed-caption"], translatable=False)
    link = next((feed.link for feed in feeds if feed.link), None)
    caption += _link(text, link, options, classes=[]) if link else nodes.Text(text)
    return caption


def _as_of(
    states: list[tuple[str, SourceState]], options: dict[str, Any], context: Context
) -> nodes.paragraph:
    """ "As of <date>" (the oldest fetch shown), and a marker if anything is stale."""
    paragraph = nodes.paragraph(classes=["feed-as-of"], translatable=False)
    checked = [s.checked_at for _, s in states if s.feed is not None and s.checked_at is not None]
    if checked:
        when = min(checked)
        text = _("As of %s") % format_entry_date(when, _date_format(options), context.language)
        paragraph += feed_date("", text, datetime=_iso(when))
    if any(state.feed is not None and state.error is not None for _, state in states):
        paragraph += nodes.Text(" ")
        paragraph += nodes.inline("", _("(stale)"), classes=["feed-stale"])
    return paragraph


def _render_entry(entry: Entry, options: dict[str, Any], context: Context) -> nodes.list_item:
    item = nodes.list_item("", classes=["feed-item"])
    text = entry.summary_text
    title = entry.title or shorten(text, UNTITLED_LENGTH) or _("Untitled")
    if options["images"] and context.images and entry.image:
        # candidates "?" is how Sphinx marks a remote image it must leave alone
        item += nodes.image(
            uri=entry.image, alt=title, candidates={"?": entry.image}, classes=["feed-image"],
            loading="lazy",
        )  # fmt: skip
    heading = nodes.paragraph(classes=["feed-heading"], translatable=False)
    heading += _link(title, entry.link, options, classes=["feed-title"])
    if entry.date is not None and options["date_format"] != "none":
        heading += _separator()
        heading += feed_date(
            "",
            format_entry_date(entry.date, _date_format(options), context.language),
            datetime=_iso(entry.date),
            classes=["feed-date"],
        )
    if options["author"] and entry.author:
        heading += _separator()
        heading += nodes.inline("", entry.author, classes=["feed-author"])
    item += heading
    length = options["summary_length"]
    summary = "none" if options["layout"] == "compact" else options["summary"]  # one line each
    if summary == "text" and text:
        item += nodes.paragraph(
            "", shorten(text, length), classes=["feed-summary"], translatable=False
        )
    elif summary == "rich" and entry.summary_html:
        body = truncate_nodes(html_to_nodes(entry.summary_html), length)
        if body:
            rich = nodes.container("", *body, classes=["feed-summary"])
            if options["new_tab"]:
                for reference in rich.findall(nodes.reference):
                    reference.attributes.update(NEW_TAB)
            item += rich
    if options["categories"] and entry.categories:
        tags = nodes.paragraph(classes=["feed-categories"], translatable=False)
        for index, category in enumerate(entry.categories):
            if index:
                tags += nodes.inline("", ", ", classes=["feed-sep"])
            tags += nodes.inline("", category, classes=["feed-category"])
        item += tags
    return item


def _link(text: str, url: str | None, options: dict[str, Any], classes: list[str]) -> nodes.Element:
    if not url:
        return nodes.inline("", text, classes=classes)
    attributes = NEW_TAB if options["new_tab"] else {}
    return nodes.reference("", text, refuri=url, classes=classes, **attributes)


def _separator() -> nodes.inline:
    """ " — " between heading fields; shown by text builders, hidden by the stylesheet."""
    return nodes.inline("", " — ", classes=["feed-sep"])


def _date_format(options: dict[str, Any]) -> str | None:
    value = options["date_format"]
    return None if value in (None, "", "none") else str(value)


def format_entry_date(date: datetime, date_format: str | None, language: str) -> str:
    """*date* in *language*: strftime-style *date_format*, or the locale's medium date."""
    if date_format:
        return format_date(date_format, date=date, language=language)
    try:
        return babel.dates.format_date(date, format="medium", locale=language)
    except (ValueError, UnknownLocaleError):
        return babel.dates.format_date(date, format="medium", locale="en")


def _iso(date: datetime) -> str:
    return date.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _note(text: str) -> nodes.paragraph:
    return nodes.paragraph("", text, classes=["feed-note"], translatable=False)
