"""Extension elements the RSS fast mapper (:mod:`.fastmap`) may pass over.

Podcast and blog platforms add elements of their own namespaces (iTunes,
Google Play, WordPress). feedparser stores these under keys that
:func:`.document._feed_from_feedparser` never reads, so a document that has
them can still be mapped exactly, as long as each one has the plain shape
checked here (no unknown attribute, text only or the listed children). Any
other shape declines (:class:`.gate.Decline`), as before.
"""

from __future__ import annotations

from typing import Any

from sphinxcontrib_feed.parse.gate import _MEDIA, Decline, _check

_ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
_GOOGLEPLAY = "{http://www.google.com/schemas/play-podcasts/1.0}"
_WORDPRESS = "{com-wordpress:feed-additions:1}"

#: Channel elements of text only. feedparser's keys: ``author``/``author_detail``
#: (``itunes:author``), ``itunes_explicit``, ``googleplay_*`` (a namespace it does
#: not know: the document's prefix), ``site`` (WordPress's default namespace).
CHANNEL = frozenset(
    {
        f"{_ITUNES}author",
        f"{_ITUNES}explicit",
        *(f"{_GOOGLEPLAY}{name}" for name in ("owner", "email", "author")),
        f"{_WORDPRESS}site",
        f"{_ITUNES}owner",
    }
)
#: Item elements of text only: WordPress's ``post-id`` (feedparser's key ``post-id``).
ITEM = frozenset({f"{_WORDPRESS}post-id"})
_OWNER_PARTS = frozenset({f"{_ITUNES}name", f"{_ITUNES}email"})
_MEDIA_TITLE = f"{_MEDIA}title"


def check_channel(element: Any) -> None:
    """Decline unless the channel's extension *element* has the plain shape.

    ``itunes:owner`` holds ``itunes:name`` and ``itunes:email`` (feedparser's
    ``publisher_detail``); the others are text.
    """
    tag = element.tag
    if tag == f"{_ITUNES}owner":
        _check(element, tag, nested=True)
        for part in element:
            _check(part, part.tag if part.tag in _OWNER_PARTS else "")
    else:
        _check(element, tag)
    if tag.startswith(_GOOGLEPLAY):
        if element.prefix != "googleplay":
            raise Decline  # feedparser's key is the prefix the document gives
    elif tag.startswith(_WORDPRESS) and element.prefix is not None:
        raise Decline


def check_media_content(element: Any, item: dict[str, Any]) -> None:
    """Decline unless the item's ``media:content`` *element* is empty or holds only
    a ``media:title`` that feedparser ignores.

    feedparser reads ``media:title`` as the item's title, except where the item
    already has a non-empty title (its ``title_depth``): WordPress's media
    titles follow the item's own.
    """
    tag = element.tag
    if not len(element):
        _check(element, tag, empty=True)
        return
    _check(element, tag, nested=True)
    for part in element:
        _check(part, _MEDIA_TITLE, frozenset({"type"}))
        if not item.get("title"):
            raise Decline
