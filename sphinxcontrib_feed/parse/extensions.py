"""Extension elements the RSS fast mapper (:mod:`.fastmap`) may pass over.

Podcast and blog platforms add elements of their own namespaces (iTunes,
Google Play, WordPress). feedparser stores these under keys that
:func:`.document._feed_from_feedparser` never reads, so a document that has
them can still be mapped exactly, as long as each one has the plain shape
checked here (no unknown attribute, text only or the listed children). Any
other shape declines (:class:`.gate.Decline`), as before.

A podcast's items carry iTunes elements feedparser reads into the model:
``itunes:author`` is an author like ``dc:creator`` (the last one wins),
``itunes:image`` the episode's picture, ``itunes:duration`` its length and
``itunes:keywords`` its categories; :mod:`.fastmap` maps those. rssboard.org's
Media RSS namespace under the prefix ``media`` is read by feedparser as Yahoo's
(its handlers go by the prefix of a namespace it does not know), so
:func:`media_tag` gives its elements Yahoo's names.
"""

from __future__ import annotations

from typing import Any

from sphinxcontrib_feed.parse.gate import _ATTRIBUTES, _MEDIA, Decline, _check

_ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
_GOOGLEPLAY = "{http://www.google.com/schemas/play-podcasts/1.0}"
_WORDPRESS = "{com-wordpress:feed-additions:1}"
RSSBOARD_MEDIA = "{http://www.rssboard.org/media-rss}"
PODCAST_INDEX = "{https://podcastindex.org/namespace/1.0}"
ITUNES_AUTHOR = f"{_ITUNES}author"
ITUNES_IMAGE = f"{_ITUNES}image"
ITUNES_DURATION = f"{_ITUNES}duration"
ITUNES_KEYWORDS = f"{_ITUNES}keywords"
ITUNES_SUBTITLE = f"{_ITUNES}subtitle"
ITUNES_SUMMARY = f"{_ITUNES}summary"
ITUNES_CATEGORY = f"{_ITUNES}category"
#: ``itunes:image``'s attributes (feedparser takes ``href``, else ``url``).
IMAGE_ATTRIBUTES = frozenset({"href", "url"})

#: Channel elements of text only. feedparser's keys: ``author``/``author_detail``
#: (``itunes:author``), ``itunes_*`` (``explicit``, ``type``, ``new-feed-url``,
#: ``complete``, ``block``), the feed's tags (``itunes:keywords``), ``site``
#: (WordPress's default namespace); any Google Play element (:func:`check_channel`).
CHANNEL = frozenset(
    {
        *(f"{_ITUNES}{name}" for name in ("author", "explicit", "type", "new-feed-url")),
        *(f"{_ITUNES}{name}" for name in ("complete", "block", "keywords")),
        f"{_WORDPRESS}site",
        f"{_ITUNES}owner",
    }
)
#: Item elements of text only, under keys the model never reads: WordPress's
#: ``post-id``; iTunes' ``explicit`` (``itunes_explicit``), ``title``, ``episode``,
#: ``season``, ``episodeType`` and ``block`` (``itunes_*``).
ITEM = frozenset(
    {f"{_WORDPRESS}post-id"}
    | {f"{_ITUNES}{name}" for name in ("explicit", "title", "episode", "season", "episodeType")}
    | {f"{_ITUNES}block"}
)
_OWNER_PARTS = frozenset({f"{_ITUNES}name", f"{_ITUNES}email"})
_MEDIA_TITLE = f"{_MEDIA}title"


def media_tag(element: Any) -> str:
    """*element*'s tag, with rssboard.org's Media RSS named as Yahoo's where feedparser
    reads it so (the prefix ``media``)."""
    tag: str = element.tag
    if tag.startswith(RSSBOARD_MEDIA) and element.prefix == "media":
        return _MEDIA + tag.removeprefix(RSSBOARD_MEDIA)
    return tag


def image_href(element: Any) -> str | None:
    """An ``itunes:image``'s address as feedparser's ``_start_itunes_image`` takes it."""
    _check(element, ITUNES_IMAGE, IMAGE_ATTRIBUTES, empty=True)
    return element.get("href") or element.get("url") or None


def check_podcast_index(element: Any) -> None:
    """Decline unless the Podcasting 2.0 *element* (``podcast:transcript``,
    ``podcast:chapters``, ``podcast:person``...) is one feedparser passes over.

    feedparser has no handler for the namespace: under the prefix ``podcast``
    each element lands under a ``podcast_*`` key the model never reads, its
    children too, as long as they are of the same namespace and no attribute
    moves feedparser's base or language.
    """
    if element.prefix != "podcast":
        raise Decline
    for name in element.attrib:
        if name.startswith("{") or name in ("base", "lang"):
            raise Decline
    for child in element:
        if not child.tag.startswith(PODCAST_INDEX):
            raise Decline
        check_podcast_index(child)


def check_category(element: Any) -> None:
    """Decline unless the channel's ``itunes:category`` holds only categories.

    feedparser files them under the feed's tags, which the model never reads.
    """
    _check(element, ITUNES_CATEGORY, frozenset({"text"}), nested=True)
    for part in element:
        check_category(part)


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
    if tag.startswith(_WORDPRESS) and element.prefix is not None:
        raise Decline


def is_google_play(element: Any) -> bool:
    return bool(element.tag.startswith(_GOOGLEPLAY))


def check_google_play(element: Any) -> None:
    """Decline unless the channel's Google Play *element* is one feedparser passes over.

    feedparser knows no Google Play namespace: each element lands under a key
    made of the document's prefix (``googleplay_owner``), text as its value,
    or its attributes (``googleplay:image href=``) where it has some.
    """
    if element.prefix != "googleplay":
        raise Decline  # feedparser's key is the prefix the document gives
    names = frozenset(name for name in element.attrib if not name.startswith("{"))
    if names & {"base", "lang"}:
        raise Decline
    _check(element, element.tag, names, empty=bool(names))


def check_media_content(element: Any, item: dict[str, Any]) -> None:
    """Decline unless the item's ``media:content`` *element* is empty or holds only
    a ``media:title`` that feedparser ignores.

    feedparser reads ``media:title`` as the item's title, except where the item
    already has a non-empty title (its ``title_depth``): WordPress's media
    titles follow the item's own.
    """
    if not len(element):
        _check(element, element.tag, _ATTRIBUTES[f"{_MEDIA}content"], empty=True)
        return
    _check(element, element.tag, _ATTRIBUTES[f"{_MEDIA}content"], nested=True)
    for part in element:
        if media_tag(part) != _MEDIA_TITLE:
            raise Decline
        _check(part, part.tag, frozenset({"type"}))
        if not item.get("title"):
            raise Decline
