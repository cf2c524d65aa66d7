"""What a directive asks of one of its sources: kept in the sources' records.

Apart from the finishing code (:mod:`.shown`), so that reading the records
back (:mod:`.reading.records`) does not load the sanitizer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinxcontrib_feed.finish.selection import Selection

__all__ = ["Need"]


@dataclass(frozen=True, slots=True)
class Need:
    """What one directive asks of one of its sources."""

    selection: Selection
    #: The sources the directive merges, in its order (empty: it shows this one alone).
    merged: tuple[str, ...] = ()
