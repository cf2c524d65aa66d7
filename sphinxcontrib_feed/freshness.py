"""When a stored copy is fresh enough to use without asking its server.

The rule, also in the docs: a copy is fresh while
``now < checked + max(lifetime, hints)``, where *lifetime* is ``:expire:`` /
the ``feed_sources`` entry's ``expire`` / ``feed_expire``, and the *hints* are
what the publisher asked for: RSS ``<ttl>``, ``sy:updatePeriod`` and
``sy:updateFrequency``, HTTP ``Cache-Control: max-age`` and ``Expires``.
Hints can only lengthen the lifetime (ask for less traffic), never shorten
it. After a 429 or 503 with ``Retry-After``, no request is made before that
time, whatever the lifetime.

Every lifetime, hint and delay is clamped to :data:`MAX_LIFETIME`, so a
hostile or mistaken value (``max-age=999999999999``, ``<ttl>²</ttl>``,
``inf``) can neither overflow the date arithmetic nor pin a copy forever.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

#: Stored with every copy: when its server last confirmed it (200 or 304).
CHECKED_HEADER = "X-Sphinxcontrib-Feed-Checked"
#: Stored after a 429/503 with Retry-After: no request before this time.
RETRY_HEADER = "X-Sphinxcontrib-Feed-Retry-After"
#: The longest any lifetime, publisher hint or Retry-After may be: one year.
MAX_LIFETIME = 365 * 86400.0

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?([0-9]+)", re.IGNORECASE | re.ASCII)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]{1,30}", re.ASCII)
_PERIOD_SECONDS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 604800,
    "monthly": 2592000,
    "yearly": 31536000,
}


def clamp_seconds(seconds: float) -> float:
    """*seconds* within ``[0, MAX_LIFETIME]``; NaN counts as 0."""
    if math.isnan(seconds):
        return 0.0
    return min(max(seconds, 0.0), MAX_LIFETIME)


def later(moment: datetime, seconds: float) -> datetime:
    """*moment* + *seconds* (clamped), never overflowing past ``datetime.max``."""
    try:
        return moment + timedelta(seconds=clamp_seconds(seconds))
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def _integer(value: str | None) -> int | None:
    """An ASCII decimal integer (``"²".isdigit()`` is True: not good enough)."""
    if value is None or not _DIGITS.fullmatch(value.strip()):
        return None
    return int(value.strip())


def parse_time(value: str | None) -> datetime | None:
    """An HTTP date or an ISO 8601 time (our own headers), aware; None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def retry_at(value: str, now: datetime) -> datetime | None:
    """Retry-After as a time: delta-seconds or an HTTP date, at most a year away."""
    seconds = _integer(value)
    if seconds is not None:
        return later(now, float(seconds))
    moment = parse_time(value.strip())
    if moment is None:
        return None
    return min(moment, later(now, MAX_LIFETIME))


def http_hint(headers: dict[str, str]) -> float | None:
    """Seconds of freshness the response headers grant, if any."""
    control = headers.get("Cache-Control", "")
    if _NO_CACHE.search(control):
        return None
    if match := _MAX_AGE.search(control):
        return clamp_seconds(float(match[1][:30]))
    expires = parse_time(headers.get("Expires"))
    date = parse_time(headers.get("Date")) or parse_time(headers.get(CHECKED_HEADER))
    if expires and date:
        try:
            return clamp_seconds((expires - date).total_seconds())
        except (OverflowError, TypeError):
            return None
    return None


def syndication_hint(
    ttl_minutes: str | None, period: str | None, frequency: str | None
) -> float | None:
    """Seconds between updates the feed itself states (RSS ttl, sy:updatePeriod/Frequency)."""
    hints = []
    if (ttl := _integer(ttl_minutes)) is not None:
        hints.append(clamp_seconds(ttl * 60.0))
    if period and period.strip().lower() in _PERIOD_SECONDS:
        times = _integer(frequency) or 1
        hints.append(_PERIOD_SECONDS[period.strip().lower()] / times)
    return max(hints) if hints else None


def publisher_hint(headers: dict[str, str], feed_hint: float | None) -> float | None:
    """The longest lifetime the publisher asked for, in the headers or the feed."""
    hints = [h for h in (feed_hint, http_hint(headers)) if h is not None]
    return clamp_seconds(max(hints)) if hints else None


def fresh_until(
    checked_at: datetime | None,
    lifetime: float,
    hint: float | None,
    retry: datetime | None = None,
) -> datetime:
    """The time until which a copy confirmed at *checked_at* may be used without a request."""
    checked = checked_at or datetime.fromtimestamp(0, UTC)
    until = later(checked, max(clamp_seconds(lifetime), hint or 0.0))
    if retry is not None:
        until = max(until, retry)
    return until
