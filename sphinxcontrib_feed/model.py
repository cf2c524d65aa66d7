"""The parsed-feed model: what every parser produces and every renderer reads.

Instances are stored in the build environment (pickled between builds), so
they hold only plain, already-cleaned data: every URL has passed the scheme
check, every HTML fragment has been through the sanitizer, every datetime is
aware and in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sphinxcontrib_feed.sanitize import html_to_text

#: Dates before this are placeholders ("0001-01-01"), not real publication dates.
EARLIEST_PLAUSIBLE_YEAR = 1900


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
    #: The summary's visible text, whitespace collapsed: worked out once per
    #: parse, since filters and every rendering of every page need it.
    summary_text: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
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


@dataclass(frozen=True, slots=True)
class FeedSource:
    """Where a feed comes from, as resolved by the directive at read time."""

    #: The identity of the source across documents: the URL, or ``/`` + path.
    key: str
    url: str | None = None
    #: A feed file, relative to the source directory (POSIX separators).
    path: str | None = None
    #: Cache lifetime in seconds; None means ``feed_expire``.
    expire: float | None = None
    #: Some page shows this source's fetch date ("as of"), so a revalidation
    #: that changes that date must rewrite the page.
    as_of: bool = False
