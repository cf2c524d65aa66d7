"""What a directive asks of one of its sources: kept in the environment.

Apart from the finishing code (:mod:`.shown`), so that unpickling an
environment (a no-op build) does not load the sanitizer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinxcontrib_feed.finish.select import Selection

__all__ = ["Need"]


@dataclass(frozen=True, slots=True)
class Need:
    """What one directive asks of one of its sources."""

    selection: Selection
    #: The sources the directive merges, in its order (empty: it shows this one alone).
    merged: tuple[str, ...] = ()
