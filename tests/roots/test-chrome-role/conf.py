extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed role"
feed_sources = {"releases": "{server}/releases.atom", "gone": "{dead}"}
