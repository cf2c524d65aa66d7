"""Tables, images and figures of rich summaries in real builds, with every main builder.

Images are served by the test server, so its request log shows that no build
(not even LaTeX, which downloads remote images it is given) fetches them.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING

import pytest
from helpers import corpus_folder, requests_for, warning_lines

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

ITEMS = """
<item><title>Notation</title><link>https://blog.example.org/notation</link>
<description><![CDATA[<p>Symbols used below.</p>
<table><thead><tr><th>Symbol</th><th>Meaning</th></tr></thead>
<tbody><tr><td><code>d</code></td><td>The model size.</td></tr>
<tr><td>h</td><td>The number of heads.</td></tr></tbody></table>]]></description></item>
<item><title>Pictures</title><link>https://blog.example.org/pictures</link>
<description><![CDATA[<figure><img src="{server}/pics/overview.png" alt="An overview">
<figcaption>Fig. 1. Overview of the system.</figcaption></figure>
<p>Inline <img src="{server}/pics/icon.png" alt="the icon"> image.</p>]]></description></item>
"""
FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Rich</title><link>https://blog.example.org/</link>
<description>rich summaries</description>{ITEMS}</channel></rss>"""
PAGE = """Rich summaries
==============

.. feed:: _feeds/rich.rss
   :summary: rich
   :summary-length: 0
   :sort: source
"""
OUTPUT = {
    "html": "index.html",
    "latex": "*.tex",
    "text": "index.txt",
    "man": "*.1",
    "epub": "index.xhtml",
    "texinfo": "*.texi",
}
TABLE_MARK = {
    "html": '<table class="docutils',
    "epub": '<table class="docutils',
    "latex": r"\begin{tabulary}",
    "text": "| Symbol",
    "man": ".TS",
    "texinfo": "@multitable",
}


@pytest.fixture
def rich(project, httpserver: HTTPServer):
    built = project("markup")
    for name in ("overview.png", "icon.png"):
        httpserver.expect_request(f"/pics/{name}").respond_with_data(b"\x89PNG", "image/png")
    server = httpserver.url_for("").rstrip("/")
    (built.srcdir / "_feeds" / "rich.rss").write_text(
        FEED.replace("{server}", server), encoding="utf-8"
    )
    (built.srcdir / "index.rst").write_text(PAGE, encoding="utf-8")
    return built


def output(built, buildername: str) -> str:
    [path] = (built.srcdir / "_build" / buildername).glob(OUTPUT[buildername])
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("buildername", list(OUTPUT))
def test_tables_stay_tables_and_images_are_never_downloaded(
    rich, httpserver: HTTPServer, buildername: str
):
    rich.build(buildername)
    assert [w for w in warning_lines(rich.last_warnings) if "epub" not in w] == []
    text = output(rich, buildername)
    assert TABLE_MARK[buildername] in text
    for expected in ("Symbol", "Meaning", "The number of heads.", "Fig. 1. Overview"):
        assert expected in text, f"{expected!r} missing from {buildername}"
    assert requests_for(httpserver, "/pics/overview.png") == 0
    assert requests_for(httpserver, "/pics/icon.png") == 0
    if buildername == "html":
        return
    # no image: the alt text stands in, except where the figure's caption says it all
    assert ("{[}the icon{]}" if buildername == "latex" else "[the icon]") in text
    assert "An overview" not in text
    assert not list(rich.srcdir.rglob("overview*")) and not list(rich.srcdir.rglob("icon*"))
    if buildername == "latex":
        assert r"\sphinxincludegraphics" not in text


def test_images_in_html_are_lazy_async_and_keep_their_alt(rich, httpserver: HTTPServer):
    rich.build("html")
    html = output(rich, "html")
    server = httpserver.url_for("").rstrip("/")
    images = {m[1]: m[0] for m in re.finditer(r'<img [^>]*src="([^"]+)"[^>]*>', html)}
    overview = images[f"{server}/pics/overview.png"]
    icon = images[f"{server}/pics/icon.png"]
    for tag in (overview, icon):
        assert 'loading="lazy"' in tag
        assert 'decoding="async"' in tag
    assert 'alt="An overview"' in overview and 'alt="the icon"' in icon
    figure = re.search(r"<figure[^>]*>(.*?)</figure>", html, re.S)
    assert figure is not None
    assert overview in figure[1]
    caption = r'<figcaption>\s*<p><span class="caption-text">Fig\. 1\. Overview'
    assert re.search(caption, figure[1])
    assert '<div aria-label="Table" class="feed-table" role="region" tabindex="0">' in html
    assert re.search(r'<th class="head"><p>Symbol</p></th>', html)


def test_latex_with_tables_compiles(rich):
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        pytest.skip("latexmk and pdflatex are needed to compile the LaTeX output")
    import subprocess

    rich.build("latex")
    folder = rich.srcdir / "_build" / "latex"
    [tex] = folder.glob("*.tex")
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=folder,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]


def seed_post(project, title: str):
    """A project showing the seed post *title* whole, as a rich summary."""
    corpus = corpus_folder("realworld")
    built = project("markup")
    shutil.copy(corpus / "lilianweng-lillog.rss.xml", built.srcdir / "_feeds" / "lil.xml")
    (built.srcdir / "index.rst").write_text(
        "Seed\n====\n\n.. feed:: _feeds/lil.xml\n   :summary: rich\n   :summary-length: 0\n"
        f"   :filter: {title}\n   :limit: 1\n",
        encoding="utf-8",
    )
    return built


def test_seed_notation_table_is_a_table(project):
    built = seed_post(project, "Transformer Family Version 2")
    built.build("html")
    html = output(built, "html")
    assert "The Transformer Family Version 2.0" in html
    table = re.search(r'<div [^>]*class="feed-table[^"]*"[^>]*>\s*<table.*?</table>', html, re.S)
    assert table is not None, "the notation table is not a table"
    assert re.search(r"<th[^>]*><p>Symbol</p></th>\s*<th[^>]*><p>Meaning</p></th>", table[0])
    assert table[0].count("<tr") == 19  # the header and 18 symbols
    assert "Symbol · Meaning" not in html
    built.build("text")
    text = output(built, "text")
    assert re.search(r"\| Symbol +\| Meaning +\|", text)


def test_seed_agent_overview_is_a_figure_with_its_caption(project):
    built = seed_post(project, "LLM Powered Autonomous Agents")
    built.build("html")
    html = output(built, "html")
    figure = re.search(r"<figure[^>]*>\s*(<img [^>]*>).*?</figure>", html, re.S)
    assert figure is not None
    # resolved against the post, not the feed or the site
    post = "https://lilianweng.github.io/posts/2023-06-23-agent/"
    assert f'src="{post}agent-overview.png"' in figure[1]
    assert 'loading="lazy"' in figure[1] and 'decoding="async"' in figure[1]
    assert "Fig. 1. Overview of a LLM-powered autonomous agent system." in figure[0]
