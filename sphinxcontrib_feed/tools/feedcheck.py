"""``sphinx-build -b feedcheck``: revalidate every feed a project uses, like ``linkcheck``.

The builder does no fetching of its own: it asks the refresh that runs after
reading (:mod:`.refresh`) to revalidate every source whatever its lifetime
(``feed_revalidate``), and collects each source's outcome as it comes
(``note_feed_outcome``). So the check goes through exactly the code a normal
build uses (cache, conditional requests, size caps, snapshots), and what it
stores is what the next build shows. It writes no pages: one line per source
in the log, ``output.txt`` and ``output.json`` in the output directory, and
a non-zero exit status when a source fails.

Since it writes no pages, the pages showing a feed it found changed are
marked to be read again by the next build, whatever its builder: otherwise
that build would find the new copy already in the environment and, seeing no
change, leave those pages as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.console import colorize

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.records import SourceRecord
from sphinxcontrib_feed.settings.compat import app_of
from sphinxcontrib_feed.settings.resolved import get_settings
from sphinxcontrib_feed.text import printable

if TYPE_CHECKING:
    from collections.abc import Iterator, Set

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

    from sphinxcontrib_feed.feedsource import FeedSource
    from sphinxcontrib_feed.model import Feed
    from sphinxcontrib_feed.refresh.policy import Result

logger = logging.getLogger(__name__)

OK, NOT_MODIFIED, STALE, FAILING = "ok", "not modified", "stale", "failing"
#: A snapshot no source uses: reported, and removed.
UNUSED_SNAPSHOT = "unused snapshot"
#: Statuses that make the build exit non-zero: the source cannot be had now.
FAILED = (STALE, FAILING)
_COLOURS = {OK: "darkgreen", NOT_MODIFIED: "turquoise", STALE: "purple", FAILING: "darkred",
            UNUSED_SNAPSHOT: "darkgray"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceReport:
    """One source's line in the report."""

    source: str
    status: str
    items: int
    #: The newest item's date: when the feed last had something new.
    last_change: datetime | None
    #: When its server last confirmed the copy we hold.
    checked_at: datetime | None
    pages: tuple[str, ...]
    info: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "items": self.items,
            "last_change": _iso(self.last_change),
            "checked_at": _iso(self.checked_at),
            "pages": list(self.pages),
            "info": self.info,
        }

    def as_text(self) -> str:
        items = __("%d items") % self.items if self.status in (OK, NOT_MODIFIED, STALE) else ""
        change = __("last change %s") % _day(self.last_change) if self.last_change else ""
        used = __("used by %s") % ", ".join(self.pages) if self.pages else ""
        details = "; ".join(part for part in (items, change, used, self.info) if part)
        line = f"[{self.status}] {self.source}" + (f": {details}" if details else "")
        return printable(line)  # console and output.txt: no control from a server or feed


def report_for(
    source: FeedSource, record: SourceRecord, result: Result, pages: Set[str]
) -> SourceReport:
    """The report on *source*: its *result* this build, *record* what it left."""
    from sphinxcontrib_feed.refresh.policy import Bad, Good

    good = result.copy if isinstance(result, Bad) else result if isinstance(result, Good) else None
    feed: Feed | None = good.index if good is not None else record.feed
    checked_at = good.checked_at if good is not None else record.checked_at
    failure = record.failure
    if failure is not None:
        status = STALE if feed is not None else FAILING
    else:
        status = NOT_MODIFIED if isinstance(result, Good) and result.not_modified else OK
    dates = [entry.date for entry in feed.entries if entry.date is not None] if feed else []
    return SourceReport(
        source=source.key,
        status=status,
        items=len(feed.entries) if feed is not None else 0,
        last_change=max(dates, default=None),
        checked_at=checked_at,
        pages=tuple(sorted(pages)),
        info=failure.text() if failure is not None else "",
    )


class FeedCheckBuilder(Builder):
    """Checks that every feed source is reachable and still a feed."""

    name = "feedcheck"
    epilog = __(
        "Look for any errors in the above output or in %(outdir)s/output.txt "
        "(and %(outdir)s/output.json)"
    )
    #: Read by :func:`.refresh.update.refresh_all`: ask every server, whatever the lifetimes.
    feed_revalidate = True

    def init(self) -> None:
        self.outcomes: dict[str, tuple[FeedSource, SourceRecord, Result]] = {}
        #: Each source's state before the refresh: what a page shows.
        self.shown: dict[str, tuple[object, ...]] = {}
        self.reported = False

    def note_feed_outcome(self, source: FeedSource, record: SourceRecord, result: Result) -> None:
        """Called by the refresh for each source, in the main thread."""
        self.outcomes[source.key] = (source, record, result)

    def get_outdated_docs(self) -> Iterator[str]:
        yield from ()  # pages are never written

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_documents(self, docnames: Set[str]) -> None:
        """No pages (not even those whose feeds changed): the refresh has done the work."""

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        self.reported = True
        domain = get_feed_domain(self.env)
        reports = [
            report_for(source, record, result, domain.documents_using({key}))
            for key, (source, record, result) in sorted(self.outcomes.items())
        ]
        reports += self._prune_snapshots({source.url for source, *_ in self.outcomes.values()})
        logger.info("")
        if not self.outcomes:
            logger.info(__("no feeds are used by this project"))
        for report in reports:
            logger.info(colorize(_COLOURS[report.status], report.as_text()))
            if report.status in FAILED:
                logger.warning(
                    __("feed %s is %s: %s"), report.source, report.status, report.info,
                    type="feed", subtype="fetch",
                    location=(report.pages[0], None) if report.pages else None,
                )  # fmt: skip
        self.outdir.mkdir(parents=True, exist_ok=True)
        text = "".join(report.as_text() + "\n" for report in reports)
        (self.outdir / "output.txt").write_text(text, encoding="utf-8")
        lines = "".join(json.dumps(report.as_json()) + "\n" for report in reports)
        (self.outdir / "output.json").write_text(lines, encoding="utf-8")
        if any(report.status in FAILED for report in reports):
            app_of(self).statuscode = 1  # as linkcheck does

    def _prune_snapshots(self, urls: Set[str | None]) -> list[SourceReport]:
        """Remove the snapshots (``feed_snapshot_dir``) of URLs no source uses."""
        folder = get_settings(self.config).snapshot_dir
        if not folder:
            return []
        from sphinxcontrib_feed.refresh.store import Snapshots

        snapshots = Snapshots(self.confdir / folder)
        reports = []
        for snapshot in snapshots.unused({url for url in urls if url}):
            snapshots.remove(snapshot)
            removed = ", ".join(file.name for file in snapshot.files)
            info = __("removed %s") % removed
            reports.append(SourceReport(snapshot.url, UNUSED_SNAPSHOT, 0, None, None, (), info))
        return reports


def _note_shown(app: Sphinx, env: BuildEnvironment) -> None:
    """Before the refresh: what each source's pages show."""
    if isinstance(app.builder, FeedCheckBuilder):
        states = get_feed_domain(env).states
        app.builder.shown = {key: _shown(state) for key, state in states.items()}


def _reread_changed(app: Sphinx, env: BuildEnvironment) -> None:
    """After the refresh: the next build reads again the pages whose feeds changed."""
    if isinstance(app.builder, FeedCheckBuilder):
        domain = get_feed_domain(env)
        changed = {
            key
            for key, state in domain.states.items()
            if _shown(state) != app.builder.shown.get(key, _shown(SourceRecord()))
        }
        env.reread_always.update(domain.documents_using(changed))


def _shown(state: SourceRecord) -> tuple[object, ...]:
    checked_day = state.checked_at.date() if state.checked_at else None  # for :as-of:
    return state.digest, state.failure, checked_day


def _report_when_nothing_was_written(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the report, where the builder's ``finish`` was never called.

    Sphinx 8 stops a build with nothing to write ("no targets are out of
    date") before ``finish``; a check where every feed answered 304 is
    exactly that. Sphinx 9 calls ``finish`` anyway.
    """
    builder = app.builder
    if exception is None and isinstance(builder, FeedCheckBuilder) and not builder.reported:
        builder.finish()


def _iso(when: datetime | None) -> str | None:
    return when.isoformat().replace("+00:00", "Z") if when is not None else None


def _day(when: datetime | None) -> str:
    return when.date().isoformat() if when is not None else ""


def setup(app: Sphinx) -> ExtensionMetadata:
    """Loaded by Sphinx only for ``-b feedcheck`` (the ``sphinx.builders`` entry point),
    so other builds never import this module."""
    from sphinxcontrib_feed._version import __version__

    app.setup_extension("sphinxcontrib_feed")
    app.add_builder(FeedCheckBuilder)
    # around refresh_feeds (priority 500), which fetches and updates the states
    app.connect("env-updated", _note_shown, priority=400)
    app.connect("env-updated", _reread_changed, priority=600)
    app.connect("build-finished", _report_when_nothing_was_written)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
