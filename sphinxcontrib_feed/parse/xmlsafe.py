"""Bytes → well-formed, DTD-free UTF-8 XML, before feedparser sees anything.

feedparser's fallback parser expands entities declared in a document's own
DTD (a 110 KB feed became 4.8 GB) and runs a quadratic regex over what comes
before the root (a long leading comment took minutes). Looking for the
declarations with patterns always misses a spelling, so instead every XML
document is first read by libxml2 (lxml) configured so expansion cannot
happen: no DTD loaded, no entity resolved, no network, no huge trees. The tree
is then written out again without its DOCTYPE, comments or processing
instructions. Before libxml2 reads it, each named entity reference becomes
the character HTML gives that name (``&nbsp;``, ``&rsquo;``, as browsers and
feedparser read them), or literal text for other names. Declared entities are
never used, so an entity can never grow into more text than its reference took.

The rewrite is also the fast path: leaf text that holds markup is written as
CDATA, so expat hands feedparser one piece of text instead of one per escaped
``<`` (feedparser reads the 9 MB benchmark feed 3× faster), and feedparser's
strict parser always succeeds on the rewritten bytes, so its slow loose parser
runs only on the rare document whose namespaces expat still refuses.
"""

from __future__ import annotations

import functools
import re
from html.entities import html5
from typing import TYPE_CHECKING, Any

from lxml import etree

from sphinxcontrib_feed.finish.sanitize import NONCHARACTERS, scrub_text
from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse.htmlpage import html_page_error, looks_like_html
from sphinxcontrib_feed.parse.limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_ITEMS
from sphinxcontrib_feed.parse.repeats import bound_repeats, normalise_line_ends
from sphinxcontrib_feed.parse.xmldepth import cap_depth
from sphinxcontrib_feed.parse.xmlencoding import decode_xml

if TYPE_CHECKING:
    from collections.abc import Callable

# Named references other than XML's five: every document's are rewritten.
_NAMED_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z_:][\w.:-]*);")
# In documents with errors, also "&" that starts no reference, and XML's five.
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z_:][\w.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_NUMERIC_REFERENCE = re.compile(r"&#(?:x([0-9A-Fa-f]+)|([0-9]+));")
#: References to C0 controls (but tab, newline, carriage return), DEL and C1 controls.
_CONTROL_REFERENCE = re.compile(
    r"&#(?:[xX]0*((?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]))"
    r"|0*((?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|12[7-9]|1[3-5][0-9])));"
)
#: References to noncharacters (U+FFFE, U+FFFF, U+FDD0...): removed like controls.
_NONCHARACTER_REFERENCE = re.compile(
    r"&#(?:[xX]0*(?:[fF][dD][dDeE][0-9a-fA-F]|(?:10|[0-9a-fA-F])?[fF]{3}[eEfF])"
    r"|0*(?:" + "|".join(str(code) for code in sorted(NONCHARACTERS, reverse=True)) + "));"
)
_PREDEFINED = (("&amp;", "&#38;"), ("&lt;", "&#60;"), ("&gt;", "&#62;"), ("&quot;", "&#34;"))
_ITEM_NAMES = ("item", "entry")
#: How many elements the two levels where items are (channel, RSS 1.0's root) hold.
_LEVELS_OF_ITEMS = "count(/*/*) + count(/*/*/*)"
_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
#: What the XML step's output depends on, for keys of caches of parsed feeds.
XML_PARSER_VERSION = "xmlsafe2-lxml{}-libxml2-{}".format(
    ".".join(map(str, etree.LXML_VERSION)), ".".join(map(str, etree.LIBXML_VERSION))
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8",  # decoded by .xmlencoding; the declaration is gone
        recover=True,  # ill-formed feeds are common; libxml2 repairs what it can
        resolve_entities=False,  # keep every &name; as an entity node, declared or not
        load_dtd=False,  # never read an external DTD
        no_network=True,
        huge_tree=False,  # libxml2's own caps on depth and text node size stay on
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        strip_cdata=True,
    )


def safe_xml(content: bytes, url: str, content_type: str = "") -> tuple[bytes, str | None]:
    """*content* as UTF-8 XML with no DTD, no entity references, bounded in shape.

    Also returns what libxml2 found wrong with the document (its first error),
    or None for a well-formed one. Raises :class:`.FeedParseError` for a
    document that is not XML at all and :class:`.HTMLPageError` for a web page.
    """
    root, problem = safe_tree(content, url, content_type)
    return serialized(root), problem


def safe_tree(content: bytes, url: str, content_type: str = "") -> tuple[Any, str | None]:
    """:func:`safe_xml`'s tree, before it is written out (see :func:`serialized`)."""
    if len(content) > MAX_DOCUMENT_BYTES:
        raise FeedParseError(
            f"the document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB; refused"
        )
    root, problem = _parse(content, content_type)
    if root is None or not isinstance(root.tag, str):
        if looks_like_html(content):
            raise html_page_error(content, url)
        raise FeedParseError("not a feed: not XML, and not a JSON Feed")
    local_name = root.tag.rpartition("}")[2].rpartition(":")[2]  # recovery keeps odd names
    if local_name.lower() == "html" or looks_like_html(content):
        raise html_page_error(content, url)
    _drop_entity_references(root)
    if problem:
        _drop_repeated_attributes(root)
    _drop_too_deep(root)
    _drop_items_past_limit(root)
    bound_repeats(root, plain_names=problem is None)
    normalise_line_ends(root)
    return root, problem


def serialized(root: Any) -> bytes:
    """The tree *root* of :func:`safe_tree` as UTF-8 bytes for feedparser."""
    _text_as_cdata(root)
    # our own declaration: recovery keeps whatever version the document claimed
    document: bytes = _DECLARATION + etree.tostring(root, encoding="utf-8", xml_declaration=False)
    try:
        document.decode("utf-8")
    except UnicodeDecodeError:  # recovery kept bytes that are not UTF-8: U+FFFD for them
        document = document.decode("utf-8", "replace").encode("utf-8")
    return document


def _parse(content: bytes, content_type: str) -> tuple[Any, str | None]:
    """The root element (None where libxml2 finds no document) and the first error.

    Named references are written as character references first (HTML's
    characters for HTML's names, literal text for any other name), so no
    entity, declared or not, is left for any parser to expand. After its first
    error, libxml2's recovery drops even ``&amp;`` and ``&lt;`` (2.14), where
    feedparser's loose parser kept them, so a document with errors is read
    again with those written as character references too, and a bare ``&``
    as text.
    """
    text = _outside_cdata(decode_xml(content, content_type), _named_as_characters)
    # terminal controls, raw or as references, go now with their whole escape
    # sequence (XML cannot carry most of them, and libxml2 would make each a U+FFFD)
    # (and noncharacters: U+FFFF is no XML character; libxml2 would make it U+FFFD)
    if "&#" in text:
        text = _NONCHARACTER_REFERENCE.sub("", text)
        text = _CONTROL_REFERENCE.sub(_control_character, text)
    text = scrub_text(text)
    parser = _parser()
    root = _parse_text(text, parser)
    if not len(parser.error_log):
        return root, None
    first = parser.error_log[0]
    problem = f"line {first.line}, column {first.column}: {first.message}"
    # everywhere, CDATA or not: where libxml2 sees CDATA may not be where we do
    text = _NUMERIC_REFERENCE.sub(_valid_character_reference, text)
    text = _outside_cdata(text, _predefined_as_characters)
    if any(_too_deep(error) for error in parser.error_log):
        text = cap_depth(text, MAX_DEPTH)  # libxml2 gave up on everything after
    second = _parse_text(text, _parser())
    return (root if second is None else second), problem


def _too_deep(error: Any) -> bool:
    """libxml2 stopped at its nesting limit: ``ERR_RESOURCE_LIMIT`` since 2.13,
    an ``ERR_INTERNAL_ERROR`` saying "Excessive depth" before (lxml 5.x)."""
    return bool(error.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in error.message)


def _control_character(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    return chr(int(hexadecimal, 16) if hexadecimal else int(decimal))


def _outside_cdata(text: str, rewrite: Callable[[str], str]) -> str:
    """*text* with *rewrite* applied to what lies outside its CDATA sections.

    str.find, not a regex: a lazy ``.*?`` over a feed's CDATA costs more
    than libxml2's whole parse.
    """
    parts = []
    position = 0
    while (start := text.find("<![CDATA[", position)) != -1:
        end = text.find("]]>", start + 9)
        end = len(text) if end == -1 else end + 3  # unterminated: CDATA to the end
        parts.append(rewrite(text[position:start]))
        parts.append(text[start:end])
        position = end
    parts.append(rewrite(text[position:]))
    return "".join(parts)


def _named_as_characters(text: str) -> str:
    return _NAMED_REFERENCE.sub(_character_reference, text)


def _character_reference(match: re.Match[str]) -> str:
    name = match.group(1)
    return _character_references().get(name) or f"&#38;{name};"


@functools.cache
def _character_references() -> dict[str, str]:
    """Every name HTML and XML know, as character references (built on first use)."""
    return {
        name[:-1]: "".join(f"&#{ord(character)};" for character in value)
        for name, value in html5.items()
        if name.endswith(";")
    }


def _predefined_as_characters(text: str) -> str:
    text = _BARE_AMPERSAND.sub("&#38;", text)
    for reference, character in _PREDEFINED:
        text = text.replace(reference, character)
    return text.replace("&apos;", "&#39;")


def _valid_character_reference(match: re.Match[str]) -> str:
    """*match* if it names a character XML allows, else U+FFFD.

    libxml2's recovery lets ``&#xD800;`` into the tree as bytes that are not
    UTF-8, which lxml then cannot read.
    """
    hexadecimal, decimal = match.groups()
    digits = (hexadecimal or decimal).lstrip("0")[:8]
    code = int(digits or "0", 16 if hexadecimal else 10)
    allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    return match.group() if allowed or 0x10000 <= code <= 0x10FFFF else "&#65533;"


def _parse_text(text: str, parser: etree.XMLParser) -> Any:
    try:
        return etree.fromstring(text.encode("utf-8", "replace"), parser)
    except etree.XMLSyntaxError:
        return None


def _drop_entity_references(root: Any) -> None:
    """A backstop: no entity node should survive the rewrite; any that does goes."""
    etree.strip_tags(root, etree.Entity)


def _drop_repeated_attributes(root: Any) -> None:
    """Keep the first of repeated attributes, which libxml2's recovery keeps all of."""
    for element in root.iter(tag=etree.Element):
        attributes = element.attrib
        if len(attributes) < 2:
            continue
        try:
            items = attributes.items()
        except UnicodeDecodeError:
            continue
        if len({name for name, _ in items}) < len(items):
            first: dict[str, str] = {}
            for name, value in items:
                first.setdefault(name, value)
            try:
                attributes.clear()
                attributes.update(first)
            except ValueError:  # a prefix without a namespace: leave it to feedparser
                pass


def _drop_too_deep(root: Any) -> None:
    for element in root.xpath("/*" + "/*" * MAX_DEPTH):
        element.getparent().remove(element)


def _drop_items_past_limit(root: Any) -> None:
    """Keep the first :data:`.MAX_ITEMS` items (channel and RSS 1.0 levels).

    Counting the elements on those levels, whatever their names, is a third
    of the cost of finding the items by name, and nearly every feed has fewer.
    """
    if root.xpath(_LEVELS_OF_ITEMS) <= MAX_ITEMS:
        return
    test = " or ".join(f"local-name()='{name}'" for name in _ITEM_NAMES)
    items = root.xpath(f"/*/*[{test}] | /*/*/*[{test}]")
    for item in items[MAX_ITEMS:]:
        item.getparent().remove(item)


def _text_as_cdata(root: Any) -> None:
    """Leaf text holding markup as CDATA: one SAX event instead of one per ``&lt;``."""
    for element in root.iter(tag=etree.Element):
        try:
            text = element.text
        except UnicodeDecodeError:
            continue
        if text and len(element) == 0 and ("<" in text or "&" in text) and "]]>" not in text:
            element.text = etree.CDATA(text)
