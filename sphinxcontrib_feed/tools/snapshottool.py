"""Snapshots no source uses any more: listed, and pruned, by ``sphinx-feed cache``
and by the ``feedcheck`` builder.

In use means used by the project's last build: each build records the URLs
of its sources in the doctree directory (:func:`.store.note_in_use`).
Only files the extension wrote are ever touched: ``<name>-<hash>.feed`` and
``.json`` pairs whose ``.json`` names the URL the name was made from
(:meth:`.Snapshots.written`); anything else in the folder is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxcontrib_feed.errors import CommandError
from sphinxcontrib_feed.refresh.store import Snapshot, Snapshots, read_in_use

if TYPE_CHECKING:
    from sphinxcontrib_feed.tools.cachetool import CacheLocation


def _unused(location: CacheLocation) -> tuple[Snapshots, list[Snapshot], set[str]]:
    if location.snapshots is None:
        raise CommandError("this project sets no feed_snapshot_dir")
    doctreedir = location.parsed.parent
    in_use = read_in_use(doctreedir)
    if in_use is None:
        raise CommandError(
            f"no build has recorded its sources in {doctreedir}: build the project first"
        )
    snapshots = Snapshots(location.snapshots)
    return snapshots, snapshots.unused(in_use), in_use


def list_snapshots(location: CacheLocation) -> list[str]:
    """One line per snapshot: ``used`` or ``unused``, its name and URL."""
    snapshots, unused, _ = _unused(location)
    names = {snapshot.name for snapshot in unused}
    lines = [
        f"{'unused' if s.name in names else 'used  '}  {s.name}  {s.url}"
        for s in snapshots.written()
    ]
    return lines or [f"no snapshots in {location.snapshots}"]


def prune_snapshots(location: CacheLocation) -> list[str]:
    """Remove the snapshots of sources the last build did not use."""
    snapshots, unused, _ = _unused(location)
    for snapshot in unused:
        snapshots.remove(snapshot)
    lines = [f"removed {snapshot.name} ({snapshot.url})" for snapshot in unused]
    return lines or [f"no unused snapshots in {location.snapshots}"]
