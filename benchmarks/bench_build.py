"""Whole builds: what a rebuild costs when feeds did not change.

    python benchmarks/bench_build.py [--feeds N]

Serves N feeds (the shared real-world corpus, repeated) from a local HTTP
server, builds a project whose pages embed them, then rebuilds it the ways
CI and authors do. Prints each build's time, its requests, and its ratio
to the cold build (the baseline) measured in the same run.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sphinx.cmd.build import build_main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "realworld"


class CountingHandler(SimpleHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:
        CountingHandler.requests += 1
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=24)
    args = parser.parse_args()
    corpus = sorted(p for p in CORPUS.glob("*") if p.suffix in {".xml", ".rss", ".atom", ".json"})
    if not corpus:
        print(f"no corpus at {CORPUS}; nothing to measure")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        served, src = root / "served", root / "src"
        served.mkdir()
        src.mkdir()
        for n in range(args.feeds):
            source = corpus[n % len(corpus)]
            (served / f"feed-{n}{source.suffix}").write_bytes(source.read_bytes())
        handler = lambda *a, **k: CountingHandler(*a, directory=str(served), **k)  # noqa: E731
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        (src / "conf.py").write_text('extensions = ["sphinxcontrib_feed"]\nproject = "bench"\n')
        pages = []
        for n, path in enumerate(sorted(served.iterdir())):
            pages.append(f"page-{n}")
            (src / f"page-{n}.rst").write_text(
                f"Page {n}\n=======\n\n.. feed:: {base}/{path.name}\n"
            )
        toctree = "\n".join(f"   {page}" for page in pages)
        (src / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toctree}\n")
        out = root / "out"

        def build(*extra: str) -> tuple[float, int]:
            before = CountingHandler.requests
            start = time.perf_counter()
            with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                status = build_main(["-q", "-b", "html", *extra, str(src), str(out)])
            assert status == 0, "build failed"
            return time.perf_counter() - start, CountingHandler.requests - before

        rows = [("cold: empty cache, fetch and parse all (baseline)", build())]
        rows.append(("rebuild, nothing changed, lifetime not expired", build()))
        rows.append(("rebuild -E (fresh environment, warm caches)", build("-E")))
        rows.append(("rebuild after expiry: conditional requests", build("-D", "feed_expire=0")))
        server.shutdown()
    baseline = rows[0][1][0]
    print(f"{args.feeds} feeds on {args.feeds} pages")
    for name, (seconds, requests) in rows:
        ratio = baseline / seconds
        print(f"  {name:<52} {seconds:6.2f} s  {requests:3d} requests  {ratio:5.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
