"""Errors that more than one stage names: raised in one, caught in another.

The parse errors (:class:`.model.FeedParseError`, :class:`.model.HTMLPageError`)
are the model's, beside what a parse produces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class FetchError(Exception):
    """The source could not be had; the message says why, for the build log.

    Raised by the fetch stage (:mod:`.fetch.fetcher`, :mod:`.fetch.watchdog`), caught by
    the refresh policy (:mod:`.refresh.sources`) and the command line.
    """

    def __init__(self, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        #: When the server asked us to come back (Retry-After), if it did.
        self.retry_at = retry_at


class CommandError(Exception):
    """A failure the user can act on; printed as one line (``sphinx-feed``, :mod:`.tools`)."""
