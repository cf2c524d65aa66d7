"""Gzip-compressed documents: decompressed once, never past the document limit.

HTTP's own ``Content-Encoding: gzip`` is undone while the body is fetched.
This is for a body that *is* a gzip file: a server handing out
``feed.xml.gz`` as ``application/gzip`` (or compressing twice), or a feed
file kept compressed in a repository. Such a document starts with gzip's
magic bytes, which no XML or JSON document can; it is decompressed here, one
layer only, and decompression stops at :data:`.MAX_DOCUMENT_BYTES` of output
(a small file can unpack to gigabytes: that costs the feed, not the build's
memory). A stream that ends early gives what it held up to the cut, which
the XML step then reads as it reads any truncated document; a server's
answer cut short is not a good copy at all (:func:`inflated` tells, for
:mod:`.refresh.answers`).
"""

from __future__ import annotations

import zlib

from sphinxcontrib_feed.model import FeedParseError
from sphinxcontrib_feed.parse.limits import MAX_DOCUMENT_BYTES

__all__ = ["GZIP_MAGIC", "decompressed", "inflated"]

#: The first bytes of every gzip stream (ID1, ID2, and the deflate method).
GZIP_MAGIC = b"\x1f\x8b\x08"
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # a gzip header and trailer around deflate data


def decompressed(content: bytes) -> bytes:
    """*content* itself, or, for a gzip stream, what it holds."""
    return inflated(content)[0] if content.startswith(GZIP_MAGIC) else content


def inflated(content: bytes) -> tuple[bytes, bool]:
    """What the gzip stream *content* holds, and whether the stream reached its end."""
    stream = zlib.decompressobj(_GZIP_WINDOW)
    try:
        document = stream.decompress(content, MAX_DOCUMENT_BYTES + 1)
    except zlib.error as error:
        reason = f"not a feed: gzip-compressed, and it cannot be read ({error})"
        raise FeedParseError(reason) from None
    if len(document) > MAX_DOCUMENT_BYTES:
        raise FeedParseError(
            "the document is gzip-compressed and holds more than "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB; refused"
        )
    if not document.strip():
        raise FeedParseError("not a feed: gzip-compressed, and empty once decompressed")
    return document, stream.eof
