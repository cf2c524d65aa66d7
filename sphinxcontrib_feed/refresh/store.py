"""Files the extension keeps beside the HTTP cache.

:class:`ParsedCache` keeps each parsed feed's index (every item, unfinished,
see :mod:`.finish`) by content hash, so a feed's bytes are parsed once per
content version, across builds and across ``-E``, and the items a new
selection needs can be finished without parsing again.
:class:`Snapshots` is ``feed_snapshot_dir``: the bytes of every good fetch
under a stable, readable name, for offline and reproducible builds.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import json
import os
import pickle
import re
import tempfile
import time
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxcontrib_feed._version import __version__
from sphinxcontrib_feed.errors import UNPICKLING_ERRORS
from sphinxcontrib_feed.model import Enclosure, Entry, Feed
from sphinxcontrib_feed.refresh.shape import describe_classes

if TYPE_CHECKING:
    from collections.abc import Callable, Set

    from sphinxcontrib_feed.fetch.fetcher import Fetched

#: What reading back a damaged or foreign file raises.
_UNREADABLE = (OSError, *UNPICKLING_ERRORS)
#: Parsed copies unused for this long are deleted.
PARSED_MAX_AGE = 30 * 86400


@cache
def parser_version() -> str:
    """Part of every parsed-cache key: a new parser may read the same bytes differently.

    Worked out on first use: a no-op build imports neither feedparser nor lxml.
    """
    import feedparser

    from sphinxcontrib_feed.parse.xmlsafe import XML_PARSER_VERSION

    return f"{__version__}-feedparser{feedparser.__version__}-{XML_PARSER_VERSION}"


def model_fingerprint(classes: tuple[type, ...] = (Feed, Entry, Enclosure)) -> str:
    """A hash of the stored model's shape: its dataclasses' names, field names and types."""
    return hashlib.sha256("\n".join(describe_classes(classes)).encode()).hexdigest()[:16]


#: Changes whenever a model class gains, loses or retypes a field, so data
#: stored by another shape of the model is never loaded.
MODEL_FINGERPRINT = model_fingerprint()


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def parse_key(content: bytes, url: str, content_type: str) -> str:
    """Everything a parse depends on: the bytes, their address, their type, parser and model."""
    parts = (digest(content), url, content_type, parser_version(), MODEL_FINGERPRINT)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def is_feed(value: object) -> bool:
    """Whether *value* is a :class:`Feed` of :class:`Entry` items (not something foreign
    stored under its name); its shape is today's, since :func:`parse_key` names it."""
    return (
        isinstance(value, Feed)
        and isinstance(value.entries, tuple)
        and all(isinstance(entry, Entry) for entry in value.entries)
    )


def _by_fields(cls: type) -> Callable[[Any], str | tuple[Any, ...]]:
    """Pickle a *cls* as its constructor and field values, read in one C call.

    A frozen dataclass with slots is otherwise pickled through its generated
    ``__getstate__``/``__setstate__``, a Python call per item each way, which
    doubles the cost of storing a 10,000-item index.
    """
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names)
    return lambda obj: (cls, values(obj))


#: How :class:`ParsedCache` pickles the model: ``Entry(*values)`` when read back.
_MODEL_REDUCERS: dict[type, Callable[[Any], str | tuple[Any, ...]]] = {
    cls: _by_fields(cls) for cls in (Feed, Entry, Enclosure)
}


def dump_index(feed: Feed) -> bytes:
    """*feed* as a parsed-cache pickle (:func:`pickle.loads` reads it)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_MODEL_REDUCERS}
    pickler.dump(feed)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Readers (other builds) see the old file or the new one, never half of one.

    The file is private (``mkstemp``'s 0600) unless *mode* says otherwise.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    written = False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            if mode is not None:
                os.fchmod(file.fileno(), mode)
        Path(temporary).replace(path)
        written = True
    finally:
        if not written:
            Path(temporary).unlink(missing_ok=True)


class ParsedCache:
    """Parsed feeds by :func:`parse_key`, as pickles under the doctree directory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: Writes that failed this build, for the ``feed.cache`` warning.
        self.problems: list[str] = []

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> Feed | None:
        """The index stored under *key*; anything unreadable or foreign is a miss."""
        path = self._path(key)
        try:
            with path.open("rb") as file:
                feed = pickle.load(file)
        except _UNREADABLE:
            return None
        if not is_feed(feed):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return feed  # type: ignore[no-any-return]

    def put(self, key: str, feed: Feed) -> None:
        try:
            _write_atomically(self._path(key), dump_index(feed))
        except OSError as error:  # every build would parse this feed again: say so
            if not self.problems:
                self.problems.append(
                    f"cannot write parsed feeds in {self.folder} ({error.strerror or error})"
                )

    def prune(self) -> None:
        cutoff = time.time() - PARSED_MAX_AGE
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.pickle"):
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: A snapshot's name (see :meth:`Snapshots.name`); only files named so are ever pruned.
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9._-]{0,80}-[0-9a-f]{10}$")
#: Snapshots are part of the project (committed, shared, read by CI): readable by all.
SNAPSHOT_MODE = 0o644
#: In the doctree directory: the URLs the last build used, for ``sphinx-feed cache``.
IN_USE_FILE = "feed-sources.json"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One source's snapshot: its name, the URL it holds, and its files."""

    name: str
    url: str
    files: tuple[Path, ...]


class Snapshots:
    """``feed_snapshot_dir``: one ``.feed`` file (the bytes) and one ``.json`` per source.

    A file is rewritten only when the feed's content changes, so a committed
    snapshot directory changes in version control only when feeds do.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def name(self, url: str) -> str:
        """``host_path-<hash>``: readable, stable, and unique per URL."""
        readable = _UNSAFE.sub("_", url.split("://", 1)[-1]).strip("_.")[:80]
        return f"{readable}-{hashlib.sha256(url.encode()).hexdigest()[:10]}"

    def _files(self, url: str) -> tuple[Path, Path]:
        name = self.name(url)
        return self.folder / f"{name}.feed", self.folder / f"{name}.json"

    def write(self, url: str, fetched: Fetched) -> bool:
        """Record a good fetch; True if the snapshot changed."""
        content, meta_file = self._files(url)
        with contextlib.suppress(OSError):
            if content.read_bytes() == fetched.content:
                return False
        checked = fetched.checked_at or datetime.now(UTC)
        meta = {"url": url, "content_type": fetched.content_type, "fetched_at": checked.isoformat()}
        _write_atomically(content, fetched.content, SNAPSHOT_MODE)
        _write_atomically(meta_file, json.dumps(meta, indent=2).encode() + b"\n", SNAPSHOT_MODE)
        return True

    def written(self) -> list[Snapshot]:
        """The snapshots in the folder that this extension wrote: files named as
        :meth:`name` names the URL their ``.json`` records; anything else is left alone."""
        found = []
        with contextlib.suppress(OSError):
            for meta_file in sorted(self.folder.glob("*.json")):
                name = meta_file.stem
                if not _SNAPSHOT_NAME.match(name):
                    continue
                try:
                    url = json.loads(meta_file.read_text(encoding="utf-8"))["url"]
                except (OSError, ValueError, KeyError, TypeError):
                    continue
                if isinstance(url, str) and self.name(url) == name:
                    files = (self.folder / f"{name}.feed", meta_file)
                    found.append(Snapshot(name, url, tuple(f for f in files if f.exists())))
        return found

    def unused(self, urls: Set[str]) -> list[Snapshot]:
        """The snapshots of URLs not in *urls* (the sources a build uses)."""
        return [snapshot for snapshot in self.written() if snapshot.url not in urls]

    @staticmethod
    def remove(snapshot: Snapshot) -> None:
        for file in snapshot.files:
            file.unlink(missing_ok=True)

    def read(self, url: str) -> Fetched | None:
        from sphinxcontrib_feed.fetch.fetcher import Fetched

        content_file, meta_file = self._files(url)
        try:
            content = content_file.read_bytes()
        except OSError:
            return None
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            checked = datetime.fromisoformat(meta["fetched_at"])
        except (OSError, ValueError, KeyError, TypeError):
            meta, checked = {}, None
        return Fetched(
            content=content,
            url=url,
            content_type=str(meta.get("content_type", "")),
            checked_at=checked,
        )


def note_in_use(doctreedir: Path, urls: Set[str]) -> None:
    """Record the URLs a build uses, for pruning snapshots outside a build."""
    data = json.dumps({"urls": sorted(urls)}, indent=2).encode() + b"\n"
    path = doctreedir / IN_USE_FILE
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    with contextlib.suppress(OSError):
        _write_atomically(path, data, SNAPSHOT_MODE)


def read_in_use(doctreedir: Path) -> set[str] | None:
    """The URLs the last build of *doctreedir* used, or None if none recorded them."""
    try:
        urls = json.loads((doctreedir / IN_USE_FILE).read_text(encoding="utf-8"))["urls"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {url for url in urls if isinstance(url, str)} if isinstance(urls, list) else None
