"""The refresh stops cleanly: an error or Ctrl-C in the owning thread makes no
queued request, a damaged cache heals without waiting on anyone.

The servers here log each request as it arrives, so what most tests assert is
which requests were made, not a duration; the Ctrl-C test measures its exit
against a generous bound (one fetch deadline and 3 s more).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import answer_with_feed, feeds_in, warning_lines

if TYPE_CHECKING:
    from collections.abc import Iterator

FEEDS = 5  # feed-0 … feed-4 in roots/test-five-feeds


class _RoomyServer(ThreadingHTTPServer):
    # a backlog for every connection a build opens at once: none is dropped and retried
    request_queue_size = 64


class Server:
    """A threaded HTTP server that logs every request and answers after *delay*
    (the first request at once, with *first_free*)."""

    def __init__(self, delay: float = 0.0, first_free: bool = False) -> None:
        self.arrived: list[str] = []
        self.delay = delay
        self.first_free = first_free
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.arrived.append(self.path)
                if server.delay and not (server.first_free and len(server.arrived) == 1):
                    server.released.wait(server.delay)
                answer_with_feed(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _RoomyServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def test_an_error_in_the_owning_thread_makes_no_queued_request(project, server, monkeypatch):
    import sphinxcontrib_feed.refresh.update as update

    def broken(*args: object) -> None:
        # once the second request is in flight: the owning thread may reach this
        # before a worker has sent it (nothing is left to import by then)
        deadline = time.monotonic() + 30
        while len(server.arrived) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        raise RuntimeError("a bug in the owning thread")

    monkeypatch.setattr(update, "log_outcome", broken)
    # the first answer comes at once, and raises; the second request is then in
    # flight (held by the server), the other three only queued
    server.delay, server.first_free = 60, True
    site = project("five-feeds", gate=server.url)
    site.confoverrides = {"feed_concurrency": 1}
    with pytest.raises(Exception, match="a bug in the owning thread"):
        site.build()
    time.sleep(0.5)
    assert server.arrived == ["/feed-0.xml", "/feed-1.xml"]
    # and the next build is clean
    monkeypatch.undo()
    server.delay = 0
    server.released.set()
    site.build()
    assert feeds_in(site.output("page1.html"))[0][0]  # items shown
    assert warning_lines(site.last_warnings) == []


def test_healing_a_damaged_cache_with_answers_pending_never_hangs(project, server):
    site = project("five-feeds", gate=server.url)
    site.confoverrides = {"feed_expire": 0}
    site.build()
    cache = site.srcdir / "_build/doctrees/feed-cache.sqlite"
    for extra in ("-wal", "-shm"):
        (cache.parent / f"{cache.name}{extra}").unlink(missing_ok=True)
    # damaged: an SQLite file's header, and then garbage
    cache.write_bytes(cache.read_bytes()[:16] + b"this is not a database" * 100)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (site.build(freshenv=True), done.set()), daemon=True)
    thread.start()
    assert done.wait(120), "the build hangs"
    [warning] = warning_lines(site.last_warnings)
    assert "was damaged" in warning and "recreated" in warning
    site.build(freshenv=True)  # healed: quiet
    assert warning_lines(site.last_warnings) == []


#: Long enough that the build cannot finish on its own before the Ctrl-C
#: (40 feeds, 8 at a time, each held until its deadline: 5 × 3 × 2 s), even on a busy machine.
TIMEOUT = 2


def _many_slow_feeds(srcdir: Path, url: str, count: int) -> None:
    srcdir.mkdir()
    conf = f'extensions = ["sphinxcontrib_feed"]\nfeed_timeout = {TIMEOUT}\nfeed_concurrency = 8\n'
    (srcdir / "conf.py").write_text(conf + 'exclude_patterns = ["_build"]\n')
    directives = "".join(f".. feed:: {url}/feed-{n}.xml\n\n" for n in range(count))
    (srcdir / "index.rst").write_text(f"Feeds\n=====\n\n{directives}")


def _deliverable_sigint() -> None:
    """In the build's process: SIGINT as a terminal's Ctrl-C finds it.

    A child inherits its parent's ignored and blocked signals, and Python
    installs no KeyboardInterrupt handler for a SIGINT ignored at start-up;
    a test runner (or a thread of it) may have SIGINT ignored or blocked.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _signal_state(pid: int) -> str:
    """The build process's blocked, ignored and caught signal masks, for a failure message."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return "no /proc"
    return ", ".join(line for line in status.splitlines() if line.startswith("Sig"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")
def test_ctrl_c_ends_a_build_of_many_slow_feeds_within_one_deadline(tmp_path: Path):
    slow = Server(delay=60)
    try:
        srcdir = tmp_path / "slow"
        _many_slow_feeds(srcdir, slow.url, 40)
        build = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir),
                 str(srcdir / "_build/html")]  # fmt: skip
        process = subprocess.Popen(
            build, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ},
            preexec_fn=_deliverable_sigint,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not slow.arrived and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert slow.arrived, "no request went out"
        started = time.monotonic()
        signals = _signal_state(process.pid)
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=3 * TIMEOUT + 3)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"Ctrl-C did not end the build within 3 × feed_timeout + 3 s ({signals})")
        elapsed = time.monotonic() - started
        assert process.returncode != 0
        assert elapsed < 3 * TIMEOUT + 3
        assert stderr.count(b"Traceback") == 0  # no traceback flood
        # no request that was only queued is made: only those in flight at Ctrl-C
        time.sleep(0.5)
        assert len(slow.arrived) <= 8  # feed_concurrency
        # the next build is clean: the requests are made again
        slow.released.set()
        slow.delay = 0
        again = subprocess.run(build, capture_output=True, timeout=120, check=False)
        assert again.returncode == 0, again.stderr.decode()
    finally:
        slow.close()
