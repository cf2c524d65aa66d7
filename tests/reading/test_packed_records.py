"""The records the environment keeps packed: read back on first use, once; stored
again as they came when never read; a cache miss when unreadable or foreign."""

from __future__ import annotations

import pickle

from sphinxcontrib_feed.model import Entry, Feed
from sphinxcontrib_feed.reading.packed import PackedRecords
from sphinxcontrib_feed.reading.records import SourceRecord

RECORDS = {"/news.xml": SourceRecord(feed=Feed(title="News", entries=(Entry(title="One"),)))}


def _usable(records: object) -> bool:
    return isinstance(records, dict) and all(isinstance(r, SourceRecord) for r in records.values())


def test_records_come_back_as_they_were_and_only_when_asked():
    packed = pickle.loads(pickle.dumps(PackedRecords(dict(RECORDS))))
    assert not packed.loaded
    records = packed.records(_usable)
    assert packed.loaded and packed.problem is None
    assert records == RECORDS
    assert packed.records(_usable) is records  # read back once


def test_records_never_asked_for_are_stored_again_byte_for_byte():
    stored = pickle.dumps(PackedRecords(dict(RECORDS)))
    again = pickle.dumps(pickle.loads(stored))
    assert again == stored


def test_changes_to_records_read_back_are_stored():
    packed = pickle.loads(pickle.dumps(PackedRecords(dict(RECORDS))))
    packed.records(_usable)["/other.xml"] = SourceRecord()
    assert set(pickle.loads(pickle.dumps(packed)).records(_usable)) == {"/news.xml", "/other.xml"}


def test_unreadable_or_foreign_records_are_left_out_and_say_why():
    for blob, why in [
        (b"\x80\x05truncated", "unreadable"),
        (pickle.dumps(["not", "records"]), "of another shape"),
        (pickle.dumps({"/news.xml": "not a record"}), "of another shape"),
    ]:
        packed = PackedRecords(None, blob)
        assert packed.records(_usable) == {}
        assert packed.problem is not None and packed.problem.startswith(why)
