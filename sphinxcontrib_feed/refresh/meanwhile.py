"""What the owning thread does while no answer is in (:meth:`.FetchPool.completed`).

The requests are out, and with many hosts every answer comes one round trip
later, at once; from then on the thread is the bottleneck. So the work the
answers will need is done before they arrive: the parsers are imported (if
some source has no stored copy, so its answer will be parsed) and the HTTP
cache is opened (requests-cache imported: 0.1-0.5 s). Then, at each wait,
the copies judged good since the last one are written in one transaction
(:meth:`.HTTPCache.flush`). Each piece is done only when no answer is waiting
for the thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinxcontrib_feed.refresh.sources import Refresher, Request

logger = logging.getLogger(__name__)


def meanwhile(refresher: Refresher, requests: Iterable[Request]) -> Callable[[], bool]:
    """The owning thread's work while it waits for the answers to *requests*:
    one piece a call, True if it did one, False when none is left."""
    first: list[Callable[[], object]] = []
    if any(request.cached is None for request in requests):
        first.append(load_parsers)
    first.append(refresher.cache.prepare)

    def idle() -> bool:
        if first:
            first.pop(0)()
            return True
        return refresher.cache.flush()

    return idle


def load_parsers() -> None:
    """Import the parse stage and work out the parsed cache's key part, as the
    first new answer would (about 0.1 s)."""
    try:
        import sphinxcontrib_feed.parse.document  # noqa: F401
        from sphinxcontrib_feed.refresh.store import parser_version

        parser_version()
    # only a head start: the parse that needs them reports any problem, per source
    except Exception:
        logger.debug("loading the parsers failed", exc_info=True)
