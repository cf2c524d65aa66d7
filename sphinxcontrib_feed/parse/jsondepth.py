"""Cut JSON nested deeper than a limit, on the text, before the decoder reads it.

Python's JSON decoder bounds nesting only by the interpreter's recursion
limit, which differs between Python versions (a feed nested 5,000 deep is
refused on 3.11 and decoded on 3.13). The extension's limit is its own:
this linear pass replaces every array or object that starts deeper than
:data:`.MAX_DEPTH` with ``null``, so the same documents decode the same way
on every Python, and a hostile value costs only itself: the mapping never
reads that deep, and the item around it keeps everything else.
"""

from __future__ import annotations

import re

# A string (escapes included; an unterminated one runs to the end), or a bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def cap_json_depth(text: str, limit: int) -> tuple[str, bool]:
    """*text* with the arrays and objects deeper than *limit* as ``null``; and whether any were."""
    if text.count("[") + text.count("{") <= limit:
        return text, False  # cannot be deeper: skip the scan
    kept: list[str] = []
    depth = 0
    position = 0  # where the text not yet copied starts
    cut = False
    for token in _TOKEN.finditer(text):
        bracket = token.group()
        if bracket[0] == '"':
            continue
        if bracket in "[{":
            depth += 1
            if depth == limit + 1:  # the start of a value too deep: copy up to here
                kept.append(text[position : token.start()])
                cut = True
        else:
            if depth == limit + 1:  # its end: the whole value becomes null
                kept.append("null")
                position = token.end()
            depth = max(depth - 1, 0)
    if depth <= limit:
        kept.append(text[position:])
    return "".join(kept), cut
