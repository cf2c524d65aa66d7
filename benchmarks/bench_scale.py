"""Work in proportion to what is shown: big feeds, slow feeds, many pages, imports.

    python benchmarks/bench_scale.py [--only NAME]

Each case runs whole ``sphinx-build`` processes (so peak memory is the build's
own) against feeds this script writes and serves from 127.0.0.1, and prints
each figure as a ratio against a baseline measured in the same run:

* ``big``: a 9 MB feed showing 10 items, against a 20 KB feed (cold build and
  no-op rebuild: time and peak RSS).
* ``slow``: 16 and 64 feeds behind a server that answers after 300 ms, against
  the network floor ``N / feed_concurrency × latency`` (the time added over the
  same pages without feeds; cold builds, best of 3).
* ``pages``: 1000 pages of which 10 show a feed, against the same project
  without the extension.
* ``search``: 100 pages showing a feed file, with the feed text in Sphinx's
  search index (``feed_searchable = True``) against the default, which keeps
  it out (the time each adds over the same pages without the directive).
* ``hosts``, ``slow16``, ``merge``, ``noop``: issue 20, see ``faster_cases.py``.
* ``import``: a build of a project that names the extension but uses no
  directive, against the same project without it; and whether the HTTP stack
  was imported.

Builds run with the bytecode cache on, as installed packages have it, whatever
``PYTHONDONTWRITEBYTECODE`` says (compiling requests-cache alone takes 0.5 s)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

LATENCY = 0.3
#: The builds' environment: this one, with the bytecode cache on (see above).
BYTECODE_ON = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
#: Run inside the child: build, then report time, peak RSS and HTTP modules loaded.
CHILD = """
import json, resource, sys, time
from sphinx.cmd.build import build_main
start = time.perf_counter()
status = build_main(sys.argv[1:])
seconds = time.perf_counter() - start
http = sorted(m for m in ("requests", "requests_cache", "redis") if m in sys.modules)
print(json.dumps({"status": status, "seconds": seconds,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "http": http}))
"""


def rss_item(n: int, body_words: int) -> str:
    when = format_datetime(datetime(2026, 1, 1, tzinfo=UTC) - timedelta(hours=n))
    words = " ".join(f"word{(n * 7 + i) % 997}" for i in range(body_words))
    body = (
        f"&lt;p&gt;Item {n}: &lt;b&gt;{words}&lt;/b&gt; "
        f"&lt;a href='/p/{n}'&gt;more&lt;/a&gt;&lt;/p&gt;"
    )
    return (
        f"<item><title>Item {n}</title><link>https://example.org/p/{n}</link>"
        f"<guid>https://example.org/p/{n}</guid><pubDate>{when}</pubDate>"
        f"<category>cat{n % 5}</category><description>{body}</description></item>\n"
    )


def rss_feed(target_bytes: int, body_words: int = 60) -> bytes:
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Bench</title><link>https://example.org/</link><description>d</description>\n"
    )
    items, size, n = [], len(head), 0
    while size < target_bytes - 100:
        item = rss_item(n, body_words)
        items.append(item)
        size += len(item)
        n += 1
    return (head + "".join(items) + "</channel></rss>\n").encode()


class QuietHandler(SimpleHTTPRequestHandler):
    delay = 0.0

    def do_GET(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path, delay: float = 0.0) -> tuple[ThreadingHTTPServer, str]:
    class Handler(QuietHandler):
        pass

    Handler.delay = delay
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def project(src: Path, pages: dict[str, str], extensions: list[str], extra: str = "") -> None:
    src.mkdir(parents=True, exist_ok=True)
    conf = f"extensions = {extensions!r}\nproject = 'bench'\n{extra}"
    (src / "conf.py").write_text(conf)
    toctree = "\n".join(f"   {name}" for name in pages)
    (src / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toctree}\n")
    for name, body in pages.items():
        (src / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\n{body}\n")


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mib: float
    http: list[str]


def build(src: Path, out: Path, *extra: str) -> Run:
    command = [sys.executable, "-c", CHILD, "-q", "-b", "html", *extra, str(src), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=BYTECODE_ON)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"build of {src} failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1])
    if result["status"] != 0:
        raise SystemExit(f"build of {src} exited {result['status']}:\n{done.stderr}")
    return Run(float(result["seconds"]), float(result["rss_mib"]), list(result["http"]))


def row(name: str, value: float, baseline: float, unit: str) -> None:
    print(f"  {name:<58} {value:8.3f} {unit:<4} {value / baseline:6.3f}x the baseline")


def case_big(root: Path, repeat: int = 3) -> None:
    served = root / "served"
    served.mkdir()
    (served / "small.xml").write_bytes(rss_feed(20 * 1024))
    (served / "big.xml").write_bytes(rss_feed(9 * 1024 * 1024))
    server, base = serve(served)
    results = {}
    for name in ("small", "big"):
        src = root / name
        project(
            src, {"news": f".. feed:: {base}/{name}.xml\n   :limit: 10\n"}, ["sphinxcontrib_feed"]
        )
        runs = []
        for n in range(repeat):  # a fresh output (cold), then the same again (no-op)
            out = root / f"out-{name}-{n}"
            runs.append((build(src, out), build(src, out)))
        results[name] = tuple(
            Run(
                seconds=min(run[index].seconds for run in runs),
                rss_mib=min(run[index].rss_mib for run in runs),
                http=runs[0][index].http,
            )
            for index in (0, 1)
        )
    server.shutdown()
    print(f"a 9 MB feed against a 20 KB feed, 10 items shown, best of {repeat}")
    for index, label in ((0, "cold"), (1, "no-op rebuild")):
        small, big = results["small"][index], results["big"][index]
        for what, unit, small_value, big_value in (
            ("time", "s", small.seconds, big.seconds),
            ("peak RSS", "MiB", small.rss_mib, big.rss_mib),
        ):
            row(f"{label}: {what}, 20 KB feed (baseline)", small_value, small_value, unit)
            row(f"{label}: {what}, 9 MB feed", big_value, small_value, unit)


def case_slow(root: Path, repeat: int = 3) -> None:
    for count, concurrency in ((16, 8), (16, 16), (64, 8)):
        slow_feeds(root / f"slow-{count}-{concurrency}", count, concurrency, repeat)


def slow_feeds(root: Path, count: int, concurrency: int, repeat: int) -> None:
    served = root / "served"
    served.mkdir(parents=True)
    feed = rss_feed(20 * 1024)
    for n in range(count):
        (served / f"feed-{n}.xml").write_bytes(feed)
    server, base = serve(served, delay=LATENCY)
    pages = {f"page-{n}": f".. feed:: {base}/feed-{n}.xml\n   :limit: 5\n" for n in range(count)}
    plain = {f"page-{n}": "No feed here.\n" for n in range(count)}
    project(root / "plain", plain, ["sphinxcontrib_feed"])
    project(root / "slow", pages, ["sphinxcontrib_feed"], f"feed_concurrency = {concurrency}\n")
    # cold builds, each into a new output folder; best of *repeat*
    without = min(build(root / "plain", root / f"out-plain-{n}").seconds for n in range(repeat))
    with_feeds = min(build(root / "slow", root / f"out-slow-{n}").seconds for n in range(repeat))
    server.shutdown()
    floor = count / concurrency * LATENCY
    print(f"{count} feeds behind {LATENCY * 1000:.0f} ms, feed_concurrency = {concurrency}, "
          f"cold, best of {repeat}")  # fmt: skip
    row("network floor N / concurrency × latency (baseline)", floor, floor, "s")
    row("time the feeds add to the build", with_feeds - without, floor, "s")
    row("  of which above the floor", with_feeds - without - floor, floor, "s")


def case_pages(root: Path, count: int = 1000, with_feed: int = 10) -> None:
    feeds = root / "src-feed" / "_feeds"
    feeds.mkdir(parents=True)
    (feeds / "news.xml").write_bytes(rss_feed(20 * 1024))
    body = "Some text about the project, repeated. " * 20
    pages = {
        f"page-{n}": body + ("\n\n.. feed:: /_feeds/news.xml\n" if n < with_feed else "")
        for n in range(count)
    }
    bare = {name: body for name in pages}
    project(root / "src-bare", bare, [])
    project(root / "src-feed", pages, ["sphinxcontrib_feed"])
    print(f"{count} pages, {with_feed} of them with a feed (a file)")
    bare_cold = build(root / "src-bare", root / "out-bare").seconds
    feed_cold = build(root / "src-feed", root / "out-feed").seconds
    bare_noop = build(root / "src-bare", root / "out-bare").seconds
    feed_noop = build(root / "src-feed", root / "out-feed").seconds
    row("cold, without the extension (baseline)", bare_cold, bare_cold, "s")
    row("cold, with the extension", feed_cold, bare_cold, "s")
    row("no-op rebuild, without the extension (baseline)", bare_noop, bare_noop, "s")
    row("no-op rebuild, with the extension", feed_noop, bare_noop, "s")


def case_search(root: Path, count: int = 100, repeat: int = 3) -> None:
    feeds = root / "_feeds"
    feeds.mkdir()
    (feeds / "news.xml").write_bytes(rss_feed(20 * 1024))
    body = "Some text about the project, repeated. " * 20
    shown = {f"page-{n}": body + "\n\n.. feed:: /_feeds/news.xml\n" for n in range(count)}
    for name, pages, extra in (
        ("bare", {name: body for name in shown}, ""),
        ("kept-out", shown, ""),
        ("searchable", shown, "feed_searchable = True\n"),
    ):
        project(root / name, pages, ["sphinxcontrib_feed"], extra)
        shutil.copytree(feeds, root / name / "_feeds")
    times = {
        name: min(build(root / name, root / f"out-{name}-{n}").seconds for n in range(repeat))
        for name in ("bare", "kept-out", "searchable")
    }
    bare = times["bare"]
    added = {name: times[name] - bare for name in ("kept-out", "searchable")}
    print(f"{count} pages with a feed of 10 items (a file), cold, best of {repeat}")
    row("time the feeds add, feed text in the search index (baseline)",
        added["searchable"], added["searchable"], "s")  # fmt: skip
    row("time the feeds add, kept out of the index (the default)",
        added["kept-out"], added["searchable"], "s")  # fmt: skip


def case_import(root: Path) -> None:
    project(root / "without", {"page": "Text."}, [])
    project(root / "with", {"page": "Text."}, ["sphinxcontrib_feed"])
    feeds = root / "files" / "_feeds"
    feeds.mkdir(parents=True)
    (feeds / "news.xml").write_bytes(rss_feed(20 * 1024))
    project(root / "files", {"page": ".. feed:: /_feeds/news.xml\n"}, ["sphinxcontrib_feed"])
    best = {}
    for name in ("without", "with", "files"):
        runs = [build(root / name, root / f"out-{name}-{n}") for n in range(3)]
        best[name] = min(runs, key=lambda run: run.seconds)
    base = best["without"].seconds
    print("import cost: a one-page cold build, best of 3")
    row("without the extension (baseline)", base, base, "s")
    row("with the extension, no directive", best["with"].seconds, base, "s")
    row("with a feed file only", best["files"].seconds, base, "s")
    # Sphinx's own linkcheck builder imports requests in every build
    extra = sorted(set(best["files"].http) - set(best["without"].http))
    print(f"  HTTP modules loaded without the extension (Sphinx's own): {best['without'].http}")
    print(f"  HTTP modules the feed-file build adds: {extra or 'none'}")


def _faster_cases() -> dict[str, object]:
    import faster_cases  # issue 20: hosts, 16 slow feeds, merge, no-op

    return {"hosts": faster_cases.case_hosts, "slow16": faster_cases.case_slow16,
            "merge": faster_cases.case_merge, "noop": faster_cases.case_noop}  # fmt: skip


CASES: dict[str, Callable[[Path], None]] = {
    "big": case_big,
    "slow": case_slow,
    "pages": case_pages,
    "search": case_search,
    "import": case_import,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    CASES.update(_faster_cases())  # type: ignore[arg-type]
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    args = parser.parse_args()
    for name in args.only or list(CASES):
        with tempfile.TemporaryDirectory() as tmp:
            CASES[name](Path(tmp))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
