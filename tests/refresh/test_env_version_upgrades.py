"""Upgrades never crash: the environment version follows the shape of stored data.

An older release's pickles unpickle into today's classes with fields missing
(``'Entry' object has no attribute 'summary_text'``). Two defences are tested
here: the version changes by itself whenever a stored class changes (so
Sphinx discards the old environment), and feed data of another shape anyway
is refused: the domain's own data by discarding the environment, the sources'
records (kept packed, read back on first use) by reading the sources again.
The last test builds with the real commit b7e2637 when the checkout's
history has it.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import feeds_in

from sphinxcontrib_feed.model import Entry
from sphinxcontrib_feed.reading.directive import FeedDirective
from sphinxcontrib_feed.reading.domain import FeedDomain
from sphinxcontrib_feed.refresh import shape

ROOT = Path(__file__).parents[2]
OLD_COMMIT = "b7e2637"


def reshaped(cls: type, drop: str = "", add: str = "", retype: str = "") -> type:
    """A dataclass named like *cls*, with one field dropped, added or retyped."""
    specs: list[Any] = []
    for f in dataclasses.fields(cls):
        if f.name == drop:
            continue
        specs.append((f.name, "bytes" if f.name == retype else f.type))
    if add:
        specs.append((add, "str"))
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)


@pytest.mark.parametrize(
    "change",
    [
        {"drop": "summary_text"},
        {"add": "subtitle"},
        {"retype": "title"},
    ],
)
@pytest.mark.parametrize("name", ["Feed", "Entry", "Enclosure", "FeedSource", "SourceRecord"])
def test_any_change_to_a_stored_class_changes_the_version(monkeypatch, name, change):
    before = shape.fingerprint(shape.shape_description())
    classes = {cls.__name__: cls for cls in shape.stored_classes()}
    names = [f.name for f in dataclasses.fields(classes[name])]
    change = {k: v if k == "add" or v in names else names[0] for k, v in change.items()}
    variant = reshaped(classes[name], **change)
    monkeypatch.setattr(
        shape, "stored_classes", lambda: tuple(variant if c.__name__ == name else c
                                               for c in classes.values())
    )  # fmt: skip
    assert shape.fingerprint(shape.shape_description()) != before


def test_domain_data_version_and_directive_options_are_part_of_the_version(monkeypatch):
    before = shape.fingerprint(shape.shape_description())
    monkeypatch.setattr(FeedDomain, "data_version", FeedDomain.data_version + 1)
    assert shape.fingerprint(shape.shape_description()) != before
    monkeypatch.undo()
    monkeypatch.setitem(FeedDirective.option_spec, "new-option", str)
    assert shape.fingerprint(shape.shape_description()) != before


def test_the_written_down_version_is_the_fingerprint():
    """When this fails, set :data:`.shape.ENV_VERSION` to the value it names."""
    assert shape.fingerprint(shape.shape_description()) == shape.ENV_VERSION, (
        f"set ENV_VERSION in sphinxcontrib_feed/refresh/shape.py to "
        f"{shape.fingerprint(shape.shape_description())}"
    )


def test_the_version_sphinx_sees_is_the_fingerprint_and_stable_across_processes(project):
    app = project("d2-merged").build()
    declared = app.extensions["sphinxcontrib_feed"].metadata["env_version"]
    assert declared == shape.fingerprint(shape.shape_description())
    code = "import sphinxcontrib_feed as s; print(s.ENV_VERSION)"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("0", "12345")
    }  # fmt: skip
    assert seen == {str(declared)}


def _dataclasses_in(value: object, found: set[type]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found.add(type(value))
        for f in dataclasses.fields(value):
            _dataclasses_in(getattr(value, f.name), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _dataclasses_in(key, found)
            _dataclasses_in(item, found)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _dataclasses_in(item, found)


def test_every_class_the_environment_holds_is_fingerprinted(project):
    """A new stored class (say an Author dataclass in Entry) must join the fingerprint."""
    app = project("d2-merged").build()
    found: set[type] = set()
    data = dict(app.env.domaindata["feed"])
    data["states"] = data["states"].records(lambda records: True)  # kept packed
    _dataclasses_in(data, found)
    assert found  # the build stored feeds
    assert found <= set(shape.stored_classes())


def _write_entries_without(env_pickle: Path, field: str) -> None:
    """Rewrite *env_pickle* as an older release would have: Entry pickled without *field*."""
    with env_pickle.open("rb") as file:
        env = pickle.load(file)
    env.domaindata["feed"]["states"].records(lambda records: True)  # pickled again below
    generated = Entry.__getstate__  # type: ignore[attr-defined]
    names = [f.name for f in dataclasses.fields(Entry) if f.name != field]
    try:
        Entry.__getstate__ = lambda self: [getattr(self, n) for n in names]  # type: ignore[attr-defined]
        with env_pickle.open("wb") as file:
            pickle.dump(env, file, pickle.HIGHEST_PROTOCOL)
    finally:
        Entry.__getstate__ = generated  # type: ignore[attr-defined]
    with env_pickle.open("rb") as file:
        records = pickle.load(file).domaindata["feed"]["states"].records(lambda records: True)
    entry = next(iter(records.values())).feed.entries[0]
    assert not hasattr(entry, field)  # what an upgrade from b7e2637 looked like


def _rebuilds_cleanly(site, fresh: bool, discarded: str, verbosity: int = 0) -> None:
    """Today's code rebuilds *site*; an incremental build says why it discarded the old data."""
    app = site.build(freshenv=fresh, verbosity=verbosity)
    assert app.statuscode == 0
    if not fresh:
        assert discarded in site.last_status
    (items,), _ = feeds_in(site.output("index.html"))
    assert len(items) == 5
    assert all(item.summary for item in items)


@pytest.mark.parametrize("fresh", [False, True], ids=["incremental", "-E"])
def test_environment_with_entries_of_another_shape_is_rebuilt_not_a_crash(project, fresh):
    site = project("d2-merged")
    site.build()
    # the last field: slots are restored by position, so only a missing last one stays missing
    _write_entries_without(site.srcdir / "_build" / "doctrees" / "environment.pickle",
                           dataclasses.fields(Entry)[-1].name)  # fmt: skip
    # a changed feed file: the refresh reads the records back, finds them foreign
    changed = site.srcdir / "_feeds" / "d2-site.atom"
    stamp = changed.stat().st_mtime_ns + 2_000_000_000
    os.utime(changed, ns=(stamp, stamp))
    _rebuilds_cleanly(site, fresh, "stored feed records of another shape: left out", verbosity=1)


def test_foreign_domain_data_discards_the_environment(project):
    site = project("d2-merged")
    site.build()
    env_pickle = site.srcdir / "_build" / "doctrees" / "environment.pickle"
    with env_pickle.open("rb") as file:
        env = pickle.load(file)
    env.domaindata["feed"]["uses"]["index"] = ["not a source"]
    with env_pickle.open("wb") as file:
        pickle.dump(env, file, pickle.HIGHEST_PROTOCOL)
    _rebuilds_cleanly(site, False, "feed data written by another version")


def test_foreign_domain_data_from_a_worker_is_not_merged(project):
    app = project("d2-merged").build()
    domain = app.env.get_domain("feed")
    assert isinstance(domain, FeedDomain)
    before = dict(domain.uses)
    for foreign in ({}, {"uses": []}, {"uses": {"index": ["not a source"]}}, None):
        domain.merge_domaindata({"index"}, foreign)  # type: ignore[arg-type]
    assert domain.uses == before


def _sphinx(srcdir: Path, pythonpath: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-d", "_build/doctrees", *args,
               ".", "_build/html"]  # fmt: skip
    return subprocess.run(command, cwd=srcdir, env=env, capture_output=True, text=True)


def test_upgrade_from_commit_b7e2637(project, tmp_path):
    """The reported upgrade, with the real old code (needs the checkout's git history)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", OLD_COMMIT, "sphinxcontrib_feed"],
        capture_output=True,
    )
    if archive.returncode:
        pytest.skip(f"commit {OLD_COMMIT} is not in this checkout's history (a shallow clone?)")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    site = project("d2-merged")
    built = _sphinx(site.srcdir, old)
    assert built.returncode == 0, built.stderr
    assert (site.srcdir / "_build" / "doctrees" / "environment.pickle").exists()
    # the old pickle names modules of the flat layout, and classes, that are gone
    # (its first: sphinxcontrib_feed.model.FeedSource): Sphinx cannot load it, says
    # so, and starts afresh (before it could compare env versions)
    for fresh in (False, True):  # today's code, in this process; then with -E
        _rebuilds_cleanly(site, fresh, "failed: Can't get attribute 'FeedSource'")
