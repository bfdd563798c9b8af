"""bizclock.batch with pandas: tz-aware Series and DatetimeIndex in, the same kind out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from bizclock import ArgumentError, ArgumentTypeError, Calendar, NaiveDatetimeError
from bizclock.batch import add_many, elapsed_many, is_open_many, subtract_many

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


STARTS = [berlin(2026, 11, 20, 16), berlin(2026, 11, 21, 12), None, berlin(2026, 3, 29, 1)]


@pytest.fixture(params=["us", "ns", "s"])
def starts(request: pytest.FixtureRequest) -> pd.Series:
    series = pd.Series(
        pd.DatetimeIndex(STARTS).tz_convert("America/New_York").as_unit(request.param),
        index=[10, 20, 30, 40],
        name="created_at",
    )
    if request.param == "s":
        series = series.dt.floor("s")
    return series


def expected_adds(starts: pd.Series, d: timedelta) -> list[object]:
    return [
        pd.NaT if pd.isna(t) else OFFICE.add(t.to_pydatetime(), d)
        for t in starts  # pandas Timestamps are datetimes
    ]


class TestSeries:
    def test_add_keeps_index_name_and_zone(self, starts: pd.Series) -> None:
        got = add_many(OFFICE, starts, timedelta(hours=9))
        assert isinstance(got, pd.Series)
        assert got.index.tolist() == [10, 20, 30, 40]
        assert got.name == "created_at"
        assert str(got.dt.tz) == "America/New_York"
        assert got.tolist()[:2] + got.tolist()[3:] == [
            e for e in expected_adds(starts, timedelta(hours=9)) if e is not pd.NaT
        ]
        assert pd.isna(got[30])

    def test_subtract(self, starts: pd.Series) -> None:
        got = subtract_many(OFFICE, starts, timedelta(hours=1), boundary="prev_close")
        for t, g in zip(starts, got, strict=True):
            if pd.isna(t):
                assert pd.isna(g)
            else:
                expected = OFFICE.subtract(
                    t.to_pydatetime(), timedelta(hours=1), boundary="prev_close"
                )
                assert g == expected

    def test_duration_series(self, starts: pd.Series) -> None:
        durations = pd.to_timedelta(["1h", "2h", "3h", None]).to_series(index=starts.index)
        got = add_many(OFFICE, starts, durations)
        assert got[10] == berlin(2026, 11, 20, 17)
        assert got[20] == berlin(2026, 11, 23, 11)
        assert pd.isna(got[30])
        assert pd.isna(got[40])

    def test_elapsed_and_is_open(self, starts: pd.Series) -> None:
        monday = berlin(2026, 11, 23, 9)
        got = elapsed_many(OFFICE, starts, monday)
        assert isinstance(got, pd.Series)
        assert got.dtype.kind == "m"
        assert got[10] == pd.Timedelta(hours=1)
        assert got[20] == pd.Timedelta(0)
        assert pd.isna(got[30])
        open_now = is_open_many(OFFICE, starts)
        assert open_now.tolist() == [True, False, False, False]
        assert open_now.index.equals(starts.index)

    def test_datetime_index_in_index_out(self) -> None:
        index = pd.DatetimeIndex(STARTS[:2]).tz_convert("UTC")
        got = add_many(OFFICE, index, np.timedelta64(1, "h"))
        assert isinstance(got, pd.DatetimeIndex)
        assert str(got.tz) == "UTC"
        assert got.tolist() == [berlin(2026, 11, 20, 17), berlin(2026, 11, 23, 10)]

    def test_numpy_starts_and_series_durations(self) -> None:
        durations = pd.Series(pd.to_timedelta(["1h", "9h"]), index=["a", "b"])
        start = np.datetime64("2026-11-20T15:00", "us")
        got = add_many(OFFICE, start, durations)
        assert got.index.tolist() == ["a", "b"]
        assert got.tolist() == [berlin(2026, 11, 20, 17), berlin(2026, 11, 23, 17)]
        assert got.dt.tz == UTC or str(got.dt.tz) == "UTC"

    def test_pandas_scalars(self) -> None:
        got = add_many(
            OFFICE, [pd.Timestamp("2026-11-20 16:00", tz=BERLIN), pd.NaT], pd.Timedelta("1h")
        )
        assert got[0] == np.datetime64("2026-11-20T16:00", "us")
        assert np.isnat(got[1])
        with pytest.raises(ArgumentError, match="whole number of microseconds"):
            add_many(OFFICE, berlin(2026, 11, 20, 16), pd.Timedelta(nanoseconds=1))

    def test_arrow_and_object_columns(self) -> None:
        created = pd.Series(pd.to_datetime(["2026-11-20 15:00", None], utc=True), index=["a", "b"])
        arrow = created.astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC")))
        durations = pd.Series(pd.to_timedelta(["1h", "1h"]), index=["a", "b"])
        for starts in (arrow, created.astype(object)):
            for d in (durations, durations.astype(pd.ArrowDtype(pa.duration("us")))):
                got = add_many(OFFICE, starts, d)
                assert got.index.tolist() == ["a", "b"]
                assert got["a"] == berlin(2026, 11, 20, 17)
                assert pd.isna(got["b"])


class TestRefusals:
    def test_naive_series(self) -> None:
        naive = pd.Series(pd.to_datetime(["2026-11-20 16:00"]))
        with pytest.raises(NaiveDatetimeError, match=r"tz_localize"):
            add_many(OFFICE, naive, timedelta(hours=1))

    def test_indexes_must_agree(self, starts: pd.Series) -> None:
        durations = pd.Series(pd.to_timedelta(["1h"] * 4), index=[1, 2, 3, 4])
        with pytest.raises(ArgumentError, match="indexes differ"):
            add_many(OFFICE, starts, durations)

    def test_wrong_dtype(self) -> None:
        with pytest.raises(ArgumentTypeError, match="expected tz-aware timestamps"):
            add_many(OFFICE, pd.Series([1, 2]), timedelta(hours=1))
        with pytest.raises(ArgumentTypeError, match="expected timedeltas"):
            add_many(OFFICE, berlin(2026, 11, 20), pd.Series([1.0]))
