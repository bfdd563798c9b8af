"""Zendesk schedules in and out: ``Calendar.from_zendesk`` and ``cal.to_zendesk`` (SPEC §9).

The fixtures in ``tests/fixtures/`` were written for these tests: a Zendesk API answer for
a schedule with two intervals a day, an overnight shift stored as two intervals meeting at
midnight, and a Saturday-night shift across the end of the week; and its holidays.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizclock import ArgumentError, ArgumentTypeError, Calendar, ConfigError
from bizclock._zendesk import (
    RAILS_ZONES,
    calendar_from_zendesk,
    closed_runs,
    iana_zone,
    rails_zone,
)
from strategies import calendar_configs

FIXTURES = Path(__file__).parent / "fixtures"
SCHEDULE = FIXTURES / "zendesk_schedule.json"
HOLIDAYS = FIXTURES / "zendesk_holidays.json"
LA = ZoneInfo("America/Los_Angeles")

EXPECTED = {
    "timezone": "America/Los_Angeles",
    "hours": {
        "mon-wed": ["08:00-12:00", "13:00-18:00"],
        "thu": ["08:00-12:00", "13:00-18:00", "22:00-02:00"],
        "fri": ["08:00-12:00", "13:00-18:00"],
        "sat": "22:00-04:00",
    },
    "holidays": ["2026-11-26..2026-11-27", "2026-12-24..2026-12-25", "2027-01-01"],
}


def schedule(intervals: list[tuple[int, int]], zone: str = "UTC") -> dict[str, Any]:
    """A wrapped Zendesk schedule payload."""
    return {
        "schedule": {
            "name": "test",
            "time_zone": zone,
            "intervals": [{"start_time": a, "end_time": b} for a, b in intervals],
        }
    }


def holidays(*ranges: tuple[str, str]) -> dict[str, Any]:
    return {
        "holidays": [
            {"name": f"h{i}", "start_date": a, "end_date": b} for i, (a, b) in enumerate(ranges)
        ]
    }


def la(*args: int) -> datetime:
    return datetime(*args, tzinfo=LA)  # type: ignore[misc]


class TestFromZendesk:
    def test_fixture(self) -> None:
        cal = Calendar.from_zendesk(SCHEDULE, HOLIDAYS)
        assert cal == Calendar.from_dict(EXPECTED)
        assert cal.to_dict() == Calendar.from_dict(EXPECTED).to_dict()

    @pytest.mark.parametrize(
        "load",
        [
            pytest.param(lambda p: p, id="path"),
            pytest.param(str, id="path-str"),
            pytest.param(lambda p: p.read_text(), id="json-text"),
            pytest.param(lambda p: json.loads(p.read_text()), id="dict"),
        ],
    )
    def test_sources(self, load: Any) -> None:
        assert calendar_from_zendesk(load(SCHEDULE), load(HOLIDAYS)) == Calendar.from_dict(EXPECTED)

    def test_business_time_of_the_fixture(self) -> None:
        cal = Calendar.from_zendesk(SCHEDULE, HOLIDAYS)
        # Thursday 2026-11-19 23:00: inside the overnight shift, which ends Friday 02:00.
        assert cal.is_open(la(2026, 11, 19, 23))
        assert cal.next_close(la(2026, 11, 19, 23)) == la(2026, 11, 20, 2)
        # A week without holidays: 5 × 9 h + 4 h Thursday night + 6 h Saturday night.
        week = cal.elapsed(la(2026, 11, 16), la(2026, 11, 23))
        assert week == timedelta(hours=5 * 9 + 4 + 6)
        # Thanksgiving (Thu-Fri) closes both days, the Thursday night shift with them.
        assert not cal.is_business_day(date(2026, 11, 26))
        assert not cal.is_open(la(2026, 11, 27, 1))
        # Saturday night runs into Sunday 04:00 across the end of the Zendesk week.
        assert cal.next_close(la(2026, 11, 28, 22)) == la(2026, 11, 29, 4)

    def test_unwrapped_schedule_and_bare_holiday_list(self) -> None:
        wrapped = json.loads(SCHEDULE.read_text())
        bare = json.loads(HOLIDAYS.read_text())["holidays"]
        assert calendar_from_zendesk(wrapped["schedule"], bare) == Calendar.from_dict(EXPECTED)

    def test_holidays_inside_the_payload(self) -> None:
        payload = json.loads(SCHEDULE.read_text())
        payload["holidays"] = json.loads(HOLIDAYS.read_text())["holidays"]
        assert calendar_from_zendesk(payload) == Calendar.from_dict(EXPECTED)

    def test_single_holiday_object_and_schedules_list(self) -> None:
        payload = {"schedules": [schedule([(1980, 2460)])["schedule"]]}
        one = {"holiday": {"name": "x", "start_date": "2026-05-01", "end_date": "2026-05-01"}}
        cal = calendar_from_zendesk(payload, one)
        assert cal.to_dict()["holidays"] == ["2026-05-01"]
        assert cal.to_dict()["hours"] == {"mon": "09:00-17:00"}

    def test_missing_end_date_means_one_day(self) -> None:
        cal = calendar_from_zendesk(schedule([(1980, 2460)]), [{"start_date": "2026-05-04"}])
        assert cal.to_dict()["holidays"] == ["2026-05-04"]

    def test_interval_across_midnight_is_overnight(self) -> None:
        cal = calendar_from_zendesk(schedule([(2760, 3240)]))  # Mon 22:00 - Tue 06:00
        assert cal.to_dict()["hours"] == {"mon": "22:00-06:00"}

    def test_interval_past_the_end_of_the_week(self) -> None:
        cal = calendar_from_zendesk(schedule([(9960, 10080 + 360)]))  # Sat 22:00 - Sun 06:00
        assert cal.to_dict()["hours"] == {"sat": "22:00-06:00"}

    def test_whole_week_is_24_7(self) -> None:
        assert calendar_from_zendesk(schedule([(0, 10080)])).to_dict()["hours"] == "24/7"
        days = [(k * 1440, (k + 1) * 1440) for k in range(7)]
        assert calendar_from_zendesk(schedule(days)).to_dict()["hours"] == "24/7"

    def test_touching_intervals_within_a_day_stay_apart(self) -> None:
        cal = calendar_from_zendesk(schedule([(1980, 2160), (2160, 2460)]))
        assert cal.to_dict()["hours"] == {"mon": ["09:00-12:00", "12:00-17:00"]}

    def test_pieces_that_cannot_be_written_overnight_stay_apart(self) -> None:
        # Mon 06:00-24:00 and Tue 00:00-08:00: "06:00-08:00" would read as a day interval.
        cal = calendar_from_zendesk(schedule([(1800, 2880), (2880, 3360)]))
        assert cal.to_dict()["hours"] == {"mon": "06:00-24:00", "tue": "00:00-08:00"}

    def test_holiday_ending_on_the_first_night_keeps_days_apart(self) -> None:
        # Thursday 22:00 - Friday 06:00, and a holiday on Thursday 2026-12-24 only.
        split = [(5760 + 1320, 7200), (7200, 7200 + 360)]
        cal = calendar_from_zendesk(schedule(split), holidays(("2026-12-24", "2026-12-24")))
        assert cal.to_dict()["hours"] == {"thu": "22:00-24:00", "fri": "00:00-06:00"}
        utc = ZoneInfo("UTC")
        # As in Zendesk: the holiday closes Thursday; Friday's 00:00-06:00 is still open.
        assert not cal.is_open(datetime(2026, 12, 24, 23, tzinfo=utc))
        assert cal.is_open(datetime(2026, 12, 25, 1, tzinfo=utc))
        # A holiday on the Friday only does not stop the join.
        joined = calendar_from_zendesk(schedule(split), holidays(("2026-12-25", "2026-12-25")))
        assert joined.to_dict()["hours"] == {"thu": "22:00-06:00"}
        assert not joined.is_open(datetime(2026, 12, 25, 1, tzinfo=utc))

    @pytest.mark.parametrize(
        ("payload", "extra", "message"),
        [
            pytest.param([], None, "expected a Zendesk schedule object", id="not-a-mapping"),
            pytest.param(
                {"schedule": {"intervals": [{"start_time": 0, "end_time": 60}]}},
                None,
                "schedule.time_zone: missing",
                id="no-zone",
            ),
            pytest.param(
                {"schedule": {"time_zone": "UTC"}}, None, "intervals: missing", id="no-iv"
            ),
            pytest.param(
                schedule([]), None, "no intervals; the schedule is never open", id="empty"
            ),
            pytest.param(
                schedule([(-5, 60)]), None, "intervals[0].start_time: -5 is outside", id="negative"
            ),
            pytest.param(
                schedule([(60, 60)]), None, "end_time 60 is not after start_time 60", id="empty-iv"
            ),
            pytest.param(schedule([(0, 20000)]), None, "longer than a week", id="too-long"),
            pytest.param(
                {"schedule": {"time_zone": "UTC", "intervals": [{"start_time": "540"}]}},
                None,
                "start_time: expected whole minutes",
                id="string-minutes",
            ),
            pytest.param(
                {"schedule": {"time_zone": "UTC", "intervals": [{"start_time": True}]}},
                None,
                "start_time: expected whole minutes",
                id="bool-minutes",
            ),
            pytest.param(
                {"schedule": {"time_zone": "UTC", "intervals": [{"start_time": 5}]}},
                None,
                "intervals[0].end_time: missing",
                id="no-end",
            ),
            pytest.param(
                schedule([(1980, 2460), (2400, 2500)]),
                None,
                "schedule.intervals[1]: 2400-2500 (Mon 16:00–17:40) overlaps "
                "schedule.intervals[0]: 1980-2460 (Mon 09:00–17:00)",
                id="overlap",
            ),
            pytest.param(
                schedule([(9960, 10080 + 120), (60, 120)]),
                None,
                "overlaps schedule.intervals[0]",
                id="overlap-across-week-end",
            ),
            pytest.param(
                schedule([(0, 60)], "Atlantis/Capital"),
                None,
                "schedule.time_zone: unknown time zone 'Atlantis/Capital'",
                id="zone",
            ),
            pytest.param(
                schedule([(0, 60)], "Pacific Time"),
                None,
                "did you mean 'Pacific Time (US & Canada)'",
                id="zone-hint",
            ),
            pytest.param(
                schedule([(0, 60)]),
                holidays(("2026-12-26", "2026-12-24")),
                "holidays[0]: end_date '2026-12-24' is before start_date '2026-12-26'",
                id="reversed-holiday",
            ),
            pytest.param(
                schedule([(0, 60)]),
                holidays(("2026-02-30", "2026-03-01")),
                "holidays[0].start_date: impossible date '2026-02-30'",
                id="impossible-date",
            ),
            pytest.param(
                schedule([(0, 60)]),
                {"holidays": [{"name": "x"}]},
                "holidays[0].start_date: missing",
                id="no-start-date",
            ),
            pytest.param(schedule([(0, 60)]), 42, "expected the Zendesk JSON", id="holidays-int"),
            pytest.param(
                {**schedule([(0, 60)]), "holidays": []},
                [],
                "holidays: given twice",
                id="holidays-twice",
            ),
            pytest.param(
                {"schedules": [schedule([(0, 60)]), schedule([(0, 60)])]},
                None,
                "schedules: expected exactly one schedule, got 2",
                id="two-schedules",
            ),
            pytest.param('{"schedule": ', None, "schedule: line 1, column 14", id="bad-json"),
        ],
    )
    def test_errors(self, payload: Any, extra: Any, message: str) -> None:
        with pytest.raises(ConfigError) as info:
            calendar_from_zendesk(payload, extra)
        assert message in str(info.value)

    def test_unreadable_path(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="cannot read"):
            calendar_from_zendesk(tmp_path / "missing.json")


class TestZones:
    @pytest.mark.parametrize(
        ("rails", "iana"),
        [
            ("Pacific Time (US & Canada)", "America/Los_Angeles"),
            ("Eastern Time (US & Canada)", "America/New_York"),
            ("Berlin", "Europe/Berlin"),
            ("London", "Europe/London"),
            ("Edinburgh", "Europe/London"),
            ("UTC", "UTC"),
            ("Kyiv", "Europe/Kyiv"),
            ("Chennai", "Asia/Kolkata"),
            ("International Date Line West", "Etc/GMT+12"),
            ("berlin", "Europe/Berlin"),
            ("Europe/Paris", "Europe/Paris"),
        ],
    )
    def test_rails_and_iana_names(self, rails: str, iana: str) -> None:
        assert iana_zone(rails, "time_zone") == iana

    def test_every_mapped_zone_loads_from_tzdata(self) -> None:
        for iana in RAILS_ZONES.values():
            ZoneInfo(iana)  # raises if the pinned tzdata lacks it

    def test_every_zone_written_reads_back(self) -> None:
        for iana in set(RAILS_ZONES.values()):
            rails = rails_zone(iana)
            assert rails is not None
            assert RAILS_ZONES[rails] == iana

    @pytest.mark.parametrize(
        ("iana", "rails"),
        [
            ("Europe/London", "London"),
            ("Asia/Kolkata", "Kolkata"),
            ("Europe/Kiev", "Kyiv"),
            ("Etc/UTC", "UTC"),
            ("US/Eastern", "Eastern Time (US & Canada)"),
            ("America/Toronto", None),
        ],
    )
    def test_writing_names(self, iana: str, rails: str | None) -> None:
        assert rails_zone(iana) == rails


FITTING = {
    "office": {"timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}},
    "two-a-day": {
        "timezone": "America/New_York",
        "hours": {"mon-fri": ["08:00-12:00", "13:00-17:30"], "sat": "10:00-14:00"},
        "holidays": ["2026-07-03", "2026-12-24..2026-12-26"],
    },
    "24/7": {"timezone": "UTC", "hours": "24/7"},
    "overnight": {
        "timezone": "Australia/Sydney",
        "hours": {"mon-thu": "22:00-06:00", "sun": "20:00-24:00"},
        "holidays": ["2026-12-25..2026-12-27"],  # ends on a Sunday: no spill to reopen
    },
    "saturday-into-sunday": {"timezone": "Asia/Kathmandu", "hours": {"sat": "18:00-03:00"}},
    "touching": {"timezone": "UTC", "hours": {"wed": ["09:00-12:00", "12:00-18:00"]}},
    "split-day-after-holiday": {
        "timezone": "UTC",
        "hours": {"thu": "22:00-24:00", "fri": "00:00-06:00"},
        "holidays": ["2026-12-24"],
    },
}


class TestToZendesk:
    def test_fixture_round_trip(self) -> None:
        cal = Calendar.from_zendesk(SCHEDULE, HOLIDAYS)
        out = cal.to_zendesk(name="North America support")
        original = json.loads(SCHEDULE.read_text())["schedule"]
        assert out["schedule"] == {
            "name": "North America support",
            "time_zone": "Pacific Time (US & Canada)",
            "intervals": sorted(original["intervals"], key=lambda i: i["start_time"]),
        }
        dates = [
            (h["start_date"], h["end_date"]) for h in json.loads(HOLIDAYS.read_text())["holidays"]
        ]
        assert [(h["start_date"], h["end_date"]) for h in out["holidays"]] == dates
        assert Calendar.from_zendesk(out) == cal

    @pytest.mark.parametrize("config", FITTING.values(), ids=FITTING.keys())
    def test_round_trip(self, config: dict[str, Any]) -> None:
        cal = Calendar.from_dict(config)
        assert Calendar.from_zendesk(cal.to_zendesk()) == cal

    def test_overnight_is_split_at_midnight(self) -> None:
        cal = Calendar.from_dict({"timezone": "UTC", "hours": {"sat": "22:00-06:00"}})
        assert cal.to_zendesk()["schedule"]["intervals"] == [
            {"start_time": 0, "end_time": 360},
            {"start_time": 9960, "end_time": 10080},
        ]

    def test_overnight_overlapping_the_next_day_is_merged(self) -> None:
        cal = Calendar.from_dict(
            {"timezone": "UTC", "hours": {"mon": "22:00-06:00", "tue": "00:00-08:00"}}
        )
        assert cal.to_zendesk()["schedule"]["intervals"] == [
            {"start_time": 2760, "end_time": 2880},
            {"start_time": 2880, "end_time": 3360},
        ]

    def test_closed_overrides_become_holidays(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "UTC",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": ["2026-12-24"],
                "overrides": {"2026-12-31": "closed", "2026-12-25": "closed"},
            }
        )
        assert cal.to_zendesk()["holidays"] == [
            {"name": "Holiday", "start_date": "2026-12-24", "end_date": "2026-12-24"},
            {"name": "Closed", "start_date": "2026-12-25", "end_date": "2026-12-25"},
            {"name": "Closed", "start_date": "2026-12-31", "end_date": "2026-12-31"},
        ]

    def test_every_year_and_country_holidays_over_years(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": ["*-12-24"],
                "country_holidays": ["DE-BY"],
                "overrides": {"*-12-31": "closed"},
            }
        )
        out = cal.to_zendesk(years=range(2026, 2028))
        names = {(h["start_date"], h["name"]) for h in out["holidays"]}
        assert ("2026-12-24", "Holiday") in names
        assert ("2027-12-24", "Holiday") in names
        assert ("2026-12-25", "Christmas Day") in names
        assert ("2027-12-31", "Closed") in names
        assert all("2026" <= h["start_date"][:4] <= "2027" for h in out["holidays"])
        # Within those years, the Zendesk calendar closes exactly the same dates.
        back = Calendar.from_zendesk(out)
        day = date(2026, 1, 1)
        while day.year < 2028:
            assert back.is_business_day(day) == cal.is_business_day(day), day
            day += timedelta(days=1)

    def test_explicit_ranges_are_kept_whole(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "UTC",
                "hours": {"mon": "09:00-17:00"},
                "holidays": ["1000-01-01..9000-12-31"],
            }
        )
        assert cal.to_zendesk()["holidays"] == [
            {"name": "Holiday", "start_date": "1000-01-01", "end_date": "9000-12-31"}
        ]

    def test_everything_that_does_not_fit_is_named(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "America/Toronto",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": ["*-12-25"],
                "country_holidays": ["CA-ON"],
                "seasons": [
                    {"from": "*-07-01", "to": "*-08-31", "hours": {"mon-fri": "08:00-12:00"}}
                ],
                "overrides": {"2026-12-24": "09:00-12:00"},
            }
        )
        with pytest.raises(ConfigError) as info:
            cal.to_zendesk()
        message = str(info.value)
        for part in (
            "the calendar does not fit a Zendesk schedule",
            "timezone: Zendesk has no zone for 'America/Toronto'",
            "'Eastern Time (US & Canada)'",
            "seasons[0] (*-07-01..*-08-31)",
            "overrides.2026-12-24: special hours '09:00-12:00'",
            "every-year dates '*-12-25'",
            "country_holidays[0] ('CA-ON')",
            "years=range(first, last + 1)",
        ):
            assert part in message

    def test_overnight_spill_after_a_holiday_does_not_fit(self) -> None:
        cal = Calendar.from_dict(
            {"timezone": "UTC", "hours": {"thu": "22:00-06:00"}, "holidays": ["2026-12-24"]}
        )
        with pytest.raises(ConfigError) as info:
            cal.to_zendesk()
        assert "hours.thu: after the holiday 2026-12-24, Zendesk would open fri 00:00-06:00" in str(
            info.value
        )
        assert "write '22:00-24:00' on thu and '00:00-06:00' on fri" in str(info.value)

    def test_spill_covered_by_the_next_days_hours_fits(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "UTC",
                "hours": {"thu": "22:00-06:00", "fri": "00:00-08:00"},
                "holidays": ["2026-12-24"],
            }
        )
        back = Calendar.from_zendesk(cal.to_zendesk())
        assert back.open_intervals(
            datetime(2026, 12, 1, tzinfo=ZoneInfo("UTC")),
            datetime(2027, 1, 10, tzinfo=ZoneInfo("UTC")),
        ) == cal.open_intervals(
            datetime(2026, 12, 1, tzinfo=ZoneInfo("UTC")),
            datetime(2027, 1, 10, tzinfo=ZoneInfo("UTC")),
        )

    def test_make_up_working_days_do_not_fit(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "Asia/Shanghai",
                "hours": {"mon-fri": "09:00-18:00"},
                "country_holidays": [{"country": "CN", "workdays": True}],
            }
        )
        with pytest.raises(ConfigError, match=r"country_holidays\[0\]: make-up working day"):
            cal.to_zendesk(years=[2026])

    def test_name(self) -> None:
        cal = Calendar.from_dict(FITTING["office"])
        assert cal.to_zendesk(name="EMEA")["schedule"]["name"] == "EMEA"
        with pytest.raises(ArgumentError, match="name"):
            cal.to_zendesk(name=" ")

    @pytest.mark.parametrize(
        ("years", "error", "message"),
        [
            pytest.param("2026", ArgumentTypeError, "expected years", id="str"),
            pytest.param(5, ArgumentTypeError, "expected years", id="int"),
            pytest.param([2026.0], ArgumentTypeError, "whole years", id="float"),
            pytest.param([], ArgumentError, "no years given", id="empty"),
            pytest.param([0], ArgumentError, "outside 1-9999", id="zero"),
            pytest.param(range(1, 2000), ArgumentError, "more than 500 years", id="too-many"),
        ],
    )
    def test_bad_years(self, years: Any, error: type[Exception], message: str) -> None:
        cal = Calendar.from_dict(FITTING["office"])
        with pytest.raises(error, match=message):
            cal.to_zendesk(years=years)


RAILS_IANA = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kathmandu"]


def _dates(out: dict[str, Any]) -> list[tuple[str, str]]:
    """A Zendesk payload's holidays as merged (first, last) date pairs."""
    merged: list[tuple[date, date]] = []
    for h in out["holidays"]:
        a, b = date.fromisoformat(h["start_date"]), date.fromisoformat(h["end_date"])
        if merged and a <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return [(a.isoformat(), b.isoformat()) for a, b in merged]


def _closed_by_rules(cal: Calendar, first: date, last: date) -> set[int]:
    rules = cal._parsed.rules
    found = set()
    for o in range(first.toordinal(), last.toordinal() + 1):
        hours, pinned = rules.day(o)
        if pinned and not hours:
            found.add(o)
    return found


@settings(max_examples=40)
@given(config=calendar_configs(near=date(2026, 6, 1)), zone=st.sampled_from(RAILS_IANA))
def test_zendesk_round_trip_keeps_business_time(config: dict[str, Any], zone: str) -> None:
    """Where a calendar fits, the Zendesk version has the same open time within the years."""
    config = {**config, "timezone": zone}
    overrides = {k: v for k, v in config.get("overrides", {}).items() if v == "closed"}
    config["overrides"] = overrides
    cal = Calendar.from_dict(config)
    try:
        out = cal.to_zendesk(years=range(2025, 2028))
    except ConfigError as exc:
        refused = str(exc)
    else:
        refused = ""
    if refused:
        assert "overnight interval" in refused
        return
    back = Calendar.from_zendesk(out)
    # The same schedule and dates (holiday names are Zendesk's only; bizclock keeps none).
    again = back.to_zendesk()
    assert again["schedule"] == out["schedule"]
    assert _dates(again) == _dates(out)
    assert Calendar.from_zendesk(back.to_zendesk()) == back
    # 2 January: the day before the first year is not expanded in Zendesk.
    start = datetime(2025, 1, 2, tzinfo=ZoneInfo(zone))
    end = datetime(2028, 1, 1, tzinfo=ZoneInfo(zone))
    assert back.open_intervals(start, end) == cal.open_intervals(start, end)


@settings(max_examples=60)
@given(config=calendar_configs(near=date(2026, 6, 1)), first=st.integers(2024, 2027))
def test_closed_runs_agree_with_the_rules(config: dict[str, Any], first: int) -> None:
    """closed_runs (ranges, never date by date) closes exactly the dates the rules close."""
    cal = Calendar.from_dict(config)
    last = first + 1
    lo, hi = date(first, 1, 1), date(last, 12, 31)
    runs = closed_runs(cal._parsed.rules, range(first, last + 1), (lo.toordinal(), hi.toordinal()))
    got = {o for a, b, _ in runs for o in range(a, b + 1)}
    assert got == _closed_by_rules(cal, lo, hi)
    for (_, b, name), (a, _, next_name) in pairwise(runs):
        assert b < a
        assert b + 1 < a or name != next_name  # adjacent runs only where the name changes


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-20_000, 20_000)
    | st.text(max_size=12)
    | st.sampled_from(["2026-12-24", "2026-02-30", "UTC", "Berlin", "Mars/Base"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "schedule",
                    "schedules",
                    "holidays",
                    "holiday",
                    "time_zone",
                    "intervals",
                    "start_time",
                    "end_time",
                    "start_date",
                    "end_date",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def _damaged_payloads(draw: st.DrawFn) -> tuple[Any, Any]:
    """The fixtures with some values replaced by arbitrary JSON (or replaced whole)."""
    sched = json.loads(SCHEDULE.read_text())
    hols = json.loads(HOLIDAYS.read_text())
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["interval", "zone", "holiday"]))
        if where == "interval":
            intervals = sched["schedule"]["intervals"]
            item = intervals[draw(st.integers(0, len(intervals) - 1))]
            key = draw(st.sampled_from(["start_time", "end_time"]))
            item[key] = draw(st.one_of(st.integers(-100, 12_000), _JSON))
        elif where == "zone":
            sched["schedule"]["time_zone"] = draw(_JSON)
        else:
            item = hols["holidays"][draw(st.integers(0, len(hols["holidays"]) - 1))]
            key = draw(st.sampled_from(["start_date", "end_date"]))
            item[key] = draw(st.one_of(st.dates().map(str), _JSON))
    if draw(st.integers(0, 5)) == 0:
        sched = draw(_JSON)
    if draw(st.integers(0, 5)) == 0:
        hols = draw(_JSON)
    return sched, hols


@settings(max_examples=100)
@given(payload=_damaged_payloads(), as_text=st.booleans())
def test_damaged_payloads_answer_or_raise_config_error(
    payload: tuple[Any, Any], as_text: bool
) -> None:
    """SPEC §8: damaged Zendesk data gives a calendar or a ConfigError, nothing else."""
    sched, hols = payload
    try:
        cal = calendar_from_zendesk(json.dumps(sched) if as_text else sched, hols)
    except ConfigError as exc:
        assert str(exc)  # noqa: PT017 - any message will do; the type is the point
        return
    assert isinstance(cal, Calendar)
