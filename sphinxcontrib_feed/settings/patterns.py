"""The user patterns of ``:filter:``/``:exclude:`` and the ``:category:`` list, as read.

Both directive options and :mod:`.finish.select` go through these: options
to check a value when a page is read, the selection to apply it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence


class Pattern(Protocol):
    """A compiled user pattern: what the filters use of it."""

    def search(self, text: str) -> object | None: ...


class _RE2Pattern:
    """An RE2 regexp that also takes text with lone surrogates (RE2 reads UTF-8)."""

    __slots__ = ("regexp",)

    def __init__(self, regexp: Any) -> None:
        self.regexp = regexp

    def search(self, text: str) -> object | None:
        try:
            found: object | None = self.regexp.search(text)
        except UnicodeEncodeError:
            found = self.regexp.search(text.encode("utf-8", "replace").decode("utf-8"))
        return found


class PatternError(re.error):
    """A user pattern RE2 cannot compile; an ``re.error``, so callers catch it as one."""


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Pattern:
    """*pattern*, case-insensitive, compiled by RE2: matching takes time linear in
    the text whatever the pattern (``(a+)+$`` cannot hang a build). RE2 has no
    backreferences or lookaround; such a pattern raises :class:`PatternError`."""
    import re2  # on first use: a build that reads no pattern never loads it

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return _RE2Pattern(re2.compile(pattern, options))
    except UnicodeEncodeError:
        raise PatternError("the pattern is not valid Unicode") from None
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            f"{reason} (patterns use RE2 syntax: no backreferences or lookaround)"
        ) from None


def parse_categories(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(part.strip() for part in parts if part.strip())
