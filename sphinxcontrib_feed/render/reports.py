"""The warnings a source's record calls for, where they are given.

At the directive or role as a page is written (:mod:`.transform`,
:mod:`.latest`), at ``conf.py`` for the ``feed_sidebar`` source
(:func:`report_sidebar`), and which pages are written again so a feed's
warnings repeat (:func:`rewrite_warning_pages`). Kept apart from the renderer,
so the ``env-updated`` handlers of a build that writes no feed (a no-op
rebuild) do not load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.logging import get_node_location

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.reading.records import SourceRecord

__all__ = [
    "FeedError",
    "feed_warnings",
    "report_sidebar",
    "report_source",
    "rewrite_warning_pages",
]

logger = logging.getLogger(__name__)


class FeedError(SphinxError):
    """A source that a directive with ``:on-error: error`` needs cannot be had."""

    category = "Feed error"


def report_source(
    key: str, state: SourceRecord, on_error: str, placeholder: nodes.Element | str
) -> None:
    """The warning (or error) a source's record calls for, at the directive (or role,
    or the ``conf.py`` line naming it)."""
    advice = state.advice
    if advice is not None and on_error != "ignore":
        logger.warning(
            __("feed %s: %s"), key, advice, type="feed", subtype="parse", location=placeholder
        )
    for warning in feed_warnings(state) if on_error != "ignore" else ():
        logger.warning(
            __("feed %s: %s"), key, warning, type="feed", subtype="parse", location=placeholder
        )
    if state.failure is None or on_error == "ignore":
        return
    error = state.failure.text()
    if state.feed is not None:
        since = state.checked_at.isoformat(timespec="minutes") if state.checked_at else "?"
        logger.warning(
            __("feed %s: %s; showing the last good copy, fetched %s"), key, error, since,
            type="feed", subtype="stale", location=placeholder,
        )  # fmt: skip
    elif on_error == "error":
        location = placeholder if isinstance(placeholder, str) else get_node_location(placeholder)
        message = __("%s: cannot show feed %s: %s (:on-error: error)")
        raise FeedError(message % (location or "?", key, error))
    else:
        logger.warning(
            __("cannot show feed %s: %s"), key, error,
            type="feed", subtype=state.failure.kind, location=placeholder,
        )  # fmt: skip


def feed_warnings(state: SourceRecord) -> tuple[str, ...]:
    """What the feed shown for *state* warns about (:attr:`.Feed.warnings`)."""
    return state.feed.warnings if state.feed is not None else ()


def rewrite_warning_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages showing a feed that warns: written every build, so the warning repeats.

    Connected to ``env-updated`` after the refresh stage (which rewrites only
    pages whose feeds changed): like a failing source's, the warning then
    comes back in every build, and ``-W`` keeps failing, for as long as the
    feed gives cause.
    """
    domain = get_feed_domain(env)
    if not domain.records_loaded:  # the refresh found its files as settled: none warns
        return []
    warning = {key for key, state in domain.states.items() if feed_warnings(state)}
    return sorted(domain.documents_using(warning)) if warning else []


def report_sidebar(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, after the refresh: once per HTML build, the warning the
    ``feed_sidebar`` source's record calls for, at ``conf.py``."""
    if getattr(app.builder, "format", "") != "html":
        return
    domain = get_feed_domain(env)
    for key in domain.chrome:
        state = domain.record(key)
        report_source(key, state, get_settings(app).on_error, str(Path(app.confdir, "conf.py")))
