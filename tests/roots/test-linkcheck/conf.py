extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Linkcheck tests"
linkcheck_timeout = 5
linkcheck_retries = 1
linkcheck_workers = 2
