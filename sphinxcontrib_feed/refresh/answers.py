"""Which answers count as failures.

A server's ``200`` is not automatically a good copy: an empty body, a
document cut short (plain or gzip-compressed), or a feed with no items where
the last good copy had some is treated as a failed fetch, so it never
replaces that copy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse.compressed import GZIP_MAGIC, inflated

if TYPE_CHECKING:
    from sphinxcontrib_feed.model import Feed

_BOM = b"\xef\xbb\xbf"
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s/>]")
_LAST_END_TAG = re.compile(rb"</\s*([A-Za-z_][\w.:-]*)\s*>\s*\Z")
_HEAD = 64 * 1024
_TAIL = 4 * 1024


def bad_content(content: bytes) -> str | None:
    """Why these bytes cannot be a whole feed (empty, or an XML document cut short,
    gzip-compressed or not)."""
    if not content.strip():
        return "the server answered with an empty document"
    if content.startswith(GZIP_MAGIC):
        try:
            content, whole = inflated(content)
        except FeedParseError:
            return None  # not a feed at all: the parse says why
        if not whole:
            return "the gzip-compressed document is cut short (a cut-off download?)"
    if is_truncated_xml(content):
        return "the document ends before its root element does (a cut-off download?)"
    return None


def lost_items(feed: Feed, previous: Feed | None) -> str | None:
    """Why *feed* should not replace *previous*: it has no items where *previous* had some."""
    if previous is None or feed.entries:
        return None
    # the environment's copy holds only the items shown: its count says how many it had
    had = len(previous.entries) if previous.item_count is None else previous.item_count
    if had:
        return f"the server's answer has no items, where the last good copy had {had}"
    return None


def is_truncated_xml(content: bytes) -> bool:
    """Whether an XML document (ASCII-compatible) lacks its root's end tag at its end.

    Structural, not parser-specific: whichever parser reads it, a document
    whose root element is never closed was cut short. Documents we cannot
    read this way (UTF-16, JSON, no root found) are left to the parser.
    """
    head = content[:_HEAD].removeprefix(_BOM).lstrip()
    if not head.startswith(b"<"):
        return False
    root = _ROOT.search(_COMMENT.sub(b"", head))
    if root is None:
        return False
    tail = content[-_TAIL:].rstrip()
    for _ in range(8):  # comments and processing instructions may follow the root
        for opener, closer in ((b"<!--", b"-->"), (b"<?", b"?>")):
            if tail.endswith(closer) and (start := tail.rfind(opener)) >= 0:
                tail = tail[:start].rstrip()
    end = _LAST_END_TAG.search(tail)
    return end is None or end[1] != root[1]
