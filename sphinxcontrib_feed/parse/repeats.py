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


def bound_repeats(root: Any) -> None:
    """Drop repeated elements past their cap, and keywords past the category cap."""
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
        text = element.text
        if text and text.count(",") >= MAX_CATEGORIES:
            element.text = ",".join(text.split(",", MAX_CATEGORIES)[:MAX_CATEGORIES])


def normalise_line_ends(root: Any) -> None:
    """``\\r\\n`` and a lone ``\\r`` as ``\\n`` in all text, as XML does for raw ones."""
    for text in root.xpath(_CARRIAGE_RETURNS):
        value = str(text).replace("\r\n", "\n").replace("\r", "\n")
        parent = text.getparent()
        if text.is_text:
            parent.text = value
        elif text.is_tail:
            parent.tail = value
