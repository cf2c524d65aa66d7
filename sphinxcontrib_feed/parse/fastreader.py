"""What both fast mappers read the same way feedparser's ``pop`` and handlers do.

:class:`Reader` holds the per-document state feedparser keeps while it reads
(the base URI) and the element readers :mod:`.fastmap` and :mod:`.fastatom`
share: text as ``pop`` leaves it, URL joining, details, categories, links.
:func:`inline_markup` writes back a description that holds elements as
feedparser's strict parser does.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any
from xml.sax.saxutils import escape

from feedparser.api import StrictFeedParser
from feedparser.html import _cp1252
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

from sphinxcontrib_feed.finish.sanitize import PLAIN_WEB_URL, web_base
from sphinxcontrib_feed.parse.gate import (
    _ATOM_LINK,
    _ATTRIBUTES,
    _NO_ATTRIBUTES,
    Decline,
    Tags,
    _attributes,
    _check,
    _check_attributes,
)
from sphinxcontrib_feed.parse.limits import check_budget

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
#: Element names feedparser handles itself at their end tag, even inside markup
#: (``source``, ``summary``, ``title``...), and those it writes back specially.
_NOT_INLINE = frozenset(
    {name[5:] for name in dir(StrictFeedParser) if name.startswith("_end_")} | {"svg", "math"}
)
_QUOTE = {'"': "&quot;"}
_XHTML = "{http://www.w3.org/1999/xhtml}"
_ATOM = "{http://www.w3.org/2005/Atom}"
#: In Atom's XHTML constructs: names in the XHTML namespace feedparser handles at
#: their end tag (``xhtml:body``); names in Atom's own namespace are unprefixed.
_NOT_INLINE_XHTML = frozenset(
    name[11:] for name in dir(StrictFeedParser) if name.startswith("_end_xhtml_")
)


class Reader:
    #: Attributes allowed per element (see :func:`.gate._check`); the Atom mapper has its own.
    attributes = _ATTRIBUTES

    def __init__(self, headers: dict[str, str]) -> None:
        location = headers.get("content-location", "")
        self.headers = headers
        self.last_uri: str | None = None
        self.last_joined = ""
        self.base = make_safe_absolute_uri("", location) or make_safe_absolute_uri(location) or ""
        #: urljoin keeps plain URLs as they are against a base it can parse
        self.plain_base = web_base(self.base, None) is not None or not self.base

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

    def text(self, element: Any, *, relative: bool = False) -> str:
        """The element's text as feedparser's ``pop`` leaves it."""
        if len(element):
            raise Decline
        if element.keys():
            _check(element, element.tag, self.attributes.get(element.tag, _NO_ATTRIBUTES))
        output = (element.text or "").strip()
        if relative and output:
            output = self.join(output)
        return output if output.isascii() else _popped(output)

    def xhtml(self, element: Any) -> str:
        """An Atom XHTML construct (see :func:`xhtml_markup`) as ``pop`` leaves it."""
        _check_attributes(element, self.attributes.get(element.tag, _NO_ATTRIBUTES))
        return _popped(xhtml_markup(element).strip())

    def markup(self, element: Any) -> str:
        """A description holding elements (see :func:`inline_markup`) as ``pop`` leaves it."""
        _check_attributes(element, self.attributes.get(element.tag, _NO_ATTRIBUTES))
        return _popped(inline_markup(element).strip())

    def join(self, uri: str) -> str:
        """feedparser's ``resolve_uri`` (an item's link and guid are often the same:
        the last one is kept until the base changes)."""
        if uri == self.last_uri:
            return self.last_joined
        # a plain web URL is what urljoin returns unchanged, whatever the base
        plain = self.plain_base and PLAIN_WEB_URL.match(uri)
        joined = uri if plain else _urljoin(self.base, uri)
        self.last_uri, self.last_joined = uri, joined
        return joined

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
        term, scheme, label = self.tag_fields(element)
        if term or scheme or label:  # Tags.add keeps no tag of three empty fields
            tags.add(term, scheme, label)
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


def _popped(output: str) -> str:
    """*output* after ``pop``'s Latin-1/UTF-8 repair and Windows-1252 map."""
    if output.isascii():  # neither step changes ASCII text
        return output
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        output = output.encode("iso-8859-1").decode("utf-8")
    # the map only touches U+0080-U+009F (C1 controls, which xmlsafe removes);
    # str.translate with a dict costs ~100 ns a character, this search ~1 ns a byte
    if _C1_IN_UTF8.search(output.encode("utf-8", "surrogatepass")):
        output = output.translate(_cp1252)
    return output


def inline_markup(element: Any) -> str:
    """A description holding elements, as feedparser's strict parser writes it back.

    feedparser reads it as inline content: the text before the first element
    as it is, then each element as a start tag (name lowered, attributes in
    document order, their names lowered and ``rel``/``type`` values too), its
    text XML-escaped, and an end tag even for an empty element
    (``<br></br>``). It drops a first element ``div``, and runs its own end
    handlers for names it knows (:data:`_NOT_INLINE`); those, namespaced names
    and attributes, and attributes that move its base or language, decline.
    """
    if element[0].tag == "div":
        raise Decline
    pieces = [element.text or ""]
    for child in element:
        _write_back(child, pieces)
    return "".join(pieces)


def xhtml_markup(element: Any) -> str:
    """An Atom ``type="xhtml"`` construct as feedparser's strict parser writes it back.

    As :func:`inline_markup`, with all text XML-escaped, elements of the XHTML
    or Atom namespace written without it, and then feedparser's Atom rule: a
    ``div`` that holds all the rest (whitespace aside) is dropped, its
    content kept.
    """
    pieces = [escape(element.text)] if element.text else []
    for child in element:
        _write_back(child, pieces, xhtml=True)
    while len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if (
        pieces
        and (pieces[0] == "<div>" or pieces[0].startswith("<div "))
        and pieces[-1] == "</div>"
    ):
        depth = 0
        for piece in pieces[:-1]:
            if piece.startswith("</"):
                depth -= 1
                if depth == 0:
                    break
            elif piece.startswith("<"):  # start tags written back never end with "/>"
                depth += 1
        else:
            pieces = pieces[1:-1]
    return "".join(pieces)


def _write_back(element: Any, pieces: list[str], *, xhtml: bool = False) -> None:
    check_budget()  # one description may hold a whole document's elements
    tag = element.tag
    if not isinstance(tag, str):
        raise Decline
    if xhtml and tag.startswith(_XHTML):
        tag = tag.removeprefix(_XHTML)
        if tag.lower() in _NOT_INLINE_XHTML:
            raise Decline
    elif xhtml and tag.startswith(_ATOM):
        tag = tag.removeprefix(_ATOM)
        if tag.lower() in _NOT_INLINE:
            raise Decline
    elif "{" in tag or tag.lower() in _NOT_INLINE:
        raise Decline
    if ":" in tag or tag.lower() in ("svg", "math"):
        raise Decline
    name = tag.lower()
    written = []
    names = set()
    for key, value in element.attrib.items():
        key = key.lower()
        if "{" in key or ":" in key or key in names or key in ("base", "lang"):
            raise Decline
        names.add(key)
        value = (value.lower() or value) if key in ("rel", "type") else value
        written.append(f' {key}="{escape(value, _QUOTE)}"')
    pieces.append(f"<{name}{''.join(written)}>")
    if element.text:
        pieces.append(escape(element.text))
    for child in element:
        _write_back(child, pieces, xhtml=xhtml)
    pieces.append(f"</{name}>")
    if element.tail:
        pieces.append(escape(element.tail))
