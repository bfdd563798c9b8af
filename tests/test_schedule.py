"""Weekly hours: parsing day specs and intervals, refusals, and the canonical form (SPEC §3)."""

from __future__ import annotations

import pytest

from bizclock import ConfigError
from bizclock._schedule import (
    ALL_DAY,
    FULL_WEEK,
    format_day_hours,
    format_interval,
    format_week,
    parse_day_hours,
    parse_days,
    parse_interval,
    parse_time,
    parse_week,
    show,
)

H = 3600


class TestParseTime:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [("00:00", 0), ("09:30", 9 * H + 1800), ("23:59", 23 * H + 59 * 60), (" 17:00 ", 17 * H)],
    )
    def test_valid(self, text: str, seconds: int) -> None:
        assert parse_time(text, "x", is_end=False) == seconds

    def test_24_00_only_as_end(self) -> None:
        assert parse_time("24:00", "x", is_end=True) == 24 * H
        with pytest.raises(ConfigError, match=r"^x: '24:00' can only end an interval"):
            parse_time("24:00", "x", is_end=False)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("25:00", "impossible time '25:00'"),
            ("24:30", "impossible time '24:30'"),
            ("12:60", "impossible time '12:60'"),
            ("9am", "malformed time '9am'"),
            ("9:00", "malformed time '9:00'"),  # HH:MM only
            ("09:00:00", "malformed time '09:00:00'"),
            ("", "malformed time ''"),
            ("٠٩:٠٠", "malformed time"),  # Arabic-Indic digits are not read as 09:00
        ],
        ids=[
            "hour-25",
            "24:30",
            "minute-60",
            "9am",
            "one-digit-hour",
            "seconds",
            "empty",
            "arabic",
        ],
    )
    def test_refused(self, text: str, message: str) -> None:
        with pytest.raises(ConfigError, match=r"^where: " + message.replace("(", r"\(")):
            parse_time(text, "where", is_end=True)


class TestParseInterval:
    @pytest.mark.parametrize(
        ("text", "interval"),
        [
            ("09:00-17:00", (9 * H, 17 * H)),
            ("22:00-06:00", (22 * H, 30 * H)),  # overnight: spills into the next day
            ("00:00-24:00", (0, 24 * H)),
            ("12:00-00:00", (12 * H, 24 * H)),  # ends at the next midnight
            ("09:00 - 17:00", (9 * H, 17 * H)),
        ],
        ids=["day", "overnight", "whole-day", "to-midnight", "spaces"],
    )
    def test_valid(self, text: str, interval: tuple[int, int]) -> None:
        assert parse_interval(text, "x") == interval

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("09:00-09:00", "empty interval '09:00-09:00'"),
            ("00:00-00:00", "empty interval '00:00-00:00'"),
            ("24:00-06:00", "'24:00' can only end an interval"),
            ("09:00", "malformed interval '09:00'"),
            ("09:00-12:00-13:00", "malformed interval"),
            (900, "expected an interval like '09:00-17:00', got 900"),
            (True, "expected an interval like '09:00-17:00', got True"),
            (None, "expected an interval like '09:00-17:00', got None"),
        ],
    )
    def test_refused(self, value: object, message: str) -> None:
        with pytest.raises(ConfigError, match=r"^p: " + message):
            parse_interval(value, "p")

    def test_canonical_text(self) -> None:
        assert format_interval((22 * H, 30 * H)) == "22:00-06:00"
        assert format_interval((0, 24 * H)) == "00:00-24:00"
        assert format_interval((12 * H, 24 * H)) == "12:00-24:00"


class TestParseDayHours:
    def test_one_string_or_list(self) -> None:
        assert parse_day_hours("09:00-17:00", "x") == ((9 * H, 17 * H),)
        assert parse_day_hours(["13:00-17:00", "09:00-12:00"], "x") == (
            (9 * H, 12 * H),
            (13 * H, 17 * H),
        )

    def test_touching_intervals_are_allowed(self) -> None:
        assert parse_day_hours(["09:00-12:00", "12:00-17:00"], "x") == (
            (9 * H, 12 * H),
            (12 * H, 17 * H),
        )

    def test_overlap_names_the_later_entry_and_its_index(self) -> None:
        with pytest.raises(
            ConfigError, match=r"^hours\.mon\[1\]: '13:00-12:30' overlaps '12:00-14:00'$"
        ):
            parse_day_hours(["12:00-14:00", "13:00-12:30"], "hours.mon")

    def test_overnight_overlapping_a_later_interval(self) -> None:
        with pytest.raises(ConfigError, match=r"overlaps '22:00-06:00'"):
            parse_day_hours(["22:00-06:00", "23:00-23:30"], "x")

    def test_overnight_and_early_morning_of_the_same_day_do_not_overlap(self) -> None:
        # 02:00-04:00 is this morning; the overnight run is tonight into tomorrow.
        assert parse_day_hours(["22:00-06:00", "02:00-04:00"], "x") == (
            (2 * H, 4 * H),
            (22 * H, 30 * H),
        )

    def test_closed_only_where_allowed(self) -> None:
        assert parse_day_hours("closed", "x", allow_closed=True) == ()
        assert parse_day_hours("Closed", "x", allow_closed=True) == ()
        assert parse_day_hours([], "x", allow_closed=True) == ()
        with pytest.raises(ConfigError, match="'closed' is only for overrides"):
            parse_day_hours("closed", "x")
        with pytest.raises(ConfigError, match="empty list of intervals"):
            parse_day_hours([], "x")

    @pytest.mark.parametrize("value", [5, None, {"a": 1}, 1.5])
    def test_wrong_types(self, value: object) -> None:
        with pytest.raises(ConfigError, match=r"^x: expected an interval .* or a list of them"):
            parse_day_hours(value, "x")

    def test_canonical_text(self) -> None:
        assert format_day_hours(((9 * H, 17 * H),)) == "09:00-17:00"
        assert format_day_hours(((9 * H, 12 * H), (13 * H, 17 * H))) == [
            "09:00-12:00",
            "13:00-17:00",
        ]


class TestParseDays:
    @pytest.mark.parametrize(
        ("spec", "days"),
        [
            ("mon", [0]),
            ("mon-fri", [0, 1, 2, 3, 4]),
            ("fri-mon", [4, 5, 6, 0]),
            ("mon,wed", [0, 2]),
            ("Monday, Wednesday", [0, 2]),
            ("SAT-SUN", [5, 6]),
            ("mon-tue,thu-fri", [0, 1, 3, 4]),
            ("mon-sun", [0, 1, 2, 3, 4, 5, 6]),
        ],
    )
    def test_valid(self, spec: str, days: list[int]) -> None:
        assert parse_days(spec, "x") == days

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ("mnday", "unknown weekday 'mnday' in 'mnday'"),
            ("mon-frii", "unknown weekday 'frii' in 'mon-frii'"),
            ("", "empty day name in ''"),
            ("mon,", "empty day name in 'mon,'"),
            ("mon,mon", "'mon' is named twice in 'mon,mon'"),
            ("mon-fri,wed", "'wed' is named twice in 'mon-fri,wed'"),
            ("mon-mon", "the range 'mon-mon' starts and ends on the same day"),
            ("mon-tue-wed", "unknown weekday 'tue-wed'"),
        ],
    )
    def test_refused(self, spec: str, message: str) -> None:
        with pytest.raises(ConfigError, match=r"^x: " + message):
            parse_days(spec, "x")


class TestParseWeek:
    def test_days_not_named_are_closed(self) -> None:
        week = parse_week({"mon-fri": "09:00-17:00", "sat": "10:00-14:00"})
        assert week[:5] == ((((9 * H, 17 * H),),) * 5)
        assert week[5] == ((10 * H, 14 * H),)
        assert week[6] == ()

    def test_24_7(self) -> None:
        assert parse_week("24/7") == FULL_WEEK
        assert parse_week({"mon-sun": "00:00-24:00"}) == FULL_WEEK
        assert FULL_WEEK[0] == ALL_DAY

    def test_a_day_named_twice_through_ranges(self) -> None:
        with pytest.raises(ConfigError, match=r"^hours\.wed: 'wed' is already named by 'mon-fri'$"):
            parse_week({"mon-fri": "09:00-17:00", "wed": "10:00-11:00"})

    def test_a_day_named_twice_through_wrapping_ranges(self) -> None:
        with pytest.raises(ConfigError, match=r"'mon' is already named by 'fri-mon'"):
            parse_week({"fri-mon": "09:00-17:00", "mon-wed": "10:00-11:00"})

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (5, "got 5"),
            ("09:00-17:00", "got '09:00-17:00'"),
            (["09:00-17:00"], "got \\['09:00-17:00'\\]"),
            (None, "got None"),
        ],
    )
    def test_wrong_types(self, value: object, message: str) -> None:
        with pytest.raises(ConfigError, match=r"^hours: expected a table of days .*" + message):
            parse_week(value)

    def test_non_string_day_name(self) -> None:
        with pytest.raises(ConfigError, match=r"^hours: day names must be strings, got 1$"):
            parse_week({1: "09:00-17:00"})

    def test_error_path_of_a_nested_value(self) -> None:
        with pytest.raises(ConfigError, match=r"^seasons\[0\]\.hours\.mon\[1\]: malformed"):
            parse_week({"mon": ["09:00-12:00", "13:00"]}, "seasons[0].hours")


class TestFormatWeek:
    def test_runs_of_equal_days_become_ranges(self) -> None:
        week = parse_week(
            {"mon": "09:00-17:00", "tue": "09:00-17:00", "wed,thu,fri": "09:00-17:00"}
        )
        assert format_week(week) == {"mon-fri": "09:00-17:00"}

    def test_mixed_week(self) -> None:
        week = parse_week({"mon-tue,thu": "09:00-17:00", "sat": ["22:00-02:00", "10:00-12:00"]})
        assert format_week(week) == {
            "mon-tue": "09:00-17:00",
            "thu": "09:00-17:00",
            "sat": ["10:00-12:00", "22:00-02:00"],
        }

    def test_round_trip(self) -> None:
        week = parse_week({"fri-mon": ["00:00-06:00", "20:00-24:00"], "wed": "12:00-00:00"})
        assert parse_week(format_week(week)) == week

    def test_24_7_and_closed(self) -> None:
        assert format_week(FULL_WEEK) == "24/7"
        assert format_week(((),) * 7) == {}


class TestShow:
    def test_short_values_are_plain_repr(self) -> None:
        assert show("09:00") == "'09:00'"
        assert show(5) == "5"

    def test_long_and_deep_values_are_bounded(self) -> None:
        assert len(show("x" * 100_000)) < 80
        deep: list[object] = []
        for _ in range(100_000):
            deep = [deep]
        assert len(show(deep)) < 80
        assert show(10**5000).startswith("<an integer of")

    def test_a_broken_repr(self) -> None:
        class Broken:
            def __repr__(self) -> str:
                raise RuntimeError("no")

        assert "Broken" in show(Broken())
