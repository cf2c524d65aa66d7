"""A body that is a gzip file (a ``.gz`` feed served as such, or kept so in the project)."""

from __future__ import annotations

import gzip
import re
import zlib
from typing import TYPE_CHECKING

from helpers import FeedItem, feed_bytes, feeds_in, serve_feed, warning_lines

from sphinxcontrib_feed.parse.document import parse_index
from sphinxcontrib_feed.parse.limits import MAX_DOCUMENT_BYTES

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer


def _bomb() -> bytes:
    """A gzip stream of 1 MiB more than the document limit, made without holding it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b" " * (1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(MAX_DOCUMENT_BYTES // len(chunk) + 1)]
    return b"".join([*parts, packer.flush()])


def _shown(item: FeedItem) -> tuple[str, str | None, str | None, str]:
    return item.title, item.href, item.datetime, item.summary


def test_gzip_files_are_read_and_bombs_cost_only_their_feed(project, httpserver: HTTPServer):
    news = feed_bytes("news.rss")
    packed = gzip.compress(news)
    cut = packed[: len(packed) * 2 // 3]
    served_as = "application/gzip"
    serve_feed(httpserver, "/news.xml.gz", packed, content_type=served_as)
    serve_feed(httpserver, "/cut.gz", cut, content_type=served_as)
    serve_feed(httpserver, "/bomb.gz", _bomb(), content_type=served_as)
    serve_feed(httpserver, "/broken.gz", b"\x1f\x8b\x08" + b"not deflate" * 50)
    built = project("compressed")
    (built.srcdir / "_feeds" / "news.rss.gz").write_bytes(packed)
    (built.srcdir / "_feeds" / "cut.rss.gz").write_bytes(cut)
    built.build()

    feeds, _ = feeds_in(built.output("index.html"))
    [plain, served, kept, cut_file, cut_answer, bomb, broken] = [
        [_shown(item) for item in feed] for feed in feeds
    ]
    assert len(plain) >= 3 and served == plain and kept == plain
    # a feed file cut short is read up to the cut, as a truncated document is ...
    whole = parse_index(news, "https://example.org/news.rss")[0].entries
    assert 0 < len(cut_file) < len(whole)
    assert {title for title, *_ in cut_file} <= {entry.title for entry in whole}
    # ... but a server's answer cut short is no good copy (it would replace the last one)
    assert cut_answer == bomb == broken == []
    warnings = warning_lines(built.last_warnings)
    assert len(warnings) == 3, warnings
    ended, refused, unreadable = warnings
    assert re.search(r"index\.rst:\d+: WARNING: .*cut\.gz.*gzip-compressed document is cut "
                     r"short", ended)  # fmt: skip
    assert re.search(r"index\.rst:\d+: WARNING: .*bomb\.gz.*gzip-compressed and holds more "
                     r"than 64 MiB; refused \[feed\.parse\]$", refused)  # fmt: skip
    assert re.search(r"index\.rst:\d+: WARNING: .*broken\.gz.*gzip-compressed, and it cannot "
                     r"be read .*\[feed\.parse\]$", unreadable)  # fmt: skip
    assert sorted(request.path for request, _ in httpserver.log) == [
        "/bomb.gz", "/broken.gz", "/cut.gz", "/news.xml.gz"
    ]  # fmt: skip
