"""Resolving a source as written (a ``feed_sources`` name, an http(s) URL, a file).

:class:`SourceResolver` is shared by the ``feed`` directive and the
``feed-latest`` role, which report a bad source where it is written.
:func:`configured_source` resolves one named in ``conf.py`` or a theme
template (``feed_sidebar``, ``feed_items()``), relative to the source directory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinxcontrib_feed.feedsource import FeedSource
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.settings.config import host_allowed

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.settings.resolved import Settings

logger = logging.getLogger(__name__)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_WEB_SCHEMES = ("http", "https")


class SourceResolver:
    """Sources for a directive or role; needs ``env``, ``options``, ``settings`` and
    ``get_location()`` from the class it is mixed into."""

    if TYPE_CHECKING:
        env: BuildEnvironment
        options: dict[str, Any]

        @property
        def settings(self) -> Settings: ...

        def get_location(self) -> str: ...

    def _resolve(self, argument: str) -> tuple[FeedSource | None, dict[str, Any]]:
        """A source for *argument*, and the option defaults its ``feed_sources`` entry sets."""
        settings = self.settings
        defaults: dict[str, Any] = {}
        target, rooted = argument, False
        if argument in settings.invalid_sources:
            self._reject(
                __("feed source %r: its feed_sources entry is unusable (see the warning about it)")
                % argument
            )
            return None, {}
        if (entry := settings.sources.get(argument)) is not None:
            defaults = dict(entry.defaults)
            target, rooted = entry.url, True
        expire = self.options.get("expire", defaults.get("expire"))
        scheme = _SCHEME.match(target)
        if scheme and len(scheme[1]) > 1:  # one letter is a Windows drive
            if scheme[1].lower() not in _WEB_SCHEMES:
                from sphinxcontrib_feed.settings.typos import looks_like_web_address  # on a slip

                message = __("unsupported feed source %r: only http(s) URLs") % target
                if looks_like_web_address(target):
                    message += "; " + __("if it is a web address, write %r") % f"http://{target}"
                self._reject(message)
                return None, {}
            if not host_allowed(target, settings.allowed_hosts):
                self._reject(
                    __("feed source %r: host not in feed_allowed_hosts") % target, "unsafe"
                )
                return None, {}
            return FeedSource(key=target, url=target, expire=expire), defaults
        path = self._file_in_srcdir(
            "/" + target if rooted and not target.startswith("/") else target
        )
        if path is None:
            self._reject(
                __(
                    "feed file %r is outside the source directory (or not a known name in feed_sources)"  # noqa: E501
                )
                % target
            )
            return None, {}
        file = Path(self.env.srcdir) / path
        if not file.is_file():
            # Read again on every build until the file appears (Sphinx re-reads a
            # document whose dependency is missing).
            self.env.note_dependency(path)
            if file.exists():  # a directory, a FIFO, a device: never read
                self._reject(__("feed file %r is not a regular file") % target)
            else:
                from sphinxcontrib_feed.settings.typos import not_found_message  # on a slip

                names = settings.sources
                self._reject(not_found_message(target, path, names, is_name=entry is not None))
            return None, {}
        return FeedSource(key="/" + path, path=path, expire=expire), defaults

    def _file_in_srcdir(self, target: str) -> str | None:
        """*target* as a srcdir-relative POSIX path, or None if it leaves the srcdir."""
        _, absolute = self.env.relfn2path(target, self.env.docname)
        srcdir = Path(self.env.srcdir).resolve()
        resolved = Path(absolute).resolve()
        if not resolved.is_relative_to(srcdir) or resolved == srcdir:
            return None
        return resolved.relative_to(srcdir).as_posix()

    def _reject(self, message: str, subtype: str = "config") -> None:
        logger.warning(message, type="feed", subtype=subtype, location=self.get_location())


def configured_source(
    settings: Settings, srcdir: str | Path, argument: str
) -> tuple[FeedSource | None, dict[str, Any], str | None]:
    """The source *argument* names in ``conf.py`` or a template: a ``feed_sources`` name,
    an http(s) URL, or a file relative to the source directory; its entry's option
    defaults; and, when it is unusable, why."""
    defaults: dict[str, Any] = {}
    target = argument
    if argument in settings.invalid_sources:
        return None, {}, __("its feed_sources entry is unusable (see the warning about it)")
    if (entry := settings.sources.get(argument)) is not None:
        defaults = dict(entry.defaults)
        target = entry.url
    expire = defaults.get("expire")
    scheme = _SCHEME.match(target)
    if scheme and len(scheme[1]) > 1:
        if scheme[1].lower() not in _WEB_SCHEMES:
            return None, {}, __("unsupported feed source %r: only http(s) URLs") % target
        if not host_allowed(target, settings.allowed_hosts):
            return None, {}, __("feed source %r: host not in feed_allowed_hosts") % target
        return FeedSource(key=target, url=target, expire=expire), defaults, None
    root = Path(srcdir).resolve()
    file = (root / target.lstrip("/")).resolve()
    if not file.is_relative_to(root) or file == root or not file.is_file():
        return None, {}, __("no feed file %r in the source directory") % target
    path = file.relative_to(root).as_posix()
    return FeedSource(key="/" + path, path=path, expire=expire), defaults, None
