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
from sphinxcontrib_feed.fetch.cachefiles import (
    SQLITE_FILES,
    foreign_location,
    holds,
    is_filesystem_cache,
    is_parsed_folder,
    is_requests_cache_db,
)
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
    #: The directory named on the command line (the source and configuration
    #: folder, or a doctree directory): never removed, nor anything holding it.
    directory: Path | None = None


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
        directory=directory,
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
    elif isinstance(cache, Path) and (problem := _not_a_cache(location, cache)):
        lines.append(f"HTTP cache: {cache} ({problem.removeprefix('it is ')}; not opened)")
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


def clear_cache(location: CacheLocation, dry_run: bool = False) -> list[str]:
    """Remove the HTTP cache and the parsed feeds; snapshots are the project's, and stay.

    Only what is recognised as the extension's is removed (:mod:`.fetch.cachefiles`);
    anything else at a cache path stops the command before anything is removed.
    With *dry_run*, nothing is removed: the lines say what would be.
    """
    cache = location.http_cache
    if location.backend == "redis":
        if dry_run:
            return [f"would clear {cache}"]
        backend = _open(location)
        try:
            backend.clear()  # type: ignore[no-untyped-call]
        finally:
            backend.close()  # type: ignore[no-untyped-call]
        return [f"cleared {cache}"]
    removals: list[Path] = []
    lines = []
    if isinstance(cache, Path) and location.backend != "memory":
        files = _cache_files(cache) if location.backend == "sqlite" else [cache]
        if any(path.exists() or path.is_symlink() for path in files):
            _refuse_unless_cache(location, cache, _not_a_cache(location, cache))
            removals.extend(path for path in files if path.exists() or path.is_symlink())
        else:
            lines.append(f"no HTTP cache at {cache}")
    parsed = location.parsed
    if parsed.exists():
        unknown = None if is_parsed_folder(parsed) else "it holds files the extension did not write"
        _refuse_unless_cache(location, parsed, unknown)
        removals.append(parsed)
    verb = "would remove" if dry_run else "removed"
    for path in removals:
        if not dry_run:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        if path in (cache, parsed):
            lines.append(f"{verb} {path}")
    return lines


def _not_a_cache(location: CacheLocation, cache: Path) -> str | None:
    """Why *cache* is not the extension's HTTP cache, or None if it is."""
    if location.backend == "sqlite":
        if cache.is_dir():
            return "it is a folder, not an SQLite cache"
        if foreign_location("sqlite", cache) or not is_requests_cache_db(cache):
            return "it is not a feed cache (no SQLite database with requests-cache's tables)"
        return None
    if not is_filesystem_cache(cache):
        return "it is not a feed cache (no folder in requests-cache's filesystem layout)"
    return None


def _refuse_unless_cache(location: CacheLocation, path: Path, problem: str | None) -> None:
    """Stop (nothing removed yet) unless *path* may be removed."""
    directory = location.directory
    if directory is not None and holds(path, directory):
        problem = f"it is (or holds) {directory}, the project's folder"
    elif problem and path.is_dir() and not path.is_symlink() and _holds_documents(path):
        problem = "it holds documents, not a feed cache"
    if problem:
        raise CommandError(
            f"refusing to remove {path}: {problem}; nothing was removed "
            "(check feed_cache_path in conf.py)"
        )


def _holds_documents(folder: Path) -> bool:
    suffixes = {".rst", ".md", ".txt", ".py", ".ipynb", ".xml", ".atom", ".rss", ".json"}
    try:
        return any(path.suffix in suffixes for path in folder.rglob("*") if path.is_file())
    except OSError:
        return True


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
    """The cache and, for SQLite, its write-ahead log, shared-memory and journal files."""
    return [cache.with_name(cache.name + suffix) for suffix in SQLITE_FILES]


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
