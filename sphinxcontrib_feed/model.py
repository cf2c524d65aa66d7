"""The parsed-feed model: what every parser produces and every renderer reads.

Instances are stored in the build environment (pickled between builds), so
they hold only plain, already-cleaned data: every URL has passed the scheme
check, every HTML fragment has been through the sanitizer, every datetime is
aware and in UTC. The one exception is an item's :attr:`Entry.raw_summary`,
which the parsers leave for :mod:`.finish` to clean, and only for items a
page shows; the environment holds finished items only.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from sphinxcontrib_feed.text import html_to_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: Dates before this are placeholders ("0001-01-01"), not real publication dates.
EARLIEST_PLAUSIBLE_YEAR = 1900
#: Dates from this year on are nonsense too, and so close to ``datetime.max``
#: that a time zone or a day more would overflow.
LATEST_PLAUSIBLE_YEAR = 9000


class FeedParseError(Exception):
    """The document is not a feed we can use; the message says why."""


class HTMLPageError(FeedParseError):
    """The document is a web page; *alternates* are the feed URLs it advertises."""

    def __init__(self, message: str, alternates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.alternates = alternates


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file attached to an item (podcast audio, an image, a video)."""

    url: str
    type: str = ""
    length: int | None = None


def media_type(enclosure: Enclosure) -> str:
    """The enclosure's type, lower-cased; guessed from its file name when the feed gives none
    (``<enclosure url="…/episode.mp3" length="…"/>`` is common in real podcasts)."""
    if enclosure.type:
        return enclosure.type.lower()
    return (mimetypes.guess_type(urlsplit(enclosure.url).path)[0] or "").lower()


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a feed."""

    title: str
    link: str | None = None
    #: A stable identity used to drop duplicates when sources are merged.
    id: str | None = None
    #: Publication (or, failing that, update) time; None when absent or implausible.
    date: datetime | None = None
    #: Sanitized HTML; may be empty.
    summary_html: str = ""
    author: str = ""
    categories: tuple[str, ...] = ()
    image: str | None = None
    enclosures: tuple[Enclosure, ...] = ()
    #: ``itunes:duration`` of the item's audio or video, as ``H:MM:SS`` or ``M:SS``.
    duration: str = ""
    #: The item's language where it differs from the feed's (``xml:lang``, JSON Feed).
    language: str = ""
    #: A feed file's item link as written, when it is relative: a ``:base:``
    #: option resolves it at write time, before the address the feed states
    #: for itself (which resolved :attr:`link`, if there was one).
    raw_link: str = ""
    #: The plain-text summary, whitespace collapsed: the feed's own short
    #: summary where it gives one apart from the content (JSON Feed
    #: ``summary``), else the visible text of :attr:`summary_html`. Worked out
    #: once, when the item is finished (:mod:`.finish`): filters and every
    #: rendering of every page need it.
    summary_text: str = field(default="", compare=False)
    #: The summary as the feed gave it, not yet sanitized: set by the parsers
    #: and cleared by :func:`.shown.finish` once the item is to be shown
    #: (sanitizing every item of a large feed costs more than parsing it).
    raw_summary: str = field(default="", compare=False)
    #: ``html`` or ``text``: how :attr:`raw_summary` is to be read.
    raw_type: str = field(default="html", compare=False)
    #: The base URL relative links in :attr:`raw_summary` resolve against.
    summary_base: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.summary_text and not self.raw_summary:
            object.__setattr__(self, "summary_text", html_to_text(self.summary_html))


@dataclass(frozen=True, slots=True)
class Feed:
    """A whole feed, as read from one source."""

    title: str = ""
    #: The feed's web site (not the feed document itself).
    link: str | None = None
    entries: tuple[Entry, ...] = field(default=())
    #: Seconds between updates, as the feed states it (RSS ttl, sy:update*).
    update_interval: float | None = None
    #: What was wrong with the document without stopping it (such as items
    #: left out, see :func:`map_items`): for the verbose log, not a warning,
    #: since authors cannot fix other people's feeds.
    notes: tuple[str, ...] = ()
    #: How many items the whole feed has, when :attr:`entries` holds only
    #: those shown (see :func:`.shown.shown_feed`); None when it holds all.
    item_count: int | None = None
    #: What the author of the docs should know about how the feed is shown
    #: (such as entities its DOCTYPE declares, shown as written): unlike
    #: :attr:`notes`, each is a ``feed.parse`` warning at every directive
    #: showing the feed.
    warnings: tuple[str, ...] = ()
    #: The feed's language (RSS ``language``, ``xml:lang``, JSON Feed ``language``).
    language: str = ""
    #: How many item links were relative with nothing to resolve them against
    #: (see :attr:`Entry.raw_link`).
    unresolved_links: int = 0


_Item = TypeVar("_Item")


def map_items(
    items: Iterable[_Item], to_entry: Callable[[_Item], Entry]
) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """Map each item on its own: the entries, and a note if any item was left out.

    Whatever one hostile item raises (a stdlib parser's assertion, an
    overflow in date arithmetic, a field of the wrong type, a recursion limit)
    costs that item only, never the feed.
    """
    entries: list[Entry] = []
    dropped = 0
    first_error = ""
    for item in items:
        try:
            entries.append(to_entry(item))
        except Exception as error:  # any failure of one item costs that item
            dropped += 1
            first_error = first_error or f"{type(error).__name__}: {error}"[:200]
    if not dropped:
        return tuple(entries), ()
    note = f"{dropped} item(s) could not be read and were left out (first: {first_error})"
    return tuple(entries), (note,)


def distinct(
    values: Iterable[_Item], cap: int, key: Callable[[_Item], Any] | None = None
) -> tuple[_Item, ...]:
    """The first *cap* distinct *values* (by *key*), in order, in time linear in what is read."""
    kept: dict[Any, _Item] = {}
    for value in values:
        kept.setdefault(value if key is None else key(value), value)
        if len(kept) >= cap:
            break
    return tuple(kept.values())


def notes_of(feed: Feed, *more: str | None) -> str | None:
    """*more* notes and the feed's own, as one log line; None if there are none."""
    notes = [note for note in (*more, *feed.notes) if note]
    return "; ".join(notes) or None


def plausible_date(value: datetime | None) -> datetime | None:
    """*value* in UTC if it is a real publication date, else None."""
    if value is None:
        return None
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
    except (OverflowError, ValueError):  # an offset that pushes it past year 1 or 9999
        return None
    if not EARLIEST_PLAUSIBLE_YEAR <= value.year < LATEST_PLAUSIBLE_YEAR:
        return None
    return value
