"""Where ``parse_index`` spends its time on many mid-sized RSS files, stage by stage.

    python benchmarks/bench_stages.py [--feeds N] [--repeat N] [FOLDER]

Without FOLDER, writes N feed files of 59 items (~47 KB each, the merged page
of ``bench_scale.py --only merge``) to a temporary folder first. Prints the
best of --repeat runs over all files for: reading them, lxml alone, the XML
step (``xmlsafe.safe_tree``), the fast RSS mapper (``document.fast_parse``),
the mapping to the model (``document._feed_from_feedparser``), the parsed
cache's pickling (``store.dump_index``) and key (``store.parse_key``), and the
whole ``parse_index``. Run ``python -m cProfile -s tottime`` on it for hot spots.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench_parse import best_of  # benchmarks/ is on the path when run as a script
from faster_cases import _merge_feed
from feedparser.util import FeedParserDict
from lxml import etree

from sphinxcontrib_feed.parse import document, xmlsafe
from sphinxcontrib_feed.parse.limits import PARSE_TIME_BUDGET, Deadline, DeadlineList, running
from sphinxcontrib_feed.refresh import store

if TYPE_CHECKING:
    from collections.abc import Callable

HEADERS = {"content-type": "application/xml; charset=utf-8"}


def measure(folder: Path, repeat: int) -> None:
    paths = sorted(folder.glob("*.xml"))
    files = [(path.read_bytes(), path.as_uri()) for path in paths]
    trees = [xmlsafe.safe_tree(content, url)[0] for content, url in files]

    def fast() -> list[Any]:
        with running(Deadline(PARSE_TIME_BUDGET)):
            return [document.fast_parse(tree, HEADERS) for tree in trees]

    parsed = fast()
    if any(result is None for result in parsed):
        print("note: the fast mapper declined some files; their mapping is not timed")

    def mapping() -> list[Any]:
        feeds = []
        for result, (_content, url) in zip(parsed, files, strict=True):
            if result is None:
                continue
            copy = FeedParserDict(result)  # parse_index wraps the entries; keep the original
            copy["entries"] = DeadlineList(result["entries"], Deadline(PARSE_TIME_BUDGET))
            feeds.append(document._feed_from_feedparser(copy, url))
        return feeds

    feeds = mapping()
    items = sum(len(feed.entries) for feed in feeds)
    size = sum(len(content) for content, _url in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {items} items; best of {repeat}")
    stages: list[tuple[str, Callable[[], object]]] = [
        ("reading the files", lambda: [path.read_bytes() for path in paths]),
        ("lxml.etree.fromstring alone", lambda: [etree.fromstring(c) for c, _ in files]),
        ("XML step (xmlsafe.safe_tree)", lambda: [xmlsafe.safe_tree(c, u) for c, u in files]),
        ("fast RSS mapper (document.fast_parse)", fast),
        ("mapping to the model", mapping),
        ("parsed cache: pickling (dump_index)", lambda: [store.dump_index(f) for f in feeds]),
        ("parsed cache: keys (parse_key)", lambda: [store.parse_key(c, u, "") for c, u in files]),
        ("parse_index, whole", lambda: [document.parse_index(c, u) for c, u in files]),
    ]
    for label, work in stages:
        print(f"  {label:44s} {best_of(repeat, work) * 1000:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, help="feed files (*.xml) to read")
    parser.add_argument("--feeds", type=int, default=200, help="files to write (no FOLDER)")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    if options.folder is not None:
        measure(options.folder, options.repeat)
        return 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for number in range(options.feeds):
            (folder / f"f{number}.xml").write_bytes(_merge_feed(number))
        measure(folder, options.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
