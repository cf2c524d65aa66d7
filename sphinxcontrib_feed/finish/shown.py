"""Finish only what is shown: sanitize the items a page can show, never the rest.

The parsers make a cheap index of every item (:mod:`.parse`, :mod:`.jsonfeed`):
identity, title, link, dates, categories, author, media, and the summary as
the feed gave it. Sanitizing that summary, the double-escape repair, the
first-image fallback and the plain text are the costly part, so they run
here, for the items the directives select (:func:`shown_feed`). The parsed
cache keeps the index; the environment keeps only the finished items.

Which items a source must keep: for each directive showing it alone, the
items that directive selects from it (order and limit included); for a
directive that merges it with others, its items among those the directive
selects from all of them, merged (:func:`.select.merge_sources`) over the
sources' indexes (:func:`shown_feeds`), so a merge of 200 feeds finishes the
10 items it shows, not 10,000. ``:since:`` drops ``:limit:`` from what is
kept: as time passes, items age out and others move up into the limit.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from sphinxcontrib_feed.finish.need import Need  # noqa: TC001 - Need importable here
from sphinxcontrib_feed.finish.pictures import (
    first_picture,
    repeated_media,
    repeated_pictures,
    sources_in,
    unwanted_in,
)
from sphinxcontrib_feed.finish.sanitize import clean_html, safe_url, unescape_double_escaped
from sphinxcontrib_feed.finish.select import merge_sources, select_entries
from sphinxcontrib_feed.text import html_to_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from sphinxcontrib_feed.finish.selection import Selection
    from sphinxcontrib_feed.model import Entry, Feed


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
    """*index* cut to the items *needs* can show, finished, in the feed's order.

    A merging need selects over *index* alone here; :func:`shown_feeds` has the
    other sources.
    """
    return shown_feeds({"": index}, {"": frozenset(needs)}, [""])[""]


def shown_feeds(
    indexes: Mapping[str, Feed], needs: Mapping[str, Iterable[Need]], keys: Iterable[str]
) -> dict[str, Feed]:
    """Each of *keys*' index cut to the items its *needs* can show, finished.

    *indexes* holds every source at hand (at least those of *keys*, and the
    others a merging need names, when they have a copy): a merged
    selection is made over all of its sources' items, each source keeping
    those of its own that it shows. Only the items selected are finished
    (the text filters finish items only until ``:limit:`` pass).
    """
    cache: dict[int, Entry] = {}
    # what each item's own feed repeats (its pictures that are the feed's furniture),
    # worked out only for the feeds an item is finished from
    owner: dict[int, Feed] = {}
    for index in indexes.values():
        owner.update(dict.fromkeys(map(id, index.entries), index))
    furniture_of: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def furniture(entry: Entry) -> tuple[frozenset[str], frozenset[str]]:
        index = owner.get(id(entry))
        if index is None:
            return frozenset(), frozenset()
        if (found := furniture_of.get(id(index))) is None:
            found = (repeated_pictures(index.entries), repeated_media(index.entries))
            furniture_of[id(index)] = found
        return found

    def finished(entry: Entry) -> Entry:
        done = cache.get(id(entry))
        if done is None:
            done = cache[id(entry)] = finish(entry, *furniture(entry))
        return done

    keys = list(keys)
    keep: set[int] = set()
    merges: set[tuple[tuple[str, ...], Selection]] = set()
    for key in keys:
        for need in needs.get(key, ()):
            if need.merged:
                merges.add((need.merged, _kept(need.selection)))
                continue
            selected = select_entries(indexes[key].entries, _kept(need.selection), finished)
            keep.update(id(entry) for entry in selected)
    for group, selection in sorted(merges, key=repr):
        present = [indexes[key].entries for key in group if key in indexes]
        selected = select_entries(merge_sources(present), selection, finished)
        keep.update(id(entry) for entry in selected)
    return {key: _cut(indexes[key], keep, finished) for key in keys}


def _kept(selection: Selection) -> Selection:
    """What is kept for *selection*: with ``:since:``, every item it may show later."""
    return selection if selection.since is None else replace(selection, limit=0)


def _cut(index: Feed, keep: set[int], finished: Callable[[Entry], Entry]) -> Feed:
    count = len(index.entries) if index.item_count is None else index.item_count
    entries = tuple(finished(entry) for entry in index.entries if id(entry) in keep)
    return replace(index, entries=entries, item_count=count)
