"""The theme's chrome: ``feed_items()`` for templates, and ``feed-sidebar.html``.

``html-page-context`` puts :func:`feed_items` in every page's template context
(through :func:`.hooks.page_context`, which loads this module on the first call).
It shows a source the build has refreshed (one a page names, by the directive
or the role, or the ``feed_sidebar`` one: see :mod:`.reading.chrome`), with
the items the environment holds, which are finished (sanitized) as for the
directive. Sphinx's templates do not escape what they print, so every text
and URL comes out as :class:`~markupsafe.Markup` already escaped: a
template can print any of them as is. A source that cannot be shown gives
an empty list, so ``{% if items %}`` leaves no empty box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from sphinx.util import logging

from sphinxcontrib_feed.finish.select import select_entries
from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.locale import _, __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.resolve import configured_source
from sphinxcontrib_feed.render.items import format_entry_date, iso
from sphinxcontrib_feed.render.media import first_sentence
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_feed.model import Entry

logger = logging.getLogger(__name__)

#: The template a project lists in ``html_sidebars``.
SIDEBAR_TEMPLATE = "feed-sidebar.html"


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item for a template; printing it gives its title as a link."""

    title: Markup
    #: The item's address (escaped), or None.
    link: Markup | None
    date: datetime | None
    #: The date in the docs' language, or "".
    date_text: Markup
    #: ISO 8601, for ``<time datetime=...>``; "" without a date.
    iso_date: str
    summary: Markup

    def __html__(self) -> Markup:
        if self.link is None:
            return self.title
        return Markup('<a class="reference external" href="%s">%s</a>') % (self.link, self.title)

    def __str__(self) -> str:
        return str(self.__html__())


class FeedItems(list[FeedItem]):
    """A source's newest items, with the feed's ``title`` and ``link`` (escaped)."""

    title: Markup = Markup("")
    link: Markup | None = None


def feed_items(app: Sphinx, source: str | None = None, limit: int = 5) -> FeedItems:
    """``feed_items(source, limit=5)`` in templates; without a source, ``feed_sidebar``'s
    (its limit and title too)."""
    settings = get_settings(app)
    sidebar = settings.sidebar
    title = None
    if source is None:
        if sidebar is None:
            return FeedItems()
        source, limit, title = sidebar["source"], sidebar["limit"], sidebar["title"]
    found, _defaults, problem = configured_source(settings, app.srcdir, source)
    domain = get_feed_domain(app.env)
    state = domain.states.get(found.key) if found is not None else None
    if state is None:
        _warn_once(app, source, problem or __("no page, role or feed_sidebar uses it"))
        return FeedItems()
    if state.feed is None:  # failed: warned at env-updated (or on the pages using it)
        return FeedItems()
    entries = select_entries(state.feed.entries, Selection(limit=limit))
    language = app.config.language or "en"
    items = FeedItems(_item(entry, language) for entry in entries)
    items.title = escape(title if title is not None else state.feed.title)
    items.link = escape(state.feed.link) if state.feed.link else None
    return items


def _item(entry: Entry, language: str) -> FeedItem:
    title = entry.title or first_sentence(entry.summary_text)[0] or _("Untitled")
    date = entry.date
    return FeedItem(
        title=escape(title),
        link=escape(entry.link) if entry.link else None,
        date=date,
        date_text=escape(format_entry_date(date, None, language)) if date else Markup(""),
        iso_date=iso(date) if date else "",
        summary=escape(entry.summary_text),
    )


def _warn_once(app: Sphinx, source: str, reason: str) -> None:
    warned: set[str] = app.env.__dict__.setdefault("_feed_template_warned", set())
    if source not in warned:
        warned.add(source)
        logger.warning(
            __("feed_items(%r) in a template: the build does not refresh this source (%s)"),
            source, reason, type="feed", subtype="config",
        )  # fmt: skip
