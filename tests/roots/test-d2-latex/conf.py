extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Characters"
copyright = "2026, the sphinxcontrib-feed developers"
latex_documents = [("index", "feedchars.tex", "Characters", "the developers", "howto")]
