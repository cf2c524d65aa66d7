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
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.i18n import format_date

from sphinxcontrib_feed.domain import get_feed_domain
from sphinxcontrib_feed.locale import _
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


class FeedPostTransform(SphinxPostTransform):
    default_priority = 100

    def run(self, **kwargs: Any) -> None:
        domain = get_feed_domain(self.env)
        language = self.config.language or "en"
        for placeholder in list(self.document.findall(feed_placeholder)):
            placeholder.replace_self(render_placeholder(placeholder, domain, language))


def render_placeholder(
    placeholder: feed_placeholder, domain: FeedDomain, language: str
) -> nodes.container:
    options: dict[str, Any] = placeholder["options"]
    container = nodes.container(
        classes=["feed", f"feed-{options['layout']}", *options["classes"]],
        ids=list(placeholder["ids"]),
        names=list(placeholder["names"]),
    )
    entries: list[Entry] = []
    unavailable = 0
    for key in placeholder["sources"]:
        state = domain.states.get(key)
        if state is None or (state.feed is None and state.error is None):
            unavailable += 1
            continue
        if state.error is not None and state.feed is None:
            unavailable += 1
            logger.warning(
                _("cannot show feed %s: %s"), key, state.error,
                type="feed", subtype=state.error_kind, location=placeholder,
            )  # fmt: skip
        elif state.error is not None and state.feed is not None:
            fetched = state.fetched_at.isoformat(timespec="minutes") if state.fetched_at else "?"
            logger.warning(
                _("feed %s: %s; showing the copy fetched %s"), key, state.error, fetched,
                type="feed", subtype="stale", location=placeholder,
            )  # fmt: skip
        if state.feed is not None:
            entries.extend(state.feed.entries)

    selected = select_entries(entries, options["limit"])
    if selected:
        container += nodes.bullet_list(
            "",
            *(_render_entry(entry, options, language) for entry in selected),
            classes=["feed-items"],
        )
    elif unavailable == len(placeholder["sources"]):
        container += _note(_("Feed unavailable."))
    else:
        container += _note(_("No items."))
    return container


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
            datetime=entry.date.isoformat().replace("+00:00", "Z"),
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


def _note(text: str) -> nodes.paragraph:
    return nodes.paragraph("", text, classes=["feed-note"], translatable=False)
