extensions = ["sphinxcontrib_feed"]
exclude_patterns = ["_build"]
project = "Feedcheck tests"
feed_snapshot_dir = "_snapshots"
