"""The ``feed_*`` configuration values, and the small parsers they share with options."""

from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

SUMMARY_MODES = ("none", "text", "rich")
SORT_ORDERS = ("date", "source")
ON_ERROR = ("warn", "error", "ignore")
LAYOUTS = ("list", "compact", "cards")
CACHE_BACKENDS = ("sqlite", "filesystem", "memory")

#: name, default, rebuild. Options that shape a page rebuild the environment,
#: since the directive resolves them into the page's placeholder at read time.
CONFIG_VALUES: tuple[tuple[str, Any, Literal["env", ""], type | tuple[type, ...]], ...] = (
    ("feed_sources", {}, "env", dict),
    ("feed_limit", 10, "env", int),
    ("feed_summary", "text", "env", str),
    ("feed_summary_length", 300, "env", int),
    ("feed_date_format", None, "env", (str, type(None))),
    ("feed_layout", "list", "env", str),
    ("feed_expire", "1h", "env", (str, int, float)),
    ("feed_on_error", "warn", "env", str),
    ("feed_as_of", False, "env", bool),
    ("feed_offline", False, "", bool),
    ("feed_snapshot_dir", None, "", (str, type(None))),
    ("feed_cache_path", None, "", (str, type(None))),
    ("feed_cache_backend", "sqlite", "", str),
    ("feed_timeout", 10, "", (int, float)),
    ("feed_max_bytes", 10 * 1024 * 1024, "", int),
    ("feed_concurrency", 8, "", int),
    ("feed_user_agent", None, "", (str, type(None))),
    ("feed_allowed_hosts", None, "env", (list, tuple, type(None))),
    ("feed_backoff", "5m", "", (str, int, float)),
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str | float) -> float:
    """Seconds in ``90``, ``"90"``, ``"30m"``, ``"6h"``, ``"1d"`` or ``"2w"``."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"a duration cannot be negative: {value!r}")
        return float(value)
    match = _DURATION.match(value)
    if not match:
        raise ValueError(
            f"not a duration: {value!r} (use seconds, or a number with s, m, h, d or w)"
        )
    return float(match[1]) * _UNIT_SECONDS[match[2]]


def is_redis_url(value: str) -> bool:
    return value.startswith(("redis://", "rediss://", "unix://"))


def host_allowed(url: str, patterns: list[str] | tuple[str, ...] | None) -> bool:
    """Whether *url*'s host matches one of the ``feed_allowed_hosts`` patterns (None: any)."""
    if patterns is None:
        return True
    host = (urlsplit(url).hostname or "").lower()
    return any(fnmatchcase(host, pattern.lower()) for pattern in patterns)


def is_offline(config: Config) -> bool:
    """``feed_offline``, or ``SPHINX_FEED_OFFLINE`` set to a true value in the environment."""
    flag = os.environ.get("SPHINX_FEED_OFFLINE", "").strip().lower()
    return bool(config.feed_offline) or flag in {"1", "true", "yes", "on"}


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def check_config(app: Sphinx, config: Config) -> None:
    """Fail early, with the option's name, on a value that cannot work."""
    try:
        choice(config.feed_summary, SUMMARY_MODES, "feed_summary")
        choice(config.feed_layout, LAYOUTS, "feed_layout")
        choice(config.feed_on_error, ON_ERROR, "feed_on_error")
        parse_duration(config.feed_expire)
        if config.feed_cache_backend not in CACHE_BACKENDS and not is_redis_url(
            config.feed_cache_backend
        ):
            raise ValueError(
                f"feed_cache_backend must be one of {', '.join(CACHE_BACKENDS)} "
                "or a redis:// URL, "
                f"not {config.feed_cache_backend!r}"
            )
        for name in ("feed_limit", "feed_summary_length", "feed_max_bytes"):
            if getattr(config, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if config.feed_concurrency < 1 or config.feed_timeout <= 0:
            raise ValueError("feed_concurrency and feed_timeout must be positive")
        for name, entry in config.feed_sources.items():
            source_entry(name, entry)
    except ValueError as error:
        raise ConfigError(f"sphinxcontrib-feed: {error}") from None


#: Directive options a long-form ``feed_sources`` entry may set defaults for.
ENTRY_OPTIONS = (
    "limit", "summary", "summary-length", "date-format", "layout", "sort", "reverse", "filter",
    "exclude", "category", "since", "title", "author", "categories", "images", "new-tab", "empty",
    "expire", "on-error", "as-of",
)  # fmt: skip


def source_entry(name: str, entry: Any) -> dict[str, Any]:
    """A ``feed_sources`` entry in its long form: ``{"url": ..., "expire": ...}``."""
    if isinstance(entry, str):
        return {"url": entry}
    if isinstance(entry, dict) and isinstance(entry.get("url"), str):
        unknown = sorted(set(entry) - {"url"} - {key.replace("-", "_") for key in ENTRY_OPTIONS}
                         - set(ENTRY_OPTIONS))  # fmt: skip
        if unknown:
            raise ValueError(
                f"feed_sources[{name!r}] has unknown keys {', '.join(map(repr, unknown))}; "
                f"known: url, {', '.join(ENTRY_OPTIONS)}"
            )
        return entry
    raise ValueError(
        f"feed_sources[{name!r}] must be a URL or file path, "
        f'or a dict with a "url" key, not {entry!r}'
    )


def register(app: Sphinx) -> None:
    for name, default, rebuild, types in CONFIG_VALUES:
        app.add_config_value(name, default, rebuild, types)
    app.connect("config-inited", check_config)
