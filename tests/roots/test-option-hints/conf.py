extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Option hints"
