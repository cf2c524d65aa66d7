"""Man pages: feed text and links reach roff only escaped.

Docutils' man writer escapes text (``\\`` → ``\\e``, quotes, a leading
``.``) but writes a reference's URL as given, so a backslash in a feed's link
is a roff escape: ``\\"`` hides the rest of the line, ``\\V[HOME]`` prints the
reader's environment. And a newline inside a text node is escaped only in
literal blocks, so a title holding ``"\\n.SH X"`` starts a roff request. For
the ``man`` builder this post-transform therefore turns every link inside a
feed into :class:`feed_man_link`, whose visitor escapes the URL as text, and
joins the lines of every text node outside literal blocks (roff fills lines
anyway). Texinfo needs nothing: Sphinx escapes ``@``, braces and commas in
its text and URLs (a test shows it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.render.html import BLOCK_CLASS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.manpage import ManualPageTranslator


class feed_man_link(nodes.reference):
    """A link from a feed, in a man page: its text, then `` <URL>``, both escaped."""


def is_feed_container(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and BLOCK_CLASS in node.get("classes", ())


class ManPageSafety(SphinxPostTransform):
    """Feed content in man pages: links through :class:`feed_man_link`, one line per text."""

    builders = ("man",)
    default_priority = 110  # after the feed post-transform (100) has made the nodes

    def run(self, **kwargs: Any) -> None:
        for container in list(self.document.findall(is_feed_container)):
            for reference in list(container.findall(nodes.reference)):
                if isinstance(reference, feed_man_link) or not reference.get("refuri"):
                    continue
                link = feed_man_link("", "", *reference.children, refuri=reference["refuri"])
                link["classes"] = list(reference["classes"])
                reference.replace_self(link)
            for text in list(container.findall(nodes.Text)):
                if "\n" in text and not in_literal_block(text):
                    text.parent.replace(text, nodes.Text(" ".join(text.split("\n"))))


def in_literal_block(node: nodes.Node) -> bool:
    """Whether *node* lies inside a literal block, where line ends are the text's own."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.literal_block):
            return True
        parent = parent.parent
    return False


# The escapes docutils' man writer gives text (its ``encode_special_chars``,
# which docutils 0.21 does not have as a method): kept here, so a link is
# escaped the same way on every docutils the extension supports.
_ROFF_SPECIALS = str.maketrans(
    {"\\": "\\e", "-": "\\-", "'": "\\(aq", "´": "\\'", "`": "\\(ga", '"': "\\(dq"}
)
# groff_man_style's non-printing break points in long URIs (as docutils'
# ``insert_URI_breakpoints``, new in docutils 0.22): after runs of ``/@?&#``
# and before runs of dots, where at least three characters follow.
_BREAK_AFTER = re.compile(r"([/@?&#]+)(?=.{3,})")
_BREAK_BEFORE_DOTS = re.compile(r"([^\.]+)(?=\.+)(?=.{3,})")


def roff_escape(translator: ManualPageTranslator, text: str) -> str:
    """*text* as roff prints it literally, wherever it sits on a line."""
    return str(translator.deunicode(text.translate(_ROFF_SPECIALS)))


def _uri_breakpoints(text: str) -> str:
    return _BREAK_BEFORE_DOTS.sub(r"\1\\:", _BREAK_AFTER.sub(r"\1\\:", text))


def visit_feed_man_link(self: ManualPageTranslator, node: feed_man_link) -> None:
    if node.astext() == node["refuri"]:  # the text is the URL: print it once
        self.body.append(_url(self, node["refuri"]))
        raise nodes.SkipNode


def depart_feed_man_link(self: ManualPageTranslator, node: feed_man_link) -> None:
    self.body.append(" " + _url(self, node["refuri"]))


def _url(translator: ManualPageTranslator, url: str) -> str:
    # \% keeps roff from hyphenating the URL; breakpoints (\:) go only between
    # whole escapes, since no escape contains the characters they follow
    url = "%20".join(url.split())
    return r"\%<" + _uri_breakpoints(roff_escape(translator, url)) + ">"


def setup(app: Sphinx) -> None:
    app.add_node(feed_man_link, man=(visit_feed_man_link, depart_feed_man_link))
    app.add_post_transform(ManPageSafety)
