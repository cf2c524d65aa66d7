"""Issue 15: the extension on the feedparser it may meet, not only the one it was written on.

The fast mappers borrow private names of feedparser (its date parser, URL
joiner, cp1252 table, author helpers). feedparser's main branch has already
renamed ``_FeedParserMixin``; with any such name gone, builds must still pass,
every document going through feedparser, with one debug line saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from helpers import FEEDS, feeds_in

if TYPE_CHECKING:
    from pathlib import Path

#: feedparser as its next release may be: the private names the mappers borrow, gone.
RENAMED = """
import sys, types
import feedparser.datetimes, feedparser.html, feedparser.mixin, feedparser.urls

def renamed(module, old, new):
    # what ``from module import old`` sees; feedparser's own code keeps its globals
    proxy = types.ModuleType(module.__name__)
    proxy.__dict__.update({k: v for k, v in vars(module).items() if k != old})
    setattr(proxy, new, getattr(module, old))
    sys.modules[module.__name__] = proxy

renamed(feedparser.mixin, "_FeedParserMixin", "XMLParserMixin")
renamed(feedparser.datetimes, "_parse_date", "parse_date")
renamed(feedparser.html, "_cp1252", "cp1252")
renamed(feedparser.urls, "_urljoin", "urljoin")
"""

BUILD = """
import sys
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""

DEBUG_LINE = "fast mappers unavailable"
FILES = ("news.rss", "releases.atom")


def _build(srcdir: Path, outdir: Path, prelude: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-c", prelude + BUILD,
        "-W", "-vv", "-E", "-b", "html", str(srcdir), str(outdir),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_without_feedparsers_private_names_builds_pass_through_feedparser(tmp_path: Path):
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    for name in FILES:
        shutil.copy(FEEDS / name, srcdir)
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_feed"]\n', encoding="utf-8")
    directives = "".join(f".. feed:: {name}\n   :limit: 0\n\n" for name in FILES)
    (srcdir / "index.rst").write_text("Feeds\n=====\n\n" + directives, encoding="utf-8")
    usual = _build(srcdir, tmp_path / "usual", "")
    assert usual.returncode == 0, usual.stderr
    assert DEBUG_LINE not in usual.stdout + usual.stderr

    renamed = _build(srcdir, tmp_path / "renamed", RENAMED)
    assert renamed.returncode == 0, renamed.stderr  # -W: not even a warning
    logged = renamed.stdout + renamed.stderr
    assert logged.count(DEBUG_LINE) == 2  # once per mapper (RSS, Atom), not per document

    usual_feeds, _ = feeds_in((tmp_path / "usual" / "index.html").read_text(encoding="utf-8"))
    renamed_feeds, notes = feeds_in((tmp_path / "renamed" / "index.html").read_text("utf-8"))
    assert notes == []
    assert [len(items) for items in renamed_feeds] == [len(items) for items in usual_feeds]
    assert all(len(items) > 1 for items in renamed_feeds)
    # feedparser and the mappers agree, item for item
    assert [[vars(item) for item in items] for items in renamed_feeds] == [
        [vars(item) for item in items] for items in usual_feeds
    ]


def test_the_fast_mappers_load_only_when_a_document_needs_one():
    code = (
        "import sys, sphinxcontrib_feed.parse.document as p\n"
        "print(sorted(m for m in sys.modules if m.startswith('sphinxcontrib_feed.parse.fast')))\n"
        'p.parse_feed(b\'<rss version="2.0"><channel><item><title>t</title></item>'
        "</channel></rss>', 'https://example.org/feed')\n"
        "print(sorted(m for m in sys.modules if m.startswith('sphinxcontrib_feed.parse.fast')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    before, after = done.stdout.splitlines()
    assert before == "[]"
    assert after == "['sphinxcontrib_feed.parse.fastmap', 'sphinxcontrib_feed.parse.fastreader']"
