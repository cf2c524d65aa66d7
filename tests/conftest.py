"""Shared fixtures: a real HTTP server on 127.0.0.1 and real Sphinx builds.

Test roots live in ``tests/roots/test-*``; each copy gets the fixture feeds
of ``tests/feeds`` as ``_feeds/`` in its source directory. Before a build, ``{server}`` in
their ``.rst``, ``.md`` and ``conf.py`` files is replaced by the test server's
base URL, so documents can name real ``http://127.0.0.1:PORT/...`` sources.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from helpers import FEEDS, TESTS
from sphinx.testing.util import SphinxTestApp

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

pytest_plugins = ("sphinx.testing.fixtures",)

SUBSTITUTED = (".rst", ".md", ".py")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections at once, for the whole test.

    The socket is bound but never listens, and is held until the test ends: no
    other process can take the port meanwhile (binding a port, releasing it and
    using it later races with everything else on the machine).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@pytest.fixture
def dead_url(refused_port: int) -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    return f"http://127.0.0.1:{refused_port}/feed.xml"


@dataclass
class Project:
    """A copy of a test root, built as many times as a test likes."""

    srcdir: Path
    make_app: Callable[..., SphinxTestApp]
    confoverrides: dict[str, Any] = field(default_factory=dict)
    last_warnings: str = ""
    last_status: str = ""

    def build(self, buildername: str = "html", **kwargs: Any) -> SphinxTestApp:
        kwargs.setdefault("confoverrides", self.confoverrides)
        status, warning = StringIO(), StringIO()
        app = self.make_app(
            buildername, srcdir=self.srcdir, status=status, warning=warning, **kwargs
        )
        try:
            app.build()
        finally:
            app.cleanup()  # lets the next build of the same test register its nodes afresh
            self.last_status = status.getvalue()
            self.last_warnings = warning.getvalue()
        return app

    def output(self, relative: str, buildername: str = "html") -> str:
        return (self.srcdir / "_build" / buildername / relative).read_text(encoding="utf-8")


@pytest.fixture
def project(
    tmp_path: Path, rootdir: Path, make_app: Callable[..., SphinxTestApp], httpserver: HTTPServer
) -> Callable[..., Project]:
    """``project("basic", **substitutions)``: copy ``roots/test-basic`` and fill it in."""

    def make(name: str, folder: str | None = None, **substitutions: str) -> Project:
        srcdir = tmp_path / (folder or name)
        shutil.copytree(rootdir / f"test-{name}", srcdir)
        shutil.copytree(FEEDS, srcdir / "_feeds")
        values = {"server": httpserver.url_for("").rstrip("/"), **substitutions}
        for path in srcdir.rglob("*"):
            if path.suffix in SUBSTITUTED:
                text = path.read_text(encoding="utf-8")
                for key, value in values.items():
                    text = text.replace("{" + key + "}", value)
                path.write_text(text, encoding="utf-8")
        return Project(srcdir=srcdir, make_app=make_app)

    return make


# -- a real redis-server, for the Redis cache backend (fetch and tools tests) --


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server on a unix socket of this test's own (no TCP port to race for)."""
    pytest.importorskip("redis", reason="the Redis backend needs the 'redis' extra")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    path = Path(tempfile.mkdtemp(prefix="redis-")) / "redis.sock"  # short: sun_path limit
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(path), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.settimeout(0.2)
                    probe.connect(str(path))
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"unix://{path}?db=0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(path.parent, ignore_errors=True)
