"""A fast mapper for plain Atom 1.0, the counterpart of :mod:`.fastmap` for RSS 2.0.

:func:`fast_parse` builds, from the lxml tree, the dict-like structure
feedparser returns for an Atom 1.0 document, limited to the keys
:func:`.document._feed_from_feedparser` reads, through the RSS mapper's steps
(feedparser's whitespace strip, URI resolution, Latin-1/UTF-8 repair and
Windows-1252 map) and feedparser's own date parser and author bookkeeping, so
results are identical (``tests/parse/test_fastatom.py`` compares them).

Mirrored: an ``<id>`` is the link until an ``alternate`` HTML link; a text
construct's ``type`` becomes ``text/plain`` or ``text/html``; ``<content>`` is
also the summary unless there is a ``<summary>``; ``media:description`` is an
HTML summary; an ``xml:base`` on an entry's title, summary or content is its
base, and stays in effect after it where the base it replaced was empty (a file).

Anything else declines the document (returns None, and feedparser reads it):
``xml:base`` elsewhere, ``type="xhtml"`` or any other type, ``src`` content,
markup inside a text construct, an unknown element, attribute or namespace,
``<source>``, ``<contributor>``, a repeated single-valued element, a summary
that feedparser would read as content, or a document libxml2 had to repair.
"""

from __future__ import annotations

from typing import Any

from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

from sphinxcontrib_feed.finish.sanitize import web_base
from sphinxcontrib_feed.parse.dates import parsed_date
from sphinxcontrib_feed.parse.fastmap import _CHECK_EVERY, _Mapper
from sphinxcontrib_feed.parse.gate import _ATTRIBUTES, Decline, _attributes, _check, with_language
from sphinxcontrib_feed.parse.limits import check_budget

_ATOM = "{http://www.w3.org/2005/Atom}"
FEED = f"{_ATOM}feed"
_ENTRY, _LINK, _TITLE, _ID = (f"{_ATOM}{name}" for name in ("entry", "link", "title", "id"))
_SUMMARY, _CONTENT, _AUTHOR = (f"{_ATOM}{name}" for name in ("summary", "content", "author"))
_SUBTITLE, _RIGHTS, _CATEGORY = (f"{_ATOM}{name}" for name in ("subtitle", "rights", "category"))
_PUBLISHED, _UPDATED = f"{_ATOM}published", f"{_ATOM}updated"
_MEDIA = "{http://search.yahoo.com/mrss/}"
_THUMBNAIL, _MEDIA_CONTENT = f"{_MEDIA}thumbnail", f"{_MEDIA}content"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_YT, _GD, _THR = (
    "{http://www.youtube.com/xml/schemas/2015}",
    "{http://schemas.google.com/g/2005}",
    "{http://purl.org/syndication/thread/1.0}",
)
_OPENSEARCH = "{http://a9.com/-/spec/opensearchrss/1.0/}"
_GD_IMAGE = f"{_GD}image"
#: Namespaces feedparser does not know: it names their elements' keys after the
#: document's own prefix, so that prefix is required (unprefixed, ``gd:image``
#: would be RSS's ``image``).
_PREFIXES = {_YT: "yt", _GD: "gd", _THR: "thr", _OPENSEARCH: "openSearch"}
#: Namespaces whose declaration would make feedparser guess another version.
_OTHER_VERSIONS = frozenset({"http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"})
#: Text-only elements feedparser stores under keys the mapping never reads.
_IGNORED_FEED = frozenset(
    {_UPDATED, _PUBLISHED, f"{_ATOM}generator", f"{_ATOM}icon", f"{_ATOM}logo", f"{_YT}channelId"}
    | {_OPENSEARCH + name for name in ("totalResults", "startIndex", "itemsPerPage")}
)
_IGNORED_ENTRY = frozenset({f"{_YT}videoId", f"{_YT}channelId", f"{_THR}total"})
_REPEATABLE = frozenset({_ENTRY, _LINK, _AUTHOR, _CATEGORY, _THUMBNAIL, _MEDIA_CONTENT})
#: A text construct's ``type`` as feedparser maps it; others (``xhtml``, base64 data) decline.
_XHTML_TYPE = "application/xhtml+xml"
_TYPES = {"text": "text/plain", "html": "text/html", "xhtml": _XHTML_TYPE} | {
    t: t for t in ("text/plain", "text/html", _XHTML_TYPE)
}
_CONSTRUCT = frozenset({"type"})
_ATOM_ATTRIBUTES: dict[str, frozenset[str]] = {
    _LINK: frozenset({"href", "rel", "type", "title", "length", "hreflang"}),
    _CATEGORY: frozenset({"term", "scheme", "label"}),
    f"{_ATOM}generator": frozenset({"uri", "version"}),
    **{tag: _CONSTRUCT | {_XML_BASE} for tag in (_TITLE, _SUMMARY, _CONTENT)},
    **dict.fromkeys((_SUBTITLE, _RIGHTS), _CONSTRUCT),
    _THUMBNAIL: _ATTRIBUTES[_THUMBNAIL],
    _MEDIA_CONTENT: _ATTRIBUTES[_MEDIA_CONTENT],
    _GD_IMAGE: frozenset({"rel", "src", "width", "height"}),
    f"{_MEDIA}starRating": frozenset({"count", "average", "min", "max"}),
    f"{_MEDIA}statistics": frozenset({"views", "favorites"}),
}


def fast_parse(root: Any, headers: dict[str, str]) -> FeedParserDict | None:
    """feedparser's result for the Atom tree *root*, or None (like :func:`.fastmap.fast_parse`)."""
    if root.tag != FEED:
        return None
    try:
        return with_language(_AtomMapper(headers).feed(root), root, atom=True)
    except Decline:
        return None


class _Author:
    """Just enough of feedparser's parser to run its own author bookkeeping on *context*.

    Its ``_sync_author_detail`` carries a previous author's name and email into
    the next author's details; calling it, rather than copying it, keeps that.
    """

    _save_author = _FeedParserMixin._save_author
    _sync_author_detail = _FeedParserMixin._sync_author_detail

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context

    def _get_context(self) -> dict[str, Any]:
        return self.context


class _AtomMapper(_Mapper):
    attributes = _ATOM_ATTRIBUTES

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__(headers)
        # feedparser joins the base with itself at every element (urlunparse normalises it)
        self.set_base(_normalised(self.base))

    def set_base(self, base: str) -> None:
        self.base, self.last_uri = base, None
        self.plain_base = web_base(base, None) is not None or not base

    def feed(self, root: Any) -> FeedParserDict:
        _check(root, FEED, nested=True)
        if any(uri.lower() in _OTHER_VERSIONS for uri in root.nsmap.values()):
            raise Decline
        feed: dict[str, Any] = {"links": []}
        seen: set[str] = set()
        entries = []
        for child in root:
            tag = child.tag
            if tag in seen and tag not in _REPEATABLE:
                raise Decline
            seen.add(tag)
            if tag == _ENTRY:
                check_budget()
                entries.append(self.entry(child))
            elif tag == _LINK:
                self.atom_link(child, feed)
            elif tag == _TITLE:
                feed["title_detail"] = self.construct(child, None)
                feed["title"] = feed["title_detail"]["value"]
            elif tag == _SUBTITLE:
                feed["subtitle_detail"] = self.construct(child, None)
            elif tag == _ID:
                feed["id"] = self.text(child, relative=True)
                feed.setdefault("link", feed["id"])  # feedparser's _end_id, as for an RSS guid
            elif tag == _AUTHOR:
                self.author(child, feed)
            elif tag == _CATEGORY:
                self.category(self.tags(feed), child)
            elif tag == _RIGHTS:
                self.construct(child, None)
            elif tag in _IGNORED_FEED:
                self.ignored(child)
            else:
                raise Decline
        return self.result(feed, entries, "atom10")

    def entry(self, element: Any) -> dict[str, Any]:
        _check(element, _ENTRY, nested=True)
        item: dict[str, Any] = {"links": []}
        seen: set[str] = set()
        base = self.base  # what feedparser restores after an xml:base, unless empty
        for index, child in enumerate(element):
            if index % _CHECK_EVERY == _CHECK_EVERY - 1:
                check_budget()  # an entry of many (capped) elements is long too
            tag = child.tag
            if tag in seen and tag not in _REPEATABLE:
                raise Decline
            seen.add(tag)
            if tag == _LINK:
                self.atom_link(child, item)
            elif tag == _TITLE:
                item["title_detail"] = self.construct(child, base)
                item["title"] = item["title_detail"]["value"]
            elif tag == _ID:
                item["id"] = self.text(child, relative=True)
                item.setdefault("link", item["id"])
            elif tag in (_PUBLISHED, _UPDATED):
                key = "published_parsed" if tag == _PUBLISHED else "updated_parsed"
                item[key] = parsed_date(self.text(child))
            elif tag == _AUTHOR:
                self.author(child, item)
            elif tag == _CATEGORY:
                self.category(self.tags(item), child)
            elif tag == _SUMMARY:
                if "summary" in item and _CONTENT not in seen:
                    raise Decline  # feedparser would read this summary as content
                item["summary_detail"] = self.construct(child, base)
                item["summary"] = item["summary_detail"]["value"]
            elif tag == _CONTENT:
                content = self.construct(child, base)
                item["content"] = [content]
                item.setdefault("summary", content["value"])
            elif tag == f"{_MEDIA}group":
                self.media_group(child, item)
            elif tag in (_THUMBNAIL, _MEDIA_CONTENT):
                self.media(child, item)
            elif tag == _RIGHTS:
                self.construct(child, None)
            elif tag in _IGNORED_ENTRY:
                self.ignored(child)
            else:
                raise Decline
        return item

    def construct(self, element: Any, entry_base: str | None, kind: str = "text") -> dict[str, Any]:
        """A text construct's detail; an xml:base is allowed in an entry (*entry_base* set)."""
        content_type = _TYPES.get(element.get("type", kind).lower())
        if content_type is None:
            raise Decline
        base = element.get(_XML_BASE)
        if base:
            if entry_base is None:
                raise Decline
            if self.base:  # feedparser's unknown_starttag
                self.set_base(make_safe_absolute_uri(self.base, base) or self.base)
            else:
                self.set_base(_urljoin("", base))
        value = self.xhtml(element) if content_type == _XHTML_TYPE else self.text(element)
        detail = self.detail(content_type, value)
        if base:  # feedparser goes back to the entry's base only if it has one
            self.set_base(entry_base or _normalised(self.base))
        return detail

    def author(self, element: Any, context: dict[str, Any]) -> None:
        """feedparser's ``_start_author``, its children and ``_end_author``."""
        _check(element, _AUTHOR, nested=True)
        context.setdefault("authors", []).append(FeedParserDict())
        bookkeeping = _Author(context)
        seen: set[str] = set()
        for part in element:
            tag = part.tag
            if tag in seen:
                raise Decline
            seen.add(tag)
            if tag == f"{_ATOM}uri":
                bookkeeping._save_author("href", self.text(part, relative=True))
            elif tag in (f"{_ATOM}name", f"{_ATOM}email"):
                _check(part, tag)  # feedparser keeps these as given, stripped only
                bookkeeping._save_author(tag.removeprefix(_ATOM), (part.text or "").strip())
            elif tag == _GD_IMAGE:
                self.ignored(part, empty=True)
            else:
                raise Decline
        context["author"] = ""  # the author element's own text, which the gate keeps blank
        bookkeeping._sync_author_detail()

    @staticmethod
    def tag_fields(element: Any) -> tuple[str | None, str | None, str | None]:
        return element.get("term"), element.get("scheme"), element.get("label")

    def media_group(self, element: Any, item: dict[str, Any]) -> None:
        """feedparser reads a ``media:group``'s children as the entry's own."""
        _check(element, f"{_MEDIA}group", nested=True)
        for part in element:
            tag = part.tag
            if tag == f"{_MEDIA}title":
                if not item.get("title"):
                    raise Decline  # it would become the title
                self.text(part)
            elif tag == f"{_MEDIA}description":
                if "summary" in item:
                    raise Decline  # feedparser would read it as content
                item["summary_detail"] = self.construct(part, None, "html")
                item["summary"] = item["summary_detail"]["value"]
            elif tag in (_THUMBNAIL, _MEDIA_CONTENT):
                self.media(part, item)
            elif tag == f"{_MEDIA}community":
                _check(part, tag, nested=True)
                for piece in part:
                    if piece.tag not in (f"{_MEDIA}starRating", f"{_MEDIA}statistics"):
                        raise Decline
                    _check(piece, piece.tag, self.attributes[piece.tag], empty=True)
            else:
                raise Decline

    def media(self, element: Any, item: dict[str, Any]) -> None:
        _check(element, element.tag, empty=True)
        key = "media_thumbnail" if element.tag == _THUMBNAIL else "media_content"
        item.setdefault(key, []).append(_attributes(element))

    def ignored(self, element: Any, *, empty: bool = False) -> None:
        """Gate an element whose key the mapping never reads."""
        tag = element.tag
        namespace = tag[: tag.find("}") + 1]
        if namespace in _PREFIXES and element.prefix != _PREFIXES[namespace]:
            raise Decline
        if empty:
            _check(element, tag, self.attributes[tag], empty=True)
        else:
            self.text(element)


def _normalised(base: str) -> str:
    """The base as feedparser keeps it from one element to the next."""
    return (make_safe_absolute_uri(base, base) or base) if base else base
