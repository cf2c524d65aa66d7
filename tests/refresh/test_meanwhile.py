"""The owning thread's head start while requests are out (:mod:`.refresh.meanwhile`).

What the answers and the pages will need is done before they arrive: the
parsers and fast mappers imported, the HTTP cache opened and the keys of
the answers worked out, the docs' language's date formats loaded, and the
full garbage collection those imports would set off later (in a process's
first refresh, with a small heap, only), all before the first flush.
Nothing is timed.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from sphinxcontrib_feed.refresh import meanwhile as meanwhile_module
from sphinxcontrib_feed.refresh.meanwhile import collect_garbage, meanwhile


class Cache:
    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.flushes = 1

    def prepare(self) -> None:
        self.events.append("cache")

    def expect(self, urls: list[str]) -> None:
        self.events.append(f"keys {' '.join(urls)}")

    def flush(self) -> bool:
        self.events.append("flush")
        self.flushes -= 1
        return self.flushes >= 0


def _pieces(
    monkeypatch: pytest.MonkeyPatch, cached: list[object | None], first_refresh: bool = True
) -> list[str]:
    events: list[str] = []
    if first_refresh:
        monkeypatch.delitem(sys.modules, "requests_cache", raising=False)
    else:
        import requests_cache  # noqa: F401
    monkeypatch.setattr(meanwhile_module, "load_parsers", lambda: events.append("parsers"))
    monkeypatch.setattr(meanwhile_module, "load_dates", lambda lang: events.append(f"dates {lang}"))
    monkeypatch.setattr(meanwhile_module, "collect_garbage", lambda: events.append("collect"))
    refresher: Any = SimpleNamespace(cache=Cache(events), language="de")
    requests: Any = (SimpleNamespace(cached=copy, url=f"u{n}") for n, copy in enumerate(cached))
    idle = meanwhile(refresher, requests)  # any iterable, read twice
    while idle():
        pass
    return events


def test_the_head_start_comes_before_any_flush(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(meanwhile_module, "LARGEST_HEAP_COLLECTED", sys.getallocatedblocks() * 2)
    events = _pieces(monkeypatch, [None, object()])
    assert events == ["parsers", "cache", "keys u0 u1", "dates de", "collect", "flush", "flush"]


def test_answers_that_need_no_parse_load_no_parser(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(meanwhile_module, "LARGEST_HEAP_COLLECTED", sys.getallocatedblocks() * 2)
    events = _pieces(monkeypatch, [object()])  # every request revalidates a stored copy
    assert events == ["cache", "keys u0", "dates de", "collect", "flush", "flush"]


def test_a_process_that_refreshed_before_is_not_collected(monkeypatch: pytest.MonkeyPatch):
    events = _pieces(monkeypatch, [None], first_refresh=False)
    assert events == ["parsers", "cache", "keys u0", "dates de", "flush", "flush"]


def test_a_large_process_is_not_collected(monkeypatch: pytest.MonkeyPatch):
    """Its collection would cost more than the imports' objects ever would."""
    monkeypatch.setattr(meanwhile_module, "LARGEST_HEAP_COLLECTED", sys.getallocatedblocks() // 2)
    events = _pieces(monkeypatch, [None])
    assert events == ["parsers", "cache", "keys u0", "dates de", "flush", "flush"]


def test_an_interpreter_that_counts_no_blocks_is_not_collected(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delattr(sys, "getallocatedblocks")
    events = _pieces(monkeypatch, [None])
    assert events == ["parsers", "cache", "keys u0", "dates de", "flush", "flush"]


def _collections_started() -> list[int]:
    """The generation of each collection :func:`.collect_garbage` starts."""
    generations: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(note)
    try:
        collect_garbage()
    finally:
        gc.callbacks.remove(note)
    return generations


def test_the_collection_is_a_full_one():
    assert _collections_started() == [2]


def test_a_process_that_turned_the_collector_off_keeps_it_off():
    gc.disable()
    try:
        assert _collections_started() == []
        assert not gc.isenabled()
    finally:
        gc.enable()


LOAD = """
import sys
import babel.localedata
from sphinxcontrib_feed.refresh.meanwhile import load_dates
load_dates(sys.argv[1])
print(" ".join(sorted(babel.localedata._cache)))
"""


@pytest.mark.parametrize(("language", "loaded"), [("de", "de"), ("pt_BR", "pt_BR"), ("xx", "")])
def test_the_docs_language_dates_are_loaded_an_unknown_one_is_no_error(language: str, loaded: str):
    """In a fresh interpreter, where Babel has loaded no locale yet."""
    done = subprocess.run([sys.executable, "-c", LOAD, language], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    locales = done.stdout.split()
    if loaded:
        assert loaded in locales
    else:
        assert not set(locales) - {"root"}
    assert done.stderr == ""
