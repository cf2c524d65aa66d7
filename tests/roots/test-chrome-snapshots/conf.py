extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feed snapshots"
feed_snapshot_dir = "snapshots"
