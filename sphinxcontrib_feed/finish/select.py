"""Which items a directive shows, and in what order.

Rules (also in the docs): items of merged sources that are the same post are
shown once, from the first source that lists it (:func:`merge_sources`);
duplicates within one source (same id, else same link, else same title and
date) are dropped, keeping the first seen; then the filters apply
(``:filter:`` and ``:exclude:`` search title, summary text and categories,
case-insensitively, with RE2 syntax; ``:category:`` keeps items with any of
the listed categories; ``:since:`` keeps dated items newer than the
duration); then items are ordered and cut to ``:limit:``.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.settings.config import MAX_DURATION
from sphinxcontrib_feed.settings.patterns import compile_pattern

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from sphinxcontrib_feed.model import Entry

#: A link :func:`normalise_link` can normalise without parsing it: an ``http(s)``
#: scheme, a host name without port or user, and a path without query or fragment.
_PLAIN_LINK = re.compile(
    r"(?i:https?)://([A-Za-z0-9.-]+)(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?", re.ASCII
)

#: The oldest cut-off ``:since:`` can ask for; longer durations keep every dated item.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)


def select_entries(
    entries: Iterable[Entry],
    selection: Selection | None = None,
    finished: Callable[[Entry], Entry] | None = None,
) -> list[Entry]:
    """The items *selection* shows, in order.

    The text filters run last, on items already in order, and only until
    ``:limit:`` items pass: their text may need *finished* (the item
    sanitized, see :mod:`.finish`), which is costly, so items past the
    limit are never finished. Filtering after ordering gives the same items
    as before it, since the sort is stable and each filter judges one item.
    """
    selection = selection or Selection()
    cutoff = None if selection.since is None else since_cutoff(selection.since)
    kept = [entry for entry in _unique(entries) if _wanted(entry, selection, cutoff)]
    if selection.sort == "date":
        dated = [entry for entry in kept if entry.date is not None]
        dated.sort(key=_timestamp, reverse=not selection.reverse)
        kept = dated + [entry for entry in kept if entry.date is None]
    elif selection.reverse:
        kept.reverse()
    if selection.filter or selection.exclude:
        matching = (entry for entry in kept if matches_text(entry, selection, finished))
        return list(islice(matching, selection.limit or None))
    return kept[: selection.limit] if selection.limit else kept


def matches_text(
    entry: Entry, selection: Selection, finished: Callable[[Entry], Entry] | None = None
) -> bool:
    """Whether *entry* passes ``:filter:`` and ``:exclude:`` (title, summary text, categories)."""
    if not (selection.filter or selection.exclude):
        return True
    summary = (finished(entry) if finished else entry).summary_text
    text = "\n".join(filter(None, [entry.title, summary, *entry.categories]))
    if selection.filter and not compile_pattern(selection.filter).search(text):
        return False
    return not (selection.exclude and compile_pattern(selection.exclude).search(text))


def _timestamp(entry: Entry) -> float:
    return entry.date.timestamp() if entry.date is not None else 0.0


def _unique(entries: Iterable[Entry]) -> list[Entry]:
    """*entries* without exact repeats: the same item listed twice.

    Not by id alone: publishers reuse guids (a CMS that gives every post of
    a day one guid), and every item a feed lists is shown. Posts that two
    merged sources share are found by :func:`merge_sources` instead.
    """
    seen: set[tuple[object, ...]] = set()
    unique = []
    for entry in entries:
        identity = (entry.id, entry.link, entry.title, entry.date)
        if identity not in seen:
            seen.add(identity)
            unique.append(entry)
    return unique


def merge_sources(sources: Iterable[Sequence[Entry]]) -> list[Entry]:
    """The items of several sources, each post once (from the first source listing it).

    Two items of different sources are the same post when they share an id,
    a normalised link (:func:`normalise_link`), or a title (case and spacing
    aside) and date. The Atom and JSON feeds of one site often give one post
    different ids and links (Daring Fireball's Atom links to the page a post
    discusses, its JSON feed to the post), but never a different title and
    time. A link that several items of one source share (a podcast whose
    items all link to its home page) is not an identity and is not compared.
    """
    merged: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for entries in sources:
        links = [normalise_link(entry.link) for entry in entries]
        counts = Counter(links)
        shared = {link for link, count in counts.items() if link and count > 1}
        keys_of_source: set[tuple[str, str]] = set()
        for entry, link in zip(entries, links, strict=True):
            keys = _identities(entry, None if link in shared else link)
            if keys & seen:
                continue
            keys_of_source |= keys
            merged.append(entry)
        seen |= keys_of_source  # items within one source are judged by :func:`_unique`
    return merged


def _identities(entry: Entry, link: str | None) -> set[tuple[str, str]]:
    keys = set()
    if entry.id:
        keys.add(("id", entry.id))
    if link:
        keys.add(("link", link))
    title = " ".join(entry.title.split()).casefold()
    if title and entry.date is not None:
        keys.add(("title", f"{title}\0{entry.date.isoformat()}"))
    return keys


def normalise_link(url: str | None) -> str | None:
    """*url* without what does not name another page.

    ``http`` and ``https`` are one; the host is lower-case, without ``www.``
    or a default port; the fragment, ``utm_*`` parameters and a trailing
    slash are dropped. Links of other schemes are compared as given.
    """
    if not url:
        return None
    plain = _PLAIN_LINK.fullmatch(url.strip())
    host = plain.group(1).lower().removeprefix("www.") if plain else ""
    if plain and host:  # most links: what :func:`_normalised` gives, 10x faster
        return f"http://{host}{(plain.group(2) or '').rstrip('/')}"
    return _normalised(url)


def _normalised(url: str) -> str:
    """:func:`normalise_link` of any *url*, by :func:`urllib.parse.urlsplit`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return url
    host = (parts.hostname or "").removeprefix("www.")
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith("utm_")]
    )  # fmt: skip
    return urlunsplit(("http", host, parts.path.rstrip("/"), query, ""))


def _wanted(entry: Entry, selection: Selection, cutoff: datetime | None) -> bool:
    """The cheap tests: categories and date (the text filters come last)."""
    if selection.categories:
        wanted = {c.casefold() for c in selection.categories}
        if not any(c.strip().casefold() in wanted for c in entry.categories):
            return False
    if cutoff is not None:
        return entry.date is not None and entry.date >= cutoff
    return True


def since_cutoff(seconds: float) -> datetime:
    """The oldest date ``:since: <seconds>`` keeps; any duration, however long, works.

    Durations are clamped to :data:`.config.MAX_DURATION` when read, so that
    longest one means "no limit", not "ten years".
    """
    now = build_time()
    if math.isnan(seconds) or seconds >= MAX_DURATION:
        return EARLIEST
    if seconds <= 0:
        return now
    try:
        return max(now - timedelta(seconds=seconds), EARLIEST)
    except OverflowError:
        return EARLIEST


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` for reproducible builds (as Sphinx itself does)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return datetime.fromtimestamp(float(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return datetime.now(UTC)
