"""Why documents leave the fast path: the reason each fast mapper declines each file.

Runs the fast mapper of each XML file (default: the real-world corpus) and,
where it declines, reports where (module:line) and on which element, from
the :class:`~sphinxcontrib_feed.parse.gate.Decline` traceback; no code of
the package is changed. ``python benchmarks/why_declined.py [FILE_OR_FOLDER...]``
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse import fastatom, fastmap, gate
from sphinxcontrib_feed.parse.document import _ATOM_FEED
from sphinxcontrib_feed.parse.xmlsafe import safe_tree

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "realworld"
HEADERS = {"content-type": "application/xml; charset=utf-8"}


def _short(tag: object) -> str:
    text = str(tag)
    for uri, prefix in (
        ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes:"),
        ("http://search.yahoo.com/mrss/", "media:"),
        ("http://purl.org/dc/elements/1.1/", "dc:"),
        ("http://www.w3.org/2005/Atom", "atom:"),
        ("http://purl.org/rss/1.0/modules/content/", "content:"),
        ("https://podcastindex.org/namespace/1.0", "podcast:"),
        ("http://www.google.com/schemas/play-podcasts/1.0", "googleplay:"),
    ):
        text = text.replace("{" + uri + "}", prefix)
    return text


def reason(path: Path) -> str:
    """ "accepted", or why the fast path declines *path*."""
    try:
        root, problem = safe_tree(path.read_bytes(), "https://example.org/feed", "")
    except FeedParseError as error:  # not XML, a web page: neither path reads it
        return f"not a feed ({error})"
    repaired = "" if problem is None else f" (ill-formed, libxml2 repaired it: {problem[:60]})"
    return _reason(root) + repaired


def _reason(root: Any) -> str:
    atom = root.tag == _ATOM_FEED
    if not atom and root.tag != "rss":
        return f"root element {_short(root.tag)}"
    try:
        if atom:
            result = fastatom._AtomMapper(HEADERS).feed(root)
            gate.with_language(result, root, atom=True)
        else:
            gate.with_language(fastmap._Mapper(HEADERS).rss(root), root)
    except gate.Decline:
        frames = traceback.extract_tb(sys.exc_info()[2])
        frame = next(f for f in reversed(frames) if "gate.py" not in f.filename or f is frames[0])
        where = f"{Path(frame.filename).stem}:{frame.lineno} ({frame.name})"
        tb = sys.exc_info()[2]
        element = None
        while tb is not None:  # the innermost frame with an element in hand
            names = tb.tb_frame.f_locals
            for key in ("part", "element", "child"):
                if hasattr(names.get(key), "tag"):
                    element = names[key]
            tb = tb.tb_next
        what = _short(element.tag) if element is not None else "?"
        attributes = sorted(_short(name) for name in element.attrib) if element is not None else []
        return f"{where}: <{what}> {' '.join(attributes)}".rstrip()
    return "accepted"


def main(arguments: list[str]) -> None:
    paths = [Path(argument) for argument in arguments] or [CORPUS]
    files = sorted(
        file
        for path in paths
        for file in ([path] if path.is_file() else path.rglob("*"))
        if file.is_file() and file.suffix not in {".txt", ".md", ".json"}
    )
    for file in files:
        print(f"{file.name}: {reason(file)}")


if __name__ == "__main__":
    main(sys.argv[1:])
