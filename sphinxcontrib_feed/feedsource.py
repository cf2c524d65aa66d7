"""Where a feed comes from: what the directive resolves and the environment keeps.

Apart from :mod:`.model`, so that unpickling the environment's record of
which page uses which source (every build, a no-op too) does not create
the model's classes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FeedSource"]


@dataclass(frozen=True, slots=True)
class FeedSource:
    """Where a feed comes from, as resolved by the directive at read time."""

    #: The identity of the source across documents: the URL, or ``/`` + path.
    key: str
    url: str | None = None
    #: A feed file, relative to the source directory (POSIX separators).
    path: str | None = None
    #: Cache lifetime in seconds; None means ``feed_expire``.
    expire: float | None = None
    #: Some page shows this source's fetch date ("as of"), so a revalidation
    #: that changes that date must rewrite the page.
    as_of: bool = False
