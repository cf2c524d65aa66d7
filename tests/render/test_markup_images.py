"""Images and figures in rich summaries, for builders with and without remote images."""

from __future__ import annotations

import pytest
from docutils import nodes

from sphinxcontrib_feed.render.markup.convert import html_to_nodes, summary_image, truncate_nodes
from sphinxcontrib_feed.render.markup.figures import summary_figure

SRC = "https://blog.example.org/img/a.png"


def shape(node: nodes.Node) -> object:
    if isinstance(node, nodes.Text):
        return str(node)
    assert isinstance(node, nodes.Element)
    return (node.tagname, [shape(child) for child in node.children])


def test_an_image_is_a_lazy_remote_image_sphinx_leaves_alone():
    [paragraph] = html_to_nodes(f'<p>See <img src="{SRC}" alt="a chart"> here</p>', images=True)
    image = paragraph[1]
    assert isinstance(image, summary_image)
    assert isinstance(image, nodes.image)  # every translator writes it as an image
    assert image["uri"] == SRC
    assert image["candidates"] == {"?": SRC}  # Sphinx's mark for a remote image
    assert image["loading"] == "lazy"
    assert image["alt"] == "a chart"
    assert paragraph.astext() == "See a chart here"  # docutils: an image's text is its alt


def test_a_figure_with_one_image_and_a_caption_is_a_figure():
    body = html_to_nodes(
        f'<figure><a href="https://x/"><img src="{SRC}" alt="A"></a>'
        "<figcaption><p>Fig. 1.</p> <em>Overview</em></figcaption></figure>",
        images=True,
    )
    [figure] = body
    assert isinstance(figure, summary_figure)
    assert shape(figure) == (
        "summary_figure",
        [
            ("reference", [("summary_image", [])]),
            ("caption", ["Fig. 1.", " ", ("emphasis", ["Overview"])]),
        ],
    )
    assert not figure["ids"]


def test_a_figure_without_caption_is_still_a_figure():
    [figure] = html_to_nodes(f'<figure><img src="{SRC}" alt="A"></figure>', images=True)
    assert shape(figure) == ("summary_figure", [("summary_image", [])])


@pytest.mark.parametrize(
    "fragment",
    [
        f'<figure><img src="{SRC}"><img src="{SRC}"><figcaption>Two</figcaption></figure>',
        f'<figure><img src="{SRC}"><p>text too</p><figcaption>Cap</figcaption></figure>',
        "<figure><figcaption>No image</figcaption></figure>",
    ],
)
def test_other_figures_keep_their_content(fragment: str):
    body = html_to_nodes(fragment, images=True)
    assert not any(isinstance(node, nodes.figure) for node in body)
    assert all(isinstance(node, nodes.paragraph) for node in body)
    assert not list(nodes.container("", *body).findall(nodes.caption))


def test_a_caption_outside_a_figure_is_a_paragraph():
    assert [shape(n) for n in html_to_nodes("<figcaption>Cap</figcaption>after")] == [
        ("paragraph", ["Cap"]),
        ("paragraph", ["after"]),
    ]
    body = html_to_nodes(f'<p>text <img src="{SRC}"></p><figcaption>Cap</figcaption>', images=True)
    assert [shape(n) for n in body] == [
        ("paragraph", ["text ", ("summary_image", [])]),
        ("paragraph", ["Cap"]),
    ]


def test_an_image_followed_by_a_caption_is_a_figure():
    # as the seed feed writes it: <img ...> then <figcaption> with no <figure> around
    body = html_to_nodes(
        f'<ul><li>x</li></ul><img src="{SRC}" alt=""/>\n<figcaption>Fig. 1. Overview.'
        "</figcaption><h1>Next</h1>",
        images=True,
    )
    assert [shape(n) for n in body][1:] == [
        ("summary_figure", [("summary_image", []), ("caption", ["Fig. 1. Overview."])]),
        ("rubric", ["Next"]),
    ]


def test_images_in_headings_and_cells_stay_inline():
    body = html_to_nodes(
        f'<h2><img src="{SRC}" alt="logo"> News</h2><table><tr><td><img src="{SRC}"></td>'
        "<td>b</td></tr></table>",
        images=True,
    )
    assert shape(body[0]) == ("rubric", [("summary_image", []), " News"])
    assert len(list(body[1].findall(summary_image))) == 1


def test_an_image_alone_is_content():
    body = html_to_nodes(f'<p><img src="{SRC}" alt=""></p><p> </p>', images=True)
    assert [shape(n) for n in body] == [("paragraph", [("summary_image", [])])]


def test_without_images_no_image_node_is_ever_made():
    fragment = (
        f'<p>a <img src="{SRC}" alt="one"></p><figure><img src="{SRC}" alt="two"></figure>'
        f'<figure><img src="{SRC}" alt="three"><figcaption>Cap</figcaption></figure>'
        f'<h2><img src="{SRC}" alt="four"></h2>'
    )
    body = html_to_nodes(fragment)
    assert not list(nodes.container("", *body).findall(nodes.image))
    assert [n.astext() for n in body] == ["a [one]", "[two]", "Cap", "[four]"]


def test_an_image_without_a_safe_source_is_nothing():
    assert html_to_nodes('<img alt="gone"><img src="" alt="gone">', images=True) == []


def test_cutting_keeps_images_before_the_cut_and_drops_those_after():
    body = html_to_nodes(
        f'<p><img src="{SRC}" alt="x"> first words here</p><p>more <img src="{SRC}"></p>',
        images=True,
    )
    cut = truncate_nodes(body, 13)
    assert [shape(n) for n in cut] == [("paragraph", [("summary_image", []), " first words…"])]
