"""The theme's chrome: the ``feed_sidebar`` source, noted in the domain before each refresh.

No page names it, yet every HTML page shows it: so it is added to the domain
(:attr:`.FeedDomain.chrome`) right before the refresh gathers the sources in
use, whatever the builder (so the environment's records, ``feedcheck`` and
the snapshots are the same for every builder).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.feedsource import FeedSource
    from sphinxcontrib_feed.finish.selection import Selection

logger = logging.getLogger(__name__)


def note_chrome_sources(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, before the refresh: the ``feed_sidebar`` source is in use."""
    get_feed_domain(env).set_chrome(_chrome(app))


def _chrome(app: Sphinx) -> dict[str, tuple[FeedSource, Selection]]:
    sidebar = get_settings(app).sidebar
    if sidebar is None:
        return {}
    # only for a sidebar: a build without one never loads the resolver
    from sphinxcontrib_feed.finish.selection import Selection
    from sphinxcontrib_feed.reading.resolve import configured_source

    source, _, problem = configured_source(get_settings(app), app.srcdir, sidebar["source"])
    if source is None:
        logger.warning(
            __("feed_sidebar: feed source %r: %s"), sidebar["source"], problem,
            type="feed", subtype="config", location=str(Path(app.confdir, "conf.py")),
        )  # fmt: skip
        return {}
    return {source.key: (source, Selection(limit=sidebar["limit"]))}
