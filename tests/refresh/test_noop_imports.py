"""A no-op build loads no parser, no renderer and no fetch machinery: feedparser,
lxml and RE2 wait for content to parse or a pattern to compile, nh3 and the
renderer for an item to finish or a page with a feed to write, the HTTP cache
and the pool for a source that needs reading, the model's classes for the
records to be read back (issue 20: a no-op build as cheap as static pages)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from helpers import feed_bytes

if TYPE_CHECKING:
    from pathlib import Path

#: Loaded only to read a feed or show one, never by a build that does neither. A name
#: stands for the module and everything under it.
NOT_ON_A_NO_OP = (
    "feedparser",
    "lxml",
    "re2",
    "nh3",
    "requests_cache",
    "sqlite3",
    "sphinxcontrib_feed.parse",
    "sphinxcontrib_feed.finish.shown",
    "sphinxcontrib_feed.finish.sanitize",
    "sphinxcontrib_feed.render.transform",
    "sphinxcontrib_feed.render.latest",
    "sphinxcontrib_feed.render.chrome",
    "sphinxcontrib_feed.render.items",
    "sphinxcontrib_feed.render.media",
    "sphinxcontrib_feed.render.markup.convert",
    "sphinxcontrib_feed.render.latex_text",
    "sphinxcontrib_feed.render.latex_lines",
    "sphinxcontrib_feed.refresh.sources",
    "sphinxcontrib_feed.refresh.policy",
    "sphinxcontrib_feed.refresh.store",
    "sphinxcontrib_feed.refresh.merged",
    "sphinxcontrib_feed.refresh.meanwhile",
    "sphinxcontrib_feed.fetch.fetcher",
    "sphinxcontrib_feed.fetch.pool",
    "sphinxcontrib_feed.fetch.httpcache",
    "sphinxcontrib_feed.fetch.cachebackend",
    # only for `-b feedcheck` (the sphinx.builders entry point), and for a slip to report
    "sphinxcontrib_feed.tools.feedcheck",
    "sphinxcontrib_feed.settings.typos",
    # the records stay packed, the refresh stops at its settled files (refresh/settled.py)
    "sphinxcontrib_feed.model",
    "sphinxcontrib_feed.errors",
    "sphinxcontrib_feed.finish.select",
    "sphinxcontrib_feed.refresh.update",
)

CHILD = """
import json, sys
from sphinx.cmd.build import build_main
status = build_main(sys.argv[2:])
heavy = json.loads(sys.argv[1])
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
print(json.dumps({"status": status, "loaded": loaded}))
"""


def _build(srcdir: Path, out: Path) -> dict[str, object]:
    heavy = json.dumps(NOT_ON_A_NO_OP)
    command = [sys.executable, "-c", CHILD, heavy, "-q", "-b", "html", str(srcdir), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 0, done.stderr
    return result


def test_a_no_op_build_imports_no_parser_renderer_or_fetch_machinery(tmp_path: Path):
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    feed = srcdir / "news.rss"
    feed.write_bytes(feed_bytes("news.rss"))
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_feed"]\n')
    page = (
        "News\n====\n\nThe latest: :feed-latest:`news.rss`.\n\n"
        ".. feed:: news.rss\n   :limit: 2\n   :filter: a\n"
    )
    (srcdir / "index.rst").write_text(page)
    first = _build(srcdir, tmp_path / "out")["loaded"]
    assert isinstance(first, list)
    assert "feedparser" in first or "lxml" in first  # it parsed
    assert {"nh3", "sphinxcontrib_feed.render.transform"} <= set(first)  # finished, rendered
    assert {"sphinxcontrib_feed.render.latest", "sphinxcontrib_feed.refresh.sources"} <= set(first)

    assert _build(srcdir, tmp_path / "out")["loaded"] == []

    # a modified file is read again, and its pages written again
    feed.write_bytes(feed_bytes("news.rss").replace(b"</title>", b" (updated)</title>", 1))
    stamp = feed.stat().st_mtime_ns + 2_000_000_000
    os.utime(feed, ns=(stamp, stamp))
    again = _build(srcdir, tmp_path / "out")["loaded"]
    assert isinstance(again, list)
    assert "sphinxcontrib_feed.refresh.sources" in again
    assert "sphinxcontrib_feed.render.transform" in again
