"""A fast mapper for plain RSS 2.0: feedparser's result, without feedparser's per-element work.

feedparser calls Python handlers for every start tag, end tag and piece of
text; on a 10,000-item feed that is most of a cold build. For documents it
fully understands, :func:`fast_parse` builds from the lxml tree the same
dict-like structure feedparser would return, limited to the keys
:func:`.document._feed_from_feedparser` reads, so the mapping and URL logic stay
shared. Each value goes through the steps feedparser's ``pop`` applies
(whitespace strip, URI resolution for links and permalink guids, its
Latin-1/UTF-8 repair, its Windows-1252 map) and dates through feedparser's own
date parser, so results are identical (``tests/parse/test_fastmap.py`` compares
them on the shared corpus).

The gate is strict: anything not listed below (another RSS version, Atom,
which :mod:`.fastatom` maps, RDF, an unknown namespace or element (see
:mod:`.extensions` for those passed over), an attribute other than those
listed, ``xml:base``, markup inside a text element other than an item's
description (see :func:`.fastreader.inline_markup`), a repeated single-valued
element) makes :func:`fast_parse` return None, and feedparser reads the
document as before. Declining is always safe. A document libxml2 repaired is
mapped from the repaired tree, which is what feedparser reads too (the tree
written out again), items nested by the repair included (:meth:`_Mapper.item`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from feedparser.mixin import _FeedParserMixin

from sphinxcontrib_feed.parse import extensions
from sphinxcontrib_feed.parse.dates import parsed_date
from sphinxcontrib_feed.parse.fastreader import Reader
from sphinxcontrib_feed.parse.gate import (
    _ATOM_LINK,
    _ATTRIBUTES,
    _MEDIA,
    Decline,
    _attributes,
    _check,
    _enclosure,
    _has_text,
    with_language,
)
from sphinxcontrib_feed.parse.limits import MAX_ITEMS, check_budget

if TYPE_CHECKING:
    from feedparser.util import FeedParserDict

_SY = "{http://purl.org/rss/1.0/modules/syndication/}"
_ATOM_UPDATED = "{http://www.w3.org/2005/Atom}updated"
_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
#: Item elements that feedparser stores under keys the mapping never reads.
_IGNORED_ITEM = frozenset(
    {"comments", "{http://purl.org/rss/1.0/modules/slash/}comments"}
    | {"{http://wellformedweb.org/CommentAPI/}" + name for name in ("commentRss", "comment")}
    | extensions.ITEM
)
#: Channel elements whose content feedparser keeps apart from what is read.
_IGNORED_CHANNEL = frozenset(
    {
        *("description", "language", "lastBuildDate", "pubDate", "generator", "docs"),
        *("copyright", "managingEditor", "webMaster", "category", "rating", "cloud"),
        f"{_SY}updateBase",
    }
)
_AUTHORS = frozenset({"author", _DC_CREATOR, extensions.ITUNES_AUTHOR})
_REPEATABLE_ITEM = frozenset({"category", "enclosure", _ATOM_LINK, f"{_MEDIA}content", "item"})
_SINGLE_CHANNEL = frozenset(
    {"title", "link", "ttl", "image", "description", f"{_SY}updatePeriod", f"{_SY}updateFrequency"}
    | {extensions.ITUNES_IMAGE, extensions.ITUNES_SUBTITLE, extensions.ITUNES_SUMMARY}
)
_IMAGE_PARTS = frozenset({"title", "url", "link", "width", "height", "description"})
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
_RSSBOARD_MEDIA = extensions.RSSBOARD_MEDIA
_PODCAST_INDEX = extensions.PODCAST_INDEX
#: How many of an item's elements are read between two checks of the parse budget.
_CHECK_EVERY = 32


def _guessed_type(value: str) -> str:
    """A plain-text element's type as feedparser's ``pop`` guesses it for RSS."""
    return "text/html" if _FeedParserMixin.looks_like_html(value) else "text/plain"


def fast_parse(root: Any, headers: dict[str, str]) -> FeedParserDict | None:
    """feedparser's result for the tree *root* of :func:`.xmlsafe.safe_tree`, or None.

    *root* must come from :func:`.xmlsafe.safe_tree` (repaired or not), and
    *headers* be those feedparser would be given.
    """
    if root.tag != "rss":
        return None
    try:
        return with_language(_Mapper(headers).rss(root), root)
    except Decline:
        return None


class _Mapper(Reader):
    def rss(self, root: Any) -> FeedParserDict:
        _check(root, "rss", frozenset({"version"}), nested=True)
        if root.get("version") != "2.0" or len(root) != 1 or _has_text(root.text):
            raise Decline
        channel = root[0]
        _check(channel, "channel", nested=True)
        feed: dict[str, Any] = {"links": []}
        seen: set[str] = set()
        entries: list[dict[str, Any]] = []
        for child in channel:
            tag = child.tag
            if tag.startswith(extensions.PODCAST_INDEX):
                extensions.check_podcast_index(child)
                continue
            if tag in seen and tag in _SINGLE_CHANNEL:
                raise Decline  # feedparser keeps the first title, the last link...
            seen.add(tag)
            if tag == "item":
                self.item(child, entries)
            elif tag == "title":
                feed["title"] = self.text(child)
                feed["title_detail"] = self.detail("text/plain", feed["title"])
            elif tag == "link":
                feed["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", self.text(child, relative=True))
            elif tag in ("ttl", f"{_SY}updatePeriod", f"{_SY}updateFrequency"):
                key = "ttl" if tag == "ttl" else "sy_" + tag.removeprefix(_SY).lower()
                feed[key] = self.text(child)
            elif tag == _ATOM_LINK:
                self.atom_link(child, feed)
            elif tag == "image":
                _check(child, "image", nested=True)
                image = feed.setdefault("image", {})  # an itunes:image's, if one came first
                for part in child:
                    _check(part, part.tag if part.tag in _IMAGE_PARTS else "")
                    if part.tag == "url":  # feedparser's image.href: a podcast's artwork
                        image["href"] = self.text(part, relative=True)
            elif tag == extensions.ITUNES_IMAGE:
                if href := extensions.image_href(child):
                    feed["image"] = {"href": href}
            elif tag in (extensions.ITUNES_SUBTITLE, extensions.ITUNES_SUMMARY):
                key = "subtitle" if tag == extensions.ITUNES_SUBTITLE else "summary"
                feed[f"{key}_detail"] = self.detail("text/plain", self.text(child))
            elif tag == extensions.ITUNES_CATEGORY:
                extensions.check_category(child)
            elif tag in _IGNORED_CHANNEL:
                _check(child, tag)
                if tag == "language":
                    feed["language"] = self.text(child)
                elif tag == "description":
                    feed["subtitle_detail"] = self.detail("text/html", self.text(child))
            elif tag in extensions.CHANNEL:
                extensions.check_channel(child)
            elif extensions.is_google_play(child):
                extensions.check_google_play(child)
            else:
                raise Decline
        return self.result(feed, entries, "rss20")

    def item(self, element: Any, entries: list[dict[str, Any]]) -> None:
        """Map *element* into *entries*, with the items libxml2's repair nested in it.

        An unclosed element in an ill-formed feed leaves the following items
        inside an item. feedparser starts an entry at each item's start and
        leaves entries at each one's end, so the nested ones follow as
        entries of their own; what followed them in the outer item would go
        to the channel, which is not mirrored.
        """
        check_budget()
        if len(entries) >= MAX_ITEMS:
            raise Decline  # nested items escape xmlsafe's cap; feedparser has the deadline
        if element.attrib:
            _check(element, "item", nested=True)
        elif _has_text(element.text):
            raise Decline
        links: list[dict[str, Any]] = []
        item: dict[str, Any] = {"links": links}
        entries.append(item)
        seen: set[str] = set()
        permalink: str | None = None
        has_content = False  # feedparser's hasContent
        nested = False
        text = self.text
        long = len(element) >= _CHECK_EVERY
        for index, child in enumerate(element):
            if long and index % _CHECK_EVERY == _CHECK_EVERY - 1:
                check_budget()  # an item of many (capped) elements is long too
            tail = child.tail
            if tail and not tail.isspace():
                raise Decline  # text between an item's elements
            tag = child.tag
            if tag[0] != "{":  # no namespace: neither media nor podcast
                pass
            elif tag.startswith(_RSSBOARD_MEDIA):
                tag = extensions.media_tag(child)
            elif tag.startswith(_PODCAST_INDEX):
                extensions.check_podcast_index(child)
                continue
            if nested and tag != "item":
                raise Decline
            if tag in seen and tag not in _REPEATABLE_ITEM:
                raise Decline  # which repeat wins depends on feedparser's state
            seen.add(tag)
            # the common elements first; each branch as feedparser's handlers go
            if tag == "title":
                value = item["title"] = text(child)
                item["title_detail"] = self.detail("text/plain", value)
            elif tag == "link":
                value = text(child, relative=True).replace("&amp;", "&")
                if "&" in value:
                    value = _ENTITY_IN_LINK.sub(r"&\g<1>", value)
                item["link"] = value
                if value:
                    links.append({"rel": "alternate", "type": "text/html", "href": value})
                else:
                    links.append({"rel": "alternate", "type": "text/html"})
            elif tag == "guid":
                is_link = child.get("isPermaLink", "true") == "true"
                item["id"] = text(child, relative=is_link)
                permalink = item["id"] if is_link else None
            elif tag == "description":
                if "summary" in item and not has_content:  # feedparser's _start_description:
                    has_content = True  # a second summary is content
                    value = text(child)
                    item.setdefault("content", []).append(self.detail(_guessed_type(value), value))
                elif len(child):  # markup as elements, not escaped
                    item["summary"] = self.markup(child)
                    item["summary_detail"] = self.detail("application/xhtml+xml", item["summary"])
                else:
                    item["summary"] = text(child)
                    item["summary_detail"] = self.detail("text/html", item["summary"])
            elif tag == "pubDate":
                item["published_parsed"] = parsed_date(text(child))
            elif tag == "category":
                _check(child, tag)
                self.category(self.tags(item), child)
            elif tag == "item":
                nested = True
                self.item(child, entries)
            elif tag == extensions.ITUNES_SUMMARY:
                value = text(child)
                if "summary" in item and not has_content:  # as a description above
                    has_content = True
                    item.setdefault("content", []).append(self.detail(_guessed_type(value), value))
                else:
                    item["summary"] = value
                    item["summary_detail"] = self.detail(_guessed_type(value), value)
            elif tag == _CONTENT_ENCODED:
                has_content = True
                value = self.text(child)
                item.setdefault("content", []).append(self.detail("text/html", value))
                item.setdefault("summary", value)
            elif tag == _ATOM_UPDATED:
                item["updated_parsed"] = parsed_date(self.text(child))
            elif tag in _AUTHORS:  # each an author to feedparser: the last one is the item's
                item["author"] = self.text(child)
            elif tag == "enclosure":
                _check(child, tag, empty=True)
                links.append(_enclosure(child))
            elif tag == _ATOM_LINK:
                self.atom_link(child, item)
            elif tag == f"{_MEDIA}thumbnail":
                _check(child, child.tag, _ATTRIBUTES[tag], empty=True)
                item.setdefault("media_thumbnail", []).append(_attributes(child))
            elif tag == f"{_MEDIA}content":
                extensions.check_media_content(child, item)
                item.setdefault("media_content", []).append(_attributes(child))
            elif tag in _IGNORED_ITEM:
                _check(child, tag)
            elif tag == extensions.ITUNES_IMAGE:
                if href := extensions.image_href(child):
                    item["image"] = {"href": href}
            elif tag == extensions.ITUNES_DURATION:
                item["itunes_duration"] = self.text(child)
            elif tag == extensions.ITUNES_SUBTITLE:
                item["subtitle_detail"] = self.detail("text/plain", self.text(child))
            elif tag == extensions.ITUNES_KEYWORDS:  # feedparser's _end_itunes_keywords
                tags = self.tags(item)
                for term in self.text(child).split(","):
                    if term.strip():
                        tags.add(term.strip(), "http://www.itunes.com/", None)
            else:
                raise Decline
        if permalink is not None and "link" not in item:
            item["link"] = permalink
