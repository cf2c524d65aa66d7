"""Sanitized HTML to docutils nodes ("rich" summaries), and cutting them short."""

from __future__ import annotations

import textwrap
from io import StringIO
from typing import TYPE_CHECKING, ClassVar

import pytest
from docutils import nodes
from docutils.core import publish_from_doctree
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from helpers import docutils_writer, validate_doctree, warning_lines

from sphinxcontrib_feed.finish.sanitize import clean_html
from sphinxcontrib_feed.render.markup.convert import MAX_DEPTH, html_to_nodes, truncate_nodes

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def tree(body: list[nodes.Element]) -> nodes.container:
    return nodes.container("", *body)


def convert(fragment: str) -> nodes.container:
    return tree(html_to_nodes(fragment))


def shape(node: nodes.Node) -> object:
    """A compact picture of a tree: (tagname, [children...]) and text as str."""
    if isinstance(node, nodes.Text):
        return str(node)
    assert isinstance(node, nodes.Element)
    return (node.tagname, [shape(child) for child in node.children])


def shapes(fragment: str) -> list[object]:
    return [shape(node) for node in html_to_nodes(fragment)]


def text_length(body: list[nodes.Element]) -> int:
    return sum(len(text) for node in body for text in node.findall(nodes.Text))


def document(body: list[nodes.Element]) -> nodes.document:
    settings = get_default_settings(Parser)
    settings.report_level = 5
    doc = new_document("test", settings)
    doc.extend(body)
    return doc


def assert_valid(body: list[nodes.Element]) -> None:
    """Valid by the Docutils doctree model (but for Sphinx's own attributes)."""
    doc = document([node.deepcopy() for node in body])
    for element in doc.findall(nodes.Element):
        element.attributes.pop("translatable", None)
        element.attributes.pop("language", None)
    validate_doctree(doc)


def render(body: list[nodes.Element], writer: str) -> str:
    output = publish_from_doctree(
        document(body),
        writer=docutils_writer(writer),
        settings_overrides={
            "output_encoding": "unicode",
            "report_level": 5,
            "use_latex_citations": True,  # the docutils 1.0 defaults, without warnings
            "legacy_column_widths": False,
        },
    )
    return output if isinstance(output, str) else output.decode()


# --- mapping ---------------------------------------------------------------------------


def test_paragraphs_and_loose_text():
    assert shapes("<p>One</p>loose <b>text</b><p>Two</p>") == [
        ("paragraph", ["One"]),
        ("paragraph", ["loose ", ("strong", ["text"])]),
        ("paragraph", ["Two"]),
    ]


@pytest.mark.parametrize(
    ("tag", "tagname"),
    [
        ("em", "emphasis"), ("i", "emphasis"), ("cite", "emphasis"), ("var", "emphasis"),
        ("strong", "strong"), ("b", "strong"),
        ("code", "literal"), ("kbd", "literal"), ("samp", "literal"),
        ("sub", "subscript"), ("sup", "superscript"),
    ],
)  # fmt: skip
def test_inline_elements(tag: str, tagname: str):
    assert shapes(f"<p>a <{tag}>b</{tag}> c</p>") == [("paragraph", ["a ", (tagname, ["b"]), " c"])]


@pytest.mark.parametrize(
    "tag", ["del", "s", "ins", "u", "mark", "small", "span", "abbr", "q", "figure", "figcaption"]
)
def test_elements_kept_as_their_content(tag: str):
    [paragraph] = html_to_nodes(f"<{tag}>some <em>text</em></{tag}>")
    assert shape(paragraph) == ("paragraph", ["some ", ("emphasis", ["text"])])


def test_without_images_a_figure_leaves_its_caption_and_an_image_its_alt_text():
    fragment = (
        '<figure><img src="https://x.org/a.png" alt="A"><figcaption>Cap</figcaption></figure>'
    )
    assert shapes(f"<p>before</p>{fragment}after") == [
        ("paragraph", ["before"]),
        ("paragraph", ["Cap"]),
        ("paragraph", ["after"]),
    ]
    assert shapes('<img src="https://x.org/a.png" alt="alt  text">') == [
        ("paragraph", ["[alt text]"])
    ]
    body = html_to_nodes('<p>a <img src="https://x.org/a.png" alt=""> b</p>')
    assert tree(body).astext() == "a b"


def test_links():
    [paragraph] = html_to_nodes(
        '<p><a href="https://x.org/" title="T">a <strong>link</strong></a> and <a>none</a></p>'
    )
    reference = paragraph[0]
    assert isinstance(reference, nodes.reference)
    assert reference["refuri"] == "https://x.org/"
    assert shape(reference) == ("reference", ["a ", ("strong", ["link"])])
    assert paragraph.astext() == "a link and none"
    assert len(list(paragraph.findall(nodes.reference))) == 1


def test_nested_links_are_not_nested_references():
    body = html_to_nodes('<p><a href="https://a/">x <a href="https://b/">y</a></a></p>')
    references = list(tree(body).findall(nodes.reference))
    assert [r["refuri"] for r in references] == ["https://a/"]
    assert tree(body).astext() == "x y"


def test_single_breaks_make_a_line_block_double_breaks_a_new_paragraph():
    assert shapes("<p>one <br> two<br/>three<br><br>four<br></p>") == [
        ("line_block", [("line", ["one"]), ("line", ["two"]), ("line", ["three"])]),
        ("paragraph", ["four"]),
    ]


def test_breaks_inside_inline_markup_headings_and_cells_are_spaces():
    assert shapes("<p><em>a<br>b</em></p><h2>c<br>d</h2>") == [
        ("paragraph", [("emphasis", ["a", " ", "b"])]),
        ("rubric", ["c", " ", "d"]),
    ]


def test_lists():
    assert shapes("<ul><li>one</li><li><p>two</p><ol><li>2a</li></ol></li></ul>") == [
        (
            "bullet_list",
            [
                ("list_item", [("paragraph", ["one"])]),
                (
                    "list_item",
                    [
                        ("paragraph", ["two"]),
                        ("enumerated_list", [("list_item", [("paragraph", ["2a"])])]),
                    ],
                ),
            ],
        )
    ]
    [ordered] = html_to_nodes("<ol><li>x</li></ol>")
    assert ordered["enumtype"] == "arabic"


def test_block_quote():
    assert shapes("<blockquote><p>quoted</p>more</blockquote>") == [
        ("block_quote", [("paragraph", ["quoted"]), ("paragraph", ["more"])])
    ]


def test_pre_keeps_whitespace_and_drops_markup():
    [block] = html_to_nodes("<pre>\n  def f(x):\n      return  <b>x</b>\n\n</pre>")
    assert isinstance(block, nodes.literal_block)
    assert block["language"] == "none"  # unknown: Sphinx must not highlight it as Python
    assert block.astext() == "  def f(x):\n      return  x"
    assert block.children == [nodes.Text(block.astext())]


def test_pre_with_code_and_break():
    [block] = html_to_nodes('<pre><code class="py">a\n  b<br>c</code></pre>')
    assert block.astext() == "a\n  b\nc"


@pytest.mark.parametrize("level", range(1, 7))
def test_headings_become_rubrics_never_sections(level: int):
    body = html_to_nodes(f"<h{level}>Title</h{level}><p>text</p>")
    assert shape(body[0]) == ("rubric", ["Title"])
    doc = document(body)
    assert not list(doc.findall(nodes.section))
    assert not list(doc.findall(nodes.title))
    assert all(not node["ids"] and not node["names"] for node in doc.findall(nodes.Element))


def test_definition_lists():
    assert shapes("<dl><dt>A</dt><dd>a</dd><dt>B<dt>C<dd><p>c</p>c2</dl>") == [
        (
            "definition_list",
            [
                ("definition_list_item", [("term", ["A"]), ("definition", [("paragraph", ["a"])])]),
                (
                    "definition_list_item",
                    [
                        ("term", ["B"]),
                        ("term", ["C"]),
                        ("definition", [("paragraph", ["c"]), ("paragraph", ["c2"])]),
                    ],
                ),
            ],
        )
    ]


@pytest.mark.parametrize("fragment", ["<dl><dt>Alone</dl>", "<dl><dd>orphan</dd></dl>", "<dd>x"])
def test_incomplete_definition_lists_stay_valid(fragment: str):
    body = html_to_nodes(fragment)
    assert isinstance(body[0], nodes.definition_list)
    assert_valid(body)


def test_hr_ends_the_paragraph_and_is_dropped():
    assert shapes("<p>a<hr>b</p>") == [("paragraph", ["a"]), ("paragraph", ["b"])]


def test_whitespace_collapses_as_in_html():
    body = html_to_nodes("\n  <p>\n  a \t b  <em> c </em> d\n</p>\n\n <p> </p> e&nbsp;&nbsp;f  ")
    assert [node.astext() for node in body] == ["a b c d", "e\xa0\xa0f"]


def test_entities_are_text():
    [paragraph] = html_to_nodes("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#233;</p>")
    assert paragraph.astext() == "<script>alert(1)</script> & é"


def test_empty_input():
    assert html_to_nodes("") == []
    assert html_to_nodes("  \n ") == []
    assert html_to_nodes("<p> </p><ul><li></li></ul><em></em><img src='https://x/'>") == []


def test_every_text_element_is_untranslatable_and_paragraphs_have_no_classes():
    body = html_to_nodes(
        '<h2>h</h2><p>a <em>b</em> <a href="https://x/">c</a> <code>d</code><sub>e</sub></p>'
        "<ul><li>f</li></ul><pre>g</pre><dl><dt>h<dd>i</dl><p>j<br>k</p>"
        "<table><tr><th>l</th></tr></table>"
    )
    elements = [node for root in body for node in root.findall(nodes.TextElement)]
    assert len(elements) > 12
    assert all(node["translatable"] is False for node in elements)
    assert all(not node["classes"] for root in body for node in root.findall(nodes.Element))
    assert all(node.parent is None for node in body)


def test_output_of_clean_html():
    dirty = (
        '<script>alert(1)</script><p onclick="x()">Hi <a href="javascript:alert(1)">bad</a> '
        '<a href="/ok">ok</a><style>p{}</style><iframe src="https://evil/"></iframe></p>'
    )
    body = html_to_nodes(clean_html(dirty, "https://blog.example.org/feed.xml"))
    assert tree(body).astext() == "Hi bad ok"
    assert [r["refuri"] for r in tree(body).findall(nodes.reference)] == [
        "https://blog.example.org/ok"
    ]


# --- malformed input ----------------------------------------------------------------------

MALFORMED = [
    "<p><em>unclosed <strong>bold</p>next</em></strong>",
    "</p></li></ul></div>stray end tags</table>",
    "<ul><li>one<li>two<ul><li>nested</ul>",
    "<li>item without list</li>text after",
    "<ul>text in list<p>para in list</p><li>item</ul>",
    "<p>a<ul><li>list inside paragraph</li></ul>b</p>",
    "<h1>heading <h2>inside</h2> heading</h1><p>x</p>",
    "<h2><p>para</p><ul><li>list</li></ul> in heading</h2>",
    "<td>cell without table<th>header</th>",
    "<table><tr><td>a<tr><td>b</table>after",
    "<pre>never closed <b>bold</b><p>para",
    "<blockquote><li>x<dd>y<dt>z<pre>w",
    "<a href='https://x/'>open link <p>new para",
    "<code>a<code>b</code>c</code>",
    "<dl><dt><p>para in term</p><dd><dt>",
    "<p>" + "<em>" * 3000 + "deep" ,
    "<div>" * 3000 + "deep blocks" + "</div>" * 10 + "<ul><li>" * 500 + "deeper",
    "<![CDATA[ x ]]><!-- comment --><?pi?><!DOCTYPE html><p>after junk</p>",
    "<p>a &bogus; &#xZZ; &#99999999; < b > c</p>",
    "<<p>>><a href=>x</a><a href>y</a>",
]  # fmt: skip


@pytest.mark.parametrize("fragment", MALFORMED)
def test_malformed_input_gives_a_valid_tree(fragment: str):
    body = html_to_nodes(fragment)
    assert body
    assert_valid(body)
    for length in (1, 10, 30):
        assert_valid(truncate_nodes(body, length))
    assert "<strong>" in render(body, "html5") or "strong" not in fragment


def test_malformed_input_examples():
    assert shapes("<p><em>unclosed <strong>bold</p>next</em></strong>") == [
        ("paragraph", [("emphasis", ["unclosed ", ("strong", ["bold"])])]),
        ("paragraph", ["next"]),
    ]
    assert [n.astext() for n in html_to_nodes("<li>item</li>text after")] == ["item\n\ntext after"]
    assert shapes("<p>a<ul><li>x</li></ul>b</p>") == [
        ("paragraph", ["a"]),
        ("bullet_list", [("list_item", [("paragraph", ["x"])])]),
        ("paragraph", ["b"]),
    ]


def test_nesting_depth_is_capped():
    body = html_to_nodes("<blockquote>" * 1000 + "deep" + "</blockquote>" * 1000 + "after")
    levels, node = 0, body[0]
    while isinstance(node, nodes.Element) and node.children:
        levels, node = levels + 1, node[0]
    assert levels <= MAX_DEPTH + 2
    assert tree(body).astext().split() == ["deep", "after"]
    assert "deep" in render(body, "html5")


# --- truncation ----------------------------------------------------------------------------

SAMPLE = (
    "<p>The quick brown <em>fox jumps</em> over.</p>"
    "<ul><li>alpha beta</li><li>gamma delta</li></ul>"
    "<p>Later text</p>"
)


def test_truncate_zero_or_enough_keeps_everything_as_copies():
    body = html_to_nodes(SAMPLE)
    for length in (0, -1, 62, 1000):
        cut = truncate_nodes(body, length)
        assert [shape(n) for n in cut] == [shape(n) for n in body]
        assert all(a is not b for a, b in zip(cut, body, strict=True))


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (10, ["The quick…"]),
        (12, ["The quick…"]),
        (20, ["The quick brown fox…"]),
        (27, ["The quick brown fox jumps…"]),
        (33, ["The quick brown fox jumps over…"]),
        (40, ["The quick brown fox jumps over.", "alpha…"]),
        (50, ["The quick brown fox jumps over.", "alpha beta\n\ngamma…"]),
        (60, ["The quick brown fox jumps over.", "alpha beta\n\ngamma delta", "Later…"]),
        (2, ["T…"]),
        (1, ["…"]),
    ],
)
def test_truncate_at_word_boundary(length: int, expected: list[str]):
    body = html_to_nodes(SAMPLE)
    cut = truncate_nodes(body, length)
    assert [node.astext() for node in cut] == expected
    assert text_length(cut) <= length
    assert_valid(cut)


def test_truncate_keeps_structure_and_leaves_the_input_alone():
    body = html_to_nodes(SAMPLE)
    before = [shape(n) for n in body]
    cut = truncate_nodes(body, 27)
    assert [shape(n) for n in cut] == [
        ("paragraph", ["The quick brown ", ("emphasis", ["fox jumps…"])])
    ]
    assert [shape(n) for n in body] == before


def test_truncated_list_keeps_only_items_with_text():
    body = html_to_nodes("<p>Intro</p><ul><li>first item</li><li>secondverylongword x</li></ul>")
    cut = truncate_nodes(body, 20)
    assert [shape(n) for n in cut] == [
        ("paragraph", ["Intro"]),
        ("bullet_list", [("list_item", [("paragraph", ["first item…"])])]),
    ]


def test_truncate_inside_later_blocks_drops_them():
    body = html_to_nodes(
        "<h2>Head</h2><p>one two three</p><pre>code</pre><blockquote>q</blockquote>"
    )
    cut = truncate_nodes(body, 12)
    assert [shape(n) for n in cut] == [("rubric", ["Head"]), ("paragraph", ["one two…"])]


def test_truncate_line_block_and_definition_list():
    body = html_to_nodes("<p>line one<br>line two<br>line three</p>")
    cut = truncate_nodes(body, 17)
    assert [shape(n) for n in cut] == [
        ("line_block", [("line", ["line one"]), ("line", ["line two…"])])
    ]
    body = html_to_nodes("<dl><dt>Term</dt><dd>definition words</dd><dt>Next</dt></dl>")
    cut = truncate_nodes(body, 8)
    assert_valid(cut)
    assert cut[0].astext().startswith("Term…")


def test_truncate_does_not_count_links_twice_or_split_references():
    body = html_to_nodes('<p>See <a href="https://x/">the long release notes</a> today</p>')
    cut = truncate_nodes(body, 15)
    [paragraph] = cut
    [reference] = paragraph.findall(nodes.reference)
    assert reference["refuri"] == "https://x/"
    assert paragraph.astext() == "See the long…"


# --- round trips through real writers ------------------------------------------------------

RICH = """
<h1>Release notes</h1>
<p>We shipped <strong>bold</strong>, <em>new</em> and <code>x = 1</code> with
<a href="https://example.org/notes?a=1&amp;b=2">notes</a>. H<sub>2</sub>O, E=mc<sup>2</sup>.
&lt;script&gt;alert(1)&lt;/script&gt; $ % # _ { } ~ ^ \\</p>
<ul><li>one</li><li>two<ol><li>two.a</li></ol></li></ul>
<blockquote><p>A quote.</p></blockquote>
<pre>  indented
    code</pre>
<dl><dt>Term</dt><dd>Definition</dd></dl>
<p>line 1<br>line 2</p>
<table><tr><th>H</th><th>I</th></tr><tr><td>1</td><td>2</td></tr></table>
"""


def test_round_trip_html5():
    body = html_to_nodes(clean_html(RICH))
    assert_valid(body)
    html = render(body, "html5")
    for expected in (
        "<strong>bold</strong>",
        "<em>new</em>",
        '<a class="reference external" href="https://example.org/notes?a=1&amp;b=2">notes</a>',
        "<sub>2</sub>",
        "<sup>2</sup>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        '<p class="rubric">Release notes</p>',
        "<blockquote>",
        '<pre class="literal-block">  indented\n    code</pre>',
        "<dt>Term</dt>",
        '<div class="line">line 2</div>',
        "<ol",
    ):
        assert expected in html, expected
    assert "<script>" not in html
    assert "<h1" not in html


def test_round_trip_latex():
    body = html_to_nodes(clean_html(RICH))
    latex = render(body, "latex")
    assert r"\textbf{bold}" in latex
    assert r"\emph{new}" in latex
    assert r"\href{https://example.org/notes?a=1&b=2}{notes}" in latex
    assert r"\$ \% \# \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}" in latex
    assert r"\begin{itemize}" in latex and r"\begin{enumerate}" in latex
    assert r"\DUrubric{Release notes}" in latex
    assert r"\section" not in latex
    assert "\\item[] line 2" in latex
    assert r"\begin{longtable" in latex or r"\begin{tabular" in latex


@pytest.mark.parametrize("writer", ["manpage", "pseudoxml", "xml"])
def test_round_trip_other_docutils_writers(writer: str):
    body = html_to_nodes(clean_html(RICH))
    assert "Release notes" in render(body, writer)


def test_walkabout_and_pformat():
    doc = document(html_to_nodes(clean_html(RICH)))

    class Visitor(nodes.SparseNodeVisitor):
        seen: ClassVar[list[str]] = []

        def unknown_visit(self, node: nodes.Node) -> None:
            self.seen.append(node.tagname)

        def unknown_departure(self, node: nodes.Node) -> None:
            pass

    visitor = Visitor(doc)
    doc.walkabout(visitor)
    assert "raw" not in visitor.seen
    assert not list(doc.findall(nodes.raw))
    assert "<rubric" in doc.pformat()


# --- every Sphinx builder -----------------------------------------------------------------

CONF = """
copyright = "2026, Tests"
version = "1"
from docutils.parsers.rst import Directive
from sphinxcontrib_feed.render.markup.convert import html_to_nodes, truncate_nodes

class Rich(Directive):
    has_content = True
    def run(self):
        body = html_to_nodes("\\n".join(self.content))
        return truncate_nodes(body, 0) + truncate_nodes(body, 40)

def setup(app):
    app.add_directive("rich", Rich)
"""

TABLE_MARK = {
    "html": '<table class="docutils',
    "epub": '<table class="docutils',
    "latex": r"\begin{tabulary}",
    "text": "|=====|=====|",
    "man": ".TS",
    "texinfo": "@multitable",
}
OUTPUTS = {
    "html": "index.html",
    "epub": "index.xhtml",
    "latex": "*.tex",
    "text": "index.txt",
    "man": "*.1",
    "texinfo": "*.texi",
}


@pytest.mark.parametrize("buildername", list(OUTPUTS))
def test_every_sphinx_builder_writes_the_nodes(
    buildername: str, tmp_path: Path, make_app: Callable[..., object]
):
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    rich = textwrap.indent(clean_html(RICH).strip(), "   ")
    (tmp_path / "index.rst").write_text(f"Page\n====\n\n.. rich::\n\n{rich}\n", encoding="utf-8")
    warnings = StringIO()
    app = make_app(buildername, srcdir=tmp_path, warning=warnings)
    app.build()  # type: ignore[attr-defined]
    assert warning_lines(warnings.getvalue()) == []
    [output] = (tmp_path / "_build" / buildername).glob(OUTPUTS[buildername])
    text = output.read_text(encoding="utf-8")
    for expected in ("Release notes", "bold", "two.a", "A quote.", "indented", "line 2"):
        assert expected in text, f"{expected!r} missing from {buildername}"
    assert TABLE_MARK[buildername] in text  # the table stays a table
    if buildername in {"html", "epub"}:
        assert "&lt;script&gt;alert(1)" in text and "<script>alert" not in text
        assert '<div class="highlight-none' in text
    if buildername == "latex":
        assert r"\textless{}script\textgreater{}" in text
    doctree = app.env.get_doctree("index")  # type: ignore[attr-defined]
    assert len(list(doctree.findall(nodes.section))) == 1  # the page's own, no more
