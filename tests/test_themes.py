"""The supported themes build a page with every layout, warning-free, with the stylesheet.

How the result looks (overflow at 360 px, contrast in light and dark mode) is
checked in a real browser by ``test_browser.py``.
"""

from __future__ import annotations

import importlib.util
import re
from typing import TYPE_CHECKING

import pytest
from helpers import feeds_in, warning_lines

from sphinxcontrib_feed import CSS_FILE

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Project
    from pytest_httpserver import HTTPServer

#: Each supported theme, and the stylesheet it brings that ours must come after.
THEMES = {
    "alabaster": "alabaster.css",
    "furo": "styles/furo.css",
    "pydata_sphinx_theme": "styles/pydata-sphinx-theme.css",
    "sphinx_rtd_theme": "css/theme.css",
}


def themes_project(project: Callable[..., Project], httpserver: HTTPServer) -> Project:
    """``roots/test-themes``, its wide feed's images pointing at the test server."""
    built = project("themes")
    wide = built.srcdir / "_feeds" / "wide.rss"
    server = httpserver.url_for("").rstrip("/")
    wide.write_text(wide.read_text(encoding="utf-8").replace("{server}", server), "utf-8")
    return built


@pytest.mark.parametrize("theme", THEMES)
def test_theme_builds_cleanly(
    theme: str, project: Callable[..., Project], httpserver: HTTPServer
) -> None:
    if importlib.util.find_spec(theme) is None:
        pytest.skip(f"the {theme} theme is not installed (pip install -e '.[test]')")
    built = themes_project(project, httpserver)

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
    assert [len(items) for items in feeds] == [2, 4, 3, 1, 0]
    assert notes == ["Nothing new this month."]
    for layout in ("feed-list", "feed-compact", "feed-cards"):
        assert f'class="feed {layout} ' in html
    server = httpserver.url_for("/images/")
    assert html.count(f'src="{server}wide.svg"') == 2  # the card and the list item
    assert html.count(f'src="{server}square.svg"') == 1
    # releases: 1 (compact); wide: 2 + 1 + 2 (cards), 2 (list of one)
    assert html.count('class="feed-category"') == 1 + 5 + 2
