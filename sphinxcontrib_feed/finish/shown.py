"""Finish only what is shown: sanitize the items a page can show, never the rest.

The parsers make a cheap index of every item (:mod:`.parse`, :mod:`.jsonfeed`):
identity, title, link, dates, categories, author, media, and the summary as
the feed gave it. Sanitizing that summary, the double-escape repair, the
first-image fallback and the plain text are the costly part, so they run
here, for the items the directives select (:func:`shown_feed`). The parsed
cache keeps the index; the environment keeps only the finished items.

Which items a source must keep: for each directive showing it alone, the
items that directive selects from it (order and limit included), and the
whole source (every item, finished) for a directive that merges it with
others, since which of its items such a directive shows depends on the
other sources' items too. ``:since:`` drops ``:limit:`` from what is kept:
as time passes, items age out and others move up into the limit.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sphinxcontrib_feed.finish.pictures import (
    first_picture,
    repeated_media,
    repeated_pictures,
    sources_in,
    unwanted_in,
)
from sphinxcontrib_feed.finish.sanitize import clean_html, safe_url, unescape_double_escaped
from sphinxcontrib_feed.finish.select import Selection, select_entries
from sphinxcontrib_feed.text import html_to_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinxcontrib_feed.model import Entry, Feed


@dataclass(frozen=True, slots=True)
class Need:
    """What one directive asks of one of its sources."""

    selection: Selection
    #: The directive merges this source with others.
    merged: bool = False


def finish(
    entry: Entry, repeated: frozenset[str] = frozenset(), furniture: frozenset[str] = frozenset()
) -> Entry:
    """*entry* with its summary sanitized, its plain text and its image fallback:
    the first real picture of the text (:mod:`.pictures`), none of *repeated*;
    its own picture dropped when it is the feed's *furniture* (:func:`.repeated_media`)."""
    image = None if entry.image in furniture else entry.image
    if not entry.raw_summary:
        return entry if image == entry.image else replace(entry, image=image)
    if entry.raw_type == "text":
        summary_html = clean_html(html.escape(entry.raw_summary))
    else:
        raw = unescape_double_escaped(entry.raw_summary)
        summary_html = clean_html(raw, entry.summary_base)
        if image is None:
            written = unwanted_in(raw) | (repeated & sources_in(raw))
            unwanted = {safe_url(source, entry.summary_base) or "" for source in written}
            image = first_picture(summary_html, unwanted)
    return replace(
        entry,
        summary_html=summary_html,
        summary_text=entry.summary_text or html_to_text(summary_html),
        image=image,
        raw_summary="",
        raw_type="html",
        summary_base=None,
    )


def finish_feed(feed: Feed) -> Feed:
    """*feed* with every item finished (for tools that show a whole feed)."""
    repeated, furniture = repeated_pictures(feed.entries), repeated_media(feed.entries)
    entries = tuple(finish(entry, repeated, furniture) for entry in feed.entries)
    return replace(feed, entries=entries)


def shown_feed(index: Feed, needs: Iterable[Need]) -> Feed:
    """*index* cut to the items *needs* can show, finished, in the feed's order."""
    cache: dict[int, Entry] = {}
    repeated, furniture = repeated_pictures(index.entries), repeated_media(index.entries)

    def finished(entry: Entry) -> Entry:
        done = cache.get(id(entry))
        if done is None:
            done = cache[id(entry)] = finish(entry, repeated, furniture)
        return done

    keep: set[int] = set()
    count = len(index.entries) if index.item_count is None else index.item_count
    for need in needs:
        if need.merged:
            entries = tuple(finished(entry) for entry in index.entries)
            return replace(index, entries=entries, item_count=count)
        selection = need.selection
        if selection.since is not None:
            selection = replace(selection, limit=0)
        keep.update(id(entry) for entry in select_entries(index.entries, selection, finished))
    entries = tuple(finished(entry) for entry in index.entries if id(entry) in keep)
    return replace(index, entries=entries, item_count=count)
