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
listed, ``xml:base``, markup inside a text element, a repeated single-valued
element, a document libxml2 had to repair)
makes :func:`fast_parse` return None, and feedparser reads the document as
before. Declining is always safe.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

from sphinxcontrib_feed.finish.sanitize import PLAIN_WEB_URL, web_base
from sphinxcontrib_feed.parse import extensions
from sphinxcontrib_feed.parse.gate import (
    _ATOM_LINK,
    _ATTRIBUTES,
    _MEDIA,
    _NO_ATTRIBUTES,
    Decline,
    Tags,
    _attributes,
    _check,
    _enclosure,
    _has_text,
    with_language,
)
from sphinxcontrib_feed.parse.limits import check_budget

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
_REPEATABLE_ITEM = frozenset({"category", "enclosure", _ATOM_LINK, f"{_MEDIA}content"})
_SINGLE_CHANNEL = frozenset(
    {"title", "link", "ttl", "image", "description", f"{_SY}updatePeriod", f"{_SY}updateFrequency"}
    | {extensions.ITUNES_IMAGE, extensions.ITUNES_SUBTITLE, extensions.ITUNES_SUMMARY}
)
_IMAGE_PARTS = frozenset({"title", "url", "link", "width", "height", "description"})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
#: How many of an item's elements are read between two checks of the parse budget.
_CHECK_EVERY = 32


def fast_parse(root: Any, headers: dict[str, str]) -> FeedParserDict | None:
    """feedparser's result for the tree *root* of :func:`.xmlsafe.safe_tree`, or None.

    *root* must come from a document libxml2 read without error, and
    *headers* be those feedparser would be given.
    """
    if root.tag != "rss":
        return None
    try:
        return with_language(_Mapper(headers).rss(root), root)
    except Decline:
        return None


class _Mapper:
    #: Attributes allowed per element (see :func:`_check`); the Atom mapper has its own.
    attributes = _ATTRIBUTES

    def __init__(self, headers: dict[str, str]) -> None:
        location = headers.get("content-location", "")
        self.headers = headers
        self.last_uri: str | None = None
        self.last_joined = ""
        self.base = make_safe_absolute_uri("", location) or make_safe_absolute_uri(location) or ""
        #: urljoin keeps plain URLs as they are against a base it can parse
        self.plain_base = web_base(self.base, None) is not None or not self.base

    def rss(self, root: Any) -> FeedParserDict:
        _check(root, "rss", frozenset({"version"}), nested=True)
        if root.get("version") != "2.0" or len(root) != 1 or _has_text(root.text):
            raise Decline
        channel = root[0]
        _check(channel, "channel", nested=True)
        feed: dict[str, Any] = {"links": []}
        seen: set[str] = set()
        entries = []
        for child in channel:
            tag = child.tag
            if tag in seen and tag in _SINGLE_CHANNEL:
                raise Decline  # feedparser keeps the first title, the last link...
            seen.add(tag)
            if tag == "item":
                check_budget()
                entries.append(self.item(child))
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
            else:
                raise Decline
        return self.result(feed, entries, "rss20")

    def result(self, feed: dict[str, Any], entries: list[Any], version: str) -> FeedParserDict:
        """The whole of what feedparser would return, for the keys the mapping reads."""
        return FeedParserDict(
            feed=FeedParserDict(feed),
            entries=entries,
            headers=self.headers,
            version=version,
            bozo=0,
            namespaces={},
        )

    def item(self, element: Any) -> dict[str, Any]:
        _check(element, "item", nested=True)
        item: dict[str, Any] = {"links": []}
        seen: set[str] = set()
        permalink: str | None = None
        for index, child in enumerate(element):
            if index % _CHECK_EVERY == _CHECK_EVERY - 1:
                check_budget()  # an item of many (capped) elements is long too
            tag = extensions.media_tag(child)
            if tag in seen and tag not in _REPEATABLE_ITEM:
                raise Decline  # which repeat wins depends on feedparser's state
            seen.add(tag)
            if tag == "title":
                item["title"] = self.text(child)
                item["title_detail"] = self.detail("text/plain", item["title"])
            elif tag == "link":
                value = self.text(child, relative=True).replace("&amp;", "&")
                item["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", value) if "&" in value else value
                link = {"rel": "alternate", "type": "text/html"}
                item["links"].append({**link, "href": item["link"]} if item["link"] else link)
            elif tag == "guid":
                is_link = child.get("isPermaLink", "true") == "true"
                item["id"] = self.text(child, relative=is_link)
                permalink = item["id"] if is_link else None
            elif tag == "description":
                item["summary"] = self.text(child)
                item["summary_detail"] = self.detail("text/html", item["summary"])
            elif tag == _CONTENT_ENCODED:
                value = self.text(child)
                item["content"] = [self.detail("text/html", value)]
                item.setdefault("summary", value)
            elif tag == "pubDate":
                item["published_parsed"] = _parse_date(self.text(child))
            elif tag == _ATOM_UPDATED:
                item["updated_parsed"] = _parse_date(self.text(child))
            elif tag in _AUTHORS:  # each an author to feedparser: the last one is the item's
                item["author"] = self.text(child)
            elif tag == "category":
                _check(child, tag)
                self.category(self.tags(item), child)
            elif tag == "enclosure":
                _check(child, tag, empty=True)
                item["links"].append(_enclosure(child))
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
        return item

    def text(self, element: Any, *, relative: bool = False) -> str:
        """The element's text as feedparser's ``pop`` leaves it."""
        if len(element):
            raise Decline
        if element.keys():
            _check(element, element.tag, self.attributes.get(element.tag, _NO_ATTRIBUTES))
        output = (element.text or "").strip()
        if relative and output:
            output = self.join(output)
        if output.isascii():  # neither step below changes ASCII text
            return output
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            output = output.encode("iso-8859-1").decode("utf-8")
        # the map only touches U+0080-U+009F (C1 controls, which xmlsafe removes);
        # str.translate with a dict costs ~100 ns a character, this search ~1 ns a byte
        if _C1_IN_UTF8.search(output.encode("utf-8", "surrogatepass")):
            output = output.translate(_cp1252)
        return output

    def join(self, uri: str) -> str:
        """feedparser's ``resolve_uri`` (an item's link and guid are often the same)."""
        if self.plain_base and PLAIN_WEB_URL.match(
            uri
        ):  # what urljoin returns unchanged, whatever the base
            return uri
        if uri != self.last_uri:
            self.last_uri, self.last_joined = uri, _urljoin(self.base, uri)
        return self.last_joined

    def detail(self, kind: str, value: str) -> dict[str, Any]:
        return {"type": kind, "language": None, "base": self.base, "value": value}

    @staticmethod
    def tags(context: dict[str, Any]) -> Tags:
        tags = context.get("tags")
        if tags is None:
            tags = context["tags"] = Tags()
        return tags

    def category(self, tags: Tags, element: Any) -> None:
        """feedparser's ``_start_category`` and ``_end_category``."""
        tags.add(*self.tag_fields(element))
        value = self.text(element)
        if not value:
            return
        if tags and not tags[-1]["term"]:
            tags.set_last_term(value)
        else:
            tags.add(value, None)

    @staticmethod
    def tag_fields(element: Any) -> tuple[str | None, str | None, str | None]:
        """A category's term, scheme and label attributes (RSS: its ``domain``)."""
        return None, element.get("domain"), None

    def atom_link(self, element: Any, context: dict[str, Any]) -> None:
        """An ``atom:link`` with an ``href``, as feedparser's ``_start_link`` reads it."""
        _check(element, _ATOM_LINK, self.attributes[_ATOM_LINK], empty=True)
        attributes = _attributes(element)
        if "href" not in attributes:
            raise Decline
        attributes.setdefault("rel", "alternate")
        attributes.setdefault(
            "type", "application/atom+xml" if attributes["rel"] == "self" else "text/html"
        )
        attributes["href"] = self.join(attributes["href"])
        context["links"].append(attributes)
        if attributes["type"] in ("html", "xhtml"):
            raise Decline  # feedparser maps these names; not worth mirroring
        if attributes["rel"] == "alternate" and attributes["type"] in _HTML_TYPES:
            context["link"] = attributes["href"]
