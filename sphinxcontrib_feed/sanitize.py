"""Make feed content safe before it is stored: URLs, HTML fragments, text.

Feeds are written by strangers. Every URL a page may show goes through
:func:`safe_url` and every HTML fragment through :func:`clean_html` (nh3, an
allow-list sanitizer), at parse time, so nothing downstream ever sees raw
feed markup. Plain text needs no escaping here: docutils ``Text`` nodes are
escaped by every writer.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import nh3

# moved to .text, still importable from here
from sphinxcontrib_feed.text import html_to_text as html_to_text
from sphinxcontrib_feed.text import shorten as shorten

#: Schemes a link or image in the built docs may use.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# WHATWG URL parsing drops ASCII tab and newline anywhere and C0 controls and
# space at both ends; browsers then honour the scheme that is left, so we must
# judge the URL exactly as they will see it.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))

#: Elements kept in sanitized summaries; everything else is unwrapped to text.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl",
        "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
        "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul", "var",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
_URL_ATTRIBUTES = frozenset({"href", "src"})
#: Elements dropped together with their content.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})


def safe_url(value: str | None, base: str | None = None) -> str | None:
    """Return *value* as an absolute URL with a safe scheme, or None.

    Entities are decoded and whitespace/control characters removed first,
    then the URL is resolved against *base*, then the scheme is checked.
    """
    if not value:
        return None
    url = _TAB_NEWLINE.sub("", html.unescape(value)).strip(_C0_OR_SPACE)
    if not url:
        return None
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES:
        return None
    return url


def web_base(candidate: str | None, fallback: str | None) -> str | None:
    """*candidate* if it can resolve relative URLs to web addresses, else *fallback*.

    A ``file:`` base (a feed file's own location) would turn every relative
    link into a file link, which the URL check then drops.
    """
    if candidate and urlsplit(candidate).scheme.lower() in ("http", "https"):
        return candidate
    return fallback


def clean_html(fragment: str, base: str | None = None) -> str:
    """Sanitize an HTML fragment; relative URLs are resolved against *base*."""
    if not fragment:
        return ""

    def resolve(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES:
            return safe_url(value, base)
        return value

    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=resolve,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_IMAGE_SOURCE = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def first_image_in(cleaned: str) -> str | None:
    """The first image of a fragment that :func:`clean_html` produced (so the URL is safe)."""
    match = _IMAGE_SOURCE.search(cleaned)
    return html.unescape(match[1]) if match else None


def plain_text(value: str | None) -> str:
    """A one-line plain-text field (title, author): markup removed, spaces collapsed."""
    return html_to_text(value or "")
