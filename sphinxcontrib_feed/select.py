"""Which items a directive shows, and in what order.

Rules (also in the docs): duplicates across merged sources (same id, else
same link, else same title and date) are dropped first, keeping the first
seen; then the filters apply (``:filter:`` and ``:exclude:`` search title,
summary text and categories, case-insensitively; ``:category:`` keeps items
with any of the listed categories; ``:since:`` keeps dated items newer than
the duration); then items are ordered and cut to ``:limit:``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sphinxcontrib_feed.model import Entry


@dataclass(frozen=True, slots=True)
class Selection:
    limit: int = 0
    filter: str | None = None
    exclude: str | None = None
    categories: tuple[str, ...] = ()
    since: float | None = None
    #: ``date`` (newest first, undated last) or ``source`` (feed order).
    sort: str = "date"
    reverse: bool = False


def select_entries(entries: Iterable[Entry], selection: Selection | None = None) -> list[Entry]:
    selection = selection or Selection()
    kept = [entry for entry in _unique(entries) if _wanted(entry, selection)]
    if selection.sort == "date":
        dated = [entry for entry in kept if entry.date is not None]
        dated.sort(key=_timestamp, reverse=not selection.reverse)
        kept = dated + [entry for entry in kept if entry.date is None]
    elif selection.reverse:
        kept.reverse()
    return kept[: selection.limit] if selection.limit else kept


def _timestamp(entry: Entry) -> float:
    return entry.date.timestamp() if entry.date is not None else 0.0


def _unique(entries: Iterable[Entry]) -> list[Entry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        identity = entry.id or entry.link or f"{entry.title}\0{entry.date}"
        if identity not in seen:
            seen.add(identity)
            unique.append(entry)
    return unique


def _wanted(entry: Entry, selection: Selection) -> bool:
    if selection.filter or selection.exclude:
        text = "\n".join([entry.title, entry.summary_text, *entry.categories])
        if selection.filter and not compile_pattern(selection.filter).search(text):
            return False
        if selection.exclude and compile_pattern(selection.exclude).search(text):
            return False
    if selection.categories:
        wanted = {c.casefold() for c in selection.categories}
        if not any(c.strip().casefold() in wanted for c in entry.categories):
            return False
    if selection.since is not None:
        return entry.date is not None and entry.date >= build_time() - timedelta(
            seconds=selection.since
        )
    return True


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` for reproducible builds (as Sphinx itself does)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return datetime.fromtimestamp(float(epoch), UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def parse_categories(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(part.strip() for part in parts if part.strip())
