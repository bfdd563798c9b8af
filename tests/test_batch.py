"""bizclock.batch: the NumPy kernels answer exactly what the scalar API answers (SPEC §10)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import bizclock
from bizclock import (
    ArgumentError,
    ArgumentTypeError,
    BizclockError,
    Calendar,
    NaiveDatetimeError,
    NeverOpenError,
    OutOfRangeError,
    batch,
)
from bizclock.batch import add_many, elapsed_many, is_open_many, subtract_many

BERLIN = ZoneInfo("Europe/Berlin")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
NAT = np.datetime64("NaT", "us")
H = np.timedelta64(3_600_000_000, "us")

OFFICE = Calendar(
    timezone="Europe/Berlin",
    hours={"mon-fri": "09:00-17:00"},
    holidays=["*-12-25", "*-12-26", "*-01-01"],
)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def dt64(t: datetime) -> np.datetime64:
    """An aware datetime as datetime64[us] (UTC)."""
    return np.datetime64((t - EPOCH) // US, "us")


def to_us(t: datetime) -> int:
    return (t - EPOCH) // US


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def ints(values: Any) -> list[int]:
    return [int(v) for v in np.asarray(values).astype(np.int64).ravel()]


@contextmanager
def tuned(bucketed_from: int, max_span: int, max_extend: int) -> Iterator[None]:
    """Force the kernels' rarer paths: bucketed ranks, year clusters, scalar fall-backs."""
    saved = (batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND)
    batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND = (
        bucketed_from,
        max_span,
        max_extend,
    )
    try:
        yield
    finally:
        batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND = saved


def scalar(call: Callable[[], Any]) -> Any:
    """The scalar API's answer, or the class of the error it raises."""
    try:
        return call()
    except BizclockError as exc:
        return type(exc)


# -- SPEC §4 worked examples, element by element ------------------------------------------


class TestWorkedExamples:
    FRI_16 = berlin(2026, 11, 20, 16)
    SAT_12 = berlin(2026, 11, 21, 12)
    MON_09 = berlin(2026, 11, 23, 9)
    MON_10 = berlin(2026, 11, 23, 10)

    def test_add(self) -> None:
        starts = np.array([dt64(self.FRI_16)] * 3 + [dt64(self.SAT_12)])
        durations = np.array([H, H + np.timedelta64(1, "us"), 9 * H, H])
        got = add_many(OFFICE, starts, durations)
        assert got.dtype == np.dtype("datetime64[us]")
        assert got.tolist() == [
            dt64(berlin(2026, 11, 20, 17)).item(),
            dt64(berlin(2026, 11, 23, 9, 0, 0, 1)).item(),
            dt64(berlin(2026, 11, 23, 17)).item(),
            dt64(self.MON_10).item(),
        ]

    def test_subtract(self) -> None:
        got = subtract_many(OFFICE, np.array([dt64(self.MON_09), dt64(self.MON_10)]), H)
        assert got.tolist() == [dt64(self.FRI_16).item(), dt64(self.MON_09).item()]

    def test_elapsed_is_the_seed_example(self) -> None:
        got = elapsed_many(OFFICE, np.array([dt64(self.FRI_16)]), np.array([dt64(self.MON_09)]))
        assert got.dtype == np.dtype("timedelta64[us]")
        assert got.tolist() == [timedelta(hours=1)]
        back = elapsed_many(OFFICE, np.array([dt64(self.MON_09)]), dt64(self.FRI_16))
        assert back.tolist() == [-timedelta(hours=1)]

    def test_boundaries(self) -> None:
        fri_17 = add_many(OFFICE, dt64(self.FRI_16), H, boundary="next_open")
        assert fri_17 == dt64(self.MON_09)
        mon_09 = subtract_many(OFFICE, dt64(self.MON_10), H, boundary="prev_close")
        assert mon_09 == dt64(berlin(2026, 11, 20, 17))

    def test_is_open(self) -> None:
        got = is_open_many(
            OFFICE,
            np.array([dt64(self.FRI_16), dt64(berlin(2026, 11, 20, 17)), dt64(self.SAT_12)]),
        )
        assert got.dtype == np.bool_
        assert got.tolist() == [True, False, False]

    def test_negative_and_zero_durations(self) -> None:
        starts = np.array([dt64(self.MON_10)] * 3)
        got = add_many(OFFICE, starts, np.array([-H, 0 * H, H]))
        assert ints(got) == [
            to_us(self.MON_09),
            to_us(self.MON_10),
            to_us(berlin(2026, 11, 23, 11)),
        ]
        assert ints(subtract_many(OFFICE, starts[:1], np.array([-H]))) == [
            to_us(berlin(2026, 11, 23, 11))
        ]

    def test_24_7_utc_is_plain_addition(self) -> None:
        always = Calendar(timezone="UTC", hours="24/7")
        rng = np.random.default_rng(7)
        starts = rng.integers(to_us(datetime(2020, 1, 1, tzinfo=UTC)), 2**51, 1000)
        durations = rng.integers(-(2**40), 2**40, 1000)
        got = add_many(always, starts.view("M8[us]"), durations.view("m8[us]"))
        assert ints(got) == (starts + durations).tolist()


# -- missing values, shapes, units -------------------------------------------------------


class TestMissingValues:
    def test_nat_in_nat_out(self) -> None:
        t = dt64(berlin(2026, 11, 20, 16))
        starts = np.array([t, NAT, t])
        durations = np.array([H, H, np.timedelta64("NaT", "us")])
        assert np.isnat(add_many(OFFICE, starts, durations)).tolist() == [False, True, True]
        assert np.isnat(subtract_many(OFFICE, starts, durations)).tolist() == [False, True, True]
        ends = np.array([NAT, t, NAT])
        assert np.isnat(elapsed_many(OFFICE, starts, ends)).tolist() == [True, True, True]
        assert is_open_many(OFFICE, starts).tolist() == [True, False, True]

    def test_all_missing(self) -> None:
        starts = np.array([NAT, NAT])
        assert np.isnat(add_many(OFFICE, starts, H)).all()
        assert np.isnat(elapsed_many(OFFICE, starts, NAT)).all()
        assert not is_open_many(OFFICE, starts).any()

    def test_empty(self) -> None:
        empty = np.array([], "datetime64[us]")
        assert add_many(OFFICE, empty, H).shape == (0,)
        assert elapsed_many(OFFICE, empty, empty).shape == (0,)
        assert is_open_many(OFFICE, empty).shape == (0,)

    def test_none_in_lists(self) -> None:
        got = add_many(OFFICE, [berlin(2026, 11, 20, 16), None], [timedelta(hours=1), None])
        assert ints(got[:1]) == [to_us(berlin(2026, 11, 20, 17))]
        assert np.isnat(got[1])


class TestShapes:
    def test_broadcasting_2d(self) -> None:
        starts = np.array([[dt64(berlin(2026, 11, 20, 16))], [dt64(berlin(2026, 11, 23, 9))]])
        durations = np.array([1, 2, 3], "timedelta64[h]")
        got = add_many(OFFICE, starts, durations)
        assert got.shape == (2, 3)
        for i in range(2):
            for j in range(3):
                start = from_us(int(starts[i, 0].astype(np.int64)))
                expected = OFFICE.add(start, timedelta(hours=j + 1))
                assert int(got[i, j].astype(np.int64)) == to_us(expected)

    def test_one_start_many_durations(self) -> None:
        got = add_many(OFFICE, berlin(2026, 11, 20, 16), np.array([1, 9], "timedelta64[h]"))
        assert ints(got) == [to_us(berlin(2026, 11, 20, 17)), to_us(berlin(2026, 11, 23, 17))]

    def test_scalars_give_a_scalar(self) -> None:
        got = add_many(OFFICE, berlin(2026, 11, 20, 16), timedelta(hours=1))
        assert isinstance(got, np.datetime64)
        assert int(got.astype(np.int64)) == to_us(berlin(2026, 11, 20, 17))
        assert isinstance(
            elapsed_many(OFFICE, berlin(2026, 11, 20, 16), berlin(2026, 11, 23)), np.timedelta64
        )
        assert is_open_many(OFFICE, berlin(2026, 11, 20, 16)) == np.True_

    def test_shapes_that_do_not_broadcast(self) -> None:
        starts = np.array([dt64(berlin(2026, 11, 20, 16))] * 3)
        with pytest.raises(ArgumentError, match="do not broadcast"):
            add_many(OFFICE, starts, np.array([1, 2], "timedelta64[h]"))


class TestUnits:
    def test_coarser_units_convert_exactly(self) -> None:
        starts = np.array(["2026-11-20T15:00"], "datetime64[m]")
        assert ints(add_many(OFFICE, starts, np.timedelta64(1, "h"))) == [
            to_us(berlin(2026, 11, 20, 17))
        ]
        days = np.array(["2026-11-20"], "datetime64[D]")
        assert ints(add_many(OFFICE, days, np.timedelta64(1, "D"))) == [
            to_us(berlin(2026, 11, 24, 17))
        ]

    def test_whole_nanoseconds_convert(self) -> None:
        starts = np.array(["2026-11-20T15:00:00.000001000"], "datetime64[ns]")
        got = add_many(OFFICE, starts, np.timedelta64(1000, "ns"))
        assert ints(got) == [to_us(berlin(2026, 11, 20, 16, 0, 0, 2))]

    def test_fractions_of_a_microsecond_are_refused(self) -> None:
        starts = np.array(["2026-11-20T15:00", "2026-11-20T15:00:00.000000001"], "datetime64[ns]")
        with pytest.raises(ArgumentError, match=r"starts\[1\].*whole number of microseconds"):
            add_many(OFFICE, starts, H)
        with pytest.raises(ArgumentError, match=r"durations\[0\]"):
            add_many(OFFICE, starts[:1], np.array([1500], "timedelta64[ns]"))

    def test_months_are_not_durations(self) -> None:
        with pytest.raises(ArgumentError, match="no fixed length"):
            add_many(OFFICE, berlin(2026, 11, 20, 16), np.array([1], "timedelta64[M]"))

    @pytest.mark.parametrize(
        ("starts", "durations", "message"),
        [
            (np.array([1, 2]), H, "expected datetime64 values, got an array of int64"),
            (np.zeros(1, "datetime64"), H, "has no unit"),
            (berlin(2026, 11, 20), np.array([3600]), r"use \.astype\('timedelta64\[us\]'\)"),
            (berlin(2026, 11, 20), 3600, "expected a timedelta, got int"),
            ("2026-11-20", H, "expected an aware datetime, got str"),
            (berlin(2026, 11, 20), np.array([1.5]), "got an array of float64"),
        ],
        ids=["int-starts", "generic-unit", "int-durations", "int-duration", "str", "floats"],
    )
    def test_wrong_types(self, starts: Any, durations: Any, message: str) -> None:
        with pytest.raises(ArgumentTypeError, match=message):
            add_many(OFFICE, starts, durations)

    def test_naive_datetimes_are_refused(self) -> None:
        with pytest.raises(NaiveDatetimeError, match=r"starts\[1\].*naive"):
            add_many(OFFICE, [berlin(2026, 11, 20), datetime(2026, 11, 20)], H)

    def test_any_tzinfo_in_lists(self) -> None:
        starts = [
            datetime(2026, 11, 20, 15, tzinfo=UTC),
            datetime(2026, 11, 20, 10, tzinfo=timezone(timedelta(hours=-5))),
        ]
        assert (
            ints(add_many(OFFICE, starts, timedelta(hours=1)))
            == [to_us(berlin(2026, 11, 20, 17))] * 2
        )


class TestArguments:
    def test_calendar(self) -> None:
        with pytest.raises(ArgumentTypeError, match=r"expected a bizclock.Calendar"):
            add_many("cal", berlin(2026, 11, 20), H)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: add_many(OFFICE, NAT, H, boundary="prev_close"), "'exact' or 'next_open'"),  # type: ignore[arg-type]
            (
                lambda: subtract_many(OFFICE, NAT, H, boundary="next_open"),
                "'exact' or 'prev_close'",
            ),  # type: ignore[arg-type]
            (lambda: add_many(OFFICE, NAT, H, errors="ignore"), "'raise' or 'coerce'"),  # type: ignore[arg-type]
            (lambda: is_open_many(OFFICE, NAT, errors="skip"), "'raise' or 'coerce'"),  # type: ignore[arg-type]
        ],
        ids=["add-boundary", "subtract-boundary", "add-errors", "is-open-errors"],
    )
    def test_bad_options(self, call: Callable[[], Any], message: str) -> None:
        with pytest.raises(ArgumentError, match=message):
            call()


# -- errors are the scalar API's ------------------------------------------------------------


CLOSED_FROM_2030 = Calendar(
    timezone="Europe/Berlin",
    hours={"mon-fri": "09:00-17:00"},
    holidays=["2030-01-01..9999-12-31"],
)


class TestErrors:
    def test_never_open_raises_with_the_position(self) -> None:
        starts = np.array([dt64(berlin(2029, 6, 3, 9)), dt64(berlin(2029, 12, 31, 16))])
        durations = np.array([1, 2], "timedelta64[h]")
        with pytest.raises(NeverOpenError, match=r"^element 1: no open time"):
            add_many(CLOSED_FROM_2030, starts, durations)

    def test_coerce_gives_nat(self) -> None:
        starts = np.array([dt64(berlin(2029, 6, 4, 9)), dt64(berlin(2029, 12, 31, 16))])
        got = add_many(
            CLOSED_FROM_2030, starts, np.array([1, 2], "timedelta64[h]"), errors="coerce"
        )
        assert ints(got[:1]) == [to_us(berlin(2029, 6, 4, 10))]
        assert np.isnat(got[1])

    def test_result_beyond_the_datetime_range(self) -> None:
        always = Calendar(timezone="UTC", hours="24/7")
        late = np.array(["9999-12-31T23:00", "2026-01-01"], "datetime64[us]")
        with pytest.raises(OutOfRangeError, match=r"^element 0: "):
            add_many(always, late, np.timedelta64(2, "h"))
        got = add_many(always, late, np.timedelta64(2, "h"), errors="coerce")
        assert np.isnat(got[0])
        assert got[1] == np.datetime64("2026-01-01T02:00", "us")

    def test_enormous_durations_fail_fast(self) -> None:
        huge = np.array(
            [np.iinfo(np.int64).max - 1, -(np.iinfo(np.int64).max - 1)], "timedelta64[us]"
        )
        for d in huge:
            with pytest.raises(OutOfRangeError):
                add_many(OFFICE, np.array([dt64(berlin(2026, 1, 5))]), d)

    def test_instants_beyond_the_datetime_range(self) -> None:
        far = np.array(["2026-01-05T10:00", "12000-01-01"], "datetime64[us]")
        with pytest.raises(OutOfRangeError, match=r"^element 1: .*outside the datetime range"):
            add_many(OFFICE, far, H)
        with pytest.raises(OutOfRangeError, match=r"^element 1: "):
            elapsed_many(OFFICE, far, far[:1])
        with pytest.raises(OutOfRangeError, match=r"^element 1: "):
            is_open_many(OFFICE, far)
        assert is_open_many(OFFICE, far, errors="coerce").tolist() == [True, False]
        assert np.isnat(elapsed_many(OFFICE, far, far[:1], errors="coerce")).tolist() == [
            False,
            True,
        ]

    def test_first_failing_element_is_reported(self) -> None:
        starts = np.array(["12000-01-01", "2029-12-31T15:00"], "datetime64[us]")
        with pytest.raises(OutOfRangeError, match=r"^element 0: "):
            add_many(CLOSED_FROM_2030, starts, H * 5)


# -- agreement with the scalar API on harder inputs -----------------------------------------


def compare_shift(cal: Calendar, starts: list[int], durations: list[int], boundary: str) -> None:
    """add_many and subtract_many against cal.add / cal.subtract, element by element."""
    t = np.array(starts, np.int64).view("M8[us]")
    d = np.array(durations, np.int64).view("m8[us]")
    for method, many, snap in (
        (cal.add, add_many, "next_open"),
        (cal.subtract, subtract_many, "prev_close"),
    ):
        mode = snap if boundary != "exact" else "exact"
        expected = [
            scalar(
                lambda s=s, u=u, f=method, m=mode: to_us(
                    f(from_us(s), timedelta(microseconds=u), boundary=m)
                )
            )
            for s, u in zip(starts, durations, strict=True)
        ]
        got = ints(many(cal, t, d, boundary=mode, errors="coerce"))  # type: ignore[operator]
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            if isinstance(e, int):
                assert g == e, (i, from_us(starts[i]), durations[i], mode)
            else:
                assert g == np.iinfo(np.int64).min, (i, e)


class TestAgainstScalar:
    def test_a_million_random_starts_bucketed(self) -> None:
        rng = np.random.default_rng(2026)
        lo, hi = to_us(berlin(2024, 1, 1)), to_us(berlin(2028, 1, 1))
        starts = rng.integers(lo, hi, 20_000)
        durations = rng.integers(1, 2_000 * 3_600_000_000, 20_000)
        t = starts.view("M8[us]")
        got = ints(add_many(OFFICE, t, durations.view("m8[us]")))
        for i in range(0, 20_000, 7):
            expected = OFFICE.add(
                from_us(int(starts[i])), timedelta(microseconds=int(durations[i]))
            )
            assert got[i] == to_us(expected)
        # The batch elapsed undoes the batch add (SPEC §4 invariant), for every element.
        back = elapsed_many(OFFICE, t, np.array(got).view("M8[us]"))
        assert ints(back) == durations.tolist()
        open_now = is_open_many(OFFICE, t)
        for i in range(0, 20_000, 11):
            assert open_now[i] == OFFICE.is_open(from_us(int(starts[i])))

    @pytest.mark.parametrize("boundary", ["exact", "snap"])
    def test_long_durations_extend_the_years(self, boundary: str) -> None:
        start = to_us(berlin(2026, 3, 29, 1))
        hours = [1, 8, 2_000, 20_000, 100_000, -100_000, -20_000]
        compare_shift(OFFICE, [start] * len(hours), [h * 3_600_000_000 for h in hours], boundary)

    @pytest.mark.parametrize(("span", "extend"), [(128, 512), (1, 0), (0, 1)])
    def test_scattered_centuries(self, span: int, extend: int) -> None:
        years = [1, 1899, 1900, 2025, 2026, 2500, 9999]
        starts = [to_us(datetime(y, 6, 1, 12, tzinfo=UTC)) for y in years]
        durations = [(-1) ** k * (k + 1) * 500 * 3_600_000_000 for k in range(len(years))]
        with tuned(0, span, extend):
            compare_shift(OFFICE, starts, durations, "exact")
            compare_shift(OFFICE, starts, durations, "snap")
            a = np.array(starts, np.int64)
            b = a - np.array([k * 40 * 86_400_000_000 for k in range(len(years))])
            b[1] = starts[4]  # 1899 -> 2026: a pair far apart
            got = ints(elapsed_many(OFFICE, a.view("M8[us]"), b.view("M8[us]")))
            for x, y, g in zip(a.tolist(), b.tolist(), got, strict=True):
                assert g == OFFICE.elapsed(from_us(x), from_us(y)) // US

    def test_edges_of_time(self) -> None:
        new_york = Calendar(timezone="America/New_York", hours="24/7")
        starts = [
            to_us(datetime(1, 1, 1, tzinfo=UTC)),
            to_us(datetime(9999, 12, 31, 23, tzinfo=UTC)),
        ]
        for cal in (OFFICE, new_york):
            compare_shift(cal, starts, [3_600_000_000, 3_600_000_000], "exact")
            compare_shift(cal, starts, [-3_600_000_000, -3_600_000_000], "snap")

    def test_a_long_closure_is_left_to_the_scalar_api(self) -> None:
        # Closed for eleven whole years: the scalar search may give up, and the batch must not
        # answer where it raises.
        cal = Calendar(
            timezone="UTC",
            hours={"mon-fri": "09:00-17:00"},
            holidays=["2031-01-01..2041-12-31"],
        )
        starts = [to_us(datetime(y, 12, 30, 16, tzinfo=UTC)) for y in (2025, 2030, 2042)]
        hours = [100, 2_000, 20_000]
        for sign in (1, -1):
            durations = [sign * h * 3_600_000_000 for h in hours for _ in starts]
            compare_shift(cal, starts * len(hours), durations, "exact")
            compare_shift(cal, starts * len(hours), durations, "snap")

    def test_closing_instant_at_the_edge_of_the_compiled_years(self) -> None:
        # 24/7 with a closed New Year's Day: results land on closings and openings next to
        # the year boundary, where the flat arrays end.
        cal = Calendar(timezone="UTC", hours="24/7", holidays=["*-01-01"])
        start = to_us(datetime(2026, 12, 31, 12, tzinfo=UTC))
        durations = [h * 3_600_000_000 for h in (6, 12, 13, -12, 24 * 364)]
        compare_shift(cal, [start] * len(durations), durations, "snap")
        compare_shift(cal, [start] * len(durations), durations, "exact")


def test_results_do_not_depend_on_the_cache() -> None:
    cal = Calendar.from_dict(OFFICE.to_dict())
    starts = np.array([dt64(berlin(2026, 11, 20, 16)), dt64(berlin(1990, 1, 1))])
    first = add_many(cal, starts, H * 3)
    assert add_many(cal, starts, H * 3).tolist() == first.tolist()
    assert bizclock.Calendar.from_dict(cal.to_dict()) == cal
    assert date(1990, 1, 2) == first[1].item().date()
