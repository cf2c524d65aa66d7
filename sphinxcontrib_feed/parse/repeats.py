"""Bounded work per item: repeated elements past their cap leave the tree.

An item may repeat some elements (categories, links, enclosures, authors,
media); nothing bounds how often. feedparser keeps an item's categories
unique by looking each new one up in the list of those before it, so 40,000
categories on one item (1.1 MB) cost 14 s of CPU and 100,000 cost 94 s, all
inside ``feedparser.parse``, where the parse budget cannot stop it. So,
before any mapper or feedparser sees the tree, each element keeps only the
first few children of each such name (:data:`.limits.MAX_CATEGORIES` and the
others), and a keywords list (``media:keywords``, ``itunes:keywords``, which
feedparser splits at commas) its first :data:`.limits.MAX_CATEGORIES` terms.
Both the fast mappers and feedparser then read the same bounded tree, so they
still agree, and the mapping de-duplicates what is left in linear time.

The same step normalises carriage returns in text (``&#13;``, kept by XML
as ``\\r``) to ``\\n``: feedparser receives text with markup as CDATA, where
XML turns every carriage return into a line feed, so without this step its
values (and the fast mappers', which read the tree) would depend on whether
a piece of text happened to contain a ``<`` or an ``&``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from sphinxcontrib_feed.parse.limits import (
    MAX_AUTHORS,
    MAX_CATEGORIES,
    MAX_ENCLOSURES,
    MAX_LINKS,
    MAX_MEDIA,
)

#: Local names of repeatable elements and how many of them one parent keeps.
CAPS = {
    **dict.fromkeys(("category", "subject"), MAX_CATEGORIES),
    "enclosure": MAX_ENCLOSURES,
    "link": MAX_LINKS,
    **dict.fromkeys(("author", "creator", "contributor"), MAX_AUTHORS),
    **dict.fromkeys(("content", "thumbnail"), MAX_MEDIA),
}
#: Elements whose text feedparser splits at commas into categories.
_LISTS = ("keywords", "tags")


#: Parents with more children than the smallest cap: the only ones worth a look.
_CROWDED = f"//*[*[{min(CAPS.values()) + 1}]]"
_LIST_ELEMENTS = "//*[" + " or ".join(f"local-name()='{name}'" for name in _LISTS) + "]"
_CARRIAGE_RETURNS = "//text()[contains(., '\r')]"
#: The capped and list elements by local name, in any namespace or none (lxml's ``{*}``).
_SELECTED = tuple(f"{{*}}{name}" for name in (*CAPS, *_LISTS))


def bound_repeats(root: Any, *, plain_names: bool = False) -> None:
    """Drop repeated elements past their cap, and keywords past the category cap.

    *plain_names*: the tree comes from a parse without errors, so every tag is
    ``{namespace}name`` or ``name`` (libxml2's recovery keeps names such as
    ``a:b`` only after a namespace error), and the elements concerned are found
    by name in C (:func:`_bound_named`) instead of by walking the whole tree
    with XPath's ``local-name()`` (ten times the cost on a feed of 60 items).
    """
    if plain_names:
        _bound_named(root)
        return
    for parent in root.xpath(_CROWDED):
        seen: dict[str, int] = {}
        for child in list(parent):
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = tag.rpartition("}")[2].rpartition(":")[2]  # recovery keeps odd names
            cap = CAPS.get(name)
            if cap is None:
                continue
            count = seen[name] = seen.get(name, 0) + 1
            if count > cap:
                parent.remove(child)  # with its tail: whitespace between elements
    for element in root.xpath(_LIST_ELEMENTS):
        _trim_list(element)


def _bound_named(root: Any) -> None:
    """:func:`bound_repeats` for a tree of plain names, the same elements dropped.

    A parent can hold more of one name than its cap only if the whole document
    does, so only names past their cap overall are counted per parent.
    """
    by_name: dict[str, list[Any]] = {}
    for element in root.iter(*_SELECTED):
        name = element.tag.rpartition("}")[2]
        if name in CAPS:
            by_name.setdefault(name, []).append(element)
        else:
            _trim_list(element)
    past: list[Any] = []
    for name, elements in by_name.items():
        cap = CAPS[name]
        if len(elements) <= cap:
            continue
        seen: dict[Any, int] = {}
        for element in elements:  # in document order, so each parent's first ones stay
            parent = element.getparent()
            if parent is not None and (count := seen.get(parent, 0) + 1) > cap:
                past.append(element)
            elif parent is not None:
                seen[parent] = count
    for element in past:
        element.getparent().remove(element)  # with its tail, as above


def _trim_list(element: Any) -> None:
    text = element.text
    if text and text.count(",") >= MAX_CATEGORIES:
        element.text = ",".join(text.split(",", MAX_CATEGORIES)[:MAX_CATEGORIES])


def normalise_line_ends(root: Any) -> None:
    """``\\r\\n`` and a lone ``\\r`` as ``\\n`` in all text, as XML does for raw ones.

    The text of the whole tree, written out in C, tells first whether any is there
    (rarely: XML has already turned raw ones into line feeds).
    """
    try:
        if b"\r" not in etree.tostring(root, method="text", encoding="utf-8", with_tail=False):
            return
    except (ValueError, etree.LxmlError):  # whatever libxml2 cannot write: look node by node
        pass
    for text in root.xpath(_CARRIAGE_RETURNS):
        value = str(text).replace("\r\n", "\n").replace("\r", "\n")
        parent = text.getparent()
        if text.is_text:
            parent.text = value
        elif text.is_tail:
            parent.tail = value
