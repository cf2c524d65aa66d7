"""HTML fragment to generic docutils body nodes: the entry point of :mod:`.render.markup`.

The input is the output of :func:`.sanitize.clean_html`: only allow-listed tags,
every URL already absolute and safe. Only stock docutils nodes come out (and
:class:`.figures.summary_image`, an ``image``), never ``raw``, so every builder
(HTML, LaTeX, text, man, texinfo, ePub) can write them.

Choices worth knowing:

* Headings become ``rubric`` nodes, never sections: no toctree entries, no anchors.
* ``<br>`` directly inside a paragraph splits it into lines: a paragraph with
  breaks becomes a ``line_block`` (one ``line`` per break-separated run) and a
  double break starts a new paragraph, which renders as real line breaks in
  HTML, LaTeX and text alike. Anywhere else (inside inline markup, headings,
  table cells) a break is a plain space.
* Tables become docutils tables where they can (see :mod:`.tables`), else one
  paragraph per row.
* Images are kept only where the builder shows remote images; figures become
  docutils figures (see :mod:`.figures`).
* ``dl`` becomes a ``definition_list``; every item gets a term and a definition.
* ``hr`` is dropped (it still ends the paragraph); elements with no docutils
  counterpart (``span``, ``del``, ``q``, ``div``, ...) keep only their content.
* Whitespace collapses as in HTML, except inside ``pre``: a ``literal_block`` with
  ``language="none"`` (the sanitizer drops ``class``, so the language is unknown and
  Sphinx must not guess it as Python).
* Every text element is ``translatable=False``: feed text never enters catalogs.
* Limits, so that hostile input costs time linear in its size: nesting deeper
  than :data:`MAX_DEPTH` keeps only its text, more than :data:`.stack.MAX_FRAMES`
  open elements are ignored, and a fragment is read up to :data:`MAX_INPUT`
  characters or :data:`MAX_ELEMENTS` tags, whichever comes first: the rest is
  cut, and a "…" paragraph says so.
"""

from __future__ import annotations

from docutils import nodes

from sphinxcontrib_feed.render.markup.builder import MAX_DEPTH, MAX_ELEMENTS, TreeBuilder
from sphinxcontrib_feed.render.markup.figures import summary_image
from sphinxcontrib_feed.render.markup.stack import MAX_FRAMES
from sphinxcontrib_feed.render.markup.tables import CELL_SEPARATOR, MAX_COLUMNS
from sphinxcontrib_feed.render.markup.tree import detach
from sphinxcontrib_feed.render.markup.truncate import truncate_nodes

__all__ = [
    "CELL_SEPARATOR",
    "MAX_COLUMNS",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_FRAMES",
    "MAX_INPUT",
    "html_to_nodes",
    "summary_image",
    "truncate_nodes",
]

#: Characters of a fragment read at most; the rest is dropped.
MAX_INPUT = 500_000
_CHUNK = 4096  # parsing stops soon after MAX_ELEMENTS tags


def html_to_nodes(fragment: str, *, images: bool = False) -> list[nodes.Element]:
    """Body-level nodes (paragraphs, lists, tables, figures, literal blocks, rubrics...).

    *images*: whether the builder shows remote images (its ``supported_remote_images``);
    without it no image node is made, so nothing is downloaded at build time.
    """
    if not fragment or not fragment.strip():
        return []
    builder = TreeBuilder(images=images)
    fragment = fragment[:MAX_INPUT]
    for start in range(0, len(fragment), _CHUNK):
        builder.feed(fragment[start : start + _CHUNK])
        if builder.budget < 0:  # the limit is reached: the rest is cut
            break
    body = detach(builder.finish(complete=builder.budget >= 0))
    if builder.budget < 0:
        body.append(nodes.paragraph("", "…", translatable=False))
    return body
