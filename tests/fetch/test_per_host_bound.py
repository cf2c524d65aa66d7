"""Many hosts at once, polite to each: the pool's two bounds, as servers see them.

Each server here is on its own loopback address (127.0.0.2, 127.0.0.3, …,
all loopback on Linux) and logs when each request arrives and when it is
answered; the tests assert on those logs, never on a build's duration.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from helpers import answer_with_feed

from sphinxcontrib_feed.fetch.pool import host_of

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.N is loopback on Linux")

PER_HOST = 6


class _RoomyServer(ThreadingHTTPServer):
    request_queue_size = 64


class Overall:
    """Requests in flight across every server of a test."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0

    def change(self, by: int) -> None:
        with self.lock:
            self.now += by
            self.most = max(self.most, self.now)


class Host:
    """A server that holds each request until *hold* seconds pass or *release* is set,
    logging (arrived, answered) times and the most requests it had at once."""

    def __init__(self, address: str, overall: Overall, hold: float, release: threading.Event):
        self.log: list[tuple[float, float]] = []
        self.now = self.most = 0
        lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                arrived = time.monotonic()
                with lock:
                    host.now += 1
                    host.most = max(host.most, host.now)
                overall.change(+1)
                release.wait(hold)
                with lock:
                    host.now -= 1
                overall.change(-1)
                host.log.append((arrived, time.monotonic()))
                answer_with_feed(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _RoomyServer((address, 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{address}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _hosts(count: int, overall: Overall, hold: float, release: threading.Event) -> list[Host]:
    try:
        return [Host(f"127.0.0.{n + 2}", overall, hold, release) for n in range(count)]
    except OSError as error:  # pragma: no cover - a loopback that is only 127.0.0.1
        pytest.skip(f"no loopback address beyond 127.0.0.1: {error}")


def _build(tmp_path: Path, urls: list[str], conf: str = "") -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(f'extensions = ["sphinxcontrib_feed"]\n{conf}')
    directives = "".join(f".. feed:: {url}\n   :limit: 1\n\n" for url in urls)
    (srcdir / "index.rst").write_text(f"Feeds\n=====\n\n{directives}")
    build = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(tmp_path / "out")]
    done = subprocess.run(build, capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode()


def test_one_host_never_sees_more_than_the_per_host_cap(tmp_path: Path):
    overall, release = Overall(), threading.Event()
    [host] = _hosts(1, overall, 0.3, release)
    try:
        _build(tmp_path, [f"{host.url}/feed-{n}.xml" for n in range(20)])
    finally:
        host.close()
    assert len(host.log) == 20
    assert host.most <= PER_HOST
    assert host.most == PER_HOST  # and the cap is used: 20 requests, 0.3 s each


def test_several_busy_hosts_each_see_at_most_the_cap(tmp_path: Path):
    overall, release = Overall(), threading.Event()
    hosts = _hosts(3, overall, 0.3, release)
    urls = [f"{host.url}/feed-{n}.xml" for n in range(10) for host in hosts]
    try:
        _build(tmp_path, urls)
    finally:
        for host in hosts:
            host.close()
    assert [len(host.log) for host in hosts] == [10, 10, 10]
    assert [host.most for host in hosts] == [PER_HOST] * 3  # each at the cap, none above
    assert overall.most == 3 * PER_HOST  # the hosts in parallel, under feed_concurrency


def test_many_hosts_go_out_together(tmp_path: Path):
    count, overall, release = 16, Overall(), threading.Event()
    hosts = _hosts(count, overall, 30, release)

    def let_go_when_all_arrived() -> None:
        deadline = time.monotonic() + 60
        while overall.now < count and time.monotonic() < deadline:
            time.sleep(0.01)
        release.set()

    threading.Thread(target=let_go_when_all_arrived, daemon=True).start()
    try:
        _build(tmp_path, [f"{host.url}/feed.xml" for host in hosts])
    finally:
        release.set()
        for host in hosts:
            host.close()
    logs = [entry for host in hosts for entry in host.log]
    assert len(logs) == count
    # every request arrived before the first was answered: all were in flight at once
    assert max(arrived for arrived, _ in logs) <= min(answered for _, answered in logs)
    assert overall.most == count


def test_feed_concurrency_bounds_the_requests_in_flight_overall(tmp_path: Path):
    overall, release = Overall(), threading.Event()
    hosts = _hosts(8, overall, 0.2, release)
    try:
        _build(tmp_path, [f"{host.url}/feed.xml" for host in hosts], "feed_concurrency = 3\n")
    finally:
        for host in hosts:
            host.close()
    assert sum(len(host.log) for host in hosts) == 8
    assert overall.most == 3


def test_a_feed_concurrency_below_the_cap_is_the_cap_too(tmp_path: Path):
    overall, release = Overall(), threading.Event()
    [host] = _hosts(1, overall, 0.2, release)
    try:
        _build(tmp_path, [f"{host.url}/feed-{n}.xml" for n in range(6)], "feed_concurrency = 2\n")
    finally:
        host.close()
    assert host.most == 2


def test_hosts_are_told_apart_by_scheme_name_and_port():
    assert host_of("http://Example.org/a") == host_of("http://example.org:80/b")
    assert host_of("https://example.org/a") != host_of("http://example.org/a")
    assert host_of("http://example.org:8080/a") != host_of("http://example.org/a")
    assert host_of("http://[::1/") == "http://[::1/"  # unparsable: a host of its own
