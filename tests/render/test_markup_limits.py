"""Hostile rich summaries: bounded depth and work, so time stays linear (issue 10)."""

from __future__ import annotations

import time

import pytest
from docutils import nodes
from docutils.core import publish_from_doctree
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from helpers import docutils_writer, validate_doctree

from sphinxcontrib_feed.render.markup.convert import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_INPUT,
    html_to_nodes,
    truncate_nodes,
)

#: The cases of issue 10 (78 s for the tables, 245 s for the <b>), now well under 0.5 s.
NESTED = {
    "nested-b": "<b>" * 100_000 + "deep",
    "nested-tables": "<table><tr><td>" * 10_000 + "deep",
    "nested-divs": "<div>" * 100_000 + "deep" + "</div>" * 100_000,
    "nested-lists": "<ul><li>" * 20_000 + "deep",
    "nested-figures": "<figure><figcaption>" * 20_000 + "deep",
}
#: Wide rather than deep: as many nodes as the limits allow, about a second.
WIDE = {
    "siblings": "<p>" + "<b>y</b>" * 100_000,
    "code-in-deep-b": "<p>" + "<b>" * 60 + "<code>x</code>" * 50_000,
    "stray-ends": "<p>text</p>" + "</b></td></li>" * 50_000 + "<p>after</p>",
    "cells": "<table><tr>" + "<td>c</td>" * 50_000 + "</tr></table>",
    "rows": "<table>" + "<tr><td>a</td><td>b</td></tr>" * 20_000 + "</table>",
}
BOUNDS = dict.fromkeys(NESTED, 5.0) | dict.fromkeys(WIDE, 10.0)  # generous, on a busy machine
HOSTILE = NESTED | WIDE


def valid(body: list[nodes.Element]) -> nodes.document:
    settings = get_default_settings(Parser)
    settings.report_level = 5
    doc = new_document("test", settings)
    doc.extend(node.deepcopy() for node in body)
    checked = doc.deepcopy()
    for element in checked.findall(nodes.Element):
        element.attributes.pop("translatable", None)
        element.attributes.pop("language", None)
    validate_doctree(checked)
    return doc


def depth(node: nodes.Node) -> int:
    if not isinstance(node, nodes.Element) or not node.children:
        return 0
    return 1 + max(depth(child) for child in node.children)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_summaries_convert_in_linear_time_to_a_valid_tree(case: str):
    start = time.process_time()  # CPU time: the cost, however busy the machine
    body = html_to_nodes(HOSTILE[case], images=True)
    cut = truncate_nodes(body, 300)
    assert time.process_time() - start < BOUNDS[case]
    assert body and cut
    doc = valid(body)
    assert max(depth(node) for node in body) <= MAX_DEPTH + 4
    html = publish_from_doctree(
        doc, writer=docutils_writer("html5"), settings_overrides={"report_level": 5}
    )
    assert html


def test_nesting_past_the_depth_limit_keeps_the_text():
    body = html_to_nodes("<blockquote>" * 1000 + "deep" + "</blockquote>" * 1000 + "after")
    assert nodes.container("", *body).astext().split() == ["deep", "after"]
    assert max(depth(node) for node in body) <= MAX_DEPTH + 2


def test_work_is_capped_and_the_cut_is_marked():
    paragraphs = MAX_ELEMENTS // 2  # a start and an end tag each
    fits = html_to_nodes("<p>x</p>" * (paragraphs - 10))
    assert len(fits) == paragraphs - 10
    assert fits[-1].astext() == "x"
    cut = html_to_nodes("<p>x</p>" * (paragraphs * 3))
    assert paragraphs - 10 <= len(cut) <= paragraphs + 2
    assert cut[-1].astext() == "…"
    assert all(node.astext() == "x" for node in cut[:-1])


def test_a_cut_never_turns_half_a_tag_into_text():
    body = html_to_nodes("<b>" * (MAX_ELEMENTS * 2) + "deep")
    assert "<" not in nodes.container("", *body).astext()


def test_input_is_read_up_to_a_limit():
    body = html_to_nodes("<p>" + "word " * (MAX_INPUT // 4) + "</p>")
    text = nodes.container("", *body).astext()
    assert len(text) <= MAX_INPUT
    assert text.startswith("word word")
