"""Errors that more than one stage names: raised in one, caught in another.

The parse errors (:class:`.model.FeedParseError`, :class:`.model.HTMLPageError`)
are the model's, beside what a parse produces.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import datetime

from sphinxcontrib_feed.text import printable

#: What unpickling damaged or foreign bytes raises (a class gone, a field
#: missing, a truncated file): stored data that raises it is a cache miss.
UNPICKLING_ERRORS = (
    pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, KeyError,
    TypeError, ValueError, MemoryError, RecursionError,
)  # fmt: skip


class FetchError(Exception):
    """The source could not be had; the message says why, for the build log.

    Raised by the fetch stage (:mod:`.fetch.fetcher`, :mod:`.fetch.inflight`), caught by
    the refresh (:mod:`.refresh.sources`) and the command line.
    """

    def __init__(self, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(printable(message))  # it may quote a server: never raw controls
        #: When the server asked us to come back (Retry-After), if it did.
        self.retry_at = retry_at


class CommandError(Exception):
    """A failure the user can act on; printed as one line (``sphinx-feed``, :mod:`.tools`)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a source's latest attempt failed: a value, never a string parsed back.

    Kept in the source's record (:class:`.reading.domain.SourceRecord`); with a
    feed beside it, that feed is a stale copy (a ``feed.stale`` warning),
    without one the page says the feed is unavailable (``feed.<kind>``).
    """

    #: ``fetch`` or ``parse``: the warning subtype when no copy can be shown.
    kind: str
    #: What went wrong, for a person.
    message: str
    #: When the attempt failed: no new one within ``feed_backoff``. None when
    #: the failure was a choice (``feed_offline``) or local (a feed file).
    at: datetime | None = None
    #: When the server asked us to come back (Retry-After), if it did.
    retry_at: datetime | None = None
    #: Set while backing off: the time before which no new attempt is made.
    waiting_until: datetime | None = None

    def __post_init__(self) -> None:
        # quoted servers and feeds (advertised URLs, parse errors) reach logs and
        # terminals: no control character, whatever built the message
        object.__setattr__(self, "message", printable(self.message))

    def text(self) -> str:
        """The message, with the back-off in effect if any."""
        if self.waiting_until is None:
            return self.message
        return (
            f"{self.message} (no new attempt before {self.waiting_until:%H:%M:%S} UTC: "
            "feed_backoff; -D feed_backoff=0 tries now)"
        )
