"""Sphinx configuration for the sphinxcontrib-feed documentation."""

from sphinxcontrib_feed import __version__

project = "sphinxcontrib-feed"
author = "the sphinxcontrib-feed developers"
copyright = "2026, the sphinxcontrib-feed developers"
version = release = __version__

extensions = ["sphinxcontrib_feed", "myst_parser"]

source_suffix = {".rst": "restructuredtext"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
# Where these docs are published. Feed images under it (the gallery's card
# thumbnails in _feeds/gallery.atom) become page-relative links, so they show in
# a local or offline build as well as online.
html_baseurl = "https://sphinxcontrib-feed.readthedocs.io/en/latest/"
html_theme_options = {
    "description": "RSS, Atom and JSON feeds in Sphinx docs",
    "fixed_sidebar": True,
}

# The live examples in these pages read feed files shipped in _feeds/,
# so the docs build offline.
feed_sources = {"demo": "_feeds/demo.rss"}
# The gallery page shows the demo feed in its sidebar (feed-sidebar.html).
feed_sidebar = {"source": "demo", "limit": 3, "title": "Demo feed"}
html_sidebars = {
    "gallery": ["localtoc.html", "searchbox.html", "feed-sidebar.html"],
}


def setup(app):
    """``.. feed-options-of:: feed``: the ``rst:directive:option`` entries that
    follow in the page are options of that directive (``:rst:dir:`feed:limit```),
    as ``py:currentmodule`` does for Python objects; they sit in tables that
    cannot be nested in the ``rst:directive`` block itself."""
    from sphinx.util.docutils import SphinxDirective

    class OptionsOf(SphinxDirective):
        required_arguments = 1

        def run(self):
            self.env.ref_context["rst:directives"] = [self.arguments[0]]
            return []

    app.add_directive("feed-options-of", OptionsOf)
