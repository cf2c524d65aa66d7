"""``feed_sources``: each entry checked, as a URL or file and the option defaults it sets.

Apart from :mod:`.checks`, and loaded only for a project that names sources
(:func:`.resolved.build_settings`): the entries' class is then the only one
of them created.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sphinxcontrib_feed.locale import __
from sphinxcontrib_feed.settings.checks import Report, rel, using
from sphinxcontrib_feed.settings.options import ENTRY_OPTIONS, entry_default

__all__ = ["SourceEntry", "sources"]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A ``feed_sources`` entry: its URL or file, and the option defaults it sets."""

    url: str
    #: Option name (as in the directive, e.g. ``summary-length``) → value as the option gives it.
    defaults: Mapping[str, Any]


def sources(value: object, report: Report) -> tuple[dict[str, SourceEntry], set[str], Any]:
    """Usable entries, names of unusable ones, and the value to write back.

    An entry without a usable URL is dropped; in a good entry a bad or unknown
    key is dropped, and the entry is kept with that option's usual default.
    """
    if not isinstance(value, Mapping):
        accepted = __('a dict of name: URL or file path, or name: {"url": ..., option: value}')
        report("feed_sources", value, accepted, using({}))
        return {}, set(), {}
    entries: dict[str, SourceEntry] = {}
    invalid: set[str] = set()
    kept: dict[str, Any] = {}
    for name, entry in value.items():
        where = f"feed_sources[{name!r}]"
        raw = {"url": entry} if isinstance(entry, str) else entry
        url = raw.get("url") if isinstance(raw, Mapping) else None
        if not isinstance(name, str) or name.split() != [name]:
            report(where, entry, __("a name without spaces"), __("entry ignored"))
            continue
        if not isinstance(raw, Mapping) or not isinstance(url, str) or not url.strip():
            accepted = __('a URL or file path, or {"url": URL or file path, option: value}')
            report(where, entry, accepted, __("entry ignored"))
            invalid.add(name)
            continue
        defaults, good = _entry_defaults(where, raw, report)
        entries[name] = SourceEntry(url=url.strip(), defaults=defaults)
        kept[name] = entry if isinstance(entry, str) else {"url": url.strip(), **good}
    return entries, invalid, kept


def _entry_defaults(
    where: str, entry: Mapping[Any, Any], report: Report
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An entry's option defaults (by option name), and its good keys as written."""
    defaults: dict[str, Any] = {}
    good: dict[str, Any] = {}
    for key, value in entry.items():
        option = str(key).replace("_", "-")
        if key == "url":
            continue
        if option not in ENTRY_OPTIONS:
            from sphinxcontrib_feed.settings.typos import closest_name  # on a slip only

            outcome = __("key ignored")
            if (near := closest_name(option, ENTRY_OPTIONS)) is not None:
                outcome += "; " + __("did you mean %r?") % near
            accepted = __("url or a directive option: %s") % ", ".join(ENTRY_OPTIONS)
            report(f"{where}[{key!r}]", value, accepted, outcome)
            continue
        if option == "rel":
            defaults[option] = good[str(key)] = rel(f"{where}[{key!r}]", value, report)
            continue
        try:
            defaults[option] = entry_default(option, value)
        except ValueError as error:
            report(f"{where}[{key!r}]", value, str(error), __("key ignored"))
            continue
        good[str(key)] = value
    return defaults, good
