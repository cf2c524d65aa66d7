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
import html
from datetime import UTC, datetime
from typing import Any

import feedparser

from sphinxcontrib_feed.freshness import syndication_hint
from sphinxcontrib_feed.jsonfeed import parse_json_feed
from sphinxcontrib_feed.limits import PARSE_TIME_BUDGET, Deadline, DeadlineList
from sphinxcontrib_feed.model import (
    EARLIEST_PLAUSIBLE_YEAR,
    Enclosure,
    Entry,
    Feed,
    FeedParseError,
)
from sphinxcontrib_feed.sanitize import (
    clean_html,
    first_image_in,
    plain_text,
    safe_url,
    web_base,
)
from sphinxcontrib_feed.xmlsafe import safe_xml

# How far into the document its first character is looked for.
_SNIFF_BYTES = 65536


def parse_feed(content: bytes, url: str, content_type: str = "") -> tuple[Feed, str | None]:
    """Parse *content* fetched from *url*.

    Returns the feed and, for a feed that was read despite being ill-formed,
    a note on what was wrong with it (worth a verbose log line, not a warning:
    authors cannot fix other people's feeds). *content_type* is not trusted to
    tell the format; the body is sniffed instead.
    """
    deadline = Deadline(PARSE_TIME_BUDGET)
    start = content[:_SNIFF_BYTES].removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if not start and not content[_SNIFF_BYTES:].strip():
        raise FeedParseError("not a feed: the document is empty")
    if start[:1] in (b"{", b"["):
        return parse_json_feed(content, url), None
    document, problem = safe_xml(content, url, content_type)
    deadline.check()
    headers = {"content-type": "application/xml; charset=utf-8"}
    if web_base(url, None):  # a file's location is no base for its links (see web_base)
        headers["content-location"] = url
    parsed = feedparser.parse(
        document,
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
    return _feed_from_feedparser(parsed, url), note


def _feed_from_feedparser(parsed: Any, url: str) -> Feed:
    channel = parsed.feed
    base = web_base(channel.get("title_detail", {}).get("base"), web_base(url, None))
    if base is None:  # a feed file: its own web site is the best base there is
        base = safe_url(channel.get("link"))
    entries = tuple(_entry_from_feedparser(item, base) for item in parsed.entries)
    return Feed(
        title=plain_text(channel.get("title")),
        link=safe_url(channel.get("link"), base),
        entries=entries,
        update_interval=syndication_hint(
            channel.get("ttl"), channel.get("sy_updateperiod"), channel.get("sy_updatefrequency")
        ),
    )


def _entry_from_feedparser(item: Any, feed_base: str | None) -> Entry:
    base = web_base(_detail_base(item, "title_detail"), feed_base)
    link = safe_url(item.get("link"), base)
    summary_detail = item.get("summary_detail") or {}
    summary = item.get("summary") or ""
    if not summary and item.get("content"):
        summary_detail = item["content"][0]
        summary = summary_detail.get("value", "")
    summary_html = _as_html(summary, summary_detail.get("type", "text/html"))
    summary_html = clean_html(summary_html, web_base(summary_detail.get("base"), base))
    title = plain_text(item.get("title"))
    return Entry(
        title=title,
        link=link,
        id=item.get("id") or link,
        date=_utc_datetime(item.get("published_parsed") or item.get("updated_parsed")),
        summary_html=summary_html,
        author=plain_text(item.get("author")),
        categories=tuple(
            term for tag in item.get("tags") or () if (term := plain_text(tag.get("term")))
        ),
        image=_first_image(item, base) or first_image_in(summary_html),
        enclosures=_enclosures(item, base),
    )


def _detail_base(item: Any, key: str) -> str | None:
    detail = item.get(key)
    return detail.get("base") if detail else None


def _as_html(value: str, mime_type: str) -> str:
    if mime_type == "text/plain":
        return html.escape(value)
    return value


def _utc_datetime(value: Any) -> datetime | None:
    """A feedparser UTC ``struct_time`` as an aware datetime; None if implausible."""
    if not value:
        return None
    try:
        if value.tm_year < EARLIEST_PLAUSIBLE_YEAR:
            return None
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _first_image(item: Any, base: str | None) -> str | None:
    for thumbnail in item.get("media_thumbnail") or ():
        if url := safe_url(thumbnail.get("url"), base):
            return url
    for media in item.get("media_content") or ():
        kind = media.get("medium") or media.get("type", "")
        if kind.startswith("image") and (url := safe_url(media.get("url"), base)):
            return url
    for enclosure in _enclosures(item, base):
        if enclosure.type.startswith("image/"):
            return enclosure.url
    return None


def _enclosures(item: Any, base: str | None) -> tuple[Enclosure, ...]:
    found = []
    for link in item.get("links") or ():
        if link.get("rel") != "enclosure" or not (url := safe_url(link.get("href"), base)):
            continue
        try:
            length = int(link.get("length") or 0) or None
        except ValueError:
            length = None
        found.append(Enclosure(url=url, type=link.get("type", ""), length=length))
    return tuple(found)
