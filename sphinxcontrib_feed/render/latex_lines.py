"""LaTeX: no ``.tex`` line longer than TeX can read, whatever a feed's text holds.

TeX reads its input a line at a time into a buffer of fixed size (TeX Live's
``buf_size``, 200,000 characters): a longer line stops pdflatex with "Unable
to read an entire line". Sphinx writes a paragraph's text on one line, so a
feed title or summary paragraph of 300,000 characters broke the PDF build.

This post-transform, for every LaTeX engine, walks the text inside feed
containers in document order and, once :data:`LINE` characters have gone by
without a line end, starts a new ``.tex`` line: at a space (the space becomes
a newline, which TeX reads as a space), else, inside a long word, with ``%``
and a newline (which TeX reads as nothing). Code blocks, printed verbatim,
get a real line break instead. Each character of feed text is at most a few
dozen once escaped (``\\textbackslash{}``), so lines stay far below the buffer.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_feed.render import order
from sphinxcontrib_feed.render.manpage import in_literal_block, is_feed_container

#: Characters of feed text on one ``.tex`` line, at most.
LINE = 4000
#: What the markup around one piece of text (``\sphinxstylestrong{...}``) counts for.
_NODE_COST = 40


class LatexLines(SphinxPostTransform):
    """Feed text in ``.tex`` lines TeX can read (every LaTeX engine)."""

    builders = order.LATEX_BUILDERS
    default_priority = order.LATEX_LINES

    def run(self, **kwargs: Any) -> None:
        for container in list(self.document.findall(is_feed_container)):
            if isinstance(container, nodes.Element):
                break_lines(container)


def break_lines(container: nodes.Element) -> None:
    """Break the text of *container* into lines of at most about :data:`LINE` characters."""
    changes: dict[int, tuple[nodes.Element, dict[int, list[nodes.Node]]]] = {}

    def change(node: nodes.Node, replacement: list[nodes.Node]) -> None:
        parent = node.parent
        assert parent is not None
        changes.setdefault(id(parent), (parent, {}))[1][id(node)] = replacement

    run = 0
    for node in list(container.findall(_text_or_raw)):
        if isinstance(node.parent, nodes.raw) or in_literal_block(node):
            continue  # a raw node's own text; a code block's, handled with the block
        if isinstance(node, nodes.literal_block):
            _break_code(node)
            continue
        if isinstance(node, nodes.raw):  # a math stand-in (latex_text): never split
            run += len(node.astext()) + _NODE_COST
            if run > LINE:
                change(node, [_hard_break(), node])
                run = len(node.astext())
            continue
        pieces, run = break_text(str(node), run + _NODE_COST)
        if len(pieces) > 1 or pieces[0] != str(node):
            replacement: list[nodes.Node] = []
            for index, piece in enumerate(pieces):
                if index:
                    replacement.append(_hard_break())
                if piece:
                    replacement.append(nodes.Text(piece))
            change(node, replacement)
    for parent, replaced in changes.values():
        children: list[nodes.Node] = []
        for child in parent.children:
            children.extend(replaced.get(id(child), [child]))
        for child in children:
            child.parent = parent
        parent.children = children


def break_text(text: str, run: int) -> tuple[list[str], int]:
    """*text*, after *run* characters of the current line, as lines TeX can read.

    Returns the pieces to join with hard breaks (``%`` and a newline), in
    which spaces have become newlines where a line had to end, and the length
    of the line the text ends on.
    """
    pieces: list[str] = []
    lines: list[str] = []
    rest = text
    while run + len(rest) > LINE:
        room = max(LINE - run, 0)
        cut = max(rest.rfind(" ", 0, room + 1), rest.rfind("\n", 0, room + 1))
        if cut >= 0:  # at a space (or a line end already there)
            lines.append(rest[:cut])
            rest = rest[cut + 1 :]
        else:  # inside a word: ``%`` and a newline
            lines.append(rest[:room])
            pieces.append("\n".join(lines))
            lines = []
            rest = rest[room:]
        run = 0
    lines.append(rest)
    pieces.append("\n".join(lines))
    line_end = rest.rfind("\n")
    return pieces, (len(rest) - line_end - 1 if line_end >= 0 else run + len(rest))


def _text_or_raw(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.Text, nodes.raw, nodes.literal_block))


def _break_code(block: nodes.literal_block) -> None:
    """A code block's lines longer than :data:`LINE` broken (verbatim: a visible break)."""
    text = block.astext()
    if all(len(line) <= LINE for line in text.split("\n")):
        return
    broken = "\n".join(
        "\n".join(line[start : start + LINE] for start in range(0, len(line), LINE)) or line
        for line in text.split("\n")
    )
    highlighted = block.rawsource == text  # Sphinx highlights rawsource, else the children
    block.children = []
    block += nodes.Text(broken)
    if highlighted:
        block.rawsource = broken


def _hard_break() -> nodes.raw:
    return nodes.raw("", "%\n", format="latex")
