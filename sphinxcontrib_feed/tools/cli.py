"""``python -m sphinxcontrib_feed`` (or ``sphinx-feed``): a feed, or the cache, outside a build.

``show`` runs a source through the same code a build uses (the fetcher, the
parser, the sanitizer, the item selection), so what it prints is what the
directive would show. Every failure is one line on stderr and exit status 1:
a writer checking a URL wants the reason, not a traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import textwrap
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sphinxcontrib_feed._version import __version__
from sphinxcontrib_feed.errors import CommandError
from sphinxcontrib_feed.settings.config import CONFIG_VALUES
from sphinxcontrib_feed.text import printable, shorten

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from sphinxcontrib_feed.fetch.fetcher import Fetched
    from sphinxcontrib_feed.model import Entry, Feed
    from sphinxcontrib_feed.settings.resolved import Settings
    from sphinxcontrib_feed.tools.cachetool import CacheLocation

PROGRAM = "sphinx-feed"
_WEB = re.compile(r"^https?://", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+:")


def settings(**overrides: Any) -> Settings:
    """The build's settings from the ``feed_*`` defaults and *overrides*, checked alike."""
    from sphinxcontrib_feed.settings.resolved import build_settings

    values: dict[str, Any] = {name: default for name, default, *_ in CONFIG_VALUES}
    # Sphinx's own network settings (its defaults), which the fetcher honours
    values.update(tls_verify=True, tls_cacerts=None, user_agent=None)
    values.update(overrides)
    return build_settings(SimpleNamespace(**values), lambda *_: None)[0]  # type: ignore[arg-type]


def fetch_source(source: str, timeout: float) -> Fetched:
    """*source* (an http(s) URL or a file) as the build would fetch it, uncached."""
    from sphinxcontrib_feed.errors import FetchError
    from sphinxcontrib_feed.fetch.fetcher import Fetcher
    from sphinxcontrib_feed.fetch.pool import FetchPool

    config = settings(feed_timeout=timeout)
    here = Path.cwd()
    with Fetcher(config, here, confined=False) as fetcher:
        if _WEB.match(source):
            with FetchPool(fetcher, 1) as pool:  # this thread watches the deadline
                pool.submit(source, {})
                return next(pool.completed()).result()
        if _SCHEME.match(source) and not Path(source).exists():
            raise FetchError(f"unsupported source {source!r}: only http(s) URLs and files")
        return fetcher.read_file(source)


def _naming(source: str, what: str, error: Exception) -> str:
    """``what source: error``, or only the error where it names the source already."""
    text = str(error)
    return text if source in text else f"{what} {source}: {text}"


def scheme_hint(source: str) -> str | None:
    """For a source that is no file but looks like a web address without its scheme
    (``127.0.0.1:8765/feed.xml``, ``blog.example.org/feed``): the directive's hint."""
    from sphinxcontrib_feed.settings.typos import looks_like_web_address

    if _WEB.match(source) or Path(source).exists() or not looks_like_web_address(source):
        return None
    return f"if it is a web address, write {'https://' + source.removeprefix('//')!r}"


def show(args: argparse.Namespace) -> int:
    # imported here, so that --help does not wait for the HTTP and parsing stacks
    from sphinxcontrib_feed.errors import FetchError
    from sphinxcontrib_feed.finish.select import select_entries
    from sphinxcontrib_feed.finish.selection import Selection
    from sphinxcontrib_feed.finish.shown import finish
    from sphinxcontrib_feed.model import FeedParseError
    from sphinxcontrib_feed.parse.document import parse_index

    try:
        fetched = fetch_source(args.source, args.timeout)
        feed, _note = parse_index(fetched.content, fetched.url, fetched.content_type)
    except FetchError as error:
        message = _naming(args.source, "cannot fetch", error)
        if (hint := scheme_hint(args.source)) is not None:
            message += f"; {hint}"
        raise CommandError(message) from None
    except FeedParseError as error:
        message = _naming(args.source, "cannot read", error)
        alternates = [a for a in getattr(error, "alternates", ()) if a not in str(error)]
        if alternates:  # an HTML page naming feeds the error does not name yet
            message += f" (the page also names: {', '.join(alternates)})"
        raise CommandError(message) from None
    # as a build does: only the items shown are sanitized
    entries = [finish(e) for e in select_entries(feed.entries, Selection(limit=args.limit))]
    if args.json:
        print(json.dumps(feed_as_json(args.source, feed, entries), ensure_ascii=False, indent=2))
    else:
        print(printable(feed_as_text(feed, entries, args.summary_length), lines=True))
    return 0


def feed_as_json(source: str, feed: Feed, entries: list[Entry]) -> dict[str, Any]:
    return {
        "source": source,
        "title": feed.title,
        "link": feed.link,
        "items": [
            {
                "title": entry.title,
                "link": entry.link,
                "date": _iso(entry.date),
                "author": entry.author,
                "summary": entry.summary_text,
                "summary_html": entry.summary_html,
                "image": entry.image,
                "categories": list(entry.categories),
            }
            for entry in entries
        ],
    }


def feed_as_text(feed: Feed, entries: list[Entry], summary_length: int | None) -> str:
    """The items as text; summaries cut to *summary_length* characters (0: whole,
    None: none)."""
    heading = " — ".join(part for part in (feed.title, feed.link) if part) or "(untitled feed)"
    shown = f"{len(entries)} of {len(feed.entries)} items"
    lines = [heading, shown, ""]
    for number, entry in enumerate(entries, 1):
        lines.append(f"{number}. {entry.title or '(untitled)'}")
        facts = [entry.date.strftime("%Y-%m-%d %H:%M UTC") if entry.date else "", entry.link or ""]
        if entry.author:
            facts.append(entry.author)
        if any(facts):
            lines.append("   " + " · ".join(fact for fact in facts if fact))
        if entry.categories:
            lines.append("   [" + ", ".join(entry.categories) + "]")
        if entry.summary_text and summary_length is not None:
            # as the directive cuts it (0: the whole summary)
            excerpt = shorten(" ".join(entry.summary_text.split()), summary_length)
            lines.extend(textwrap.wrap(excerpt, 76, initial_indent="   ", subsequent_indent="   "))
        lines.append("")
    if not entries:
        lines.append("No items.")
    return "\n".join(lines).rstrip() + "\n"


def _iso(date: datetime | None) -> str | None:
    return date.isoformat().replace("+00:00", "Z") if date is not None else None


def cache(args: argparse.Namespace) -> int:
    from sphinxcontrib_feed.tools.cachetool import clear_cache, describe_cache, locate_cache
    from sphinxcontrib_feed.tools.snapshottool import list_snapshots, prune_snapshots

    location = locate_cache(Path(args.directory))
    actions: dict[str, Callable[[CacheLocation], list[str]]] = {
        "info": describe_cache, "clear": partial(clear_cache, dry_run=args.dry_run),
        "snapshots": list_snapshots, "prune-snapshots": prune_snapshots,
    }  # fmt: skip
    lines = actions[args.action](location)
    print(printable("\n".join(lines), lines=True))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Look at a feed as the feed directive would show it, or at the feed cache.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    show_parser = commands.add_parser(
        "show",
        help="fetch and parse a feed, and list its items",
        description="Fetch SOURCE (no cache), parse and sanitize it as a build would, "
        "and list its newest items.",
    )
    show_parser.add_argument("source", metavar="SOURCE", help="an http(s) URL or a feed file")
    show_parser.add_argument(
        "--limit", type=_count, default=10, metavar="N", help="at most N items, 0 for all (10)"
    )
    show_parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    default_length = next(value for name, value, *_ in CONFIG_VALUES
                          if name == "feed_summary_length")  # fmt: skip
    show_parser.add_argument(
        "--summary-length", type=_count, default=default_length, metavar="N",
        help="cut summaries to N characters at a word boundary, 0 for the whole summary, "
        f"as the directive's :summary-length: ({default_length})",
    )  # fmt: skip
    show_parser.add_argument(
        "--no-summary", dest="summary_length", action="store_const", const=None,
        help="leave summaries out",
    )  # fmt: skip
    show_parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS",
        help="connect and read timeout, as feed_timeout (10)",
    )  # fmt: skip
    show_parser.set_defaults(run=show)

    cache_parser = commands.add_parser(
        "cache",
        help="where the feed cache is and what it holds (info), or empty it (clear)",
        description="DIRECTORY is a source directory (with conf.py; its feed_cache_path and "
        "feed_cache_backend are read, and the cache is looked for under _build/doctrees) "
        "or a doctree directory. Default: the current directory.",
    )
    cache_parser.add_argument(
        "action", choices=("info", "clear", "snapshots", "prune-snapshots"),
        help="show, or remove, it; list the snapshots (feed_snapshot_dir), or remove "
        "those the last build did not use",
    )  # fmt: skip
    cache_parser.add_argument(
        "--dry-run", action="store_true", help="clear: say what would be removed, remove nothing"
    )
    cache_parser.add_argument(
        "directory", nargs="?", default=".", metavar="DIRECTORY",
        help="a source directory with conf.py, or a doctree directory",
    )  # fmt: skip
    cache_parser.set_defaults(run=cache)
    return parser


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # feeds hold any character; a console may not
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        return int(args.run(args))
    except CommandError as error:
        print(f"{PROGRAM}: {printable(str(error))}", file=sys.stderr)  # it may quote a server
    except KeyboardInterrupt:
        print(f"{PROGRAM}: interrupted", file=sys.stderr)
    except BrokenPipeError:  # `sphinx-feed show URL | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except Exception as error:  # one line, never a traceback
        print(f"{PROGRAM}: {type(error).__name__}: {printable(str(error))}", file=sys.stderr)
    return 1
