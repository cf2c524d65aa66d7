"""When a stored copy is fresh enough to use without asking its server.

The rule, also in the docs: a copy is fresh while
``now < checked + max(lifetime, hints)``, where *lifetime* is ``:expire:`` /
the ``feed_sources`` entry's ``expire`` / ``feed_expire``, and the *hints* are
what the publisher asked for: RSS ``<ttl>``, ``sy:updatePeriod`` and
``sy:updateFrequency``, HTTP ``Cache-Control: max-age`` and ``Expires``.
Hints can only lengthen the lifetime (ask for less traffic), never shorten
it. After a 429 or 503 with ``Retry-After``, no request is made before that
time, whatever the lifetime.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sphinxcontrib_feed.fetch import CHECKED_HEADER, RETRY_HEADER, parse_time

if TYPE_CHECKING:
    from sphinxcontrib_feed.fetch import Fetched

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)
_PERIOD_SECONDS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 604800,
    "monthly": 2592000,
    "yearly": 31536000,
}


def http_hint(headers: dict[str, str]) -> float | None:
    """Seconds of freshness the response headers grant, if any."""
    control = headers.get("Cache-Control", "")
    if _NO_CACHE.search(control):
        return None
    if match := _MAX_AGE.search(control):
        return float(match[1])
    expires = parse_time(headers.get("Expires"))
    date = parse_time(headers.get("Date")) or parse_time(headers.get(CHECKED_HEADER))
    if expires and date:
        return max(0.0, (expires - date).total_seconds())
    return None


def syndication_hint(
    ttl_minutes: str | None, period: str | None, frequency: str | None
) -> float | None:
    """Seconds between updates the feed itself states (RSS ttl, sy:updatePeriod/Frequency)."""
    hints = []
    if ttl_minutes and ttl_minutes.strip().isdigit():
        hints.append(int(ttl_minutes) * 60.0)
    if period and period.strip().lower() in _PERIOD_SECONDS:
        times = (
            int(frequency)
            if frequency and frequency.strip().isdigit() and int(frequency) > 0
            else 1
        )
        hints.append(_PERIOD_SECONDS[period.strip().lower()] / times)
    return max(hints) if hints else None


def fresh_until(copy: Fetched, lifetime: float, feed_hint: float | None) -> datetime:
    """The time until which *copy* may be used without a request."""
    checked = copy.checked_at or datetime.fromtimestamp(0, UTC)
    seconds = max([lifetime, *(h for h in (feed_hint, http_hint(copy.headers)) if h is not None)])
    until = checked + timedelta(seconds=seconds)
    if retry := parse_time(copy.headers.get(RETRY_HEADER)):
        until = max(until, retry)
    return until
