extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed tests"
version = "1.0"
copyright = "2026, the sphinxcontrib-feed developers"

feed_layout = "Cards"
feed_summary = " None "
feed_on_error = "Error"
feed_offline = "no"
feed_as_of = "No"
feed_searchable = "YES"
feed_linkcheck = "off"
feed_expire = "2H"
feed_backoff = 90
feed_cache_backend = "Memory"
feed_rel = "NoFollow ugc nofollow"
feed_allowed_hosts = "LocalHost"
feed_sources = {
    "news": {"url": "{server}/news.rss", "limit": 2, "reverse": "yes"},
    "releases": {"url": "_feeds/releases.atom", "summary_length": 20, "as_of": False},
}
