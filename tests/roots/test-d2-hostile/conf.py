extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Hostile"
copyright = "2026, the sphinxcontrib-feed developers"
man_pages = [("index", "feedtest", "Feed test", ["the developers"], 1)]
texinfo_documents = [("index", "feedtest", "Feed test", "the developers", "feedtest", "d", "Misc")]
