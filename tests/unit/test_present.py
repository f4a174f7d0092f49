"""Docker's timestamps, parsed by hand, agree with the standard library's calendar."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import given, strategies as st

from simulator.model.present import parse_time


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
       st.integers(0, 999_999_999))
def test_parse_time_agrees_with_datetime(moment: datetime, nanoseconds: int):
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S") if moment.year >= 1000 else None
    if stamp is None:  # strftime pads years below 1000 differently per platform
        stamp = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}"
    expected = moment.replace(microsecond=0, tzinfo=timezone.utc).timestamp()
    assert parse_time(f"{stamp}.{nanoseconds:09d}Z") == expected + float(f"0.{nanoseconds:09d}")
    assert parse_time(f"{stamp}Z") == expected
