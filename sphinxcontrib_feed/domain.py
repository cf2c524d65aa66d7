"""Per-document and per-source state, kept in the build environment.

Documents record which sources they use while being read (possibly in forked
workers, hence ``merge_domaindata``); the fetch stage records each source's
last good feed and last failure. The render stage reads both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Domain

from sphinxcontrib_feed.model import Feed

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.model import FeedSource


@dataclass(slots=True)
class SourceState:
    """What the build knows about one source."""

    #: The last good copy; kept when a later fetch fails.
    feed: Feed | None = None
    #: SHA-256 of the bytes ``feed`` was parsed from.
    digest: str | None = None
    #: When the server last confirmed ``feed`` (for a file: when it was modified).
    checked_at: datetime | None = None
    #: Why the latest attempt failed; None after a good fetch. With a
    #: ``feed``, that feed is a stale copy.
    error: str | None = None
    #: ``fetch`` or ``parse``: the warning subtype for ``error``.
    error_kind: str = "fetch"
    #: Freshness facts, so a build can tell "still fresh" without opening the
    #: HTTP cache: the publisher's longest lifetime hint (seconds) and the
    #: server's Retry-After.
    hint: float | None = None
    retry_at: datetime | None = None
    #: When the latest failed attempt was made: no request within ``feed_backoff``.
    failed_at: datetime | None = None
    #: A warning about a source that works (e.g. an HTML page that names its feed).
    advice: str | None = None


class FeedDomain(Domain):
    """Holds feed data for the whole project; defines no directives or roles."""

    name = "feed"
    label = "Feeds"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"uses": {}, "states": {}}

    @property
    def uses(self) -> dict[str, list[FeedSource]]:
        """docname → the sources its directives name, in order."""
        return self.data.setdefault("uses", {})  # type: ignore[no-any-return]

    @property
    def states(self) -> dict[str, SourceState]:
        """source key → state."""
        return self.data.setdefault("states", {})  # type: ignore[no-any-return]

    def note_sources(self, docname: str, sources: Iterable[FeedSource]) -> None:
        self.uses.setdefault(docname, []).extend(sources)

    def clear_doc(self, docname: str) -> None:
        self.uses.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["uses"]:
                self.uses[docname] = otherdata["uses"][docname]

    def sources_in_use(self) -> dict[str, FeedSource]:
        """Every source some document uses; the shortest lifetime asked for wins."""
        found: dict[str, FeedSource] = {}
        for sources in self.uses.values():
            for source in sources:
                known = found.get(source.key)
                if known is None:
                    found[source.key] = source
                    continue
                expires = [e for e in (known.expire, source.expire) if e is not None]
                found[source.key] = replace(
                    known,
                    expire=min(expires) if expires else None,
                    as_of=known.as_of or source.as_of,
                )
        return found

    def documents_using(self, keys: Set[str]) -> set[str]:
        return {
            docname
            for docname, sources in self.uses.items()
            if any(source.key in keys for source in sources)
        }

    def state(self, key: str) -> SourceState:
        return self.states.setdefault(key, SourceState())

    def forget_unused(self, keys: Set[str]) -> None:
        for key in set(self.states) - set(keys):
            del self.states[key]


def get_feed_domain(env: BuildEnvironment) -> FeedDomain:
    domain = env.get_domain(FeedDomain.name)
    assert isinstance(domain, FeedDomain)
    return domain
