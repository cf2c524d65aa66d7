"""The ``feed`` directive: resolve sources and options, emit a placeholder.

It does no I/O: reading stays fast and parallel-safe, and each source is
fetched once per build (see :mod:`.refresh`), however many pages use it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_feed.config import (
    LAYOUTS,
    ON_ERROR,
    SORT_ORDERS,
    SUMMARY_MODES,
    host_allowed,
    parse_duration,
    source_entry,
)
from sphinxcontrib_feed.domain import get_feed_domain
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.model import FeedSource
from sphinxcontrib_feed.nodes import feed_placeholder
from sphinxcontrib_feed.select import compile_pattern, parse_categories

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes

logger = logging.getLogger(__name__)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_WEB_SCHEMES = ("http", "https")


def _choice(allowed: tuple[str, ...]) -> Callable[[str | None], str]:
    return lambda argument: directives.choice((argument or "").strip().lower(), allowed)


def _duration(argument: str | None) -> float:
    return parse_duration(argument or "")


class FeedDirective(SphinxDirective):
    """``.. feed:: SOURCE [SOURCE ...]`` with display options."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "limit": directives.nonnegative_int,
        "summary": _choice(SUMMARY_MODES),
        "summary-length": directives.nonnegative_int,
        "date-format": directives.unchanged_required,
        "layout": _choice(LAYOUTS),
        "sort": _choice(SORT_ORDERS),
        "reverse": directives.flag,
        "filter": directives.unchanged_required,
        "exclude": directives.unchanged_required,
        "category": directives.unchanged_required,
        "since": _duration,
        "title": directives.unchanged,
        "author": directives.flag,
        "categories": directives.flag,
        "images": directives.flag,
        "new-tab": directives.flag,
        "empty": directives.unchanged_required,
        "expire": _duration,
        "on-error": _choice(ON_ERROR),
        "as-of": directives.flag,
        "rel": directives.unchanged_required,  # C2 stand-in: helper A validates the tokens
        "more": directives.flag,
        "searchable": directives.flag,
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        named: dict[str, Any] = {}
        sources = []
        for argument in self.arguments[0].split():
            source, entry = self._resolve(argument)
            if source is not None:
                sources.append(source)
                named.update(entry)
        if not sources:
            return []
        options = self._options(named)
        if options["as_of"]:
            sources = [replace(source, as_of=True) for source in sources]
        node = feed_placeholder(sources=[s.key for s in sources], options=options)
        self.set_source_info(node)
        self.add_name(node)
        get_feed_domain(self.env).note_sources(self.env.docname, sources)
        return [node]

    def _options(self, named_defaults: dict[str, Any]) -> dict[str, Any]:
        """Directive option, else the named source's default, else ``feed_*``."""
        config = self.config

        def pick(option: str, default: Any) -> Any:
            if option in self.options:
                return self.options[option]
            value = named_defaults.get(
                option, named_defaults.get(option.replace("-", "_"), default)
            )
            convert = self.option_spec[option]
            if value is default or convert is directives.flag:
                return value
            if isinstance(value, list | tuple):
                value = ", ".join(map(str, value))
            try:  # a feed_sources default is checked as the option would be
                return convert(str(value))
            except ValueError as error:
                raise self.error(
                    __("feed_sources default for :%s:: %s") % (option, error)
                ) from None

        def flag(option: str) -> bool:
            return option in self.options or bool(pick(option, False))

        for option in ("filter", "exclude"):
            if pattern := pick(option, None):
                try:
                    compile_pattern(pattern)
                except re.error as error:
                    message = __("invalid :%s: pattern %r: %s") % (option, pattern, error)
                    raise self.error(message) from None
        since = pick("since", None)
        return {
            "limit": int(pick("limit", config.feed_limit)),
            "summary": str(pick("summary", config.feed_summary)),
            "summary_length": int(pick("summary-length", config.feed_summary_length)),
            "date_format": pick("date-format", config.feed_date_format),
            "layout": str(pick("layout", config.feed_layout)),
            "sort": str(pick("sort", "date")),
            "reverse": flag("reverse"),
            "filter": pick("filter", None),
            "exclude": pick("exclude", None),
            "category": list(parse_categories(pick("category", None))),
            "since": None if since is None else parse_duration(since),
            "title": pick("title", None),
            "author": flag("author"),
            "categories": flag("categories"),
            "images": flag("images"),
            "new_tab": flag("new-tab"),
            "empty": pick("empty", None),
            "on_error": str(pick("on-error", config.feed_on_error)),
            "as_of": flag("as-of") or bool(config.feed_as_of),
            "classes": list(self.options.get("class", [])),
            # C2 stand-ins until helper A's option handling is merged
            "rel": " ".join(str(pick("rel", config.feed_rel) or "").split()) or None,
            "more": flag("more"),
            "searchable": flag("searchable") or bool(config.feed_searchable),
        }

    def _resolve(self, argument: str) -> tuple[FeedSource | None, dict[str, Any]]:
        """A source for *argument*, and the option defaults its ``feed_sources`` entry sets."""
        entry: dict[str, Any] = {}
        target, rooted = argument, False
        if argument in self.config.feed_sources:
            try:
                entry = source_entry(argument, self.config.feed_sources[argument])
                target, rooted = entry["url"], True
            except ValueError as error:
                self._reject(str(error))
                return None, {}
        expire = self.options.get("expire")
        if expire is None and "expire" in entry:
            expire = parse_duration(entry["expire"])
        scheme = _SCHEME.match(target)
        if scheme and len(scheme[1]) > 1:  # one letter is a Windows drive
            if scheme[1].lower() not in _WEB_SCHEMES:
                self._reject(__("unsupported feed source %r: only http(s) URLs") % target)
                return None, {}
            if not host_allowed(target, self.config.feed_allowed_hosts):
                self._reject(
                    __("feed source %r: host not in feed_allowed_hosts") % target, "unsafe"
                )
                return None, {}
            return FeedSource(key=target, url=target, expire=expire), entry
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
        return FeedSource(key="/" + path, path=path, expire=expire), entry

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
