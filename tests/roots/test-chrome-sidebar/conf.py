extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed in the sidebar"
html_theme = "furo"
feed_sources = {"releases": "{server}/releases.atom"}
feed_sidebar = {"source": "releases", "limit": 2, "title": "Releases"}
html_sidebars = {
    "**": [
        "sidebar/scroll-start.html",
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/navigation.html",
        "feed-sidebar.html",
        "sidebar/scroll-end.html",
    ]
}
