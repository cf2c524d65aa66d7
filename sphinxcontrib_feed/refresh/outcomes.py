"""How the refresh reports each source's outcome: the progress line's counts, verbose lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.text import printable

if TYPE_CHECKING:
    from collections import Counter

    from sphinxcontrib_feed.refresh.policy import Result

logger = logging.getLogger(__name__)


def outcome(result: Result, requested: bool) -> str:
    """What the progress line counts *result* as."""
    from sphinxcontrib_feed.refresh.policy import Bad, Good

    if isinstance(result, Bad):
        return "failed"
    if requested and isinstance(result, Good):
        return "unchanged" if result.not_modified else "fetched"
    return "fresh"


def tally_words(tally: Counter[str]) -> list[str]:
    """ "3 fresh", "1 fetched"...: the counts that are not zero, in a fixed order."""
    words = {
        "fresh": __("%d fresh"),
        "unchanged": __("%d unchanged"),
        "fetched": __("%d fetched"),
        "failed": __("%d failed"),
    }
    return [words[outcome] % tally[outcome] for outcome in words if tally[outcome]]


def log_outcome(key: str, result: Result) -> None:
    from sphinxcontrib_feed.refresh.policy import Bad, Good

    note = result.note if isinstance(result, Good) else None
    if isinstance(result, Bad):
        note = result.copy.note if result.copy else None
        logger.verbose("feed %s: %s", key, result.failure.text())
    if note:
        logger.verbose("feed %s: %s", key, printable(note))
