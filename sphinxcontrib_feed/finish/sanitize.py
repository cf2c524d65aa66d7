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
from urllib.parse import quote, urljoin, urlsplit

from sphinxcontrib_feed.finish.pictures import drop_trackers

# moved to .text, still importable from here
from sphinxcontrib_feed.text import MAX_INPUT
from sphinxcontrib_feed.text import html_to_text as html_to_text
from sphinxcontrib_feed.text import shorten as shorten

#: Schemes a link or image in the built docs may use.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: Unicode's 66 noncharacters: U+FDD0 to U+FDEF, and the last two code points
#: of every plane (U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF). U+FFFE and U+FFFF may
#: not appear in XML at all (an EPUB page holding one is not well-formed), and
#: none of them is meant for interchange.
NONCHARACTERS = (
    *range(0xFDD0, 0xFDF0),
    *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
)
_NONCHARACTER_CLASS = "\ufdd0-\ufdef" + "".join(
    chr(code) for code in NONCHARACTERS if code > 0xFDEF
)
# WHATWG URL parsing drops ASCII tab and newline anywhere and C0 controls and
# space at both ends; browsers then honour the scheme that is left, so we must
# judge the URL exactly as they will see it.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
# What a URL may not carry raw once trimmed: controls (a terminal obeys them when
# a text or man page is printed), lone surrogates (no encoder can write them)
# and noncharacters (no XML page can hold U+FFFF).
_UNSAFE_IN_URL = re.compile(rf"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTER_CLASS}]")

# C0 controls but tab, newline and carriage return; DEL; C1 controls;
# noncharacters. An ECMA-48 control sequence goes whole, so ``ESC[31m``
# leaves no ``[31m`` behind.
_CONTROLS = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    rf"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_NONCHARACTER_CLASS}]"
)
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# What _CONTROLS and _SURROGATES look for, found fast in the UTF-8 bytes (a
# regex over a whole document's str is ~40 ns a character, these ~1 ns a
# byte): C0 controls and DEL deleted by bytes.translate; C1 controls, lone
# surrogates (as "surrogatepass" writes them), U+FDD0-U+FDEF and every plane's
# last two code points (…BF BE, …BF BF: a superset, any match takes the
# regexes) by searches that each start with a literal byte.
_C0_AND_DEL = bytes((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
_UNCLEAN_SEQUENCES = tuple(
    re.compile(pattern)
    for pattern in (
        rb"\xc2[\x80-\x9f]",
        rb"\xed[\xa0-\xbf]",
        rb"\xef\xb7[\x90-\xaf]",
        rb"\xbf[\xbe\xbf]",
    )
)

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


#: Absolute web URLs that ``urljoin`` returns as they are, whatever the base:
#: a host right after ``//``, no ``;`` (path parameters), no empty query or
#: fragment, no whitespace or control character.
PLAIN_WEB_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[\w.~!$&'()*+,=:@%/-]*)?"
    r"(?:\?[\w.~!$&'()*+,=:@%/?-]+)?(?:#[\w.~!$&'()*+,=:@%/?-]+)?\Z",
    re.ASCII,
)


def safe_url(value: str | None, base: str | None = None) -> str | None:
    """Return *value* as an absolute URL with a safe scheme, or None.

    Entities are decoded and whitespace/control characters removed first,
    then the URL is resolved against *base*, then the scheme is checked.
    """
    if not value:
        return None
    if "&" not in value and PLAIN_WEB_URL.match(value):  # each step below keeps it as it is
        if base:
            try:
                urlsplit(base)  # as urljoin would: an unparsable base is refused
            except ValueError:
                return None
        return value
    return _resolved_url(value, base)


def _resolved_url(value: str, base: str | None) -> str | None:
    url = _TAB_NEWLINE.sub("", html.unescape(value)).strip(_C0_OR_SPACE)
    if not url:
        return None
    url = _UNSAFE_IN_URL.sub(_percent_encoded, url)
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


def _percent_encoded(match: re.Match[str]) -> str:
    return quote(_SURROGATES.sub("\ufffd", match[0]), safe="")


def scrub_text(value: str) -> str:
    """*value* without terminal controls and noncharacters, lone surrogates as U+FFFD.

    Tab, newline and carriage return stay (one-line fields collapse them).
    Noncharacters (:data:`NONCHARACTERS`) go: U+FFFF would make an EPUB page
    ill-formed XML.
    Lone surrogates (JSON ``"\\ud800"``, a loose parser's ``&#xD800;``) would
    stop the text, LaTeX, man and Texinfo writers with an encoding error, and
    controls such as ESC or U+009B would drive the terminal of whoever reads
    a text or man page.
    """
    if value.isascii():
        if value.isprintable() or not _has_c0_control(value.encode("ascii")):
            return value
        return _CONTROLS.sub("", value)
    data = value.encode("utf-8", "surrogatepass")
    if not _has_c0_control(data) and not any(seq.search(data) for seq in _UNCLEAN_SEQUENCES):
        return value
    return _CONTROLS.sub("", _SURROGATES.sub("\ufffd", value))


def _has_c0_control(data: bytes) -> bool:
    return len(data.translate(None, _C0_AND_DEL)) != len(data)


def one_line(value: str | None) -> str:
    """A one-line text field as it is (no markup removed): scrubbed, spaces collapsed."""
    return " ".join(scrub_text(value or "").split())  # runs of str.isspace, as regex \s


def web_base(candidate: str | None, fallback: str | None) -> str | None:
    """*candidate* if it can resolve relative URLs to web addresses, else *fallback*.

    A ``file:`` base (a feed file's own location) would turn every relative
    link into a file link, which the URL check then drops.
    """
    try:
        if candidate and urlsplit(candidate).scheme.lower() in ("http", "https"):
            return candidate
    except ValueError:  # an unparsable address, such as "http://[::1"
        pass
    return fallback


def clean_html(fragment: str, base: str | None = None) -> str:
    """Sanitize an HTML fragment; relative URLs are resolved against *base*.

    The fragment is scrubbed (:func:`scrub_text`) before nh3 sees it (it cannot
    take surrogates) and after (character references such as ``&#x1b;`` are
    decoded by then).
    """
    if not fragment:
        return ""
    import nh3  # on first use: a build that finishes no item (a no-op) never loads it

    def resolve(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES:
            return safe_url(value, base)
        return value

    cleaned = nh3.clean(
        scrub_text(drop_trackers(fragment)),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=resolve,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return scrub_text(cleaned)


# A tag of an element common in summaries, as it reads once unescaped.
_ESCAPED_TAG = re.compile(
    r"<(?:/?(?:a|b|blockquote|br|code|div|em|figure|h[1-6]|i|img|li|ol|p|pre|span|strong|"
    r"table|ul)\b[^<>]*)>",
    re.IGNORECASE,
)
_REAL_TAG = re.compile(r"<[a-zA-Z/!?]")


def unescape_double_escaped(fragment: str) -> str:
    """*fragment* unescaped once if it is HTML escaped twice, else unchanged.

    Some publishers escape their HTML before their feed library escapes it
    again, so readers show ``<p><a href="…">`` as text. The sign: no real tag
    at all, and once unescaped the text starts with a tag of a common element
    or holds at least three of them.
    """
    if "&" not in fragment or _REAL_TAG.search(fragment):
        return fragment
    once = html.unescape(fragment)
    tags = _ESCAPED_TAG.finditer(once)
    first = next(tags, None)
    if first is None:
        return fragment
    starts_with_a_tag = not once[: first.start()].strip()
    if starts_with_a_tag or (next(tags, None) and next(tags, None)):
        return once
    return fragment


_IMAGE_SOURCE = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def first_image_in(cleaned: str) -> str | None:
    """The first image of a fragment that :func:`clean_html` produced (so the URL is safe)."""
    match = _IMAGE_SOURCE.search(cleaned)
    return html.unescape(match[1]) if match else None


def plain_text(value: str | None) -> str:
    """A one-line plain-text field (title, author): markup removed, scrubbed, spaces collapsed."""
    if not value:
        return ""
    if value.isascii() and value.isprintable() and "<" not in value and "&" not in value:
        return " ".join(value[:MAX_INPUT].split())  # what _plain_text gives (most titles)
    return _plain_text(value)


def _plain_text(value: str) -> str:
    """:func:`plain_text` of any *value*: scrubbed, its markup's text, spaces collapsed."""
    value = scrub_text(value)
    try:
        text = html_to_text(value)
    except Exception:  # the stdlib parser raises on some markup (``<![``)
        import nh3

        text = html.unescape(nh3.clean(value, tags=set(), clean_content_tags={"script", "style"}))
    return one_line(text)
