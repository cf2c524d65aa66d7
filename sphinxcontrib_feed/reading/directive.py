"""The ``feed`` directive: resolve sources and options, emit a placeholder.

It does no network I/O: reading stays fast and parallel-safe, and each source
is fetched once per build (see :mod:`.refresh`), however many pages use it.
It only checks that a file source exists, so a misspelt argument is reported
where it is written, with what was tried and what was probably meant.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_feed.finish.selection import selection_of
from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.reading.domain import get_feed_domain
from sphinxcontrib_feed.reading.nodes import feed_placeholder
from sphinxcontrib_feed.reading.resolve import SourceResolver
from sphinxcontrib_feed.settings.config import rel_tokens
from sphinxcontrib_feed.settings.options import FLAGS, OPTION_SPEC, FeedOptions, Misused
from sphinxcontrib_feed.settings.patterns import compile_pattern, parse_categories
from sphinxcontrib_feed.settings.resolved import get_settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes

    from sphinxcontrib_feed.settings.resolved import Settings

logger = logging.getLogger(__name__)


class FeedDirective(SourceResolver, SphinxDirective):
    """``.. feed:: SOURCE [SOURCE ...]`` with display options."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = OPTION_SPEC

    @property
    def settings(self) -> Settings:
        return get_settings(self.config)

    def run(self) -> list[nodes.Node]:
        for value in self.options.values():
            if isinstance(value, Misused):  # an unknown option, or a flag with an argument
                from sphinxcontrib_feed.settings.typos import option_hint  # on a slip only

                hint = option_hint(value.name, value.argument, list(OPTION_SPEC), FLAGS,
                                   known=value.known)  # fmt: skip
                raise self.error(hint)
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
        more, more_text = self._more(named_defaults.get("more"))
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
            "more": more,
            "more_text": more_text,
            "searchable": flag("searchable", settings.searchable),
            "media": pick("media", settings.media),
            "base": pick("base", None),
        }

    def _more(self, default: object) -> tuple[bool, str | None]:
        """``:more:`` (the localised text) or ``:more: TEXT``; a feed_sources entry may set
        either (``True`` or a string)."""
        value = self.options.get("more", default)
        if isinstance(value, str) and value.strip():
            return True, value.strip()
        return value is not None and value is not False, None

    def _rel(self, default: str | None) -> str | None:
        """``:rel:`` tokens; an unknown one is reported here and dropped."""
        if "rel" not in self.options:
            return default
        known, unknown = rel_tokens(self.options["rel"])
        for token in unknown:
            self._reject(__("unknown :rel: link type %r, dropped") % token)
        return " ".join(known) or None
