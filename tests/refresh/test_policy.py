"""The per-source policy as a table: (record, lifetime, now, settings) → action, and
(record, result) → record. Made-up times: no clock, no sleeping, no network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sphinxcontrib_feed.errors import Failure
from sphinxcontrib_feed.model import Entry, Feed
from sphinxcontrib_feed.reading.records import SourceRecord
from sphinxcontrib_feed.refresh.policy import (
    Action,
    Bad,
    Good,
    Kept,
    Policy,
    apply,
    backing_off,
    decide,
    usable,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HOUR = 3600.0
FEED = Feed(title="old", entries=(Entry(title="a"),))
NEW = Feed(title="new", entries=(Entry(title="b"),))
GOOD = SourceRecord(feed=FEED, digest="d1", checked_at=T0)
FAILED = SourceRecord(failure=Failure("fetch", "HTTP 500", at=T0))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("record", "lifetime", "now", "policy", "action"),
    [
        # fresh copy used, no I/O
        (GOOD, HOUR, at(10), Policy(), Action.USE),
        # lifetime over: conditional GET
        (GOOD, HOUR, at(HOUR + 1), Policy(), Action.CHECK),
        # a lifetime hint from the publisher lengthens it
        (SourceRecord(feed=FEED, digest="d1", checked_at=T0, hint=2 * HOUR),
         HOUR, at(HOUR + 1), Policy(), Action.USE),
        # Retry-After: never before it
        (SourceRecord(feed=FEED, digest="d1", checked_at=T0, retry_at=at(3 * HOUR)),
         HOUR, at(2 * HOUR), Policy(), Action.USE),
        # a stale copy (failure) is always checked, unless backing off
        (SourceRecord(feed=FEED, digest="d1", checked_at=T0,
                      failure=Failure("fetch", "x", at=at(-2 * HOUR))),
         HOUR, at(10), Policy(backoff=60), Action.CHECK),
        # back-off after a failure
        (FAILED, HOUR, at(30), Policy(backoff=60), Action.BACK_OFF),
        (FAILED, HOUR, at(61), Policy(backoff=60), Action.CHECK),
        (FAILED, HOUR, at(30), Policy(backoff=0), Action.CHECK),
        # offline: no back-off; any copy is usable
        (FAILED, HOUR, at(30), Policy(backoff=60, offline=True), Action.CHECK),
        (GOOD, HOUR, at(10 * HOUR), Policy(offline=True), Action.USE),
        # feedcheck revalidates everything, whatever the lifetime or back-off
        (GOOD, HOUR, at(10), Policy(revalidate=True), Action.CHECK),
        (FAILED, HOUR, at(30), Policy(backoff=60, revalidate=True), Action.CHECK),
        # the cache file is gone: the record's freshness stands for nothing
        (GOOD, HOUR, at(10), Policy(cache_gone=True), Action.CHECK),
        # a failure offline (a choice) or of a file (no time) never backs off
        (SourceRecord(failure=Failure("parse", "empty")), HOUR, at(1), Policy(backoff=60),
         Action.CHECK),
        # nothing known yet
        (SourceRecord(), HOUR, at(0), Policy(), Action.CHECK),
    ],
)  # fmt: skip
def test_decide(record, lifetime, now, policy, action):
    assert decide(record, lifetime, now, policy) is action


def test_usable_judges_a_cached_copy_alike():
    assert usable(Policy(), at(10), T0, HOUR, None, None)
    assert not usable(Policy(), at(HOUR + 1), T0, HOUR, None, None)
    assert not usable(Policy(revalidate=True), at(10), T0, HOUR, None, None)
    assert usable(Policy(offline=True), at(10 * HOUR), None, HOUR, None, None)


def test_backing_off_says_until_when():
    waiting = backing_off(FAILED.failure, 60)  # type: ignore[arg-type]
    assert waiting.waiting_until == at(60)
    assert "no new attempt before 12:01:00 UTC" in waiting.text()
    assert waiting.message == "HTTP 500"  # the reason is kept as a value, not parsed back


STALE = Failure("fetch", "HTTP 500", at=at(5))


@pytest.mark.parametrize(
    ("record", "result", "expected"),
    [
        # nothing done: the record stands
        (GOOD, Kept(), GOOD),
        # backing off: the failure, with its wait
        (FAILED, Kept(backing_off(FAILED.failure, 60)),  # type: ignore[arg-type]
         SourceRecord(failure=backing_off(FAILED.failure, 60))),  # type: ignore[arg-type]
        # a new good copy replaces the old, clears the failure, takes its facts
        (SourceRecord(feed=FEED, digest="d1", checked_at=T0, failure=STALE),
         Good(NEW, "d2", at(9), hint=HOUR, advice="use that URL"),
         SourceRecord(feed=NEW, digest="d2", checked_at=at(9), hint=HOUR, advice="use that URL")),
        # 304: the same digest keeps the record's (cut) copy, with the new confirmation
        (GOOD, Good(NEW, "d1", at(9), not_modified=True),
         SourceRecord(feed=FEED, digest="d1", checked_at=at(9))),
        # a failure without a stored copy keeps the record's own last good copy
        (GOOD, Bad(STALE), SourceRecord(feed=FEED, digest="d1", checked_at=T0, failure=STALE)),
        # a failure with the cache's copy shows that copy, stale
        (SourceRecord(), Bad(STALE, Good(NEW, "d2", T0)),
         SourceRecord(feed=NEW, digest="d2", checked_at=T0, failure=STALE)),
        # Retry-After is remembered
        (GOOD, Bad(Failure("fetch", "HTTP 503", at(1), retry_at=at(99)), Good(FEED, "d1", T0)),
         SourceRecord(feed=FEED, digest="d1", checked_at=T0, retry_at=at(99),
                      failure=Failure("fetch", "HTTP 503", at(1), retry_at=at(99)))),
    ],
)  # fmt: skip
def test_apply(record, result, expected):
    assert apply(record, result) == expected
