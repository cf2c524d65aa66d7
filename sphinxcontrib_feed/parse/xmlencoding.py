"""An XML document's bytes as text, decoded the way feedparser would.

Decoding happens here, with Python's codecs, rather than in libxml2: libxml2
misreads UTF-16 without a byte-order mark (an "empty document") and EBCDIC,
and maps some code page names differently from Python. Order, as XML 1.0
appendix F and RFC 7303 say: a byte-order mark, then the byte pattern of the
first ``<``, then the HTTP ``charset``, then the XML declaration, then UTF-8,
then the legacy encodings feedparser falls back to.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# XML 1.0 appendix F, without a BOM: the first two characters (whitespace or
# "<") tell the width and byte order, however much whitespace comes first.
_PATTERNS = (
    (re.compile(rb"^\x00\x00\x00[ \t\r\n<]"), "utf-32-be"),
    (re.compile(rb"^[ \t\r\n<]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"^\x00[ \t\r\n<]\x00[^\x00]"), "utf-16-be"),
    (re.compile(rb"^[ \t\r\n<]\x00[^\x00]\x00"), "utf-16-le"),
)
# EBCDIC: EBCDIC whitespace, then "<" (0x4C) and "?", "!" or a letter.
_EBCDIC = re.compile(rb"^[\x40\x05\x0d\x25\x15]*\x4c[\x6f\x5a\x81-\xe9]")
_DECLARATION = re.compile(r"^\s*<\?xml\s[^>]*?\?>")
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_FALLBACKS = ("utf-8", "windows-1252", "iso-8859-2")
_UNICODE_FAMILY = ("utf-16", "utf-32", "ucs-2", "ucs-4", "utf16", "utf32")


def decode_xml(content: bytes, content_type: str = "") -> str:
    """*content* as text, without its XML declaration (the encoding is spent)."""
    text = _decode(content, content_type)
    if declaration := _DECLARATION.match(text):
        text = text[declaration.end() :]
    return text.lstrip("\ufeff")


def _decode(content: bytes, content_type: str) -> str:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, "replace")
    head = content[:1024]
    for pattern, encoding in _PATTERNS:
        if pattern.match(head):
            return content.decode(encoding, "replace")
    if _EBCDIC.match(head):
        declared = _declared(head.decode("cp037", "replace"))
        return content.decode(_known(declared) or "cp037", "replace")
    charset = _CHARSET.search(content_type)
    candidates = (charset.group(1) if charset else None, _declared(head.decode("latin-1")))
    for candidate in (*candidates, *_FALLBACKS):
        known = _known(candidate)
        if known is None or known.startswith(_UNICODE_FAMILY):
            continue  # a wide encoding named in an ASCII-compatible document is a lie
        try:
            return content.decode(known)
        except UnicodeDecodeError:
            continue
    return content.decode("utf-8", "replace")


def _declared(head: str) -> str | None:
    found = _DECLARED_ENCODING.match(head)
    return found.group(1) if found else None


def _known(encoding: str | None) -> str | None:
    """Python's name for *encoding*, or None where Python has no such codec."""
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None
