"""What one parse may cost and produce, whatever the input.

These are structural bounds, not attack patterns: the XML step never expands
an entity (see :mod:`.xmlsafe`), so output grows at most linearly with the
input; these constants bound the input, the shape and the time.
"""

from __future__ import annotations

import time
from typing import Any, TypeVar

from sphinxcontrib_feed.model import FeedParseError

#: A document larger than this is refused before any parsing (the fetcher's
#: ``feed_max_bytes`` usually refuses it much earlier).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: Items (RSS ``item``, Atom ``entry``) read from one document, in document
#: order; later ones are dropped.
MAX_ITEMS = 10_000
#: XML elements nested deeper than this (the root is depth 1) are dropped with
#: their content. Real feeds nest a handful of levels; libxml2 itself stops at 256.
MAX_DEPTH = 64
#: CPU seconds one parse (XML, feedparser, mapping of every item) may take.
#: Measured on the parsing thread's own clock, so a busy machine or the other
#: feeds parsed at the same time never use up a feed's budget.
PARSE_TIME_BUDGET = 60.0

_T = TypeVar("_T")


class Deadline:
    """The CPU time left for one parse; checked between stages and between items."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.thread_time() + seconds

    def check(self) -> None:
        if time.thread_time() > self._ends:
            raise FeedParseError(
                f"parsing took longer than {self.seconds:g} s; the document is refused"
            )


class DeadlineList(list[_T]):
    """A list whose iteration checks a deadline before every element.

    feedparser's entry list is replaced by one of these, so whatever maps the
    entries to the model stops, with a :class:`FeedParseError`, once the
    parse has run out of time, however costly one entry turns out to be.
    """

    def __init__(self, items: Any, deadline: Deadline) -> None:
        super().__init__(items)
        self.deadline = deadline

    def __iter__(self) -> Any:
        for item in super().__iter__():
            self.deadline.check()
            yield item
