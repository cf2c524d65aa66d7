"""Helpers for the tests: fixture feeds, the server's request log, built HTML."""

from __future__ import annotations

import contextlib
import pickle
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sphinxcontrib_feed.model import Feed, FeedParseError
from sphinxcontrib_feed.parse import document as parse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from http.server import BaseHTTPRequestHandler

    from pytest_httpserver import HTTPServer

TESTS = Path(__file__).parent
FEEDS = TESTS / "feeds"
CORPUS = TESTS.parent.parent / "shared" / "feeds"


def stored_records(doctrees: Path) -> dict[str, Any]:
    """The sources' records in the pickled environment under *doctrees* (kept packed,
    see :mod:`sphinxcontrib_feed.reading.packed`), read back as a build reads them."""
    with (doctrees / "environment.pickle").open("rb") as file:
        packed = pickle.load(file).domaindata["feed"]["states"]
    records: dict[str, Any] = packed.records(lambda records: True)
    assert packed.problem is None
    return records


def feed_bytes(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def serve_feed(
    server: HTTPServer, path: str, name: str | bytes, content_type: str = "application/rss+xml"
) -> None:
    """Serve a fixture file (or raw bytes) at *path* for the rest of the test."""
    body = feed_bytes(name) if isinstance(name, str) else name
    server.expect_request(path).respond_with_data(body, content_type=content_type)


def answer_with_feed(handler: BaseHTTPRequestHandler, name: str = "news.rss") -> None:
    """Answer a ``http.server`` request with a fixture feed (for servers of a test's own)."""
    body = feed_bytes(name)
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def requests_for(server: HTTPServer, path: str) -> int:
    """How many requests the server has answered for *path*."""
    return sum(1 for request, _ in server.log if request.path == path)


ENTRY_FIELDS = (
    "title",
    "link",
    "id",
    "date",
    "author",
    "categories",
    "image",
    "enclosures",
    "raw_summary",
    "raw_type",
    "summary_base",
    "summary_html",
    "duration",
    "language",
    "raw_link",
)


def comparable(feed: Feed) -> tuple[Any, ...]:
    entries = tuple(tuple(getattr(entry, name) for name in ENTRY_FIELDS) for entry in feed.entries)
    shape = (feed.title, feed.link, feed.update_interval, feed.notes)
    return (*shape, feed.language, feed.unresolved_links, entries)


def parse_both_ways(
    content: bytes, url: str, monkeypatch: pytest.MonkeyPatch, mapper: Callable[..., Any]
) -> tuple[Any, Any, bool]:
    """(feedparser's index, the default path's index, whether fast *mapper* accepted).

    The default path runs *mapper* alone as parse's fast mapper, the other none.
    """
    accepted = []

    def recording(root: Any, headers: dict[str, str]) -> Any:
        result = mapper(root, headers)
        accepted.append(result is not None)
        return result

    def index() -> Any:
        try:
            return comparable(parse.parse_index(content, url)[0])
        except FeedParseError as error:
            return str(error)

    monkeypatch.setattr(parse, "fast_parse", recording)
    fast = index()
    monkeypatch.setattr(parse, "fast_parse", lambda root, headers: None)
    slow = index()
    return slow, fast, any(accepted)


def corpus_folder(*parts: str) -> Path:
    """A folder of the shared real-world corpus, or skip the test with the reason."""
    folder = CORPUS.joinpath(*parts)
    if not folder.is_dir():
        pytest.skip(f"the shared feed corpus is not at {folder} (it lives beside the checkout)")
    return folder


class FeedItem:
    def __init__(self) -> None:
        self.title = ""
        self.href: str | None = None
        self.datetime: str | None = None
        self.date = ""
        self.summary = ""


class _FeedItemParser(HTMLParser):
    """Collects ``li.feed-item`` entries of every ``div.feed-block`` in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.feeds: list[list[FeedItem]] = []
        self.notes: list[str] = []
        self._field: str | None = None
        self._stack: list[str] = []
        self._li_depth = 0
        self._item_depth = 0  # the li depth of the open feed item, 0 outside items

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "li":
            self._li_depth += 1
        if tag == "div" and "feed-block" in classes:
            self.feeds.append([])
        elif tag == "li" and "feed-item" in classes:
            self.feeds[-1].append(FeedItem())
            self._item_depth = self._li_depth
        elif not self._item_depth:
            if "feed-note" in classes:
                self.notes.append("")
                self._field = "note"
        elif "feed-title" in classes:
            self.feeds[-1][-1].href = attributes.get("href")
            self._field = "title"
        elif tag == "time":
            self.feeds[-1][-1].datetime = attributes.get("datetime")
            self._field = "date"
        elif "feed-summary" in classes:
            self._field = "summary"
        if self._field:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            if self._li_depth == self._item_depth:
                self._item_depth = 0
            self._li_depth -= 1
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
            if not self._stack:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._field == "note":
            self.notes[-1] += data
        elif self._field:
            item = self.feeds[-1][-1]
            setattr(item, self._field, getattr(item, self._field) + data)


def feeds_in(html: str) -> tuple[list[list[FeedItem]], list[str]]:
    """The feeds of a built HTML page (items per feed) and its feed notes."""
    parser = _FeedItemParser()
    parser.feed(html)
    return parser.feeds, parser.notes


def warning_lines(warnings: str) -> list[str]:
    """The warning stream without colour codes, one warning a line."""
    return [line for line in re.sub(r"\x1b\[[0-9;]*m", "", warnings).splitlines() if line.strip()]


class Origin:
    """A feed publisher on the test server whose behaviour a test changes between builds.

    ``mode``: ``ok`` (200, or 304 when the request's validators match),
    ``500``, ``garbage`` (200 with an HTML page), ``slow`` (answers after
    ``delay`` seconds), ``503`` (with ``Retry-After``).
    """

    def __init__(
        self, server: HTTPServer, path: str, name: str, content_type: str = "application/rss+xml"
    ):
        self.path = path
        self.body = feed_bytes(name)
        self.content_type = content_type
        self.mode = "ok"
        self.etag: str | None = '"v1"'
        self.last_modified: str | None = None
        self.extra_headers: dict[str, str] = {}
        self.delay = 0.0
        self.requests: list[dict[str, str]] = []
        server.expect_request(path).respond_with_handler(self._answer)

    def _answer(self, request: Any) -> Any:
        from werkzeug import Response

        self.requests.append(dict(request.headers))
        if self.mode == "500":
            return Response("boom", status=500)
        if self.mode == "503":
            return Response("busy", status=503, headers={"Retry-After": "3600"})
        if self.mode == "garbage":
            return Response("<html><body>Site maintenance</body></html>", content_type="text/html")
        if self.mode == "slow":
            time.sleep(self.delay)
        headers = dict(self.extra_headers)
        if self.etag:
            headers["ETag"] = self.etag
        if self.last_modified:
            headers["Last-Modified"] = self.last_modified
        matches_etag = self.etag and request.headers.get("If-None-Match") == self.etag
        matches_date = (
            self.last_modified and request.headers.get("If-Modified-Since") == self.last_modified
        )
        if matches_etag or matches_date:
            return Response(status=304, headers=headers)
        return Response(self.body, content_type=self.content_type, headers=headers)

    def change(self, name: str | bytes, etag: str = '"v2"') -> None:
        self.body = feed_bytes(name) if isinstance(name, str) else name
        self.etag = etag


def written_pages(status: str) -> list[str]:
    """The docnames a build's log says it wrote."""
    return re.findall(
        r"writing output\.\.\. \[\s*\d+%\] (\S+)", re.sub(r"\x1b\[[0-9;]*m", "", status)
    )


def validate_doctree(doc: Any) -> None:
    """Fail unless *doc* is valid by the Docutils doctree model.

    ``document.validate()`` is new in docutils 0.22; on older docutils the
    tree must at least write as well-formed Docutils XML and as HTML, which
    catches text where elements belong and elements docutils cannot write.
    CI's newest set runs the full content-model check.
    """
    validate = getattr(doc, "validate", None)
    if validate is not None:
        validate()
        return
    from docutils.core import publish_from_doctree
    from docutils.writers import get_writer_class
    from lxml import etree

    overrides = {"output_encoding": "unicode", "report_level": 5}
    xml = publish_from_doctree(
        doc.deepcopy(), writer=get_writer_class("xml")(), settings_overrides=overrides
    )
    etree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    publish_from_doctree(
        doc.deepcopy(), writer=get_writer_class("html5")(), settings_overrides=overrides
    )


def docutils_writer(name: str) -> Any:
    """A writer instance, which every docutils accepts (0.21 takes no names in ``writer=``)."""
    from docutils.writers import get_writer_class

    return get_writer_class(name)()


@contextlib.contextmanager
def skip_if_the_theme_refuses_this_sphinx(theme: str) -> Iterator[None]:
    """Skip where a third-party theme refuses the installed Sphinx itself.

    sphinx-rtd-theme 3.0 raises ThemeError on Sphinx 9.2 ("does not support
    this version of Sphinx"): the theme's limit, not the extension's.
    """
    import sphinx
    from sphinx.errors import ThemeError

    try:
        yield
    except ThemeError as error:
        if "does not support this version of Sphinx" not in str(error):
            raise
        pytest.skip(f"the {theme} theme refuses Sphinx {sphinx.__version__} itself")


def count_budget_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one at each check of the parse budget: between stages,
    and per entry or element (ticks), for the parses that follow."""
    from sphinxcontrib_feed.parse import limits

    checks: list[int] = []

    class CountingDeadline(limits.Deadline):
        def check(self) -> None:
            checks.append(1)
            super().check()

        def tick(self) -> None:
            checks.append(1)
            super().tick()

    monkeypatch.setattr(parse, "Deadline", CountingDeadline)
    return checks
