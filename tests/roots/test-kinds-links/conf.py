extensions = ["sphinxcontrib_feed"]
project = "Feed tests"
version = "1.0"
copyright = "2026, the sphinxcontrib-feed developers"
exclude_patterns = ["_build"]
