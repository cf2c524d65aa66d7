"""The supported themes build a page with every layout, warning-free, with the stylesheet.

How the result looks (overflow at 360 px, contrast in light and dark mode) is
checked in a real browser by ``test_browser.py``.
"""

from __future__ import annotations

import importlib.util
import re
from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, skip_if_the_theme_refuses_this_sphinx, warning_lines

from sphinxcontrib_feed.render.writers import CSS_FILE

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Project
    from pytest_httpserver import HTTPServer

#: Fixture feeds whose image URLs name the test server.
IMAGE_FEEDS = ("wide.rss", "c2-avatars.rss", "a11y.rss")
#: Each supported theme, and the stylesheet it brings that ours must come after.
THEMES = {
    "alabaster": "alabaster.css",
    "furo": "styles/furo.css",
    "pydata_sphinx_theme": "styles/pydata-sphinx-theme.css",
    "sphinx_rtd_theme": "css/theme.css",
}


def themes_project(project: Callable[..., Project], httpserver: HTTPServer) -> Project:
    """``roots/test-themes``, its feeds' images pointing at the test server."""
    built = project("themes")
    server = httpserver.url_for("").rstrip("/")
    for name in IMAGE_FEEDS:
        feed = built.srcdir / "_feeds" / name
        feed.write_text(feed.read_text(encoding="utf-8").replace("{server}", server), "utf-8")
    return built


@pytest.mark.parametrize("theme", THEMES)
def test_theme_builds_cleanly(
    theme: str, project: Callable[..., Project], httpserver: HTTPServer
) -> None:
    if importlib.util.find_spec(theme) is None:
        pytest.skip(f"the {theme} theme is not installed (pip install -e '.[test]')")
    built = themes_project(project, httpserver)

    with skip_if_the_theme_refuses_this_sphinx(theme):
        app = built.build("html", confoverrides={"html_theme": theme}, warningiserror=True)

    assert app.statuscode == 0
    assert warning_lines(built.last_warnings) == []
    html = built.output("index.html")
    stylesheets = re.findall(r'<link\b[^>]*\bhref="_static/([^"?]+\.css)', html)
    assert CSS_FILE in stylesheets
    # after the theme's own stylesheet, so equally specific rules of ours win
    assert stylesheets.index(THEMES[theme]) < stylesheets.index(CSS_FILE)
    assert (built.srcdir / "_build" / "html" / "_static" / CSS_FILE).is_file()

    feeds, notes = feeds_in(html)
    assert [len(items) for items in feeds] == [2, 4, 3, 1, 0, 4, 4, 4]
    assert notes == ["Nothing new this month."]
    for layout in ("feed-list", "feed-compact", "feed-cards"):
        assert f'class="feed-block {layout} ' in html
    server = httpserver.url_for("/images/")
    # wide: the card and the list item, and in cards and list of the avatars feed
    assert html.count(f'src="{server}wide.svg"') == 2 + 2
    assert html.count(f'src="{server}square.svg"') == 1
    assert html.count(f'src="{server}avatar.svg"') == html.count(f'src="{server}tall.svg"') == 2
    # thumbnails are decorative: the title beside them says what they show
    assert len(re.findall(r'<img alt="" class="feed-image"', html)) == 2 + 1 + 3 + 3
    # releases: 1 (compact); wide: 2 + 1 + 2 (cards), 2 (list of one)
    assert html.count('class="feed-category"') == 1 + 5 + 2


def test_accessible_markup(project: Callable[..., Project], httpserver: HTTPServer) -> None:
    """What assistive technology needs, in the HTML itself (axe-core checks the rest in a
    browser, tests/render/test_browser.py): prefixed classes only, tables in a focusable
    named region, new-tab links announced, content images named, thumbnails decorative."""
    built = themes_project(project, httpserver)
    app = built.build("html", confoverrides={"html_theme": "alabaster"}, warningiserror=True)
    assert app.statuscode == 0, built.last_warnings
    page = built.output("a11y.html")
    start = page.index('<div class="feed-block')
    feeds = page[start : page.index("</ul>", page.index("a11y-compact"))]
    classes = {c for group in re.findall(r'class="([^"]*)"', feeds) for c in group.split()}
    # ours all start with feed-; the others are Sphinx's (links, rubrics, tables) and the
    # page's own :class: names; never "container", which themes style
    assert "container" not in classes
    assert {c for c in classes if not c.startswith(("feed-", "a11y-"))} <= {
        "no-search", "reference", "external", "rubric", "head", "simple",
        "colwidths-given", "docutils", "align-default", "caption-text", "row-odd", "row-even",
    }  # fmt: skip
    assert (
        feeds.count('<div aria-label="Table" class="feed-table" role="region" tabindex="0">') == 2
    )
    new_tab = feeds.count('target="_blank"')
    assert new_tab > 0
    assert feeds.count('<span class="feed-visually-hidden"> (opens in a new tab)</span></a>') == (
        new_tab
    )
    assert 'alt="Image"' in feeds  # the content image without alt text
    assert '<img alt="" class="feed-image"' in feeds  # the thumbnail beside the title
