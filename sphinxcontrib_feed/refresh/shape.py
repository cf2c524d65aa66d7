"""The environment version, worked out from the shape of what the extension pickles.

Sphinx keeps the environment (with each source's parsed :class:`.Feed`) and
every doctree (with each directive's resolved options) between builds, and
throws them away only when an extension's ``env_version`` changes. A
hand-bumped number gets forgotten, and an older pickle then unpickles into
today's classes with missing fields (``'Entry' object has no attribute
'summary_text'``). So the version is a hash of the stored classes' fields,
where they live, the domain's data version and keys and the directive's
options: change any of them and every environment written before is
discarded; a test, not memory, keeps :data:`ENV_VERSION` equal to that hash.

:data:`SEMANTICS` is for the one change a fingerprint cannot see: the same
fields meaning something new.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Bump when stored data keeps its shape but changes its meaning.
SEMANTICS = 1


def describe_classes(classes: Iterable[type]) -> list[str]:
    """One line per dataclass: its name and each field's name and annotation."""
    return [
        f"{cls.__name__}({', '.join(f'{f.name}: {f.type}' for f in fields(cls))})"
        for cls in classes
    ]


def stored_classes() -> tuple[type, ...]:
    """Every dataclass whose instances the environment holds (a test checks this)."""
    return _stored()


def _stored() -> tuple[type, ...]:
    from sphinxcontrib_feed.errors import Failure
    from sphinxcontrib_feed.feedsource import FeedSource
    from sphinxcontrib_feed.finish.need import Need
    from sphinxcontrib_feed.finish.selection import Selection
    from sphinxcontrib_feed.model import Enclosure, Entry, Feed
    from sphinxcontrib_feed.reading.records import SourceRecord

    return (Feed, Entry, Enclosure, FeedSource, SourceRecord, Failure, Need, Selection)


def pickled_paths() -> list[str]:
    """Where each class a pickle names lives: the stored dataclasses, and the node the
    directive leaves in every doctree. A pickle refers to a class by module path, so
    moving one must change the version too (Sphinx then reads every page afresh
    rather than load a doctree that names a module gone)."""
    from sphinxcontrib_feed.reading.nodes import feed_placeholder

    return sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in (*_stored(), feed_placeholder))


def shape_description() -> str:
    """Everything a pickled environment or doctree of this version depends on."""
    from sphinxcontrib_feed.reading.directive import FeedDirective
    from sphinxcontrib_feed.reading.domain import FeedDomain

    lines = describe_classes(stored_classes())
    lines.append(f"paths {pickled_paths()}")
    lines.append(f"domain {FeedDomain.name} v{FeedDomain.data_version}")
    lines.append(f"domain keys {sorted(FeedDomain.initial_data)}")
    lines.append(f"options {sorted(FeedDirective.option_spec)}")
    lines.append(f"semantics {SEMANTICS}")
    return "\n".join(lines)


def fingerprint(description: str) -> int:
    """A stable positive int for *description* (the same in every process and release)."""
    return int.from_bytes(hashlib.sha256(description.encode()).digest()[:4], "big") >> 1


#: :func:`fingerprint` of :func:`shape_description`, written down: working it out
#: imports every stored class, which a no-op build otherwise never creates (see
#: :mod:`.reading.packed`). ``tests/refresh/test_env_version_upgrades.py`` fails,
#: naming the new value, as soon as it is out of date.
ENV_VERSION = 76665018


def env_version() -> int:
    return ENV_VERSION
