"""Cut markup nested deeper than a limit, on the text, before libxml2 reads it again.

libxml2 stops a whole document at 256 levels of nesting, so one hostile item
nested 20,000 deep would cost every item after it. Only for a document that
hit that limit, this one linear pass drops whatever lies deeper than
:data:`.MAX_DEPTH` (tags and text alike) and keeps the rest, so the next read
costs the deep item its deep content, and nothing else.
"""

from __future__ import annotations

import re

# One markup token; attribute values with ">" in them may be cut short, which
# only matters for the ill-formed documents that come here.
_TOKEN = re.compile(
    r"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|\Z)|<![^>]*>?"
    r"|</[^>]*>?|<[^>]*?/>|<[A-Za-z_:][^>]*>?",
    re.DOTALL,
)


def cap_depth(text: str, limit: int) -> str:
    """*text* without the elements (and text) nested deeper than *limit*."""
    kept: list[str] = []
    depth = 0
    position = 0
    for token in _TOKEN.finditer(text):
        if depth <= limit:
            kept.append(text[position : token.start()])
        position = token.end()
        markup = token.group()
        if markup.startswith("</"):
            keep = depth <= limit
            depth = max(depth - 1, 0)
        elif markup.startswith(("<!", "<?")):
            keep = depth <= limit
        elif markup.endswith("/>"):
            keep = depth < limit
        else:
            depth += 1
            keep = depth <= limit
        if keep:
            kept.append(markup)
    if depth <= limit:
        kept.append(text[position:])
    return "".join(kept)
