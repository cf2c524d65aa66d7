"""HTML tables inside rich summaries, as docutils tables every builder can write.

While parsing, a ``<table>`` collects :class:`RowDraft` rows of :class:`CellDraft`
cells (each cell holds body elements); :func:`finish_table` then decides:

* a table with one cell is layout, not data: its content is kept, unwrapped;
* a table docutils can express (any number of rows, at most :data:`MAX_COLUMNS`
  columns, no ``rowspan``, not inside another table's cell) becomes
  ``container[feed-table] > table > tgroup > colspec*, thead?, tbody``.
  Short rows are padded with empty cells, and a ``colspan`` cell is followed
  by empty ones (not every writer can span: the man page writer warns).
  Header rows are the ``<thead>`` rows, or else the leading rows made only of
  ``<th>`` cells; ``<tfoot>`` rows go last. The container lets a wide table
  scroll inside the item (HTML);
* any other table falls back to one paragraph per row, cells joined by
  :data:`CELL_SEPARATOR`, header cells strong.
"""

from __future__ import annotations

from docutils import nodes

from sphinxcontrib_feed.render.markup.tree import has_content, make

CELL_SEPARATOR = " · "
#: Wider tables fall back to rows: no page or terminal shows them anyway.
MAX_COLUMNS = 24
#: Spans beyond this are taken as 1 (a hostile ``colspan=99999`` must not make columns).
MAX_SPAN = MAX_COLUMNS
#: Column widths (characters, as plain-text writers draw them) and the total aimed at.
MIN_WIDTH, MAX_WIDTH, TEXT_WIDTH = 3, 40, 72


class TableDraft(nodes.Element):
    """An open ``<table>``; never leaves the package."""

    nested = False  # opened inside another table's cell: always rows


class RowDraft(nodes.Element):
    """An open ``<tr>``; ``part`` is "thead", "tbody" or "tfoot"."""

    part = "tbody"


class CellDraft(nodes.Element):
    """An open ``<td>``/``<th>``, holding body elements."""

    header = False
    colspan = 1
    rowspan = 1


def span(value: str | None) -> int:
    """An HTML span attribute as a count (1 when missing, invalid or absurd)."""
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_SPAN else 1


def finish_table(draft: TableDraft) -> list[nodes.Element]:
    rows = [
        [cell for cell in row.children if isinstance(cell, CellDraft)]
        for row in draft.children
        if isinstance(row, RowDraft)
    ]
    parts = [row.part for row in draft.children if isinstance(row, RowDraft)]
    kept = [(part, cells) for part, cells in zip(parts, rows, strict=True) if cells]
    if not any(has_content(cell) for _, cells in kept for cell in cells):
        return []
    if len(kept) == 1 and len(kept[0][1]) == 1:
        return [child for child in kept[0][1][0].children if isinstance(child, nodes.Element)]
    width = max(sum(cell.colspan for cell in cells) for _, cells in kept)
    spans = any(cell.rowspan > 1 for _, cells in kept for cell in cells)
    if draft.nested or spans or width > MAX_COLUMNS:
        return [row for _, cells in kept if (row := _row_paragraph(cells)) is not None]
    return [_table([cells for _, cells in kept], [part for part, _ in kept], width)]


def _table(rows: list[list[CellDraft]], parts: list[str], width: int) -> nodes.Element:
    head = [cells for cells, part in zip(rows, parts, strict=True) if part == "thead"]
    body = [cells for cells, part in zip(rows, parts, strict=True) if part == "tbody"]
    foot = [cells for cells, part in zip(rows, parts, strict=True) if part == "tfoot"]
    if not head:
        while body and all(cell.header for cell in body[0]):
            head.append(body.pop(0))
    body += foot
    if not body:  # docutils needs a body: header rows alone are the body
        head, body = [], head
    head_rows = [_row(cells, width) for cells in head]
    body_rows = [_row(cells, width) for cells in body]
    tgroup = nodes.tgroup(cols=width)
    tgroup.extend(nodes.colspec(colwidth=w) for w in _column_widths(head_rows + body_rows, width))
    if head_rows:
        tgroup += nodes.thead("", *head_rows)
    tgroup += nodes.tbody("", *body_rows)
    return nodes.container("", nodes.table("", tgroup), classes=["feed-table"])


def _row(cells: list[CellDraft], width: int) -> nodes.row:
    """A row of exactly *width* entries; a spanning cell is followed by empty ones."""
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", *cell.children)
        row.extend(nodes.entry() for _ in range(cell.colspan - 1))
    row.extend(nodes.entry() for _ in range(width - len(row)))
    return row


def _column_widths(rows: list[nodes.row], width: int) -> list[int]:
    """Relative widths from the longest text per column (text writers draw them as given)."""
    longest = [MIN_WIDTH] * width
    for row in rows:
        for column, entry in enumerate(row.children):
            longest[column] = max(longest[column], min(len(entry.astext()), MAX_WIDTH))
    total = sum(longest)
    if total <= TEXT_WIDTH:
        return longest
    return [max(MIN_WIDTH, value * TEXT_WIDTH // total) for value in longest]


def _row_paragraph(cells: list[CellDraft]) -> nodes.Element | None:
    """One row as a paragraph: the cells' inline content joined by the separator."""
    paragraph = make(nodes.paragraph)
    for cell in cells:
        content = _inline_content(cell)
        if not content:
            continue
        if paragraph.children:
            paragraph += nodes.Text(CELL_SEPARATOR)
        if cell.header:
            strong = make(nodes.strong)
            strong.extend(content)
            paragraph += strong
        else:
            paragraph.extend(content)
    return paragraph if has_content(paragraph) else None


def _inline_content(cell: CellDraft) -> list[nodes.Node]:
    """The inline nodes of every text block in *cell*, blocks joined by a space."""
    blocks = [
        node
        for node in cell.findall(nodes.TextElement)
        if not isinstance(node, nodes.Inline) and has_content(node)
    ]
    content: list[nodes.Node] = []
    for block in blocks:
        if content:
            content.append(nodes.Text(" "))
        children = list(block.children)
        block.clear()
        content.extend(children)
    return content
