"""The refresh's hook, and a no-op's whole refresh: feed files as the last one left them.

A build that reads no page (a no-op, or one whose only change is a theme
setting) still runs the refresh: a feed file may have changed. When the last
refresh left every source in use a good copy of a feed file, cut to what its
pages show and with nothing to warn about, the domain keeps a plain note of
those files (:attr:`.FeedDomain.unchanged_files`; any page read, or a change
of the sidebar's source, drops it). If each file is still as it was, there is
nothing to do: the refresh stops here, without the records, the model or the
refresh's own code (:mod:`.update`), which a build imports only when
something may have changed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.refresh.outcomes import tally_words
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.reading.domain import FeedDomain, SettledFile

__all__ = ["refresh_feeds", "register"]

logger = logging.getLogger(__name__)


def refresh_feeds(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Bring every source in use up to date; return the documents to rewrite."""
    domain = get_feed_domain(env)
    if _as_settled(app, domain):
        return []
    from sphinxcontrib_feed.refresh.update import refresh_all  # something may have changed

    rewrite = refresh_all(app, env)
    domain.unchanged_files = settled_files(app, domain)
    return rewrite


def _as_settled(app: Sphinx, domain: FeedDomain) -> bool:
    """Whether every feed file the last refresh settled is as it was (then said so)."""
    files = domain.unchanged_files
    if not files or _asks_more(app):
        return False
    from sphinxcontrib_feed.fetch.files import file_modified

    srcdir = Path(app.srcdir)
    if any(file_modified(srcdir, path) != modified for path, modified in files.values()):
        return False
    logger.info(__("checking feeds: %s"), ", ".join(tally_words(Counter(fresh=len(files)))))
    return True


def _asks_more(app: Sphinx) -> bool:
    """Builds whose refresh does more than read changed files: ``feedcheck`` reports
    on each source, a snapshot folder notes the sources in use, a sidebar's source
    is resolved again."""
    settings = get_settings(app)
    return bool(
        getattr(app.builder, "note_feed_outcome", None)
        or settings.snapshot_dir
        or settings.sidebar is not None
    )


def settled_files(app: Sphinx, domain: FeedDomain) -> dict[str, SettledFile] | None:
    """What :attr:`.FeedDomain.unchanged_files` notes after a refresh (see there)."""
    if _asks_more(app):
        return None
    needs = domain.needs()
    files: dict[str, SettledFile] = {}
    for key, source in domain.sources_in_use().items():
        record = domain.record(key)
        warns = record.advice is not None or (record.feed is not None and record.feed.warnings)
        if not record.stands_for(needs.get(key, frozenset())) or warns:
            return None
        if source.path is None or record.checked_at is None:  # a web source
            return None
        files[key] = (source.path, record.checked_at)
    return files or None


def register(app: Sphinx) -> None:
    """The refresh stage's hook: refresh after reading (``env-updated``)."""
    app.connect("env-updated", refresh_feeds)
