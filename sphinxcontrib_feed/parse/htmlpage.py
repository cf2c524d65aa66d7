"""A web page where a feed was expected: the commonest beginner's mistake.

The error names the feeds the page advertises (``<link rel="alternate"
type="application/rss+xml" href="...">``), so the fetcher can follow one and
the warning can say which URL to put in the directive.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from sphinxcontrib_feed.model import HTMLPageError

#: Link types that announce a feed.
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
    }
)
# What an HTML page starts with, after a BOM, whitespace and comments.
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(content: bytes) -> bool:
    """True where the document opens as an HTML page (first 4 KiB)."""
    return _HTML_START.match(content[:4096]) is not None


def html_page_error(content: bytes, url: str) -> HTMLPageError:
    """The error for an HTML page at *url*, with the feeds it advertises."""
    alternates = advertised_feeds(content, url)
    message = "this address is an HTML page, not a feed"
    if alternates:
        message += f"; it advertises {alternates[0]}"
    return HTMLPageError(message, alternates)


def advertised_feeds(content: bytes, url: str) -> tuple[str, ...]:
    """Absolute http(s) URLs of the page's feed ``<link rel="alternate">``, in page order."""
    from lxml import html  # only when a page is met: it costs a few ms to import

    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        document: Any = html.document_fromstring(content, parser=parser)
    except (etree.ParserError, ValueError):
        return ()
    base = url
    for element in document.iter("base"):
        if href := element.get("href"):
            base = urljoin(url, href.strip())
            break
    found: list[str] = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        try:
            absolute = urljoin(base, href)
        except ValueError:
            continue
        if urlsplit(absolute).scheme in {"http", "https"} and absolute not in found:
            found.append(absolute)
    return tuple(found)
