"""At write time: replace each placeholder by the feed's items as generic nodes.

Runs as a post-transform, in the main process, for every builder, so the
items are always those of the latest refresh even when the page itself was
not re-read. Only stock docutils nodes (plus :class:`.feed_date`, an
``inline``) come out, so every builder can write them; HTML polish lives in
:mod:`.writers` and ``feed.css``.
"""

from __future__ import annotations

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
from sphinxcontrib_feed.nodes import feed_date, feed_placeholder
from sphinxcontrib_feed.sanitize import html_to_text, shorten

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sphinxcontrib_feed.domain import FeedDomain
    from sphinxcontrib_feed.model import Entry

logger = logging.getLogger(__name__)

#: Length of a title made up from the summary, for items that have none.
UNTITLED_LENGTH = 80


class FeedError(SphinxError):
    """A source that a directive with ``:on-error: error`` needs cannot be had."""

    category = "Feed error"


class FeedPostTransform(SphinxPostTransform):
    default_priority = 100

    def run(self, **kwargs: Any) -> None:
        domain = get_feed_domain(self.env)
        language = self.config.language or "en"
        for placeholder in list(self.document.findall(feed_placeholder)):
            placeholder.replace_self(render_placeholder(placeholder, domain, language))


def render_placeholder(
    placeholder: feed_placeholder, domain: FeedDomain, language: str
) -> list[nodes.Node]:
    options: dict[str, Any] = placeholder["options"]
    container = nodes.container(
        classes=["feed", f"feed-{options['layout']}", *options["classes"]],
        ids=list(placeholder["ids"]),
        names=list(placeholder["names"]),
    )
    entries: list[Entry] = []
    states = [(key, domain.states.get(key) or SourceState(error=__("not fetched")))
              for key in placeholder["sources"]]  # fmt: skip
    for key, state in states:
        if state.feed is not None:
            entries.extend(state.feed.entries)
        _report(key, state, options["on_error"], placeholder)
    if all(state.feed is None for _, state in states) and options["on_error"] == "ignore":
        return []

    if options["as_of"]:
        container += _as_of(states, options, language)
    selected = select_entries(entries, options["limit"])
    if selected:
        container += nodes.bullet_list(
            "",
            *(_render_entry(entry, options, language) for entry in selected),
            classes=["feed-items"],
        )
    elif all(state.feed is None for _, state in states):
        container += _note(_("Feed unavailable."))
    else:
        container += _note(_("No items."))
    return [container]


def _report(key: str, state: SourceState, on_error: str, placeholder: feed_placeholder) -> None:
    """The warning (or error) a source's state calls for, at the directive."""
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
        raise FeedError(
            __("%s: cannot show feed %s: %s (:on-error: error)") % (location, key, state.error)
        )
    else:
        logger.warning(
            __("cannot show feed %s: %s"), key, state.error,
            type="feed", subtype=state.error_kind, location=placeholder,
        )  # fmt: skip


def _as_of(
    states: list[tuple[str, SourceState]], options: dict[str, Any], language: str
) -> nodes.paragraph:
    """ "As of <date>", with the oldest fetch time shown, and a marker if anything is stale."""
    checked = [
        state.checked_at for _, state in states if state.feed is not None and state.checked_at
    ]
    paragraph = nodes.paragraph(classes=["feed-as-of"], translatable=False)
    if checked:
        when = min(checked)
        text = _("As of %s") % format_entry_date(
            when, options["date_format"] if options["date_format"] != "none" else None, language
        )
        paragraph += feed_date("", text, datetime=_iso(when))
    if any(state.feed is not None and state.error is not None for _, state in states):
        paragraph += nodes.Text(" ")
        paragraph += nodes.inline("", _("(stale)"), classes=["feed-stale"])
    return paragraph


def select_entries(entries: Iterable[Entry], limit: int) -> list[Entry]:
    """Newest first, undated last in feed order, duplicates once, at most *limit* (0: all)."""
    seen: set[str] = set()
    unique = []
    for entry in entries:
        identity = entry.id or entry.link or f"{entry.title}\0{entry.date}"
        if identity in seen:
            continue
        seen.add(identity)
        unique.append(entry)
    ordered = sorted(unique, key=lambda e: (e.date is None, -e.date.timestamp() if e.date else 0))
    return ordered[:limit] if limit else ordered


def _render_entry(entry: Entry, options: dict[str, Any], language: str) -> nodes.list_item:
    summary = (
        html_to_text(entry.summary_html) if options["summary"] != "none" or not entry.title else ""
    )
    title = entry.title or shorten(summary, UNTITLED_LENGTH) or _("Untitled")
    heading = nodes.paragraph(classes=["feed-heading"], translatable=False)
    if entry.link:
        heading += nodes.reference("", title, refuri=entry.link, classes=["feed-title"])
    else:
        heading += nodes.inline("", title, classes=["feed-title"])
    date_format = options["date_format"]
    if entry.date is not None and date_format != "none":
        heading += nodes.inline("", " — ", classes=["feed-sep"])
        heading += feed_date(
            "",
            format_entry_date(entry.date, date_format, language),
            datetime=_iso(entry.date),
            classes=["feed-date"],
        )
    item = nodes.list_item("", heading, classes=["feed-item"])
    if options["summary"] == "text" and summary:
        text = shorten(summary, options["summary_length"])
        item += nodes.paragraph("", text, classes=["feed-summary"], translatable=False)
    return item


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
