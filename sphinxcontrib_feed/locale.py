"""The extension's own strings, translated into the docs' ``language``."""

from __future__ import annotations

from pathlib import Path

from sphinx.locale import get_translation

MESSAGE_CATALOG = "sphinxcontrib-feed"
LOCALE_DIR = Path(__file__).parent / "locales"

#: For text in the built documents (the docs' ``language``).
_ = get_translation(MESSAGE_CATALOG)
#: For the build log (the console's locale), as Sphinx itself does.
__ = get_translation(MESSAGE_CATALOG, "console")
