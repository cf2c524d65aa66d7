"""How each ``feed_*`` value is checked: what it accepts, and what a bad one becomes.

Each check returns the normalised value or raises ``ValueError`` saying what
is accepted (the caller warns and uses the default). The few values that can
be partly good (``feed_sources``, ``feed_allowed_hosts``, ``feed_rel``) report
what they drop and keep the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.settings.config import (
    CACHE_BACKENDS,
    LAYOUTS,
    MEDIA_MODES,
    ON_ERROR,
    REL_TOKENS,
    SUMMARY_MODES,
    choice,
    is_redis_url,
    parse_bool,
    parse_duration,
    rel_tokens,
)

Report = Callable[[str, object, str, str], None]
"""``report(setting, value, accepted, outcome)``: one ``feed.config`` warning."""


def using(value: object) -> str:
    return __("using %r instead") % (value,)


def _count(least: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            return value
        raise ValueError(__("a whole number, %d or more") % least)

    return check


def _one_of(allowed: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        try:
            return choice(value, allowed, "")
        except ValueError:
            raise ValueError(__("one of %s, in any case") % ", ".join(allowed)) from None

    return check


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError(__("a string, or None"))


def _path_or_none(value: object) -> str | None:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise ValueError(__("a path (a string), or None"))


def _duration(value: object) -> float:
    try:
        return parse_duration(value)  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(
            __("a duration: seconds, or a number with s, m, h, d or w, such as '30m'")
        ) from None


def _boolean(value: object) -> bool:
    try:
        return parse_bool(value)
    except ValueError:
        raise ValueError(__("True or False (or 'yes'/'no', 'on'/'off', '1'/'0')")) from None


def _seconds(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 86400:
        return float(value)
    raise ValueError(__("a number of seconds, more than 0 and less than a day"))


def _backend(value: object) -> str:
    if isinstance(value, str) and is_redis_url(value.strip()):
        return value.strip()
    try:
        return choice(value, CACHE_BACKENDS, "")
    except ValueError:
        raise ValueError(__("one of %s, or a redis:// URL") % ", ".join(CACHE_BACKENDS)) from None


#: ``feed_sidebar``'s keys and their defaults.
SIDEBAR_DEFAULTS: dict[str, Any] = {"source": None, "limit": 5, "title": None}


def _sidebar(value: object) -> dict[str, Any] | None:
    """None, or ``{"source": NAME, "limit": 5, "title": TEXT}`` (a bare name is the source)."""
    accepted = __(
        'None, or {"source": a feed_sources name, URL or file, "limit": N, "title": TEXT}'
    )
    if value is None:
        return None
    raw = {"source": value} if isinstance(value, str) else value
    if not isinstance(raw, Mapping) or set(raw) - set(SIDEBAR_DEFAULTS):
        raise ValueError(accepted)
    sidebar = {**SIDEBAR_DEFAULTS, **raw}
    source, limit, title = sidebar["source"], sidebar["limit"], sidebar["title"]
    if not isinstance(source, str) or not source.strip() or len(source.split()) != 1:
        raise ValueError(accepted)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise ValueError(accepted)
    if title is not None and not isinstance(title, str):
        raise ValueError(accepted)
    return {"source": source.strip(), "limit": limit, "title": title}


CHECKS: dict[str, Callable[[object], Any]] = {
    "feed_limit": _count(0),
    "feed_summary": _one_of(SUMMARY_MODES),
    "feed_summary_length": _count(0),
    "feed_date_format": _text_or_none,
    "feed_layout": _one_of(LAYOUTS),
    "feed_media": _one_of(MEDIA_MODES),
    "feed_expire": _duration,
    "feed_on_error": _one_of(ON_ERROR),
    "feed_as_of": _boolean,
    "feed_searchable": _boolean,
    "feed_offline": _boolean,
    "feed_snapshot_dir": _path_or_none,
    "feed_cache_path": _path_or_none,
    "feed_cache_backend": _backend,
    "feed_timeout": _seconds,
    "feed_max_bytes": _count(1),
    "feed_concurrency": _count(1),
    "feed_user_agent": _text_or_none,
    "feed_linkcheck": _boolean,
    "feed_backoff": _duration,
    "feed_sidebar": _sidebar,
}

_ACCEPTED_HOSTS = __("None (any host), a host pattern, or a list of host patterns")


def _accepted_rel() -> str:
    return __("link types from: %s") % ", ".join(sorted(REL_TOKENS))


def allowed_hosts(value: object, report: Report) -> tuple[str, ...] | None:
    """Fails closed: what cannot be read as patterns allows no remote host at all.

    A string is one pattern (never its characters); unusable items are dropped.
    """
    if value is None:
        return None
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, set | frozenset):
        items = sorted(value, key=repr)
    else:
        report("feed_allowed_hosts", value, _ACCEPTED_HOSTS, __("allowing no remote host"))
        return ()
    usable = [item.strip().lower() for item in items if isinstance(item, str) and item.strip()]
    patterns = tuple(dict.fromkeys(usable))
    if len(usable) != len(items):
        report("feed_allowed_hosts", value, _ACCEPTED_HOSTS, using(patterns))
    return patterns


def rel(setting: str, value: object, report: Report) -> str | None:
    """Known link types, lower-cased; unknown ones are reported and dropped."""
    if value is None:
        return None
    if not isinstance(value, str | list | tuple):
        report(setting, value, _accepted_rel(), using(None))
        return None
    known, unknown = rel_tokens(value)
    result = " ".join(known) or None
    if unknown:
        report(setting, value, _accepted_rel(), using(result))
    return result
