"""Rough edges: the progress line, snapshot file modes, pruning unused snapshots."""

from __future__ import annotations

import json
import re
import stat
from typing import TYPE_CHECKING

from helpers import serve_feed

from sphinxcontrib_feed.tools.cli import main

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer


def _plain(status: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", status)


def test_progress_line_says_what_happened(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    snap = project("chrome-snapshots")
    snap.build()
    first = _plain(snap.last_status)
    assert "fetching feeds... [100%]" in first  # a request was made: a progress bar
    assert "checking feeds: 1 fetched" in first
    (snap.srcdir / "index.rst").write_text(
        (snap.srcdir / "index.rst").read_text() + "\nMore words.\n", encoding="utf-8"
    )
    snap.build()
    second = _plain(snap.last_status)
    assert "fetching feeds" not in second  # nothing asked of any server: no bar
    assert "checking feeds: 1 fresh" in second


def test_snapshots_are_readable_by_all(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    snap = project("chrome-snapshots")
    snap.build()
    files = sorted((snap.srcdir / "snapshots").iterdir())
    assert [f.suffix for f in files] == [".feed", ".json"]
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o644, file


def test_unused_snapshots_are_listed_and_pruned(project, httpserver: HTTPServer, capsys):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    serve_feed(httpserver, "/news.rss", "news.rss")
    snap = project("chrome-snapshots")
    index = snap.srcdir / "index.rst"
    original = index.read_text(encoding="utf-8")
    server = httpserver.url_for("").rstrip("/")
    index.write_text(original + f"\n.. feed:: {server}/news.rss\n", encoding="utf-8")
    snap.build()
    folder = snap.srcdir / "snapshots"
    assert len(list(folder.glob("*.feed"))) == 2
    (folder / "notes.txt").write_text("the project's own file\n", encoding="utf-8")
    (folder / "old-0123456789.feed").write_text("not ours: no .json names it\n")
    index.write_text(original, encoding="utf-8")
    snap.build()  # the news feed is no longer used

    assert main(["cache", "snapshots", str(snap.srcdir)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert sorted(line.split()[0] for line in listing) == ["unused", "used"]
    assert any(line.startswith("unused") and line.endswith("/news.rss") for line in listing)

    assert main(["cache", "prune-snapshots", str(snap.srcdir)]) == 0
    assert "news.rss" in capsys.readouterr().out
    left = sorted(f.name for f in folder.iterdir())
    assert len(left) == 4 and "notes.txt" in left and "old-0123456789.feed" in left
    assert not any("news.rss" in name for name in left)
    assert main(["cache", "prune-snapshots", str(snap.srcdir)]) == 0
    assert "no unused snapshots" in capsys.readouterr().out


def test_feedcheck_reports_and_removes_unused_snapshots(project, httpserver: HTTPServer):
    serve_feed(httpserver, "/releases.atom", "releases.atom", "application/atom+xml")
    snap = project("chrome-snapshots")
    folder = snap.srcdir / "snapshots"
    folder.mkdir()
    stale_url = "https://gone.example.org/feed.xml"
    from sphinxcontrib_feed.refresh.store import Snapshots

    name = Snapshots(folder).name(stale_url)
    (folder / f"{name}.feed").write_bytes(b"<rss/>")
    (folder / f"{name}.json").write_text(json.dumps({"url": stale_url}), encoding="utf-8")
    snap.build("feedcheck")
    out = snap.srcdir / "_build" / "feedcheck"
    text = (out / "output.txt").read_text(encoding="utf-8")
    assert f"[unused snapshot] {stale_url}: removed {name}.feed, {name}.json" in text
    lines = [json.loads(line) for line in (out / "output.json").read_text().splitlines()]
    assert {line["status"] for line in lines} == {"ok", "unused snapshot"}
    assert not (folder / f"{name}.feed").exists()
    assert len(list(folder.glob("*.feed"))) == 1  # the one in use stays
