extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Hardening"
version = "1.0"
copyright = "2026, the sphinxcontrib-feed developers"
latex_documents = [("index", "hardening.tex", "Hardening", "the developers", "howto")]
