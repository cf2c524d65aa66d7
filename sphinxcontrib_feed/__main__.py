"""``python -m sphinxcontrib_feed``: see :mod:`sphinxcontrib_feed.cli`."""

from __future__ import annotations

import sys

from sphinxcontrib_feed.cli import main

if __name__ == "__main__":
    sys.exit(main())
