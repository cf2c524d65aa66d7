"""The cases of issue 20 ("faster than every peer"), run by ``bench_scale.py``.

* ``hosts``: 64 feeds on 64 hosts (127.0.0.2 … 127.0.0.65, all loopback on
  Linux), each answering after 300 ms, against one round trip (the floor when
  every request goes out together); and 64 feeds on one host, against its
  floor at the per-host cap (``ceil(64 / 6)`` round trips).
* ``slow``: 16 feeds on 16 hosts, the time they add over the same pages
  without feeds, against the 0.5 s target.
* ``merge``: one page merging 200 feed files of 50 items, 10 shown, against
  the same page without the directive, the two alternated: cold, no-op time
  and no-op peak RSS; and the cold build's floors (imports, libxml2, the XML
  step), none of which maps an item.
* ``noop``: a no-op rebuild of pages showing a feed file, against the same
  pages without the extension (static pages).
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING

from bench_scale import (
    BYTECODE_ON,
    LATENCY,
    QuietHandler,
    build,
    project,
    row,
    rss_feed,
)

if TYPE_CHECKING:
    from pathlib import Path

PER_HOST = 6


def _servers(folder: Path, hosts: int) -> tuple[list[ThreadingHTTPServer], list[str]]:
    class Handler(QuietHandler):
        delay = LATENCY

    servers, bases = [], []
    for n in range(hosts):
        address = f"127.0.0.{n + 2}" if hosts > 1 else "127.0.0.1"
        server = ThreadingHTTPServer((address, 0), partial(Handler, directory=str(folder)))
        server.daemon_threads = True
        server.request_queue_size = 64
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases.append(f"http://{address}:{server.server_address[1]}")
    return servers, bases


def _added(root: Path, count: int, hosts: int, extra: str = "",
           repeat: int = 3) -> tuple[float, float]:  # fmt: skip
    """*repeat* cold builds each, alternated: the time *count* slow feeds on *hosts* add,
    as the best of each (the fastest build with feeds less the fastest without) and as
    the median of the paired differences (each build with feeds less the build without
    it ran next to), which one unusually fast or slow build cannot move."""
    served = root / "served"
    served.mkdir(parents=True)
    feed = rss_feed(20 * 1024)
    for n in range(count):
        (served / f"feed-{n}.xml").write_bytes(feed)
    servers, bases = _servers(served, hosts)
    pages = {
        f"page-{n}": f".. feed:: {bases[n % hosts]}/feed-{n}.xml\n   :limit: 5\n"
        for n in range(count)
    }
    plain = {f"page-{n}": "No feed here.\n" for n in range(count)}
    project(root / "plain", plain, ["sphinxcontrib_feed"])
    project(root / "slow", pages, ["sphinxcontrib_feed"], extra)
    times: dict[str, list[float]] = {"plain": [], "slow": []}
    for n in range(repeat):  # alternated: a change in the machine's load hits both
        for name, seconds in times.items():
            seconds.append(build(root / name, root / f"out-{name}-{n}").seconds)
    best = min(times["slow"]) - min(times["plain"])
    paired = statistics.median(s - p for s, p in zip(times["slow"], times["plain"], strict=True))
    for server in servers:
        server.shutdown()
    return best, paired


def case_hosts(root: Path) -> None:
    print(f"64 feeds behind {LATENCY * 1000:.0f} ms, cold, 5 builds each (3 for the others)")
    row("one round trip (baseline)", LATENCY, LATENCY, "s")
    best, paired = _added(root / "a", 64, 64, repeat=5)
    row("added, 64 hosts, default feed_concurrency (64), best", best, LATENCY, "s")
    row("  the same, median of the paired differences", paired, LATENCY, "s")
    old, _ = _added(root / "b", 64, 64, "feed_concurrency = 8\n")
    row("added, 64 hosts, feed_concurrency = 8 (the old default), best", old, LATENCY, "s")
    floor = math.ceil(64 / PER_HOST) * LATENCY
    print(f"64 feeds on one host, at most {PER_HOST} in flight to it, cold, best of 3")
    row("floor: ceil(64 / 6) round trips (baseline)", floor, floor, "s")
    row("added, one host, best", _added(root / "c", 64, 1)[0], floor, "s")


def case_slow16(root: Path) -> None:
    print(f"16 feeds on 16 hosts behind {LATENCY * 1000:.0f} ms, cold, 5 builds each")
    row("the target: 0.5 s (baseline)", 0.5, 0.5, "s")
    best, paired = _added(root, 16, 16, repeat=5)
    row("time the feeds add over the same pages without, best", best, 0.5, "s")
    row("  the same, median of the paired differences", paired, 0.5, "s")


def _merge_feed(site: int, items: int = 50) -> bytes:
    text = rss_feed(items * 900).decode()
    return text.replace("example.org", f"site{site}.example").encode()


#: Run inside a child with Sphinx loaded: what any reading of the merge costs before the
#: first item is mapped: importing what parses, finishes and renders; libxml2's parse; and
#: the XML step, which is libxml2's parse plus the structural limits every document gets.
FLOOR = """
import json, sys, time
from pathlib import Path
import sphinx.application, sphinx.builders.html
start = time.perf_counter()
import feedparser, nh3
from lxml import etree
import sphinxcontrib_feed.parse.document, sphinxcontrib_feed.parse.fastmap
import sphinxcontrib_feed.refresh.sources, sphinxcontrib_feed.render.transform
from sphinxcontrib_feed.parse.xmlsafe import safe_tree
imports = time.perf_counter() - start
paths = sorted(Path(sys.argv[1]).glob("*.xml"))
start = time.perf_counter()
for path in paths:
    etree.fromstring(path.read_bytes())
libxml2 = time.perf_counter() - start
start = time.perf_counter()
for path in paths:
    safe_tree(path.read_bytes(), path.as_uri())
print(json.dumps({"imports": imports, "libxml2": libxml2, "xml_step": time.perf_counter() - start}))
"""


def _floor(feeds: Path, repeat: int = 3) -> dict[str, float]:
    """The best of *repeat* readings of :data:`FLOOR`: seconds by part."""
    readings = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", FLOOR, str(feeds)], capture_output=True,
                              text=True, check=True, env=BYTECODE_ON)  # fmt: skip
        readings.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {part: min(r[part] for r in readings) for part in readings[0]}


def case_merge(root: Path, sources: int = 200, repeat: int = 5) -> None:
    feeds = root / "merge" / "_feeds"
    feeds.mkdir(parents=True)
    for n in range(sources):
        (feeds / f"f{n}.xml").write_bytes(_merge_feed(n))
    names = " ".join(f"/_feeds/f{n}.xml" for n in range(sources))
    body = "Some text about the project. " * 20
    project(root / "merge", {"news": f"{body}\n\n.. feed:: {names}\n   :limit: 10\n"},
            ["sphinxcontrib_feed"])  # fmt: skip
    project(root / "plain", {"news": body}, ["sphinxcontrib_feed"])
    cold: dict[str, list[float]] = {"plain": [], "merge": []}
    noop: dict[str, list[tuple[float, float]]] = {"plain": [], "merge": []}
    for n in range(repeat):  # interleaved: a change in the machine's load hits both
        for name in cold:
            out = root / f"out-{name}-{n}"
            first, second = build(root / name, out), build(root / name, out)
            cold[name].append(first.seconds)
            noop[name].append((second.seconds, second.rss_mib))
    print(f"a page merging {sources} feed files of 50 items, 10 shown, best of {repeat}")
    base = min(cold["plain"])
    row("cold: the page without the directive (baseline)", base, base, "s")
    row("cold: the page merging the feeds", min(cold["merge"]), base, "s")
    paired = statistics.median(m / p for m, p in zip(cold["merge"], cold["plain"], strict=True))
    row("cold: the same, median of the paired ratios", paired * base, base, "s")
    floor = _floor(feeds)
    row("  its floor: the baseline + imports (parse, finish, render)", base + floor["imports"],
        base, "s")  # fmt: skip
    row("  its floor: ... + libxml2 parsing the 200 files, no item mapped",
        base + floor["imports"] + floor["libxml2"], base, "s")  # fmt: skip
    row("  its floor: ... + the XML step instead (xmlsafe.safe_tree), no item mapped",
        base + floor["imports"] + floor["xml_step"], base, "s")  # fmt: skip
    for label, part, unit in (("time", 0, "s"), ("peak RSS", 1, "MiB")):
        without = min(reading[part] for reading in noop["plain"])
        row(f"no-op: {label}, without (baseline)", without, without, unit)
        row(f"no-op: {label}, merging", min(reading[part] for reading in noop["merge"]), without,
            unit)  # fmt: skip
    without = min(seconds for seconds, _ in noop["plain"])
    paired = statistics.median(m / p for (m, _), (p, _) in zip(noop["merge"], noop["plain"],
                                                               strict=True))  # fmt: skip
    row("no-op: time, median of the paired ratios", paired * without, without, "s")


def case_noop(root: Path, pages: int = 16, repeat: int = 20) -> None:
    feeds = root / "feeds" / "_feeds"
    feeds.mkdir(parents=True)
    (feeds / "news.xml").write_bytes(rss_feed(20 * 1024))
    text = {f"page-{n}": "Some text about the project." for n in range(pages)}
    shown = {name: f"{body}\n\n.. feed:: /_feeds/news.xml\n" for name, body in text.items()}
    project(root / "static", text, [])
    project(root / "feeds", shown, ["sphinxcontrib_feed"])
    times: dict[str, list[float]] = {"static": [], "feeds": []}
    for name in times:
        build(root / name, root / f"out-{name}")
    for _ in range(repeat):  # interleaved: a change in the machine's load hits both
        for name, seconds in times.items():
            seconds.append(build(root / name, root / f"out-{name}").seconds)
    best = {name: min(seconds) for name, seconds in times.items()}
    # each pair of neighbouring builds as a ratio: steadier than two minima on a busy machine
    paired = statistics.median(f / s for f, s in zip(times["feeds"], times["static"], strict=True))
    print(f"no-op rebuild of {pages} pages, {repeat} of each, interleaved")
    row("static pages, no extension (baseline), best", best["static"], best["static"], "s")
    row("the same pages, each showing a feed file, best", best["feeds"], best["static"], "s")
    row("the same, median of the paired ratios", paired * best["static"], best["static"], "s")
