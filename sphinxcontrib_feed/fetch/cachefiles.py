"""What the extension's cache files look like, so nothing else is ever touched.

The build (healing a damaged SQLite file, :mod:`.httpcache`) and ``sphinx-feed
cache clear`` (:mod:`.tools.cachetool`) act only on what they recognise here:
an SQLite file (the ``SQLite format 3`` header, and requests-cache's tables
for removal), a folder in requests-cache's filesystem layout, the parsed-feed
folder. Anything else at a cache path (a document, the source folder, a
user's file) is the user's: it is reported, never replaced or removed.
Only ``sqlite3`` and :mod:`pathlib`: no HTTP code.
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

#: The first 16 bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\0"
#: An SQLite database and the files SQLite keeps beside it.
SQLITE_FILES = ("", "-wal", "-shm", "-journal")
#: requests-cache's tables in its SQLite backend.
_SQLITE_TABLES = frozenset({"responses", "redirects"})
#: requests-cache's filesystem backend: one file per response, named by its key.
_RESPONSE_FILE = re.compile(r"[0-9a-f]{16,64}\.(?:json|pkl|pickle|bson|yaml|yml)")
_REDIRECTS = "redirects.sqlite"
#: The parsed-feed cache (:mod:`.refresh.store`): pickles named by a hash, temporaries.
_PARSED_FILE = re.compile(r"[0-9a-f]{64}\.pickle|\.tmp-\w+")


def sqlite_path(path: Path) -> Path:
    """*path* as requests-cache's SQLite backend names it: ``.sqlite`` added
    to a name without a suffix (``feeds`` → ``feeds.sqlite``)."""
    return path if path.suffix else path.with_name(path.name + ".sqlite")


def has_sqlite_header(path: Path) -> bool:
    """Whether *path* is a file that starts as an SQLite database does."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def foreign_file(path: Path) -> str | None:
    """Why the SQLite cache may not be opened at *path*, or None if it may.

    It may when nothing is there, or an SQLite file is (damaged or not: a
    damaged one is healed), or an empty ``.sqlite`` file (another build
    creating it this moment). A folder or any other file is the user's.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{path} cannot be read ({error.strerror or error})"
    if path.is_dir():
        return f"{path} is a folder, not an SQLite file"
    if has_sqlite_header(path) or (info.st_size == 0 and path.suffix == ".sqlite"):
        return None
    return f"{path} is not an SQLite database (a file that is not the extension's)"


def _tables(path: Path) -> frozenset[str]:
    """The tables of the SQLite file *path* (opened read-only); none if it is not one."""
    if not path.is_file() or not has_sqlite_header(path):
        return frozenset()
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return frozenset(str(row[0]) for row in rows)
        finally:
            connection.close()
    except sqlite3.Error:
        return frozenset()


def is_requests_cache_db(path: Path) -> bool:
    """An SQLite file holding requests-cache's tables."""
    return _tables(path) >= _SQLITE_TABLES


def _only_files(folder: Path, pattern: re.Pattern[str], extra: frozenset[str]) -> bool:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return all(
        entry.is_file() and not entry.is_symlink()
        and (entry.name in extra or pattern.fullmatch(entry.name) is not None)
        for entry in entries
    )  # fmt: skip


def is_filesystem_cache(folder: Path) -> bool:
    """A folder in requests-cache's filesystem layout: its ``redirects.sqlite``
    and one file per response, nothing else."""
    redirects = frozenset(_REDIRECTS + suffix for suffix in SQLITE_FILES)
    return (
        folder.is_dir()
        and not folder.is_symlink()
        and "redirects" in _tables(folder / _REDIRECTS)
        and _only_files(folder, _RESPONSE_FILE, redirects)
    )


def is_parsed_folder(folder: Path) -> bool:
    """The parsed-feed cache: only the pickles (and temporaries) it writes."""
    return folder.is_dir() and not folder.is_symlink() and _only_files(
        folder, _PARSED_FILE, frozenset()
    )  # fmt: skip


def holds(path: Path, folder: Path) -> bool:
    """Whether removing *path* would remove *folder* (it is *folder* or contains it)."""
    try:
        return folder.resolve().is_relative_to(path.resolve())
    except OSError:
        return True


def foreign_location(backend: str, location: Path) -> str | None:
    """Why a build may not open its *backend* cache at *location*, or None if it may."""
    if backend == "sqlite":
        return foreign_file(location)
    if not location.exists():
        return None
    if not location.is_dir():
        return f"{location} is a file, not a cache folder"
    if any(location.iterdir()) and not is_filesystem_cache(location):
        return f"{location} holds files that are not the extension's cache"
    return None
