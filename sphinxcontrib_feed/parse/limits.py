"""What one parse may cost and produce, whatever the input.

These are structural bounds, not attack patterns: the XML step never expands
an entity (see :mod:`.xmlsafe`), so output grows at most linearly with the
input; these constants bound the input, the shape and the time.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from sphinxcontrib_feed.model import FeedParseError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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

# What one item may hold. Repeated elements past these are dropped from the
# tree before any mapper (or feedparser, whose category bookkeeping is
# quadratic) sees them, and the same caps apply to JSON Feed lists; what is
# left is then de-duplicated in linear time, in document order.
#: Categories (``category``, ``dc:subject``, ``media:category``; ``tags``) of one item.
MAX_CATEGORIES = 100
#: Enclosures (RSS ``enclosure``, JSON Feed ``attachments``) of one item.
MAX_ENCLOSURES = 50
#: Links (``atom:link``, ``link``) of one item or of the feed.
MAX_LINKS = 50
#: Authors (``author``, ``dc:creator``, ``contributor``) of one item.
MAX_AUTHORS = 20
#: Media elements (``media:content``, ``media:thumbnail``) of one item.
MAX_MEDIA = 50

_T = TypeVar("_T")

_CURRENT: ContextVar[Deadline | None] = ContextVar("feed_parse_deadline", default=None)


class Deadline:
    """The CPU time left for one parse; checked between stages and between items."""

    #: Per-item checks read the thread's CPU clock (a system call) every this many.
    TICKS_PER_CHECK = 8

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.thread_time() + seconds
        self._ticks = self.TICKS_PER_CHECK - 1  # the first tick reads the clock

    def tick(self) -> None:
        """:meth:`check`, every :attr:`TICKS_PER_CHECK` calls: for per-item checks,
        where items are bounded in size (see the caps above), so the budget is
        overrun by at most a few items' work."""
        self._ticks += 1
        if self._ticks >= self.TICKS_PER_CHECK:
            self._ticks = 0
            self.check()

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
            self.deadline.tick()
            yield item


@contextmanager
def running(deadline: Deadline) -> Iterator[Deadline]:
    """Make *deadline* the one :func:`check_budget` checks, on this thread, while inside."""
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def check_budget() -> None:
    """Raise :class:`FeedParseError` if the parse running on this thread is out of time.

    Called inside long items (every few dozen elements in the fast mappers,
    every JSON Feed item), so no single item can outlast the budget.
    """
    deadline = _CURRENT.get()
    if deadline is not None:
        deadline.tick()


def within_budget(items: Iterable[_T]) -> Iterator[_T]:
    """*items*, with :func:`check_budget` before each."""
    for item in items:
        check_budget()
        yield item
