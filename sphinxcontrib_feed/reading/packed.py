"""The sources' records as the environment keeps them: a pickle of their own.

Sphinx unpickles the whole environment at the start of every build, a no-op
included; records hold each source's feed and items, and unpickling them
creates the model's classes (a dataclass costs about a millisecond to make).
Packed, they cost one ``bytes`` object until the refresh or a page asks for
them (:attr:`.FeedDomain.states`), which a build with nothing to read or
write never does (:attr:`.FeedDomain.unchanged_files`).

Records are a cache of what was fetched and parsed: records that cannot be
read back, or are not of today's shape, are left out, and the refresh
fetches and parses those sources again.
"""

from __future__ import annotations

import pickle
from dataclasses import fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["PackedRecords", "complete"]


class PackedRecords:
    """A dict of records, pickled as the bytes of its own pickle; read back on first use."""

    __slots__ = ("_blob", "_records", "problem")

    def __init__(self, records: dict[str, Any] | None = None, blob: bytes | None = None) -> None:
        self._records = records if records is not None or blob is not None else {}
        self._blob = blob
        #: Why the stored records were left out, if they were.
        self.problem: str | None = None

    @property
    def loaded(self) -> bool:
        """Whether the records were read back (or made) in this process."""
        return self._records is not None

    def records(self, usable: Callable[[object], bool]) -> dict[str, Any]:
        """The records; the stored ones if they unpickle into something *usable* accepts."""
        if self._records is None:
            from sphinxcontrib_feed.errors import UNPICKLING_ERRORS  # on first use only

            try:
                records = pickle.loads(self._blob or b"")
            except UNPICKLING_ERRORS as error:
                records, self.problem = {}, f"unreadable ({type(error).__name__})"
            if not isinstance(records, dict) or not usable(records):
                records, self.problem = {}, self.problem or "of another shape"
            self._records, self._blob = records, None
        return self._records

    def __reduce__(self) -> tuple[type[PackedRecords], tuple[None, bytes]]:
        if self._records is None:  # never read back: stored again as it came
            return PackedRecords, (None, self._blob or b"")
        return PackedRecords, (None, pickle.dumps(self._records, pickle.HIGHEST_PROTOCOL))


def complete(value: object, cls: type) -> bool:
    """*value* is a *cls* with every field set (an object unpickled from an
    older class of the same name can lack a slot)."""
    return isinstance(value, cls) and all(hasattr(value, f.name) for f in fields(cls))
