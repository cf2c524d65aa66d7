"""The per-source policy, as pure functions of (record, now, answer): no I/O, no clock.

:func:`decide` says what a build does about a URL source from what the
environment knows (:class:`.SourceRecord`) and the time: use the copy it
holds, back off after a failure, or check (the HTTP cache, then the
server). :func:`apply` gives the record that follows from a :data:`Result`.
Everything that touches a file, a cache or the network is in
:mod:`.sources` and :mod:`.copies`; ``tests/refresh/test_policy.py`` runs
these two on a table of cases with made-up times.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sphinxcontrib_feed.errors import Failure
from sphinxcontrib_feed.freshness import fresh_until, later
from sphinxcontrib_feed.model import Feed

if TYPE_CHECKING:
    from sphinxcontrib_feed.reading.records import SourceRecord


@dataclass(frozen=True, slots=True)
class Policy:
    """The build's settings that the decisions depend on."""

    #: ``feed_backoff``, in seconds.
    backoff: float = 0.0
    #: ``feed_offline``: never ask the network; any stored copy will do.
    offline: bool = False
    #: The feedcheck builder: ask every server, whatever the lifetimes and back-off.
    revalidate: bool = False
    #: The HTTP cache file is gone: the record's freshness no longer stands for a copy.
    cache_gone: bool = False


class Action(enum.Enum):
    USE = "use the environment's copy"
    BACK_OFF = "back off: the latest attempt failed a moment ago"
    CHECK = "check the HTTP cache, then ask the server"


def usable(
    policy: Policy, now: datetime, checked: datetime | None, lifetime: float,
    hint: float | None, retry: datetime | None,
) -> bool:  # fmt: skip
    """Whether a copy confirmed at *checked* may be shown without a request."""
    if policy.offline:
        return True
    return not policy.revalidate and now < fresh_until(checked, lifetime, hint, retry)


def decide(record: SourceRecord, lifetime: float, now: datetime, policy: Policy) -> Action:
    """What to do about a URL source whose copies may be used for *lifetime* seconds."""
    if (
        record.feed is not None
        and record.failure is None
        and not policy.cache_gone
        and usable(policy, now, record.checked_at, lifetime, record.hint, record.retry_at)
    ):
        return Action.USE
    failure = record.failure
    if (
        failure is not None
        and failure.at is not None
        and not (policy.offline or policy.revalidate)
        and now < later(failure.at, policy.backoff)
    ):
        return Action.BACK_OFF
    return Action.CHECK


def backing_off(failure: Failure, backoff: float) -> Failure:
    """*failure*, saying until when no new attempt is made."""
    assert failure.at is not None
    return replace(failure, waiting_until=later(failure.at, backoff))


@dataclass(frozen=True, slots=True)
class Good:
    """A copy to show: parsed (the whole index), with its freshness facts."""

    index: Feed
    digest: str
    checked_at: datetime | None
    hint: float | None = None
    retry_at: datetime | None = None
    advice: str | None = None
    #: The server answered 304: the stored copy is still current.
    not_modified: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Bad:
    """A failed attempt, with the last good copy found in the caches if any."""

    failure: Failure
    copy: Good | None = None


@dataclass(frozen=True, slots=True)
class Kept:
    """Nothing to do: the record stands (its copy is fresh, or unchanged, or backing off)."""

    failure: Failure | None = None


Result = Good | Bad | Kept


def apply(record: SourceRecord, result: Result) -> SourceRecord:
    """The record after *result*. Its ``feed`` is the whole index when it is new:
    :mod:`.update` cuts it to what the pages show."""
    if isinstance(result, Kept):
        return record if result.failure is None else replace(record, failure=result.failure)
    if isinstance(result, Bad):
        if result.copy is None:  # the record's own last good copy stays
            return replace(record, failure=result.failure, advice=None)
        good, failure = result.copy, result.failure
    else:
        good, failure = result, None
    return replace(
        record,
        feed=good.index if good.digest != record.digest else record.feed,
        digest=good.digest,
        checked_at=good.checked_at,
        hint=good.hint,
        retry_at=failure.retry_at if failure is not None else good.retry_at,
        failure=failure,
        advice=good.advice,
    )
