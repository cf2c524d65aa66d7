"""Plain text from HTML fragments: text summaries, titles, filters.

Blocks stay apart in the text: where one block (paragraph, heading, list
item, table cell, line break, ...) ends without punctuation and more text
follows, :data:`BLOCK_SEPARATOR` goes between them, so a heading and the
paragraph after it read "What is new · Version 2.0 is out." rather than
"What is new Version 2.0 is out."; after a sentence end (``.!?…:;,``) a space
is enough. The cost is linear in the input, which is read up to
:data:`MAX_INPUT` characters or :data:`MAX_TAGS` tags, whichever comes first.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Between two blocks when the first does not end with punctuation.
BLOCK_SEPARATOR = " · "
#: Characters of a fragment read at most; the rest is dropped.
MAX_INPUT = 1_000_000
#: Tags (start and end) read at most; the rest is dropped.
MAX_TAGS = 40_000
_CHUNK = 8192

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip
#: Never visible (the sanitizer drops them with their content too).
_HIDDEN = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_SENTENCE_END = frozenset(".!?…:;,。！？：；，")
_CLOSING = "\"'”’»)]}"
_WHITESPACE = re.compile(r"\s+")
#: Stripped from the end of a cut before its "…" is added.
_TRAILING = " ,;:.-–—…([{"


class _TextExtractor(HTMLParser):
    """Collects the visible text of a fragment, blocks kept apart (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        self._boundary = False  # a block edge since the last text
        self._ends_sentence = True  # the text so far ends with punctuation (or is empty)
        self._has_text = False
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag in _HIDDEN:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self._boundary = True

    def handle_endtag(self, tag: str) -> None:
        self.tags += 1
        if tag in _HIDDEN:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._boundary = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:  # <br/>, <img/>: no end to wait for
            self.handle_starttag(tag, attrs)
        else:
            self.tags += 1

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        content = data.strip()
        if not content:
            self.parts.append(" ")
            return
        if self._boundary and self._has_text:
            self.parts.append(" " if self._ends_sentence else BLOCK_SEPARATOR)
        self.parts.append(data)
        self._boundary = False
        self._has_text = True
        self._ends_sentence = content.rstrip(_CLOSING + " \t\n\r\f")[-1:] in _SENTENCE_END


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed, blocks kept apart."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return _WHITESPACE.sub(" ", fragment[:MAX_INPUT]).strip()
    extractor = _TextExtractor()
    fragment = fragment[:MAX_INPUT]
    for start in range(0, len(fragment), _CHUNK):
        extractor.feed(fragment[start : start + _CHUNK])
        if extractor.tags > MAX_TAGS:
            break  # without close(): the unread rest (maybe half a tag) must not become text
    else:
        extractor.close()
    return _WHITESPACE.sub(" ", "".join(extractor.parts)).strip()


def shorten(text: str, length: int) -> str:
    """Cut *text* to at most *length* characters at a word boundary, ending with "…".

    Text that fits is returned as it is; a cut never ends in two ellipses.
    """
    if length <= 0 or len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"


#: C0 controls, DEL and C1 controls: what drives a terminal (ESC, BEL, CSI, OSC, ...).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Kept by :func:`printable` with ``lines=True``.
_LINE_BREAKS = frozenset("\n\t")


def printable(text: str, lines: bool = False) -> str:
    r"""*text* safe to print on a terminal or in a log: every C0 and C1 control
    (escape sequences included) shown as ``\xNN``, never emitted.

    For whatever came from a server or a feed (a reason phrase, a ``Location``,
    an advertised URL, a title) before it goes into a message. With *lines*,
    newline and tab are kept. Idempotent: its output has no control left.
    """
    if lines:
        return _CONTROLS.sub(
            lambda m: m[0] if m[0] in _LINE_BREAKS else f"\\x{ord(m[0]):02x}", text
        )
    return _CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
