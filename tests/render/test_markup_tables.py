"""Tables inside rich summaries: docutils tables where they can be, rows where not."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from helpers import validate_doctree

from sphinxcontrib_feed.render.markup.convert import (
    CELL_SEPARATOR,
    MAX_COLUMNS,
    html_to_nodes,
    truncate_nodes,
)


def valid(body: list[nodes.Element]) -> None:
    settings = get_default_settings(Parser)
    settings.report_level = 5
    doc = new_document("test", settings)
    doc.extend(node.deepcopy() for node in body)
    for element in doc.findall(nodes.Element):
        element.attributes.pop("translatable", None)
        element.attributes.pop("language", None)
    validate_doctree(doc)


def cells(table: nodes.Element, part: type[nodes.Element]) -> list[list[str]]:
    """The text of each row of a table's thead or tbody."""
    [group] = table.findall(part)
    return [[entry.astext() for entry in row.children] for row in group.children]


def only_table(fragment: str) -> nodes.table:
    body = html_to_nodes(fragment)
    valid(body)
    [wrapper] = body
    assert isinstance(wrapper, nodes.container)
    assert wrapper["classes"] == ["feed-table"]  # lets a wide table scroll in HTML
    [table] = wrapper.children
    assert isinstance(table, nodes.table)
    return table


def test_a_simple_table_is_a_docutils_table():
    table = only_table(
        "<table><thead><tr><th>Name</th><th>Value</th></tr></thead>"
        "<tbody><tr><td><p>alpha</p></td><td>1 <br> 2</td></tr>"
        "<tr><td>beta <code>b</code></td><td>  </td></tr></tbody></table>"
    )
    [tgroup] = table.children
    assert tgroup["cols"] == 2
    assert [c["colwidth"] for c in tgroup.findall(nodes.colspec)] == [6, 5]  # "beta b", "Value"
    assert cells(table, nodes.thead) == [["Name", "Value"]]
    assert cells(table, nodes.tbody) == [["alpha", "1 2"], ["beta b", ""]]
    assert next(table.findall(nodes.literal)).astext() == "b"


def test_leading_header_cells_make_the_head_and_tfoot_goes_last():
    table = only_table(
        "<table><tfoot><tr><td>total</td><td>3</td></tr></tfoot>"
        "<tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>"
    )
    assert cells(table, nodes.thead) == [["k", "v"]]
    assert cells(table, nodes.tbody) == [["a", "1"], ["total", "3"]]


def test_header_rows_alone_are_the_body():
    table = only_table("<table><tr><th>a</th><th>b</th></tr></table>")
    assert not list(table.findall(nodes.thead))
    assert cells(table, nodes.tbody) == [["a", "b"]]


def test_short_rows_are_padded_and_colspan_is_followed_by_empty_cells():
    table = only_table(
        '<table><tr><td colspan="2">wide</td><td>c</td></tr><tr><td>a</td></tr>'
        '<tr><td colspan="99999">hostile</td><td>x</td></tr></table>'
    )
    assert cells(table, nodes.tbody) == [["wide", "", "c"], ["a", "", ""], ["hostile", "x", ""]]
    assert not any(entry.get("morecols") for entry in table.findall(nodes.entry))


def test_wide_columns_are_scaled_for_text_writers():
    table = only_table(
        "<table><tr>" + "".join(f"<td>{'word ' * 20}{n}</td>" for n in range(6)) + "</tr></table>"
    )
    widths = [c["colwidth"] for c in table.findall(nodes.colspec)]
    assert len(widths) == 6
    assert sum(widths) <= 72
    assert min(widths) >= 3


def test_a_table_of_one_cell_is_layout_and_unwrapped():
    body = html_to_nodes("<table><tr><td><p>just</p><p>content</p></td></tr></table>after")
    assert [node.astext() for node in body] == ["just", "content", "after"]
    assert all(isinstance(node, nodes.paragraph) for node in body)


def test_empty_tables_vanish():
    assert html_to_nodes("<table><tr><td> </td><td></td></tr><tr></tr></table>") == []


def test_nested_table_becomes_rows_inside_the_outer_cell():
    body = html_to_nodes(
        "<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table>d</td><td>e</td></tr></table>f"
    )
    valid(body)
    [table] = body[0].children
    assert cells(table, nodes.tbody) == [["a\n\nb · c\n\nd", "e"]]
    assert len(list(table.findall(nodes.table))) == 1
    assert body[1].astext() == "f"


@pytest.mark.parametrize(
    "fragment",
    [
        '<table><tr><th>k</th><td rowspan="2">v</td></tr><tr><td>k2</td></tr></table>',
        "<table><tr>" + "<td>x</td>" * (MAX_COLUMNS + 1) + "</tr></table>",
    ],
    ids=["rowspan", "too-wide"],
)
def test_tables_docutils_cannot_express_fall_back_to_rows(fragment: str):
    body = html_to_nodes(fragment)
    valid(body)
    assert not list(nodes.container("", *body).findall(nodes.table))
    assert all(isinstance(node, nodes.paragraph) for node in body)
    if "rowspan" in fragment:
        assert [node.astext() for node in body] == [f"k{CELL_SEPARATOR}v", "k2"]
        assert body[0][0].tagname == "strong"  # a header cell


def test_cells_and_rows_outside_a_table_make_one():
    table = only_table("<td>a<td>b<tr><td>c")
    assert cells(table, nodes.tbody) == [["a", "b"], ["c", ""]]


def test_blocks_and_stray_text_in_a_table_go_into_cells():
    table = only_table("<table>loose<tr><p>para</p><td>x</td></tr><tr><td>y</td></tr></table>")
    assert cells(table, nodes.tbody) == [["loose", ""], ["para", "x"], ["y", ""]]


def test_a_heading_inside_a_table_does_not_leak_out():
    body = html_to_nodes("<table><tr><td><h2>In cell</h2>text</td><td>b</td></tr></table>after")
    valid(body)
    assert body[-1].astext() == "after"
    [table] = body[0].children
    assert cells(table, nodes.tbody) == [["In cell\n\ntext", "b"]]


# --- cutting a summary with a table ------------------------------------------------------

TABLE = (
    "<p>Intro text.</p><table><thead><tr><th>Symbol</th><th>Meaning</th></tr></thead><tbody>"
    "<tr><td>d</td><td>model size</td></tr><tr><td>h</td><td>heads</td></tr>"
    "<tr><td>L</td><td>segment length</td></tr></tbody></table><p>After the table.</p>"
)


def test_rows_are_never_split_a_cut_keeps_the_rows_that_fit():
    body = html_to_nodes(TABLE)
    cut = truncate_nodes(body, len("Intro text.SymbolMeaningdmodel sizehheads") + 3)
    valid(cut)
    [_, wrapper, ellipsis] = cut
    [table] = wrapper.children
    assert cells(table, nodes.tbody) == [["d", "model size"], ["h", "heads"]]
    assert ellipsis.astext() == "…"


def test_a_table_with_no_body_row_that_fits_is_dropped():
    body = html_to_nodes(TABLE)
    for length in (16, 24, 30):
        cut = truncate_nodes(body, length)
        valid(cut)
        assert [node.astext() for node in cut] == ["Intro text…"]
    cut = truncate_nodes(html_to_nodes(TABLE.replace("<p>Intro text.</p>", "")), 10)
    assert [node.astext() for node in cut] == ["…"]


def test_a_table_that_fits_is_kept_whole():
    body = html_to_nodes(TABLE)
    cut = truncate_nodes(body, 70)
    assert [node.astext() for node in cut][-1] == "After the…"
    [table] = cut[1].children
    assert len(cells(table, nodes.tbody)) == 3
