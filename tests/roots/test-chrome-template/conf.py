extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed template"
templates_path = ["_templates"]
feed_sources = {"releases": "_feeds/releases.atom", "news": "_feeds/news.rss"}
