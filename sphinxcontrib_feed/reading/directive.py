"""The ``feed`` directive: resolve sources and options, emit a placeholder.

It does no network I/O: reading stays fast and parallel-safe, and each source
is fetched once per build (see :mod:`.refresh`), however many pages use it.
It only checks that a file source exists, so a misspelt argument is reported
where it is written, with what was tried and what was probably meant.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_feed.finish.select import selection_of
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.model import FeedSource
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.nodes import feed_placeholder
from sphinxcontrib_feed.settings.config import host_allowed, rel_tokens
from sphinxcontrib_feed.settings.options import OPTION_SPEC, FeedOptions
from sphinxcontrib_feed.settings.patterns import compile_pattern, parse_categories
from sphinxcontrib_feed.settings.resolved import get_settings
from sphinxcontrib_feed.settings.typos import looks_like_web_address, not_found_message

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes

    from sphinxcontrib_feed.settings.resolved import Settings

logger = logging.getLogger(__name__)

#: Emitted for each directive read, with the environment and its sources. The
#: refresh stage listens (it may start fetching at once); reading never imports it.
SOURCES_READ = "feed-sources-read"

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_WEB_SCHEMES = ("http", "https")


class FeedDirective(SphinxDirective):
    """``.. feed:: SOURCE [SOURCE ...]`` with display options."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = OPTION_SPEC

    @property
    def settings(self) -> Settings:
        return get_settings(self.config)

    def run(self) -> list[nodes.Node]:
        named: dict[str, Any] = {}
        sources = []
        for argument in self.arguments[0].split():
            source, defaults = self._resolve(argument)
            if source is not None:
                sources.append(source)
                named.update(defaults)
        if not sources:
            return []
        options = self._options(named)
        if options["as_of"]:
            sources = [replace(source, as_of=True) for source in sources]
        node = feed_placeholder(sources=[s.key for s in sources], options=options)
        self.set_source_info(node)
        self.add_name(node)
        get_feed_domain(self.env).note_sources(self.env.docname, sources, selection_of(options))
        # the refresh stage may start the requests now, while Sphinx reads on
        self.env.events.emit(SOURCES_READ, self.env, sources)
        return [node]

    def _options(self, named_defaults: dict[str, Any]) -> FeedOptions:
        """Directive option, else the named source's default, else ``feed_*``.

        Named defaults were read and checked at ``config-inited`` (see :mod:`.settings`).
        """
        settings = self.settings

        def pick(option: str, default: Any) -> Any:
            if option in self.options:
                return self.options[option]
            return named_defaults.get(option, default)

        def flag(option: str, default: bool = False) -> bool:
            if option in self.options:
                value = self.options[option]
                return True if value is None else bool(value)
            return bool(named_defaults.get(option, default))

        for option in ("filter", "exclude"):
            if option in self.options:
                try:
                    compile_pattern(self.options[option])
                except re.error as error:
                    message = __("invalid :%s: pattern %r: %s")
                    raise self.error(message % (option, self.options[option], error)) from None
        category = pick("category", [])
        return {
            "limit": pick("limit", settings.limit),
            "summary": pick("summary", settings.summary),
            "summary_length": pick("summary-length", settings.summary_length),
            "date_format": pick("date-format", settings.date_format),
            "layout": pick("layout", settings.layout),
            "sort": pick("sort", "date"),
            "reverse": flag("reverse"),
            "filter": pick("filter", None),
            "exclude": pick("exclude", None),
            "category": list(parse_categories(category)),
            "since": pick("since", None),
            "title": pick("title", None),
            "author": flag("author"),
            "categories": flag("categories"),
            "images": flag("images"),
            "new_tab": flag("new-tab"),
            "empty": pick("empty", None),
            "on_error": pick("on-error", settings.on_error),
            "as_of": flag("as-of") or settings.as_of,
            "classes": list(self.options.get("class", [])),
            "rel": self._rel(named_defaults.get("rel", settings.rel)),
            "more": flag("more"),
            "searchable": flag("searchable", settings.searchable),
            "media": pick("media", settings.media),
            "base": pick("base", None),
        }

    def _rel(self, default: str | None) -> str | None:
        """``:rel:`` tokens; an unknown one is reported here and dropped."""
        if "rel" not in self.options:
            return default
        known, unknown = rel_tokens(self.options["rel"])
        for token in unknown:
            self._reject(__("unknown :rel: link type %r, dropped") % token)
        return " ".join(known) or None

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
