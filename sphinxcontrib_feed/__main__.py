"""``python -m sphinxcontrib_feed``: see :mod:`sphinxcontrib_feed.tools.cli`."""

from __future__ import annotations

import sys

from sphinxcontrib_feed.tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
