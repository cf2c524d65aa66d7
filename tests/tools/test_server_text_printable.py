"""What a server says reaches no terminal raw: reason phrases, ``Location``,
advertised feed URLs are shown with their controls escaped (``\\x1b``), in the
console, the ``-w`` warnings file, feedcheck's outputs and ``sphinx-feed``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from helpers import TESTS

from sphinxcontrib_feed.text import printable

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

#: OSC 52 (write the clipboard), clear screen, an OSC 8 hyperlink, a C1 CSI.
HOSTILE = (
    "\x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\\x9b31m"
)
#: Any C0 or C1 control but tab, newline and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/reason.xml":
            self.send_response(503, "Busy " + HOSTILE)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/redirect.xml":
            self.send_response(302)
            self.send_header("Location", "http://elsewhere.invalid/" + HOSTILE)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/page.html":
            host, port = self.server.server_address[:2]
            href = f"http://{host}:{port}/gone{HOSTILE}.xml".replace('"', "")
            body = (
                '<html><head><link rel="alternate" type="application/rss+xml" '
                f'href="{href}"></head><body>A page</body></html>'
            ).encode("utf-8", "surrogateescape")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404, "Gone " + HOSTILE)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile_url() -> Iterator[str]:
    """A server on 127.0.0.1 whose words are escape sequences; its port is held throughout."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(TESTS.parent), "PYTHONIOENCODING": "utf-8"}


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, encoding="utf-8",
        errors="surrogateescape", env=_env(), cwd=cwd, timeout=180,
    )  # fmt: skip


def _project(tmp_path: Path, base: str) -> Path:
    srcdir = tmp_path / "docs"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxcontrib_feed"]\nproject = "x"\nexclude_patterns = ["_build"]\n'
        'feed_allowed_hosts = ["127.0.0.1"]\n',
        encoding="utf-8",
    )
    directives = "".join(
        f".. feed:: {base}/{name}\n\n" for name in ("reason.xml", "redirect.xml", "page.html")
    )
    (srcdir / "index.rst").write_text(f"Feeds\n=====\n\n{directives}", encoding="utf-8")
    return srcdir


#: Sphinx's own progress lines start with "erase the line" (Sphinx 8 writes it
#: even with -N and no terminal): Sphinx's, not a server's.
SPHINX_ERASE_LINE = "\x1b[2K"


def _no_controls(text: str, where: str) -> None:
    text = text.replace(SPHINX_ERASE_LINE, "")
    assert not CONTROL.search(text), f"a control character reached {where}: {text!r}"


def test_printable_escapes_every_control():
    assert printable("a\x1b[2Jb\x07\x9b\x00\n") == "a\\x1b[2Jb\\x07\\x9b\\x00\\x0a"
    assert printable("one\n\ttwo\x1b", lines=True) == "one\n\ttwo\\x1b"
    assert printable(printable(HOSTILE)) == printable(HOSTILE)
    assert printable("été ✓ 🙂") == "été ✓ 🙂"


def test_no_server_text_reaches_a_terminal_raw(tmp_path: Path, hostile_url: str):
    srcdir = _project(tmp_path, hostile_url)
    warnings_file = tmp_path / "warnings.txt"
    build = _run(
        "-m", "sphinx", "-N", "-b", "html", "-w", str(warnings_file),
        str(srcdir), str(tmp_path / "html"),
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    warnings = warnings_file.read_text(encoding="utf-8", errors="surrogateescape")
    for text, where in ((build.stdout, "stdout"), (build.stderr, "stderr"), (warnings, "-w")):
        _no_controls(text, where)
    # each of the three came through, escaped
    assert "Busy \\x1b]52;c;aGVsbG8=\\x07\\x1b[2J" in warnings  # the reason phrase
    assert "elsewhere.invalid/\\x1b]52;c;" in warnings  # the redirect's Location
    assert "/gone" in warnings and "Gone \\x1b]52" in warnings  # the advertised feed

    check = _run("-m", "sphinx", "-N", "-b", "feedcheck", str(srcdir), str(tmp_path / "check"))
    _no_controls(check.stdout + check.stderr, "feedcheck's console")
    report = (tmp_path / "check" / "output.txt").read_text(encoding="utf-8")
    _no_controls(report, "output.txt")
    assert "Busy \\x1b]52;c;" in report
    as_json = (tmp_path / "check" / "output.json").read_text(encoding="utf-8")
    _no_controls(as_json, "output.json")

    for name in ("reason.xml", "redirect.xml", "page.html"):
        shown = _run("-m", "sphinxcontrib_feed", "show", f"{hostile_url}/{name}")
        assert shown.returncode == 1
        _no_controls(shown.stdout + shown.stderr, "sphinx-feed show")
        assert "\\x1b]52;c;" in shown.stderr or name == "redirect.xml"
