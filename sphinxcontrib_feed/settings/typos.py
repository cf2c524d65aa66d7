"""What a directive argument that names nothing, or an option name that is not one,
was probably meant to be.

An argument is tried as a URL, a file in the source directory and a
``feed_sources`` name; when all three fail, the warning lists what was tried
and the likely slip: a misspelt name, a web address without ``https://``, or
a comma between sources where a space belongs.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from sphinxcontrib_feed.locale import __

if TYPE_CHECKING:
    from collections.abc import Collection

#: A host name's shape: dotted labels, the last one letters (a top-level domain).
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?::\d+)?$", re.I)
_HOST_PORT = re.compile(r"^(?:localhost|[a-z0-9.-]+):\d+(?:/|$)", re.I)
#: Endings of feed files, which look like top-level domains to :data:`_HOST`.
_FILE_ENDINGS = frozenset({"xml", "rss", "atom", "json", "rdf", "feed", "txt", "html", "htm"})


def closest_name(argument: str, names: Collection[str]) -> str | None:
    """The ``feed_sources`` name *argument* most likely misspells."""
    folded = {name.casefold(): name for name in names}
    if argument.casefold() in folded:
        return folded[argument.casefold()]
    matches = difflib.get_close_matches(argument.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


def looks_like_web_address(argument: str) -> bool:
    """``blog.example.org/feed.xml``, ``www.example.org``, ``//example.org/feed``, ``host:8000``."""
    if argument.startswith("//"):
        return True
    if _HOST_PORT.match(argument):
        return True
    host = argument.split("/", 1)[0]
    return bool(_HOST.match(host)) and host.rsplit(".", 1)[-1].lower() not in _FILE_ENDINGS


def not_found_message(
    argument: str, path: str | None, names: Collection[str], *, is_name: bool = False
) -> str:
    """The warning for *argument*: what was tried, and the likely slip."""
    tried = [
        __("not a URL (no http:// or https://)"),
        __("not a file (no %s in the source directory)") % path
        if path is not None
        else __("not a file in the source directory"),
    ]
    if not is_name:
        tried.append(__("not a name in feed_sources"))
    message = __("feed source %r not found: %s") % (argument, "; ".join(tried))
    hints = []
    if "," in argument:
        spaced = " ".join(part for part in argument.split(",") if part.strip())
        hints.append(__("separate sources with spaces, not commas: %r") % spaced)
    elif looks_like_web_address(argument):
        address = argument.removeprefix("//")
        hints.append(__("if it is a web address, write %r") % f"https://{address}")
    if not is_name and (name := closest_name(argument.strip(","), names)) is not None:
        hints.append(__("did you mean %r?") % name)
    return "; ".join([message, *hints])


def option_hint(
    name: str,
    argument: str | None,
    options: Collection[str],
    flags: Collection[str],
    *,
    known: bool,
) -> str:
    """The error for ``:name: argument`` that docutils would refuse: an unknown option
    name (``:limt:``), or an argument given to a flag (``:categories: security``),
    with the option most likely meant."""
    if known:  # a flag with an argument: an option of a similar name that takes one
        message = __("the :%s: option takes no argument (%r given)") % (name, argument)
        candidates = [option for option in options if option not in flags and option != name]
    else:
        message = __("unknown option :%s:") % name
        candidates = list(options)
    matches = difflib.get_close_matches(name.casefold(), candidates, n=1, cutoff=0.6)
    if matches:
        suggestion = f":{matches[0]}: {argument}" if known and argument else f":{matches[0]}:"
        message += "; " + __("did you mean %s?") % suggestion
    return message
