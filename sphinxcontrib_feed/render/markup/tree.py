"""Small operations on the docutils tree being built, shared by the other markup modules."""

from __future__ import annotations

from docutils import nodes


class LineBreak(nodes.Element):
    """Where a ``<br>`` was, inside a paragraph still being built; never leaves the package."""


def make(cls: type[nodes.Element], **attributes: str) -> nodes.Element:
    """A new node; text elements are marked untranslatable (feed text never enters catalogs)."""
    node = cls("", **attributes)
    if isinstance(node, nodes.TextElement):
        node["translatable"] = False
    return node


def index(parent: nodes.Element, child: nodes.Node) -> int:
    """Position of *child* by identity (Text nodes are equal by value), searched from the end."""
    children = parent.children
    return next(i for i in range(len(children) - 1, -1, -1) if children[i] is child)


def has_content(node: nodes.Node) -> bool:
    """Whether *node* shows anything: text, or an image."""
    if isinstance(node, nodes.Text):
        return bool(str(node).strip())
    if isinstance(node, nodes.image):
        return True
    return bool(node.astext().strip()) or next(node.findall(nodes.image), None) is not None


def _edge_text(node: nodes.Element, last: bool) -> nodes.Text | None:
    """The first (or last) Text of *node*, or None; stops at an image, which is content."""
    children = reversed(node.children) if last else iter(node.children)
    for child in children:
        if isinstance(child, nodes.Text):
            return child
        if isinstance(child, nodes.image):
            return None
        if isinstance(child, nodes.Element) and (found := _edge_text(child, last)) is not None:
            return found
    return None


def strip_ends(node: nodes.Element) -> None:
    """Trim the whitespace at both ends of *node*'s text, dropping what empties."""
    for last in (False, True):
        while (text := _edge_text(node, last)) is not None:
            value = str(text).rstrip(" \n") if last else str(text).lstrip(" \n")
            if value == text:
                break
            parent = text.parent
            assert parent is not None
            if value:
                parent[index(parent, text)] = nodes.Text(value)
                break
            del parent[index(parent, text)]
            while parent is not node and not has_content(parent) and parent.parent is not None:
                grandparent = parent.parent
                del grandparent[index(grandparent, parent)]
                parent = grandparent


def split_breaks(paragraph: nodes.Element) -> list[nodes.Element]:
    """A paragraph with breaks as paragraphs (single lines) and line blocks."""
    lines: list[list[nodes.Node]] = [[]]
    for child in paragraph.children:
        if isinstance(child, LineBreak):
            lines.append([])
        else:
            lines[-1].append(child)
    blocks: list[list[nodes.Element]] = [[]]
    for children in lines:
        line = make(nodes.line)
        line.extend(children)
        strip_ends(line)
        if has_content(line):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    result = []
    for block in filter(None, blocks):
        if len(block) == 1:
            result.append(make(nodes.paragraph))
            result[-1].extend(block[0].children)
        else:
            result.append(nodes.line_block("", *block))
    return result


def tidy(node: nodes.Element) -> list[nodes.Element] | None:
    """Tidy a finished generic node; a list replaces it (empty: remove), None keeps it."""
    if isinstance(node, nodes.literal_block):
        node[:] = [nodes.Text(node.astext().lstrip("\n").rstrip())]
    elif isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
        strip_ends(node)
    elif isinstance(node, nodes.definition_list):
        for item in node.children:
            if not isinstance(item, nodes.Element):
                continue
            if not item.children or not isinstance(item[0], nodes.term):
                item.insert(0, make(nodes.term))
            if not isinstance(item[-1], nodes.definition):  # a definition needs a body element
                item += nodes.definition("", make(nodes.paragraph))
    if isinstance(node, nodes.entry):
        return None  # an empty cell still holds its place in the row
    if isinstance(node, nodes.Inline) and not isinstance(node, nodes.image):
        return None if node.astext() or has_content(node) else []
    if not has_content(node):
        return []
    if isinstance(node, nodes.paragraph) and any(isinstance(c, LineBreak) for c in node.children):
        return split_breaks(node)
    return None


def replace(node: nodes.Element, replacement: list[nodes.Element] | None) -> None:
    """Put *replacement* where *node* is in its parent (None: leave it)."""
    if replacement is None:
        return
    parent = node.parent
    assert parent is not None
    at = index(parent, node)
    parent[at : at + 1] = replacement


def detach(root: nodes.Element) -> list[nodes.Element]:
    """The element children of *root*, parentless, and *root* emptied."""
    body = [child for child in root.children if isinstance(child, nodes.Element)]
    root.clear()
    for child in body:
        child.parent = None
    return body
