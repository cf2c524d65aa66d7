"""What a directive asks of its sources: its selection, kept in the environment.

Apart from the selecting code (:mod:`.select`) and from :class:`.Need`, so
that unpickling an environment (every build, a no-op too) and loading the
directive create only this class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Selection", "selection_of"]


@dataclass(frozen=True, slots=True)
class Selection:
    """What one directive asks of its sources (kept in the environment, see :mod:`.shown`)."""

    limit: int = 0
    filter: str | None = None
    exclude: str | None = None
    categories: tuple[str, ...] = ()
    since: float | None = None
    #: ``date`` (newest first, undated last) or ``source`` (feed order).
    sort: str = "date"
    reverse: bool = False


def selection_of(options: Mapping[str, Any]) -> Selection:
    """The selection a directive's resolved options ask for."""
    return Selection(
        limit=options["limit"],
        filter=options["filter"],
        exclude=options["exclude"],
        categories=tuple(options["category"]),
        since=options["since"],
        sort=options["sort"],
        reverse=options["reverse"],
    )
