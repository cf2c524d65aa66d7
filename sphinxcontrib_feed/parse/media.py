"""What feedparser's result says about an item's media, and a feed's language and address.

Split from :mod:`.document` (which maps the rest). Both the fast mappers
(:mod:`.fastmap`, :mod:`.fastatom`) and feedparser give the shape read here,
so the values are the same whichever read the document.

A picture for an item, in the order a reader would pick one: the feed's own
media (``media:thumbnail``, ``media:content`` of an image type,
``itunes:image``, an image enclosure), then, for an episode (an item with an
audio or video enclosure), the show's artwork (the channel's
``itunes:image``). The first real picture of the text is the last resort,
chosen when the item is finished (:func:`.finish.shown.finish`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from sphinxcontrib_feed.finish.sanitize import one_line, safe_url
from sphinxcontrib_feed.model import Enclosure, distinct, media_type
from sphinxcontrib_feed.parse.limits import MAX_ENCLOSURES

#: A language tag as BCP 47 writes it (``en``, ``pt-BR``, ``zh-Hant-TW``).
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
#: ``itunes:duration``: seconds, ``MM:SS`` or ``HH:MM:SS``.
_DURATION = re.compile(r"(?:(\d{1,3}):)?(?:(\d{1,2}):)?(\d{1,7})(?:\.\d+)?\Z")
#: A scheme up to the first colon, as :func:`urllib.parse.urlsplit` reads one.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def first_image(
    item: Any,
    base: str | None,
    artwork: str | None = None,
    found: tuple[Enclosure, ...] | None = None,
) -> str | None:
    """The item's own picture (see the module's docstring); *artwork* is the channel's.

    *found*: the item's :func:`enclosures` against *base*, where the caller has them.
    """
    for thumbnail in item.get("media_thumbnail") or ():
        if url := safe_url(thumbnail.get("url"), base):
            return url
    for media in item.get("media_content") or ():
        kind = media.get("medium") or media.get("type", "")
        if kind.startswith("image") and (url := safe_url(media.get("url"), base)):
            return url
    if url := safe_url(_href(item.get("image")), base):
        return url
    if found is None:
        found = enclosures(item, base)
    for enclosure in found:
        if enclosure.type.startswith("image/"):
            return enclosure.url
    if artwork and any(is_playable(enclosure) for enclosure in found):
        return artwork
    return None


def channel_artwork(channel: Any, base: str | None) -> str | None:
    """The channel's picture (``itunes:image``, RSS ``image``), as a URL."""
    return safe_url(_href(channel.get("image")), base)


def _href(image: Any) -> str | None:
    if isinstance(image, dict):
        href = image.get("href")
        return href if isinstance(href, str) else None
    return None


def is_playable(enclosure: Enclosure) -> bool:
    """An audio or video file (a podcast episode, a video)."""
    return media_type(enclosure).startswith(("audio/", "video/"))


def enclosures(item: Any, base: str | None) -> tuple[Enclosure, ...]:
    found = []
    for link in item.get("links") or ():
        if link.get("rel") != "enclosure" or not (url := safe_url(link.get("href"), base)):
            continue
        try:
            length = int(link.get("length") or 0) or None
        except (TypeError, ValueError):
            length = None
        found.append(Enclosure(url=url, type=one_line(link.get("type")), length=length))
    return distinct(found, MAX_ENCLOSURES, key=_url_of) if found else ()


def _url_of(enclosure: Enclosure) -> str:
    return enclosure.url


def duration(value: Any) -> str:
    """``itunes:duration`` as ``H:MM:SS`` or ``M:SS``; "" if it is not a duration."""
    if not isinstance(value, str) or not (match := _DURATION.match(value.strip())):
        return ""
    parts = [int(part) for part in match.groups() if part is not None]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def language(value: Any) -> str:
    """A language tag (``en-US``), or "" when *value* is not one."""
    if not isinstance(value, str):
        return ""
    tag = value.strip().replace("_", "-")
    return tag if _LANGUAGE.match(tag) else ""


def item_language(item: Any, feed_language: str) -> str:
    """The item's own ``xml:lang`` (on its title), where it differs from the feed's."""
    own = language((item.get("title_detail") or {}).get("language"))
    return own if own and own.lower() != feed_language.lower() else ""


def relative(link: Any) -> str:
    """*link* if it is a relative address (a path, not a fragment nor a scheme), else ""."""
    value = one_line(link) if isinstance(link, str) else ""
    if _SCHEME.match(value):  # a scheme, as urlsplit finds one (most links): not relative
        return ""
    return _relative(value)


def _relative(value: str) -> str:
    """:func:`relative` of a one-line *value*, by :func:`urllib.parse.urlsplit`."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if value and not parts.scheme and not value.startswith("#") else ""


def self_address(channel: Any) -> str | None:
    """The web address the feed states for itself (``<link rel="self">``, ``atom:link``)."""
    for link in channel.get("links") or ():
        url = safe_url(link.get("href")) if link.get("rel") == "self" else None
        if url and url.lower().startswith(("http://", "https://")):
            return url
    return None
