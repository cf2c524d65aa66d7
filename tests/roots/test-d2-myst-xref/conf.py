extensions = ["myst_parser", "sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed tests"
copyright = "2026, the sphinxcontrib-feed developers"
nitpicky = True
