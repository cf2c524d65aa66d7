"""Per-document and per-source state, kept in the build environment.

Documents record which sources they use while being read (possibly in forked
workers, hence ``merge_domaindata``); the fetch stage records each source's
last good feed and last failure. The render stage reads both.

The records are kept packed (:mod:`.packed`), with a plain note of the feed
files the last refresh settled (:attr:`FeedDomain.unchanged_files`): a build
that reads no page and finds those files as they were (a no-op) needs
neither the records nor the model's classes, so this module imports neither.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Domain
from sphinx.util import logging

from sphinxcontrib_feed.feedsource import FeedSource
from sphinxcontrib_feed.finish.selection import Selection
from sphinxcontrib_feed.reading.packed import PackedRecords, complete

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from docutils import nodes
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_feed.finish.need import Need
    from sphinxcontrib_feed.reading.records import SourceRecord

logger = logging.getLogger(__name__)

#: A feed file the last refresh settled: its path, and its modification time then.
SettledFile = tuple[str, datetime]


class FeedDomain(Domain):
    """Holds feed data for the whole project; defines no directives, roles or targets.

    It answers every hook Sphinx and extensions call on a domain (MyST asks
    each domain to resolve a Markdown link) with "nothing here", and it never
    trusts stored data it did not write: an environment whose feed data has
    another shape (written by another version of the extension) is refused,
    so Sphinx starts a fresh one instead of crashing later.
    """

    name = "feed"
    label = "Feeds"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {
        "uses": {}, "states": {}, "shows": {}, "chrome": {}, "unchanged_files": None,
    }  # fmt: skip

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        if self.data.get("states") == {}:  # a new environment (Sphinx copied initial_data)
            self.data["states"] = PackedRecords({})
        if not _known_shape(self.data):
            # Sphinx catches this while loading a pickled environment and
            # starts a fresh one (the message shows in its "failed: ..." line).
            raise OSError("feed data written by another version of sphinxcontrib-feed")

    @property
    def uses(self) -> dict[str, list[FeedSource]]:
        """docname → the sources its directives name, in order."""
        return self.data.setdefault("uses", {})  # type: ignore[no-any-return]

    @property
    def states(self) -> dict[str, SourceRecord]:
        """source key → record (read back from the environment on first use)."""
        from sphinxcontrib_feed.reading.records import known_records  # on first use

        packed: PackedRecords = self.data["states"]
        loaded = packed.loaded
        records: dict[str, SourceRecord] = packed.records(known_records)
        if not loaded and packed.problem:
            self.unchanged_files = None
            logger.verbose(
                "[feed] stored feed records %s: left out, the sources are read again",
                packed.problem,
            )
        return records

    @property
    def records_loaded(self) -> bool:
        """Whether anything in this build asked for the records (see :attr:`states`)."""
        return bool(self.data["states"].loaded)

    @property
    def unchanged_files(self) -> dict[str, SettledFile] | None:
        """source key → feed file, for every source in use, when the last refresh left
        each a good copy of a feed file that warns of nothing, cut to what its pages
        show; None otherwise, and as soon as a page is read or the chrome changes.
        The refresh has nothing to do while these files are as they were."""
        return self.data.get("unchanged_files")

    @unchanged_files.setter
    def unchanged_files(self, files: dict[str, SettledFile] | None) -> None:
        self.data["unchanged_files"] = files

    @property
    def shows(self) -> dict[str, list[tuple[tuple[str, ...], Selection]]]:
        """docname → each directive's source keys and selection, in order."""
        return self.data.setdefault("shows", {})  # type: ignore[no-any-return]

    @property
    def chrome(self) -> dict[str, tuple[FeedSource, Selection]]:
        """source key → source and selection the theme shows on every page (``feed_sidebar``);
        set before each refresh (:mod:`.chrome`)."""
        return self.data.setdefault("chrome", {})  # type: ignore[no-any-return]

    def set_chrome(self, chrome: dict[str, tuple[FeedSource, Selection]]) -> None:
        """The chrome's sources from now on (:mod:`.chrome`)."""
        if chrome != self.chrome:
            self.data["chrome"] = chrome
            self.unchanged_files = None

    def note_sources(
        self, docname: str, sources: Iterable[FeedSource], selection: Selection | None = None
    ) -> None:
        self.unchanged_files = None
        sources = list(sources)
        self.uses.setdefault(docname, []).extend(sources)
        if selection is not None:
            keys = tuple(source.key for source in sources)
            self.shows.setdefault(docname, []).append((keys, selection))

    def clear_doc(self, docname: str) -> None:
        self.unchanged_files = None
        self.uses.pop(docname, None)
        self.shows.pop(docname, None)

    def needs(self) -> dict[str, frozenset[Need]]:
        """source key → what the directives ask of it (see :func:`.shown.shown_feed`)."""
        from sphinxcontrib_feed.finish.need import Need

        found: dict[str, set[Need]] = {}
        for key, (_, selection) in self.chrome.items():
            found.setdefault(key, set()).add(Need(selection))
        for shown in self.shows.values():
            for keys, selection in shown:
                merged = tuple(keys) if len(set(keys)) > 1 else ()
                for key in keys:
                    found.setdefault(key, set()).add(Need(selection, merged))
        return {key: frozenset(needs) for key, needs in found.items()}

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        uses = otherdata.get("uses") if isinstance(otherdata, dict) else None
        if not isinstance(uses, dict):
            return  # not data we wrote: nothing to merge
        self.unchanged_files = None
        for docname in docnames:
            sources = uses.get(docname)
            if isinstance(sources, list) and all(complete(s, FeedSource) for s in sources):
                self.uses[docname] = sources
        shows = otherdata.get("shows")
        if isinstance(shows, dict):
            for docname in docnames:
                if (shown := shows.get(docname)) is not None and _shows_shape(shown):
                    self.shows[docname] = shown

    # The domain owns no targets: every lookup finds nothing.

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        return ()

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return None

    def sources_in_use(self) -> dict[str, FeedSource]:
        """Every source some document uses; the shortest lifetime asked for wins."""
        found: dict[str, FeedSource] = {}
        for sources in [*self.uses.values(), [source for source, _ in self.chrome.values()]]:
            for source in sources:
                known = found.get(source.key)
                if known is None:
                    found[source.key] = source
                    continue
                expires = [e for e in (known.expire, source.expire) if e is not None]
                found[source.key] = replace(
                    known,
                    expire=min(expires) if expires else None,
                    as_of=known.as_of or source.as_of,
                )
        return found

    def documents_using(self, keys: Set[str]) -> set[str]:
        return {
            docname
            for docname, sources in self.uses.items()
            if any(source.key in keys for source in sources)
        }

    def record(self, key: str) -> SourceRecord:
        from sphinxcontrib_feed.reading.records import SourceRecord

        return self.states.get(key) or SourceRecord()

    def forget_unused(self, keys: Set[str]) -> None:
        for key in set(self.states) - set(keys):
            del self.states[key]


def _shows_shape(shown: object) -> bool:
    """*shown* is one document's list of (source keys, selection)."""
    return isinstance(shown, list) and all(
        isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], tuple)
        and complete(item[1], Selection)
        for item in shown
    )  # fmt: skip


def _known_shape(data: object) -> bool:
    """*data* is feed domain data of the shape this version writes (the records
    are checked when read back: :func:`_known_records`)."""
    if not isinstance(data, dict):
        return False
    uses, shows = data.get("uses", {}), data.get("shows", {})
    if not isinstance(uses, dict) or not isinstance(data.get("states"), PackedRecords):
        return False
    if not isinstance(shows, dict) or not all(_shows_shape(s) for s in shows.values()):
        return False
    chrome = data.get("chrome", {})
    if not isinstance(chrome, dict) or not all(
        isinstance(shown, tuple) and len(shown) == 2 and complete(shown[0], FeedSource)
        and complete(shown[1], Selection)
        for shown in chrome.values()
    ):  # fmt: skip
        return False
    for sources in uses.values():
        if not isinstance(sources, list) or not all(complete(s, FeedSource) for s in sources):
            return False
    files = data.get("unchanged_files")
    return files is None or (isinstance(files, dict) and all(
        isinstance(file, tuple) and len(file) == 2 and isinstance(file[0], str)
        and isinstance(file[1], datetime)
        for file in files.values()
    ))  # fmt: skip


def get_feed_domain(env: BuildEnvironment) -> FeedDomain:
    domain = env.get_domain(FeedDomain.name)
    assert isinstance(domain, FeedDomain)
    return domain
