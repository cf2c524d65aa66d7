"""The owning thread's own work fills the network's wait, never an answer's.

:meth:`.FetchPool.completed` calls its *idle* work only while no answer is
ready. A fake fetcher holds every request until the test lets it go, so the
order of events is fixed; nothing here is timed.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sphinxcontrib_feed.fetch.fetcher import Fetched
from sphinxcontrib_feed.fetch.pool import FetchPool

if TYPE_CHECKING:
    from sphinxcontrib_feed.fetch.inflight import Exchange


class HeldFetcher:
    """Answers every request once :attr:`go` is set; counts the answers given."""

    deadline = 60.0

    def __init__(self) -> None:
        self.go = threading.Event()
        self.lock = threading.Lock()
        self.answered = 0
        self.all_answered = threading.Event()
        self.expected = 0

    def prepare(self) -> None:
        pass

    def close(self) -> None:
        pass

    def download(
        self, url: str, validators: dict[str, str], exchange: Exchange, origin: str | None = None
    ) -> Fetched:
        assert self.go.wait(30)
        with self.lock:
            self.answered += 1
            if self.answered == self.expected:
                self.all_answered.set()
        return Fetched(b"<rss/>", url)


def test_idle_work_runs_while_nothing_is_in_and_never_between_ready_answers():
    fetcher = HeldFetcher()
    urls = [f"http://127.0.0.1:9/feed-{n}.xml" for n in range(4)]
    fetcher.expected = len(urls)
    events: list[str] = []
    pieces = ["parsers", "cache"]

    def idle() -> bool:
        if not pieces:
            events.append("nothing left")
            return False
        events.append(pieces.pop(0))
        if not pieces:  # the last piece: every answer comes in meanwhile
            fetcher.go.set()
            assert fetcher.all_answered.wait(30)
        return True

    with FetchPool(fetcher, workers=4) as pool:  # type: ignore[arg-type]
        tickets = {pool.submit(url, {}): url for url in urls}
        for ticket in pool.completed(idle):
            events.append(tickets[ticket])
    # both pieces before any answer (none was in); the four answers, all in by
    # then, one after the other, with no idle work between them
    assert events[:2] == ["parsers", "cache"]
    assert sorted(events[2:]) == sorted(urls)


def test_without_idle_work_the_pool_just_waits():
    fetcher = HeldFetcher()
    fetcher.expected = 1
    with FetchPool(fetcher, workers=2) as pool:  # type: ignore[arg-type]
        ticket = pool.submit("http://127.0.0.1:9/feed.xml", {})
        fetcher.go.set()
        assert list(pool.completed()) == [ticket]
        assert ticket.result().url == "http://127.0.0.1:9/feed.xml"
