"""Sphinx configuration for the sphinxcontrib-feed example project.

Every feed it shows is a file in ``_feeds/``, so it builds offline.
"""

project = "Quillmark (example)"
author = "The Quillmark maintainers"
copyright = "2026, The Quillmark maintainers"

extensions = ["sphinxcontrib_feed", "myst_parser"]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"

# Names that directives can use instead of a URL or a path. A file path here is
# relative to the source directory (this folder). The long form also sets option
# defaults for every directive that names the source.
feed_sources = {
    "releases": "_feeds/releases.atom",
    "blog": {"url": "_feeds/blog.json", "limit": 4, "summary_length": 200},
}

# Defaults for every feed directive; each one can override them with an option.
feed_limit = 6
feed_summary_length = 240
