"""Opening the HTTP cache imports only the clients of the backend in use.

requests-cache imports the client of every backend and serializer that is
installed (boto3, pymongo, redis, PyYAML...) when it is first imported:
0.2-0.3 s in a full environment. The extension leaves out those it never
uses for that one import (:func:`.cachebackend._unused_clients_left_out`),
and leaves them importable. Each build runs in a fresh interpreter, where
requests-cache is not imported yet.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from helpers import requests_for, serve_feed

from sphinxcontrib_feed.fetch.cachebackend import _UNUSED_CLIENTS

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_httpserver import HTTPServer

CHILD = """
import importlib, json, sys
from sphinx.cmd.build import build_main
names = json.loads(sys.argv[1])
status = build_main(["-q", "-b", "html", *sys.argv[2:]])
imported = sorted(name for name in names if sys.modules.get(name) is not None)
blocked = sorted(name for name in names if name in sys.modules and sys.modules[name] is None)
importable = sorted(name for name in names if importlib.import_module(name))
print(json.dumps({"status": status, "imported": imported, "blocked": blocked,
                  "importable": importable, "cache": "requests_cache" in sys.modules}))
"""


def _installed(names: tuple[str, ...]) -> list[str]:
    return [name for name in names if importlib.util.find_spec(name) is not None]


def _build(tmp_path: Path, conf: str, url: str, names: list[str]) -> dict[str, object]:
    srcdir = tmp_path / "src"
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(f'extensions = ["sphinxcontrib_feed"]\n{conf}')
    (srcdir / "index.rst").write_text(f"News\n====\n\n.. feed:: {url}\n   :limit: 2\n")
    command = [sys.executable, "-c", CHILD, json.dumps(names), str(srcdir), str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return result


def test_the_sqlite_cache_imports_no_other_backends_client(tmp_path: Path, httpserver: HTTPServer):
    installed = _installed((*_UNUSED_CLIENTS, "redis"))
    if not installed:
        pytest.skip("none of the clients requests-cache would import is installed here")
    serve_feed(httpserver, "/news.rss", "news.rss")
    result = _build(tmp_path, "", httpserver.url_for("/news.rss"), installed)
    assert requests_for(httpserver, "/news.rss") == 1
    assert result["cache"] is True  # the answer was stored, so requests-cache was imported
    assert result["imported"] == []
    assert result["blocked"] == []  # nothing is left changed: each one still imports
    assert result["importable"] == sorted(installed)


def test_a_redis_cache_imports_redis_and_still_no_other_client(
    tmp_path: Path, httpserver: HTTPServer, redis_url: str
):
    others = _installed(_UNUSED_CLIENTS)
    serve_feed(httpserver, "/news.rss", "news.rss")
    conf = f"feed_cache_backend = {redis_url!r}\n"
    result = _build(tmp_path, conf, httpserver.url_for("/news.rss"), [*others, "redis"])
    assert requests_for(httpserver, "/news.rss") == 1
    assert result["imported"] == ["redis"]
    assert result["blocked"] == []

    # the copy is in Redis: a second build in a fresh interpreter asks nothing
    again = _build(tmp_path / "again", conf, httpserver.url_for("/news.rss"), ["redis"])
    assert again["imported"] == ["redis"]
    assert requests_for(httpserver, "/news.rss") == 1
