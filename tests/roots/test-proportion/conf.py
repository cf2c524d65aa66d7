extensions = ["sphinxcontrib_feed"]
project = "Proportion tests"
exclude_patterns = ["_build"]
