extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed tests"
version = "1.0"
copyright = "2026, the sphinxcontrib-feed developers"
