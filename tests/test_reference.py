"""The reference implementation proves itself on SPEC §2–§4's own examples.

The engine is compared with ``tests/reference.py`` on random inputs, so the reference must first
be right on every case the SPEC spells out. Expected values here are worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest

from reference import Reference, ReferenceLimitError, from_us, to_us

BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
US = timedelta(microseconds=1)

OFFICE: dict[str, Any] = {"timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Berlin wall time (fold=0)."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def same_instant(got: datetime, expected: datetime) -> bool:
    """Compare as instants: same-tzinfo comparison in Python would ignore the offset."""
    return to_us(got) == to_us(expected)


FRI_16 = berlin(2026, 11, 20, 16)
FRI_17 = berlin(2026, 11, 20, 17)
SAT_12 = berlin(2026, 11, 21, 12)
MON_09 = berlin(2026, 11, 23, 9)
MON_10 = berlin(2026, 11, 23, 10)
MON_17 = berlin(2026, 11, 23, 17)


class TestInstants:
    def test_round_trip(self) -> None:
        t = datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=UTC)
        assert from_us(to_us(t)) == t

    def test_gap_wall_time_reads_with_the_earlier_offset(self) -> None:
        # 02:30 does not exist on 2026-03-29 in Berlin; fold=0 reads it as 02:30+01:00 = 03:30 CEST.
        expected = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert from_us(to_us(berlin(2026, 3, 29, 2, 30))) == expected

    def test_fold_distinguishes_instants(self) -> None:
        first = berlin(2026, 10, 25, 2, 30)
        second = first.replace(fold=1)
        assert to_us(second) - to_us(first) == 3_600_000_000

    def test_naive_refused(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            to_us(datetime(2026, 1, 1))


class TestWorkedExamples:
    """SPEC §4: Mon–Fri 09:00–17:00 Europe/Berlin; 2026-11-20 is a Friday."""

    ref = Reference(OFFICE)

    def test_the_date_is_a_friday(self) -> None:
        assert date(2026, 11, 20).weekday() == 4

    def test_elapsed_friday_to_monday(self) -> None:
        assert self.ref.elapsed(FRI_16, MON_09) == H

    def test_elapsed_reversed_is_negative(self) -> None:
        assert self.ref.elapsed(MON_09, FRI_16) == -H

    def test_add_ends_on_the_closing_instant(self) -> None:
        assert same_instant(self.ref.add(FRI_16, H), FRI_17)

    def test_add_one_microsecond_more_goes_to_monday(self) -> None:
        assert same_instant(self.ref.add(FRI_16, H + US), MON_09 + US)

    def test_add_from_a_closed_saturday(self) -> None:
        assert same_instant(self.ref.add(SAT_12, H), MON_10)

    def test_subtract_from_the_opening(self) -> None:
        assert same_instant(self.ref.subtract(MON_09, H), FRI_16)

    def test_subtract_ends_on_the_opening(self) -> None:
        assert same_instant(self.ref.subtract(MON_10, H), MON_09)

    def test_add_nine_hours(self) -> None:
        assert same_instant(self.ref.add(FRI_16, 9 * H), MON_17)

    def test_add_zero_is_identity_even_when_closed(self) -> None:
        assert same_instant(self.ref.add(SAT_12, timedelta(0)), SAT_12)

    def test_negative_add_subtracts(self) -> None:
        assert same_instant(self.ref.add(MON_10, -H), MON_09)

    def test_negative_subtract_adds(self) -> None:
        assert same_instant(self.ref.subtract(SAT_12, -H), MON_10)

    def test_half_open_at_close(self) -> None:
        assert not self.ref.is_open(FRI_17)
        assert self.ref.is_open(FRI_17 - US)
        assert self.ref.is_open(MON_09)

    def test_next_open_and_close(self) -> None:
        assert same_instant(self.ref.next_open(FRI_16), FRI_16)
        assert same_instant(self.ref.next_open(FRI_17), MON_09)
        assert same_instant(self.ref.next_close(FRI_16), FRI_17)
        assert same_instant(self.ref.next_close(FRI_17), MON_17)

    def test_open_intervals_are_clipped(self) -> None:
        got = self.ref.open_intervals(FRI_16, MON_10)
        assert [(to_us(a), to_us(b)) for a, b in got] == [
            (to_us(FRI_16), to_us(FRI_17)),
            (to_us(MON_09), to_us(MON_10)),
        ]

    def test_business_days(self) -> None:
        assert self.ref.is_business_day(date(2026, 11, 20))
        assert not self.ref.is_business_day(date(2026, 11, 21))
        assert self.ref.add_business_days(date(2026, 11, 20), 1) == date(2026, 11, 23)
        assert self.ref.add_business_days(date(2026, 11, 21), 0) == date(2026, 11, 21)
        assert self.ref.add_business_days(date(2026, 11, 23), -1) == date(2026, 11, 20)
        assert self.ref.add_business_days(date(2026, 11, 22), 5) == date(2026, 11, 27)


class TestDaylightSaving:
    def test_24_7_spring_forward_day_has_23_hours(self) -> None:
        ref = Reference({"timezone": "Europe/Berlin", "hours": "24/7"})
        assert ref.elapsed(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 23 * H

    def test_24_7_fall_back_day_has_25_hours(self) -> None:
        ref = Reference({"timezone": "Europe/Berlin", "hours": "24/7"})
        assert ref.elapsed(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 25 * H

    def test_night_shift_across_spring_forward_lasts_three_hours(self) -> None:
        ref = Reference({"timezone": "Europe/Berlin", "hours": {"sun": "00:00-04:00"}})
        got = ref.open_intervals(berlin(2026, 3, 28), berlin(2026, 3, 30))
        assert [(to_us(a), to_us(b)) for a, b in got] == [
            (
                to_us(datetime(2026, 3, 28, 23, tzinfo=UTC)),
                to_us(datetime(2026, 3, 29, 2, tzinfo=UTC)),
            )
        ]
        assert ref.elapsed(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 3 * H

    def test_interval_inside_the_gap_is_shifted_forward(self) -> None:
        # 02:00-02:30 does not exist; both ends move forward by the gap: 03:00-03:30 CEST.
        ref = Reference({"timezone": "Europe/Berlin", "hours": {"sun": "02:00-02:30"}})
        got = ref.open_intervals(berlin(2026, 3, 29), berlin(2026, 3, 30))
        assert [(to_us(a), to_us(b)) for a, b in got] == [
            (to_us(berlin(2026, 3, 29, 3)), to_us(berlin(2026, 3, 29, 3, 30)))
        ]

    def test_interval_reversed_by_the_gap_is_empty(self) -> None:
        # 02:30 -> 03:30 CEST but 03:00 stays 03:00 CEST: the interval vanishes that day only.
        ref = Reference({"timezone": "Europe/Berlin", "hours": {"sun": "02:30-03:00"}})
        assert ref.elapsed(berlin(2026, 3, 29), berlin(2026, 3, 30)) == timedelta(0)
        assert not ref.is_business_day(date(2026, 3, 29))
        assert ref.elapsed(berlin(2026, 3, 22), berlin(2026, 3, 23)) == H / 2

    def test_ambiguous_start_takes_the_earlier_instant(self) -> None:
        # 02:30 occurs twice on 2026-10-25; the earlier (CEST) one is meant: 02:30 CEST-03:00 CET.
        ref = Reference({"timezone": "Europe/Berlin", "hours": {"sun": "02:30-03:00"}})
        assert ref.elapsed(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 90 * timedelta(minutes=1)

    def test_lord_howe_half_hour_gap(self) -> None:
        zone = ZoneInfo("Australia/Lord_Howe")
        ref = Reference({"timezone": "Australia/Lord_Howe", "hours": "24/7"})
        day = datetime(2026, 10, 4, tzinfo=zone)
        assert ref.elapsed(day, day + timedelta(days=1)) == timedelta(hours=23, minutes=30)


class TestClocksChangingAtMidnight:
    """Kiritimati skipped all of 1994-12-31 (-10:00 -> +14:00); Sao Paulo changed at 00:00."""

    KIRITIMATI = "Pacific/Kiritimati"

    @staticmethod
    def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
        """A UTC instant."""
        return datetime(year, month, day, hour, tzinfo=UTC)

    def test_the_skipped_date_is_not_a_business_day(self) -> None:
        ref = Reference({"timezone": self.KIRITIMATI, "hours": "24/7"})
        assert not ref.is_business_day(date(1994, 12, 31))
        assert ref.is_business_day(date(1995, 1, 1))
        start = datetime(1994, 12, 30, tzinfo=ZoneInfo(self.KIRITIMATI))
        assert ref.elapsed(start, start + timedelta(days=3)) == 48 * H

    def test_overnight_into_the_skipped_date_ends_a_gap_later(self) -> None:
        # Fri 20:00 -10:00 = 06:00Z; Sat 04:00 does not exist and moves 24 h on, to Sun 04:00 +14:00
        # = 14:00Z on 1994-12-31. Written as two days' hours it is the same.
        for hours in (
            {"fri": "20:00-04:00"},
            {"fri": "20:00-24:00", "sat": "00:00-04:00"},
        ):
            ref = Reference({"timezone": self.KIRITIMATI, "hours": hours})
            got = ref.open_intervals(self.utc(1994, 12, 30), self.utc(1995, 1, 2))
            assert [(to_us(a), to_us(b)) for a, b in got] == [
                (to_us(self.utc(1994, 12, 31, 6)), to_us(self.utc(1994, 12, 31, 14)))
            ]
            assert same_instant(
                ref.next_close(self.utc(1994, 12, 31, 7)), self.utc(1994, 12, 31, 14)
            )
            assert ref.is_business_day(date(1995, 1, 1))

    def test_hours_of_the_skipped_date_move_a_day_on(self) -> None:
        # Sat 09:00-17:00 does not exist; both ends move 24 h on, onto Sunday's wall clock.
        ref = Reference({"timezone": self.KIRITIMATI, "hours": {"sat": "09:00-17:00"}})
        got = ref.open_intervals(self.utc(1994, 12, 30), self.utc(1995, 1, 2))
        assert [(to_us(a), to_us(b)) for a, b in got] == [
            (to_us(self.utc(1994, 12, 31, 19)), to_us(self.utc(1995, 1, 1, 3)))
        ]

    def test_overnight_from_the_skipped_date_is_empty(self) -> None:
        # Sat 22:00 moves to Sun 22:00, after the interval's end (Sun 06:00): nothing is open.
        ref = Reference({"timezone": self.KIRITIMATI, "hours": {"sat": "22:00-06:00"}})
        assert ref.elapsed(self.utc(1994, 12, 30), self.utc(1995, 1, 2)) == timedelta(0)

    def test_spring_forward_at_midnight(self) -> None:
        # 2018-11-04 00:00 -03:00 -> 01:00 -02:00. Sat 22:00 -03 = 01:00Z; Sun 02:00 -02 = 04:00Z.
        ref = Reference({"timezone": "America/Sao_Paulo", "hours": {"sat": "22:00-02:00"}})
        assert ref.elapsed(self.utc(2018, 11, 3), self.utc(2018, 11, 6)) == 3 * H
        assert ref.is_business_day(date(2018, 11, 4))
        always = Reference({"timezone": "America/Sao_Paulo", "hours": "24/7"})
        day = datetime(2018, 11, 4, tzinfo=ZoneInfo("America/Sao_Paulo"))
        assert always.elapsed(day, day + timedelta(days=1)) == 23 * H

    def test_fall_back_at_midnight(self) -> None:
        # 2018-02-18 00:00 -02:00 -> 2018-02-17 23:00 -03:00: 23:30 on the 17th happens twice and
        # means the earlier one (01:30Z); Sun 00:30 -03 = 03:30Z.
        ref = Reference({"timezone": "America/Sao_Paulo", "hours": {"sat": "23:30-00:30"}})
        assert ref.elapsed(self.utc(2018, 2, 17), self.utc(2018, 2, 19)) == 2 * H
        always = Reference({"timezone": "America/Sao_Paulo", "hours": "24/7"})
        day = datetime(2018, 2, 17, tzinfo=ZoneInfo("America/Sao_Paulo"))
        assert always.elapsed(day, day + timedelta(days=1)) == 25 * H


class TestRuns:
    def test_touching_intervals_across_midnight_are_one_run(self) -> None:
        ref = Reference(
            {"timezone": "Europe/Berlin", "hours": {"mon": "22:00-24:00", "tue": "00:00-06:00"}}
        )
        assert same_instant(ref.next_close(berlin(2026, 11, 23, 23)), berlin(2026, 11, 24, 6))
        assert same_instant(ref.next_close(berlin(2026, 11, 23, 12)), berlin(2026, 11, 24, 6))
        assert len(ref.open_intervals(berlin(2026, 11, 23), berlin(2026, 11, 25))) == 1

    def test_overnight_interval_spills(self) -> None:
        ref = Reference({"timezone": "Europe/Berlin", "hours": {"mon": "22:00-06:00"}})
        assert same_instant(ref.next_close(berlin(2026, 11, 23, 23)), berlin(2026, 11, 24, 6))
        # Tuesday has open time in its own 24 hours (00:00-06:00), so it is a business day.
        assert ref.is_business_day(date(2026, 11, 24))
        assert ref.elapsed(berlin(2026, 11, 23), berlin(2026, 11, 25)) == 8 * H

    def test_touching_listed_intervals_are_one_run(self) -> None:
        ref = Reference({"timezone": "UTC", "hours": {"mon-fri": ["09:00-12:00", "12:00-17:00"]}})
        t = datetime(2026, 11, 23, 10, tzinfo=UTC)
        assert same_instant(ref.next_close(t), datetime(2026, 11, 23, 17, tzinfo=UTC))

    def test_24_7_never_closes_within_the_bound(self) -> None:
        ref = Reference({"timezone": "UTC", "hours": "24/7"}, limit_days=30)
        with pytest.raises(ReferenceLimitError, match="next_close"):
            ref.next_close(datetime(2026, 1, 1, tzinfo=UTC))


class TestPinnedDates:
    NIGHT: ClassVar[dict[str, Any]] = {"timezone": "Europe/Berlin", "hours": {"mon": "22:00-06:00"}}

    def test_spill_into_a_holiday_is_dropped(self) -> None:
        ref = Reference({**self.NIGHT, "holidays": ["2026-11-24"]})
        assert same_instant(ref.next_close(berlin(2026, 11, 23, 23)), berlin(2026, 11, 24))
        assert not ref.is_business_day(date(2026, 11, 24))
        assert ref.elapsed(berlin(2026, 11, 23), berlin(2026, 11, 25)) == 2 * H

    def test_spill_into_an_override_is_dropped(self) -> None:
        ref = Reference({**self.NIGHT, "overrides": {"2026-11-24": "10:00-12:00"}})
        got = ref.open_intervals(berlin(2026, 11, 23), berlin(2026, 11, 25))
        assert [(to_us(a), to_us(b)) for a, b in got] == [
            (to_us(berlin(2026, 11, 23, 22)), to_us(berlin(2026, 11, 24))),
            (to_us(berlin(2026, 11, 24, 10)), to_us(berlin(2026, 11, 24, 12))),
        ]

    def test_pinned_overnight_spills_into_a_normal_date(self) -> None:
        ref = Reference({**self.NIGHT, "overrides": {"2026-11-25": "23:00-02:00"}})
        assert same_instant(ref.next_close(berlin(2026, 11, 25, 23)), berlin(2026, 11, 26, 2))

    def test_pinned_overnight_does_not_spill_into_a_pinned_date(self) -> None:
        ref = Reference(
            {
                **self.NIGHT,
                "overrides": {"2026-11-25": "23:00-02:00"},
                "holidays": ["*-11-26"],
            }
        )
        assert same_instant(ref.next_close(berlin(2026, 11, 25, 23)), berlin(2026, 11, 26))

    def test_a_closed_override_pins_too(self) -> None:
        ref = Reference({**self.NIGHT, "overrides": {"*-11-24": "closed"}})
        assert same_instant(ref.next_close(berlin(2026, 11, 23, 23)), berlin(2026, 11, 24))

    def test_an_open_weekday_is_not_pinned(self) -> None:
        # Tuesday has weekly hours of its own; Monday's spill still runs into it.
        ref = Reference(
            {"timezone": "Europe/Berlin", "hours": {"mon": "22:00-06:00", "tue": "09:00-17:00"}}
        )
        assert same_instant(ref.next_close(berlin(2026, 11, 24, 1)), berlin(2026, 11, 24, 6))


class TestHolidaysAndOverrides:
    def test_exact_override_beats_yearly_override(self) -> None:
        ref = Reference(
            {
                "timezone": "UTC",
                "hours": {"mon-fri": "09:00-17:00"},
                "overrides": {"*-12-24": "09:00-13:00", "2026-12-24": "closed"},
            }
        )
        assert not ref.is_business_day(date(2026, 12, 24))
        day = datetime(2025, 12, 24, tzinfo=UTC)
        assert ref.elapsed(day, day + timedelta(days=1)) == 4 * H

    def test_override_beats_holiday(self) -> None:
        ref = Reference(
            {
                "timezone": "UTC",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": ["2026-12-24"],
                "overrides": {"2026-12-24": "09:00-10:00"},
            }
        )
        day = datetime(2026, 12, 24, tzinfo=UTC)
        assert ref.elapsed(day, day + timedelta(days=1)) == H

    def test_override_opens_a_sunday(self) -> None:
        ref = Reference(
            {
                "timezone": "UTC",
                "hours": {"mon-fri": "09:00-17:00"},
                "overrides": {"2026-12-27": ["10:00-12:00", "13:00-14:00"]},
            }
        )
        assert ref.is_business_day(date(2026, 12, 27))
        day = datetime(2026, 12, 27, tzinfo=UTC)
        assert ref.elapsed(day, day + timedelta(days=1)) == 3 * H

    def test_february_29_every_leap_year_only(self) -> None:
        ref = Reference({"timezone": "UTC", "hours": "24/7", "holidays": ["*-02-29"]})
        assert not ref.is_business_day(date(2028, 2, 29))
        assert ref.is_business_day(date(2027, 2, 28))
        assert ref.is_business_day(date(2027, 3, 1))
        t = datetime(2027, 6, 1, tzinfo=UTC)
        assert same_instant(ref.next_close(t), datetime(2028, 2, 29, tzinfo=UTC))

    def test_ranges_are_inclusive(self) -> None:
        ref = Reference(
            {"timezone": "UTC", "hours": "24/7", "holidays": ["2026-12-28..2026-12-30"]}
        )
        assert [ref.is_business_day(date(2026, 12, d)) for d in range(27, 32)] == [
            True,
            False,
            False,
            False,
            True,
        ]
        assert ref.add_business_days(date(2026, 12, 27), 1) == date(2026, 12, 31)
        assert ref.add_business_days(date(2026, 12, 31), -1) == date(2026, 12, 27)

    @pytest.mark.parametrize(
        ("spec", "open_days"),
        [
            pytest.param("mon", [0], id="single"),
            pytest.param("mon-wed", [0, 1, 2], id="range"),
            pytest.param("fri-mon", [4, 5, 6, 0], id="wrapping-range"),
            pytest.param("mon,wed", [0, 2], id="list"),
        ],
    )
    def test_day_specs(self, spec: str, open_days: list[int]) -> None:
        ref = Reference({"timezone": "UTC", "hours": {spec: "09:00-10:00"}})
        monday = date(2026, 11, 23)
        got = [d for d in range(7) if ref.is_business_day(monday + timedelta(days=d))]
        assert got == sorted(open_days)
