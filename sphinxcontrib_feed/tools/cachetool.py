"""``sphinx-feed cache info|clear``: the build's feed cache, seen from outside a build.

Where the cache is follows the documented rule (see docs/caching.rst): a
``redis://`` :confval:`feed_cache_backend` is the cache; else
:confval:`feed_cache_path`, relative to ``conf.py``; else ``feed-cache.sqlite``
(or a ``feed-cache`` folder for the filesystem backend) in the doctree
directory. A source directory's doctrees are looked for where
``make html`` puts them (``_build/doctrees``), else where ``sphinx-build -b
html . _build/html`` does (``_build/html/.doctrees``); any other layout is
reached by naming the doctree directory itself.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from requests_cache import init_backend

from sphinxcontrib_feed.errors import CommandError
from sphinxcontrib_feed.fetch.cachebackend import cache_location
from sphinxcontrib_feed.freshness import CHECKED_HEADER, parse_time
from sphinxcontrib_feed.settings.config import is_redis_url

if TYPE_CHECKING:
    from requests_cache.backends.base import BaseCache

#: Where a source directory's doctrees are, in the order they are looked for.
DOCTREE_DIRS = ("_build/doctrees", "_build/html/.doctrees")
#: The parsed-feed cache, beside the HTTP cache (see :mod:`.store`).
PARSED_FOLDER = "feed-parsed"
#: The conf.py settings that decide where the cache is.
_CACHE_SETTINGS = ("feed_cache_path", "feed_cache_backend", "feed_snapshot_dir")


@dataclass(frozen=True, slots=True)
class CacheLocation:
    backend: str
    #: A file (sqlite), a folder (filesystem), or a redis:// URL.
    http_cache: Path | str
    parsed: Path
    snapshots: Path | None = None


def locate_cache(directory: Path) -> CacheLocation:
    """The cache a build of *directory* (a source or doctree directory) uses."""
    if not directory.is_dir():
        raise CommandError(f"{directory} is not a directory")
    directory = directory.resolve()  # conf.py runs in its own folder
    conf: dict[str, Any] = {}
    if (directory / "conf.py").is_file():
        conf = _read_conf(directory)
        candidates = [directory / folder for folder in DOCTREE_DIRS]
        doctreedir = next((path for path in candidates if path.is_dir()), candidates[0])
    else:
        doctreedir = directory
        if (directory / "feed-cache").is_dir() and not (directory / "feed-cache.sqlite").exists():
            conf["feed_cache_backend"] = "filesystem"
    backend = str(conf.get("feed_cache_backend") or "sqlite")
    configured = conf.get("feed_cache_path")
    http_cache = cache_location(
        backend, str(configured) if configured else None, directory, doctreedir
    )
    if is_redis_url(backend):
        backend = "redis"
    snapshots = conf.get("feed_snapshot_dir")
    return CacheLocation(
        backend=backend,
        http_cache=http_cache,
        parsed=doctreedir / PARSED_FOLDER,
        snapshots=directory / str(snapshots) if snapshots else None,
    )


def _read_conf(confdir: Path) -> dict[str, Any]:
    """The cache settings in *confdir*'s conf.py, which is run as Sphinx would run it."""
    from sphinx.util.tags import Tags

    # As Sphinx's eval_config_file runs it (whose argument changed type in
    # Sphinx 9): in its folder, with __file__ and tags set.
    conf = confdir / "conf.py"
    namespace: dict[str, Any] = {"__file__": str(conf), "tags": Tags()}
    try:
        with contextlib.chdir(confdir):
            exec(compile(conf.read_bytes(), str(conf), "exec"), namespace)
    except Exception as error:  # whatever conf.py raises
        reason = (str(error).strip().splitlines() or [type(error).__name__])[-1]
        raise CommandError(f"cannot read {confdir / 'conf.py'}: {reason}") from None
    return {name: namespace[name] for name in _CACHE_SETTINGS if name in namespace}


def describe_cache(location: CacheLocation) -> list[str]:
    lines = []
    cache = location.http_cache
    if location.backend == "memory":
        lines.append("HTTP cache: in memory (feed_cache_backend = 'memory'): nothing is kept")
    elif isinstance(cache, Path) and not cache.exists():
        lines.append(f"HTTP cache: {cache} (not created yet)")
    else:
        size = f", {_size(_disk_usage(cache))}" if isinstance(cache, Path) else ""
        lines.append(f"HTTP cache: {cache} ({location.backend}{size})")
        lines.extend(_feeds_in(location))
    if location.parsed.is_dir():
        files = list(location.parsed.glob("*.pickle"))
        usage = _size(_disk_usage(location.parsed))
        count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
        lines.append(f"parsed feeds: {location.parsed} ({count}, {usage})")
    else:
        lines.append(f"parsed feeds: {location.parsed} (none)")
    if location.snapshots is not None:
        snapshots = len(list(location.snapshots.glob("*.feed")))
        lines.append(f"snapshots: {location.snapshots} ({snapshots} feeds; not part of the cache)")
    return lines


def _feeds_in(location: CacheLocation) -> list[str]:
    """One line per stored feed: when it was stored, and when its server last confirmed it."""
    backend = _open(location)
    try:
        responses = sorted(backend.filter(valid=True, expired=True), key=lambda r: r.url)
        now = datetime.now(UTC)
        lines = [f"{len(responses)} feed{'s' if len(responses) != 1 else ''}:"]
        for response in responses:
            stored = _utc(response.created_at)
            checked = parse_time(response.headers.get(CHECKED_HEADER)) or stored
            lines.append(
                f"  {response.url}  stored {_when(stored)}, checked {_when(checked)}"
                f" ({_age(now - checked)} ago)"
            )
        return lines
    finally:
        backend.close()  # type: ignore[no-untyped-call]


def clear_cache(location: CacheLocation) -> list[str]:
    """Remove the HTTP cache and the parsed feeds; snapshots are the project's, and stay."""
    lines = []
    cache = location.http_cache
    if location.backend == "redis":
        backend = _open(location)
        try:
            backend.clear()  # type: ignore[no-untyped-call]
        finally:
            backend.close()  # type: ignore[no-untyped-call]
        lines.append(f"cleared {cache}")
    elif isinstance(cache, Path):
        removed = [path for path in _cache_files(cache) if path.exists()]
        for path in removed:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        lines.append(f"removed {cache}" if removed else f"no HTTP cache at {cache}")
    if location.parsed.is_dir():
        shutil.rmtree(location.parsed)
        lines.append(f"removed {location.parsed}")
    return lines


def _open(location: CacheLocation) -> BaseCache:
    cache = location.http_cache
    if isinstance(cache, str):
        try:
            from redis import Redis
            from requests_cache.backends.redis import RedisCache
        except ImportError:
            raise CommandError("a redis:// cache needs the 'redis' package") from None
        return RedisCache(namespace="sphinxcontrib-feed", connection=Redis.from_url(cache))
    return init_backend(cache, location.backend)


def _cache_files(cache: Path) -> list[Path]:
    """The cache and, for SQLite, its write-ahead log and shared-memory files."""
    return [cache, cache.with_name(cache.name + "-wal"), cache.with_name(cache.name + "-shm")]


def _disk_usage(path: Path) -> int:
    if path.is_dir():
        return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    return sum(file.stat().st_size for file in _cache_files(path) if file.exists())


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    kib = count / 1024
    return f"{kib:.1f} KiB" if kib < 1024 else f"{kib / 1024:.1f} MiB"


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _when(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _age(delta: Any) -> str:
    seconds = max(0, int(delta.total_seconds()))
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{seconds // length} {unit}"
    return f"{seconds} s"
