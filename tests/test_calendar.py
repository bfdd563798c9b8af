"""Example tests of the public operations (SPEC §2, §4): worked examples, DST, limits."""

from __future__ import annotations

import pickle
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytz
from dateutil import tz as dateutil_tz

import bizclock
from bizclock import (
    ArgumentError,
    ArgumentTypeError,
    BizclockError,
    Calendar,
    NaiveDatetimeError,
    NeverClosesError,
    NeverOpenError,
    OutOfRangeError,
)

BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
US = timedelta(microseconds=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def office() -> Calendar:
    """SPEC §4's calendar: Mon–Fri 09:00–17:00 Europe/Berlin."""
    return Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})


def all_day(zone: str) -> Calendar:
    return Calendar(timezone=zone, hours="24/7")


# 2026-11-20 is a Friday.
FRI_16 = berlin(2026, 11, 20, 16)
FRI_17 = berlin(2026, 11, 20, 17)
SAT_12 = berlin(2026, 11, 21, 12)
MON_09 = berlin(2026, 11, 23, 9)
MON_10 = berlin(2026, 11, 23, 10)
MON_17 = berlin(2026, 11, 23, 17)


class TestWorkedExamples:
    """Every worked example of SPEC §4."""

    def test_seed_example_elapsed_friday_to_monday(self, office: Calendar) -> None:
        # LiveAgent's example: received Friday 16:00, one business hour by Monday 09:00.
        assert office.elapsed(FRI_16, MON_09) == H

    @pytest.mark.parametrize(
        ("start", "duration", "expected"),
        [
            pytest.param(FRI_16, H, FRI_17, id="ends-on-closing-instant"),
            pytest.param(FRI_16, H + US, MON_09 + US, id="one-microsecond-more"),
            pytest.param(SAT_12, H, MON_10, id="from-closed-time"),
            pytest.param(FRI_16, 9 * H, MON_17, id="nine-hours-over-weekend"),
            pytest.param(FRI_16, timedelta(0), FRI_16, id="zero"),
            pytest.param(MON_10, -H, MON_09, id="negative-subtracts"),
        ],
    )
    def test_add(
        self, office: Calendar, start: datetime, duration: timedelta, expected: datetime
    ) -> None:
        assert office.add(start, duration) == expected

    @pytest.mark.parametrize(
        ("start", "duration", "expected"),
        [
            pytest.param(MON_09, H, FRI_16, id="over-weekend"),
            pytest.param(MON_10, H, MON_09, id="to-opening-instant"),
            pytest.param(MON_09, -H, MON_10, id="negative-adds"),
        ],
    )
    def test_subtract(
        self, office: Calendar, start: datetime, duration: timedelta, expected: datetime
    ) -> None:
        assert office.subtract(start, duration) == expected

    def test_negative_elapsed(self, office: Calendar) -> None:
        assert office.elapsed(MON_09, FRI_16) == -H

    def test_boundary_next_open_moves_closing_instant(self, office: Calendar) -> None:
        assert office.add(FRI_16, H, boundary="next_open") == MON_09
        # A result inside open time does not move.
        assert office.add(FRI_16, H / 2, boundary="next_open") == berlin(2026, 11, 20, 16, 30)

    def test_boundary_prev_close_moves_opening_instant(self, office: Calendar) -> None:
        assert office.subtract(MON_10, H, boundary="prev_close") == FRI_17
        assert office.subtract(MON_10, H / 2, boundary="prev_close") == berlin(
            2026, 11, 23, 9, 30
        )

    def test_bad_boundary_is_refused(self, office: Calendar) -> None:
        with pytest.raises(ArgumentError, match="boundary"):
            office.add(FRI_16, H, boundary="prev_close")  # type: ignore[arg-type]


class TestOpenAndClose:
    def test_intervals_are_half_open(self, office: Calendar) -> None:
        assert office.is_open(MON_09)
        assert not office.is_open(FRI_17)
        assert office.is_open(FRI_17 - US)

    def test_next_open_and_close(self, office: Calendar) -> None:
        assert office.next_open(SAT_12) == MON_09
        assert office.next_open(FRI_16) == FRI_16
        assert office.next_close(FRI_16) == FRI_17
        assert office.next_close(SAT_12) == MON_17
        assert office.next_close(FRI_17) == MON_17

    def test_overnight_shift_is_one_run_across_midnight(self) -> None:
        cal = Calendar(
            timezone="Europe/Berlin", hours={"mon": "22:00-24:00", "tue": "00:00-06:00"}
        )
        monday_23 = berlin(2026, 11, 23, 23)
        assert cal.next_close(monday_23) == berlin(2026, 11, 24, 6)
        assert cal.open_intervals(berlin(2026, 11, 23), berlin(2026, 11, 25)) == [
            (berlin(2026, 11, 23, 22), berlin(2026, 11, 24, 6))
        ]

    def test_overnight_interval_written_as_end_before_start(self) -> None:
        cal = Calendar(timezone="Europe/Berlin", hours={"sat": "22:00-06:00"})
        assert cal.elapsed(berlin(2026, 11, 21), berlin(2026, 11, 23)) == 8 * H
        assert cal.is_open(berlin(2026, 11, 22, 5, 59))

    def test_open_intervals_clip_and_keep_start_tz(self, office: Calendar) -> None:
        utc_start = datetime(2026, 11, 20, 15, 30, tzinfo=timezone.utc)
        runs = office.open_intervals(utc_start, berlin(2026, 11, 23, 12))
        assert runs == [(utc_start, FRI_17), (MON_09, berlin(2026, 11, 23, 12))]
        assert all(a.tzinfo is timezone.utc and b.tzinfo is timezone.utc for a, b in runs)
        assert office.open_intervals(MON_09, FRI_16) == []

    def test_year_boundary_does_not_split_runs(self) -> None:
        cal = all_day("Europe/Berlin")
        a, b = berlin(2026, 12, 31, 12), berlin(2027, 1, 1, 12)
        assert cal.open_intervals(a, b) == [(a, b)]


class TestCalendarRules:
    def test_issue_example_calendar(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "22:00-06:00"},
                "holidays": ["*-12-25", "2026-12-24", "2026-12-28..2026-12-30"],
                "overrides": {"2026-12-31": "09:00-12:00", "2026-12-27": "closed"},
            }
        )
        # Wednesday 23rd 16:00 + 4h: 1h that day, then 24th/25th holidays, Saturday 26th
        # 22:00 runs into Sunday 27th, which is pinned closed: only 2h, then Monday–Wednesday
        # closed, Thursday 31st 09:00–10:00.
        assert cal.add(berlin(2026, 12, 23, 16), 4 * H) == berlin(2026, 12, 31, 10)
        assert cal.elapsed(berlin(2026, 12, 26), berlin(2026, 12, 28)) == 2 * H
        assert not cal.is_open(berlin(2026, 12, 31, 12, 30))
        assert cal.elapsed(berlin(2026, 11, 23), berlin(2026, 11, 24)) == 7 * H

    def test_overnight_override_spills_into_next_unpinned_date(self) -> None:
        cal = Calendar(
            timezone="UTC",
            hours={"mon-fri": "09:00-17:00"},
            overrides={"2026-11-21": "20:00-04:00"},  # a Saturday night
        )
        utc = timezone.utc
        assert cal.next_close(datetime(2026, 11, 21, 21, tzinfo=utc)) == datetime(
            2026, 11, 22, 4, tzinfo=utc
        )

    def test_overnight_does_not_spill_into_pinned_date(self) -> None:
        cal = Calendar(
            timezone="UTC", hours={"sat": "22:00-06:00"}, holidays=["2026-11-22"]
        )
        utc = timezone.utc
        assert cal.next_close(datetime(2026, 11, 21, 23, tzinfo=utc)) == datetime(
            2026, 11, 22, tzinfo=utc
        )

    def test_leap_day_holiday_only_in_leap_years(self) -> None:
        cal = Calendar(timezone="UTC", hours="24/7", holidays=["*-02-29"])
        assert not cal.is_business_day(date(2028, 2, 29))
        assert cal.is_business_day(date(2027, 3, 1))
        assert cal.is_business_day(date(2028, 3, 1))

    def test_whole_day_with_24_00_end(self) -> None:
        cal = Calendar(timezone="UTC", hours={"mon": "00:00-24:00"})
        utc = timezone.utc
        monday = datetime(2026, 11, 23, tzinfo=utc)
        assert cal.elapsed(monday, monday + 7 * timedelta(days=1)) == 24 * H

    def test_holiday_range_of_9000_years_compiles_like_one_date(self) -> None:
        cal = Calendar(timezone="UTC", hours="24/7", holidays=["1000-01-01..9999-12-30"])
        assert cal.is_open(datetime(9999, 12, 31, 12, tzinfo=timezone.utc))
        assert not cal.is_open(datetime(5000, 6, 1, tzinfo=timezone.utc))


class TestDaylightSaving:
    """DST days across the zoo: exact elapsed time, gap and fold rules (SPEC §2)."""

    @pytest.mark.parametrize(
        ("zone", "day", "hours"),
        [
            pytest.param("Europe/Berlin", date(2026, 3, 29), 23, id="berlin-spring"),
            pytest.param("Europe/Berlin", date(2026, 10, 25), 25, id="berlin-autumn"),
            pytest.param("America/New_York", date(2026, 3, 8), 23, id="new-york-spring"),
            pytest.param("America/New_York", date(2026, 11, 1), 25, id="new-york-autumn"),
            pytest.param("Australia/Sydney", date(2026, 4, 5), 25, id="sydney-autumn"),
            pytest.param("Australia/Sydney", date(2026, 10, 4), 23, id="sydney-spring"),
            pytest.param("Australia/Lord_Howe", date(2026, 4, 5), 24.5, id="lord-howe-autumn"),
            pytest.param("Australia/Lord_Howe", date(2026, 10, 4), 23.5, id="lord-howe-spring"),
            pytest.param("Europe/Dublin", date(2026, 3, 29), 23, id="dublin-spring"),
            pytest.param("Europe/Dublin", date(2026, 10, 25), 25, id="dublin-autumn"),
            pytest.param("Asia/Kathmandu", date(2026, 3, 29), 24, id="kathmandu-no-dst"),
            pytest.param("America/Sao_Paulo", date(2015, 10, 18), 23, id="sao-paulo-no-midnight"),
            pytest.param("Pacific/Kiritimati", date(1994, 12, 31), 0, id="kiritimati-skipped"),
            pytest.param("Pacific/Kiritimati", date(1994, 12, 30), 24, id="kiritimati-before"),
        ],
    )
    def test_all_day_calendar_measures_real_day_length(
        self, zone: str, day: date, hours: float
    ) -> None:
        cal = all_day(zone)
        start = cal.localize(datetime(day.year, day.month, day.day))
        end = cal.localize(datetime.combine(day + timedelta(days=1), datetime.min.time()))
        assert cal.elapsed(start, end) == timedelta(hours=hours)
        assert cal.is_business_day(day) == (hours > 0)

    def test_shift_over_spring_forward_lasts_three_hours(self) -> None:
        cal = Calendar(timezone="Europe/Berlin", hours={"sun": "00:00-04:00"})
        assert cal.elapsed(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 3 * H

    def test_interval_inside_the_gap_is_empty(self) -> None:
        # 02:30 and 03:30 are the same instant on 2026-03-29 in Berlin.
        cal = Calendar(timezone="Europe/Berlin", hours={"sun": ["02:30-03:30", "10:00-11:00"]})
        assert cal.elapsed(berlin(2026, 3, 29), berlin(2026, 3, 30)) == H
        assert cal.elapsed(berlin(2026, 3, 22), berlin(2026, 3, 23)) == 2 * H

    def test_ambiguous_wall_time_means_the_earlier_instant(self) -> None:
        cal = Calendar(timezone="Europe/Berlin", hours={"sun": "02:00-03:00"})
        # 02:00 CEST (00:00 UTC) to 03:00 CET (02:00 UTC).  Compared in UTC: PEP 495 makes
        # an ambiguous wall time unequal to every datetime of another zone.
        utc = timezone.utc
        runs = cal.open_intervals(berlin(2026, 10, 25), berlin(2026, 10, 26))
        assert [(a.astimezone(utc), b.astimezone(utc)) for a, b in runs] == [
            (datetime(2026, 10, 25, 0, tzinfo=utc), datetime(2026, 10, 25, 2, tzinfo=utc))
        ]
        assert runs[0][0].fold == 0

    def test_new_york_shift_across_spring_gap(self) -> None:
        cal = Calendar(timezone="America/New_York", hours={"sun": "01:00-03:00"})
        ny = ZoneInfo("America/New_York")
        day = datetime(2026, 3, 8, tzinfo=ny)
        assert cal.elapsed(day, day + timedelta(days=1)) == H

    def test_sydney_business_hours_across_autumn_change(self) -> None:
        cal = Calendar(timezone="Australia/Sydney", hours={"mon-fri": "09:00-17:00"})
        syd = ZoneInfo("Australia/Sydney")
        friday = datetime(2026, 4, 3, 16, tzinfo=syd)  # DST ends Sunday 5 April
        assert cal.add(friday, 2 * H) == datetime(2026, 4, 6, 10, tzinfo=syd)
        assert cal.elapsed(friday, datetime(2026, 4, 6, 10, tzinfo=syd)) == 2 * H

    def test_kathmandu_quarter_hour_offset(self) -> None:
        cal = Calendar(timezone="Asia/Kathmandu", hours={"mon-fri": "09:00-17:00"})
        utc = timezone.utc
        assert cal.next_open(datetime(2026, 11, 23, tzinfo=utc)) == datetime(
            2026, 11, 23, 3, 15, tzinfo=utc
        )

    def test_localize_gap_moves_forward_and_fold_takes_earlier(self) -> None:
        cal = all_day("Europe/Berlin")
        gap = cal.localize(datetime(2026, 3, 29, 2, 30))
        assert gap == datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
        assert (gap.hour, gap.minute) == (3, 30)
        fold = cal.localize(datetime(2026, 10, 25, 2, 30))
        assert fold.astimezone(timezone.utc) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)

    def test_spill_into_a_skipped_day_lands_a_day_late(self) -> None:
        # Kiritimati skipped 1994-12-31.  Friday's 22:00–01:00 shift ends at "Saturday
        # 01:00", a wall time in the gap, which moves forward a whole day: past the
        # instant where local 1995 begins.  The part after it must not be lost.
        cal = Calendar(timezone="Pacific/Kiritimati", hours={"fri": "22:00-01:00"})
        utc = timezone.utc
        friday_22 = datetime(1994, 12, 31, 8, tzinfo=utc)  # 22:00 at -10:00
        assert cal.next_close(friday_22) == datetime(1994, 12, 31, 11, tzinfo=utc)
        assert cal.elapsed(friday_22, friday_22 + timedelta(days=2)) == 3 * H
        assert cal.add(friday_22, 3 * H) == datetime(1994, 12, 31, 11, tzinfo=utc)

    def test_sao_paulo_missing_midnight(self) -> None:
        cal = Calendar(timezone="America/Sao_Paulo", hours={"sun": "00:00-02:00"})
        midnight = cal.localize(datetime(2015, 10, 18))
        assert (midnight.hour, midnight.minute) == (1, 0)
        assert cal.elapsed(midnight, midnight + 3 * H) == H


class TestTzinfoKinds:
    """Inputs may use any tzinfo; results come back in the argument's tzinfo."""

    @pytest.mark.parametrize(
        "tz",
        [
            pytest.param(ZoneInfo("America/New_York"), id="zoneinfo"),
            pytest.param(timezone(timedelta(hours=5, minutes=30)), id="fixed-offset"),
            pytest.param(timezone.utc, id="utc"),
            pytest.param(dateutil_tz.gettz("Asia/Tokyo"), id="dateutil"),
            pytest.param(pytz.timezone("Australia/Sydney"), id="pytz"),
        ],
    )
    def test_result_in_argument_tz(self, office: Calendar, tz: object) -> None:
        start = FRI_16.astimezone(tz)  # type: ignore[arg-type]
        result = office.add(start, 4 * H)
        assert result == berlin(2026, 11, 23, 12)
        assert result.tzinfo is start.tzinfo or result.utcoffset() == result.tzinfo.utcoffset(
            result.replace(tzinfo=None)
        )
        assert result.astimezone(timezone.utc).replace(tzinfo=None) == datetime(2026, 11, 23, 11)
        assert office.subtract(result, 4 * H) == FRI_16
        assert office.elapsed(start, result) == 4 * H

    def test_pytz_result_is_normalised(self, office: Calendar) -> None:
        eastern = pytz.timezone("US/Eastern")
        start = eastern.localize(datetime(2026, 11, 20, 10))
        result = office.add(start, 4 * H)
        assert result.tzname() == "EST"
        assert result == berlin(2026, 11, 23, 12)


class TestErrors:
    def test_naive_datetime_names_the_fix(self, office: Calendar) -> None:
        with pytest.raises(NaiveDatetimeError, match=r"localize") as info:
            office.add(datetime(2026, 11, 20, 16), H)
        assert isinstance(info.value, ValueError)
        with pytest.raises(NaiveDatetimeError):
            office.elapsed(FRI_16, datetime(2026, 11, 20, 17))
        with pytest.raises(NaiveDatetimeError):
            office.is_open(datetime(2026, 11, 20, 16))

    @pytest.mark.parametrize(
        ("method", "args"),
        [
            ("add", ("2026-11-20", H)),
            ("add", (FRI_16, 3600)),
            ("add", (FRI_16, 1.5)),
            ("elapsed", (date(2026, 11, 20), FRI_16)),
            ("next_open", (None,)),
            ("add_business_days", (date(2026, 11, 20), 1.0)),
            ("is_business_day", ("2026-11-20",)),
            ("localize", ("2026-11-20 16:00",)),
        ],
    )
    def test_wrong_types_are_bizclock_type_errors(
        self, office: Calendar, method: str, args: tuple[object, ...]
    ) -> None:
        with pytest.raises(ArgumentTypeError) as info:
            getattr(office, method)(*args)
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, BizclockError)

    def test_closed_for_ever_raises_never_open_quickly(self) -> None:
        cal = Calendar(
            timezone="UTC", hours={"mon-fri": "09:00-17:00"}, holidays=["2026-01-01..9999-12-31"]
        )
        t = datetime(2026, 6, 1, tzinfo=timezone.utc)
        for call in (
            lambda: cal.add(t, H),
            lambda: cal.next_open(t),
            lambda: cal.next_close(t),
            lambda: cal.add_business_days(t.date(), 1),
        ):
            with pytest.raises(NeverOpenError, match="10 years"):
                call()
        # Backwards there is open time before 2026.
        assert cal.subtract(t, H) == datetime(2025, 12, 31, 16, tzinfo=timezone.utc)

    def test_closed_stretch_shorter_than_limit_is_crossed(self) -> None:
        cal = Calendar(
            timezone="UTC", hours={"mon-fri": "09:00-17:00"}, holidays=["2026-01-01..2034-12-31"]
        )
        t = datetime(2026, 6, 1, tzinfo=timezone.utc)
        assert cal.add(t, H) == datetime(2035, 1, 1, 10, tzinfo=timezone.utc)
        assert cal.elapsed(t, datetime(2035, 1, 2, tzinfo=timezone.utc)) == 8 * H

    @pytest.mark.parametrize(
        ("closed", "gives_up"),
        [
            pytest.param("2026-01-01..2035-12-31", False, id="ten-closed-years-are-crossed"),
            pytest.param("2026-01-01..2036-12-31", True, id="eleven-closed-years-are-not"),
            pytest.param("2026-01-01..2040-12-31", True, id="fifteen-closed-years-are-not"),
        ],
    )
    def test_every_search_gives_up_at_the_same_closed_stretch(
        self, closed: str, gives_up: bool
    ) -> None:
        cal = Calendar(timezone="UTC", hours={"mon-fri": "09:00-17:00"}, holidays=[closed])
        before = datetime(2025, 12, 31, 16, tzinfo=timezone.utc)
        after_year = int(closed[12:16]) + 1
        after = datetime(after_year, 1, 3, 10, tzinfo=timezone.utc)
        inside = datetime(2026, 6, 1, tzinfo=timezone.utc)
        calls = [
            lambda: cal.add(before, 2 * H),
            lambda: cal.subtract(after, 100 * H),
            lambda: cal.elapsed(before, after) and cal.add(before, cal.elapsed(before, after)),
            lambda: cal.next_open(inside),
            lambda: cal.next_close(inside),
            lambda: cal.add_business_days(inside.date(), 1),
            lambda: cal.add_business_days(after.date(), -30),
        ]
        for call in calls:
            if gives_up:
                with pytest.raises(NeverOpenError, match="10 years"):
                    call()
            else:
                call()

    def test_never_closes(self) -> None:
        with pytest.raises(NeverClosesError):
            all_day("UTC").next_close(FRI_16)

    def test_out_of_range(self, office: Calendar) -> None:
        with pytest.raises(OutOfRangeError):
            office.add(berlin(9999, 12, 30, 12), 1000 * H)
        with pytest.raises(OutOfRangeError):
            office.subtract(berlin(1, 1, 3, 12), 1000 * H)
        cal = all_day("UTC")
        last = datetime.max.replace(tzinfo=timezone.utc)
        with pytest.raises(OutOfRangeError):
            cal.add(last, H)
        assert cal.add(last - H, H) == last

    def test_huge_arguments_fail_fast(self, office: Calendar) -> None:
        with pytest.raises(OutOfRangeError):
            office.add(FRI_16, timedelta.max)
        with pytest.raises(OutOfRangeError):
            office.subtract(FRI_16, timedelta.max)
        with pytest.raises(OutOfRangeError):
            office.add(FRI_16, timedelta.min)
        with pytest.raises(OutOfRangeError):
            office.add_business_days(date(2026, 11, 20), 10**9)
        with pytest.raises(OutOfRangeError):
            office.add_business_days(date(2026, 11, 20), -(10**9))

    def test_error_hierarchy(self) -> None:
        for error in (
            bizclock.ConfigError,
            NaiveDatetimeError,
            NeverOpenError,
            NeverClosesError,
            OutOfRangeError,
            bizclock.SlaError,
            ArgumentError,
        ):
            assert issubclass(error, BizclockError)
        assert issubclass(bizclock.ConfigError, ValueError)


class TestDayRule:
    def test_each_rule_is_named(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": ["*-12-25"],
                "overrides": {"2026-12-24": "09:00-12:00", "*-12-31": "closed"},
                "seasons": [{"from": "*-07-01", "to": "*-08-31", "hours": {"mon": "10:00-12:00"}}],
                "country_holidays": [{"country": "CN", "workdays": True}],
            }
        )
        assert cal.day_rule(date(2026, 12, 23)) == "weekly"
        assert cal.day_rule(date(2026, 12, 24)) == "override"
        assert cal.day_rule(date(2026, 12, 31)) == "override"
        assert cal.day_rule(date(2026, 12, 25)) == "holiday"
        assert cal.day_rule(date(2026, 10, 1)) == "holiday"  # China's National Day
        assert cal.day_rule(date(2026, 7, 7)) == "season"
        # A Saturday worked in China to bridge the October holidays.
        workday = date(2026, 10, 10)
        assert workday.weekday() == 5
        assert cal.day_rule(workday) == "workday"
        assert cal.is_business_day(workday)

    def test_matches_rules_day(self) -> None:
        cal = Calendar(
            timezone="UTC", hours={"mon-fri": "09:00-17:00"}, holidays=["2026-12-24..2026-12-26"]
        )
        assert [cal.day_rule(date(2026, 12, d)) for d in range(23, 28)] == [
            "weekly",
            "holiday",
            "holiday",
            "holiday",
            "weekly",
        ]


class TestBusinessDays:
    def test_is_business_day(self, office: Calendar) -> None:
        assert office.is_business_day(date(2026, 11, 20))
        assert not office.is_business_day(date(2026, 11, 21))
        # An aware datetime counts as the local date it falls on.
        assert office.is_business_day(datetime(2026, 11, 22, 23, 30, tzinfo=timezone.utc))

    @pytest.mark.parametrize(
        ("n", "expected"),
        [
            (0, date(2026, 11, 21)),
            (1, date(2026, 11, 23)),
            (3, date(2026, 11, 25)),
            (-1, date(2026, 11, 20)),
            (-6, date(2026, 11, 13)),
            (261, date(2027, 11, 22)),
        ],
    )
    def test_add_business_days_from_saturday(
        self, office: Calendar, n: int, expected: date
    ) -> None:
        assert office.add_business_days(date(2026, 11, 21), n) == expected

    def test_add_business_days_skips_holidays_and_years(self) -> None:
        cal = Calendar(
            timezone="Europe/Berlin",
            hours={"mon-fri": "09:00-17:00"},
            holidays=["*-12-24..*-12-26", "*-01-01"],
        )
        assert cal.add_business_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
        assert cal.add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
        assert cal.add_business_days(date(2027, 1, 4), -1) == date(2026, 12, 31)


class TestValueSemantics:
    def test_equal_hash_pickle(self) -> None:
        a = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
        b = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-17:00"),
            }
        )
        assert a == b
        assert hash(a) == hash(b)
        c = pickle.loads(pickle.dumps(a))
        assert c == a
        assert c.add(FRI_16, H) == FRI_17
        assert len(pickle.dumps(a)) < 1024
        assert Calendar.from_dict(a.to_dict()) == a

    def test_immutable(self, office: Calendar) -> None:
        with pytest.raises(AttributeError):
            office.foo = 1  # type: ignore[attr-defined]

    def test_repr_reads_back(self, office: Calendar) -> None:
        assert eval(repr(office), {"Calendar": Calendar}) == office


class TestReadingFiles:
    def test_toml_and_json_from_paths_with_any_name(self, tmp_path: Path) -> None:
        toml_file = tmp_path / "office.conf"
        toml_file.write_text('timezone = "UTC"\n[hours]\nmon-fri = "09:00-17:00"\n')
        json_file = tmp_path / "office.cfg"
        json_file.write_text('{"timezone": "UTC", "hours": {"mon-fri": "09:00-17:00"}}')
        expected = Calendar(timezone="UTC", hours={"mon-fri": "09:00-17:00"})
        assert Calendar.from_toml(str(toml_file)) == expected
        assert Calendar.from_toml(toml_file) == expected
        assert Calendar.from_json(str(json_file)) == expected
        # One-line text that is not a file is read as text.
        assert Calendar.from_json('{"timezone": "UTC", "hours": "24/7"}') == all_day("UTC")

    def test_missing_file_names_the_path(self, tmp_path: Path) -> None:
        with pytest.raises(bizclock.ConfigError, match=r"nowhere\.toml"):
            Calendar.from_toml(str(tmp_path / "nowhere.toml"))


class TestEngineScale:
    def test_add_is_utc_addition_on_24_7_utc(self) -> None:
        cal = all_day("UTC")
        t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        for d in (US, H, timedelta(days=400), timedelta(days=40_000)):
            assert cal.add(t, d) == t + d
            assert cal.subtract(t, d) == t - d

    def test_long_durations_match_yearly_totals(self, office: Calendar) -> None:
        start = berlin(2026, 1, 1)
        end = office.add(start, 100_000 * H)
        assert office.elapsed(start, end) == 100_000 * H
        assert office.subtract(end, 100_000 * H) == berlin(2026, 1, 1, 9)

    def test_a_far_query_compiles_only_what_it_needs(self) -> None:
        cal = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
        assert cal.add(berlin(2090, 6, 1, 12), 4 * H) == berlin(2090, 6, 1, 16)
        assert cal.elapsed(berlin(2090, 6, 1), berlin(2090, 6, 8)) == 40 * H
        assert sorted(cal._timeline._chunks) == [2090]

    def test_compiled_years_stay_bounded(self) -> None:
        cal = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
        for year in range(1900, 2100):
            cal.is_open(berlin(year, 6, 1, 12))
        assert len(cal._timeline._chunks) <= 64

    def test_two_threads_agree_with_one(self) -> None:
        config = {
            "timezone": "America/New_York",
            "hours": {"mon-fri": ["08:00-12:00", "13:00-18:00"], "sat": "22:00-04:00"},
            "holidays": ["*-07-04", "*-12-25"],
        }
        ny = ZoneInfo("America/New_York")
        starts = [
            datetime(2020 + k % 10, 1 + k % 12, 1 + k % 28, k % 24, tzinfo=ny) for k in range(3000)
        ]
        durations = [timedelta(minutes=37 * k % 20_000) for k in range(3000)]

        def run(cal: Calendar) -> list[tuple[datetime, timedelta]]:
            pairs = zip(starts, durations, strict=True)
            return [(cal.add(t, d), cal.elapsed(t, t + 50 * d)) for t, d in pairs]

        expected = run(Calendar.from_dict(config))
        shared = Calendar.from_dict(config)
        results: list[list[tuple[datetime, timedelta]]] = [[], []]

        def worker(k: int) -> None:
            results[k] = run(shared)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results[0] == expected
        assert results[1] == expected
