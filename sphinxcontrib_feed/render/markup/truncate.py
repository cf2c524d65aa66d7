"""Cut a rich summary to a number of text characters, keeping its structure valid.

The cut falls at a word boundary and ends with "…" (never a second one after
an ellipsis the text already had). Nothing half-open is left: no empty
paragraph or list item. Table rows are never split: a table keeps its rows
that fit, followed by a "…" paragraph; a table none of whose body rows fit is
dropped, and the text before it takes the "…".
"""

from __future__ import annotations

from docutils import nodes

from sphinxcontrib_feed.render.markup.tree import detach, index, replace, tidy

#: Stripped from the end of a cut before its "…" is added.
TRAILING = " \n,;:.-–—…([{"


def with_ellipsis(text: str) -> str:
    return text.rstrip(TRAILING) + "…"


def truncate_nodes(body: list[nodes.Element], length: int) -> list[nodes.Element]:
    """Keep at most *length* characters of text (0 = all); see the module docstring.

    Returns copies; *body* is left alone.
    """
    if length <= 0:
        return [block.deepcopy() for block in body]
    root, total = nodes.container(), 0
    for block in body:  # copy only what may be kept, and the text that overflows
        if total > length:
            break
        copy, used = _copy_prefix(block, length - total)
        root += copy
        total += used
    if total <= length:
        return detach(root)
    budget = length - 1  # room for the "…"
    texts = list(root.findall(nodes.Text))
    last: nodes.Text | None = None  # the last text with content that fits whole
    for position, text in enumerate(texts):
        if len(text) <= budget:
            budget -= len(text)
            last = text if str(text).strip() else last
            continue
        table = _ancestor(text, nodes.table)
        if table is None:
            _cut_text(root, text, budget, last)
        elif not _keep_rows(root, table, text):
            before = [
                t for t in texts[:position] if str(t).strip() and _ancestor(t, nodes.table) is None
            ]
            _drop_block(root, _block_of(table), before[-1] if before else None)
        break
    _prune(root)
    return detach(root)


def _copy_prefix(node: nodes.Element, budget: int) -> tuple[nodes.Element, int]:
    """A copy of *node* with its text up to just past *budget* characters, and that length.

    Whatever is left out lies after the cut, so the cut drops it anyway.
    """
    copy, used = node.copy(), 0
    for child in node.children:
        if used > budget:
            break
        if isinstance(child, nodes.Text):
            copy += nodes.Text(child)
            used += len(child)
        elif isinstance(child, nodes.Element):
            part, length = _copy_prefix(child, budget - used)
            copy += part
            used += length
    return copy, used


def _cut_text(root: nodes.Element, text: nodes.Text, budget: int, last: nodes.Text | None) -> None:
    """End the summary inside *text*, or after *last* when no word of *text* fits."""
    head = str(text)[: max(budget, 0)]
    if not text[budget:][:1].isspace():
        head = head[: max(head.rfind(" "), head.rfind("\n"), 0)]
    head = head.rstrip(TRAILING)
    if not head and last is None:
        head = str(text)[: max(budget, 0)]
    if head or last is None:
        _end_at(root, text, with_ellipsis(head))
    else:
        _end_at(root, last, with_ellipsis(str(last)))


def _end_at(root: nodes.Element, text: nodes.Text, value: str) -> None:
    """Replace *text* by *value* and drop everything after it."""
    parent = text.parent
    assert parent is not None
    parent[index(parent, text)] = cut = nodes.Text(value)
    _drop_after(root, cut)


def _drop_after(root: nodes.Element, node: nodes.Node) -> None:
    while node is not root and node.parent is not None:
        del node.parent[index(node.parent, node) + 1 :]
        node = node.parent


def _ancestor(node: nodes.Node, cls: type[nodes.Element]) -> nodes.Element | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, cls):
        parent = parent.parent
    return parent


def _block_of(table: nodes.Element) -> nodes.Element:
    """The table's scrolling wrapper, or the table itself."""
    parent = table.parent
    if isinstance(parent, nodes.container) and "feed-table" in parent["classes"]:
        return parent
    return table


def _keep_rows(root: nodes.Element, table: nodes.Element, text: nodes.Text) -> bool:
    """Keep the body rows before the one holding *text*, then "…"; False if there are none."""
    row = _ancestor(text, nodes.row)
    if row is None or not isinstance(row.parent, nodes.tbody):
        return False
    tbody = row.parent
    at = index(tbody, row)
    if at == 0:
        return False
    del tbody[at:]
    block = _block_of(table)
    _drop_after(root, block)
    parent = block.parent
    assert parent is not None
    ellipsis = nodes.paragraph("", "…", translatable=False)
    parent.insert(index(parent, block) + 1, ellipsis)
    return True


def _drop_block(root: nodes.Element, block: nodes.Element, last: nodes.Text | None) -> None:
    """Remove *block* and all after it; the text before it (if any) takes the "…"."""
    _drop_after(root, block)
    parent = block.parent
    assert parent is not None
    del parent[index(parent, block)]
    if last is not None:
        _end_at(root, last, with_ellipsis(str(last)))
    elif not root.children:
        root += nodes.paragraph("", "…", translatable=False)


def _prune(node: nodes.Element) -> None:
    """Tidy what the cut left behind; tables are kept whole (their rows are never cut)."""
    for child in list(node.children):
        if isinstance(child, nodes.Element) and not isinstance(child, nodes.table):
            _prune(child)
            replace(child, tidy(child))
