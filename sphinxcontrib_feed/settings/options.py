"""The directive's options: how each is read, and the resolved form pages keep.

A ``feed_sources`` entry may set defaults for the same options; they are read
here too, once at ``config-inited``, so a bad one is reported then.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from docutils.parsers.rst import directives

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.settings.config import (
    LAYOUTS,
    MEDIA_MODES,
    ON_ERROR,
    SORT_ORDERS,
    SUMMARY_MODES,
    Layout,
    MediaMode,
    OnError,
    SortOrder,
    SummaryMode,
    choice,
    parse_bool,
    parse_duration,
)
from sphinxcontrib_feed.settings.patterns import compile_pattern, parse_categories

if TYPE_CHECKING:
    from collections.abc import Callable


class FeedOptions(TypedDict):
    """A directive's options once resolved; kept in the page's placeholder node."""

    limit: int
    summary: SummaryMode
    summary_length: int
    date_format: str | None
    layout: Layout
    sort: SortOrder
    reverse: bool
    filter: str | None
    exclude: str | None
    category: list[str]
    since: float | None
    title: str | None
    author: bool
    categories: bool
    images: bool
    new_tab: bool
    empty: str | None
    on_error: OnError
    as_of: bool
    classes: list[str]
    #: Validated, space-separated ``rel`` tokens for item links.
    rel: str | None
    more: bool
    #: ``:more: TEXT``: the link's text; None for the localised "More on <feed title>".
    more_text: str | None
    searchable: bool
    #: How audio and video enclosures are shown (``player`` only in HTML).
    media: MediaMode
    #: ``:base:``: the address a feed file is published at, for its relative item links.
    base: str | None


def _choice(allowed: tuple[str, ...], what: str) -> Callable[[str | None], str]:
    return lambda argument: choice(argument or "", allowed, what)


def _duration(argument: str | None) -> float:
    return parse_duration(argument or "")


def _optional_bool(argument: str | None) -> bool:
    """A flag that may also say ``yes`` or ``no``: ``:searchable:`` or ``:searchable: no``."""
    return True if argument is None or not argument.strip() else parse_bool(argument)


def web_address(value: str) -> str:
    """An absolute ``http(s)`` URL (``:base:``)."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(__("an absolute http(s) URL, not %r") % value)
    return value


def pattern(value: str) -> str:
    """A regular expression that compiles (``re.error`` is a ``ValueError``)."""
    try:
        compile_pattern(value)
    except re.error as error:
        raise ValueError(f"invalid pattern {value!r}: {error}") from None
    return value


class Misused:
    """An option docutils would refuse with a bare message (an unknown name, or an
    argument given to a flag): kept as the option's value, so the directive can say
    what was probably meant (:func:`.typos.option_hint`) at its own line."""

    def __init__(self, name: str, argument: str | None, *, known: bool) -> None:
        self.name, self.argument, self.known = name, argument, known


class _OptionSpec(dict[str, "Callable[[str], Any]"]):
    """The directive's options; an unknown name reads as :class:`Misused`, not a
    ``KeyError`` (docutils' "unknown option" would say nothing more)."""

    def __missing__(self, name: str) -> Callable[[str | None], Misused]:
        return lambda argument: Misused(name, argument, known=False)


def _flag(name: str) -> Callable[[str | None], Misused | None]:
    """A flag; an argument is kept as :class:`Misused` (``:categories: security``
    most likely meant ``:category: security``)."""

    def convert(argument: str | None) -> Misused | None:
        if argument is not None and argument.strip():
            return Misused(name, argument.strip(), known=True)
        return None

    return convert


OPTION_SPEC: dict[str, Callable[[str], Any]] = _OptionSpec(
    {
        "limit": directives.nonnegative_int,
        "summary": _choice(SUMMARY_MODES, ":summary:"),
        "summary-length": directives.nonnegative_int,
        "date-format": directives.unchanged_required,
        "layout": _choice(LAYOUTS, ":layout:"),
        "sort": _choice(SORT_ORDERS, ":sort:"),
        "reverse": _flag("reverse"),
        "filter": directives.unchanged_required,  # compiled in the directive, to say which
        "exclude": directives.unchanged_required,
        "category": directives.unchanged_required,
        "since": _duration,
        "title": directives.unchanged,
        "author": _flag("author"),
        "categories": _flag("categories"),
        "images": _flag("images"),
        "new-tab": _flag("new-tab"),
        "empty": directives.unchanged_required,
        "expire": _duration,
        "on-error": _choice(ON_ERROR, ":on-error:"),
        "as-of": _flag("as-of"),
        "rel": directives.unchanged_required,  # tokens are checked where a warning can be located
        "more": directives.unchanged,  # alone: "More on <feed title>"; with TEXT: that text
        "searchable": _optional_bool,
        "media": _choice(MEDIA_MODES, ":media:"),
        "base": web_address,
        "class": directives.class_option,
        "name": directives.unchanged,
    }
)

FLAGS = frozenset({"reverse", "author", "categories", "images", "new-tab", "as-of"})

#: Directive options a long-form ``feed_sources`` entry may set defaults for.
ENTRY_OPTIONS = tuple(option for option in OPTION_SPEC if option not in {"class", "name"})


def entry_default(option: str, value: object) -> Any:
    """A ``feed_sources`` entry's *value* for *option*, read as the option would be.

    Python values are welcome where they are natural (``True`` for a flag, a
    number for ``limit``, a list for ``category``). A ``ValueError`` says what
    is accepted. ``rel`` is left to the caller, which drops unknown tokens.
    """
    if option == "more" and isinstance(value, str):
        try:
            return parse_bool(value)
        except ValueError:
            return value.strip() or True  # the link's text
    if option in FLAGS or option in {"searchable", "more"}:
        accepted = __("True or False (or 'yes'/'no', 'on'/'off', '1'/'0')")
        return _accepting(parse_bool, value, accepted)
    if option in {"limit", "summary-length"}:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise ValueError(__("a whole number, 0 or more"))
    if option in {"since", "expire"}:
        return _accepting(parse_duration, value, __("a duration such as '30m', '6h' or '2w'"))
    if option == "category":
        if isinstance(value, str) or (
            isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        ):
            return list(parse_categories(value))
        raise ValueError(__("a comma-separated string or a list of strings"))
    if option == "title" and value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(__("a string"))
    if option in {"filter", "exclude"}:
        try:
            return pattern(value)
        except ValueError as error:
            raise ValueError(__("a regular expression (%s)") % error) from None
    if option in _CHOICES:
        accepted = __("one of %s, in any case") % ", ".join(_CHOICES[option])
        return _accepting(OPTION_SPEC[option], value, accepted)
    return OPTION_SPEC[option](value)


_CHOICES = {"summary": SUMMARY_MODES, "layout": LAYOUTS, "sort": SORT_ORDERS,
            "on-error": ON_ERROR, "media": MEDIA_MODES}  # fmt: skip


def _accepting(convert: Callable[[Any], Any], value: object, accepted: str) -> Any:
    try:
        return convert(value)
    except ValueError:
        raise ValueError(accepted) from None
