"""Images and figures inside rich summaries.

An ``<img>`` (its ``src`` already absolute and safe, see :func:`.sanitize.clean_html`)
becomes a :class:`summary_image` only where the builder links remote images
(HTML); there it is lazy-loaded, decoded off the main thread and limited to the
column by the stylesheet. Everywhere else (LaTeX, ePub, text, man, Texinfo) no
image node is made at all, so nothing is ever downloaded at build time: the
image's ``alt`` text stands in, in square brackets, or nothing when it has none.
A ``<figure>`` holding one image and a ``<figcaption>`` (or an image directly
followed by a ``<figcaption>``, as some feeds write it) becomes a docutils
``figure`` with its ``caption``; without images only the caption (or failing
that the alt text) is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinxcontrib_feed.render.markup.tree import has_content, index, make

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


class summary_image(nodes.image):
    """A remote image in a rich summary; HTML adds ``decoding="async"``.

    Other translators fall back to ``image`` along the class's MRO, but only
    builders with ``supported_remote_images`` ever get one.
    """


class summary_figure(nodes.figure):
    """A figure in a rich summary: someone else's, so never numbered.

    Sphinx numbers (and wants ids for) ``figure`` nodes by their exact class;
    this subclass is written as a figure by every translator (they dispatch
    along the class's MRO) but is no figure of the document.
    """


class FigureDraft(nodes.Element):
    """An open ``<figure>``; becomes a ``figure`` or its content. Never leaves the package."""

    alt: str = ""  # the first image's alt text, for builders without images


class CaptionDraft(nodes.paragraph):
    """An open ``<figcaption>``; a ``caption`` inside a figure, else a paragraph."""


def image_node(source: str, alt: str) -> summary_image:
    # candidates "?" is how Sphinx marks a remote image it must leave alone
    return summary_image(uri=source, alt=alt, candidates={"?": source}, loading="lazy")


def alt_text(alt: str) -> str:
    """What a builder without images shows for one: ``[alt]``, or nothing."""
    alt = " ".join(alt.split())
    return f"[{alt}]" if alt else ""


def _single_image(node: nodes.Node) -> nodes.Element | None:
    """The image (or link around one) that *node*, a paragraph, holds and nothing else."""
    if not isinstance(node, nodes.paragraph) or isinstance(node, CaptionDraft):
        return None
    content = [child for child in node.children if has_content(child)]
    if len(content) != 1 or not isinstance(content[0], nodes.Element):
        return None
    (only,) = content
    if isinstance(only, nodes.image):
        return only
    if isinstance(only, nodes.reference) and len(only) == 1 and isinstance(only[0], nodes.image):
        return only
    return None


def _plain(caption: CaptionDraft) -> nodes.Element:
    paragraph = make(nodes.paragraph)
    paragraph.extend(caption.children)
    return paragraph


def finish_caption(caption: CaptionDraft) -> list[nodes.Element] | None:
    """A caption outside any figure makes one with the image just before it, if any.

    (Feeds do write ``<img><figcaption>`` without the ``<figure>``.) Else it is
    a plain paragraph.
    """
    parent = caption.parent
    if isinstance(parent, FigureDraft):
        return None
    assert parent is not None
    at = index(parent, caption)
    image = _single_image(parent[at - 1]) if at else None
    if image is None:
        return [_plain(caption)]
    del parent[at - 1]
    return [_figure(image, caption)]


def _figure(image: nodes.Element, caption: CaptionDraft | None) -> summary_figure:
    figure = summary_figure("", image)
    if caption is not None:
        text = make(nodes.caption)
        text.extend(caption.children)
        figure += text
    return figure


def finish_figure(draft: FigureDraft) -> list[nodes.Element]:
    """A docutils figure if *draft* is one image and at most one caption, else its content."""
    children = [child for child in draft.children if isinstance(child, nodes.Element)]
    captions = [child for child in children if isinstance(child, CaptionDraft)]
    others = [child for child in children if not isinstance(child, CaptionDraft)]
    image = _single_image(others[0]) if len(others) == 1 else None
    if image is not None and len(captions) <= 1:
        return [_figure(image, captions[0] if captions else None)]
    body = [_plain(child) if isinstance(child, CaptionDraft) else child for child in children]
    if draft.alt and not captions and not any(isinstance(n, nodes.image) for n in others):
        body.insert(0, make(nodes.paragraph))
        body[0] += nodes.Text(alt_text(draft.alt))
    return body


def visit_image_html(self: HTML5Translator, node: summary_image) -> None:
    self.visit_image(node)
    if self.body and self.body[-1].startswith("<img "):
        self.body[-1] = '<img decoding="async" ' + self.body[-1][len("<img ") :]


def depart_image_html(self: HTML5Translator, node: summary_image) -> None:
    self.depart_image(node)
