"""The stack of open elements behind :class:`.builder.TreeBuilder`.

A frame ``(tag, node)`` is one open element; ``node`` None is a mere group
(``div``, ``span``, ``thead``, a too-deep element) whose content goes to the
nearest real node. Look-ups walk at most :data:`MAX_FRAMES` frames.
"""

from __future__ import annotations

from docutils import nodes

from sphinxcontrib_feed.render.markup import figures, tables
from sphinxcontrib_feed.render.markup.tree import make, replace, tidy

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Text containers whose nested blocks are flattened into the running text.
FLAT = _HEADINGS | {"dt", "figcaption"}
#: What ends an open flat element.
CLOSES = dict.fromkeys(_HEADINGS, _HEADINGS) | {
    "dt": frozenset({"dt", "dd"}),
    "figcaption": frozenset({"figcaption"}),
}
LISTS = (nodes.bullet_list, nodes.enumerated_list)
#: Open elements tracked at once (real nodes and groups); deeper tags are ignored.
MAX_FRAMES = 64

Frame = tuple[str, nodes.Element | None]


class NodeStack:
    """The open elements of the tree being built, and the moves between them."""

    def __init__(self) -> None:
        self.root = nodes.container()
        self.stack: list[Frame] = [("", self.root)]
        self.open: list[nodes.Element] = [self.root]  # the real nodes of the stack
        self.flats: list[int] = []  # stack indexes of open headings, terms, captions
        self.cells: list[int] = []  # stack indexes of open table cells
        self.space = True  # the text so far ends a block or a space: drop leading spaces

    def cell(self, tag: str, attrs: dict[str, str | None]) -> None:
        raise NotImplementedError

    def node(self) -> nodes.Element:
        return self.open[-1]

    def push(self, tag: str, node: nodes.Element, *, new: bool = True) -> nodes.Element:
        if new:
            self.node().append(node)
        self.stack.append((tag, node))
        self.open.append(node)
        if tag in FLAT:
            self.flats.append(len(self.stack) - 1)
        if isinstance(node, tables.CellDraft):
            self.cells.append(len(self.stack) - 1)
        return node

    def pop(self) -> None:
        _, node = self.stack.pop()
        depth = len(self.stack)
        if self.flats and self.flats[-1] == depth:
            self.flats.pop()
        if self.cells and self.cells[-1] == depth:
            self.cells.pop()
        if node is not None:
            self.open.pop()
            replace(node, self.finished(node))

    def finished(self, node: nodes.Element) -> list[nodes.Element] | None:
        if isinstance(node, tables.TableDraft):
            return tables.finish_table(node)
        if isinstance(node, figures.FigureDraft):
            return figures.finish_figure(node)
        if isinstance(node, (tables.RowDraft, tables.CellDraft)):
            return None
        result = tidy(node)
        if result is None and isinstance(node, figures.CaptionDraft):
            return figures.finish_caption(node)
        return result

    def pop_to(self, index: int) -> None:
        while len(self.stack) > max(index, 1):
            self.pop()

    def find(self, wanted: type | tuple[type, ...], through: tuple[type, ...]) -> int | None:
        """Index of the nearest frame holding a *wanted* node, passing only *through* ones."""
        for index in range(len(self.stack) - 1, 0, -1):
            node = self.stack[index][1]
            if isinstance(node, wanted):
                return index
            if node is not None and not isinstance(node, through):
                return None
        return None

    def ensure_body(self) -> nodes.Element:
        """Close inline content; make the current node one that holds body elements."""
        while True:
            node = self.node()
            if isinstance(node, nodes.TextElement):
                self.pop()
            elif isinstance(node, LISTS):
                self.reenter(node, nodes.list_item)
            elif isinstance(node, nodes.definition_list):
                self.reenter(node, nodes.definition_list_item)
            elif isinstance(node, nodes.definition_list_item):
                self.reenter(node, nodes.definition)
            elif isinstance(node, (tables.TableDraft, tables.RowDraft)):
                self.cell("td", {})
            else:
                self.space = True
                return node

    def reenter(self, parent: nodes.Element, cls: type[nodes.Element]) -> None:
        """Continue the last *cls* child of *parent*, or start one."""
        last = parent.children[-1] if parent.children else None
        if isinstance(last, cls):
            self.push("", last, new=False)
        else:
            self.push("", cls())

    def ensure_inline(self) -> nodes.Element:
        if not isinstance(self.node(), nodes.TextElement):
            self.ensure_body()
            self.push("", make(nodes.paragraph))
        return self.node()

    def soft_space(self) -> None:
        if not self.space and isinstance(self.node(), nodes.TextElement):
            self.node().append(nodes.Text(" "))
            self.space = True
