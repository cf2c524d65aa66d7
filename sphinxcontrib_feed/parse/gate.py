"""The strict gate of the fast mappers (:mod:`.fastmap`, :mod:`.fastatom`).

Which attributes each element may carry, and the check that makes a mapper
decline (:class:`Decline`) a document with anything it does not mirror
exactly; with the small element readers both mappers share.
"""

from __future__ import annotations

from typing import Any

_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
_MEDIA = "{http://search.yahoo.com/mrss/}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Attributes allowed per element; any other attribute declines the document.
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "guid": frozenset({"isPermaLink"}),
    "cloud": frozenset({"domain", "port", "path", "registerProcedure", "protocol"}),
    "category": frozenset({"domain"}),
    "enclosure": frozenset({"url", "length", "type"}),
    _ATOM_LINK: frozenset({"href", "rel", "type", "title"}),  # a title: only kept in links
    f"{_MEDIA}thumbnail": frozenset({"url", "width", "height"}),
    f"{_MEDIA}content": frozenset(
        {"url", "medium", "type", "width", "height", "fileSize", "duration", "isDefault"}
        | {"length", "bitrate", "framerate", "samplingrate", "channels", "expression"}
    ),
}
_NO_ATTRIBUTES: frozenset[str] = frozenset()


class Decline(Exception):
    """The document has something the fast mapper does not mirror exactly."""


class Tags(list[dict[str, Any]]):
    """An element's tags (categories), kept unique as feedparser's ``_add_tag`` does.

    feedparser looks each new tag up in the list (quadratic); this list counts
    its tags by value, so the same check is a dict lookup. The count is a
    multiset because :meth:`set_last_term` may, as in feedparser, make the
    last tag equal to an earlier one.
    """

    def __init__(self) -> None:  # always empty when made: no list.__init__ to call
        self.counts: dict[tuple[str | None, str | None, str | None], int] = {}

    def add(self, term: str | None, scheme: str | None, label: str | None = None) -> None:
        key = (term, scheme, label)
        if (term or scheme or label) and not self.counts.get(key):
            self.append({"term": term, "scheme": scheme, "label": label})
            self.counts[key] = 1

    def set_last_term(self, term: str) -> None:
        """feedparser's ``tags[-1]["term"] = value`` (a category's text after its attributes)."""
        last = self[-1]
        old = (last["term"], last["scheme"], last["label"])
        self.counts[old] -= 1
        last["term"] = term
        new = (term, last["scheme"], last["label"])
        self.counts[new] = self.counts.get(new, 0) + 1


def _enclosure(element: Any) -> dict[str, Any]:
    attributes = _attributes(element)
    href = attributes.get("url")
    if href:
        del attributes["url"]
        attributes["href"] = href
    attributes["rel"] = "enclosure"
    return attributes


def _attributes(element: Any) -> dict[str, str]:
    """The attributes as feedparser's strict parser passes them: names and rel/type lowered."""
    return {
        name.lower(): value.lower() if name.lower() in ("rel", "type") else value
        for name, value in element.attrib.items()
        if name != _XML_LANG
    }


def _check(element: Any, tag: str, names: frozenset[str] | None = None, **content: bool) -> None:
    """Decline unless *element* is *tag* with known attributes and the expected content.

    Content: ``nested=True``, elements only; ``empty=True``, nothing; else text only.
    """
    if element.tag != tag or not tag:
        raise Decline
    _check_attributes(element, _ATTRIBUTES.get(tag, _NO_ATTRIBUTES) if names is None else names)
    if content.get("nested"):
        if _has_text(element.text):
            raise Decline
        for child in element:
            if _has_text(child.tail):
                raise Decline
    elif len(element) or (content.get("empty") and _has_text(element.text)):
        raise Decline


def _check_attributes(element: Any, names: frozenset[str]) -> None:
    """Decline unless every attribute of *element* is one of *names* (or ``xml:lang``)."""
    for name in element.attrib:
        if name not in names and name != _XML_LANG:
            raise Decline


def _has_text(text: str | None) -> bool:
    return bool(text and text.strip())


#: Where an ``xml:lang`` would give an item a language of its own (feedparser
#: records it on the item's title), which the mappers do not mirror.
_RSS_LANG = "boolean(//@xml:lang)"
_ATOM_LANG = "boolean(/a:feed/a:entry[@xml:lang] | /a:feed/a:entry/a:title[@xml:lang])"


def with_language(result: Any, root: Any, atom: bool = False) -> Any:
    """*result* with the feed's language as feedparser gives it; :class:`Decline` where an
    ``xml:lang`` would give items a language the mapper does not mirror.

    RSS: the ``language`` element (mapped by :mod:`.fastmap`); any ``xml:lang``
    declines. Atom: the root's ``xml:lang``.
    """
    if atom:
        if root.xpath(_ATOM_LANG, namespaces={"a": "http://www.w3.org/2005/Atom"}):
            raise Decline
        if lang := root.get(_XML_LANG):
            result.feed["language"] = lang.replace("_", "-")
    elif root.xpath(_RSS_LANG):
        raise Decline
    return result
