"""What the owning thread does while no answer is in (:meth:`.FetchPool.completed`).

The requests are out, and with many hosts every answer comes one round trip
later, at once; from then on the thread is the bottleneck. So the work the
answers will need is done before they arrive: the parsers are imported (if
some source has no stored copy, so its answer will be parsed), the HTTP
cache is opened (requests-cache imported: 0.1-0.5 s) and the keys the
answers will be stored under worked out, and the docs' language's date
formats are loaded, which the first date a page shows would otherwise do
(Babel: 15-25 ms). Then, at each wait, the copies judged good since the
last one are written in one transaction (:meth:`.HTTPCache.flush`). Each
piece is done only when no answer is waiting for the thread.

After those imports, Python's garbage collector has tens of thousands of new
long-lived objects to walk, and its next full collection (40-60 ms with a
small project loaded) would otherwise fall in the middle of writing the
pages. So the last head start is that collection (:func:`collect_garbage`),
while the thread has nothing else to do. Only where it pays: in a process
whose first refresh this is (requests-cache not imported yet; a process that
built before, such as sphinx-autobuild or a test suite, imported all that
then), and whose heap is small enough for those imports to set off a full
collection soon (:data:`LARGEST_HEAP_COLLECTED`). After reading 1000 pages
of eight sections the collector tracks 1.1 million objects: a full
collection takes 0.57 s, which the imports alone would not have set off, so
it would be all cost. A process that turned the collector off
(``gc.disable()``) keeps it off.
"""

from __future__ import annotations

import gc
import sys
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinxcontrib_feed.refresh.sources import Refresher, Request

logger = logging.getLogger(__name__)

#: The most memory blocks (:func:`sys.getallocatedblocks`, which costs nothing to
#: ask) at which the head start collects: about 200,000 objects tracked by the
#: collector, a full collection of 0.1 s at most. The benchmark's 16 pages hold
#: about 100,000 when it collects (450,000 blocks), and the collection takes 50 ms.
LARGEST_HEAP_COLLECTED = 800_000


def meanwhile(refresher: Refresher, requests: Iterable[Request]) -> Callable[[], bool]:
    """The owning thread's work while it waits for the answers to *requests*:
    one piece a call, True if it did one, False when none is left."""
    requests = list(requests)
    first: list[Callable[[], object]] = []
    if any(request.cached is None for request in requests):
        first.append(load_parsers)
    first.append(refresher.cache.prepare)
    first.append(partial(refresher.cache.expect, [request.url for request in requests]))
    first.append(partial(load_dates, refresher.language))
    if "requests_cache" not in sys.modules and _small_heap():
        first.append(collect_garbage)  # this process's first refresh

    def idle() -> bool:
        if first:
            first.pop(0)()
            return True
        return refresher.cache.flush()

    return idle


def load_parsers() -> None:
    """Import the parse stage with its fast mappers and work out the parsed
    cache's key part, as the first new answers would (about 0.1 s)."""
    try:
        from sphinxcontrib_feed.parse.document import load_fast_mappers
        from sphinxcontrib_feed.refresh.store import parser_version

        load_fast_mappers()
        parser_version()
    # only a head start: the parse that needs them reports any problem, per source
    except Exception:
        logger.debug("loading the parsers failed", exc_info=True)


def load_dates(language: str) -> None:
    """Load *language*'s date formats, as the first date shown would."""
    try:
        from babel.dates import format_date

        format_date(datetime.now(UTC), format="medium", locale=language)
    # only a head start: an unknown language falls back to English where dates are shown
    except Exception:
        logger.debug("loading the date formats of %r failed", language, exc_info=True)


def _small_heap() -> bool:
    """Whether the heap is under :data:`LARGEST_HEAP_COLLECTED` (never where the
    interpreter does not count its blocks, as PyPy, whose collector differs)."""
    blocks = getattr(sys, "getallocatedblocks", None)
    return blocks is not None and blocks() < LARGEST_HEAP_COLLECTED


def collect_garbage() -> None:
    """The full collection the imports above would set off later (see the module)."""
    if gc.isenabled():
        gc.collect()
