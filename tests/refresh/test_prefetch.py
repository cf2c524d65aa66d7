"""Requests go out while Sphinx reads, at most ``feed_concurrency`` at once.

The server here is a gate: it notes each request as it arrives and answers
only once the test opens it, so what the tests assert is an order of events,
never a duration.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from helpers import answer_with_feed, feeds_in

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from conftest import Project
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

FEEDS = 5  # feed-0 … feed-4; page5 shows feed-0 again, with its own :expire:


class Gate:
    """A threaded HTTP server that holds every answer until it is opened."""

    def __init__(self, delay: float = 0.0) -> None:
        self.arrived: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.opened = threading.Event()
        self.delay = delay
        self._changed = threading.Condition()
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with gate._changed:
                    gate.arrived.append(self.path)
                    gate.in_flight += 1
                    gate.most_in_flight = max(gate.most_in_flight, gate.in_flight)
                    gate._changed.notify_all()
                gate.opened.wait(30)
                if gate.delay:
                    threading.Event().wait(gate.delay)
                with gate._changed:
                    gate.in_flight -= 1
                answer_with_feed(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float) -> int:
        """Wait until *count* requests have arrived, or *timeout*; how many have."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.arrived) >= count, timeout)
            return len(self.arrived)

    def close(self) -> None:
        self.opened.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gate() -> Iterator[Gate]:
    gate = Gate()
    yield gate
    gate.close()


def build_watching(project: Project, gate: Gate, **kwargs: object) -> list[int]:
    """Build; when ``env-updated`` begins (before the extension's refresh),
    note how many requests have arrived, then open the gate."""
    seen: list[int] = []

    def before_refresh(app: Sphinx, env: BuildEnvironment) -> None:
        seen.append(gate.wait_for(FEEDS, timeout=10 if kwargs.get("parallel") is None else 1))
        gate.opened.set()

    app = project.make_app("html", srcdir=project.srcdir, **kwargs)
    app.connect("env-updated", before_refresh, priority=100)
    try:
        app.build()
    finally:
        app.cleanup()
    return seen


def shown_everywhere(project: Project) -> None:
    for n in range(6):
        page = (project.srcdir / "_build" / "html" / f"page{n}.html").read_text()
        feeds, _notes = feeds_in(page)
        assert [len(items) for items in feeds] == [2], f"page{n}"


def test_requests_go_out_while_sphinx_reads(project: Callable[..., Project], gate: Gate):
    site = project("prefetch", gate=gate.url)
    assert build_watching(site, gate) == [FEEDS]  # every request was out before the refresh
    shown_everywhere(site)
    # each URL asked once: page5's longer lifetime is met by the copy page0's request stored
    assert sorted(gate.arrived) == sorted(f"/feed-{n}.xml" for n in range(FEEDS))


def test_a_parallel_read_starts_no_request_before_the_refresh(
    project: Callable[..., Project], gate: Gate
):
    site = project("prefetch", gate=gate.url)
    # Sphinx forks its readers: no thread may be in the middle of a request then
    assert build_watching(site, gate, parallel=2) == [0]
    shown_everywhere(site)
    assert sorted(gate.arrived) == sorted(f"/feed-{n}.xml" for n in range(FEEDS))


def test_feed_concurrency_bounds_the_requests_in_flight(project: Callable[..., Project]):
    gate = Gate(delay=0.3)
    gate.opened.set()
    try:
        site = project("prefetch", gate=gate.url)
        site.confoverrides = {"feed_concurrency": 2}
        site.build()
        assert site.last_warnings == ""
        assert gate.most_in_flight == 2
        assert len(gate.arrived) == FEEDS
    finally:
        gate.close()
    shown_everywhere(site)
