extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed themes"
version = "1.0"
copyright = "2026, the sphinxcontrib-feed developers"
# html_theme is set by the tests (confoverrides)
