"""PDF through pdflatex: every character a feed carries can be typeset.

pdflatex reads UTF-8 through ``inputenc``, which knows only the characters
its font encodings declare; any other one stops the build ("Unicode character
🙏 (U+1F64F) not set up for use with LaTeX"). Feeds carry anything, so for
``latex_engine = "pdflatex"`` this post-transform rewrites the text inside
feed containers, character by character:

1. kept: what Sphinx's default preamble declares (the ``\\DeclareUnicodeCharacter``
   lists of ``utf8.def`` and the OT1, T1, TS1 and OMS encodings, Sphinx's own
   additions and its LaTeX escapes), plus Cyrillic where the document's font
   encodings have it (T2A or X2, as Sphinx sets for Cyrillic languages) and
   Greek where they include LGR, and whatever the project declares itself
   with ``\\DeclareUnicodeCharacter`` in ``latex_elements``;
2. else a stand-in from :data:`.latex_chars.TEXT`: unusual spaces become a
   space, dashes and quotes their ASCII forms, invisible format characters
   nothing;
3. else its compatibility form (NFKC: ``①`` → ``1``, full-width letters),
   or, for a letter, the letter without its accents (``ệ`` → ``e``), when
   those can be typeset;
4. else, outside code, Greek letters and common mathematical symbols as
   LaTeX math (``α`` → ``\\(\\alpha\\)``, from a fixed table: feed text never
   becomes LaTeX);
5. else Cyrillic letters transliterated to Latin (``Привет`` → ``Privet``);
6. else a ``?``, once per run of such characters (an emoji with its joiners
   and variation selectors is one ``?``).

Link targets with non-ASCII characters are percent-encoded. xelatex and
lualatex read Unicode themselves: nothing is changed for them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.render import order
from sphinxcontrib_feed.render.latex_chars import (
    CYRILLIC,
    GREEK,
    MATH,
    PDFLATEX,
    TEXT,
    TRANSLITERATION,
)
from sphinxcontrib_feed.render.manpage import is_feed_container
from sphinxcontrib_feed.settings.compat import app_of

#: Shown for characters pdflatex cannot typeset and that have no stand-in.
UNKNOWN = "?"
#: ``\DeclareUnicodeCharacter{1F64F}{...}`` (or Sphinx's ``\sphinxDUC``) in a preamble.
_DECLARED = re.compile(r"\\(?:DeclareUnicodeCharacter|sphinxDUC)\s*\{\"?([0-9A-Fa-f]{2,6})\}")
#: Nodes whose text is printed verbatim: no math stand-ins there.
_CODE = (nodes.literal, nodes.literal_block, nodes.raw)


class PdflatexText(SphinxPostTransform):
    """Feed text that pdflatex can typeset, for the ``latex`` builder with pdflatex."""

    builders = order.LATEX_BUILDERS
    default_priority = order.LATEX_TEXT

    def run(self, **kwargs: Any) -> None:
        if self.config.latex_engine != "pdflatex":
            return
        rewrite = Rewriter(typesettable(app_of(self.env).builder))
        for container in list(self.document.findall(_holds_feed_text)):
            for text in list(container.findall(nodes.Text)):
                if text.isascii():
                    continue
                parts = rewrite(str(text), math=not _in_code(text))
                if parts != [str(text)]:
                    text.parent.replace(text, [_node(part) for part in parts])
            for reference in container.findall(nodes.reference):
                if not reference.get("refuri", "").isascii():
                    reference["refuri"] = ascii_uri(reference["refuri"])


def _holds_feed_text(node: nodes.Node) -> bool:
    """A feed container, or a ``:feed-latest:`` link (see :mod:`.latest`)."""
    latest = isinstance(node, nodes.reference) and "feed-latest" in node["classes"]
    return latest or is_feed_container(node)


def typesettable(builder: object) -> frozenset[int]:
    """The code points this LaTeX build's preamble declares."""
    context: dict[str, Any] = getattr(builder, "context", {}) or {}
    fontenc = str(context.get("fontenc", ""))
    babel = getattr(builder, "babel", None)
    uses_cyrillic = bool(babel is not None and babel.uses_cyrillic())
    allowed = PDFLATEX
    if uses_cyrillic or "T2A" in fontenc or "X2" in fontenc:
        allowed |= CYRILLIC
    if "LGR" in fontenc:
        allowed |= GREEK
    # characters the project declares itself, e.g. in latex_elements["preamble"]
    preamble = "\n".join(value for value in context.values() if isinstance(value, str))
    declared = {int(code, 16) for code in _DECLARED.findall(preamble)}
    return allowed | declared


class _Math(str):
    """A piece of LaTeX from :data:`.latex_chars.MATH` (never feed text)."""


def _node(part: str) -> nodes.Node:
    if isinstance(part, _Math):
        return nodes.raw("", part, format="latex")
    return nodes.Text(part)


def _in_code(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _CODE):
            return True
        parent = parent.parent
    return False


class Rewriter:
    """Turns text into pieces pdflatex can typeset: plain strings and :class:`_Math`."""

    def __init__(self, allowed: frozenset[int]) -> None:
        self.allowed = allowed

    def can_typeset(self, text: str) -> bool:
        return all(ord(char) < 0x80 or ord(char) in self.allowed for char in text)

    def __call__(self, text: str, math: bool = True) -> list[str]:
        text = unicodedata.normalize("NFC", text)
        parts: list[str] = []
        plain: list[str] = []
        unknown = False  # inside a run of characters shown as one "?"
        for char in text:
            stand_in = self.stand_in(char, math)
            if isinstance(stand_in, _Math):
                if plain:
                    parts.append("".join(plain))
                    plain = []
                parts.append(stand_in)
                unknown = False
            elif stand_in is None:
                if not unknown:
                    plain.append(UNKNOWN)
                unknown = True
            elif stand_in or not unknown:  # joiners inside a "?" run vanish with it
                plain.append(stand_in)
                unknown = unknown and not stand_in
        if plain or not parts:
            parts.append("".join(plain))
        return parts

    def stand_in(self, char: str, math: bool = True) -> str | None:
        """*char*, or what pdflatex can typeset in its place (:class:`_Math` only
        where *math*), or None."""
        if ord(char) < 0x80 or ord(char) in self.allowed:
            return char
        if char in TEXT:
            return TEXT[char]
        if char in MATH:
            return _Math(MATH[char]) if math else None
        category = unicodedata.category(char)
        if category in ("Cf", "Mn", "Me"):
            return ""  # invisible: joiners, direction marks, variation selectors
        if category == "Zs":
            return " "
        if category[0] == "C":
            return None
        compatible = unicodedata.normalize("NFKC", char)
        if compatible != char and self.can_typeset(compatible):
            return compatible
        if category[0] != "L":
            return None  # "≠" without its stroke would be "="
        bare = unicodedata.normalize(
            "NFC",
            "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)),
        )
        if bare != char and (self.can_typeset(bare) or bare in MATH):
            return self.stand_in(bare, math)
        if char.lower() in TRANSLITERATION:
            latin = TRANSLITERATION[char.lower()]
            return latin if char.islower() else latin.capitalize()
        return None


def ascii_uri(uri: str) -> str:
    """*uri* with non-ASCII characters percent-encoded (an IDN host in punycode)."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        netloc = parts.netloc
        if host and not host.isascii():
            netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    except (ValueError, UnicodeError):
        return quote(uri, safe="/:?#[]@!$&'()*+,;=%~")
    safe = "/:?#[]@!$&'()*+,;=%~"
    return urlunsplit(
        (parts.scheme, quote(netloc, safe=safe), quote(parts.path, safe=safe),
         quote(parts.query, safe=safe), quote(parts.fragment, safe=safe))
    )  # fmt: skip
