"""The extension's own strings, translated into the docs' ``language``."""

from __future__ import annotations

from pathlib import Path

from sphinx.locale import get_translation

MESSAGE_CATALOG = "sphinxcontrib-feed"
LOCALE_DIR = Path(__file__).parent / "locales"

_ = get_translation(MESSAGE_CATALOG)
