"""The two date shapes read directly give exactly feedparser's ``struct_time``.

:func:`.dates.parsed_date` reads ``Thu, 01 Jan 2026 10:00:00 +0000`` and
``2026-01-01T10:00:00Z`` itself and hands everything else to feedparser; for
any string, valid or not, the two must agree.
"""

from __future__ import annotations

import pytest
from feedparser.datetimes import _parse_date
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sphinxcontrib_feed.parse.dates import parsed_date

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
two = st.integers(0, 99).map(lambda n: f"{n:02d}")
zone = st.one_of(
    st.sampled_from(["GMT", "UT", "Z", "EST", "+0000", "-0000"]),
    st.tuples(st.sampled_from("+-"), two, two).map("".join),
)


@st.composite
def rfc_822(draw: st.DrawFn) -> str:
    year = draw(st.one_of(st.integers(1000, 2999).map(str), two))
    return (
        f"{draw(st.sampled_from(DAYS))}, {draw(two)} {draw(st.sampled_from(MONTHS))} {year} "
        f"{draw(two)}:{draw(two)}:{draw(two)} {draw(zone)}"
    )


@st.composite
def w3c_dtf(draw: st.DrawFn) -> str:
    offset = draw(st.one_of(st.just("Z"), st.tuples(st.sampled_from("+-"), two, two)))
    offset = offset if isinstance(offset, str) else f"{offset[0]}{offset[1]}:{offset[2]}"
    return (
        f"{draw(st.integers(1000, 2999))}-{draw(two)}-{draw(two)}T"
        f"{draw(two)}:{draw(two)}:{draw(two)}{offset}"
    )


@settings(max_examples=3000, deadline=None)
@given(st.one_of(rfc_822(), w3c_dtf()))
@example("Thu, 01 Jan 2026 10:00:00 +0000")
@example("Sun, 29 Feb 2025 10:00:00 GMT")  # no such day
@example("Mon, 31 Dec 2029 23:59:59 -1359")
@example("Mon, 01 Jan 1000 00:00:00 +0100")  # the zone moves it into year 999
@example("2026-01-01T24:00:00Z")
@example("2024-02-29T12:00:00+14:00")
@example("2026-13-01T00:00:00Z")
def test_generated_dates_agree_with_feedparser(value: str):
    assert parsed_date(value) == _parse_date(value)


@pytest.mark.parametrize(
    "value",
    ["", "yesterday", "Thu, 1 Jan 2026 10:00:00 +0000", "2026-01-01", "2026-01-01T10:00:00.5Z",
     "thu, 01 jan 2026 10:00:00 gmt", "Thu, 01 Jan 2026 10:00:00 +0000 ", "01 Jan 2026 10:00 EST"],
)  # fmt: skip
def test_other_shapes_are_feedparsers(value: str):
    assert parsed_date(value) == _parse_date(value)
