"""Turn a feed document's bytes into the :mod:`~sphinxcontrib_feed.model`.

The body decides the format, not the Content-Type header (servers mislabel
feeds both ways): a body opening with ``{`` is JSON Feed, mapped by
:mod:`.jsonfeed` since released feedparser cannot read it; anything else is
XML, rewritten by :mod:`.xmlsafe` (no DTD, no entity expansion, bounded
shape; web pages recognised) and only then read by feedparser, with its own
sanitizer and URI resolver off (they are slow and let unsafe URLs through);
:mod:`.sanitize` does that work instead. :mod:`.limits` bounds the whole parse.
"""

from __future__ import annotations

import calendar
import codecs
import functools
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import feedparser
from sphinx.util import logging

from sphinxcontrib_feed.finish.sanitize import one_line, plain_text, safe_url, web_base
from sphinxcontrib_feed.finish.shown import finish_feed
from sphinxcontrib_feed.freshness import syndication_hint
from sphinxcontrib_feed.model import (
    EARLIEST_PLAUSIBLE_YEAR,
    Entry,
    Feed,
    FeedParseError,
    distinct,
    map_items,
    notes_of,
    plausible_date,
)
from sphinxcontrib_feed.parse import media
from sphinxcontrib_feed.parse.compressed import decompressed
from sphinxcontrib_feed.parse.doctype import entities_shown_as_written, entity_warning
from sphinxcontrib_feed.parse.jsonfeed import parse_json_feed
from sphinxcontrib_feed.parse.limits import (
    MAX_CATEGORIES,
    PARSE_TIME_BUDGET,
    Deadline,
    DeadlineList,
    running,
)
from sphinxcontrib_feed.parse.xmlsafe import safe_tree, serialized

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

_ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"

# How far into the document its first character is looked for.
_SNIFF_BYTES = 65536


def parse_feed(content: bytes, url: str, content_type: str = "") -> tuple[Feed, str | None]:
    """Parse *content* fetched from *url*, every item finished (for tools and tests)."""
    index, note = parse_index(content, url, content_type)
    return finish_feed(index), note


def parse_index(content: bytes, url: str, content_type: str = "") -> tuple[Feed, str | None]:
    """Parse *content* fetched from *url* into its index: items not yet finished.

    Every item is mapped cheaply; sanitizing a summary is left to
    :func:`.finish.finish`, for the items a page shows.

    Returns the feed and, for a feed that was read despite being ill-formed,
    a note on what was wrong with it (worth a verbose log line, not a warning:
    authors cannot fix other people's feeds); one whose DOCTYPE declares
    entities also gets a warning (:attr:`.Feed.warnings`). *content_type* is
    not trusted to tell the format; the body is sniffed instead.
    """
    deadline = Deadline(PARSE_TIME_BUDGET)
    with running(deadline):
        return _parse_index(content, url, content_type, deadline)


def _parse_index(
    content: bytes, url: str, content_type: str, deadline: Deadline
) -> tuple[Feed, str | None]:
    content = decompressed(content)  # a body that is itself a .gz file
    start = content[:_SNIFF_BYTES].removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if not start and not content[_SNIFF_BYTES:].strip():
        raise FeedParseError("not a feed: the document is empty")
    if start[:1] in (b"{", b"["):
        feed = parse_json_feed(content, url)
        return feed, notes_of(feed)
    root, problem = safe_tree(content, url, content_type)
    warning = entity_warning(entities_shown_as_written(root))
    deadline.check()
    headers = {"content-type": "application/xml; charset=utf-8"}
    if web_base(url, None):  # a file's location is no base for its links (see web_base)
        headers["content-location"] = url
    parsed = fast_parse(root, headers)
    if parsed is None:  # not a plain RSS 2.0 or Atom 1.0 document a fast mapper mirrors exactly
        parsed = feedparser.parse(
            serialized(root),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    if not parsed.version and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed content found"
        raise FeedParseError(f"not a feed: {reason}")
    deadline.check()
    if parsed.bozo:
        problem = problem or str(parsed.bozo_exception)
    note = f"ill-formed feed read leniently: {problem}" if problem else None
    parsed["entries"] = DeadlineList(parsed.entries, deadline)
    feed = _feed_from_feedparser(parsed, url)
    if warning:
        feed = replace(feed, warnings=(warning,))
    return feed, notes_of(feed, note, warning)


def fast_parse(root: Any, headers: dict[str, str]) -> Any:
    """feedparser's result from the fast mapper of *root*'s format (RSS 2.0, Atom 1.0), or None."""
    mapper = _fast_mapper(atom=root.tag == _ATOM_FEED)
    return None if mapper is None else mapper(root, headers)


def load_fast_mappers() -> None:
    """Load both fast mappers now, not when the first document of each format
    arrives: a build waiting on the network calls this meanwhile (10-15 ms)."""
    _fast_mapper(atom=False)
    _fast_mapper(atom=True)


@functools.cache
def _fast_mapper(atom: bool) -> Callable[[Any, dict[str, str]], Any] | None:
    """The fast mapper's entry point, loaded on first use; None where it cannot load.

    The mappers reuse private names of feedparser (its date parser, URL
    joiner, cp1252 table and author helpers), so that they give exactly
    feedparser's values. A feedparser that renamed one costs only speed:
    every document then goes through feedparser itself.
    """
    try:
        if atom:
            from sphinxcontrib_feed.parse.fastatom import fast_parse
        else:
            from sphinxcontrib_feed.parse.fastmap import fast_parse
    except (ImportError, AttributeError) as error:  # a private name of feedparser moved
        logger.debug(
            "[feed] fast mappers unavailable with feedparser %s (%s): using feedparser for all",
            feedparser.__version__, error,
        )  # fmt: skip
        return None
    return fast_parse


def _feed_from_feedparser(parsed: Any, url: str) -> Feed:
    """Map feedparser's result for the document at *url* (a web or ``file:`` URL).

    feedparser has already resolved item and feed links against the
    ``xml:base`` in effect, else the ``content-location`` it was given (the
    feed URL; none for a file). Everything else is resolved here, see
    :class:`_Bases`.
    """
    channel = parsed.feed
    document = web_base(url, None)
    # the addresses feedparser reports as the base when the feed sets none
    own = frozenset(
        {url, url.split("#", 1)[0], (parsed.get("headers") or {}).get("content-location") or url}
    )
    feed_base = _explicit_base(channel, own)
    site = safe_url(channel.get("link"), feed_base or document)
    stated = None if document else media.self_address(channel)
    feed_language = media.language(channel.get("language"))
    bases = _Bases(
        document=document or stated, site=site, own=own, language=feed_language,
        from_file=document is None,
        artwork=media.channel_artwork(channel, feed_base or document or stated or site),
    )  # fmt: skip
    entries, notes = map_items(parsed.entries, bases.entry)
    return Feed(
        title=plain_text(channel.get("title")),
        link=site,
        entries=entries,
        update_interval=_update_interval(channel),
        notes=notes,
        language=feed_language,
        unresolved_links=sum(1 for entry in entries if entry.raw_link and entry.link is None),
    )


@dataclass(frozen=True, slots=True)
class _Bases:
    """The bases relative URLs of one feed resolve against, in order.

    An item's link: the ``xml:base`` in effect, else the feed's address, else
    (a feed file, whose ``file:`` address is never a base) the feed's site.
    Item content (summary or content HTML, images, enclosures): an explicitly
    set ``xml:base``, else the item's link (content is written for the item's
    own page: ``<img src="figure.png">``, ``<a href="#part">``), else the
    feed's site, else the feed's address.
    """

    document: str | None
    site: str | None
    #: The document's own addresses: a base equal to one of them is no xml:base.
    own: frozenset[str]
    language: str = ""
    #: A feed file (a ``file:`` address): its relative item links are kept as written.
    from_file: bool = False
    #: The channel's picture: an episode's artwork when it has none of its own.
    artwork: str | None = None

    def entry(self, item: Any) -> Entry:
        item_base = _explicit_base(item, self.own)
        written = item.get("link")
        link = safe_url(written, item_base or self.document or self.site)
        content_base = item_base or link or self.site or self.document
        detail, value = _summary_of(item)
        # a feed file's relative link as written: `:base:` resolves it, before any self address
        raw_link = media.relative(written) if self.from_file else ""
        found = media.enclosures(item, content_base)
        return Entry(
            title=plain_text(item.get("title")),
            link=link,
            id=one_line(item.get("id")) or link,
            date=_utc_datetime(item.get("published_parsed") or item.get("updated_parsed")),
            author=plain_text(item.get("author")),
            categories=distinct(
                (term for tag in item.get("tags") or () if (term := plain_text(tag.get("term")))),
                MAX_CATEGORIES,
            ),
            image=media.first_image(item, content_base, self.artwork, found),
            raw_summary=value,
            raw_type="text" if detail.get("type") == "text/plain" else "html",
            summary_base=_explicit_base_of(detail.get("base"), self.own) or content_base,
            enclosures=found,
            duration=media.duration(item.get("itunes_duration")),
            language=media.item_language(item, self.language),
            raw_link=raw_link,
        )


def _summary_of(item: Any) -> tuple[Any, str]:
    """The item's summary (its detail and value), else its first content."""
    if summary := item.get("summary"):
        return item.get("summary_detail") or {}, summary
    for content in item.get("content") or ():
        if value := content.get("value"):
            return content, value
    return {}, ""


def _explicit_base(element: Any, own: frozenset[str]) -> str | None:
    """The ``xml:base`` the feed sets for *element* (a channel or item), if any.

    feedparser records the base in effect on each text construct's detail.
    """
    for key in ("title_detail", "summary_detail", "subtitle_detail"):
        if detail := element.get(key):
            return _explicit_base_of(detail.get("base"), own)
    for content in element.get("content") or ():
        return _explicit_base_of(content.get("base"), own)
    return None


def _explicit_base_of(base: str | None, own: frozenset[str]) -> str | None:
    """*base* if it is a web address the feed set itself (not the document's own)."""
    if not base or base in own:
        return None
    return web_base(base, None)


def _update_interval(channel: Any) -> float | None:
    try:
        return syndication_hint(
            channel.get("ttl"), channel.get("sy_updateperiod"), channel.get("sy_updatefrequency")
        )
    except (ValueError, OverflowError):  # <ttl>²</ttl>: a digit to str.isdigit, not to int
        return None


def _utc_datetime(value: Any) -> datetime | None:
    """A feedparser UTC ``struct_time`` as an aware datetime; None if implausible."""
    if not value:
        return None
    try:
        if value.tm_year < EARLIEST_PLAUSIBLE_YEAR:
            return None
        try:  # the same moment as below, a third of the cost, for fields in range
            year, month, day, hour, minute, second = value[:6]
            moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except (TypeError, ValueError):  # a leap second (sec 60), a day past the month's end
            moment = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
        return plausible_date(moment)
    except (OverflowError, ValueError, OSError):
        return None
