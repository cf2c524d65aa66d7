"""Parsing cost: feedparser as it ships vs. our pipeline, on the shared real-world corpus.

    python benchmarks/bench_parse.py [--repeat N]

Prints times and ratios against the baseline (feedparser with its own sanitizer
and URI resolver, the default), measured in the same run on the same files.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import feedparser

from sphinxcontrib_feed.parse import parse_feed

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "realworld"


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(p for p in CORPUS.glob("*") if p.suffix in {".xml", ".rss", ".atom"})
    if not files:
        print(f"no corpus at {CORPUS}; nothing to measure")
        return 0
    documents = [(path.name, path.read_bytes()) for path in files]
    url = "https://example.org/feed"

    def baseline() -> None:
        for _, content in documents:
            feedparser.parse(content, response_headers={"content-location": url})

    def bare_feedparser() -> None:
        for _, content in documents:
            feedparser.parse(content, response_headers={"content-location": url},
                             sanitize_html=False, resolve_relative_uris=False)  # fmt: skip

    def ours() -> None:
        for _, content in documents:
            parse_feed(content, url)

    parsed = [parse_feed(content, url)[0] for _, content in documents]
    pickles = [pickle.dumps(feed) for feed in parsed]

    def cached() -> None:
        for blob in pickles:
            pickle.loads(blob)

    base = best_of(args.repeat, baseline)
    rows = [
        ("feedparser, defaults (baseline)", base),
        ("feedparser, sanitizer + resolver off", best_of(args.repeat, bare_feedparser)),
        ("sphinxcontrib-feed parse_feed (nh3, URL checks)", best_of(args.repeat, ours)),
        ("parsed-feed cache hit (unpickle)", best_of(args.repeat, cached)),
    ]
    size = sum(len(content) for _, content in documents)
    print(f"{len(documents)} feeds, {size / 1024:.0f} KiB, best of {args.repeat}")
    for name, seconds in rows:
        print(f"  {name:<50} {seconds * 1000:8.1f} ms  {base / seconds:6.1f}x faster than baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
