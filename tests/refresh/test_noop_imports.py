"""A no-op build loads no parser: feedparser, lxml and RE2 wait for content to parse
or a pattern to compile (issue 20: a no-op build as cheap as static pages)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

from helpers import feed_bytes

if TYPE_CHECKING:
    from pathlib import Path

CHILD = """
import json, sys
from sphinx.cmd.build import build_main
status = build_main(sys.argv[1:])
heavy = ("feedparser", "lxml", "re2", "requests_cache", "sphinxcontrib_feed.parse.document")
print(json.dumps({"status": status, "loaded": sorted(m for m in heavy if m in sys.modules)}))
"""


def _build(srcdir: Path, out: Path) -> dict[str, object]:
    command = [sys.executable, "-c", CHILD, "-q", "-b", "html", str(srcdir), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 0, done.stderr
    return result


def test_a_no_op_build_imports_no_parser(tmp_path: Path):
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "news.rss").write_bytes(feed_bytes("news.rss"))
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_feed"]\n')
    page = "News\n====\n\n.. feed:: news.rss\n   :limit: 2\n   :filter: a\n"
    (srcdir / "index.rst").write_text(page)
    first = _build(srcdir, tmp_path / "out")
    assert "feedparser" in first["loaded"] or "lxml" in first["loaded"]  # it parsed
    assert _build(srcdir, tmp_path / "out")["loaded"] == []
