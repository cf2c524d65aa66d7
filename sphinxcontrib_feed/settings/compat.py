"""Where Sphinx moved something between the releases the extension supports.

Feature detection, never version numbers: each helper tries the newer
spelling first and falls back to the older one, so a release that backports
or drops a name needs no change here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def app_of(holder: Any) -> Sphinx:
    """The application behind a build environment or a builder.

    Sphinx 9 keeps it as ``_app`` and deprecates the public ``app`` (a
    warning on every use); Sphinx 8 has only ``app``.
    """
    app = getattr(holder, "_app", None)
    return app if app is not None else holder.app  # type: ignore[no-any-return]
