"""Feed files: where one lies, and when it last changed.

Apart from :mod:`.fetcher` so a no-op build, which only asks whether its
feed files changed, loads neither the HTTP side nor the file reader.
"""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def inside(srcdir: Path, path: str, *, confined: bool = True) -> Path:
    """*path*, links resolved, checked to be in *srcdir* (if *confined*) at every read."""
    resolved = _resolved(srcdir, path, confined)
    if resolved is None:
        from sphinxcontrib_feed.errors import FetchError  # a no-op's check never needs it

        raise FetchError(f"feed file {path!r} is outside the source directory")
    return resolved


def file_modified(srcdir: Path, path: str, *, confined: bool = True) -> datetime | None:
    """When a regular feed file was last modified; None if it is not one (or not inside)."""
    try:
        resolved = _resolved(srcdir, path, confined)
        info = resolved.stat() if resolved is not None else None
    except OSError:
        return None
    if info is None or not stat.S_ISREG(info.st_mode):
        return None
    return datetime.fromtimestamp(info.st_mtime, UTC)


def _resolved(srcdir: Path, path: str, confined: bool) -> Path | None:
    """*path* with links resolved; None if *confined* and it leaves *srcdir*."""
    root = srcdir.resolve()
    resolved = (root / path).resolve()
    if confined and (not resolved.is_relative_to(root) or resolved == root):
        return None
    return resolved
