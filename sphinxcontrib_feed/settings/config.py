"""The ``feed_*`` configuration values, and the small parsers they share with options.

The values are checked once, at ``config-inited``, by :mod:`.resolved`; the
parsers here are the ones both conf.py values and directive options go through.
"""

from __future__ import annotations

import math
import os
import re
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Collection

SummaryMode = Literal["none", "text", "rich"]
SortOrder = Literal["date", "source"]
OnError = Literal["warn", "error", "ignore"]
Layout = Literal["list", "compact", "cards"]
MediaMode = Literal["player", "link", "none"]

SUMMARY_MODES: tuple[SummaryMode, ...] = ("none", "text", "rich")
SORT_ORDERS: tuple[SortOrder, ...] = ("date", "source")
ON_ERROR: tuple[OnError, ...] = ("warn", "error", "ignore")
LAYOUTS: tuple[Layout, ...] = ("list", "compact", "cards")
#: How audio and video enclosures are shown; the first is the default (see docs/usage.rst).
MEDIA_MODES: tuple[MediaMode, ...] = ("player", "link", "none")
CACHE_BACKENDS = ("sqlite", "filesystem", "memory")

#: ``rel`` tokens item links may carry: the HTML link types meaningful on
#: ``<a>``, plus the search engines' ``ugc`` and ``sponsored`` and IndieWeb ``me``.
REL_TOKENS = frozenset({
    "alternate", "author", "bookmark", "external", "help", "license", "me", "next",
    "nofollow", "noopener", "noreferrer", "opener", "prev", "privacy-policy", "search",
    "sponsored", "tag", "terms-of-service", "ugc",
})  # fmt: skip

#: The longest duration anything accepts (ten years): longer ones are clamped,
#: so date arithmetic can never overflow and "forever" still means forever.
MAX_DURATION = 10 * 365 * 86400.0

_BOOL_WORDS = {
    "true": True, "yes": True, "on": True, "1": True,
    "false": False, "no": False, "off": False, "0": False,
}  # fmt: skip

#: name, default, rebuild. Options that shape a page rebuild the environment,
#: since the directive resolves them into the page at read time.
CONFIG_VALUES: tuple[tuple[str, Any, Literal["env", "html", ""]], ...] = (
    ("feed_sources", {}, "env"),
    ("feed_limit", 10, "env"),
    ("feed_summary", "text", "env"),
    ("feed_summary_length", 300, "env"),
    ("feed_date_format", None, "env"),
    ("feed_layout", "list", "env"),
    ("feed_expire", "1h", "env"),
    ("feed_on_error", "warn", "env"),
    ("feed_as_of", False, "env"),
    ("feed_rel", None, "env"),
    ("feed_media", "player", "env"),
    ("feed_searchable", False, "env"),
    ("feed_allowed_hosts", None, "env"),
    ("feed_offline", False, ""),
    ("feed_snapshot_dir", None, ""),
    ("feed_cache_path", None, ""),
    ("feed_cache_backend", "sqlite", ""),
    ("feed_timeout", 10, ""),
    ("feed_max_bytes", 10 * 1024 * 1024, ""),
    ("feed_concurrency", 64, ""),
    ("feed_user_agent", None, ""),
    ("feed_linkcheck", False, ""),
    ("feed_backoff", "5m", ""),
    ("feed_sidebar", None, "html"),  # shown by the theme, on every page
)

_LOOSE = frozenset({str, int, float, bool, list, tuple, dict, type(None)})


def loose_types(default: object) -> frozenset[type]:
    """The types Sphinx is told a value may have: any plain one.

    :mod:`.settings` checks every value (and writes the normalised one back)
    before Sphinx's own type check runs, so that check never doubles ours.
    With ``bool`` listed, Sphinx passes ``-D name=value`` on as the string
    (``0``/``1`` as booleans), which our check then reads; without it, for
    settings that are strings, so ``-D feed_expire=0`` stays ``"0"``.
    """
    return _LOOSE if isinstance(default, int) else _LOOSE - {bool}


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str | float) -> float:
    """Seconds in ``90``, ``"90"``, ``"30m"``, ``"6h"``, ``"1d"`` or ``"2w"``.

    Negative, NaN and infinite values are refused; anything longer than
    :data:`MAX_DURATION` is clamped to it.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(
                f"not a duration: {value!r} (use seconds, or a number with s, m, h, d or w)"
            )
        number, unit = float(match[1]), _UNIT_SECONDS[match[2].lower()]
    elif isinstance(value, int):
        number, unit = (float(value) if abs(value) < 10**18 else math.inf if value > 0 else -1.0), 1
    else:
        number, unit = value, 1
    if math.isnan(number) or number < 0:
        raise ValueError(f"a duration cannot be negative or NaN: {value!r}")
    if isinstance(value, float) and math.isinf(value):
        raise ValueError(f"a duration must be finite: {value!r}")
    return min(number * unit, MAX_DURATION)


def parse_bool(value: object) -> bool:
    """A boolean, or one of true/false, yes/no, on/off, 1/0 (any case) as a string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
        return _BOOL_WORDS[value.strip().lower()]
    raise ValueError(f"not a boolean: {value!r}")


def rel_tokens(value: str | Collection[str]) -> tuple[list[str], list[str]]:
    """The known ``rel`` tokens in *value* (lower-cased, once each), and the unknown ones."""
    words = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value)
    known: list[str] = []
    unknown: list[str] = []
    for word in words:
        if not isinstance(word, str):
            unknown.append(repr(word))
            continue
        token = word.strip().lower()
        if token in REL_TOKENS:
            if token not in known:
                known.append(token)
        elif token:
            unknown.append(word.strip())
    return known, unknown


def choice(value: object, allowed: tuple[str, ...], what: str) -> str:
    """*value* lower-cased and stripped, if it is one of *allowed*."""
    word = value.strip().lower() if isinstance(value, str) else None
    if word not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return word


def is_redis_url(value: str) -> bool:
    return value.startswith(("redis://", "rediss://", "unix://"))


def host_allowed(url: str, patterns: list[str] | tuple[str, ...] | None) -> bool:
    """Whether *url*'s host matches one of the ``feed_allowed_hosts`` patterns (None: any).

    A string is one pattern, never a sequence of one-character patterns.
    """
    if patterns is None:
        return True
    if isinstance(patterns, str):
        patterns = (patterns,)
    host = (urlsplit(url).hostname or "").lower()
    return any(fnmatchcase(host, pattern.lower()) for pattern in patterns)


def offline_from_environment() -> bool:
    """``SPHINX_FEED_OFFLINE`` set to a true value."""
    flag = os.environ.get("SPHINX_FEED_OFFLINE", "").strip().lower()
    return flag in {"1", "true", "yes", "on"}
